"""The REST API fuzzed with schemathesis against the app's own OpenAPI document: a bounded number
of generated requests per operation, as a trainer of Org A. No server error (5xx), and no response
that breaks the schema the document promises."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from tests.reliability.conftest import SECRET, add_users, mint, user_ids
from tests.web.servers import MINI_YAML, Live, thread_server

EXAMPLES = 30  # per operation: bounded, so the whole fuzz stays within seconds


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory, seeded_sqlite: Any) -> Iterator[Live]:
    target = tmp_path_factory.mktemp("fuzz") / "f.db"
    shutil.copy(seeded_sqlite, target)
    url = f"sqlite:///{target}"
    add_users(url, ["root"], "admin")
    with thread_server(url, secret_key=SECRET, actions_per_minute=10**6) as live:
        live.tokens.update(mint(user_ids(url)))
        drill = live.api("trainer", "POST", "/api/drills", json={"scenario_yaml": MINI_YAML, "seed": 1})
        assert drill.status_code == 201
        yield live


def _describe(exc: BaseException) -> str:
    """The failure and, for hypothesis's flaky-failure group, every failure inside it (its own message
    names only the first call's outcome), so a once-in-a-while failure can be diagnosed from the CI log."""
    parts = [f"{type(exc).__name__}: {exc}"[:2000]]
    for inner in getattr(exc, "exceptions", ()):
        parts.append("  caused by " + f"{type(inner).__name__}: {inner!r}"[:2000])
    return "\n".join(parts)


def test_api_fuzz_no_server_error_and_responses_match_schema(fuzz_server: Live) -> None:
    """Generated requests, authenticated as a trainer of Org A: never a 5xx, never an off-schema answer."""
    schema = schemathesis.openapi.from_url(f"{fuzz_server.base}/openapi.json")
    headers = {"Authorization": f"Bearer {fuzz_server.token('trainer')}"}
    failures: dict[str, str] = {}
    operations = 0
    for result in schema.get_all_operations():
        op = result.ok()
        operations += 1

        @given(case=op.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None,
                  derandomize=True, phases=[Phase.explicit, Phase.generate])
        def run(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=[not_a_server_error, response_schema_conformance])

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report them all
            failures[f"{op.method.upper()} {op.path}"] = _describe(exc)
    assert operations >= 10, f"only {operations} operations in /openapi.json"
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
