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


def hub_endpoint() -> str | None:
    """The Hugging Face Hub to read: $HF_ENDPOINT (as huggingface_hub reads it), else the Hub."""
    return os.environ.get("HF_ENDPOINT") or None


def github_api() -> str | None:
    """The GitHub REST API to read: $SYNCLENS_GITHUB_API (a GitHub Enterprise or a test server)."""
    return os.environ.get("SYNCLENS_GITHUB_API") or None


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


def secret(name: str, secrets_file: Path | None = None) -> str | None:
    """Return a token from the environment or `.streamlit/secrets.toml`, or None."""
    value = os.environ.get(name)
    if value:
        return value
    file = secrets_file or ROOT / ".streamlit" / "secrets.toml"
    return _secrets_file(file).get(name) or None
