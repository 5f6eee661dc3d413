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
