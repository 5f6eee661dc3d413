"""Whether two files hold the same content, told from blob ids, LFS sha256 and sizes alone."""

from __future__ import annotations

import hashlib

from core.records import RepoFile

EMPTY_BLOB = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"  # every empty file has this id
POINTER_MAX = 200  # bytes; an LFS pointer file is ~130


def lfs_pointer_blob(sha256: str, size: int) -> str:
    """The git blob id of the canonical LFS pointer for (sha256, size)."""
    text = f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {size}\n"
    data = text.encode()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _compare(hf: RepoFile, gh: RepoFile) -> tuple[str, str]:
    """(status, how) for one pair, from blob ids, LFS sha256 and sizes only."""
    if hf.blob_id and gh.blob_id and hf.blob_id == gh.blob_id:
        how = "same LFS object (equal pointer blobs)" if hf.lfs_sha256 else "same git blob id"
        return "identical", how
    if hf.lfs_sha256 and hf.lfs_size is not None:
        if gh.blob_id == lfs_pointer_blob(hf.lfs_sha256, hf.lfs_size):
            return "identical", "same LFS object (sha256 in the GitHub pointer)"
        if gh.size is None:
            return "unknown", (
                "LFS on the Hub; the GitHub listing has no size: cannot compare without download"
            )
        if gh.size <= POINTER_MAX < hf.lfs_size:
            return "different", "both LFS pointers, to different objects"
        if gh.size != hf.lfs_size:
            return "different", f"sizes differ ({hf.lfs_size:,} vs {gh.size:,} bytes)"
        return "unknown", (
            "LFS on the Hub only (sha256 vs git blob id), same size: cannot compare "
            "without download"
        )
    if gh.size is not None and hf.size is not None and gh.size <= POINTER_MAX < hf.size:
        return "unknown", (
            "the GitHub file may be an LFS pointer (LFS on one side): cannot compare "
            "without download"
        )
    return "different", "different git blob ids"
