"""The Audit page's frame, laid out from an `AuditReport`: a family that cannot be audited,
the header and summary, what to do, what could not be checked, and the report and badge to
share (the findings' sections are ui/audit_findings.py). Layout only.

Every text from other people's repositories (model ids, commit titles, paths, messages) goes
through `st_text`; links are built only from validated ids (`core.audit.links`).
"""

from __future__ import annotations

import re
from typing import Literal

import pandas as pd
import sqlite_utils
import streamlit as st

from core.audit import AuditReport, LimitKind
from core.audit.badge import badge_markdown, render_badge
from core.audit.coverage import Coverage
from core.audit.links import repo_url, valid_family
from core.audit.render import keep_code, render_markdown
from core.audit.tables import PLATFORM_NAMES, link_label
from core.ingest.status import family_status
from core.markup import st_text
from core.records import GH, Family

#: The colours `st.badge` takes.
BadgeColor = Literal[
    "red", "orange", "yellow", "blue", "green", "violet", "gray", "grey", "primary"
]
SEVERITY_COLOURS: dict[str, BadgeColor] = {"high": "red", "medium": "orange", "low": "blue"}
BADGE_FILE = "synclens-badge.svg"
MODE = {  # (online, drift checked) -> how the header describes the audit
    (False, False): "cache only (file contents not checked)",
    (True, True): "files compared by blob id",
    (True, False): "file listings failed (file contents not checked)",
    (False, True): "files compared by blob id",
}
OFFLINE = "File contents were not checked: “Check file contents online” is off."


def st_link(label: str, url: str | None, limit: int = 120) -> str:
    """A Markdown link for Streamlit: inert label, a target built from validated ids only."""
    text = st_text(label, limit)
    if not url:
        return text
    safe = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    return f"[{text}]({safe})"


def family_page_link(name: str, label: str) -> None:
    """A link to the Family page for `name` (which opens, resolves or fetches it); none for a
    name SyncLens would not have made."""
    if not valid_family(name):
        return
    st.page_link(
        "pages/family.py", label=label, icon=":material/timeline:", query_params={"q": name}
    )


def not_audited(db: sqlite_utils.Database, family: Family, coverage: Coverage) -> None:
    """A family without commits, or with one side missing: what is missing and how to fetch it,
    never an audit."""
    st.subheader(st_text(family.name))
    st.error(
        f"**Not audited.** {keep_code(coverage.problem() or '', st_text)}", icon=":material/block:"
    )
    family_page_link(family.name, "Fetch it on the Family page (Refresh)")
    st.caption("Or from a terminal:")
    st.code(coverage.fetch_command, language="bash")
    rows = [
        {
            "platform": PLATFORM_NAMES[r["platform"]],
            "repository": r["repo"],
            "cached commits": r["commits"],
            "last complete fetch": (r["fetched_at"] or "never")[:16].replace("T", " "),
            "last attempt": r["last_status"],
            "error": r["last_error"] or "—",
        }
        for r in family_status(db, family)
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="coverage_table")


def header(report: AuditReport, coverage: Coverage, online: bool) -> None:
    """Name, what was checked, the four headline numbers and the pattern, in full."""
    repo = report.github_repo
    st.subheader(st_text(report.family))
    st.caption(
        f"GitHub {st_link(repo, repo_url(GH, repo)) if repo else '—'} · "
        f"{len(report.variants)} Hugging Face variant(s) · "
        f"{MODE[(online, report.drift.checked)]} · "
        f"audited {report.generated_at:%Y-%m-%d %H:%M} UTC"
    )
    problem = coverage.problem()
    if problem:
        st.warning(f"**Partly audited.** {keep_code(problem, st_text)}")
        family_page_link(report.family, "Fetch the missing variants on the Family page")
    judged = [s for s in report.stale if s.last_commit_at is not None]
    drift, iso, standing = report.drift, report.isolated, report.standing
    summary = st.columns(4)
    summary[0].metric(
        "Stale variants",
        f"{sum(s.is_stale for s in judged)} of {len(judged)}",
        help="Variants with GitHub commits made after their last commit"
        + (
            f"; {len(report.stale) - len(judged)} variant(s) without cached commits are not judged."
            if len(judged) < len(report.stale)
            else "."
        ),
    )
    summary[1].metric(
        "Model changes missed",
        max((s.behaviour_changing_since for s in report.stale), default=0),
        help="The most GitHub commits that can change a model (model structure, parameter "
        "tuning, preprocessing, training infrastructure, dependencies) made after one "
        "variant's last commit.",
    )
    summary[2].metric(
        "Files that differ",
        drift.count("different") if drift.checked else "—",
        help=None if drift.checked else "Not checked: turn on Check file contents online.",
    )
    summary[3].metric(
        "Never carried over",
        iso.n_gh + iso.n_hf,
        help=f"{iso.n_gh} GitHub and {iso.n_hf} Hugging Face commits with no commit on the "
        f"other side within {iso.window_days} days.",
    )
    if standing is not None:
        code = f" ({standing.pattern_code})" if standing.pattern_code else ""
        st.markdown(
            f"Synchronization pattern **{standing.pattern or 'none'}**{code} · lag "
            f"**{standing.lag or '—'}** · see **4. Where the family stands**"
        )
    high = sum(r.severity == "high" for r in report.recommendations)
    if report.recommendations:
        st.caption(
            f"{len(report.recommendations)} recommendation(s), {high} high — see **5. What to do**."
        )


def recommendations_section(report: AuditReport) -> None:
    st.header("5. What to do", divider="gray")
    if not report.recommendations:
        st.success("Nothing to do: no finding calls for action.")
    for i, rec in enumerate(report.recommendations):
        with st.container(border=True, key=f"rec_{i}"):
            st.badge(rec.severity, color=SEVERITY_COLOURS.get(rec.severity, "gray"))
            st.markdown(f"**{st_text(rec.title, 300)}**")
            st.markdown(st_text(rec.detail, 1200))
            if rec.links:
                st.markdown(" · ".join(st_link(link_label(u), u) for u in rec.links))


def limitations_section(report: AuditReport) -> None:
    if not report.limitations:
        return
    st.header("What could not be checked", divider="gray")
    lines = []
    for lim in report.limitations:
        reason = OFFLINE if lim.kind is LimitKind.OFFLINE else lim.reason  # the page's words
        who = f"**{st_text(lim.repo)}**: " if lim.repo else ""
        lines.append(f"- {who}{st_text(reason, 600)}")
    st.markdown("\n".join(lines))


def share_section(report: AuditReport) -> None:
    st.header("6. Share it", divider="gray")
    slug = re.sub(r"[^A-Za-z0-9._-]", "_", report.family)
    markdown = render_markdown(report, badge_url=BADGE_FILE)
    svg = render_badge(report)
    left, right = st.columns([3, 2])
    with left:
        st.markdown("**Markdown report** — for an issue or a pull request")
        st.download_button(
            "Download the report (.md)",
            markdown,
            f"{slug}-sync-audit.md",
            "text/markdown",
            icon=":material/download:",
        )
        with st.expander("Preview the Markdown"):
            st.code(markdown, language="markdown")
    with right:
        st.markdown("**Badge** — generated here, no external service")
        st.image(svg)
        st.download_button(
            f"Download the badge ({BADGE_FILE})",
            svg,
            BADGE_FILE,
            "image/svg+xml",
            icon=":material/download:",
        )
        st.caption(f"Commit {BADGE_FILE} next to your README, then embed it with:")
        st.code(badge_markdown(report, BADGE_FILE), language="markdown")
