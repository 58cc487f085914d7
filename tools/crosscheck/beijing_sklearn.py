"""Ridge regression and gradient-boosted trees on the Beijing windows (docs/forecast.md, cross-checks).

Usage: /usr/bin/python3 beijing_sklearn.py ../shared/data/weather/beijing_pm25_prsa_2010_2014.csv
(Debian python3-sklearn 1.2, python3-pandas.)
"""
import sys
import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.linear_model import Ridge
from beijing_windows import HORIZON, load, windows

xn, y, parts, pers, _ = load(sys.argv[1])
print('windows', {k: len(v) for k, v in parts.items()}, 'persistence MAE %.3f' % pers)


def summaries(w):
    # last 48 h of TEMP, DEWP, PRES; the last 6 h of everything; 48 h and 24 h means; change over the last day
    return np.concatenate([w[:, :, 2], w[:, :, 1], w[:, :, 3], w[:, -6:].reshape(len(w), -1),
                           w.mean(1), w[:, -24:].mean(1), w[:, -1] - w[:, -25]], axis=1)


for name, feats in [('flat', lambda w: w.reshape(len(w), -1)), ('summaries', summaries)]:
    X = {k: feats(windows(xn, v)) for k, v in parts.items()}
    Y = {k: y[v + HORIZON] for k, v in parts.items()}
    best = min(((np.abs(Ridge(alpha=a).fit(X['train'], Y['train']).predict(X['val']) - Y['val']).mean(), a)
                for a in [f * len(Y['train']) for f in (1e-4, 1e-3, 1e-2, 1e-1, 1)]))
    m = np.abs(Ridge(alpha=best[1]).fit(X['train'], Y['train']).predict(X['test']) - Y['test']).mean()
    print('%s ridge (alpha %.0f by validation): test MAE %.3f skill %.1f%%' % (name, best[1], m, 100 * (1 - m / pers)))
    g = HistGradientBoostingRegressor(max_iter=1000, learning_rate=0.05, max_leaf_nodes=31, min_samples_leaf=50,
                                      l2_regularization=1.0, early_stopping=False, random_state=0).fit(X['train'], Y['train'])
    val = [np.abs(p - Y['val']).mean() for p in g.staged_predict(X['val'])]
    k = int(np.argmin(val))
    m = np.abs(list(g.staged_predict(X['test']))[k] - Y['test']).mean()
    print('%s boosted trees (%d rounds by validation): test MAE %.3f skill %.1f%%' % (name, k + 1, m, 100 * (1 - m / pers)))
    sys.stdout.flush()
