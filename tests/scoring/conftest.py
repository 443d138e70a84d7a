from __future__ import annotations

import pytest

from scoring import Scorer


@pytest.fixture(scope="session")
def scorer() -> Scorer:
    """One default-rubric scorer for the session (construction is the expensive part; scoring is pure)."""
    return Scorer()
