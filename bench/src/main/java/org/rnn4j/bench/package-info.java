/**
 * Benchmarks: JMH micro-benchmarks of the GEMM, whole training steps and streaming inference steps
 * ({@link org.rnn4j.bench.GemmBenchmark}, {@link org.rnn4j.bench.TrainingStepBenchmark},
 * {@link org.rnn4j.bench.InferenceStepBenchmark}), and {@link org.rnn4j.bench.CompareMain}, the rnn4j
 * half of the end-to-end comparison with PyTorch in tools/bench/compare_torch.py. Results and commands
 * are in docs/benchmarks.md.
 */
package org.rnn4j.bench;
