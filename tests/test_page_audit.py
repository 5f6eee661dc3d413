"""The audit page, run server-side with AppTest: from the cache only (offline), and with the
Hub's and GitHub's file listings replayed (respx and `responses`), so content drift is shown."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import httpx
import pytest
import responses
import respx
from conftest import FIXTURES, REPO
from hf_replay import HUB, ReplayClients, error_response, hub_for
from seed import seed
from streamlit.testing.v1 import AppTest
from test_audit import BIG, CHAT, V7B
from test_audit import REPO as WIDGET
from test_audit import seed as seed_widget

from core import store
from core.ingest.sources.github import make_github_client
from core.records import GH, CommitRecord, Family, FamilyMember

TIMEOUT = 60
AUDIT = FIXTURES / "audit"
NASTY = "Fix [click](https://evil.example) <script>alert(1)</script> @everyone"


@pytest.fixture
def qwen(db_file, shared, monkeypatch):
    """The real-shaped Qwen family, plus one GitHub commit whose title tries to inject."""
    db = store.open_db(db_file)
    family = seed(db, "Qwen_Qwen", shared)
    store.save_commits(
        db,
        [
            CommitRecord(
                GH, family.github_repo, "f" * 40, datetime(2024, 8, 1, tzinfo=UTC), NASTY, NASTY
            )
        ],
    )
    db.close()
    monkeypatch.setenv("SYNCLENS_DB", str(db_file))
    return family


def audit_page(q: str | None = None, *, via_family_page: bool = False) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    if q is not None:
        at.query_params["q"] = q
    at.run()
    if via_family_page:
        at.switch_page("pages/family.py").run()
    at.switch_page("pages/audit.py")
    return at.run()


def texts(at: AppTest) -> str:
    parts = [m.value for m in (*at.markdown, *at.caption, *at.info, *at.warning, *at.success)]
    return "\n".join(parts)


def frame(at: AppTest, column: str):
    """The first table with `column` (tables have no keys in AppTest unless selectable)."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


def test_offline_audit_shows_every_section_the_advice_and_what_was_not_checked(qwen):
    at = audit_page("Qwen/Qwen-7B")

    assert not at.exception, at.exception
    assert [h.value for h in at.header] == [
        "1. Stale variants",
        "2. Content drift",
        "3. Changes never carried over",
        "4. Where the family stands",
        "5. What to do",
        "What could not be checked",
        "6. Share it",
    ]
    assert at.subheader[0].value == "QwenLM/Qwen"
    stale = frame(at, "days behind")
    assert stale["Hub page"].iloc[0] == f"https://huggingface.co/{stale['variant'].iloc[0]}"
    assert stale["behaviour-changing"].iloc[0] > 0
    body = texts(at)
    assert "predates" in body and "behaviour-changing GitHub change" in body  # recommendations
    assert "File contents were not checked" in body
    assert "“Check file contents online” is off" in body
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Files that differ"] == "—"
    assert "Synchronization pattern **Disperse**" in body  # the whole name, never cut
    assert at.get("plotly_chart"), "the never-carried-over chart"
    # the share section: the Markdown report in a code block, the badge and its snippet
    codes = [c.value for c in at.code]
    assert any(c.startswith("# Sync audit: QwenLM/Qwen") for c in codes)
    assert any(c.startswith("[![sync: Disperse") for c in codes)
    assert at.get("image"), "the badge"


def test_commit_titles_are_shown_as_data_never_as_markdown(qwen):
    at = audit_page("Qwen/Qwen-7B")

    titles = {t for df in at.dataframe if "title" in df.value.columns for t in df.value["title"]}
    assert NASTY in titles
    rendered = texts(at)
    assert "evil.example" not in rendered and "<script>" not in rendered


def test_the_window_changes_what_counts_as_carried_over(qwen):
    at = audit_page("Qwen/Qwen-7B")
    before = next(m for m in at.metric if m.label == "GitHub only").value

    at.slider(key="audit_window").set_value(60).run()

    assert not at.exception, at.exception
    gh_only = next(m for m in at.metric if m.label == "GitHub only").value
    assert int(gh_only.split(" of ")[0]) < int(before.split(" of ")[0])

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update(q="Qwen/Qwen-7B", audit_window="60")  # a shared link
    at.run()
    at.switch_page("pages/audit.py").run()
    assert at.slider(key="audit_window").value == 60
    assert next(m for m in at.metric if m.label == "GitHub only").value == gh_only


def test_the_family_page_choice_carries_over_and_a_cached_family_can_be_picked(qwen):
    at = audit_page("https://github.com/QwenLM/Qwen", via_family_page=True)

    assert not at.exception, at.exception
    assert at.subheader[0].value == "QwenLM/Qwen"
    assert at.selectbox(key="audit_pick").value == "QwenLM/Qwen"


def test_a_family_without_commits_is_not_audited_and_the_page_says_how_to_fetch_it(qwen, db_file):
    db = store.open_db(db_file)
    store.save_family(
        db, Family("acme/empty", "acme/empty", (FamilyMember("acme/empty-1b", "user"),))
    )
    db.close()
    at = audit_page("Qwen/Qwen-7B")

    at.selectbox(key="audit_pick").set_value("acme/empty").run()

    assert not at.exception, at.exception
    assert at.subheader[0].value == "acme/empty"
    assert at.query_params["q"] == "acme/empty"
    assert at.error[0].value.startswith("**Not audited.** No commits are cached for acme/empty")
    link = at.get("page_link")[-1].proto
    assert "Family page" in link.label and link.query_string == "q=acme%2Fempty"
    assert [c.value for c in at.code] == ["python -m core fetch acme/empty"]
    # no all-clear of any kind
    assert not at.header and not at.metric and not at.success
    body = texts(at)
    for false_clear in ("0 of 1", "Every variant", "Nothing to do", "None"):
        assert false_clear not in body

    at.text_input(key="audit_typed").input("Qwen/Qwen-7B-Chat").run()
    assert at.subheader[0].value == "QwenLM/Qwen"
    assert at.selectbox(key="audit_pick").value == "QwenLM/Qwen"


def test_a_family_with_one_side_missing_is_not_audited(db_file, monkeypatch):
    db = store.open_db(db_file)
    seed_widget(db)
    db.execute("DELETE FROM commits WHERE platform = 'HF'")
    db.close()
    monkeypatch.setenv("SYNCLENS_DB", str(db_file))

    at = audit_page(WIDGET)

    assert not at.exception, at.exception
    assert "No Hugging Face commits of any of its variants are cached" in at.error[0].value
    assert not at.header and not at.metric


def test_variants_without_commits_are_named_first_and_not_counted_as_up_to_date(
    db_file, monkeypatch
):
    db = store.open_db(db_file)
    seed_widget(db)  # acme/widget-70b is gated: no commits cached
    db.close()
    monkeypatch.setenv("SYNCLENS_DB", str(db_file))

    at = audit_page(WIDGET)

    assert not at.exception, at.exception
    assert at.warning[0].value.startswith("**Partly audited.** 1 of 3 variants")
    assert "acme/widget-70b" in at.warning[0].value
    stale = {m.label: m for m in at.metric}["Stale variants"]
    assert stale.value == "2 of 2" and "1 variant(s) without cached commits" in stale.proto.help


def test_an_uncached_family_points_to_the_family_page(qwen):
    at = audit_page("acme/not-fetched")

    assert not at.exception, at.exception
    assert "not in the cache yet" in at.warning[0].value
    assert not at.header  # no audit
    links = at.get("page_link")
    assert links and "Family page" in links[0].proto.label


def test_bad_input_gets_a_clear_message(qwen):
    at = audit_page("not a model at all")
    assert not at.exception
    assert at.error and "accepted forms" in at.error[0].value


# --- online: the file listings replayed -------------------------------------------------------


@pytest.fixture
def widget_online(db_file, tmp_path, monkeypatch):
    """The acme/widget family cached; its listings replayed; BIG answers "gated"."""
    db = store.open_db(db_file)
    seed_widget(db)
    db.close()
    router = respx.Router(assert_all_mocked=True)
    for model in (V7B, CHAT):
        body = json.loads((AUDIT / f"hf_tree_{model.split('/')[1]}.json").read_text())
        router.get(f"{HUB}/api/models/{model}/tree/main").mock(
            return_value=httpx.Response(200, json=body)
        )
    router.get(f"{HUB}/api/models/{BIG}/tree/main").mock(return_value=error_response("gated", BIG))
    hub = hub_for(router, tmp_path)
    import ui.state

    api = make_github_client(None, seconds_between_requests=None)
    monkeypatch.setattr(ui.state, "clients", lambda: ReplayClients(hub, api=api))
    monkeypatch.setenv("SYNCLENS_DB", str(db_file))
    with responses.RequestsMock() as rsps:
        tree = json.loads((AUDIT / "gh_tree_acme_widget.json").read_text())
        rsps.get(
            re.compile(r"^https://api\.github\.com(:443)?/repos/acme/widget/git/trees/HEAD"),
            json=tree,
        )
        yield router, rsps


def test_online_the_files_are_compared_by_blob_id_with_links(widget_online):
    router, rsps = widget_online
    at = audit_page(WIDGET)
    assert not at.exception, at.exception
    assert len(rsps.calls) == 0 and len(router.calls) == 0  # offline until asked

    at.toggle(key="audit_online").set_value(True).run()

    assert not at.exception, at.exception
    assert len(rsps.calls) == 1 and len(router.calls) == 3  # one listing per repository
    drift = frame(at, "Hub file")
    assert {"identical", "different"} <= set(drift["status"])
    config = drift[drift["Hub file"] == f"https://huggingface.co/{CHAT}/blob/main/config.json"]
    assert config["status"].iloc[0] == "different" and config["newer"].iloc[0] == "GitHub"
    assert config["GitHub file"].iloc[0].startswith(f"https://github.com/{WIDGET}/blob/HEAD/")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Files that differ"] == "4"
    body = texts(at)
    assert "config.json differs" in body  # a recommendation naming the file
    assert "gated" in body  # BIG could not be listed: said, not crashed

    # widgets do not list again; Refresh does
    at.slider(key="audit_window").set_value(30).run()
    assert len(rsps.calls) == 1 and len(router.calls) == 3
    next(b for b in at.button if b.label == "Refresh").click().run()
    assert not at.exception, at.exception
    assert len(rsps.calls) == 2 and len(router.calls) == 6


def test_an_unreachable_github_still_renders_the_audit(db_file, tmp_path, monkeypatch):
    import requests

    db = store.open_db(db_file)
    seed_widget(db)
    db.close()
    router = respx.Router(assert_all_mocked=True)
    hub = hub_for(router, tmp_path)
    import ui.state

    api = make_github_client(None, seconds_between_requests=None)
    monkeypatch.setattr(ui.state, "clients", lambda: ReplayClients(hub, api=api))
    monkeypatch.setenv("SYNCLENS_DB", str(db_file))
    with responses.RequestsMock() as rsps:
        rsps.get(
            re.compile(r"^https://api\.github\.com"),
            body=requests.exceptions.ConnectionError("down"),
        )
        at = audit_page(WIDGET)
        at.toggle(key="audit_online").set_value(True).run()

    assert not at.exception, at.exception
    assert "What could not be checked" in [h.value for h in at.header]
    assert "Could not reach GitHub" in texts(at)
    assert "5. What to do" in [h.value for h in at.header]
