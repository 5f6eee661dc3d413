"""Where SyncLens finds its cache file and its secrets (environment first, then secrets.toml).

Secrets are returned to the caller that needs them and never logged, cached or printed
(`core.redaction` strips them from whatever leaves the process).
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "cache" / "synclens.db"
SECRET_NAMES = ("HF_TOKEN", "GITHUB_TOKEN", "ANTHROPIC_API_KEY")
PUBLIC_GITHUB = "https://github.com"
PUBLIC_GITHUB_API = "https://api.github.com"
PUBLIC_HUB = "https://huggingface.co"


def hub_endpoint() -> str | None:
    """The Hugging Face Hub to read: $HF_ENDPOINT (as huggingface_hub reads it), else the Hub."""
    return os.environ.get("HF_ENDPOINT") or None


def hub_url() -> str:
    """The Hub's web address, for links: $HF_ENDPOINT (a mirror), else huggingface.co."""
    return (hub_endpoint() or PUBLIC_HUB).rstrip("/")


def github_api() -> str | None:
    """The GitHub REST API to read (None: api.github.com).

    $SYNCLENS_GITHUB_API (a test server) first, then $GITHUB_API_URL (what GitHub Actions
    sets, on github.com or an Enterprise server), else derived from `--github-url` /
    $SYNCLENS_GITHUB_URL: `https://ghe.example.com` reads `https://ghe.example.com/api/v3`.
    """
    explicit = os.environ.get("SYNCLENS_GITHUB_API") or os.environ.get("GITHUB_API_URL")
    if explicit:
        return None if explicit.rstrip("/") == PUBLIC_GITHUB_API else explicit.rstrip("/")
    web = os.environ.get("SYNCLENS_GITHUB_URL")
    if not web or web.rstrip("/") == PUBLIC_GITHUB:
        return None
    return web.rstrip("/") + "/api/v3"


def github_url() -> str:
    """The GitHub server's web address, for links and clones (github.com unless configured).

    `--github-url` / $SYNCLENS_GITHUB_URL, else derived from $GITHUB_API_URL
    (`https://ghe.example.com/api/v3` -> `https://ghe.example.com`).
    """
    web = os.environ.get("SYNCLENS_GITHUB_URL")
    if web:
        return web.rstrip("/")
    api = os.environ.get("GITHUB_API_URL", "").rstrip("/")
    if api and api != PUBLIC_GITHUB_API:
        return api.removesuffix("/api/v3")
    return PUBLIC_GITHUB


def git_url_template() -> str:
    """How to clone (and `git ls-remote`) a GitHub repository: a `GitBackend` template.

    $SYNCLENS_GIT_MIRROR names a mirror, with `{owner}` and `{repo}` (the repository's
    name), e.g. `https://mirror.example/{owner}/{repo}.git`; else the GitHub server's own
    `https://<server>/{owner}/{name}.git`. In the returned template `{repo}` is owner/name.
    """
    mirror = os.environ.get("SYNCLENS_GIT_MIRROR")
    if mirror:
        return mirror.replace("{repo}", "{name}") if "{owner}" in mirror else mirror
    return github_url() + "/{repo}.git"


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The SQLite cache: `--db`, else $SYNCLENS_DB, else cache/synclens.db."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("SYNCLENS_DB")
    return Path(env) if env else DEFAULT_DB


def cache_dir(db: Path | None = None) -> Path:
    """Folder for things kept beside the database (git clones)."""
    return (db or db_path()).resolve().parent


@lru_cache(maxsize=4)
def _secrets_file(path: Path) -> dict[str, str]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    return {k: str(v) for k, v in data.items() if isinstance(v, str | int)}


@lru_cache(maxsize=4)
def _secrets_path(root: Path) -> Path:
    return root / ".streamlit" / "secrets.toml"


def secret(name: str, secrets_file: Path | None = None) -> str | None:
    """Return a token from the environment or `.streamlit/secrets.toml`, or None (cheap:
    `core.redaction` asks for every secret on each value it writes)."""
    value = os.environ.get(name)
    if value:
        return value
    return _secrets_file(secrets_file or _secrets_path(ROOT)).get(name) or None
