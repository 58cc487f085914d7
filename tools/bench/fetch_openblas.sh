#!/usr/bin/env bash
# Unpacks Debian's OpenBLAS (libopenblas0-pthread) into bench/target/openblas without installing it,
# so compare_torch.py can point PyTorch at it with --openblas when the system BLAS is the reference one.
# Prints the directory to pass as --openblas.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
dest="$root/bench/target/openblas"
lib="$dest/usr/lib/x86_64-linux-gnu/openblas-pthread"
if [ ! -e "$lib/libblas.so.3" ]; then
  mkdir -p "$dest"
  tmp="$(mktemp -d)"
  (cd "$tmp" && apt-get download libopenblas0-pthread >/dev/null 2>&1)
  dpkg -x "$tmp"/libopenblas0-pthread_*.deb "$dest"
  rm -rf "$tmp"
fi
echo "$lib"
