"""GitHub links in a model card: its metadata fields and its README body, in order."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from core import settings
from core.ingest.targets import github_repo_from_url

LINK_FIELDS = ("repo", "repository", "github", "code", "source_code", "code_repository", "url")
_LINK_TAIL = r"/[^\s)\]}>\"'`,;|<]+"
# Sentence punctuation and Markdown emphasis (`**url**`, `~~url~~`) after a bare link.
_TRAILING = ".:!?*~"
_FRONT_MATTER = re.compile(r"\A\ufeff?---\s*\n.*?\n---\s*(\n|\Z)", re.DOTALL)


@lru_cache(maxsize=8)
def _link_pattern(server: str) -> re.Pattern[str]:
    """Links to github.com, and to `server` when it is another (a GitHub Enterprise)."""
    hosts = [r"(?:https?://)?(?:www\.)?github\.com"]
    if server.rstrip("/") != settings.PUBLIC_GITHUB:
        hosts.append(re.escape(server.rstrip("/")))
    return re.compile(f"(?:{'|'.join(hosts)}){_LINK_TAIL}", re.I)


def _links(text: str) -> list[str]:
    pattern = _link_pattern(settings.github_url())
    return [m.group(0).rstrip(_TRAILING) for m in pattern.finditer(text)]


def body_links(text: str) -> list[str]:
    """Every GitHub link in a README body (front matter removed), in order."""
    return _links(_FRONT_MATTER.sub("", text or "", count=1))


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
            links = _links(value)
            if links:
                found.extend(links)
            elif key in LINK_FIELDS and github_repo_from_url(f"github.com/{value.strip()}"):
                found.append(f"https://github.com/{value.strip()}")

    walk(card)
    return found
