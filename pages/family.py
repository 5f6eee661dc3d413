"""Family page: type a model or a repository and see how GitHub and Hugging Face move together."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from core import store
from core.errors import InputError, SyncLensError
from core.figures.family import delay_histogram, label_share_figure, timeline_figure
from core.ingest.resolve import adopt_cached_spelling, apply_user_edits, resolve_target
from core.ingest.targets import parse_target
from core.labeling.corrections import correct_commits
from core.report.commit_table import commit_table, export_csv, filter_commits, with_location
from core.vocabulary import CHANGE_TYPES
from ui import state
from ui.frame import require_app_frame

require_app_frame()

EXAMPLES = [
    "Qwen/Qwen-7B",
    "github.com/EleutherAI/gpt-neox",
    "allenai/OLMo-1B-hf",
    "01-ai/Yi-1.5-34B-Chat",
]

st.title("Family")
st.caption(
    "How a model family's GitHub repository and its Hugging Face variants move "
    "together — or drift apart."
)

db = state.db()

# --- input ---------------------------------------------------------------------------------
if "q" not in st.session_state:
    st.session_state.q = st.query_params.get("q", st.session_state.get(state.FAMILY_KEY, ""))


def _use(example: str) -> None:
    st.session_state.q = example


with st.form("lookup", border=False):
    cols = st.columns([6, 2, 1], vertical_alignment="bottom")
    cols[0].text_input(
        "Model or repository",
        key="q",
        placeholder="org/model, https://huggingface.co/org/model or github.com/owner/repo",
    )
    kind = cols[1].segmented_control(
        "owner/name means", ["HF model", "GitHub repo"], default="HF model", key="kind"
    )
    cols[2].form_submit_button("Look up", type="primary", width="stretch")
st.write("Examples:")
ex_cols = st.columns(len(EXAMPLES))
for col, example in zip(ex_cols, EXAMPLES, strict=True):
    col.button(example, on_click=_use, args=(example,), width="stretch", type="tertiary")

with st.sidebar.expander("Analyse your own commits CSV"):
    upload = st.file_uploader(
        "classify format: family?, platform, model, date (+ title, message or text)", type=["csv"]
    )
    paper_compat = st.toggle(
        "Paper-compatible dates",
        help="Truncate HF times to their UTC "
        "date before analysis, as the paper's data had day resolution.",
    )

labeler_name = st.sidebar.radio(
    "Change-type labels",
    ["rules", "claude"],
    format_func={"rules": "Rules (offline)", "claude": "Claude (Anthropic API)"}.get,
    disabled=not state.claude_available(),
    help="Claude labels need ANTHROPIC_API_KEY in the environment or .streamlit/secrets.toml; "
    "labels are cached, so a family is labeled once. Your corrections always win.",
    key="labeler",
)

query = st.session_state.q.strip()
report = None
family = None

if upload is not None:
    try:
        report = state.csv_report(upload.getvalue(), upload.name.rsplit(".", 1)[0], paper_compat)
    except SyncLensError as err:
        st.error(str(err))
    except Exception as err:
        st.error(f"Could not read {upload.name}: {err}. Expected the classify CSV format.")
elif query:
    st.query_params["q"] = query
    st.session_state[state.FAMILY_KEY] = query
    try:
        target = parse_target(query, prefer="gh" if kind == "GitHub repo" else "hf")
    except InputError as err:
        st.error(str(err))
        st.stop()
    family = store.find_family(db, target.id) or store.find_family(db, query)

    if family is None:
        # --- resolution (network) ------------------------------------------------------------
        st.subheader("Find the family")
        failure = None
        with st.status(f"Resolving {target.id} …", expanded=True) as status:
            try:
                resolution = resolve_target(target, state.hub())
            except SyncLensError as err:
                failure = err
                status.update(label=f"Could not resolve {target.id}", state="error")
            else:
                for note in resolution.notes:
                    st.write(note)
                status.update(label=f"Resolved {target.id}", state="complete", expanded=False)
        if failure is not None:
            st.error(f"{failure} You can also analyse a commits CSV from the sidebar.")
            st.stop()
        fam = resolution.family
        repo = fam.github_repo
        if resolution.ambiguous:
            repo = st.radio(
                "The model card links to several GitHub repositories; choose one:",
                resolution.candidates,
            )
        elif repo is None:
            st.warning("No GitHub repository found in the model card.")
            repo = st.text_input("GitHub repository (owner/repo)") or None
        members = pd.DataFrame(
            [
                {"variant": m.model_id, "found via": m.source, "detail": m.detail}
                for m in fam.members
            ]
        )
        st.write(f"**GitHub:** `{repo or '—'}` · **Hugging Face variants:** {len(fam.members)}")
        st.dataframe(members, hide_index=True, width="stretch")
        extra = st.text_input("Add variants (comma-separated HF ids)")
        drop = st.multiselect("Remove variants", [m.model_id for m in fam.members])
        if st.button("Fetch commits", type="primary", disabled=not (repo or fam.members)):
            from dataclasses import replace

            from core.ingest.fetch import fetch_family

            chosen = apply_user_edits(
                replace(fam, github_repo=repo),
                add=[x.strip() for x in extra.split(",") if x.strip()],
                remove=drop,
            )
            chosen = replace(chosen, name=store.family_name_for(repo, target.id))
            chosen = adopt_cached_spelling(db, chosen)
            store.save_family(db, chosen)
            with st.status("Fetching commits …", expanded=True) as status:
                bar = st.progress(0.0)
                total = len(chosen.variants) + (1 if repo else 0)
                done: list[str] = []

                def progress(name: str, n: int, of: int | None, message: str) -> None:
                    if message and name not in done and ("done" in message or "fail" in message):
                        done.append(name)
                    st.write(f"`{name}` — {message}")
                    bar.progress(min(1.0, len(done) / max(total, 1)))

                backend, why = state.github_backend(repo) if repo else (None, "")
                if why:
                    st.write(why)
                result = fetch_family(
                    db, chosen, hub=state.hub(), github=backend, progress=progress
                )
                failed = result.failed
                status.update(
                    label="Fetched" if not failed else f"Fetched with {len(failed)} failure(s)",
                    state="complete" if not failed else "error",
                )
                for f in failed:
                    st.error(f"{f.platform} {f.repo}: {f.error}")
            st.rerun()
        st.stop()

    if labeler_name == "claude":
        with st.status("Labeling commits with Claude …", expanded=False) as status:
            try:
                stats = state.label_family(db, family, "claude")
            except SyncLensError as err:
                status.update(label="Claude labeling failed; showing rules labels", state="error")
                st.error(str(err))
                labeler_name = "rules"
            else:
                status.update(
                    label=f"Claude labels: {stats.n_cached + stats.n_new} texts "
                    f"({stats.n_new} new, {stats.requests} requests, "
                    f"{stats.input_tokens + stats.output_tokens} tokens)",
                    state="complete",
                )
    report = state.family_report(
        db, family, labeler_name=labeler_name, paper_compatible=paper_compat
    )
else:
    st.info("Type a Hugging Face model id or a GitHub repository above, or pick an example.")
    st.stop()

if report is None:
    st.stop()

# --- header: cache age and refresh ---------------------------------------------------------
head = st.columns([5, 2], vertical_alignment="center")
head[0].subheader(report.name)
if family is not None:
    from core.ingest.fetch import cache_age, family_status

    age = cache_age(db, family)
    when = (
        "never fetched completely"
        if age is None
        else (f"cached {(datetime.now(UTC) - age).days} days ago ({age:%Y-%m-%d %H:%M} UTC)")
    )
    head[0].caption(
        f"GitHub `{family.github_repo or '—'}` · {len(family.variants)} HF variant(s) · {when}"
    )
    if head[1].button("Refresh from GitHub and the Hub", width="stretch"):
        from core.ingest.fetch import fetch_family

        with st.status("Refreshing …", expanded=True) as status:
            try:
                backend, why = (
                    state.github_backend(family.github_repo) if family.github_repo else (None, "")
                )
                result = fetch_family(
                    db,
                    family,
                    hub=state.hub(),
                    github=backend,
                    refresh=True,
                    progress=lambda n, i, t, m: st.write(f"`{n}` — {m}"),
                )
            except SyncLensError as err:
                result = None
                st.error(f"{err} Showing the cached data.")
            if result is not None and result.failed:
                status.update(label="Refresh incomplete — showing cached data", state="error")
                for f in result.failed:
                    st.error(f"{f.platform} {f.repo}: {f.error}")
            else:
                status.update(label="Up to date", state="complete")
    with st.expander("Sources and fetch status"):
        st.dataframe(pd.DataFrame(family_status(db, family)), hide_index=True, width="stretch")

analysis = report.analysis
if analysis is None:
    st.warning("No commits cached for this family yet. Use Refresh to fetch them.")
    st.stop()

# --- pattern card --------------------------------------------------------------------------
card = report.pattern_card()
with st.container(border=True, key="pattern-card"):
    if card["pattern"] is None:
        st.markdown("#### No synchronization pattern")
        st.write(f"SyncLens needs commits on both platforms: {card['reason']}.")
    else:
        st.markdown(f"#### {card['headline']}")
        m = st.columns(4)
        m[0].metric(f"Pattern ({card['code']})", card["pattern"])
        m[1].metric("Synchronization", card["sync"].split(" ", 1)[0], help=card["sync"])
        m[2].metric("Intensity", card["intensity"].split(" ", 1)[0], help=card["intensity"])
        m[3].metric("Lag", card["lag"])
        mean = card["paper_mean_days"]
        st.caption(
            f"In the paper's 325 families, {card['paper_share']}% are {card['pattern']}"
            + (
                f"; their changes took {mean} days on average to reach the other platform."
                if mean is not None
                else "."
            )
            + f" {card['lag']} families were {card['paper_lag_share']}% of the corpus "
            f"({card['paper_lag_mean_days']} days on average)."
        )
    st.markdown("**Why:**")
    st.markdown("\n".join(f"- {line}" for line in analysis.explanation))

# --- timeline ------------------------------------------------------------------------------
color_by = st.segmented_control(
    "Colour by", ["platform", "change type"], default="platform", key="color_by"
)
fig = timeline_figure(
    report.commits,
    pd.Timestamp(analysis.t0),
    analysis.co_active_periods,
    color_by="label" if color_by == "change type" else "platform",
    title=f"{report.name}: biweekly commits on GitHub and Hugging Face",
)
st.plotly_chart(
    fig,
    width="stretch",
    key="timeline",
    config={
        "scrollZoom": True,
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": "timeline"},
    },
)
st.caption(
    "Dots: biweekly periods with commits (size = number of commits). Dashed lines: "
    "periods where both platforms are active. Drag to pan, scroll to zoom, hover for "
    "the commits."
)

tabs = st.tabs(["Lag and delays", "Change types", "Commits", "Family facts", "Export"])

# --- lag and delays ------------------------------------------------------------------------
with tabs[0]:
    d = report.delays
    cols = st.columns(4)
    cols[0].metric("Moved first", analysis.lag or "—")
    cols[1].metric("Switches", d.n_switches)
    cols[2].metric(
        "GitHub → HF (mean / median days)",
        "—" if d.gh_to_hf_mean is None else f"{d.gh_to_hf_mean} / {d.gh_to_hf_median}",
    )
    cols[3].metric(
        "HF → GitHub (mean / median days)",
        "—" if d.hf_to_gh_mean is None else f"{d.hf_to_gh_mean} / {d.hf_to_gh_median}",
    )
    if d.n_switches:
        st.plotly_chart(delay_histogram(report.switches), width="stretch")
        shown = report.switches.assign(
            prev=report.switches["prev"].dt.strftime("%Y-%m-%d %H:%M"),
            next=report.switches["next"].dt.strftime("%Y-%m-%d %H:%M"),
        )
        st.dataframe(shown.drop(columns=["family"]), hide_index=True, width="stretch")
    else:
        st.write("No switches: the commits never alternate between the platforms.")

# --- change types --------------------------------------------------------------------------
with tabs[1]:
    if not report.labeled:
        st.write("No change-type labels (the commits carry no text).")
    else:
        sim = report.similarity
        st.metric(
            "Jaccard similarity of change types (GitHub vs HF)",
            "—" if sim is None else f"{sim:.2f}",
            help="Shared change types / all change types seen on either platform.",
        )
        st.plotly_chart(label_share_figure(report.label_shares), width="stretch")
        if not report.variant_labels.empty:
            st.markdown("**Per variant**")
            pivot = report.variant_labels.pivot_table(
                index="model", columns="label", values="n", fill_value=0
            )
            st.dataframe(pivot, width="stretch")

# --- commits -------------------------------------------------------------------------------
with tabs[2]:
    commits = with_location(report.commits)
    f = st.columns([3, 2, 2, 3])
    search = f[0].text_input("Search text", key="commit_search")
    where = f[1].multiselect("Repository", sorted(commits["where"].unique()))
    labels = f[2].multiselect("Change type", [*CHANGE_TYPES])
    lo, hi = commits["timestamp"].min().date(), commits["timestamp"].max().date()
    span = f[3].date_input("Dates", (lo, hi), min_value=lo, max_value=hi)
    start, end = span if isinstance(span, tuple) and len(span) == 2 else (None, None)
    view = filter_commits(commits, search=search, where=where, labels=labels, start=start, end=end)
    table = commit_table(view)
    columns = list(table.columns)
    st.caption(
        f"{len(table)} of {len(commits)} commits. Edit a label to correct it; "
        "corrections win over every labeler and survive re-labeling."
    )
    if "label" in table.columns and family is not None:
        edited = st.data_editor(
            table,
            hide_index=True,
            width="stretch",
            key="commit_editor",
            disabled=[c for c in columns if c != "label"],
            column_config={
                "label": st.column_config.SelectboxColumn("label", options=list(CHANGE_TYPES)),
                "timestamp": st.column_config.DatetimeColumn("date", format="YYYY-MM-DD HH:mm"),
            },
        )
        changed = edited["label"] != table["label"]
        if changed.any() and st.button(f"Save {int(changed.sum())} correction(s)"):
            rows = view.set_index("sha").loc[edited.loc[changed, "sha"]].reset_index()
            try:
                correct_commits(db, rows, edited.loc[changed, "label"].tolist())
            except SyncLensError as err:
                st.error(str(err))
            else:
                st.rerun()
    else:
        st.dataframe(table, hide_index=True, width="stretch")

# --- family facts --------------------------------------------------------------------------
with tabs[3]:
    c = report.contributors
    cols = st.columns(4)
    cols[0].metric(
        "Maturity",
        report.maturity or "—",
        help="Mean variant age: Recent ≤ 113 days, Intermediate ≤ 430, Matured.",
    )
    cols[1].metric("GitHub contributors", len(c.gh))
    cols[2].metric("HF contributors", len(c.hf))
    cols[3].metric("On both platforms", len(c.both))
    if c.both:
        st.write("Active on both (matched by name): " + ", ".join(f"`{p}`" for p in c.both))
    st.dataframe(
        pd.DataFrame([v.__dict__ for v in report.variants]),
        hide_index=True,
        width="stretch",
        column_config={
            "created": st.column_config.DatetimeColumn(format="YYYY-MM-DD"),
            "first_commit": st.column_config.DatetimeColumn(format="YYYY-MM-DD"),
            "last_commit": st.column_config.DatetimeColumn(format="YYYY-MM-DD"),
        },
    )
    if family is not None:
        with st.expander("Edit variants"):
            add = st.text_input("Add a variant (HF model id)", key="add_variant")
            remove = st.multiselect("Remove variants", family.variants, key="remove_variant")
            if st.button("Save variants"):
                edited_family = apply_user_edits(family, add=[add] if add else [], remove=remove)
                store.save_family(db, adopt_cached_spelling(db, edited_family))
                for model_id in remove:
                    store.remove_member(db, family.name, model_id)
                st.success("Saved. Refresh to fetch new variants' commits.")
                st.rerun()

# --- export --------------------------------------------------------------------------------
with tabs[4]:
    slug = report.name.replace("/", "_")
    cols = st.columns(3)
    cols[0].download_button(
        "Commits with labels (CSV)",
        export_csv(report.commits),
        f"{slug}-commits.csv",
        "text/csv",
        width="stretch",
    )
    cols[1].download_button(
        "Analysis (JSON)",
        json.dumps(report.to_dict(), indent=2, default=str),
        f"{slug}-analysis.json",
        "application/json",
        width="stretch",
    )
    cols[2].download_button(
        "Timeline (interactive HTML)",
        fig.to_html(include_plotlyjs="cdn"),
        f"{slug}-timeline.html",
        "text/html",
        width="stretch",
    )
    st.caption("For a PNG of the timeline, use the camera icon in the chart's toolbar.")
