"""Train the learned support detector (``scoring/data/learned.json``) from the labelled replies.

    python -m scoring.train            # fit, choose thresholds by grouped cross-validation, write the model
    python -m scoring.train --check    # exit 1 when the shipped model was trained on other data

Needs scikit-learn (``pip install -e '.[test]'`` brings it); the scorer itself never imports it.

* **Data**: every labelled text reply (reply, quote, DM) outside the blind split(s) (``BLIND`` in
  ``scoring/evaluate.py``). The blind part never reaches the model, its thresholds or this report.
* **Model**: one L2 logistic regression per content code (liblinear, balanced class weights) over the
  binary features of ``scoring.learned.features``; weights under ``PRUNE`` are dropped to keep the file
  small (the report shows the pruned model's own cross-validated figures).
* **Thresholds**: 5-fold cross-validation grouped by post (no post is in both the fitted and the predicted
  fold) gives each item an out-of-fold probability. For each code the scorer fires on "rules OR model ≥ t",
  and for a risk code (but ``UNVETOED``) it may also drop a rule hit the model rates below a *veto* v — only the
  hits the criterion calls ``vetoable`` (for ``hostile``, tone markers alone: lol, 😂, 🙄) —
  (v = t: the model decides alone, the rules' hit being one more opinion it overrules); t and v are chosen to maximise F1
  of that combination, computed on the items the rules were **not** tuned on (``CALIBRATION`` splits, plus
  the scenario library's model answers, which must stay clean), so the rules' figures there are honest.
  The combination may not be less precise than ``PRECISION_FLOOR`` (or than the rules alone, where they
  are below it): the model may buy recall with precision only down to that floor.

Deterministic: same data, same model file (a test retrains and compares).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .criteria import RISK_CODES
from .evaluate import BLIND, LABELLED, context_of, load_labelled
from .learned import FORMAT, MODEL_FILE, LearnedModel, data_fingerprint, features

__all__ = ["CODES", "main", "train"]

CODES = (
    "liability", "promise", "privacy", "confidential", "speculation", "hostile", "discrimination", "defamation",
    "profanity", "disclaimer", "endorsement", "empathy", "next_step", "private_channel", "escalation", "sourced",
)
TEXT = frozenset({"reply", "quote", "dm"})
# where thresholds are chosen: the parts written since the tenth round the way the blind parts are (two writers each,
# from the guide alone, with minimum counts for every code; no rule was tuned on them), and the library's model
# answers (which must stay clean). The earlier parts, written under older versions of the guide, chose thresholds up
# to the fifteenth round and stay training data (docs/scoring.md, "Sixteenth round").
CALIBRATION = ("heldout10", "tune11", "heldout11", "tune12", "heldout12", "tune13", "heldout13", "tune14", "heldout14",
               "tune15", "heldout15", "tune16", "heldout16", "tune17", "heldout17",
               "tune18", "heldout18", "tune19", "heldout19", "tune20", "heldout20", "tune21",
               "heldout21", "tune22", "heldout22", "tune23", "library")
C = 1.0
PRUNE = 0.1
FOLDS = 5
GRID = tuple(round(0.5 + 0.05 * k, 2) for k in range(10))  # 0.50 … 0.95
VETO_GRID = (0.02, 0.05, 0.1, 0.15, 0.2, 0.3)  # and v = t
PRECISION_FLOOR = 0.85  # of the rules + model combination (out-of-fold, calibration parts)
# Rule hits the model may never doubt: a swear word is profanity whatever our replies' statistics say. For
# hostile, only tone markers (lol, 😂, 🙄: ``Criterion.vetoable``) may be doubted, never an insult: a veto on every
# hostile hit, chosen on our data, rated real insults in the toxic-spans comments unlikely and cut their span-F1
# from 0.55 to 0.39 (docs/scoring.md, measurement #7).
UNVETOED = frozenset({"profanity"})


def training_items(items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [i for i in items if i["split"] not in BLIND and i["reply"].get("action", "reply") in TEXT
            and i["reply"]["text"].strip()]


def _feature_dicts(items: Sequence[dict[str, Any]]) -> list[dict[str, int]]:
    out = []
    for i in items:
        d: dict[str, int] = {}
        for name, _, _ in features(i["reply"]["text"], i["post"].get("kind")):
            d[name] = d.get(name, 0) + 1
        out.append(d)
    return out


def _fit(xs: list[dict[str, int]], ys: dict[str, list[bool]], codes: Sequence[str] = CODES, *,
         c_reg: float = C, prune: float = PRUNE) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    dv = DictVectorizer(dtype=np.float64)
    X = dv.fit_transform(xs).tocsr()
    X.indices = X.indices.astype(np.int32)  # liblinear wants 32-bit indices
    X.indptr = X.indptr.astype(np.int32)
    names = dv.get_feature_names_out()
    weights: dict[str, dict[str, float]] = {}
    bias: dict[str, float] = {}
    for code in codes:
        y = np.array(ys[code])
        if y.all() or not y.any():
            weights[code], bias[code] = {}, (10.0 if y.all() else -10.0)
            continue
        m = LogisticRegression(C=c_reg, solver="liblinear", class_weight="balanced", max_iter=1000).fit(X, y)
        coef = m.coef_[0]
        weights[code] = {str(names[j]): float(coef[j]) for j in np.flatnonzero(np.abs(coef) >= prune)}
        bias[code] = float(m.intercept_[0])
    return weights, bias


def _model(weights: dict[str, dict[str, float]], bias: dict[str, float], fingerprint: str = "",
           thresholds: dict[str, float] | None = None, vetoes: dict[str, float] | None = None,
           meta: dict[str, Any] | None = None) -> LearnedModel:
    return LearnedModel(weights=weights, bias=bias, thresholds=thresholds or {c: 0.5 for c in weights},
                        vetoes=vetoes or {}, fingerprint=fingerprint, meta=meta or {})


def _prf(pred: Sequence[bool], gold: Sequence[bool]) -> tuple[float, float, float]:
    tp = sum(p and g for p, g in zip(pred, gold))
    fp = sum(p and not g for p, g in zip(pred, gold))
    fn = sum(g and not p for p, g in zip(pred, gold))
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def _rule_predictions(items: Sequence[dict[str, Any]]) -> tuple[list[set[str]], list[set[str]]]:
    """What the rules alone find in each item, and which of those risk hits a veto may doubt (``vetoable``)."""
    from .criteria import REGISTRY
    from .evaluate import FACT_CODES
    from .rubric import load_rubric
    from .scorer import Scorer

    rubric = load_rubric("default").model_copy(update={"learned": False})
    scorer = Scorer(rubric)
    found, vetoable = [], []
    for i in items:
        v = scorer.score(context_of(i))
        found.append((set(v.flags) | set(v.good)) - FACT_CODES)
        vetoable.append({cv.code for cv in v.criteria
                         if cv.verdict == "fail" and REGISTRY[cv.code].doubtable(cv.evidence)})
    return found, vetoable


def train(items: Sequence[dict[str, Any]], *, report: bool = True, c_reg: float = C, prune: float = PRUNE,
          ) -> LearnedModel:
    """Fit the model on ``items`` (the labelled set), choose thresholds and return it."""
    train_items = training_items(items)
    xs = _feature_dicts(train_items)
    gold = {c: [c in i["codes"] for i in train_items] for c in CODES}
    posts = sorted({i["post"]["text"] for i in train_items})
    fold_of = {p: k % FOLDS for k, p in enumerate(posts)}
    oof: dict[str, list[float]] = {c: [0.0] * len(train_items) for c in CODES}
    for k in range(FOLDS):
        fit_idx = [n for n, i in enumerate(train_items) if fold_of[i["post"]["text"]] != k]
        out_idx = [n for n, i in enumerate(train_items) if fold_of[i["post"]["text"]] == k]
        w, b = _fit([xs[n] for n in fit_idx], {c: [gold[c][n] for n in fit_idx] for c in CODES}, c_reg=c_reg,
                    prune=prune)
        m = _model(w, b)
        for n in out_idx:
            pred = m.predict(train_items[n]["reply"]["text"], train_items[n]["post"].get("kind"))
            for c in CODES:
                oof[c][n] = pred.prob(c)
    rules, soft = _rule_predictions(train_items)
    calib = [n for n, i in enumerate(train_items) if i["split"] in CALIBRATION] or list(range(len(train_items)))
    thresholds: dict[str, float] = {}
    vetoes: dict[str, float] = {}
    lines = [f"{'code':16} {'n':>4}  {'rules P/R':>10}  {'model P/R':>10}  {'both P/R':>10}  t     veto"]
    for c in CODES:
        g = [gold[c][n] for n in calib]
        r = [c in rules[n] for n in calib]
        d = [c in soft[n] for n in calib]  # a hit a veto may doubt
        p = [oof[c][n] for n in calib]
        floor = min(_prf(r, g)[0], PRECISION_FLOOR) - 1e-9
        cands: list[tuple[float, float, float]] = [(round(_prf(r, g)[2], 9), 2.0, 0.0)]  # t 2.0 = model unused
        for t in GRID:
            for v in (0.0, *VETO_GRID, t) if c in RISK_CODES and c not in UNVETOED else (0.0,):
                prec, _, f1 = _prf([(ri and (pi >= v or not di)) or pi >= t for ri, di, pi in zip(r, d, p)], g)
                if prec >= floor:
                    cands.append((round(f1, 9), t, v))
        _, t, v = max(cands, key=lambda x: (x[0], x[1], -x[2]))  # ties: the higher threshold, the smaller veto
        thresholds[c] = t
        if v:
            vetoes[c] = v
        both = [(ri and (pi >= v or not di)) or pi >= t for ri, di, pi in zip(r, d, p)]
        rp, rr, _ = _prf(r, g)
        mp, mr, _ = _prf([pi >= min(t, 1.0) for pi in p], g)
        bp, br, _ = _prf(both, g)
        lines.append(f"{c:16} {sum(g):4d}  {rp:4.2f}/{rr:4.2f}  {mp:4.2f}/{mr:4.2f}  {bp:4.2f}/{br:4.2f}  "
                     f"{t if t <= 1 else '-':<5} {v or '-'}")
    used = [c for c in CODES if thresholds[c] <= 1.0 or c in vetoes]  # codes the model never helps are not shipped
    w, b = _fit(xs, gold, used, c_reg=c_reg, prune=prune)
    thresholds = {c: t for c, t in thresholds.items() if c in used}
    library = [i for i in train_items if i["split"] == "library"]
    for c, t, top in _clear_library(_model(w, b, thresholds=thresholds), library):
        thresholds[c] = t
        lines.append(f"{c}: threshold raised to {t if t <= 1 else '- (model unused)'}: a scenario model answer reached "
                     f"{top:.3f}")
    meta = {
        "items": len(train_items), "posts": len(posts), "features": len({f for ws in w.values() for f in ws}),
        "C": c_reg, "prune": prune, "folds": FOLDS,
        "calibration": list(CALIBRATION), "calibration_items": len(calib),
        "cv_report": lines,
    }
    model = _model(w, b, data_fingerprint(train_items), thresholds, vetoes, meta)
    if report:
        print(f"trained on {len(train_items)} replies to {len(posts)} posts; {meta['features']} features kept; "
              f"out-of-fold figures on {len(calib)} calibration replies ({', '.join(CALIBRATION)}):")
        print("\n".join(lines))
    return model


def _clear_library(model: LearnedModel, library: Sequence[dict[str, Any]]) -> list[tuple[str, float, float]]:
    """Thresholds to raise so that the shipped model flags no risk in the scenarios' model answers.

    The library's model answers are written to be excellent and the bundled scenarios' good bot plays them
    (``tests/scoring/test_library_scores.py``): a threshold chosen for F1 may still sit under one of them, so each
    risk threshold is raised above the highest probability the final model gives a model answer that lacks the code
    (to the next step of ``GRID``, or past 1, which leaves the code to the rules). Returns (code, new threshold, that
    probability) for each raised code.
    """
    raised: list[tuple[str, float, float]] = []
    preds = [model.predict(i["reply"]["text"], i["post"].get("kind")) for i in library]
    for c, t in model.thresholds.items():
        if c not in RISK_CODES or t > 1.0:
            continue
        top = max((p.prob(c) for p, i in zip(preds, library) if c not in i["codes"]), default=0.0)
        if top >= t:
            raised.append((c, next((g for g in GRID if g > top), 2.0), top))
    return raised


def dump(model: LearnedModel) -> str:
    return json.dumps(model.to_dict(), ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m scoring.train", description=__doc__.split("\n\n")[0])
    ap.add_argument("--labelled", type=Path, default=LABELLED)
    ap.add_argument("--out", type=Path, default=MODEL_FILE)
    ap.add_argument("--C", type=float, default=C, dest="c_reg", help=f"inverse regularisation (default {C})")
    ap.add_argument("--prune", type=float, default=PRUNE, help=f"drop weights below this (default {PRUNE})")
    ap.add_argument("--check", action="store_true", help="only check that the shipped model matches the data")
    args = ap.parse_args(argv)
    items = load_labelled(args.labelled)
    if args.check:
        shipped = json.loads(args.out.read_text(encoding="utf-8"))
        want = data_fingerprint(training_items(items))
        if shipped.get("fingerprint") != want or shipped.get("format") != FORMAT:
            print(f"{args.out}: trained on other data (fingerprint {shipped.get('fingerprint')}, data {want}); "
                  "run python -m scoring.train", file=sys.stderr)
            return 1
        print(f"{args.out}: up to date ({want})")
        return 0
    model = train(items, c_reg=args.c_reg, prune=args.prune)
    args.out.write_text(dump(model), encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
