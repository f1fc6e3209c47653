#!/usr/bin/python3
"""Golden values for `phantom train-classifier / evaluate / predict` from xgboost 1.7.4 and scikit-learn.

Re-run with:  /usr/bin/python3 test/oracles/classifier.py      (needs `npx tsc -p .` to have built dist/)
It
  1. generates sessions with phantom (generate -n 1200 -a 0.3 -s 11, then features), adds a fixed stratified
     split column `is_test` (sklearn train_test_split, test_size 0.3, random_state 0) and writes them with
     pandas to test/golden/classifier/sessions.csv (so the CSV reader is fed what pandas writes: True/False,
     empty cells for NaN, ints with NaN as floats);
  2. quality parity: trains xgboost (hist, depth 6, eta 0.05, 200 rounds, scale_pos_weight n_neg/n_pos of the
     training rows, nthread 1) on the training rows of breast-cancer (test/golden/gbdt-breast-cancer.csv) and
     of the sessions, one-hot encoding browser_family as phantom does, and records the test AUC;
  3. interop phantom → xgboost: runs `phantom train-classifier` on the sessions (all rows, --cv 3, subsample and
     colsample so the RNG path is covered) into test/golden/classifier/phantom-model.json, loads it with
     xgboost.Booster(model_file=…) and records its raw predictions, the preserved phantom attribute, and the
     raw predictions passed through the calibrator stored in that attribute (applied here with numpy);
  4. interop xgboost → phantom: trains an xgboost model on the sessions with pandas-style dummy names
     (browser_family_Chrome), saves test/golden/classifier/xgboost-model.json and records its predictions;
  5. metrics: scikit-learn's metrics of the xgboost test-set probabilities (ties included: float32 leaf sums
     repeat), for binaryMetrics to match to 1e-12.
Everything lands in test/golden/classifier.json with the library versions that produced it.
"""
import json
import math
import os
import platform
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd
import sklearn
import xgboost as xgb
from sklearn import metrics
from sklearn.calibration import calibration_curve
from sklearn.model_selection import train_test_split

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GOLDEN = os.path.join(ROOT, "test", "golden")
OUT_DIR = os.path.join(GOLDEN, "classifier")
assert xgb.__version__ == "1.7.4", f"the goldens are defined against xgboost 1.7.4, found {xgb.__version__}"
os.makedirs(OUT_DIR, exist_ok=True)
NEVER = ["sessionId", "experimentId", "is_agent", "purchased"]
STUDY = {"n_estimators": 200, "eta": 0.05, "max_depth": 6, "min_child_weight": 1, "lambda": 1, "alpha": 0,
         "gamma": 0, "subsample": 1, "colsample_bytree": 1, "max_bin": 256, "base_score": 0.5}


def phantom(*args):
    subprocess.run(["node", os.path.join(ROOT, "bin", "phantom.js"), *args], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)


# ---------------------------------------------------------------- 1. generated sessions with a fixed split
sessions_csv = os.path.join(OUT_DIR, "sessions.csv")
with tempfile.TemporaryDirectory() as tmp:
    phantom("generate", "-n", "1200", "-a", "0.3", "-s", "11", "-o", os.path.join(tmp, "events.parquet"), "-q")
    phantom("features", os.path.join(tmp, "events.parquet"), "-o", os.path.join(tmp, "sessions.csv"), "-q")
    raw = pd.read_csv(os.path.join(tmp, "sessions.csv"))
raw = raw.drop(columns=["experimentId"])
y_sessions = raw["is_agent"].astype(int).to_numpy()
idx_tr, idx_te = train_test_split(np.arange(len(raw)), test_size=0.3, random_state=0, stratify=y_sessions)
raw["is_test"] = 0
raw.loc[idx_te, "is_test"] = 1
raw.to_csv(sessions_csv, index=False)
sessions = pd.read_csv(sessions_csv)


def encode(df, rows, exclude, sep):
    """phantom's encoding fitted on `rows`: numbers and booleans as floats (NaN = null), text one-hot over the
    sorted levels seen in those rows, NaN in every level column where the text is null."""
    cols, names = [], []
    for c in df.columns:
        if c in NEVER or c in exclude:
            continue
        s = df[c]
        is_text = s.dtype == object and not set(s.dropna().unique()) <= {True, False}
        if not is_text:
            cols.append(s.map(lambda v: np.nan if pd.isna(v) else float(v)).to_numpy(dtype=float))
            names.append(c)
            continue
        for level in sorted(s.iloc[rows].dropna().unique()):
            cols.append(np.where(s.isna(), np.nan, (s == level).astype(float)))
            names.append(f"{c}{sep}{level}")
    return np.column_stack(cols), names


def study_params(y_train):
    n_pos = int(y_train.sum())
    return {"objective": "binary:logistic", "tree_method": "hist", "grow_policy": "depthwise", "seed": 0, "nthread": 1,
            "eta": STUDY["eta"], "max_depth": STUDY["max_depth"], "min_child_weight": STUDY["min_child_weight"],
            "lambda": STUDY["lambda"], "alpha": STUDY["alpha"], "gamma": STUDY["gamma"], "subsample": 1,
            "colsample_bytree": 1, "max_bin": STUDY["max_bin"], "base_score": STUDY["base_score"],
            "scale_pos_weight": (len(y_train) - n_pos) / n_pos}


# ---------------------------------------------------------------- 2. quality parity on fixed splits
cancer = pd.read_csv(os.path.join(GOLDEN, "gbdt-breast-cancer.csv"))
parity = {}
test_probabilities = {}
for name, df, label in [("breast-cancer", cancer, "target"), ("sessions", sessions, "is_agent")]:
    y = df[label].astype(int).to_numpy()
    tr = np.where(df["is_test"] == 0)[0]
    te = np.where(df["is_test"] == 1)[0]
    X, names = encode(df, tr, {label, "is_test"}, "=")
    booster = xgb.train(study_params(y[tr]), xgb.DMatrix(X[tr], label=y[tr], feature_names=names, missing=np.nan),
                        num_boost_round=STUDY["n_estimators"])
    p = booster.predict(xgb.DMatrix(X[te], feature_names=names, missing=np.nan))
    parity[name] = {"label": label, "n_train": int(len(tr)), "n_test": int(len(te)), "features": names,
                    "xgboost_test_auc": float(metrics.roc_auc_score(y[te], p)), "xgb_params": study_params(y[tr])}
    test_probabilities[name] = (y[te], p.astype(float))

# ---------------------------------------------------------------- 3. phantom's model loaded by xgboost
phantom_model = os.path.join(OUT_DIR, "phantom-model.json")
phantom_args = ["train-classifier", os.path.relpath(sessions_csv, ROOT), "--exclude", "is_test", "--cv", "3",
                "--seed", "5", "--param", "subsample=0.8", "--param", "colsample_bytree=0.8", "--threshold", "youden",
                "-o", os.path.relpath(phantom_model, ROOT), "--quiet"]
phantom(*phantom_args)
X_all, names_all = encode(sessions, np.arange(len(sessions)), {"is_agent", "is_test"}, "=")
loaded = xgb.Booster(model_file=phantom_model)
assert loaded.feature_names == names_all, (loaded.feature_names, names_all)
attr = loaded.attributes()
meta = json.loads(attr["phantom"])
raw = loaded.predict(xgb.DMatrix(X_all, feature_names=names_all, missing=np.nan)).astype(float)


def calibrated(cal, p):
    """phantom's stored calibrator applied here, independently: Platt on the margin, isotonic by numpy.interp."""
    if cal["method"] == "platt":
        q = np.clip(p, 1e-15, 1 - 1e-15)
        return 1 / (1 + np.exp(cal["a"] * np.log(q / (1 - q)) + cal["b"]))
    if cal["method"] == "isotonic":
        return np.interp(p, cal["x"], cal["y"])
    return p


phantom_side = {
    "file": os.path.relpath(phantom_model, GOLDEN), "args": phantom_args,
    "num_trees": len(loaded.get_dump()), "feature_names": loaded.feature_names,
    "raw_predictions": raw.tolist(),
    "calibrator": meta["calibration"]["calibrator"],
    "predictions": calibrated(meta["calibration"]["calibrator"], raw).tolist(),
    "phantom_attribute": {"format": meta["format"], "label": meta["label"], "threshold": meta["threshold"],
                          "fingerprint": meta["training"]["fingerprint"]["sha256"]},
}
# the attribute survives xgboost's own save (what a Python user does after loading)
resaved = os.path.join(tempfile.mkdtemp(), "resaved.json")
loaded.save_model(resaved)
phantom_side["attribute_kept_after_xgboost_save"] = xgb.Booster(model_file=resaved).attributes().get("phantom") == attr["phantom"]

# ---------------------------------------------------------------- 4. an xgboost-trained model for phantom predict
tr = np.where(sessions["is_test"] == 0)[0]
X_dummies, names_dummies = encode(sessions, tr, {"is_agent", "is_test"}, "_")
y_all = sessions["is_agent"].astype(int).to_numpy()
xgb_params = {"objective": "binary:logistic", "tree_method": "hist", "max_depth": 4, "eta": 0.1, "seed": 3,
              "subsample": 0.9, "colsample_bytree": 0.8, "nthread": 1}
trained = xgb.train(xgb_params, xgb.DMatrix(X_dummies[tr], label=y_all[tr], feature_names=names_dummies, missing=np.nan),
                    num_boost_round=60)
xgb_model = os.path.join(OUT_DIR, "xgboost-model.json")
trained.save_model(xgb_model)
xgboost_side = {
    "file": os.path.relpath(xgb_model, GOLDEN), "params": xgb_params, "rounds": 60, "feature_names": names_dummies,
    "predictions": trained.predict(xgb.DMatrix(X_dummies, feature_names=names_dummies, missing=np.nan)).tolist(),
}


# ---------------------------------------------------------------- 5. scikit-learn metrics of held-out probabilities
def sklearn_metrics(y, p):
    pred = (p >= 0.5).astype(int)
    tn, fp, fn, tp = metrics.confusion_matrix(y, pred, labels=[0, 1]).ravel()
    fpr, tpr, thr = metrics.roc_curve(y, p, drop_intermediate=False)
    j = int(np.argmax(tpr - fpr))  # first maximum = highest threshold
    distinct = np.unique(p)[::-1]
    f1s = [metrics.f1_score(y, (p >= t).astype(int)) for t in distinct]
    k = int(np.argmax(f1s))
    prec, rec, _ = metrics.precision_recall_curve(y, p)
    prob_true, prob_pred = calibration_curve(y, p, n_bins=10)
    return {
        "y": y.tolist(), "p": p.tolist(), "distinct_scores": int(len(distinct)),
        "roc_auc": metrics.roc_auc_score(y, p), "average_precision": metrics.average_precision_score(y, p),
        "brier": metrics.brier_score_loss(y, p),
        "at_0_5": {"tp": int(tp), "fp": int(fp), "tn": int(tn), "fn": int(fn), "accuracy": metrics.accuracy_score(y, pred),
                   "precision": metrics.precision_score(y, pred, zero_division=0), "recall": metrics.recall_score(y, pred),
                   "f1": metrics.f1_score(y, pred), "specificity": tn / (tn + fp)},
        "youden_threshold": float(thr[j]), "f1_threshold": float(distinct[k]), "f1_best": float(f1s[k]),
        "precision_at_recall_0_8": float(prec[rec >= 0.8].max()),
        "calibration": {"fraction_positive": prob_true.tolist(), "mean_predicted": prob_pred.tolist()},
    }


metric_cases = {name: sklearn_metrics(y, p) for name, (y, p) in test_probabilities.items()}

out = {
    "generated_by": "test/oracles/classifier.py",
    "versions": {"xgboost": xgb.__version__, "sklearn": sklearn.__version__, "pandas": pd.__version__,
                 "numpy": np.__version__, "python": platform.python_version()},
    "sessions": {"file": os.path.relpath(sessions_csv, GOLDEN), "generated": "phantom generate -n 1200 -a 0.3 -s 11; phantom features",
                 "split": "sklearn train_test_split(test_size=0.3, random_state=0, stratify=is_agent) → is_test"},
    "study_params": STUDY,
    "parity": parity,
    "phantom_model": phantom_side,
    "xgboost_model": xgboost_side,
    "metrics": metric_cases,
}
with open(os.path.join(GOLDEN, "classifier.json"), "w") as fh:
    json.dump(out, fh, indent=1, default=lambda v: v.item() if hasattr(v, "item") else str(v))
print("wrote test/golden/classifier.json", {k: round(v["xgboost_test_auc"], 5) for k, v in parity.items()}, file=sys.stderr)
