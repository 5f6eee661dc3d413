"""Light typo tolerance for the decisive words, tried only when no rule matched: one letter
too many ("Tesnsorboard"), one missing ("trainig") or two swapped ("evlauation"); same first
letter, words of six letters or more. Substitutions are not tried: they turn real words into
others ("rename" -> "readme")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from core.labeling.arrow_text import arrow_texts

_VOCABULARY = (
    "tensorboard", "tokenizer", "tokenization", "training", "finetuning", "evaluation",
    "benchmark", "benchmarks", "documentation", "requirements", "dependency", "dependencies",
    "checkpoint", "preprocessing", "citation", "notebook", "leaderboard", "license", "dataset",
    "datasets", "readme", "example", "examples", "inference", "hyperparameters", "performance",
    "comments", "typos", "version", "metrics", "results",
)  # fmt: skip


def _misspellings(word: str) -> set[str]:
    """`word` with one letter missing, one letter too many, or two neighbours swapped."""
    cut = {word[:i] + word[i + 1 :] for i in range(1, len(word))}
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(1, len(word) - 1)}
    extra = {word[:i] + c + word[i:] for i in range(1, len(word) + 1) for c in _ALPHABET}
    return cut | swapped | extra


_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


@cache
def _typos() -> dict[str, str]:
    """Every misspelling (about 10,000 strings): one dict lookup per long word."""
    known = frozenset(_VOCABULARY)
    return {typo: word for word in _VOCABULARY for typo in _misspellings(word) if typo not in known}


_LONG_WORD = re.compile(r"\w{6,}")
_WORD = re.compile(r"\w+")


def corrected(text: str) -> str | None:
    """`text` with misspelt vocabulary words corrected, or None if nothing changed."""
    low, typos = text.lower(), _typos()
    fixes = {w: typos[w] for w in _LONG_WORD.findall(low) if w in typos}
    if not fixes:
        return None
    return " ".join(fixes.get(w, w) for w in _WORD.findall(low))


def corrected_all(texts: Sequence[str]) -> list[str | None]:
    """`corrected` of every text. Only texts with a known misspelling as a word are
    corrected one by one; the others are found column-wise (every word looked up at once)."""
    if not texts:
        return []
    values, left_out = arrow_texts(texts)
    # Once lower-cased, an ASCII text's words (\w) are runs of [a-z0-9_].
    lists = pc.split_pattern_regex(pc.ascii_lower(values), "[^a-z0-9_]+")
    words = pc.list_flatten(lists)
    owner = np.repeat(np.arange(len(texts)), np.diff(lists.offsets.to_numpy()))
    long_ = pc.binary_length(words).to_numpy() >= 6
    known = np.asarray(pc.is_in(words.filter(pa.array(long_)), value_set=_typo_array()), bool)
    asked = ~np.asarray(pc.string_is_ascii(values), bool) | left_out  # Python's \w
    asked[owner[long_][known]] = True
    out: list[str | None] = [None] * len(texts)
    for i in np.flatnonzero(asked).tolist():
        out[i] = corrected(texts[i])
    return out


@cache
def _typo_array() -> pa.Array:
    return pa.array(list(_typos()), pa.string())
