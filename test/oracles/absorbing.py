#!/usr/bin/python3
"""Golden values for src/kernels/absorbing.ts, computed independently with numpy/scipy: the α-smoothed kernel
(no pseudo-count on <start>; a row never left goes to <end>), purchase_complete states and <end> absorbing,
fundamental matrix N = inv(I − Q) (scipy.linalg.inv), absorption probabilities B = N·R, expected steps
t = N·1, and removal effects 1 − P'(purchase | <start>)/P(purchase | <start>) where P' redirects every
transition into the removed state to <end> (Markov attribution as in ChannelAttribution).

Re-run with:  /usr/bin/python3 test/oracles/absorbing.py   (writes test/golden/absorbing.json)
"""
import json
import math
import os
import platform

import numpy as np
import scipy
import scipy.linalg

rng = np.random.RandomState(20261207)


def analyse(vocab, counts, alpha):
    v = len(vocab)
    start, end = vocab.index('<start>'), vocab.index('<end>')
    purchase = [s == 'purchase_complete' or s.startswith('purchase_complete|') for s in vocab]
    absorbing = [purchase[k] or k == end for k in range(v)]
    m = np.array(counts, dtype=float)
    prior = np.full(v, alpha)
    prior[start] = 0.0
    kernel = np.zeros((v, v))
    for s in range(v):
        total = m[s].sum() + alpha * (v - 1)
        if absorbing[s]:
            kernel[s, s] = 1.0
        elif total == 0:
            kernel[s, end] = 1.0
        else:
            kernel[s] = (m[s] + prior) / total

    def solve(k):
        tr = [s for s in range(v) if not absorbing[s]]
        q = k[np.ix_(tr, tr)]
        r = k[np.ix_(tr, [b for b in range(v) if purchase[b]])]
        n = scipy.linalg.inv(np.eye(len(tr)) - q)
        b = n @ r.sum(axis=1)
        t = n @ np.ones(len(tr))
        p = np.array([1.0 if purchase[s] else 0.0 for s in range(v)])
        steps = np.zeros(v)
        p[tr] = b
        steps[tr] = t
        return p, steps

    p, steps = solve(kernel)
    conv = p[start]
    effect, drop = [], []
    for r in range(v):
        if absorbing[r] or r == start:
            effect.append(None)
            drop.append(None)
            continue
        k2 = kernel.copy()
        k2[:, end] += k2[:, r]
        k2[:, r] = 0.0
        p2, _ = solve(k2)
        drop.append(float(conv - p2[start]))
        effect.append(float(1 - p2[start] / conv) if conv > 0 else None)
    return {'purchaseProbability': p.tolist(), 'expectedSteps': steps.tolist(), 'conversion': float(conv), 'removalEffect': effect, 'removalDrop': drop}


def random_counts(vocab, density):
    v = len(vocab)
    start, end = vocab.index('<start>'), vocab.index('<end>')
    m = rng.poisson(6.0, size=(v, v)) * (rng.rand(v, v) < density)
    m[:, start] = 0
    m[end, :] = 0
    return m.astype(int).tolist()


cases = []
base = ['<end>', '<start>', 'add_item_to_cart', 'checkout_start', 'page_view', 'purchase_complete', 'search', 'view_item_page']
for alpha, density in [(0.5, 0.6), (1.0, 0.3), (0.05, 0.9)]:
    counts = random_counts(base, density)
    cases.append({'vocabulary': base, 'alpha': alpha, 'counts': counts, 'expected': analyse(base, counts, alpha)})
# α = 0 with every transient row observed and an unvisited state (its row goes to <end>)
counts = random_counts(base, 1.0)
counts[base.index('search')] = [0] * len(base)
cases.append({'vocabulary': base, 'alpha': 0.0, 'counts': counts, 'expected': analyse(base, counts, 0.0)})
composite = ['<end>', '<start>', 'page_view|a', 'page_view|b', 'purchase_complete|a', 'purchase_complete|b', 'view_item_page|a']
counts = random_counts(composite, 0.7)
cases.append({'vocabulary': composite, 'alpha': 0.5, 'counts': counts, 'expected': analyse(composite, counts, 0.5)})

out = {
    'generator': 'test/oracles/absorbing.py',
    'versions': {'python': platform.python_version(), 'numpy': np.__version__, 'scipy': scipy.__version__},
    'cases': cases,
}
path = os.path.join(os.path.dirname(__file__), '..', 'golden', 'absorbing.json')
with open(path, 'w') as f:
    json.dump(out, f, indent=1)
    f.write('\n')
print(f'wrote {path}: {len(cases)} cases')
