"""Pydantic validation errors as diagnostics at the offending key or value.

Each error's ``loc`` is walked down the position tree to the deepest key that exists:
an unknown key points at the key (with a did-you-mean), a missing key at the block that
lacks it, a wrong value at the value.
"""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Callable
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ._tree import PosList, PosMap, plain
from .codes import Span, diagnostic
from .errors import Diagnostic
from .models import Scenario

__all__ = ["Locator", "error_diagnostics", "format_loc", "tree_locator", "validate"]

Loc = tuple[int | str, ...]
Locator = Callable[[Loc, bool], tuple[Span, bool]]
"""``(loc, want_key) -> (span, found)``: where a loc is, and whether all of it exists."""


def format_loc(loc: Loc) -> str:
    """``('timeline', 2, 'expect')`` -> ``timeline[2].expect``."""
    out = ""
    for seg in loc:
        out += f"[{seg}]" if isinstance(seg, int) else (f".{seg}" if out else str(seg))
    return out or "the top level"


def tree_locator(tree: PosMap) -> Locator:
    """A locator that walks ``tree`` along a loc."""

    def locate(loc: Loc, want_key: bool) -> tuple[Span, bool]:
        node: Any = tree
        span = tree.span
        for i, seg in enumerate(loc):
            last = i == len(loc) - 1
            if isinstance(node, PosMap) and isinstance(seg, str) and seg in node:
                span = node.key_spans[seg] if (last and want_key) else node.value_spans[seg]
                node = node[seg]
            elif isinstance(node, PosList) and isinstance(seg, int) and 0 <= seg < len(node):
                span = node.item_spans[seg]
                node = node[seg]
            else:
                return span, False
        return span, True

    return locate


def _unwrap(tp: Any) -> Any:
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(tp) if a is not type(None)]
            tp = args[0] if args else tp
            if not args:
                return tp
        else:
            return tp


def _model_at(root: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    tp: Any = root
    for seg in loc:
        tp = _unwrap(tp)
        if isinstance(seg, int):
            if get_origin(tp) is not list:
                return None
            tp = get_args(tp)[0]
            continue
        if not (isinstance(tp, type) and issubclass(tp, BaseModel)):
            return None
        field = next((f for n, f in tp.model_fields.items() if seg in (n, f.alias)), None)
        if field is None:
            return None
        tp = field.annotation
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items()]


def _one(err: ErrorDetails, locate: Locator, root: type[BaseModel]) -> Diagnostic:
    loc: Loc = tuple(err["loc"])
    kind = err["type"]
    msg = err["msg"].removeprefix("Value error, ")
    if kind == "extra_forbidden":
        span, _ = locate(loc, True)
        key = str(loc[-1])
        model = _model_at(root, loc[:-1])
        valid = _keys(model) if model else []
        close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
        where = format_loc(loc[:-1])
        message = f"unknown key {key!r} in {where}" + (f" (did you mean {close[0]!r}?)" if close else "")
        hint = f"valid keys here: {', '.join(valid)}" if valid else None
        return diagnostic("E100", message, span, hint=hint)
    if kind == "missing":
        span, _ = locate(loc[:-1], False)
        return diagnostic(
            "E101",
            f"{format_loc(loc[:-1])}: missing key {str(loc[-1])!r}",
            span,
            hint=f"add '{loc[-1]}: …' here",
        )
    span, _ = locate(loc, False)
    value = err.get("input")
    if kind == "value_error" and isinstance(value, dict):
        return diagnostic("E103", f"{format_loc(loc)}: {msg}", span)
    hint = None
    ctx = err.get("ctx") or {}
    if "expected" in ctx and isinstance(value, str):
        options = re.findall(r"'([^']*)'", str(ctx["expected"]))
        close = difflib.get_close_matches(value, options, n=1, cutoff=0.5)
        hint = f"did you mean {close[0]!r}?" if close else None
    elif isinstance(value, bool) and kind == "string_type":
        hint = "YAML reads yes/no/on/off/true/false as a yes-or-no value: put the text in quotes"
    elif isinstance(value, (int, float)) and kind == "string_type":
        hint = "put the value in quotes to make it a text"
    shown = (
        repr(value)
        if not isinstance(value, (dict, list))
        else ("a mapping" if isinstance(value, dict) else "a list")
    )
    got = "" if shown in msg else f" (got {shown})"
    return diagnostic("E102", f"{format_loc(loc)}: {msg}{got}", span, hint=hint)


def error_diagnostics(exc: ValidationError, locate: Locator, root: type[BaseModel]) -> list[Diagnostic]:
    """Every error of ``exc`` as a diagnostic placed by ``locate``."""
    return [_one(e, locate, root) for e in exc.errors()]


def validate(tree: PosMap) -> tuple[Scenario | None, list[Diagnostic]]:
    """Validate a resolved tree as a :class:`Scenario`."""
    try:
        return Scenario.model_validate(plain(tree)), []
    except ValidationError as exc:
        return None, error_diagnostics(exc, tree_locator(tree), Scenario)
