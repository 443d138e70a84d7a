"""The first schema: organisations, users, drills, the drill log (``event``) and scheduler leases.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "org",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_org_name", "org", ["name"], unique=True)

    op.create_table(
        "user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("display_name", sa.String(length=80), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("team", sa.String(length=40), nullable=True),
        sa.Column("password_hash", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["org.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_user_org_id", "user", ["org_id"], unique=False)
    op.create_index("ix_user_username", "user", ["username"], unique=True)

    op.create_table(
        "drill",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("scenario_id", sa.String(length=80), nullable=False),
        sa.Column("scenario", sa.JSON(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("teams", sa.JSON(), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("live_feedback", sa.Boolean(), nullable=False),
        sa.Column("initial_speed", sa.Float(), nullable=False),
        sa.Column("join_code", sa.String(length=16), nullable=False),
        sa.Column("pass_mark", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["user.id"]),
        sa.ForeignKeyConstraint(["org_id"], ["org.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_drill_join_code", "drill", ["join_code"], unique=True)
    op.create_index("ix_drill_org_id", "drill", ["org_id"], unique=False)
    op.create_index("ix_drill_scenario_id", "drill", ["scenario_id"], unique=False)

    # The drill log: append-only. (drill_id, seq) unique: two writers can never both record event N.
    # (drill_id, actor, client_id) unique: a resent action is recorded once (NULL client ids do not clash).
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("drill_id", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("t", sa.Float(), nullable=False),
        sa.Column("wall", sa.DateTime(timezone=True), nullable=False),
        sa.Column("team", sa.String(length=40), nullable=True),
        sa.Column("actor", sa.String(length=80), nullable=True),
        sa.Column("client_id", sa.String(length=80), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["drill_id"], ["drill.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("drill_id", "seq", name="uq_event_drill_seq"),
    )
    op.create_index("uq_event_drill_client", "event", ["drill_id", "actor", "client_id"], unique=True)

    # Which worker runs a drill's scheduler, until when, and the drill clock at its last renewal.
    op.create_table(
        "lease",
        sa.Column("drill_id", sa.String(length=40), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("drill_t", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["drill_id"], ["drill.id"]),
        sa.PrimaryKeyConstraint("drill_id"),
    )


def downgrade() -> None:
    op.drop_table("lease")
    op.drop_index("uq_event_drill_client", table_name="event")
    op.drop_table("event")
    op.drop_index("ix_drill_scenario_id", table_name="drill")
    op.drop_index("ix_drill_org_id", table_name="drill")
    op.drop_index("ix_drill_join_code", table_name="drill")
    op.drop_table("drill")
    op.drop_index("ix_user_username", table_name="user")
    op.drop_index("ix_user_org_id", table_name="user")
    op.drop_table("user")
    op.drop_index("ix_org_name", table_name="org")
    op.drop_table("org")
