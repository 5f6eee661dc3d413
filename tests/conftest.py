"""Shared fixtures: the ../shared data folder, a fresh SQLite cache, and a CLI runner."""

from __future__ import annotations

import io
import os
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from core import store
from core.cli import main

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _no_secrets_or_default_cache(monkeypatch, tmp_path):
    """Tests never see real tokens and never write the developer's cache/synclens.db."""
    for name in ("HF_TOKEN", "GITHUB_TOKEN", "ANTHROPIC_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SYNCLENS_DB", str(tmp_path / "default-cache.db"))
    monkeypatch.setattr("core.settings.ROOT", tmp_path)


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not next to the repository")
    return SHARED


@pytest.fixture
def db_file(tmp_path) -> Path:
    return tmp_path / "synclens.db"


@pytest.fixture
def fresh_db(db_file):
    """A real SQLite file with the schema, as the app and the CLI open it."""
    db = store.open_db(db_file)
    yield db
    db.close()


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli():
    """Run `python -m core ...` in-process and capture exit code, stdout and stderr."""

    def run(*args: str) -> Result:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as exc:  # argparse usage errors and --help
                code = int(exc.code or 0)
        return Result(code, out.getvalue(), err.getvalue())

    return run


def commits(rows: list[tuple], family: str | None = None) -> pd.DataFrame:
    """A small engine frame from (platform, model, iso-date) tuples, for examples in tests."""
    frame = pd.DataFrame(rows, columns=["platform", "model", "timestamp"])
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    if family is not None:
        frame.insert(0, "family", family)
    return frame


def rebuilt_timelines(shared_dir: Path) -> pd.DataFrame:
    """86 realistic families: real GitHub author dates plus the HF commit times that the
    paper's switch table gives (semireal/families.csv ships without HF dates)."""
    switches = pd.read_csv(shared_dir / "corpus" / "GH_HF_commit_time_differences.csv")
    switches["key"] = switches["family"].str.lower()
    index = pd.read_csv(shared_dir / "data" / "gh_histories" / "INDEX.csv")
    lo, hi = pd.Timestamp("2016-01-01", tz="UTC"), pd.Timestamp("2024-10-13", tz="UTC")
    parts = []
    for fam in index["family"]:
        path = shared_dir / "data" / "gh_histories" / f"{fam}.csv"
        if not path.exists():  # INDEX lists a few repositories whose fetch failed
            continue
        gh = pd.read_csv(path, usecols=["author_date"])
        ts = pd.to_datetime(gh["author_date"], utc=True, format="ISO8601")
        ts = ts[(ts >= lo) & (ts <= hi)]
        parts.append(pd.DataFrame({"family": fam, "platform": "GH", "model": "", "timestamp": ts}))
        s = switches[switches["key"] == fam.lower()]
        hf = pd.concat(
            [s.loc[s["source"] == "HF", "prev_commit"], s.loc[s["target"] == "HF", "next_commit"]]
        ).drop_duplicates()
        parts.append(
            pd.DataFrame(
                {
                    "family": fam,
                    "platform": "HF",
                    "model": f"{fam}/pooled",
                    "timestamp": pd.to_datetime(hf, utc=True),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


__all__ = ["FIXTURES", "REPO", "SHARED", "commits", "os", "rebuilt_timelines"]
