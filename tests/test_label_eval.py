"""Agreement between predicted and reference labels, and the `label-eval` command."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from core.labeling.evaluation import cohen_kappa, evaluate

ED, MS, SH = "External Documentation", "Model Structure", "Sharing"


def gold(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"platform": p, "text": f"t{i}", "label": lb} for i, (p, lb) in enumerate(rows)]
    )


def test_kappa_matches_a_hand_computed_example():
    # 2x2 table [[20, 5], [10, 15]]: po = 0.7, pe = 0.5*0.6 + 0.5*0.4 = 0.5 -> kappa 0.4
    g = ["a"] * 25 + ["b"] * 25
    p = ["a"] * 20 + ["b"] * 5 + ["a"] * 10 + ["b"] * 15
    assert cohen_kappa(g, p) == pytest.approx(0.4)
    assert cohen_kappa(["a", "b"], ["a", "b"]) == 1.0
    assert cohen_kappa(["a", "a"], ["a", "a"]) == 1.0
    assert math.isnan(cohen_kappa([], []))


def test_scores_per_platform_and_overall():
    ref = gold([("GH", ED), ("GH", ED), ("GH", MS), ("HF", SH), ("HF", MS)])
    report = evaluate(ref, [ED, MS, MS, SH, None])

    gh, hf = report.by_platform["GH"], report.by_platform["HF"]
    assert (gh.n, gh.accuracy) == (3, pytest.approx(2 / 3))
    assert gh.per_label.loc[ED, "recall"] == 0.5 and gh.per_label.loc[ED, "precision"] == 1.0
    assert gh.per_label.loc[MS, "precision"] == 0.5 and gh.per_label.loc[MS, "support"] == 1
    assert hf.accuracy == 0.5  # a missing prediction is a disagreement
    assert hf.confusion.loc[MS, "unlabeled"] == 1
    assert report.overall.n == 5 and report.overall.accuracy == pytest.approx(3 / 5)
    assert report.summary().loc["GH", "n"] == 3


def test_gold_labels_are_normalised_and_unknown_ones_ignored():
    ref = gold([("GH", "model structure"), ("GH", "not a label")])
    report = evaluate(ref, [MS, MS])
    assert report.overall.n == 1 and report.overall.accuracy == 1.0


def test_cli_label_eval_prints_the_report(cli, shared):
    result = cli("label-eval", shared / "labels" / "dev.csv")
    assert result.code == 0, result.err
    assert "== GH:" in result.out and "== HF:" in result.out
    assert "kappa" in result.out and "precision" in result.out
    assert "confusion (rows reference, columns predicted)" in result.out


def test_cli_label_eval_refuses_a_file_without_labels(cli, tmp_path):
    path = tmp_path / "gold.csv"
    path.write_text("platform,text\nGH,fix bug\n")
    result = cli("label-eval", path)
    assert result.code == 2 and "label" in result.err
