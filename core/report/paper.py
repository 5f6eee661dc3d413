"""The paper's labels for a family beside SyncLens's, and the likely reason when they differ.

The paper saw each family through its own lens: commits dated 2016-01-01 to 2024-10-13 (its
collection date) and Hugging Face times cut to the day. `paper_window` applies that lens;
`compare_with_paper` re-runs the analysis with it (and with each half of it) to find which
part explains a difference, and otherwise checks the evidence the replication package
gives: the days the paper saw HF commits (its switch table) and the HF variants it followed.
The reason is one plain sentence, written from those facts.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import sqlite_utils

from core import store
from core.corpus import PAPER, PaperFamily
from core.corpus.embedded import embedded_table
from core.corpus.paper import COLLECTION_END
from core.engine.analysis import FamilyAnalysis, analyze_commits

WINDOW_START = pd.Timestamp("2016-01-01", tz="UTC")
WINDOW_END = pd.Timestamp(COLLECTION_END, tz="UTC") + pd.Timedelta(days=1)  # exclusive
PAPER_VIEW = f"HF times cut to the day, commits from 2016-01-01 to {COLLECTION_END}"
FIELDS = ("pattern", "sync_type", "intensity", "lag")


@dataclass(frozen=True)
class Labels:
    """A family's four labels and its switches, as one side of the comparison."""

    pattern: str | None
    sync_type: str | None
    intensity: str | None
    lag: str | None
    n_switches: int = 0
    mean_switch_days: float | None = None

    def to_dict(self) -> dict:
        return dict(self.__dict__)

    @property
    def words(self) -> str:
        """ "Dense Partial (PS, F, GH First)", or "no pattern"."""
        if self.pattern is None:
            return "no pattern"
        return f"{self.pattern} ({self.sync_type}, {self.intensity}, {self.lag})"

    def differs_from(self, other: Labels) -> tuple[str, ...]:
        return tuple(f for f in FIELDS if getattr(self, f) != getattr(other, f))


def labels_of(analysis: FamilyAnalysis | None) -> Labels:
    if analysis is None:
        return Labels(None, None, None, None)
    return Labels(
        analysis.pattern,
        analysis.sync_type,
        analysis.intensity,
        analysis.lag,
        len(analysis.switches),
        analysis.mean_switch_days,
    )


def paper_labels(paper: PaperFamily) -> Labels:
    return Labels(
        paper.pattern,
        paper.sync_type,
        paper.intensity,
        paper.lag,
        paper.n_switches,
        paper.mean_switch_days,
    )


@dataclass(frozen=True)
class PaperEvidence:
    """What the replication package shows of a family's data: the UTC days on which the
    paper saw HF commits (its switch table) and the HF models it followed."""

    hf_days: frozenset[str]
    variants: frozenset[str]  # casefolded model ids


def paper_evidence(db: sqlite_utils.Database, paper: PaperFamily) -> PaperEvidence:
    """The evidence for `paper` from the cache's paper corpus, else the shipped copy."""
    if store.corpus_import_info(db, PAPER) is not None:
        switches = store.load_corpus_table(db, "corpus_switches", [PAPER])
        models = store.load_corpus_table(db, "corpus_models", [PAPER])
    else:
        switches, models = embedded_table("corpus_switches"), embedded_table("corpus_models")
    mine = switches[switches["family"] == paper.family] if not switches.empty else switches
    times = pd.concat(
        [mine.loc[mine["source"] == "HF", "prev"], mine.loc[mine["target"] == "HF", "next"]]
    )
    days = pd.to_datetime(times, utc=True, format="ISO8601").dt.strftime("%Y-%m-%d")
    ids = models.loc[models["family"] == paper.family, "model_id"] if not models.empty else []
    return PaperEvidence(frozenset(days), frozenset(str(m).casefold() for m in ids))


def paper_window(commits: pd.DataFrame) -> pd.DataFrame:
    """The commits the paper could have seen: dated 2016-01-01 to its collection date."""
    t = commits["timestamp"]
    return commits[(t >= WINDOW_START) & (t < WINDOW_END)]


@dataclass(frozen=True)
class PaperComparison:
    """The paper's labels for a family beside SyncLens's, and why they may differ.

    `ours` are the labels of the report this belongs to (in the paper's view when
    `in_paper_view`); `paper_view` is what SyncLens finds in the paper's view when `ours`
    is not already that, so the page can say whether the toggle closes the gap.
    """

    paper: PaperFamily
    ours: Labels
    in_paper_view: bool
    reason: str | None
    paper_view: Labels | None = None

    @property
    def differs(self) -> tuple[str, ...]:
        return self.ours.differs_from(paper_labels(self.paper))

    @property
    def agrees(self) -> bool:
        return not self.differs

    @property
    def paper_view_agrees(self) -> bool | None:
        if self.paper_view is None:
            return None
        return not self.paper_view.differs_from(paper_labels(self.paper))

    def lines(self) -> list[str]:
        """The comparison as `report`'s text prints it."""
        p = self.paper
        view = " (in the paper's view)" if self.in_paper_view else ""
        out = [
            f"paper: {paper_labels(p).words} as {p.family} (matched by {p.matched_by}"
            + (", excluded from the paper's analysis" if p.excluded else "")
            + f"); SyncLens{view}: {self.ours.words}"
        ]
        if self.agrees:
            out.append("  SyncLens finds the paper's labels.")
            return out
        out.append(
            f"  differs in {', '.join(f.replace('_', ' ') for f in self.differs)}. {self.reason}"
        )
        if self.paper_view is not None:
            closes = "closes the gap" if self.paper_view_agrees else "the gap remains"
            out.append(
                f"  in the paper's view ({PAPER_VIEW}) SyncLens finds "
                f"{self.paper_view.words}: {closes}."
            )
        return out

    def to_dict(self) -> dict:
        """The `paper` object of `report --format json`."""
        p = self.paper
        return {
            "family": p.family,
            "matched_by": p.matched_by,
            "excluded": p.excluded,
            **paper_labels(p).to_dict(),
            "synclens": self.ours.to_dict(),
            "synclens_in_paper_view": self.in_paper_view,
            "agrees": self.agrees,
            "differs": list(self.differs),
            "reason": self.reason,
            "paper_view": (
                None
                if self.paper_view is None
                else {**self.paper_view.to_dict(), "agrees": self.paper_view_agrees}
            ),
        }


def compare_with_paper(
    commits: pd.DataFrame,
    ours: FamilyAnalysis | None,
    paper: PaperFamily,
    evidence: PaperEvidence,
    *,
    name: str,
    variants: tuple[str, ...],
    in_paper_view: bool = False,
) -> PaperComparison:
    """Compare SyncLens's `ours` (from `commits`, the report's engine frame) with the paper.

    When they differ and `ours` is not already in the paper's view, the analysis is re-run
    in it; when that agrees, each half of the view (window, day resolution) is tried alone
    to name the one that matters.
    """
    mine = labels_of(ours)
    target = paper_labels(paper)
    if not mine.differs_from(target):
        return PaperComparison(paper, mine, in_paper_view, None)
    if in_paper_view:
        return PaperComparison(paper, mine, True, _remaining(commits, evidence, variants))
    window = paper_window(commits)
    in_view = _labels(window, name, day_resolution=True)
    if in_view.differs_from(target):
        reason = _remaining(window, evidence, variants)
        return PaperComparison(paper, mine, False, reason, paper_view=in_view)
    outside = len(commits) - len(window)
    if outside and not _labels(window, name, day_resolution=False).differs_from(target):
        reason = _window_sentence(commits)
    elif _has_sub_day_hf_times(commits) and not _labels(
        commits, name, day_resolution=True
    ).differs_from(target):
        reason = (
            "The paper had Hugging Face times to the day only: with HF times cut to the day, "
            "SyncLens finds the paper's labels."
        )
    else:
        reason = (
            f"Both the paper's window ({_outside_words(commits)}) and its day-resolution HF "
            "times matter: with both, SyncLens finds the paper's labels."
        )
    return PaperComparison(paper, mine, False, reason, paper_view=in_view)


def _labels(commits: pd.DataFrame, name: str, *, day_resolution: bool) -> Labels:
    frame = commits[["platform", "model", "timestamp"]].assign(family=name)
    return labels_of(analyze_commits(frame, paper_compatible=day_resolution).family(name))


def _has_sub_day_hf_times(commits: pd.DataFrame) -> bool:
    hf = commits.loc[commits["platform"] == "HF", "timestamp"]
    return bool((hf != hf.dt.floor("D")).any())


def _outside_words(commits: pd.DataFrame) -> str:
    t = commits["timestamp"]
    after, before = int((t >= WINDOW_END).sum()), int((t < WINDOW_START).sum())
    parts = []
    if after:
        parts.append(f"{after} commit(s) after {COLLECTION_END}")
    if before:
        parts.append(f"{before} before 2016")
    return " and ".join(parts)


def _window_sentence(commits: pd.DataFrame) -> str:
    return (
        f"The paper's data ended on {COLLECTION_END}: without the {_outside_words(commits)}, "
        "SyncLens finds the paper's labels."
    )


def _remaining(commits: pd.DataFrame, evidence: PaperEvidence, variants: tuple[str, ...]) -> str:
    """Why the paper's view does not close the gap, from the replication package's evidence."""
    for platform, where in (("GH", "GitHub"), ("HF", "Hugging Face")):
        if not (commits["platform"] == platform).any():  # the first thing to say
            return (
                f"No {where} commits are cached for this family (in the paper's window), so "
                "there is nothing to synchronise with; fetch them, or check that the "
                f"{where} side of the family is the one the paper followed."
            )
    hf = commits.loc[commits["platform"] == "HF", "timestamp"]
    seen = set(hf.dt.strftime("%Y-%m-%d"))
    missing = sorted(evidence.hf_days - seen)
    ours = {v.casefold() for v in variants}
    only_paper = len(evidence.variants - ours)
    only_ours = len(ours - evidence.variants) if evidence.variants else 0
    if only_paper or (only_ours and not missing):
        return (
            f"The paper followed {len(evidence.variants)} HF variant(s) and SyncLens follows "
            f"{len(ours)}: {only_paper} of the paper's are not in this family and "
            f"{only_ours} here were not in the paper's."
        )
    if not missing and seen and seen <= evidence.hf_days:
        return (
            f"These HF commits fall only on the {len(seen)} day(s) the paper's switch table "
            "names; the paper also counted the HF commits between its switches, which this "
            "data does not hold."
        )
    if missing:
        return (
            f"The Hub no longer lists HF commits on {len(missing)} of the "
            f"{len(evidence.hf_days)} days the paper saw HF activity (first: {missing[0]}): "
            "those histories were squashed or rewritten since, so SyncLens cannot see them."
        )
    return (
        "The paper's commit lists are not public, so the commits behind the difference "
        "cannot be compared: SyncLens's labels follow from the facts under Why."
    )
