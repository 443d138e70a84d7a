"""``python -m scoring score [--rubric NAME|FILE] [FILE|-]``."""

from __future__ import annotations

from .cli import app

app(prog_name="python -m scoring")
