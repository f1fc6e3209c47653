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
}
with open(os.path.join(GOLDEN, "gbdt-configs.json"), "w") as fh:
    json.dump({"seed": 7, "nan_rule": "row i, feature j < 10 is NaN when (7i + 13j) % 11 == 0", "configs": configs}, fh,
              indent=1)

datasets = {"clean": X_all, "missing": with_missing(X_all)}

# ---------------------------------------------------------------- 2. phantom trains and exports
subprocess.run(["npx", "tsc", "-p", "tsconfig.json"], cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
subprocess.run(["node", os.path.join("test", "oracles", "gbdt-export.mjs")], cwd=ROOT, check=True)


def dmatrix(X, y=None):
    return xgb.DMatrix(X, label=y, feature_names=names, missing=np.nan)


def importances(booster):
    return {t: booster.get_score(importance_type=t) for t in ["weight", "gain", "total_gain", "cover", "total_cover"]}


# ---------------------------------------------------------------- 3. xgboost loads phantom's files
phantom_models = {}
for name, cfg in configs.items():
    path = os.path.join(PHANTOM_DIR, f"{name}.json")
    booster = xgb.Booster(model_file=path)
    X = datasets[cfg["data"]]
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
    X = datasets[cfg["data"]]
    params = {"objective": "binary:logistic", "tree_method": "hist", "grow_policy": "depthwise", "seed": 7,
              "eta": p["eta"], "max_depth": p["max_depth"], "min_child_weight": p["min_child_weight"],
              "lambda": p["lambda"], "alpha": p["alpha"], "gamma": p["gamma"], "subsample": p["subsample"],
              "colsample_bytree": p["colsample_bytree"], "max_bin": p["max_bin"], "base_score": p["base_score"],
              "scale_pos_weight": p["scale_pos_weight"], "nthread": 1}
    booster = xgb.train(params, dmatrix(X[idx_train], y_all[idx_train]), num_boost_round=p["n_estimators"])
    p_test = booster.predict(dmatrix(X[idx_test]))
    xgb_runs[name] = {"test_auc": float(roc_auc_score(y_all[idx_test], p_test)), "xgb_params": params}
    if name in ("depth4", "missing"):
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
