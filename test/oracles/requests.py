"""Independent pandas implementation of the `requests` feature group (docs/features.md, request features).

Re-run with:  /usr/bin/python3 test/oracles/requests.py
Writes test/features/data/request-events.jsonl (a seeded random set of request events: 80 sessions, some
tracker events without request columns, timestamp ties, nulls in every request column) and
test/golden/requests.json (the expected features per session), recording the pandas and numpy versions.
test/features/requests-golden.test.ts compares phantom against it (floats 1e-9 relative, counts exact).

Written the pandas way (groupby, diff, nunique) from the definitions in docs/features.md; it shares no code
with src/features. ua_known_bot uses the verdict on the few user agents used here (two bots, two browsers).
"""
import json
import math
import os
import random
import re

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
UAS = {
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36': False,
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15': False,
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)': True,
    'python-requests/2.31.0': True,
}
PATHS = ['/', '/product/1', '/product/2', '/cart', '/a/b/c/', '/static/app.js', '/img/1.jpg', '/favicon.ico', '/robots.txt',
         '/api/cart', '/collect', '/apple-touch-icon-120x120.png', '/FAVICON.PNG']
KINDS = ['page', 'asset', 'api', 'beacon', 'robots', 'other']


def make_rows(rng):
    rows = []
    t0 = 1_736_150_400_000
    for s in range(80):
        sid = f's{s:03d}'
        ts = t0 + s * 3_600_000
        uas = list(UAS)
        ua = rng.choice(uas)
        for _ in range(rng.randint(1, 25)):
            ts += rng.choice([0, 0, 5, 120, 800, 2_000, 9_000, 31_000])
            if rng.random() < 0.05:
                ua = rng.choice(uas + [None])
            if rng.random() < 0.1:  # a tracker event: no request columns
                rows.append({'sessionId': sid, 'ts': ts, 'eventName': 'page_view', 'userAgent': ua})
                continue
            path = rng.choice(PATHS + [None])
            rows.append({
                'sessionId': sid, 'ts': ts, 'eventName': 'request', 'userAgent': ua,
                'resource_kind': rng.choice(KINDS + [None]) if rng.random() < 0.95 else None,
                'method': rng.choice(['GET', 'GET', 'GET', 'POST', 'HEAD', 'head', None]),
                'path': path, 'query': rng.choice([None, None, '', 'q=1', 'page=2&sort=asc']),
                'status': rng.choice([200, 200, 200, 301, 304, 404, 500, None]),
                'bytes': rng.choice([0, 512, 20_000, None]),
                'referrer': rng.choice([None, '', '-', 'https://shop.example/']),
            })
    return rows


def features(df):
    out = {}
    for sid, ev in df.groupby('sessionId', sort=False):
        ev = ev.sort_values('ts', kind='stable')
        req = ev[ev['resource_kind'].notna()]
        n = len(req)
        kind = req['resource_kind'].str.lower()
        pages = int((kind == 'page').sum())
        assets = int((kind == 'asset').sum())
        ratio = lambda a, b: (a / b) if b > 0 else None
        st = req['status'].dropna()
        me = req['method'].dropna().str.upper()
        pa = req['path'].dropna()
        no_ref = ((kind == 'page') & (req['referrer'].isna() | req['referrer'].isin(['', '-']))).sum()
        fav = pa.map(lambda p: bool(re.search(r'(^|/)(favicon\.(ico|png|svg)|apple-touch-icon[^/]*\.png)$', p.split('?')[0], re.I)))
        robots = bool((kind == 'robots').any() or (pa.str.lower() == '/robots.txt').any())
        depth = pa.map(lambda p: len([x for x in p.split('?')[0].split('/') if x != '']))
        by = req['bytes'].dropna()
        gaps = req.loc[kind != 'asset', 'ts'].diff().dropna() / 1000.0
        g = {}
        if len(gaps) >= 1:
            g['nonasset_gap_mean'] = float(gaps.mean())
            g['nonasset_gap_median'] = float(gaps.median())
            g['nonasset_gap_max'] = float(gaps.max())
        if len(gaps) >= 2:
            sd, mean = float(gaps.std(ddof=1)), float(gaps.mean())
            g['nonasset_gap_sd'] = sd
            g['nonasset_gap_cv'] = sd / mean if mean > 0 else None
            g['nonasset_burstiness'] = (sd - mean) / (sd + mean) if sd + mean > 0 else None
        span = (req['ts'].max() - req['ts'].min()) if n > 0 else 0
        ua = ev['userAgent'].dropna()
        changes = int((ua != ua.shift()).sum() - 1) if len(ua) > 0 else 0
        row = {
            'request_count': n,
            'page_share': ratio(pages, n), 'asset_share': ratio(assets, n),
            'api_share': ratio(int((kind == 'api').sum()), n), 'beacon_share': ratio(int((kind == 'beacon').sum()), n),
            'assets_per_page': ratio(assets, pages),
            'status_3xx_share': ratio(int(((st // 100) == 3).sum()), len(st)),
            'status_4xx_share': ratio(int(((st // 100) == 4).sum()), len(st)),
            'status_5xx_share': ratio(int(((st // 100) == 5).sum()), len(st)),
            'head_share': ratio(int((me == 'HEAD').sum()), len(me)), 'post_share': ratio(int((me == 'POST').sum()), len(me)),
            'pages_without_referrer_share': ratio(int(no_ref), pages),
            'robots_txt_fetched': int(robots), 'favicon_fetched': int(bool(fav.any())),
            'distinct_path_ratio': ratio(int(pa.nunique()), len(pa)), 'mean_path_depth': float(depth.mean()) if len(pa) else None,
            'query_share': ratio(int((req['query'].notna() & (req['query'] != '')).sum()), n),
            'bytes_per_request': float(by.mean()) if len(by) else None,
            'nonasset_gap_mean': None, 'nonasset_gap_sd': None, 'nonasset_gap_cv': None, 'nonasset_gap_median': None,
            'nonasset_gap_max': None, 'nonasset_burstiness': None,
            'pages_per_minute': pages / (span / 60_000) if span > 0 else None,
            'ua_known_bot': int(any(UAS[u] for u in ua.unique())), 'ua_changes': changes,
        }
        row.update(g)
        out[sid] = {k: (None if v is None or (isinstance(v, float) and math.isnan(v)) else v) for k, v in row.items()}
    return out


def main():
    rows = make_rows(random.Random(16))
    with open(os.path.join(ROOT, 'test', 'features', 'data', 'request-events.jsonl'), 'w') as f:
        for r in rows:
            f.write(json.dumps(r) + '\n')
    cols = ['sessionId', 'ts', 'eventName', 'userAgent', 'resource_kind', 'method', 'path', 'query', 'status', 'bytes', 'referrer']
    df = pd.DataFrame(rows, columns=cols)
    golden = {'generator': 'test/oracles/requests.py', 'pandas': pd.__version__, 'numpy': np.__version__, 'sessions': features(df)}
    with open(os.path.join(ROOT, 'test', 'golden', 'requests.json'), 'w') as f:
        json.dump(golden, f, indent=1, sort_keys=True)
        f.write('\n')
    print(f"{len(rows)} events, {len(golden['sessions'])} sessions")


if __name__ == '__main__':
    main()
