/**
 * Numeric kernels: GEMM (SIMD through the Vector API) with its naive reference, and fused
 * reductions. The only package that knows about SIMD lanes.
 */
package org.rnn4j.kernel;
