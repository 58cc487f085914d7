package org.rnn4j.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rnn4j} command: one subcommand per verb. */
@Command(name = "rnn4j", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Recurrent neural networks (RNN, LSTM, GRU) on the JVM: train, run, inspect.",
        subcommands = {org.rnn4j.cli.forecast.ForecastCommand.class, org.rnn4j.cli.lm.LmCommand.class,
                org.rnn4j.cli.seq2seq.Seq2SeqCommand.class, org.rnn4j.cli.seq2seq.G2pCommand.class, GradlabCommand.class,
                InitCommand.class, PredictCommand.class, FitCommand.class, InspectCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Kernel threads for every command (inherited by all subcommands); default: all cores. */
    @CommandLine.Option(names = "--threads", scope = CommandLine.ScopeType.INHERIT, paramLabel = "N",
            description = "threads for the numeric kernels (default: all cores)")
    void setThreads(int threads) {
        if (threads < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be >= 1, got " + threads);
        org.rnn4j.kernel.Parallel.configure(threads);
    }

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
