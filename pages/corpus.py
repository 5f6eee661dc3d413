"""Corpus page: the paper's families and yours, filterable, one section at a time.

"Your family" places one family among them, beside the paper's own labels for it.
"""

from __future__ import annotations

import streamlit as st

from ui.frame import require_app_frame

require_app_frame()

from core import corpus as corpus_data  # noqa: E402 - after the frame check, as every page
from core import settings, store  # noqa: E402
from core.corpus import MINE, PAPER, paper  # noqa: E402
from core.corpus import stats as cs  # noqa: E402
from core.csvsafe import csv_text  # noqa: E402
from core.errors import SyncLensError  # noqa: E402
from core.figures.corpus import PAGE_SECTIONS  # noqa: E402
from core.markup import st_text  # noqa: E402
from core.vocabulary import LAGS, PATTERNS  # noqa: E402
from ui import state  # noqa: E402

ALL = "All"
JOB = "corpus_job"
SOURCES = {PAPER: "paper", MINE: "yours", corpus_data.ALL: "both"}
FAMILY = "family"
SECTION_LABELS = {**{s.key: s.label for s in PAGE_SECTIONS}, FAMILY: "Your family"}
FIRST = PAGE_SECTIONS[0].key
FAMILY_COLUMNS = (
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

st.title("Corpus")
db = state.db()
db_path = str(settings.db_path())

shipped = corpus_data.ensure_paper_corpus(db)
if shipped is not None:
    st.toast(f"Loaded the paper's corpus: {shipped.origin}.", icon=":material/inventory_2:")


def _import(job: str) -> None:
    """Run an import from the page body, so st.status can show it (then rerun)."""
    paper_job = job == PAPER
    label = (
        f"Downloading the paper's replication data ({corpus_data.REPLICATION_REPO}) …"
        if paper_job
        else "Classifying your cached families …"
    )
    with st.status(label, expanded=True) as status:
        try:
            report = corpus_data.import_paper(db) if paper_job else corpus_data.import_mine(db)
        except SyncLensError as err:
            status.update(label="Import failed — the cache keeps what it had", state="error")
            st.error(str(err))
            return
        for note in report.notes:
            st.write(note)
        done = (
            f"Imported the paper's {report.n_families} families from {report.origin}"
            if paper_job
            else f"{report.n_families} of your families are in the corpus"
        )
        status.update(label=done, state="complete")
    st.rerun()


def _request(job: str) -> None:
    # The request survives the frame's first-run rerun because it lives in session state.
    st.session_state[JOB] = job


job = st.session_state.pop(JOB, None)
if job in (PAPER, MINE):
    _import(job)

info = {c: store.corpus_import_info(db, c) for c in corpus_data.CORPORA}
present = [c for c in corpus_data.CORPORA if (row := info[c]) and row["n_families"]]
with st.sidebar.expander("Corpus data"):
    for name, row in info.items():
        st.caption(
            f"**{SOURCES[name]}**: "
            + (
                f"{row['n_families']} families, imported {row['imported_at'][:16]} "
                f"from {row['origin']}"
                if row
                else "not built yet"
            )
        )
    st.button(
        "Re-import the paper's corpus",
        width="stretch",
        key="import-paper-side",
        help="Download the replication CSVs from GitHub; without network, the copy shipped "
        "with SyncLens is used.",
        on_click=_request,
        args=(PAPER,),
    )
    st.button(
        "Refresh your families",
        width="stretch",
        key="import-mine",
        help="Classify every family cached in SyncLens into the corpus (no network).",
        on_click=_request,
        args=(MINE,),
    )

st.caption(
    f"The paper's {paper.N_ANALYSED} families, live and filterable, with the families you "
    "analysed beside them. Every chart is computed from the data loaded here; the paper's "
    "published numbers are quoted beside it."
)

# --- filters -------------------------------------------------------------------------------
choices = present + ([corpus_data.ALL] if len(present) == len(corpus_data.CORPORA) else [])
controls = st.columns([2.2, 1.3, 1.3, 1.6, 1.3, 1.5], vertical_alignment="bottom")
source = controls[0].segmented_control(
    "Source",
    choices,
    default=choices[0],
    key="corpus_source",
    bind="query-params",
    format_func=lambda name: SOURCES[name],
    help="paper: the replication data; yours: the families you analysed in SyncLens "
    "(press *Refresh your families* in the sidebar); both: together, a family in both "
    "counted once, with SyncLens's labels.",
)
source = source or choices[0]
age_group = controls[1].selectbox(
    "Maturity", [ALL, *cs.MATURITY_GROUPS], key="corpus_age", bind="query-params"
)
lag = controls[2].selectbox("Lag", [ALL, *LAGS], key="corpus_lag", bind="query-params")
pattern = controls[3].selectbox(
    "Pattern", [ALL, *PATTERNS], key="corpus_pattern", bind="query-params"
)
variants = controls[4].selectbox(
    "Variants", [ALL, *cs.VARIANT_GROUPS], key="corpus_variants", bind="query-params"
)
exclusions = controls[5].toggle(
    "Exclusions",
    value=True,
    key="corpus_exclusions",
    bind="query-params",
    disabled=source == MINE,
    help=f"Leave out the {paper.N_EXCLUDED} families the paper excluded "
    "(must_exclude_from_all_analysis.csv). Your families have no exclusions.",
)
filters = cs.Filters(*(None if v == ALL else v for v in (age_group, lag, pattern, variants)))

version = state.corpus_version(db)
data = state.corpus(db_path, source, exclusions, version)
families = filters.apply(data.families)

m = st.columns(4)  # two metrics, at the width four would have
m[0].metric("Families", len(families), help="after the filters; a family in both counts once")
m[1].metric("Switches between platforms", f"{int(families['n_switches'].sum()):,}")
if not exclusions and source != MINE:
    st.caption(paper.EXCLUSIONS_OFF)
if families.empty and data.families.shape[0]:
    st.info(
        "No family matches these filters together; set one of them back to *All*.",
        icon=":material/filter_alt_off:",
    )
    st.stop()
for mine_name, theirs in data.overlap:
    st.caption(
        f"{mine_name} is in both corpora (the paper's {theirs}): counted once, with "
        "SyncLens's labels. Choose *paper* to see the paper's."
    )

# --- your family in the corpus: a section of its own ------------------------------------


def _metric(col, title: str, standing, unit: str, higher: str) -> None:
    value = "—" if standing.value is None else f"{standing.value:.2f}".rstrip("0").rstrip(".")
    pct = cs.percentile_words(standing.percentile)
    col.metric(
        title,
        f"{value} {unit}".strip(),
        pct,
        delta_color="off",
        delta_arrow="off",
        help=f"Share of the {standing.n} corpus families with a value at or below this one; "
        f"{higher}.",
    )


def placement_view(exclusions: bool, mine_present: bool, version: tuple) -> None:
    """One family against the paper's corpus, and the paper's labels beside SyncLens's."""
    handle = state.db()
    peers = state.corpus(db_path, PAPER, exclusions, version).families
    mine = state.corpus(db_path, MINE, exclusions, version).families if mine_present else None
    cached = [f["name"] for f in store.list_families(handle)]
    names = list(dict.fromkeys([*(mine["family"] if mine is not None else []), *cached]))
    if not names:
        st.info(
            "No family of yours is cached yet. Look one up on the Family page, then come "
            "back (and press *Refresh your families* in the sidebar to add it to the corpus)."
        )
        return
    wanted = st.query_params.get("q") or st.session_state.get(state.FAMILY_KEY)
    known = store.find_family(handle, wanted) if wanted else None
    if wanted and (known is None or known.name not in names):
        st.info(
            f"{st_text(wanted)} is not among your cached families; pick one below, or look "
            "it up on the Family page first."
        )
    name = st.selectbox(
        "Family",
        names,
        index=names.index(known.name) if known is not None and known.name in names else 0,
        key="corpus_family",
        help="Your families (classified with SyncLens) and every cached family.",
    )
    family = store.load_family(handle, name)
    row = cs.family_row(mine, name)
    if row is None:
        if family is None:
            st.error(f"{name} is no longer in the cache.")
            return
        with st.spinner(f"Analysing {name} from the cache …"):
            row = cs.report_row(state.family_report(handle, family))
    if not row.get("pattern"):
        st.warning(f"{name} has no synchronization pattern yet: it needs commits on both sides.")
        return

    placement = cs.place_family(peers, row)
    st.caption(
        f"{name} against the paper's {len(peers)} families. Percentile = share of those "
        "families with a value at or below this family's."
    )
    cols = st.columns(4)
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

    theirs = None
    if family is not None:
        theirs = state.paper_family(
            db_path, name, family.github_repo, tuple(family.variants), version
        )
    if theirs is None:
        st.caption(
            "The paper's corpus has no family with these HF variants, this name or this "
            "GitHub repository, so there is no published label to compare with."
        )
    else:
        excluded = " (one of the families the paper excluded)" if theirs.excluded else ""
        st.markdown(
            f"**SyncLens beside the paper** — the paper's {theirs.family}{excluded}, "
            f"found by its {theirs.matched_by}"
        )
        comparison = cs.label_comparison(row, theirs)
        shown = comparison.assign(same=comparison["same"].map({True: "same", False: "differs"}))
        st.table(shown.rename(columns={"synclens": "SyncLens", "same": ""}).set_index("measure"))
        gap = cs.differences(comparison)
        if gap and family is not None:  # the same reason the Family page gives
            said = state.report(*state.report_key(handle, family)).paper
            gap = cs.differences(comparison, said.reason if said is not None else None)
        if gap:
            st.caption(gap)

    table = cs.placement_table(placement)
    formatted = table.set_index("measure").style.format(
        {"value": "{:.2f}", "percentile": "{:.1f}"}, na_rep="—"
    )
    st.table(formatted)
    st.download_button(
        "Placement (CSV)",
        lambda: csv_text(table),
        f"corpus-placement-{name.replace('/', '_')}.csv",
        "text/csv",
        key="dl-placement",
        on_click="ignore",
        icon=":material/download:",
    )


# --- one section at a time -----------------------------------------------------------------


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
            lambda: chart.csv,
            f"corpus-{chart.key}.csv",
            "text/csv",
            key=f"dl-{chart.key}",
            on_click="ignore",
            icon=":material/download:",
            type="tertiary",
        )


@st.fragment
def section_view(
    source: str, exclusions: bool, filters: cs.Filters, version: tuple, mine_present: bool
) -> None:
    """The chosen section; choosing another one reruns only this part of the page."""
    wanted = st.query_params.get("section") or (FAMILY if st.query_params.get("q") else FIRST)
    if "corpus_section" not in st.session_state:
        st.session_state.corpus_section = wanted if wanted in SECTION_LABELS else FIRST
    key = st.segmented_control(
        "Section",
        list(SECTION_LABELS),
        key="corpus_section",
        format_func=lambda name: SECTION_LABELS[name],
        label_visibility="collapsed",
    )
    key = key or FIRST
    st.query_params["section"] = key
    if key == FAMILY:
        placement_view(exclusions, mine_present, version)
        return
    charts = state.corpus_section(db_path, source, exclusions, filters, key, version)
    narrow = [c for c in charts if not c.wide]
    for i in range(0, len(narrow), 2):
        for col, chart in zip(st.columns(2), narrow[i : i + 2], strict=False):
            with col:
                _show(chart)
    for chart in charts:
        if chart.wide:
            _show(chart)


section_view(source, exclusions, filters, version, MINE in present)


columns = [c for c in FAMILY_COLUMNS if c in families]
if st.toggle(f"List the {len(families)} families shown", key="corpus_list"):
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
