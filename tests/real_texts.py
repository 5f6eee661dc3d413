"""Every real commit text in ../shared/data, and the rules labeler's frozen answers on them.

The rules labeler's labels must not change when only its speed does. Its answers on every
unique real text (each on both platforms) are frozen in `fixtures/labels/rules_real.txt.gz`:
a header naming the rules version and a digest of the texts, then one line per text (in the
order of their SHA-256) with two letters, the GH and the HF label. Regenerate it only with a
new rules version:

    python tests/real_texts.py
"""

from __future__ import annotations

import gzip
import hashlib
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FROZEN = Path(__file__).resolve().parent / "fixtures" / "labels" / "rules_real.txt.gz"
_SKIP = {"INDEX.csv", "FAMILIES.csv", "timestamp_match.csv"}


def real_texts(shared: Path = SHARED) -> pd.DataFrame:
    """Every real GitHub message and HF title+message (platform, text), repeats included."""
    gh = [
        pd.read_csv(f, usecols=["message"])
        for f in sorted((shared / "data" / "gh_histories").glob("*.csv"))
        if f.name not in _SKIP
    ]
    gh_text = pd.concat(gh)["message"].dropna()
    hf = pd.read_csv(shared / "data" / "hf_commits" / "hf_commits_s2elab_all.csv")
    hf_text = (hf["title"].fillna("") + "\n" + hf["message"].fillna("")).str.strip()
    return pd.concat(
        [
            pd.DataFrame({"platform": "GH", "text": gh_text}),
            pd.DataFrame({"platform": "HF", "text": hf_text}),
        ],
        ignore_index=True,
    )


def unique_real_texts(shared: Path = SHARED) -> list[str]:
    """The distinct real texts, ordered by their SHA-256 (the frozen file's order)."""
    texts = set(real_texts(shared)["text"])
    return sorted(texts, key=_sha)


def digest(texts: list[str]) -> str:
    """One hash naming the exact list of texts."""
    return hashlib.sha256("".join(_sha(t) for t in texts).encode()).hexdigest()[:16]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _codes() -> dict[str | None, str]:
    from core.vocabulary import CHANGE_TYPES

    return {None: "-", **{t: chr(ord("a") + i) for i, t in enumerate(CHANGE_TYPES)}}


def encode(gh: list[str | None], hf: list[str | None]) -> list[str]:
    codes = _codes()
    return [codes[a] + codes[b] for a, b in zip(gh, hf, strict=True)]


def decode(line: str) -> tuple[str | None, str | None]:
    names = {c: t for t, c in _codes().items()}
    return names[line[0]], names[line[1]]


def read_frozen(path: Path = FROZEN) -> tuple[str, str, list[str]]:
    """(rules version, texts digest, one two-letter line per text)."""
    with gzip.open(path, "rt", encoding="ascii") as fh:
        header = fh.readline().split()
        lines = fh.read().split()
    return header[1], header[2], lines


def write_frozen(label: Callable[[str, str], str | None], version: str, path: Path = FROZEN) -> int:
    texts = unique_real_texts()
    lines = encode([label(t, "GH") for t in texts], [label(t, "HF") for t in texts])
    body = f"# {version} {digest(texts)} {len(texts)}\n" + "\n".join(lines) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(path, "wb", mtime=0) as fh:  # byte-identical when nothing changed
        fh.write(body.encode("ascii"))
    return len(texts)


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    from core.labeling.rules import VERSION, label_one

    n = write_frozen(label_one, VERSION)
    print(f"froze {VERSION} labels of {n} texts in {FROZEN}")
