"""One call from a commits frame to each family's synchronization result, explained.

`analyze` runs periods, Algorithms 2-4 and the switches for every family in the frame at
once, and writes down in plain words the facts that decided each label.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from core.delays import switches_frame
from core.patterns import MIN_FREQUENT_RUN, PatternTables, classify_tables
from core.periods import assign_periods, truncate_hf_to_date
from core.vocabulary import INTENSITY_NAMES, SYNC_NAMES

MAX_LISTED = 3  # variants named in one explanation line
MAX_PERIODS = 8  # periods listed per variant


@dataclass(frozen=True)
class Switch:
    """Consecutive commits on different platforms: a change showing up on the other side."""

    source: str
    target: str
    prev: datetime
    next: datetime
    days: int

    def to_dict(self) -> dict:
        return {"source": self.source, "target": self.target, "prev": _iso(self.prev),
                "next": _iso(self.next), "days": self.days}


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
            "family": self.family, "lag": self.lag, "sync_type": self.sync_type,
            "intensity": self.intensity, "pattern": self.pattern,
            "n_gh_commits": self.n_gh_commits, "n_hf_commits": self.n_hf_commits,
            "n_variants": self.n_variants, "n_periods": self.n_periods,
            "co_active_periods": list(self.co_active_periods),
            "switches": [s.to_dict() for s in self.switches],
            "mean_switch_days": self.mean_switch_days,
            "explanation": list(self.explanation),
        }
        if self.reason is not None:
            out["reason"] = self.reason
        return out


def _iso(ts: datetime) -> str:
    return pd.Timestamp(ts).tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")


def prepare(frame: pd.DataFrame, *, paper_compatible: bool = False) -> pd.DataFrame:
    """Normalise an input frame: a `family` column, UTC timestamps, periods assigned."""
    data = frame.copy()
    if "family" not in data.columns:
        data["family"] = "family"
    if "model" not in data.columns:
        data["model"] = ""
    data["model"] = data["model"].fillna("").astype(str)
    data.loc[data["platform"] == "GH", "model"] = ""
    if not isinstance(data["timestamp"].dtype, pd.DatetimeTZDtype):
        data["timestamp"] = pd.to_datetime(data["timestamp"], utc=True, format="ISO8601",
                                           errors="coerce")
    # Algorithms 2-4 start by removing rows with missing commit dates.
    data = data.dropna(subset=["timestamp"])
    if paper_compatible:
        data = truncate_hf_to_date(data)
    return assign_periods(data)


def analyze(frame: pd.DataFrame, *, paper_compatible: bool = False) -> list[FamilyAnalysis]:
    """Analyse every family in `frame` (columns family?, platform, model, timestamp).

    `paper_compatible` truncates HF times to their UTC date first, as the paper's data had
    day resolution. Results are ordered by family name.
    """
    data = prepare(frame, paper_compatible=paper_compatible)
    if data.empty:
        return []
    tables = classify_tables(data)
    switches = switches_frame(data)
    return _assemble(data, tables, switches)


def _assemble(data: pd.DataFrame, tables: PatternTables,
              switches: pd.DataFrame) -> list[FamilyAnalysis]:
    labels = tables.labels
    counts = data.groupby(["family", "platform"]).size().unstack(fill_value=0)
    n_variants = (data.loc[data["platform"] == "HF"].groupby("family")["model"].nunique())
    n_periods = data.groupby("family")["period"].max()
    t0 = data.groupby("family")["t0"].first()
    act = tables.activity
    hf = act[act["platform"] == "HF"]
    co_active = hf.loc[hf["in_gh"]].groupby("family")["period"].agg(lambda s: sorted(set(s)))
    outside = (hf.loc[~hf["in_gh"]].groupby(["family", "model"])["period"]
               .agg(lambda s: sorted(s)).groupby(level="family"))
    outside_map = {fam: grp.droplevel("family") for fam, grp in outside}
    gh_periods = act.loc[act["platform"] == "GH"].groupby("family").size()

    sw_by_family: dict[str, tuple[Switch, ...]] = {}
    mean_days: dict[str, float] = {}
    if not switches.empty:
        prev_py = switches["prev"].dt.to_pydatetime()
        next_py = switches["next"].dt.to_pydatetime()
        records = [Switch(s, t, p, n, int(d)) for s, t, p, n, d in zip(
            switches["source"], switches["target"], prev_py, next_py, switches["days"],
            strict=True)]
        bounds = switches.groupby("family", sort=False).indices
        for fam, idx in bounds.items():
            sw_by_family[fam] = tuple(records[i] for i in idx)
        mean_days = switches.groupby("family")["days"].mean().round(2).to_dict()

    results = []
    for fam, row in labels.iterrows():
        n_gh = int(counts.at[fam, "GH"]) if "GH" in counts.columns else 0
        n_hf = int(counts.at[fam, "HF"]) if "HF" in counts.columns else 0
        reason = None
        if not row["has_gh"]:
            reason = "only Hugging Face commits: the GitHub repository has none in this data"
        elif not row["has_hf"]:
            reason = "only GitHub commits: no Hugging Face variant has commits in this data"
        facts = Facts(
            family=fam, row=row, t0=t0[fam], n_gh_periods=int(gh_periods.get(fam, 0)),
            co_active=co_active.get(fam, []), outside=outside_map.get(fam),
            vs_periods=tables.vs_periods.get(fam), busiest=tables.busiest.loc[fam],
            run=tables.runs.loc[fam], n_variants=int(n_variants.get(fam, 0)),
        )
        results.append(FamilyAnalysis(
            family=str(fam), lag=row["lag"] or None, sync_type=row["sync_type"],
            intensity=row["intensity"], pattern=row["pattern"], n_gh_commits=n_gh,
            n_hf_commits=n_hf, n_variants=int(n_variants.get(fam, 0)),
            n_periods=int(n_periods[fam]), co_active_periods=tuple(int(p) for p in facts.co_active),
            switches=sw_by_family.get(fam, ()),
            mean_switch_days=float(mean_days[fam]) if fam in mean_days else None,
            explanation=tuple(explain(facts)), reason=reason,
            t0=t0[fam].to_pydatetime(),
        ))
    return results


@dataclass(frozen=True)
class Facts:
    """What `explain` needs about one family (gathered by `_assemble`)."""

    family: str
    row: pd.Series
    t0: pd.Timestamp
    n_gh_periods: int
    co_active: list
    outside: pd.Series | None
    vs_periods: list | float | None
    busiest: pd.Series
    run: pd.Series
    n_variants: int


def _periods(periods: list[int]) -> str:
    shown = [str(p) for p in periods[:MAX_PERIODS]]
    more = f" and {len(periods) - MAX_PERIODS} more" if len(periods) > MAX_PERIODS else ""
    if len(shown) == 1:
        return f"period {shown[0]}"
    return f"periods {', '.join(shown[:-1])} and {shown[-1]}{more}" if not more else \
        f"periods {', '.join(shown)}{more}"


def explain(f: Facts) -> list[str]:
    """Plain-words reasons for each label, e.g. "variant X is active in periods 7 and 9
    without GitHub activity"."""
    row = f.row
    start = f.t0.strftime("%Y-%m-%d")
    lines = []
    first = {"Simultaneous": "both GitHub and Hugging Face are active",
             "GH First": "only GitHub is active", "HF First": "only Hugging Face is active"}
    if row["lag"]:
        lines.append(f"Lag {row['lag']}: in period 1 (from {start}) {first[row['lag']]}.")
    if row["sync_type"] is None:
        return lines
    sync, intensity = row["sync_type"], row["intensity"]
    if sync == "CS":
        lines.append(f"Sync CS: every HF variant ({f.n_variants}) is active only in periods "
                     "where GitHub is active too.")
    else:
        shown = list(f.outside.items())[:MAX_LISTED] if f.outside is not None else []
        for model, periods in shown:
            lines.append(f"Variant {model} is active in {_periods(periods)} "
                         "without GitHub activity.")
        if f.outside is not None and len(f.outside) > MAX_LISTED:
            lines.append(f"... and {len(f.outside) - MAX_LISTED} more variants with activity "
                         "outside GitHub's periods.")
        if sync == "PS":
            lines.append(f"Sync PS: HF and GitHub are both active in {_periods(f.co_active)}, "
                         "but not always together.")
        elif sync == "VS":
            lines.append(f"Sync VS: no HF activity meets GitHub's, but {_periods(f.vs_periods)} "
                         "each have 3 or more variants active together.")
        else:
            lines.append("Sync AS: no HF activity falls in a GitHub-active period "
                         f"(GitHub is active in {f.n_gh_periods} periods).")
    top_model, top_n = f.busiest["model"], int(f.busiest["n_periods"])
    if intensity == "R":
        lines.append(f"Intensity R: every variant is active in at most 3 periods "
                     f"(most: {top_model} with {top_n}).")
    elif intensity == "F":
        lines.append(f"Intensity F: variant {f.run['model']} has {int(f.run['length'])} "
                     f"consecutive co-active periods from period {int(f.run['start'])}.")
    else:
        longest = 0 if pd.isna(f.run["length"]) else int(f.run["length"])
        detail = (f"the longest run of consecutive co-active periods is {longest} "
                  f"({f.run['model']} from period {int(f.run['start'])})" if longest
                  else "no variant is ever active together with GitHub")
        lines.append(f"Intensity S: {top_model} is active in {top_n} periods, but {detail}, "
                     f"fewer than {MIN_FREQUENT_RUN}.")
    lines.append(f"Pattern {row['pattern']}: {SYNC_NAMES[sync]} with "
                 f"{INTENSITY_NAMES[intensity]} activity.")
    return lines
