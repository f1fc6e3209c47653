"""Golden values for `phantom distill` (docs/distill.md) from scikit-learn and xgboost.

Re-run with:  /usr/bin/python3 test/oracles/distill.py
Writes test/golden/distill/sessions.csv (a session table), agent-model.json and purchase-model.json
(boosters trained by xgboost itself) and test/golden/distill.json (the trees scikit-learn grows).

Cases, each fitted on all rows (phantom: --test-size 0) and checked by test/distill/golden.test.ts:
- column:  DecisionTreeRegressor on the `score` column      (phantom distill --target-column score)
- markup:  DecisionTreeRegressor on clip(1 + 0.5 p_agent - 0.3 p_purchase, 0.7, 1.5), p from the two
           xgboost models                                    (phantom distill agent-model.json … --purchase-model)
- tiers:   DecisionTreeClassifier on the tiers 0.4:1.1,0.7:1.3 of `score` (phantom distill --tiers …)

scikit-learn fits on float32 X, so every feature value is float32-exact. Each case must be free of gain
ties: the tree must be the same for random_state 0..9, and (markup case) when the target is perturbed by
1e-6 (xgboost and phantom agree on probabilities to ~1e-7, not exactly); otherwise the script aborts.
"""
import json
import os

import numpy as np
import pandas as pd
import sklearn
import xgboost as xgb
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'golden', 'distill')
N = 800
FEATURES = ['speed', 'dwell', 'depth', 'hour_frac', 'entropy', 'avg_price_seen']
PARAMS = {'maxDepth': 4, 'minSamplesLeaf': 20}
TIER_PARAMS = {'maxDepth': 3, 'minSamplesLeaf': 20}  # depth 4 has Gini ties among small leaves on this data
TIERS = [(-np.inf, 1.0), (0.4, 1.1), (0.7, 1.3)]


def f32(a):
    return np.asarray(a, dtype=np.float64).astype(np.float32).astype(np.float64)


def make_table(rng):
    X = np.column_stack([
        f32(rng.lognormal(1.0, 0.6, N)),      # speed
        f32(rng.gamma(2.0, 700.0, N)),        # dwell
        f32(rng.normal(4.0, 1.5, N)),         # depth (continuous: no value ties)
        f32(rng.uniform(0, 24, N)),           # hour_frac
        f32(rng.uniform(0.2, 2.2, N)),        # entropy
        f32(rng.uniform(50, 500, N)),         # avg_price_seen
    ])
    logit_agent = 1.6 * (X[:, 0] - 3) - 0.001 * (X[:, 1] - 1400) + 0.8 * (X[:, 4] < 0.8)
    is_agent = (rng.uniform(size=N) < 1 / (1 + np.exp(-logit_agent))).astype(int)
    logit_buy = -1.0 + 0.6 * (X[:, 2] - 4) - 1.5 * is_agent
    purchased = (rng.uniform(size=N) < 1 / (1 + np.exp(-logit_buy))).astype(int)
    score = 1 / (1 + np.exp(-(logit_agent + 0.3 * rng.normal(size=N))))
    df = pd.DataFrame(X, columns=FEATURES)
    df.insert(0, 'sessionId', [f's{i:04d}' for i in range(N)])
    df.insert(1, 'is_agent', is_agent)
    df.insert(2, 'purchased', purchased)
    df['score'] = score
    return df


def tree_arrays(model, kind):
    t = model.tree_
    out = {'left': t.children_left.tolist(), 'right': t.children_right.tolist(), 'feature': t.feature.tolist(),
           'threshold': t.threshold.tolist(), 'nSamples': t.n_node_samples.tolist()}
    if kind == 'regression':
        out['value'] = t.value[:, 0, 0].tolist()
    else:
        counts = t.value[:, 0, :]
        out['value'] = counts.argmax(axis=1).tolist()
        out['classProba'] = (counts / counts.sum(axis=1, keepdims=True)).tolist()
    return out


def fit(kind, X, y, params, seed):
    cls = DecisionTreeRegressor if kind == 'regression' else DecisionTreeClassifier
    return cls(max_depth=params['maxDepth'], min_samples_leaf=params['minSamplesLeaf'], random_state=seed).fit(X, y)


def tie_free_tree(name, kind, X, y, params, perturb=False):
    ref_model = fit(kind, X, y, params, 0)
    ref = tree_arrays(ref_model, kind)
    variants = [fit(kind, X, y, params, s) for s in range(1, 10)]
    if perturb:
        rng = np.random.default_rng(1)
        variants += [fit(kind, X, y + 1e-6 * rng.standard_normal(len(y)), params, s) for s in range(3)]
    for m in variants:
        other = tree_arrays(m, kind)
        for key in ('left', 'feature', 'threshold'):
            if other[key] != ref[key]:
                raise SystemExit(f'case {name}: the tree depends on ties (or 1e-6 noise) in {key}; change the data')
    return ref_model, ref


def leaf_means(model, X, values):
    leaves = model.apply(X)
    return {int(leaf): float(values[leaves == leaf].mean()) for leaf in np.unique(leaves)}


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20240607)
    df = make_table(rng)
    df.to_csv(os.path.join(OUT, 'sessions.csv'), index=False, float_format=None)
    back = pd.read_csv(os.path.join(OUT, 'sessions.csv'), float_precision='round_trip')
    assert np.array_equal(back[FEATURES].to_numpy(), df[FEATURES].to_numpy()), 'CSV did not round-trip exactly'
    X = df[FEATURES].to_numpy(dtype=np.float64)
    X32 = X.astype(np.float32)

    models = {}
    for name, label, seed in (('agent-model.json', 'is_agent', 3), ('purchase-model.json', 'purchased', 4)):
        dm = xgb.DMatrix(X32, label=df[label].to_numpy(), feature_names=FEATURES)
        bst = xgb.train({'objective': 'binary:logistic', 'tree_method': 'hist', 'max_depth': 3, 'eta': 0.3, 'seed': seed},
                        dm, num_boost_round=20)
        bst.save_model(os.path.join(OUT, name))
        models[label] = xgb.Booster(model_file=os.path.join(OUT, name))
    dm = xgb.DMatrix(X32, feature_names=FEATURES)
    p_agent = models['is_agent'].predict(dm).astype(np.float64)
    p_purchase = models['purchased'].predict(dm).astype(np.float64)
    markup = np.clip(1 + 0.5 * p_agent - 0.3 * p_purchase, 0.7, 1.5)

    score = df['score'].to_numpy()
    tiers = np.zeros(N, dtype=int)
    for k, (lo, _m) in enumerate(TIERS):
        tiers[score >= lo] = k

    cases = []
    for name, kind, y, params, perturb in (('column', 'regression', score, PARAMS, False),
                                           ('markup', 'regression', markup, PARAMS, True),
                                           ('tiers', 'classification', tiers, TIER_PARAMS, False)):
        model, tree = tie_free_tree(name, kind, X32, y, params, perturb)
        case = {'name': name, 'kind': kind, 'params': params, 'tree': tree, 'predict': model.predict(X32).tolist()}
        if name == 'markup':
            case['teacher'] = markup.tolist()
            case['leafMeanPAgent'] = leaf_means(model, X32, p_agent)
        cases.append(case)

    golden = {
        'producedBy': {'script': 'test/oracles/distill.py', 'sklearn': sklearn.__version__, 'xgboost': xgb.__version__,
                       'numpy': np.__version__, 'pandas': pd.__version__},
        'features': FEATURES, 'tiers': '0.4:1.1,0.7:1.3', 'rows': N,
        'pAgent': p_agent.tolist(), 'pPurchase': p_purchase.tolist(), 'cases': cases,
    }
    with open(os.path.join(HERE, '..', 'golden', 'distill.json'), 'w') as f:
        json.dump(golden, f)
    print('wrote test/golden/distill.json and test/golden/distill/{sessions.csv,agent-model.json,purchase-model.json}')
    for c in cases:
        print(c['name'], 'nodes', len(c['tree']['left']))


if __name__ == '__main__':
    main()
