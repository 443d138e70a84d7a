"""``crisisdrill score`` / ``python -m scoring``: score JSON lines of replies from a file or stdin.

Input, one object a line (everything but ``post.text`` and ``reply.text`` optional)::

    {"id": 1, "post": {"author": "@dana", "text": "…", "kind": "unhappy_customer"},
     "reply": {"text": "…", "action": "reply"}, "latency_s": 42}

Output, one line per input in order: ``{"id", "score", "passed", "flags", "good", "criteria": [{"code",
"verdict", "evidence": [{"start", "end", "text", "detector"} | {"detector", "fact"}], "reason"}]}``.
A malformed line is reported on stderr with its line number; the others are still scored; the
exit code is 1 if any line was malformed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import IO, Annotated, Any

import typer
from pydantic import ValidationError

from scenarios.models import Expectation

from .errors import ScoringError
from .scorer import Scorer
from .types import PostInfo, ReplyContext, ReplyInfo

__all__ = ["app", "context_from_json", "score_command", "score_lines"]

_ACTIONS = ("reply", "quote", "dm", "repost", "like", "hide", "delete", "report", "ignore")


def context_from_json(obj: Any) -> ReplyContext:
    """Build a :class:`ReplyContext` from one decoded input line; raise ValueError saying what is wrong."""
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    post = obj.get("post")
    reply = obj.get("reply")
    if not isinstance(post, dict) or not isinstance(post.get("text"), str):
        raise ValueError("'post.text' is required and must be a string")
    if not isinstance(reply, dict) or not isinstance(reply.get("text", ""), str):
        raise ValueError("'reply.text' must be a string")
    action = reply.get("action", "reply")
    if action not in _ACTIONS:
        raise ValueError(f"'reply.action' must be one of {', '.join(_ACTIONS)}, got {action!r}")
    if "text" not in reply and action in ("reply", "quote", "dm"):
        raise ValueError("'reply.text' is required for a reply, quote or dm")
    thread = post.get("thread", [])
    if not isinstance(thread, list) or not all(isinstance(t, str) for t in thread):
        raise ValueError("'post.thread' must be a list of strings")
    latency = obj.get("latency_s")
    if latency is not None and (isinstance(latency, bool) or not isinstance(latency, (int, float))):
        raise ValueError(f"'latency_s' must be a number of seconds, got {latency!r}")
    expect = None
    if obj.get("expect") is not None:
        try:
            expect = Expectation.model_validate(obj["expect"])
        except ValidationError as exc:
            first = exc.errors()[0]
            raise ValueError(f"'expect.{'.'.join(str(x) for x in first['loc'])}': {first['msg']}") from exc
    max_chars = obj.get("max_chars", 280)
    return ReplyContext(
        post=PostInfo(
            text=post["text"], author=post.get("author"), kind=post.get("kind"), thread=tuple(thread),
            post_id=post.get("id"),
        ),
        reply=ReplyInfo(text=reply.get("text", ""), action=action),
        latency_s=float(latency) if latency is not None else None,
        expect=expect,
        brand=obj.get("brand"),
        max_chars=int(max_chars),
    )


def _line_out(obj_id: Any, verdict: Any) -> dict[str, Any]:
    crit = []
    for c in verdict.criteria:
        if c.verdict == "pass":
            continue
        crit.append({"code": c.code, "verdict": c.verdict, "evidence": [e.to_dict() for e in c.evidence], "reason": c.reason})
    return {
        "id": obj_id, "score": verdict.score, "passed": verdict.passed, "flags": list(verdict.flags),
        "good": list(verdict.good), "criteria": crit,
    }


def score_lines(lines: Iterable[str], scorer: Scorer, out: IO[str], err: IO[str]) -> int:
    """Score every line; write results to ``out`` and problems to ``err``; return the number of bad lines."""
    bad = 0
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            ctx = context_from_json(obj)
        except (json.JSONDecodeError, ValueError) as exc:
            bad += 1
            err.write(f"line {lineno}: cannot score: {exc}; fix the line (see `crisisdrill score --help`)\n")
            continue
        verdict = scorer.score(ctx)
        out.write(json.dumps(_line_out(obj.get("id"), verdict), ensure_ascii=False) + "\n")
    return bad


def score_command(rubric: str | None = None, file: str | None = None) -> int:
    """Run the command; return the exit code (0 ok, 1 some line malformed, 2 unusable rubric or file)."""
    try:
        scorer = Scorer(rubric)
    except ScoringError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    if file is None or file == "-":
        bad = score_lines(sys.stdin, scorer, sys.stdout, sys.stderr)
    else:
        try:
            with open(file, encoding="utf-8") as fh:
                bad = score_lines(fh, scorer, sys.stdout, sys.stderr)
        except OSError as exc:
            sys.stderr.write(f"cannot read replies from {file!r}: {exc.strerror}; give a JSON-lines file or '-'\n")
            return 2
    return 1 if bad else 0


app = typer.Typer(add_completion=False, help="Score trainee replies with the rubric engine.")


@app.command("score")
def score(
    file: Annotated[str, typer.Argument(help="JSON-lines file of replies, or '-' for stdin.")] = "-",
    rubric: Annotated[str | None, typer.Option("--rubric", help="Rubric name in scoring/rubrics/ or a YAML file.")] = None,
) -> None:
    """Score JSON lines of {post, reply, latency_s}; one JSON verdict per line, in order."""
    raise typer.Exit(score_command(rubric, file))


@app.callback()
def _main() -> None:
    """crisisdrill scoring."""
