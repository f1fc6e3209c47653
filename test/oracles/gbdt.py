#!/usr/bin/python3
"""Golden values for src/models/gbdt from xgboost 1.7.4 (the reference implementation).

Re-run with:  /usr/bin/python3 test/oracles/gbdt.py
It
  1. writes the breast-cancer fixture (test/golden/gbdt-breast-cancer.csv, fixed stratified split) and the
     shared training configurations (test/golden/gbdt-configs.json);
  2. compiles phantom (npx tsc) and runs test/oracles/gbdt-export.mjs, which trains phantom on the fixture and
     writes phantom's XGBoost-JSON models to test/golden/gbdt-phantom/ (plus probe rows on split thresholds);
  3. loads every phantom model with xgboost.Booster(model_file=...) and records xgboost's predictions and
     get_score importances for them;
  4. trains xgboost (tree_method=hist, nthread=1) with the same configurations, records test AUC, and commits
     the xgboost-trained models of the deterministic configurations (test/golden/gbdt-xgboost/*.json) with
     their predictions and importances, for the import path and for tree-by-tree comparison.
Everything lands in test/golden/gbdt.json with the library versions that produced it.
"""
import json
import math
import os
import platform
import subprocess
import sys

import numpy as np
import sklearn
import xgboost as xgb
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GOLDEN = os.path.join(ROOT, "test", "golden")
PHANTOM_DIR = os.path.join(GOLDEN, "gbdt-phantom")
XGB_DIR = os.path.join(GOLDEN, "gbdt-xgboost")
assert xgb.__version__ == "1.7.4", f"the goldens are defined against xgboost 1.7.4, found {xgb.__version__}"

# ---------------------------------------------------------------- 1. fixture and configurations
data = load_breast_cancer()
X_all, y_all = data.data, data.target.astype(int)
names = [str(n) for n in data.feature_names]
idx_train, idx_test = train_test_split(np.arange(len(y_all)), test_size=0.3, random_state=0, stratify=y_all)
is_test = np.zeros(len(y_all), dtype=int)
is_test[idx_test] = 1
with open(os.path.join(GOLDEN, "gbdt-breast-cancer.csv"), "w") as fh:
    fh.write(",".join(names + ["target", "is_test"]) + "\n")
    for i in range(len(y_all)):
        fh.write(",".join([repr(float(v)) for v in X_all[i]] + [str(y_all[i]), str(is_test[i])]) + "\n")


def with_missing(X):
    """Deterministic missing cells, reproduced in the TypeScript tests: row i, feature j < 10 is NaN when
    (7i + 13j) mod 11 == 0."""
    X = X.copy()
    for i in range(X.shape[0]):
        for j in range(10):
            if (7 * i + 13 * j) % 11 == 0:
                X[i, j] = np.nan
    return X


def hash_dataset(n=20000):
    """Deterministic 20k-row data from an integer hash (reproduced in test/models/gbdt/fixture.ts), large
    enough that xgboost's quantile sketch streams (queue overflow, summary levels) at max_bin 64."""
    M = 0xFFFFFFFF

    def u(i, j):
        h = ((i + 1) * 2654435761 + (j + 1) * 2246822519) & M
        h ^= h >> 15
        h = (h * 2246822519) & M
        h ^= h >> 13
        return h / 4294967296.0

    X = np.zeros((n, 6))
    y = np.zeros(n, dtype=int)
    for i in range(n):
        a, b, c, d, e, f = (u(i, j) for j in range(6))
        X[i] = [math.floor(a * 1000 + 0.5) / 10, b * b * b * 100, -50 + 100 * c, math.floor(d * 7),
                np.nan if e < 0.1 else e * 10, (f - 0.5) * 1e-3]
        s = (X[i, 0] / 100 - 0.5) + X[i, 2] / 100 + (X[i, 3] - 3) / 6 - (0.3 if e < 0.1 else X[i, 4] / 10 - 0.5)
        y[i] = 1 if s + (u(i, 99) - 0.5) * 0.8 > 0 else 0
    return X, y


n_pos = int(y_all[idx_train].sum())
n_neg = len(idx_train) - n_pos
spw = n_neg / n_pos
configs = {
    "depth4": {"data": "clean", "params": {"n_estimators": 60, "eta": 0.1, "max_depth": 4, "min_child_weight": 1,
                                            "lambda": 1, "alpha": 0, "gamma": 0, "subsample": 1, "colsample_bytree": 1,
                                            "max_bin": 256, "base_score": 0.5, "scale_pos_weight": spw}},
    "missing": {"data": "missing", "params": {"n_estimators": 60, "eta": 0.1, "max_depth": 5, "min_child_weight": 0.5,
                                               "lambda": 2, "alpha": 0.5, "gamma": 0.2, "subsample": 1,
                                               "colsample_bytree": 1, "max_bin": 32, "base_score": 0.4,
                                               "scale_pos_weight": 1}},
    "sampled": {"data": "clean", "params": {"n_estimators": 200, "eta": 0.05, "max_depth": 6, "min_child_weight": 1,
                                             "lambda": 1, "alpha": 0, "gamma": 0, "subsample": 0.8,
                                             "colsample_bytree": 0.7, "max_bin": 64, "base_score": 0.5,
                                             "scale_pos_weight": spw}},
    "streamed": {"data": "hash", "params": {"n_estimators": 20, "eta": 0.3, "max_depth": 4, "min_child_weight": 1,
                                             "lambda": 1, "alpha": 0, "gamma": 0, "subsample": 1,
                                             "colsample_bytree": 1, "max_bin": 64, "base_score": 0.5,
                                             "scale_pos_weight": 1}},
}
with open(os.path.join(GOLDEN, "gbdt-configs.json"), "w") as fh:
    json.dump({"seed": 7, "nan_rule": "row i, feature j < 10 is NaN when (7i + 13j) % 11 == 0",
               "hash_split": "row i is a test row when i % 5 == 0", "configs": configs}, fh,
              indent=1)

X_hash, y_hash = hash_dataset()
hash_test = np.arange(len(y_hash)) % 5 == 0
# each dataset: features, labels, train rows, test rows
datasets = {
    "clean": (X_all, y_all, idx_train, idx_test),
    "missing": (with_missing(X_all), y_all, idx_train, idx_test),
    "hash": (X_hash, y_hash, np.where(~hash_test)[0], np.where(hash_test)[0]),
}

# ---------------------------------------------------------------- 2. phantom trains and exports
subprocess.run(["npx", "tsc", "-p", "tsconfig.json"], cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
subprocess.run(["node", os.path.join("test", "oracles", "gbdt-export.mjs")], cwd=ROOT, check=True)


def dmatrix(X, y=None):
    cols = names if X.shape[1] == len(names) else [f"h{j}" for j in range(X.shape[1])]
    return xgb.DMatrix(X, label=y, feature_names=cols, missing=np.nan)


def importances(booster):
    return {t: booster.get_score(importance_type=t) for t in ["weight", "gain", "total_gain", "cover", "total_cover"]}


# ---------------------------------------------------------------- 3. xgboost loads phantom's files
phantom_models = {}
for name, cfg in configs.items():
    if cfg["data"] == "hash":
        continue
    path = os.path.join(PHANTOM_DIR, f"{name}.json")
    booster = xgb.Booster(model_file=path)
    X = datasets[cfg["data"]][0]
    d = dmatrix(X)
    phantom_models[name] = {
        "file": os.path.relpath(path, GOLDEN),
        "num_trees": len(booster.get_dump()),
        "attributes": booster.attributes(),
        "predictions": booster.predict(d).tolist(),
        "margins": booster.predict(d, output_margin=True).tolist(),
        "importance": importances(booster),
    }

probe_path = os.path.join(PHANTOM_DIR, "probe-rows.csv")
probe = np.genfromtxt(probe_path, delimiter=",", skip_header=1)
probe_booster = xgb.Booster(model_file=os.path.join(PHANTOM_DIR, "missing.json"))
probe_predictions = probe_booster.predict(dmatrix(probe)).tolist()

# ---------------------------------------------------------------- 4. xgboost trains on the same split
xgb_runs = {}
xgb_models = {}
os.makedirs(XGB_DIR, exist_ok=True)
for name, cfg in configs.items():
    p = cfg["params"]
    X, y_all_d, tr, te = datasets[cfg["data"]]
    params = {"objective": "binary:logistic", "tree_method": "hist", "grow_policy": "depthwise", "seed": 7,
              "eta": p["eta"], "max_depth": p["max_depth"], "min_child_weight": p["min_child_weight"],
              "lambda": p["lambda"], "alpha": p["alpha"], "gamma": p["gamma"], "subsample": p["subsample"],
              "colsample_bytree": p["colsample_bytree"], "max_bin": p["max_bin"], "base_score": p["base_score"],
              "scale_pos_weight": p["scale_pos_weight"], "nthread": 1}
    booster = xgb.train(params, dmatrix(X[tr], y_all_d[tr]), num_boost_round=p["n_estimators"])
    p_test = booster.predict(dmatrix(X[te]))
    xgb_runs[name] = {"test_auc": float(roc_auc_score(y_all_d[te], p_test)), "xgb_params": params}
    if name in ("depth4", "missing", "streamed"):
        golden_model = os.path.join(XGB_DIR, f"{name}.json")
        booster.save_model(golden_model)
        d_all = dmatrix(X)
        xgb_models[name] = {
            "file": os.path.relpath(golden_model, GOLDEN),
            "predictions": booster.predict(d_all).tolist(),
            "margins": booster.predict(d_all, output_margin=True).tolist(),
            "importance": importances(booster),
        }

out = {
    "generated_by": "test/oracles/gbdt.py",
    "versions": {"xgboost": xgb.__version__, "sklearn": sklearn.__version__, "numpy": np.__version__,
                 "python": platform.python_version()},
    "split": {"method": "sklearn train_test_split", "test_size": 0.3, "random_state": 0, "stratify": True,
              "n_train": int(len(idx_train)), "n_test": int(len(idx_test))},
    "phantom_models": phantom_models,
    "probe": {"model": "gbdt-phantom/missing.json", "rows": "gbdt-phantom/probe-rows.csv",
              "predictions": probe_predictions},
    "xgboost_trained": xgb_runs,
    "xgboost_models": xgb_models,
}
with open(os.path.join(GOLDEN, "gbdt.json"), "w") as fh:
    json.dump(out, fh, indent=1)
print("wrote test/golden/gbdt.json", file=sys.stderr)
