package org.rnn4j.apps.gradlab;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rnn4j.nn.SequenceModel;
import org.rnn4j.train.Checkpoint;
import org.rnn4j.train.DivergenceGuard;
import org.rnn4j.train.ResumableLoop;
import org.rnn4j.train.TrainingRun;

/**
 * A whole gradlab experiment — its runs ({@link RunSpec}s) trained one after another under one {@link
 * LabConfig} — as a {@link ResumableLoop}: it can stop after any step of any run and continue bit for bit.
 *
 * <p>The checkpoint holds the results of the runs already finished (everything that goes into the report
 * and the pictures: per-step losses and gradient norms, evaluations, gradient-flow measurements, steps,
 * divergence) and the whole state of the run in progress (see {@link LabRun}). Its step number is global:
 * the steps of the finished runs plus those of the current one, so checkpoint files keep increasing
 * across runs and a step-based {@code --checkpoint-every} keeps one grid.
 *
 * <p>Divergence: with {@code guarded} (normal training) each run has a {@link DivergenceGuard} with the
 * default policy — a non-finite loss or gradient norm skips that update and halves the learning rate;
 * when the guard gives up, that run stops and is reported as diverged, and the experiment goes on with
 * the next run (a diverging cell is a result of the lab, not a failure of it). Without it (the
 * exploding-gradient demonstration) the first inf/NaN stops the run and is reported at its step.
 *
 * <p>Bit-identity holds for step budgets. With a time budget the number of steps depends on the machine's
 * speed; the time spent is stored, so a resumed run only uses what is left of its budget.
 */
public final class LabExperiment implements ResumableLoop {

    /** Progress callbacks, called on the training thread. */
    public interface Listener extends LabTrainer.Listener {
        /** A run starts, or continues from a checkpoint after {@code stepsDone} steps. */
        default void onRunStart(RunSpec spec, long stepsDone) {}

        /** A run finished; {@code model} holds its final (finite) weights. */
        default void onRunEnd(RunResult result, SequenceModel model) {}

        /** A line from the divergence guard: a skipped step. */
        default void note(String line) {}
    }

    private static final String ACTIVE = "active.";

    private final LabConfig config;
    private final List<RunSpec> specs;
    private final boolean guarded;
    private final Listener listener;
    private final List<RunResult> finished = new ArrayList<>();
    private LabRun active;
    /** Steps of the finished runs: the global step of the active run's step 0. */
    private long stepsBefore;
    private boolean announced;

    /**
     * @param guarded  true for normal training (divergence guard), false for the {@code --explode}
     *                 demonstration (stop each run at its first inf/NaN)
     * @param listener progress callbacks; may be null
     */
    public LabExperiment(LabConfig config, List<RunSpec> specs, boolean guarded, Listener listener) {
        if (config == null) throw new IllegalArgumentException("config must be given");
        if (specs == null || specs.isEmpty()) throw new IllegalArgumentException("specs must hold at least one run");
        this.config = config;
        this.specs = List.copyOf(specs);
        this.guarded = guarded;
        this.listener = listener == null ? new Listener() {} : listener;
    }

    /** Runs every remaining run without checkpoints (the whole experiment in one go). */
    public List<RunResult> runAll() {
        try {
            run(null);
        } catch (IOException e) {
            throw new IllegalStateException("unreachable: no checkpoints without a TrainingRun", e);
        }
        return results();
    }

    /**
     * Trains the remaining runs. With a {@link TrainingRun}, checkpoints are written as it schedules them,
     * and a stop request ends this after the current step, with a checkpoint.
     *
     * @return true when every run is finished, false if it stopped on request
     */
    @Override
    public boolean run(TrainingRun run) throws IOException {
        while (finished.size() < specs.size()) {
            if (active == null) active = newRun(specs.get(finished.size()));
            if (!announced) {
                listener.onRunStart(active.spec(), active.steps());
                announced = true;
            }
            while (!active.done()) {
                active.step();
                if (run != null && run.afterStep(globalStep(), this::snapshot)) return false;
            }
            RunResult r = active.finish();
            finished.add(r);
            stepsBefore += r.steps();
            SequenceModel model = active.model();
            active = null;
            announced = false;
            listener.onRunEnd(r, model);
        }
        return true;
    }

    /** The results of the finished runs, in the order of the specs. */
    public List<RunResult> results() {
        return Collections.unmodifiableList(new ArrayList<>(finished));
    }

    /** True when every run is finished. */
    public boolean done() {
        return finished.size() == specs.size();
    }

    /** Steps taken over all runs so far: the checkpoint's step. */
    public long globalStep() {
        return stepsBefore + (active == null ? 0 : active.steps());
    }

    /** The experiment's whole state: the finished runs' results and the run in progress. */
    public Checkpoint snapshot() {
        Checkpoint ck = new Checkpoint(globalStep());
        List<Object> names = new ArrayList<>();
        for (RunSpec s : specs) names.add(s.name());
        ck.putJson("gradlab.specs", names).putLong("gradlab.guarded", guarded ? 1 : 0).putLong("gradlab.finished", finished.size());
        for (int i = 0; i < finished.size(); i++) LabCheckpoints.putResult(ck, "run" + i, finished.get(i));
        if (active != null) active.save(ck, ACTIVE);
        return ck;
    }

    /**
     * Continues from a {@link #snapshot()} of an experiment with the same config and specs.
     *
     * @throws IllegalArgumentException naming what does not fit
     */
    @Override
    public void restore(Checkpoint ck) {
        List<Object> names = new ArrayList<>();
        for (RunSpec s : specs) names.add(s.name());
        Object stored = ck.getJson("gradlab.specs");
        if (!names.equals(stored)) throw new IllegalArgumentException("checkpoint holds the runs " + stored + ", this experiment has " + names);
        if ((ck.getLong("gradlab.guarded") != 0) != guarded) {
            throw new IllegalArgumentException("checkpoint was made " + (guarded ? "with --explode" : "without --explode"));
        }
        int n = ck.getInt("gradlab.finished");
        if (n < 0 || n > specs.size()) throw new IllegalArgumentException("checkpoint says " + n + " runs are finished, this experiment has " + specs.size());
        List<RunResult> done = new ArrayList<>();
        long before = 0;
        for (int i = 0; i < n; i++) {
            RunResult r = LabCheckpoints.getResult(ck, "run" + i, specs.get(i));
            done.add(r);
            before += r.steps();
        }
        LabRun next = null;
        if (n < specs.size()) {
            next = newRun(specs.get(n));
            next.restore(ck, ACTIVE);
        }
        long global = before + (next == null ? 0 : next.steps());
        if (global != ck.step()) {
            throw new IllegalArgumentException("checkpoint of step " + ck.step() + " holds runs that add up to step " + global);
        }
        finished.clear();
        finished.addAll(done);
        stepsBefore = before;
        active = next;
        announced = false;
    }

    private LabRun newRun(RunSpec spec) {
        DivergenceGuard guard = guarded ? new DivergenceGuard(DivergenceGuard.Config.defaults(), line -> listener.note(spec.name() + " " + line)) : null;
        return new LabRun(config, spec, guard, listener);
    }
}
