#!/usr/bin/python3
"""Writes the PyTorch golden fixtures that rnn4j's tests compare against.

Run from the repository root:

    /usr/bin/python3 tools/reference/make_fixtures.py

Needs PyTorch (Debian's python3-torch 1.13 is enough) and numpy, nothing else.
Every random draw comes from a torch.Generator (or the global torch RNG, for
PyTorch's default initialisation) seeded from the case name, so a re-run
writes byte-identical files. See tools/reference/README.md for what each file
means.

Precision policy: weights, inputs and upstream gradients are drawn in float32
and stored as float32, so the Java side reads exactly the numbers PyTorch
used. All reference arithmetic is then done in float64 from those float32
values, and outputs, losses and gradients are stored as float64.
"""

import json
import os
import shutil
import struct
import sys
import zlib

import numpy as np
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RNN_DIR = os.path.join(ROOT, "core", "src", "test", "resources", "fixtures", "rnn")
MODEL_DIR = os.path.join(ROOT, "core", "src", "test", "resources", "fixtures", "model")
E2E_DIR = os.path.join(ROOT, "cli", "src", "test", "resources", "e2e")

CELLS = ("lstm", "gru", "rnn_tanh", "rnn_relu")

# Single-threaded so that float64 reductions happen in one fixed order.
torch.set_num_threads(1)


# ---------------------------------------------------------------- helpers

def case_seed(group, name):
    """A stable 31-bit seed per (group, case); Python's hash() is salted per run."""
    return zlib.crc32(("%s/%s" % (group, name)).encode("utf-8")) & 0x7FFFFFFF


def save_npy(path, array, dtype):
    """np.save with an explicit little-endian dtype and C order."""
    # Not np.ascontiguousarray: it would turn a 0-d scalar into shape (1,).
    arr = np.asarray(array).astype(np.dtype(dtype).newbyteorder("<"), order="C")
    assert arr.flags["C_CONTIGUOUS"]
    with open(path, "wb") as f:
        np.save(f, arr, allow_pickle=False)


def t2np(t):
    return t.detach().cpu().numpy()


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def make_rnn(cell, input_size, hidden_size, num_layers, bidirectional, bias):
    common = dict(input_size=input_size, hidden_size=hidden_size, num_layers=num_layers,
                  bias=bias, batch_first=True, bidirectional=bidirectional)
    if cell == "lstm":
        return nn.LSTM(**common)
    if cell == "gru":
        return nn.GRU(**common)
    if cell == "rnn_tanh":
        return nn.RNN(nonlinearity="tanh", **common)
    if cell == "rnn_relu":
        return nn.RNN(nonlinearity="relu", **common)
    raise ValueError("unknown cell %r" % cell)


def uniform_(gen, tensor, bound):
    """Fills a float32 tensor with U(-bound, bound) from gen."""
    with torch.no_grad():
        tensor.copy_((torch.rand(tensor.shape, generator=gen, dtype=torch.float32) * 2 - 1) * bound)


def normal(gen, shape, std=1.0):
    return torch.randn(shape, generator=gen, dtype=torch.float32) * std


def run_rnn(rnn, cell, x, lengths, h0, c0, variable):
    """Forward through rnn; packed when variable. Returns (out, hn, cn or None)."""
    T = x.shape[1]
    state = (h0, c0) if cell == "lstm" else h0
    if variable:
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out_packed, st = rnn(packed, state)
        out, _ = pad_packed_sequence(out_packed, batch_first=True, total_length=T)
    else:
        out, st = rnn(x, state)
    if cell == "lstm":
        return out, st[0], st[1]
    return out, st, None


def padded_mask(lengths, B, T):
    """[B, T] bool, True at padded (t >= length) steps."""
    return torch.arange(T).unsqueeze(0).expand(B, T) >= lengths.unsqueeze(1)


# Variable-length patterns for B=3, T=5: each has one full-length sequence
# and one of length 1 or 2, and none is sorted.
LENGTH_PATTERNS = ([5, 2, 4], [3, 5, 1], [1, 4, 5], [2, 5, 3])


# ---------------------------------------------------------------- group A: recurrent layer

def make_rnn_case(cell, bias, L, bi, var, pattern_index):
    B, T, I, H = 3, 5, 3, 4
    D = 2 if bi else 1
    name = "%s_bias%d_l%d_bi%d_var%d" % (cell, int(bias), L, int(bi), int(var))
    gen = torch.Generator().manual_seed(case_seed("rnn", name))

    rnn = make_rnn(cell, I, H, L, bi, bias)
    bound = 0.5 if cell == "rnn_relu" else 0.6
    for p in rnn.parameters():
        uniform_(gen, p, bound)
    x = normal(gen, (B, T, I))
    h0 = normal(gen, (L * D, B, H), 0.5)
    c0 = normal(gen, (L * D, B, H), 0.5) if cell == "lstm" else None
    lengths = torch.tensor(LENGTH_PATTERNS[pattern_index % len(LENGTH_PATTERNS)] if var else [T] * B,
                           dtype=torch.int64)
    dout = normal(gen, (B, T, D * H))
    dhn = normal(gen, (L * D, B, H))
    dcn = normal(gen, (L * D, B, H)) if cell == "lstm" else None

    # float32 forward, only to check that float32 and float64 agree.
    with torch.no_grad():
        out32, hn32, cn32 = run_rnn(rnn, cell, x, lengths, h0, c0, var)

    rnn64 = rnn.double()
    x64 = x.double().requires_grad_(True)
    h064 = h0.double().requires_grad_(True)
    c064 = c0.double().requires_grad_(True) if c0 is not None else None
    out, hn, cn = run_rnn(rnn64, cell, x64, lengths, h064, c064, var)
    loss = (out * dout.double()).sum() + (hn * dhn.double()).sum()
    if cell == "lstm":
        loss = loss + (cn * dcn.double()).sum()
    rnn64.zero_grad()
    loss.backward()

    # Sanity checks.
    assert out.shape == (B, T, D * H) and hn.shape == (L * D, B, H)
    mask = padded_mask(lengths, B, T)
    assert torch.all(out.detach()[mask] == 0), name + ": packed output not zero at padded steps"
    assert torch.all(x64.grad[mask] == 0), name + ": grad.x not zero at padded steps"
    worst = max((out32.double() - out.detach()).abs().max().item(),
                (hn32.double() - hn.detach()).abs().max().item())
    if cell == "lstm":
        worst = max(worst, (cn32.double() - cn.detach()).abs().max().item())
    assert worst < 1e-5, "%s: float32/float64 forward differ by %g" % (name, worst)

    d = os.path.join(RNN_DIR, name)
    os.makedirs(d)
    write_json(os.path.join(d, "meta.json"), {
        "cell": cell, "input_size": I, "hidden_size": H, "num_layers": L,
        "bidirectional": bi, "bias": bias, "batch": B, "time": T})
    for key, p in rnn64.named_parameters():
        # rnn64 holds the float32 values widened exactly, so narrowing is lossless.
        save_npy(os.path.join(d, "param.rnn.%s.npy" % key), t2np(p).astype(np.float32), "f4")
        save_npy(os.path.join(d, "grad.rnn.%s.npy" % key), t2np(p.grad), "f8")
    assert sorted(k for k, _ in rnn64.named_parameters()) == sorted(rnn64.state_dict().keys())
    save_npy(os.path.join(d, "x.npy"), t2np(x), "f4")
    save_npy(os.path.join(d, "lengths.npy"), t2np(lengths), "i8")
    save_npy(os.path.join(d, "h0.npy"), t2np(h0), "f4")
    save_npy(os.path.join(d, "out.npy"), t2np(out), "f8")
    save_npy(os.path.join(d, "hn.npy"), t2np(hn), "f8")
    save_npy(os.path.join(d, "dout.npy"), t2np(dout), "f4")
    save_npy(os.path.join(d, "dhn.npy"), t2np(dhn), "f4")
    save_npy(os.path.join(d, "grad.x.npy"), t2np(x64.grad), "f8")
    save_npy(os.path.join(d, "grad.h0.npy"), t2np(h064.grad), "f8")
    if cell == "lstm":
        save_npy(os.path.join(d, "c0.npy"), t2np(c0), "f4")
        save_npy(os.path.join(d, "cn.npy"), t2np(cn), "f8")
        save_npy(os.path.join(d, "dcn.npy"), t2np(dcn), "f4")
        save_npy(os.path.join(d, "grad.c0.npy"), t2np(c064.grad), "f8")
    return worst


def make_rnn_group():
    count, worst = 0, 0.0
    for cell in CELLS:
        for bias in (True, False):
            for L in (1, 2, 3):
                for bi in (False, True):
                    for var in (False, True):
                        worst = max(worst, make_rnn_case(cell, bias, L, bi, var, count))
                        count += 1
    print("rnn:   %d cases in %s (worst float32 vs float64 forward: %.2e)"
          % (count, os.path.relpath(RNN_DIR, ROOT), worst))


# ---------------------------------------------------------------- group B: RNN + linear head + loss

MODEL_CASES = (
    # name, cell, layers, bidirectional, head size, loss, variable length
    ("lstm_l2_bi1_mse", "lstm", 2, True, 2, "mse", False),
    ("gru_l1_bi0_ce", "gru", 1, False, 5, "cross_entropy", False),
    ("rnn_tanh_l2_bi0_mse_var1", "rnn_tanh", 2, False, 2, "mse", True),
    ("lstm_l1_bi1_ce_var1", "lstm", 1, True, 3, "cross_entropy", True),
)


def make_model_case(index, name, cell, L, bi, O, loss_kind, var):
    B, T, I, H = 3, 5, 3, 4
    D = 2 if bi else 1
    gen = torch.Generator().manual_seed(case_seed("model", name))

    rnn = make_rnn(cell, I, H, L, bi, True)
    head = nn.Linear(D * H, O)
    for p in rnn.parameters():
        uniform_(gen, p, 0.6)
    for p in head.parameters():
        uniform_(gen, p, 0.6)
    x = normal(gen, (B, T, I))
    # The model's initial state is zero (the default of a model forward pass).
    h0 = torch.zeros(L * D, B, H)
    c0 = torch.zeros(L * D, B, H) if cell == "lstm" else None
    lengths = torch.tensor(LENGTH_PATTERNS[index % len(LENGTH_PATTERNS)] if var else [T] * B,
                           dtype=torch.int64)
    mask = padded_mask(lengths, B, T)
    if loss_kind == "mse":
        target = normal(gen, (B, T, O))
    else:
        target = torch.randint(0, O, (B, T), generator=gen, dtype=torch.int64)
        if var:
            target[mask] = -100
        else:
            # A few ignored positions inside full-length sequences.
            target[0, 1] = -100
            target[2, 3] = -100
            target[2, 4] = -100

    rnn64, head64 = rnn.double(), head.double()
    x64 = x.double().requires_grad_(True)
    out, hn, cn = run_rnn(rnn64, cell, x64, lengths, h0.double(),
                          c0.double() if c0 is not None else None, var)
    logits = head64(out)
    if loss_kind == "mse":
        loss = nn.MSELoss()(logits, target.double())
    else:
        loss = nn.CrossEntropyLoss(ignore_index=-100)(logits.reshape(B * T, O), target.reshape(B * T))
    rnn64.zero_grad()
    head64.zero_grad()
    loss.backward()

    assert torch.all(out.detach()[mask] == 0)
    # Padded steps see a zero rnn output, so the head gives exactly its bias there.
    assert torch.all(logits.detach()[mask] == head64.bias.detach().expand(B, T, O)[mask])

    d = os.path.join(MODEL_DIR, name)
    os.makedirs(d)
    write_json(os.path.join(d, "meta.json"), {
        "cell": cell, "input_size": I, "hidden_size": H, "num_layers": L,
        "bidirectional": bi, "bias": True, "batch": B, "time": T,
        "head_size": O, "loss": loss_kind})
    named = [("rnn." + k, p) for k, p in rnn64.named_parameters()] + \
            [("head." + k, p) for k, p in head64.named_parameters()]
    for key, p in named:
        save_npy(os.path.join(d, "param.%s.npy" % key), t2np(p).astype(np.float32), "f4")
        save_npy(os.path.join(d, "grad.%s.npy" % key), t2np(p.grad), "f8")
    save_npy(os.path.join(d, "x.npy"), t2np(x), "f4")
    save_npy(os.path.join(d, "lengths.npy"), t2np(lengths), "i8")
    save_npy(os.path.join(d, "h0.npy"), t2np(h0), "f4")
    if cell == "lstm":
        save_npy(os.path.join(d, "c0.npy"), t2np(c0), "f4")
        save_npy(os.path.join(d, "cn.npy"), t2np(cn), "f8")
    save_npy(os.path.join(d, "out.npy"), t2np(out), "f8")
    save_npy(os.path.join(d, "hn.npy"), t2np(hn), "f8")
    if loss_kind == "mse":
        save_npy(os.path.join(d, "target.npy"), t2np(target), "f4")
    else:
        save_npy(os.path.join(d, "target.npy"), t2np(target), "i8")
    save_npy(os.path.join(d, "logits.npy"), t2np(logits), "f8")
    save_npy(os.path.join(d, "loss.npy"), np.array(loss.item(), dtype=np.float64), "f8")
    save_npy(os.path.join(d, "grad.x.npy"), t2np(x64.grad), "f8")


def make_model_group():
    for i, case in enumerate(MODEL_CASES):
        make_model_case(i, *case)
    print("model: %d cases in %s" % (len(MODEL_CASES), os.path.relpath(MODEL_DIR, ROOT)))


# ---------------------------------------------------------------- safetensors

ST_DTYPES = {torch.float32: ("F32", "<f4")}


def write_safetensors(path, tensors, metadata):
    """Writes (name, float32 tensor) pairs in order; metadata is a dict of strings or None.

    Layout: u64 little-endian header length N, N bytes of UTF-8 JSON (padded with
    spaces to a multiple of 8), then the tensors' raw little-endian bytes back to
    back; data_offsets are relative to the start of the data section.
    """
    header = {}
    if metadata:
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items())
        header["__metadata__"] = dict(metadata)
    blobs, offset = [], 0
    for name, t in tensors:
        dtype_name, np_dtype = ST_DTYPES[t.dtype]
        raw = np.ascontiguousarray(t2np(t), dtype=np_dtype).tobytes()
        header[name] = {"dtype": dtype_name, "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((-len(text)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def read_safetensors(path):
    """Independent reader used only to check the writer round-trips."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    assert n % 8 == 0
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", None)
    data = blob[8 + n:]
    out = {}
    for name, info in header.items():
        assert info["dtype"] == "F32"
        b, e = info["data_offsets"]
        out[name] = np.frombuffer(data[b:e], dtype="<f4").reshape(info["shape"])
    assert max(info["data_offsets"][1] for info in header.values()) == len(data)
    return out, metadata


# ---------------------------------------------------------------- group C: CLI end to end

class Net(nn.Module):
    """The state_dict keys this produces are exactly rnn4j's model-file names."""

    def __init__(self, cell, I, H, L, bi, O):
        super().__init__()
        self.rnn = make_rnn(cell, I, H, L, bi, True)
        self.head = nn.Linear((2 if bi else 1) * H, O) if O > 0 else None

    def forward(self, x):
        out, _ = self.rnn(x)  # zero initial state
        return self.head(out) if self.head is not None else out


def train_copy(net32, x, y, make_opt, steps):
    """Deep-copies net32 into float64 and takes `steps` full-batch steps; returns (net, losses)."""
    net = Net.__new__(Net)
    nn.Module.__init__(net)
    net.rnn = make_rnn_like(net32.rnn)
    net.head = None
    if net32.head is not None:
        net.head = nn.Linear(net32.head.in_features, net32.head.out_features)
    net.load_state_dict(net32.state_dict())
    net.double()
    opt = make_opt(net.parameters())
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = nn.MSELoss()(net(x.double()), y.double())
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return net, losses


def make_rnn_like(rnn):
    cell = {"LSTM": "lstm", "GRU": "gru"}.get(type(rnn).__name__)
    if cell is None:
        cell = "rnn_relu" if rnn.nonlinearity == "relu" else "rnn_tanh"
    return make_rnn(cell, rnn.input_size, rnn.hidden_size, rnn.num_layers, rnn.bidirectional, rnn.bias)


def make_e2e_case(cell, L, bi, O, tanh_explicit):
    B, T, I, H = 4, 6, 3, 5
    D = 2 if bi else 1
    name = "%s_l%d_bi%d%s" % (cell, L, int(bi), "" if O > 0 else "_nohead")
    torch.manual_seed(case_seed("e2e", name))  # PyTorch's default init draws from the global RNG
    net = Net(cell, I, H, L, bi, O)
    gen = torch.Generator().manual_seed(case_seed("e2e-data", name))
    x = normal(gen, (B, T, I))
    y = normal(gen, (B, T, O if O > 0 else D * H))

    with torch.no_grad():
        pred32 = net(x)
        net64 = train_copy(net, x, y, lambda ps: torch.optim.SGD(ps, lr=0.1), 0)[0]
        pred = net64(x.double())
        loss0 = nn.MSELoss()(pred, y.double())
    worst = (pred32.double() - pred).abs().max().item()
    assert worst < 1e-5, "%s: float32/float64 predict differ by %g" % (name, worst)
    sgd, _ = train_copy(net, x, y, lambda ps: torch.optim.SGD(ps, lr=0.1), 1)
    adam, adam_losses = train_copy(net, x, y, lambda ps: torch.optim.Adam(ps, lr=0.01), 3)
    assert abs(adam_losses[0] - loss0.item()) < 1e-12
    init = net.state_dict()
    for trained in (sgd, adam):
        for key, p in trained.state_dict().items():
            # Every parameter must have received a gradient and moved.
            assert not torch.equal(p, init[key].double()), "%s: %s did not move" % (name, key)

    d = os.path.join(E2E_DIR, name)
    os.makedirs(os.path.join(d, "sgd1"))
    os.makedirs(os.path.join(d, "adam3"))
    metadata = {}
    if cell == "rnn_relu":
        metadata["rnn4j.nonlinearity"] = "relu"
    elif cell == "rnn_tanh" and tanh_explicit:
        metadata["rnn4j.nonlinearity"] = "tanh"
    state = list(net.state_dict().items())
    st_path = os.path.join(d, "model.safetensors")
    write_safetensors(st_path, state, metadata)
    back, back_meta = read_safetensors(st_path)
    assert (back_meta or {}) == metadata and list(back) == [k for k, _ in state]
    for k, v in state:
        assert np.array_equal(back[k], t2np(v))

    write_json(os.path.join(d, "meta.json"), {
        "cell": cell, "layers": L, "bidirectional": bi, "head_size": O,
        "input_size": I, "hidden_size": H, "batch": B, "time": T,
        "sgd": {"lr": 0.1, "steps": 1}, "adam": {"lr": 0.01, "steps": 3}})
    save_npy(os.path.join(d, "x.npy"), t2np(x), "f4")
    save_npy(os.path.join(d, "y.npy"), t2np(y), "f4")
    save_npy(os.path.join(d, "predict.npy"), t2np(pred), "f8")
    save_npy(os.path.join(d, "loss.npy"), np.array(loss0.item(), dtype=np.float64), "f8")
    for key, p in sgd.state_dict().items():
        save_npy(os.path.join(d, "sgd1", key + ".npy"), t2np(p), "f8")
    for key, p in adam.state_dict().items():
        save_npy(os.path.join(d, "adam3", key + ".npy"), t2np(p), "f8")
    return worst


def make_e2e_group():
    count, worst = 0, 0.0
    for cell in CELLS:
        for L in (1, 2, 3):
            for bi in (False, True):
                # Half the tanh files name tanh explicitly, chosen so that it is
                # not confounded with either the depth or the direction.
                explicit = cell == "rnn_tanh" and (L + int(bi)) % 2 == 1
                worst = max(worst, make_e2e_case(cell, L, bi, 2, explicit))
                count += 1
    for cell in CELLS:
        worst = max(worst, make_e2e_case(cell, 2, True, 0, cell == "rnn_tanh"))
        count += 1
    print("e2e:   %d cases in %s (worst float32 vs float64 predict: %.2e)"
          % (count, os.path.relpath(E2E_DIR, ROOT), worst))


# ---------------------------------------------------------------- main

def main():
    print("torch %s, numpy %s" % (torch.__version__, np.__version__))
    # Start from empty directories so that a removed case does not linger.
    for d in (RNN_DIR, MODEL_DIR, E2E_DIR):
        if os.path.isdir(d):
            shutil.rmtree(d)
        os.makedirs(d)
    make_rnn_group()
    make_model_group()
    make_e2e_group()
    total = 0
    for d in (RNN_DIR, MODEL_DIR, E2E_DIR):
        for dirpath, _, files in os.walk(d):
            total += sum(os.path.getsize(os.path.join(dirpath, f)) for f in files)
    print("total: %.1f KB" % (total / 1024.0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
