"""The semantic lint checks: ids, references, rubric codes and expectations.

These run after the shape checks, on every part of the script that is well formed
(see ``_parts``); the timing and branch checks live in ``_timing``. Each finding is a
:class:`Diagnostic` at the offending value.
"""

from __future__ import annotations

import difflib

from ._document import Document
from ._parts import POST_KINDS, Item, Loc, Parts, collect
from ._timefmt import format_time
from ._timing import check_timing
from ._validate import Locator, format_loc, tree_locator
from .codes import diagnostic
from .errors import Diagnostic
from .models import Effect
from .rubric_codes import RUBRIC_CODES

__all__ = ["check"]

_ANSWER = "answer"


def _suggest(value: str, options: list[str]) -> str | None:
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.5)
    return f"did you mean {close[0]!r}?" if close else None


class _Checker:
    def __init__(self, parts: Parts, locate: Locator) -> None:
        self.parts = parts
        self.locate = locate
        self.out: list[Diagnostic] = []
        self.posts: dict[str, Item] = {}

    def report(self, code: str, loc: Loc, message: str, hint: str | None = None) -> None:
        span, _ = self.locate(loc, False)
        self.out.append(diagnostic(code, message, span, hint=hint))

    def ids(self) -> None:
        seen: dict[str, Loc] = {}
        for loc, pid, _ in self.parts.personas:
            self._unique("persona", pid, loc, seen)
        seen = {}
        for item in self.parts.items():
            if self._unique("item", item.id, item.loc, seen) and item.id is not None:
                self.posts[item.id] = item
        seen = {}
        for b in self.parts.branches:
            self._unique("branch", b.id, ("branches", b.index), seen)

    def _unique(self, what: str, ident: str | None, loc: Loc, seen: dict[str, Loc]) -> bool:
        if ident is None:
            return False
        if ident in seen:
            first, _ = self.locate(seen[ident], False)
            self.report(
                "E202",
                (*loc, "id"),
                f"duplicate {what} id {ident!r} (first at line {first.line})",
                "give each one its own id",
            )
            return False
        seen[ident] = loc
        return True

    def personas_refs(self, item: Item) -> None:
        known = [pid for _, pid, _ in self.parts.personas if pid is not None]
        e = item.effect
        assert e is not None
        for key, spec in (("post", e.post), ("dm", e.dm), ("repost", e.repost)):
            if spec is not None and spec.by not in known:
                hint = _suggest(spec.by, known) or f"personas: {', '.join(known)}"
                self.report(
                    "E200",
                    (*item.loc, key, "by"),
                    f"unknown persona {spec.by!r} in {format_loc((*item.loc, key, 'by'))}",
                    hint,
                )

    def post_refs(self, item: Item, answer_ok: bool) -> None:
        e = item.effect
        assert e is not None
        refs: list[tuple[Loc, str | None]] = []
        if e.post is not None:
            refs += [(("post", "reply_to"), e.post.reply_to), (("post", "quote_of"), e.post.quote_of)]
        if e.repost is not None:
            refs.append((("repost", "of"), e.repost.of))
        if e.burst is not None:
            refs.append((("burst", "about"), e.burst.about))
        if e.engagement is not None:
            refs.append((("engagement", "post"), e.engagement.post))
        for sub, ref in refs:
            if ref is None:
                continue
            loc = (*item.loc, *sub)
            if ref == _ANSWER:
                if not answer_ok:
                    self.report(
                        "E203",
                        loc,
                        f"{format_loc(loc)}: 'answer' means the trainee's answer, but nothing here is triggered by one",
                        "use 'answer' only in a branch with 'answer_to', 'action: quote', 'action: dm' or 'on: answer'",
                    )
                continue
            target = self.ref(loc, ref)
            if target is None or item.at is None:
                continue
            if target.at is None:
                self.report(
                    "W207",
                    loc,
                    f"{format_loc(loc)} refers to {ref!r}, which only a branch adds; it may not exist at {format_time(item.at)}",
                    "move this item into that branch's 'then'",
                )
            elif target.at > item.at:
                self.report(
                    "E205",
                    loc,
                    f"{format_loc(loc)} refers to {ref!r}, which only appears later (at {format_time(target.at)}, this item is at {format_time(item.at)})",
                    "move one of them so the post comes first",
                )

    def ref(self, loc: Loc, ref: str) -> Item | None:
        target = self.posts.get(ref)
        if target is None:
            hint = _suggest(ref, list(self.posts)) or "give the post an 'id:' and use it here"
            self.report("E201", loc, f"{format_loc(loc)}: no post with id {ref!r}", hint)
            return None
        if target.kind not in POST_KINDS:
            self.report(
                "E206",
                loc,
                f"{format_loc(loc)}: {ref!r} is a {target.kind} item, not a post, DM or repost",
                "refer to a post id",
            )
            return None
        return target

    def rubric(self, loc: Loc, code: str) -> None:
        if code not in RUBRIC_CODES:
            hint = _suggest(code, sorted(RUBRIC_CODES)) or "rubric codes: " + ", ".join(sorted(RUBRIC_CODES))
            self.report("E204", loc, f"{format_loc(loc)}: {code!r} is not a rubric code", hint)

    def expectations(self, item: Item, e: Effect) -> None:
        x = e.expect
        if x is None:
            return
        loc = (*item.loc, "expect")
        for key in ("avoid", "allow", "require"):
            for i, code in enumerate(getattr(x, key)):
                self.rubric((*loc, key, i), code)
        if x.answer == "required" and x.model_answer is None:
            self.report(
                "W400",
                loc,
                f"{format_loc(loc)}: an answer is required but there is no model_answer",
                "add 'model_answer: …' so trainees see good handling",
            )
        if x.answer == "none" and x.within is not None:
            self.report(
                "W401",
                (*loc, "within"),
                f"{format_loc(loc)}: 'within' on a post that should not be answered (answer: none)",
                "remove 'within', or set 'answer: required'",
            )
        if x.model_answer is not None and len(x.model_answer) > self.parts.max_chars:
            self.report(
                "W402",
                (*loc, "model_answer"),
                f"model answer is {len(x.model_answer)} characters; the limit is {self.parts.max_chars}",
                "shorten it, or raise 'max_chars'",
            )

    def run(self) -> list[Diagnostic]:
        self.ids()
        answer_branches: set[int] = set()
        for b in self.parts.branches:
            w = b.model.when if b.model is not None else None
            if w is None:
                continue
            if w.answer_to is not None or w.action == "quote" or w.on == _ANSWER:
                answer_branches.add(b.index)
            for key in ("no_answer_to", "answer_to", "on"):
                ref = getattr(w, key)
                if key == "on" and ref == _ANSWER and w.action in ("delete", "quote", "repost"):
                    continue  # 'on: answer' watches the trainee's own answer (e.g. deleting it)
                if ref is not None:
                    self.ref(("branches", b.index, "when", key), ref)
            if w.flagged is not None:
                self.rubric(("branches", b.index, "when", "flagged"), w.flagged)
        for item in self.parts.items():
            if item.effect is None:
                continue
            self.personas_refs(item)
            self.post_refs(item, item.branch in answer_branches)
            self.expectations(item, item.effect)
        return self.out


def check(doc: Document) -> list[Diagnostic]:
    """The semantic diagnostics of a read document (none when it has no tree)."""
    if doc.tree is None:
        return []
    parts = collect(doc.tree)
    locate = tree_locator(doc.tree)
    return _Checker(parts, locate).run() + check_timing(parts, locate)
