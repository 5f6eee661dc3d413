"""The audit, on a small family whose story is known: what is stale, what differs, what was
never carried over, where it stands, what to do, and how it is shared."""

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime

import httpx
import pandas as pd
import pytest
import requests
import responses
import respx
from conftest import FIXTURES
from hf_replay import HUB, ReplayClients, error_response, hub_for
from huggingface_hub.hf_api import RepoFile as HubRepoFile

from core import store
from core.audit import (
    AuditReport,
    Limitation,
    LimitKind,
    audit_family,
    lfs_pointer_blob,
)
from core.audit.badge import badge_markdown, render_badge
from core.audit.inputs import gather_inputs
from core.audit.render import render_markdown
from core.ingest.sources.github import make_github_client
from core.ingest.sources.hf import repo_file
from core.markup import md_text
from core.records import GH, HF, CommitRecord, Family, FamilyMember, FileListing, ModelInfo

AUDIT = FIXTURES / "audit"
REPO, V7B, CHAT, BIG = "acme/widget", "acme/widget-7b", "acme/widget-7b-chat", "acme/widget-70b"
TODAY = datetime(2024, 10, 1, tzinfo=UTC)

# (platform, repo, date, title, label): the family's story, oldest first
STORY = [
    (GH, REPO, "2024-01-01T09:00:00Z", "Initial code", "Model Structure"),
    (HF, V7B, "2024-01-03T09:00:00Z", "Upload model", "Model Structure"),
    (GH, REPO, "2024-02-01T09:00:00Z", "Add rotary scaling", "Model Structure"),
    (HF, CHAT, "2024-02-05T09:00:00Z", "Upload config.json", "Parameter Tuning"),
    (GH, REPO, "2024-03-01T09:00:00Z", "Update README", "External Documentation"),
    (
        GH,
        REPO,
        "2024-04-10T09:00:00Z",
        "bump rope theta in models/widget-7b-chat/config.json",
        "Parameter Tuning",
    ),
    (GH, REPO, "2024-05-01T09:00:00Z", "Fix tokenizer preprocessing", "Preprocessing"),
    (HF, V7B, "2024-06-01T09:00:00Z", "Update README.md", "External Documentation"),
    (GH, REPO, "2024-09-20T09:00:00Z", "Bump transformers", "Update Dependency"),
]


def story_frame(rows=STORY) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["platform", "repo", "timestamp", "title", "label"])
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    frame["sha"] = [f"{i:040x}" for i in range(1, len(frame) + 1)]
    frame["model"] = frame["repo"].where(frame["platform"] == HF, "")
    return frame


def hf_listing(model_id: str) -> FileListing:
    """The recorded tree answer, parsed by huggingface_hub itself, then by SyncLens."""
    items = json.loads((AUDIT / f"hf_tree_{model_id.split('/')[1]}.json").read_text())
    files = tuple(repo_file(HubRepoFile(**i)) for i in items if i["type"] == "file")
    return FileListing(HF, model_id, "main", files)


def gh_listing() -> FileListing:
    data = json.loads((AUDIT / "gh_tree_acme_widget.json").read_text())
    from core.records import RepoFile

    files = tuple(
        RepoFile(e["path"], e["sha"], e.get("size")) for e in data["tree"] if e["type"] == "blob"
    )
    return FileListing(GH, REPO, "HEAD", files, truncated=data["truncated"])


def corpus_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "family": ["a", "b", "c", "d"],
            "pattern": ["Disperse", "Disperse", "Rare", "Sparse"],
            "age_group": ["Recent", "Matured", "Recent", "Matured"],
            "mean_switch_days": [5.0, 20.0, 40.0, 100.0],
            "similarity": [0.2, 0.4, 0.6, 0.8],
            "n_variants": [1, 2, 3, 12],
            "early_pattern": ["Disperse", "Disperse", "Rare", "Sparse"],
            "late_pattern": ["Sparse", "Disperse", "Rare", "Sparse"],
        }
    )


def audit(**kw) -> AuditReport:
    args = dict(
        hf_listings={V7B: hf_listing(V7B), CHAT: hf_listing(CHAT)},
        gh_listing=gh_listing(),
        corpus=corpus_frame(),
        today=TODAY,
    )
    args.update(kw)
    return audit_family(REPO, REPO, (V7B, CHAT), story_frame(), **args)


# --- (1) stale variants -----------------------------------------------------------------------


def test_a_variant_is_stale_by_the_github_commits_made_after_its_last_commit():
    stale = {s.model_id: s for s in audit().stale}

    chat = stale[CHAT]
    assert chat.last_commit_at == datetime(2024, 2, 5, 9, tzinfo=UTC)
    assert chat.gh_commits_since == 4 and chat.behaviour_changing_since == 3
    assert chat.by_change_type == {
        "External Documentation": 1,
        "Parameter Tuning": 1,
        "Preprocessing": 1,
        "Update Dependency": 1,
    }
    assert chat.days_behind == (datetime(2024, 9, 20) - datetime(2024, 2, 5)).days
    assert chat.days_since_update == (datetime(2024, 10, 1) - datetime(2024, 2, 5, 9)).days
    # behaviour-changing first (newest first), documentation last, each with its link
    assert [c.title for c in chat.commits] == [
        "Bump transformers",
        "Fix tokenizer preprocessing",
        "bump rope theta in models/widget-7b-chat/config.json",
        "Update README",
    ]
    assert chat.commits[0].url == f"https://github.com/{REPO}/commit/{9:040x}"
    assert stale[V7B].gh_commits_since == 1 and stale[V7B].days_behind == 111


def test_a_variant_without_cached_commits_is_a_limitation_not_a_crash():
    report = audit_family(
        REPO,
        REPO,
        (V7B, BIG),
        story_frame(),
        today=TODAY,
        model_infos={BIG: ModelInfo(BIG, gated=True)},
    )

    big = next(s for s in report.stale if s.model_id == BIG)
    assert big.last_commit_at is None and big.gated
    assert any(lim.repo == BIG and "HF_TOKEN" in lim.reason for lim in report.limitations)


# --- (2) content drift ------------------------------------------------------------------------


def comparisons(report):
    return {(c.variant, c.hf_path): c for c in report.drift.comparisons}


def test_equal_blob_ids_are_identical_wherever_the_github_copy_sits():
    found = comparisons(audit())

    config = found[(V7B, "config.json")]
    assert (config.status, config.gh_path, config.matched_by) == (
        "identical",
        "hf/config.json",
        "basename",
    )
    assert "2 GitHub files could match" in config.note
    assert found[(V7B, "modeling_widget.py")].gh_path == "widget/modeling_widget.py"
    assert found[(V7B, "tokenizer.json")].status == "identical"
    card = found[(CHAT, "README.md")]
    assert (card.status, card.gh_path, card.matched_by) == (
        "identical",
        "models/widget-7b-chat/README.md",
        "variant folder",
    )


def test_lfs_files_compare_by_their_pointer_without_downloads():
    found = comparisons(audit())

    same = found[(V7B, "tokenizer.model")]  # GitHub keeps an LFS pointer to the same object
    assert same.status == "identical" and "LFS" in same.how
    other = found[(CHAT, "tokenizer.model")]  # a pointer to another object
    assert other.status == "different" and "LFS pointers" in other.how
    one_side = found[(CHAT, "tokenizer_config.json")]  # LFS on the Hub only, same size
    assert one_side.status == "unknown"
    assert "cannot compare without download" in one_side.how


def test_the_pointer_blob_is_what_git_stores_for_an_lfs_file():
    hf = {f.path: f for f in hf_listing(V7B).files}["tokenizer.model"]
    assert lfs_pointer_blob(hf.lfs_sha256, hf.lfs_size) == hf.blob_id


def test_a_different_file_says_which_side_changed_it_last():
    config = comparisons(audit())[(CHAT, "config.json")]

    assert config.status == "different" and config.matched_by == "variant folder"
    assert config.gh_path == "models/widget-7b-chat/config.json"
    assert config.hf_changed_at == datetime(2024, 2, 5, 9, tzinfo=UTC)
    assert config.gh_changed_at == datetime(2024, 4, 10, 9, tzinfo=UTC)
    assert (config.hf_date_source, config.gh_date_source) == ("commit title", "commit title")
    assert config.newer == "GH" and config.critical
    assert config.hf_url == f"https://huggingface.co/{CHAT}/blob/main/config.json"
    assert config.gh_url == f"https://github.com/{REPO}/blob/HEAD/models/widget-7b-chat/config.json"


def test_git_log_dates_win_over_commit_titles():
    dates = {"hf/generation_config.json": datetime(2024, 8, 1, tzinfo=UTC)}
    gen = comparisons(audit(gh_file_dates=dates))[(V7B, "generation_config.json")]

    assert gen.status == "different"
    assert (gen.gh_changed_at, gen.gh_date_source) == (
        dates["hf/generation_config.json"],
        "git log",
    )
    assert gen.hf_changed_at is None and gen.newer is None


def test_renamed_files_are_not_matched_by_path_but_reported():
    report = audit()

    (moved,) = report.drift.renamed
    assert (moved.variant, moved.hf_path, moved.gh_path) == (
        V7B,
        "LICENSE.txt",
        "docs/MODEL_LICENSE.txt",
    )
    assert (V7B, "LICENSE.txt") not in comparisons(report)


def test_files_on_one_side_only_are_listed_separately():
    drift = audit().drift

    assert [(f.variant, f.path) for f in drift.hf_only] == [(CHAT, "chat_template.jinja")]
    assert sorted(f.path for f in drift.gh_only) == ["LICENSE", "requirements.txt"]
    assert drift.n_hf_only_other == 3  # weights and onnx files: nothing to compare them with
    assert drift.count("identical") == 5 and drift.count("different") == 4
    assert drift.count("unknown") == 1


def test_without_listings_drift_is_not_checked_and_says_why():
    report = audit(
        hf_listings=None,
        gh_listing=None,
        limitations=[
            Limitation("drift", LimitKind.OFFLINE, "Content drift was not checked: --offline.")
        ],
    )

    assert not report.drift.checked
    assert [lim.reason for lim in report.limitations if lim.area == "drift"] == [
        "Content drift was not checked: --offline."
    ]


def test_a_truncated_github_listing_is_a_limitation():
    report = audit(gh_listing=replace(gh_listing(), truncated=True))
    assert any("truncated" in lim.reason for lim in report.limitations)


# --- (3) changes never carried over -----------------------------------------------------------


def test_isolated_changes_have_no_commit_on_the_other_side_within_the_window():
    iso = audit().isolated

    assert (iso.n_gh, iso.n_hf, iso.n_pending) == (3, 1, 1)
    assert iso.gh_by_type == {
        "External Documentation": 1,
        "Parameter Tuning": 1,
        "Preprocessing": 1,
    }
    assert iso.hf[0].title == "Update README.md"
    assert iso.hf[0].url == f"https://huggingface.co/{V7B}/commit/{8:040x}"


def test_the_window_is_adjustable():
    wide = audit(window_days=40).isolated
    assert (wide.n_gh, wide.n_hf) == (1, 0)  # only 2024-04-10 is 52+ days from any HF commit
    assert wide.n_pending == 1
    narrow = audit(window_days=1).isolated
    assert (narrow.n_gh, narrow.n_hf, narrow.n_pending) == (6, 3, 0)


# --- (4) where the family stands --------------------------------------------------------------


def test_standing_has_pattern_delays_percentiles_and_the_early_late_split():
    st = audit().standing

    assert st.pattern == "Sparse" and st.lag == "Simultaneous" and st.n_variants == 2
    assert st.n_switches == 6 and st.mean_days is not None and st.median_days is not None
    assert st.paper_share == 15.4 and st.paper_mean_days == 26.98
    assert st.placement.delay.n == 4 and 0 <= st.placement.delay.percentile <= 100
    assert st.placement.n_variants.percentile == 50.0
    assert st.early.half == "early" and st.late.half == "late"
    assert st.early.end < st.late.start
    assert st.similarity == pytest.approx(3 / 5)  # {MS, PT, ED} of 5 types


def test_without_a_corpus_there_are_no_percentiles_and_a_limitation_says_so():
    report = audit(corpus=None)
    assert report.standing.placement is None
    assert any("corpus import" in lim.reason for lim in report.limitations)


def test_unlabeled_commits_are_counted_as_such():
    frame = story_frame().drop(columns=["label"])
    report = audit_family(REPO, REPO, (V7B, CHAT), frame, today=TODAY)
    chat = next(s for s in report.stale if s.model_id == CHAT)
    assert chat.by_change_type == {"Unlabeled": 4} and chat.behaviour_changing_since == 0
    assert any(lim.area == "labels" for lim in report.limitations)


# --- (5) recommendations ----------------------------------------------------------------------


def test_recommendations_are_concrete_and_most_severe_first():
    recs = audit().recommendations

    severities = [r.severity for r in recs]
    assert severities == sorted(severities, key=["high", "medium", "low"].index)
    stale = next(r for r in recs if r.kind == "stale-variant" and CHAT in r.title)
    assert stale.severity == "high" and "3 behaviour-changing" in stale.title
    assert "Republish" in stale.detail and stale.links[0].startswith("https://github.com/")
    assert len(stale.links) == 3  # the evidence: the behaviour-changing commits, not the README
    drift = next(
        r
        for r in recs
        if r.kind == "content-drift" and "config.json" in r.title and CHAT in r.title
    )
    assert drift.severity == "high" and "GitHub's copy is newer" in drift.detail
    pattern = next(r for r in recs if r.kind == "pattern")
    assert pattern.severity == "medium" and "record the GitHub commit" in pattern.detail


def test_an_audit_on_a_given_day_reads_the_family_as_it_was_that_day():
    """`today` is the audit's date: what happened after it is not yet history."""
    on_june_1 = datetime(2024, 6, 1, tzinfo=UTC)
    report = audit_family(REPO, REPO, (V7B, CHAT), story_frame(), today=on_june_1)
    seven_b = next(s for s in report.stale if s.model_id == V7B)
    assert seven_b.last_commit_at == datetime(2024, 6, 1, 9, tzinfo=UTC)  # that day counts
    assert seven_b.gh_commits_since == 0  # the September bump had not happened yet
    chat = next(s for s in report.stale if s.model_id == CHAT)
    assert chat.gh_commits_since == 3  # README, rope theta, tokenizer; not September's
    assert report.generated_at == on_june_1


def test_a_disjoint_family_is_told_to_automate_the_sync():
    rows = [
        (GH, REPO, "2024-01-01T00:00:00Z", "code", "Model Structure"),
        (HF, V7B, "2024-03-01T00:00:00Z", "upload", "Sharing"),
        (GH, REPO, "2024-05-01T00:00:00Z", "more code", "Model Structure"),
    ]
    report = audit_family(REPO, REPO, (V7B,), story_frame(rows), today=TODAY)
    assert report.standing.pattern == "Rare Disjoint"
    rec = next(r for r in report.recommendations if r.kind == "pattern")
    assert rec.severity == "high" and "automated sync" in rec.detail


# --- (6) sharing ------------------------------------------------------------------------------


def test_the_report_serialises_to_json():
    data = json.loads(json.dumps(audit().to_dict()))
    assert data["family"] == REPO and data["window_days"] == 14
    assert data["stale"][0]["last_commit_at"].endswith("Z")
    assert data["standing"]["placement"]["delay"]["n"] == 4
    assert {"severity", "kind", "title", "detail", "links"} <= set(data["recommendations"][0])


def test_markdown_has_sections_tables_and_links():
    text = render_markdown(audit(), badge_url="sync.svg")

    for heading in (
        "## What to do",
        "## Where the family stands",
        "## Stale variants",
        "## Content drift",
        "## Changes never carried over",
    ):
        assert heading in text
    assert f"(https://github.com/{REPO}/commit/{9:040x})" in text
    assert f"(https://huggingface.co/{CHAT}/blob/main/config.json)" in text
    assert "![sync: Sparse" in text


HOSTILE = (
    "<img src=x onerror=alert(1)> [click](https://evil.example) ![x](https://evil/x.png) "
    "@everyone #1 | broken | `code` **bold** <!-- www.evil.com"
)


def test_commit_texts_cannot_inject_markdown_or_html():
    rows = [*STORY[:-1], (GH, REPO, "2024-09-20T09:00:00Z", HOSTILE, "Update Dependency")]
    report = audit_family(REPO, REPO, (V7B, CHAT), story_frame(rows), today=TODAY)

    text = render_markdown(report)

    line = next(ln for ln in text.splitlines() if "onerror" in ln)
    assert "<img" not in text and "<!--" not in text
    assert "](https://evil" not in text and "@everyone" not in text
    assert "www.evil" not in text and "#1 " not in text
    assert line.count("|") - line.count("\\|") == 5  # the table row keeps its four cells
    assert md_text("a_b*c") == "a\\_b\\*c"


def test_github_renders_hostile_texts_with_no_link_image_html_or_mention():
    cmarkgfm = pytest.importorskip("cmarkgfm")  # bindings to GitHub's own cmark-gfm
    evil = "org/[x](https://evil.example)"
    rows = [*STORY, (HF, evil, "2024-09-21T09:00:00Z", HOSTILE, "Sharing")]
    rows += [(GH, REPO, "2024-09-22T09:00:00Z", "mail me@evil.example or www.evil.example", None)]
    report = audit_family(REPO, REPO, (V7B, CHAT, evil), story_frame(rows), today=TODAY)

    html = cmarkgfm.github_flavored_markdown_to_html(render_markdown(report))

    hrefs = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert hrefs and all(
        h.startswith(("https://github.com/", "https://huggingface.co/")) for h in hrefs
    )
    assert not any("evil" in h for h in hrefs)
    assert "<img" not in html and "<script" not in html and "<!--" not in html


def test_the_badge_is_valid_svg_coloured_by_pattern():
    report = audit()
    svg = render_badge(report)

    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    mean = round(report.standing.mean_days)
    assert texts == ["sync", f"Sparse · {mean} d"]
    assert 'fill="#fe7d37"' in svg
    assert badge_markdown(report, "docs/sync.svg") == (
        f"[![sync: Sparse · {mean} d](docs/sync.svg)](https://github.com/{REPO})"
    )


def test_the_badge_escapes_its_text():
    report = audit()
    hostile = replace(report, standing=replace(report.standing, pattern='<b>"x" & y</b>'))

    svg = render_badge(hostile)

    ET.fromstring(svg)  # still well-formed XML
    assert "<b>" not in svg and "&lt;b&gt;&quot;x&quot; &amp; y" in svg


# --- gathering inputs and the command line -----------------------------------------------------


def story_records() -> list[CommitRecord]:
    return [
        CommitRecord(p, r, f"{i:040x}", pd.Timestamp(t).to_pydatetime(), title, title)
        for i, (p, r, t, title, _) in enumerate(STORY, start=1)
    ]


def seed(db) -> Family:
    family = Family(
        REPO,
        REPO,
        (FamilyMember(V7B, "card"), FamilyMember(CHAT, "card"), FamilyMember(BIG, "user")),
    )
    store.save_family(db, family)
    store.save_commits(db, story_records())
    store.save_model_info(db, ModelInfo(BIG, gated=True))
    return family


@pytest.fixture
def router():
    return respx.Router(assert_all_mocked=True)


@pytest.fixture
def replayed(router, tmp_path):
    """The Hub and GitHub answering with the recorded listings; BIG is gated."""
    for model in (V7B, CHAT):
        body = json.loads((AUDIT / f"hf_tree_{model.split('/')[1]}.json").read_text())
        router.get(f"{HUB}/api/models/{model}/tree/main").mock(
            return_value=httpx.Response(200, json=body)
        )
    router.get(f"{HUB}/api/models/{BIG}/tree/main").mock(return_value=error_response("gated", BIG))
    hub = hub_for(router, tmp_path)
    with responses.RequestsMock() as rsps:
        tree = json.loads((AUDIT / "gh_tree_acme_widget.json").read_text())
        rsps.get(
            re.compile(r"^https://api\.github\.com(:443)?/repos/acme/widget/git/trees/HEAD"),
            json=tree,
        )
        yield hub, rsps


def test_gather_costs_one_listing_request_per_repository(fresh_db, replayed, router):
    hub, rsps = replayed
    family = seed(fresh_db)
    client = make_github_client(None, seconds_between_requests=None)

    inputs = gather_inputs(fresh_db, family, ReplayClients(hub, api=client), corpus=corpus_frame())

    assert inputs.requests == {REPO: 1, V7B: 1, CHAT: 1}
    assert len(rsps.calls) == 1 and len(router.calls) == 3  # BIG: one refused request
    assert inputs.commits["label"].notna().all()  # labeled offline by the rules labeler
    assert any(lim.repo == BIG and "gated" in lim.reason for lim in inputs.limitations)
    report = audit_family(
        family.name,
        family.github_repo,
        family.variants,
        inputs.commits,
        hf_listings=inputs.hf_listings,
        gh_listing=inputs.gh_listing,
        model_infos=inputs.model_infos,
        corpus=inputs.corpus,
        limitations=inputs.limitations,
        today=TODAY,
    )
    assert report.drift.checked and report.drift.variants_checked == (V7B, CHAT)


def test_gathering_announces_each_repository_before_listing_it(fresh_db, replayed):
    hub, _ = replayed
    family = seed(fresh_db)
    calls = []
    client = make_github_client(None, seconds_between_requests=None)

    gather_inputs(
        fresh_db, family, ReplayClients(hub, api=client), progress=lambda *a: calls.append(a)
    )

    assert calls == [(REPO, 1, 4), (V7B, 2, 4), (CHAT, 3, 4), (BIG, 4, 4)]


def test_an_unexpected_client_failure_audits_the_cache_and_says_so(fresh_db):
    class Broken(ReplayClients):
        def github_api(self):
            raise RuntimeError("token store unreadable")

    family = seed(fresh_db)
    inputs = gather_inputs(fresh_db, family, Broken())

    (failed,) = [lim for lim in inputs.limitations if lim.area == "drift"]
    assert failed.kind is LimitKind.UNREACHABLE
    assert "RuntimeError: token store unreadable" in failed.reason
    assert inputs.gh_listing is None and inputs.coverage.auditable


def test_an_unreachable_github_is_a_limitation(fresh_db, router, tmp_path):
    family = seed(fresh_db)
    hub = hub_for(router, tmp_path)
    with responses.RequestsMock() as rsps:
        rsps.get(
            re.compile(r"^https://api\.github\.com"),
            body=requests.exceptions.ConnectionError("down"),
        )
        client = make_github_client(None, seconds_between_requests=None)
        inputs = gather_inputs(fresh_db, family, ReplayClients(hub, api=client))

    assert inputs.gh_listing is None and inputs.hf_listings is None
    assert len(router.calls) == 0  # no point listing the Hub side alone
    assert any("not checked" in lim.reason and lim.repo == REPO for lim in inputs.limitations)


def test_cli_refuses_a_family_that_is_not_cached(cli, db_file):
    result = cli("--db", db_file, "audit", "acme/unknown")
    assert result.code == 2
    assert "python -m core fetch acme/unknown" in result.err


def test_cli_offline_markdown_and_badge(cli, db_file, fresh_db, tmp_path):
    seed(fresh_db)
    badge = tmp_path / "out" / "sync.svg"

    result = cli(
        "--db", db_file, "audit", REPO, "--offline", "--today", "2024-10-01", "--badge", badge
    )

    assert result.code == 0, result.err
    assert result.out.startswith("# Sync audit: acme/widget")
    assert "Content drift was not checked: --offline" in result.out
    assert ET.fromstring(badge.read_text()).tag.endswith("svg")
    assert "[![sync: Sparse" in result.err


def test_cli_json_with_replayed_listings(cli, db_file, fresh_db, replayed, monkeypatch):
    hub, _ = replayed
    seed(fresh_db)
    monkeypatch.setattr("core.ingest.clients.Clients.hub", lambda self: hub)
    monkeypatch.setattr(
        "core.ingest.clients.Clients.github_api",
        lambda self: make_github_client(None, seconds_between_requests=None),
    )

    result = cli(
        "--db",
        db_file,
        "audit",
        V7B,
        "--format",
        "json",
        "--window-days",
        "30",
        "--today",
        "2024-10-01",
    )

    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["window_days"] == 30 and data["drift"]["checked"]
    assert data["listing_requests"] == {REPO: 1, V7B: 1, CHAT: 1}
    assert any(lim["repo"] == BIG for lim in data["limitations"])
    assert "3 file listing(s), 3 request(s)." in result.err


def test_hub_listing_dates_win_over_commit_titles():
    when = datetime(2024, 7, 1, tzinfo=UTC)
    listing = hf_listing(CHAT)
    files = tuple(
        replace(f, last_commit_at=when) if f.path == "config.json" else f for f in listing.files
    )
    report = audit(hf_listings={V7B: hf_listing(V7B), CHAT: replace(listing, files=files)})

    config = comparisons(report)[(CHAT, "config.json")]
    assert (config.hf_changed_at, config.hf_date_source, config.newer) == (
        when,
        "hub listing",
        "HF",
    )
    rec = next(r for r in report.recommendations if r.title.startswith("config.json"))
    assert "port the change back to acme/widget" in rec.detail


def test_many_stale_variants_make_one_grouped_recommendation():
    many = [f"acme/widget-{i}" for i in range(6)]
    rows = [(GH, REPO, "2024-01-01T00:00:00Z", "code", "Model Structure")]
    rows += [(HF, v, "2024-01-02T00:00:00Z", "upload", "Sharing") for v in many]
    rows += [(GH, REPO, "2024-03-01T00:00:00Z", "new attention", "Model Structure")]
    report = audit_family(REPO, REPO, many, story_frame(rows), today=TODAY)

    (rec,) = [r for r in report.recommendations if r.kind == "stale-variant"]
    assert rec.title == "6 variants predate behaviour-changing GitHub changes"
    assert all(v in rec.detail for v in many)


def test_cli_file_dates_asks_the_hub_for_last_commits(
    cli, db_file, fresh_db, router, tmp_path, monkeypatch
):
    seed(fresh_db)
    items = json.loads((AUDIT / "hf_tree_widget-7b-chat.json").read_text())
    for item in items:
        item["lastCommit"] = {"id": "a" * 40, "title": "Update", "date": "2024-07-01T00:00:00.000Z"}
    route = router.get(f"{HUB}/api/models/{CHAT}/tree/main", params={"expand": "true"}).mock(
        return_value=httpx.Response(200, json=items)
    )
    router.get(url__regex=rf"{HUB}/api/models/acme/widget-7?0?b/tree/main").mock(
        return_value=error_response("not_found")
    )
    hub = hub_for(router, tmp_path)
    monkeypatch.setattr("core.ingest.clients.Clients.hub", lambda self: hub)
    monkeypatch.setattr(
        "core.ingest.clients.Clients.github_api",
        lambda self: make_github_client(None, seconds_between_requests=None),
    )
    with responses.RequestsMock() as rsps:
        tree = json.loads((AUDIT / "gh_tree_acme_widget.json").read_text())
        rsps.get(
            re.compile(r"^https://api\.github\.com(:443)?/repos/acme/widget/git/trees/HEAD"),
            json=tree,
        )
        result = cli(
            "--db",
            db_file,
            "audit",
            REPO,
            "--format",
            "json",
            "--file-dates",
            "--today",
            "2024-10-01",
        )

    assert result.code == 0, result.err
    assert route.call_count == 1
    data = json.loads(result.out)
    config = next(c for c in data["drift"]["comparisons"] if c["hf_path"] == "config.json")
    assert config["hf_date_source"] == "hub listing" and config["newer"] == "HF"


def test_cli_rejects_a_negative_window(cli, db_file, fresh_db):
    seed(fresh_db)
    result = cli("--db", db_file, "audit", REPO, "--offline", "--window-days", "-1")
    assert result.code == 2 and "--window-days" in result.err


def test_a_cached_clone_with_trees_lists_github_files_without_a_request(fresh_db, router, tmp_path):
    from gitutil import git

    work = tmp_path / "work"
    (work / "models" / "widget-7b-chat").mkdir(parents=True)
    git("init", "-q", "-b", "main", cwd=work)
    git("config", "uploadpack.allowFilter", "true", cwd=work)
    (work / "models" / "widget-7b-chat" / "config.json").write_bytes(
        b'{"model_type": "widget", "hidden_size": 4096, "rope_theta": 500000}\n'
    )
    env = {k: "dev" for k in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME")}
    env |= {k: "dev@example.org" for k in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL")}
    env |= {k: "2024-08-01T00:00:00Z" for k in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE")}
    git("add", "-A", cwd=work)
    git("commit", "-q", "-m", "longer context", cwd=work, env=env)
    clone = tmp_path / "acme__widget.git"
    git("clone", "-q", "--bare", "--filter=blob:none", f"file://{work}", str(clone))
    body = json.loads((AUDIT / "hf_tree_widget-7b-chat.json").read_text())
    router.get(f"{HUB}/api/models/{CHAT}/tree/main").mock(
        return_value=httpx.Response(200, json=body)
    )
    family = Family(REPO, REPO, (FamilyMember(CHAT, "card"),))
    store.save_family(fresh_db, family)
    store.save_commits(fresh_db, story_records())

    clients = ReplayClients(hub_for(router, tmp_path), clone=clone)
    inputs = gather_inputs(fresh_db, family, clients)

    assert inputs.gh_listing.source == "git" and inputs.requests[REPO] == 0
    assert inputs.gh_file_dates == {
        "models/widget-7b-chat/config.json": datetime(2024, 8, 1, tzinfo=UTC)
    }


def test_a_family_with_one_side_only_judges_no_isolated_changes():
    hf_only = story_frame([row for row in STORY if row[0] == HF])

    report = audit_family(f"hf:{V7B}", None, (V7B, CHAT), hf_only, today=TODAY)

    assert report.isolated.n_hf == 0 and not report.recommendations
    assert report.standing.pattern is None and "only Hugging Face" in report.standing.reason
    reasons = " ".join(lim.reason for lim in report.limitations)
    assert "No GitHub commits are cached" in reasons and "no GitHub repository" in reasons
    assert render_badge(report).count("unknown") == 3  # aria-label, title and text
