"""The learned labeler: the shipped model, deterministic training, hybrid with Claude
(replayed responses, no network), the CLI paths and the cache key per labeler."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from anthropic_replay import Replay, labels_reply

from core.labeling import DEFAULT_LABELER, build_labeler
from core.labeling.claude import ClaudeLabeler
from core.labeling.labels import label_commits
from core.labeling.learned.dataset import labeled_texts, read_labels
from core.labeling.learned.labeler import HybridLabeler, LearnedLabeler
from core.labeling.learned.model import load_model
from core.labeling.learned.train import fit

KNOWN = [
    ("GH", "Update README.md", "External Documentation"),
    ("GH", "Bump transformers from 4.30.0 to 4.31.0", "Update Dependency"),
    ("GH", "Add evaluation script for MMLU", "Validation Infrastructure"),
    ("GH", "Initial commit", "Project Metadata"),
    ("GH", "Merge branch 'main' of https://github.com/a/b", "Sharing"),
    ("HF", "Upload tokenizer.json", "Preprocessing"),
    ("HF", "Adding `safetensors` variant of this model (#1)", "Output Data"),
    ("HF", "Training in progress, step 500", "Training Infrastructure"),
]


def test_the_shipped_model_labels_known_texts_with_a_confidence():
    labeler = LearnedLabeler()
    platforms, texts, expected = (list(x) for x in zip(*KNOWN, strict=True))
    answers = labeler.label_with_confidence(texts, platforms)
    assert [lb for lb, _ in answers] == expected
    assert all(0.5 < c <= 1 for _, c in answers)
    assert labeler.label(["", "  "], ["GH", "HF"]) == [None, None]
    assert labeler.name == DEFAULT_LABELER == "learned" and labeler.version == "learned-2"


def test_the_model_file_is_small_plain_numpy_and_records_its_training():
    model = load_model()
    assert model.weights.dtype == np.float32
    assert model.weights.shape == (model.featurizer.n_features, len(model.labels))
    assert model.info["labels_sha256"] and set(model.info["cv"]) == {"GH", "HF"}
    assert (
        len(model.info["cv_rows"])
        == len(model.info["cv_predicted"])
        == model.info["n_train"]["GH"] + model.info["n_train"]["HF"]
    )


def test_every_labeled_commit_resolves_to_its_text(shared):
    labels = read_labels()
    assert set(labels["split"]) == {"train", "test"}
    assert labels[labels["platform"] == "GH"].groupby("split").size().to_dict() == {
        "test": 356,
        "train": 3672,
    }
    frame = labeled_texts(shared)  # raises when any id has no text
    assert len(frame) == len(labels) and frame["text"].str.strip().ne("").all()


def test_training_is_deterministic(shared):
    frame = labeled_texts(shared, split="train").iloc[::15].reset_index(drop=True)
    labels = tuple(sorted(set(frame["label"])))
    first, second = fit(frame, 1.0, labels), fit(frame, 1.0, labels)
    assert first.vocabulary == second.vocabulary
    assert np.array_equal(first.weights, second.weights)
    assert np.array_equal(first.bias, second.bias)


def test_hybrid_asks_claude_only_about_unsure_texts():
    texts, platforms = ["Update README.md", "misc"], ["GH", "GH"]
    sure = LearnedLabeler().label_with_confidence(texts, platforms)
    threshold = (sure[0][1] + sure[1][1]) / 2  # README is sure, "misc" is not
    assert sure[1][1] < threshold < sure[0][1]
    replay = Replay([labels_reply(["Project Metadata"])])
    hybrid = HybridLabeler(ClaudeLabeler(replay.client()), threshold=threshold)
    assert hybrid.label(texts, platforms) == ["External Documentation", "Project Metadata"]
    assert len(replay.requests) == 1 and hybrid.deferred == 1
    assert '"text": "misc"' in replay.requests[0]["messages"][0]["content"]
    assert hybrid.usage.requests == 1
    assert hybrid.version.startswith("learned-2+appendix-a-v1:")


def test_hybrid_without_a_key_keeps_the_learned_labels_and_counts_them():
    hybrid = build_labeler("hybrid")
    texts, platforms = ["Update README.md", "misc"], ["GH", "GH"]
    assert hybrid.label(texts, platforms) == LearnedLabeler().label(texts, platforms)
    assert hybrid.version == "learned-2+offline@0.5"


def test_each_labeler_has_its_own_cache_entries(fresh_db):
    frame = pd.DataFrame({"platform": ["GH", "GH"], "text": ["fix typo in docs", "misc"]})
    _, rules = label_commits(fresh_db, frame, build_labeler("rules"))
    _, learned = label_commits(fresh_db, frame, build_labeler("learned"))
    _, again = label_commits(fresh_db, frame, build_labeler("learned"))
    assert (rules.n_new, learned.n_new, learned.n_cached, again.n_cached) == (2, 2, 0, 2)
    rows = {(r["labeler"], r["prompt_version"]) for r in fresh_db["labels"].rows}
    assert rows == {("rules", "rules-4"), ("learned", "learned-2")}
    confidences = [r["confidence"] for r in fresh_db["labels"].rows_where("labeler = 'learned'")]
    assert all(0 < c <= 1 for c in confidences)


@pytest.mark.parametrize("name", ["learned", "hybrid"])
def test_cli_label_with_the_learned_and_hybrid_labelers(cli, tmp_path, name):
    path = tmp_path / "in.csv"
    path.write_text("platform,text\nGH,Update README.md\nGH,misc\n")
    result = cli("--db", tmp_path / "c.db", "label", path, "--labeler", name)
    assert result.code == 0, result.err
    assert "External Documentation" in result.out
    assert f"labeler {name} (learned-2" in result.err
    if name == "hybrid":
        assert "would go to Claude with ANTHROPIC_API_KEY" in result.err


def test_cli_label_defaults_to_the_learned_labeler(cli, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("platform,text\nGH,Update README.md\n")
    result = cli("--db", tmp_path / "c.db", "label", path)
    assert result.code == 0 and "labeler learned (learned-2)" in result.err


def _same_matrix(a, b) -> bool:
    """Entry for entry, in the same order (so products add in the same order too)."""
    return (
        a.shape == b.shape
        and np.array_equal(a.indptr, b.indptr)
        and np.array_equal(a.indices, b.indices)
        and np.array_equal(a.data, b.data)
    )


def test_the_batch_is_built_column_wise_exactly_as_text_by_text(shared):
    """Reading all texts' features at once is only a speed-up: every factor of the batch
    equals reading the texts one by one, entry for entry, on every real text and on words
    beyond ASCII, long words, digits and underscores."""
    import real_texts

    from core.labeling.learned.features import Featurizer, prepare
    from core.labeling.rules import label_texts

    pool = real_texts.real_texts(shared).drop_duplicates("text")
    texts = [*pool["text"], "", "x" * 70 + " yy", "naïve café über 修改", "__init__ a_b 12 x9"]
    platforms = [*pool["platform"], "GH", "HF", "GH", "HF"]
    prepared = [prepare(t) for t in texts]
    rules = label_texts(texts, platforms)
    model = load_model()
    one_by_one = Featurizer(model.vocabulary).batch_one_by_one(prepared, platforms, rules)
    at_once = Featurizer(model.vocabulary).batch(prepared, platforms, rules)
    for part in ("counts", "chars", "words", "pairs", "extra"):
        assert _same_matrix(getattr(at_once, part), getattr(one_by_one, part)), part
    assert np.array_equal(at_once.scale_chars, one_by_one.scale_chars)
    assert np.array_equal(at_once.scale_words, one_by_one.scale_words)
    assert np.array_equal(at_once.times(model.weights), one_by_one.times(model.weights))
