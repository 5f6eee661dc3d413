"""What of a family the cache holds (`Coverage`), so a family without commits, or with one side
missing, is never audited as if it were complete (`NotAudited`).

An audit compares the two platforms: with no GitHub commits, or no Hugging Face commits at all,
every finding would be empty and read as an all-clear ("0 stale", "nothing to do"). Such a
family is not audited; the message names what is missing and the command that fetches it.
Variants without commits while others have some are a partial coverage: the audit runs and
says which variants it could not judge.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

import pandas as pd
import sqlite_utils

from core import store
from core.audit.plain import _Plain
from core.errors import InputError
from core.records import GH, HF, Family


class CoverageState(StrEnum):
    NOT_FETCHED = "not fetched"  # no commits on either side
    NO_GITHUB = "GitHub side missing"  # no GitHub repository, or none of its commits
    NO_HUB = "Hugging Face side missing"  # no variant, or no variant's commits
    PARTIAL = "some variants missing"  # both sides, but some variants have no commits
    COMPLETE = "complete"


@dataclass(frozen=True)
class Coverage(_Plain):
    """Cached commits of each repository of one family."""

    family: str
    github_repo: str | None
    gh_commits: int
    hf_commits: dict[str, int]  # per variant, in the family's order

    @property
    def missing_variants(self) -> tuple[str, ...]:
        return tuple(v for v, n in self.hf_commits.items() if not n)

    @property
    def state(self) -> CoverageState:
        hf = sum(self.hf_commits.values())
        if not self.gh_commits and not hf:
            return CoverageState.NOT_FETCHED
        if not self.gh_commits:
            return CoverageState.NO_GITHUB
        if not hf:
            return CoverageState.NO_HUB
        return CoverageState.PARTIAL if self.missing_variants else CoverageState.COMPLETE

    @property
    def auditable(self) -> bool:
        """Both sides have commits (some variants may still have none)."""
        return self.state in (CoverageState.PARTIAL, CoverageState.COMPLETE)

    @property
    def fetch_command(self) -> str:
        return f"python -m core fetch {self.family}"

    def to_dict(self) -> dict:
        return {**super().to_dict(), "state": str(self.state), "auditable": self.auditable}

    def problem(self) -> str | None:
        """One plain sentence on what is missing and how to get it (None when complete)."""
        state, name = self.state, self.family
        if state is CoverageState.COMPLETE:
            return None
        add = f"Add one: `python -m core family {name} --{{}}`, then fetch it."
        if state is CoverageState.NO_GITHUB and not self.github_repo:
            return (
                f"{name} has no GitHub repository, so there is nothing to compare its variants "
                f"with. {add.format('github OWNER/REPO')}"
            )
        if state is CoverageState.NO_HUB and not self.hf_commits:
            return f"{name} has no Hugging Face variant. {add.format('add-variant ORG/MODEL')}"
        missing = self.missing_variants
        said = {
            CoverageState.NOT_FETCHED: f"No commits are cached for {name}: it was never fetched.",
            CoverageState.NO_GITHUB: f"No GitHub commits of {self.github_repo} are cached.",
            CoverageState.NO_HUB: "No Hugging Face commits of any of its variants are cached.",
            CoverageState.PARTIAL: f"{len(missing)} of {len(self.hf_commits)} variants have no "
            f"cached commits ({', '.join(missing)}), so they are not judged.",
        }[state]
        gated = " (a gated variant needs an HF_TOKEN that may read it)"
        return (
            f"{said} Run `{self.fetch_command}`{gated if state is CoverageState.PARTIAL else ''}."
        )


class NotAudited(InputError):
    """A family whose cached commits cannot support an audit (never fetched, a side missing)."""

    def __init__(self, coverage: Coverage) -> None:
        super().__init__(coverage.problem() or f"{coverage.family} cannot be audited.")
        self.coverage = coverage


def coverage_from_counts(family: Family, counts: Mapping[tuple[str, str], int]) -> Coverage:
    """Coverage from commit counts keyed by (platform, repo)."""
    repo = family.github_repo
    return Coverage(
        family=family.name,
        github_repo=repo,
        gh_commits=int(counts.get((GH, repo), 0)) if repo else 0,
        hf_commits={v: int(counts.get((HF, v), 0)) for v in family.variants},
    )


def coverage_of(family: Family, commits: pd.DataFrame) -> Coverage:
    """Coverage of a family's commit frame (`store.family_commits`)."""
    counts = commits.groupby(["platform", "repo"]).size().to_dict() if len(commits) else {}
    return coverage_from_counts(family, counts)


def cached_coverage(db: sqlite_utils.Database, family: Family) -> Coverage:
    """Coverage read from the cache (one count per repository), for lists of families."""
    repos = [(HF, v) for v in family.variants]
    if family.github_repo:
        repos.append((GH, family.github_repo))
    return coverage_from_counts(family, {(p, r): store.count_commits(db, p, r) for p, r in repos})
