"""Links to commits, files and repositories on GitHub and the Hugging Face Hub, built only from
ids that pass the same validation as typed targets (anything else gets no link: None), on
the servers configured in `core.settings` (`--github-url`, $HF_ENDPOINT)."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote

from core import settings
from core.errors import InputError
from core.ingest.targets import parse_target

_SHA = re.compile(r"[0-9a-fA-F]{7,64}")


@lru_cache(maxsize=4096)
def valid_repo(platform: str, repo: str) -> bool:
    """Whether `repo` is a well-formed GitHub repository ("GH") or Hub model id ("HF")."""
    try:
        target = parse_target(f"{'gh' if platform == 'GH' else 'hf'}:{repo}")
    except InputError:
        return False
    return target.id == repo


def valid_family(name: str) -> bool:
    """Whether a family name is one SyncLens makes: `owner/repo` or `hf:org/model`."""
    if name.startswith("hf:"):
        return valid_repo("HF", name[3:])
    return valid_repo("GH", name)


def repo_url(platform: str, repo: str) -> str | None:
    if not valid_repo(platform, repo):
        return None
    # the configured servers (GitHub Enterprise, a Hub mirror), read at call time
    return f"{settings.github_url() if platform == 'GH' else settings.hub_url()}/{repo}"


def commit_url(platform: str, repo: str, sha: str) -> str | None:
    base = repo_url(platform, repo)
    return f"{base}/commit/{sha}" if base and _SHA.fullmatch(sha) else None


def file_url(platform: str, repo: str, path: str, ref: str | None = None) -> str | None:
    base = repo_url(platform, repo)
    if base is None:
        return None
    ref = quote(ref or ("HEAD" if platform == "GH" else "main"), safe="")
    return f"{base}/blob/{ref}/{quote(path, safe='/')}"
