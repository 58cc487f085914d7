#!/usr/bin/python3
"""The same language-model run in PyTorch 1.13 as `rnn4j lm train`, for comparison.

Same vocabulary, split, architecture (nn.Embedding -> nn.LSTM/GRU/RNN with inter-layer dropout -> nn.Linear),
initial weights, data order (B contiguous streams, stateful truncated BPTT, state reset each epoch),
Adam, global-norm clipping, ReduceLROnPlateau on validation and the same validation scheme (LmEvaluator:
up to 32 streams of >= 1024 tokens). Only the dropout masks differ (different random generators).

Two steps:

  1. init: write the initial weights (and vocabulary) as an rnn4j model file
       /usr/bin/python3 tools/lm/compare_torch.py init --text T --out init.safetensors [model flags]
     then train rnn4j from them:
       ./rnn4j lm train --text T --init-from init.safetensors [the same flags] --out RUN

  2. train: run PyTorch for exactly the steps rnn4j ran, evaluating at the same steps, and compare
       /usr/bin/python3 tools/lm/compare_torch.py train --rnn4j-run RUN --init init.safetensors --out torch.json

Only the Python standard library, numpy and torch are used.
"""
import argparse
import json
import math
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn

UNK = "<unk>"


# ---------------------------------------------------------------- data (mirrors org.rnn4j.apps.lm)

def words(text):
    """Tokenizer.WordSplitter: letters/digits with inner apostrophes; other visible chars alone; \\n kept."""
    out, word, pend = [], [], None

    def flush():
        nonlocal pend
        if word:
            out.append("".join(word))
            word.clear()
        if pend is not None:
            out.append(pend)
            pend = None

    for ch in text:
        if ch.isalnum():
            if pend is not None:
                word.append(pend)
                pend = None
            word.append(ch)
        elif ch in ("'", "\u2019") and word and pend is None:
            pend = ch
        else:
            flush()
            if ch == "\n":
                out.append("\n")
            elif not ch.isspace():
                out.append(ch)
    flush()
    return out


def load_corpus(path, level, max_vocab, val_fraction):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    toks = list(text) if level == "char" else words(text)
    n = len(toks)
    n_val = int(n * val_fraction)
    train_end = n - n_val
    counts = {}
    for t in toks[:train_end]:
        counts[t] = counts.get(t, 0) + 1
    counts.pop(UNK, None)
    kept = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[: max_vocab - 1]
    kept = [k for k, _ in kept]
    unk_trained = len(kept) < len(counts)  # words past the limit are <unk> in training
    if level == "char":
        kept.sort(key=ord)
    vocab = [UNK] + kept
    index = {t: i for i, t in enumerate(vocab)}
    ids = np.array([index.get(t, 0) for t in toks], dtype=np.int64)
    return vocab, ids, train_end, unk_trained


class Streams:
    """TokenStreams: B contiguous streams of L = (N - 1) // B pairs over ids[frm:to]."""

    def __init__(self, ids, frm, to, b):
        self.ids, self.frm, self.b = ids, frm, b
        self.length = (to - frm - 1) // b
        if self.length < 1:
            raise SystemExit(f"{to - frm} tokens are too few for {b} streams")

    def batches(self, t):
        return (self.length + t - 1) // t

    def batch(self, k, t):
        tt = min(t, self.length - k * t)
        x = np.empty((self.b, tt), dtype=np.int64)
        y = np.empty((self.b, tt), dtype=np.int64)
        for s in range(self.b):
            src = self.frm + s * self.length + k * t
            x[s] = self.ids[src: src + tt]
            y[s] = self.ids[src + 1: src + 1 + tt]
        return torch.from_numpy(x), torch.from_numpy(y)


# ---------------------------------------------------------------- model

class LM(nn.Module):
    def __init__(self, cell, vocab, emb, hidden, layers, dropout):
        super().__init__()
        self.cell = cell
        self.embedding = nn.Embedding(vocab, emb)
        kind = {"lstm": nn.LSTM, "gru": nn.GRU}.get(cell)
        if kind is not None:
            self.rnn = kind(emb, hidden, layers, dropout=dropout if layers > 1 else 0, batch_first=True)
        else:
            self.rnn = nn.RNN(emb, hidden, layers, nonlinearity=cell.split("-")[1], dropout=dropout if layers > 1 else 0,
                              batch_first=True)
        self.head = nn.Linear(hidden, vocab)

    def forward(self, x, state):
        out, state = self.rnn(self.embedding(x), state)
        return self.head(out), state

    def zero_state(self, b):
        h = torch.zeros(self.rnn.num_layers, b, self.rnn.hidden_size)
        return (h, h.clone()) if self.cell == "lstm" else h


def detach(state):
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


# ---------------------------------------------------------------- safetensors (format spec: 8-byte LE header size, JSON, data)

def write_safetensors(path, tensors, metadata):
    header, offset, blobs = {}, 0, []
    for name, t in tensors.items():
        a = np.ascontiguousarray(t.detach().numpy().astype("<f4"))
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        blobs.append(a.tobytes())
        offset += a.nbytes
    header["__metadata__"] = metadata
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__", {})
    out = {}
    for name, info in header.items():
        b, e = info["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[b:e], dtype="<f4").reshape(info["shape"]).copy())
    return out, meta


# ---------------------------------------------------------------- evaluation (LmEvaluator)

@torch.no_grad()
def evaluate(model, ids, frm, to, vocab, unk_trained):
    """Unseen tokens (<unk> targets) are left out of the loss unless the model learned <unk>."""
    n = to - frm
    b = max(1, min(32, (n - 1) // 1024))
    chunk = max(1, min(64, (1 << 22) // (b * vocab)))
    s = Streams(ids, frm, to, b)
    model.eval()
    state = model.zero_state(b)
    total, count = 0.0, 0
    for k in range(s.batches(chunk)):
        x, y = s.batch(k, chunk)
        logits, state = model(x, state)
        if not unk_trained:
            y = y.masked_fill(y == 0, -100)
        total += nn.functional.cross_entropy(logits.reshape(-1, vocab), y.reshape(-1), reduction="sum").item()
        count += int((y != -100).sum())
    model.train()
    return total / count


# ---------------------------------------------------------------- commands

def cmd_init(a):
    vocab, ids, train_end, unk_trained = load_corpus(a.text, a.level, a.max_vocab, a.val_fraction)
    emb = a.embedding_size or (min(64, a.hidden_size) if a.level == "char" else a.hidden_size)
    torch.manual_seed(a.seed)
    model = LM(a.cell, len(vocab), emb, a.hidden_size, a.layers, a.dropout)
    meta = {"rnn4j.lm": json.dumps({"vocabulary": {"level": a.level, "tokens": vocab, "unk_trained": unk_trained}},
                                   ensure_ascii=False)}
    if a.cell.startswith("rnn-"):
        meta["rnn4j.nonlinearity"] = a.cell.split("-")[1]
    write_safetensors(a.out, model.state_dict(), meta)
    print(f"wrote {a.out}: vocabulary {len(vocab)}, {train_end} training / {len(ids) - train_end} validation tokens, "
          f"{sum(p.numel() for p in model.parameters())} parameters")


def cmd_train(a):
    with open(a.rnn4j_run + "/metrics.json") as f:
        rm = json.load(f)
    st = rm["settings"]
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    vocab, ids, train_end, unk_trained = load_corpus(st["text"], st["level"], st["max_vocab"], st["val_fraction"])
    v = len(vocab)
    weights, meta = read_safetensors(a.init)
    init_vocab = json.loads(meta["rnn4j.lm"])["vocabulary"]["tokens"]
    if init_vocab != vocab:
        raise SystemExit("the vocabulary of --init differs from the one rebuilt from the text")
    model = LM(st["cell"], v, st["embedding_size"], st["hidden_size"], st["layers"], st["dropout"])
    model.load_state_dict(weights)
    b, t = st["batch_size"], st["seq_len"]
    streams = Streams(ids, 0, train_end, b)
    per_epoch = streams.batches(t)
    max_steps = rm["steps"] if a.steps is None else a.steps  # an rnn4j run in progress has its steps so far
    eval_every = st["eval_every"]
    opt = torch.optim.Adam(model.parameters(), lr=st["lr"])
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=st["lr_decay"], patience=st["patience"],
                                                       threshold=st["plateau_threshold"], threshold_mode="rel")
    history, best, step, t0 = [], math.inf, 0, time.time()
    tokens, loss_sum, loss_tok, train_time = 0, 0.0, 0, 0.0
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads: {max_steps} steps, {per_epoch} per epoch", flush=True)
    while step < max_steps:
        state = model.zero_state(b)
        for k in range(per_epoch):
            s0 = time.time()
            x, y = streams.batch(k, t)
            logits, state = model(x, state)
            state = detach(state)
            loss = nn.functional.cross_entropy(logits.reshape(-1, v), y.reshape(-1))
            opt.zero_grad()
            loss.backward()
            if st["clip_norm"] > 0:
                nn.utils.clip_grad_norm_(model.parameters(), st["clip_norm"])
            opt.step()
            step += 1
            tokens += y.numel()
            loss_sum += loss.item() * y.numel()
            loss_tok += y.numel()
            train_time += time.time() - s0
            last = step == max_steps
            if k == per_epoch - 1 or last or (eval_every > 0 and step % eval_every == 0):
                val = evaluate(model, ids, train_end, len(ids), v, unk_trained)
                lr = opt.param_groups[0]["lr"]
                history.append({"step": step, "elapsed_seconds": time.time() - t0, "train_loss": loss_sum / loss_tok,
                                "val_loss": val, "lr": lr})
                loss_sum, loss_tok = 0.0, 0
                best = min(best, val)
                sched.step(val)
                print(f"step {step}: train {history[-1]['train_loss']:.4f} val {val:.4f} lr {lr:.3g} "
                      f"({tokens / train_time:.0f} tok/s, {time.time() - t0:.0f}s)", flush=True)
                with open(a.out, "w") as f:  # rewritten at each evaluation, so a long run can be compared early
                    json.dump({"val_loss": best, "steps": step, "tokens_per_second": tokens / train_time,
                               "process_cpu_seconds": time.process_time(), "torch": torch.__version__,
                               "threads": torch.get_num_threads(), "settings": st, "history": history}, f, indent=2)
            if last:
                break
    compare(a.rnn4j_run, a.out)


def compare(run, torch_json):
    """Prints rnn4j's and PyTorch's validation loss at the steps both evaluated."""
    with open(run + "/metrics.json") as f:
        rm = json.load(f)
    with open(torch_json) as f:
        tm = json.load(f)
    ours = {h["step"]: h for h in rm["history"]}
    print(f"{'step':>6} {'rnn4j val':>10} {'torch val':>10} {'diff':>8}   {'rnn4j lr':>9} {'torch lr':>9}")
    worst = 0.0
    for h in tm["history"]:
        r = ours.get(h["step"])
        if r is None or r["val_loss"] is None:
            continue
        d = r["val_loss"] - h["val_loss"]
        worst = max(worst, abs(d))
        print(f"{h['step']:>6} {r['val_loss']:>10.4f} {h['val_loss']:>10.4f} {d:>+8.4f}   {r['lr']:>9.3g} {h['lr']:>9.3g}")
    common = [h["step"] for h in tm["history"] if h["step"] in ours]
    if common:
        last = max(common)
        best_r = min(ours[s]["val_loss"] for s in ours if s <= last and ours[s]["val_loss"] is not None)
        best_t = min(h["val_loss"] for h in tm["history"] if h["step"] <= last)
        print(f"best val loss up to step {last}: rnn4j {best_r:.4f}, torch {best_t:.4f}, difference {best_r - best_t:+.4f} nats;"
              f" largest difference at a shared step {worst:.4f}")
    print(f"speed: rnn4j {rm['tokens_per_second']:.0f} tok/s, torch {tm['tokens_per_second']:.0f} tok/s (wall-clock of training steps)")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    i = sub.add_parser("init", help="write initial weights + vocabulary as an rnn4j model file")
    i.add_argument("--text", required=True)
    i.add_argument("--out", required=True)
    i.add_argument("--level", default="char")
    i.add_argument("--cell", default="lstm")
    i.add_argument("--hidden-size", type=int, default=256)
    i.add_argument("--layers", type=int, default=2)
    i.add_argument("--dropout", type=float, default=0.2)
    i.add_argument("--embedding-size", type=int, default=0)
    i.add_argument("--max-vocab", type=int, default=10000)
    i.add_argument("--val-fraction", type=float, default=0.1)
    i.add_argument("--seed", type=int, default=0)
    t = sub.add_parser("train", help="train in PyTorch for the steps of an rnn4j run and compare")
    t.add_argument("--rnn4j-run", required=True, help="the rnn4j output folder (its metrics.json has the settings)")
    t.add_argument("--init", required=True, help="the initial weights both runs start from")
    t.add_argument("--out", required=True)
    t.add_argument("--steps", type=int, default=None, help="default: the rnn4j run's steps")
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--seed", type=int, default=0, help="dropout seed")
    c = sub.add_parser("compare", help="print the validation losses of an rnn4j run and a torch run side by side")
    c.add_argument("--rnn4j-run", required=True)
    c.add_argument("--torch", required=True)
    a = p.parse_args()
    if a.cmd == "compare":
        return compare(a.rnn4j_run, a.torch)
    {"init": cmd_init, "train": cmd_train}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
