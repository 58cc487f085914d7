#!/usr/bin/python3
"""Writes the PyTorch reference fixtures for org.rnn4j.train (losses, optimizers, clipping, LR schedules).

Run with the Debian PyTorch (1.13):  /usr/bin/python3 tools/reference/make_train_fixtures.py
Output: core/src/test/resources/fixtures/train/*.txt (see tools/reference/README-train.md for the format).

Everything is seeded, so a rerun with the same PyTorch writes the same files.
"""
import math
import os
import sys

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                   "core", "src", "test", "resources", "fixtures", "train")

# Two parameter tensors, 46 elements in all, in this order in the flat buffer.
PARAM_SHAPES = [("weight", (5, 7)), ("bias", (11,))]
STEPS = 5


def fmt(values):
    """Space-separated values; repr of a float round-trips exactly (float32 values are exact doubles)."""
    out = []
    for v in np.asarray(values).reshape(-1).tolist():
        if isinstance(v, bool):
            out.append("true" if v else "false")
        elif isinstance(v, int):
            out.append(str(v))
        else:
            out.append(repr(float(v)))
    return " ".join(out)


class Fixture:
    """Lines of 'key v1 v2 ...'; '#' starts a comment line."""

    def __init__(self, name, comment):
        self.name = name
        self.lines = ["# " + comment, "# written by tools/reference/make_train_fixtures.py with torch " + torch.__version__]

    def put(self, key, values):
        if isinstance(values, (str, bool, int, float)):
            values = [values]
        if isinstance(values, list) and values and isinstance(values[0], str):
            self.lines.append(key + " " + " ".join(values))
        else:
            self.lines.append(key + " " + fmt(values))

    def write(self):
        path = os.path.join(OUT, self.name + ".txt")
        with open(path, "w") as f:
            f.write("\n".join(self.lines) + "\n")
        print("wrote", os.path.relpath(path))


def make_params(gen):
    """Fixed float32 parameters with a spread of magnitudes (and one exact zero)."""
    params = []
    for _, shape in PARAM_SHAPES:
        t = torch.randn(shape, generator=gen, dtype=torch.float32) * 0.5
        params.append(t)
    params[1][3] = 0.0
    return params


def make_grads(gen):
    """STEPS sets of float32 gradients; a few exact zeros and one large value exercise eps and clipping."""
    sets = []
    for step in range(STEPS):
        gs = []
        for _, shape in PARAM_SHAPES:
            g = torch.randn(shape, generator=gen, dtype=torch.float32) * (0.1 + 0.3 * step)
            gs.append(g)
        gs[0][0, 0] = 0.0
        gs[1][step % 11] = 0.0
        gs[1][10] = 3.0 * (1 if step % 2 == 0 else -1)
        sets.append(gs)
    return sets


# name -> (torch class, kwargs). Keys of kwargs are torch's argument names.
OPTIM_CASES = [
    ("sgd_plain", torch.optim.SGD, dict(lr=0.1)),
    ("sgd_momentum", torch.optim.SGD, dict(lr=0.05, momentum=0.9)),
    ("sgd_momentum_dampening_wd", torch.optim.SGD, dict(lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.01)),
    ("sgd_nesterov_wd", torch.optim.SGD, dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3)),
    ("adam_default", torch.optim.Adam, dict(lr=1e-3)),
    ("adam_amsgrad", torch.optim.Adam, dict(lr=1e-2, amsgrad=True)),
    ("adam_wd_amsgrad_betas", torch.optim.Adam,
     dict(lr=1e-2, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, amsgrad=True)),
    ("adamw_default", torch.optim.AdamW, dict(lr=1e-3)),
    ("adamw_wd_amsgrad", torch.optim.AdamW, dict(lr=1e-2, weight_decay=0.1, amsgrad=True)),
    ("rmsprop_default", torch.optim.RMSprop, dict(lr=1e-2)),
    ("rmsprop_momentum", torch.optim.RMSprop, dict(lr=1e-3, momentum=0.9)),
    ("rmsprop_centered_momentum_wd", torch.optim.RMSprop,
     dict(lr=1e-2, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.01)),
    ("rmsprop_centered", torch.optim.RMSprop, dict(lr=1e-2, centered=True, eps=1e-6)),
    ("adagrad_default", torch.optim.Adagrad, dict(lr=1e-2)),
    ("adagrad_lrdecay_wd_init", torch.optim.Adagrad,
     dict(lr=0.1, lr_decay=0.05, weight_decay=0.01, initial_accumulator_value=0.1, eps=1e-8)),
]

# Per-parameter state tensors each optimizer keeps (torch's names), flattened in parameter order.
STATE_KEYS = ["momentum_buffer", "exp_avg", "exp_avg_sq", "max_exp_avg_sq", "square_avg", "grad_avg", "sum"]


def optim_fixture(name, cls, kwargs, gen):
    params0 = make_params(gen)
    grads = make_grads(gen)
    params = [p.clone().requires_grad_(True) for p in params0]
    opt = cls(params, foreach=False, **kwargs)
    fx = Fixture("optim_" + name, "%s(%s), foreach=False, float32, %d steps" % (cls.__name__, kwargs, STEPS))
    fx.put("optimizer", cls.__name__.lower())
    # The complete config with torch's defaults filled in.
    group = opt.param_groups[0]
    for key in ["lr", "momentum", "dampening", "weight_decay", "nesterov", "betas", "eps", "amsgrad",
                "alpha", "centered", "lr_decay", "initial_accumulator_value"]:
        if key in group:
            val = group[key]
            if key == "betas":
                fx.put("config.beta1", float(val[0]))
                fx.put("config.beta2", float(val[1]))
            else:
                fx.put("config." + key, val)
    fx.put("names", [n for n, _ in PARAM_SHAPES])
    for (pname, shape), p in zip(PARAM_SHAPES, params0):
        fx.put("shape." + pname, list(shape))
        fx.put("init." + pname, p.numpy())
    for step in range(STEPS):
        for (pname, _), p, g in zip(PARAM_SHAPES, params, grads[step]):
            p.grad = g.clone()
            fx.put("grad.%d.%s" % (step + 1, pname), g.numpy())
        opt.step()
        for (pname, _), p in zip(PARAM_SHAPES, params):
            fx.put("after.%d.%s" % (step + 1, pname), p.detach().numpy())
    for key in STATE_KEYS:
        parts = [opt.state[p][key] for p in params if key in opt.state[p] and opt.state[p][key] is not None]
        if parts:
            fx.put("state." + key, torch.cat([t.reshape(-1) for t in parts]).numpy())
    if "step" in opt.state[params[0]]:
        step_count = opt.state[params[0]]["step"]
        fx.put("state.step", int(step_count.item() if torch.is_tensor(step_count) else step_count))
    fx.write()


def loss_fixtures(gen):
    # MSE: float32 inputs, float64 reference (loss and gradient of the mean).
    pred = torch.randn((3, 5), generator=gen, dtype=torch.float32)
    target = torch.randn((3, 5), generator=gen, dtype=torch.float32)
    p64 = pred.double().requires_grad_(True)
    loss = torch.nn.MSELoss()(p64, target.double())
    loss.backward()
    fx = Fixture("loss_mse", "torch.nn.MSELoss() (mean), float32 inputs, float64 reference")
    fx.put("shape", [3, 5])
    fx.put("pred", pred.numpy())
    fx.put("target", target.numpy())
    fx.put("loss", loss.item())
    fx.put("grad", p64.grad.numpy())
    fx.write()

    # Cross entropy: logits [N, C], targets with ignored rows, one row with huge logits (stability).
    n, c = 7, 5
    logits = torch.randn((n, c), generator=gen, dtype=torch.float32) * 2.0
    logits[4] = torch.tensor([80.0, 100.0, -50.0, 99.5, 0.0])
    cases = [
        ("loss_ce", -100, [3, -100, 0, 4, 1, -100, 2]),
        ("loss_ce_ignore2", 2, [3, 2, 0, 4, 1, 2, 2]),
    ]
    for fname, ignore, tgt in cases:
        t = torch.tensor(tgt, dtype=torch.long)
        l64 = logits.double().requires_grad_(True)
        loss = torch.nn.CrossEntropyLoss(ignore_index=ignore)(l64, t)
        loss.backward()
        fx = Fixture(fname, "torch.nn.CrossEntropyLoss(ignore_index=%d) (mean), float32 logits, float64 reference"
                     % ignore)
        fx.put("shape", [n, c])
        fx.put("ignore_index", ignore)
        fx.put("logits", logits.numpy())
        fx.put("targets", tgt)
        fx.put("loss", loss.item())
        fx.put("count", int(sum(1 for x in tgt if x != ignore)))
        fx.put("grad", l64.grad.numpy())
        fx.write()


def clip_fixtures(gen):
    grads = make_grads(gen)[STEPS - 1]
    fx = Fixture("clip", "torch.nn.utils.clip_grad_norm_ (norm_type 2) and clip_grad_value_, float32")
    fx.put("names", [n for n, _ in PARAM_SHAPES])
    for (pname, shape), g in zip(PARAM_SHAPES, grads):
        fx.put("shape." + pname, list(shape))
        fx.put("grad." + pname, g.numpy())
    for tag, max_norm in [("norm_small", 1.0), ("norm_large", 100.0)]:
        params = [torch.zeros(s, requires_grad=True) for _, s in PARAM_SHAPES]
        for p, g in zip(params, grads):
            p.grad = g.clone()
        total = torch.nn.utils.clip_grad_norm_(params, max_norm)
        fx.put(tag + ".max_norm", max_norm)
        fx.put(tag + ".total_norm", total.item())
        # The float64 norm of the float32 gradients, which rnn4j computes.
        fx.put(tag + ".total_norm64", math.sqrt(sum(float((g.double() ** 2).sum()) for g in grads)))
        for (pname, _), p in zip(PARAM_SHAPES, params):
            fx.put(tag + ".after." + pname, p.grad.numpy())
    params = [torch.zeros(s, requires_grad=True) for _, s in PARAM_SHAPES]
    for p, g in zip(params, grads):
        p.grad = g.clone()
    torch.nn.utils.clip_grad_value_(params, 0.5)
    fx.put("value.clip_value", 0.5)
    for (pname, _), p in zip(PARAM_SHAPES, params):
        fx.put("value.after." + pname, p.grad.numpy())
    fx.write()


def schedule_fixtures():
    def run(make, base_lr, epochs):
        p = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([p], lr=base_lr)
        sched = make(opt)
        lrs = [opt.param_groups[0]["lr"]]
        for _ in range(epochs):
            opt.step()
            sched.step()
            lrs.append(opt.param_groups[0]["lr"])
        return lrs

    fx = Fixture("schedules", "torch.optim.lr_scheduler: lrs[k] is the lr after k scheduler steps (k = last_epoch)")
    fx.put("step.base_lr", 0.1)
    fx.put("step.step_size", 3)
    fx.put("step.gamma", 0.5)
    fx.put("step.lrs", run(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5), 0.1, 12))
    fx.put("exp.base_lr", 0.1)
    fx.put("exp.gamma", 0.9)
    fx.put("exp.lrs", run(lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9), 0.1, 10))
    fx.put("cos.base_lr", 0.1)
    fx.put("cos.t_max", 10)
    fx.put("cos.eta_min", 0.001)
    # Past T_max the schedule climbs back up (cosine is periodic); 25 epochs covers that.
    fx.put("cos.lrs", run(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=10, eta_min=0.001), 0.1, 25))

    # ReduceLROnPlateau for a fixed metric sequence.
    metrics = [1.0, 0.9, 0.85, 0.849, 0.86, 0.848, 0.7, 0.71, 0.705, 0.702, 0.701, 0.70, 0.69, 0.695,
               0.6931, 0.6932, float("nan"), 0.5, 0.51, 0.52, 0.53, 0.54, 0.55, 0.56, 0.57]
    for tag, kwargs in [("plateau", dict(factor=0.5, patience=2, threshold=1e-2, min_lr=0.02)),
                        ("plateau_cooldown", dict(factor=0.1, patience=1, threshold=1e-4, min_lr=0.0, cooldown=2)),
                        ("plateau_default", dict())]:
        p = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([p], lr=0.1)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", **kwargs)
        lrs = []
        for m in metrics:
            sched.step(m)
            lrs.append(opt.param_groups[0]["lr"])
        fx.put(tag + ".base_lr", 0.1)
        fx.put(tag + ".factor", sched.factor)
        fx.put(tag + ".patience", sched.patience)
        fx.put(tag + ".threshold", sched.threshold)
        fx.put(tag + ".min_lr", sched.min_lrs[0])
        fx.put(tag + ".cooldown", sched.cooldown)
        fx.put(tag + ".eps", sched.eps)
        fx.put(tag + ".metrics", metrics)
        fx.put(tag + ".lrs", lrs)
    fx.write()


def main():
    if not torch.__version__.startswith("1.13"):
        print("warning: fixtures were designed against torch 1.13, this is", torch.__version__, file=sys.stderr)
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(1)
    for i, (name, cls, kwargs) in enumerate(OPTIM_CASES):
        # Every case gets its own seed so adding a case does not change the others.
        optim_fixture(name, cls, kwargs, torch.Generator().manual_seed(1000 + i))
    loss_fixtures(torch.Generator().manual_seed(7))
    clip_fixtures(torch.Generator().manual_seed(11))
    schedule_fixtures()


if __name__ == "__main__":
    main()
