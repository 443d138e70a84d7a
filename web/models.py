"""Database tables. The drill log (``event``) is append-only: rows are inserted, never
updated or deleted; ``(drill_id, seq)`` is unique so two writers can never both record
event N, and ``(drill_id, actor, client_id)`` is unique so a resent action is recorded once."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

__all__ = ["Drill", "EventRow", "Lease", "Org", "User", "utcnow"]


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _stamp() -> Any:
    """A timezone-aware timestamp column (``timestamptz`` on PostgreSQL; text on SQLite)."""
    return DateTime(timezone=True)


class Org(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True, max_length=120)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="org.id", index=True)
    username: str = Field(index=True, unique=True, max_length=60)
    display_name: str = Field(max_length=80)
    role: str = Field(max_length=16)  # admin | trainer | trainee | manager
    team: str | None = Field(default=None, max_length=40)
    password_hash: str
    created_at: datetime = Field(default_factory=utcnow, sa_type=_stamp())


class Drill(SQLModel, table=True):
    """A drill's fixed configuration. Everything that happens to it is in the log."""

    id: str = Field(primary_key=True, max_length=40)
    org_id: int = Field(foreign_key="org.id", index=True)
    title: str = Field(max_length=200)
    scenario_id: str = Field(index=True, max_length=80)
    scenario: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))  # resolved script, frozen at creation
    seed: int
    teams: list[str] = Field(sa_column=Column(JSON, nullable=False))
    mode: str = Field(default="live", max_length=16)  # live | self_paced
    live_feedback: bool = True
    initial_speed: float = 1.0
    join_code: str = Field(index=True, unique=True, max_length=16)
    pass_mark: int = 70
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=_stamp())


class EventRow(SQLModel, table=True):
    __tablename__ = "event"
    __table_args__ = (
        UniqueConstraint("drill_id", "seq", name="uq_event_drill_seq"),
        Index("uq_event_drill_client", "drill_id", "actor", "client_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    drill_id: str = Field(foreign_key="drill.id", max_length=40)
    seq: int
    type: str = Field(max_length=40)
    t: float
    wall: datetime = Field(default_factory=utcnow, sa_type=_stamp())
    team: str | None = Field(default=None, max_length=40)
    actor: str | None = Field(default=None, max_length=80)
    client_id: str | None = Field(default=None, max_length=80)
    data: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class Lease(SQLModel, table=True):
    """Which worker runs a drill's scheduler, until when, and the drill clock at its last renewal
    (the next owner continues from there; see web/lease.py and docs/deploy.md)."""

    drill_id: str = Field(primary_key=True, foreign_key="drill.id", max_length=40)
    owner: str = Field(max_length=200)
    expires_at: datetime = Field(sa_type=_stamp())
    drill_t: float = 0.0
