package org.rnn4j.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rnn4j} command: one subcommand per verb. */
@Command(name = "rnn4j", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Recurrent neural networks (RNN, LSTM, GRU) on the JVM: train, run, inspect.",
        subcommands = {org.rnn4j.cli.forecast.ForecastCommand.class, InitCommand.class, PredictCommand.class, FitCommand.class, InspectCommand.class,
                org.rnn4j.cli.seq2seq.Seq2SeqCommand.class, org.rnn4j.cli.seq2seq.G2pCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit code; tests call this instead of main. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(new ErrorHandler());
        return cl.execute(args);
    }
}
