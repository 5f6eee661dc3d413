"""Agreement between predicted and reference labels, and the `label-eval` command."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from core.labeling.comparison import agreement, kappa_and_accuracy
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
    assert math.isnan(cohen_kappa(["a", "a"], ["a", "a"]))  # one class: undefined
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
    result = cli("label-eval", shared / "labels" / "dev.csv", "--labeler", "rules")
    assert result.code == 0, result.err
    assert "dev       GH   rules  83 0.867 [" in result.out  # the side-by-side row with its CI
    assert "== GH:" in result.out and "== HF:" in result.out
    assert "kappa" in result.out and "precision" in result.out
    assert "confusion (rows reference, columns predicted)" in result.out


def test_cli_label_eval_refuses_a_file_without_labels(cli, tmp_path):
    path = tmp_path / "gold.csv"
    path.write_text("platform,text\nGH,fix bug\n")
    result = cli("label-eval", path)
    assert result.code == 2 and "label" in result.err


def test_vectorised_kappa_agrees_with_scikit_learn():
    from sklearn.metrics import cohen_kappa_score

    rng = np.random.default_rng(1)
    g, p = rng.integers(0, 5, size=(2, 300))
    p[:200] = g[:200]
    acc, kappa = kappa_and_accuracy(g[None], p[None], 5)
    assert kappa[0] == pytest.approx(cohen_kappa_score(g, p))
    assert kappa[0] == pytest.approx(cohen_kappa([str(x) for x in g], [str(x) for x in p]))
    assert acc[0] == pytest.approx((g == p).mean())


def test_agreement_has_a_bootstrap_interval_around_it():
    gold = [ED] * 40 + [MS] * 40 + [SH] * 20
    pred = [ED] * 35 + [MS] * 5 + [MS] * 38 + [None] * 2 + [SH] * 20
    a = agreement(gold, pred, "x", "set", "GH")
    assert a.accuracy == pytest.approx(0.93)
    assert a.accuracy_ci[0] < a.accuracy < a.accuracy_ci[1]
    assert a.kappa_ci[0] < a.kappa < a.kappa_ci[1]
    assert a.confusion.loc[MS, "unlabeled"] == 2 and a.confusion.to_numpy().sum() == 100
    assert agreement(gold, pred, "x", "set", "GH").accuracy_ci == a.accuracy_ci  # fixed seed


def test_cli_label_eval_compares_labelers_on_the_standard_sets(cli, shared):
    result = cli("label-eval", "--format", "json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["labelers"] == {"rules": "rules-4", "learned": "learned-2"}
    seen = {(r["reference"], r["platform"], r["labeler"]) for r in report["results"]}
    for reference in ("test", "dev", "train-cv"):
        for platform in ("GH", "HF", "all"):
            assert {(reference, platform, "rules"), (reference, platform, "learned")} <= seen
    for r in report["results"]:
        matrix = np.array(r["confusion"]["matrix"])
        assert matrix.shape == (len(r["confusion"]["labels"]),) * 2 and matrix.sum() == r["n"]
        assert r["accuracy_ci"][0] <= r["accuracy"] <= r["accuracy_ci"][1]
        assert r["kappa_ci"][0] <= r["kappa"] <= r["kappa_ci"][1]
    cv = [r for r in report["results"] if r["reference"] == "train-cv"]
    assert all("unlabeled" not in r["confusion"]["labels"] for r in cv)  # out-of-fold labels
    test_gh = {r["labeler"]: r for r in report["results"] if r["reference"] == "test"}
    assert test_gh["learned"]["n"] == 476  # 356 GH + 120 HF held-out texts (the "all" row)


def test_cli_label_eval_rejects_an_unknown_labeler(cli, shared):
    result = cli("label-eval", "--labeler", "rules,oracle")
    assert result.code == 2 and "oracle" in result.err


def test_cli_label_eval_of_a_gold_file_with_two_labelers_is_side_by_side_only(cli, tmp_path):
    path = tmp_path / "gold.csv"
    path.write_text("platform,text,label\nGH,Update README.md,External Documentation\n")
    result = cli("label-eval", path, "--labeler", "rules,learned")
    assert result.code == 0, result.err
    assert "labelers: rules (rules-4), learned (learned-2)" in result.out
    rows = [line.split()[:5] for line in result.out.splitlines()[2:]]
    assert rows == [["gold", "GH", "rules", "1", "1.000"], ["gold", "GH", "learned", "1", "1.000"]]
    assert "confusion" not in result.out


def test_cli_label_eval_says_which_gold_rows_it_leaves_out(cli, tmp_path):
    gold = tmp_path / "gold.csv"
    gold.write_text(
        "platform,text,label\n"
        "GH,fix bug,Not A Label\n"
        "gh ,add readme,External Documentation\n"
        "GH,,Model Structure\n"
    )
    result = cli("label-eval", str(gold), "--labeler", "rules", "--format", "json")
    assert result.code == 0
    assert "1 row(s) of" in result.err and "'Not A Label'" in result.err
    assert "no text to label (first: data row 3" in result.err
    assert json.loads(result.out)["results"][0]["n"] == 1


def test_cli_label_eval_refuses_a_platform_it_does_not_know(cli, tmp_path):
    gold = tmp_path / "gold.csv"
    gold.write_text("platform,text,label\nXX,fix bug,Model Structure\n")
    result = cli("label-eval", str(gold), "--labeler", "rules")
    assert result.code == 2 and "'XX', data row 1" in result.err


def test_cli_label_eval_of_gold_rows_without_text_is_an_error(cli, tmp_path):
    gold = tmp_path / "gold.csv"
    gold.write_text("platform,text,label\nGH,,Model Structure\nGH,`code`,Sharing\n")
    result = cli("label-eval", str(gold), "--labeler", "rules")
    assert result.code == 2 and "has both a change type and a text" in result.err


def test_kappa_of_a_single_reference_class_is_shown_as_undefined(cli, tmp_path):
    gold = tmp_path / "gold.csv"
    gold.write_text("platform,text,label\nGH,add readme,External Documentation\n")
    result = cli("label-eval", str(gold), "--labeler", "rules")
    assert result.code == 0 and "- (one reference class)" in result.out
    body = json.loads(cli("label-eval", str(gold), "--labeler", "rules", "--format", "json").out)
    assert body["results"][0]["kappa"] is None
