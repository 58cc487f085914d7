package org.rnn4j.apps.gradlab;

import org.rnn4j.nn.CellKind;

/**
 * What distinguishes one run of an experiment from the others: the cell and the cure.
 *
 * @param name           the run's key in the report ("lstm", "rnn-tanh+clip-norm", ...)
 * @param cell           the recurrent cell
 * @param clipNorm       clip the global gradient norm to this before each step; 0 = off
 * @param clipValue      clamp every gradient element to ±this before each step; 0 = off
 * @param spectralRadius if > 0, every recurrent gate block W_hh is set to this times a random
 *                       orthogonal matrix, so all its eigenvalues have exactly this modulus; 0 = the
 *                       initialiser's weights
 */
public record RunSpec(String name, CellKind cell, double clipNorm, double clipValue, double spectralRadius) {
    public RunSpec {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name must be given");
        if (cell == null) throw new IllegalArgumentException("cell must be given");
        if (!(clipNorm >= 0)) throw new IllegalArgumentException("clipNorm must be >= 0, got " + clipNorm);
        if (!(clipValue >= 0)) throw new IllegalArgumentException("clipValue must be >= 0, got " + clipValue);
        if (!(spectralRadius >= 0)) throw new IllegalArgumentException("spectralRadius must be >= 0, got " + spectralRadius);
    }

    /** A plain run of {@code cell}, named by its command-line name, with optional norm clipping. */
    public static RunSpec of(CellKind cell, double clipNorm) {
        return new RunSpec(cell.cliName(), cell, clipNorm, 0, 0);
    }
}
