"""The audit's SVG badge ("sync | Disperse · 19 d"), made locally, and the Markdown that embeds it.

Commit titles and file paths never appear in it; the badge's own words are XML-escaped.
"""

from __future__ import annotations

import html

from core.audit.links import repo_url
from core.audit.report import AuditReport
from core.markup import md_text

PATTERN_COLOURS = {
    "Frequent": "#2e9e44",
    "Intermittent": "#4c1",
    "Rare": "#97ca00",
    "Dense Partial": "#a4a61d",
    "Disperse": "#dfb317",
    "Sparse": "#fe7d37",
    "Sporadic Disjoint": "#e05d44",
    "Rare Disjoint": "#c4302b",
}
UNKNOWN_COLOUR = "#9f9f9f"


def badge_text(report: AuditReport) -> tuple[str, str]:
    """(label, message), e.g. ("sync", "Disperse · 19 d")."""
    st = report.standing
    if st is None or not st.pattern:
        return "sync", "unknown"
    days = f" · {st.mean_days:.0f} d" if st.mean_days is not None else ""
    return "sync", f"{st.pattern}{days}"


def _width(text: str) -> int:
    """Approximate rendered width at 11 px Verdana (as shields.io lays badges out)."""
    narrow = sum(1 for ch in text if ch in "il.,:;|!'· ")
    return round((len(text) - narrow) * 7 + narrow * 3.5) + 10


def render_badge(report: AuditReport) -> str:
    """A shields-style SVG badge, colour by pattern; every text XML-escaped."""
    label, message = badge_text(report)
    pattern = report.standing.pattern if report.standing else None
    colour = PATTERN_COLOURS.get(pattern or "", UNKNOWN_COLOUR)
    lw, mw = _width(label), _width(message)
    total = lw + mw
    title = html.escape(f"{label}: {message}", quote=True)
    lab, msg = html.escape(label, quote=True), html.escape(message, quote=True)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" '
        f'aria-label="{title}"><title>{title}</title>'
        '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" '
        'stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{total}" height="20" rx="3" fill="#fff"/></clipPath>'
        f'<g clip-path="url(#r)"><rect width="{lw}" height="20" fill="#555"/>'
        f'<rect x="{lw}" width="{mw}" height="20" fill="{colour}"/>'
        f'<rect width="{total}" height="20" fill="url(#s)"/></g>'
        '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" '
        'font-size="11">'
        f'<text x="{lw / 2:.1f}" y="14">{lab}</text>'
        f'<text x="{lw + mw / 2:.1f}" y="14">{msg}</text></g></svg>\n'
    )


def badge_markdown(report: AuditReport, badge_url: str, link: str | None = None) -> str:
    """The Markdown that embeds the badge (linked to the GitHub repository by default)."""
    label, message = badge_text(report)
    alt = md_text(f"{label}: {message}")
    target = link or (repo_url("GH", report.github_repo) if report.github_repo else None)
    image = f"![{alt}]({badge_url.replace(' ', '%20').replace(')', '%29')})"
    return f"[{image}]({target})" if target else image
