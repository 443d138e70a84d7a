"""Choosing a scenario for a drill: library ids or uploaded text, never a server path."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.servers import MINI_YAML, Live
from web.service import ServiceError, parse_uploaded_scenario, resolve_scenario


@pytest.mark.parametrize("name", ["/etc/passwd", "../../etc/passwd", "tests/fixtures/mini.yaml", "Bank", "a b"])
def test_service_refuses_paths_as_scenario_ids(name: str) -> None:
    """Anything that is not a plain id is refused before any file is touched."""
    with pytest.raises(ServiceError, match="by its id"):
        resolve_scenario(name)


def test_service_resolves_library_and_configured_dirs(tmp_path: Path) -> None:
    """Ids resolve in the bundled library, then in configured folders; unknown ids list the library."""
    assert resolve_scenario("bank-payday-outage").name == "bank-payday-outage.yaml"
    (tmp_path / "mini.yaml").write_text(MINI_YAML, encoding="utf-8")
    assert resolve_scenario("mini", [tmp_path]) == tmp_path / "mini.yaml"
    with pytest.raises(ServiceError, match="bundled scenarios: .*bank-payday-outage"):
        resolve_scenario("mini")


def test_service_uploaded_scenario_is_linted_and_may_not_include() -> None:
    """Uploaded text loads like a file, reports lint errors, and refuses includes."""
    assert parse_uploaded_scenario(MINI_YAML).id == "mini-outage"
    with pytest.raises(ServiceError, match="cannot include"):
        parse_uploaded_scenario("include: [../../../etc/passwd]\n" + MINI_YAML)
    with pytest.raises(ServiceError, match=r"uploaded.yaml:4:1 E100 .*did you mean 'duration'"):
        parse_uploaded_scenario(MINI_YAML.replace("duration:", "duraton:"))


def test_service_api_refuses_server_paths(live: Live) -> None:
    """POST /api/drills with a path is a 422 that says how to name a scenario."""
    r = live.api("trainer", "POST", "/api/drills", json={"scenario": "/etc/passwd"})
    assert r.status_code == 422
    assert "/etc/passwd" not in r.text or "by its id" in r.text
    ok = live.api("trainer", "POST", "/api/drills", json={"scenario": "bank-payday-outage"})
    assert ok.status_code == 201, ok.text
