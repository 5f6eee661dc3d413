"""The paper's corpus shipped with SyncLens (core.corpus.embedded): derived, current, offline."""

from __future__ import annotations

import pandas as pd
import pytest
import requests
import responses

from core import store
from core.corpus import (
    EMBEDDED,
    RAW_BASE,
    ensure_paper_corpus,
    http_fetcher,
    import_embedded,
    import_paper,
    import_replication,
    load_corpus,
    read_embedded,
    read_folder,
)
from core.corpus.embedded import build_embedded, git_blob_id
from core.errors import SourceError


def test_the_shipped_copy_is_what_the_script_makes_of_the_replication_csvs(shared):
    source = read_embedded().source
    rebuilt = build_embedded(
        read_folder(shared / "corpus"), commit=source["commit"], date=source["date"]
    )
    assert rebuilt == EMBEDDED.read_bytes()
    assert len(rebuilt) < 300_000
    csv = (shared / "corpus" / "all_auto_and_manual_patterns.csv").read_bytes()
    assert source["files"]["all_auto_and_manual_patterns.csv"] == git_blob_id(csv)
    assert source["repository"] == "eyinlojuoluwa/Synchronization-Patterns"
    assert source["folder"] == "dataset/" and source["date"] == "2025-04-11"


def test_the_shipped_copy_loads_the_same_corpus_as_the_csvs(fresh_db, shared, tmp_path):
    report = import_embedded(fresh_db)
    assert (report.n_families, report.n_excluded, report.n_switches) == (338, 13, 3863)
    assert report.origin.startswith("the copy shipped with SyncLens")
    other = store.open_db(tmp_path / "csv.db")
    import_replication(other, shared / "corpus")
    for exclusions in (True, False):
        ours = load_corpus(fresh_db, exclusions=exclusions)
        theirs = load_corpus(other, exclusions=exclusions)
        columns = sorted(theirs.families.columns)
        pd.testing.assert_frame_equal(ours.families[columns], theirs.families[columns])
        pd.testing.assert_frame_equal(ours.switches, theirs.switches)
        pd.testing.assert_frame_equal(ours.published_dunn, theirs.published_dunn)
    models = "SELECT * FROM corpus_models ORDER BY model_id"
    pd.testing.assert_frame_equal(
        pd.read_sql_query(models, fresh_db.conn), pd.read_sql_query(models, other.conn)
    )


def test_ensure_loads_only_into_a_cache_without_the_papers_corpus(fresh_db, shared):
    assert ensure_paper_corpus(fresh_db) is not None
    assert ensure_paper_corpus(fresh_db) is None
    import_replication(fresh_db, shared / "corpus")
    assert ensure_paper_corpus(fresh_db) is None
    assert store.corpus_import_info(fresh_db, "paper")["origin"].endswith("corpus")


@responses.activate
def test_import_falls_back_to_the_shipped_copy_only_when_github_cannot_be_reached(fresh_db):
    responses.get(
        RAW_BASE + "dataset/all_auto_and_manual_patterns.csv",
        body=requests.ConnectionError("no route to host"),
    )
    report = import_paper(fresh_db, fetcher=http_fetcher())
    assert report.n_families == 338
    assert report.notes[-1].startswith("GitHub could not be reached (network): imported")
    assert len(load_corpus(fresh_db).families) == 325


def test_a_refusal_is_not_hidden_by_the_fallback(fresh_db):
    with pytest.raises(SourceError, match="has no") as err:
        import_paper(fresh_db, fetcher=lambda url: None)
    assert err.value.kind == "not_found"
    assert store.corpus_import_info(fresh_db, "paper") is None
