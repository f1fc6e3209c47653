"""Golden values for src/models/cart from scikit-learn's DecisionTreeRegressor / DecisionTreeClassifier.

Re-run with:  /usr/bin/python3 test/oracles/cart.py
Writes test/golden/cart-regression.json and test/golden/cart-classification.json.

scikit-learn casts X to float32, so every X here is passed through float32 first; its float64 values are
what the JSON holds and what phantom fits on. Each case must be free of exact gain ties: the tree must be
identical for random_state 0..9 (sklearn scans features in a random order and keeps the first best split);
a case that fails this check aborts the script rather than producing an ambiguous golden.
"""
import json
import os
import sys

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, '..', 'golden')


def f32(a):
    return np.asarray(a, dtype=np.float64).astype(np.float32).astype(np.float64)


def sk_params(p):
    return dict(max_depth=p.get('maxDepth'), min_samples_leaf=p.get('minSamplesLeaf', 1),
                min_samples_split=p.get('minSamplesSplit', 2),
                min_impurity_decrease=p.get('minImpurityDecrease', 0.0))


def fit(kind, X, y, params, w, seed):
    cls = DecisionTreeRegressor if kind == 'regression' else DecisionTreeClassifier
    return cls(random_state=seed, **sk_params(params)).fit(X, y, sample_weight=w)


def tree_arrays(model, kind):
    t = model.tree_
    out = {
        'left': t.children_left.tolist(),
        'right': t.children_right.tolist(),
        'feature': t.feature.tolist(),
        'threshold': t.threshold.tolist(),
        'nSamples': t.n_node_samples.tolist(),
        'weightedSamples': t.weighted_n_node_samples.tolist(),
        'impurity': t.impurity.tolist(),
    }
    if kind == 'regression':
        out['value'] = t.value[:, 0, 0].tolist()
    else:
        counts = t.value[:, 0, :]
        out['classProba'] = (counts / counts.sum(axis=1, keepdims=True)).tolist()
        out['value'] = counts.argmax(axis=1).tolist()
    return out


DATASETS = {}


def dataset(name, X, y, names=None):
    """Register a dataset once (the golden file stores it once); 80% train, 20% held out."""
    X = f32(X)
    n_train = int(0.8 * len(X))
    names = [f'f{j}' for j in range(X.shape[1])] if names is None else list(names)
    DATASETS[name] = {'featureNames': [str(v) for v in names],
                      'X': X[:n_train].tolist(), 'y': y[:n_train].tolist(), 'XTest': X[n_train:].tolist()}
    return name, X[:n_train], y[:n_train], X[n_train:]


def case(name, kind, data, params, w=None):
    data_name, Xtr, ytr, Xte = data
    wtr = None if w is None else w[:len(Xtr)]
    model = fit(kind, Xtr, ytr, params, wtr, 0)
    ref = tree_arrays(model, kind)
    for seed in range(1, 10):
        other = tree_arrays(fit(kind, Xtr, ytr, params, wtr, seed), kind)
        for key in ('left', 'feature', 'threshold'):
            if other[key] != ref[key]:
                sys.exit(f'case {name}: tree depends on random_state {seed} ({key}) - gain ties, pick other data')
    out = {
        'name': name, 'kind': kind, 'params': params, 'dataset': data_name,
        'sampleWeight': None if wtr is None else wtr.tolist(),
        'tree': ref,
        'predictTest': model.predict(Xte).tolist(),
    }
    if kind == 'classification':
        out['predictProbaTest'] = model.predict_proba(Xte).tolist()
    print(f'{name}: {model.tree_.node_count} nodes, depth {model.get_depth()}', file=sys.stderr)
    return out


def regression_cases():
    rs = np.random.RandomState(7)
    X = rs.normal(size=(625, 6))
    y = np.sin(2 * X[:, 0]) + 0.8 * (X[:, 1] > 0.3) * X[:, 2] + 0.3 * X[:, 3] ** 2 + rs.normal(0, 0.3, 625)
    w = np.round(rs.uniform(0.5, 2.0, 625), 3)
    rs2 = np.random.RandomState(11)
    X2 = rs2.uniform(-3, 3, size=(1000, 5))
    y2 = 5 + 2 * np.abs(X2[:, 0]) - X2[:, 1] * X2[:, 4] + rs2.normal(0, 0.5, 1000)
    d = load_diabetes()
    smooth = dataset('synthetic-smooth', X, y)
    product = dataset('synthetic-product', X2, y2)
    diabetes = dataset('sklearn-diabetes', d.data, d.target.astype(np.float64), d.feature_names)
    return [
        case('reg-depth4-leaf5', 'regression', smooth, {'maxDepth': 4, 'minSamplesLeaf': 5}),
        case('reg-unlimited-leaf10-split30', 'regression', product,
             {'maxDepth': None, 'minSamplesLeaf': 10, 'minSamplesSplit': 30}),
        case('reg-min-impurity-decrease', 'regression', smooth,
             {'maxDepth': 8, 'minSamplesLeaf': 4, 'minImpurityDecrease': 0.004}),
        case('reg-weighted', 'regression', smooth, {'maxDepth': 4, 'minSamplesLeaf': 3}, w=w),
        case('reg-diabetes-depth5-leaf10', 'regression', diabetes, {'maxDepth': 5, 'minSamplesLeaf': 10}),
    ]


def classification_cases():
    rs = np.random.RandomState(3)
    X = rs.normal(size=(750, 5))
    score = X[:, 0] + 0.7 * X[:, 1] * X[:, 2] + rs.normal(0, 0.6, 750)
    y = np.digitize(score, [-0.5, 0.6])
    b = load_breast_cancer()
    three = dataset('synthetic-3class', X, y)
    # The ten 'mean *' columns: with all thirty, small pure splits tie across correlated columns.
    cancer = dataset('sklearn-breast-cancer-means', b.data[:, :10], b.target, b.feature_names[:10])
    return [
        case('clf-3class-depth5-leaf8', 'classification', three, {'maxDepth': 5, 'minSamplesLeaf': 8}),
        case('clf-breast-cancer-depth5-leaf5', 'classification', cancer, {'maxDepth': 5, 'minSamplesLeaf': 5}),
    ]


def write(path, cases):
    used = sorted({c['dataset'] for c in cases})
    doc = {'producedBy': {'script': 'test/oracles/cart.py', 'sklearn': sklearn.__version__,
                          'numpy': np.__version__, 'python': sys.version.split()[0]},
           'datasets': {k: DATASETS[k] for k in used},
           'cases': cases}
    with open(path, 'w') as fh:
        json.dump(doc, fh, separators=(',', ':'))
        fh.write('\n')


if __name__ == '__main__':
    write(os.path.join(GOLDEN, 'cart-regression.json'), regression_cases())
    write(os.path.join(GOLDEN, 'cart-classification.json'), classification_cases())
