"""Oracle for `phantom auction --ctr-model`: an XGBoost model trained by xgboost itself on a generated
impressions table, and its predictions, so phantom's reader is checked against the real producer.

Re-run from the repository root (writes test/golden/auction/xgb-ctr-model.json and xgb-ctr.json):
    node bin/phantom.js auction --write-impressions test/golden/auction/impressions.csv --impressions 3000 --seed 11
    /usr/bin/python3 test/oracles/auction_ctr.py
Features as docs/auction.md §3: hour_of_day, day_of_week (0 = Sunday), banner_pos, device_type,
device_conn_type, site_category and app_category as 24-bit FNV-1a codes, C14..C21.
"""
import datetime
import json

import numpy as np
import pandas as pd
import xgboost

FEATURES = ['hour_of_day', 'day_of_week', 'banner_pos', 'device_type', 'device_conn_type', 'site_category', 'app_category',
            'C14', 'C15', 'C16', 'C17', 'C18', 'C19', 'C20', 'C21']


def fnv24(s):
    h = 0x811c9dc5
    for ch in s.encode('utf-16-le')[::2]:  # the strings are ASCII: one code unit per byte
        h = ((h ^ ch) * 0x01000193) & 0xffffffff
    return h & 0xffffff


def features(df):
    out = pd.DataFrame()
    hour = df['hour'].astype(int)
    out['hour_of_day'] = hour % 100
    out['day_of_week'] = [(datetime.date(2000 + h // 1000000, h // 10000 % 100, h // 100 % 100).weekday() + 1) % 7 for h in hour]
    for c in ['banner_pos', 'device_type', 'device_conn_type']:
        out[c] = df[c].astype(float)
    out['site_category'] = [float(fnv24(s)) for s in df['site_category']]
    out['app_category'] = [float(fnv24(s)) for s in df['app_category']]
    for k in range(14, 22):
        out[f'C{k}'] = df[f'C{k}'].astype(float)
    return out[FEATURES]


df = pd.read_csv('test/golden/auction/impressions.csv', dtype={'site_category': str, 'app_category': str})
X = features(df)
y = df['click'].to_numpy()
d = xgboost.DMatrix(X.to_numpy(dtype=np.float32), label=y, feature_names=FEATURES)
booster = xgboost.train({'objective': 'binary:logistic', 'tree_method': 'hist', 'max_depth': 3, 'eta': 0.3, 'base_score': float(y.mean()), 'seed': 0}, d, num_boost_round=20)
booster.save_model('test/golden/auction/xgb-ctr-model.json')
pred = booster.predict(d)
json.dump({'xgboost': xgboost.__version__, 'rows': int(len(y)), 'predictions': [float(p) for p in pred]},
          open('test/golden/auction/xgb-ctr.json', 'w'))
print('xgboost', xgboost.__version__, 'rows', len(y), 'mean prediction', float(pred.mean()))
