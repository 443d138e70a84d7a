"""Alembic environment: the models' metadata, the URL from the caller or the settings.

``web.migrate`` runs migrations programmatically (``crisisdrill db upgrade``) and passes
the URL in ``config.attributes["url"]``; the ``alembic`` command (``web/alembic.ini``)
falls back to ``DATABASE_URL`` through :class:`web.settings.Settings`.
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

from web import models  # noqa: F401  (registers the tables)

config = context.config
target_metadata = SQLModel.metadata
#: Any constant works: it makes concurrent `db upgrade` runs on PostgreSQL queue up.
_ADVISORY_LOCK = 0x63726973  # "cris"


def _url() -> str:
    url = config.attributes.get("url")
    if url:
        return str(url)
    from web.settings import Settings

    return Settings().sqlalchemy_url


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Render SQLModel's AutoString as plain ``sa.String`` so migrations do not import sqlmodel."""
    if type_ == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=True, render_item=_render_item)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_engine(_url())
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, target_metadata=target_metadata, compare_type=True,
                              render_as_batch=connection.dialect.name == "sqlite", render_item=_render_item)
            with context.begin_transaction():
                if connection.dialect.name == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_LOCK})
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
