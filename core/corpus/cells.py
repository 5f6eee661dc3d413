"""One cell of a corpus table, cleaned (family keys, text, numbers, lags, repos); a family row."""

from __future__ import annotations

import re

import pandas as pd

from core.vocabulary import LAGS, REPLICATION_LAG

AGE_GROUPS = {
    "recent": "Recent",
    "intermediate": "Intermediate",
    "matured": "Matured",
    "mature": "Matured",
}
GITHUB_URL = re.compile(r"github\.com/([\w.-]+)/([\w.-]+)", re.IGNORECASE)
FAMILY_COLUMNS = (
    "owner",
    "github_repo",
    "lag",
    "sync_type",
    "intensity",
    "pattern",
    "generated",
    "n_variants",
    "mean_age_days",
    "age_group",
    "similarity",
    "excluded",
    "exclusion_reason",
    "early_lag",
    "late_lag",
    "early_pattern",
    "late_pattern",
    "co_active_periods",
)


def _key(name: object) -> str:
    return str(name).strip().casefold()


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _number(value: object) -> float | None:
    try:
        number = float(str(value).strip().replace(",", ""))
    except (TypeError, ValueError):
        return None
    return None if pd.isna(number) else number


def _lag(value: object) -> str | None:
    text = _text(value)
    if text is None:
        return None
    if text in LAGS:
        return text
    return REPLICATION_LAG.get(text) or next(
        (ours for theirs, ours in REPLICATION_LAG.items() if theirs.lower() == text.lower()), None
    )


def _age_group(value: object) -> str | None:
    text = (_text(value) or "").lower().replace("-families", "").replace(" families", "")
    return AGE_GROUPS.get(text.strip())


def github_repo_of(url: object) -> str | None:
    """`owner/repo` from a GitHub URL (deep links and `.git` suffixes allowed)."""
    match = GITHUB_URL.search(str(url or ""))
    if not match:
        return None
    repo = match.group(2)
    repo = repo[:-4] if repo.lower().endswith(".git") else repo
    return f"{match.group(1)}/{repo}"


def family_record(family: str, **values: object) -> dict:
    """A `corpus_families` record: the family and its key, the values given, None elsewhere.

    Not excluded unless `excluded` says so.
    """
    unknown = set(values) - set(FAMILY_COLUMNS)
    if unknown:
        raise ValueError(f"not a corpus_families column: {', '.join(sorted(unknown))}")
    blank = dict.fromkeys(FAMILY_COLUMNS)
    return {"family": family, "family_key": _key(family), **blank, "excluded": 0, **values}
