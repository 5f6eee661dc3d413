"""Reading all texts at once (column by column) is only a speed-up: every text reads as
`reading.read` reads it alone, on every real text and on built edge cases."""

from __future__ import annotations

from unittest.mock import patch

import pytest
import real_texts
from hypothesis import given, settings
from hypothesis import strategies as st

from core.labeling.rules import columns, reading, typos

EDGES = [
    "",
    "   ",
    "\n\n",
    "Fix\ttokenizer   padding  ",
    "Fix tokenizer\r\n\r\nIt padded on the left.\r\n",
    "Update README\rwith a lone carriage return",
    "update \x0bconfig",  # a line boundary for Python only: read one by one
    "Signed-off-by: A <a@b.c>",
    "Fix eval\n\nSigned-off-by: A <a@b.c>\nCo-authored-by: B <b@c.d>",
    "Merge branch 'dev'\n\nConflicts:\n\tmodel.py",
    "Fix loss\n~~~conflicts: not a list\nmore",
    "Merge branch 'main' into dev",
    "Merge branch 'main' into dev\n\nsync upstream",
    "Merge branch 'feature' into 'main'\n\nAdd evaluation on MMLU",
    "Merge pull request #12 from someone/main\n\nAdd evaluation on MMLU and GSM8K",
    "Merge pull request #3 from org/dev\n\nDev",
    "Merge pull request #3 from org/fix-readme_typo",
    "Merge pull request #4 from org/",
    "docs: explain the cache",
    "ci(build): pin actions",
    "Feat: add beam search",
    "Upload `config.json`",
    "Use <b>bold</b> in the card &lt;3",
    "Fix ```python\nx = 1\n``` block",
    "Add `trainer.py` and ~~old~~ notes",
    "Upload tokenizer.json",
    "Delete pytorch_model.bin",
    "remove requirements.txt",
    "Create eval_mmlu.py",
    "Update bot.py for multi-gpu",
    "update MAX_LEN.py",  # a plain source file whose words settle it: no fallback kept
    "upload model files in utils.py",
    "Update finetune_llama3.py and data/x.csv",
    "Update v1.2.3 notes.",
    "Upload folder using huggingface_hub",
    "upload 3 files",
    "change MAX_NEW_TOKENS to 512",
    "lr=3e-4, bs=64",
    "修改了量化readme",
    "Fix ＴＯＫＥＮＩＺＥＲ width",
    "* \n* fix\n- item",
    "---\nFix something",
    "x" * 1500,
    "Fix a\n" + "\n".join(f"line {i} " + "y" * 30 for i in range(40)),
    "Headline\n" + "z" * 238 + "\nnext line\nlast",
    "Headline\n" + "z" * 239 + "\nnext line",
]


def _read_each(texts: list[str], platform: str) -> list:
    return [reading.read(t, platform) for t in texts]


def _read_all(texts: list[str], platform: str) -> list:
    with patch.object(columns, "FEW", 0):  # column-wise even for a few texts
        found = columns.read_all(texts, [platform] * len(texts))
    return [found.row(i, platform) for i in range(len(texts))]


@pytest.mark.parametrize("platform", ["GH", "HF"])
def test_edge_cases_read_as_one_by_one(platform):
    assert _read_all(EDGES, platform) == _read_each(EDGES, platform)


@pytest.mark.parametrize("platform", ["GH", "HF"])
def test_every_real_text_reads_as_one_by_one(shared, platform):
    texts = real_texts.unique_real_texts(shared)
    assert _read_all(texts, platform) == _read_each(texts, platform)


FRAGMENTS = [
    "Merge pull request #1 from a/dev",
    "Merge branch 'x'",
    "fix",
    "Update",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "`",
    "```",
    "~~~",
    "<b>",
    "</b>",
    "&",
    "&amp;",
    "<!--",
    "-->",
    "Signed-off-by: x",
    "conflicts:",
    "docs:",
    "(x)",
    "!",
    ".py",
    "config.json",
    "model.bin",
    "/",
    "_",
    "MAX_LEN",
    "=",
    "1",
    "v2",
    "é",
    "中",
    "\x0c",
    "---",
    "*",
    "upload files",
    "readme",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join), max_size=8))
def test_any_mix_of_tricky_fragments_reads_as_one_by_one(texts):
    for platform in ("GH", "HF"):
        assert _read_all(texts, platform) == _read_each(texts, platform)


def test_content_free_at_once_answers_as_one_by_one(shared):
    subjects = [t.split("\n")[0][:80] for t in real_texts.unique_real_texts(shared)]
    subjects += ["v2", "V2 model", "gpt2", "abc_def", "update t5", "va2 x", "x()", "aB", "中文 v2"]
    subjects += [" add files ", "a\x1fb c d", "", "   "]
    found = reading.content_free_all(subjects)
    assert found.tolist() == [reading.content_free(s) for s in subjects]


def test_typos_corrected_at_once_as_one_by_one(shared):
    subjects = [t.split("\n")[0][:119] for t in real_texts.unique_real_texts(shared)]
    subjects += ["Add Tesnsorboard", "trainig_loop", "中文trainig", "TRAINIG", "evlauation."]
    assert typos.corrected_all(subjects) == [typos.corrected(s) for s in subjects]


def test_no_texts_and_texts_without_utf8_form_are_labeled_as_before():
    from core.labeling import rules

    assert rules.label_texts([], []) == []
    odd = ["fix bug \ud800", "Update README.md"] * 150  # a lone surrogate: Python reads it
    labels = rules.label_texts(odd, ["GH"] * len(odd))
    assert labels[:2] == [rules.label_one("fix bug \ud800"), "External Documentation"]
