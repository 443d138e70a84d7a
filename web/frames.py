"""Encode each published event once per process, not once per socket.

The hub hands the same event dict to every subscriber of a drill in this process; every socket
that may see it sends the same JSON text (visibility decides *whether* a socket gets an event,
never *what* it gets). So the text is computed once and remembered, keyed by the dict's identity
(the cache holds the dict, so an id cannot be reused while cached). Published events are never
mutated after publishing.
"""

from __future__ import annotations

import json
from itertools import islice
from typing import Any

__all__ = ["encode"]

_MAX = 4096
_cache: dict[int, tuple[dict[str, Any], str]] = {}


def encode(ev: dict[str, Any]) -> str:
    """The JSON text of ``ev`` (compact), computed once while ``ev`` is in the recent-events cache."""
    hit = _cache.get(id(ev))
    if hit is not None and hit[0] is ev:
        return hit[1]
    text = json.dumps(ev, separators=(",", ":"))
    if len(_cache) >= _MAX:
        for key in list(islice(_cache, _MAX // 4)):  # the oldest quarter (dicts keep insertion order)
            del _cache[key]
    _cache[id(ev)] = (ev, text)
    return text
