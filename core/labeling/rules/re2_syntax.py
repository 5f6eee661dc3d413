"""Python regexes rewritten for RE2, which pyarrow runs over a whole array of texts at C speed.

A keyword rule is a union of alternatives; each alternative has up to two RE2 forms:
- `exact`: the same pattern, valid on texts of printable ASCII only, where `\\w`, `\\d`, `\\s`
  and `\\b` mean the same in both engines. Look-arounds have no RE2 form, so an alternative
  with one has no exact form.
- `superset`: a pattern that matches at least every text the Python one matches, on any text
  (look-arounds and word boundaries dropped, `\\w` `\\d` `\\s` widened to every non-ASCII
  character). What it finds is a candidate that Python's `re` then confirms.
- `required_parts`: pieces of the pattern that every match contains, without repetition, for
  a cheap screen (a text without one cannot match; unions of such pieces stay small in RE2).
The pattern's text is read by the small scanner below (no private `re` internals); a construct
it does not know raises ValueError when the rules are compiled, never while labeling.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

_NON_ASCII = r"\x{80}-\x{10FFFF}"
# Python's classes on any text, as RE2 classes that contain them (RE2's are ASCII).
_WIDER = {"w": r"\w" + _NON_ASCII, "d": r"\d" + _NON_ASCII, "s": r"\s\x0b\x1c-\x1f" + _NON_ASCII}
_LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regex (split at `|` outside groups and classes)."""
    parts, start = [], 0
    for i, depth in _scan(pattern):
        if depth == 0 and pattern[i] == "|":
            parts.append(pattern[start:i])
            start = i + 1
    return [*parts, pattern[start:]]


@cache
def has_lookaround(pattern: str) -> bool:
    """Whether the pattern asserts something RE2 cannot (a look-ahead or look-behind)."""
    return any(pattern.startswith(_LOOKAROUNDS, i) for i, _ in _scan(pattern))


def exact(pattern: str) -> str:
    """The RE2 form of a look-around-free pattern: the same matches on printable ASCII."""
    if has_lookaround(pattern):
        raise ValueError(f"a look-around has no RE2 form: {pattern!r}")
    return _translate(pattern, wide=False)


def superset(pattern: str) -> str:
    """An RE2 pattern matching at least every text `pattern` matches (any text)."""
    return _translate(pattern, wide=True)


def required_parts(pattern: str) -> list[tuple[str, float]]:
    """Runs of the pattern's tokens that every match contains, none repeated, each with the
    number of literal characters it holds (a space or a start anchor counts less)."""
    found: list[tuple[str, float]] = []
    run: list[str] = []
    score = 0.0

    def close() -> None:
        nonlocal run, score
        if run:
            found.append(("".join(run), score))
        run, score = [], 0.0

    for token, quantifier in _tokens(pattern):
        if token.startswith(_LOOKAROUNDS):
            continue  # zero-width: without it the run still matches (and more)
        if _complex(token):  # its alternatives' own parts, if it must match
            close()
            inner = [
                max(required_parts(a), key=lambda p: p[1], default=("", 0.0))
                for a in alternatives(_group_body(token))
            ]
            if (
                quantifier[:1] not in ("?", "*")
                and quantifier[:2] != "{0"
                and all(p for p, _ in inner)
            ):
                found.append(
                    ("(?:" + "|".join(p for p, _ in inner) + ")", min(s for _, s in inner))
                )
            continue
        if quantifier == "":
            run.append(token)
            score += _literal_count(token)
        elif quantifier[0] == "?":
            run.append(token + quantifier)
        elif quantifier[0] == "+" or (quantifier[0] == "{" and not quantifier.startswith("{0")):
            run.append(token)  # once for sure; what follows may not be adjacent
            score += _literal_count(token)
            close()
        else:  # `*` or `{0,n}`: the run ends before it
            close()
    close()
    return found


@cache
def _tokens(pattern: str) -> tuple[tuple[str, str], ...]:
    """(token, quantifier) pairs of one alternative, e.g. ("\\w", "*"), ("(a|b)", "")."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            end = i + 2
        elif c == "[":
            end = _class_end(pattern, i)
        elif c == "(":
            end = _group_end(pattern, i)
        else:
            end = i + 1
        stop = end
        if stop < len(pattern) and pattern[stop] in "*+?{":
            stop = pattern.index("}", stop) + 1 if pattern[stop] == "{" else stop + 1
            if stop < len(pattern) and pattern[stop] == "?":
                stop += 1  # lazy
        out.append((pattern[i:end], pattern[end:stop]))
        i = stop
    return tuple(out)


def _group_body(token: str) -> str:
    for opening in ("(?:", "(?i:"):
        if token.startswith(opening):
            return token[len(opening) : -1]
    if token.startswith("(?P<"):
        return token[token.index(">") + 1 : -1]
    return token[1:-1]


def _complex(token: str) -> bool:
    """A group that repeats or looks around somewhere inside (not a simple run of tokens)."""
    if not token.startswith("("):
        return False
    return any(
        q[:1] in ("*", "+", "{") or t.startswith(_LOOKAROUNDS) or _complex(t)
        for a in alternatives(_group_body(token))
        for t, q in _tokens(a)
    )


def _score(pattern: str) -> float:
    """Literal characters every match of a token sequence contains."""
    return sum(_literal_count(t) for t, q in _tokens(pattern) if q == "")


def _literal_count(token: str) -> float:
    """How many literal characters a token always matches (a group: its poorest alternative)."""
    if token.startswith("("):
        return min(map(_score, alternatives(_group_body(token))))
    if token == "^":
        return 0.5  # anchored: more selective, but not as much as a letter
    if token.startswith("\\"):
        return float(not token[1].isalnum())  # an escaped character, not a class
    if token.startswith("[") or token in ".$":
        return 0.0
    return 0.25 if token == " " else 1.0  # a space is in nearly every text


@cache
def _translate(pattern: str, *, wide: bool) -> str:
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(_escape(pattern[i + 1], wide=wide))
            i += 2
        elif c == "[":
            end = _class_end(pattern, i)
            out.append(_class(pattern[i:end], wide=wide))
            i = end
        elif c == "(":
            i = _group(pattern, i, out)
        elif c == "$":
            # Python's `$` also matches before a final newline; RE2's only at the very end.
            out.append(r"(?:$|\n)" if wide else "$")
            i += 1
        elif c == "{" and pattern.startswith("{,", i):
            raise ValueError(f"RE2 reads '{{,n}}' as text: {pattern!r}")
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _escape(char: str, *, wide: bool) -> str:
    if char in "bB":
        return "" if wide else "\\" + char  # dropping an assertion only widens
    if char == "A":
        return "^"
    if char == "Z":
        return r"\z"
    if char.isdigit():
        raise ValueError("back-references have no RE2 form")
    if wide and char in _WIDER:
        return f"[{_WIDER[char]}]"
    return "\\" + char


def _group(pattern: str, i: int, out: list[str]) -> int:
    """Translate the opening of the group at `i`; returns where to go on."""
    if pattern.startswith(_LOOKAROUNDS, i):
        end = _group_end(pattern, i)  # only reached by `superset`: dropping it only widens
        if end < len(pattern) and pattern[end] in "?*+{":
            raise ValueError(f"a quantified look-around: {pattern!r}")
        return end
    if pattern.startswith("(?P<", i):
        out.append("(?:")
        return pattern.index(">", i) + 1
    if pattern.startswith(("(?:", "(?i:"), i):
        end = pattern.index(":", i) + 1
        out.append(pattern[i:end])
        return end
    if pattern.startswith("(?", i):
        raise ValueError(f"unknown group {pattern[i : i + 4]!r} in {pattern!r}")
    out.append("(?:")  # RE2 need not capture
    return i + 1


def _class(text: str, *, wide: bool) -> str:
    """A character class; in `superset`, a positive class widened like `\\w` `\\d` `\\s`."""
    body, negated = text[1:-1], text.startswith("[^")
    parts, i = [], 0
    while i < len(body):
        if body[i] == "\\":
            char = body[i + 1]
            if wide and negated and char in "WDS":
                # [^\S] is every whitespace in Python, only ASCII whitespace in RE2
                raise ValueError(f"no RE2 superset for {text!r}")
            parts.append(
                _WIDER[char] if wide and not negated and char in _WIDER else body[i : i + 2]
            )
            i += 2
        else:
            parts.append(body[i])
            i += 1
    return "[" + "".join(parts) + "]"


def _class_end(pattern: str, i: int) -> int:
    """The index just after the class opened at `i` (a `]` first in the class is a member)."""
    j = i + 1
    if j < len(pattern) and pattern[j] == "^":
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1
    while pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


def _group_end(pattern: str, i: int) -> int:
    """The index just after the `)` closing the group opened at `i`."""
    for j, depth in _scan(pattern, i):
        if depth == 1 and pattern[j] == ")":
            return j + 1
    raise ValueError(f"unbalanced group in {pattern!r}")


def _scan(pattern: str, start: int = 0) -> Iterator[tuple[int, int]]:
    """Each character outside escapes and classes, with the depth of groups around it (a
    group's own parentheses count as inside it)."""
    depth, i = 0, start
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
        elif c == "[":
            i = _class_end(pattern, i)
        else:
            depth += c == "("
            yield i, depth
            depth -= c == ")"
            i += 1
