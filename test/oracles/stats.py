#!/usr/bin/python3
"""Golden values for src/stats from the reference implementations (scipy, scikit-learn, numpy).

Re-run with:  /usr/bin/python3 test/oracles/stats.py   (writes test/golden/stats.json)
Non-finite floats are encoded as the strings "NaN", "Infinity", "-Infinity".
"""
import json
import math
import os
import platform
import sys

import numpy as np
import scipy
import sklearn
from scipy import special, stats
from scipy.spatial.distance import jensenshannon
from scipy.stats._mannwhitneyu import _mwu_choose_method
from sklearn import metrics
from sklearn.calibration import calibration_curve
from sklearn.datasets import load_breast_cancer

rng = np.random.default_rng(20240601)


def enc(v):
    """JSON-safe floats (and recursion through containers)."""
    if isinstance(v, dict):
        return {k: enc(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [enc(x) for x in v]
    if isinstance(v, np.ndarray):
        return enc(v.tolist())
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if math.isnan(f):
            return "NaN"
        if math.isinf(f):
            return "Infinity" if f > 0 else "-Infinity"
        return f
    return v


# ---------------------------------------------------------------- normal distribution
xs = [-40.0, -38.5, -37.5, -30.0, -20.0, -12.3, -8.5, -6.0, -5.0, -3.7, -2.0, -1.5, -1.0, -0.7, -0.5, -0.25, -1e-3,
      0.0, 1e-8, 0.3, 0.6629, 1.0, 1.96, 2.5, 3.3, 4.1, 5.5, 7.0, 8.3, 9.0, 10.0, 15.0, 25.0, 38.0]
normal = {
    "x": xs,
    "cdf": [stats.norm.cdf(x) for x in xs],
    "sf": [stats.norm.sf(x) for x in xs],
    "pdf": [stats.norm.pdf(x) for x in xs],
}
ex = [-27.0, -10.0, -5.0, -3.9, -1.0, -0.47, -0.4, -0.1, 0.0, 1e-10, 0.2, 0.46875, 0.5, 1.0, 2.0, 3.999, 4.0, 4.5,
      6.0, 10.0, 15.0, 20.0, 26.0, 26.5, 27.0]
erfs = {"x": ex, "erf": [special.erf(x) for x in ex], "erfc": [special.erfc(x) for x in ex]}
ps = [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.02425, 0.05, 0.074, 0.075, 0.1, 0.25, 0.4, 0.5, 0.6, 0.9, 0.925,
      0.95, 0.975, 0.99, 0.999999, 1 - 1e-12]
quantiles = {"p": ps, "ppf": [stats.norm.ppf(p) for p in ps], "isf": [stats.norm.isf(p) for p in ps]}

# ---------------------------------------------------------------- Mann-Whitney
mwu_cases = []


def mwu(name, x, y, alternatives=("two-sided", "less", "greater"), methods=("auto", "exact", "asymptotic"),
        continuities=(True, False)):
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    xy = np.concatenate([x, y])[None, :]
    resolved_auto = _mwu_choose_method(len(x), len(y), xy, "auto")
    diffs = np.subtract.outer(x, y).ravel()
    labels = np.r_[np.ones(len(x)), np.zeros(len(y))]
    auc = stats.mannwhitneyu(x, y).statistic / (len(x) * len(y))
    if np.all(np.isfinite(xy)):  # the same number as scikit-learn's AUC of x (positives) against y
        assert abs(auc - metrics.roc_auc_score(labels, np.r_[x, y])) < 1e-12
    results = []
    for method in methods:
        for alt in alternatives:
            for cc in continuities if (method != "exact") else (True,):
                res = stats.mannwhitneyu(x, y, use_continuity=cc, alternative=alt, method=method)
                results.append({"method": method, "alternative": alt, "continuity": cc,
                                "resolved": resolved_auto if method == "auto" else method,
                                "statistic": res.statistic, "pvalue": res.pvalue})
    mwu_cases.append({"name": name, "x": x, "y": y, "hodgesLehmann": np.median(diffs), "auc": auc,
                      "results": results})


mwu("scipy doc example", [19, 22, 16, 29, 24], [20, 11, 17, 12])
for i in range(12):
    n1, n2 = int(rng.integers(1, 9)), int(rng.integers(1, 13))
    v = rng.permutation(np.arange(n1 + n2) * 1.0 + rng.normal(0, 0.1, n1 + n2))
    mwu(f"small exact {n1}x{n2} #{i}", v[:n1] + 0.25 * (n1 + n2) * (i % 3), v[n1:])
mwu("single vs single", [1.0], [2.0])
mwu("exact boundary 8x9 no ties", rng.normal(0.5, 1, 8), rng.normal(0, 1, 9))
mwu("exact boundary 9x9 no ties (auto -> asymptotic)", rng.normal(0.5, 1, 9), rng.normal(0, 1, 9))
mwu("ties small (exact truncates U)", [1, 2, 2, 3, 5], [2, 3, 4, 4, 6, 7])
mwu("ties rounded", np.round(rng.normal(0.3, 1, 25), 1), np.round(rng.normal(0, 1, 31), 1))
mwu("heavy ties integers", rng.integers(0, 4, 40) * 1.0, rng.integers(0, 5, 37) * 1.0)
mwu("all equal", [3.0] * 6, [3.0] * 5, methods=("auto", "asymptotic"))
mwu("separated 30x30 (exact tiny p)", np.arange(30) + 100.0, np.arange(30) * 1.0)
mwu("separated 50x50 (exact tiny p)", np.arange(50) + 0.5, -np.arange(50) * 1.0)
mwu("unbalanced 3x200 (auto exact)", rng.normal(2.0, 1, 3), rng.normal(0, 1, 200))
mwu("moderate 25x40 exact", rng.normal(0.6, 1, 25), rng.normal(0, 1, 40))
mwu("large 400x350 shift (tiny asymptotic p)", rng.normal(1.2, 1, 400), rng.normal(0, 1, 350),
    methods=("auto", "asymptotic"))
mwu("large 1500x1200 (p ~ 1e-200 region)", rng.normal(0, 1, 1500) + 1.4, rng.normal(0, 1, 1200),
    methods=("auto", "asymptotic"))
mwu("large 1500x1200 (p ~ 1e-250 and below)", rng.normal(0, 1, 1500) + 1.8, rng.normal(0, 1, 1200),
    methods=("auto", "asymptotic"))
bc = load_breast_cancer()
radius = bc.data[:, 0]
mwu("breast cancer mean radius benign vs malignant", radius[bc.target == 1], radius[bc.target == 0],
    methods=("auto", "asymptotic"))
texture = bc.data[:, 1]
mwu("breast cancer mean texture first 20 vs next 7", texture[:20], texture[20:27])

# ---------------------------------------------------------------- rankdata and descriptive
rank_cases = [[3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5], [1.0], [2, 2, 2], list(np.round(rng.normal(0, 1, 30), 1))]
rankdata = [{"x": r, "ranks": stats.rankdata(r)} for r in rank_cases]

desc_inputs = [[1, 2, 3, 4], [5.0], [2.5, -1.0, 7.25], list(rng.normal(10, 3, 101)), list(rng.exponential(2, 64)),
               list(np.round(rng.normal(0, 1, 20), 1)), [1e9 + 0.1, 1e9 + 0.2, 1e9 + 0.3]]
qs = [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0]
descriptive = [{"x": v, "mean": np.mean(v), "std0": np.std(v), "std1": np.std(v, ddof=1) if len(v) > 1 else math.nan,
                "median": np.median(v), "q": qs, "quantiles": [np.quantile(v, q) for q in qs],
                "iqr": np.quantile(v, 0.75) - np.quantile(v, 0.25)} for v in desc_inputs]

# ---------------------------------------------------------------- ROC / PR / calibration


def delong_direct(y, s):
    """DeLong placement values by the O(mn) definition (independent of the fast midrank algorithm)."""
    pos, neg = s[y == 1], s[y == 0]
    psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    v10, v01 = psi.mean(axis=1), psi.mean(axis=0)
    auc = psi.mean()
    var = np.var(v10, ddof=1) / len(pos) + np.var(v01, ddof=1) / len(neg)
    z = stats.norm.ppf(0.975)
    return {"auc": auc, "variance": var, "lower": max(0.0, auc - z * math.sqrt(var)),
            "upper": min(1.0, auc + z * math.sqrt(var))}


roc_cases = []


def roc(name, y, s):
    y = np.asarray(y, dtype=int)
    s = np.asarray(s, dtype=float)
    fpr, tpr, thr = metrics.roc_curve(y, s)
    fpr_all, tpr_all, thr_all = metrics.roc_curve(y, s, drop_intermediate=False)
    prec, rec, pthr = metrics.precision_recall_curve(y, s)
    j = tpr_all - fpr_all
    jbest = int(np.argmax(j[1:]) + 1)  # skip the artificial (0, 0) point
    f1 = np.where(prec + rec > 0, 2 * prec * rec / np.where(prec + rec > 0, prec + rec, 1), 0)[:-1]
    fbest = int(np.argmax(f1[::-1]))  # highest threshold among equals
    fbest = len(f1) - 1 - fbest
    mask = rec[:-1] >= 0.8
    pr80 = float(np.max(prec[:-1][mask]))
    case = {"name": name, "y": y, "score": s, "auc": metrics.roc_auc_score(y, s),
            "roc": {"fpr": fpr, "tpr": tpr, "thresholds": thr},
            "pr": {"precision": prec, "recall": rec, "thresholds": pthr},
            "averagePrecision": metrics.average_precision_score(y, s),
            "delong": delong_direct(y, s),
            "youden": {"threshold": thr_all[jbest], "j": j[jbest]},
            "f1": {"threshold": pthr[fbest], "f1": f1[fbest]},
            "precisionAt80": pr80}
    if s.min() >= 0 and s.max() <= 1:
        pred = (s >= 0.5).astype(int)
        tn, fp, fn, tp = metrics.confusion_matrix(y, pred, labels=[0, 1]).ravel()
        case["brier"] = metrics.brier_score_loss(y, s)
        case["confusion05"] = {"tp": tp, "fp": fp, "tn": tn, "fn": fn,
                               "precision": metrics.precision_score(y, pred, zero_division=0),
                               "recall": metrics.recall_score(y, pred, zero_division=0),
                               "f1": metrics.f1_score(y, pred, zero_division=0),
                               "accuracy": metrics.accuracy_score(y, pred),
                               "specificity": tn / (tn + fp)}
        for bins in (10, 5):
            pt, pp = calibration_curve(y, s, n_bins=bins)
            case[f"calibration{bins}"] = {"fractionPositive": pt, "meanPredicted": pp}
    roc_cases.append(case)


roc("sklearn doc example", [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
y = rng.integers(0, 2, 200)
roc("noisy probabilities", y, 1 / (1 + np.exp(-(1.3 * y - 0.6 + rng.normal(0, 1, 200)))))
roc("ties (rounded to 0.1)", y, np.round(1 / (1 + np.exp(-(y - 0.5 + rng.normal(0, 1, 200)))), 1))
roc("heavy ties three levels", y, rng.choice([0.2, 0.5, 0.8], 200) * 0.5 + 0.25 * y)
yb = (rng.random(500) < 0.08).astype(int)
roc("imbalanced 8% positives", yb, np.clip(0.15 + 0.4 * yb + rng.normal(0, 0.15, 500), 0, 1))
roc("calibration edge values", [0, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1],
    [0.0, 0.1, 0.2, 0.3, 0.5, 0.5, 0.7, 0.7, 0.9, 1.0, 0.6000000000000001, 0.3])
roc("breast cancer: mean radius as a score for malignancy", 1 - bc.target, radius)
roc("breast cancer: worst concave points", 1 - bc.target, bc.data[:, 27])
roc("perfect separation", [0, 0, 0, 1, 1], [0.1, 0.2, 0.3, 0.8, 0.9])
roc("reversed scores", [0, 0, 0, 1, 1], [0.9, 0.8, 0.7, 0.2, 0.1])

# ---------------------------------------------------------------- divergences
div_inputs = [([0.5, 0.5], [0.9, 0.1]), ([1, 2, 3, 4], [4, 3, 2, 1]), ([0.2, 0.0, 0.8], [0.1, 0.3, 0.6]),
              ([0.2, 0.3, 0.5], [0.5, 0.0, 0.5]), ([0, 0, 5], [1, 1, 1]), ([1, 0], [0, 1]),
              (list(rng.dirichlet(np.ones(12))), list(rng.dirichlet(np.ones(12)))),
              (list(rng.integers(0, 20, 30) * 1.0), list(rng.integers(1, 20, 30) * 1.0)),
              ([1e-300, 1.0], [1.0, 1e-300])]
divergence = [{"p": p, "q": q, "kl": stats.entropy(p, q), "klReverse": stats.entropy(q, p), "entropyP": stats.entropy(p),
               "js": jensenshannon(p, q) ** 2} for p, q in div_inputs]

out = {
    "generatedBy": "test/oracles/stats.py",
    "versions": {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
                 "sklearn": sklearn.__version__},
    "normal": normal, "erf": erfs, "quantiles": quantiles,
    "mannWhitney": mwu_cases, "rankdata": rankdata, "descriptive": descriptive, "roc": roc_cases,
    "divergence": divergence,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "golden", "stats.json")
with open(path, "w") as f:
    json.dump(enc(out), f, separators=(",", ":"))
print(f"wrote {os.path.normpath(path)} with scipy {scipy.__version__}, sklearn {sklearn.__version__}", file=sys.stderr)
