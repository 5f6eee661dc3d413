"""`python -m core propagation TARGET` on a cached family whose clones are already made."""

from __future__ import annotations

import csv
import io
import json

import pytest
from propagation_family import GH_REPO, ONE, SEVEN, cache_family


@pytest.fixture
def cached(tmp_path, db_file):
    return cache_family(db_file, tmp_path / "remote")


def test_the_table_names_sources_measures_and_the_matrix(cli, cached, db_file):
    result = cli("--db", db_file, "propagation", GH_REPO, "--offline")
    assert result.code == 0, result.err
    assert f"GH {GH_REPO}: blobless git clone, 24 commit(s)" in result.out
    assert "Per variant:" in result.out and "Per-file matrix" in result.out
    assert "late 9 d" in result.out or "late 3 d" in result.out
    assert "No file history cached for: acme/llm-gated" in result.out
    assert "warning: no file history cached for acme/llm-gated" in result.err


def test_json_has_every_part(cli, cached, db_file):
    result = cli("--db", db_file, "propagation", SEVEN, "--offline", "--format", "json")
    body = json.loads(result.out)
    assert body["family"] == "SeaLLMs" and body["summary"]["variants"] == 4
    seven = next(v for v in body["variants"] if v["variant"] == SEVEN)
    assert seven["reached"] == 6 and seven["share"] == pytest.approx(6 / 7, abs=1e-3)
    assert {link["kind"] for link in body["links"]} == {"content", "message"}
    assert all(isinstance(link["source_time"], str) for link in body["links"])


def test_csv_has_one_row_per_file_version_and_variant(cli, cached, db_file):
    result = cli("--db", db_file, "propagation", GH_REPO, "--offline", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert {r["status"] for r in rows} == {"reached", "never"}
    assert any(r["variant"] == ONE and r["path"] == "config.json" for r in rows)


def test_an_unknown_family_is_refused(cli, db_file):
    result = cli("--db", db_file, "propagation", "nobody/nothing", "--offline")
    assert result.code == 2 and "not in the cache" in result.err


def test_nothing_cached_to_measure_is_exit_2_not_a_report_of_zeros(cli, db_file, shared):
    from seed import seed

    from core import store

    db = store.open_db(db_file)
    seed(db, "Qwen_Qwen", shared)  # commits, but no file history and no clone
    db.close()
    result = cli("--db", db_file, "propagation", "Qwen/Qwen-7B", "--offline")
    assert result.code == 2
    assert "error: nothing measured: no file history is cached for" in result.err


def test_an_empty_cache_says_so_when_a_family_is_not_found(cli, tmp_path):
    """A mistyped --db opens a new, empty cache: the message says which one."""
    where = tmp_path / "typo.db"
    result = cli("--db", where, "propagation", "acme/llm", "--offline")
    assert result.code == 2 and f"The cache at {where} holds no family yet" in result.err
