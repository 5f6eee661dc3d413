"""The app's handles and caches: one place for `st.cache_resource` and `st.cache_data`.

SQLite connections are opened per script run (sqlite3 objects must stay on their thread);
clients are built once per process from settings; reports are cached by a data-version key
so a fetch, a new label or a correction shows up at once.
"""

from __future__ import annotations

import pandas as pd
import sqlite_utils
import streamlit as st

from core import settings, store
from core.labeling.rules import RulesLabeler
from core.records import Family
from core.report.family import FamilyReport, build_report

FAMILY_KEY = "family_name"


def db() -> sqlite_utils.Database:
    """This run's connection to the cache file ($SYNCLENS_DB or cache/synclens.db)."""
    return store.open_db(settings.db_path())


@st.cache_resource(show_spinner=False)
def hub():
    """The Hugging Face client (token from the environment or secrets.toml, never shown)."""
    from core.ingest.sources.hf import connect_hub

    return connect_hub()


def github_backend(repo: str, via: str = "auto"):
    """The GitHub backend for `repo` and a sentence saying which one and why."""
    from core.ingest.sources.github import choose_backend

    return choose_backend(
        via, token=settings.secret("GITHUB_TOKEN"), repo=repo, cache_dir=settings.cache_dir()
    )


def claude_available() -> bool:
    """Whether an Anthropic key is configured (the key itself is never shown)."""
    return settings.secret("ANTHROPIC_API_KEY") is not None


@st.cache_resource(show_spinner=False)
def labeler(name: str):
    """The labeler called `name` ("rules" or "claude"), built once per process."""
    from core.labeling import build_labeler

    return build_labeler(name)


@st.cache_data(show_spinner=False, max_entries=32)
def report(
    db_path: str, name: str, version: tuple, labeler_name: str | None, paper_compatible: bool
) -> FamilyReport:
    """The family report, recomputed only when `version` (store.data_version) changes.

    Labels come from corrections, then the cache of `labeler_name`; with "claude" every text
    has been labeled beforehand (see `label_family`), so this makes no API request.
    """
    handle = store.open_db(db_path)
    family = store.load_family(handle, name)
    assert family is not None
    return build_report(
        handle,
        family,
        labeler=labeler(labeler_name) if labeler_name else None,
        paper_compatible=paper_compatible,
    )


def family_report(
    handle: sqlite_utils.Database,
    family: Family,
    *,
    labeler_name: str | None = "rules",
    paper_compatible: bool = False,
) -> FamilyReport:
    return report(
        str(settings.db_path()),
        family.name,
        store.data_version(handle, family),
        labeler_name,
        paper_compatible,
    )


def label_family(handle: sqlite_utils.Database, family: Family, name: str):
    """Label the family's commits with `name` (cached labels are reused); returns LabelStats."""
    from core.labeling.labels import label_commits

    commits = store.family_commits(handle, family)
    _, stats = label_commits(handle, commits, labeler(name))
    return stats


@st.cache_data(show_spinner=False, max_entries=8)
def csv_report(data: bytes, name: str, paper_compatible: bool) -> FamilyReport:
    """A report for an uploaded commits CSV (the classify input format, text optional)."""
    import io

    from core.ingest.commit_csv import parse_commits
    from core.report.family import family_report as build

    raw = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    parsed = parse_commits(raw, source=name, skip_bad_rows=True, default_family=name)
    frame = parsed.frame
    if "text" in frame.columns or {"title", "message"} <= set(frame.columns):
        from core.labeling.labels import label_commits

        frame, _ = label_commits(store.open_db(memory=True), frame, RulesLabeler())
    first = frame["family"].iloc[0] if not frame.empty else name
    return build(frame[frame["family"] == first], name=first)


# --- corpus page ---------------------------------------------------------------------------
# Keyed by store.corpus_version (imports, label and correction counts): a re-import, a
# refresh of "mine" or a new label shows up at once; otherwise everything comes from memory.
# Corpora and charts are kept as resources (shared, never copied): nothing mutates them, and
# copying a section's figures on every rerun cost more than drawing them.


def corpus_version(handle: sqlite_utils.Database) -> tuple:
    return store.corpus_version(handle)


@st.cache_resource(show_spinner=False, max_entries=8)
def corpus(db_path: str, source: str, exclusions: bool, version: tuple):
    """The stored corpus (core.corpus.load_corpus) for a source, exclusions on or off."""
    from core.corpus import load_corpus

    return load_corpus(store.open_db(db_path), source, exclusions=exclusions)


@st.cache_data(show_spinner=False, max_entries=4)
def corpus_change_types(db_path: str, version: tuple) -> pd.DataFrame:
    """Label counts of the user's families (core.corpus.mine_change_types)."""
    from core.corpus import mine_change_types

    return mine_change_types(store.open_db(db_path))


@st.cache_resource(show_spinner=False, max_entries=64)
def corpus_section(
    db_path: str, source: str, exclusions: bool, filters, section: str, version: tuple
):
    """The charts of one page section (`core.figures.corpus`) for one choice of filters."""
    from core.figures.corpus import page_data, section_charts

    data = corpus(db_path, source, exclusions, version)
    change_types = corpus_change_types(db_path, version) if "mine" in data.sources else None
    return section_charts(section, page_data(data, filters, change_types))


@st.cache_data(show_spinner=False, max_entries=32)
def paper_family(db_path: str, name: str, repo: str | None, variants: tuple, version: tuple):
    """The paper's own labels for a family (core.corpus.paper_family), or None."""
    from core.corpus import paper_family as find

    return find(store.open_db(db_path), name, repo, variants)


# --- audit page (issue 7) ------------------------------------------------------------------
# File listings cost one request per repository, so what the audit reads is kept per
# (cache file, family, data version, offline) until the page asks for a refresh; the report
# itself is then cached per window and day. No Streamlit element is created inside a cached
# function (Streamlit would replay it on every hit): progress goes through a callback.

AUDIT_MEMO_SIZE = 8


@st.cache_resource(show_spinner=False)
def github_api():
    """The PyGithub client for file listings (token from the environment or secrets.toml)."""
    from core.ingest.sources.github import make_github_client

    return make_github_client(settings.secret("GITHUB_TOKEN"))


def github_clone(repo: str | None):
    """A cached clone of `repo`, if the Family page or `fetch --via git` made one."""
    if not repo:
        return None
    from core.ingest.sources.gitrepo import GitBackend

    path = GitBackend(settings.cache_dir()).path_for(repo)
    return path if path.exists() else None


@st.cache_resource(show_spinner=False)
def _audit_inputs_memo() -> dict:
    return {}


class _AnnouncedLister:
    """The Hub client, saying which repository it lists before each listing request."""

    def __init__(self, announce) -> None:
        self.announce = announce

    def list_files(self, model_id: str, revision: str | None = None, *, expand: bool = False):
        self.announce(model_id)
        return hub().list_files(model_id, revision, expand=expand)


def audit_inputs(
    handle: sqlite_utils.Database,
    family: Family,
    *,
    offline: bool,
    refresh: bool = False,
    progress=None,
):
    """(cache key, `AuditInputs`) for `family`: from memory unless new data or `refresh`.

    `progress(repo, step, total)` is called before each repository is listed.
    """
    from dataclasses import replace
    from datetime import UTC, datetime

    from core.audit import Limitation
    from core.audit.inputs import gather_inputs

    memo = _audit_inputs_memo()
    db_path = str(settings.db_path())
    base = (db_path, family.name, store.data_version(handle, family), offline)
    if not refresh and base in memo:
        return memo[base]
    total = len(family.variants) + (1 if family.github_repo else 0)
    steps = iter(range(1, total + 1))

    def announce(repo: str) -> None:
        if progress is not None:
            progress(repo, next(steps, total), total)

    def github_client():
        announce(family.github_repo or "")
        return github_api()

    clone = None if offline else github_clone(family.github_repo)
    if clone is not None:
        announce(f"{family.github_repo} (local clone)")
    try:
        inputs = gather_inputs(
            handle,
            family,
            hub=_AnnouncedLister(announce),
            github_client=github_client,
            clone=clone,
            offline=offline,
        )
    except Exception as err:  # an unexpected client failure: audit the cache, say what failed
        inputs = gather_inputs(handle, family, offline=True)
        failed = Limitation(
            "drift",
            f"Listing the files failed ({type(err).__name__}: {err}); "
            "content drift was not checked.",
        )
        kept = tuple(lim for lim in inputs.limitations if "--offline" not in lim.reason)
        inputs = replace(inputs, limitations=(failed, *kept))
    # labeling the commits may have changed the data version: key by the version after it
    after = (db_path, family.name, store.data_version(handle, family), offline)
    entry = ((*after, datetime.now(UTC).isoformat()), inputs)
    memo[base] = memo[after] = entry
    while len(memo) > AUDIT_MEMO_SIZE:
        memo.pop(next(iter(memo)))
    return entry


@st.cache_data(show_spinner=False, max_entries=32)
def audit_report(key: tuple, window_days: int, day: str, _inputs):
    """The `AuditReport` for the inputs behind `key`, per window and per day (days since)."""
    from core.audit.inputs import audit_gathered

    return audit_gathered(_inputs, window_days=window_days)
