"""Master events lists: export a script's timeline and branches to CSV, and import them back.

The CSV holds one row per timeline item or branch effect (columns in ``_csvrows``). What a
row cannot hold — id, title, brand, vars, includes, personas, crowd — travels as the
script's own YAML in ``#`` lines above the column row, copied verbatim (comments and
``{variables}`` kept). ``import_csv`` can take that header from another script instead
(``--base``). Export keeps ``{variables}`` unexpanded, so the round trip gives back the
same script.
"""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from ._csvrows import COLUMNS, RowError, column_for, effect_row, row_effect, when_cell, when_value, yes_no
from ._resolve import resolve
from ._timefmt import format_time
from ._tree import PosList, PosMap, parse_yaml, plain
from ._validate import Loc, error_diagnostics
from .codes import Span, diagnostic
from .errors import Diagnostic, ScenarioError
from .lint import lint_text
from .models import Branch, Effect, TimelineItem

__all__ = ["export_csv", "header_text", "import_csv"]

_BODY = ("timeline", "branches")


class _Dumper(yaml.SafeDumper):
    """Indented block lists; short lists of words in flow style (``avoid: [promise, privacy]``)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = bool(data) and all(isinstance(v, str) and "\n" not in v and len(v) < 40 for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _list)


def header_text(text: str, name: str) -> str:
    """The script's own lines, minus its ``timeline`` and ``branches`` blocks."""
    tree, diags = parse_yaml(text, name)
    if not isinstance(tree, PosMap):
        raise ScenarioError(f"cannot take the header of {name}: it is not a readable script", diags)
    lines = text.splitlines()
    starts = [tree.key_spans[k].line for k in tree]
    if any(b <= a for a, b in itertools.pairwise(starts)) or any(tree.key_spans[k].col != 1 for k in tree):
        raise ScenarioError(
            f"cannot take the header of {name}: write its top-level keys one per line, at the left margin"
        )
    keep = lines[: starts[0] - 1] if starts else []
    for i, key in enumerate(tree):
        end = starts[i + 1] - 1 if i + 1 < len(starts) else len(lines)
        if key not in _BODY:
            keep += lines[starts[i] - 1 : end]
    while keep and not keep[-1].strip():
        keep.pop()
    return "\n".join(keep) + "\n"


def _items(tree: PosMap, key: str, model: type[BaseModel]) -> list[Any]:
    raw = tree.get(key)
    return [model.model_validate(plain(x)) for x in raw] if isinstance(raw, PosList) else []


def export_csv(path: str | Path) -> str:
    """The CSV of the script at ``path`` (which must lint without errors)."""
    p = Path(path)
    text = p.read_text(encoding="utf-8")
    errors = [d for d in lint_text(text, str(p), p.parent) if d.severity == "error"]
    if errors:
        raise ScenarioError(
            f"cannot export {p}: it has {len(errors)} error(s); fix them first (crisisdrill scenario lint {p})",
            errors,
        )
    tree, _ = parse_yaml(text, str(p))
    assert isinstance(tree, PosMap)
    raw, _ = resolve(tree, str(p), text, p.parent, p, substitute=False)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for line in header_text(text, str(p)).splitlines():
        writer.writerow([f"# {line}" if line else "#"])
    writer.writerow(COLUMNS)
    try:
        for t in _items(raw, "timeline", TimelineItem):
            cells = {"at": format_time(t.at), **effect_row(t)}
            writer.writerow([cells.get(c, "") for c in COLUMNS])
        for b in _items(raw, "branches", Branch):
            for i, e in enumerate(b.then):
                cells = {"branch": b.id, **effect_row(e)}
                if i == 0:
                    cells.update(
                        when=when_cell(b.when), once="" if b.once else "no", description=b.description or ""
                    )
                writer.writerow([cells.get(c, "") for c in COLUMNS])
    except RowError as exc:
        raise ScenarioError(f"cannot export {p}: {exc}") from exc
    return out.getvalue()


class _Importer:
    def __init__(self, name: str) -> None:
        self.name = name
        self.diags: list[Diagnostic] = []
        self.columns: list[str] = []

    def at(
        self, line: int, column: str | int, message: str, code: str = "E504", hint: str | None = None
    ) -> None:
        col = (
            column
            if isinstance(column, int)
            else (self.columns.index(column) + 1 if column in self.columns else 1)
        )
        self.diags.append(diagnostic(code, message, Span(self.name, line, col), hint=hint))

    def validate(self, data: dict[str, Any], model: type[BaseModel], line: int, prefix: str = "") -> None:
        try:
            model.model_validate(data)
        except ValidationError as exc:

            def locate(loc: Loc, want_key: bool) -> tuple[Span, bool]:
                column = "when" if prefix else column_for(loc)
                col = self.columns.index(column) + 1 if column in self.columns else 1
                return Span(self.name, line, col), True

            self.diags.extend(error_diagnostics(exc, locate, model))


def _rows(text: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text))
    out: list[tuple[int, list[str]]] = []
    start = 1
    for row in reader:
        out.append((start, row))
        start = reader.line_num + 1
    return out


def import_csv(
    text: str, name: str = "<csv>", base_header: str | None = None
) -> tuple[str | None, list[Diagnostic]]:
    """The YAML script a CSV describes, or ``None`` with diagnostics at ``name:row:column``."""
    imp = _Importer(name)
    rows = _rows(text)
    header: list[str] = []
    while (
        rows and rows[0][1] and rows[0][1][0].startswith("#") and not any(c.strip() for c in rows[0][1][1:])
    ):
        cell = rows.pop(0)[1][0][1:]
        header.append(cell.removeprefix(" "))
    rows = [(n, r) for n, r in rows if any(c.strip() for c in r)]
    if not rows:
        imp.at(
            1,
            1,
            f"{name} has no column row and no items",
            "E501",
            "keep the header row that 'export --csv' writes",
        )
        return None, imp.diags
    head_line, head = rows.pop(0)
    imp.columns = [c.strip().lower() for c in head]
    for i, c in enumerate(imp.columns):
        if c and c not in COLUMNS:
            imp.at(head_line, i + 1, f"unknown column {c!r}", "E500", "columns: " + ", ".join(COLUMNS))
    if not rows:
        imp.at(head_line, 1, f"{name} has a column row but no items", "E501")
    timeline: list[dict[str, Any]] = []
    branches: dict[str, tuple[int, dict[str, Any], str]] = {}
    for line, row in rows:
        cells = {c: v for c, v in zip(imp.columns, row) if c in COLUMNS and v.strip()}
        try:
            effect = row_effect(cells)
            branch = cells.get("branch", "").strip()
            if not branch:
                item = {"at": cells["at"], **effect} if "at" in cells else effect
                imp.validate(item, TimelineItem, line)
                timeline.append(item)
                continue
            if "at" in cells:
                raise RowError(
                    "at",
                    f"row of branch {branch!r} has 'at' {cells['at']!r}: branch effects are timed by 'after' from the moment the branch fires",
                )
            imp.validate(effect, Effect, line)
            if branch not in branches:
                data: dict[str, Any] = {"id": branch}
                if "when" not in cells:
                    imp.at(
                        line,
                        "when",
                        f"the first row of branch {branch!r} has no 'when'",
                        "E502",
                        "write e.g. 'no_answer_to: p1, for: 5:00'",
                    )
                else:
                    data["when"] = when_value(cells["when"])
                    imp.validate(data["when"], Branch.model_fields["when"].annotation, line, "when")  # type: ignore[arg-type]
                if "once" in cells:
                    data["once"] = yes_no(cells, "once")
                if "description" in cells:
                    data["description"] = cells["description"]
                data["then"] = []
                branches[branch] = (line, data, cells.get("when", ""))
            elif cells.get("when", "") not in ("", branches[branch][2]):
                imp.at(
                    line,
                    "when",
                    f"branch {branch!r} has another 'when' on line {branches[branch][0]}",
                    "E502",
                    "leave 'when' blank after a branch's first row",
                )
            branches[branch][1]["then"].append(effect)
        except RowError as exc:
            imp.at(line, exc.column, str(exc))
    top = base_header if base_header is not None else "\n".join(header)
    if not top.strip():
        imp.at(
            1,
            1,
            f"{name} has no '#' header lines and no --base was given",
            "E503",
            "keep the '#' lines that export writes, or pass --base scenario.yaml",
        )
    if any(d.severity == "error" for d in imp.diags):
        return None, imp.diags
    body: dict[str, Any] = {"timeline": timeline}
    if branches:
        body["branches"] = [data for _, data, _ in branches.values()]
    dumped = yaml.dump(
        body, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096, default_flow_style=False
    )
    return top.rstrip("\n") + "\n" + dumped, imp.diags
