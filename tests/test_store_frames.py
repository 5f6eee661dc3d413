"""The columnar copy of a family's lean frame: read back exactly as the rows give it, and
never used after any write to the family's commits, whichever path makes it."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from core import store
from core.records import CommitRecord, Family, FamilyMember
from core.store import frames

WHEN = datetime(2024, 3, 1, tzinfo=UTC)


def _commit(platform: str, repo: str, sha: str, minutes: int, **fields) -> CommitRecord:
    when = WHEN + timedelta(minutes=minutes)
    return CommitRecord(
        platform=platform,
        repo=repo,
        sha=sha,
        authored_at=when,
        committed_at=when,
        title=fields.pop("title", f"update {sha}"),
        message=fields.pop("message", f"update {sha}"),
        **fields,
    )


@pytest.fixture
def family(fresh_db) -> Family:
    store.save_commits(
        fresh_db,
        [
            _commit("GH", "acme/llm", "g1", 0, author_name="Ada", author_login="ada"),
            _commit("GH", "acme/llm", "g2", 5),  # no author: None, not "" or NaN
            _commit("HF", "acme/llm-7b", "h1", 3, author_name="Bob"),
        ],
    )
    family = Family(
        name="acme/llm",
        github_repo="acme/llm",
        members=(FamilyMember("acme/llm-7b", "user", ""),),
    )
    store.save_family(fresh_db, family)
    return family


def _rows_read(db, family: Family, details: bool = False) -> pd.DataFrame:
    """The frame as the rows give it (no copy in the way)."""
    db.execute("DELETE FROM family_frames")
    return store.family_commits(db, family, details=details)


def _copies(db) -> int:
    return db.execute("SELECT count(*) FROM family_frames").fetchone()[0]


def test_the_copy_reads_back_exactly_as_the_rows(fresh_db, family):
    first = store.family_commits(fresh_db, family, details=False, keep_copy=True)
    assert _copies(fresh_db) == 1
    again = store.family_commits(fresh_db, family, details=False, keep_copy=True)
    pd.testing.assert_frame_equal(again, first, check_exact=True)
    assert list(again.dtypes) == list(first.dtypes)
    assert again["author_name"].tolist() == ["Ada", "Bob", None]
    assert list(again["platform"].cat.categories) == ["GH", "HF"]
    assert again["timestamp"].dt.tz is first["timestamp"].dt.tz  # the same tz object


def test_the_full_frame_has_its_own_copy(fresh_db, family):
    """The Family page's frame, texts included, is copied apart from the lean one."""
    full = store.family_commits(fresh_db, family, keep_copy=True)
    assert _copies(fresh_db) == 1
    again = store.family_commits(fresh_db, family)
    pd.testing.assert_frame_equal(again, full, check_exact=True)
    assert again["message"].tolist() == full["message"].tolist()
    assert again["author_email"].tolist() == [None, None, None]
    store.family_commits(fresh_db, family, details=False, keep_copy=True)
    assert _copies(fresh_db) == 2


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(
            lambda db: store.save_commits(db, [_commit("GH", "acme/llm", "g3", 9)]), id="new"
        ),
        pytest.param(
            lambda db: store.save_commits(
                db, [_commit("HF", "acme/llm-7b", "h1", 3, author_name="Robert")]
            ),
            id="upsert-in-place",
        ),
        pytest.param(
            lambda db: db.execute("UPDATE commits SET author_login = 'ada2' WHERE sha = 'g1'"),
            id="hand-run-update",
        ),
        pytest.param(lambda db: db.execute("DELETE FROM commits WHERE sha = 'g2'"), id="delete"),
    ],
)
@pytest.mark.parametrize("details", [False, True], ids=["lean", "full"])
def test_any_write_to_the_commits_makes_the_copy_stale(fresh_db, family, write, details):
    store.family_commits(fresh_db, family, details=details, keep_copy=True)  # copied
    write(fresh_db)
    fresh_db.conn.commit()
    after = store.family_commits(fresh_db, family, details=details, keep_copy=True)
    pd.testing.assert_frame_equal(after, _rows_read(fresh_db, family, details), check_exact=True)


def test_a_write_to_another_repository_makes_the_copy_stale_too(fresh_db, family):
    """One count for all writes (a count per repository cost a fifth of every save)."""
    store.family_commits(fresh_db, family, details=False, keep_copy=True)
    stamp = _stamp(fresh_db)
    store.save_commits(fresh_db, [_commit("GH", "other/repo", "o1", 1)])
    assert _stamp(fresh_db) != stamp
    assert frames.saved_frame(fresh_db, f"lean:{family.name}", _stamp(fresh_db)) is None


def test_a_new_member_changes_what_is_read(fresh_db, family):
    store.family_commits(fresh_db, family, details=False, keep_copy=True)
    store.save_commits(fresh_db, [_commit("HF", "acme/llm-13b", "h9", 1)])
    grown = Family(
        name=family.name,
        github_repo=family.github_repo,
        members=(*family.members, FamilyMember("acme/llm-13b", "user", "")),
    )
    assert (
        "h9" in store.family_commits(fresh_db, grown, details=False, keep_copy=True)["sha"].tolist()
    )


@pytest.mark.parametrize(
    "damage",
    [
        "frame = x'00ff'",
        "frame = substr(frame, 1, length(frame) - 20)",  # cut short
        "frame = 'not a blob'",
    ],
    ids=["garbage", "truncated", "text"],
)
def test_a_damaged_copy_is_read_past_and_replaced(fresh_db, family, damage):
    expected = store.family_commits(fresh_db, family, details=False, keep_copy=True)
    fresh_db.execute(f"UPDATE family_frames SET {damage}")
    fresh_db.conn.commit()
    pd.testing.assert_frame_equal(
        store.family_commits(fresh_db, family, details=False, keep_copy=True),
        expected,
        check_exact=True,
    )
    assert frames.saved_frame(fresh_db, f"lean:{family.name}", _stamp(fresh_db)) is not None


def test_a_copy_that_cannot_be_written_costs_nothing_but_time(fresh_db, family, db_file):
    """Another process holds the write lock: the frame is read from the rows and returned."""
    other = sqlite3.connect(db_file)
    other.execute("BEGIN IMMEDIATE")
    try:
        found = store.family_commits(fresh_db, family, details=False, keep_copy=True)
    finally:
        other.rollback()
        other.close()
    assert found["sha"].tolist() == ["g1", "h1", "g2"]
    assert _copies(fresh_db) == 0


def _stamp(db) -> str:
    return frames.frame_stamp(db, [("HF", "acme/llm-7b"), ("GH", "acme/llm")])


def test_a_read_keeps_a_copy_only_when_asked_and_uses_one_anyway(fresh_db, family, monkeypatch):
    """Readers that read once after a fetch (batch, watch, export) write no copy; the
    report and the app keep one, which every reader then uses."""
    store.family_commits(fresh_db, family)
    store.family_commits(fresh_db, family, details=False)
    assert _copies(fresh_db) == 0
    kept = store.family_commits(fresh_db, family, keep_copy=True)
    served = []
    read = frames.saved_frame
    monkeypatch.setattr(
        "core.store.commits.saved_frame", lambda *a: served.append(read(*a)) or served[-1]
    )
    pd.testing.assert_frame_equal(store.family_commits(fresh_db, family), kept, check_exact=True)
    assert served and served[-1] is not None  # from the copy


def test_a_family_without_usable_commits_keeps_no_copy(fresh_db, family):
    """An empty frame would come back without its platform categories."""
    fresh_db.execute("UPDATE commits SET authored_at = 'not a time', committed_at = NULL")
    fresh_db.conn.commit()
    empty = store.family_commits(fresh_db, family, keep_copy=True)
    assert empty.empty and list(empty["platform"].cat.categories) == ["GH", "HF"]
    assert _copies(fresh_db) == 0
