"""The mock social network as a projection of the drill log.

Feed a :class:`Network` every event of a drill in seq order (``apply``) and query it:
the feed, a thread, the DMs, notifications, engagement counts. It never writes
anywhere: rebuilding it from the log always gives the same network. A deleted post
leaves the feed but stays in :meth:`Network.all_posts` (and so in the transcript).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = ["EventLike", "Network", "Post", "TeamNetwork"]


class EventLike(Protocol):
    @property
    def type(self) -> str: ...
    @property
    def t(self) -> float: ...
    @property
    def team(self) -> str | None: ...
    @property
    def actor(self) -> str | None: ...
    @property
    def data(self) -> dict[str, Any]: ...


@dataclass(slots=True)
class Post:
    id: str
    seq: int
    t: float
    kind: str  # post | reply | quote | repost | dm
    author: dict[str, Any]
    text: str
    team: str
    reply_to: str | None = None
    quote_of: str | None = None
    ref: str | None = None
    origin: str = "script"
    expect: dict[str, Any] | None = None
    likes: int = 0
    reposts: int = 0
    views: int = 0
    replies: int = 0
    deleted: bool = False
    deleted_at: float | None = None
    hidden: bool = False
    reported: bool = False
    liked_by_brand: bool = False
    reposted_by_brand: bool = False
    verdicts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def by_brand(self) -> bool:
        return self.author.get("kind") == "brand"

    def to_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in self.__slots__ if k != "verdicts"}
        d["by_brand"] = self.by_brand
        return d


@dataclass
class TeamNetwork:
    name: str
    posts: dict[str, Post] = field(default_factory=dict)
    heat: int = 0
    heat_history: list[tuple[float, int]] = field(default_factory=list)

    def feed(self, include_deleted: bool = False, include_hidden: bool = True) -> list[Post]:
        """Public posts, newest first (what the trainee's timeline shows)."""
        out = [
            p
            for p in self.posts.values()
            if p.kind != "dm" and (include_deleted or not p.deleted) and (include_hidden or not p.hidden)
        ]
        out.sort(key=lambda p: p.seq, reverse=True)
        return out

    def thread(self, post_id: str, include_deleted: bool = False) -> list[Post]:
        """The root of ``post_id``'s conversation and every reply under it, oldest first."""
        root = self.posts.get(post_id)
        while root is not None and root.reply_to and root.reply_to in self.posts:
            root = self.posts[root.reply_to]
        if root is None:
            return []
        ids = {root.id}
        out = [root]
        for p in sorted(self.posts.values(), key=lambda p: p.seq):
            if p.kind != "dm" and p.reply_to in ids and p.id not in ids:
                ids.add(p.id)
                out.append(p)
        return [p for p in out if include_deleted or not p.deleted]

    def dms(self) -> dict[str, list[Post]]:
        """Direct-message conversations keyed by the other party's handle, oldest first."""
        convs: dict[str, list[Post]] = {}
        for p in sorted(self.posts.values(), key=lambda p: p.seq):
            if p.kind != "dm":
                continue
            if p.by_brand:
                other = self.posts.get(p.reply_to or "")
                handle = other.author.get("handle", "?") if other else "?"
            else:
                handle = p.author.get("handle", "?")
            convs.setdefault(handle, []).append(p)
        return convs

    def notifications(self, brand_handle: str) -> list[Post]:
        """Posts that mention the brand or answer one of its posts, newest first."""
        handle = brand_handle.lower()
        out = []
        for p in self.posts.values():
            if p.by_brand or p.deleted:
                continue
            parent = self.posts.get(p.reply_to or p.quote_of or "")
            if handle in p.text.lower() or (parent is not None and parent.by_brand) or p.kind == "dm":
                out.append(p)
        out.sort(key=lambda p: p.seq, reverse=True)
        return out


class Network:
    """All teams' networks of one drill."""

    def __init__(self) -> None:
        self.teams: dict[str, TeamNetwork] = {}
        self.last_seq = 0

    def team(self, name: str) -> TeamNetwork:
        if name not in self.teams:
            self.teams[name] = TeamNetwork(name)
        return self.teams[name]

    def post(self, post_id: str) -> Post | None:
        team = post_id.split(":", 1)[0]
        tn = self.teams.get(team)
        return tn.posts.get(post_id) if tn else None

    def all_posts(self) -> list[Post]:
        return sorted((p for tn in self.teams.values() for p in tn.posts.values()), key=lambda p: p.seq)

    def apply(self, seq: int, ev: EventLike) -> Post | None:
        """Apply one event; returns the post it created or changed, if any."""
        self.last_seq = max(self.last_seq, seq)
        if ev.team is None:
            return None
        tn = self.team(ev.team)
        d = ev.data
        if ev.type == "post.created":
            p = d["post"]
            post = Post(
                id=p["id"], seq=seq, t=ev.t, kind=p["kind"], author=p["author"], text=p["text"], team=ev.team,
                reply_to=p.get("reply_to"), quote_of=p.get("quote_of"), ref=p.get("ref"),
                origin=d.get("origin", "script"), expect=d.get("expect"),
            )
            tn.posts[post.id] = post
            parent = tn.posts.get(post.reply_to or "")
            if parent is not None and post.kind == "reply":
                parent.replies += 1
            if post.kind == "repost" and post.quote_of in tn.posts:
                tn.posts[post.quote_of].reposts += 1
                if post.by_brand:
                    tn.posts[post.quote_of].reposted_by_brand = True
            return post
        if ev.type == "engagement":
            for pid, (likes, reposts, views) in d["counts"].items():
                target = tn.posts.get(pid)
                if target is not None:
                    target.likes += likes
                    target.reposts += reposts
                    target.views += views
            return None
        if ev.type == "action":
            target = tn.posts.get(d["target"])
            if target is None:
                return None
            action = d["action"]
            if action == "like":
                target.likes += 1
                target.liked_by_brand = True
            elif action == "hide":
                target.hidden = True
            elif action == "delete":
                target.deleted = True
                target.deleted_at = ev.t
            elif action == "report":
                target.reported = True
            return target
        if ev.type in ("reply.scored", "silence.scored"):
            target = tn.posts.get(d.get("post_id") or d["target"])
            if target is not None:
                target.verdicts.append({"seq": seq, **d})
            return target
        if ev.type == "heat":
            tn.heat = int(d["heat"])
            tn.heat_history.append((ev.t, tn.heat))
        return None
