"""What the learned labeler sees of a text: character n-grams of its words, its words and word
pairs, the rules labeler's decision (per platform) and the platform, as one sparse row.

Texts are cleaned like the cache key (inline code kept, so file names count), lower-cased
and cut to `MAX_CHARS` (the headline and the first body lines decide). Features come from a
fixed vocabulary (those seen in at least two training texts); each word's features are
looked up once and remembered, which is what makes labeling fast. Character n-grams and
words are two blocks, each binary and L2-normalised, like scikit-learn's vectorizers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from itertools import pairwise

import numpy as np
from scipy import sparse

from core.labeling.text import clean_text
from core.vocabulary import CHANGE_TYPES

MAX_CHARS = 400
CHAR_NGRAMS = range(2, 6)  # 2..5 characters of " word " (padded like char_wb)
RULE_WEIGHT = 1.0
PLATFORMS = ("GH", "HF")
_WORD = re.compile(r"\w+")
_CACHE_LIMIT = 200_000


def prepare(raw: str | None) -> str:
    """The part of a text the model reads: cleaned, lower case, at most MAX_CHARS."""
    return clean_text(raw, keep_inline_code=True).lower()[:MAX_CHARS]


def text_terms(prepared: str) -> set[str]:
    """Every vocabulary candidate of a prepared text (`c:` n-grams, `w:` words and pairs)."""
    tokens = _WORD.findall(prepared)
    terms = {t for tok in tokens for t in _char_terms(tok)}
    terms.update(f"w:{tok}" for tok in tokens)
    terms.update(f"w:{a} {b}" for a, b in pairwise(tokens))
    return terms


def build_vocabulary(prepared: Iterable[str], min_df: int = 2) -> list[str]:
    """The sorted terms found in at least `min_df` texts (`c:` terms sort before `w:`)."""
    counts: dict[str, int] = {}
    for text in prepared:
        for term in text_terms(text):
            counts[term] = counts.get(term, 0) + 1
    return sorted(t for t, n in counts.items() if n >= min_df)


def extra_names() -> list[str]:
    """Names of the columns after the vocabulary: rules decision per platform, platform."""
    rules = [f"r:{p}:{lb}" for p in PLATFORMS for lb in (*CHANGE_TYPES, "none")]
    return [*rules, *(f"p:{p}" for p in PLATFORMS)]


class Featurizer:
    """Text rows over a fixed vocabulary (plus the extra columns of `extra_names`)."""

    def __init__(self, vocabulary: Sequence[str]) -> None:
        self.index = {term: i for i, term in enumerate(vocabulary)}
        self.n_terms = len(vocabulary)
        self.n_features = self.n_terms + len(extra_names())
        self._rule = {lb: i for i, lb in enumerate((*CHANGE_TYPES, "none"))}
        self._words: dict[str, tuple[tuple[int, ...], int]] = {}

    def matrix(
        self, prepared: Sequence[str], platforms: Sequence[str], rules: Sequence[str | None]
    ) -> sparse.csr_matrix:
        """One row per text (prepared by `prepare`), with its platform and rules label."""
        indptr, indices, values = [0], [], []
        n_rules = len(self._rule)
        for text, platform, rule in zip(prepared, platforms, rules, strict=True):
            chars, words = self._terms(text)
            for block in (chars, words):
                if block:
                    indices.extend(block)
                    values.extend([1.0 / math.sqrt(len(block))] * len(block))
            side = 1 if platform == "HF" else 0
            indices.append(
                self.n_terms + side * n_rules + self._rule.get(rule or "none", n_rules - 1)
            )
            indices.append(self.n_terms + 2 * n_rules + side)
            values.extend((RULE_WEIGHT, 1.0))
            indptr.append(len(indices))
        return sparse.csr_matrix(
            (np.asarray(values, dtype=np.float32), np.asarray(indices, dtype=np.int32), indptr),
            shape=(len(indptr) - 1, self.n_features),
        )

    def _terms(self, text: str) -> tuple[set[int], set[int]]:
        tokens = _WORD.findall(text)
        chars: set[int] = set()
        words: set[int] = set()
        known = self._words
        if len(known) > _CACHE_LIMIT:
            known.clear()
        for tok in tokens:
            ids = known.get(tok)
            if ids is None:
                ids = known[tok] = self._word_ids(tok)
            chars.update(ids[0])
            if ids[1] >= 0:
                words.add(ids[1])
        index = self.index
        for a, b in pairwise(tokens):
            j = index.get(f"w:{a} {b}")
            if j is not None:
                words.add(j)
        return chars, words

    def _word_ids(self, token: str) -> tuple[tuple[int, ...], int]:
        found = (self.index.get(t) for t in _char_terms(token))
        return tuple(j for j in found if j is not None), self.index.get(f"w:{token}", -1)


def _char_terms(token: str) -> set[str]:
    padded = f" {token} "
    return {f"c:{padded[i : i + n]}" for n in CHAR_NGRAMS for i in range(len(padded) - n + 1)}
