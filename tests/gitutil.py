"""Real local git repositories for tests and benchmarks, built fast with `git fast-import`.

`build_repo(path, commits)` writes 20,000 dated commits in a few seconds (one `git commit` per
commit would take minutes). `history(family)` reads a real history from
`../shared/data/gh_histories/<family>.csv`, oldest first, ready to replay.
"""

from __future__ import annotations

import csv
import os
import subprocess
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
HISTORIES = SHARED / "data" / "gh_histories"

# (author_name, author_email, author_date, committer_date, message); dates ISO 8601 with offset
Commit = tuple[str, str, "str | datetime", "str | datetime", str]
# What one commit writes: path -> new content, None to delete the path.
Files = dict[str, "bytes | None"]


def git(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    stdin: bytes | None = None,
) -> str:
    """Run git quietly and return its stdout (raises on failure)."""
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        check=True,
        env={**os.environ, "LC_ALL": "C", **(env or {})},
    )
    return done.stdout.decode()


def raw_date(value: str | datetime) -> str:
    """`2024-01-02T03:04:05+05:30` -> `1704146045 +0530` (fast-import's raw date format)."""
    dt = datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else value
    offset = dt.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "-" if minutes < 0 else "+"
    return f"{int(dt.timestamp())} {sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _ident(name: str, email: str) -> str:
    clean_name = "".join(c for c in name if c not in "<>\n") or "unknown"
    clean_email = "".join(c for c in email if c not in "<>\n ")
    return f"{clean_name} <{clean_email}>"


def fast_import_stream(
    commits: Iterable[Commit],
    *,
    branch: str = "main",
    parent: str | None = None,
    files: Mapping[int, Files] | None = None,
) -> bytes:
    """A fast-import stream for `commits` (oldest first) on one linear branch.

    Commit i writes `files[i]` when given, else a line to `log.txt`.
    """
    out: list[bytes] = []
    for i, (name, email, authored, committed, message) in enumerate(commits):
        who = _ident(name, email)
        # git stores a final newline that GitHub and GitBackend drop; add it so messages
        # round-trip exactly
        data = (message + "\n").encode("utf-8")
        content = f"{i}\n".encode()
        out.append(
            f"commit refs/heads/{branch}\nmark :{i + 1}\n"
            f"author {who} {raw_date(authored)}\n"
            f"committer {who} {raw_date(committed)}\n".encode()
        )
        out.append(b"data %d\n" % len(data) + data + b"\n")
        if i == 0 and parent:
            out.append(f"from {parent}\n".encode())
        if files is not None and i in files:
            for path, data in files[i].items():
                if data is None:
                    out.append(f"D {path}\n".encode())
                else:
                    out.append(f"M 644 inline {path}\n".encode() + b"data %d\n" % len(data))
                    out.append(data + b"\n")
            continue
        out.append(b"M 644 inline log.txt\ndata %d\n" % len(content) + content + b"\n")
    out.append(b"done\n")
    return b"".join(out)


def build_repo(
    path: Path,
    commits: Iterable[Commit],
    *,
    branch: str = "main",
    files: Mapping[int, Files] | None = None,
) -> Path:
    """Create a git repository at `path` holding `commits` (oldest first); returns `path`.

    The repository allows partial-clone filters, like GitHub, so `--filter` really applies.
    """
    path.mkdir(parents=True, exist_ok=True)
    git("init", "--quiet", "--initial-branch", branch, cwd=path)
    git("config", "uploadpack.allowFilter", "true", cwd=path)
    git("config", "uploadpack.allowAnySHA1InWant", "true", cwd=path)
    return append_commits(path, commits, branch=branch, files=files)


def append_commits(
    path: Path,
    commits: Iterable[Commit],
    *,
    branch: str = "main",
    files: Mapping[int, Files] | None = None,
) -> Path:
    """Add `commits` (oldest first) on top of `branch` of an existing repository (commit i
    writes `files[i]` when given, see `fast_import_stream`)."""
    has_tip = (
        subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"],
            cwd=path,
            capture_output=True,
        ).returncode
        == 0
    )
    stream = fast_import_stream(
        commits, branch=branch, parent=f"refs/heads/{branch}^0" if has_tip else None, files=files
    )
    git("fast-import", "--quiet", "--done", cwd=path, stdin=stream)
    return path


def history(family: str, limit: int | None = None) -> list[Commit]:
    """A real GitHub history from the shared data, oldest first (the CSVs are newest first)."""
    with (HISTORIES / f"{family}.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    rows.reverse()
    if limit is not None:
        rows = rows[:limit]
    return [
        (r["author_name"], r["author_email"], r["author_date"], r["committer_date"], r["message"])
        for r in rows
    ]


def url_template(base: Path) -> str:
    """A GitBackend `url_template` that clones `base/<owner>/<name>` over file://."""
    return base.resolve().as_uri() + "/{repo}"
