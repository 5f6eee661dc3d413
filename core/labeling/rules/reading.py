"""How a commit text is read before the keyword rules: its cleaned lines, what a merge
brings, the conventional-commit prefix, and the evidence its subject and body hold."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pyarrow.compute as pc

from core.labeling.arrow_text import arrow_texts
from core.labeling.rules.evidence import NOTHING, Evidence, evidence
from core.labeling.rules.terms import ED, ID, PP, SH, VI, rx
from core.labeling.text import clean_text, has_markup

MAX_CHARS = 400  # the decisive words are at the start; long bodies only cost time
MAX_BODY = 240  # a body backs up a subject without evidence; its first sentences suffice

MERGE_PR = rx(r"^merge pull request #\d+ from (?P<branch>\S+)")
# Any merge of branches, tags or commits ("Merge branch 'github-main' into 'main'").
MERGE_BRANCH = rx(r"^merge (remote-tracking )?(branch|branches|tag|commit)\b")
SYNC = rx(r"\b(sync\w*|together|upstream|mirror\w*|conflicts?)\b|^merge\b")
BRANCH_WORDS = re.compile(r"^[^/]*/|[-_/]+")  # "org/fix-readme" -> "fix readme"
# Long-lived branches whose merge carries no change of its own.
INTEGRATION_BRANCH = rx(r"^(dev|devel|develop|development|main|master|staging|next|trunk)$")
# Git's list of conflicted files ends a merge message (file names, not a description); sign-offs
# and separators are skipped.
STOP_OR_SKIP = rx(
    r"^(?:(?P<stop>\W*conflicts:)|signed-off-by|co-authored-by|reviewed-by|see merge request|"
    r"-{3,}|\* ?$)"
)
CONVENTIONAL = rx(r"^(\w+)(\([^)]*\))?!?:\s*")
CONVENTIONAL_LABEL = {
    "docs": ED,
    "doc": ED,
    "ci": SH,
    "build": SH,
    "test": VI,
    "tests": VI,
    "perf": PP,
    "style": ID,
}


def lines(raw: str) -> list[str]:
    """Non-empty cleaned lines (inline code unwrapped so file names survive), up to the body
    length that is read."""
    raw = raw[: MAX_CHARS + MAX_BODY]
    plain = raw.isascii() and not has_markup(raw)  # cleaning only collapses spaces
    if plain and raw.isprintable():  # and one line: most texts
        text = raw.strip() if "  " not in raw else " ".join(raw.split())
        return [text] if text and not _stops_or_skips(text) else []
    out: list[str] = []
    body = 0
    for line in raw.splitlines():
        if body >= MAX_BODY and len(out) > 1:
            break  # the rest would be cut off anyway
        text = " ".join(line.split()) if plain else clean_text(line, keep_inline_code=True)
        if not text:
            continue
        special = _stops_or_skips(text)
        if special and special.group("stop"):
            break
        if not special:
            if out:
                body += len(text) + 1
            out.append(text)
    return out


def _stops_or_skips(text: str) -> re.Match[str] | None:
    first = text[0]
    if first.isascii() and (first.isalnum() or first == "_") and first not in "sScCrR":
        return None  # no trailer, and no conflict list, starts like this
    return STOP_OR_SKIP.match(text)


def conventional_label(subject: str) -> str | None:
    """The label a conventional-commit prefix names ("docs: ...", "ci(x): ..."), if any."""
    prefix = CONVENTIONAL.match(subject) if ":" in subject else None
    return CONVENTIONAL_LABEL.get(prefix.group(1).lower()) if prefix else None


class Reading(NamedTuple):
    """A text read up to the keyword rules: the evidence of its subject and of its body, and
    what the fallback reads when neither has any."""

    platform: str
    subject: Evidence
    body: Evidence
    fallback_subject: str  # the subject as the fallback sees it
    has_body: bool
    brings_branch: bool  # a pull request that only brings a long-lived branch over


def read(raw: str, platform: str) -> Reading | str | None:
    """The reading of one commit text; a label when one is certain already; None when empty."""
    found = lines(raw)
    if not found:
        return None
    subject, rest = found[0], found[1:]
    merge = subject[:5].lower() == "merge"
    if merge and MERGE_BRANCH.match(subject):
        # Synchronising branches is Sharing; a merge request's title (GitLab's "Merge branch
        # 'x' into 'main'" + title) is read like a pull request's headline.
        if not rest or SYNC.search(rest[0]):
            return SH
        headline = rest[0]
        return Reading(
            platform,
            evidence(headline[:MAX_CHARS], platform),
            NOTHING,
            headline,
            False,
            False,
        )
    pull = MERGE_PR.match(subject) if merge else None
    integration, branch = False, ""
    if pull:
        # A pull request's headline is its first body line; later lines are sub-items that
        # must not outvote it, so only the branch name backs the headline up.
        branch = BRANCH_WORDS.sub(" ", pull.group("branch")).strip()
        integration = bool(INTEGRATION_BRANCH.match(branch))
        subject, rest = (rest[0], [branch]) if rest else (branch, [])
    subject, body = subject[:MAX_CHARS], " ".join(rest)[:MAX_BODY]
    named = conventional_label(subject)
    if named:
        return named
    # A pull request that only brings a long-lived branch over ("from org/dev: Dev")
    # synchronises collaborators' work, like "Merge branch 'main' into ...". Only when its
    # headline says nothing itself: a described change is labeled by the rest.
    brings = integration and (subject.lower() == branch.lower() or content_free(subject))
    return Reading(
        platform,
        evidence(subject, platform),
        evidence(body, platform) if body else NOTHING,
        subject,
        bool(body),
        brings,
    )


# Signs that a short text is about code: identifiers (snake_case, dotted, camelCase, calls;
# case-sensitive) or words for code and model changes.
# Model names mix letters and digits ("update t5", "gpt2"); "v2" is a version.
_IDENTIFIER = re.compile(r"\w[._]\w|[a-z][A-Z]|\(\)|\b(?![vV]\d)[A-Za-z]+\d")
_CODE_WORDS = re.compile(
    r"\b(fix\w*|bugs?|errors?|crash\w*|issues?|functions?|class\w*|methods?|code|refactor\w*|"
    r"implement\w*|support\w*|models?|layers?|kernels?|api|cuda|gpu|nan|loss|attention|"
    r"inference|generat\w*|decod\w*|encod\w*|forward|weights?|params?|logits?|batch\w*|"
    r"token\w*|vocab\w*|modul\w*|scripts?|pipelines?|imports?|integers?|types?|variables?|"
    r"arg\w*|dtypes?|tensors?|shapes?|logic|logs?|logging)\b",
    re.IGNORECASE,
)


# `_IDENTIFIER` for RE2, which has no look-ahead: a word of letters then a digit, unless
# it is a version ("v2").
_IDENTIFIER_RE2 = r"\w[._]\w|[a-z][A-Z]|\(\)|\b(?:[A-UW-Za-uw-z][A-Za-z]*|[vV][A-Za-z]+)\d"


def content_free_all(subjects: Sequence[str]) -> np.ndarray:
    """`content_free` of every subject, column-wise (Python's own for texts beyond ASCII,
    whose words and word boundaries RE2 reads differently)."""
    values, left_out = arrow_texts(subjects)
    plain = np.asarray(pc.match_substring_regex(values, r"^[\t\n\v\f\r\x20-\x7e]*$"), bool)
    plain &= ~left_out
    split = pc.ascii_split_whitespace(pc.ascii_trim_whitespace(values))
    out = plain & (pc.list_value_length(split).to_numpy() <= 3)
    for pattern, ignore_case in ((_IDENTIFIER_RE2, False), (_CODE_WORDS.pattern, True)):
        asked = np.flatnonzero(out)
        found = pc.match_substring_regex(values.take(asked), pattern, ignore_case=ignore_case)
        out[asked[np.asarray(found, bool)]] = False
    for i in np.flatnonzero(~plain).tolist():
        out[i] = content_free(subjects[i])
    return out


def content_free(subject: str) -> bool:
    """A text of at most three words that names nothing in the code or the model: the
    reference annotators filed those ("nexusraven has landed!", "add files", "init commit")
    under Project Metadata, not under the model's structure."""
    return (
        len(subject.split()) <= 3
        and not _IDENTIFIER.search(subject)
        and not _CODE_WORDS.search(subject)
    )
