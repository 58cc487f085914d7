package org.rnn4j.cli.seq2seq;

import org.rnn4j.apps.seq2seq.Seq2SeqEnsemble.Combination;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --combine product|mixture}. */
final class CombinationConverter implements ITypeConverter<Combination> {
    static final String DESCRIPTION = "with several models: product (softmax of their mean log-probability) or mixture"
            + " (their mean probability) (default: ${DEFAULT-VALUE})";

    @Override
    public Combination convert(String value) {
        try {
            return Combination.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
