"""The reading of many texts at once, column by column: what `reading.read` gives text by
text, with the string work done by pyarrow (RE2) over all texts and lines together.

Reading one text in Python costs more than asking it the keyword rules (about 12 µs a text).
Here the common texts (printable ASCII with tabs and line breaks, no HTML entity) are split
into lines, cleaned, cut at a conflict list, rid of trailers and cut to the length that is
read; merges are resolved, conventional prefixes and file operations decided and the
questions for the keyword rules gathered, all as array operations. Python's own functions
read the rest: other texts (`reading.read`, where Python's and RE2's classes differ), file
names' words (`files.with_file_words`) and the few look-arounds RE2 has not. Tests compare
the result with `reading.read` on every real text and on generated ones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from core.labeling import text
from core.labeling.arrow_text import arrow_texts
from core.labeling.rules import evidence as ev
from core.labeling.rules import files, re2_syntax, reading
from core.labeling.rules.reading import MAX_BODY, MAX_CHARS, Reading
from core.labeling.rules.terms import ADD, MS, OUT, PT, REM, SH, UPD

# Read column-wise: printable ASCII, tabs and line breaks (\r, \n). Elsewhere Python's and
# RE2's classes differ (\s, \W, line boundaries such as \x0b) or cleaning may leave ASCII
# (an HTML entity): those texts are read by `reading.read`.
_COLUMNAR = r"^[\t\n\r\x20-\x7e]*$"
_ENTITY = r"&[^\t\n\f <&;]"  # what html.unescape may replace
_MARKUP = r"[`~<&]"  # see text.has_markup
_STOP = r"^\W*conflicts:"
STOP_OR_SKIP = reading.STOP_OR_SKIP.pattern
_TRAILER = r"^(?:signed-off-by|co-authored-by|reviewed-by)"  # no markup can change these

FEW = 100  # below this many texts, reading one by one is faster

_Lists = tuple[list[str | None], list[str | None], list[str | None]]
_Sides = tuple[np.ndarray, np.ndarray, np.ndarray]  # label, question, otherwise (objects)


@dataclass(frozen=True)
class Readings:
    """Every text's reading as columns, one row per text.

    `settled` holds the label of texts decided at reading (None: empty text) where `is_read`
    is False. Evidence is (label, question, otherwise) per side, as in `evidence.Evidence`.
    """

    is_read: np.ndarray
    settled: list[str | None]
    subject: _Lists
    body: _Lists
    fallback_subject: list[str]
    has_body: np.ndarray
    brings_branch: np.ndarray

    def row(self, i: int, platform: str) -> Reading | str | None:
        """Text `i` as `reading.read` gives it (what the tests compare)."""
        if not self.is_read[i]:
            return self.settled[i]
        return Reading(
            platform,
            ev.Evidence(*(side[i] for side in self.subject)),
            ev.Evidence(*(side[i] for side in self.body)),
            self.fallback_subject[i],
            bool(self.has_body[i]),
            bool(self.brings_branch[i]),
        )


def read_all(texts: Sequence[str], platforms: Sequence[str]) -> Readings:
    """`reading.read` of every text (platforms "GH" or "HF"), computed for all at once."""
    n = len(texts)
    out = _Builder(n)
    if not n:
        return out.done()
    if n < FEW:  # array operations cost more than they save
        for i in range(n):
            out.put(i, reading.read(texts[i], platforms[i]))
        return out.done()
    head, left_out = arrow_texts([t[: MAX_CHARS + MAX_BODY] for t in texts])
    columnar = _matches(head, _COLUMNAR) & ~left_out
    columnar &= ~_matches(head, _ENTITY, where=columnar & _contains(head, "&"))
    for i in np.flatnonzero(~columnar).tolist():
        out.put(i, reading.read(texts[i], platforms[i]))
    index = np.flatnonzero(columnar)
    if len(index):
        plat = np.asarray(platforms, dtype=object)[index]
        _read_columns(head.take(pa.array(index)), plat, index, out)
    return out.done()


def _read_columns(head: pa.Array, plat: np.ndarray, index: np.ndarray, out: _Builder) -> None:
    """Read the common texts (`head`: their first characters; `index`: their rows in `out`)."""
    subject, second, body, count = _kept_lines(head)
    empty = count == 0
    out.settle(index[empty], None)

    merge = ~empty & np.asarray(pc.starts_with(subject, "merge", ignore_case=True), bool)
    branch_merge = _matches(subject, reading.MERGE_BRANCH.pattern, True, where=merge)
    sync = branch_merge & (
        (count < 2) | _matches(second, reading.SYNC.pattern, True, where=branch_merge)
    )
    out.settle(index[sync], SH)
    headline = branch_merge & ~sync  # a merge request's title, read like a pull request's
    pull = _matches(subject, reading.MERGE_PR.pattern, True, where=merge & ~branch_merge)
    branch = _branch_words(subject, pull)
    with_rest = pull & (count >= 2)
    subject = _where(headline | with_rest, second, _where(pull, branch, subject))
    headlines = subject  # a merge request's title is what the fallback reads, uncut
    body = _where(with_rest, branch, _where(pull | headline, pa.scalar(""), body))
    subject = pc.utf8_slice_codeunits(subject, 0, MAX_CHARS)
    body = pc.utf8_slice_codeunits(body, 0, MAX_BODY)

    open_ = ~empty & ~sync
    named = _conventional(subject, open_ & ~headline & _contains(subject, ":"))
    conventional = np.asarray(pc.is_valid(named), bool)
    out.settled[index[conventional]] = _objects(named.filter(pa.array(conventional)).to_pylist())
    rows = np.flatnonzero(open_ & ~conventional)
    if not len(rows):
        return
    subject, body = subject.take(pa.array(rows)), body.take(pa.array(rows))
    plat, pull, branch = plat[rows], pull[rows], branch.take(pa.array(rows))
    subjects = subject.to_pylist()
    fallback = _where(headline[rows], headlines.take(pa.array(rows)), subject).to_pylist()
    has_body = (pc.binary_length(body).to_numpy() > 0) & ~headline[rows]
    integration = _matches(branch, reading.INTEGRATION_BRANCH.pattern, True, where=pull)
    brings = np.zeros(len(rows), bool)
    branches = branch.to_pylist()
    for k in np.flatnonzero(integration).tolist():
        s = subjects[k]
        brings[k] = s.lower() == branches[k].lower() or reading.content_free(s)
    said = _evidence(subject, plat)
    backing = _evidence(body, plat, only=has_body)
    out.read(index[rows], said, backing, fallback, has_body, brings)


def _kept_lines(head: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array, np.ndarray]:
    """Per text: its subject, its second line, its body and how many lines were kept, as
    `reading.lines` keeps them (cleaned, up to a conflict list, skipping trailers)."""
    n = len(head)
    returns = _contains(head, "\r")  # \r, \n and \r\n end lines; empty lines are dropped
    if returns.any():
        head = _replaced(head, returns, pc.replace_substring(head.filter(returns), "\r", "\n"))
    # Runs of tabs and spaces become one space (cleaning treats all runs alike).
    spaced = _matches(head, "\t|  ")
    if spaced.any():
        collapsed = pc.replace_substring_regex(head.filter(pa.array(spaced)), "[\t ]+", " ")
        head = _replaced(head, spaced, collapsed)
    lists = pc.split_pattern(head, "\n")
    parent = np.repeat(np.arange(n), np.diff(lists.offsets.to_numpy()))
    raw = pc.list_flatten(lists)
    filled = pc.binary_length(raw).to_numpy() > 0
    raw, parent = raw.filter(pa.array(filled)), parent[filled]
    offsets = np.concatenate([[0], np.cumsum(np.bincount(parent, minlength=n))])
    flat = pc.utf8_trim(raw, " ")
    special = _matches(flat, STOP_OR_SKIP, True)
    # Lines with markup are cleaned (`_cleaned`), except trailers: skipped either way.
    markup = _matches(raw, _MARKUP, where=_matches(head, _MARKUP)[parent])
    markup &= ~_matches(flat, _TRAILER, True, where=markup & special)
    if markup.any():
        flat = _replaced(flat, markup, _cleaned(raw.filter(pa.array(markup))))
        special[markup] = _matches(flat.filter(pa.array(markup)), STOP_OR_SKIP, True)
    stop = _matches(flat, _STOP, True, where=special)
    length = pc.binary_length(flat).to_numpy()
    stopped = _within(np.cumsum(stop), parent, offsets) > 0
    keep = (length > 0) & ~special & ~stopped
    rank = _within(np.cumsum(keep), parent, offsets) - 1
    adds = np.where(keep & (rank >= 1), length + 1, 0)
    before = _within(np.cumsum(adds), parent, offsets) - adds  # the body read so far
    keep &= (rank < 2) | (before < MAX_BODY)

    values, owner = flat.filter(pa.array(keep)), parent[keep]
    count = np.bincount(owner, minlength=n)
    starts = np.concatenate([[0], np.cumsum(count)])[:-1]
    first = np.zeros(len(values), bool)
    first[starts[count > 0]] = True
    subject = _placed(values.take(pa.array(starts[count > 0])), count > 0)
    second = _placed(values.take(pa.array(starts[count > 1] + 1)), count > 1)
    rest = pa.ListArray.from_arrays(
        pa.array(np.concatenate([[0], np.cumsum(np.maximum(count - 1, 0))]), pa.int32()),
        values.filter(pa.array(~first)),
    )
    return subject, second, pc.binary_join(rest, " "), count


def _cleaned(lines: pa.Array) -> pa.Array:
    """`clean_text(line, keep_inline_code=True)` of ASCII lines without HTML entities: code
    blocks and tags removed, inline code unwrapped, spaces collapsed."""
    lines = pc.replace_substring_regex(lines, text.FENCED.pattern, " ")
    lines = pc.replace_substring_regex(lines, "`([^`\n]*)`", "\\1")
    lines = pc.replace_substring_regex(lines, text.TAG.pattern, " ")
    return pc.utf8_trim(pc.replace_substring_regex(lines, "[\t ]+", " "), " ")


def _within(cumulative: np.ndarray, parent: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """A running total restarted at each text's first line."""
    before = np.concatenate([[0], cumulative])[offsets[:-1]]
    return cumulative - before[parent]


def _placed(values: pa.Array, where: np.ndarray) -> pa.Array:
    """`values` at the rows where `where` holds, "" elsewhere."""
    out = np.full(len(where), "", dtype=object)
    out[where] = values.to_numpy(zero_copy_only=False)
    return pa.array(out, pa.string())


def _conventional(subject: pa.Array, where: np.ndarray) -> pa.Array:
    """The label a conventional-commit prefix names where asked, else null (see
    `reading.conventional_label`)."""
    asked = subject.filter(pa.array(where))
    prefix = pc.struct_field(pc.extract_regex(asked, r"^(?P<w>\w+)(?:\([^)]*\))?!?:"), "w")
    names = pa.array(list(reading.CONVENTIONAL_LABEL))
    labels = pa.array(list(reading.CONVENTIONAL_LABEL.values()))
    found = pc.take(labels, pc.index_in(pc.ascii_lower(prefix), value_set=names))
    out = np.full(len(subject), None, dtype=object)
    out[where] = found.to_numpy(zero_copy_only=False)
    return pa.array(out, pa.string())


def _branch_words(subject: pa.Array, pull: np.ndarray) -> pa.Array:
    """The words of the branch a pull request merges ("org/fix-readme" -> "fix readme"),
    "" where the subject is no pull request's."""
    branch = pc.struct_field(
        pc.extract_regex(subject.filter(pa.array(pull)), f"(?i){reading.MERGE_PR.pattern}"),
        "branch",
    )
    words = pc.replace_substring_regex(branch, reading.BRANCH_WORDS.pattern, " ")
    return _placed(pc.utf8_trim(words, " "), pull)


def _evidence(texts: pa.Array, plat: np.ndarray, only: np.ndarray | None = None) -> _Sides:
    """`evidence.evidence` of every text (only where `only` holds; nothing elsewhere)."""
    n = len(texts)
    label, question, otherwise = (np.full(n, None, dtype=object) for _ in range(3))
    asked = np.ones(n, bool) if only is None else only.copy()
    dotted = asked & _contains(texts, ".")
    decided = _file_rules(texts, dotted)  # a file operation's file name decides, or its words
    settled = np.asarray(pc.is_valid(decided), bool)
    code = np.asarray(pc.equal(decided, files.CODE).fill_null(False), bool)
    label[settled & ~code] = _objects(decided.filter(pa.array(settled & ~code)).to_pylist())
    otherwise[code] = MS
    asked &= ~(settled & ~code)
    named = _matches(texts, files.FILENAME.pattern, True, where=dotted & asked)
    if named.any():
        words = [files.with_file_words(t) for t in texts.filter(pa.array(named)).to_pylist()]
        texts = _replaced(texts, named, pa.array(words, pa.string()))
    model_files = _matches(texts, ev.HF_MODEL_FILES.pattern, True, where=asked & (plat == "HF"))
    model_files &= ~_matches(texts, files.FILENAME.pattern, True, where=model_files)
    constant = _matches(texts, ev.CONSTANT.pattern, where=asked & _contains(texts, "_"))
    label[asked & model_files] = MS
    label[asked & ~model_files & constant] = PT
    questions = asked & ~model_files & ~constant
    question[questions] = _objects(pc.ascii_lower(texts.filter(pa.array(questions))).to_pylist())
    otherwise[code & ~questions] = None  # a settled label has no fallback
    return label, question, otherwise


def _file_rules(texts: pa.Array, where: np.ndarray) -> pa.Array:
    """`files.file_rule` of the texts `where` holds (null: no file operation or no rule)."""
    out = np.full(len(texts), None, dtype=object)
    op = _matches(texts, files.FILE_OP.pattern, True, where=where)
    if not op.any():
        return pa.array(out, pa.string())
    parts = pc.extract_regex(texts.filter(pa.array(op)), f"(?i){files.FILE_OP.pattern}")
    verb = np.asarray(pc.ascii_lower(pc.struct_field(parts, "verb")), dtype=object)
    name = pc.ascii_lower(pc.struct_field(parts, "file"))
    found = np.full(len(name), None, dtype=object)
    for label, pattern in files.FILE_RULES:  # the first rule that matches wins
        found[_searched(name, pattern, where=found == None)] = label  # noqa: E711
    removes = np.array([v.startswith(("delete", "remove")) for v in verb], bool)
    adds = np.array([v.startswith(("add", "creat", "upload")) for v in verb], bool)
    dependency = found == "DEPENDENCY"
    found[dependency] = np.where(removes, REM, np.where(adds, ADD, UPD))[dependency]
    found[(found == MS) & removes & _matches(name, files.WEIGHTS.pattern)] = OUT
    out[op] = found
    return pa.array(out, pa.string())


def _where(condition: np.ndarray, yes: pa.Array | pa.Scalar, no: pa.Array) -> pa.Array:
    return pc.if_else(pa.array(condition), yes, no)


def _contains(values: pa.Array, char: str) -> np.ndarray:
    """Which values hold the ASCII character `char`: one pass over their bytes."""
    out = np.zeros(len(values), bool)
    data = values.buffers()[2]
    if data is None or not len(values):
        return out
    offsets = np.frombuffer(values.buffers()[1], np.int32, len(values) + 1, values.offset * 4)
    start, end = int(offsets[0]), int(offsets[-1])
    at = np.flatnonzero(np.frombuffer(data, np.uint8, end - start, start) == ord(char))
    out[np.searchsorted(offsets, at + start, side="right") - 1] = True
    return out


def _matches(
    values: pa.Array, pattern: str, ignore_case: bool = False, where: np.ndarray | None = None
) -> np.ndarray:
    """Which values RE2 finds `pattern` in; only those `where` holds are searched."""
    if where is None:
        found = pc.match_substring_regex(values, pattern, ignore_case=ignore_case)
        return np.asarray(found.fill_null(False), dtype=bool)
    out = np.zeros(len(values), bool)
    if where.any():
        out[where] = _matches(values.filter(pa.array(where)), pattern, ignore_case)
    return out


def _searched(values: pa.Array, pattern: re.Pattern[str], where: np.ndarray) -> np.ndarray:
    """Which values `pattern.search` finds something in (only those `where` holds): by RE2,
    or for a pattern with a look-around by RE2's superset of it, confirmed by Python's `re`."""
    ignore_case = bool(pattern.flags & re.IGNORECASE)
    if not re2_syntax.has_lookaround(pattern.pattern):
        return _matches(values, pattern.pattern, ignore_case, where=where)
    found = _matches(values, re2_syntax.superset(pattern.pattern), ignore_case, where=where)
    for k in np.flatnonzero(found).tolist():
        found[k] = pattern.search(values[k].as_py()) is not None
    return found


def _replaced(values: pa.Array, where: np.ndarray, replacements: pa.Array) -> pa.Array:
    """`values` with those `where` holds replaced, in order, by `replacements`."""
    return pc.replace_with_mask(values, pa.array(where), replacements)


class _Builder:
    """The columns of `Readings`, filled text by text or many at once."""

    def __init__(self, n: int) -> None:
        self.is_read = np.zeros(n, bool)
        self.settled = np.full(n, None, dtype=object)
        self.subject = tuple(np.full(n, None, dtype=object) for _ in range(3))
        self.body = tuple(np.full(n, None, dtype=object) for _ in range(3))
        self.fallback_subject = np.full(n, "", dtype=object)
        self.has_body = np.zeros(n, bool)
        self.brings_branch = np.zeros(n, bool)

    def settle(self, rows: np.ndarray, label: str | None) -> None:
        self.settled[rows] = label

    def put(self, i: int, found: Reading | str | None) -> None:
        if not isinstance(found, Reading):
            self.settled[i] = found
            return
        self.is_read[i] = True
        for side, said in ((self.subject, found.subject), (self.body, found.body)):
            for column, value in zip(side, said, strict=True):
                column[i] = value
        self.fallback_subject[i] = found.fallback_subject
        self.has_body[i] = found.has_body
        self.brings_branch[i] = found.brings_branch

    def read(
        self,
        rows: np.ndarray,
        said: _Sides,
        backing: _Sides,
        subjects: list[str],
        has_body: np.ndarray,
        brings: np.ndarray,
    ) -> None:
        self.is_read[rows] = True
        self.has_body[rows] = has_body
        self.brings_branch[rows] = brings
        for side, found in ((self.subject, said), (self.body, backing)):
            for column, values in zip(side, found, strict=True):
                column[rows] = values
        self.fallback_subject[rows] = _objects(subjects)

    def done(self) -> Readings:
        def listed(side: tuple[np.ndarray, ...]) -> _Lists:
            return tuple(c.tolist() for c in side)

        return Readings(
            self.is_read,
            self.settled.tolist(),
            listed(self.subject),
            listed(self.body),
            self.fallback_subject.tolist(),
            self.has_body,
            self.brings_branch,
        )


def _objects(values: list[Any]) -> np.ndarray:
    """A 1-d object array of `values` (numpy would make a 2-d array of equal-length lists)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out
