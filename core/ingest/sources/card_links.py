"""GitHub links in a model card: its metadata fields and its README body, in order."""

from __future__ import annotations

import re
from typing import Any

from core.ingest.targets import github_repo_from_url

LINK_FIELDS = ("repo", "repository", "github", "code", "source_code", "code_repository", "url")
_GITHUB_LINK = re.compile(r"(?:https?://)?(?:www\.)?github\.com/[^\s)\]}>\"'`,;|<]+", re.I)
# Sentence punctuation and Markdown emphasis (`**url**`, `~~url~~`) after a bare link.
_TRAILING = ".:!?*~"
_FRONT_MATTER = re.compile(r"\A\ufeff?---\s*\n.*?\n---\s*(\n|\Z)", re.DOTALL)


def body_links(text: str) -> list[str]:
    """Every github.com link in a README body (front matter removed), in order."""
    body = _FRONT_MATTER.sub("", text or "", count=1)
    return [m.group(0).rstrip(_TRAILING) for m in _GITHUB_LINK.finditer(body)]


def metadata_links(card: Any) -> list[str]:
    """GitHub links anywhere in the card metadata; `repo: owner/name`-style fields count too."""
    found: list[str] = []

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, str(k).lower())
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v, key)
        elif isinstance(value, str):
            links = [m.group(0).rstrip(_TRAILING) for m in _GITHUB_LINK.finditer(value)]
            if links:
                found.extend(links)
            elif key in LINK_FIELDS and github_repo_from_url(f"github.com/{value.strip()}"):
                found.append(f"https://github.com/{value.strip()}")

    walk(card)
    return found
