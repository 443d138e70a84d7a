"""Generated avatars: a deterministic SVG identicon per handle, no network fetch."""

from __future__ import annotations

import hashlib
from html import escape

__all__ = ["avatar_svg", "avatar_colour"]

_PALETTE = ("#e76f51", "#2a9d8f", "#264653", "#e9c46a", "#f4a261", "#6d597a", "#3a86ff", "#8338ec", "#06d6a0")


def avatar_colour(handle: str) -> str:
    h = hashlib.sha256(handle.lower().encode()).digest()
    return _PALETTE[h[0] % len(_PALETTE)]


def avatar_svg(handle: str, name: str = "", size: int = 40) -> str:
    """A 5x5 mirrored identicon with the initial, as an inline SVG string (escaped)."""
    h = hashlib.sha256(handle.lower().encode()).digest()
    colour = _PALETTE[h[0] % len(_PALETTE)]
    cells = []
    for row in range(5):
        for col in range(3):
            if h[1 + row * 3 + col] % 2:
                for c in {col, 4 - col}:
                    cells.append(f'<rect x="{c * 8}" y="{row * 8}" width="8" height="8"/>')
    initial = escape((name or handle.lstrip("@") or "?")[0].upper())
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="{size}" height="{size}" '
        f'role="img" aria-label="{escape(name or handle)}"><rect width="40" height="40" fill="#f1f1f1"/>'
        f'<g fill="{colour}" opacity="0.35">{"".join(cells)}</g>'
        f'<text x="20" y="26" font-size="16" text-anchor="middle" fill="{colour}" '
        f'font-family="sans-serif" font-weight="700">{initial}</text></svg>'
    )
