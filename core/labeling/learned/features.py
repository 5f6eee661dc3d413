"""What the learned labeler sees of a text: character n-grams of its words, its words and word
pairs, the rules labeler's decision (per platform) and the platform, as one sparse row.

Texts are cleaned like the cache key (inline code kept, so file names count), lower-cased
and cut to `MAX_CHARS` (the headline and the first body lines decide). Features come from a
fixed vocabulary (terms seen in at least two training texts). Two blocks, character n-grams
and words (with word pairs), each hold term counts scaled by 1/sqrt(the block's count).

Why it is fast: a text's character n-grams are the sum of its words' n-grams, so a batch is
a (texts x distinct words) count matrix T times a (words x terms) matrix C, and the scores
X W are T (C W): each distinct word is looked up once, and only word pairs are per text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy import sparse

from core.labeling.text import clean_text
from core.vocabulary import CHANGE_TYPES

MAX_CHARS = 400
CHAR_NGRAMS = range(2, 6)  # 2..5 characters of " word " (padded like char_wb)
PLATFORMS = ("GH", "HF")
RULE_LABELS = (*CHANGE_TYPES, "none")
_WORD = re.compile(r"\w+")
_MEMO_LIMIT = 200_000


def prepare(raw: str | None) -> str:
    """The part of a text the model reads: cleaned, lower case, at most MAX_CHARS."""
    return clean_text(raw, keep_inline_code=True).lower()[:MAX_CHARS]


def text_terms(prepared: str) -> set[str]:
    """Every vocabulary candidate of a prepared text (`c:` n-grams, `w:` words and pairs)."""
    tokens = _WORD.findall(prepared)
    terms = {f"c:{gram}" for tok in tokens for gram in _char_grams(tok)}
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
    rules = [f"r:{p}:{lb}" for p in PLATFORMS for lb in RULE_LABELS]
    return [*rules, *(f"p:{p}" for p in PLATFORMS)]


@dataclass(frozen=True)
class Batch:
    """A batch of texts, factorised: rows = scale_c T C + scale_w (T D + P) + E."""

    counts: sparse.csr_matrix  # T: texts x distinct words of the batch
    chars: sparse.csr_matrix  # C: words x features (their character n-grams)
    words: sparse.csr_matrix  # D: words x features (the word itself)
    pairs: sparse.csr_matrix  # P: texts x features (word pairs)
    extra: sparse.csr_matrix  # E: texts x features (rules decision, platform)
    scale_chars: np.ndarray  # per text
    scale_words: np.ndarray

    def matrix(self) -> sparse.csr_matrix:
        """The explicit feature rows (for training)."""
        chars = sparse.diags(self.scale_chars) @ (self.counts @ self.chars)
        words = sparse.diags(self.scale_words) @ (self.counts @ self.words + self.pairs)
        return (chars + words + self.extra).tocsr()

    def times(self, weights: np.ndarray) -> np.ndarray:
        """rows @ weights without forming the rows (the same numbers, far fewer operations)."""
        chars = self.counts @ np.asarray(self.chars @ weights)
        words = self.counts @ np.asarray(self.words @ weights) + self.pairs @ weights
        return (
            self.scale_chars[:, None] * chars
            + self.scale_words[:, None] * np.asarray(words)
            + self.extra @ weights
        )


class Featurizer:
    """Texts as feature rows over a fixed vocabulary (plus the columns of `extra_names`)."""

    def __init__(self, vocabulary: Sequence[str]) -> None:
        self.index = {term: i for i, term in enumerate(vocabulary)}
        # the same ids without the block prefix, so a lookup builds no extra string
        self._grams = {t[2:]: i for t, i in self.index.items() if t.startswith("c:")}
        self._words = {t[2:]: i for t, i in self.index.items() if t.startswith("w:")}
        self.n_terms = len(vocabulary)
        self.n_features = self.n_terms + len(extra_names())
        self._memo: dict[str, tuple[tuple[int, ...], int]] = {}  # word -> its feature ids

    def matrix(
        self, prepared: Sequence[str], platforms: Sequence[str], rules: Sequence[str | None]
    ) -> sparse.csr_matrix:
        """One row per text (prepared by `prepare`), with its platform and rules label."""
        return self.batch(prepared, platforms, rules).matrix()

    def batch(
        self, prepared: Sequence[str], platforms: Sequence[str], rules: Sequence[str | None]
    ) -> Batch:
        local: dict[str, int] = {}  # distinct words of the batch, numbered
        t_ptr, t_idx, p_ptr, p_idx = [0], [], [0], []
        index = self._words
        for text in prepared:
            tokens = _WORD.findall(text)
            for tok in tokens:
                j = local.get(tok)
                if j is None:
                    j = local[tok] = len(local)
                t_idx.append(j)
            for a, b in pairwise(tokens):
                k = index.get(f"{a} {b}")
                if k is not None:
                    p_idx.append(k)
            t_ptr.append(len(t_idx))
            p_ptr.append(len(p_idx))
        n, width = len(prepared), self.n_features
        counts = _csr(t_ptr, t_idx, (n, len(local)))
        ids = [self._word_ids(tok) for tok in local]
        chars = _csr(np.cumsum([0, *(len(c) for c, _ in ids)]), [i for c, _ in ids for i in c],
                     (len(local), width))  # fmt: skip
        known = [w for _, w in ids]
        words = _csr(np.cumsum([0, *(w >= 0 for w in known)]), [w for w in known if w >= 0],
                     (len(local), width))  # fmt: skip
        pairs = _csr(p_ptr, p_idx, (n, width))
        n_chars = counts @ np.diff(chars.indptr).astype(np.float64)
        n_words = counts @ np.diff(words.indptr).astype(np.float64) + np.diff(pairs.indptr)
        return Batch(
            counts, chars, words, pairs, self._extra(platforms, rules),
            _inverse_sqrt(n_chars), _inverse_sqrt(n_words),
        )  # fmt: skip

    def _extra(self, platforms: Sequence[str], rules: Sequence[str | None]) -> sparse.csr_matrix:
        code = {lb: i for i, lb in enumerate(RULE_LABELS)}
        cols = []
        for platform, rule in zip(platforms, rules, strict=True):
            side = 1 if platform == "HF" else 0
            cols += [
                self.n_terms + side * len(RULE_LABELS) + code.get(rule or "none", len(code) - 1),
                self.n_terms + 2 * len(RULE_LABELS) + side,
            ]
        return _csr(range(0, len(cols) + 1, 2), cols, (len(platforms), self.n_features))

    def _word_ids(self, token: str) -> tuple[tuple[int, ...], int]:
        """The feature ids of a word's character n-grams, and of the word (-1: unknown)."""
        found = self._memo.get(token)
        if found is None:
            if len(self._memo) > _MEMO_LIMIT:
                self._memo.clear()
            grams = map(self._grams.get, _char_grams(token))
            found = self._memo[token] = (
                tuple(j for j in grams if j is not None),
                self._words.get(token, -1),
            )
        return found


def _char_grams(token: str) -> list[str]:
    """The character n-grams of " token " (repeats kept: they count)."""
    padded = f" {token} "
    return [padded[i : i + n] for n in CHAR_NGRAMS for i in range(len(padded) - n + 1)]


def _csr(indptr: Sequence[int] | np.ndarray, indices: Sequence[int], shape) -> sparse.csr_matrix:
    data = np.ones(len(indices), dtype=np.float64)
    return sparse.csr_matrix(
        (data, np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
        shape=shape,
    )


def _inverse_sqrt(counts: np.ndarray) -> np.ndarray:
    counts = np.asarray(counts, dtype=np.float64).ravel()
    return np.where(counts > 0, 1.0 / np.sqrt(np.maximum(counts, 1)), 0.0)
