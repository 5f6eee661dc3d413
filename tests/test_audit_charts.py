"""The audit page's tables and chart, checked by their data on the acme/widget story."""

from test_audit import BIG, CHAT, REPO, TODAY, V7B, audit, story_frame

from core.audit import audit_family
from core.audit.tables import (
    by_type_table,
    commits_table,
    drift_table,
    halves_table,
    isolated_counts,
    link_label,
    one_sided_table,
    placement_table,
    renamed_table,
    stale_table,
)
from core.figures.audit import isolated_figure
from core.figures.palette import GH_COLOR, HF_COLOR
from core.records import ModelInfo


def test_the_never_carried_over_chart_has_one_bar_per_change_type_and_platform():
    iso = audit().isolated  # GH: docs 1, parameter tuning 1, preprocessing 1; HF: docs 1

    fig = isolated_figure(iso)

    gh, hf = fig.data
    assert (gh.name, gh.marker.color) == ("GitHub only", GH_COLOR)
    assert (hf.name, hf.marker.color) == ("Hugging Face only", HF_COLOR)
    # behaviour-changing types are marked and drawn on top (plotly's last category)
    assert list(gh.y) == [
        "External Documentation",
        "⚠ Parameter Tuning",
        "⚠ Preprocessing",
    ]
    assert list(gh.x) == [1, 1, 1] and list(hf.x) == [1, 0, 0]
    assert "14 days" in fig.layout.xaxis.title.text


def test_counts_are_long_form_per_platform():
    counts = isolated_counts(audit().isolated)
    assert set(map(tuple, counts[["platform", "change type"]].values)) == {
        ("GitHub", "External Documentation"),
        ("GitHub", "Parameter Tuning"),
        ("GitHub", "Preprocessing"),
        ("Hugging Face", "External Documentation"),
    }


def test_stale_variants_most_behind_first_with_links():
    table = stale_table(audit().stale)

    assert list(table["variant"]) == [CHAT, V7B]
    assert list(table["Hub page"]) == [
        f"https://huggingface.co/{CHAT}",
        f"https://huggingface.co/{V7B}",
    ]
    assert list(table["behaviour-changing"]) == [3, 1]  # V7B: "Bump transformers"
    assert table["last commit"].dt.strftime("%Y-%m-%d").tolist() == ["2024-02-05", "2024-06-01"]
    gated = audit_family(
        REPO,
        REPO,
        (V7B, BIG),
        story_frame(),
        today=TODAY,
        model_infos={BIG: ModelInfo(BIG, gated=True)},
    )
    notes = stale_table(gated.stale).set_index("variant")["note"]
    assert "gated" in notes[BIG]


def test_commits_keep_the_audit_order_and_their_titles_as_plain_text():
    chat = next(s for s in audit().stale if s.model_id == CHAT)
    table = commits_table(chat.commits)

    assert table["title"].iloc[0] == "Bump transformers"
    assert table["behaviour-changing"].tolist() == [True, True, True, False]
    assert table["commit"].iloc[0] == f"https://github.com/{REPO}/commit/{9:040x}"
    types = by_type_table(chat.by_change_type)
    assert types["change type"].iloc[-1] == "External Documentation"  # not behaviour-changing


def test_drift_rows_put_differing_files_that_change_the_model_first():
    drift = audit().drift
    table = drift_table(drift)

    assert table["status"].tolist()[:4] == ["different"] * 4
    assert table["affects the model"].iloc[0]
    assert set(table["status"]) == {"identical", "different", "unknown"}
    config = table[table["Hub file"].str.endswith(f"{CHAT}/blob/main/config.json")].iloc[0]
    assert config["newer"] == "GitHub"
    assert set(one_sided_table((*drift.gh_only, *drift.hf_only))["side"]) == {
        "GitHub",
        "Hugging Face",
    }
    assert renamed_table(drift.renamed)["Hub file"].iloc[0].endswith("LICENSE.txt")


def test_links_get_short_readable_names():
    assert link_label(f"https://github.com/{REPO}/commit/{'ab' * 20}") == f"{REPO}@abababa"
    assert (
        link_label(f"https://huggingface.co/{CHAT}/blob/main/models/my%20config.json")
        == f"{CHAT}: models/my config.json"
    )
    assert link_label("https://github.com/acme/widget") == "github.com/acme/widget"


def test_standing_tables_say_what_each_percentile_means():
    standing = audit().standing

    table = placement_table(standing).set_index("measure")
    delay = table.loc["mean days to reflect a change"]
    assert delay["corpus families"] == 4 and delay["percentile"] is not None
    assert (
        delay["reading"] == f"{100 - delay['percentile']:.0f} % of the paper's families are slower"
    )
    halves = halves_table(standing)
    assert halves["half"].tolist() == ["early", "late"]
    assert (halves["from"] < halves["to"]).all()
