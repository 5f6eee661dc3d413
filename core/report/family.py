"""Everything the family page shows about one family, computed once from its commits.

`family_report` is pure (a commits frame and variant facts in, a frozen report out) so it
works on cached data and on an uploaded CSV alike; `build_report` reads the cache around it.
`python -m core report TARGET` prints the same report as JSON or text.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pandas as pd
import sqlite_utils

from core import store
from core.commits import commit_frame
from core.engine.analysis import FamilyAnalysis, analyze_commits
from core.engine.contributors import Contributors, contributors
from core.engine.delays import DelaySummary, summarize_delays
from core.engine.maturity import created_dates, family_age_days, maturity_group
from core.engine.similarity import change_type_similarity, label_shares
from core.records import Family, ModelInfo
from core.vocabulary import INTENSITY_NAMES, LAG_INFO, PATTERN_INFO, SYNC_NAMES

if TYPE_CHECKING:
    from core.report.paper import PaperComparison


@dataclass(frozen=True)
class VariantFacts:
    """One HF variant: where it came from, what the Hub says, and its commit activity."""

    model_id: str
    source: str
    created: datetime | None
    downloads: int | None
    likes: int | None
    pipeline_tag: str | None
    gated: bool
    n_commits: int
    first_commit: datetime | None
    last_commit: datetime | None


@dataclass(frozen=True)
class PatternCard:
    """A family's pattern in words beside the paper's figures for it (None: no pattern)."""

    pattern: str | None
    reason: str | None = None
    code: str | None = None
    description: str | None = None
    sync_type: str | None = None
    intensity: str | None = None
    lag: str | None = None
    paper_share: float | None = None
    paper_mean_days: float | None = None
    paper_lag_share: float | None = None
    paper_lag_mean_days: float | None = None

    @property
    def headline(self) -> str | None:
        return f"{self.pattern} — {self.description}" if self.pattern else None

    @property
    def sync(self) -> str:
        return f"{self.sync_type} ({SYNC_NAMES.get(self.sync_type or '', '')})"

    @property
    def intensity_words(self) -> str:
        return f"{self.intensity} ({INTENSITY_NAMES.get(self.intensity or '', '')})"

    def to_dict(self) -> dict:
        """The `pattern_card` object of `report --format json` (keys kept from v1)."""
        if self.pattern is None:
            return {"pattern": None, "reason": self.reason}
        return {
            "pattern": self.pattern,
            "code": self.code,
            "headline": self.headline,
            "sync": self.sync,
            "intensity": self.intensity_words,
            "lag": self.lag,
            "paper_share": self.paper_share,
            "paper_mean_days": self.paper_mean_days,
            "paper_lag_share": self.paper_lag_share,
            "paper_lag_mean_days": self.paper_lag_mean_days,
        }


def pattern_card(analysis: FamilyAnalysis | None) -> PatternCard:
    """The card for an analysis: its labels and the paper's share and days for them."""
    if analysis is None or analysis.pattern is None:
        return PatternCard(None, reason=analysis.reason if analysis else "no commits")
    info = PATTERN_INFO[analysis.pattern]
    lag = LAG_INFO[analysis.lag] if analysis.lag else {}
    return PatternCard(
        pattern=analysis.pattern,
        code=info["code"],
        description=info["description"],
        sync_type=analysis.sync_type,
        intensity=analysis.intensity,
        lag=analysis.lag,
        paper_share=info["paper_share"],
        paper_mean_days=info["paper_mean_days"],
        paper_lag_share=lag.get("paper_share"),
        paper_lag_mean_days=lag.get("paper_mean_days"),
    )


@dataclass(frozen=True)
class FamilyReport:
    """A family's analysis, delays, change types, variants and contributors."""

    name: str
    github_repo: str | None
    commits: pd.DataFrame = field(repr=False)  # engine frame + period (+ label when labeled)
    analysis: FamilyAnalysis | None
    switches: pd.DataFrame = field(repr=False)
    delays: DelaySummary
    label_shares: pd.DataFrame = field(repr=False)
    variant_labels: pd.DataFrame = field(repr=False)
    similarity: float | None
    variants: tuple[VariantFacts, ...]
    age_days: float | None
    maturity: str | None
    contributors: Contributors
    fetched_at: datetime | None = None
    paper_compatible: bool = False
    paper_view: bool = False  # the paper's window and day-resolution HF times
    paper: PaperComparison | None = None  # the paper's labels, for a family it studied

    @property
    def labeled(self) -> bool:
        return "label" in self.commits.columns and self.commits["label"].notna().any()

    def pattern_card(self) -> PatternCard:
        """The pattern in words, with what the paper found for it."""
        return pattern_card(self.analysis)

    def to_dict(self) -> dict:
        """A JSON-ready summary (what `report --format json` and the page's export write)."""
        return {
            "family": self.name,
            "github_repo": self.github_repo,
            "analysis": self.analysis.to_dict() if self.analysis else None,
            "pattern_card": self.pattern_card().to_dict(),
            "delays": self.delays.to_dict(),
            "similarity": self.similarity,
            "label_shares": self.label_shares.to_dict("records"),
            "variants": [
                {
                    **v.__dict__,
                    "created": _iso(v.created),
                    "first_commit": _iso(v.first_commit),
                    "last_commit": _iso(v.last_commit),
                }
                for v in self.variants
            ],
            "age_days": None if self.age_days is None else round(self.age_days, 1),
            "maturity": self.maturity,
            "contributors": {
                "gh": len(self.contributors.gh),
                "hf": len(self.contributors.hf),
                "both": list(self.contributors.both),
                "kind": self.contributors.kind,
            },
            "fetched_at": _iso(self.fetched_at),
            "paper_compatible": self.paper_compatible,
            "paper_view": self.paper_view,
            "paper": self.paper.to_dict() if self.paper else None,
        }


def _iso(value: datetime | None) -> str | None:
    return None if value is None else pd.Timestamp(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def family_report(
    commits: pd.DataFrame,
    *,
    name: str,
    github_repo: str | None = None,
    members: dict[str, str] | None = None,
    infos: dict[str, ModelInfo] | None = None,
    paper_compatible: bool = False,
    paper_view: bool = False,
    reference: datetime | None = None,
    fetched_at: datetime | None = None,
) -> FamilyReport:
    """Build the report from one family's commits (engine frame; `label` column optional).

    `members` maps each variant to where it came from; `infos` holds what the Hub said of
    each (created_at, downloads, likes, pipeline_tag, gated), as in the cache's repos table.
    `paper_view` analyses the family as the paper saw it: only commits in its window
    (`core.report.paper.paper_window`), HF times cut to the day.
    """
    frame = commit_frame(commits, family=name)
    if paper_view:
        from core.report.paper import paper_window

        frame = paper_window(frame)
    computed = analyze_commits(frame, paper_compatible=paper_compatible or paper_view)
    analysis = computed.family(name)
    data, switches = computed.data, computed.switches
    labeled = "label" in data.columns and data["label"].notna().any()
    shares = (
        label_shares(data) if labeled else pd.DataFrame(columns=["platform", "label", "n", "share"])
    )
    similarity = None
    if labeled:
        found = change_type_similarity(data).get(name)
        similarity = None if found is None or pd.isna(found) else float(found)
    variant_labels = (
        data.loc[(data["platform"] == "HF") & data["label"].notna(), ["model", "label"]]
        .groupby(["model", "label"])
        .size()
        .rename("n")
        .reset_index()
        if labeled
        else pd.DataFrame(columns=["model", "label", "n"])
    )
    variants = _variant_facts(data, members or {}, infos or {})
    age = family_age_days([v.created for v in variants], reference)
    return FamilyReport(
        name=name,
        github_repo=github_repo,
        commits=data,
        analysis=analysis,
        switches=switches,
        delays=summarize_delays(switches),
        label_shares=shares,
        variant_labels=variant_labels,
        similarity=similarity,
        variants=variants,
        age_days=age,
        maturity=maturity_group(age),
        contributors=contributors(data),
        fetched_at=fetched_at,
        paper_compatible=paper_compatible or paper_view,
        paper_view=paper_view,
    )


def with_paper(db: sqlite_utils.Database, report: FamilyReport) -> FamilyReport:
    """`report` with the paper's labels beside its own, when the paper studied the family
    (from the cache's paper corpus, else the copy shipped with SyncLens)."""
    from core.corpus import paper_family
    from core.report.paper import compare_with_paper, paper_evidence

    variants = tuple(v.model_id for v in report.variants)
    found = paper_family(db, report.name, report.github_repo, variants)
    if found is None:
        return report
    comparison = compare_with_paper(
        report.commits,
        report.analysis,
        found,
        paper_evidence(db, found),
        name=report.name,
        variants=variants,
        in_paper_view=report.paper_view,
    )
    return replace(report, paper=comparison)


def _variant_facts(
    data: pd.DataFrame, members: dict[str, str], infos: dict[str, ModelInfo]
) -> tuple[VariantFacts, ...]:
    hf = data[data["platform"] == "HF"] if not data.empty else data
    stats = (
        hf.groupby("model")["timestamp"].agg(["size", "min", "max"])
        if not hf.empty
        else pd.DataFrame(columns=["size", "min", "max"])
    )
    ids = sorted(set(members) | set(stats.index))
    created = created_dates(data, infos, ids)
    out = []
    for model_id in ids:
        info = infos.get(model_id) or ModelInfo(model_id)
        first = stats.at[model_id, "min"] if model_id in stats.index else None
        out.append(
            VariantFacts(
                model_id=model_id,
                source=members.get(model_id, "data"),
                created=created[model_id],
                downloads=info.downloads,
                likes=info.likes,
                pipeline_tag=info.pipeline_tag,
                gated=info.gated,
                n_commits=int(stats.at[model_id, "size"]) if model_id in stats.index else 0,
                first_commit=first.to_pydatetime() if first is not None else None,
                last_commit=(
                    stats.at[model_id, "max"].to_pydatetime() if model_id in stats.index else None
                ),
            )
        )
    return tuple(out)


def build_report(
    db: sqlite_utils.Database,
    family: Family,
    *,
    labeler=None,
    paper_compatible: bool = False,
    paper_view: bool = False,
    fetched_at: datetime | None = None,
    reference: datetime | None = None,
    details: bool = True,
) -> FamilyReport:
    """The report for a cached family, with the paper's labels when it studied the family;
    change-type labels come from the cache/corrections and `labeler`. `details=False` leaves
    the commit texts and e-mails out of `report.commits` (a report to print needs none;
    reading them is most of a large family's cost)."""
    commits = store.family_commits(db, family, details=details, keep_copy=True)
    if labeler is not None and not commits.empty:
        from core.labeling.labels import label_commits  # the labels module is only needed here

        commits, _ = label_commits(db, commits, labeler)
    infos = store.model_infos(db, family.variants)
    report = family_report(
        commits,
        name=family.name,
        github_repo=family.github_repo,
        members={m.model_id: m.source for m in family.members},
        infos=infos,
        paper_compatible=paper_compatible,
        paper_view=paper_view,
        fetched_at=fetched_at,
        reference=reference or datetime.now(UTC),
    )
    return with_paper(db, report)
