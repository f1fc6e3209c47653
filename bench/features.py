"""pandas side of bench/features.mjs: time the reference implementation of docs/features.md (test/oracles/features.py)
on a JSON-lines events file, and optionally check phantom's output for the same events against it.

Usage: /usr/bin/python3 bench/features.py EVENTS.jsonl [PHANTOM_SESSIONS.csv]
Prints one JSON line: events, sessions, load_s (JSON parsing + normalising), compute_s (sort + features),
and with a phantom CSV, the number of values that differ by more than 1e-9 relative.
"""
import json
import os
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'oracles'))
from features import compute_features, read_events_jsonl  # noqa: E402


def compare(expected, path):
    got = pd.read_csv(path, dtype={'sessionId': str, 'experimentId': str}).set_index('sessionId')
    got = got.loc[expected.index]
    bad = 0
    for c in expected.columns:
        if c in ('experimentId', 'is_agent', 'purchased'):
            continue
        e, g = expected[c], got[c]
        if c == 'browser_family':
            bad += int((e.astype(str) != g.astype(str)).sum())
            continue
        e = e.astype(float).to_numpy()
        g = g.astype(float).to_numpy()
        both_null = np.isnan(e) & np.isnan(g)
        close = np.abs(e - g) <= np.maximum(1e-9 * np.abs(e), 1e-12)
        bad += int((~(both_null | close)).sum())
    return bad


def main():
    t0 = time.perf_counter()
    df = read_events_jsonl(sys.argv[1])
    t1 = time.perf_counter()
    out = compute_features(df, 'default')
    t2 = time.perf_counter()
    result = {'events': len(df), 'sessions': len(out), 'load_s': t1 - t0, 'compute_s': t2 - t1, 'pandas': pd.__version__}
    if len(sys.argv) > 2:
        result['mismatches'] = compare(out, sys.argv[2])
        result['values_compared'] = int(out.shape[0] * (out.shape[1] - 3))
    print(json.dumps(result))


if __name__ == '__main__':
    main()
