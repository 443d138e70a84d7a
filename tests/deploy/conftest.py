"""Deployment tests: real worker processes sharing PostgreSQL and Redis."""

from __future__ import annotations

from tests.web.conftest import seeded_postgres  # noqa: F401  (a fixture, re-exported)
