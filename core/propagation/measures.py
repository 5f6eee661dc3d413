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

from core.propagation.content import NEVER, basename
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
        denominator = self.reached + self.never
        return round(self.reached / denominator, 3) if denominator else None


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
        denominator = self.reached + self.never
        return round(self.reached / denominator, 3) if denominator else None


def version_status(
    versions: pd.DataFrame,
    links: pd.DataFrame,
    variants: tuple[str, ...],
    labels: pd.Series | None = None,
) -> pd.DataFrame:
    """One row per (GitHub file version, variant) that counts: reached, from HF, or never."""
    gh = versions[versions["platform"] == GH]
    content = links[links["kind"] == "content"]
    parts = []
    for variant in variants:
        mine = versions[(versions["platform"] == HF) & (versions["repo"] == variant)]
        if mine.empty or gh.empty:
            continue
        mine_links = content[content["variant"] == variant]
        shares = _carries(gh["path"], mine["path"]) | gh["key"].isin(mine_links["key"])
        counted = gh[shares & (gh["end"] > mine["time"].min())]
        if counted.empty:
            continue
        forward = mine_links[mine_links["direction"] == GH_TO_HF].drop_duplicates("key")
        back = set(mine_links.loc[mine_links["direction"] == HF_TO_GH, "key"])
        rows = counted.merge(
            forward[["key", "target_sha", "target_time", "delay_hours", "matched_by"]],
            on="key",
            how="left",
        )
        rows["status"] = np.where(
            rows["target_sha"].notna(),
            REACHED,
            np.where(rows["key"].isin(back), FROM_HUB, NEVER_ARRIVED),
        )
        rows["variant"] = variant
        parts.append(rows)
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in STATUS_COLUMNS})
    status = pd.concat(parts, ignore_index=True)
    status["superseded"] = status["end"] < NEVER
    status["label"] = status["sha"].map(labels) if labels is not None else None
    return status[list(STATUS_COLUMNS)]


def hub_only_edits(versions: pd.DataFrame) -> pd.DataFrame:
    """Versions of files that GitHub also has (by path or name) that never appeared on GitHub."""
    gh = versions[versions["platform"] == GH]
    hf = versions[versions["platform"] == HF]
    edited = hf[_carries(hf["path"], gh["path"]) & ~hf["key"].isin(gh["key"])]
    return edited.rename(columns={"repo": "variant"})[["variant", "path", "sha", "time", "key"]]


def variant_measures(
    variant: str,
    status: pd.DataFrame,
    versions: pd.DataFrame,
    hub_only: pd.DataFrame,
    links: pd.DataFrame,
    automated: pd.DataFrame,
) -> VariantPropagation:
    mine = status[status["variant"] == variant]
    gh = versions[versions["platform"] == GH]
    theirs = versions[(versions["platform"] == HF) & (versions["repo"] == variant)]
    counts = mine["status"].value_counts()
    return VariantPropagation(
        variant=variant,
        shared_files=int(gh.loc[_carries(gh["path"], theirs["path"]), "path"].nunique())
        if not theirs.empty
        else 0,
        gh_versions=len(mine),
        reached=int(counts.get(REACHED, 0)),
        from_hub=int(counts.get(FROM_HUB, 0)),
        never=int(counts.get(NEVER_ARRIVED, 0)),
        delays=Delays.of(mine.loc[mine["status"] == REACHED, "delay_hours"]),
        hub_only_edits=int((hub_only["variant"] == variant).sum()),
        message_links=int(((links["kind"] == "message") & (links["variant"] == variant)).sum()),
        automated_commits=int((automated["variant"] == variant).sum()),
    )


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


def _carries(paths: pd.Series, other: pd.Series) -> pd.Series:
    """Whether each of `paths` is also in `other`, by whole path or by file name."""
    return paths.isin(set(other)) | basename(paths).isin(set(basename(other)))
