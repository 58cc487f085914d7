/**
 * Training machinery that matches PyTorch: losses ({@link org.rnn4j.train.MseLoss}, {@link
 * org.rnn4j.train.CrossEntropyLoss}), optimizers ({@link org.rnn4j.train.Sgd}, {@link org.rnn4j.train.Adam},
 * {@link org.rnn4j.train.AdamW}, {@link org.rnn4j.train.RmsProp}, {@link org.rnn4j.train.Adagrad}), gradient
 * clipping ({@link org.rnn4j.train.GradClip}) and learning-rate schedules ({@link org.rnn4j.train.LrSchedule},
 * {@link org.rnn4j.train.ReduceOnPlateau}).
 *
 * <p>Optimizers and clipping work on the flat buffers of {@link org.rnn4j.nn.Parameters}: each is one loop over
 * {@code values()} and {@code grads()}, and optimizer moments are arrays of the same layout. The element-wise
 * arithmetic is float32 in the order of PyTorch 1.13's single-tensor ({@code foreach=False}) implementations,
 * including where PyTorch's CPU kernels fuse a multiply-add ({@code add(x, alpha=a)} and {@code addcmul} are one
 * rounding, {@link Math#fma}); scalar coefficients (bias corrections, step sizes) are computed in double and
 * rounded to float once, as PyTorch does. The tests replay fixtures written by {@code
 * tools/reference/make_train_fixtures.py}.
 *
 * <p>Reliability ({@code docs/reliability.md}): {@link org.rnn4j.train.Checkpoint} and {@link
 * org.rnn4j.train.Checkpointer} save and verify a loop's whole state; {@link org.rnn4j.train.TrainingRun} schedules
 * checkpoints, resumes and turns Ctrl-C into a checkpoint and a clean stop ({@link org.rnn4j.train.StopSignal});
 * {@link org.rnn4j.train.DivergenceGuard} keeps non-finite steps out of the model. {@link org.rnn4j.train.FitLoop}
 * is the worked example of a resumable loop.
 */
package org.rnn4j.train;
