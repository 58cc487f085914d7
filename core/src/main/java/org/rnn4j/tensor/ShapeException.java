package org.rnn4j.tensor;

/** A tensor whose shape does not fit where it is used; the message names the tensor and both shapes. */
public class ShapeException extends IllegalArgumentException {
    public ShapeException(String message) {
        super(message);
    }
}
