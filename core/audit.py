"""A maintainer's self-audit of one family: stale variants, content drift, changes never
carried over, where the family stands, and what to do about it.

`audit_family` is pure: commits (with labels when known), file listings, model infos and the
corpus come in as data, an `AuditReport` comes out. Whatever could not be checked (a side
unreachable, a gated variant, no listing, no labels) is named in `report.limitations`.
Gathering those inputs from the cache and the network is `core.audit_inputs`; rendering the
report as Markdown or an SVG badge is `core.audit_render`.

Choices the issue leaves open, written down here:
- "No commit on the other platform within N days" is a symmetric window: a GitHub commit is
  carried over when some HF variant has a commit at most N days before or after it (a change
  may be published on the Hub first). Commits younger than N days cannot be judged yet and are
  counted as `pending`, not as isolated.
- "Days behind" for a variant is the time from its last commit to the newest GitHub commit
  made after it (0 when GitHub has nothing newer).
- The early/late split is at the midpoint of the family's time span (first to last commit,
  both platforms); each half is classified on its own by `core.analysis.analyze`, as the
  replication package's RQ2_early_late_pattern.csv does.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import numpy as np
import pandas as pd

from core.analysis import FamilyAnalysis, analyze
from core.corpus_stats import Placement, place_family
from core.delays import summarize_delays
from core.records import FileListing, ModelInfo, RepoFile
from core.similarity import change_type_similarity
from core.vocabulary import BEHAVIOUR_CHANGING, PATTERN_INFO, normalise_pattern

WINDOW_DAYS = 14
MAX_LISTED = 50  # commits kept per list in the report (counts are always complete)
UNLABELED = "Unlabeled"
SEVERITIES = ("high", "medium", "low")
EMPTY_BLOB = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"  # every empty file has this id
POINTER_MAX = 200  # bytes; an LFS pointer file is ~130
GITATTRIBUTES = ".gitattributes"

# Files whose copies on both sides a maintainer expects to agree (matched across folders).
KNOWN_FILE = re.compile(
    r"^(readme\.md|model_card\.md|modelcard\.md|config\.json|generation_config\.json"
    r"|tokenizer[^/]*\.json|tokenizer\.model|special_tokens_map\.json|preprocessor_config\.json"
    r"|chat_template\.(?:jinja|json)|requirements\.txt|license(?:\.md|\.txt)?"
    r"|modeling_[^/]*\.py|configuration_[^/]*\.py|tokenization_[^/]*\.py)$",
    re.IGNORECASE,
)
# The model card is README.md on the Hub; a GitHub repository may keep it under these names.
CARD_NAMES = ("readme.md", "model_card.md", "modelcard.md")
# Files that change what a loaded model does: drift in them matters most.
CRITICAL_FILE = re.compile(
    r"^(config\.json|generation_config\.json|tokenizer[^/]*\.json|tokenizer\.model"
    r"|special_tokens_map\.json|preprocessor_config\.json|chat_template\.(?:jinja|json)"
    r"|modeling_[^/]*\.py|configuration_[^/]*\.py|tokenization_[^/]*\.py)$",
    re.IGNORECASE,
)


# --- links ---------------------------------------------------------------------------------


def commit_url(platform: str, repo: str, sha: str) -> str:
    if platform == "GH":
        return f"https://github.com/{repo}/commit/{sha}"
    return f"https://huggingface.co/{repo}/commit/{sha}"


def file_url(platform: str, repo: str, path: str, ref: str | None = None) -> str:
    safe = quote(path, safe="/")
    if platform == "GH":
        return f"https://github.com/{repo}/blob/{ref or 'HEAD'}/{safe}"
    return f"https://huggingface.co/{repo}/blob/{ref or 'main'}/{safe}"


def repo_url(platform: str, repo: str) -> str:
    return f"https://github.com/{repo}" if platform == "GH" else f"https://huggingface.co/{repo}"


# --- the report ----------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """JSON-ready form: dataclasses to dicts, datetimes to UTC ISO strings, tuples to lists."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float | np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


class _Plain:
    def to_dict(self) -> dict:
        return _plain(self)


@dataclass(frozen=True)
class CommitRef(_Plain):
    """One commit as a finding points at it."""

    platform: str
    repo: str
    sha: str
    timestamp: datetime
    title: str
    label: str | None
    url: str

    @property
    def behaviour_changing(self) -> bool:
        return self.label in BEHAVIOUR_CHANGING


@dataclass(frozen=True)
class StaleVariant(_Plain):
    """One HF variant against the GitHub history made after its last commit."""

    model_id: str
    url: str
    last_commit_at: datetime | None
    last_commit_url: str | None
    gh_commits_since: int
    behaviour_changing_since: int
    by_change_type: dict[str, int]
    days_behind: int | None  # last variant commit -> newest later GitHub commit
    days_since_update: int | None  # last variant commit -> `today`
    commits: tuple[CommitRef, ...]  # behaviour-changing first, then newest; at most MAX_LISTED
    gated: bool = False

    @property
    def is_stale(self) -> bool:
        return self.gh_commits_since > 0


@dataclass(frozen=True)
class FileComparison(_Plain):
    """One file present on both sides (same path, or a known equivalent) and how they compare.

    `status`: "identical" (equal blob ids or the same LFS object), "different", or "unknown"
    (cannot tell without a download; `how` says why). `newer` is "GH", "HF" or None.
    """

    variant: str
    hf_path: str
    gh_path: str
    matched_by: str  # "path" | "variant folder" | "basename" | "model card"
    status: str
    how: str
    hf_url: str
    gh_url: str
    hf_blob: str | None = None
    gh_blob: str | None = None
    hf_size: int | None = None
    gh_size: int | None = None
    hf_lfs_sha256: str | None = None
    hf_changed_at: datetime | None = None
    gh_changed_at: datetime | None = None
    hf_date_source: str | None = None
    gh_date_source: str | None = None
    newer: str | None = None
    critical: bool = False
    note: str | None = None


@dataclass(frozen=True)
class OneSidedFile(_Plain):
    """A watched file found on one side only (`variant` names the HF repo it concerns)."""

    platform: str
    repo: str
    path: str
    url: str
    variant: str | None = None


@dataclass(frozen=True)
class RenamedFile(_Plain):
    """Same content (equal blob ids) under different paths: not matched by path."""

    variant: str
    hf_path: str
    gh_path: str
    blob_id: str
    hf_url: str
    gh_url: str


@dataclass(frozen=True)
class ContentDrift(_Plain):
    """Files compared by blob id across the GitHub repository and each variant."""

    checked: bool
    gh_revision: str | None
    variants_checked: tuple[str, ...]
    comparisons: tuple[FileComparison, ...]
    hf_only: tuple[OneSidedFile, ...]
    gh_only: tuple[OneSidedFile, ...]
    renamed: tuple[RenamedFile, ...]
    n_hf_only_other: int = 0  # unwatched HF files (weights...) with no GitHub counterpart

    def count(self, status: str) -> int:
        return sum(1 for c in self.comparisons if c.status == status)


@dataclass(frozen=True)
class IsolatedChanges(_Plain):
    """Commits with no commit on the other platform within `window_days` (either way)."""

    window_days: int
    n_gh: int
    n_hf: int
    n_gh_total: int
    n_hf_total: int
    gh_by_type: dict[str, int]
    hf_by_type: dict[str, int]
    gh: tuple[CommitRef, ...]  # behaviour-changing first, then newest; at most MAX_LISTED
    hf: tuple[CommitRef, ...]
    n_pending: int  # younger than the window: cannot be judged yet


@dataclass(frozen=True)
class HalfPattern(_Plain):
    """The family's pattern within one half of its history."""

    half: str  # "early" | "late"
    start: datetime
    end: datetime
    n_commits: int
    pattern: str | None
    lag: str | None
    sync_type: str | None
    intensity: str | None
    reason: str | None = None


@dataclass(frozen=True)
class FamilyStanding(_Plain):
    """Pattern, lag and delays, against the paper's figures and corpus percentiles."""

    pattern: str | None
    pattern_code: str | None
    pattern_description: str | None
    lag: str | None
    sync_type: str | None
    intensity: str | None
    n_variants: int
    n_gh_commits: int
    n_hf_commits: int
    n_switches: int
    mean_days: float | None
    median_days: float | None
    gh_to_hf_mean: float | None
    hf_to_gh_mean: float | None
    paper_mean_days: float | None  # the paper's mean for this pattern
    paper_share: float | None  # % of the paper's families with this pattern
    similarity: float | None
    placement: Placement | None
    early: HalfPattern | None
    late: HalfPattern | None
    corpus_same_transition: float | None  # % of corpus families with this early pattern
    explanation: tuple[str, ...] = ()
    reason: str | None = None

    def to_dict(self) -> dict:
        out = _plain(self)
        out["placement"] = self.placement.to_dict() if self.placement else None
        return out


@dataclass(frozen=True)
class Recommendation(_Plain):
    severity: str  # "high" | "medium" | "low"
    kind: str
    title: str
    detail: str
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class Limitation(_Plain):
    """Something the audit could not check, and why."""

    area: str  # "stale" | "drift" | "isolated" | "standing" | "labels"
    reason: str
    repo: str | None = None


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


# --- the audit -----------------------------------------------------------------------------


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
        limitations: what the gathering step already knows it could not check.
        today: the audit's reference date (default now), for days since and pending changes.
    """
    if window_days < 0:
        raise ValueError("window_days must be >= 0")
    now = today or datetime.now(UTC)
    frame = _normalise(commits)
    # HF commits of repositories outside `variants` (a removed variant) are not this audit's
    frame = frame[(frame["platform"] == "GH") | frame["repo"].isin(list(variants))]
    frame = frame.reset_index(drop=True)
    labeled = "label" in commits.columns and commits["label"].notna().any()
    limits = list(limitations)
    if not labeled and not frame.empty:
        limits.append(
            Limitation(
                "labels",
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


def _dedupe(limits: list[Limitation]) -> list[Limitation]:
    seen, out = set(), []
    for lim in limits:
        key = (lim.area, lim.repo, lim.reason)
        if key not in seen:
            seen.add(key)
            out.append(lim)
    return out


def _normalise(commits: pd.DataFrame) -> pd.DataFrame:
    """Only the columns the audit reads; UTC timestamps; sorted by time."""
    frame = pd.DataFrame(
        {
            "platform": commits["platform"].astype(str),
            "repo": commits["repo"].astype(str)
            if "repo" in commits
            else commits.get("model", pd.Series("", index=commits.index)).astype(str),
            "sha": commits["sha"].astype(str) if "sha" in commits else "",
            "timestamp": pd.to_datetime(commits["timestamp"], utc=True),
            "title": _title_column(commits),
            "label": commits.get("label"),
        },
        index=commits.index,
    )
    frame["label"] = frame["label"].astype(object).where(frame["label"].notna(), None)
    frame = frame.dropna(subset=["timestamp"])
    return frame.sort_values("timestamp", kind="stable").reset_index(drop=True)


def _title_column(commits: pd.DataFrame) -> pd.Series:
    if "title" in commits:
        title = commits["title"].fillna("").astype(str)
        if "text" in commits:
            title = title.where(title != "", commits["text"].fillna("").astype(str))
        return title
    if "text" in commits:
        return commits["text"].fillna("").astype(str)
    return pd.Series("", index=commits.index)


def _refs(part: pd.DataFrame, max_listed: int) -> tuple[CommitRef, ...]:
    """Commit references, behaviour-changing first, newest first within each group."""
    if part.empty:
        return ()
    key = part["label"].isin(BEHAVIOUR_CHANGING)
    ordered = part.assign(_b=key).sort_values(["_b", "timestamp"], ascending=[False, False])
    top = ordered.head(max_listed)
    return tuple(
        CommitRef(
            platform=p,
            repo=r,
            sha=s,
            timestamp=t.to_pydatetime(),
            title=_first_line(ti),
            label=lb,
            url=commit_url(p, r, s),
        )
        for p, r, s, t, ti, lb in zip(
            top["platform"],
            top["repo"],
            top["sha"],
            top["timestamp"],
            top["title"],
            top["label"],
            strict=True,
        )
    )


def _first_line(text: str) -> str:
    return str(text or "").strip().split("\n", 1)[0][:200]


def _by_type(part: pd.DataFrame) -> dict[str, int]:
    counts = part["label"].fillna(UNLABELED).value_counts()
    return {str(k): int(v) for k, v in counts.items()}


# --- (1) stale variants --------------------------------------------------------------------


def _stale_variant(
    mine: pd.DataFrame | None,
    gh: pd.DataFrame,
    variant: str,
    info: ModelInfo | None,
    now: datetime,
    max_listed: int,
    limits: list[Limitation],
) -> StaleVariant:
    gated = bool(info and info.gated)
    url = repo_url("HF", variant)
    if mine is None or mine.empty:
        limits.append(
            Limitation(
                "stale",
                f"No cached commits for {variant}, so its staleness cannot be judged "
                f"(run `python -m core fetch`{' with an HF_TOKEN that may read it' if gated else ''}).",
                variant,
            )
        )
        return StaleVariant(variant, url, None, None, 0, 0, {}, None, None, (), gated)
    last = mine.iloc[-1]
    last_at = last["timestamp"]
    since = gh.iloc[int(gh["timestamp"].searchsorted(last_at, side="right")) :]
    behind = int((since["timestamp"].iloc[-1] - last_at).days) if len(since) else 0
    return StaleVariant(
        model_id=variant,
        url=url,
        last_commit_at=last_at.to_pydatetime(),
        last_commit_url=commit_url("HF", variant, str(last["sha"])),
        gh_commits_since=len(since),
        behaviour_changing_since=int(since["label"].isin(BEHAVIOUR_CHANGING).sum()),
        by_change_type=_by_type(since),
        days_behind=behind,
        days_since_update=max(int((pd.Timestamp(now) - last_at).days), 0),
        commits=_refs(since, max_listed),
        gated=gated,
    )


# --- (3) changes never carried over --------------------------------------------------------


def _covered(times: np.ndarray, other: np.ndarray, window: int) -> np.ndarray:
    """For each time, whether `other` (sorted) has a value within +-window (ns)."""
    if len(other) == 0:
        return np.zeros(len(times), dtype=bool)
    idx = np.searchsorted(other, times - window, side="left")
    inside = idx < len(other)
    nearest = other[np.minimum(idx, len(other) - 1)]
    return inside & (nearest <= times + window)


def _isolated(
    frame: pd.DataFrame, window_days: int, now: datetime, max_listed: int
) -> IsolatedChanges:
    window = int(window_days) * 86_400 * 10**9
    ns = frame["timestamp"].to_numpy(dtype="datetime64[ns]").astype("int64")
    is_gh = (frame["platform"] == "GH").to_numpy()
    gh_t, hf_t = ns[is_gh], ns[~is_gh]
    covered = np.empty(len(frame), dtype=bool)
    covered[is_gh] = _covered(gh_t, hf_t, window)
    covered[~is_gh] = _covered(hf_t, gh_t, window)
    cutoff = pd.Timestamp(now).value - window
    pending = (~covered) & (ns > cutoff)
    lonely = frame[(~covered) & (~pending)]
    gh, hf = lonely[lonely["platform"] == "GH"], lonely[lonely["platform"] == "HF"]
    return IsolatedChanges(
        window_days=window_days,
        n_gh=len(gh),
        n_hf=len(hf),
        n_gh_total=int(is_gh.sum()),
        n_hf_total=int((~is_gh).sum()),
        gh_by_type=_by_type(gh),
        hf_by_type=_by_type(hf),
        gh=_refs(gh, max_listed),
        hf=_refs(hf, max_listed),
        n_pending=int(pending.sum()),
    )


# --- (4) where the family stands -----------------------------------------------------------


def _engine_frame(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "family": name,
            "platform": frame["platform"],
            "model": frame["repo"].where(frame["platform"] == "HF", ""),
            "timestamp": frame["timestamp"],
        }
    )


def _half(name: str, half: str, part: pd.DataFrame) -> HalfPattern:
    start, end = part["timestamp"].iloc[0], part["timestamp"].iloc[-1]
    found = analyze(_engine_frame(part, name)) if len(part) else []
    fa = found[0] if found else None
    return HalfPattern(
        half=half,
        start=start.to_pydatetime(),
        end=end.to_pydatetime(),
        n_commits=len(part),
        pattern=fa.pattern if fa else None,
        lag=fa.lag if fa else None,
        sync_type=fa.sync_type if fa else None,
        intensity=fa.intensity if fa else None,
        reason=fa.reason if fa else "no commits",
    )


def _standing(
    name: str,
    frame: pd.DataFrame,
    corpus: pd.DataFrame | None,
    labeled: bool,
    limits: list[Limitation],
) -> FamilyStanding | None:
    if frame.empty:
        limits.append(Limitation("standing", "No cached commits: nothing to classify."))
        return None
    found = analyze(_engine_frame(frame, name))
    fa: FamilyAnalysis = found[0]
    switches = pd.DataFrame(
        [s.to_dict() for s in fa.switches], columns=["source", "target", "prev", "next", "days"]
    )
    delays = summarize_delays(switches)
    similarity = None
    if labeled:
        sim = change_type_similarity(frame.assign(family=name))
        similarity = None if sim.empty or pd.isna(sim.iloc[0]) else round(float(sim.iloc[0]), 3)
    early = late = None
    t_min, t_max = frame["timestamp"].iloc[0], frame["timestamp"].iloc[-1]
    if t_max > t_min:
        mid = t_min + (t_max - t_min) / 2
        early = _half(name, "early", frame[frame["timestamp"] <= mid])
        late = _half(name, "late", frame[frame["timestamp"] > mid])
    placement = transition = None
    if corpus is None or corpus.empty:
        limits.append(
            Limitation(
                "standing",
                "The paper's corpus is not in the cache, so no percentiles "
                "(run `python -m core corpus import`).",
            )
        )
    else:
        try:
            placement = place_family(
                corpus,
                {
                    "family": name,
                    "pattern": fa.pattern,
                    "mean_switch_days": delays.mean_days,
                    "similarity": similarity,
                    "n_variants": fa.n_variants,
                },
            )
        except KeyError as err:
            limits.append(Limitation("standing", f"The corpus table lacks a column ({err})."))
        transition = _transition_share(corpus, early, late)
    info = PATTERN_INFO.get(fa.pattern or "", {})
    return FamilyStanding(
        pattern=fa.pattern,
        pattern_code=info.get("code"),
        pattern_description=info.get("description"),
        lag=fa.lag,
        sync_type=fa.sync_type,
        intensity=fa.intensity,
        n_variants=fa.n_variants,
        n_gh_commits=fa.n_gh_commits,
        n_hf_commits=fa.n_hf_commits,
        n_switches=delays.n_switches,
        mean_days=delays.mean_days,
        median_days=delays.median_days,
        gh_to_hf_mean=delays.gh_to_hf_mean,
        hf_to_gh_mean=delays.hf_to_gh_mean,
        paper_mean_days=info.get("paper_mean_days"),
        paper_share=info.get("paper_share"),
        similarity=similarity,
        placement=placement,
        early=early,
        late=late,
        corpus_same_transition=transition,
        explanation=fa.explanation,
        reason=fa.reason,
    )


def _transition_share(
    corpus: pd.DataFrame, early: HalfPattern | None, late: HalfPattern | None
) -> float | None:
    """% of corpus families starting with this early pattern that ended in this late one."""
    if early is None or late is None or not early.pattern or not late.pattern:
        return None
    if "early_pattern" not in corpus or "late_pattern" not in corpus:
        return None
    e = corpus["early_pattern"].map(normalise_pattern)
    lt = corpus["late_pattern"].map(normalise_pattern)
    peers = e == early.pattern
    if not peers.any():
        return None
    return round(float((lt[peers] == late.pattern).mean() * 100), 1)


# --- (2) content drift ---------------------------------------------------------------------


def lfs_pointer_blob(sha256: str, size: int) -> str:
    """The git blob id of the canonical LFS pointer for (sha256, size)."""
    text = f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {size}\n"
    data = text.encode()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _in_variant_folder(path: str, variant: str) -> bool:
    """Whether a folder of `path` is named like the variant (`models/Widget-7B/config.json`
    for `acme/widget-7b`); exact after lower-casing and dropping punctuation, so the folder
    of `widget-7b-chat` is not taken for `widget-7b`."""
    name = _norm(variant.split("/")[-1])
    return bool(name) and any(_norm(part) == name for part in path.split("/")[:-1])


def _pick(candidates: list[str], hf_path: str, variant: str) -> tuple[str, str, str | None]:
    """The GitHub path that best matches `hf_path`: under a folder named like the variant,
    then the same path, then the shallowest. Returns (path, matched_by, note)."""
    in_variant = [c for c in candidates if _in_variant_folder(c, variant)]
    if in_variant:
        return min(in_variant, key=lambda c: (c.count("/"), c)), "variant folder", None
    if hf_path in candidates:
        return hf_path, "path", None
    best = min(candidates, key=lambda c: (c.count("/"), c))
    same_name = posixpath.basename(best).lower() == posixpath.basename(hf_path).lower()
    note = None
    if len(candidates) > 1:
        note = f"{len(candidates)} GitHub files could match; compared with the shallowest"
    return best, "basename" if same_name else "model card", note


def _compare(hf: RepoFile, gh: RepoFile) -> tuple[str, str]:
    """(status, how) for one pair, from blob ids, LFS sha256 and sizes only."""
    if hf.blob_id and gh.blob_id and hf.blob_id == gh.blob_id:
        how = "same LFS object (equal pointer blobs)" if hf.lfs_sha256 else "same git blob id"
        return "identical", how
    if hf.lfs_sha256 and hf.lfs_size is not None:
        if gh.blob_id == lfs_pointer_blob(hf.lfs_sha256, hf.lfs_size):
            return "identical", "same LFS object (sha256 in the GitHub pointer)"
        if gh.size is None:
            return "unknown", (
                "LFS on the Hub; the GitHub listing has no size: cannot compare without download"
            )
        if gh.size <= POINTER_MAX < hf.lfs_size:
            return "different", "both LFS pointers, to different objects"
        if gh.size != hf.lfs_size:
            return "different", f"sizes differ ({hf.lfs_size:,} vs {gh.size:,} bytes)"
        return "unknown", (
            "LFS on the Hub only (sha256 vs git blob id), same size: cannot compare "
            "without download"
        )
    if gh.size is not None and hf.size is not None and gh.size <= POINTER_MAX < hf.size:
        return "unknown", (
            "the GitHub file may be an LFS pointer (LFS on one side): cannot compare "
            "without download"
        )
    return "different", "different git blob ids"


class _TitleIndex:
    """Commit titles per repository, newest first, to find when a title last named a file."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.groups: dict[tuple[str, str], list[tuple[str, datetime]]] = {}

    def _titles(self, platform: str, repo: str) -> list[tuple[str, datetime]]:
        key = (platform, repo)
        if key not in self.groups:
            f = self.frame
            part = f[(f["platform"] == platform) & (f["repo"] == repo)]
            self.groups[key] = list(
                zip(
                    part["title"].str.lower().tolist()[::-1],
                    part["timestamp"].dt.to_pydatetime().tolist()[::-1],
                    strict=True,
                )
            )
        return self.groups[key]

    def date(self, platform: str, repo: str, path: str) -> datetime | None:
        """Newest commit whose title names the file (HF default titles: "Upload config.json")."""
        needle = path.lower()
        pattern = re.compile(r"(?<![\w.-])" + re.escape(needle) + r"(?![\w-])")
        for title, when in self._titles(platform, repo):
            if needle in title and pattern.search(title):
                return when
        return None


def _content_drift(
    variants: Sequence[str],
    frame: pd.DataFrame,
    hf_listings: Mapping[str, FileListing] | None,
    gh_listing: FileListing | None,
    gh_dates: Mapping[str, datetime],
    github_repo: str | None,
    limits: list[Limitation],
) -> ContentDrift:
    listed = {v: hf_listings[v] for v in variants if hf_listings and v in hf_listings}
    if gh_listing is None or not listed:
        if not any(lim.area == "drift" for lim in limits):
            why = (
                "no GitHub repository is known"
                if not github_repo
                else "no file listings were available"
            )
            limits.append(Limitation("drift", f"Content drift was not checked: {why}."))
        return ContentDrift(False, None, (), (), (), (), ())
    for v in variants:
        if v not in listed and not any(lim.repo == v and lim.area == "drift" for lim in limits):
            limits.append(Limitation("drift", f"No file listing for {v}; not compared.", v))
    if gh_listing.truncated:
        limits.append(
            Limitation(
                "drift",
                f"GitHub truncated the file listing of {gh_listing.repo} (too many files); "
                "files missing from it may be reported as HF-only.",
                gh_listing.repo,
            )
        )
    gh_repo, gh_ref = gh_listing.repo, gh_listing.revision
    gh_files = {f.path: f for f in gh_listing.files}
    by_base: dict[str, list[str]] = {}
    by_blob: dict[str, list[str]] = {}
    for f in gh_listing.files:
        by_base.setdefault(posixpath.basename(f.path).lower(), []).append(f.path)
        if f.blob_id and f.blob_id != EMPTY_BLOB:
            by_blob.setdefault(f.blob_id, []).append(f.path)
    titles = _TitleIndex(frame)
    comparisons: list[FileComparison] = []
    hf_only: list[OneSidedFile] = []
    renamed: list[RenamedFile] = []
    gh_matched: set[str] = set()
    other = 0
    for variant, listing in listed.items():
        hf_ref = listing.revision
        for hf in listing.files:
            if hf.path == GITATTRIBUTES:
                continue
            base = posixpath.basename(hf.path).lower()
            known = bool(KNOWN_FILE.match(base))
            candidates: list[str] = []
            if known:
                names = CARD_NAMES if base in CARD_NAMES else (base,)
                candidates = [p for n in names for p in by_base.get(n, [])]
                if base in CARD_NAMES:  # a card must sit at the root or in the variant's folder
                    candidates = [
                        c for c in candidates if "/" not in c or _in_variant_folder(c, variant)
                    ]
            elif hf.path in gh_files:
                candidates = [hf.path]
            if candidates:
                gh_path, matched_by, note = _pick(candidates, hf.path, variant)
                gh_matched.add(gh_path)
                comparisons.append(
                    _comparison(
                        variant,
                        hf,
                        gh_files[gh_path],
                        matched_by,
                        note,
                        titles,
                        gh_repo,
                        gh_ref,
                        hf_ref,
                        gh_dates,
                    )
                )
                continue
            moved = by_blob.get(hf.blob_id or "", [])
            if moved:
                gh_matched.update(moved)
                renamed.append(
                    RenamedFile(
                        variant,
                        hf.path,
                        moved[0],
                        hf.blob_id or "",
                        file_url("HF", variant, hf.path, hf_ref),
                        file_url("GH", gh_repo, moved[0], gh_ref),
                    )
                )
            elif known:
                hf_only.append(
                    OneSidedFile(
                        "HF", variant, hf.path, file_url("HF", variant, hf.path, hf_ref), variant
                    )
                )
            else:
                other += 1
    gh_only = tuple(
        OneSidedFile("GH", gh_repo, f.path, file_url("GH", gh_repo, f.path, gh_ref))
        for f in gh_listing.files
        if f.path not in gh_matched
        and "/" not in f.path
        and KNOWN_FILE.match(posixpath.basename(f.path))
    )
    return ContentDrift(
        checked=True,
        gh_revision=gh_ref,
        variants_checked=tuple(listed),
        comparisons=tuple(comparisons),
        hf_only=tuple(hf_only),
        gh_only=gh_only,
        renamed=tuple(renamed),
        n_hf_only_other=other,
    )


def _comparison(
    variant: str,
    hf: RepoFile,
    gh: RepoFile,
    matched_by: str,
    note: str | None,
    titles: _TitleIndex,
    gh_repo: str,
    gh_ref: str,
    hf_ref: str,
    gh_dates: Mapping[str, datetime],
) -> FileComparison:
    status, how = _compare(hf, gh)
    hf_at = gh_at = None
    hf_src = gh_src = None
    if status != "identical":
        if hf.last_commit_at is not None:
            hf_at, hf_src = hf.last_commit_at, "hub listing"
        else:
            hf_at = titles.date("HF", variant, hf.path)
            hf_src = "commit title" if hf_at else None
        if gh.path in gh_dates:
            gh_at, gh_src = gh_dates[gh.path], "git log"
        elif gh.last_commit_at is not None:
            gh_at, gh_src = gh.last_commit_at, "listing"
        else:
            gh_at = titles.date("GH", gh_repo, gh.path)
            gh_src = "commit title" if gh_at else None
    newer = None
    if hf_at and gh_at and hf_at != gh_at:
        newer = "HF" if hf_at > gh_at else "GH"
    return FileComparison(
        variant=variant,
        hf_path=hf.path,
        gh_path=gh.path,
        matched_by=matched_by,
        status=status,
        how=how,
        hf_url=file_url("HF", variant, hf.path, hf_ref),
        gh_url=file_url("GH", gh_repo, gh.path, gh_ref),
        hf_blob=hf.blob_id,
        gh_blob=gh.blob_id,
        hf_size=hf.lfs_size if hf.lfs_size is not None else hf.size,
        gh_size=gh.size,
        hf_lfs_sha256=hf.lfs_sha256,
        hf_changed_at=hf_at,
        gh_changed_at=gh_at,
        hf_date_source=hf_src,
        gh_date_source=gh_src,
        newer=newer,
        critical=bool(CRITICAL_FILE.match(posixpath.basename(hf.path))),
        note=note,
    )


# --- (5) recommendations -------------------------------------------------------------------

_DISJOINT = ("Rare Disjoint", "Sporadic Disjoint")
_PARTIAL = ("Sparse", "Disperse")


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
                tuple(r.gh_url for r in report.drift.renamed[:3]),
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
                tuple(c.url for c in iso.gh if c.behaviour_changing)[:5],
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
                tuple(c.url for c in iso.hf[:5]),
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
        if "HF_TOKEN" in lim.reason or "gated" in lim.reason:
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
                tuple(c.url for c in worst[0].commits[:5]),
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
                    tuple(c.url for c in s.commits[:5]),
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
                tuple(c.url for s in far[:1] for c in s.commits[:5]),
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
                tuple(u for c in group[:2] for u in (c.hf_url, c.gh_url)),
            )
        )
    return recs
