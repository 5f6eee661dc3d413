"""An `AuditReport`'s findings as flat tables (one row per finding, URLs in their own columns).

The audit page shows these with link columns; the tables hold text only, so commit titles
from other people's repositories are displayed as data, never rendered as Markdown or HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import unquote

import pandas as pd

from core.audit import (
    UNLABELED,
    CommitRef,
    ContentDrift,
    FamilyStanding,
    IsolatedChanges,
    OneSidedFile,
    RenamedFile,
    StaleVariant,
)
from core.audit.links import commit_url
from core.propagation.missing import MissingFile
from core.vocabulary import BEHAVIOUR_CHANGING

PLATFORM_NAMES = {"GH": "GitHub", "HF": "Hugging Face"}
COMMIT_COLUMNS = ["date", "commit", "change type", "behaviour-changing", "title", "repository"]


def _day(value) -> pd.Timestamp | None:
    return pd.Timestamp(value) if value is not None else None


def missing_files_table(files: Sequence[MissingFile], github_repo: str | None) -> pd.DataFrame:
    """The files a variant lacks, newest GitHub change first, each with its commit's page."""
    return pd.DataFrame(
        [
            {
                "file": f.path,
                "change": {"A": "added", "M": "modified"}.get(f.change, f.change),
                "date": _day(f.gh_time),
                "change type": f.label,
                "commit": commit_url("GH", github_repo or "", f.gh_sha),
            }
            for f in files
        ],
        columns=["file", "change", "date", "change type", "commit"],
    )


def stale_table(stale: Sequence[StaleVariant]) -> pd.DataFrame:
    """One row per variant, most behaviour-changing commits behind first; the id as text, its
    page and last commit as links (None for an id that is not well-formed)."""
    rows = [
        {
            "variant": s.model_id,
            "Hub page": s.url,
            "last commit": _day(s.last_commit_at),
            "last commit link": s.last_commit_url,
            "GitHub commits since": s.gh_commits_since if s.last_commit_at else None,
            "behaviour-changing": s.behaviour_changing_since,
            "days behind": s.days_behind,
            "days since update": s.days_since_update,
            "note": _stale_note(s),
        }
        for s in sorted(
            stale, key=lambda s: (-s.behaviour_changing_since, -s.gh_commits_since, s.model_id)
        )
    ]
    columns = [
        "variant",
        "Hub page",
        "last commit",
        "last commit link",
        "GitHub commits since",
        "behaviour-changing",
        "days behind",
        "days since update",
        "note",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame["last commit"] = pd.to_datetime(frame["last commit"], utc=True)
    for column in ("GitHub commits since", "days behind", "days since update"):
        frame[column] = frame[column].astype("Int64")
    return frame


def _stale_note(s: StaleVariant) -> str:
    if s.url is None:
        return "not a well-formed Hub id: shown without links"
    if s.gated:
        return "gated: the Hub shares its history only with approved accounts (HF_TOKEN)"
    if s.last_commit_at is None:
        return "no commits cached: fetch it on the Family page"
    if not s.is_stale:
        return "up to date with GitHub"
    return ""


def commits_table(commits: Sequence[CommitRef]) -> pd.DataFrame:
    """Commits in the order the audit ranked them (behaviour-changing first, then newest)."""
    rows = [
        {
            "date": c.timestamp,
            "commit": c.url,
            "change type": c.label or UNLABELED,
            "behaviour-changing": c.behaviour_changing,
            "title": c.title,
            "repository": c.repo,
        }
        for c in commits
    ]
    frame = pd.DataFrame(rows, columns=COMMIT_COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"], utc=True)
    return frame


def by_type_table(by_type: dict[str, int]) -> pd.DataFrame:
    """Counts per change type, behaviour-changing types first, then by count."""
    items = sorted(by_type.items(), key=lambda kv: (kv[0] not in BEHAVIOUR_CHANGING, -kv[1], kv[0]))
    return pd.DataFrame(
        [
            {"change type": k, "commits": n, "behaviour-changing": k in BEHAVIOUR_CHANGING}
            for k, n in items
        ],
        columns=["change type", "commits", "behaviour-changing"],
    )


def drift_table(drift: ContentDrift) -> pd.DataFrame:
    """One row per compared file: differing files first (files that change a model first)."""
    order = {"different": 0, "unknown": 1, "identical": 2}
    rows = [
        {
            "variant": c.variant,
            "status": c.status,
            "Hub file": c.hf_url,
            "GitHub file": c.gh_url,
            "newer": PLATFORM_NAMES.get(c.newer or "", "—" if c.status != "identical" else ""),
            "Hub changed": _day(c.hf_changed_at),
            "GitHub changed": _day(c.gh_changed_at),
            "affects the model": c.critical,
            "how compared": c.how,
            "matched by": c.matched_by + (f" ({c.note})" if c.note else ""),
        }
        for c in sorted(
            drift.comparisons,
            key=lambda c: (order.get(c.status, 3), not c.critical, c.variant, c.hf_path),
        )
    ]
    columns = [
        "variant",
        "status",
        "Hub file",
        "GitHub file",
        "newer",
        "Hub changed",
        "GitHub changed",
        "affects the model",
        "how compared",
        "matched by",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("Hub changed", "GitHub changed"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def one_sided_table(files: Sequence[OneSidedFile]) -> pd.DataFrame:
    rows = [
        {"side": PLATFORM_NAMES[f.platform], "repository": f.repo, "file": f.url} for f in files
    ]
    return pd.DataFrame(rows, columns=["side", "repository", "file"])


def renamed_table(files: Sequence[RenamedFile]) -> pd.DataFrame:
    rows = [
        {"variant": r.variant, "Hub file": r.hf_url, "GitHub file": r.gh_url, "blob id": r.blob_id}
        for r in files
    ]
    return pd.DataFrame(rows, columns=["variant", "Hub file", "GitHub file", "blob id"])


def isolated_counts(isolated: IsolatedChanges) -> pd.DataFrame:
    """Long form: platform ("GitHub"/"Hugging Face"), change type, commits, behaviour-changing."""
    rows = [
        {
            "platform": PLATFORM_NAMES[platform],
            "change type": label,
            "commits": n,
            "behaviour-changing": label in BEHAVIOUR_CHANGING,
        }
        for platform, counts in (("GH", isolated.gh_by_type), ("HF", isolated.hf_by_type))
        for label, n in counts.items()
        if n
    ]
    return pd.DataFrame(rows, columns=["platform", "change type", "commits", "behaviour-changing"])


def link_label(url: str) -> str:
    """A short name for a finding's link: `repo@abc1234` for a commit, the path for a file."""
    for marker in ("/commit/", "/blob/"):
        if marker in url:
            head, tail = url.split(marker, 1)
            repo = head.split("://", 1)[-1].split("/", 1)[-1]
            if marker == "/commit/":
                return f"{repo}@{tail[:7]}"
            path = tail.split("/", 1)[1] if "/" in tail else tail
            return f"{repo}: {unquote(path)}"
    return url.split("://", 1)[-1]


def _reading(percentile: float | None, template: str) -> str:
    return "—" if percentile is None else template.format(p=percentile, q=100 - percentile)


def placement_table(standing: FamilyStanding) -> pd.DataFrame:
    """The family against the paper's corpus: value, percentile and what the percentile means
    (a percentile is the share of corpus families at or below this family's value)."""
    p = standing.placement
    if p is None:
        return pd.DataFrame(
            columns=["measure", "this family", "percentile", "reading", "corpus families"]
        )
    rows = [
        (
            "mean days to reflect a change",
            standing.mean_days,
            p.delay,
            "{q:.0f} % of the paper's families are slower",
        ),
        ("variants", standing.n_variants, p.n_variants, "{p:.0f} % have as many variants or fewer"),
        (
            "change-type similarity (Jaccard)",
            standing.similarity,
            p.similarity,
            "{p:.0f} % are as alike or less",
        ),
    ]
    return pd.DataFrame(
        [
            {
                "measure": measure,
                "this family": value,
                "percentile": where.percentile,
                "reading": _reading(where.percentile, reading),
                "corpus families": where.n,
            }
            for measure, value, where, reading in rows
        ]
    )


def halves_table(standing: FamilyStanding) -> pd.DataFrame:
    """The early and late halves of the history, each with its own pattern and lag."""
    halves = [h for h in (standing.early, standing.late) if h is not None]
    frame = pd.DataFrame(
        [
            {
                "half": h.half,
                "from": h.start,
                "to": h.end,
                "commits": h.n_commits,
                "pattern": h.pattern or "one platform only",
                "lag": h.lag or "—",
            }
            for h in halves
        ],
        columns=["half", "from", "to", "commits", "pattern", "lag"],
    )
    for column in ("from", "to"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame
