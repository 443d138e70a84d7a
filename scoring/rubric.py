"""The rubric file format: a strict schema, and :func:`load_rubric` with errors that name file and key.

A rubric is YAML: a pass mark, weighted criteria (code → kind, severity, weight, status, params,
explanation) and the decision table that says, per commenter kind, whether an answer is expected,
which good practices a good answer shows and what the brand may amplify or hide.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import ScoringError

__all__ = ["RUBRIC_DIR", "CriterionSpec", "KindRule", "Rubric", "load_rubric", "rubric_path"]

RUBRIC_DIR = Path(__file__).parent / "rubrics"
GOOD_CODES = ("empathy", "next_step", "private_channel", "escalation", "timeliness", "concise", "sourced")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CriterionSpec(_Strict):
    """One criterion as a rubric configures it; the code is its key in ``criteria``."""

    kind: Literal["risk", "good"]
    severity: Literal["critical", "major", "minor"] = "major"
    weight: float = Field(ge=0, le=100, description="Points deducted when a risk fails or an expected practice is missed.")
    status: Literal["stable", "preview", "deprecated"] = "stable"
    enabled: bool = True
    params: dict[str, Any] = Field(default_factory=dict, description="Detector parameters; see the criterion's docs.")
    explanation: str = Field(min_length=1, description="Shown to trainees.")


class KindRule(_Strict):
    """The decision-table row for one commenter kind (after the USAF web posting response assessment)."""

    answer: Literal["required", "optional", "none"] = "required"
    expect: list[str] = Field(default_factory=list, description="Good-practice codes a good answer shows.")
    route: Literal["press", "legal", "safety", "regulator", "investor", "hr", "support"] | None = None
    amplify: bool = Field(default=False, description="May the brand like or repost this kind's posts?")
    hide: Literal["ok", "if_abusive"] = Field(default="if_abusive", description="When hiding or deleting is fine.")
    advice: str = ""


class Rubric(_Strict):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
    version: int = 1
    description: str = ""
    pass_mark: int = Field(default=60, ge=0, le=100)
    gate_cap: int = Field(default=40, ge=0, le=100, description="Highest score a reply with a critical failure gets.")
    default_within_s: float | None = Field(default=900, ge=0, description="Answer window when the scenario sets none.")
    learned: bool = Field(
        default=True,
        description="Consult the learned support detector (scoring/data/learned.json) for content codes.",
    )
    criteria: dict[str, CriterionSpec]
    table: dict[str, KindRule] = Field(default_factory=dict)
    unknown_kind: KindRule = Field(default_factory=lambda: KindRule(answer="optional"))

    def rule(self, kind: str | None) -> KindRule:
        """The decision-table row for ``kind`` (the ``unknown_kind`` row when absent)."""
        return self.table.get(kind or "", self.unknown_kind)


def rubric_path(name_or_path: str | Path) -> Path:
    """Resolve a rubric name (``default``) in ``scoring/rubrics/`` or a file path."""
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") or p.exists():
        return p
    return RUBRIC_DIR / f"{name_or_path}.yaml"


def _where(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(x) for x in loc) or "<top>"


def _format(errors: list[Any], source: str, allowed: dict[tuple[str, ...], list[str]]) -> str:
    lines = []
    for e in errors:
        loc = tuple(e["loc"])
        msg = e["msg"]
        if e["type"] == "extra_forbidden" and loc:
            parent = tuple(str(x) for x in loc[:-1])
            names = allowed.get(parent[-1:] if parent and parent[0] == "criteria" else parent, [])
            near = difflib.get_close_matches(str(loc[-1]), names, n=1)
            msg = f"unknown key {loc[-1]!r}" + (f" (did you mean {near[0]!r}?)" if near else f"; allowed: {', '.join(names)}")
        lines.append(f"{source}: {_where(loc)}: {msg}")
    return "\n".join(lines)


def load_rubric(source: str | Path | dict[str, Any]) -> Rubric:
    """Load and validate a rubric from a name, a YAML path or a mapping.

    Raises :class:`ScoringError` naming the file and key of every problem, e.g.
    ``default.yaml: criteria.promise.wieght: unknown key 'wieght' (did you mean 'weight'?)``.
    """
    from .criteria import REGISTRY

    if isinstance(source, dict):
        data, label = source, "<rubric>"
    else:
        path = rubric_path(source)
        label = str(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            known = ", ".join(sorted(p.stem for p in RUBRIC_DIR.glob("*.yaml")))
            raise ScoringError(
                f"cannot load rubric {str(source)!r}: {exc.strerror} at {path}; give a file path or one of: {known}"
            ) from exc
        except yaml.YAMLError as exc:
            raise ScoringError(f"cannot load rubric {label}: invalid YAML: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise ScoringError(f"cannot load rubric {label}: byte {exc.start} is not UTF-8 text; "
                               "save the rubric as UTF-8 YAML") from exc
        if not isinstance(data, dict):
            raise ScoringError(f"cannot load rubric {label}: expected a mapping at the top, got {type(data).__name__}")
    allowed: dict[tuple[str, ...], list[str]] = {
        (): list(Rubric.model_fields),
        ("criteria",): list(CriterionSpec.model_fields),
        ("table",): list(KindRule.model_fields),
    }
    for code in data.get("criteria") or {}:
        allowed[(str(code),)] = list(CriterionSpec.model_fields)
    try:
        rubric = Rubric.model_validate(data)
    except ValidationError as exc:
        raise ScoringError(f"cannot load rubric {label}:\n" + _format(exc.errors(), label, allowed)) from exc
    problems: list[str] = []
    for code, spec in rubric.criteria.items():
        crit = REGISTRY.get(code)
        if crit is None:
            near = difflib.get_close_matches(code, list(REGISTRY), n=1)
            hint = f"did you mean {near[0]!r}?" if near else f"known codes: {', '.join(REGISTRY)}"
            problems.append(f"{label}: criteria.{code}: no criterion has this code; {hint}")
            continue
        if spec.kind != crit.kind:
            problems.append(f"{label}: criteria.{code}.kind: {code!r} is a {crit.kind} criterion, not {spec.kind!r}")
        try:
            crit.params.model_validate(spec.params)
        except ValidationError as exc:
            names = list(crit.params.model_fields)
            for e in exc.errors():
                key = _where(tuple(e["loc"]))
                msg = e["msg"]
                if e["type"] == "extra_forbidden":
                    near = difflib.get_close_matches(key, names, n=1)
                    msg = f"unknown parameter {key!r}" + (f" (did you mean {near[0]!r}?)" if near else f"; allowed: {', '.join(names)}")
                problems.append(f"{label}: criteria.{code}.params.{key}: {msg}")
    for kind, rule in rubric.table.items():
        for code in rule.expect:
            if code not in GOOD_CODES:
                problems.append(f"{label}: table.{kind}.expect: {code!r} is not a good-practice code ({', '.join(GOOD_CODES)})")
    if problems:
        raise ScoringError(f"cannot load rubric {label}:\n" + "\n".join(problems))
    return rubric
