"""The network clients of one run — the Hub, a GitHub backend per repository, the GitHub API —
built lazily from settings, so a command that needs no network never builds one.

The Family page keeps one `Clients` per process (`st.cache_resource`), each CLI command builds
its own, and tests hand in fakes with the same methods (`Sources`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from core import settings
from core.errors import SourceError
from core.ingest.fetch import GitHubSource
from core.records import CommitRecord


class Sources(Protocol):
    """What fetching a family needs: the Hub, and a GitHub backend chosen per repository."""

    def hub(self) -> Any: ...
    def github(self, repo: str, known_commits: int | None = None) -> tuple[GitHubSource, str]: ...


class Clients:
    """Clients built once, on first use, from settings (tokens never leave this object).

    `via` chooses how GitHub histories are read: "api", "git" or "auto" (see
    `core.ingest.sources.github.choose_backend`). Clones live under `cache_dir`.
    """

    def __init__(self, cache_dir: Path | None = None, *, via: str = "auto") -> None:
        self.cache_dir = cache_dir or settings.cache_dir()
        self.via = via
        self._hub: Any = None
        self._api: Any = None

    @classmethod
    def for_db(cls, db_arg: str | None = None, *, via: str = "auto") -> Clients:
        """Clients keeping their clones beside the cache file `db_arg` (`--db`, else default)."""
        return cls(settings.cache_dir(settings.db_path(db_arg)), via=via)

    def hub(self):
        """The Hugging Face client (token from the environment or secrets.toml, never shown)."""
        if self._hub is None:
            from core.ingest.sources.hf import connect_hub

            self._hub = connect_hub(readme_dir=self.cache_dir / "hf")
        return self._hub

    def github_api(self):
        """The PyGithub client (file listings, the API backend), built once."""
        if self._api is None:
            from core.ingest.sources.github_client import make_github_client

            self._api = make_github_client(settings.secret("GITHUB_TOKEN"))
        return self._api

    def github(self, repo: str, known_commits: int | None = None) -> tuple[GitHubSource, str]:
        """The backend for `repo` and one line saying which and why.

        A backend that cannot be set up (unknown repository, no network for the probe) comes
        back as a stand-in that fails with the reason, so the fetch report names it.
        """
        from core.ingest.sources.github import choose_backend

        token = settings.secret("GITHUB_TOKEN")
        try:
            return choose_backend(
                self.via,
                token=token,
                repo=repo,
                cache_dir=self.cache_dir,
                client=self.github_api() if token or self.via == "api" else None,
                known_commit_count=known_commits,
            )
        except SourceError as err:
            return Unavailable(err), str(err)

    def clone_of(self, repo: str | None) -> Path | None:
        """The local clone of `repo`, if a fetch through git made one."""
        if not repo:
            return None
        from core.ingest.sources.gitrepo import GitBackend

        path = GitBackend(self.cache_dir).path_for(repo)
        return path if path.exists() else None


class Unavailable:
    """Stands in for a GitHub backend that could not be set up, so the report names why."""

    name = "none"
    requests = 0

    def __init__(self, error: SourceError) -> None:
        self.error = error

    def iter_commits(self, repo: str, since: datetime | None = None) -> Iterator[CommitRecord]:
        raise self.error
