#!/usr/bin/python3
"""Share of generated names that are new: samples names from an rnn4j language model trained on a list
of names (one per line) and counts how many are not in the list.

  /usr/bin/python3 tools/lm/novel_names.py --model RUN/model.safetensors --names names.txt [--count 1000]

A generated "name" is one line of the sampled text (generation starts after a line break); the last,
possibly cut, line is dropped, and so are empty lines.
"""
import argparse
import os
import subprocess
import sys


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True)
    p.add_argument("--names", required=True, help="the training list, one name per line")
    p.add_argument("--count", type=int, default=1000, help="names to generate")
    p.add_argument("--temperature", default="1.0")
    p.add_argument("--seed", default="1")
    p.add_argument("--rnn4j", default=os.path.join(os.path.dirname(__file__), "..", "..", "rnn4j"))
    a = p.parse_args()
    with open(a.names, encoding="utf-8") as f:
        known = {line.strip() for line in f if line.strip()}
    names = []
    length = a.count * 9
    while len(names) < a.count:
        out = subprocess.run([a.rnn4j, "lm", "sample", "--model", a.model, "--length", str(length), "--seed", a.seed,
                              "--temperature", a.temperature], check=True, capture_output=True, text=True).stdout
        names = [n.strip() for n in out.split("\n")[:-1] if n.strip()]
        length *= 2
    names = names[: a.count]
    novel = [n for n in names if n not in known]
    print(f"generated {len(names)} names: {len(novel)} novel ({100 * len(novel) / len(names):.1f}%), "
          f"{len(set(names))} distinct, mean length {sum(map(len, names)) / len(names):.1f} "
          f"(training list: {len(known)} names, mean length {sum(map(len, known)) / len(known):.1f})")
    print("novel examples: " + ", ".join(novel[:24]))
    print("known examples: " + ", ".join([n for n in names if n in known][:12]))


if __name__ == "__main__":
    sys.exit(main())
