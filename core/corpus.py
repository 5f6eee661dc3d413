"""The corpus: the paper's replication data and the families analysed in SyncLens, cached.

Two sources share the `corpus_*` tables, told apart by their `corpus` column:

* ``paper`` — the public replication package (`eyinlojuoluwa/Synchronization-Patterns`,
  folder `dataset/`): one row per family from `all_auto_and_manual_patterns.csv`, enriched
  with the other CSVs, and the 3,863 platform switches of `GH_HF_commit_time_differences.csv`.
* ``mine`` — every family cached in SyncLens that has commits, classified by the engine
  (`core.analysis.analyze`) with its switches (`core.delays`).

How the paper's numbers come out (checked against the replication CSVs):

* Shares of patterns and lags are over families (325 after the 13 exclusions; rounded to one
  decimal the shares equal the paper's Figures 20 and 22).
* Mean switch days are means over *all switches* of the families in a group, not means of
  per-family means (which give e.g. 49.69 days for GH First instead of the paper's 15.82).
* The switches file already leaves out the 13 excluded families, so with exclusions switched
  off the family shares cover 338 families but the switch statistics still cover 325.
* Family keys agree across the CSVs; they are still joined case-insensitively (`family_key`,
  casefolded) so a re-exported file with different capitalisation joins the same way.
* Exclusions are stored as a flag (`excluded`, `exclusion_reason`) and applied when the corpus
  is loaded for a report (`load_corpus(..., exclusions=True)`), never by deleting rows.
* Number of variants and age group come from `grouped_data_RQ2.csv` (what Figures 21, 23 and
  24 used); families missing there fall back to counting their models in
  `complete_dataset.csv` and have no age group.
"""

from __future__ import annotations

import ast
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import sqlite_utils

from core import store
from core.errors import InputError, SourceError
from core.text import clean_text, text_hash
from core.vocabulary import (
    INTENSITIES,
    LAGS,
    PATTERN_TABLE,
    REPLICATION_LAG,
    SYNC_TYPES,
    normalise_pattern,
)

PAPER, MINE = "paper", "mine"
CORPORA = (PAPER, MINE)
REPLICATION_REPO = "eyinlojuoluwa/Synchronization-Patterns"
RAW_BASE = f"https://raw.githubusercontent.com/{REPLICATION_REPO}/main/"
# The package keeps its CSVs in `dataset/`; older commits had some at the top level, and the
# author comparison is published there as JSON, so each file has fallbacks in order.
REMOTE_PREFIXES = ("dataset/", "")
FILES: dict[str, tuple[str, ...]] = {
    "patterns": ("all_auto_and_manual_patterns.csv",),
    "switches": ("GH_HF_commit_time_differences.csv",),
    "models": ("complete_dataset.csv",),
    "exclusions": ("must_exclude_from_all_analysis.csv",),
    "grouped": ("grouped_data_RQ2.csv",),
    "similarity": ("family_similarity_scores.csv",),
    "early_late": ("RQ2_early_late_pattern.csv",),
    "authors": ("family_author_comparison.csv", "family_author_comparison.json"),
    "dunn": ("dunn_test_results.csv",),
}
REQUIRED = ("patterns", "switches")
AGE_GROUPS = {
    "recent": "Recent",
    "intermediate": "Intermediate",
    "matured": "Matured",
    "mature": "Matured",
}
EXCLUSION_REASON = "excluded by the paper (must_exclude_from_all_analysis.csv)"
GITHUB_URL = re.compile(r"github\.com/([\w.-]+)/([\w.-]+)", re.IGNORECASE)

Fetcher = Callable[[str], bytes | None]
"""Fetch a URL: its bytes, None when it does not exist (404); raises SourceError otherwise."""


@dataclass(frozen=True)
class ImportReport:
    """What one import stored and what it had to leave out (rows skipped per file)."""

    corpus: str
    origin: str
    n_families: int
    n_excluded: int
    n_switches: int
    n_models: int
    skipped: dict[str, int] = field(default_factory=dict)
    missing_files: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def n_skipped(self) -> int:
        return sum(self.skipped.values())

    def to_dict(self) -> dict:
        out = asdict(self)
        out["missing_files"] = list(self.missing_files)
        out["notes"] = list(self.notes)
        out["n_skipped"] = self.n_skipped
        return out


@dataclass(frozen=True)
class Corpus:
    """A loaded corpus: one row per family and one row per switch (both with `corpus`).

    `families` columns: corpus, family, family_key, owner, github_repo, lag, sync_type,
    intensity, pattern, generated, n_variants, variants ("single"/"multiple"),
    mean_age_days, age_group, similarity, excluded, exclusion_reason, early_lag, late_lag,
    early_pattern, late_pattern, co_active_periods, n_gh, n_hf, n_common, n_switches,
    mean_switch_days. `switches`: corpus, family, seq, source, target, prev, next, days.
    `published_dunn` is the paper's own Dunn matrix (pattern x pattern), empty if not loaded.
    """

    families: pd.DataFrame
    switches: pd.DataFrame
    published_dunn: pd.DataFrame
    sources: tuple[str, ...]
    exclusions: bool


# --- fetching the replication package ------------------------------------------------------


def http_fetcher(session=None, *, timeout: float = 30.0) -> Fetcher:
    """A Fetcher over `requests` (one session, reused); 404 means "no such file"."""
    import requests

    http = session or requests.Session()

    def fetch(url: str) -> bytes | None:
        try:
            response = http.get(url, timeout=timeout)
        except requests.Timeout as err:
            raise SourceError(
                f"Downloading {url} timed out. Check your connection and run "
                "`python -m core corpus import` again, or pass a folder with "
                "the replication CSVs.",
                kind="timeout",
                repo=REPLICATION_REPO,
            ) from err
        except requests.RequestException as err:
            raise SourceError(
                f"Could not reach GitHub to download {url} ({type(err).__name__})."
                " Check your network, or pass a folder with the replication "
                "CSVs: `python -m core corpus import PATH`.",
                kind="network",
                repo=REPLICATION_REPO,
            ) from err
        if response.status_code == 404:
            return None
        if response.status_code in (403, 429):
            raise SourceError(
                f"GitHub refused {url} (HTTP {response.status_code}, rate limit)."
                " Wait a few minutes and try again, or import from a folder.",
                kind="rate_limit",
                repo=REPLICATION_REPO,
                retry_at=response.headers.get("Retry-After"),
            )
        if response.status_code >= 400:
            raise SourceError(
                f"GitHub answered HTTP {response.status_code} for {url}. Try again "
                "later, or import from a folder.",
                kind="server",
                repo=REPLICATION_REPO,
            )
        return response.content

    return fetch


def download_package(fetcher: Fetcher, base: str = RAW_BASE) -> tuple[dict[str, bytes], str]:
    """Download the replication files (required ones must exist); returns (files, origin)."""
    files: dict[str, bytes] = {}
    for names in FILES.values():
        for name in names:
            for prefix in REMOTE_PREFIXES:
                data = fetcher(base + prefix + name)
                if data is not None:
                    files[name] = data
                    break
            if name in files:
                break
    missing = [FILES[k][0] for k in REQUIRED if not any(n in files for n in FILES[k])]
    if missing:
        raise SourceError(
            f"The replication package at {base} has no {', '.join(missing)}. "
            "Download it by hand and run `python -m core corpus import PATH`.",
            kind="not_found",
            repo=REPLICATION_REPO,
        )
    return files, base


def read_folder(folder: Path) -> dict[str, bytes]:
    """The replication files present in a folder (required ones must be there)."""
    if not folder.is_dir():
        raise InputError(
            f"{folder} is not a folder. Give the folder holding the replication "
            "CSVs (e.g. ../shared/corpus), or nothing to download them."
        )
    files = {
        name: (folder / name).read_bytes()
        for names in FILES.values()
        for name in names
        if (folder / name).is_file()
    }
    missing = [FILES[k][0] for k in REQUIRED if not any(n in files for n in FILES[k])]
    if missing:
        raise InputError(
            f"{folder} has no {', '.join(missing)}; it does not look like the "
            "replication package's dataset/ folder."
        )
    return files


# --- parsing -------------------------------------------------------------------------------


class _Skips:
    """Counts skipped rows per file (bad CSV lines and rows that fail validation)."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def add(self, name: str, n: int = 1) -> None:
        if n:
            self.counts[name] = self.counts.get(name, 0) + n


def _read_table(files: dict[str, bytes], key: str, skips: _Skips) -> pd.DataFrame | None:
    """One replication file as a frame of strings; malformed lines are skipped and counted."""
    for name in FILES[key]:
        if name not in files:
            continue
        data = files[name]
        try:
            if name.endswith(".json"):
                return pd.read_json(io.BytesIO(data), dtype=False)
            bad: list[list[str]] = []

            def on_bad(line: list[str], bad: list[list[str]] = bad) -> None:
                bad.append(line)
                return None

            frame = pd.read_csv(
                io.BytesIO(data),
                dtype=str,
                keep_default_na=False,
                engine="python",
                on_bad_lines=on_bad,
            )
            skips.add(name, len(bad))
            return frame
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError):
            skips.add(name, 1)
            return None
    return None


def _key(name: object) -> str:
    return str(name).strip().casefold()


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _number(value: object) -> float | None:
    try:
        number = float(str(value).strip().replace(",", ""))
    except (TypeError, ValueError):
        return None
    return None if pd.isna(number) else number


def _lag(value: object) -> str | None:
    text = _text(value)
    if text is None:
        return None
    if text in LAGS:
        return text
    return REPLICATION_LAG.get(text) or next(
        (ours for theirs, ours in REPLICATION_LAG.items() if theirs.lower() == text.lower()), None
    )


def _age_group(value: object) -> str | None:
    text = (_text(value) or "").lower().replace("-families", "").replace(" families", "")
    return AGE_GROUPS.get(text.strip())


def github_repo_of(url: object) -> str | None:
    """`owner/repo` from a GitHub URL (deep links and `.git` suffixes allowed)."""
    match = GITHUB_URL.search(str(url or ""))
    if not match:
        return None
    repo = match.group(2)
    repo = repo[:-4] if repo.lower().endswith(".git") else repo
    return f"{match.group(1)}/{repo}"


def _family_rows(patterns: pd.DataFrame, skips: _Skips) -> dict[str, dict]:
    """Validated family rows keyed by family_key; the pattern follows codes when names lack."""
    name = FILES["patterns"][0]
    rows: dict[str, dict] = {}
    for rec in patterns.to_dict("records"):
        family = _text(rec.get("family"))
        sync = (_text(rec.get("Syncs")) or "").upper()
        intensity = (_text(rec.get("intensity")) or "").upper()
        codes = (_text(rec.get("codes")) or "").upper()
        if (sync not in SYNC_TYPES or intensity not in INTENSITIES) and len(codes) == 3:
            sync, intensity = codes[:2], codes[2]
        pattern = (
            normalise_pattern(rec.get("names"))
            or normalise_pattern(rec.get("pattern_names"))
            or PATTERN_TABLE.get((sync, intensity))
        )
        lag = _lag(rec.get("Lagged"))
        if not family or pattern is None or lag is None or _key(family) in rows:
            skips.add(name)
            continue
        rows[_key(family)] = {
            "family": family,
            "family_key": _key(family),
            "owner": _text(rec.get("owner")),
            "github_repo": None,
            "lag": lag,
            "sync_type": sync if sync in SYNC_TYPES else None,
            "intensity": intensity if intensity in INTENSITIES else None,
            "pattern": pattern,
            "generated": _text(rec.get("generated")),
            "n_variants": None,
            "mean_age_days": None,
            "age_group": None,
            "similarity": None,
            "excluded": 0,
            "exclusion_reason": None,
            "early_lag": None,
            "late_lag": None,
            "early_pattern": None,
            "late_pattern": None,
            "co_active_periods": None,
        }
    return rows


def _switch_rows(frame: pd.DataFrame, families: dict[str, dict], skips: _Skips) -> list[dict]:
    """Validated switches (known family, GH<->HF, parseable times, whole days >= 0)."""
    name = FILES["switches"][0]

    def col(column: str) -> pd.Series:
        if column in frame.columns:
            return frame[column].astype(str).str.strip()
        return pd.Series([""] * len(frame), index=frame.index, dtype=str)

    keys = col("family").map(_key)
    prev = pd.to_datetime(col("prev_commit"), errors="coerce", utc=True, format="mixed")
    nxt = pd.to_datetime(col("next_commit"), errors="coerce", utc=True, format="mixed")
    days = pd.to_numeric(col("days_difference"), errors="coerce")
    source, target = col("source").str.upper(), col("target").str.upper()
    ok = (
        keys.isin(families.keys())
        & source.isin(["GH", "HF"])
        & target.isin(["GH", "HF"])
        & (source != target)
        & prev.notna()
        & nxt.notna()
        & days.notna()
        & (days >= 0)
        & (days == days.round())
    )
    skips.add(name, int((~ok).sum()))
    rows = []
    seq: dict[str, int] = {}
    for k, s, t, p, n, d in zip(
        keys[ok], source[ok], target[ok], prev[ok], nxt[ok], days[ok], strict=True
    ):
        family = families[k]["family"]
        seq[family] = seq.get(family, 0) + 1
        rows.append(
            {
                "family": family,
                "seq": seq[family],
                "source": s,
                "target": t,
                "prev": store.to_iso(p.to_pydatetime()),
                "next": store.to_iso(n.to_pydatetime()),
                "days": int(d),
            }
        )
    return rows


def _model_rows(frame: pd.DataFrame | None, families: dict[str, dict], skips: _Skips) -> list[dict]:
    """HF models of known families; the first GitHub URL seen names the family's repo."""
    if frame is None:
        return []
    name = FILES["models"][0]
    rows, seen = [], set()
    for rec in frame.to_dict("records"):
        model, key = _text(rec.get("model_name")), _key(rec.get("family"))
        if not model or key not in families or model in seen:
            skips.add(name)
            continue
        seen.add(model)
        fam = families[key]
        fam["github_repo"] = fam["github_repo"] or github_repo_of(rec.get("cleaned_github"))
        created = pd.to_datetime(
            _text(rec.get("created_at_main")), errors="coerce", format="%m/%d/%Y"
        )
        downloads, likes = _number(rec.get("downloads")), _number(rec.get("likes"))
        rows.append(
            {
                "model_id": model,
                "family": fam["family"],
                "downloads": None if downloads is None else int(downloads),
                "likes": None if likes is None else int(likes),
                "created": None if pd.isna(created) else created.date().isoformat(),
                "pipeline_tag": _text(rec.get("pipeline_tag")),
                "_age": _number(rec.get("average_age_days")),
            }
        )
    return rows


def _apply_exclusions(
    frame: pd.DataFrame | None, models: list[dict], families: dict[str, dict], skips: _Skips
) -> int:
    """Flag the families of the excluded models (mapped via complete_dataset, else the row)."""
    if frame is None:
        return 0
    name = FILES["exclusions"][0]
    family_of = {m["model_id"].casefold(): _key(m["family"]) for m in models}
    flagged = set()
    for rec in frame.to_dict("records"):
        model = (_text(rec.get("model_name")) or "").casefold()
        key = family_of.get(model) or _key(rec.get("family"))
        if key not in families:
            skips.add(name)
            continue
        families[key]["excluded"] = 1
        families[key]["exclusion_reason"] = EXCLUSION_REASON
        flagged.add(key)
    return len(flagged)


def _merge_grouped(frame: pd.DataFrame | None, families: dict[str, dict], skips: _Skips) -> None:
    if frame is None:
        return
    name = FILES["grouped"][0]
    for rec in frame.to_dict("records"):
        key = _key(rec.get("family"))
        n, age = _number(rec.get("model_name")), _number(rec.get("average_age_days"))
        if key not in families or n is None or n < 1:
            skips.add(name)
            continue
        families[key].update(
            n_variants=int(n), mean_age_days=age, age_group=_age_group(rec.get("age_group"))
        )


def _merge_similarity(frame: pd.DataFrame | None, families: dict[str, dict], skips: _Skips) -> None:
    if frame is None:
        return
    name = FILES["similarity"][0]
    cols = {c.lower().strip(): c for c in frame.columns}
    fam_col, score_col = cols.get("family"), cols.get("similarity score")
    for rec in frame.to_dict("records"):
        key = _key(rec.get(fam_col)) if fam_col else ""
        score = _number(rec.get(score_col)) if score_col else None
        if key not in families or score is None or not 0 <= score <= 1:
            skips.add(name)
            continue
        families[key]["similarity"] = score


def _merge_early_late(frame: pd.DataFrame | None, families: dict[str, dict], skips: _Skips) -> None:
    if frame is None:
        return
    name = FILES["early_late"][0]
    for rec in frame.to_dict("records"):
        key = _key(rec.get("family"))
        if key not in families:
            skips.add(name)
            continue
        families[key].update(
            early_lag=_lag(rec.get("early_lagged")),
            late_lag=_lag(rec.get("late_lagged")),
            early_pattern=normalise_pattern(rec.get("early_pattern")),
            late_pattern=normalise_pattern(rec.get("late_pattern")),
        )


def _people(value: object) -> set[str]:
    """A list of GitHub profile URLs, as a Python literal (CSV) or a JSON list."""
    if isinstance(value, list):
        items = value
    else:
        try:
            items = ast.literal_eval(str(value))
        except (ValueError, SyntaxError):
            raise ValueError("not a list") from None
    if not isinstance(items, list | tuple):
        raise ValueError("not a list")
    return {str(x).strip().rstrip("/").lower() for x in items if str(x).strip()}


def _author_rows(
    frame: pd.DataFrame | None, families: dict[str, dict], skips: _Skips
) -> list[dict]:
    """Distinct GitHub profiles per side and the common ones (counted as the files list them)."""
    if frame is None:
        return []
    name = FILES["authors"][0]
    rows, seen = [], set()
    for rec in frame.to_dict("records"):
        key = _key(rec.get("family"))
        try:
            gh, hf = _people(rec.get("authors_GH")), _people(rec.get("authors_HF"))
            counted = _number(rec.get("common_authors_count"))
            common = (
                int(counted) if counted is not None else len(_people(rec.get("common_authors")))
            )
        except ValueError:
            key = ""
        if key not in families or key in seen:
            skips.add(name)
            continue
        seen.add(key)
        rows.append(
            {
                "family": families[key]["family"],
                "n_gh": len(gh),
                "n_hf": len(hf),
                "n_common": common,
            }
        )
    return rows


def _dunn_rows(frame: pd.DataFrame | None, skips: _Skips) -> list[dict]:
    """The published Dunn-Bonferroni matrix as (row, col, p) with our pattern names."""
    if frame is None or frame.empty:
        return []
    name = FILES["dunn"][0]
    index = frame.columns[0]
    rows = []
    for rec in frame.to_dict("records"):
        row = normalise_pattern(rec.get(index))
        for col in frame.columns[1:]:
            p = _number(rec.get(col))
            target = normalise_pattern(col)
            if row is None or target is None or p is None:
                skips.add(name)
                continue
            rows.append({"row": row, "col": target, "p": p})
    return rows


def parse_package(files: dict[str, bytes]) -> tuple[dict[str, list[dict]], ImportReport]:
    """Validate and map the replication files to corpus rows (pure; nothing is stored)."""
    skips = _Skips()
    tables = {key: _read_table(files, key, skips) for key in FILES}
    if tables["patterns"] is None or tables["switches"] is None:
        raise InputError(
            "The replication CSVs could not be read (all_auto_and_manual_patterns"
            ".csv and GH_HF_commit_time_differences.csv are required)."
        )
    families = _family_rows(tables["patterns"], skips)
    if not families:
        raise InputError(
            "all_auto_and_manual_patterns.csv has no usable family row; nothing "
            "was imported and the cache keeps its previous corpus."
        )
    switches = _switch_rows(tables["switches"], families, skips)
    models = _model_rows(tables["models"], families, skips)
    n_excluded = _apply_exclusions(tables["exclusions"], models, families, skips)
    _merge_grouped(tables["grouped"], families, skips)
    _merge_similarity(tables["similarity"], families, skips)
    _merge_early_late(tables["early_late"], families, skips)
    authors = _author_rows(tables["authors"], families, skips)
    dunn = _dunn_rows(tables["dunn"], skips)
    # Fallbacks for families grouped_data_RQ2.csv does not list (the 13 exclusions).
    per_family: dict[str, list[dict]] = {}
    for m in models:
        per_family.setdefault(_key(m["family"]), []).append(m)
    for key, fam in families.items():
        if fam["n_variants"] is None and per_family.get(key):
            fam["n_variants"] = len(per_family[key])
            ages = [m["_age"] for m in per_family[key] if m["_age"] is not None]
            fam["mean_age_days"] = ages[0] if ages else None
        if not fam["owner"] and "_" in fam["family"]:
            fam["owner"] = fam["family"].split("_", 1)[0]
    for m in models:
        m.pop("_age")
    missing = tuple(FILES[k][0] for k, t in tables.items() if t is None)
    rows = {
        "corpus_families": list(families.values()),
        "corpus_switches": switches,
        "corpus_models": models,
        "corpus_authors": authors,
        "corpus_dunn": dunn,
    }
    report = ImportReport(
        corpus=PAPER,
        origin="",
        n_families=len(families),
        n_excluded=n_excluded,
        n_switches=len(switches),
        n_models=len(models),
        skipped=dict(skips.counts),
        missing_files=missing,
    )
    return rows, report


def import_replication(
    db: sqlite_utils.Database,
    source: Path | None,
    *,
    fetcher: Fetcher | None = None,
    base: str = RAW_BASE,
) -> ImportReport:
    """Load the paper's replication data into the cache, replacing the previous import.

    `source` is a folder with the CSVs; None downloads them from GitHub with `fetcher`
    (default: `http_fetcher()`). Rows that cannot be used are skipped and counted in the
    report; the whole replacement is one transaction, so a failed import changes nothing.

    Raises:
        InputError: the folder is missing or lacks the required CSVs.
        SourceError: the download failed (network, rate limit, missing files).
    """
    if source is None:
        files, origin = download_package(fetcher or http_fetcher(), base)
    else:
        files, origin = read_folder(Path(source)), str(Path(source).resolve())
    rows, report = parse_package(files)
    store.replace_corpus(
        db,
        PAPER,
        rows,
        origin=origin,
        n_skipped=report.n_skipped,
        detail={"skipped": report.skipped, "missing_files": list(report.missing_files)},
    )
    return ImportReport(
        **{**asdict(report), "origin": origin, "missing_files": report.missing_files}
    )


# --- the user's own families ---------------------------------------------------------------


def _label_column(db: sqlite_utils.Database, frame: pd.DataFrame) -> pd.Series:
    """Each commit's change type from the cache, keyed as core.labels keys it.

    A user correction wins; otherwise the most recent label of any labeler. Commits nobody
    labeled get None (similarity then ignores them). Nothing is sent to a labeler here.
    """
    if "label" in frame.columns:
        return frame["label"]
    from core.labels import raw_texts

    hashes = raw_texts(frame).map(lambda t: text_hash(clean_text(t)))
    unique = list(set(hashes))
    found: dict[str, str] = {}
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        for row in db.query(
            f"SELECT text_hash, label FROM labels WHERE text_hash IN ({marks}) ORDER BY created_at",
            chunk,
        ):
            found[row["text_hash"]] = row["label"]
    found.update(store.corrections_for(db, unique))
    return hashes.map(found)


def _identities(part: pd.DataFrame) -> set[str]:
    """People behind commits: GitHub logins where known, else names (lowercased)."""
    people: set[str] = set()
    for login, name, authors in zip(
        part.get("author_login", []),
        part.get("author_name", []),
        part.get("authors", []),
        strict=False,
    ):
        if _text(login):
            people.add(str(login).lower())
        elif _text(name):
            people.add(str(name).lower())
        else:
            try:
                people.update(str(a).lower() for a in json.loads(authors or "[]"))
            except (TypeError, ValueError):
                continue
    return people


def _iso(value: object) -> str | None:
    """Cache text for a switch time, whether the engine gives a datetime or ISO text."""
    return store.to_iso(pd.Timestamp(value).to_pydatetime())


def _hf_created(db: sqlite_utils.Database, models: Iterable[str]) -> list[datetime]:
    out = []
    for model in models:
        row = db.execute(
            "SELECT created_at, first_commit_at FROM repos WHERE platform = 'HF' AND repo = ?",
            [model],
        ).fetchone()
        dates = [store.from_iso(d) for d in (row or ()) if d]
        if dates:
            out.append(min(d for d in dates if d is not None))
    return out


def import_mine(
    db: sqlite_utils.Database, *, now: datetime | None = None, paper_compatible: bool = False
) -> ImportReport:
    """Classify every cached family with commits and store it as the ``mine`` corpus.

    Each family runs through `core.analysis.analyze` (lag, sync type, intensity, pattern,
    switches). Age is the mean age of its variants at `now` (default: the current time) and
    its group uses the paper's bounds (core.maturity), so it compares with the paper's groups.
    Similarity (Jaccard of change types) needs labels in the cache and is None without them;
    contributors count distinct GitHub logins (else names) per side and those on both.
    """
    from core.analysis import analyze
    from core.maturity import family_age_days, maturity_group
    from core.similarity import change_type_similarity

    now = now or datetime.now(UTC)
    names = [r["name"] for r in db.query("SELECT name FROM families ORDER BY name")]
    frames, info = [], {}
    for name in names:
        family = store.load_family(db, name)
        if family is None:
            continue
        frame = store.family_commits(db, family)
        if frame.empty:
            continue
        frames.append(frame)
        info[name] = family
    families: list[dict] = []
    switches: list[dict] = []
    authors: list[dict] = []
    if frames:
        data = pd.concat(frames, ignore_index=True)
        data["label"] = _label_column(db, data)
        similarity = change_type_similarity(data) if data["label"].notna().any() else {}
        for result in analyze(data, paper_compatible=paper_compatible):
            fam = info[result.family]
            if result.pattern is None:
                continue
            age = family_age_days(_hf_created(db, fam.variants), reference=now)
            part = data[data["family"] == result.family]
            gh = _identities(part[part["platform"] == "GH"])
            hf = _identities(part[part["platform"] == "HF"])
            sim = similarity.get(result.family) if len(similarity) else None
            families.append(
                {
                    "family": result.family,
                    "family_key": _key(result.family),
                    "owner": (fam.github_repo or result.family).split("/")[0],
                    "github_repo": fam.github_repo,
                    "lag": result.lag,
                    "sync_type": result.sync_type,
                    "intensity": result.intensity,
                    "pattern": result.pattern,
                    "generated": "synclens",
                    "n_variants": result.n_variants,
                    "mean_age_days": age,
                    "age_group": maturity_group(age),
                    "similarity": None if sim is None or pd.isna(sim) else float(sim),
                    "excluded": 0,
                    "exclusion_reason": None,
                    "early_lag": None,
                    "late_lag": None,
                    "early_pattern": None,
                    "late_pattern": None,
                    "co_active_periods": len(result.co_active_periods),
                }
            )
            switches.extend(
                {
                    "family": result.family,
                    "seq": i,
                    "source": s.source,
                    "target": s.target,
                    "prev": _iso(s.prev),
                    "next": _iso(s.next),
                    "days": int(s.days),
                }
                for i, s in enumerate(result.switches, start=1)
            )
            authors.append(
                {
                    "family": result.family,
                    "n_gh": len(gh),
                    "n_hf": len(hf),
                    "n_common": len(gh & hf),
                }
            )
    skipped = len(info) - len(families)
    store.replace_corpus(
        db,
        MINE,
        {"corpus_families": families, "corpus_switches": switches, "corpus_authors": authors},
        origin="synclens cache",
        n_skipped=skipped,
    )
    notes = (
        (f"{skipped} cached families have commits on one platform only and no pattern.",)
        if skipped
        else ()
    )
    return ImportReport(
        corpus=MINE,
        origin="synclens cache",
        n_families=len(families),
        n_excluded=0,
        n_switches=len(switches),
        n_models=0,
        skipped={"families without a pattern": skipped} if skipped else {},
        notes=notes,
    )


# --- loading for reports -------------------------------------------------------------------


def _sources(source: str) -> tuple[str, ...]:
    if source == "all":
        return CORPORA
    if source not in CORPORA:
        raise InputError(f"Unknown corpus source {source!r}; use paper, mine or all.")
    return (source,)


def load_corpus(
    db: sqlite_utils.Database, source: str = PAPER, *, exclusions: bool = True
) -> Corpus:
    """The stored corpus for `source` ("paper", "mine" or "all"), exclusions applied or not.

    With exclusions, flagged families and their switches are dropped. `n_switches` and
    `mean_switch_days` per family are computed from the stored switches.

    Raises:
        InputError: nothing has been imported for the requested source yet.
    """
    corpora = _sources(source)
    present = [c for c in corpora if store.corpus_import_info(db, c)]
    if not present:
        hint = (
            "python -m core corpus import [FOLDER]"
            if PAPER in corpora
            else "python -m core corpus import --mine"
        )
        raise InputError(f"The cache has no {source} corpus yet. Run `{hint}` first.")
    fams = store.load_corpus_table(db, "corpus_families", present)
    switches = store.load_corpus_table(db, "corpus_switches", present)
    authors = store.load_corpus_table(db, "corpus_authors", present)
    dunn = store.load_corpus_table(db, "corpus_dunn", present)
    if exclusions:
        fams = fams[fams["excluded"].fillna(0).astype(int) == 0]
    fams = fams.merge(
        authors.drop(columns=[c for c in ("family_key",) if c in authors]),
        on=["corpus", "family"],
        how="left",
    )
    switches = switches.merge(fams[["corpus", "family"]], on=["corpus", "family"])
    per = switches.groupby(["corpus", "family"])["days"].agg(["size", "mean"])
    per.columns = ["n_switches", "mean_switch_days"]
    fams = fams.merge(per.reset_index(), on=["corpus", "family"], how="left")
    fams["n_switches"] = fams["n_switches"].fillna(0).astype(int)
    fams["variants"] = fams["n_variants"].map(
        lambda n: None if pd.isna(n) else ("single" if n <= 1 else "multiple")
    )
    published = pd.DataFrame()
    if not dunn.empty:
        published = dunn[dunn["corpus"] == PAPER].pivot(index="row", columns="col", values="p")
    return Corpus(
        families=fams.reset_index(drop=True),
        switches=switches.reset_index(drop=True),
        published_dunn=published,
        sources=tuple(present),
        exclusions=exclusions,
    )


# --- change types of the user's families (the corpus page's Figures 4, 5, 18, 19) ----------


def mine_change_types(db: sqlite_utils.Database) -> pd.DataFrame:
    """Labeled commits of the ``mine`` corpus, counted per family, platform, model and label.

    Labels come from the cache as `import_mine` reads them (a correction wins, else the latest
    label); nothing is sent to a labeler. The paper's commit-level labels are not public, so
    only the user's own families have change types. Columns: family, platform, model
    ("" for GitHub), label, n. Empty when no family of the ``mine`` corpus has labels.
    """
    columns = ["family", "platform", "model", "label", "n"]
    names = [
        r["family"] for r in db.query("SELECT family FROM corpus_families WHERE corpus = ?", [MINE])
    ]
    frames = []
    for name in names:
        family = store.load_family(db, name)
        if family is None:
            continue
        frame = store.family_commits(db, family)
        if frame.empty:
            continue
        frame = frame.assign(family=name)
        frame["label"] = _label_column(db, frame)
        frames.append(frame.dropna(subset=["label"]))
    if not frames:
        return pd.DataFrame(columns=columns)
    data = pd.concat(frames, ignore_index=True)
    data["model"] = data["model"].fillna("")
    counts = data.groupby(["family", "platform", "model", "label"]).size()
    return counts.rename("n").reset_index()[columns]
