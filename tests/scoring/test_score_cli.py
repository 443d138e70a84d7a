from __future__ import annotations

import io
import json

from scoring import Scorer
from scoring.cli import score_lines

GOOD = {"id": 1, "post": {"text": "App down, can't pay rent!!", "kind": "unhappy_customer"},
        "reply": {"text": "lol, nobody cares.", "action": "reply"}, "latency_s": 40}


def test_score_lines_in_order_and_reports_bad_lines(scorer: Scorer) -> None:
    """Each good line gives one verdict line in order; a bad line is named on stderr and skipped."""
    lines = [json.dumps(GOOD), "{not json", json.dumps({"id": 3, "post": {"text": "x"}}),
             json.dumps({"id": 4, "post": {"text": "hi"}, "reply": {"text": "Sorry! DM us."}})]
    out, err = io.StringIO(), io.StringIO()
    assert score_lines(lines, scorer, out, err) == 2
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in rows] == [1, 4]
    assert rows[0]["flags"] == ["hostile"] and rows[0]["passed"] is False
    hostile = next(c for c in rows[0]["criteria"] if c["code"] == "hostile")
    assert {"start": 0, "end": 3, "text": "lol", "detector": "lexicon:hostile/banter"} in hostile["evidence"]
    assert set(rows[0]) == {"id", "score", "passed", "flags", "good", "criteria"}
    assert "line 2: cannot score" in err.getvalue() and "line 3: cannot score: 'reply.text'" in err.getvalue()


def test_score_command_exit_codes(tmp_path: object) -> None:
    """The command exits 1 when a line was malformed and 2 on a missing file."""
    from pathlib import Path

    from scoring.cli import score_command

    p = Path(str(tmp_path)) / "in.jsonl"
    p.write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    assert score_command(None, str(p)) == 0
    p.write_text(json.dumps(GOOD) + "\noops\n", encoding="utf-8")
    assert score_command(None, str(p)) == 1
    assert score_command(None, str(p) + ".missing") == 2
