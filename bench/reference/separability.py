#!/usr/bin/python3
"""Reference for bench/separability.mjs: pooled class kernels (additive smoothing), leave-one-out gap scores
and scipy's Mann-Whitney U, written the way a pandas/numpy notebook would. Timing reference only (golden
values live in test/oracles/kernels.py). Usage: separability.py EVENTS.jsonl EXPERIMENTS.csv
Prints JSON: load and compute seconds, sessions, U, p."""
import json, sys, time
import numpy as np, pandas as pd
from scipy import stats

t0 = time.perf_counter()
rows = [json.loads(l) for l in open(sys.argv[1])]
ev = pd.DataFrame({'s': [r['sessionId'] for r in rows], 'e': [r['eventName'] for r in rows], 'x': [r['experimentId'] for r in rows],
                   'ts': pd.to_datetime([r['ts'] for r in rows])})
xp = pd.read_csv(sys.argv[2])
labels = dict(zip(xp['id'], ~xp['xp_human_only'].astype(bool)))
t1 = time.perf_counter()

ev = ev.sort_values(['s', 'ts'], kind='stable')
states = ['<end>', '<start>'] + sorted(ev['e'].unique())
code = {s: i for i, s in enumerate(states)}
S = len(states)
e = ev['e'].map(code).to_numpy()
sess = ev['s'].to_numpy()
first = np.r_[True, sess[1:] != sess[:-1]]
last = np.r_[sess[1:] != sess[:-1], True]
src = np.where(first, code['<start>'], np.r_[0, e[:-1]])
pairs = pd.DataFrame({'s': sess, 'i': src, 'j': e})
ends = pd.DataFrame({'s': sess[last], 'i': e[last], 'j': code['<end>']})
pairs = pd.concat([pairs, ends])
cnt = pairs.groupby(['s', 'i', 'j']).size().rename('c').reset_index()
agent = ev.groupby('s')['x'].first().map(labels)
cnt['a'] = cnt['s'].map(agent).astype(bool)
a = 0.5
C = np.zeros((2, S, S))
np.add.at(C, (cnt['a'].astype(int).to_numpy(), cnt['i'].to_numpy(), cnt['j'].to_numpy()), cnt['c'].to_numpy())
n_si = cnt.groupby(['s', 'i'])['c'].transform('sum').to_numpy()
n_s = cnt.groupby('s')['c'].transform('sum').to_numpy()
c = cnt['c'].to_numpy(); i = cnt['i'].to_numpy(); j = cnt['j'].to_numpy(); own = cnt['a'].astype(int).to_numpy()
p = c / n_si
gap = np.zeros(len(cnt))
for k, sign in ((0, 1.0), (1, -1.0)):  # ΔH − ΔA
    mine = (own == k)
    num = C[k][i, j] - np.where(mine, c, 0) + a
    den = C[k].sum(axis=1)[i] - np.where(mine, n_si, 0) + a * S
    gap += sign * (n_si / n_s) * p * np.log(p / (num / den))
cnt['g'] = gap
g = cnt.groupby('s')['g'].sum()
human = g[~agent.reindex(g.index).astype(bool)].to_numpy()
ag = g[agent.reindex(g.index).astype(bool)].to_numpy()
res = stats.mannwhitneyu(human, ag, alternative='two-sided')
t2 = time.perf_counter()
print(json.dumps({'load_seconds': t1 - t0, 'compute_seconds': t2 - t1, 'sessions': int(len(g)), 'U': float(res.statistic), 'p': float(res.pvalue)}))
