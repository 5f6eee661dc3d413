"""The Family page's newer views in AppTest: the paper's labels beside SyncLens's, state in
the URL, a two-family upload, a family not fetched yet, and the demo on a fresh offline cache."""

from __future__ import annotations

import json
import socket

import pytest
from conftest import REPO
from streamlit.testing.v1 import AppTest
from test_page_family import TIMEOUT, family_page, seeded  # noqa: F401 (a fixture)

from core import store
from core.records import Family, FamilyMember


@pytest.fixture
def no_network(monkeypatch):
    """Every attempt to open a connection fails, as on a machine with no network."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network is disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


def markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def captions(at) -> str:
    return "\n".join(c.value for c in at.caption)


@pytest.mark.usefixtures("seeded")
def test_a_corpus_family_shows_the_papers_labels_beside_synclens():
    at = family_page("Qwen/Qwen-7B")
    assert not at.exception, at.exception
    text = markdown(at)
    rows = [line for line in text.splitlines() if line.startswith("| ")][1:]
    assert rows == [
        "| SyncLens | **Disperse** | PS | **S** | GH First | 47 (1.72) |",
        "| Paper (Qwen\\_Qwen) | Dense Partial | PS | F | GH First | 47 (1.72) |",
        "| SyncLens, paper's view | **Disperse** | PS | **S** | GH First | 47 (1.72) |",
    ]
    notes = captions(at)
    assert "The paper's labels: its family Qwen\\_Qwen, matched by HF variants." in notes
    assert "between its switches" in notes
    assert "The paper's view does not close the gap." in notes


@pytest.mark.usefixtures("seeded")
def test_the_papers_view_reruns_the_analysis_and_goes_into_the_url():
    at = family_page("Qwen/Qwen-7B")
    at.toggle(key="paper_view").set_value(True).run()
    assert not at.exception, at.exception
    assert at.query_params["view"] == "paper"
    assert "| SyncLens (paper's view) | **Disperse** |" in markdown(at)
    assert "SyncLens, paper's view" not in markdown(at)  # no second re-run to show
    shared = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)  # a new session
    shared.query_params.update({"q": "Qwen/Qwen-7B", "view": "paper"})  # from the shared link
    shared.run()
    shared.switch_page("pages/family.py").run()
    assert "| SyncLens (paper's view) |" in markdown(shared)
    assert shared.toggle(key="paper_view").value is True


@pytest.mark.usefixtures("seeded")
def test_colour_mode_and_open_section_live_in_the_url():
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update({"q": "Qwen/Qwen-7B", "color": "change type", "section": "Commits"})
    at.run()
    at.switch_page("pages/family.py").run()
    assert not at.exception, at.exception
    names = {t.get("name") for t in json.loads(at.get("plotly_chart")[0].proto.spec)["data"]}
    assert "External Documentation" in names and "GitHub" not in names
    assert any(" commits. Edit a label" in c for c in captions(at).splitlines())  # Commits open
    assert not [m for m in at.metric if m.label == "Switches"]  # Lag and delays not drawn
    at.segmented_control(key="color").set_value("platform").run()
    names = {t.get("name") for t in json.loads(at.get("plotly_chart")[0].proto.spec)["data"]}
    assert "GitHub" in names and at.query_params["q"] == "Qwen/Qwen-7B"


def test_a_two_family_upload_shows_both_and_a_picker():
    at = family_page()
    assert not at.sidebar.file_uploader  # built only once its box is opened
    at.session_state["upload_box"] = True  # the user opens "Analyse your own commits CSV"
    at.run()
    csv = (REPO / "examples" / "two-families.csv").read_bytes()
    at.sidebar.file_uploader[0].upload("two-families.csv", csv, "text/csv").run()
    assert not at.exception, at.exception
    assert "**2 families in two-families**" in markdown(at)
    summary = at.dataframe[0].value
    assert summary["family"].tolist() == ["demo/in-lockstep", "demo/upstream-first"]
    assert {"pattern", "sync", "int", "lag", "GH", "HF", "switches"} <= set(summary.columns)
    picker = at.selectbox(key="upload_family")
    assert picker.options == ["demo/in-lockstep", "demo/upstream-first"]
    first = markdown(at)
    picker.set_value("demo/upstream-first").run()
    assert not at.exception
    row = "| SyncLens | Sparse | PS | R | GH First |"
    assert row in markdown(at) and row not in first
    at.session_state["upload_box"] = False  # closing the box keeps the file and its view
    at.run()
    assert at.sidebar.file_uploader and "**2 families in two-families**" in markdown(at)


def test_a_family_never_fetched_says_so_first_with_the_button(db_file, monkeypatch):
    db = store.open_db(db_file)
    store.save_family(
        db, Family("acme/lm", "acme/lm", (FamilyMember("acme/lm-7b", "card", "README"),))
    )
    db.close()
    monkeypatch.setenv("SYNCLENS_DB", str(db_file))
    at = family_page("acme/lm")
    assert not at.exception, at.exception
    assert at.warning[0].value.startswith("**Not fetched yet: 2 of 2 repositories**")
    assert "python -m core fetch acme/lm" in at.warning[0].value
    assert any(b.label == "Fetch them now" for b in at.button)
    assert not at.get("plotly_chart")  # nothing is analysed as if it were complete
    assert "#### No synchronization pattern" in markdown(at)


def test_a_fresh_cache_with_no_network_opens_on_the_demo_family(db_file, monkeypatch, no_network):
    monkeypatch.setenv("SYNCLENS_DB", str(db_file))
    assert not db_file.exists()
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    home = markdown(at) + " ".join(str(getattr(e, "label", "")) for e in at.get("page_link"))
    assert "QwenLM/Qwen-VL" in home
    at.switch_page("pages/family.py").run()
    examples = at.pills(key="example")
    shown = [(option.content_icon, option.content) for option in examples.proto.options]
    assert shown[:2] == [
        (":material/offline_pin:", "Qwen/Qwen-VL-Chat"),  # cached: first, opens offline
        (":material/cloud_download:", "Qwen/Qwen-7B"),
    ]
    examples.set_value("Qwen/Qwen-VL-Chat").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert "| SyncLens | Frequent | CS | F | Simultaneous |" in markdown(at)
    assert "SyncLens finds the paper's labels." in captions(at)
    assert "demo data shipped with SyncLens" in captions(at)
    assert at.get("plotly_chart")
    assert no_network == []  # nothing even tried the network


def test_hostile_ids_and_titles_are_shown_as_text(db_file, monkeypatch):
    """A variant id and a commit title that try to be links, HTML or mentions stay text."""
    from datetime import UTC, datetime

    from core.records import CommitRecord

    evil = "org/[click here](https://evil.example)"
    db = store.open_db(db_file)
    store.save_family(db, Family("acme/lm", "acme/lm", (FamilyMember(evil, "card", "x"),)))
    day = datetime(2024, 3, 1, tzinfo=UTC)
    store.save_commits(
        db,
        [
            CommitRecord("GH", "acme/lm", "a" * 40, day, "<img src=x onerror=alert(1)> @team"),
            CommitRecord("HF", evil, "b" * 40, day, "[docs](javascript:alert(1))"),
        ],
    )
    db.close()
    monkeypatch.setenv("SYNCLENS_DB", str(db_file))
    at = family_page("acme/lm")
    assert not at.exception, at.exception
    texts = [e.value for kind in ("markdown", "caption", "warning") for e in at.get(kind)]
    assert not [t for t in texts if "](https://evil.example)" in t or "<img" in t]
    assert any("org/\\[click here\\]" in t for t in texts)  # named, escaped
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    rows = set(figure["layout"]["yaxis"]["categoryarray"])
    assert evil in rows  # plotly draws category names as text (no Markdown there)


@pytest.mark.usefixtures("seeded")
def test_the_json_export_says_when_the_data_was_fetched(db_file):
    from ui import state

    db = store.open_db(db_file)
    report = state.report(*state.report_key(db, store.load_family(db, "QwenLM/Qwen")))
    fetched = report.to_dict()["fetched_at"]
    assert fetched is not None and fetched.endswith("Z")
