"""Importing the paper's replication package into the cache (core.corpus)."""

from __future__ import annotations

import pandas as pd
import pytest
import requests
import responses
from conftest import FIXTURES

from core import store
from core.corpus import (
    FILES,
    RAW_BASE,
    github_repo_of,
    http_fetcher,
    import_replication,
    load_corpus,
)
from core.errors import InputError, SourceError
from core.vocabulary import PATTERNS

GARBAGE = FIXTURES / "corpus" / "garbage"


def counts(db) -> dict[str, int]:
    return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in store.CORPUS_TABLES}


def test_the_replication_folder_imports_338_families_and_3863_switches(fresh_db, shared):
    report = import_replication(fresh_db, shared / "corpus")
    assert (report.n_families, report.n_excluded, report.n_switches) == (338, 13, 3863)
    assert report.n_models == 986
    assert report.skipped == {}
    assert counts(fresh_db)["corpus_dunn"] == 64


def test_reimport_is_idempotent(fresh_db, shared):
    import_replication(fresh_db, shared / "corpus")
    first = counts(fresh_db)
    snapshot = pd.read_sql_query("SELECT * FROM corpus_families ORDER BY family", fresh_db.conn)
    import_replication(fresh_db, shared / "corpus")
    assert counts(fresh_db) == first
    again = pd.read_sql_query("SELECT * FROM corpus_families ORDER BY family", fresh_db.conn)
    pd.testing.assert_frame_equal(snapshot, again)


def test_replication_vocabulary_is_mapped_to_ours(fresh_db, shared):
    import_replication(fresh_db, shared / "corpus")
    fams = load_corpus(fresh_db, exclusions=False).families.set_index("family")
    yi = fams.loc["01-ai_YI"]
    assert (yi.lag, yi.sync_type, yi.intensity, yi.pattern) == (
        "Simultaneous",
        "CS",
        "F",
        "Frequent",
    )
    assert (yi.early_pattern, yi.late_pattern) == ("Frequent", "Intermittent")
    assert yi.age_group == "Intermediate" and yi.n_variants == 9
    assert set(fams["pattern"]) <= set(PATTERNS)
    assert set(fams["lag"]) == {"GH First", "HF First", "Simultaneous"}
    assert fams.loc["1-800-BAD-CODE_XLM-ROBERTA", "pattern"] == "Disperse"  # PSS


def test_exclusions_are_flags_applied_by_default_and_switchable_off(fresh_db, shared):
    import_replication(fresh_db, shared / "corpus")
    applied = load_corpus(fresh_db)
    kept = load_corpus(fresh_db, exclusions=False)
    assert len(applied.families) == 325 and len(kept.families) == 338
    excluded = set(kept.families.loc[kept.families["excluded"] == 1, "family"])
    assert {"facebook_fairseq", "intfloat_e5", "FacebookAI_XLM"} <= excluded
    assert len(excluded) == 13
    assert not excluded & set(applied.families["family"])
    # The replication package has no switches for the excluded families.
    assert len(applied.switches) == len(kept.switches) == 3863


def test_garbage_rows_are_skipped_and_counted_never_fatal(fresh_db):
    report = import_replication(fresh_db, GARBAGE)
    assert report.n_families == 4  # acme_ONE, acme_TWO, beta_three, delta_six (from codes)
    assert report.skipped["all_auto_and_manual_patterns.csv"] == 5
    assert report.skipped["GH_HF_commit_time_differences.csv"] == 5
    assert report.skipped["must_exclude_from_all_analysis.csv"] == 1  # unknown family
    assert report.n_switches == 6 and report.n_excluded == 1
    assert "dunn_test_results.csv" in report.missing_files
    fams = load_corpus(fresh_db, exclusions=False).families.set_index("family")
    assert fams.loc["delta_six", "pattern"] == "Intermittent"  # names empty, codes CSS
    assert fams.loc["delta_six", "excluded"] == 1
    assert fams.loc["acme_ONE", "pattern"] == "Disperse"  # first of the duplicated rows wins
    assert fams.loc["acme_TWO", "github_repo"] == "acme/two"
    assert pd.isna(fams.loc["acme_TWO", "similarity"])  # 1.7 is not a Jaccard score
    # "acme_one" in the switches file joins "acme_ONE" (keys are compared casefolded).
    switches = load_corpus(fresh_db).switches
    assert sorted(switches.loc[switches["family"] == "acme_ONE", "days"]) == [1, 17]


def test_a_failed_import_keeps_the_previous_corpus(fresh_db, tmp_path):
    import_replication(fresh_db, GARBAGE)
    before = counts(fresh_db)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match=r"all_auto_and_manual_patterns\.csv"):
        import_replication(fresh_db, empty)
    (empty / "all_auto_and_manual_patterns.csv").write_text("owner,family\n")
    (empty / "GH_HF_commit_time_differences.csv").write_text("family\n")
    with pytest.raises(InputError, match="no usable family"):
        import_replication(fresh_db, empty)
    assert counts(fresh_db) == before


def test_report_before_import_says_what_to_run(fresh_db):
    with pytest.raises(InputError, match="corpus import"):
        load_corpus(fresh_db)


@responses.activate
def test_download_reads_the_package_from_github_raw_urls(fresh_db):
    for names in FILES.values():
        for name in names:
            path = GARBAGE / name
            for prefix in ("dataset/", ""):
                url = RAW_BASE + prefix + name
                if path.is_file() and prefix == "dataset/":
                    responses.get(url, body=path.read_bytes())
                else:
                    responses.get(url, status=404)
    report = import_replication(fresh_db, None, fetcher=http_fetcher())
    assert report.origin == RAW_BASE and report.n_families == 4
    assert responses.assert_call_count(RAW_BASE + "dataset/grouped_data_RQ2.csv", 1)


@responses.activate
def test_network_failure_is_a_clear_source_error(fresh_db):
    responses.get(
        RAW_BASE + "dataset/all_auto_and_manual_patterns.csv",
        body=requests.ConnectionError("no route to host"),
    )
    with pytest.raises(SourceError, match="corpus import PATH") as err:
        import_replication(fresh_db, None, fetcher=http_fetcher())
    assert err.value.kind == "network"
    assert counts(fresh_db)["corpus_families"] == 0


def test_rate_limit_and_missing_required_files_are_source_errors(fresh_db):
    with responses.RequestsMock() as mock:
        mock.get(
            RAW_BASE + "dataset/all_auto_and_manual_patterns.csv",
            status=429,
            headers={"Retry-After": "60"},
        )
        with pytest.raises(SourceError) as err:
            import_replication(fresh_db, None, fetcher=http_fetcher())
        assert err.value.kind == "rate_limit" and err.value.retry_at == "60"
    with pytest.raises(SourceError, match="has no") as err:
        import_replication(fresh_db, None, fetcher=lambda url: None)
    assert err.value.kind == "not_found"


@pytest.mark.parametrize(
    ("url", "repo"),
    [
        ("https://github.com/google-research/bert", "google-research/bert"),
        ("https://github.com/acme/two/tree/main/sub", "acme/two"),
        ("https://github.com/delta/six.git", "delta/six"),
        ("not a url", None),
    ],
)
def test_github_repo_of(url, repo):
    assert github_repo_of(url) == repo


# --- the "mine" corpus: families analysed in SyncLens ---------------------------------------


def _commit(platform: str, repo: str, sha: str, when: str, login: str, title: str):
    from datetime import datetime

    from core.records import CommitRecord

    return CommitRecord(
        platform=platform,
        repo=repo,
        sha=sha,
        authored_at=datetime.fromisoformat(when),
        title=title,
        message=title,
        author_login=login,
    )


def test_mine_classifies_cached_families_with_the_engine(fresh_db, shared):
    from datetime import UTC, datetime

    from core.corpus import import_mine
    from core.labeling.text import commit_text, text_hash
    from core.records import Family, FamilyMember, ModelInfo

    fresh_db_family = Family("acme/one", "acme/one", (FamilyMember("acme/one-base", "user"),))
    store.save_family(fresh_db, fresh_db_family)
    store.save_family(fresh_db, Family("empty/repo", "empty/repo", ()))
    records = [
        _commit("GH", "acme/one", "g1", "2024-01-01T10:00:00+00:00", "ann", "Add model"),
        _commit("HF", "acme/one-base", "h1", "2024-01-03T09:00:00+00:00", "ann", "Upload"),
        _commit("GH", "acme/one", "g2", "2024-01-20T10:00:00+00:00", "bob", "Fix README"),
        _commit("HF", "acme/one-base", "h2", "2024-03-01T10:00:00+00:00", "cat", "Update"),
    ]
    store.save_commits(fresh_db, records)
    store.save_model_info(
        fresh_db, ModelInfo("acme/one-base", created_at=datetime(2024, 1, 3, tzinfo=UTC))
    )
    for rec, label in zip(
        records,
        ["Model Structure", "Model Structure", "External Documentation", "External Documentation"],
        strict=True,
    ):
        fresh_db["labels"].insert(
            {
                "text_hash": text_hash(commit_text(rec.platform, rec.title, rec.message)),
                "labeler": "test",
                "prompt_version": "1",
                "label": label,
                "created_at": "x",
            }
        )

    report = import_mine(fresh_db, now=datetime(2024, 6, 1, tzinfo=UTC))
    assert (report.corpus, report.n_families, report.n_switches) == ("mine", 1, 3)
    mine = load_corpus(fresh_db, "mine")
    row = mine.families.iloc[0]
    assert (row.family, row.lag, row.pattern, row.n_variants) == (
        "acme/one",
        "Simultaneous",
        "Sparse",
        1,
    )
    assert row.age_group == "Intermediate" and row.mean_age_days == 150
    assert row.similarity == 1.0  # both sides saw Model Structure and External Documentation
    assert (row.n_gh, row.n_hf, row.n_common) == (2, 2, 1)  # ann on both sides
    assert list(mine.switches["days"]) == [1, 17, 41]

    import_replication(fresh_db, shared / "corpus")
    both = load_corpus(fresh_db, "all")
    assert len(both.families) == 326 and set(both.families["corpus"]) == {"paper", "mine"}
    paper = load_corpus(fresh_db, "paper")
    assert len(paper.families) == 325  # paper untouched by mine

    from core.corpus.stats import corpus_report, place_family

    assert corpus_report(mine.families, mine.switches, sources=("mine",)).n_families == 1
    placed = place_family(paper.families, row)
    assert placed.group_size == 110 and placed.delay.value == row.mean_switch_days


def test_author_comparison_may_come_as_the_packages_json(fresh_db, tmp_path):
    """The package's dataset/ folder publishes the author comparison as pandas JSON."""
    folder = tmp_path / "package"
    folder.mkdir()
    for name in ("all_auto_and_manual_patterns.csv", "GH_HF_commit_time_differences.csv"):
        (folder / name).write_bytes((GARBAGE / name).read_bytes())
    pd.DataFrame(
        {
            "family": ["acme_ONE"],
            "authors_GH": [["https://github.com/a", "https://github.com/b"]],
            "authors_HF": [["https://github.com/a"]],
            "common_authors": [["https://github.com/a"]],
            "common_authors_count": [1],
        }
    ).to_json(folder / "family_author_comparison.json")
    report = import_replication(fresh_db, folder)
    assert "family_author_comparison.csv" not in report.missing_files
    row = load_corpus(fresh_db).families.set_index("family").loc["acme_ONE"]
    assert (row.n_gh, row.n_hf, row.n_common) == (2, 1, 1)
