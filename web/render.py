"""Jinja2 templates (autoescaped) and the HTML partials sent over the socket.

Pages are templates with named blocks: a full request renders the page, an htmx request
renders one block of the same template (STYLE 17). Live HTML reuses the same blocks of
``partials.html`` (the ``post`` block above all) with ``hx-swap-oob``, so the page and the
stream cannot drift apart.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from fake_network import Post, avatar_svg

from . import charts

__all__ = ["Renderer", "ago", "dom_id", "mark_evidence", "mmss"]


def mmss(t: float | None) -> str:
    t = max(0, int(t or 0))
    return f"{t // 60}:{t % 60:02d}"


def ago(t: float, now: float) -> str:
    """A relative timestamp on the drill clock: 'now', '45s', '3m', '1h'."""
    d = max(0, int(now - t))
    if d < 5:
        return "now"
    if d < 60:
        return f"{d}s"
    if d < 3600:
        return f"{d // 60}m"
    return f"{d // 3600}h"


def dom_id(post_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", post_id)


_ICONS = {
    "reply": '<path d="M4 5h16v11H9l-5 4z"/>',
    "repost": '<path d="M7 7h11l-3-3M18 7l-3 3M17 17H6l3 3M6 17l3-3"/>',
    "like": '<path d="M12 20s-7-4.5-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.5-7 10-7 10z"/>',
    "views": '<path d="M5 20V12M10 20V6M15 20v-9M20 20V9"/>',
    "home": '<path d="M4 11l8-7 8 7v9h-5v-6H9v6H4z"/>',
    "bell": '<path d="M6 17V11a6 6 0 0 1 12 0v6l2 2H4zM10 21h4"/>',
    "mail": '<path d="M3 6h18v12H3zM3 6l9 7 9-7"/>',
    "quote": '<path d="M7 8h4v4l-2 4M14 8h4v4l-2 4"/>',
}


def icon(name: str) -> Markup:
    """A small inline SVG icon (no icon font, no emoji font needed)."""
    return Markup(f'<svg class="icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" fill="none" '
                  f'stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">'
                  f"{_ICONS[name]}</svg>")


def compact(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M".replace(".0M", "M")
    if n >= 10_000:
        return f"{n // 1000}K"
    if n >= 1000:
        return f"{n / 1000:.1f}K".replace(".0K", "K")
    return str(n)


def mark_evidence(text: str, criteria: Iterable[dict[str, Any]]) -> Markup:
    """``text`` with each evidence span wrapped in ``<mark>``: the text is split at the span
    offsets and every piece escaped on its own, so no user string is ever injected as HTML."""
    text = text or ""
    spans: list[tuple[int, int, str, str]] = []
    for c in criteria:
        verdict = c.get("verdict")
        if verdict not in ("fail", "met"):
            continue
        cls = "risk" if verdict == "fail" else "good"
        for e in c.get("evidence", []):
            s, end = e.get("start"), e.get("end")
            if isinstance(s, int) and isinstance(end, int) and 0 <= s < end <= len(text):
                spans.append((s, end, cls, str(c.get("code", ""))))
    if not spans:
        return Markup(escape(text))
    cuts = sorted({0, len(text), *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    out = []
    for a, b in itertools.pairwise(cuts):
        cover = [sp for sp in spans if sp[0] <= a and sp[1] >= b]
        piece = escape(text[a:b])
        if cover:
            cls = "risk" if any(sp[2] == "risk" for sp in cover) else "good"
            codes = ", ".join(sorted({sp[3] for sp in cover}))
            out.append(f'<mark class="ev {cls}" title="{escape(codes)}">{piece}</mark>')
        else:
            out.append(str(piece))
    return Markup("".join(out))


class Renderer:
    def __init__(self) -> None:
        self.env = Environment(
            loader=FileSystemLoader(Path(__file__).parent / "templates"),
            autoescape=select_autoescape(["html"], default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(
            avatar=lambda h, n="", size=40: Markup(avatar_svg(h or "?", n or "", size)), mmss=mmss, ago=ago,
            dom_id=dom_id, compact=compact, icon=icon, mark_evidence=mark_evidence, charts=charts,
        )

    def _ctx(self, ctx: dict[str, Any]) -> dict[str, Any]:
        ctx.setdefault("render_post", lambda p, **extra: self.post(p, {**ctx, **extra}))
        ctx.setdefault("partial", lambda name, **extra: Markup(self.partial(name, **{**ctx, **extra})))
        return ctx

    def page(self, name: str, **ctx: Any) -> str:
        return self.env.get_template(name).render(**self._ctx(ctx))

    def block(self, name: str, block: str, **ctx: Any) -> str:
        tmpl = self.env.get_template(name)
        return "".join(tmpl.blocks[block](tmpl.new_context(self._ctx(ctx))))

    def partial(self, block: str, **ctx: Any) -> str:
        return self.block("partials.html", block, **ctx)

    def post(self, post: Post, ctx: dict[str, Any]) -> Markup:
        return Markup(self.partial("post", **{**ctx, "post": post, "oob": False}))

    # -------------------------------------------------------------- live partials
    def oob_post_new(self, post: Post, ctx: dict[str, Any], target: str = "#feed") -> str:
        return f'<div hx-swap-oob="afterbegin:{target}">{self.post(post, ctx)}</div>'

    def oob_post_replace(self, post: Post, ctx: dict[str, Any]) -> str:
        html = str(self.post(post, ctx))
        return html.replace("<article ", '<article hx-swap-oob="true" ', 1)

    def oob_counts(self, post: Post, ctx: dict[str, Any]) -> str:
        return self.partial("counts", **{**ctx, "post": post, "oob": True})

    def oob_clock(self, clock: dict[str, Any]) -> str:
        return self.partial("clock", clock=clock, oob=True)

    def oob_feed(self, posts: list[Post], ctx: dict[str, Any]) -> str:
        """The snapshot a browser gets on every (re)connect: everything live on its page."""
        snapshot = ctx.get("snapshot")
        if callable(snapshot):
            return str(snapshot())
        return '<div id="feed" hx-swap-oob="innerHTML">' + "".join(str(self.post(p, ctx)) for p in posts) + "</div>"

    def oob_toast(self, msg: str) -> str:
        return (f'<div hx-swap-oob="afterbegin:#toasts"><p class="toast error" role="alert">{escape(msg)}'
                f'<button type="button" class="link" data-dismiss aria-label="Dismiss">×</button></p></div>')
