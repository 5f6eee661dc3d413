"""Typed records that data becomes the moment it arrives from a client or a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

GH = "GH"
HF = "HF"
PLATFORMS = (GH, HF)


@dataclass(frozen=True)
class CommitRecord:
    """One commit on either platform, with its raw text and its author (UTC times).

    `authored_at` is what the analysis uses (the paper used the GitHub author date);
    `committed_at` is kept for GitHub, where it can differ after rebases.
    """

    platform: str
    repo: str
    sha: str
    authored_at: datetime
    title: str = ""
    message: str = ""
    author_name: str | None = None
    author_email: str | None = None
    author_login: str | None = None
    committed_at: datetime | None = None
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModelInfo:
    """What the Hub says about one model repository.

    The Hub reports no `created_at` earlier than 2022-03-02 (its migration date), so
    `first_commit_at` is kept beside it and `created` picks the earlier of the two.
    """

    model_id: str
    created_at: datetime | None = None
    first_commit_at: datetime | None = None
    last_modified: datetime | None = None
    downloads: int | None = None
    likes: int | None = None
    pipeline_tag: str | None = None
    gated: bool = False
    private: bool = False
    sha: str | None = None
    card_links: tuple[str, ...] = ()

    @property
    def created(self) -> datetime | None:
        dates = [d for d in (self.created_at, self.first_commit_at) if d is not None]
        return min(dates) if dates else None


@dataclass(frozen=True)
class FamilyMember:
    """One HF variant of a family and where SyncLens learned of it."""

    model_id: str
    source: str  # "card" | "corpus" | "search" | "user"
    detail: str = ""


@dataclass(frozen=True)
class Family:
    """A GitHub repository and its HF variants (the unit every analysis works on)."""

    name: str
    github_repo: str | None
    members: tuple[FamilyMember, ...] = field(default_factory=tuple)

    @property
    def variants(self) -> tuple[str, ...]:
        return tuple(m.model_id for m in self.members)


# --- repository file listings (the audit's content-drift check) ---------------------------------


@dataclass(frozen=True)
class RepoFile:
    """One file of a repository listing, compared without downloading it.

    `blob_id` is the git blob sha1 of what git stores: for an LFS file that is the pointer
    file, so two LFS files with equal pointers have equal blob ids. `lfs_sha256`/`lfs_size`
    describe the real content when the listing says the file is in LFS (the Hub does;
    GitHub's tree API cannot tell a pointer from a small file). `last_commit_at` is set
    only when the source gave it for free.
    """

    path: str
    blob_id: str | None
    size: int | None = None
    lfs_sha256: str | None = None
    lfs_size: int | None = None
    last_commit_at: datetime | None = None
    last_commit_id: str | None = None


@dataclass(frozen=True)
class FileListing:
    """Every file of one repository at one revision, as one listing call returned it.

    `truncated` is True when the source stopped early (GitHub's tree API does above
    100,000 entries / 7 MB); `requests` counts the HTTP requests the listing cost.
    """

    platform: str
    repo: str
    revision: str
    files: tuple[RepoFile, ...]
    source: str = "api"  # "api" or "git" (a local clone, no request)
    truncated: bool = False
    requests: int = 1
