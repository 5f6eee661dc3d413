"""The SQLite cache: what a complete fetch writes, keeps and drops."""

from datetime import UTC, datetime

from core import store
from core.records import CommitRecord


def commit(sha: str, day: int) -> CommitRecord:
    return CommitRecord("HF", "org/model", sha, datetime(2024, 1, day, tzinfo=UTC), title=sha)


def test_a_whole_history_listing_replaces_what_was_rewritten(fresh_db):
    run = store.start_run(fresh_db, "HF", "org/model", "hub")
    store.complete_fetch(
        fresh_db, run, "HF", "org/model", [commit("a", 1), commit("b", 2)], present={"a", "b"}
    )
    run = store.start_run(fresh_db, "HF", "org/model", "hub")
    saved = store.complete_fetch(
        fresh_db, run, "HF", "org/model", [commit("a", 1), commit("c", 3)], present={"a", "c"}
    )
    assert saved == store.SavedFetch(n_new=1, n_removed=1)
    assert store.known_shas(fresh_db, "HF", "org/model") == {"a", "c"}


def test_an_incremental_listing_only_adds(fresh_db):
    run = store.start_run(fresh_db, "HF", "org/model", "hub")
    store.complete_fetch(fresh_db, run, "HF", "org/model", [commit("a", 1)])
    run = store.start_run(fresh_db, "HF", "org/model", "hub")
    store.complete_fetch(fresh_db, run, "HF", "org/model", [commit("b", 2)])
    assert store.known_shas(fresh_db, "HF", "org/model") == {"a", "b"}


def test_the_cache_is_shared_safely(db_file):
    """WAL and a busy timeout: several app sessions and a CLI can use one file."""
    db = store.open_db(db_file)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_find_family_prefers_the_name_then_the_repository_then_a_member(fresh_db):
    from core.records import Family, FamilyMember

    store.save_family(fresh_db, Family("org/tool", "org/tool", (FamilyMember("org/a", "card"),)))
    store.save_family(fresh_db, Family("other/x", "other/x", (FamilyMember("org/tool", "user"),)))
    assert store.find_family(fresh_db, "ORG/tool").name == "org/tool"
    assert store.find_family(fresh_db, "org/a").name == "org/tool"
    assert store.find_family(fresh_db, "nobody/none") is None


def test_commit_texts_follow_the_frame_and_mark_unknown_commits(fresh_db):
    import pandas as pd

    when = datetime(2024, 1, 2, tzinfo=UTC)
    store.save_commits(
        fresh_db,
        [CommitRecord("GH", "o/r", "s1", when, title="Fix", message="Fix\n\nbody")],
    )
    asked = pd.DataFrame(
        {"platform": ["GH", "GH"], "repo": ["o/r", "o/r"], "sha": ["missing", "s1"]},
        index=[5, 3],
    )
    texts = store.commit_texts(fresh_db, asked)
    assert list(texts.index) == [5, 3]
    assert texts.loc[5].isna().all()
    assert texts.loc[3, "message"] == "Fix\n\nbody"


def test_a_variant_listed_twice_is_read_once(fresh_db):
    from core.records import Family, FamilyMember

    when = datetime(2024, 1, 2, tzinfo=UTC)
    store.save_commits(fresh_db, [CommitRecord("HF", "o/m", "h1", when, title="Upload")])
    member = FamilyMember("o/m", "user", "")
    family = Family(name="o/m", github_repo=None, members=(member, member))
    for details in (True, False):
        assert store.family_commits(fresh_db, family, details=details)["sha"].tolist() == ["h1"]
