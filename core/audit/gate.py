"""A CI gate over an audit: a policy (`GatePolicy`) judged against an `AuditReport` into a
`GateVerdict` — pass, fail, or cannot tell — for `audit --fail-on`.

Only what can change a model counts: a variant is stale when it misses a behaviour-changing
GitHub commit, files drift when one that affects a loaded model (config, tokenizer, modeling
code …) differs, and a change is unreplicated when a behaviour-changing commit never reached
the other platform within the window. Documentation-only changes never fail a release.

The policy's clock applies to every finding alike: a finding counts when its change was made
on or after `since` and more than `max_lag_days` before the audit's date (a change of unknown
date always counts). A rule that cannot be judged (drift not listed, a variant without
commits, commits unlabeled) is "unchecked": the gate does not pass what it could not see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from core.audit.commits import CommitRef
from core.audit.plain import _Plain
from core.audit.recommendations import _plural
from core.audit.report import AuditReport
from core.errors import InputError

RULES = ("stale", "drift", "unreplicated")
SHOWN = 10  # offenders named per rule; the count is complete


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNCHECKED = "unchecked"


@dataclass(frozen=True)
class GatePolicy(_Plain):
    """Which findings fail the gate, and how old a change must be before it counts."""

    fail_on: tuple[str, ...]
    max_lag_days: int = 0
    since: datetime | None = None

    @classmethod
    def parse(cls, fail_on: str, *, max_lag_days: int = 0, since: str | None = None) -> GatePolicy:
        """From the command line's words (`stale,drift`); raises InputError on anything else."""
        rules = tuple(dict.fromkeys(r.strip() for r in fail_on.split(",") if r.strip()))
        unknown = [r for r in rules if r not in RULES]
        if unknown or not rules:
            raise InputError(
                f"--fail-on takes {', '.join(RULES)} (comma-separated), not {fail_on!r}."
            )
        if max_lag_days < 0:
            raise InputError("--max-lag-days must be 0 or more.")
        return cls(rules, max_lag_days, parse_day(since, "--since") if since else None)

    def describe(self) -> str:
        parts = [f"fail on {', '.join(self.fail_on)}"]
        if self.max_lag_days:
            parts.append(f"changes older than {self.max_lag_days} days")
        if self.since:
            parts.append(f"made since {self.since:%Y-%m-%d}")
        return "; ".join(parts)


@dataclass(frozen=True)
class RuleResult(_Plain):
    """One rule of the policy, judged."""

    rule: str
    outcome: Outcome
    summary: str  # one sentence
    offenders: tuple[str, ...] = ()  # at most SHOWN, most important first


@dataclass(frozen=True)
class GateVerdict(_Plain):
    policy: GatePolicy
    results: tuple[RuleResult, ...]

    @property
    def outcome(self) -> Outcome:
        """Fail when any rule fails; else unchecked when any could not be judged; else pass."""
        outcomes = {r.outcome for r in self.results}
        for worst in (Outcome.FAIL, Outcome.UNCHECKED):
            if worst in outcomes:
                return worst
        return Outcome.PASS

    def to_dict(self) -> dict:
        return {"outcome": str(self.outcome), **super().to_dict()}


def judge(report: AuditReport, policy: GatePolicy) -> GateVerdict:
    """Each rule of `policy` against the report's findings (pure)."""
    due = _Clock(policy, report.generated_at)
    rules = {"stale": _stale, "drift": _drift, "unreplicated": _unreplicated}
    return GateVerdict(policy, tuple(rules[r](report, due) for r in policy.fail_on))


class _Clock:
    """Whether a change made at a given time counts under the policy."""

    def __init__(self, policy: GatePolicy, today: datetime) -> None:
        self.since = policy.since
        self.before = today - timedelta(days=policy.max_lag_days)
        self.lag = policy.max_lag_days

    def counts(self, when: datetime | None) -> bool:
        if when is None:
            return True
        return (self.since is None or when >= self.since) and when <= self.before

    def window(self) -> str:
        words = [f"more than {self.lag} days ago"] if self.lag else []
        words += [f"since {self.since:%Y-%m-%d}"] if self.since else []
        return f" ({', '.join(words)})" if words else ""


def _unlabeled(rule: str, report: AuditReport) -> RuleResult | None:
    if report.labeled:
        return None
    return RuleResult(
        rule,
        Outcome.UNCHECKED,
        "The commits are not labeled, so behaviour-changing ones cannot be told apart "
        "(run `python -m core label TARGET`).",
    )


def _stale(report: AuditReport, due: _Clock) -> RuleResult:
    if (unlabeled := _unlabeled("stale", report)) is not None:
        return unlabeled
    failing: list[tuple[int, str]] = []
    for s in report.stale:
        missed = [c for c in s.commits if c.behaviour_changing and due.counts(c.timestamp)]
        if missed:
            oldest = min(c.timestamp for c in missed)
            failing.append((len(missed), f"{s.model_id}: {len(missed)} since {oldest:%Y-%m-%d}"))
    unjudged = [s.model_id for s in report.stale if s.last_commit_at is None]
    if failing:
        failing.sort(key=lambda x: -x[0])
        return RuleResult(
            "stale",
            Outcome.FAIL,
            f"{_plural(len(failing), 'variant')} of {len(report.stale)} miss behaviour-changing "
            f"GitHub changes{due.window()}.",
            _first([text for _, text in failing]),
        )
    if unjudged:
        return RuleResult(
            "stale",
            Outcome.UNCHECKED,
            f"{_plural(len(unjudged), 'variant')} without cached commits cannot be judged.",
            _first(unjudged),
        )
    return RuleResult(
        "stale",
        Outcome.PASS,
        f"No variant misses a behaviour-changing GitHub change{due.window()}.",
    )


def _drift(report: AuditReport, due: _Clock) -> RuleResult:
    drift = report.drift
    if not drift.checked:
        return RuleResult(
            "drift",
            Outcome.UNCHECKED,
            "File contents were not compared (no file listings: offline, or a side "
            "unreachable; see Limitations).",
        )
    differing = [
        c
        for c in drift.comparisons
        if c.status == "different"
        and c.critical
        and due.counts(_newest(c.hf_changed_at, c.gh_changed_at))
    ]
    unlisted = [v for v in report.variants if v not in drift.variants_checked]
    if differing:
        return RuleResult(
            "drift",
            Outcome.FAIL,
            f"{_plural(len(differing), 'file')} that affect the model differ between GitHub "
            f"and the Hub{due.window()}.",
            _first(f"{c.variant}: {c.hf_path} ≠ {c.gh_path}" for c in differing),
        )
    if unlisted:
        return RuleResult(
            "drift",
            Outcome.UNCHECKED,
            f"{_plural(len(unlisted), 'variant')} could not be listed, so their files were "
            "not compared.",
            _first(unlisted),
        )
    return RuleResult(
        "drift", Outcome.PASS, f"No file that affects the model differs{due.window()}."
    )


def _unreplicated(report: AuditReport, due: _Clock) -> RuleResult:
    if (unlabeled := _unlabeled("unreplicated", report)) is not None:
        return unlabeled
    iso = report.isolated
    lonely = [c for c in (*iso.gh, *iso.hf) if c.behaviour_changing and due.counts(c.timestamp)]
    if lonely:
        return RuleResult(
            "unreplicated",
            Outcome.FAIL,
            f"{_plural(len(lonely), 'behaviour-changing commit')} never reached the other "
            f"platform within {iso.window_days} days{due.window()}.",
            _first(
                _commit_line(c) for c in sorted(lonely, key=lambda c: c.timestamp, reverse=True)
            ),
        )
    return RuleResult(
        "unreplicated",
        Outcome.PASS,
        f"Every behaviour-changing commit reached the other platform within "
        f"{iso.window_days} days{due.window()}.",
    )


def _commit_line(c: CommitRef) -> str:
    side = "GitHub" if c.platform == "GH" else c.repo
    return f"{c.timestamp:%Y-%m-%d} {side} {c.sha[:7]} ({c.label}): {c.title}"


def _newest(*times: datetime | None) -> datetime | None:
    known = [t for t in times if t is not None]
    return max(known) if len(known) == len(times) else None


def _first(items: Iterable[str]) -> tuple[str, ...]:
    items = list(items)
    more = len(items) - SHOWN
    return tuple(items[:SHOWN]) + ((f"… and {more} more",) if more > 0 else ())


def parse_day(text: str, option: str) -> datetime:
    """A date (or time) from the command line, in UTC; naive means UTC."""
    try:
        day = datetime.fromisoformat(text)
    except ValueError as err:
        raise InputError(f"{option} expects a date like 2024-10-13, not {text!r}.") from err
    return day.replace(tzinfo=UTC) if day.tzinfo is None else day.astimezone(UTC)
