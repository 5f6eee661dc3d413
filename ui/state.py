"""The app's handles and caches: one place for `st.cache_resource` and `st.cache_data`.

SQLite connections are opened per script run (sqlite3 objects must stay on their thread);
clients are built once per process from settings; reports are cached by a data-version key
so a fetch, a new label or a correction shows up at once. Reports and their figures are kept
as resources (shared, never copied): nothing mutates them, and unpickling a large family's
frames on every rerun cost more than the page's own work.
"""

from __future__ import annotations

import pandas as pd
import sqlite_utils
import streamlit as st

from core import settings, store
from core.labeling import DEFAULT_LABELER
from core.records import Family
from core.report.family import FamilyReport, build_report

FAMILY_KEY = "family_name"


def db() -> sqlite_utils.Database:
    """This run's connection to the cache file ($SYNCLENS_DB or cache/synclens.db)."""
    return store.open_db(settings.db_path())


@st.cache_resource(show_spinner=False)
def clients():
    """The network clients of this process (core.ingest.clients), tokens from settings."""
    from core.ingest.clients import Clients

    return Clients()


def claude_available() -> bool:
    """Whether an Anthropic key is configured (the key itself is never shown)."""
    return settings.secret("ANTHROPIC_API_KEY") is not None


@st.cache_resource(show_spinner=False)
def labeler(name: str):
    """The labeler called `name` (learned, rules, claude, hybrid), built once per process."""
    from core.labeling import build_labeler

    return build_labeler(name)


@st.cache_resource(show_spinner=False)
def _demo_seeded(db_path: str) -> bool:
    from core.demo import seed_demo

    return seed_demo(store.open_db(db_path)) is not None


def seed_demo() -> None:
    """Put the shipped demo family into an empty cache, once per process and cache file
    ($SYNCLENS_DEMO=0 turns it off)."""
    from core.demo import enabled

    if enabled():
        _demo_seeded(str(settings.db_path()))


@st.cache_resource(show_spinner=False, max_entries=32)
def report(
    db_path: str,
    name: str,
    version: tuple,
    labeler_name: str | None,
    paper_compatible: bool,
    paper_view: bool = False,
) -> FamilyReport:
    """The family report, recomputed only when `version` (store.data_version) changes.

    Labels come from corrections, then the cache of `labeler_name`; with "claude" every text
    has been labeled beforehand (see `label_family`), so this makes no API request.
    """
    from core.ingest.status import cache_age

    handle = store.open_db(db_path)
    family = store.load_family(handle, name)
    assert family is not None
    return build_report(
        handle,
        family,
        labeler=labeler(labeler_name) if labeler_name else None,
        paper_compatible=paper_compatible,
        paper_view=paper_view,
        fetched_at=cache_age(handle, family),
    )


def report_key(
    handle: sqlite_utils.Database,
    family: Family,
    *,
    labeler_name: str | None = DEFAULT_LABELER,
    paper_compatible: bool = False,
    paper_view: bool = False,
) -> tuple:
    """What a cached family's report depends on: the arguments of `report`."""
    version = store.data_version(handle, family)
    path = str(settings.db_path())
    return (path, family.name, version, labeler_name, paper_compatible, paper_view)


def family_report(handle: sqlite_utils.Database, family: Family, **options) -> FamilyReport:
    """The cached report of a family (`options` as for `report_key`)."""
    return report(*report_key(handle, family, **options))


@st.cache_resource(show_spinner=False, max_entries=32)
def timeline_figure(key: tuple, color_by: str, start_at_both: bool, _report: FamilyReport):
    """The timeline of the report behind `key` (a `report_key` or an upload's key)."""
    import pandas as pd

    from core.figures.family import timeline_figure as build

    analysis = _report.analysis
    assert analysis is not None
    return build(
        _report.commits,
        pd.Timestamp(analysis.t0),
        analysis.co_active_periods,
        color_by=color_by,
        title=f"{_report.name}: biweekly commits on GitHub and Hugging Face",
        start_at_both=start_at_both,
    )


@st.cache_resource(show_spinner=False, max_entries=32)
def delay_figure(key: tuple, _report: FamilyReport):
    """The delay histograms of the report behind `key`."""
    from core.figures.delay_histogram import delay_histogram

    return delay_histogram(_report.switches)


def label_family(handle: sqlite_utils.Database, family: Family, name: str):
    """Label the family's commits with `name` (cached labels are reused); returns LabelStats."""
    from core.labeling.labels import label_commits

    commits = store.family_commits(handle, family)
    _, stats = label_commits(handle, commits, labeler(name))
    return stats


@st.cache_resource(show_spinner=False, max_entries=8)
def upload(data: bytes, name: str, paper_view: bool):
    """Every family of an uploaded commits CSV, analysed (core.report.upload.read_upload)."""
    from core.report.upload import read_upload

    return read_upload(data, name, paper_view=paper_view)


def upload_key(data: bytes, name: str, paper_view: bool, family: str) -> tuple:
    """What an uploaded family's report depends on (the file by its digest)."""
    import hashlib

    return ("upload", hashlib.sha256(data).hexdigest(), name, paper_view, family)


@st.cache_resource(show_spinner=False, max_entries=16)
def uploaded_report(data: bytes, name: str, paper_view: bool, family: str) -> FamilyReport:
    """One family of an upload with the paper's labels beside it, when the paper studied it."""
    from core.report.family import with_paper

    return with_paper(
        store.open_db(settings.db_path()), upload(data, name, paper_view).reports[family]
    )


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


# --- audit page ------------------------------------------------------------------------------
# File listings cost one request per repository, so what the audit reads is kept per
# (cache file, family, data version, offline) until the page asks for a refresh; the report
# itself is then cached per window and day. No Streamlit element is created inside a cached
# function (Streamlit would replay it on every hit): progress goes through a callback.

AUDIT_MEMO_SIZE = 8


@st.cache_resource(show_spinner=False)
def _audit_inputs_memo() -> dict:
    return {}


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
    from datetime import UTC, datetime

    from core.audit.inputs import gather_inputs

    memo = _audit_inputs_memo()
    db_path = str(settings.db_path())
    base = (db_path, family.name, store.data_version(handle, family), offline)
    if not refresh and base in memo:
        return memo[base]
    inputs = gather_inputs(handle, family, clients(), offline=offline, progress=progress)
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


# --- propagation ---------------------------------------------------------------------------
# Keyed by the family's data version and its file histories' version: reading file histories
# again, a fetch or a new label shows up at once; otherwise it comes from memory.


@st.cache_data(show_spinner=False, max_entries=16)
def propagation(db_path: str, name: str, version: tuple, files: tuple, labeler_name: str):
    """The family's exact propagation (core.propagation.build), from the cache only."""
    from core.labeling.labels import label_commits
    from core.propagation.build import build_propagation

    handle = store.open_db(db_path)
    family = store.load_family(handle, name)
    assert family is not None
    commits, _ = label_commits(handle, store.family_commits(handle, family), labeler(labeler_name))
    return build_propagation(handle, family, commits)


def family_propagation(handle: sqlite_utils.Database, family: Family):
    repos = [("HF", v) for v in family.variants] + (
        [("GH", family.github_repo)] if family.github_repo else []
    )
    return propagation(
        str(settings.db_path()),
        family.name,
        store.data_version(handle, family),
        store.files_version(handle, repos),
        DEFAULT_LABELER,
    )


@st.cache_data(show_spinner=False, max_entries=32, ttl=3600)
def discovery(model_id: str):
    """Candidates beyond Algorithm 1 for `model_id` (a few Hub requests, kept an hour);
    None with the reason when the Hub cannot be read."""
    from core.errors import SourceError
    from core.ingest.discover import discover
    from core.ingest.sources.hf_discovery import HubDiscovery

    try:
        return discover(model_id, HubDiscovery(clients().hub())), None
    except SourceError as err:
        return None, str(err)
