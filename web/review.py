"""Reads of a drill's log for review: scored items with overrides applied, a trainee's
transcript, every answer to the same scripted post side by side, and the export rows.

Pure functions of the log (``records``) and its network projection; the pages, the
exports and the after-action report all use them, so they cannot disagree.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from fake_network import Network, Post
from sim import LoggedEvent

__all__ = [
    "Item",
    "comparison",
    "criterion_stats",
    "export_csv",
    "overrides",
    "scored_items",
    "transcript_for",
]

SCORED = ("reply.scored", "silence.scored")


@dataclass
class Item:
    """One scored event (a trainee's action, or a window that closed unanswered)."""

    seq: int
    t: float
    type: str
    team: str | None
    participant: str | None
    action: str | None
    target: str
    target_post: Post | None
    reply_post: Post | None
    latency_s: float | None
    verdict: dict[str, Any]
    score: int
    passed: bool
    override: dict[str, Any] | None = None
    name: str = ""

    @property
    def original_score(self) -> int:
        return int(self.verdict.get("score", 0))

    @property
    def reply_text(self) -> str:
        return self.reply_post.text if self.reply_post is not None else ""

    @property
    def ref(self) -> str | None:
        return self.target_post.ref if self.target_post is not None else None

    @property
    def missed(self) -> bool:
        return self.type == "silence.scored"


def overrides(records: Sequence[LoggedEvent]) -> dict[int, dict[str, Any]]:
    """The latest override of each scored seq, with the override's own seq and wall time."""
    out: dict[int, dict[str, Any]] = {}
    for r in records:
        if r.event.type == "verdict.overridden":
            out[int(r.event.data["target_seq"])] = {**r.event.data, "seq": r.seq, "wall": r.wall, "t": r.event.t}
    return out


def scored_items(records: Sequence[LoggedEvent], network: Network, names: dict[str, str] | None = None,
                 pass_mark: int = 70) -> list[Item]:
    over = overrides(records)
    names = names or {}
    out = []
    for r in records:
        e = r.event
        if e.type not in SCORED:
            continue
        d = e.data
        v = d.get("verdict") or {}
        o = over.get(r.seq)
        score = int(o["score"]) if o else int(v.get("score", 0))
        passed = bool(o["passed"]) if o and "passed" in o else (score >= pass_mark if o else bool(v.get("passed")))
        pid = d.get("participant")
        out.append(Item(
            seq=r.seq, t=e.t, type=e.type, team=e.team, participant=pid, action=d.get("action"),
            target=d.get("target", ""), target_post=network.post(d.get("target", "")),
            reply_post=network.post(d.get("post_id") or "") if d.get("post_id") else None,
            latency_s=d.get("latency_s", d.get("waited_s")), verdict=v, score=score, passed=passed, override=o,
            name=names.get(pid or "", pid or ""),
        ))
    return out


def criterion_stats(items: Sequence[Item]) -> list[dict[str, Any]]:
    """Per criterion code: how often it was checked, failed (risks) or missed (good practice)."""
    stats: dict[str, dict[str, Any]] = {}
    for it in items:
        for c in it.verdict.get("criteria", []):
            if c.get("verdict") == "n/a":
                continue
            s = stats.setdefault(c["code"], {"code": c["code"], "kind": c.get("kind", "risk"), "checked": 0, "bad": 0})
            s["checked"] += 1
            if c.get("verdict") in ("fail", "missed"):
                s["bad"] += 1
    rows = sorted(stats.values(), key=lambda s: (-s["bad"], s["code"]))
    for s in rows:
        s["ok_pct"] = round(100 * (s["checked"] - s["bad"]) / s["checked"]) if s["checked"] else 100
    return rows


@dataclass
class SeenPost:
    post: Post
    did: list[dict[str, Any]] = field(default_factory=list)  # this trainee's actions on it
    items: list[Item] = field(default_factory=list)  # verdicts about it (answers, silence)


def transcript_for(records: Sequence[LoggedEvent], network: Network, pid: str, team: str,
                   items: Sequence[Item]) -> dict[str, Any]:
    """Every post ``pid``'s team saw, what ``pid`` did to each, their verdicts, misses and deletes."""
    tn = network.team(team)
    seen: dict[str, SeenPost] = {}
    for p in sorted(tn.posts.values(), key=lambda p: p.seq):
        if p.by_brand and p.author.get("participant") not in (pid, None):
            continue
        seen[p.id] = SeenPost(p)
    for r in records:
        e = r.event
        if e.type == "action" and e.actor == pid and e.data.get("target") in seen:
            seen[e.data["target"]].did.append({"seq": r.seq, "t": e.t, **e.data})
    mine = [it for it in items if it.participant == pid or (it.missed and it.team == team)]
    for it in mine:
        if it.target in seen:
            seen[it.target].items.append(it)
    replies = [it for it in mine if not it.missed]
    return {
        "posts": list(seen.values()),
        "items": mine,
        "replies": replies,
        "missed": [it for it in mine if it.missed],
        "deleted": [p for p in tn.posts.values() if p.by_brand and p.deleted and p.author.get("participant") == pid],
        "latencies": [(it.t, it.latency_s) for it in replies if it.latency_s is not None],
    }


def comparison(network: Network, items: Sequence[Item]) -> list[dict[str, Any]]:
    """For each scripted post (by ``ref``, across teams): the model answer and every trainee's answer."""
    groups: dict[str, dict[str, Any]] = {}
    for tn in network.teams.values():
        for p in sorted(tn.posts.values(), key=lambda p: p.seq):
            if p.ref and not p.by_brand and p.ref not in groups:
                expect = p.expect or {}
                groups[p.ref] = {"ref": p.ref, "post": p, "model": expect.get("model_answer"),
                                 "expect": expect, "answers": [], "missed": []}
    for it in items:
        ref = it.ref
        if ref is None or ref not in groups:
            continue
        groups[ref]["missed" if it.missed else "answers"].append(it)
    return sorted(groups.values(), key=lambda g: g["post"].t)


EXPORT_FIELDS = ("seq", "t", "team", "participant", "name", "type", "action", "target", "ref", "post_author",
                 "post_text", "reply_text", "latency_s", "score", "original_score", "passed", "flags", "good",
                 "override_by", "override_note")


def export_rows(items: Sequence[Item]) -> list[dict[str, Any]]:
    rows = []
    for it in items:
        tp = it.target_post
        rows.append({
            "seq": it.seq, "t": round(it.t, 1), "team": it.team or "", "participant": it.participant or "",
            "name": it.name, "type": it.type, "action": it.action or "", "target": it.target, "ref": it.ref or "",
            "post_author": tp.author.get("handle", "") if tp else "", "post_text": tp.text if tp else "",
            "reply_text": it.reply_text, "latency_s": it.latency_s if it.latency_s is not None else "",
            "score": it.score, "original_score": it.original_score, "passed": it.passed,
            "flags": " ".join(it.verdict.get("flags", [])), "good": " ".join(it.verdict.get("good", [])),
            "override_by": (it.override or {}).get("by", ""), "override_note": (it.override or {}).get("note", ""),
        })
    return rows


def _safe_cell(value: Any) -> Any:
    """Spreadsheets run cells starting with = + - @ as formulas: quote them."""
    if isinstance(value, str) and (value[:1] in ("=", "+", "-", "\t", "\r") or value[:1] == "@" and "(" in value):
        return "'" + value
    return value


def export_csv(items: Sequence[Item]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=EXPORT_FIELDS)
    w.writeheader()
    for row in export_rows(items):
        w.writerow({k: _safe_cell(v) for k, v in row.items()})
    return buf.getvalue()
