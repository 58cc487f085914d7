/**
 * Numeric kernels: the packed SGEMM ({@link org.rnn4j.kernel.Gemm}, SIMD through the Vector API) with
 * its naive reference, the fixed kernel thread pool ({@link org.rnn4j.kernel.Parallel}), vectorised
 * special functions and fused reductions. The only package that knows about SIMD lanes or threads.
 */
package org.rnn4j.kernel;
