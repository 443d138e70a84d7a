"""The timeline as it would play, rendered for a terminal: a static reading of the script.

Each scripted item appears at its drill time; each branch appears at the earliest time it
could fire, with what it would add. ``play`` prints the events, pacing them at ``speed``
times real time through an injected ``sleep`` (tests pass a fake one).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from ._parts import parts_of
from ._timefmt import clock, format_time
from ._timing import earliest
from .models import Branch, Effect, Expectation, Scenario, When

__all__ = ["PreviewEvent", "play", "preview_events"]

_INDENT = " " * 8


@dataclass(frozen=True)
class PreviewEvent:
    """Lines to print at drill time ``at`` (seconds)."""

    at: float
    lines: tuple[str, ...]


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(1, width - 1)].rstrip() + "…"


class _Renderer:
    def __init__(self, scenario: Scenario, width: int) -> None:
        self.s = scenario
        self.width = width
        self.handles = {p.id: p for p in scenario.personas}

    def who(self, pid: str) -> str:
        p = self.handles.get(pid)
        return f"{p.handle} ({p.kind.value})" if p else pid

    def effect(self, e: Effect, indent: int = 7) -> list[str]:
        tag = f"{e.id or '':<8} "
        head: str
        text: str | None = None
        if e.post is not None:
            how = (
                f"reply to {e.post.reply_to}"
                if e.post.reply_to
                else ("post", f"quote of {e.post.quote_of}")[bool(e.post.quote_of)]
            )
            if e.post.reply_to and e.post.quote_of:
                how += f", quoting {e.post.quote_of}"
            head, text = f"{how:<16} {self.who(e.post.by)}", e.post.text
        elif e.dm is not None:
            head, text = f"{'DM':<16} {self.who(e.dm.by)}", e.dm.text
        elif e.repost is not None:
            head = f"{'repost of ' + e.repost.of:<16} {self.who(e.repost.by)}"
        elif e.burst is not None:
            b = e.burst
            on = f" on {b.about}" if b.about else ""
            head = f"{'burst':<16} {b.count} {b.mood} crowd {'quotes' if b.quoting else 'posts'}{on} over {format_time(b.over)}"
        elif e.engagement is not None:
            g = e.engagement
            adds = ", ".join(
                f"+{n} {k}" for k, n in (("likes", g.likes), ("reposts", g.reposts), ("views", g.views)) if n
            )
            head = f"{'engagement':<16} {g.post}: {adds or 'nothing'} over {format_time(g.over)}"
        else:
            head = f"heat {e.heat or 0:+d}"
        if e.heat is not None and e.kind != "heat":
            head += f"  · heat {e.heat:+d}"
        lines = [tag + head]
        if text is not None:
            lines.append(_INDENT + "“" + _cut(text, self.width - indent - len(_INDENT) - 2) + "”")
        if e.expect is not None:
            lines.append(
                _INDENT + "expect: " + _cut(_expect(e.expect), self.width - indent - len(_INDENT) - 8)
            )
        return lines

    def branch(self, b: Branch, fire: float) -> PreviewEvent:
        when = "any time" if b.when.cue else ("never" if math.isinf(fire) else f"earliest {clock(fire)}")
        lines = [f"⎇ BRANCH {b.id}: if {_when(b.when)} ({when}){'' if b.once else ', every time'}"]
        for e in b.then:
            after = f"+{format_time(e.after)}"
            for i, line in enumerate(self.effect(e, 7 + len(_INDENT) + 7)):
                lines.append(f"{_INDENT}{after if i == 0 else '':>6} {line}")
        return PreviewEvent(0.0 if math.isinf(fire) or b.when.cue else fire, tuple(lines))


def _expect(x: Expectation) -> str:
    parts = [{"required": "answer", "optional": "answer optional", "none": "stay silent"}[x.answer]]
    if x.within is not None:
        parts[0] += f" within {format_time(x.within)}"
    if x.answer != "none" and x.via != ["reply", "dm"]:
        parts[0] += " via " + "/".join(x.via)
    if x.route:
        parts.append(f"route to {x.route}")
    if x.actions:
        parts.append("ok to " + "/".join(a.value for a in x.actions))
    for label, codes in (("avoid", x.avoid), ("require", x.require), ("allow", x.allow)):
        if codes:
            parts.append(f"{label} {', '.join(codes)}")
    return " · ".join(parts)


def _when(w: When) -> str:
    if w.cue is not None:
        return f"the trainer cues {w.cue!r}"
    if w.no_answer_to is not None:
        return f"no answer to {w.no_answer_to} for {format_time(w.for_ or 0)}"
    if w.action is not None:
        return f"the trainee does {w.action} on {w.on}"
    out = f"an answer to {w.answer_to}"
    if w.flagged:
        out += f" is flagged {w.flagged}"
    if w.score_below is not None:
        out += f" scores below {w.score_below:g}"
    if w.score_above is not None:
        out += f" scores above {w.score_above:g}"
    return out


def preview_events(scenario: Scenario, width: int = 100) -> list[PreviewEvent]:
    """The header, each item and branch at its time, and the end, in play order."""
    s = scenario
    r = _Renderer(s, width)
    parts = parts_of(s)
    _, fire = earliest(parts, parts.branches)
    c = s.crowd
    header = (
        f"{s.title} ({s.id}) · {s.brand.handle} · {format_time(s.duration)} · {len(s.timeline)} items, {len(s.branches)} branches",
        f"crowd: {c.per_minute:g}/min, {c.mood}"
        + (f" · {' '.join(c.hashtags)}" if c.hashtags else "")
        + (f" · topics: {', '.join(c.topics)}" if c.topics else ""),
        "",
    )
    events = [PreviewEvent(0.0, header)]
    timed: list[tuple[float, int, PreviewEvent]] = []
    for t in s.timeline:
        lines = r.effect(t)
        stamp = clock(t.at + t.after)
        timed.append(
            (
                t.at + t.after,
                0,
                PreviewEvent(t.at + t.after, (f"{stamp}  {lines[0]}", *(" " * 7 + ln for ln in lines[1:]))),
            )
        )
    for i, b in enumerate(s.branches):
        ev = r.branch(b, fire[i])
        stamp = "cue" if b.when.cue else ("never" if math.isinf(fire[i]) else clock(ev.at))
        timed.append(
            (
                ev.at,
                1,
                PreviewEvent(ev.at, (f"{stamp:>5}  {ev.lines[0]}", *(" " * 7 + ln for ln in ev.lines[1:]))),
            )
        )
    events += [ev for _, _, ev in sorted(timed, key=lambda x: (x[0], x[1]))]
    events.append(PreviewEvent(s.duration, (f"{clock(s.duration)}  end of drill",)))
    return events


def play(
    events: list[PreviewEvent],
    write: Callable[[str], None],
    sleep: Callable[[float], None],
    speed: float | None = None,
) -> None:
    """Write each event's lines; with a ``speed``, first ``sleep`` until its time at that pace."""
    if speed is not None and speed <= 0:
        raise ValueError(
            f"cannot play a preview at speed {speed!r}: use a positive number such as 60, or 'max'"
        )
    now = 0.0
    for ev in events:
        if speed is not None and ev.at > now:
            sleep((ev.at - now) / speed)
            now = ev.at
        for line in ev.lines:
            write(line)
