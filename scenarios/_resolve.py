"""Includes and ``{variables}`` on a position tree, keeping every value's position.

``include: [common/personas.yaml]`` (paths relative to the including file) merges shared
parts: included personas come first, ``vars`` and ``crowd`` merge key by key (the
including file wins), any other key is taken only if the file does not set it.
``{brand}``, ``{brand_handle}`` and every key of ``vars`` are replaced in all texts;
``{{`` and ``}}`` stand for literal braces.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path
from typing import Any

from ._tree import PosList, PosMap, parse_yaml, span_in_text
from .codes import Span, diagnostic
from .errors import Diagnostic

__all__ = ["resolve"]

_VAR = re.compile(r"\{\{|\}\}|\{(\w+)\}")


class _Resolver:
    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts  # file name -> text, for positions inside values
        self.diagnostics: list[Diagnostic] = []

    def merge_includes(self, data: PosMap, name: str, base: Path, seen: tuple[Path, ...]) -> PosMap:
        if "include" not in data:
            return data
        raw = data.pop("include")
        span = data.value_spans.pop("include")
        data.key_spans.pop("include", None)
        items: list[tuple[Any, Span]]
        if isinstance(raw, str):
            items = [(raw, span)]
        elif isinstance(raw, PosList):
            items = list(zip(raw, raw.item_spans))
        elif raw is None:
            items = []
        else:
            self.diagnostics.append(
                diagnostic(
                    "E007",
                    f"'include' must be a file name or a list of them, got {raw!r}",
                    span,
                    hint="write include: [common/personas.yaml]",
                )
            )
            return data
        for inc, inc_span in items:
            if not isinstance(inc, str):
                self.diagnostics.append(
                    diagnostic(
                        "E007",
                        f"an include must be a file name, got {inc!r}",
                        inc_span,
                        hint="write include: [common/personas.yaml]",
                    )
                )
                continue
            path = (base / inc).resolve()
            if path in seen:
                chain = " -> ".join(p.name for p in (*seen, path))
                self.diagnostics.append(
                    diagnostic(
                        "E006", f"include cycle: {chain}", inc_span, hint=f"remove the include of {inc!r}"
                    )
                )
                continue
            if not path.is_file():
                self.diagnostics.append(
                    diagnostic(
                        "E005",
                        f"cannot include {inc!r}: no file at {path}",
                        inc_span,
                        hint="the path is relative to the including file",
                    )
                )
                continue
            sub_name = os.path.normpath(os.path.join(os.path.dirname(name), inc))
            text = path.read_text(encoding="utf-8")
            self.texts[sub_name] = text
            sub, diags = parse_yaml(text, sub_name)
            self.diagnostics.extend(diags)
            if sub is None:
                continue
            if not isinstance(sub, PosMap):
                self.diagnostics.append(
                    diagnostic(
                        "E003",
                        f"included file {sub_name} must hold 'key: value' lines, not a list or a single value",
                        sub.span if isinstance(sub, PosList) else Span(sub_name),
                    )
                )
                continue
            sub = self.merge_includes(sub, sub_name, path.parent, (*seen, path))
            _merge(data, sub)
        return data

    def substitute(self, value: Any, span: Span, vars_: dict[str, str]) -> Any:
        if isinstance(value, PosMap):
            out = PosMap(value.span)
            for k, v in value.items():
                out.put(
                    k,
                    self.substitute(v, value.value_spans[k], vars_),
                    value.key_spans[k],
                    value.value_spans[k],
                )
            return out
        if isinstance(value, PosList):
            seq = PosList(value.span)
            for v, s in zip(value, value.item_spans):
                seq.put(self.substitute(v, s, vars_), s)
            return seq
        if isinstance(value, str) and ("{" in value or "}" in value):
            return _VAR.sub(lambda m: self._replace(m, span, vars_), value)
        return value

    def _replace(self, m: re.Match[str], span: Span, vars_: dict[str, str]) -> str:
        token = m.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = m.group(1)
        if name in vars_:
            return vars_[name]
        text = self.texts.get(span.file)
        where = span
        if text is not None:
            at = text.find(token, span.start, max(span.end, span.start + 1))
            if at >= 0:
                where = span_in_text(text, span.file, at)
        close = difflib.get_close_matches(name, list(vars_), n=1)
        hint = f"did you mean {{{close[0]}}}?" if close else f"add '{name}: …' under 'vars:'"
        known = ", ".join(sorted(vars_))
        self.diagnostics.append(
            diagnostic("E010", f"undefined variable {token} (defined: {known})", where, hint=hint)
        )
        return token


def _merge(data: PosMap, sub: PosMap) -> None:
    for key, val in sub.items():
        ks, vs = sub.key_spans[key], sub.value_spans[key]
        own = data.get(key)
        if key == "personas" and isinstance(val, PosList) and isinstance(own, PosList):
            merged = PosList(own.span)
            for item, s in (*zip(val, val.item_spans), *zip(own, own.item_spans)):
                merged.put(item, s)
            data.put(key, merged, data.key_spans[key], data.value_spans[key])
        elif key in ("vars", "crowd") and isinstance(val, PosMap) and isinstance(own, PosMap):
            both = PosMap(own.span)
            for src in (val, own):
                for k, v in src.items():
                    both.put(k, v, src.key_spans[k], src.value_spans[k])
            data.put(key, both, data.key_spans[key], data.value_spans[key])
        elif key not in data:
            data.put(key, val, ks, vs)


def resolve(
    tree: PosMap, name: str, text: str, base: Path, origin: Path | None, substitute: bool = True
) -> tuple[PosMap, list[Diagnostic]]:
    """Merge ``tree``'s includes and substitute its variables; diagnostics point into each file."""
    r = _Resolver({name: text})
    seen = (origin.resolve(),) if origin is not None else ()
    merged = r.merge_includes(tree, name, base, seen)
    if not substitute:
        return merged, r.diagnostics
    brand = merged.get("brand")
    vars_: dict[str, str] = {}
    if isinstance(brand, dict):
        vars_ = {"brand": str(brand.get("name", "")), "brand_handle": str(brand.get("handle", ""))}
    own = merged.get("vars")
    if isinstance(own, dict):
        vars_.update({str(k): str(v) for k, v in own.items()})
    out = r.substitute(merged, merged.span, vars_)
    assert isinstance(out, PosMap)
    return out, r.diagnostics
