"""Charts as inline SVG strings: drawn on the server, no script or internet needed."""

import math
from decimal import Decimal
from html import escape

PALETTE = ["#337ab7", "#5cb85c", "#f0ad4e", "#d9534f", "#5bc0de", "#9b59b6", "#34495e"]


def _num(x) -> float:
    return float(x) if isinstance(x, Decimal) else float(x or 0)


def bar_chart(
    items: list[tuple[str, float]], *, title: str, width: int = 460, unit: str = ""
) -> str:
    """Horizontal bars, one per (label, value)."""
    row, left, top = 24, 150, 28
    height = top + row * max(len(items), 1) + 10
    peak = max((_num(v) for _, v in items), default=0) or 1
    parts = [_open(width, height, title)]
    for i, (label, value) in enumerate(items):
        y = top + i * row
        w = (width - left - 60) * _num(value) / peak
        parts.append(f'<text x="{left - 6}" y="{y + 15}" text-anchor="end">{escape(label)}</text>')
        parts.append(
            f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" '
            f'fill="{PALETTE[0]}"><title>{escape(label)}：{value}{unit}</title></rect>'
        )
        parts.append(f'<text x="{left + w + 4:.1f}" y="{y + 15}">{value}{unit}</text>')
    if not items:
        parts.append(f'<text x="{width / 2}" y="{top + 14}" text-anchor="middle">暂无数据</text>')
    parts.append("</svg>")
    return "".join(parts)


def range_chart(
    items: list[tuple[str, float, float, float]], *, title: str, width: int = 460
) -> str:
    """Per label: min, mean and max as a share of the maximum (0-100 %)."""
    row, left, top = 24, 150, 28
    height = top + row * max(len(items), 1) + 24
    span = width - left - 40
    parts = [_open(width, height, title)]
    for i, (label, low, mean, high) in enumerate(items):
        y = top + i * row + 12
        x0, x1, xm = (left + span * _num(v) / 100 for v in (low, high, mean))
        parts.append(f'<text x="{left - 6}" y="{y + 4}" text-anchor="end">{escape(label)}</text>')
        parts.append(
            f'<line x1="{x0:.1f}" y1="{y}" x2="{x1:.1f}" y2="{y}" '
            f'stroke="{PALETTE[4]}" stroke-width="6"/>'
        )
        parts.append(
            f'<circle cx="{xm:.1f}" cy="{y}" r="5" fill="{PALETTE[0]}">'
            f"<title>{escape(label)}：平均 {mean:.1f}%（{low:.1f}%～{high:.1f}%）"
            f"</title></circle>"
        )
    axis_y = top + row * max(len(items), 1) + 6
    for pct in (0, 50, 100):
        x = left + span * pct / 100
        parts.append(f'<text x="{x:.1f}" y="{axis_y + 12}" text-anchor="middle">{pct}%</text>')
    parts.append("</svg>")
    return "".join(parts)


def radar_chart(
    axes: list[str], series: list[tuple[str, list[float]]], *, title: str, size: int = 400
) -> str:
    """Each series' values as a share (0-1) of its axis maximum."""
    cx = cy = size / 2
    radius = size / 2 - 90
    n = max(len(axes), 3)

    def point(i, r):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        return cx + r * math.cos(angle), cy + 10 + r * math.sin(angle)

    parts = [_open(size, size + 20 * len(series), title)]
    for ring in (0.25, 0.5, 0.75, 1.0):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, radius * ring) for i in range(n)))
        parts.append(f'<polygon points="{pts}" fill="none" stroke="#ddd"/>')
    for i, label in enumerate(axes):
        x, y = point(i, radius + 18)
        parts.append(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle">{escape(label)}</text>')
    for k, (name, values) in enumerate(series):
        color = PALETTE[k % len(PALETTE)]
        pts = " ".join(
            f"{x:.1f},{y:.1f}"
            for x, y in (
                point(i, radius * max(0.0, min(1.0, _num(v)))) for i, v in enumerate(values)
            )
        )
        parts.append(
            f'<polygon points="{pts}" fill="{color}" fill-opacity="0.15" '
            f'stroke="{color}" stroke-width="2"><title>{escape(name)}</title></polygon>'
        )
        ly = size + 4 + 20 * k
        parts.append(f'<rect x="10" y="{ly - 10}" width="12" height="12" fill="{color}"/>')
        parts.append(f'<text x="28" y="{ly}">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _open(width, height, title) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="award-chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-size="12" font-family="sans-serif"><title>{escape(title)}</title>'
        f'<text x="4" y="16" font-weight="bold">{escape(title)}</text>'
    )
