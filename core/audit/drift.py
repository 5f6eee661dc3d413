"""Content drift: watched files compared by blob id across GitHub and each variant."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from core.audit.blobs import EMPTY_BLOB, _compare
from core.audit.limits import Limitation, LimitKind
from core.audit.links import file_url
from core.audit.matching import CARD_NAMES, CRITICAL_FILE, KNOWN_FILE, _in_variant_folder, _pick
from core.audit.plain import _Plain
from core.records import FileListing, RepoFile

GITATTRIBUTES = ".gitattributes"


@dataclass(frozen=True)
class FileComparison(_Plain):
    """One file present on both sides (same path, or a known equivalent) and how they compare.

    `status`: "identical" (equal blob ids or the same LFS object), "different", or "unknown"
    (cannot tell without a download; `how` says why). `newer` is "GH", "HF" or None.
    """

    variant: str
    hf_path: str
    gh_path: str
    matched_by: str  # "path" | "variant folder" | "basename" | "model card"
    status: str
    how: str
    hf_url: str | None
    gh_url: str | None
    hf_blob: str | None = None
    gh_blob: str | None = None
    hf_size: int | None = None
    gh_size: int | None = None
    hf_lfs_sha256: str | None = None
    hf_changed_at: datetime | None = None
    gh_changed_at: datetime | None = None
    hf_date_source: str | None = None
    gh_date_source: str | None = None
    newer: str | None = None
    critical: bool = False
    note: str | None = None


@dataclass(frozen=True)
class OneSidedFile(_Plain):
    """A watched file found on one side only (`variant` names the HF repo it concerns)."""

    platform: str
    repo: str
    path: str
    url: str | None
    variant: str | None = None


@dataclass(frozen=True)
class RenamedFile(_Plain):
    """Same content (equal blob ids) under different paths: not matched by path."""

    variant: str
    hf_path: str
    gh_path: str
    blob_id: str
    hf_url: str | None
    gh_url: str | None


@dataclass(frozen=True)
class ContentDrift(_Plain):
    """Files compared by blob id across the GitHub repository and each variant."""

    checked: bool
    gh_revision: str | None
    variants_checked: tuple[str, ...]
    comparisons: tuple[FileComparison, ...]
    hf_only: tuple[OneSidedFile, ...]
    gh_only: tuple[OneSidedFile, ...]
    renamed: tuple[RenamedFile, ...]
    n_hf_only_other: int = 0  # unwatched HF files (weights...) with no GitHub counterpart

    def count(self, status: str) -> int:
        return sum(1 for c in self.comparisons if c.status == status)


class _TitleIndex:
    """Commit titles per repository, newest first, to find when a title last named a file."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.groups: dict[tuple[str, str], list[tuple[str, datetime]]] = {}

    def _titles(self, platform: str, repo: str) -> list[tuple[str, datetime]]:
        key = (platform, repo)
        if key not in self.groups:
            f = self.frame
            part = f[(f["platform"] == platform) & (f["repo"] == repo)]
            self.groups[key] = list(
                zip(
                    part["title"].str.lower().tolist()[::-1],
                    part["timestamp"].dt.to_pydatetime().tolist()[::-1],
                    strict=True,
                )
            )
        return self.groups[key]

    def date(self, platform: str, repo: str, path: str) -> datetime | None:
        """Newest commit whose title names the file (HF default titles: "Upload config.json")."""
        needle = path.lower()
        pattern = re.compile(r"(?<![\w.-])" + re.escape(needle) + r"(?![\w-])")
        for title, when in self._titles(platform, repo):
            if needle in title and pattern.search(title):
                return when
        return None


def _content_drift(
    variants: Sequence[str],
    frame: pd.DataFrame,
    hf_listings: Mapping[str, FileListing] | None,
    gh_listing: FileListing | None,
    gh_dates: Mapping[str, datetime],
    github_repo: str | None,
    limits: list[Limitation],
) -> ContentDrift:
    listed = {v: hf_listings[v] for v in variants if hf_listings and v in hf_listings}
    if gh_listing is None or not listed:
        if not any(lim.area == "drift" for lim in limits):
            kind = LimitKind.NO_LISTING if github_repo else LimitKind.NO_REPO
            why = (
                "no file listings were available"
                if github_repo
                else "no GitHub repository is known"
            )
            limits.append(Limitation("drift", kind, f"Content drift was not checked: {why}."))
        return ContentDrift(False, None, (), (), (), (), ())
    for v in variants:
        if v not in listed and not any(lim.repo == v and lim.area == "drift" for lim in limits):
            limits.append(
                Limitation(
                    "drift", LimitKind.NO_LISTING, f"No file listing for {v}; not compared.", v
                )
            )
    if gh_listing.truncated:
        limits.append(
            Limitation(
                "drift",
                LimitKind.NO_LISTING,
                f"GitHub truncated the file listing of {gh_listing.repo} (too many files); "
                "files missing from it may be reported as HF-only.",
                gh_listing.repo,
            )
        )
    gh_repo, gh_ref = gh_listing.repo, gh_listing.revision
    gh_files = {f.path: f for f in gh_listing.files}
    by_base: dict[str, list[str]] = {}
    by_blob: dict[str, list[str]] = {}
    for f in gh_listing.files:
        by_base.setdefault(posixpath.basename(f.path).lower(), []).append(f.path)
        if f.blob_id and f.blob_id != EMPTY_BLOB:
            by_blob.setdefault(f.blob_id, []).append(f.path)
    titles = _TitleIndex(frame)
    comparisons: list[FileComparison] = []
    hf_only: list[OneSidedFile] = []
    renamed: list[RenamedFile] = []
    gh_matched: set[str] = set()
    other = 0
    for variant, listing in listed.items():
        hf_ref = listing.revision
        for hf in listing.files:
            if hf.path == GITATTRIBUTES:
                continue
            base = posixpath.basename(hf.path).lower()
            known = bool(KNOWN_FILE.match(base))
            candidates: list[str] = []
            if known:
                names = CARD_NAMES if base in CARD_NAMES else (base,)
                candidates = [p for n in names for p in by_base.get(n, [])]
                if base in CARD_NAMES:  # a card must sit at the root or in the variant's folder
                    candidates = [
                        c for c in candidates if "/" not in c or _in_variant_folder(c, variant)
                    ]
            elif hf.path in gh_files:
                candidates = [hf.path]
            if candidates:
                gh_path, matched_by, note = _pick(candidates, hf.path, variant)
                gh_matched.add(gh_path)
                comparisons.append(
                    _comparison(
                        variant,
                        hf,
                        gh_files[gh_path],
                        matched_by,
                        note,
                        titles,
                        gh_repo,
                        gh_ref,
                        hf_ref,
                        gh_dates,
                    )
                )
                continue
            moved = by_blob.get(hf.blob_id or "", [])
            if moved:
                gh_matched.update(moved)
                renamed.append(
                    RenamedFile(
                        variant,
                        hf.path,
                        moved[0],
                        hf.blob_id or "",
                        file_url("HF", variant, hf.path, hf_ref),
                        file_url("GH", gh_repo, moved[0], gh_ref),
                    )
                )
            elif known:
                hf_only.append(
                    OneSidedFile(
                        "HF", variant, hf.path, file_url("HF", variant, hf.path, hf_ref), variant
                    )
                )
            else:
                other += 1
    gh_only = tuple(
        OneSidedFile("GH", gh_repo, f.path, file_url("GH", gh_repo, f.path, gh_ref))
        for f in gh_listing.files
        if f.path not in gh_matched
        and "/" not in f.path
        and KNOWN_FILE.match(posixpath.basename(f.path))
    )
    return ContentDrift(
        checked=True,
        gh_revision=gh_ref,
        variants_checked=tuple(listed),
        comparisons=tuple(comparisons),
        hf_only=tuple(hf_only),
        gh_only=gh_only,
        renamed=tuple(renamed),
        n_hf_only_other=other,
    )


def _comparison(
    variant: str,
    hf: RepoFile,
    gh: RepoFile,
    matched_by: str,
    note: str | None,
    titles: _TitleIndex,
    gh_repo: str,
    gh_ref: str,
    hf_ref: str,
    gh_dates: Mapping[str, datetime],
) -> FileComparison:
    status, how = _compare(hf, gh)
    hf_at = gh_at = None
    hf_src = gh_src = None
    if status != "identical":
        if hf.last_commit_at is not None:
            hf_at, hf_src = hf.last_commit_at, "hub listing"
        else:
            hf_at = titles.date("HF", variant, hf.path)
            hf_src = "commit title" if hf_at else None
        if gh.path in gh_dates:
            gh_at, gh_src = gh_dates[gh.path], "git log"
        elif gh.last_commit_at is not None:
            gh_at, gh_src = gh.last_commit_at, "listing"
        else:
            gh_at = titles.date("GH", gh_repo, gh.path)
            gh_src = "commit title" if gh_at else None
    newer = None
    if hf_at and gh_at and hf_at != gh_at:
        newer = "HF" if hf_at > gh_at else "GH"
    return FileComparison(
        variant=variant,
        hf_path=hf.path,
        gh_path=gh.path,
        matched_by=matched_by,
        status=status,
        how=how,
        hf_url=file_url("HF", variant, hf.path, hf_ref),
        gh_url=file_url("GH", gh_repo, gh.path, gh_ref),
        hf_blob=hf.blob_id,
        gh_blob=gh.blob_id,
        hf_size=hf.lfs_size if hf.lfs_size is not None else hf.size,
        gh_size=gh.size,
        hf_lfs_sha256=hf.lfs_sha256,
        hf_changed_at=hf_at,
        gh_changed_at=gh_at,
        hf_date_source=hf_src,
        gh_date_source=gh_src,
        newer=newer,
        critical=bool(CRITICAL_FILE.match(posixpath.basename(hf.path))),
        note=note,
    )
