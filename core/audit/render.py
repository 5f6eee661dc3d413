"""An audit as Markdown for an issue, a pull request or a CI job summary: the gate's verdict
first, then what to do, then each finding; or, for a family that cannot be audited, what is
missing and how to fetch it.

Commit titles and file paths come from other people's repositories: they are escaped so they
render as plain text (no links, HTML, mentions or table breaks).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from core.audit import AuditReport, CommitRef, FileComparison
from core.audit.badge import badge_markdown
from core.audit.coverage import Coverage
from core.audit.gate import GateVerdict, Outcome
from core.audit.links import commit_url, repo_url
from core.markup import md_link, md_text
from core.records import GH, HF
from core.vocabulary import BEHAVIOUR_CHANGING

MAX_ROWS = 15  # rows per Markdown table; the JSON has everything
OUTCOME_MARKS = {
    Outcome.PASS: "✅ passed",
    Outcome.FAIL: "❌ failed",
    Outcome.UNCHECKED: "⚠️ cannot tell",
}
RULE_MARKS = {Outcome.PASS: "✅ pass", Outcome.FAIL: "❌ fail", Outcome.UNCHECKED: "⚠️ not checked"}


def _date(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "—"


def _commit_row(c: CommitRef) -> str:
    mark = " ⚠" if c.label in BEHAVIOUR_CHANGING else ""
    return (
        f"| {_date(c.timestamp)} | {_link(c.sha[:7], c.url)} | {md_text(c.label or '—')}{mark} "
        f"| {md_text(c.title, 90)} |"
    )


def _counts(by_type: dict[str, int]) -> str:
    items = sorted(by_type.items(), key=lambda kv: (kv[0] not in BEHAVIOUR_CHANGING, -kv[1]))
    return ", ".join(f"{md_text(k)} {v}" for k, v in items) or "—"


def render_markdown(
    report: AuditReport,
    *,
    badge_url: str | None = None,
    verdict: GateVerdict | None = None,
    coverage: Coverage | None = None,
) -> str:
    """The report as GitHub-flavoured Markdown (headings, tables, links), safe to paste.

    With `verdict`, the gate's outcome comes first; with a partial `coverage`, the variants
    that could not be judged are named before any finding.
    """
    out: list[str] = []
    add = out.append
    add(f"# Sync audit: {md_text(report.family)}")
    add("")
    add(
        f"GitHub {_repo_link(report.github_repo)} and {len(report.variants)} Hugging Face "
        f"variant(s); generated {report.generated_at.strftime('%Y-%m-%d %H:%M UTC')} by SyncLens."
    )
    if verdict is not None:
        out.extend(["", *render_verdict(verdict)])
    if coverage is not None and coverage.problem():
        add("")
        add(f"> **Partly audited.** {keep_code(coverage.problem() or '')}")
    if badge_url:
        add("")
        add(badge_markdown(report, badge_url))
    st = report.standing
    add("")
    add("## What to do")
    add("")
    if report.recommendations:
        for r in report.recommendations:
            links = " ".join(_link(f"[{i + 1}]", u) for i, u in enumerate(r.links))
            add(
                f"- **{r.severity}** — {md_text(r.title, 200)}: {md_text(r.detail, 600)} {links}".rstrip()
            )
    else:
        add("Nothing to do: no finding calls for action.")

    add("")
    add("## Where the family stands")
    add("")
    if st is None:
        add("No commits cached: nothing to classify.")
    else:
        code = f" ({st.pattern_code}, {st.pattern_description})" if st.pattern_code else ""
        code = f" {md_text(code)}" if code else ""
        add(f"- Pattern: **{md_text(st.pattern or 'none')}**{code}; lag: {md_text(st.lag or '—')}")
        if st.reason:
            add(f"- {md_text(st.reason, 300)}")
        add(
            f"- Days to reflect a change on the other platform: mean {_num(st.mean_days)}, "
            f"median {_num(st.median_days)} over {st.n_switches} switches "
            f"(GitHub→HF {_num(st.gh_to_hf_mean)}, HF→GitHub {_num(st.hf_to_gh_mean)})"
        )
        if st.paper_share is not None:
            mean = (
                f", changes reflected in {_num(st.paper_mean_days)} days on average"
                if st.paper_mean_days is not None
                else ""
            )
            add(
                f"- The paper: {_num(st.paper_share)} % of families are {md_text(st.pattern)}{mean}"
            )
        if st.placement:
            p = st.placement
            add(
                f"- Against the paper's {p.delay.n} families (percentile = share of families "
                f"with a value at or below this one): mean delay {_num(st.mean_days)} days → "
                f"percentile {_num(p.delay.percentile)}; {st.n_variants} variants → "
                f"percentile {_num(p.n_variants.percentile)}; change-type similarity "
                f"{_num(st.similarity)} → percentile {_num(p.similarity.percentile)} "
                "(SyncLens labels; the paper labeled with an LLM)"
            )
        if st.early and st.late:
            trans = (
                f" ({_num(st.corpus_same_transition)} % of corpus families that started "
                f"{md_text(st.early.pattern)} ended this way)"
                if st.corpus_same_transition is not None
                else ""
            )
            add(
                f"- Over time: early half ({_date(st.early.start)} to {_date(st.early.end)}) "
                f"**{md_text(st.early.pattern or 'one platform only')}**, late half "
                f"({_date(st.late.start)} to {_date(st.late.end)}) "
                f"**{md_text(st.late.pattern or 'one platform only')}**{trans}"
            )

    add("")
    add("## Stale variants")
    add("")
    add(
        "| Variant | Last commit | GitHub commits since | Behaviour-changing | Days behind | By change type |"
    )
    add("|---|---|---|---|---|---|")
    for s in sorted(report.stale, key=lambda s: (-s.behaviour_changing_since, -s.gh_commits_since)):
        last = _link(_date(s.last_commit_at), s.last_commit_url) if s.last_commit_url else "—"
        since = s.gh_commits_since if s.last_commit_at else "—"
        add(
            f"| {_link(s.model_id, s.url)} | {last} | {since} | "
            f"{s.behaviour_changing_since} | {s.days_behind if s.days_behind is not None else '—'} "
            f"| {_counts(s.by_change_type)} |"
        )
    worst = max(report.stale, key=lambda s: s.behaviour_changing_since, default=None)
    if worst and worst.commits:
        add("")
        add(
            f"GitHub changes since {md_text(worst.model_id)} was last updated (⚠ = can change behaviour):"
        )
        add("")
        add("| Date | Commit | Change type | Title |")
        add("|---|---|---|---|")
        for c in worst.commits[:MAX_ROWS]:
            add(_commit_row(c))
    _missing_files(report, add)

    add("")
    add("## Content drift (git blob ids, no downloads)")
    add("")
    d = report.drift
    if not d.checked:
        add("Not checked (see Limitations).")
    else:
        add(
            f"{d.count('identical')} identical, {d.count('different')} different, "
            f"{d.count('unknown')} cannot be compared without download; "
            f"{len(d.renamed)} renamed; {len(d.hf_only)} watched files on the Hub only, "
            f"{len(d.gh_only)} on GitHub only."
        )
        shown = [c for c in d.comparisons if c.status != "identical"]
        if shown:
            add("")
            add(
                "| Variant | File (Hub) | File (GitHub) | Status | Hub changed | GitHub changed | Newer |"
            )
            add("|---|---|---|---|---|---|---|")
            ordered = sorted(shown, key=lambda c: (not c.critical, c.status, c.hf_path))
            for comparison in ordered[:MAX_ROWS]:
                add(_drift_row(comparison))
        if d.renamed:
            add("")
            add("Same content under another name (not matched by path):")
            add("")
            for moved in d.renamed[:MAX_ROWS]:
                add(
                    f"- {_link(moved.hf_path, moved.hf_url)} ({md_text(moved.variant)}) ↔ "
                    f"{_link(moved.gh_path, moved.gh_url)}"
                )
        if d.hf_only or d.gh_only:
            add("")
            add("On one side only:")
            add("")
            for f in (*d.gh_only, *d.hf_only)[:MAX_ROWS]:
                side = "GitHub" if f.platform == "GH" else f"Hub ({md_text(f.variant)})"
                add(f"- {side}: {_link(f.path, f.url)}")

    add("")
    add(
        f"## Changes never carried over (no commit on the other side within {report.window_days} days)"
    )
    add("")
    iso = report.isolated
    add(f"- GitHub: {iso.n_gh} of {iso.n_gh_total} commits — {_counts(iso.gh_by_type)}")
    add(f"- Hugging Face: {iso.n_hf} of {iso.n_hf_total} commits — {_counts(iso.hf_by_type)}")
    if iso.n_pending:
        add(f"- {iso.n_pending} recent commit(s) younger than the window, not judged yet")
    listed = [*iso.gh[:MAX_ROWS], *iso.hf[: max(0, MAX_ROWS - len(iso.gh[:MAX_ROWS]))]]
    if listed:
        add("")
        add("| Date | Commit | Change type | Title |")
        add("|---|---|---|---|")
        for c in listed:
            add(_commit_row(c))

    if report.limitations:
        add("")
        add("## Limitations")
        add("")
        for lim in report.limitations:
            who = f"{md_text(lim.repo)}: " if lim.repo else ""
            add(f"- {who}{md_text(lim.reason, 400)}")
    add("")
    return "\n".join(out)


def _drift_row(c: FileComparison) -> str:
    note = f" ({md_text(c.how, 100)})"
    return (
        f"| {md_text(c.variant)} | {_link(c.hf_path, c.hf_url)} | {_link(c.gh_path, c.gh_url)} "
        f"| {md_text(c.status)}{note} | {_date(c.hf_changed_at)} | {_date(c.gh_changed_at)} "
        f"| {c.newer or '—'} |"
    )


def _num(value: float | int | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}" if isinstance(value, float) else str(value)


def render_verdict(verdict: GateVerdict) -> list[str]:
    """The gate as Markdown lines: the outcome as a heading, one table row per rule, then the
    offenders of each rule that did not pass."""
    lines = [
        f"## Gate: {OUTCOME_MARKS[verdict.outcome]}",
        "",
        f"Policy: {md_text(verdict.policy.describe(), 300)}.",
        "",
        "| Rule | Result | Finding |",
        "|---|---|---|",
    ]
    lines += [
        f"| {r.rule} | {RULE_MARKS[r.outcome]} | {md_text(r.summary, 300)} |"
        for r in verdict.results
    ]
    for r in verdict.results:
        if r.offenders:
            lines += ["", f"{r.rule}:", ""]
            lines += [f"- {md_text(line, 200)}" for line in r.offenders]
    return lines


def render_not_audited(coverage: Coverage) -> str:
    """Markdown for a family that was not audited: why, the fix, and what is cached."""
    out = [
        f"# Sync audit: {md_text(coverage.family)}",
        "",
        f"**Not audited.** {keep_code(coverage.problem() or '')}",
        "",
        "| Repository | Platform | Cached commits |",
        "|---|---|---|",
    ]
    if coverage.github_repo:
        out.append(f"| {_repo_link(coverage.github_repo)} | GitHub | {coverage.gh_commits} |")
    out += [
        f"| {_link(v, repo_url(HF, v))} | Hugging Face | {n} |"
        for v, n in coverage.hf_commits.items()
    ]
    return "\n".join([*out, ""])


def keep_code(text: str, escape: Callable[[str, int], str] = md_text, limit: int = 600) -> str:
    """SyncLens's own sentence, which may quote untrusted names, as Markdown: its `code` spans
    (commands to run) stay code, which Markdown shows literally; everything else is escaped."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: no code at all
        return escape(text, limit)

    def inert(part: str) -> str:
        lead = " " if part[:1].isspace() else ""
        trail = " " if part[-1:].isspace() and part.strip() else ""
        return lead + escape(part, limit) + trail

    return "".join(inert(p) if i % 2 == 0 else f"`{p}`" for i, p in enumerate(parts))


def _missing_files(report: AuditReport, add: Callable[[str], None]) -> None:
    """The exact files each stale variant lacks, or how to have them checked."""
    stale = [s for s in report.stale if s.is_stale]
    if stale and all(s.missing_files is None for s in stale):
        add("")
        add(
            "Exact files not checked: file histories are not cached "
            "(`python -m core propagation TARGET` reads them)."
        )
    for s in stale:
        if not s.missing_files:
            continue
        add("")
        add(
            f"Current GitHub files that never reached {md_text(s.model_id)} "
            f"({len(s.missing_files)}):"
        )
        add("")
        add("| File | GitHub commit | Date | Change type |")
        add("|---|---|---|---|")
        for f in s.missing_files[:MAX_ROWS]:
            sha = _link(f.gh_sha[:7], commit_url("GH", report.github_repo or "", f.gh_sha))
            add(f"| {md_text(f.path)} | {sha} | {_date(f.gh_time)} | {md_text(f.label or '—')} |")


def _link(label: str, url: str | None) -> str:
    """A link when the target is known (validated ids only), else the label as text."""
    return md_link(label, url) if url else md_text(label)


def _repo_link(repo: str | None) -> str:
    return _link(repo, repo_url(GH, repo)) if repo else "no GitHub repository"
