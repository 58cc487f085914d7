#!/usr/bin/env python3
"""GFLOP/s of PyTorch's float32 matrix multiply (OpenBLAS sgemm underneath) on GemmBenchmark's shapes.

Prints one line per shape: the median of timed batches after a warm-up, and the OpenBLAS core in use.
Run it twice to compare OpenBLAS's kernels: as the environment is set, and with OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE unset in that command alone:

    LD_LIBRARY_PATH=$(tools/bench/fetch_openblas.sh) OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/bench/gemm_torch.py
    LD_LIBRARY_PATH=$(tools/bench/fetch_openblas.sh) OPENBLAS_NUM_THREADS=1 env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
        /usr/bin/python3 tools/bench/gemm_torch.py

OPENBLAS_NUM_THREADS matters: torch.set_num_threads does not limit OpenBLAS's own pthread pool.

Shapes are M x N x K of C[M, N] = A[M, K] · B[K, N], all row-major (A·B, the forward variant).
"""
import argparse
import ctypes
import statistics
import time

import torch

SHAPES = ["32x1024x256", "64x1024x256", "32x2048x512", "64x2048x512", "32x1024x1024", "64x2048x1024",
          "1024x1024x1024", "1x1024x256"]


def core():
    try:
        fn = ctypes.CDLL("libblas.so.3").openblas_get_corename
        fn.restype = ctypes.c_char_p
        return "OpenBLAS " + fn().decode()
    except (OSError, AttributeError):
        return "not OpenBLAS"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--shapes", default=",".join(SHAPES))
    p.add_argument("--seconds", type=float, default=2.0)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    try:
        blas_threads = ctypes.CDLL("libblas.so.3").openblas_get_num_threads()
    except (OSError, AttributeError):
        blas_threads = "?"
    print("blas: %s, torch threads %d, OpenBLAS threads %s" % (core(), args.threads, blas_threads))
    for shape in args.shapes.split(","):
        m, n, k = (int(x) for x in shape.split("x"))
        a, b, c = torch.randn(m, k), torch.randn(k, n), torch.empty(m, n)
        end = time.perf_counter() + args.seconds
        while time.perf_counter() < end:
            torch.mm(a, b, out=c)
        t0 = time.perf_counter()
        torch.mm(a, b, out=c)
        one = time.perf_counter() - t0
        per = max(1, int(0.005 / max(one, 1e-7)))
        samples = []
        end = time.perf_counter() + args.seconds
        while time.perf_counter() < end:
            t0 = time.perf_counter()
            for _ in range(per):
                torch.mm(a, b, out=c)
            samples.append((time.perf_counter() - t0) / per)
        best, med = min(samples), statistics.median(samples)
        flops = 2.0 * m * n * k
        print("%-16s median %10.1f us  %6.1f GFLOP/s   best %6.1f GFLOP/s" % (shape, med * 1e6, flops / med / 1e9, flops / best / 1e9))


if __name__ == "__main__":
    main()
