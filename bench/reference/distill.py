"""Reference for bench/distill.mjs: the same distillation written the way a notebook would, with xgboost,
numpy and scikit-learn, on the same matrix and the same two teacher models (phantom wrote them; xgboost
loads them). Reads X as raw float64 (no Parquet reader in Debian's python3 here); times compute only.
Usage: /usr/bin/python3 bench/reference/distill.py DIR ROWS COLS   (DIR holds X.f64, agent.json, purchase.json)
"""
import json
import sys
import time

import numpy as np
import sklearn
import xgboost as xgb
from sklearn.metrics import mean_absolute_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeRegressor, export_text

d, rows, cols = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
X = np.fromfile(f'{d}/X.f64', dtype='<f8').reshape(rows, cols)
names = json.load(open(f'{d}/names.json'))
agent = xgb.Booster(model_file=f'{d}/agent.json')
purchase = xgb.Booster(model_file=f'{d}/purchase.json')

times = {}
c0 = time.process_time()
t0 = time.perf_counter()
dm = xgb.DMatrix(X.astype(np.float32), feature_names=names)
p_agent = agent.predict(dm).astype(np.float64)
p_purchase = purchase.predict(dm).astype(np.float64)
markup = np.clip(1 + 0.5 * p_agent - 0.3 * p_purchase, 0.7, 1.5)
times['teacher'] = time.perf_counter() - t0
t1 = time.perf_counter()
idx_train, idx_test = train_test_split(np.arange(rows), test_size=0.2, random_state=42)
tree = DecisionTreeRegressor(max_depth=5, min_samples_leaf=50, random_state=0).fit(X[idx_train].astype(np.float32), markup[idx_train])
times['student'] = time.perf_counter() - t1
t2 = time.perf_counter()
pred = tree.predict(X.astype(np.float32))
r2 = r2_score(markup[idx_test], pred[idx_test])
mae = mean_absolute_error(markup[idx_test], pred[idx_test])
leaves = tree.apply(X.astype(np.float32))
per_leaf = {int(l): float(p_agent[leaves == l].mean()) for l in np.unique(leaves)}
text = export_text(tree, feature_names=names, decimals=4)
times['fidelity_and_rules'] = time.perf_counter() - t2
times['total'] = time.perf_counter() - t0
times['total_cpu'] = time.process_time() - c0  # all threads of the process (xgboost predicts on several)
print(json.dumps({'sklearn': sklearn.__version__, 'xgboost': xgb.__version__, 'times': times, 'r2': r2, 'mae': mae,
                  'leaves': len(per_leaf), 'text_lines': text.count('\n')}))
