#!/usr/bin/env bash
# Coverage-guided fuzzing of one rnn4j reader with Jazzer (libFuzzer for the JVM), for long runs.
#
#   tools/fuzz/run.sh NpyFuzzer|SafetensorsFuzzer|ModelFileFuzzer|CheckpointFuzzer|JsonFuzzer|CsvFuzzer [SECONDS] [extra libFuzzer args]
#
# Jazzer 0.24's instrumentation (ASM) reads class files up to Java 23, so this compiles core's sources and the
# fuzz targets with --release 23 into target/fuzz (the code uses nothing newer) and runs them there. New
# interesting inputs go to target/fuzz/corpus/<target>; crashes to target/fuzz/crash-*. Copy a fixed crash's
# input into core/src/test/resources/org/rnn4j/fuzz/ReaderFuzzTestInputs/<reader>/ so every build replays it.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
. "$root/tools/jdk25.sh"
rnn4j_find_jdk25 || exit 1
target="${1:?usage: tools/fuzz/run.sh TARGET [SECONDS]}"
seconds="${2:-60}"
shift $(( $# >= 2 ? 2 : 1 ))
out="$root/target/fuzz"
mkdir -p "$out/classes" "$out/corpus/$target"
jar="$out/jazzer-0.24.0.jar"
if [ ! -f "$jar" ]; then
  for a in jazzer jazzer-api; do
    (cd "$root" && ./mvnw -q -B dependency:copy -Dartifact=com.code-intelligence:$a:0.24.0 -DoutputDirectory="$out") >&2
  done
fi
sources=$(find "$root/core/src/main/java" -name '*.java'; ls "$root"/core/src/test/java/org/rnn4j/fuzz/{Readers,*Fuzzer}.java)
"$JAVA_HOME/bin/javac" -nowarn --release 23 --add-modules jdk.incubator.vector -d "$out/classes" $sources 2>&1 \
  | grep -v -e '^warning' -e 'incubator' -e '^1 warning' || true
case "$target" in
  NpyFuzzer) seeds=npy ;; SafetensorsFuzzer) seeds=safetensors ;; ModelFileFuzzer) seeds=modelFile ;;
  CheckpointFuzzer) seeds=checkpoint ;; JsonFuzzer) seeds=json ;; CsvFuzzer) seeds=csv ;; *) echo "unknown target $target" >&2; exit 2 ;;
esac
cd "$out"
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -Xmx2g -cp "$jar:$out/jazzer-api-0.24.0.jar:$out/classes" \
  com.code_intelligence.jazzer.Jazzer --target_class="org.rnn4j.fuzz.$target" \
  --instrumentation_includes='org.rnn4j.**' --keep_going=0 \
  -max_total_time="$seconds" -rss_limit_mb=3072 -timeout=10 -max_len=65536 "$@" \
  "$out/corpus/$target" "$root/core/src/test/resources/org/rnn4j/fuzz/ReaderFuzzTestInputs/$seeds"
