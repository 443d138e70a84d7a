"""The lint codes: one permanent code per kind of problem, with its severity and its fix.

Codes are forever: a code is never reused for another meaning, so old reports still
read right. ``E…`` codes are errors (the script will not load or will misbehave); ``W…``
codes are warnings (the script plays, but probably not as the author meant).
``docs/scenarios.md`` has the same table; a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .errors import Diagnostic

__all__ = ["CODES", "LintCode", "Span", "diagnostic"]

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class LintCode:
    """A lint code: what it means and how to fix it."""

    code: str
    name: str
    meaning: str
    fix: str

    @property
    def severity(self) -> Severity:
        return "warning" if self.code.startswith("W") else "error"


@dataclass(frozen=True)
class Span:
    """Where something is: a file, a 1-based line and column, and that line's text."""

    file: str
    line: int = 1
    col: int = 1
    line_text: str | None = None
    start: int = 0  # character offsets into the file, for searching inside a value
    end: int = 0


_ALL = (
    # files, YAML, includes, variables
    LintCode(
        "E001",
        "invalid-yaml",
        "The file is not valid YAML.",
        "Fix the syntax at the caret: often a missing space after ':' or a bad indent.",
    ),
    LintCode("E002", "empty-file", "The file has no content.", "Write a scenario, or remove the file."),
    LintCode(
        "E003",
        "not-a-mapping",
        "The top level (of a script or an included file) is not a set of 'key: value' lines.",
        "Start the file with keys such as 'id:', 'title:'.",
    ),
    LintCode(
        "E004",
        "duplicate-key",
        "The same key appears twice in one block; YAML would silently keep one.",
        "Delete or rename one of them.",
    ),
    LintCode(
        "E005",
        "include-missing",
        "An included file does not exist.",
        "Check the path; it is relative to the file that includes it.",
    ),
    LintCode("E006", "include-cycle", "Files include each other in a loop.", "Remove one of the includes."),
    LintCode(
        "E007",
        "include-invalid",
        "'include' is not a file name or a list of file names.",
        "Write 'include: [common/personas.yaml]'.",
    ),
    LintCode(
        "E010",
        "undefined-variable",
        "A '{name}' placeholder has no value in 'vars' (or is not 'brand'/'brand_handle').",
        "Add it under 'vars:', fix its spelling, or write '{{' and '}}' for literal braces.",
    ),
    # the shape of the script
    LintCode(
        "E100",
        "unknown-key",
        "A key the format does not know (often a typo).",
        "Use the suggested key, or remove it.",
    ),
    LintCode("E101", "missing-key", "A required key is missing.", "Add the key named in the message."),
    LintCode(
        "E102",
        "invalid-value",
        "A value has the wrong type or is not one of the allowed values.",
        "Use a value of the kind the message names.",
    ),
    LintCode(
        "E103",
        "conflicting-keys",
        "Keys that do not go together (two kinds in one item, 'flagged' without 'answer_to', …).",
        "Split the item, or add the missing partner key.",
    ),
    # references and ids
    LintCode(
        "E200",
        "unknown-persona",
        "'by' names a persona that is not in 'personas'.",
        "Use a persona id, or add the persona.",
    ),
    LintCode(
        "E201",
        "unknown-post",
        "A reference (reply_to, quote_of, of, about, post, no_answer_to, answer_to, on) names no post id.",
        "Give the post an 'id', or fix the reference.",
    ),
    LintCode(
        "E202",
        "duplicate-id",
        "Two personas, two items or two branches share an id.",
        "Give each one its own id.",
    ),
    LintCode(
        "E203",
        "answer-without-answer",
        "'answer' (the trainee's answer) is used where no answer triggered the branch.",
        "Use 'answer' only in branches with 'answer_to', 'action: quote', 'action: dm' or 'on: answer'.",
    ),
    LintCode(
        "E204",
        "unknown-rubric-code",
        "expect.avoid/allow/require or when.flagged names a code the rubric does not have.",
        "Use one of the rubric codes listed in docs/scenarios.md.",
    ),
    LintCode(
        "E205",
        "reference-before-post",
        "A timeline item refers to a post that only appears later.",
        "Move one of them, so the post comes first.",
    ),
    LintCode(
        "E206",
        "not-a-post",
        "A reference names an item that is not a post, DM or repost (a burst, engagement or heat item).",
        "Point the reference at a post id.",
    ),
    LintCode(
        "W207",
        "branch-only-post",
        "A timeline item refers to a post that only a branch adds, so it may not exist when the item plays.",
        "Move the item into that branch, or refer to a timeline post.",
    ),
    # time and branches
    LintCode(
        "E300",
        "past-the-end",
        "A timeline item is at or after the end of the drill ('duration').",
        "Move it earlier, or lengthen 'duration'.",
    ),
    LintCode(
        "E310",
        "watches-late-post",
        "A branch watches a post that appears only at or after the end, so it can never fire.",
        "Watch another post, or move the post earlier.",
    ),
    LintCode(
        "E311",
        "wait-outlasts-drill",
        "A 'no_answer_to … for' wait ends at or after the end of the drill, so the branch can never fire.",
        "Shorten 'for', or move the watched post earlier.",
    ),
    LintCode(
        "E312",
        "unreachable-score",
        "A score condition no answer can meet (below 0, above 100, or below ≤ above).",
        "Pick thresholds between 0 and 100 that leave a range.",
    ),
    LintCode(
        "E313",
        "branch-cycle",
        "Branches wait on each other's posts in a loop, so none of them can fire.",
        "Make one of them watch a timeline post.",
    ),
    LintCode(
        "W314",
        "effect-after-end",
        "Even if the branch fires as early as it can, this effect's 'after' puts it past the end.",
        "Shorten 'after', or make the branch fire earlier.",
    ),
    LintCode(
        "W315",
        "repeating-branch-ids",
        "A branch with 'once: false' gives its items ids; the ids would repeat each time it fires.",
        "Remove the ids, or set 'once: true'.",
    ),
    # expectations
    LintCode(
        "W400",
        "no-model-answer",
        "An answer is required but the post has no 'model_answer' to show trainees.",
        "Write a model answer.",
    ),
    LintCode(
        "W401",
        "within-without-answer",
        "'within' is set on a post that should not be answered ('answer: none').",
        "Remove 'within', or set 'answer: required'.",
    ),
    LintCode(
        "W402",
        "model-answer-too-long",
        "The model answer is longer than the platform's limit ('max_chars').",
        "Shorten it.",
    ),
    # CSV import
    LintCode(
        "E500",
        "csv-unknown-column",
        "A CSV column header the layout does not know.",
        "Use the column names in docs/scenarios.md (rename or delete the column).",
    ),
    LintCode(
        "E501",
        "csv-no-rows",
        "The CSV has no column header row or no item rows.",
        "Keep the header row that 'export --csv' writes.",
    ),
    LintCode(
        "E502",
        "csv-branch-mismatch",
        "Rows of one branch disagree on 'when' (or its first row has none).",
        "Give the first row of each branch its 'when'; leave it blank or equal on the others.",
    ),
    LintCode(
        "E503",
        "csv-no-header",
        "Neither '#' header lines nor --base give the scenario's id, brand and personas.",
        "Keep the '#' lines that export writes, or pass --base scenario.yaml.",
    ),
    LintCode(
        "E504",
        "csv-bad-cell",
        "A cell cannot be read (a 'when' that is not 'key: value, …', a bad number).",
        "Fix the cell as the message says.",
    ),
)

CODES: dict[str, LintCode] = {c.code: c for c in _ALL}
"""Every lint code, by code."""


def diagnostic(
    code: str, message: str, span: Span | None = None, *, file: str = "<string>", hint: str | None = None
) -> Diagnostic:
    """A :class:`Diagnostic` for ``code`` at ``span`` (severity from the registry)."""
    if code not in CODES:
        raise KeyError(f"cannot report unknown lint code {code!r}; add it to scenarios.codes first")
    if span is None:
        return Diagnostic(code, message, file, 1, 1, CODES[code].severity, hint, None)
    return Diagnostic(
        code, message, span.file, span.line, span.col, CODES[code].severity, hint, span.line_text
    )
