from __future__ import annotations

from scoring.docs import DOCS_DIR, render_all


def test_generated_criteria_docs_are_up_to_date() -> None:
    """docs/criteria/ matches what `python -m scoring.docs` generates from modules and fixtures."""
    for name, text in render_all().items():
        path = DOCS_DIR / name
        assert path.exists() and path.read_text(encoding="utf-8") == text, f"{name} is stale: run python -m scoring.docs"
