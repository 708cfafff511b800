"""Outcome scores (issue 16), pure: a value's range check and the chart of a course's scores as SVG.

No database here: the services, forms and pages pass in what they read. The chart is built on the server as
an SVG string (no script, no charting library), with a <title> and <desc> for screen readers, every text
escaped; the page puts a table of the same values next to it (treatments/includes/outcome_chart.html).
"""

import datetime as dt
from dataclasses import dataclass
from html import escape

from django.utils.translation import gettext as _


def range_error(value: int, low: int, high: int) -> str | None:
    """Why `value` is not on a scale from `low` to `high` (whole numbers, both included), or None when it is."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
    return None


@dataclass(frozen=True)
class Point:
    when: dt.date
    value: int
    label: str  # the value's words ("Stage III"), for the table and the point's tooltip


@dataclass(frozen=True)
class Series:
    name: str
    low: int
    high: int
    higher_is_better: bool
    points: tuple[Point, ...]


WIDTH, HEIGHT = 480, 180
LEFT, RIGHT, TOP, BOTTOM = 36, 24, 14, 30


def chart_svg(series: Series, *, title: str) -> str:
    """One scale's scores over a course: a line through the points, dated along the bottom, the scale's range up
    the side (the better end marked). Each point has its own <title> (date, value and words)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    points = sorted(series.points, key=lambda p: p.when)
    span = max(series.high - series.low, 1)

    def y(value: int) -> float:
        return round(TOP + plot_h * (series.high - value) / span, 1)

    if points:
        first, last = points[0].when, points[-1].when
        days = max((last - first).days, 1)

        def x(when: dt.date) -> float:
            if first == last:
                return LEFT + plot_w / 2
            return round(LEFT + plot_w * (when - first).days / days, 1)

    better = _("higher is better") if series.higher_is_better else _("lower is better")
    if points:
        desc = _("%(count)s scores from %(first)s to %(last)s, %(better)s: %(values)s.") % {
            "count": len(points), "first": points[0].when.isoformat(), "last": points[-1].when.isoformat(),
            "better": better, "values": ", ".join(f"{p.when.isoformat()} {p.label}" for p in points)}
    else:
        desc = _("No scores yet.")
    parts = [
        # Sized by attributes and Bootstrap's img-fluid (the pages' CSP allows no inline style).
        f'<svg xmlns="http://www.w3.org/2000/svg" class="outcome-chart img-fluid" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(desc)}</desc>",
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#999"/>',
    ]
    for value in (series.high, series.low):
        parts.append(f'<text x="{LEFT - 4}" y="{y(value) + 4}" text-anchor="end" font-size="11">{value}</text>')
    if points:
        coords = " ".join(f"{x(p.when)},{y(p.value)}" for p in points)
        parts.append(f'<polyline points="{coords}" fill="none" stroke="#1f5f8b" stroke-width="2"/>')
        for p in points:
            tip = escape(f"{p.when.isoformat()}: {p.label}")
            parts.append(f'<circle cx="{x(p.when)}" cy="{y(p.value)}" r="4" fill="#1f5f8b"><title>{tip}</title>'
                         f"</circle>")
        for p in {p.when: p for p in points}.values():
            parts.append(f'<text x="{x(p.when)}" y="{HEIGHT - 10}" text-anchor="middle" font-size="10">'
                         f"{escape(p.when.strftime('%d.%m'))}</text>")
    parts.append("</svg>")
    return "".join(parts)
