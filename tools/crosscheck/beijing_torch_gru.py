"""A PyTorch GRU on the Beijing windows, trained like `rnn4j forecast --predict value` (docs/forecast.md).

Usage: /usr/bin/python3 beijing_torch_gru.py DATA.csv [--hidden 64] [--layers 1] [--dropout 0] [--lr 3e-4] [--cell GRU]
MSE on the normalised target, Adam, batch 32, gradient norm clipped at 1, up to 20 epochs, early stopping on
the validation loss (patience 4) with the best weights restored; seeds 1, 2, 3; one thread.
"""
import argparse
import time
import numpy as np
import torch
from beijing_windows import HORIZON, load, windows

ap = argparse.ArgumentParser()
ap.add_argument('data')
ap.add_argument('--hidden', type=int, default=64)
ap.add_argument('--layers', type=int, default=1)
ap.add_argument('--dropout', type=float, default=0.0)
ap.add_argument('--lr', type=float, default=3e-4)
ap.add_argument('--cell', default='GRU', choices=['GRU', 'LSTM'])
a = ap.parse_args()
torch.set_num_threads(1)
xn, y, parts, pers, n_train = load(a.data)
mean, std = y[:n_train].mean(), y[:n_train].std()
X = {k: torch.from_numpy(windows(xn, v)) for k, v in parts.items()}
Y = {k: torch.from_numpy(((y[v + HORIZON] - mean) / std).astype(np.float32)) for k, v in parts.items()}


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = getattr(torch.nn, a.cell)(xn.shape[1], a.hidden, a.layers, batch_first=True,
                                             dropout=a.dropout if a.layers > 1 else 0)
        self.head = torch.nn.Linear(a.hidden, 1)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out[:, -1]).squeeze(-1)


for seed in (1, 2, 3):
    torch.manual_seed(seed)
    net = Net()
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    best, best_state, best_epoch, since, t0 = float('inf'), None, 0, 0, time.time()
    for epoch in range(1, 21):
        net.train()
        perm = torch.randperm(len(Y['train']))
        for b in range(0, len(perm) - 31, 32):
            j = perm[b:b + 32]
            loss = ((net(X['train'][j]) - Y['train'][j]) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
        net.eval()
        with torch.no_grad():
            v = ((net(X['val']) - Y['val']) ** 2).mean().item()
        if v < best - 1e-7:
            best, best_state, best_epoch, since = v, {k: t.clone() for k, t in net.state_dict().items()}, epoch, 0
        else:
            since += 1
            if since >= 4:
                break
    net.load_state_dict(best_state)
    with torch.no_grad():
        m = np.abs(net(X['test']).numpy() * std + mean - y[parts['test'] + HORIZON]).mean()
    print('%s %d x %d, seed %d: best epoch %d, validation loss %.5f, test MAE %.3f, skill %.1f%% (%.0f s)'
          % (a.cell, a.hidden, a.layers, seed, best_epoch, best, m, 100 * (1 - m / pers), time.time() - t0), flush=True)
