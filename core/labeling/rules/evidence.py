"""What one line or paragraph says: a label settled by a file name or a platform's own rule,
or else a question for the keyword rules (asked of many texts at once by the matcher)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from core.labeling.rules.files import CODE, FILENAME, file_rule, with_file_words
from core.labeling.rules.terms import MS, PT, rx

# Rules that only hold on one platform: on GitHub "add files" is a project layout change;
# on a model repository the same words upload model files (Model Structure).
HF_MODEL_FILES = rx(
    r"^(add|added|adding|upload|uploaded|commit|commiting|committing|push|"
    r"pushing)\w* (all |some |the |more |missing |model |new )?(model )?"
    r"files?\b|^upload \d+ files\b|^upload folder\b"
)
# Setting a hard-coded constant ("change MAX_NEW_TOKENS", "increase BATCH_SIZE to 64") is
# the paper's definition of Parameter Tuning; case-sensitive, so only real constants count.
CONSTANT = re.compile(
    r"^(?i:change|set|update|increase|decrease|reduce|raise|lower|tune|adjust)\w* "
    r"(?i:the |default )*[A-Z][A-Z0-9]*(_[A-Z0-9]+)+\b"
)
# Between CJK (or other non-ASCII) and ASCII letters: "增加了qlora的reamd" has no word
# boundary before "reamd" unless one is inserted.
_SCRIPT_EDGE = re.compile(r"(?<=[^\x00-\x7f])(?=[a-z0-9])|(?<=[a-z0-9])(?=[^\x00-\x7f])")


class Evidence(NamedTuple):
    """A label settled already, or a question (the lower-cased text) for the keyword rules
    and the label to take when none of them matches."""

    label: str | None = None
    question: str | None = None
    otherwise: str | None = None

    def answer(self, answers: Mapping[str, str | None]) -> str | None:
        if self.question is None:
            return self.label
        return answers[self.question] or self.otherwise


NOTHING = Evidence()


def evidence(text: str, platform: str) -> Evidence:
    """What a line or paragraph says: its file operation's label, else the keyword rules'."""
    if "." not in text:  # no file name (the common case)
        return keywords(text, platform)
    found = file_rule(text)
    if found == CODE:  # a source file whose name says nothing: its words, else code
        return keywords(with_file_words(text), platform, otherwise=MS)
    if found:
        return Evidence(found)
    return keywords(with_file_words(text), platform)


def keywords(text: str, platform: str, otherwise: str | None = None) -> Evidence:
    """The platform's own rules, then a question for the ordered keyword rules."""
    if platform == "HF" and HF_MODEL_FILES.search(text) and not FILENAME.search(text):
        return Evidence(MS)
    if "_" in text and CONSTANT.match(text):
        return Evidence(PT)
    low = text.lower()
    if not low.isascii():
        low = _SCRIPT_EDGE.sub(" ", low)
    return Evidence(question=low, otherwise=otherwise)
