"""Accuracy report: per-code precision / recall / F1 on the labelled set, and toxic-spans span-F1.

``python -m scoring.evaluate`` prints the tuning parts of ``tests/scoring/labelled.jsonl`` (every part but the blind
one, ``BLIND`` in this module: the former held-out parts are no longer blind, see docs/scoring.md); ``--split`` with the
blind part's name (or ``all``) prints the blind part too — each such run is a held-out measurement: record it in
docs/scoring.md;
``--toxic-spans DIR`` adds the mean span-F1 of ``hostile`` + ``profanity`` evidence on the SemEval-2021
Task 5 trial set. Labels cover content codes; ``timeliness`` and ``concise`` are rule-defined facts
checked by unit tests instead.
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from scenarios.models import Expectation

from .scorer import Scorer
from .types import PostInfo, ReplyContext, ReplyInfo

__all__ = ["BLIND", "LABELLED", "TUNING", "evaluate", "load_labelled", "span_f1", "toxic_spans_f1"]

LABELLED = Path(__file__).resolve().parent.parent / "tests" / "scoring" / "labelled.jsonl"
FACT_CODES = frozenset({"timeliness", "concise"})
SPLITS = ("tune", "heldout", "heldout2", "heldout3", "tune4", "library", "heldout4", "tune5", "heldout5", "tune6",
          "heldout6", "tune7", "heldout7", "tune8", "heldout8", "tune9", "heldout9", "tune10", "para10", "heldout10",
          "tune11", "para11", "heldout11", "tune12", "para12", "heldout12", "tune13", "para13", "heldout13",
          "tune14", "para14", "heldout14", "tune15", "heldout15",
          "tune16", "heldout16", "tune17", "heldout17", "tune18", "heldout18", "tune19", "heldout19",
          "tune20", "heldout20", "tune21", "heldout21", "tune22", "heldout22",
          "tune23", "heldout23")
BLIND = ("heldout23",)  # never tuned on, measured rarely (docs/scoring.md)
# the parts detectors and the learned model may be tuned on: every part but the blind one
TUNING = tuple(s for s in SPLITS if s not in BLIND)


def load_labelled(path: Path = LABELLED) -> list[dict[str, Any]]:
    """Read the labelled set (one JSON object a line)."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def context_of(item: dict[str, Any]) -> ReplyContext:
    post = item["post"]
    expect = Expectation.model_validate(item["expect"]) if item.get("expect") else None
    return ReplyContext(
        post=PostInfo(text=post["text"], author=post.get("author"), kind=post.get("kind")),
        reply=ReplyInfo(text=item["reply"]["text"], action=item["reply"].get("action", "reply")),
        latency_s=item.get("latency_s"),
        expect=expect,
    )


def predicted(scorer: Scorer, item: dict[str, Any]) -> set[str]:
    v = scorer.score(context_of(item))
    return (set(v.flags) | set(v.good)) - FACT_CODES


def evaluate(scorer: Scorer, items: Iterable[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Per-code counts and precision / recall / F1 (a code with no gold and no prediction is skipped)."""
    counts: dict[str, list[int]] = {}
    for item in items:
        gold = set(item["codes"])
        pred = predicted(scorer, item)
        for code in gold | pred:
            c = counts.setdefault(code, [0, 0, 0])  # tp, fp, fn
            c[0] += code in gold and code in pred
            c[1] += code in pred and code not in gold
            c[2] += code in gold and code not in pred
    out: dict[str, dict[str, float]] = {}
    for code, (tp, fp, fn) in sorted(counts.items()):
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[code] = {"support": tp + fn, "tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f}
    return out


def span_f1(pred: set[int], gold: set[int]) -> float:
    """SemEval-2021 Task 5 per-post F1 over character offsets (1.0 when both are empty)."""
    if not gold:
        return 1.0 if not pred else 0.0
    if not pred:
        return 0.0
    tp = len(pred & gold)
    if not tp:
        return 0.0
    p, r = tp / len(pred), tp / len(gold)
    return 2 * p * r / (p + r)


def toxic_spans_f1(scorer: Scorer, csv_path: Path, codes: Sequence[str] = ("hostile", "profanity")) -> dict[str, float]:
    """Mean span-F1 of the evidence of ``codes`` on the toxic-spans CSV (each comment scored as a reply)."""
    rows = list(csv.DictReader(csv_path.open(encoding="utf-8")))
    scores: list[float] = []
    for row in rows:
        gold = set(ast.literal_eval(row["spans"]))
        text = row["text"]
        v = scorer.score(ReplyContext(PostInfo(text=""), ReplyInfo(text=text)))
        pred: set[int] = set()
        for c in v.criteria:
            if c.code in codes and c.verdict == "fail":
                for e in c.evidence:
                    if e.start is not None and e.end is not None:
                        pred.update(range(e.start, e.end))
        scores.append(span_f1(pred, gold))
    half = len(scores) // 2
    return {
        "posts": len(scores),
        "mean_f1": sum(scores) / len(scores),
        "first_half": sum(scores[:half]) / half,
        "second_half": sum(scores[half:]) / (len(scores) - half),
    }


def _table(title: str, res: dict[str, dict[str, float]], risk: Sequence[str]) -> str:
    lines = [title, f"{'code':16} {'kind':5} {'n':>4} {'prec':>6} {'rec':>6} {'f1':>6}   tp  fp  fn"]
    for code, m in res.items():
        kind = "risk" if code in risk else "good"
        lines.append(
            f"{code:16} {kind:5} {int(m['support']):4d} {m['precision']:6.2f} {m['recall']:6.2f} {m['f1']:6.2f}"
            f"  {int(m['tp']):3d} {int(m['fp']):3d} {int(m['fn']):3d}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    from .criteria import RISK_CODES

    ap = argparse.ArgumentParser(prog="python -m scoring.evaluate", description=__doc__)
    ap.add_argument("--rubric", default=None)
    ap.add_argument("--labelled", type=Path, default=LABELLED)
    ap.add_argument("--split", choices=(*SPLITS, "tuning", "all"), default="tuning",
                    help=f"which part to report (default: the tuning parts; {', '.join(BLIND)} is blind, measured rarely, "
                         "see docs)")
    ap.add_argument("--errors", action="store_true", help="list misclassified tuning items (never the blind part)")
    ap.add_argument("--toxic-spans", type=Path, default=None, help="folder holding tsd_trial.csv")
    args = ap.parse_args(argv)
    scorer = Scorer(args.rubric)
    items = load_labelled(args.labelled)
    groups: list[tuple[str, tuple[str, ...]]] = []
    if args.split in ("tuning", "all"):
        groups.append((f"tuning (every part but the blind {', '.join(BLIND)})", TUNING))
    if args.split == "all":
        groups += [(s, (s,)) for s in SPLITS]
    elif args.split != "tuning":
        groups.append((args.split, (args.split,)))
    for title, splits in groups:
        part = [i for i in items if i["split"] in splits]
        n_posts = len({i["post"]["text"] for i in part})
        print(_table(f"\n== {title}: {len(part)} replies to {n_posts} posts ==", evaluate(scorer, part), RISK_CODES))
    if args.errors:
        for i in items:
            if i["split"] not in TUNING:
                continue
            gold, pred = set(i["codes"]), predicted(scorer, i)
            if gold != pred:
                print(f"{i['id']:28} +{sorted(pred - gold)} -{sorted(gold - pred)} :: {i['reply']['text']}")
    if args.toxic_spans:
        res = toxic_spans_f1(scorer, args.toxic_spans / "tsd_trial.csv")
        print(f"\n== toxic spans ({int(res['posts'])} posts): mean span-F1 {res['mean_f1']:.3f} "
              f"(first half {res['first_half']:.3f}, second half {res['second_half']:.3f}) ==")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
