"""Where the real services are, and the rule for tests that need one: on a newcomer's
laptop a missing service skips with the reason; in CI (CRISISDRILL_REQUIRE_SERVICES=1,
set by .ci/run) it fails, so a service test can never silently skip there."""

from __future__ import annotations

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest

POSTGRES_URL = os.environ.get("CRISISDRILL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("CRISISDRILL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
REQUIRED = os.environ.get("CRISISDRILL_REQUIRE_SERVICES") == "1"


def _reachable(url: str, default_port: int) -> bool:
    u = urlparse(url)
    try:
        with socket.create_connection((u.hostname or "127.0.0.1", u.port or default_port), timeout=1):
            return True
    except OSError:
        return False


def chromium_path() -> str | None:
    return os.environ.get("CRISISDRILL_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def need(what: str, available: bool, how: str) -> None:
    """Skip (locally) or fail (in CI) when ``what`` is not available."""
    if available:
        return
    msg = f"{what} is not available: {how}"
    if REQUIRED:
        pytest.fail(f"CI requires {msg}", pytrace=False)
    pytest.skip(msg)


def need_postgres() -> str:
    need("PostgreSQL", _reachable(POSTGRES_URL, 5432), f"start it or set CRISISDRILL_TEST_POSTGRES_URL ({POSTGRES_URL})")
    return POSTGRES_URL


def need_redis() -> str:
    need("Redis", _reachable(REDIS_URL, 6379), f"start it or set CRISISDRILL_TEST_REDIS_URL ({REDIS_URL})")
    return REDIS_URL


def need_chromium() -> str:
    path = chromium_path()
    need("Chromium", path is not None, "apt-get install chromium, or set CRISISDRILL_CHROMIUM")
    assert path is not None
    return path
