"""An audit's report (`AuditReport`) and `audit_family`, which makes it from data at hand."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import pandas as pd

from core.audit.commits import MAX_LISTED, _normalise
from core.audit.drift import ContentDrift, _content_drift
from core.audit.isolated import WINDOW_DAYS, IsolatedChanges, _isolated
from core.audit.limits import Limitation, LimitKind, _dedupe
from core.audit.plain import _Plain, _plain
from core.audit.recommendations import Recommendation, recommend
from core.audit.stale import StaleVariant, _stale_variant
from core.audit.standing import FamilyStanding, _standing
from core.propagation.missing import MissingFile
from core.records import FileListing, ModelInfo


@dataclass(frozen=True)
class AuditReport(_Plain):
    family: str
    github_repo: str | None
    variants: tuple[str, ...]
    generated_at: datetime
    window_days: int
    labeled: bool
    stale: tuple[StaleVariant, ...]
    drift: ContentDrift
    isolated: IsolatedChanges
    standing: FamilyStanding | None
    recommendations: tuple[Recommendation, ...]
    limitations: tuple[Limitation, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict:
        out = _plain(self)
        out["standing"] = self.standing.to_dict() if self.standing else None
        return out


def audit_family(
    family_name: str,
    github_repo: str | None,
    variants: Sequence[str],
    commits: pd.DataFrame,
    *,
    hf_listings: Mapping[str, FileListing] | None = None,
    gh_listing: FileListing | None = None,
    model_infos: Mapping[str, ModelInfo] | None = None,
    corpus: pd.DataFrame | None = None,
    gh_file_dates: Mapping[str, datetime] | None = None,
    missing_files: Mapping[str, tuple[MissingFile, ...]] | None = None,
    limitations: Sequence[Limitation] = (),
    window_days: int = WINDOW_DAYS,
    today: datetime | None = None,
    max_listed: int = MAX_LISTED,
) -> AuditReport:
    """Audit one family from data already at hand (no I/O).

    Args:
        commits: the family's commits (`store.family_commits` frame: platform, repo, sha,
            timestamp, title, text; `label` when labeled).
        hf_listings / gh_listing: file listings (None: drift was not checked).
        model_infos: per variant, for gating; corpus: `Corpus.families` for percentiles.
        gh_file_dates: when each GitHub path last changed (`git_last_changes`), if known.
        missing_files: per variant, the GitHub files that never reached it
            (`core.propagation.missing`); None or a variant absent: not checked.
        limitations: what the gathering step already knows it could not check.
        today: the audit's date (default now): days since and pending changes count to it,
            and commits made after that day are left out (the audit as it read that day;
            file listings, when given, are whatever they are now).
    """
    if window_days < 0:
        raise ValueError("window_days must be >= 0")
    now = today or datetime.now(UTC)
    frame = _normalise(commits)
    if today is not None:  # a future-dated commit stays when no day is asked for
        frame = frame[frame["timestamp"] < _end_of_day(today)]
    # HF commits of repositories outside `variants` (a removed variant) are not this audit's
    frame = frame[(frame["platform"] == "GH") | frame["repo"].isin(list(variants))]
    frame = frame.reset_index(drop=True)
    labeled = "label" in commits.columns and commits["label"].notna().any()
    limits = list(limitations)
    if not labeled and not frame.empty:
        limits.append(
            Limitation(
                "labels",
                LimitKind.NO_LABELS,
                "Commits are not labeled, so changes cannot be broken down by change type "
                "(run `python -m core label TARGET`).",
            )
        )
    infos = model_infos or {}
    gh = frame[frame["platform"] == "GH"]
    hf_parts = dict(iter(frame[frame["platform"] == "HF"].groupby("repo", sort=False)))
    stale = tuple(
        _stale_variant(hf_parts.get(v), gh, v, infos.get(v), now, max_listed, limits)
        for v in variants
    )
    if missing_files is not None:
        stale = tuple(
            replace(s, missing_files=missing_files[s.model_id])
            if s.model_id in missing_files
            else s
            for s in stale
        )
    drift = _content_drift(
        variants, frame, hf_listings, gh_listing, gh_file_dates or {}, github_repo, limits
    )
    isolated = _isolated(frame, window_days, now, max_listed)
    if not frame.empty and frame["platform"].nunique() < 2:
        # with one side empty every commit would look isolated: say so instead
        missing = "GitHub" if (frame["platform"] != "GH").all() else "Hugging Face"
        isolated = _isolated(frame.iloc[0:0], window_days, now, max_listed)
        limits.append(
            Limitation(
                "isolated",
                LimitKind.NO_COMMITS,
                f"No {missing} commits are cached, so changes carried over (or not) "
                "cannot be judged.",
            )
        )
    standing = _standing(family_name, frame, corpus, labeled, limits)
    report = AuditReport(
        family=family_name,
        github_repo=github_repo,
        variants=tuple(variants),
        generated_at=now,
        window_days=window_days,
        labeled=bool(labeled),
        stale=stale,
        drift=drift,
        isolated=isolated,
        standing=standing,
        recommendations=(),
        limitations=tuple(_dedupe(limits)),
    )
    return replace(report, recommendations=tuple(recommend(report)))


def _end_of_day(day: datetime) -> pd.Timestamp:
    """The first instant after `day`'s UTC date (a time of day given with it is kept)."""
    stamp = pd.Timestamp(day)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return stamp + pd.Timedelta(days=1) if stamp == stamp.normalize() else stamp
