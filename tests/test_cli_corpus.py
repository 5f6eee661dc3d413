"""`python -m core corpus import` and `corpus-report`: the command-line contract."""

from __future__ import annotations

import json
import re

import responses
from requests import ConnectionError

from core.corpus.paper import PATTERN_SHARE as PATTERNS  # the paper's Figure 22


def test_corpus_report_on_an_empty_cache_loads_the_shipped_copy_and_says_so(cli, db_file):
    result = cli("--db", db_file, "corpus-report")
    assert result.code == 0, result.err
    assert "loaded the copy shipped with SyncLens" in result.err
    report = json.loads(result.out)
    assert report["n_families"] == 325 and report["pattern_share"] == PATTERNS
    again = cli("--db", db_file, "corpus-report")
    assert again.code == 0 and again.err == ""  # loaded once, then read from the cache


@responses.activate
def test_import_without_network_uses_the_shipped_copy_and_says_so(cli, db_file):
    responses.get(re.compile(r"https://raw\.githubusercontent\.com/.*"), body=ConnectionError())
    result = cli("--db", db_file, "corpus", "import")
    assert result.code == 0, result.err
    assert "338 families (13 flagged as excluded), 3863 switches" in result.out
    assert "GitHub could not be reached (network)" in result.out
    assert "the copy shipped with SyncLens" in result.out


def test_import_then_report_json_contract(cli, db_file, shared):
    imported = cli("--db", db_file, "corpus", "import", shared / "corpus")
    assert imported.code == 0, imported.err
    assert "338 families (13 flagged as excluded), 3863 switches" in imported.out

    result = cli("--db", db_file, "corpus-report", "--format", "json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    for key in (
        "n_families",
        "pattern_share",
        "lag_share",
        "mean_switch_days_by_lag",
        "mean_switch_days_by_pattern",
        "n_switches",
        "dunn_bonferroni",
        "kruskal_wallis",
        "chi_square",
    ):
        assert key in report, key
    assert report["n_families"] == 325 and report["n_switches"] == 3863
    assert report["pattern_share"] == PATTERNS
    assert report["lag_share"] == {"GH First": 56.0, "Simultaneous": 23.1, "HF First": 20.9}
    assert report["mean_switch_days_by_lag"] == {
        "GH First": 15.82,
        "HF First": 22.35,
        "Simultaneous": 9.32,
    }
    days = report["mean_switch_days_by_pattern"]
    assert [
        days[p]
        for p in (
            "Frequent",
            "Intermittent",
            "Dense Partial",
            "Sparse",
            "Rare Disjoint",
            "Sporadic Disjoint",
        )
    ] == [0.87, 1.17, 3.68, 26.98, 109.39, 127.39]
    assert set(report["dunn_bonferroni"]) == set(PATTERNS)
    assert report["dunn_bonferroni"]["Frequent"]["Intermittent"] == 1.0
    for by in ("lag", "pattern"):
        kw = report["kruskal_wallis"][by]
        assert kw["statistic"] > 0 and 0 <= kw["p"] < 0.05 and kw["epsilon_squared"] > 0
    chi = report["chi_square"]["pattern_by_maturity"]
    assert chi["dof"] == 14 and 0 < chi["cramers_v"] <= 1
    assert report["published_dunn_max_abs_diff"] < 1e-9


def test_no_exclusions_and_table_format(cli, db_file, shared):
    cli("--db", db_file, "corpus", "import", shared / "corpus")
    report = json.loads(cli("--db", db_file, "corpus-report", "--no-exclusions").out)
    assert report["n_families"] == 338 and report["exclusions"] is False
    table = cli("--db", db_file, "corpus-report", "--format", "table")
    assert table.code == 0
    assert "Disperse               39.4 %   (paper 39.4 %)" in table.out


def test_reimport_and_bad_folder(cli, db_file, tmp_path, shared):
    assert cli("--db", db_file, "corpus", "import", shared / "corpus").code == 0
    assert cli("--db", db_file, "corpus", "import", shared / "corpus").code == 0
    bad = cli("--db", db_file, "corpus", "import", tmp_path / "nowhere")
    assert bad.code == 2 and "not a folder" in bad.err
    report = json.loads(cli("--db", db_file, "corpus-report").out)
    assert report["n_families"] == 325


def test_mine_source_without_import_says_how(cli, db_file):
    result = cli("--db", db_file, "corpus-report", "--source", "mine")
    assert result.code == 2 and "corpus import --mine" in result.err


def test_a_replication_file_that_is_not_utf8_is_named(cli, db_file, tmp_path, shared):
    import shutil

    folder = tmp_path / "corpus"
    shutil.copytree(shared / "corpus", folder)
    with (folder / "GH_HF_commit_time_differences.csv").open("ab") as fh:
        fh.write(b"\xff\xfe")
    result = cli("--db", db_file, "corpus", "import", folder)
    assert result.code == 2
    assert "GH_HF_commit_time_differences.csv: not UTF-8 text" in result.err
