#!/usr/bin/python3
"""Golden values for src/models/calibration from scikit-learn (Platt scaling and isotonic regression).

Re-run with:  /usr/bin/python3 test/oracles/calibration.py
Writes test/golden/calibration.json with, for each case (scores p in (0, 1) and 0/1 labels y):
  - platt: sklearn.calibration._sigmoid_calibration on the margin logit(p) (clamped at 1e-15 as phantom does)
    → slope a and intercept b (p = 1/(1 + exp(a·f + b))), the objective at that point, and the calibrated
    probabilities of a grid of query scores;
  - isotonic: sklearn.isotonic.IsotonicRegression(out_of_bounds='clip', y_min=0, y_max=1) fitted on p → its
    knots (X_thresholds_, y_thresholds_) and predictions on the same grid (query scores outside the knots included).
Cases: seeded synthetic scores (continuous; rounded to 2 decimals so that many scores tie; six rows), and the
breast-cancer data (test/golden/gbdt-breast-cancer.csv: 'worst concave points' min-max scaled into [0.01, 0.99]
as the score of a malignant target) — data nobody here wrote.
"""
import json
import os
import platform

import numpy as np
import pandas as pd
import scipy
import sklearn
from scipy.special import expit, xlogy
from sklearn.calibration import _sigmoid_calibration
from sklearn.isotonic import IsotonicRegression

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "test", "golden", "calibration.json")


def margin(p):
    q = np.clip(np.asarray(p, dtype=float), 1e-15, 1 - 1e-15)
    return np.log(q / (1 - q))


def platt_objective(a, b, f, y):
    prior1 = float(np.sum(y > 0))
    prior0 = len(y) - prior1
    t = np.where(y > 0, (prior1 + 1) / (prior1 + 2), 1 / (prior0 + 2))
    p = expit(-(a * f + b))
    return float(-(xlogy(t, p) + xlogy(1 - t, 1 - p)).sum())


def case(name, p, y):
    p = np.asarray(p, dtype=float)
    y = np.asarray(y, dtype=int)
    query = sorted(set(np.round(np.r_[np.linspace(0.0005, 0.9995, 41), p.min() - 1e-3, p.max() + 1e-3, p[:5]], 12).tolist()))
    query = [q for q in query if 0 < q < 1]
    f = margin(p)
    a, b = _sigmoid_calibration(f, y)
    iso = IsotonicRegression(out_of_bounds="clip", y_min=0, y_max=1).fit(p, y)
    return {
        "name": name, "p": p.tolist(), "y": y.tolist(), "query": query,
        "platt": {"a": float(a), "b": float(b), "objective": platt_objective(a, b, f, y),
                  "predictions": expit(-(a * margin(query) + b)).tolist()},
        "isotonic": {"x": iso.X_thresholds_.tolist(), "y": iso.y_thresholds_.tolist(),
                     "predictions": iso.predict(np.asarray(query)).tolist()},
    }


rng = np.random.default_rng(20261207)
cases = []
n = 400
y = (rng.random(n) < 0.3).astype(int)
p = expit(1.2 * (2 * y - 1) + rng.normal(0, 1.1, n) - 0.4)  # over-dispersed, shifted scores
cases.append(case("synthetic-400", p, y))
cases.append(case("synthetic-ties", np.clip(np.round(p, 2), 0.01, 0.99), y))
cases.append(case("six-rows", [0.2, 0.4, 0.35, 0.6, 0.8, 0.55], [0, 0, 1, 0, 1, 1]))
cancer = pd.read_csv(os.path.join(ROOT, "test", "golden", "gbdt-breast-cancer.csv"))
s = cancer["worst concave points"].to_numpy(dtype=float)
s = 0.01 + 0.98 * (s - s.min()) / (s.max() - s.min())
cases.append(case("breast-cancer-worst-concave-points", s, 1 - cancer["target"].to_numpy(dtype=int)))  # sklearn: 0 = malignant

with open(OUT, "w") as fh:
    json.dump({
        "generated_by": "test/oracles/calibration.py",
        "versions": {"sklearn": sklearn.__version__, "scipy": scipy.__version__, "numpy": np.__version__, "python": platform.python_version()},
        "cases": cases,
    }, fh, indent=1)
    fh.write("\n")
print(f"wrote {OUT}: {len(cases)} cases")
