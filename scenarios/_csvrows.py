"""The CSV layout of a master events list: one row per timeline item or branch effect.

``effect_row`` turns an item into cells; ``row_effect`` turns cells back into the YAML
shape of an item. Times are ``m:ss``; lists are comma-separated (``-`` is an empty list);
a burst's ``texts`` are one per line inside the cell.
"""

from __future__ import annotations

import re
from typing import Any

from ._timefmt import format_time
from ._tree import PosMap, parse_yaml, plain
from .models import Effect, Expectation, When

__all__ = [
    "COLUMNS",
    "KIND_NAMES",
    "RowError",
    "column_for",
    "effect_row",
    "row_effect",
    "when_cell",
    "when_value",
    "yes_no",
]

COLUMNS: tuple[str, ...] = (
    "at", "after", "branch", "when", "once", "description", "id", "kind", "by", "reply_to", "quote_of", "of",
    "text", "heat", "count", "over", "mood", "quoting", "texts", "likes", "reposts", "views",
    "answer", "within", "via", "route", "actions", "avoid", "allow", "require", "offer", "model_answer",
    "bad_answer", "notes",
)  # fmt: skip
KIND_NAMES = ("post", "dm", "repost", "burst", "engagement", "heat")
_LISTS = ("via", "actions", "avoid", "allow", "require")
_EXPECT_TEXT = {
    "route": "route",
    "offer": "allowed_offer",
    "model_answer": "model_answer",
    "bad_answer": "bad_answer",
    "notes": "notes",
}
_PLAIN = re.compile(r"[A-Za-z_][\w.-]*")
_YAML_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}


class RowError(ValueError):
    """A cell that cannot be read; ``column`` names it."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _scalar(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str) and _PLAIN.fullmatch(value) and value.lower() not in _YAML_WORDS:
        return value
    return (
        str(value)
        if isinstance(value, (int, bool))
        else '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
    )


def when_cell(w: When) -> str:
    """``no_answer_to: p1, for: 5:00`` — a branch condition as a YAML flow mapping body."""
    data = w.model_dump(by_alias=True, exclude_none=True)
    return ", ".join(f"{k}: {format_time(v) if k == 'for' else _scalar(v)}" for k, v in data.items())


def when_value(cell: str) -> dict[str, Any]:
    """The mapping a ``when`` cell holds."""
    tree, problems = parse_yaml("{" + cell + "}", "when")
    if problems or not isinstance(tree, PosMap):
        raise RowError(
            "when",
            f"cannot read when {cell!r}: write it as 'key: value, key: value', e.g. 'no_answer_to: p1, for: 5:00'",
        )
    value: dict[str, Any] = plain(tree)
    return value


def _expect_cells(x: Expectation) -> dict[str, str]:
    cells: dict[str, str] = {"answer": x.answer}
    if x.within is not None:
        cells["within"] = format_time(x.within)
    if x.via != ["reply", "dm"]:
        cells["via"] = ", ".join(x.via) or "-"
    for key in ("actions", "avoid", "allow", "require"):
        values = [getattr(v, "value", v) for v in getattr(x, key)]
        if values:
            cells[key] = ", ".join(values)
    for column, field in _EXPECT_TEXT.items():
        if getattr(x, field) is not None:
            cells[column] = getattr(x, field)
    return cells


def effect_row(e: Effect) -> dict[str, str]:
    """The cells of one item (without ``at`` and the branch columns)."""
    row = {"id": e.id or "", "kind": e.kind}
    if e.after:
        row["after"] = format_time(e.after)
    if e.heat is not None:
        row["heat"] = f"{e.heat:+d}"
    if e.post is not None:
        row.update(
            by=e.post.by, text=e.post.text, reply_to=e.post.reply_to or "", quote_of=e.post.quote_of or ""
        )
    elif e.dm is not None:
        row.update(by=e.dm.by, text=e.dm.text)
    elif e.repost is not None:
        row.update(by=e.repost.by, of=e.repost.of)
    elif e.burst is not None:
        b = e.burst
        if any("\n" in t for t in b.texts):
            raise RowError(
                "texts",
                f"cannot export burst texts with line breaks inside one text ({e.id or 'no id'}): one line per text",
            )
        row.update(
            count=str(b.count),
            over=format_time(b.over),
            mood=b.mood,
            of=b.about or "",
            quoting="yes" if b.quoting else "no",
            texts="\n".join(b.texts),
        )
    elif e.engagement is not None:
        g = e.engagement
        row.update(
            of=g.post,
            likes=str(g.likes),
            reposts=str(g.reposts),
            views=str(g.views),
            over=format_time(g.over),
        )
    if e.expect is not None:
        row.update(_expect_cells(e.expect))
    return {k: v for k, v in row.items() if v != ""}


def _int(cells: dict[str, str], key: str) -> int:
    try:
        return int(cells[key])
    except ValueError:
        raise RowError(key, f"{key} must be a whole number, got {cells[key]!r}") from None


def yes_no(cells: dict[str, str], key: str) -> bool:
    """A yes/no cell."""
    value = cells[key].strip().lower()
    if value in ("yes", "true", "y", "1"):
        return True
    if value in ("no", "false", "n", "0"):
        return False
    raise RowError(key, f"{key} must be yes or no, got {cells[key]!r}")


def _list(cell: str) -> list[str]:
    return [] if cell.strip() == "-" else [v.strip() for v in cell.split(",") if v.strip()]


def row_effect(cells: dict[str, str]) -> dict[str, Any]:
    """The YAML shape of the item a row describes (``at`` and branch columns excluded)."""
    kind = cells.get("kind", "").strip()
    if kind not in KIND_NAMES:
        raise RowError("kind", f"kind must be one of {', '.join(KIND_NAMES)}, got {kind!r}")
    out: dict[str, Any] = {}
    for key in ("id", "after"):
        if key in cells:
            out[key] = cells[key]
    spec: dict[str, Any] = {}
    if kind in ("post", "dm", "repost"):
        spec.update({k: cells[k] for k in ("by", "text") if k in cells})
        if kind == "post":
            spec.update({k: cells[k] for k in ("reply_to", "quote_of") if k in cells})
        if kind == "repost" and "of" in cells:
            spec["of"] = cells["of"]
    elif kind == "burst":
        spec.update({k: cells[k] for k in ("over", "mood") if k in cells})
        if "count" in cells:
            spec["count"] = _int(cells, "count")
        if "of" in cells:
            spec["about"] = cells["of"]
        if "quoting" in cells:
            spec["quoting"] = yes_no(cells, "quoting")
        if "texts" in cells:
            spec["texts"] = [t.rstrip("\r") for t in cells["texts"].split("\n") if t.strip()]
    elif kind == "engagement":
        spec.update({"post": cells["of"]} if "of" in cells else {})
        spec.update({k: _int(cells, k) for k in ("likes", "reposts", "views") if k in cells})
        if "over" in cells:
            spec["over"] = cells["over"]
    if kind != "heat":
        out[kind] = spec
    if "heat" in cells:
        try:
            out["heat"] = int(cells["heat"])
        except ValueError:
            raise RowError(
                "heat", f"heat must be a whole number such as +2 or -1, got {cells['heat']!r}"
            ) from None
    expect: dict[str, Any] = {}
    for key in ("answer", "within"):
        if key in cells:
            expect[key] = cells[key]
    for key in _LISTS:
        if key in cells:
            expect[key] = _list(cells[key])
    for column, field in _EXPECT_TEXT.items():
        if column in cells:
            expect[field] = cells[column]
    if expect:
        out["expect"] = expect
    return out


def column_for(loc: tuple[int | str, ...]) -> str:
    """The column a validation error's ``loc`` (inside one item) belongs to."""
    if not loc:
        return "kind"
    if loc[0] == "expect" and len(loc) > 1:
        return "offer" if loc[1] == "allowed_offer" else str(loc[1])
    if loc[0] in KIND_NAMES and len(loc) > 1:
        return {"about": "of", "post": "of"}.get(str(loc[1]), str(loc[1]))
    return str(loc[0]) if loc[0] in COLUMNS else "kind"
