"""Derived seeds: one stream per (drill seed, team, purpose) so adding a persona or a
team moves no one else's random choices."""

from __future__ import annotations

import hashlib
import random

__all__ = ["derive_seed", "rng_for"]


def derive_seed(seed: int, *parts: str) -> int:
    h = hashlib.sha256(repr((seed, *parts)).encode()).digest()
    return int.from_bytes(h[:8], "big")


def rng_for(seed: int, *parts: str) -> random.Random:
    return random.Random(derive_seed(seed, *parts))
