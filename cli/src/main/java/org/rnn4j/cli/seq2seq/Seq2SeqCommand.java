package org.rnn4j.cli.seq2seq;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rnn4j seq2seq}: the verbs of the encoder-decoder application. */
@Command(name = "seq2seq", mixinStandardHelpOptions = true,
        description = "Sequence to sequence with attention: train, translate, evaluate (e.g. grapheme-to-phoneme, translation).",
        subcommands = {TrainCommand.class, TranslateCommand.class, EvalCommand.class, EnsembleCommand.class, CmudictCommand.class, SplitCommand.class})
public final class Seq2SeqCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
