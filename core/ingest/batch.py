"""Analysing a list of families end to end (resolve, fetch, label, classify), resumably.

Every input line becomes a `batch_items` row (status pending, done or failed) before any
network call, and each item's outcome is written as soon as it is known, so an interrupted or
rate-limited batch resumes where it stopped: done items are skipped, pending ones run, failed
ones run again only when asked (`retry_failed`). A rate limit (SourceError kind
"rate_limit") stops the batch cleanly: the item stays pending and the report says when to
retry. Any other failure of one item is recorded and the batch goes on.

Input: a CSV with one target per row (column `target`, `model`, `model_id`, `repo` or the
first column; any form `parse_target` accepts, e.g. `org/model` or `gh:owner/repo`; optional
`github` column to pick the repository of an HF model), or the paper's corpus mapping
(`complete_dataset.csv` format: model_name, cleaned_github, family), which becomes one
`gh:owner/repo` item per repository with its mapped models as variants.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
import sqlite_utils

from core import store
from core.errors import InputError, SourceError
from core.ingest.choose import choose_family, fetch_choice
from core.ingest.clients import Sources
from core.ingest.resolve import load_corpus_mapping
from core.ingest.targets import parse_target
from core.labeling.labeler import Labeler
from core.labeling.labels import label_commits
from core.redaction import redact

TARGET_COLUMNS = ("target", "model", "model_id", "repo", "github_repo", "family")
PENDING, DONE, FAILED = "pending", "done", "failed"

Progress = Callable[[int, int, str], None]  # (items handled, items to handle, message)


@dataclass(frozen=True)
class BatchInput:
    """The targets of a batch file and, for the corpus mapping format, the mapping itself."""

    targets: tuple[str, ...]
    github: dict[str, str] = field(default_factory=dict)  # target -> chosen GitHub repo
    mapping: pd.DataFrame | None = None


@dataclass(frozen=True)
class BatchClients:
    """The clients a batch needs, built once by the caller (tests pass fakes).

    `sources` gives the Hub and a GitHub backend per repository (`core.ingest.clients`);
    `labeler` None skips labeling.
    """

    sources: Sources
    labeler: Labeler | None = None


@dataclass(frozen=True)
class ItemOutcome:
    """One target's result in this run."""

    target: str
    status: str
    family: str | None = None
    pattern: str | None = None
    kind: str | None = None
    message: str | None = None


@dataclass(frozen=True)
class BatchReport:
    """A batch run's summary; `stopped` with `retry_at` when a rate limit ended it early."""

    batch: str
    n_items: int
    n_done: int
    n_failed: int
    n_pending: int
    outcomes: tuple[ItemOutcome, ...]
    skipped_done: int = 0
    stopped: bool = False
    retry_at: str | None = None
    stop_message: str | None = None

    def to_dict(self) -> dict:
        out = asdict(self)
        out["outcomes"] = [asdict(o) for o in self.outcomes]
        return out


class _RateLimited(Exception):
    def __init__(self, err: SourceError, family: str | None = None) -> None:
        super().__init__(str(err))
        self.err = err
        self.family = family


def read_batch_file(path: str | Path) -> BatchInput:
    """The targets of a batch CSV (a target list or the corpus mapping), in file order.

    Raises:
        InputError: the file cannot be read or has no rows.
    """
    path = Path(path)
    try:  # opened here: pandas would fetch a path that looks like a URL
        with path.open("rb") as fh:
            raw = pd.read_csv(
                fh, dtype=str, keep_default_na=False, on_bad_lines="skip", encoding_errors="replace"
            )
    except (OSError, ValueError, pd.errors.ParserError) as err:
        raise InputError(f"Cannot read the batch file {path}: {err}.") from err
    if raw.empty or not len(raw.columns):
        raise InputError(f"The batch file {path} has no rows.")
    if {"model_name", "cleaned_github"} <= set(raw.columns):
        mapping = load_corpus_mapping(path)
        repos = list(dict.fromkeys(mapping["github_repo"]))
        if not repos:
            raise InputError(_no_targets(path))
        return BatchInput(tuple(f"gh:{repo}" for repo in repos), mapping=mapping)
    column = next((c for c in TARGET_COLUMNS if c in raw.columns), raw.columns[0])
    targets = [t.strip() for t in raw[column] if t.strip()]
    github = {}
    if "github" in raw.columns:
        github = {
            t.strip(): g.strip()
            for t, g in zip(raw[column], raw["github"], strict=True)
            if t.strip() and g.strip()
        }
    if not targets:
        raise InputError(_no_targets(path))
    return BatchInput(tuple(dict.fromkeys(targets)), github=github)


def _no_targets(path: Path) -> str:
    return (
        f"The batch file {path} has no target: give one HF model id or gh:owner/repo per row "
        "(column `target`), or the corpus mapping (model_name, cleaned_github)."
    )


def _is_rate_limit(kind: str | None, text: str | None) -> bool:
    return kind == "rate_limit" or "rate limit" in (text or "").lower()


def process_target(
    db: sqlite_utils.Database,
    text: str,
    clients: BatchClients,
    *,
    github: str | None = None,
    mapping: pd.DataFrame | None = None,
    search: bool = True,
    refresh: bool = False,
) -> ItemOutcome:
    """Resolve, fetch, label and classify one target; failures become a failed outcome.

    Raises:
        _RateLimited: a source hit its rate limit (the batch must stop and resume later).
    """
    from core.engine.analysis import analyze

    try:
        target = parse_target(text, prefer="hf")
        if github:  # any form `family --github` accepts, checked before it names a family
            chosen = parse_target(github, prefer="gh")
            if chosen.kind != "gh":
                raise InputError(f"The github column expects a GitHub repository, not {github!r}.")
            github = chosen.id
    except InputError as err:
        return ItemOutcome(text, FAILED, kind="input", message=str(err))
    try:
        choice = choose_family(
            db,
            target.id if target.kind == "hf" else f"gh:{target.id}",
            clients.sources.hub,
            github=github,
            mapping=mapping,
            refresh=True,
            search=search,
            allow_ambiguous=True,
        )
    except InputError as err:
        return ItemOutcome(text, FAILED, kind="input", message=str(err))
    except SourceError as err:
        if err.kind == "rate_limit":
            raise _RateLimited(err) from err
        return ItemOutcome(text, FAILED, kind=err.kind, message=str(err))
    family = choice.family
    if choice.ambiguous or family.github_repo is None:
        why = choice.notes[0] if choice.notes else "no GitHub repository was found"
        return ItemOutcome(
            text, FAILED, kind="unresolved", message=f"{why} (add a `github` column to choose one)"
        )
    saved, fetched = fetch_choice(db, choice, clients.sources, refresh=refresh)
    family = saved or family
    for repo in fetched.failed:
        kind = getattr(repo, "kind", None)
        if _is_rate_limit(kind, repo.error):
            retry_at = getattr(repo, "retry_at", None)
            raise _RateLimited(
                SourceError(
                    repo.error or "rate limit", kind="rate_limit", repo=repo.repo, retry_at=retry_at
                ),
                family.name,
            )
    frame = store.family_commits(db, family)
    if frame.empty:
        detail = "; ".join(r.error or "" for r in fetched.failed) or "no commits were found"
        return ItemOutcome(text, FAILED, family.name, kind="fetch", message=detail)
    if clients.labeler is not None:
        try:
            label_commits(db, frame, clients.labeler)
        except SourceError as err:
            if err.kind == "rate_limit":
                raise _RateLimited(err, family.name) from err
            return ItemOutcome(text, FAILED, family.name, kind=err.kind, message=str(err))
    results = analyze(frame)
    result = results[0] if results else None
    notes = [f"{r.repo}: {r.error}" for r in fetched.failed]
    if result is not None and result.reason:
        notes.append(result.reason)
    return ItemOutcome(
        text,
        DONE,
        family.name,
        result.pattern if result else None,
        message="; ".join(notes) or None,
    )


def run_batch(
    db: sqlite_utils.Database,
    batch: str,
    items: BatchInput,
    clients: BatchClients,
    *,
    search: bool = True,
    refresh: bool = False,
    retry_failed: bool = False,
    progress: Progress | None = None,
) -> BatchReport:
    """Run (or resume) a batch; each outcome is saved as soon as it is known.

    At the end the "mine" corpus is rebuilt (core.corpus.import_mine) when anything new was
    analysed, so `corpus-report --source mine` shows the batch's families.
    """
    from core.corpus import import_mine

    store.add_batch_items(db, batch, items.targets)
    current = set(items.targets)  # lines dropped from the file since an earlier run do not count
    rows = [r for r in store.batch_items(db, batch) if r["target"] in current]
    wanted = {PENDING, FAILED} if retry_failed else {PENDING}
    todo = [r for r in rows if r["status"] in wanted]
    skipped_done = sum(1 for r in rows if r["status"] == DONE)
    say = progress or (lambda *_: None)
    outcomes: list[ItemOutcome] = []
    stopped, retry_at, stop_message = False, None, None
    say(0, len(todo), "starting")
    for i, row in enumerate(todo):
        text = row["target"]
        say(i, len(todo), text)
        try:
            outcome = process_target(
                db,
                text,
                clients,
                github=items.github.get(text),
                mapping=items.mapping,
                search=search,
                refresh=refresh,
            )
        except _RateLimited as limited:
            store.set_batch_status(
                db,
                batch,
                text,
                PENDING,
                family=limited.family,
                kind="rate_limit",
                error=str(limited.err),
            )
            outcomes.append(
                ItemOutcome(
                    text, PENDING, limited.family, kind="rate_limit", message=str(limited.err)
                )
            )
            stopped, retry_at, stop_message = True, limited.err.retry_at, str(limited.err)
            break
        except (InputError, SourceError, ValueError) as err:
            outcome = ItemOutcome(
                text, FAILED, kind=getattr(err, "kind", "input"), message=str(err)
            )
        except Exception as err:  # a bug hit by one family must not block every resume
            outcome = ItemOutcome(
                text,
                FAILED,
                kind="error",
                message=f"unexpected {type(err).__name__}: {redact(str(err))}",
            )
        store.set_batch_status(
            db,
            batch,
            text,
            outcome.status,
            family=outcome.family,
            kind=outcome.kind,
            error=outcome.message,
        )
        outcomes.append(outcome)
        say(i + 1, len(todo), f"{text}: {outcome.status}")
    if any(o.status == DONE for o in outcomes):
        import_mine(db)
    final = [r for r in store.batch_items(db, batch) if r["target"] in current]
    counts = {s: sum(1 for r in final if r["status"] == s) for s in (DONE, FAILED, PENDING)}
    return BatchReport(
        batch=batch,
        n_items=len(final),
        n_done=counts[DONE],
        n_failed=counts[FAILED],
        n_pending=counts[PENDING],
        outcomes=tuple(outcomes),
        skipped_done=skipped_done,
        stopped=stopped,
        retry_at=retry_at,
        stop_message=stop_message,
    )


def batch_name(path: str | Path) -> str:
    """A batch is named after its input file (resolved path), so re-running it resumes."""
    return str(Path(path).resolve())
