package org.rnn4j.io;

import java.io.IOException;

/** A consumer that may throw {@link IOException}, such as the body that fills a file. */
@FunctionalInterface
public interface IOConsumer<T> {
    void accept(T value) throws IOException;
}
