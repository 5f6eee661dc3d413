"""File changes from a blobless clone: `git log --raw` gives every commit's paths and blob ids
from trees alone, so nothing of the files' content is ever downloaded.

`--no-renames` keeps a move as a deletion plus an addition with the same blob id (the content
is what propagates, whatever its path); merges show no changes of their own (their content
came from the commits they merge). A refresh reads only commits not read before, by feeding
their shas to `git log --no-walk --stdin`; commits read before that HEAD no longer reaches
(a force push) are reported as gone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from core.errors import SourceError
from core.ingest.sources.gitrepo import reachable_shas, read_local
from core.propagation.records import DELETED, FileChange, FileCommit, FileHistory

# A commit starts with \x01; its fields, and then each raw line's meta and path, end with NUL.
_FORMAT = "--format=%x01%H%x00%aI%x00%P"
_LOG = ["log", "--raw", "--no-renames", "--no-abbrev", "-z", "--no-color", _FORMAT]
SUBMODULE = "160000"


def read_history(path: Path, platform: str, repo: str, scanned: set[str]) -> FileHistory:
    """The file changes of every commit of the clone at `path` not in `scanned` (offline).

    Raises:
        SourceError: the clone lacks trees (an old treeless clone) or git failed.
    """
    reachable = reachable_shas(path, repo)
    gone = tuple(sorted(scanned.difference(reachable)))
    if not scanned:
        out = read_local(path, repo, [*_LOG, "HEAD"]) if reachable else b""
    else:
        new = [sha for sha in reachable if sha not in scanned]
        stdin = "\n".join(new).encode() + b"\n"
        out = (
            read_local(path, repo, [*_LOG, "--no-walk=unsorted", "--stdin"], stdin) if new else b""
        )
    commits, changes = parse_raw_log(out.decode("utf-8", errors="surrogateescape"), repo)
    return FileHistory(platform, repo, "git", commits, changes, gone)


def parse_raw_log(output: str, repo: str) -> tuple[tuple[FileCommit, ...], tuple[FileChange, ...]]:
    """`git log --raw -z` output (with `_FORMAT`) as commits and their file changes."""
    commits: list[FileCommit] = []
    changes: list[FileChange] = []
    try:
        for chunk in output.split("\x01")[1:]:
            fields = chunk.split("\0")
            sha, authored, parents = fields[0], fields[1], fields[2]
            commits.append(
                FileCommit(
                    sha, datetime.fromisoformat(authored).astimezone(UTC), tuple(parents.split())
                )
            )
            for i in range(3, len(fields) - 1, 2):
                meta = fields[i].lstrip("\n")
                if not meta:
                    continue
                _, mode, _, blob, status = meta.split(" ")
                if mode == SUBMODULE:
                    continue
                kind = status[0]
                changes.append(
                    FileChange(sha, fields[i + 1], kind, None if kind == DELETED else blob)
                )
    except (IndexError, ValueError) as exc:
        raise SourceError(
            f"git log gave unreadable file changes for {repo}; delete its clone and read "
            "the file history again.",
            kind="malformed",
            repo=repo,
        ) from exc
    return tuple(commits), tuple(changes)
