"""YAML with positions: parse a script into dicts and lists that remember where each key,
value and list item came from, so every later error can point at ``file:line:col``.

Keys are kept as written (``on:`` stays the string ``'on'``, not YAML 1.1's ``True``);
duplicate keys are reported instead of silently dropped.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .codes import Span, diagnostic
from .errors import Diagnostic

__all__ = ["PosList", "PosMap", "parse_yaml", "plain", "span_in_text"]

_LOADER: type[yaml.SafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)  # libyaml: same marks, 10x faster


class PosMap(dict[str, Any]):
    """A YAML mapping that remembers the span of itself, of each key and of each value."""

    def __init__(self, span: Span) -> None:
        super().__init__()
        self.span = span
        self.key_spans: dict[str, Span] = {}
        self.value_spans: dict[str, Span] = {}

    def put(self, key: str, value: Any, key_span: Span, value_span: Span) -> None:
        self[key] = value
        self.key_spans[key] = key_span
        self.value_spans[key] = value_span


class PosList(list[Any]):
    """A YAML sequence that remembers the span of itself and of each item."""

    def __init__(self, span: Span) -> None:
        super().__init__()
        self.span = span
        self.item_spans: list[Span] = []

    def put(self, value: Any, span: Span) -> None:
        self.append(value)
        self.item_spans.append(span)


def span_in_text(text: str, file: str, index: int, end: int | None = None) -> Span:
    """The span of character ``index`` of ``text`` (1-based line and column)."""
    index = max(0, min(index, len(text)))
    line_start = text.rfind("\n", 0, index) + 1
    line_end = text.find("\n", index)
    if line_end == -1:
        line_end = len(text)
    line = text.count("\n", 0, index) + 1
    return Span(
        file, line, index - line_start + 1, text[line_start:line_end].rstrip("\r"), index, end or index
    )


class _Builder:
    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.diagnostics: list[Diagnostic] = []
        self._scalars = yaml.SafeLoader("")

    def span(self, node: Node) -> Span:
        return span_in_text(self.text, self.file, node.start_mark.index, node.end_mark.index)

    def build(self, node: Node) -> Any:
        if isinstance(node, MappingNode):
            out = PosMap(self.span(node))
            for key_node, value_node in node.value:
                key = self.key(key_node)
                if key in out:
                    first = out.key_spans[key]
                    self.diagnostics.append(
                        diagnostic(
                            "E004",
                            f"duplicate key {key!r} (first at line {first.line}); YAML would keep only one",
                            self.span(key_node),
                            hint="delete or rename one of them",
                        )
                    )
                    continue
                out.put(key, self.build(value_node), self.span(key_node), self.span(value_node))
            return out
        if isinstance(node, SequenceNode):
            seq = PosList(self.span(node))
            for item in node.value:
                seq.put(self.build(item), self.span(item))
            return seq
        assert isinstance(node, ScalarNode)
        return self._scalars.construct_object(node)

    def key(self, node: Node) -> str:
        if isinstance(node, ScalarNode):
            return str(node.value)
        self.diagnostics.append(
            diagnostic("E102", "a key must be a plain word, not a list or mapping", self.span(node))
        )
        return f"<{type(node).__name__} at line {node.start_mark.line + 1}>"


def parse_yaml(text: str, file: str) -> tuple[Any, list[Diagnostic]]:
    """Parse ``text``; ``(None, diagnostics)`` when it is empty or not YAML."""
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return None, [
            diagnostic(
                "E002",
                f"{file} is empty",
                Span(file, 1, 1, None),
                hint="write a scenario, or remove the file",
            )
        ]
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        where = span_in_text(text, file, mark.index) if mark is not None else Span(file)
        message = f"not valid YAML: {problem}" + (f" ({context})" if context else "")
        return None, [diagnostic("E001", message, where, hint=_yaml_hint(str(problem)))]
    if node is None:
        return None, [diagnostic("E002", f"{file} is empty", Span(file, 1, 1, None))]
    builder = _Builder(text, file)
    tree = builder.build(node)
    return tree, builder.diagnostics


def _yaml_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "a text containing ': ' must be quoted, e.g. text: \"Note: …\""
    if "found character '\\t'" in problem:
        return "indent with spaces, not tabs"
    if "could not find expected ':'" in problem:
        return "each line needs 'key: value' (with a space after the colon)"
    return "check indentation and quoting around the caret"


def plain(value: Any) -> Any:
    """A copy of a position tree as ordinary dicts and lists (for pydantic)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
