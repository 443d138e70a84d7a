from __future__ import annotations

from pathlib import Path

import pytest

from scenarios import Scenario, load_scenario

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def mini() -> Scenario:
    return load_scenario(FIXTURES / "mini.yaml")
