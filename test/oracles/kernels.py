#!/usr/bin/python3
"""Golden values for src/kernels, computed independently with numpy/scipy from the method in docs/method.md
(docs/method.md): pooled or mean-of-rows class kernels with additive smoothing (no pseudo-count on <start>,
<end> absorbing), visit-weighted or uniform KL over shared source states via scipy.stats.entropy, JS via
scipy.spatial.distance.jensenshannon², per-session gaps with leave-one-out or in-sample centroids, and
scipy.stats.mannwhitneyu on the gaps.

Re-run with:  /usr/bin/python3 test/oracles/kernels.py   (writes test/golden/kernels.json)
Non-finite floats are encoded as the strings "NaN", "Infinity", "-Infinity".
"""
import json
import math
import os
import platform
import sys

import numpy as np
import scipy
from scipy import stats
from scipy.spatial.distance import jensenshannon

rng = np.random.RandomState(20240601)
START, END = '<start>', '<end>'
EVENTS = ['page_view', 'view_item_page', 'learn_more_about_item', 'add_item_to_cart', 'checkout_start', 'hover_over_title']


def enc(v):
    if isinstance(v, dict):
        return {k: enc(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [enc(x) for x in v]
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if math.isnan(f):
            return 'NaN'
        if math.isinf(f):
            return 'Infinity' if f > 0 else '-Infinity'
        return f
    if isinstance(v, (np.integer,)):
        return int(v)
    return v


def make_sessions():
    """Markov sessions from two related random kernels; some 1-event sessions; one event only humans emit."""
    out = []
    k = len(EVENTS)
    base, base_first = rng.dirichlet(np.full(k, 0.8), size=k), rng.dirichlet(np.full(k, 0.8))
    for label, n, share in (('human', 25, 0.0), ('agent', 18, 0.45)):
        # agents move like humans 55% of the time, so the classes overlap and the test is not degenerate
        trans = (1 - share) * base + share * rng.dirichlet(np.full(k, 0.8), size=k)
        first = (1 - share) * base_first + share * rng.dirichlet(np.full(k, 0.8))
        for i in range(n):
            length = 1 if i % 9 == 4 else int(rng.randint(2, 16))
            seq = [EVENTS[rng.choice(k, p=first)]]
            while len(seq) < length:
                seq.append(EVENTS[rng.choice(k, p=trans[EVENTS.index(seq[-1])])])
            if label == 'human' and i % 7 == 3:
                seq.insert(len(seq) // 2, 'zoom_image')
            out.append({'id': f'{label[0]}{i:02d}', 'label': label, 'events': seq})
    return out


def trajectories(sessions, boundary):
    return {s['id']: ([START] if boundary else []) + s['events'] + ([END] if boundary else []) for s in sessions}


def session_counts(traj, idx):
    v = len(idx)
    c = np.zeros((v, v))
    for a, b in zip(traj[:-1], traj[1:]):
        c[idx[a], idx[b]] += 1
    return c


def session_mass(c, pooling):
    if pooling == 'pooled':
        return c
    tot = c.sum(axis=1, keepdims=True)
    return np.divide(c, tot, out=np.zeros_like(c), where=tot > 0)


def smoothed(mass_row, alpha, start):
    prior = np.full(len(mass_row), alpha)
    if start is not None:
        prior[start] = 0.0
    return (mass_row + prior) / (mass_row + prior).sum()


def kernel(mass, alpha, start, end):
    v = mass.shape[0]
    k = np.zeros((v, v))
    for a in range(v):
        if end is not None and a == end:
            k[a, end] = 1.0
        elif mass[a].sum() + alpha > 0:
            k[a] = smoothed(mass[a], alpha, start)
        else:
            k[a] = np.nan
    return k


def run(sessions, cfg):
    boundary, pooling, alpha, weighting, in_sample = cfg['boundary'], cfg['pooling'], cfg['smoothing'], cfg['weighting'], cfg['inSample']
    traj = trajectories(sessions, boundary)
    vocab = sorted({e for t in traj.values() for e in t})
    idx = {s: i for i, s in enumerate(vocab)}
    start, end = (idx[START], idx[END]) if boundary else (None, None)
    counts = {s['id']: session_counts(traj[s['id']], idx) for s in sessions}
    masses = {k: session_mass(c, pooling) for k, c in counts.items()}
    cls = {lab: [s['id'] for s in sessions if s['label'] == lab] for lab in ('human', 'agent')}
    C = {lab: sum(counts[i] for i in ids) for lab, ids in cls.items()}
    M = {lab: sum(masses[i] for i in ids) for lab, ids in cls.items()}

    def class_kl(p_lab, q_lab):
        visits_p, visits_q = C[p_lab].sum(axis=1), C[q_lab].sum(axis=1)
        shared = [a for a in range(len(vocab)) if visits_p[a] > 0 and visits_q[a] > 0]
        w = np.array([visits_p[a] for a in shared]) / sum(visits_p[a] for a in shared)
        if weighting == 'uniform':
            w = np.full(len(shared), 1 / len(shared))
        return sum(wi * stats.entropy(M[p_lab][a], smoothed(M[q_lab][a], alpha, start)) for wi, a in zip(w, shared)), shared

    kl_ha, shared = class_kl('human', 'agent')
    kl_ah, _ = class_kl('agent', 'human')
    vh, va = C['human'].sum(axis=1), C['agent'].sum(axis=1)
    wh = np.array([vh[a] for a in shared]) / sum(vh[a] for a in shared)
    wa = np.array([va[a] for a in shared]) / sum(va[a] for a in shared)
    wj = (wh + wa) / 2 if weighting == 'visits' else np.full(len(shared), 1 / len(shared))
    js = sum(w * jensenshannon(M['human'][a], M['agent'][a]) ** 2 for w, a in zip(wj, shared))

    per_session = []
    for s in sessions:
        sid = s['id']
        if len(s['events']) < 2:
            per_session.append({'id': sid, 'status': 'too_short', 'deltaHuman': float('nan'), 'deltaAgent': float('nan'), 'gap': float('nan')})
            continue
        c = counts[sid]
        visits = c.sum(axis=1)
        rows = [a for a in range(len(vocab)) if visits[a] > 0]
        weights = {a: (visits[a] / visits.sum() if weighting == 'visits' else 1 / len(rows)) for a in rows}
        delta = {}
        for lab in ('human', 'agent'):
            m = M[lab] - masses[sid] if (not in_sample and s['label'] == lab) else M[lab]
            m = np.where(np.abs(m) < 1e-12, 0.0, m)
            delta[lab] = sum(weights[a] * stats.entropy(c[a], smoothed(m[a], alpha, start)) for a in rows)
        per_session.append({'id': sid, 'status': 'scored', 'deltaHuman': delta['human'], 'deltaAgent': delta['agent'], 'gap': delta['human'] - delta['agent']})
    h = [r['gap'] for r, s in zip(per_session, sessions) if s['label'] == 'human' and r['status'] == 'scored']
    a = [r['gap'] for r, s in zip(per_session, sessions) if s['label'] == 'agent' and r['status'] == 'scored']
    mw = stats.mannwhitneyu(h, a, alternative='two-sided', method='asymptotic')
    return {
        'config': cfg,
        'vocabulary': vocab,
        'kernels': {lab: kernel(M[lab], alpha, start, end).tolist() for lab in ('human', 'agent')},
        'counts': {lab: C[lab].tolist() for lab in ('human', 'agent')},
        'divergence': {'klHumanAgent': kl_ha, 'klAgentHuman': kl_ah, 'js': js, 'sharedStates': len(shared)},
        'sessions': per_session,
        'mannWhitney': {'statistic': float(mw.statistic), 'pvalue': float(mw.pvalue)},
    }


CONFIGS = [
    {'boundary': True, 'pooling': 'pooled', 'smoothing': 0.5, 'weighting': 'visits', 'inSample': False},
    {'boundary': True, 'pooling': 'pooled', 'smoothing': 0.5, 'weighting': 'visits', 'inSample': True},
    {'boundary': True, 'pooling': 'pooled', 'smoothing': 2.0, 'weighting': 'uniform', 'inSample': False},
    {'boundary': False, 'pooling': 'pooled', 'smoothing': 0.1, 'weighting': 'visits', 'inSample': False},
    {'boundary': True, 'pooling': 'mean-of-rows', 'smoothing': 0.5, 'weighting': 'visits', 'inSample': False},
    {'boundary': True, 'pooling': 'mean-of-rows', 'smoothing': 0.01, 'weighting': 'uniform', 'inSample': True},
]


def kl_cases():
    """Plain KL(p‖q) = scipy.stats.entropy(p, q) on unnormalised vectors, with zeros in p and in q."""
    out = []
    for n in (2, 3, 5, 13, 40):
        for _ in range(3):
            p = rng.gamma(0.7, size=n) * (rng.rand(n) > 0.3)
            q = rng.gamma(0.7, size=n) + 1e-3
            if p.sum() == 0:
                p[0] = 1.0
            out.append({'p': p.tolist(), 'q': q.tolist(), 'kl': float(stats.entropy(p, q))})
    out.append({'p': [1, 0, 1], 'q': [1, 1, 0], 'kl': float(stats.entropy([1, 0, 1], [1, 1, 0]))})
    return out


def main():
    sessions = make_sessions()
    golden = {
        'generatedBy': 'test/oracles/kernels.py',
        'versions': {'python': platform.python_version(), 'numpy': np.__version__, 'scipy': scipy.__version__},
        'sessions': sessions,
        'cases': [run(sessions, cfg) for cfg in CONFIGS],
        'kl': kl_cases(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'golden', 'kernels.json')
    with open(path, 'w') as f:
        json.dump(enc(golden), f, indent=1)
        f.write('\n')
    print(f'wrote {os.path.normpath(path)} with numpy {np.__version__}, scipy {scipy.__version__}', file=sys.stderr)


main()
