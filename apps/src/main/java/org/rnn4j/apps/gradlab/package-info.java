/**
 * The gradient lab: long-range benchmark tasks, a measurement of how far back in time the loss
 * gradient reaches, and experiments that train RNN, LSTM and GRU cells side by side under the same
 * budget — the vanishing- and exploding-gradient problem made visible, with its cures.
 *
 * <ul>
 *   <li>{@link org.rnn4j.apps.gradlab.GradlabTask}: the adding problem and the copy-memory task
 *       (Hochreiter &amp; Schmidhuber 1997; Arjovsky, Shah &amp; Bengio 2016), seeded generators with
 *       their known no-memory baselines.</li>
 *   <li>{@link org.rnn4j.apps.gradlab.GradientFlow}: the norm of dL/dh_t for every t, the loss taken at
 *       the last step, and the recurrent weight gradient norms per layer.</li>
 *   <li>{@link org.rnn4j.apps.gradlab.LabTrainer}: trains one model of one {@link
 *       org.rnn4j.apps.gradlab.RunSpec} under a {@link org.rnn4j.apps.gradlab.LabConfig}, detecting
 *       divergence (inf/NaN) at the step it happens.</li>
 *   <li>{@link org.rnn4j.apps.gradlab.LabExperiment}: the runs of one experiment one after another as a
 *       resumable training loop (checkpoints, Ctrl-C, the divergence guard for normal training).</li>
 *   <li>{@link org.rnn4j.apps.gradlab.LabReport}: the report.json document.</li>
 * </ul>
 *
 * Library code: nothing here prints; the {@code rnn4j gradlab} command does.
 */
package org.rnn4j.apps.gradlab;
