package org.rnn4j.train;

import java.util.List;
import java.util.Locale;
import org.rnn4j.nn.Parameters;

/** Builds an optimizer from the command line's few knobs; every other hyper-parameter is PyTorch's default. */
public final class Optimizers {
    private Optimizers() {}

    /** The names {@link #create} accepts. */
    public static final List<String> NAMES = List.of("sgd", "adam", "adamw", "rmsprop", "adagrad");

    /**
     * An optimizer for {@code params}.
     *
     * <p>{@code momentum} is used by {@code sgd} and {@code rmsprop}; the other optimizers have no momentum knob,
     * so a non-zero value for them is an error rather than silently ignored. {@code weightDecay} is used as given
     * by every optimizer (L2 on the gradient, or decoupled for {@code adamw}); note that PyTorch's AdamW default
     * is 1e-2, which a caller wanting it must pass.
     *
     * @param name one of {@link #NAMES}, case-insensitive
     * @throws IllegalArgumentException for an unknown name (the message lists the valid ones) or an invalid
     *     hyper-parameter
     */
    public static Optimizer create(String name, double lr, double momentum, double weightDecay, Parameters params) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(key)) {
            throw new IllegalArgumentException("unknown optimizer '" + name + "'; expected one of " + String.join(
                    ", ", NAMES));
        }
        if (momentum != 0 && !(key.equals("sgd") || key.equals("rmsprop"))) {
            throw new IllegalArgumentException("momentum=" + momentum + " is not used by " + key
                    + "; only sgd and rmsprop take a momentum");
        }
        return switch (key) {
            case "sgd" -> new Sgd(new Sgd.Config(lr, momentum, 0, weightDecay, false), params);
            case "adam" -> new Adam(Adam.Config.defaults().withLr(lr).withWeightDecay(weightDecay), params);
            case "adamw" -> new AdamW(AdamW.Config.defaults().withLr(lr).withWeightDecay(weightDecay), params);
            case "rmsprop" -> new RmsProp(
                    RmsProp.Config.defaults().withLr(lr).withMomentum(momentum).withWeightDecay(weightDecay), params);
            case "adagrad" -> new Adagrad(Adagrad.Config.defaults().withLr(lr).withWeightDecay(weightDecay), params);
            default -> throw new IllegalStateException("unreachable: " + key);
        };
    }
}
