"""One cell of a corpus table, cleaned: family keys, text, numbers, lags, age groups, repos."""

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
