package org.rnn4j.cli.lm;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rnn4j lm}: character- and word-level language models. */
@Command(name = "lm", mixinStandardHelpOptions = true,
        description = "Language models: train on a text, generate text, measure loss (char-rnn on the JVM).",
        subcommands = {LmTrainCommand.class, LmSampleCommand.class, LmEvalCommand.class})
public final class LmCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
