"""What exact propagation measures, per variant and per family: which GitHub file versions
reached each variant and how many hours later, which never did, and which files were edited
on the Hub and never went back upstream. Beside the paper's period-based measures, never
instead of them.

A GitHub file version counts for a variant when the variant carries that file (same path,
same file name, or the same content somewhere) and the version was still current on GitHub
once the variant existed: a version replaced before the variant's first commit could never
have arrived.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.propagation.content import NEVER, carries
from core.propagation.links import GH_TO_HF, HF_TO_GH
from core.records import GH, HF

REACHED, FROM_HUB, NEVER_ARRIVED = "reached", "from HF", "never"
STATUS_COLUMNS = (
    "variant",
    "key",
    "sha",
    "time",
    "path",
    "change",
    "superseded",
    "status",
    "target_sha",
    "target_time",
    "delay_hours",
    "matched_by",
    "label",
)


def share(reached: int, never: int) -> float | None:
    """The share of counted file versions that arrived (None when none counted)."""
    return round(reached / (reached + never), 3) if reached + never else None


@dataclass(frozen=True)
class Delays:
    """Exact delays in hours of the file versions that arrived."""

    n: int
    median: float | None
    mean: float | None
    p90: float | None
    max: float | None

    @classmethod
    def of(cls, hours: pd.Series) -> Delays:
        h = hours.dropna().to_numpy(dtype=float)
        if not len(h):
            return cls(0, None, None, None, None)
        r = lambda x: round(float(x), 1)  # noqa: E731
        return cls(len(h), r(np.median(h)), r(h.mean()), r(np.percentile(h, 90)), r(h.max()))


@dataclass(frozen=True)
class VariantPropagation:
    """One variant: how much of GitHub's content reached it, how fast, and what it kept."""

    variant: str
    shared_files: int  # GitHub paths the variant carries (by path or file name)
    gh_versions: int  # GitHub file versions that count for it
    reached: int
    from_hub: int  # versions the variant held before GitHub did
    never: int
    delays: Delays
    hub_only_edits: int  # versions of shared files that never appeared on GitHub
    message_links: int
    automated_commits: int

    @property
    def share(self) -> float | None:
        """Reached / (reached + never); versions that came from the Hub are left out."""
        return share(self.reached, self.never)


@dataclass(frozen=True)
class FamilyPropagation:
    """The family pooled over its variants."""

    variants: int
    variants_sharing: int  # variants that carry at least one GitHub file
    gh_versions: int
    reached: int
    from_hub: int
    never: int
    delays: Delays
    hub_only_edits: int
    message_links: int
    automated_variants: int

    @property
    def share(self) -> float | None:
        return share(self.reached, self.never)


def measure_variants(
    versions: pd.DataFrame,
    links: pd.DataFrame,
    variants: tuple[str, ...],
    automated: pd.DataFrame,
    labels: pd.Series | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, tuple[VariantPropagation, ...]]:
    """(status, hub-only edits, one `VariantPropagation` per variant), all variants at once.

    `status` has one row per (GitHub file version, variant) that counts: reached, from HF or
    never; hub-only edits are variant versions of files GitHub also has (by path or name)
    whose content never appeared on GitHub.
    """
    gh = versions[versions["platform"] == GH]
    hf = versions[(versions["platform"] == HF) & versions["repo"].isin(variants)]
    content = links[links["kind"] == "content"]
    status = _status(gh, hf, content, labels)
    own = hf[carries(hf, set(gh["path"]), set(gh["name"])) & ~hf["key"].isin(set(gh["key"]))]
    hub_only = own.rename(columns={"repo": "variant"})[["variant", "path", "sha", "time", "key"]]
    shared = _shared_files(gh, hf)
    tally = status.groupby(["variant", "status"]).size()
    delays = status[status["status"] == REACHED].groupby("variant")["delay_hours"]
    named = links.loc[links["kind"] == "message", "variant"].value_counts()
    bots = automated["variant"].value_counts()
    edits = hub_only["variant"].value_counts()
    counted = status["variant"].value_counts()
    by_variant = dict(tuple(delays)) if len(status) else {}

    def count(variant: str, what: str) -> int:
        return int(tally.get((variant, what), 0))

    measures = tuple(
        VariantPropagation(
            variant=v,
            shared_files=int(shared.get(v, 0)),
            gh_versions=int(counted.get(v, 0)),
            reached=count(v, REACHED),
            from_hub=count(v, FROM_HUB),
            never=count(v, NEVER_ARRIVED),
            delays=Delays.of(by_variant.get(v, pd.Series(dtype=float))),
            hub_only_edits=int(edits.get(v, 0)),
            message_links=int(named.get(v, 0)),
            automated_commits=int(bots.get(v, 0)),
        )
        for v in variants
    )
    return status, hub_only.reset_index(drop=True), measures


def _shared_pairs(gh: pd.DataFrame, hf: pd.DataFrame) -> pd.DataFrame:
    """(variant, GitHub path) for every GitHub file a variant carries, by path or file name."""
    files = gh[["path", "name"]].drop_duplicates("path")
    by_path = hf[["repo", "path"]].drop_duplicates().merge(files[["path"]], on="path")
    by_name = hf[["repo", "name"]].drop_duplicates().merge(files, on="name")[["repo", "path"]]
    return pd.concat([by_path, by_name]).drop_duplicates().rename(columns={"repo": "variant"})


def _shared_files(gh: pd.DataFrame, hf: pd.DataFrame) -> pd.Series:
    return _shared_pairs(gh, hf)["variant"].value_counts()


def _status(
    gh: pd.DataFrame, hf: pd.DataFrame, content: pd.DataFrame, labels: pd.Series | None
) -> pd.DataFrame:
    """Every (GitHub version, variant) that counts, with what became of it."""
    by_file = gh.merge(_shared_pairs(gh, hf), on="path")
    by_content = gh.merge(content[["variant", "key"]].drop_duplicates(), on="key")
    rows = pd.concat([by_file, by_content]).drop_duplicates(["variant", "key"])
    start = hf.groupby("repo")["time"].min()
    rows = rows[rows["end"] > rows["variant"].map(start)]
    forward = content[content["direction"] == GH_TO_HF].drop_duplicates(["variant", "key"])
    back = content[content["direction"] == HF_TO_GH].drop_duplicates(["variant", "key"])
    rows = rows.merge(
        forward[["variant", "key", "target_sha", "target_time", "delay_hours", "matched_by"]],
        on=["variant", "key"],
        how="left",
    ).merge(back[["variant", "key"]].assign(back=True), on=["variant", "key"], how="left")
    rows["status"] = np.where(
        rows["target_sha"].notna(),
        REACHED,
        np.where(rows["back"].notna(), FROM_HUB, NEVER_ARRIVED),
    )
    rows["superseded"] = rows["end"] < NEVER
    rows["label"] = rows["sha"].map(labels) if labels is not None else None
    return rows[list(STATUS_COLUMNS)].reset_index(drop=True)


def family_measures(
    per_variant: tuple[VariantPropagation, ...], status: pd.DataFrame
) -> FamilyPropagation:
    return FamilyPropagation(
        variants=len(per_variant),
        variants_sharing=sum(1 for v in per_variant if v.gh_versions),
        gh_versions=sum(v.gh_versions for v in per_variant),
        reached=sum(v.reached for v in per_variant),
        from_hub=sum(v.from_hub for v in per_variant),
        never=sum(v.never for v in per_variant),
        delays=Delays.of(status.loc[status["status"] == REACHED, "delay_hours"]),
        hub_only_edits=sum(v.hub_only_edits for v in per_variant),
        message_links=sum(v.message_links for v in per_variant),
        automated_variants=sum(1 for v in per_variant if v.automated_commits),
    )


def never_arrived(status: pd.DataFrame) -> pd.DataFrame:
    """The GitHub file versions that never reached a variant, by file and change type."""
    never = status[status["status"] == NEVER_ARRIVED]
    return (
        never.assign(label=never["label"].fillna("—"))
        .groupby(["path", "change", "label"], dropna=False)
        .agg(versions=("key", "nunique"), variants=("variant", "nunique"))
        .reset_index()
        .sort_values(["versions", "path"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )
