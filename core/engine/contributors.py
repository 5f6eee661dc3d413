"""Who commits on each platform, and who commits on both (paper, Section 4.1.1.7).

People are matched across platforms by a normalised name or handle (`person_key`): GitHub
logins and author names against Hugging Face usernames; bots are left out.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Contributors:
    """People committing on each platform, and those found on both (by normalised name)."""

    gh: tuple[str, ...]
    hf: tuple[str, ...]
    both: tuple[str, ...]

    @property
    def kind(self) -> str:
        """The paper's grouping: Single-author or Multiple-authors across both platforms."""
        return "Single-author" if len(set(self.gh) | set(self.hf)) <= 1 else "Multiple-authors"


_BOTS = re.compile(r"\[bot\]$|^(github-actions|dependabot|web-flow|sfconvertbot|system)$", re.I)


def person_key(name: str) -> str:
    """Normalise a person's name or handle for matching across platforms."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _people(frame: pd.DataFrame) -> dict[str, str]:
    """key -> display name for everyone who committed in `frame` (bots left out)."""
    people: dict[str, str] = {}
    for col in ("author_login", "author_name"):
        if col in frame.columns:
            for value in frame[col].dropna().astype(str).unique():  # first-seen order kept
                if value and not _BOTS.search(value):
                    people.setdefault(person_key(value), value)
    if "authors" in frame.columns:
        for value in frame["authors"].dropna().unique():
            names = json.loads(value) if isinstance(value, str) and value.startswith("[") else []
            for n in names:
                if n and not _BOTS.search(n):
                    people.setdefault(person_key(n), n)
    people.pop("", None)
    return people


def contributors(data: pd.DataFrame) -> Contributors:
    """Contributors per platform; "both" matches GitHub logins/names to HF usernames."""
    if data.empty:
        return Contributors((), (), ())
    gh = _people(data[data["platform"] == "GH"])
    hf = _people(data[data["platform"] == "HF"])
    both = sorted(gh[k] for k in set(gh) & set(hf))
    return Contributors(tuple(sorted(gh.values())), tuple(sorted(hf.values())), tuple(both))
