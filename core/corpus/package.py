"""The paper's replication package: its files, got from GitHub or a folder, read as tables."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from core.errors import InputError, SourceError

REPLICATION_REPO = "eyinlojuoluwa/Synchronization-Patterns"
RAW_BASE = f"https://raw.githubusercontent.com/{REPLICATION_REPO}/main/"
# The package keeps its CSVs in `dataset/`; older commits had some at the top level, and the
# author comparison is published there as JSON, so each file has fallbacks in order.
REMOTE_PREFIXES = ("dataset/", "")
FILES: dict[str, tuple[str, ...]] = {
    "patterns": ("all_auto_and_manual_patterns.csv",),
    "switches": ("GH_HF_commit_time_differences.csv",),
    "models": ("complete_dataset.csv",),
    "exclusions": ("must_exclude_from_all_analysis.csv",),
    "grouped": ("grouped_data_RQ2.csv",),
    "similarity": ("family_similarity_scores.csv",),
    "early_late": ("RQ2_early_late_pattern.csv",),
    "authors": ("family_author_comparison.csv", "family_author_comparison.json"),
    "dunn": ("dunn_test_results.csv",),
}
REQUIRED = ("patterns", "switches")


Fetcher = Callable[[str], bytes | None]
"""Fetch a URL: its bytes, None when it does not exist (404); raises SourceError otherwise."""


def http_fetcher(session=None, *, timeout: float = 30.0) -> Fetcher:
    """A Fetcher over `requests` (one session, reused); 404 means "no such file"."""
    import requests

    http = session or requests.Session()

    def fetch(url: str) -> bytes | None:
        try:
            response = http.get(url, timeout=timeout)
        except requests.Timeout as err:
            raise SourceError(
                f"Downloading {url} timed out. Check your connection and run "
                "`python -m core corpus import` again, or pass a folder with "
                "the replication CSVs.",
                kind="timeout",
                repo=REPLICATION_REPO,
            ) from err
        except requests.RequestException as err:
            raise SourceError(
                f"Could not reach GitHub to download {url} ({type(err).__name__})."
                " Check your network, or pass a folder with the replication "
                "CSVs: `python -m core corpus import PATH`.",
                kind="network",
                repo=REPLICATION_REPO,
            ) from err
        if response.status_code == 404:
            return None
        if response.status_code in (403, 429):
            raise SourceError(
                f"GitHub refused {url} (HTTP {response.status_code}, rate limit)."
                " Wait a few minutes and try again, or import from a folder.",
                kind="rate_limit",
                repo=REPLICATION_REPO,
                retry_at=response.headers.get("Retry-After"),
            )
        if response.status_code >= 400:
            raise SourceError(
                f"GitHub answered HTTP {response.status_code} for {url}. Try again "
                "later, or import from a folder.",
                kind="server",
                repo=REPLICATION_REPO,
            )
        return response.content

    return fetch


def download_package(fetcher: Fetcher, base: str = RAW_BASE) -> tuple[dict[str, bytes], str]:
    """Download the replication files (required ones must exist); returns (files, origin)."""
    files: dict[str, bytes] = {}
    for names in FILES.values():
        for name in names:
            for prefix in REMOTE_PREFIXES:
                data = fetcher(base + prefix + name)
                if data is not None:
                    files[name] = data
                    break
            if name in files:
                break
    missing = [FILES[k][0] for k in REQUIRED if not any(n in files for n in FILES[k])]
    if missing:
        raise SourceError(
            f"The replication package at {base} has no {', '.join(missing)}. "
            "Download it by hand and run `python -m core corpus import PATH`.",
            kind="not_found",
            repo=REPLICATION_REPO,
        )
    return files, base


def read_folder(folder: Path) -> dict[str, bytes]:
    """The replication files present in a folder (required ones must be there)."""
    if not folder.is_dir():
        raise InputError(
            f"{folder} is not a folder. Give the folder holding the replication "
            "CSVs (e.g. ../shared/corpus), or nothing to download them."
        )
    files = {
        name: (folder / name).read_bytes()
        for names in FILES.values()
        for name in names
        if (folder / name).is_file()
    }
    missing = [FILES[k][0] for k in REQUIRED if not any(n in files for n in FILES[k])]
    if missing:
        raise InputError(
            f"{folder} has no {', '.join(missing)}; it does not look like the "
            "replication package's dataset/ folder."
        )
    return files


class _Skips:
    """Counts skipped rows per file (bad CSV lines and rows that fail validation)."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.unreadable: dict[str, str] = {}  # file name -> why it could not be read at all

    def add(self, name: str, n: int = 1) -> None:
        if n:
            self.counts[name] = self.counts.get(name, 0) + n


def _read_table(files: dict[str, bytes], key: str, skips: _Skips) -> pd.DataFrame | None:
    """One replication file as a frame of strings; malformed lines are skipped and counted."""
    for name in FILES[key]:
        if name not in files:
            continue
        data = files[name]
        try:
            if name.endswith(".json"):
                return pd.read_json(io.BytesIO(data), dtype=False)
            bad: list[list[str]] = []

            def on_bad(line: list[str], bad: list[list[str]] = bad) -> None:
                bad.append(line)
                return None

            frame = pd.read_csv(
                io.BytesIO(data),
                dtype=str,
                keep_default_na=False,
                engine="python",
                on_bad_lines=on_bad,
            )
            skips.add(name, len(bad))
            return frame
        except UnicodeDecodeError:
            skips.add(name, 1)
            skips.unreadable[name] = "not UTF-8 text"
            return None
        except (ValueError, pd.errors.ParserError):
            skips.add(name, 1)
            skips.unreadable[name] = "not readable as CSV" if name.endswith(".csv") else "not JSON"
            return None
    return None
