#!/usr/bin/env python3
"""Times the same recurrent training step in rnn4j and in PyTorch and prints the ratios.

The step (both sides): a bare nn.LSTM / nn.GRU / nn.RNN(tanh) stack, batch-first, forward over a fixed
N(0, 1) batch [B, T, I], MSE against a fixed N(0, 1) target [B, T, H], backward, Adam with PyTorch's
defaults. S4 is streaming inference instead: one step of one sequence per call, state carried, no
gradients. Shapes are issue 3's:

    S1 (B=32, T=100, I=64,  H=256, L=1)   S2 (64, 50, 512, 512, 1)   S3 (16, 200, 128, 128, 2)
    S4 (B=1, one step, I=64, H=256, L=1)

Every measurement is a fresh process (JVM or Python) that warms up for --warmup-seconds, then times
--steps steps and reports the median step time. Runs alternate (rnn4j, PyTorch as the environment has
it, PyTorch with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset) and repeat --runs times; the table shows
the median over runs and the ratio PyTorch time / rnn4j time (> 1: rnn4j is faster).

PyTorch's BLAS: Debian's torch links libblas.so.3. If that is the reference BLAS (no OpenBLAS installed),
--openblas DIR points the PyTorch runs at a directory holding OpenBLAS's libblas.so.3 through
LD_LIBRARY_PATH, without touching the system; tools/bench/fetch_openblas.sh makes one from Debian's
libopenblas0-pthread package. The core OpenBLAS picked is printed for each mode.

Usage (from the repository root, after ./mvnw -q -B -pl bench -am package -DskipTests):

    /usr/bin/python3 tools/bench/compare_torch.py --threads 1,2 --runs 3 \
        --openblas bench/target/openblas/usr/lib/x86_64-linux-gnu/openblas-pthread
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

WORKLOADS = {  # B, T, I, H, L
    "S1": (32, 100, 64, 256, 1),
    "S2": (64, 50, 512, 512, 1),
    "S3": (16, 200, 128, 128, 2),
    "S4": (1, 1, 64, 256, 1),
}
GATES = {"lstm": 4, "gru": 3, "rnn-tanh": 1}
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def training_flops(cell, workload):
    """GEMM flops of one training step as PyTorch needs them (see org.rnn4j.bench.Workload)."""
    b, t, i, h, layers = WORKLOADS[workload]
    gh, tb = GATES[cell] * h, t * b
    total = 0.0
    for layer in range(layers):
        n_in = i if layer == 0 else h
        total += 2 * tb * gh * (n_in + h) * 3
        if layer == 0:
            total -= 2 * tb * gh * n_in
    return total


def inference_flops(cell, workload):
    b, _, i, h, layers = WORKLOADS[workload]
    gh = GATES[cell] * h
    return sum(2 * b * gh * ((i if layer == 0 else h) + h) for layer in range(layers))


# ----------------------------------------------------------------------------- PyTorch worker

def blas_core():
    """The OpenBLAS core in use (e.g. Haswell, Cooperlake), or a note that the BLAS is not OpenBLAS."""
    import ctypes
    try:
        lib = ctypes.CDLL("libblas.so.3")
        fn = lib.openblas_get_corename
        fn.restype = ctypes.c_char_p
        return "OpenBLAS " + fn().decode()
    except (OSError, AttributeError):
        return "not OpenBLAS (reference BLAS?)"


def torch_worker(args):
    import torch
    torch.set_num_threads(args.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    torch.manual_seed(42)
    b, t, i, h, layers = WORKLOADS[args.workload]
    cls = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}.get(args.cell)
    model = cls(i, h, layers, batch_first=True) if cls else torch.nn.RNN(i, h, layers, nonlinearity="tanh", batch_first=True)
    inference = args.workload == "S4"
    if inference:
        model.eval()
        x = torch.randn(1, 1, i)
        state = [torch.zeros(layers, 1, h)]
        if args.cell == "lstm":
            state.append(torch.zeros(layers, 1, h))

        def step():
            with torch.no_grad():
                s = (state[0], state[1]) if args.cell == "lstm" else state[0]
                _, new = model(x, s)
                if args.cell == "lstm":
                    state[0], state[1] = new
                else:
                    state[0] = new
        block = 200
    else:
        opt = torch.optim.Adam(model.parameters())
        x = torch.randn(b, t, i)
        y = torch.randn(b, t, h)

        def step():
            opt.zero_grad()
            out, _ = model(x)
            loss = torch.nn.functional.mse_loss(out, y)
            loss.backward()
            opt.step()
        block = 1
    end = time.perf_counter() + args.warmup_seconds
    warm = 0
    while warm < 3 or time.perf_counter() < end:
        for _ in range(block):
            step()
        warm += 1
    times = []
    cpu0, t0 = time.process_time(), time.perf_counter()
    for _ in range(args.steps):
        a = time.perf_counter()
        for _ in range(block):
            step()
        times.append((time.perf_counter() - a) * 1e3 / block)
    mean = (time.perf_counter() - t0) * 1e3 / args.steps / block
    cpu = (time.process_time() - cpu0) * 1e3 / args.steps / block
    median = statistics.median(times)
    flops = inference_flops(args.cell, args.workload) if inference else training_flops(args.cell, args.workload)
    print(json.dumps({"impl": "torch", "cell": args.cell, "workload": args.workload, "threads": args.threads,
                      "torch": torch.__version__, "blas": blas_core(), "ms_per_step": median,
                      "mean_ms_per_step": mean, "cpu_ms_per_step": cpu, "gflops": flops / (median * 1e6)}))


# ----------------------------------------------------------------------------- driver

def run_json(cmd, env):
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit("command failed (%d): %s\n%s" % (out.returncode, " ".join(cmd), out.stderr[-2000:]))
    for line in reversed(out.stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise SystemExit("no result line from: %s\n%s" % (" ".join(cmd), out.stdout[-2000:]))


def java_cmd(args, cell, workload, threads):
    # the same JIT flags as ./rnn4j: inline the vector activation helpers so their vectors are not boxed
    return [args.java, "--add-modules", "jdk.incubator.vector", "-Xmx4g", "-XX:CompileCommand=quiet",
            "-XX:CompileCommand=inline,org.rnn4j.kernel.Activations::*", "-cp", args.jar,
            "org.rnn4j.bench.CompareMain", "--cell", cell, "--workload", workload, "--threads", str(threads),
            "--steps", str(args.steps), "--warmup-seconds", str(args.warmup_seconds)]


def torch_cmd(args, cell, workload, threads):
    return [args.python, os.path.abspath(__file__), "--worker", "--cell", cell, "--workload", workload,
            "--threads", str(threads), "--steps", str(args.steps), "--warmup-seconds", str(args.warmup_seconds)]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--cells", default="lstm,gru,rnn-tanh")
    p.add_argument("--workloads", default="S1,S2,S3,S4")
    p.add_argument("--threads", default="1,2")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--steps", type=int, default=15)
    p.add_argument("--warmup-seconds", type=float, default=4)
    p.add_argument("--modes", default="env,avx512", help="PyTorch modes: env (as set), avx512 (OPENBLAS_CORETYPE/L2_SIZE unset)")
    p.add_argument("--openblas", default="", help="directory with OpenBLAS's libblas.so.3 for the PyTorch runs")
    p.add_argument("--jar", default=os.path.join(ROOT, "bench", "target", "benchmarks.jar"))
    p.add_argument("--java", default=os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java"))
    p.add_argument("--python", default="/usr/bin/python3")
    p.add_argument("--json", default="", help="also write every measurement to this file")
    # worker mode (internal)
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--cell", default="lstm", help=argparse.SUPPRESS)
    p.add_argument("--workload", default="S1", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        args.threads = int(args.threads)
        torch_worker(args)
        return
    if not os.path.exists(args.jar):
        raise SystemExit("%s not found: build it with ./mvnw -q -B -pl bench -am package -DskipTests" % args.jar)

    base_env = dict(os.environ)
    if args.openblas:
        base_env["LD_LIBRARY_PATH"] = os.path.abspath(args.openblas) + (":" + base_env["LD_LIBRARY_PATH"] if base_env.get("LD_LIBRARY_PATH") else "")
    envs = {"env": base_env}
    avx = dict(base_env)
    avx.pop("OPENBLAS_CORETYPE", None)
    avx.pop("OPENBLAS_L2_SIZE", None)
    envs["avx512"] = avx
    modes = [m for m in args.modes.split(",") if m]
    java_env = dict(os.environ)

    results = []
    configs = [(w, c, int(t)) for w in args.workloads.split(",") for c in args.cells.split(",") for t in args.threads.split(",")]
    print("machine: %s, %d cores; OPENBLAS_CORETYPE=%s OPENBLAS_L2_SIZE=%s" % (
        cpu_name(), os.cpu_count(), os.environ.get("OPENBLAS_CORETYPE"), os.environ.get("OPENBLAS_L2_SIZE")), flush=True)
    for w, c, t in configs:
        per = {"rnn4j": []}
        for m in modes:
            per["torch-" + m] = []
        for r in range(args.runs):
            # alternate, rotating who goes first so neither side always runs on a warmer machine
            order = [("rnn4j", None)] + [("torch-" + m, m) for m in modes]
            order = order[r % len(order):] + order[:r % len(order)]
            for name, mode in order:
                if mode is None:
                    res = run_json(java_cmd(args, c, w, t), java_env)
                else:
                    env = dict(envs[mode])
                    # torch.set_num_threads does not reach OpenBLAS's own pthread pool (it would use every core)
                    env["OPENBLAS_NUM_THREADS"] = str(t)
                    res = run_json(torch_cmd(args, c, w, t), env)
                res["mode"] = name
                res["run"] = r
                per[name].append(res)
                results.append(res)
        line = "%s %-8s threads=%d  rnn4j %9.3f ms (%6.1f GFLOP/s)" % (
            w, c, t, med(per["rnn4j"]), statistics.median(x["gflops"] for x in per["rnn4j"]))
        for m in modes:
            tm = med(per["torch-" + m])
            line += " | torch[%s, %s] %9.3f ms  ratio %.2f" % (m, per["torch-" + m][0]["blas"], tm, tm / med(per["rnn4j"]))
        print(line, flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


def med(rs):
    return statistics.median(x["ms_per_step"] for x in rs)


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


if __name__ == "__main__":
    main()
