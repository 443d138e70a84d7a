"""Small charts as inline SVG, rendered on the server (no JavaScript, prints well).

Every label is escaped; sizes are in viewBox units so the charts scale with the page.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

__all__ = ["bar_chart", "heat_chart", "scatter_chart"]

_COLOURS = ("#1d9bf0", "#e76f51", "#2a9d8f", "#8338ec", "#f4a261", "#264653")


def _mmss(t: float) -> str:
    t = max(0, int(t))
    return f"{t // 60}:{t % 60:02d}"


def bar_chart(rows: Sequence[tuple[str, float, str]], title: str, unit: str = "%", max_value: float = 100) -> Markup:
    """Horizontal bars: ``(label, value, css class)``; values from 0 to ``max_value``."""
    if not rows:
        return Markup(f'<p class="muted">{escape(title)}: nothing to chart yet.</p>')
    bar_h, gap, label_w, width = 18, 6, 150, 480
    height = len(rows) * (bar_h + gap) + 10
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>"]
    for i, (label, value, cls) in enumerate(rows):
        y = 5 + i * (bar_h + gap)
        w = max(1.0, (width - label_w - 50) * max(0.0, min(value, max_value)) / max_value)
        parts.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" class="lbl">{escape(label)}</text>'
                     f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" class="bar {escape(cls)}"/>'
                     f'<text x="{label_w + w + 4:.1f}" y="{y + 13}" class="val">{value:g}{escape(unit)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _axes(width: int, height: int, pad: int, x_max: float, y_max: float, y_unit: str) -> list[str]:
    out = [f'<line x1="{pad}" y1="{height - pad}" x2="{width - 10}" y2="{height - pad}" class="axis"/>',
           f'<line x1="{pad}" y1="10" x2="{pad}" y2="{height - pad}" class="axis"/>']
    for i in range(5):
        x = pad + (width - pad - 10) * i / 4
        out.append(f'<text x="{x:.0f}" y="{height - pad + 16}" text-anchor="middle" class="lbl">'
                   f"{_mmss(x_max * i / 4)}</text>")
        y = height - pad - (height - pad - 10) * i / 4
        out.append(f'<text x="{pad - 4}" y="{y + 4:.0f}" text-anchor="end" class="lbl">'
                   f"{y_max * i / 4:.0f}{escape(y_unit)}</text>")
    return out


def scatter_chart(series: dict[str, Sequence[tuple[float, float]]], title: str, x_max: float,
                  y_unit: str = "s") -> Markup:
    """Points per series: x is drill time (s), y a value such as a response time."""
    pts = [p for s in series.values() for p in s]
    if not pts:
        return Markup(f'<p class="muted">{escape(title)}: nothing to chart yet.</p>')
    width, height, pad = 480, 200, 44
    x_max = max(x_max, max(p[0] for p in pts), 1.0)
    y_max = max(max(p[1] for p in pts) * 1.1, 10.0)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>", *_axes(width, height, pad, x_max, y_max, y_unit)]
    for i, (name, points) in enumerate(series.items()):
        colour = _COLOURS[i % len(_COLOURS)]
        for x, y in points:
            cx = pad + (width - pad - 10) * x / x_max
            cy = height - pad - (height - pad - 10) * y / y_max
            parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="{colour}">'
                         f"<title>{escape(name)}: {y:.0f}{escape(y_unit)} at {_mmss(x)}</title></circle>")
    parts.append("</svg>")
    legend = "".join(f'<span class="key" style="--c:{_COLOURS[i % len(_COLOURS)]}">{escape(n)}</span>'
                     for i, n in enumerate(series))
    return Markup("".join(parts) + f'<p class="legend">{legend}</p>')


def heat_chart(series: dict[str, Sequence[tuple[float, int]]], x_max: float, now: float) -> Markup:
    """The crisis heat per team over drill time, as step lines."""
    width, height, pad = 480, 160, 36
    x_max = max(x_max, now, 1.0)
    values = [h for s in series.values() for _, h in s] or [0]
    y_max = max(max(values), 5)
    y_min = min(min(values), 0)
    span = y_max - y_min or 1
    parts = [(f'<svg class="chart" id="heat-svg" viewBox="0 0 {width} {height}" role="img" '
              f'aria-label="Heat of the crisis over time">'), "<title>Heat over time</title>",
             f'<line x1="{pad}" y1="{height - pad}" x2="{width - 10}" y2="{height - pad}" class="axis"/>',
             f'<line x1="{pad}" y1="10" x2="{pad}" y2="{height - pad}" class="axis"/>',
             f'<text x="{pad - 4}" y="14" text-anchor="end" class="lbl">{y_max}</text>',
             f'<text x="{pad - 4}" y="{height - pad}" text-anchor="end" class="lbl">{y_min}</text>',
             f'<text x="{width - 10}" y="{height - pad + 16}" text-anchor="end" class="lbl">{_mmss(x_max)}</text>']

    def xy(t: float, h: float) -> str:
        x = pad + (width - pad - 10) * min(t, x_max) / x_max
        y = height - pad - (height - pad - 10) * (h - y_min) / span
        return f"{x:.1f},{y:.1f}"

    for i, (team, points) in enumerate(series.items()):
        colour = _COLOURS[i % len(_COLOURS)]
        coords = [xy(0, 0)]
        last = 0
        for t, h in points:
            coords += [xy(t, last), xy(t, h)]
            last = h
        coords.append(xy(now, last))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" points="{" ".join(coords)}">'
                     f"<title>team {escape(team)}: heat {last}</title></polyline>")
    parts.append("</svg>")
    legend = "".join(f'<span class="key" style="--c:{_COLOURS[i % len(_COLOURS)]}">{escape(t)}: '
                     f"{(list(s) or [(0, 0)])[-1][1]}</span>" for i, (t, s) in enumerate(series.items()))
    return Markup("".join(parts) + f'<p class="legend">{legend}</p>')
