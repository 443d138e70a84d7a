"""Scheduler leases: which worker runs a drill's scheduler and writes its generated events.

One row per drill in the ``lease`` table: ``owner``, ``expires_at`` and ``drill_t``, the drill
clock at the last renewal. A worker takes a lease that is free, expired or already its own
with one conditional ``UPDATE`` (the database serialises competing takers, so exactly one
wins), renews it every ``ttl / 4`` and writes the drill clock with each renewal; the next
owner continues from ``max(last logged t, drill_t)``, so the clock neither jumps nor repeats.

Expiry is judged by the database's clock on PostgreSQL (workers on several hosts need not
agree on the time) and by the local clock on SQLite (one host by construction). A lease whose
owner is a dead process of this very host (same pid namespace) is taken at once: a restart
after a crash does not wait out the ttl. Methods block on the database: call them in a worker
thread.
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from .db import Database
from .models import Lease, utcnow

__all__ = ["Claim", "Leases", "dead_here", "worker_name"]


def _pid_namespace() -> str:
    try:
        return os.readlink("/proc/self/ns/pid").removeprefix("pid:[").rstrip("]")
    except OSError:
        return "-"


def worker_name() -> str:
    """A name no other process shares: ``host:pid-namespace:pid:random``."""
    return f"{socket.gethostname()}:{_pid_namespace()}:{os.getpid()}:{secrets.token_hex(3)}"


def dead_here(owner: str) -> bool:
    """True if ``owner`` names a process of this host and pid namespace that no longer exists:
    its lease can be taken at once (a restart after a crash), without waiting out the ttl."""
    parts = owner.split(":")
    if len(parts) != 4 or parts[0] != socket.gethostname() or parts[1] in ("-", "") or parts[1] != _pid_namespace():
        return False
    try:
        os.kill(int(parts[2]), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, ValueError, OverflowError):
        return False
    return False  # alive (or its pid was reused): wait for the ttl


@dataclass(frozen=True, slots=True)
class Claim:
    """The outcome of trying to take a drill's lease."""

    ours: bool
    owner: str | None  # who holds it now (None: nobody ever did)
    drill_t: float  # the drill clock the lease records (the previous owner's last renewal)


class Leases:
    def __init__(self, db: Database, owner: str, ttl_s: float, *, local_takeover: bool = True) -> None:
        self.db = db
        self.owner = owner
        self.ttl = timedelta(seconds=ttl_s)
        self.local_takeover = local_takeover
        self._pg = db.engine.dialect.name == "postgresql"

    def _now(self) -> Any:
        return func.now() if self._pg else utcnow()

    def acquire(self, drill_id: str) -> Claim:
        """Take the lease if it is free, expired or ours already."""
        now = self._now()
        with self.db.write_lock, self.db.engine.connect() as conn:
            row = conn.execute(
                update(Lease)
                .where(col(Lease.drill_id) == drill_id,
                       or_(col(Lease.owner) == self.owner, col(Lease.expires_at) < now))
                .values(owner=self.owner, expires_at=now + self.ttl)
                .returning(col(Lease.drill_t))
            ).first()
            if row is not None:
                conn.commit()
                return Claim(True, self.owner, float(row[0]))
            held = conn.execute(select(col(Lease.owner), col(Lease.drill_t))
                                .where(col(Lease.drill_id) == drill_id)).first()
            if held is not None and self.local_takeover and dead_here(str(held[0])):
                row = conn.execute(  # compare-and-swap on the dead owner: one taker wins
                    update(Lease)
                    .where(col(Lease.drill_id) == drill_id, col(Lease.owner) == held[0])
                    .values(owner=self.owner, expires_at=now + self.ttl)
                    .returning(col(Lease.drill_t))
                ).first()
                if row is not None:
                    conn.commit()
                    return Claim(True, self.owner, float(row[0]))
            if held is not None:
                conn.rollback()
                return Claim(False, str(held[0]), float(held[1]))
            try:
                conn.execute(Lease.__table__.insert().values(  # type: ignore[attr-defined]
                    drill_id=drill_id, owner=self.owner, expires_at=now + self.ttl, drill_t=0.0))
                conn.commit()
            except IntegrityError:  # another worker inserted it first
                conn.rollback()
                return Claim(False, None, 0.0)
            return Claim(True, self.owner, 0.0)

    def renew(self, clocks: dict[str, float]) -> set[str]:
        """Extend our leases, recording each drill's clock; returns the drills whose lease we lost."""
        if not clocks:
            return set()
        lost = set()
        now = self._now()
        with self.db.write_lock, self.db.engine.begin() as conn:
            for drill_id, drill_t in clocks.items():
                done = conn.execute(
                    update(Lease)
                    .where(col(Lease.drill_id) == drill_id, col(Lease.owner) == self.owner)
                    .values(expires_at=now + self.ttl, drill_t=drill_t)
                )
                if done.rowcount != 1:
                    lost.add(drill_id)
        return lost

    def release(self, clocks: dict[str, float]) -> None:
        """Give our leases up now (a clean shutdown): another worker takes over at once."""
        if not clocks:
            return
        now = self._now()
        with self.db.write_lock, self.db.engine.begin() as conn:
            for drill_id, drill_t in clocks.items():
                conn.execute(
                    update(Lease)
                    .where(col(Lease.drill_id) == drill_id, col(Lease.owner) == self.owner)
                    .values(expires_at=now - timedelta(seconds=1), drill_t=drill_t)
                )
