"""Recommendations: concrete next steps derived from an audit's findings."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from core.audit.commits import CommitRef
from core.audit.drift import FileComparison
from core.audit.limits import LimitKind
from core.audit.plain import _Plain
from core.audit.stale import StaleVariant
from core.vocabulary import BEHAVIOUR_CHANGING

if TYPE_CHECKING:
    from core.audit.report import AuditReport


SEVERITIES = ("high", "medium", "low")


@dataclass(frozen=True)
class Recommendation(_Plain):
    severity: str  # "high" | "medium" | "low"
    kind: str
    title: str
    detail: str
    links: tuple[str, ...] = ()


_DISJOINT = ("Rare Disjoint", "Sporadic Disjoint")
_PARTIAL = ("Sparse", "Disperse")


def _links(urls: Iterable[str | None]) -> tuple[str, ...]:
    """The findings' links that could be built (a malformed id has none)."""
    return tuple(u for u in urls if u)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def recommend(report: AuditReport) -> list[Recommendation]:
    """Concrete next steps derived from the findings, most severe first."""
    recs: list[Recommendation] = []
    repo = report.github_repo or "the GitHub repository"
    recs.extend(_stale_recommendations(report.stale, repo))
    recs.extend(_drift_recommendations(report.drift.comparisons, repo))
    if report.drift.renamed:
        names = ", ".join(f"{r.hf_path} ↔ {r.gh_path}" for r in report.drift.renamed[:3])
        recs.append(
            Recommendation(
                "low",
                "renamed-files",
                f"{_plural(len(report.drift.renamed), 'file')} with the same content under another name",
                f"{names}. Keep the same path on both sides so tools and readers can match them.",
                _links(r.gh_url for r in report.drift.renamed[:3]),
            )
        )
    iso = report.isolated
    bc = sum(n for k, n in iso.gh_by_type.items() if k in BEHAVIOUR_CHANGING)
    if bc:
        recs.append(
            Recommendation(
                "medium",
                "isolated-gh",
                f"{_plural(bc, 'behaviour-changing GitHub change')} never reached the Hub "
                f"within {iso.window_days} days",
                "Review them and publish the ones that affect released variants (or note in "
                "the cards that they do not).",
                _links(c.url for c in iso.gh if c.behaviour_changing)[:5],
            )
        )
    if iso.n_hf:
        recs.append(
            Recommendation(
                "low",
                "isolated-hf",
                f"{_plural(iso.n_hf, 'Hub change')} never reflected on GitHub within "
                f"{iso.window_days} days",
                "Fixes made directly on the Hub (cards, configs, tokenizers) are lost for "
                f"users of {repo}; port them back.",
                _links(c.url for c in iso.hf[:5]),
            )
        )
    st = report.standing
    if st and st.pattern in _DISJOINT:
        recs.append(
            Recommendation(
                "high",
                "pattern",
                f"{st.pattern}: GitHub and the Hub move independently",
                "Set up an automated sync (a CI job that uploads the model files with "
                "huggingface_hub on each release) and record the GitHub commit sha in the HF "
                "commit messages, so each variant can be traced to its code.",
            )
        )
    elif st and st.pattern in _PARTIAL:
        recs.append(
            Recommendation(
                "medium",
                "pattern",
                f"{st.pattern}: the platforms are only sometimes updated together",
                "Release in tandem: when GitHub changes something a variant depends on, update "
                "the variant within the same two weeks, and record the GitHub commit in the HF "
                "commit message.",
            )
        )
    if st and st.placement and st.placement.delay.percentile is not None:
        pct = st.placement.delay.percentile
        if pct >= 75:
            recs.append(
                Recommendation(
                    "medium",
                    "delay",
                    f"Changes take {st.mean_days} days on average to reach the other platform",
                    f"Slower than {pct:.0f} % of the paper's families"
                    + (
                        f" (paper's mean for {st.pattern}: {st.paper_mean_days} days)."
                        if st.paper_mean_days is not None
                        else "."
                    ),
                )
            )
    if st and st.early and st.late and st.early.pattern and st.late.pattern:
        rank = {
            p: i
            for i, p in enumerate(
                (
                    "Frequent",
                    "Intermittent",
                    "Rare",
                    "Dense Partial",
                    "Disperse",
                    "Sparse",
                    "Sporadic Disjoint",
                    "Rare Disjoint",
                )
            )
        }
        if rank.get(st.late.pattern, 0) > rank.get(st.early.pattern, 0) + 1:
            recs.append(
                Recommendation(
                    "medium",
                    "trend",
                    f"Synchronization weakened: {st.early.pattern} → {st.late.pattern}",
                    "The later half of the history is less coordinated than the early half; "
                    "revisit the release process that used to keep both sides together.",
                )
            )
    for lim in report.limitations:
        if lim.kind is LimitKind.GATED:
            recs.append(
                Recommendation(
                    "low", "access", f"Could not read {lim.repo or 'a repository'}", lim.reason
                )
            )
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(recs, key=lambda r: order[r.severity])


def _date(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "unknown"


GROUP_ABOVE = 3  # more findings of one kind than this become one grouped recommendation


def _changing(commits: Sequence[CommitRef], n: int = 5) -> list[CommitRef]:
    """The first `n` behaviour-changing commits: the evidence a stale finding links to."""
    return [c for c in commits if c.behaviour_changing][:n]


def _stale_recommendations(stale: Sequence[StaleVariant], repo: str) -> list[Recommendation]:
    """One per stale variant, or one grouped when many variants are behind."""
    changed = [s for s in stale if s.behaviour_changing_since]
    quiet = [s for s in stale if s.is_stale and not s.behaviour_changing_since]
    recs = []
    if len(changed) > GROUP_ABOVE:
        worst = sorted(changed, key=lambda s: -s.behaviour_changing_since)
        lines = "; ".join(
            f"{s.model_id}: {s.behaviour_changing_since} since {_date(s.last_commit_at)}"
            for s in worst
        )
        recs.append(
            Recommendation(
                "high",
                "stale-variant",
                f"{len(changed)} variants predate behaviour-changing GitHub changes",
                f"{lines}. Republish them from the current code of {repo}, or state in each "
                "model card which GitHub revision it was built from.",
                _links(c.url for c in _changing(worst[0].commits)),
            )
        )
    else:
        for s in changed:
            kinds = ", ".join(
                f"{n} {k.lower()}" for k, n in s.by_change_type.items() if k in BEHAVIOUR_CHANGING
            )
            recs.append(
                Recommendation(
                    "high",
                    "stale-variant",
                    f"{s.model_id} predates "
                    f"{_plural(s.behaviour_changing_since, 'behaviour-changing GitHub change')}",
                    f"Since its last commit ({_date(s.last_commit_at)}), {repo} changed in "
                    f"ways that can alter the model ({kinds}). Republish {s.model_id} from the "
                    "current code, or state in its model card which GitHub revision it was "
                    "built from.",
                    _links(c.url for c in _changing(s.commits)),
                )
            )
    far = [s for s in quiet if (s.days_behind or 0) > 90]
    if far:
        names = ", ".join(f"{s.model_id} ({s.days_behind} days)" for s in far)
        recs.append(
            Recommendation(
                "low",
                "stale-variant",
                f"{_plural(len(far), 'variant')} far behind GitHub in documentation only",
                f"{names}: the GitHub commits since are of no behaviour-changing type; check "
                "whether the cards or docs need them.",
                _links(c.url for s in far[:1] for c in s.commits[:5]),
            )
        )
    return recs


def _newer_text(c: FileComparison, repo: str) -> str:
    if c.newer == "GH":
        return (
            f"GitHub's copy is newer ({_date(c.gh_changed_at)} vs {_date(c.hf_changed_at)}): "
            f"upload it to {c.variant}"
        )
    if c.newer == "HF":
        return (
            f"the Hub's copy in {c.variant} is newer ({_date(c.hf_changed_at)} vs "
            f"{_date(c.gh_changed_at)}): port the change back to {repo}"
        )
    return f"{c.variant}: the change dates are unknown, check which copy is current"


def _drift_recommendations(
    comparisons: Sequence[FileComparison], repo: str
) -> list[Recommendation]:
    """One per differing file name (config.json in 7 variants is one recommendation)."""
    by_file: dict[str, list[FileComparison]] = {}
    for c in comparisons:
        if c.status == "different":
            by_file.setdefault(posixpath.basename(c.hf_path), []).append(c)
    recs = []
    for name, group in by_file.items():
        first = group[0]
        if len(group) == 1:
            title = f"{first.hf_path} differs between {first.variant} and GitHub ({first.gh_path})"
        else:
            title = f"{name} differs from GitHub in {len(group)} variants"
        sides = "; ".join(_newer_text(c, repo) for c in group[:GROUP_ABOVE])
        more = f"; and {len(group) - GROUP_ABOVE} more" if len(group) > GROUP_ABOVE else ""
        recs.append(
            Recommendation(
                "high" if first.critical else "low",
                "content-drift",
                title,
                f"The copies have different content: {sides}{more}.",
                _links(u for c in group[:2] for u in (c.hf_url, c.gh_url)),
            )
        )
    return recs
