"""Issue 11, failure 2: "database is locked" with several writers.

Before: a deferred transaction read, then tried to upgrade to a write; SQLite answers BUSY at
once in that case instead of waiting, so with 4-8 writers most `complete_fetch` calls failed
after ~0.03 s and 11 of 24 concurrent `python -m core fetch` runs exited 1. Here real
processes (and threads with their own connections) write one real SQLite file at once.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from conftest import REPO
from loopback import FakeGitHub, FakeHub, env

from core import store
from core.records import CommitRecord

pytestmark = pytest.mark.hardening

WRITERS, ROUNDS = 8, 3
FAMILIES = {  # GitHub repository -> its HF variants and their commit counts
    f"acme/tool{i}": {f"acme/tool{i}-7b": 120, f"acme/tool{i}-7b-chat": 60 + i}
    for i in range(WRITERS // 2)
}
GH_COMMITS = 250


def records(repo: str, n: int, offset: int = 0) -> list[CommitRecord]:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    return [
        CommitRecord("HF", repo, f"{repo}:{i}", start + timedelta(hours=i), title=f"c{i}")
        for i in range(offset, offset + n)
    ]


def test_writers_in_threads_all_succeed_each_in_one_transaction(db_file):
    """Fetch completions, label saves and corpus imports at once, each on its own connection."""
    store.open_db(db_file).close()
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def writer(n: int) -> None:
        db = store.open_db(db_file)
        try:
            start.wait()
            for r in range(5):
                repo = f"org/model-{n}"
                run = store.start_run(db, "HF", repo, "hub")
                store.complete_fetch(db, run, "HF", repo, records(repo, 200, r * 10))
                store.save_labels(
                    db,
                    {(f"{n}-{r}-{i}", "GH"): ("Documentation", None) for i in range(300)},
                    "x",
                    "1",
                )
                store.replace_corpus(
                    db,
                    f"mine-{n}",
                    {
                        "corpus_families": [
                            {"family": f"f{i}", "family_key": f"f{i}"} for i in range(50)
                        ]
                    },
                    origin="test",
                )
        except BaseException as err:  # collected: the assertion below names it
            errors.append(err)
        finally:
            db.close()

    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(writer, range(WRITERS)))

    assert errors == []
    db = store.open_db(db_file)
    for n in range(WRITERS):
        assert store.count_commits(db, "HF", f"org/model-{n}") == 240
    assert db.execute("SELECT count(*) FROM labels").fetchone()[0] == WRITERS * 5 * 300
    assert (
        db.execute("SELECT count(*) FROM fetch_runs WHERE status != 'complete'").fetchone()[0] == 0
    )
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()


def test_a_write_transaction_holds_the_write_lock_from_its_start(db_file):
    """BEGIN IMMEDIATE: a second writer waits for the first instead of failing on upgrade."""
    first, second = store.open_db(db_file), store.open_db(db_file)
    with store.transaction(first):
        assert first.conn.in_transaction
        second.conn.execute("PRAGMA busy_timeout=50")
        with pytest.raises(Exception, match="locked"), store.transaction(second):
            pass  # the lock is taken at BEGIN, not at the first write
    with store.transaction(second):
        second.execute(
            "INSERT INTO labels (text_hash, labeler, prompt_version, label, created_at) "
            "VALUES ('h', 'x', '1', 'Other', 'now')"
        )
    assert first.execute("SELECT count(*) FROM labels").fetchone()[0] == 1
    first.close()
    second.close()


@pytest.fixture
def servers():
    hub, github = FakeHub(), FakeGitHub()
    for repo, variants in FAMILIES.items():
        github.add_repo(repo, GH_COMMITS, prefix=repo)
        for model, n in variants.items():
            hub.add_model(model, n, github=repo)
    yield hub, github
    hub.server.close()
    github.server.close()


def run_fetches(db_file, hub, github, extra: list[str]) -> list[subprocess.CompletedProcess]:
    environ = {**os.environ, **env(hub, github), "SYNCLENS_DB": str(db_file)}
    targets = [m for variants in FAMILIES.values() for m in variants]  # 8: two per family
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "core", "fetch", target, "--via", "api", *extra],
            cwd=REPO,
            env=environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for target in targets
    ]
    done = []
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        done.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return done


def test_eight_concurrent_cli_fetches_three_rounds_lose_nothing(db_file, servers):
    hub, github = servers
    failures = []
    for round_, extra in enumerate([[], ["--refresh"], ["--full"]]):
        if round_:
            for repo, variants in FAMILIES.items():  # new commits upstream between rounds
                for model in variants:
                    hub.add_model(model, len(hub.models[model].commits) + 5, github=repo)
        for proc in run_fetches(db_file, hub, github, extra):
            if proc.returncode != 0:
                failures.append((round_, proc.args[3], proc.returncode, proc.stderr[-800:]))

    assert failures == []
    db = store.open_db(db_file)
    for repo, variants in FAMILIES.items():
        assert store.count_commits(db, "GH", repo) == GH_COMMITS
        for model in variants:
            assert store.known_shas(db, "HF", model) == {c["id"] for c in hub.models[model].commits}
        family = store.load_family(db, repo)
        assert family is not None and set(family.variants) == set(variants)
    assert (
        db.execute("SELECT count(*) FROM fetch_runs WHERE status != 'complete'").fetchone()[0] == 0
    )
    duplicates = "SELECT count(*) FROM (SELECT 1 FROM commits GROUP BY platform, repo, sha HAVING count(*) > 1)"
    assert db.execute(duplicates).fetchone()[0] == 0
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
