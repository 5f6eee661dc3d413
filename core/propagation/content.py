"""File versions: each distinct content a repository held, keyed so that equal content matches.

A content key is the git blob id, or `lfs:<sha256>` for an LFS object: a pointer blob whose
sha256 some listing told (the Hub's does), or the canonical pointer of a known sha256, maps to
the same key, so a pointer on GitHub matches the LFS file on the Hub.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from core.propagation.records import DELETED

EMPTY_BLOB = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"  # every empty file: matches nothing
NEVER = pd.Timestamp("2262-01-01", tz="UTC")  # "still held": sorts after every real time
VERSION_COLUMNS = ("platform", "repo", "key", "sha", "time", "path", "name", "change", "end")


def pointer_blob(sha256: str, size: int) -> str:
    """The git blob id of the canonical LFS pointer file for (sha256, size)."""
    data = f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {size}\n"
    raw = data.encode()
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


def content_keys(changes: pd.DataFrame) -> pd.Series:
    """One content key per change row (None for deletions)."""
    blob = changes["blob_id"]
    sha256 = changes["lfs_sha256"]
    lfs = sha256.notna() & (sha256 != "")
    pointers: dict[str, str] = {}
    for b, s, n in zip(blob[lfs], sha256[lfs], changes["lfs_size"][lfs], strict=True):
        pointers[b] = f"lfs:{s}"
        if n == n and n is not None:
            pointers[pointer_blob(s, int(n))] = f"lfs:{s}"
    key = blob.map(pointers).fillna(blob) if pointers else blob.copy()
    key[lfs] = "lfs:" + sha256[lfs]
    return key.where(changes["change"] != DELETED)


def file_versions(changes: pd.DataFrame) -> pd.DataFrame:
    """One row per (platform, repo, content key): where and when it first appeared, and `end`,
    when the repository stopped holding it at every path (`NEVER` while it still does).

    Empty files are left out: every empty file has the same blob id.
    """
    if changes.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in VERSION_COLUMNS})
    data = changes if "key" in changes.columns else changes.assign(key=content_keys(changes))
    # when each row's content left its path: the next change of the same path (numpy sort;
    # sorting the frame by its text columns costs several times more)
    file = data.groupby(["platform", "repo", "path"], sort=False).ngroup().to_numpy()
    times = data["time"].to_numpy()
    order = np.lexsort((times, file))
    following = np.empty(len(order), dtype=times.dtype)
    following[order[:-1]] = times[order[1:]]
    same_file = np.zeros(len(order), dtype=bool)
    same_file[order[:-1]] = file[order[:-1]] == file[order[1:]]
    data = data.assign(end=pd.Series(following, index=data.index).where(same_file, NEVER))
    kept = data[data["key"].notna() & (data["key"] != EMPTY_BLOB)]
    ends = kept.groupby(["platform", "repo", "key"], sort=False)["end"].max()
    first = kept.sort_values("time", kind="stable").drop_duplicates(["platform", "repo", "key"])
    first = first.drop(columns="end").join(ends, on=["platform", "repo", "key"])
    first["name"] = basename(first["path"])
    return first[list(VERSION_COLUMNS)].reset_index(drop=True)


def basename(paths: pd.Series) -> np.ndarray:
    """The file name of each path (HF repositories flatten GitHub's folders)."""
    return np.array([p.rpartition("/")[2] for p in paths.to_numpy(object)], dtype=object)


def carries(frame: pd.DataFrame, paths: set[str], names: set[str]) -> np.ndarray:
    """Whether each file of `frame` (with `path` and `name`) is also among `paths`, by whole
    path, or among `names`, by file name."""
    return np.array(
        [
            p in paths or n in names
            for p, n in zip(
                frame["path"].to_numpy(object), frame["name"].to_numpy(object), strict=True
            )
        ],
        dtype=bool,
    )


def matched_by(left: pd.Series, right: pd.Series) -> np.ndarray:
    """How two paths holding the same content relate: "path", "name" or "content"."""
    same = left.to_numpy() == right.to_numpy()
    name = basename(left) == basename(right)
    return np.where(same, "path", np.where(name, "name", "content"))
