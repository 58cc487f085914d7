package org.rnn4j.train;

/** Argument checks with messages that name the field and the value. NaN fails every check. */
final class Check {
    private Check() {}

    static double nonNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + value);
        }
        return value;
    }

    static double positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number > 0, got " + value);
        }
        return value;
    }

    /** {@code 0 <= value < 1}, the range of a decay rate such as Adam's betas. */
    static double unitInterval(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
        }
        return value;
    }

    static int positive(String name, int value) {
        if (value <= 0) throw new IllegalArgumentException(name + " must be > 0, got " + value);
        return value;
    }

    static int nonNegative(String name, int value) {
        if (value < 0) throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        return value;
    }

    /** {@code array[offset, offset + length)} must exist. */
    static void range(String name, float[] array, int offset, long length) {
        if (array == null) throw new IllegalArgumentException(name + " must not be null");
        if (offset < 0 || length < 0 || offset + length > array.length) {
            throw new IllegalArgumentException(name + ": need elements [" + offset + ", " + (offset + length)
                    + ") but the array has length " + array.length);
        }
    }

    static void range(String name, int[] array, int offset, long length) {
        if (array == null) throw new IllegalArgumentException(name + " must not be null");
        if (offset < 0 || length < 0 || offset + length > array.length) {
            throw new IllegalArgumentException(name + ": need elements [" + offset + ", " + (offset + length)
                    + ") but the array has length " + array.length);
        }
    }
}
