#!/usr/bin/env python3
"""`rnn4j fit` end to end against the same training in PyTorch 1.13, JVM and Python start-up included.

The task (issue 3): 2048 sequences of S1's shape (T = 100 steps of I = 64 features, N(0, 1)), a one-layer
LSTM/GRU/RNN with H = 256 and a Linear head to one output per step, MSE against an N(0, 1) target
[2048, 100, 1], Adam (lr 1e-3, PyTorch's defaults), batch 32 (64 steps an epoch), shuffled each epoch,
--epochs epochs. Each measurement is one whole process, timed by the wall clock from launch to exit:
rnn4j = `rnn4j fit` reading the .npy files and a model made by `rnn4j init`, writing the trained model;
PyTorch = a fresh python3 that imports torch, reads the same .npy files, trains, and saves its
state_dict. Runs alternate (rotating who goes first) and the table shows medians and the ratio
PyTorch time / rnn4j time (> 1: rnn4j is faster).

Usage, from the repository root (after ./mvnw -q -B -DskipTests -pl cli -am package):

    OB=$(tools/bench/fetch_openblas.sh)
    /usr/bin/python3 tools/bench/fit_e2e.py --threads 1,2 --runs 3 --openblas $OB

PyTorch runs as the environment has it (OPENBLAS_CORETYPE=Haswell here) and with OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE unset (AVX-512 kernels); OPENBLAS_NUM_THREADS is set to the thread count.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
N, T, I, H = 2048, 100, 64, 256


def torch_worker(args):
    """The PyTorch side: one process, timed from outside."""
    import numpy as np
    import torch
    import torch.nn as nn
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    x = torch.from_numpy(np.load(os.path.join(args.data, "x.npy")))
    y = torch.from_numpy(np.load(os.path.join(args.data, "y.npy")))
    kind = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn-tanh": nn.RNN}[args.cell]
    rnn = kind(I, H, batch_first=True)
    head = nn.Linear(H, 1)
    params = list(rnn.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    loss_fn = nn.MSELoss()
    for _ in range(args.epochs):
        order = torch.randperm(N)
        for start in range(0, N, args.batch_size):
            idx = order[start:start + args.batch_size]
            opt.zero_grad()
            out, _ = rnn(x[idx])
            loss = loss_fn(head(out), y[idx])
            loss.backward()
            opt.step()
    torch.save({"rnn": rnn.state_dict(), "head": head.state_dict()}, os.path.join(args.data, "torch-trained.pt"))


def make_data(folder, seed):
    import numpy as np
    rng = np.random.default_rng(seed)
    np.save(os.path.join(folder, "x.npy"), rng.standard_normal((N, T, I), dtype=np.float32))
    np.save(os.path.join(folder, "y.npy"), rng.standard_normal((N, T, 1), dtype=np.float32))


def rnn4j_cmd(args, *words):
    if args.jar:  # the launcher's JVM flags, without its staleness check (the tree may be edited meanwhile)
        return [args.java, "--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-XX:CompileCommand=quiet",
                "-XX:CompileCommand=inline,org.rnn4j.kernel.Activations::*", "-jar", args.jar] + list(words)
    return [os.path.join(ROOT, "rnn4j")] + list(words)


def timed(cmd, env):
    t0 = time.perf_counter()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if out.returncode != 0:
        raise SystemExit("command failed (%d): %s\n%s" % (out.returncode, " ".join(cmd), out.stderr[-2000:]))
    return dt


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--cells", default="lstm")
    p.add_argument("--threads", default="1,2")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--modes", default="env,avx512")
    p.add_argument("--openblas", default="", help="directory with OpenBLAS's libblas.so.3 for the PyTorch runs")
    p.add_argument("--jar", default="", help="run this rnn4j.jar directly instead of ./rnn4j")
    p.add_argument("--java", default=os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java"))
    p.add_argument("--python", default="/usr/bin/python3")
    p.add_argument("--data", default="", help="folder for the data and outputs (default: a temporary folder)")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--cell", default="lstm", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        args.threads = int(args.threads)
        torch_worker(args)
        return

    folder = args.data or tempfile.mkdtemp(prefix="rnn4j-fit-e2e-")
    os.makedirs(folder, exist_ok=True)
    make_data(folder, args.seed)
    base_env = dict(os.environ)
    if args.openblas:
        base_env["LD_LIBRARY_PATH"] = os.path.abspath(args.openblas) + (":" + base_env["LD_LIBRARY_PATH"] if base_env.get("LD_LIBRARY_PATH") else "")
    avx = dict(base_env)
    avx.pop("OPENBLAS_CORETYPE", None)
    avx.pop("OPENBLAS_L2_SIZE", None)
    envs = {"env": base_env, "avx512": avx}
    modes = [m for m in args.modes.split(",") if m]
    print("fit end to end: %d sequences [%d, %d] -> H=%d -> 1, batch %d, %d epochs (%d steps), Adam 1e-3; data in %s" % (
        N, T, I, H, args.batch_size, args.epochs, args.epochs * (N // args.batch_size), folder), flush=True)

    for cell in args.cells.split(","):
        model = os.path.join(folder, "init-%s.safetensors" % cell)
        if os.path.exists(model):
            os.remove(model)
        timed(rnn4j_cmd(args, "init", "--cell", cell, "--input-size", str(I), "--hidden-size", str(H),
                        "--output-size", "1", "--seed", str(args.seed), "--out", model), dict(os.environ))
        for t in [int(v) for v in args.threads.split(",")]:
            times = {"rnn4j": []}
            for m in modes:
                times["torch-" + m] = []
            for r in range(args.runs):
                order = [("rnn4j", None)] + [("torch-" + m, m) for m in modes]
                order = order[r % len(order):] + order[:r % len(order)]
                for name, mode in order:
                    if mode is None:
                        trained = os.path.join(folder, "trained-%s.safetensors" % cell)
                        if os.path.exists(trained):
                            os.remove(trained)
                        cmd = rnn4j_cmd(args, "--threads", str(t), "fit", "--model", model,
                                        "--input", os.path.join(folder, "x.npy"), "--target", os.path.join(folder, "y.npy"),
                                        "--out", trained, "--epochs", str(args.epochs), "--batch-size", str(args.batch_size),
                                        "--lr", "0.001", "--seed", str(args.seed), "--quiet")
                        times[name].append(timed(cmd, dict(os.environ)))
                    else:
                        env = dict(envs[mode])
                        env["OPENBLAS_NUM_THREADS"] = str(t)
                        cmd = [args.python, os.path.abspath(__file__), "--worker", "--cell", cell, "--threads", str(t),
                               "--epochs", str(args.epochs), "--batch-size", str(args.batch_size), "--seed", str(args.seed),
                               "--data", folder]
                        times[name].append(timed(cmd, env))
            j = statistics.median(times["rnn4j"])
            line = "%-8s threads=%d  rnn4j fit %7.2f s" % (cell, t, j)
            for m in modes:
                tm = statistics.median(times["torch-" + m])
                line += " | torch[%s] %7.2f s  ratio %.2f" % (m, tm, tm / j)
            print(line, flush=True)


if __name__ == "__main__":
    main()
