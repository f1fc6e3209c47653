#!/usr/bin/python3
"""Golden adjusted Rand indices for src/clusters/adjusted-rand.ts from sklearn.metrics.adjusted_rand_score on
seeded random labelings (various sizes and numbers of labels, including degenerate ones).

Re-run with:  /usr/bin/python3 test/oracles/clusters.py   (writes test/golden/adjusted-rand.json)
"""
import json
import os
import platform

import numpy as np
import sklearn
from sklearn.metrics import adjusted_rand_score

rng = np.random.RandomState(7)
cases = []
for n, ka, kb, noise in [(10, 2, 2, 0.0), (50, 3, 4, 0.3), (200, 5, 5, 0.1), (500, 2, 7, 0.8), (1000, 10, 3, 0.5), (30, 1, 3, 1.0), (6, 6, 6, 0.0)]:
    a = rng.randint(0, ka, size=n)
    b = np.where(rng.rand(n) < noise, rng.randint(0, kb, size=n), a % kb)
    cases.append({'a': a.tolist(), 'b': b.tolist(), 'ari': float(adjusted_rand_score(a, b))})
out = {'generator': 'test/oracles/clusters.py', 'versions': {'python': platform.python_version(), 'numpy': np.__version__, 'sklearn': sklearn.__version__}, 'cases': cases}
path = os.path.join(os.path.dirname(__file__), '..', 'golden', 'adjusted-rand.json')
with open(path, 'w') as f:
    json.dump(out, f)
    f.write('\n')
print(f'wrote {path}: {len(cases)} cases')
