#!/bin/bash
# Every measurement of docs/benchmarks.md, in one go (about 40 minutes on the 2-core machine).
# Run it on a quiet machine: other busy processes distort the PyTorch two-thread figures most.
# Usage: tools/bench/run_all.sh [OUT_DIR]     (from anywhere; builds the jars first)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/bench/target/run-all}"
mkdir -p "$out"
cd "$root"
. tools/jdk25.sh
rnn4j_find_jdk25
./mvnw -q -B -DskipTests -pl bench,cli -am package
OB=$(tools/bench/fetch_openblas.sh)
J=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:CompileCommand=quiet
   "-XX:CompileCommand=inline,org.rnn4j.kernel.Activations::*")
{
  uptime
  echo "== peak";                 "${J[@]}" -cp bench/target/benchmarks.jar org.rnn4j.bench.PeakFlops 2
  echo "== gemm rnn4j";           "${J[@]}" -cp bench/target/benchmarks.jar org.rnn4j.bench.GemmMain nn
  echo "== gemm openblas as set"; OPENBLAS_NUM_THREADS=1 LD_LIBRARY_PATH=$OB /usr/bin/python3 tools/bench/gemm_torch.py
  echo "== gemm openblas avx512"; OPENBLAS_NUM_THREADS=1 LD_LIBRARY_PATH=$OB env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
                                    /usr/bin/python3 tools/bench/gemm_torch.py
  echo "== training steps"
  /usr/bin/python3 tools/bench/compare_torch.py --workloads S1,S3,S2 --threads 1,2 --runs 3 --steps 8 --warmup-seconds 4 \
      --openblas "$OB" --json "$out/compare-train.json"
  echo "== streaming inference"
  /usr/bin/python3 tools/bench/compare_torch.py --workloads S4 --threads 1 --runs 3 --steps 10 --warmup-seconds 3 \
      --openblas "$OB" --json "$out/compare-s4.json"
  echo "== fit end to end"
  /usr/bin/python3 tools/bench/fit_e2e.py --cells lstm,gru --threads 1,2 --runs 3 --openblas "$OB" \
      --jar cli/target/rnn4j.jar --data "$out/fit-e2e"
  uptime
} 2>&1 | grep -v '^WARNING: Using incubator modules' | tee "$out/run-all.log"
