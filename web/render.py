"""Jinja2 templates (autoescaped) and the HTML partials sent over the socket.

Live HTML reuses the page's own ``post`` block (htmx ``hx-swap-oob``), so the page and
the stream cannot drift apart.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from fake_network import Post, avatar_svg

__all__ = ["Renderer", "dom_id", "mmss"]


def mmss(t: float) -> str:
    t = max(0, int(t))
    return f"{t // 60}:{t % 60:02d}"


def dom_id(post_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", post_id)


class Renderer:
    def __init__(self) -> None:
        self.env = Environment(
            loader=FileSystemLoader(Path(__file__).parent / "templates"),
            autoescape=select_autoescape(["html"], default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(avatar=lambda h, n="": Markup(avatar_svg(h or "?", n or "")), mmss=mmss,
                                dom_id=dom_id)

    def page(self, name: str, **ctx: Any) -> str:
        tmpl = self.env.get_template(name)
        ctx.setdefault("render_post", lambda p: self.post(p, ctx))
        return tmpl.render(**ctx)

    def block(self, name: str, block: str, **ctx: Any) -> str:
        tmpl = self.env.get_template(name)
        return "".join(tmpl.blocks[block](tmpl.new_context(ctx)))

    def post(self, post: Post, ctx: dict[str, Any]) -> Markup:
        return Markup(self.block("drill.html", "post", **{**ctx, "post": post}))

    # -------------------------------------------------------------- live partials
    def oob_post_new(self, post: Post, ctx: dict[str, Any]) -> str:
        return f'<div hx-swap-oob="afterbegin:#feed">{self.post(post, ctx)}</div>'

    def oob_post_replace(self, post: Post, ctx: dict[str, Any]) -> str:
        html = str(self.post(post, ctx))
        return html.replace("<article ", '<article hx-swap-oob="true" ', 1)

    def oob_counts(self, post: Post) -> str:
        return (f'<footer class="counts" id="counts-{dom_id(post.id)}" hx-swap-oob="true">💬 {post.replies} · '
                f"🔁 {post.reposts} · ♥ {post.likes}</footer>")

    def oob_clock(self, clock: dict[str, Any]) -> str:
        return (f'<p class="clock" id="clock" hx-swap-oob="true" data-t="{clock["t"]}" '
                f'data-status="{escape(clock["status"])}" data-speed="{clock["speed"]}">{escape(clock["status"])}</p>')

    def oob_feed(self, posts: list[Post], ctx: dict[str, Any]) -> str:
        return '<div id="feed" hx-swap-oob="innerHTML">' + "".join(str(self.post(p, ctx)) for p in posts) + "</div>"

    def oob_verdict(self, data: dict[str, Any], reply_text: str | None) -> str:
        v = data["verdict"]
        flags = ", ".join(v.get("flags", [])) or "none"
        good = ", ".join(v.get("good", [])) or "none"
        lines = []
        for c in v.get("criteria", []):
            if c.get("verdict") not in ("fail", "missed"):
                continue
            ev = "; ".join(
                f'“{escape(e["text"])}”' if e.get("text") else escape(e.get("fact", "")) for e in c.get("evidence", [])
            )
            lines.append(f"<li><strong>{escape(c['code'])}</strong>: {escape(c.get('reason', ''))} {ev}</li>")
        cls = "pass" if v.get("passed") else "fail"
        quoted = f"<p class='muted'>{escape(reply_text)}</p>" if reply_text else ""
        return (f'<div hx-swap-oob="afterbegin:#feedback"><div class="verdict {cls}">'
                f"<p><strong>Score {int(v['score'])}</strong> · risks: {escape(flags)} · good: {escape(good)}</p>"
                f"{quoted}<ul>{''.join(lines)}</ul></div></div>")

    def oob_toast(self, msg: str) -> str:
        return f'<div hx-swap-oob="afterbegin:#toasts"><p class="error" role="alert">{escape(msg)}</p></div>'
