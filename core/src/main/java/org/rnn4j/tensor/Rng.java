package org.rnn4j.tensor;

/**
 * A seeded pseudo-random generator whose whole state is one long (SplitMix64), so that it can be
 * saved in a checkpoint and restored to replay a run bit for bit — which java.util's generators
 * cannot do. Not thread-safe: give each thread its own, made with {@link #split()}.
 */
public final class Rng {
    private long state;
    /** SplitMix64's increment: the state advances by it once per draw. */
    private static final long GAMMA = 0x9E3779B97F4A7C15L;

    public Rng(long seed) {
        this.state = seed;
    }

    /** The whole state; {@code new Rng(0).setState(s)} continues exactly where this one is. */
    public long state() {
        return state;
    }

    public void setState(long state) {
        this.state = state;
    }

    public long nextLong() {
        return mix(state += GAMMA);
    }

    /** SplitMix64's finaliser: the output for one state. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /**
     * An inverted-dropout mask: {@code mask[off + i] = nextFloat() < keep ? scale : 0f} for i = 0..n-1,
     * the same values and the same state afterwards as those n calls, but without a branch per element.
     * Why: whether an element is kept is a coin flip the branch predictor cannot learn, and its
     * mispredictions made the mask 4% of a seq2seq training step (docs/benchmarks.md).
     *
     * <p>{@code nextFloat()} is {@code r · 2⁻²⁴} for the integer r = top 24 bits, exactly, so
     * {@code nextFloat() < keep} is {@code r < keep · 2²⁴}, that is {@code r < ceil(keep · 2²⁴)}.
     *
     * @param keep the keep probability, in (0, 1]
     */
    public void dropoutMask(float[] mask, int off, int n, float keep, float scale) {
        if (!(keep > 0 && keep <= 1)) throw new IllegalArgumentException("keep must be in (0, 1], got " + keep);
        if (off < 0 || n < 0 || off + n > mask.length) {
            throw new IllegalArgumentException("mask: " + n + " values from offset " + off + " do not fit an array of " + mask.length);
        }
        long threshold = keepThreshold(keep);
        long s = state;
        for (int i = 0; i < n; i++) {
            long r = mix(s += GAMMA) >>> 40;
            // (r - threshold) >>> 63 is 1 exactly when r < threshold
            mask[off + i] = scale * (float) ((r - threshold) >>> 63);
        }
        state = s;
    }

    /** The least r that {@link #dropoutMask} drops: {@code r < keepThreshold(keep)} exactly when {@code r · 2⁻²⁴ < keep}. */
    static long keepThreshold(float keep) {
        return (long) Math.ceil((double) keep * 0x1.0p24);
    }

    /** Uniform in [0, bound), without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be > 0, got " + bound);
        long r = nextLong() >>> 33; // 31 random bits
        long limit = (1L << 31) - ((1L << 31) % bound);
        while (r >= limit) r = nextLong() >>> 33;
        return (int) (r % bound);
    }

    /** Standard normal (Box–Muller, one value per call). */
    public double nextGaussian() {
        double u1 = nextDouble(), u2 = nextDouble();
        if (u1 < 1e-300) u1 = 1e-300;
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** An independent generator seeded from this one (advances this one by one step). */
    public Rng split() {
        return new Rng(nextLong() ^ 0x5DEECE66DL);
    }

    /** Fisher–Yates shuffle of {@code a} in place. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }
}
