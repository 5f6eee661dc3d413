"""Cleaning a commit text (the paper's Step 6) and the key its label is cached under."""

from __future__ import annotations

import html
import re
import unicodedata

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from real_texts import real_texts

from core.labeling.frame import text_keys
from core.labeling.text import FENCED, TAG, clean_text, text_hash, text_key


def step6(raw: str, keep_inline_code: bool = False) -> str:
    """Step 6 as written: every pattern applied to every text, whitespace collapsed by `\\s+`."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = FENCED.sub(" ", text)
    inline = (lambda m: m.group(0)[1:-1]) if keep_inline_code else " "
    text = re.sub(r"`[^`\n]*`", inline, text)
    text = html.unescape(TAG.sub(" ", text))
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Update   README.md \n\n", "Update README.md"),
        ("Fix ```python\nx = 1\n``` in loader", "Fix in loader"),
        ("Use `torch.compile` here", "Use here"),
        ("<p>Add <b>weights</b></p>", "Add weights"),
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("ｆｉｘ\u3000bug\u00a0now", "fix bug now"),  # NFKC, then Unicode spaces collapsed
        ("a\x1cb\x85c", "a b c"),  # separators Python's \s also counts as whitespace
        ("", ""),
    ],
)
def test_cleaning_examples(raw, clean):
    assert clean_text(raw) == clean


def test_inline_code_can_be_kept_without_its_backticks():
    assert clean_text("Upload `config.json`", keep_inline_code=True) == "Upload config.json"


def test_whitespace_is_what_str_split_and_regex_agree_on():
    spaces = [chr(c) for c in range(0x110000) if re.fullmatch(r"\s", chr(c))]
    assert spaces == [chr(c) for c in range(0x110000) if chr(c).isspace()]


@given(
    st.text(
        alphabet=st.sampled_from("ab `~<>&;#x\n\t\x85\u2028\u3000\u00a0ｆ＜＆｀p/"), max_size=40
    )
)
def test_cleaning_equals_step6_on_generated_texts(raw):
    assert clean_text(raw) == step6(raw)
    assert clean_text(raw, keep_inline_code=True) == step6(raw, keep_inline_code=True)


def test_cleaning_equals_step6_on_every_real_text(shared):
    texts = real_texts(shared)["text"].drop_duplicates().tolist()
    assert [clean_text(t) for t in texts] == [step6(t) for t in texts]
    assert text_key(texts[0]) == text_hash(step6(texts[0]))


def test_cache_keys_are_per_row_and_equal_for_texts_that_clean_alike():
    keys = text_keys(pd.DataFrame({"text": ["a  b", "x", "a b"]}, index=[5, 5, 7]))
    assert list(keys.index) == [5, 5, 7] and keys.name == "text"
    assert keys.iloc[0] == keys.iloc[2] == text_key("a b") != keys.iloc[1]


def test_a_stored_key_is_kept_and_the_others_computed_even_when_the_index_repeats():
    stored = text_key("kept")
    frame = pd.DataFrame(
        {"text": ["ignored", "x  y", "x y"], "text_hash": [stored, "not a key", None]},
        index=[1, 1, 1],
    )
    assert text_keys(frame).tolist() == [stored, text_key("x y"), text_key("x y")]
