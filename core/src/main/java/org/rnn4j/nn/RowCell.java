package org.rnn4j.nn;

import org.rnn4j.kernel.Parallel;

/**
 * A cell whose step is independent per batch row, so a large step is split over the kernel pool by
 * rows: subclasses implement the pointwise math for rows [b0, b1), this class decides how many threads
 * a step is worth. Below {@value #PARALLEL_MIN} gate values per step (about 5 µs of work) a step runs
 * on the caller, where the hand-off would cost a sizeable part of it.
 */
abstract class RowCell implements Cell {
    static final int PARALLEL_MIN = 8192;

    /** Per calling thread (cells are shared by every thread running the layer), so splitting allocates nothing. */
    private static final ThreadLocal<Split> SPLIT = ThreadLocal.withInitial(Split::new);

    private final int gates;

    RowCell(int gates) {
        this.gates = gates;
    }

    abstract void forwardRows(Step s, int b0, int b1);

    abstract void backwardRows(Step s, int b0, int b1);

    @Override
    public final void forward(Step s) {
        run(s, false);
    }

    @Override
    public final void backward(Step s) {
        run(s, true);
    }

    private void run(Step s, boolean backward) {
        int parts = (long) s.batch * s.hidden * gates < PARALLEL_MIN ? 1 : Math.min(s.batch, Parallel.threads());
        if (parts <= 1) {
            if (backward) backwardRows(s, 0, s.batch);
            else forwardRows(s, 0, s.batch);
            return;
        }
        Split split = SPLIT.get();
        split.cell = this;
        split.step = s;
        split.backward = backward;
        try {
            Parallel.run(split, parts);
        } finally {
            split.cell = null;
            split.step = null;
        }
    }

    private static final class Split implements Parallel.Task {
        RowCell cell;
        Step step;
        boolean backward;

        @Override
        public void run(int part, int parts) {
            int b0 = (int) ((long) step.batch * part / parts), b1 = (int) ((long) step.batch * (part + 1) / parts);
            if (backward) cell.backwardRows(step, b0, b1);
            else cell.forwardRows(step, b0, b1);
        }
    }
}
