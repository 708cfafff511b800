"""Server-rendered SVG bar charts for the reports (issue 16): pure, no script, so they pass the CSP untouched.

Each chart is an <svg role="img"> with a <title> and a <desc> listing every value, so a screen reader gets the
figures; the table under it holds the same numbers.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def bar_chart(
    bars: list[tuple[str, float]], *, title: str, width: int = 720, bar_height: int = 18, label_width: int = 180
) -> SafeString:
    """Horizontal bars, one per (label, value), scaled to the largest value; labels and title escaped."""
    gap = 6
    height = max(1, len(bars)) * (bar_height + gap) + gap
    top = max((abs(value) for _, value in bars), default=0) or 1  # a change can be negative: its size is drawn
    room = width - label_width - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" width="100%" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet">',
        f"<title>{escape(title)}</title>",
        "<desc>" + escape("; ".join(f"{label}: {value:g}" for label, value in bars)) + "</desc>",
    ]
    for index, (label, value) in enumerate(bars):
        y = gap + index * (bar_height + gap)
        length = round(room * abs(value) / top, 1)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height - 5}" text-anchor="end" font-size="12">'
            f"{escape(label)}</text>"
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" fill="#2f6f9f"></rect>'
            f'<text x="{label_width + length + 4}" y="{y + bar_height - 5}" font-size="12">{value:g}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part above is escaped
