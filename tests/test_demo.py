"""The demo family: real public metadata, seeded once into an empty cache, usable offline."""

import json
import sys

from conftest import REPO

from core import store
from core.demo import BACKEND, DATA, demo, is_demo, seed_demo
from core.report.family import build_report


def test_an_empty_cache_gets_the_demo_family_once(fresh_db):
    family = seed_demo(fresh_db)
    assert family is not None and family.name == "QwenLM/Qwen-VL"
    assert family.variants == ("Qwen/Qwen-VL-Chat",)
    assert store.count_commits(fresh_db, "GH", "QwenLM/Qwen-VL") == 136
    assert store.count_commits(fresh_db, "HF", "Qwen/Qwen-VL-Chat") == 16
    assert store.last_complete_run(fresh_db, "HF", "Qwen/Qwen-VL-Chat")["backend"] == BACKEND
    assert is_demo(fresh_db, family)
    assert seed_demo(fresh_db) is None  # not twice
    assert len(store.list_families(fresh_db)) == 1


def test_a_cache_with_families_is_left_alone(fresh_db):
    from core.records import Family

    store.save_family(fresh_db, Family("org/repo", "org/repo"))
    assert seed_demo(fresh_db) is None
    assert [f["name"] for f in store.list_families(fresh_db)] == ["org/repo"]


def test_the_demo_is_analysed_beside_the_papers_labels(fresh_db):
    family = seed_demo(fresh_db)
    report = build_report(fresh_db, family)
    assert report.analysis is not None and report.analysis.pattern is not None
    assert report.paper is not None and report.paper.paper.family == "Qwen_Qwen-VL"
    assert report.paper.paper.pattern == report.analysis.pattern == "Frequent"
    assert report.paper.agrees and report.paper.reason is None
    assert report.variants[0].downloads == 3218721


def test_only_public_metadata_is_shipped():
    data = json.loads(DATA.read_text())
    keys = {k for c in data["commits"] for k in c}
    assert keys == {
        "platform",
        "repo",
        "sha",
        "authored_at",
        "committed_at",
        "author_name",
        "title",
        "source",
    }
    assert all("\n" not in c["title"] for c in data["commits"])
    hf_ids = [c.sha for c in demo().commits if c.platform == "HF"]
    assert all(sha.startswith("paper-") for sha in hf_ids)  # never mistaken for Hub ids


def test_the_shipped_file_is_what_the_script_builds_from_shared(shared):
    sys.path.insert(0, str(REPO / "scripts"))
    from build_demo import build

    shipped = json.loads(DATA.read_text())
    assert build(shared) == shipped
