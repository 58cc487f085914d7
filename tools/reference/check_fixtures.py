#!/usr/bin/python3
"""Checks the written fixtures against an independent plain-numpy recurrent forward.

Run from the repository root after make_fixtures.py:

    /usr/bin/python3 tools/reference/check_fixtures.py

This does not use PyTorch. It re-derives out/hn/cn of every fixtures/rnn case,
the logits and loss of every fixtures/model case, and predict of every e2e case
from the stored float32 inputs with the equations below, and checks a few
gradient entries of each rnn case by central finite differences. It documents
the semantics the fixtures encode (gate order, bidirectional and
variable-length handling) in a form that is short enough to read.

  LSTM: gates = W_ih x + b_ih + W_hh h + b_hh, split i, f, g, o;
        c' = sig(f) c + sig(i) tanh(g); h' = sig(o) tanh(c')
  GRU:  r = sig(W_ir x + b_ir + W_hr h + b_hr); z likewise;
        n = tanh(W_in x + b_in + r (W_hn h + b_hn)); h' = (1 - z) n + z h
  RNN:  h' = act(W_ih x + b_ih + W_hh h + b_hh)
A sequence of length n runs the forward direction over t = 0..n-1 and the
reverse direction over t = n-1..0; outputs at t >= n are zero and the final
state is the state after the last step run.
"""

import json
import os
import struct
import sys

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RNN_DIR = os.path.join(ROOT, "core", "src", "test", "resources", "fixtures", "rnn")
MODEL_DIR = os.path.join(ROOT, "core", "src", "test", "resources", "fixtures", "model")
E2E_DIR = os.path.join(ROOT, "cli", "src", "test", "resources", "e2e")


def sig(v):
    return 1.0 / (1.0 + np.exp(-v))


def step(cell, p, sfx, x, h, c):
    w_ih, w_hh = p["weight_ih" + sfx], p["weight_hh" + sfx]
    b_ih = p.get("bias_ih" + sfx, 0.0)
    b_hh = p.get("bias_hh" + sfx, 0.0)
    gi = w_ih @ x + b_ih
    gh = w_hh @ h + b_hh
    if cell == "lstm":
        i, f, g, o = np.split(gi + gh, 4)
        c = sig(f) * c + sig(i) * np.tanh(g)
        return sig(o) * np.tanh(c), c
    if cell == "gru":
        ir, iz, inn = np.split(gi, 3)
        hr, hz, hn = np.split(gh, 3)
        r, z = sig(ir + hr), sig(iz + hz)
        n = np.tanh(inn + r * hn)
        return (1 - z) * n + z * h, c
    a = gi + gh
    return (np.tanh(a) if cell == "rnn_tanh" else np.maximum(a, 0.0)), c


def forward(cell, p, L, D, x, lengths, h0, c0):
    """x [B,T,I] -> out [B,T,D*H], hn [L*D,B,H], cn [L*D,B,H]."""
    B, T, _ = x.shape
    H = h0.shape[2]
    hn, cn = np.zeros_like(h0), np.zeros_like(h0)
    layer_in = x
    for l in range(L):
        out = np.zeros((B, T, D * H))
        for d in range(D):
            sfx = "_l%d%s" % (l, "_reverse" if d == 1 else "")
            k = l * D + d
            for b in range(B):
                h, c = h0[k, b].copy(), c0[k, b].copy()
                ts = range(lengths[b]) if d == 0 else range(lengths[b] - 1, -1, -1)
                for t in ts:
                    h, c = step(cell, p, sfx, layer_in[b, t], h, c)
                    out[b, t, d * H:(d + 1) * H] = h
                hn[k, b], cn[k, b] = h, c
        layer_in = out
    return layer_in, hn, cn


def load_params(d, prefix):
    p = {}
    for f in os.listdir(d):
        if f.startswith("param." + prefix) and f.endswith(".npy"):
            p[f[len("param." + prefix):-4]] = np.load(os.path.join(d, f)).astype(np.float64)
    return p


def close(name, got, want, tol=1e-10):
    err = np.max(np.abs(np.asarray(got) - np.asarray(want))) if np.size(want) else 0.0
    if not err <= tol:
        raise AssertionError("%s: max abs difference %g > %g" % (name, err, tol))
    return err


def check_rnn():
    worst_fwd, worst_fd, n = 0.0, 0.0, 0
    for name in sorted(os.listdir(RNN_DIR)):
        d = os.path.join(RNN_DIR, name)
        meta = json.load(open(os.path.join(d, "meta.json")))
        cell, L = meta["cell"], meta["num_layers"]
        D = 2 if meta["bidirectional"] else 1
        ld = lambda f: np.load(os.path.join(d, f)).astype(np.float64)
        p = load_params(d, "rnn.")
        x, h0, lengths = ld("x.npy"), ld("h0.npy"), np.load(os.path.join(d, "lengths.npy"))
        assert lengths.dtype == np.int64
        c0 = ld("c0.npy") if cell == "lstm" else np.zeros_like(h0)
        out, hn, cn = forward(cell, p, L, D, x, lengths, h0, c0)
        worst_fwd = max(worst_fwd, close(name + " out", out, ld("out.npy")),
                        close(name + " hn", hn, ld("hn.npy")))
        if cell == "lstm":
            worst_fwd = max(worst_fwd, close(name + " cn", cn, ld("cn.npy")))

        dout, dhn = ld("dout.npy"), ld("dhn.npy")
        dcn = ld("dcn.npy") if cell == "lstm" else 0.0

        def loss(p_, x_, h0_, c0_):
            o, h, c = forward(cell, p_, L, D, x_, lengths, h0_, c0_)
            return (o * dout).sum() + (h * dhn).sum() + ((c * dcn).sum() if cell == "lstm" else 0.0)

        # Central differences on one entry of x, h0 and each weight of layer 0.
        eps = 1e-6
        probes = [("grad.x.npy", x, (0, 0, 0)), ("grad.h0.npy", h0, (h0.shape[0] - 1, 1, 2))]
        for key in sorted(p):
            if key.endswith("_l0") or key.endswith("_l0_reverse"):
                probes.append(("grad.rnn.%s.npy" % key, p[key], (-1,) * p[key].ndim))
        for fname, arr, idx in probes:
            saved = arr[idx]
            arr[idx] = saved + eps
            up = loss(p, x, h0, c0)
            arr[idx] = saved - eps
            down = loss(p, x, h0, c0)
            arr[idx] = saved
            fd = (up - down) / (2 * eps)
            worst_fd = max(worst_fd, close("%s %s%s" % (name, fname, idx), fd, ld(fname)[idx], 1e-6))
        n += 1
    print("rnn:   %d cases agree with numpy (forward %.1e, finite differences %.1e)"
          % (n, worst_fwd, worst_fd))


def check_model():
    n = 0
    for name in sorted(os.listdir(MODEL_DIR)):
        d = os.path.join(MODEL_DIR, name)
        meta = json.load(open(os.path.join(d, "meta.json")))
        cell, L = meta["cell"], meta["num_layers"]
        D = 2 if meta["bidirectional"] else 1
        ld = lambda f: np.load(os.path.join(d, f)).astype(np.float64)
        p = load_params(d, "rnn.")
        x, h0, lengths = ld("x.npy"), ld("h0.npy"), np.load(os.path.join(d, "lengths.npy"))
        out, _, _ = forward(cell, p, L, D, x, lengths, h0, np.zeros_like(h0))
        logits = out @ ld("param.head.weight.npy").T + ld("param.head.bias.npy")
        close(name + " logits", logits, ld("logits.npy"))
        if meta["loss"] == "mse":
            loss = np.mean((logits - ld("target.npy")) ** 2)
        else:
            target = np.load(os.path.join(d, "target.npy"))
            assert target.dtype == np.int64
            flat, tflat = logits.reshape(-1, logits.shape[-1]), target.reshape(-1)
            keep = tflat != -100
            m = flat.max(axis=1, keepdims=True)
            logsm = flat - m - np.log(np.exp(flat - m).sum(axis=1, keepdims=True))
            loss = -np.mean(logsm[keep, tflat[keep]])
        stored = np.load(os.path.join(d, "loss.npy"))
        assert stored.shape == () and stored.dtype == np.float64, name
        close(name + " loss", loss, stored)
        n += 1
    print("model: %d cases agree with numpy (logits, loss)" % n)


def read_safetensors(path):
    blob = open(path, "rb").read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    meta = header.pop("__metadata__", {})
    data = blob[8 + n:]
    return {k: np.frombuffer(data[v["data_offsets"][0]:v["data_offsets"][1]], "<f4")
            .reshape(v["shape"]).astype(np.float64) for k, v in header.items()}, meta


def check_e2e():
    n = 0
    for name in sorted(os.listdir(E2E_DIR)):
        d = os.path.join(E2E_DIR, name)
        meta = json.load(open(os.path.join(d, "meta.json")))
        tensors, st_meta = read_safetensors(os.path.join(d, "model.safetensors"))
        cell = meta["cell"]
        if cell.startswith("rnn_"):
            # What a loader must infer: relu only when the metadata says so.
            act = st_meta.get("rnn4j.nonlinearity", "tanh")
            assert cell == "rnn_" + act, name
        p = {k[4:]: v for k, v in tensors.items() if k.startswith("rnn.")}
        L, D, H = meta["layers"], 2 if meta["bidirectional"] else 1, meta["hidden_size"]
        x = np.load(os.path.join(d, "x.npy")).astype(np.float64)
        B, T, _ = x.shape
        h0 = np.zeros((L * D, B, H))
        out, _, _ = forward(cell, p, L, D, x, np.full(B, T), h0, h0)
        if meta["head_size"] > 0:
            out = out @ tensors["head.weight"].T + tensors["head.bias"]
        else:
            assert not any(k.startswith("head.") for k in tensors)
        close(name + " predict", out, np.load(os.path.join(d, "predict.npy")))
        y = np.load(os.path.join(d, "y.npy")).astype(np.float64)
        stored = np.load(os.path.join(d, "loss.npy"))
        assert stored.shape == () and stored.dtype == np.float64, name
        close(name + " loss", np.mean((out - y) ** 2), stored)
        for sub in ("sgd1", "adam3"):
            assert sorted(f[:-4] for f in os.listdir(os.path.join(d, sub))) == sorted(tensors), name
        n += 1
    print("e2e:   %d cases agree with numpy (predict, loss, safetensors names)" % n)


if __name__ == "__main__":
    check_rnn()
    check_model()
    check_e2e()
    sys.exit(0)
