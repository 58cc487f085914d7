#!/usr/bin/python3
"""Writes the PyTorch reference fixtures of rnn4j's attentional encoder-decoder (seq2seq).

Run from the repository root:

    /usr/bin/python3 tools/reference/make_seq2seq_fixtures.py

Needs PyTorch (Debian's python3-torch 1.13) and numpy. Output:
apps/src/test/resources/fixtures/seq2seq/<case>/ with

  meta.json              configuration, sizes, and the greedy decode of each source
  greedy_logp.npy        float64 [6, B, V] log-probabilities of each greedy step (the tokens fed are the
                         previous step's argmax, BOS first)
  weights/<name>.npy     float32 parameters under rnn4j's (= this module's state_dict) names
  src.npy, src_len.npy   int64 [B, S], [B]
  tgt_in.npy, tgt_out.npy int64 [B, T] (BOS + target, target + EOS; -100 = padding)
  loss.npy               float64 scalar: mean cross-entropy over non-padding target tokens
  logits.npy             float64 [B, T, V]; only positions with tgt_out != -100 are meaningful
  grads/<name>.npy       float64 dLoss/dparameter

The model is written here independently of the Java code, from the equations
in Seq2SeqModel's Javadoc (Luong et al. 2015 with input feeding; Bahdanau
additive scores optional). The encoder uses packed sequences, so padding
never reaches its states; the decoder is nn.LSTM/nn.GRU called one step at a
time (input feeding). Unlike the Java side, decoder states are *not* frozen at
padded target steps here: padded positions are excluded from the comparison,
so matching gradients also show that nothing leaks from padding.

Precision: float32 weights and float64 arithmetic (module.double()), as in
make_fixtures.py. Deterministic: seeds are the CRC-32 of the case name.
"""

import json
import os
import shutil
import zlib

import numpy as np
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "apps", "src", "test", "resources", "fixtures", "seq2seq")
torch.set_num_threads(1)

PAD, UNK, BOS, EOS = 0, 1, 2, 3


def save_npy(path, array, dtype):
    arr = np.asarray(array).astype(np.dtype(dtype).newbyteorder("<"), order="C")
    with open(path, "wb") as f:
        np.save(f, arr, allow_pickle=False)


class Additive(nn.Module):
    """score = v . tanh(W_q q + W_k m + b_k)"""

    def __init__(self, h, a):
        super().__init__()
        self.query = nn.Linear(h, a, bias=False)
        self.key = nn.Linear(h, a)
        self.v = nn.Linear(a, 1, bias=False)


class Side(nn.Module):
    def __init__(self, rnn_cls, vocab, emb, rnn_in, hidden, layers, bidirectional):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb)
        self.rnn = rnn_cls(rnn_in, hidden, layers, batch_first=True, bidirectional=bidirectional)


class Seq2Seq(nn.Module):
    def __init__(self, cell, vs, vt, e, h, layers, score):
        super().__init__()
        rnn_cls = nn.LSTM if cell == "lstm" else nn.GRU
        self.cell, self.h, self.layers, self.score = cell, h, layers, score
        self.encoder = Side(rnn_cls, vs, e, e, h // 2, layers, True)
        self.bridge = nn.Linear(h, layers * h)
        self.decoder = Side(rnn_cls, vt, e, e + h, h, layers, False)
        if score == "general":
            self.attention = nn.Linear(h, h, bias=False)
        elif score == "additive":
            self.attention = Additive(h, h)
        self.combine = nn.Linear(2 * h, h, bias=False)
        self.generator = nn.Linear(h, vt)

    def encode(self, src, src_len):
        B, S = src.shape
        emb = self.encoder.embedding(src)
        packed = pack_padded_sequence(emb, src_len, batch_first=True, enforce_sorted=False)
        out, state = self.encoder.rnn(packed)
        mem, _ = pad_packed_sequence(out, batch_first=True, total_length=S)
        hn = state[0] if self.cell == "lstm" else state
        bridge_in = torch.cat([hn[-2], hn[-1]], dim=1)                     # [B, H]
        h0 = torch.tanh(self.bridge(bridge_in)).view(B, self.layers, self.h).transpose(0, 1).contiguous()
        state0 = (h0, torch.zeros_like(h0)) if self.cell == "lstm" else h0
        mask = torch.arange(S).unsqueeze(0) >= src_len.unsqueeze(1)         # [B, S] True = padding
        return mem, state0, mask

    def attend(self, h, mem, mask):
        """h [B, H], mem [B, S, H] -> context [B, H], weights [B, S]"""
        if self.score == "dot":
            scores = torch.bmm(mem, h.unsqueeze(2)).squeeze(2)
        elif self.score == "general":
            scores = torch.bmm(self.attention(mem), h.unsqueeze(2)).squeeze(2)
        else:
            a = self.attention
            scores = a.v(torch.tanh(a.query(h).unsqueeze(1) + a.key(mem))).squeeze(2)
        scores = scores.masked_fill(mask, float("-inf"))
        alpha = torch.softmax(scores, dim=1)
        return torch.bmm(alpha.unsqueeze(1), mem).squeeze(1), alpha

    def step(self, token, feed, state, mem, mask):
        x = torch.cat([self.decoder.embedding(token), feed], dim=1).unsqueeze(1)
        out, state = self.decoder.rnn(x, state)
        h = out.squeeze(1)
        ctx, alpha = self.attend(h, mem, mask)
        ht = torch.tanh(self.combine(torch.cat([ctx, h], dim=1)))
        return self.generator(ht), ht, state, alpha

    def forward(self, src, src_len, tgt_in):
        B, T = tgt_in.shape
        mem, state, mask = self.encode(src, src_len)
        feed = torch.zeros(B, self.h, dtype=mem.dtype)
        logits = []
        for t in range(T):
            lg, feed, state, _ = self.step(tgt_in[:, t], feed, state, mem, mask)
            logits.append(lg)
        return torch.stack(logits, dim=1)                                    # [B, T, V]

    def greedy(self, src, src_len, max_len):
        B = src.shape[0]
        mem, state, mask = self.encode(src, src_len)
        feed = torch.zeros(B, self.h, dtype=mem.dtype)
        tok = torch.full((B,), BOS, dtype=torch.int64)
        outs = [[] for _ in range(B)]
        done = [False] * B
        logps = []
        for _ in range(max_len):
            lg, feed, state, _ = self.step(tok, feed, state, mem, mask)
            logps.append(torch.log_softmax(lg, dim=1))
            tok = lg.argmax(dim=1)
            for b in range(B):
                if not done[b]:
                    if tok[b].item() == EOS:
                        done[b] = True
                    else:
                        outs[b].append(tok[b].item())
        # every row runs all max_len steps (a finished row keeps feeding its argmax), as the
        # Java decoder does; greedy_logp [steps, B, V] is what each step saw
        return outs, torch.stack(logps, dim=0)


CASES = [
    # name, cell, layers, score
    ("lstm_general_l1", "lstm", 1, "general"),
    ("lstm_dot_l2", "lstm", 2, "dot"),
    ("lstm_additive_l1", "lstm", 1, "additive"),
    ("gru_general_l2", "gru", 2, "general"),
    ("gru_additive_l2", "gru", 2, "additive"),
]

# B = 3 sources of lengths 5, 2, 4 (none sorted) and targets of 2, 4, 1 tokens.
SRC = [[4, 5, 6, 7, 8], [9, 10, 0, 0, 0], [5, 4, 8, 6, 0]]
SRC_LEN = [5, 2, 4]
TGT = [[4, 5], [6, 7, 4, 8], [7]]


def make_case(name, cell, layers, score):
    vs, vt, e, h = 11, 9, 3, 4
    gen = torch.Generator().manual_seed(zlib.crc32(("seq2seq/" + name).encode()) & 0x7FFFFFFF)
    model = Seq2Seq(cell, vs, vt, e, h, layers, score)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_((torch.rand(p.shape, generator=gen, dtype=torch.float32) * 2 - 1) * 0.6)
        # a sharper output layer, so that greedy decoding depends on the source and the step
        model.generator.weight.mul_(4.0)
    d = os.path.join(OUT, name)
    os.makedirs(os.path.join(d, "weights"))
    os.makedirs(os.path.join(d, "grads"))
    for k, v in model.state_dict().items():
        save_npy(os.path.join(d, "weights", k + ".npy"), v.numpy(), "<f4")

    B, T = len(TGT), max(len(t) for t in TGT) + 1
    tgt_in = torch.full((B, T), PAD, dtype=torch.int64)
    tgt_out = torch.full((B, T), -100, dtype=torch.int64)
    for b, t in enumerate(TGT):
        tgt_in[b, 0] = BOS
        tgt_in[b, 1:len(t) + 1] = torch.tensor(t)
        tgt_out[b, :len(t)] = torch.tensor(t)
        tgt_out[b, len(t)] = EOS
    src = torch.tensor(SRC, dtype=torch.int64)
    src_len = torch.tensor(SRC_LEN, dtype=torch.int64)

    model = model.double()
    logits = model(src, src_len, tgt_in)
    loss = nn.CrossEntropyLoss(ignore_index=-100)(logits.reshape(-1, vt), tgt_out.reshape(-1))
    loss.backward()
    names = []
    for k, p in model.named_parameters():
        save_npy(os.path.join(d, "grads", k + ".npy"), p.grad.numpy(), "<f8")
        names.append(k)
    with torch.no_grad():
        greedy, greedy_logp = model.greedy(src, src_len, 6)
    save_npy(os.path.join(d, "greedy_logp.npy"), greedy_logp.numpy(), "<f8")
    save_npy(os.path.join(d, "src.npy"), src.numpy(), "<i8")
    save_npy(os.path.join(d, "src_len.npy"), src_len.numpy(), "<i8")
    save_npy(os.path.join(d, "tgt_in.npy"), tgt_in.numpy(), "<i8")
    save_npy(os.path.join(d, "tgt_out.npy"), tgt_out.numpy(), "<i8")
    save_npy(os.path.join(d, "loss.npy"), loss.detach().numpy(), "<f8")
    save_npy(os.path.join(d, "logits.npy"), logits.detach().numpy(), "<f8")
    meta = dict(cell=cell, layers=layers, attention=score, source_vocab=vs, target_vocab=vt, embedding_size=e,
                hidden_size=h, parameters=names, greedy=greedy, greedy_max_length=6)
    with open(os.path.join(d, "meta.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    print("%-18s loss %.6f  greedy %s" % (name, loss.item(), greedy))


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    for c in CASES:
        make_case(*c)


if __name__ == "__main__":
    main()
