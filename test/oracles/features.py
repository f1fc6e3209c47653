"""Independent pandas implementation of docs/features.md (session features) and Appendix A (the `original` set).

Re-run with:  /usr/bin/python3 test/oracles/features.py
Writes test/features/data/edge-events.jsonl and edge-price-logs.jsonl (a deterministic edge-case dataset),
and test/golden/features.json (fixtures) and test/golden/features-edge.json (edge cases), recording the
pandas and numpy versions. phantom's tests compare against these (floats 1e-9 relative, counts exact).

The implementation is written the pandas way (sort, groupby aggregations, searchsorted) from docs/features.md
text alone; it shares no code with src/features. `bench/features.mjs` also times `compute_features`.
"""
import json
import math
import os
import random
import sys

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
GOLDEN = os.path.join(ROOT, 'test', 'golden')
DATA = os.path.join(ROOT, 'test', 'features', 'data')

NAV_ITEM = {'view_item_page', 'learn_more_about_item'}
FILTER = {'search', 'filter_for_date', 'filter_for_amenities', 'filter_for_price', 'sort_change'}
KNOWN = {'page_view', 'view_item_page', 'learn_more_about_item', 'add_item_to_cart', 'remove_item', 'checkout_start',
         'purchase_complete', 'session_start'} | FILTER | {'hover_over_title', 'hover_over_paragraph', 'hover_over_link', 'hover_over_button'}
HEADLESS = r'HeadlessChrome|Headless|PhantomJS'
AUTOMATION = r'Selenium|Playwright|Puppeteer|WebDriver|chromedriver|geckodriver'

DEFAULT_COLUMNS = [
    'session_duration_sec', 'total_interactions', 'avg_time_between_events', 'std_time_between_events', 'min_time_between_events',
    'gap_median_sec', 'gap_cv', 'session_start_hour', 'interaction_velocity', 'max_velocity_5min', 'total_events', 'unique_pages',
    'page_views', 'item_views', 'cart_adds', 'cart_removes', 'checkout_starts', 'purchases', 'hover_events', 'filter_events',
    'unknown_events', 'cart_to_view_ratio', 'conversion_rate', 'hover_intensity', 'event_type_entropy', 'transition_entropy',
    'unique_products_viewed', 'product_view_depth', 'repeat_product_ratio', 'avg_price_seen', 'min_price_seen', 'max_price_seen',
    'std_price_seen', 'price_range', 'dwell_mean_ms', 'shown_price_mean', 'shown_markup_mean', 'is_headless', 'is_automation', 'browser_family',
]
ORIGINAL_COLUMNS = [
    'session_duration_sec', 'total_interactions', 'avg_time_between_events', 'std_time_between_events', 'min_time_between_events',
    'session_start_hour', 'interaction_velocity', 'max_velocity_5min', 'total_events', 'unique_pages', 'page_views', 'item_views',
    'cart_adds', 'purchases', 'hover_events', 'cart_to_view_ratio', 'conversion_rate', 'hover_intensity', 'unique_products_viewed',
    'product_view_depth', 'avg_price_seen', 'min_price_seen', 'max_price_seen', 'price_range', 'is_headless', 'is_automation', 'browser_family',
]


# ---------------------------------------------------------------- input: raw JSON events → DataFrame (docs/contract.md §3)

def _finite_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _first_finite(meta, keys):
    for k in keys:
        if meta is not None and _finite_number(meta.get(k)):
            return float(meta[k])
    return np.nan


def _ts_ms(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return int(math.trunc(v))
    return pd.Timestamp(v).value // 1_000_000  # ns → ms, floored


def read_events_jsonl(path, experiments=None):
    """Flat JSON-lines events → one row per valid event (invalid records dropped, as phantom dead-letters them)."""
    rows = []
    with open(path, encoding='utf8') as f:
        for pos, line in enumerate(f):
            if not line.strip():
                continue
            ev = json.loads(line)
            if not isinstance(ev.get('sessionId'), str) or ev['sessionId'] == '' or not isinstance(ev.get('eventName'), str) or ev['eventName'] == '':
                continue
            meta = ev.get('metadata')
            if isinstance(meta, str):
                meta = json.loads(meta) if meta.strip() else None
            ua = ev.get('userAgent')
            label = ev.get('is_agent')
            rows.append({
                'sessionId': ev['sessionId'], 'experimentId': ev.get('experimentId'), 'ts': _ts_ms(ev['ts']),
                'eventName': ev['eventName'], 'page': ev.get('page'), 'productId': ev.get('productId'),
                'price': _first_finite(meta, ['price', 'base_price']),
                'price_base_first': _first_finite(meta, ['base_price', 'price']),
                'dwellMs': _first_finite(meta, ['dwellTime', 'duration_ms']),
                'userAgent': None if ua is None or ua.strip() == '' else ua,
                'is_agent': label if isinstance(label, bool) else None,
                'src_offset': pos, 'pos': pos,
            })
    df = pd.DataFrame(rows)
    if experiments is not None:
        joined = df['experimentId'].map(experiments)
        df['is_agent'] = df['is_agent'].where(df['is_agent'].notna(), joined)
    return df


def read_experiments_csv(path):
    ex = pd.read_csv(path, dtype=str)
    return {r.id: r.xp_human_only.strip().lower() != 'true' for r in ex.itertuples()}


# ---------------------------------------------------------------- features (docs/features.md, Appendix A)

def _entropy_by_session(counts):
    """counts: Series indexed by (sessionId, …) → Shannon entropy (nats) per session."""
    total = counts.groupby(level=0, sort=False).transform('sum')
    p = counts / total
    return (-(p * np.log(p))).groupby(level=0, sort=False).sum()


def compute_features(df, feature_set='default', timeout_sec=900.0, price_logs=None, fill_missing=None):
    df = df.sort_values(['sessionId', 'ts', 'src_offset', 'pos'], kind='mergesort', na_position='last').reset_index(drop=True)
    sid = df['sessionId']
    g = df.groupby('sessionId', sort=False)
    out = pd.DataFrame(index=pd.Index(sid.unique(), name='sessionId'))
    n = g.size()

    # timing
    gap = g['ts'].diff() / 1000.0
    df['gap'] = gap
    within = df['gap'].where(df['gap'] <= timeout_sec, 0.0).fillna(0.0)
    duration = within.groupby(sid, sort=False).sum()
    gs = df.groupby('sessionId', sort=False)['gap']
    avg = gs.mean()
    std = gs.std(ddof=1).fillna(0.0)
    out['session_duration_sec'] = duration
    out['total_interactions'] = n
    out['avg_time_between_events'] = avg
    out['std_time_between_events'] = std
    out['min_time_between_events'] = gs.min()
    out['gap_median_sec'] = gs.median()
    out['gap_cv'] = (std / avg).where((avg != 0) & avg.notna())
    out['session_start_hour'] = (g['ts'].first() // 3_600_000) % 24
    out['interaction_velocity'] = (n / duration * 60.0).where(duration > 0, 0.0)
    codes = pd.factorize(sid)[0].astype(np.int64)
    if feature_set == 'original':
        out['max_velocity_5min'] = df.groupby([sid, df['ts'] // 300_000], sort=False).size().groupby(level=0, sort=False).max()
    else:
        t = df['ts'].to_numpy(np.int64) - int(df['ts'].min())
        key = codes * (int(t.max()) + 300_001) + t
        ahead = np.searchsorted(key, key + 300_000, side='left') - np.arange(len(key))
        out['max_velocity_5min'] = pd.Series(ahead, index=df.index).groupby(sid, sort=False).max()

    # volume
    name = df['eventName']
    count = lambda mask: mask.groupby(sid, sort=False).sum()  # noqa: E731
    is_hover = name.str.startswith('hover_over_', na=False)
    out['total_events'] = g['eventName'].count()
    out['unique_pages'] = g['page'].nunique()
    out['page_views'] = count(name == 'page_view')
    out['item_views'] = count(name.isin(NAV_ITEM))
    out['cart_adds'] = count(name == 'add_item_to_cart')
    out['cart_removes'] = count(name == 'remove_item')
    out['checkout_starts'] = count(name == 'checkout_start')
    out['purchases'] = count(name == 'purchase_complete')
    out['hover_events'] = count(is_hover)
    out['filter_events'] = count(name.isin(FILTER))
    out['unknown_events'] = count(name.notna() & ~name.isin(KNOWN) & ~is_hover)
    views = out['item_views']
    out['cart_to_view_ratio'] = (out['cart_adds'] / views).where(views > 0, 0.0)
    out['conversion_rate'] = (out['purchases'] / views).where(views > 0, 0.0)
    out['hover_intensity'] = (out['hover_events'] / out['total_events']).where(out['total_events'] > 0)
    out['event_type_entropy'] = _entropy_by_session(df.groupby([sid, name], sort=False).size())
    nxt = g['eventName'].shift(-1)
    pairs = df[name.notna() & nxt.notna()].assign(nxt=nxt)
    out['transition_entropy'] = _entropy_by_session(pairs.groupby(['sessionId', 'eventName', 'nxt'], sort=False).size())
    out['transition_entropy'] = out['transition_entropy'].fillna(0.0)

    # products and prices
    price_col = 'price_base_first' if feature_set == 'original' else 'price'
    bearing = df[df['productId'].notna()]
    pb = bearing.groupby('sessionId', sort=False)
    n_bearing = pb.size().reindex(out.index, fill_value=0)
    unique = pb['productId'].nunique().reindex(out.index, fill_value=0)
    depth = bearing.groupby(['sessionId', 'productId'], sort=False).size().groupby(level=0, sort=False).max().reindex(out.index, fill_value=0)
    prices = pb[price_col]
    out['unique_products_viewed'] = unique
    out['product_view_depth'] = depth
    out['repeat_product_ratio'] = (1 - unique / n_bearing).where(n_bearing > 0)
    out['avg_price_seen'] = prices.mean()
    out['min_price_seen'] = prices.min()
    out['max_price_seen'] = prices.max()
    out['std_price_seen'] = prices.std(ddof=1)
    out['price_range'] = (out['max_price_seen'] - out['min_price_seen']).fillna(0.0)
    if feature_set == 'original':
        none = n_bearing == 0
        for c in ['unique_products_viewed', 'product_view_depth', 'avg_price_seen', 'min_price_seen', 'max_price_seen', 'price_range']:
            out[c] = out[c].where(~none)
    out['dwell_mean_ms'] = g['dwellMs'].mean()

    # shown prices
    if price_logs is not None:
        logs = price_logs[price_logs['sessionId'].isin(out.index)]
        out['shown_price_mean'] = logs.groupby('sessionId')['price'].mean()
        base = df[df['productId'].notna() & df['price'].notna()].groupby(['sessionId', 'productId'], sort=False)['price'].first().rename('base')
        m = logs.join(base, on=['sessionId', 'productId'])
        m = m[m['base'].notna() & (m['base'] != 0)]
        out['shown_markup_mean'] = (m['price'] / m['base']).groupby(m['sessionId']).mean()

    # client
    ua = g['userAgent'].first()
    out['is_headless'] = ua.str.contains(HEADLESS, case=False, regex=True).fillna(False).astype(float)
    out['is_automation'] = ua.str.contains(AUTOMATION, case=False, regex=True).fillna(False).astype(float)
    has = lambda tok: ua.str.contains(tok, regex=False).fillna(False)  # noqa: E731
    first, second = ('Chrome', 'Edge') if feature_set == 'original' else ('Edge', 'Chrome')
    token = {'Edge': 'Edg/', 'Chrome': 'Chrome/'}
    out['browser_family'] = np.select(
        [ua.isna(), has(token[first]), has(token[second]), has('Firefox/'), has('Safari/')],
        ['Unknown', first, second, 'Firefox', 'Safari'], default='Other')

    columns = ORIGINAL_COLUMNS if feature_set == 'original' else [c for c in DEFAULT_COLUMNS if price_logs is not None or not c.startswith('shown_')]
    out = out[columns].copy()
    if fill_missing is not None:
        numeric = [c for c in columns if c != 'browser_family']
        out[numeric] = out[numeric].astype(float).fillna(fill_missing)
    out.insert(0, 'experimentId', g['experimentId'].first())
    # is_agent: the one label the session's events carry; both labels → unlabelled (docs/contract.md §3.1)
    out.insert(1, 'is_agent', g['is_agent'].agg(lambda s: s.dropna().iloc[0] if s.dropna().nunique() == 1 else None))
    out.insert(2, 'purchased', g['eventName'].agg(lambda s: bool((s == 'purchase_complete').any())))
    return out


# ---------------------------------------------------------------- the edge-case dataset

UAS = {
    'edge': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.67',
    'chrome': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    'headless': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36',
    'playwright': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Playwright/1.44.0',
    'phantomjs': 'Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1',
    'firefox': 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
    'safari': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
    'curl': 'curl/8.4.0',
}
T0 = 1_736_000_000_000  # 2025-01-04T14:13:20Z


def ev(sid, t, name, **kw):
    e = {'sessionId': sid, 'experimentId': kw.pop('xp', 'xp-' + sid), 'eventName': name, 'ts': t, 'page': kw.pop('page', '/hotel/products'),
         'productId': kw.pop('product', None), 'storeMode': 'hotel', 'userAgent': kw.pop('ua', UAS['chrome']), 'metadata': kw.pop('meta', None)}
    e.update(kw)
    return e


def iso(ms):
    return pd.Timestamp(ms, unit='ms', tz='UTC').strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3] + 'Z'


def edge_events():
    E = []
    # one event, no user agent, no product
    E.append(ev('one-event', T0, 'page_view', ua=None))
    # equal timestamps: ties broken by input order
    for name in ['page_view', 'view_item_page', 'add_item_to_cart', 'page_view']:
        E.append(ev('equal-ts', T0 + 5000, name, product='p1' if name != 'page_view' else None, meta={'price': 100}))
    E.append(ev('equal-ts', T0 + 9000, 'checkout_start'))
    # gaps around the 900 s timeout: 10, 1000, 899, 900 (counts: <= T), 901 s
    t = T0
    for gap in [0, 10_000, 1_000_000, 899_000, 900_000, 901_000]:
        t += gap
        E.append(ev('timeout', t, 'page_view', page=f'/p{gap % 3}'))
    # nulls in every optional column
    E.append(ev('all-null', T0 + 100, 'page_view', xp=None, page=None, ua=None, storeMode=None))
    E.append(ev('all-null', T0 + 2100, 'view_item_page', xp=None, page=None, ua=None, storeMode=None, meta={}))
    E.append(ev('all-null', T0 + 2600, 'page_view', xp=None, page=None, ua='   ', storeMode=None))
    # unknown event names, an unnamed hover, dwell under both keys
    for k, name in enumerate(['mystery_click', 'page_view', 'hover_over_image', 'zoom', 'hover_over_title', 'mystery_click']):
        meta = {'dwellTime': 1200 + k} if name.startswith('hover') else ({'duration_ms': 400} if name == 'zoom' else None)
        E.append(ev('unknown-names', T0 + 1000 * k, name, meta=meta))
    # products without prices; base_price vs price; non-numeric prices fall through
    E.append(ev('no-prices', T0, 'view_item_page', product='p1'))
    E.append(ev('no-prices', T0 + 700, 'view_item_page', product='p2', meta={'roomType': 'suite'}))
    E.append(ev('no-prices', T0 + 1400, 'add_item_to_cart', product='p1'))
    for k, meta in enumerate([{'price': 120, 'base_price': 100}, {'base_price': 80}, {'price': '12', 'base_price': 90},
                              {'price': True, 'base_price': 70}, {'price': 55}, {'price': None, 'base_price': None}]):
        E.append(ev('base-price', T0 + 3000 * k, 'view_item_page', product=f'p{k % 4}', meta=meta))
    # client: first non-null user agent in time order; Edge vs Chrome order; Other
    for sid, ua in [('ua-edge', 'edge'), ('ua-headless', 'headless'), ('ua-playwright', 'playwright'), ('ua-phantomjs', 'phantomjs'),
                    ('ua-firefox', 'firefox'), ('ua-safari', 'safari'), ('ua-curl', 'curl')]:
        E.append(ev(sid, T0 + 50, 'page_view', ua=UAS[ua]))
        E.append(ev(sid, T0 + 1050, 'view_item_page', ua=UAS['chrome'], product='p1', meta={'price': 10}))
    E.append(ev('ua-late', T0 + 5000, 'page_view', ua=UAS['firefox']))
    E.append(ev('ua-late', T0, 'page_view', ua=None))
    # experimentId: first non-null in time order; is_agent: both labels → unlabelled
    E.append(ev('labels', T0 + 10, 'page_view', xp=None))
    E.append(ev('labels', T0 + 20, 'page_view', xp='xp-b', is_agent=True))
    E.append(ev('labels', T0 + 30, 'page_view', xp='xp-c', is_agent=False))
    E.append(ev('human', T0, 'page_view', is_agent=False))
    # one name only (entropy 0); sub-millisecond ISO digits are floored; epoch-ms numbers
    E.append(ev('same-name', iso(T0) [:-1] + '9Z', 'page_view'))
    E.append(ev('same-name', T0 + 2500.7, 'page_view'))
    E.append(ev('purchase', T0, 'view_item_page', product='p9', meta={'price': 20}))
    E.append(ev('purchase', T0 + 1000, 'purchase_complete', product='p9', meta={'total': 20}))
    # sliding 5-minute window vs clock bins: 6 events straddling a bin boundary
    b = (T0 // 300_000 + 1) * 300_000
    for d in [-120_000, -60_000, -1, 0, 60_000, 120_000, 400_000]:
        E.append(ev('window', b + d, 'page_view'))
    # random bulk sessions, interleaved and shuffled so input order is not time order
    rng = random.Random(7)
    names = ['page_view'] * 5 + ['view_item_page', 'learn_more_about_item'] * 2 + ['add_item_to_cart', 'remove_item', 'checkout_start',
             'purchase_complete', 'search', 'filter_for_date', 'sort_change', 'hover_over_title', 'hover_over_button', 'session_start', 'weird_event']
    bulk = []
    for s in range(40):
        sid = f'bulk-{s:02d}'
        t = T0 + rng.randrange(0, 86_400_000)
        ua = rng.choice(list(UAS.values()) + [None])
        for k in range(rng.randrange(1, 40)):
            t += int(rng.lognormvariate(8, 1.8)) if rng.random() > 0.1 else 0
            name = rng.choice(names)
            product = rng.choice([None, None, 'p1', 'p2', 'p3', 'p4'])
            meta = None
            if product is not None and rng.random() < 0.8:
                meta = {rng.choice(['price', 'base_price']): rng.choice([85, 110, 140, 180, 280, 450.5])}
                if rng.random() < 0.3:
                    meta['base_price'] = 99.99
            if name.startswith('hover'):
                meta = dict(meta or {}, dwellTime=rng.randrange(1200, 1308))
            bulk.append(ev(sid, t, name, product=product, page=rng.choice([None, '/hotel/products', '/airline/flights', f'/hotel/products/{product}']),
                           ua=ua if k > 0 or rng.random() < 0.7 else None, meta=meta, is_agent=(s % 3 == 0) if rng.random() < 0.9 else None))
    rng.shuffle(bulk)
    rng.shuffle(E)
    return E + bulk


def edge_price_logs(events):
    rng = random.Random(11)
    logs = []
    for e in events:
        price = (e.get('metadata') or {}).get('price')
        if e.get('productId') is not None and _finite_number(price) and rng.random() < 0.6:
            for _ in range(rng.randrange(1, 4)):
                logs.append({'productId': e['productId'], 'price': round(price * rng.choice([0.9, 1.0, 1.1, 1.3]), 2), 'sessionId': e['sessionId'], 'storeMode': 'hotel', 'ts': e['ts']})
    logs.append({'productId': 'p-never-seen', 'price': 42.0, 'sessionId': 'timeout', 'storeMode': 'hotel', 'ts': T0})
    logs.append({'productId': 'p1', 'price': 10.0, 'sessionId': 'no-such-session', 'storeMode': 'hotel', 'ts': T0})
    return logs


# ---------------------------------------------------------------- golden files

def _json_value(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        return float(v)
    return v


def case(name, input_path, out, options):
    cols = list(out.columns)
    return {'name': name, 'input': os.path.relpath(input_path, ROOT), 'options': options, 'columns': cols,
            'rows': {sid: [_json_value(v) for v in row] for sid, row in zip(out.index, out.itertuples(index=False))}}


def versions():
    return {'pandas': pd.__version__, 'numpy': np.__version__, 'python': sys.version.split()[0]}


def main():
    os.makedirs(DATA, exist_ok=True)
    fixtures = os.path.join(ROOT, 'fixtures', 'events.jsonl')
    experiments = read_experiments_csv(os.path.join(ROOT, 'fixtures', 'experiments.csv'))
    df = read_events_jsonl(fixtures, experiments)
    cases = [
        case('fixtures-default', fixtures, compute_features(df, 'default'), {'featureSet': 'default', 'timeoutSec': 900, 'experimentsFrom': 'fixtures/experiments.csv'}),
        case('fixtures-original', fixtures, compute_features(df, 'original'), {'featureSet': 'original', 'timeoutSec': 900, 'experimentsFrom': 'fixtures/experiments.csv'}),
        case('fixtures-timeout-30', fixtures, compute_features(df, 'default', timeout_sec=30), {'featureSet': 'default', 'timeoutSec': 30, 'experimentsFrom': 'fixtures/experiments.csv'}),
    ]
    with open(os.path.join(GOLDEN, 'features.json'), 'w') as f:
        json.dump({'generator': 'test/oracles/features.py', 'versions': versions(), 'cases': cases}, f, separators=(',', ':'))

    events = edge_events()
    edge_path = os.path.join(DATA, 'edge-events.jsonl')
    logs_path = os.path.join(DATA, 'edge-price-logs.jsonl')
    with open(edge_path, 'w') as f:
        f.writelines(json.dumps(e) + '\n' for e in events)
    logs = edge_price_logs(events)
    with open(logs_path, 'w') as f:
        f.writelines(json.dumps(r) + '\n' for r in logs)
    edf = read_events_jsonl(edge_path)
    ldf = pd.DataFrame(logs)
    edge_cases = [
        case('edge-default-price-logs', edge_path, compute_features(edf, 'default', price_logs=ldf), {'featureSet': 'default', 'timeoutSec': 900, 'priceLogs': os.path.relpath(logs_path, ROOT)}),
        case('edge-original', edge_path, compute_features(edf, 'original'), {'featureSet': 'original', 'timeoutSec': 900}),
        case('edge-default-t60-fill0', edge_path, compute_features(edf, 'default', timeout_sec=60, fill_missing=0.0), {'featureSet': 'default', 'timeoutSec': 60, 'fillMissing': 0}),
        case('edge-original-fill0', edge_path, compute_features(edf, 'original', fill_missing=0.0), {'featureSet': 'original', 'timeoutSec': 900, 'fillMissing': 0}),
    ]
    with open(os.path.join(GOLDEN, 'features-edge.json'), 'w') as f:
        json.dump({'generator': 'test/oracles/features.py', 'versions': versions(), 'cases': edge_cases}, f, separators=(',', ':'))
    print(f'wrote {len(cases)} fixture cases ({len(df)} events) and {len(edge_cases)} edge cases ({len(edf)} events)')


if __name__ == '__main__':
    main()
