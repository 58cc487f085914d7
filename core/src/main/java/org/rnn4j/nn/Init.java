package org.rnn4j.nn;

/** Weight initialisation schemes for recurrent layers. */
public enum Init {
    /** PyTorch's default: every weight and bias U(-1/sqrt(H), 1/sqrt(H)). */
    PYTORCH,
    /** Xavier-uniform per gate block, zero biases, LSTM forget-gate bias 1. */
    XAVIER,
    /** Orthogonal recurrent gate blocks, Xavier input blocks, zero biases, LSTM forget-gate bias 1. */
    ORTHOGONAL;

    public static Init parse(String name) {
        return switch (name) {
            case "pytorch", "default" -> PYTORCH;
            case "xavier" -> XAVIER;
            case "orthogonal" -> ORTHOGONAL;
            default -> throw new IllegalArgumentException("unknown init '" + name + "'; expected pytorch, xavier or orthogonal");
        };
    }
}
