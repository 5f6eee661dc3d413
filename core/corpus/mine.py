"""The user's own cached families as the ``mine`` corpus, and their change types."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

import pandas as pd
import sqlite_utils

from core import store
from core.corpus.cells import _text, family_record
from core.corpus.corpora import MINE, ImportReport
from core.records import Family


def _label_column(db: sqlite_utils.Database, frame: pd.DataFrame) -> pd.Series:
    """Each commit's stored change type (`core.labeling.labels.stored_labels`: a correction,
    else the latest label of any labeler); None where nobody labeled it (similarity then
    ignores it). Nothing is sent to a labeler here."""
    if "label" in frame.columns:
        return frame["label"]
    from core.labeling.labels import stored_labels

    return stored_labels(db, frame)["label"]


def _with_commits(
    db: sqlite_utils.Database, names: Iterable[str]
) -> Iterator[tuple[Family, pd.DataFrame]]:
    """The cached families among `names` that have commits, with their commit frames."""
    for name in names:
        family = store.load_family(db, name)
        if family is None:
            continue
        frame = store.family_commits(db, family)
        if not frame.empty:
            yield family, frame


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

    Each family runs through `core.engine.analysis.analyze` (lag, sync type, intensity, pattern,
    switches). Age is the mean age of its variants at `now` (default: the current time) and
    its group uses the paper's bounds (core.engine.maturity), so it compares with the paper's groups.
    Similarity (Jaccard of change types) needs labels in the cache and is None without them;
    contributors count distinct GitHub logins (else names) per side and those on both.
    """
    from core.engine.analysis import analyze
    from core.engine.maturity import family_age_days, maturity_group
    from core.engine.similarity import change_type_similarity

    now = now or datetime.now(UTC)
    names = [r["name"] for r in db.query("SELECT name FROM families ORDER BY name")]
    frames, info = [], {}
    for family, frame in _with_commits(db, names):
        frames.append(frame)
        info[family.name] = family
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
                family_record(
                    result.family,
                    owner=(fam.github_repo or result.family).split("/")[0],
                    github_repo=fam.github_repo,
                    lag=result.lag,
                    sync_type=result.sync_type,
                    intensity=result.intensity,
                    pattern=result.pattern,
                    generated="synclens",
                    n_variants=result.n_variants,
                    mean_age_days=age,
                    age_group=maturity_group(age),
                    similarity=None if sim is None or pd.isna(sim) else float(sim),
                    co_active_periods=len(result.co_active_periods),
                )
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
    for family, frame in _with_commits(db, names):
        frame = frame.assign(family=family.name)
        frame["label"] = _label_column(db, frame)
        frames.append(frame.dropna(subset=["label"]))
    if not frames:
        return pd.DataFrame(columns=columns)
    data = pd.concat(frames, ignore_index=True)
    data["model"] = data["model"].fillna("")
    counts = data.groupby(["family", "platform", "model", "label"]).size()
    return counts.rename("n").reset_index()[columns]
