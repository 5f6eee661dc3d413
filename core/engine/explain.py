"""The facts that decided a family's labels, written down in plain words."""

from __future__ import annotations

from typing import NamedTuple

from core.engine.patterns import MIN_FREQUENT_RUN
from core.vocabulary import INTENSITY_NAMES, SYNC_NAMES

MAX_LISTED = 3  # variants named in one explanation line
MAX_PERIODS = 8  # periods listed per variant

_FIRST = {
    "Simultaneous": "both GitHub and Hugging Face are active",
    "GH First": "only GitHub is active",
    "HF First": "only Hugging Face is active",
}


class Facts(NamedTuple):
    """What `explain` needs about one family (gathered by core.engine.analysis). A named
    tuple: one is built per family, thousands at a time.

    `outside` lists the first variants (in name order) active in periods without GitHub
    activity, with those periods; `n_outside` counts all such variants. `busiest` is
    (variant, active periods); `run` is (variant, first period, length) of the longest
    co-active run, or None.
    """

    lag: str | None
    sync_type: str | None
    intensity: str | None
    pattern: str | None
    start: str  # t0 as YYYY-MM-DD
    n_gh_periods: int
    n_variants: int
    co_active: list[int]
    outside: list[tuple[str, list[int]]]
    n_outside: int
    vs_periods: list[int]
    busiest: tuple[str, int]
    run: tuple[str, int, int] | None


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
    lines = []
    if f.lag:
        lines.append(f"Lag {f.lag}: in period 1 (from {f.start}) {_FIRST[f.lag]}.")
    if f.sync_type is None or f.intensity is None:
        return lines
    lines += _sync_lines(f)
    lines.append(_intensity_line(f))
    lines.append(
        f"Pattern {f.pattern}: {SYNC_NAMES[f.sync_type]} with "
        f"{INTENSITY_NAMES[f.intensity]} activity."
    )
    return lines


def _sync_lines(f: Facts) -> list[str]:
    if f.sync_type == "CS":
        return [
            f"Sync CS: every HF variant ({f.n_variants}) is active only in periods "
            "where GitHub is active too."
        ]
    lines = [
        f"Variant {model} is active in {_periods(periods)} without GitHub activity."
        for model, periods in f.outside[:MAX_LISTED]
    ]
    if f.n_outside > MAX_LISTED:
        lines.append(
            f"... and {f.n_outside - MAX_LISTED} more variants with activity "
            "outside GitHub's periods."
        )
    if f.sync_type == "PS":
        lines.append(
            f"Sync PS: HF and GitHub are both active in {_periods(f.co_active)}, "
            "but not always together."
        )
    elif f.sync_type == "VS":
        lines.append(
            f"Sync VS: no HF activity meets GitHub's, but {_periods(f.vs_periods)} "
            "each have 3 or more variants active together."
        )
    else:
        lines.append(
            "Sync AS: no HF activity falls in a GitHub-active period "
            f"(GitHub is active in {f.n_gh_periods} periods)."
        )
    return lines


def _intensity_line(f: Facts) -> str:
    top_model, top_n = f.busiest
    if f.intensity == "R":
        return (
            f"Intensity R: every variant is active in at most 3 periods "
            f"(most: {top_model} with {top_n})."
        )
    if f.intensity == "F" and f.run is not None:
        model, start, length = f.run
        return (
            f"Intensity F: variant {model} has {length} "
            f"consecutive co-active periods from period {start}."
        )
    detail = (
        f"no variant is active together with GitHub in {MIN_FREQUENT_RUN} consecutive "
        f"periods (longest: {f.run[2]}, {f.run[0]} from period {f.run[1]})"
        if f.run is not None
        else "no variant is ever active together with GitHub"
    )
    return (
        f"Intensity S: a variant is active in more than 3 periods ({top_model}: {top_n}), "
        f"but {detail}."
    )
