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
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy import sparse

from core.labeling.arrow_text import arrow_texts
from core.labeling.text import clean_text
from core.vocabulary import CHANGE_TYPES

MAX_CHARS = 400
FEW = 50  # below this many texts, one by one is faster
_PACKED = 64  # words up to this long have their n-grams packed as integers
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
        self._word_terms: pa.Array | None = None  # `w:` terms for look-ups in bulk
        self._word_ids_array = np.empty(0, np.int64)
        self._gram_keys: pd.Index | None = None  # ASCII `c:` terms packed as integers
        self._gram_ids = np.empty(0, np.int64)

    def matrix(
        self, prepared: Sequence[str], platforms: Sequence[str], rules: Sequence[str | None]
    ) -> sparse.csr_matrix:
        """One row per text (prepared by `prepare`), with its platform and rules label."""
        return self.batch(prepared, platforms, rules).matrix()

    def batch(
        self, prepared: Sequence[str], platforms: Sequence[str], rules: Sequence[str | None]
    ) -> Batch:
        """The batch's factors (see `Batch`), computed column-wise: the same matrices, entry
        for entry and in the same order, as reading the texts one by one."""
        if len(prepared) < FEW:
            return self.batch_one_by_one(prepared, platforms, rules)
        tokens, owner = _tokens(prepared)
        encoded = pc.dictionary_encode(tokens)  # words numbered as they first appear
        words = encoded.dictionary
        n, width = len(prepared), self.n_features
        counts = _csr(_offsets(owner, n), encoded.indices.to_numpy(), (n, len(words)))
        chars = self._char_matrix(words)
        known = self._lookup(words)
        words_m = _csr(np.cumsum([0, *(known >= 0)]), known[known >= 0], (len(words), width))
        # Word pairs: neighbours in the same text, looked up in the vocabulary at once.
        same = owner[:-1] == owner[1:]
        joined = (
            pc.binary_join_element_wise(
                tokens.slice(0, len(tokens) - 1), tokens.slice(1), " "
            ).filter(pa.array(same))
            if len(tokens) > 1
            else pa.array([], pa.string())
        )
        pair_ids = self._lookup(joined)
        found = pair_ids >= 0
        pair_owner = owner[:-1][same][found] if len(tokens) > 1 else owner[:0]
        pairs = _csr(_offsets(pair_owner, n), pair_ids[found], (n, width))
        return self._assemble(counts, chars, words_m, pairs, platforms, rules)

    def batch_one_by_one(
        self, prepared: Sequence[str], platforms: Sequence[str], rules: Sequence[str | None]
    ) -> Batch:
        """`batch` reading the texts one by one (few texts, and the tests' reference)."""
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
        return self._assemble(counts, chars, words, pairs, platforms, rules)

    def _assemble(
        self,
        counts: sparse.csr_matrix,
        chars: sparse.csr_matrix,
        words: sparse.csr_matrix,
        pairs: sparse.csr_matrix,
        platforms: Sequence[str],
        rules: Sequence[str | None],
    ) -> Batch:
        """The batch from its factors, each block scaled by 1/sqrt(its count per text)."""
        n_chars = counts @ np.diff(chars.indptr).astype(np.float64)
        n_words = counts @ np.diff(words.indptr).astype(np.float64) + np.diff(pairs.indptr)
        return Batch(
            counts, chars, words, pairs, self._extra(platforms, rules),
            _inverse_sqrt(n_chars), _inverse_sqrt(n_words),
        )  # fmt: skip

    def _extra(self, platforms: Sequence[str], rules: Sequence[str | None]) -> sparse.csr_matrix:
        code = {lb: i for i, lb in enumerate(RULE_LABELS)}
        n = len(platforms)
        side = np.fromiter((p == "HF" for p in platforms), np.int64, n)
        rule = np.fromiter((code.get(r or "none", len(code) - 1) for r in rules), np.int64, n)
        cols = np.empty(2 * n, dtype=np.int64)  # per text: its rules decision, its platform
        cols[0::2] = self.n_terms + side * len(RULE_LABELS) + rule
        cols[1::2] = self.n_terms + 2 * len(RULE_LABELS) + side
        return _csr(np.arange(0, 2 * n + 1, 2), cols, (n, self.n_features))

    def _lookup(self, terms: pa.Array) -> np.ndarray:
        """The `w:` feature id of each word or word pair (-1: not in the vocabulary)."""
        if self._word_terms is None:
            self._word_terms = pa.array(list(self._words), pa.string())
            self._word_ids_array = np.fromiter(self._words.values(), np.int64, len(self._words))
        at = pc.index_in(terms, value_set=self._word_terms).to_numpy(zero_copy_only=False)
        found = ~np.isnan(at.astype(np.float64))
        out = np.full(len(terms), -1, dtype=np.int64)
        out[found] = self._word_ids_array[at[found].astype(np.int64)]
        return out

    def _char_matrix(self, words: pa.Array) -> sparse.csr_matrix:
        """Per distinct word, the ids of its character n-grams in `_char_grams` order (words
        of printable ASCII up to `_PACKED` characters packed as integers and looked up all
        at once; the others one by one)."""
        listed = words.to_pylist()
        short = np.asarray(pc.match_substring_regex(words, f"^[\\x21-\\x7e]{{1,{_PACKED}}}$"))
        per_word: list[np.ndarray] = [np.empty(0, np.int64)] * len(listed)
        rows = np.flatnonzero(short)
        if len(rows):
            for row, ids in zip(rows.tolist(), self._packed_grams([listed[i] for i in rows]),
                                strict=True):  # fmt: skip
                per_word[row] = ids
        for row in np.flatnonzero(~short).tolist():
            per_word[row] = np.asarray(self._word_ids(listed[row])[0], np.int64)
        lengths = np.fromiter((len(ids) for ids in per_word), np.int64, len(per_word))
        indices = np.concatenate(per_word) if per_word else np.empty(0, np.int64)
        return _csr(np.concatenate([[0], np.cumsum(lengths)]), indices,
                    (len(listed), self.n_features))  # fmt: skip

    def _packed_grams(self, words: list[str]) -> list[np.ndarray]:
        """`_word_ids(w)[0]` of short ASCII words, for all of them at once."""
        if self._gram_keys is None:
            ascii_grams = [(g, i) for g, i in self._grams.items() if g.isascii()]
            self._gram_keys = pd.Index(_pack([g for g, _ in ascii_grams]))
            self._gram_ids = np.asarray([i for _, i in ascii_grams], np.int64)
        width = _PACKED + 2
        length = np.fromiter((len(w) + 2 for w in words), np.int64, len(words))
        longest = np.argsort(-length, kind="stable")  # so each n-gram position is a prefix
        padded = np.array([f" {words[i]} " for i in longest], dtype=f"S{width}")
        matrix = padded.view(np.uint8).reshape(len(words), width).astype(np.uint64)
        descending = -length[longest]
        keys, found_rows, found_order = [], [], []
        for n in CHAR_NGRAMS:
            for start in range(width - n + 1):
                count = int(np.searchsorted(descending, -(start + n), side="right"))
                if not count:
                    break
                key = np.full(count, n, dtype=np.uint64) << np.uint64(56)
                for k in range(n):
                    key |= matrix[:count, start + k] << np.uint64(8 * k)
                keys.append(key)
                found_rows.append(longest[:count])
                found_order.append(np.full(count, n * 1000 + start))
        at = self._gram_keys.get_indexer(np.concatenate(keys))  # a hash look-up each
        hit = at >= 0
        found_rows = [np.concatenate(found_rows)[hit]]
        found_ids = [self._gram_ids[at[hit]]]
        found_order = [np.concatenate(found_order)[hit]]
        rows_all = np.concatenate(found_rows)
        ids_all = np.concatenate(found_ids)
        order = np.lexsort((np.concatenate(found_order), rows_all))  # by word, then as listed
        rows_all, ids_all = rows_all[order], ids_all[order]
        bounds = np.searchsorted(rows_all, np.arange(len(words) + 1))
        return [ids_all[bounds[i] : bounds[i + 1]] for i in range(len(words))]

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


def _tokens(prepared: Sequence[str]) -> tuple[pa.Array, np.ndarray]:
    """Every word (`_WORD`) of every text in order, and the text each belongs to. Prepared
    texts are lower case: an ASCII text's words are runs of [a-z0-9_], split column-wise;
    the others are read by Python's `\\w`."""
    values, left_out = arrow_texts(prepared)
    plain = np.asarray(pc.string_is_ascii(values), bool) & ~left_out
    lists = pc.split_pattern_regex(values.filter(pa.array(plain)), "[^a-z0-9_]+")
    words = pc.list_flatten(lists)
    owner = np.flatnonzero(plain)[np.repeat(np.arange(len(lists)), np.diff(lists.offsets))]
    kept = pc.binary_length(words).to_numpy() > 0
    words, owner = words.filter(pa.array(kept)), owner[kept]
    other = np.flatnonzero(~plain)
    if len(other):
        found = [_WORD.findall(prepared[i]) for i in other.tolist()]
        words = pa.concat_arrays([words, pa.array([w for f in found for w in f], pa.string())])
        owner = np.concatenate([owner, np.repeat(other, [len(f) for f in found])])
        order = np.argsort(owner, kind="stable")  # back in text order
        words, owner = words.take(pa.array(order)), owner[order]
    return words, owner


def _offsets(owner: np.ndarray, n: int) -> np.ndarray:
    """CSR row pointers for entries that belong, in order, to rows `owner` of `n` rows."""
    return np.concatenate([[0], np.cumsum(np.bincount(owner, minlength=n))])


def _pack(grams: Sequence[str]) -> np.ndarray:
    """ASCII n-grams (n <= 5) as integers: their bytes, and n in the top byte."""
    width = max(CHAR_NGRAMS)
    matrix = np.array(grams, dtype=f"S{width}").view(np.uint8).reshape(len(grams), width)
    keys = np.fromiter((len(g) for g in grams), np.uint64, len(grams)) << np.uint64(56)
    for k in range(width):
        keys |= matrix[:, k].astype(np.uint64) << np.uint64(8 * k)
    return keys


def _char_grams(token: str) -> list[str]:
    """The character n-grams of " token " (repeats kept: they count)."""
    padded = f" {token} "
    return [padded[i : i + n] for n in CHAR_NGRAMS for i in range(len(padded) - n + 1)]


def _csr(
    indptr: Sequence[int] | np.ndarray, indices: Sequence[int] | np.ndarray, shape
) -> sparse.csr_matrix:
    data = np.ones(len(indices), dtype=np.float64)
    return sparse.csr_matrix(
        (data, np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
        shape=shape,
    )


def _inverse_sqrt(counts: np.ndarray) -> np.ndarray:
    counts = np.asarray(counts, dtype=np.float64).ravel()
    return np.where(counts > 0, 1.0 / np.sqrt(np.maximum(counts, 1)), 0.0)
