"""One call from a commits frame to each family's synchronization result, explained.

`analyze` runs periods, Algorithms 2-4 and the switches for every family in the frame at
once, and writes down in plain words the facts that decided each label.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import numpy as np
import pandas as pd

from core.commits import commit_frame
from core.engine.delays import switches_frame
from core.engine.patterns import MIN_FREQUENT_RUN, PatternTables, classify_tables
from core.engine.periods import assign_periods, truncate_hf_to_date
from core.vocabulary import INTENSITY_NAMES, SYNC_NAMES

MAX_LISTED = 3  # variants named in one explanation line
MAX_PERIODS = 8  # periods listed per variant
ISO_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class Switch(NamedTuple):
    """Consecutive commits on different platforms: a change showing up on the other side.

    `prev` and `next` are UTC ISO 8601 strings ("2024-01-02T03:04:05Z"), as they are written
    out. An immutable named tuple rather than a dataclass: a corpus holds hundreds of
    thousands of switches, and tuples are built several times faster.
    """

    source: str
    target: str
    prev: str
    next: str
    days: int

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "target": self.target,
            "prev": self.prev,
            "next": self.next,
            "days": self.days,
        }


@dataclass(frozen=True)
class FamilyAnalysis:
    """A family's synchronization measures and why it got them.

    `pattern` is None (with a `reason`) when commits exist on one platform only.
    `n_periods` is the number of biweekly periods the history spans (1 to the last active).
    """

    family: str
    lag: str | None
    sync_type: str | None
    intensity: str | None
    pattern: str | None
    n_gh_commits: int
    n_hf_commits: int
    n_variants: int
    n_periods: int
    co_active_periods: tuple[int, ...]
    switches: tuple[Switch, ...]
    mean_switch_days: float | None
    explanation: tuple[str, ...]
    reason: str | None = None
    t0: datetime | None = None

    def to_dict(self) -> dict:
        """The `classify --format jsonl` object (contract keys, in contract order)."""
        out = {
            "family": self.family,
            "lag": self.lag,
            "sync_type": self.sync_type,
            "intensity": self.intensity,
            "pattern": self.pattern,
            "n_gh_commits": self.n_gh_commits,
            "n_hf_commits": self.n_hf_commits,
            "n_variants": self.n_variants,
            "n_periods": self.n_periods,
            "co_active_periods": list(self.co_active_periods),
            "switches": [s.to_dict() for s in self.switches],
            "mean_switch_days": self.mean_switch_days,
            "explanation": list(self.explanation),
        }
        if self.reason is not None:
            out["reason"] = self.reason
        return out


def _list_or_none(value: object) -> list[int] | None:
    return value if isinstance(value, list) else None


def _iso_strings(times: pd.Series) -> list[str]:
    """UTC times as "2024-01-02T03:04:05Z" strings, vectorised."""
    naive = times.dt.tz_convert(None).to_numpy().astype("datetime64[s]")
    return np.datetime_as_string(naive, unit="s", timezone="UTC").tolist()


def _grouped_lists(keys: pd.DataFrame, values: pd.Series) -> dict:
    """{key (tuple for several columns): sorted list of values}, cut with numpy, not groupby."""
    if keys.empty:
        return {}
    order = np.lexsort([values.to_numpy()] + [keys[c].to_numpy() for c in reversed(keys.columns)])
    k = keys.iloc[order].reset_index(drop=True)
    v = values.to_numpy()[order]
    change = np.zeros(len(k), dtype=bool)
    change[0] = True
    for c in k.columns:
        col = k[c].to_numpy()
        change[1:] |= col[1:] != col[:-1]
    starts = np.flatnonzero(change)
    pieces = np.split(v, starts[1:])
    firsts = k.iloc[starts]
    names = (
        list(firsts.itertuples(index=False, name=None))
        if len(k.columns) > 1
        else firsts.iloc[:, 0].tolist()
    )
    return {name: piece.tolist() for name, piece in zip(names, pieces, strict=True)}


def prepare(frame: pd.DataFrame, *, paper_compatible: bool = False) -> pd.DataFrame:
    """The commit frame (`core.commits`) with periods assigned, ready for Algorithms 2-4."""
    data = commit_frame(frame)
    if paper_compatible:
        data = truncate_hf_to_date(data)
    # Categorical family: every groupby below uses integer codes instead of hashing strings.
    data["family"] = data["family"].astype("category")
    return assign_periods(data)


@dataclass(frozen=True)
class Analysis:
    """Everything `analyze_commits` computed, handed back so reports and audits reuse it:
    the prepared frame (periods and t0 assigned), every switch, one result per family."""

    data: pd.DataFrame
    switches: pd.DataFrame
    families: tuple[FamilyAnalysis, ...]

    def family(self, name: str) -> FamilyAnalysis | None:
        return next((f for f in self.families if f.family == name), None)

    def switches_of(self, name: str) -> pd.DataFrame:
        return self.switches[self.switches["family"] == name]


def analyze_commits(frame: pd.DataFrame, *, paper_compatible: bool = False) -> Analysis:
    """Analyse every family in a commit frame (columns family?, platform, model, timestamp).

    `paper_compatible` truncates HF times to their UTC date first, as the paper's data had
    day resolution. Families are ordered by name.
    """
    data = prepare(frame, paper_compatible=paper_compatible)
    switches = switches_frame(data)
    if data.empty:
        return Analysis(data, switches, ())
    tables = classify_tables(data)
    return Analysis(data, switches, tuple(_assemble(data, tables, switches)))


def analyze(frame: pd.DataFrame, *, paper_compatible: bool = False) -> list[FamilyAnalysis]:
    """Each family's result (see `analyze_commits`, which also returns what it computed)."""
    return list(analyze_commits(frame, paper_compatible=paper_compatible).families)


def _assemble(
    data: pd.DataFrame, tables: PatternTables, switches: pd.DataFrame
) -> list[FamilyAnalysis]:
    labels = tables.labels
    counts = data.groupby(["family", "platform"]).size().unstack(fill_value=0)
    n_variants = data.loc[data["platform"] == "HF"].groupby("family")["model"].nunique()
    n_periods = data.groupby("family")["period"].max()
    t0 = data.groupby("family")["t0"].first()
    act = tables.activity
    hf = act[act["platform"] == "HF"]
    together = hf.loc[hf["in_gh"], ["family", "period"]].drop_duplicates()
    co_by = _grouped_lists(together[["family"]], together["period"])
    outside_map: dict[str, dict[str, list[int]]] = {}
    lonely = hf.loc[~hf["in_gh"]]
    for (fam, model), periods in _grouped_lists(
        lonely[["family", "model"]], lonely["period"]
    ).items():
        outside_map.setdefault(fam, {})[model] = periods
    gh_periods = act.loc[act["platform"] == "GH"].groupby("family").size()

    sw_by_family: dict[str, tuple[Switch, ...]] = {}
    mean_days: dict[str, float] = {}
    if not switches.empty:
        prev_iso = _iso_strings(switches["prev"])
        next_iso = _iso_strings(switches["next"])
        records = list(
            map(
                Switch,
                switches["source"].tolist(),
                switches["target"].tolist(),
                prev_iso,
                next_iso,
                switches["days"].tolist(),
            )
        )
        bounds = switches.groupby("family", sort=False).indices
        for fam, idx in bounds.items():
            sw_by_family[fam] = tuple(records[i] for i in idx)
        mean_days = switches.groupby("family")["days"].mean().round(2).to_dict()

    label_rows = labels.to_dict("index")
    busiest = tables.busiest.to_dict("index")
    runs = tables.runs.to_dict("index")
    vs_periods = tables.vs_periods.to_dict()
    n_gh_by = counts["GH"].to_dict() if "GH" in counts.columns else {}
    n_hf_by = counts["HF"].to_dict() if "HF" in counts.columns else {}
    n_var_by = n_variants.to_dict()
    n_periods_by = n_periods.to_dict()
    t0_by = dict(zip(t0.index, t0.dt.to_pydatetime(), strict=True))
    gh_periods_by = gh_periods.to_dict()
    results = []
    for fam, row in label_rows.items():
        n_gh, n_hf = int(n_gh_by.get(fam, 0)), int(n_hf_by.get(fam, 0))
        reason = None
        if not row["has_gh"]:
            reason = "only Hugging Face commits: the GitHub repository has none in this data"
        elif not row["has_hf"]:
            reason = "only GitHub commits: no Hugging Face variant has commits in this data"
        facts = Facts(
            family=fam,
            row=row,
            t0=t0_by[fam],
            n_gh_periods=int(gh_periods_by.get(fam, 0)),
            co_active=co_by.get(fam, []),
            outside=outside_map.get(fam),
            vs_periods=vs_periods.get(fam),
            busiest=busiest[fam],
            run=runs[fam],
            n_variants=int(n_var_by.get(fam, 0)),
        )
        results.append(
            FamilyAnalysis(
                family=str(fam),
                lag=row["lag"] or None,
                sync_type=row["sync_type"],
                intensity=row["intensity"],
                pattern=row["pattern"],
                n_gh_commits=n_gh,
                n_hf_commits=n_hf,
                n_variants=int(n_var_by.get(fam, 0)),
                n_periods=int(n_periods_by[fam]),
                co_active_periods=tuple(int(p) for p in facts.co_active),
                switches=sw_by_family.get(fam, ()),
                mean_switch_days=float(mean_days[fam]) if fam in mean_days else None,
                explanation=tuple(explain(facts)),
                reason=reason,
                t0=t0_by[fam],
            )
        )
    return results


@dataclass(frozen=True)
class Facts:
    """What `explain` needs about one family (gathered by `_assemble`)."""

    family: str
    row: dict
    t0: datetime
    n_gh_periods: int
    co_active: list
    outside: dict[str, list[int]] | None
    vs_periods: list[int] | None
    busiest: dict
    run: dict
    n_variants: int


def _periods(periods: list[int]) -> str:
    shown = [str(p) for p in periods[:MAX_PERIODS]]
    more = f" and {len(periods) - MAX_PERIODS} more" if len(periods) > MAX_PERIODS else ""
    if len(shown) == 1:
        return f"period {shown[0]}"
    return (
        f"periods {', '.join(shown[:-1])} and {shown[-1]}{more}"
        if not more
        else f"periods {', '.join(shown)}{more}"
    )


def explain(f: Facts) -> list[str]:
    """Plain-words reasons for each label, e.g. "variant X is active in periods 7 and 9
    without GitHub activity"."""
    row = f.row
    start = f.t0.strftime("%Y-%m-%d")
    lines = []
    first = {
        "Simultaneous": "both GitHub and Hugging Face are active",
        "GH First": "only GitHub is active",
        "HF First": "only Hugging Face is active",
    }
    if row["lag"]:
        lines.append(f"Lag {row['lag']}: in period 1 (from {start}) {first[row['lag']]}.")
    if row["sync_type"] is None:
        return lines
    sync, intensity = row["sync_type"], row["intensity"]
    if sync == "CS":
        lines.append(
            f"Sync CS: every HF variant ({f.n_variants}) is active only in periods "
            "where GitHub is active too."
        )
    else:
        shown = list(f.outside.items())[:MAX_LISTED] if f.outside else []
        for model, periods in shown:
            lines.append(
                f"Variant {model} is active in {_periods(periods)} without GitHub activity."
            )
        if f.outside and len(f.outside) > MAX_LISTED:
            lines.append(
                f"... and {len(f.outside) - MAX_LISTED} more variants with activity "
                "outside GitHub's periods."
            )
        if sync == "PS":
            lines.append(
                f"Sync PS: HF and GitHub are both active in {_periods(f.co_active)}, "
                "but not always together."
            )
        elif sync == "VS":
            lines.append(
                f"Sync VS: no HF activity meets GitHub's, but {_periods(f.vs_periods or [])} "
                "each have 3 or more variants active together."
            )
        else:
            lines.append(
                "Sync AS: no HF activity falls in a GitHub-active period "
                f"(GitHub is active in {f.n_gh_periods} periods)."
            )
    top_model, top_n = f.busiest["model"], int(f.busiest["n_periods"])
    if intensity == "R":
        lines.append(
            f"Intensity R: every variant is active in at most 3 periods "
            f"(most: {top_model} with {top_n})."
        )
    elif intensity == "F":
        lines.append(
            f"Intensity F: variant {f.run['model']} has {int(f.run['length'])} "
            f"consecutive co-active periods from period {int(f.run['start'])}."
        )
    else:
        longest = 0 if pd.isna(f.run["length"]) else int(f.run["length"])  # NaN: no overlap
        detail = (
            f"the longest run of consecutive co-active periods is {longest} "
            f"({f.run['model']} from period {int(f.run['start'])})"
            if longest
            else "no variant is ever active together with GitHub"
        )
        lines.append(
            f"Intensity S: {top_model} is active in {top_n} periods, but {detail}, "
            f"fewer than {MIN_FREQUENT_RUN}."
        )
    lines.append(
        f"Pattern {row['pattern']}: {SYNC_NAMES[sync]} with {INTENSITY_NAMES[intensity]} activity."
    )
    return lines
