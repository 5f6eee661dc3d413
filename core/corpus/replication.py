"""The paper's replication files mapped to corpus rows, and imported into the cache."""

from __future__ import annotations

import ast
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import sqlite_utils

from core import store
from core.corpus.cells import _age_group, _key, _lag, _number, _text, family_record, github_repo_of
from core.corpus.corpora import PAPER, ImportReport
from core.corpus.package import (
    FILES,
    RAW_BASE,
    Fetcher,
    _read_table,
    _Skips,
    download_package,
    http_fetcher,
    read_folder,
)
from core.errors import InputError
from core.vocabulary import INTENSITIES, PATTERN_TABLE, SYNC_TYPES, normalise_pattern

EXCLUSION_REASON = "excluded by the paper (must_exclude_from_all_analysis.csv)"


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
        rows[_key(family)] = family_record(
            family,
            owner=_text(rec.get("owner")),
            lag=lag,
            sync_type=sync if sync in SYNC_TYPES else None,
            intensity=intensity if intensity in INTENSITIES else None,
            pattern=pattern,
            generated=_text(rec.get("generated")),
        )
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
        why = "; ".join(f"{name}: {reason}" for name, reason in skips.unreadable.items())
        raise InputError(
            "The replication CSVs could not be read ("
            + (f"{why}; " if why else "")
            + "all_auto_and_manual_patterns.csv and GH_HF_commit_time_differences.csv are "
            "required, as UTF-8 CSV)."
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
