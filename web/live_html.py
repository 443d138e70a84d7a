"""The browser's rendering of the live stream: one htmx out-of-band partial per event."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .ws import Connection

__all__ = ["html_frame"]


def html_frame(conn: "Connection", ev: dict[str, Any]) -> str | None:
    """The htmx out-of-band partial for one event, or None if the page shows nothing for it."""
    r = conn.state.templates
    rt = conn.rt
    etype = ev["type"]
    data = ev["data"]
    if etype == "post.created":
        post = rt.network.post(data["post"]["id"])
        if post is None or post.kind == "dm" and not conn.viewer.staff and post.team != conn.viewer.team:
            return None
        out = r.oob_post_new(post, conn.html_ctx())
        parent = rt.network.post(post.reply_to or post.quote_of or "")
        return out + (r.oob_counts(parent) if parent is not None else "")
    if etype == "engagement":
        posts = [rt.network.post(pid) for pid in data["counts"]]
        return "".join(r.oob_counts(p) for p in posts if p is not None) or None
    if etype == "action" and data["action"] in ("like", "hide", "delete", "report"):
        post = rt.network.post(data["target"])
        return r.oob_post_replace(post, conn.html_ctx()) if post is not None else None
    if etype == "reply.scored":
        reply = rt.network.post(data.get("post_id") or "")
        return r.oob_verdict(data, reply.text if reply is not None else None)
    if etype.startswith("drill."):
        return r.oob_clock(rt.clock())
    return None
