"""One hash of every verdict on the labelled set: a speed change must not change a verdict.

    .venv/bin/python bench/verdict_hash.py            # tuning parts (the blind part is left out, as everywhere)
    .venv/bin/python bench/verdict_hash.py --rules    # the rules alone (rubric with learned: false)

Scores every labelled item of the tuning parts (``scoring.evaluate.load_labelled`` + ``context_of``; the blind part,
``scoring.evaluate.BLIND``, is never scored outside its recorded measurements) with one ``Scorer()``, in file order,
and prints the sha256 of the JSON (``sort_keys``) of every verdict's ``to_dict()`` — score, pass, flags, good
practices, and every criterion's verdict, severity, reason, better alternative and evidence spans; with the verdict's
``extra`` (kind, answer, advice) — plus the count.
Record the hash before a speed change and check it after: a change is kept only if the hash is byte-identical.
It says nothing about accuracy (it never reads the labels); ``python -m scoring.evaluate`` does that.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this tree's scoring package, whatever the interpreter's editable install points at


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rules", action="store_true", help="score with the rules alone (learned: false)")
    args = ap.parse_args()

    import scoring
    from scoring import Scorer
    from scoring.evaluate import BLIND, context_of, load_labelled
    from scoring.rubric import load_rubric

    if not Path(scoring.__file__).resolve().is_relative_to(ROOT):
        print(f"scoring imported from {scoring.__file__}, not from {ROOT}", file=sys.stderr)
        return 2
    rubric = load_rubric("default")
    scorer = Scorer(rubric.model_copy(update={"learned": False})) if args.rules else Scorer(rubric)
    h = hashlib.sha256()
    n = 0
    for item in load_labelled():
        if item["split"] in BLIND:
            continue
        v = scorer.score(context_of(item))
        d = v.to_dict()
        d["extra"] = v.extra  # not in the event payload, but part of the verdict: held too
        h.update(json.dumps(d, sort_keys=True, ensure_ascii=False).encode())
        h.update(b"\n")
        n += 1
    print(f"{h.hexdigest()}  {n} verdicts ({'rules alone' if args.rules else 'default rubric'}; scoring from "
          f"{Path(scoring.__file__).parent})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
