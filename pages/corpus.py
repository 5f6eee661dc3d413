"""Corpus page: the paper's families and yours, filterable, and one family placed among them."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.frame import require_app_frame

require_app_frame()

from core import corpus as corpus_data  # noqa: E402 - after the frame check, as every page
from core import settings, store  # noqa: E402
from core.corpus.stats import (  # noqa: E402
    MATURITY_GROUPS,
    VARIANT_GROUPS,
    filter_families,
    place_family,
    placement_table,
    report_row,
)
from core.csvsafe import csv_text  # noqa: E402
from core.errors import SyncLensError  # noqa: E402
from core.vocabulary import LAGS, PATTERNS  # noqa: E402
from ui import state  # noqa: E402

SHARED_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
ALL = "All"
JOB = "corpus_job"
WIDE = {
    "days_by_pattern",
    "dunn",
    "contributors_pattern",
    "change_types",
    "change_types_by_maturity",
    "change_types_pattern_gh",
    "change_types_pattern_hf",
}
TABS = {
    "Synchronization patterns": "Patterns",
    "Lags": "Lags",
    "Time to reflect changes": "Time to reflect changes",
    "Change-type similarity": "Similarity",
    "Contributors": "Contributors",
    "Change types of your families": "Change types (yours)",
}

st.title("Corpus")
st.caption(
    "The paper's 325 families, live and filterable, with the families you analysed "
    "beside them. Every number is computed from the data loaded here."
)

db = state.db()
db_path = str(settings.db_path())


def _import_paper() -> None:
    """Import the replication package (../shared/corpus if present, else GitHub)."""
    source = SHARED_CORPUS if SHARED_CORPUS.is_dir() else None
    where = str(source) if source else f"GitHub ({corpus_data.REPLICATION_REPO})"
    with st.status(
        f"Importing the paper's replication data from {where} …", expanded=True
    ) as status:
        try:
            report = corpus_data.import_replication(db, source)
        except SyncLensError as err:
            status.update(label="Import failed — the cache keeps what it had", state="error")
            st.error(str(err))
            return
        st.write(
            f"{report.n_families} families ({report.n_excluded} excluded by the paper), "
            f"{report.n_switches:,} switches, {report.n_models} models."
        )
        if report.n_skipped:
            st.write(f"Skipped rows: {report.skipped}")
        status.update(label="Imported the paper's corpus", state="complete")
    st.rerun()


def _import_mine() -> None:
    with st.status("Classifying your cached families …", expanded=True) as status:
        try:
            report = corpus_data.import_mine(db)
        except SyncLensError as err:
            status.update(label="Refresh failed — the cache keeps what it had", state="error")
            st.error(str(err))
            return
        for note in report.notes:
            st.write(note)
        status.update(
            label=f"{report.n_families} of your families are in the corpus", state="complete"
        )
    st.rerun()


def _request(job: str) -> None:
    # Imports run from the page body (not in the callback) so st.status can show progress;
    # the request survives the frame's first-run rerun because it lives in session state.
    st.session_state[JOB] = job


job = st.session_state.pop(JOB, None)
if job == "paper":
    _import_paper()
elif job == "mine":
    _import_mine()

info = {c: store.corpus_import_info(db, c) for c in corpus_data.CORPORA}
present = [c for c in corpus_data.CORPORA if info[c] and info[c]["n_families"]]
with st.sidebar.expander("Corpus data", expanded=not present):
    for name, row in info.items():
        st.caption(
            f"**{name}**: "
            + (
                f"{row['n_families']} families, imported "
                f"{row['imported_at'][:16]} from {row['origin']}"
                if row
                else "not imported"
            )
        )
    st.button(
        "Import the paper's corpus" if not info["paper"] else "Re-import the paper's",
        width="stretch",
        key="import-paper-side",
        on_click=_request,
        args=("paper",),
    )
    st.button(
        "Refresh your families",
        width="stretch",
        key="import-mine",
        help="Classify every family cached in SyncLens (no network).",
        on_click=_request,
        args=("mine",),
    )

if not present:
    st.info(
        "No corpus is imported yet. The paper's public replication data "
        f"({corpus_data.REPLICATION_REPO}, folder dataset/) holds its 338 families; "
        + (
            "a copy is next to this app in ../shared/corpus."
            if SHARED_CORPUS.is_dir()
            else "SyncLens downloads it from GitHub."
        )
    )
    st.button(
        "Import the paper's corpus",
        type="primary",
        key="import-paper",
        on_click=_request,
        args=("paper",),
    )
    st.stop()

# --- filters -------------------------------------------------------------------------------
available = present + (["all"] if len(present) == len(corpus_data.CORPORA) else [])
row = st.columns([2.2, 1.3, 1.3, 1.6, 1.3, 1.5], vertical_alignment="bottom")
source = row[0].segmented_control(
    "Source",
    available,
    default=available[0],
    key="corpus_source",
    format_func={"paper": "paper", "mine": "yours", "all": "both"}.get,
)
source = source or available[0]
age_group = row[1].selectbox("Maturity", [ALL, *MATURITY_GROUPS], key="corpus_age")
lag = row[2].selectbox("Lag", [ALL, *LAGS], key="corpus_lag")
pattern = row[3].selectbox("Pattern", [ALL, *PATTERNS], key="corpus_pattern")
variants = row[4].selectbox("Variants", [ALL, *VARIANT_GROUPS], key="corpus_variants")
exclusions = row[5].toggle(
    "Exclusions",
    value=True,
    key="corpus_exclusions",
    help="Leave out the 13 families the paper excluded (must_exclude_from_all_analysis.csv).",
)
filters = tuple(None if v == ALL else v for v in (age_group, lag, pattern, variants))

version = state.corpus_version(db)
data = state.corpus(db_path, source, exclusions, version)
families = filter_families(
    data.families, age_group=filters[0], lag=filters[1], pattern=filters[2], variants=filters[3]
)
charts = state.corpus_charts(db_path, source, exclusions, filters, version)

n_switches = int(families["n_switches"].sum())
m = st.columns(4)
m[0].metric("Families", len(families), help="after the filters")
m[1].metric("Switches between platforms", f"{n_switches:,}")
m[2].metric("Source", ", ".join(data.sources))
m[3].metric("Paper's exclusions", "applied" if exclusions else "off")
if not exclusions:
    st.caption(
        "Exclusions off: shares include the paper's 13 excluded families; the "
        "replication package has no switches for them."
    )

# --- charts --------------------------------------------------------------------------------


def _show(chart) -> None:
    with st.container(border=True):
        st.markdown(f"**{chart.title}**")
        if not chart.available:
            st.info(chart.needs)
            return
        st.plotly_chart(
            chart.figure, width="stretch", key=f"chart-{chart.key}", config={"displaylogo": False}
        )
        st.caption(chart.caption)
        st.download_button(
            "Data (CSV)",
            lambda t=chart.table: csv_text(t),
            f"corpus-{chart.key}.csv",
            "text/csv",
            key=f"dl-{chart.key}",
            on_click="ignore",
            icon=":material/download:",
            type="tertiary",
        )


tabs = st.tabs(list(TABS.values()))
for tab, section in zip(tabs, TABS, strict=True):
    with tab:
        part = [c for c in charts if c.section == section]
        narrow = [c for c in part if c.key not in WIDE]
        for i in range(0, len(narrow), 2):
            cols = st.columns(2)
            for col, chart in zip(cols, narrow[i : i + 2], strict=False):
                with col:
                    _show(chart)
        for chart in part:
            if chart.key in WIDE:
                _show(chart)

with st.expander(f"The {len(families)} families shown"):
    columns = [
        c
        for c in (
            "corpus",
            "family",
            "github_repo",
            "pattern",
            "lag",
            "age_group",
            "n_variants",
            "similarity",
            "n_switches",
            "mean_switch_days",
            "n_gh",
            "n_hf",
            "n_common",
            "generated",
        )
        if c in families
    ]
    st.dataframe(families[columns], hide_index=True, width="stretch")
    st.download_button(
        "Families (CSV)",
        lambda: csv_text(families[columns]),
        "corpus-families.csv",
        "text/csv",
        key="dl-families",
        on_click="ignore",
        icon=":material/download:",
    )

# --- your family in the corpus -------------------------------------------------------------
st.header("Your family in the corpus")
reference = "paper" if info["paper"] else "mine"
peers = state.corpus(db_path, reference, exclusions, version).families
mine = state.corpus(db_path, "mine", exclusions, version).families if info["mine"] else None
mine_names = list(mine["family"]) if mine is not None else []
cached = [r["name"] for r in db.query("SELECT name FROM families ORDER BY name")]
choices = list(dict.fromkeys([*mine_names, *cached]))
if not choices:
    st.info(
        "No family of yours is cached yet. Look one up on the Family page, then come back "
        "(and press *Refresh your families* in the sidebar to add it to the corpus)."
    )
    st.stop()

wanted = st.query_params.get("q") or st.session_state.get(state.FAMILY_KEY)
known = store.find_family(db, wanted) if wanted else None
default = choices.index(known.name) if known is not None and known.name in choices else 0
name = st.selectbox(
    "Family",
    choices,
    index=default,
    key="corpus_family",
    help="Your families (classified with SyncLens) and every cached family.",
)

if mine is not None and name in mine_names:
    family_row = mine[mine["family"] == name].iloc[0].to_dict()
else:
    family = store.load_family(db, name)
    if family is None:
        st.error(f"{name} is no longer in the cache.")
        st.stop()
    with st.spinner(f"Analysing {name} from the cache …"):
        family_row = report_row(state.family_report(db, family))
if not family_row.get("pattern"):
    st.warning(f"{name} has no synchronization pattern yet: it needs commits on both platforms.")
    st.stop()

placement = place_family(peers, family_row)
corpus_label = "the paper's 325 families" if reference == "paper" else "your families"
st.caption(
    f"{name} against {corpus_label}. Percentile = share of those families with a value "
    "at or below this family's."
)
cols = st.columns(4)


def _metric(col, title: str, standing, unit: str, higher: str) -> None:
    value = "—" if standing.value is None else f"{standing.value:.2f}".rstrip("0").rstrip(".")
    pct = "no value" if standing.percentile is None else f"{standing.percentile:.0f}th percentile"
    col.metric(
        title,
        f"{value} {unit}".strip(),
        pct,
        delta_color="off",
        delta_arrow="off",
        help=f"Share of the {standing.n} corpus families with a value at or below this one; "
        f"{higher}.",
    )


_metric(cols[0], "Days per switch", placement.delay, "days", "higher = slower")
_metric(cols[1], "Change-type similarity", placement.similarity, "", "higher = more alike")
_metric(cols[2], "Variants", placement.n_variants, "", "higher = more variants")
share = placement.pattern_share_in_group
cols[3].metric(
    f"{placement.pattern} in {placement.age_group or 'the corpus'}",
    "—" if share is None else f"{share:.1f}%",
    None
    if placement.pattern_rank_in_group is None
    else f"#{placement.pattern_rank_in_group} pattern of {placement.group_size} families",
    delta_color="off",
    delta_arrow="off",
)
table = placement_table(placement)
st.dataframe(table, hide_index=True, width="stretch")
st.download_button(
    "Placement (CSV)",
    lambda: csv_text(table),
    f"corpus-placement-{name.replace('/', '_')}.csv",
    "text/csv",
    key="dl-placement",
    on_click="ignore",
    icon=":material/download:",
)
