"""Charts as inline SVG strings: drawn on the server, no script or internet needed.

The caller passes every word a chart shows (titles, labels, value texts, tooltips, the empty
message) already in the page's language; these functions only place them."""

import math
import re
import unicodedata
from decimal import Decimal
from html import escape
from typing import NamedTuple

PALETTE = ["#337ab7", "#5cb85c", "#f0ad4e", "#d9534f", "#5bc0de", "#9b59b6", "#34495e"]


class Bar(NamedTuple):
    label: str
    value: float
    text: str  # the value as shown at the end of the bar, e.g. "3 件"
    tip: str  # the hover text


class Span(NamedTuple):
    label: str
    low: float
    mean: float
    high: float
    tip: str


def _num(x) -> float:
    return float(x) if isinstance(x, Decimal) else float(x or 0)


def _text_width(text: str) -> int:
    """Roughly how wide a line of 12 px text is: Chinese characters are square, Latin narrower."""
    return sum(12 if unicodedata.east_asian_width(c) in "WF" else 7 for c in text)


def _margin(texts, least: int) -> int:
    return max([least, *(_text_width(t) + 12 for t in texts)])


def bar_chart(bars: list[Bar], *, title: str, empty: str, plot: int = 250) -> str:
    """Horizontal bars, one per Bar; `empty` is shown when there is none. The margins grow with
    the labels and value texts (English is wider than Chinese)."""
    row, top = 24, 28
    left = _margin((bar.label for bar in bars), 150)
    width = left + plot + _margin((bar.text for bar in bars), 60)
    height = top + row * max(len(bars), 1) + 10
    peak = max((_num(bar.value) for bar in bars), default=0) or 1
    parts = [_open(width, height, title)]
    for i, bar in enumerate(bars):
        y = top + i * row
        w = plot * _num(bar.value) / peak
        parts.append(
            f'<text x="{left - 6}" y="{y + 15}" text-anchor="end">{escape(bar.label)}</text>'
        )
        parts.append(
            f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" '
            f'fill="{PALETTE[0]}"><title>{escape(bar.tip)}</title></rect>'
        )
        parts.append(f'<text x="{left + w + 4:.1f}" y="{y + 15}">{escape(bar.text)}</text>')
    if not bars:
        parts.append(_empty(width, top, empty))
    parts.append("</svg>")
    return "".join(parts)


def range_chart(spans: list[Span], *, title: str, empty: str, plot: int = 270) -> str:
    """Per Span: min, mean and max as a share of the maximum (0-100 %)."""
    row, top = 24, 28
    left = _margin((item.label for item in spans), 150)
    width = left + plot + 40
    height = top + row * max(len(spans), 1) + 24
    parts = [_open(width, height, title)]
    for i, item in enumerate(spans):
        y = top + i * row + 12
        x0, x1, xm = (left + plot * _num(v) / 100 for v in (item.low, item.high, item.mean))
        parts.append(
            f'<text x="{left - 6}" y="{y + 4}" text-anchor="end">{escape(item.label)}</text>'
        )
        parts.append(
            f'<line x1="{x0:.1f}" y1="{y}" x2="{x1:.1f}" y2="{y}" '
            f'stroke="{PALETTE[4]}" stroke-width="6"/>'
        )
        parts.append(
            f'<circle cx="{xm:.1f}" cy="{y}" r="5" fill="{PALETTE[0]}">'
            f"<title>{escape(item.tip)}</title></circle>"
        )
    if not spans:
        parts.append(_empty(width, top, empty))
    axis_y = top + row * max(len(spans), 1) + 6
    for pct in (0, 50, 100):
        x = left + plot * pct / 100
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
        parts.append(_axis_label(x, y, label, cx, cy))
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


_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def _axis_label(x, y, label, cx, cy, line=14, fold=16, fold_cjk=5) -> str:
    """A radar axis' name, folded onto lines of about `fold` characters at spaces (a long English
    name) or of `fold_cjk` Chinese characters, after "、" where it can (测量、/分析与改进), growing
    away from the chart's centre: a label left or right of the centre starts (or ends) at its
    axis point instead of straddling it, so it never runs over the chart (issue 16)."""
    lines: list[str] = []
    if " " not in label and len(label) > fold_cjk and _CJK.search(label):
        rest = label
        while len(rest) > fold_cjk:
            cut = rest.rfind("、", 0, fold_cjk + 1) + 1 or fold_cjk
            lines.append(rest[:cut])
            rest = rest[cut:]
        if rest:
            lines.append(rest)
    else:
        for word in label.split(" "):
            if lines and len(lines[-1]) + 1 + len(word) <= fold:
                lines[-1] += " " + word
            else:
                lines.append(word)
    rise = (len(lines) - 1) * line if y < cy else 0
    anchor = "start" if x > cx + 1 else "end" if x < cx - 1 else "middle"
    tspans = "".join(
        f'<tspan x="{x:.1f}" dy="{line if k else 0}">{escape(text)}</tspan>'
        for k, text in enumerate(lines)
    )
    return f'<text x="{x:.1f}" y="{y - rise:.1f}" text-anchor="{anchor}">{tspans}</text>'


def _empty(width, top, message) -> str:
    return f'<text x="{width / 2}" y="{top + 14}" text-anchor="middle">{escape(message)}</text>'


def _open(width, height, title) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="award-chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'style="max-width: 100%; height: auto" '
        f'font-size="12" font-family="sans-serif"><title>{escape(title)}</title>'
        f'<text x="4" y="16" font-weight="bold">{escape(title)}</text>'
    )
