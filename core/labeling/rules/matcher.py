"""The keyword rules compiled for speed: the first rule each text matches, for many texts at
once, exactly as Python's `re` answers text by text and rule by rule.

Python's `re` tries every alternative of a rule at every position, so asking 28 long rules of
each text one by one is slow. Here pyarrow runs each rule's RE2 form over all texts still
unanswered, in rule order, so precedence is kept: a text leaves as soon as a rule matches it.
- Texts of printable ASCII (nearly all): the rule's look-around-free alternatives run as
  written (`exact`); its alternatives with a look-around run as a `superset` in RE2 and only
  the texts that superset finds are confirmed by Python's `re`.
- Other texts: the whole rule's `superset` finds candidates, Python's `re` confirms them.
`first_label` is the rules as written, one text at a time: the reference the tests compare with.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from core.labeling.arrow_text import arrow_texts
from core.labeling.rules import re2_syntax
from core.labeling.rules.keywords import KEYWORD_RULES


@dataclass(frozen=True)
class CompiledRule:
    """One keyword rule, as written (for Python's `re`, compiled when first needed) and in
    its RE2 forms."""

    label: str
    written: str  # the rule as written: the reference
    sure: str | None  # RE2: the look-around-free alternatives (printable ASCII only)
    unsure: str | None  # RE2: a superset of the alternatives with a look-around ...
    unsure_written: str | None  # ... as written, which Python's `re` confirms
    loose: str  # RE2: a superset of the whole rule, for any text

    @property
    def either(self) -> str:
        """RE2: what is sure or to be confirmed (printable ASCII)."""
        return "|".join(f"(?:{p})" for p in (self.sure, self.unsure) if p)

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(self.written)

    @cached_property
    def confirm(self) -> re.Pattern[str] | None:
        return re.compile(self.unsure_written) if self.unsure_written else None


def compile_rule(label: str, pattern: str) -> CompiledRule:
    parts = re2_syntax.alternatives(pattern)
    plain = [p for p in parts if not re2_syntax.has_lookaround(p)]
    looking = [p for p in parts if re2_syntax.has_lookaround(p)]
    return CompiledRule(
        label=label,
        written=pattern,
        sure="|".join(re2_syntax.exact(p) for p in plain) if plain else None,
        unsure="|".join(re2_syntax.superset(p) for p in looking) if looking else None,
        unsure_written="|".join(looking) if looking else None,
        loose="|".join(re2_syntax.superset(p) for p in parts),
    )


@dataclass(frozen=True)
class Block:
    """A few consecutive rules and their screen: a text the screen misses matches none."""

    rules: tuple[CompiledRule, ...]
    screen: str  # RE2: a union of every alternative's required part (printable ASCII)
    loose_screen: str  # RE2: the same, widened for any text


def blocks(rules: Sequence[CompiledRule], size: int) -> tuple[Block, ...]:
    out = []
    for start in range(0, len(rules), size):
        part = tuple(rules[start : start + size])
        pieces = list(
            dict.fromkeys(
                _screen_part(a) for rule in part for a in re2_syntax.alternatives(rule.written)
            )
        )
        out.append(
            Block(
                part,
                screen="|".join(f"(?:{re2_syntax.exact(p)})" for p in pieces),
                loose_screen="|".join(f"(?:{re2_syntax.superset(p)})" for p in pieces),
            )
        )
    return tuple(out)


# Words most commit subjects start with: a screen made of them lets nearly every text through.
_COMMON = re.compile(r"\b(add|fix|update|remove|delete|change|use|set|upload|create)")


def _screen_part(alternative: str) -> str:
    """The alternative's most selective required part (many letters, no common word)."""
    parts = re2_syntax.required_parts(alternative)
    return max(
        parts,
        key=lambda p: (p[1] >= 1, p[1] - 10 * bool(_COMMON.search(p[0]))),
        default=("", 0.0),
    )[0]


# Matched against lower-cased text: case-insensitive regexes are several times slower.
RULES: tuple[CompiledRule, ...] = tuple(compile_rule(lb, p) for lb, p in KEYWORD_RULES)
BLOCKS = blocks(RULES, 4)


def first_label(text: str, rules: Sequence[CompiledRule] = RULES) -> str | None:
    """The label of the first rule that matches `text` (the rules as written, one by one)."""
    for rule in rules:
        if rule.pattern.search(text):
            return rule.label
    return None


# Below this many texts, one by one is faster: each RE2 pass has a fixed cost (compiling,
# warming its automaton) of about a millisecond.
FEW = 200


def first_labels(texts: Sequence[str], blocks: Sequence[Block] = BLOCKS) -> list[str | None]:
    """`first_label` of every text, computed for all texts at once."""
    out: list[str | None] = [None] * len(texts)
    every, left_out = arrow_texts(texts)
    for i in np.flatnonzero(left_out).tolist():  # no UTF-8 form: Python's `re` alone
        out[i] = first_label(texts[i])
    printable = np.asarray(pc.match_substring_regex(every, r"^[\x20-\x7e]*$"), bool)
    for ascii_only in (True, False):
        index = np.flatnonzero((printable if ascii_only else ~printable) & ~left_out)
        if len(index) < FEW:
            for i in index.tolist():
                out[i] = first_label(texts[i])
            continue
        values = every.take(pa.array(index))
        for block in blocks:
            if not len(index):
                break
            found = _first_in_block(block, values, ascii_only)
            for k in np.flatnonzero(found >= 0):
                out[index[k]] = block.rules[found[k]].label
            if (found >= 0).any():
                keep = found < 0
                values, index = values.filter(pa.array(keep)), index[keep]
    return out


def _first_in_block(block: Block, values: pa.Array, ascii_only: bool) -> np.ndarray:
    """Per text, the position in the block of the first rule it matches (-1: none)."""
    found = np.full(len(values), -1)
    open_ = np.flatnonzero(_matches(values, block.screen if ascii_only else block.loose_screen))
    for position, rule in enumerate(block.rules):
        if not len(open_):
            break
        part = values.take(pa.array(open_))
        if ascii_only:
            hit = _matches(part, rule.either)
            if rule.unsure is not None and hit.any():  # which are sure, which to confirm?
                sure = np.flatnonzero(hit)
                hit[sure] = _matches(part.take(pa.array(sure)), rule.sure)
                maybe = np.zeros(len(part), bool)
                maybe[sure] = ~hit[sure]
            else:
                maybe = np.zeros(len(part), bool)
            check = rule.confirm
        else:
            hit = np.zeros(len(part), bool)
            maybe = _matches(part, rule.loose)
            check = rule.pattern
        for k in np.flatnonzero(maybe):
            hit[k] = check is not None and check.search(part[k].as_py()) is not None
        found[open_[hit]] = position
        open_ = open_[~hit]
    return found


def _matches(values: pa.Array, pattern: str | None) -> np.ndarray:
    if pattern is None:
        return np.zeros(len(values), bool)
    return np.array(pc.match_substring_regex(values, pattern), dtype=bool)
