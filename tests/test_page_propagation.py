"""The Family page's Propagation section and timeline overlay, with AppTest on a cache whose
file histories were read from local git repositories."""

from __future__ import annotations

import json

import pytest
from conftest import REPO
from propagation_family import GH_REPO, SEVEN, cache_family
from streamlit.testing.v1 import AppTest

TIMEOUT = 60


@pytest.fixture
def cached(tmp_path, db_file, monkeypatch):
    built = cache_family(db_file, tmp_path / "remote")
    monkeypatch.setenv("SYNCLENS_DB", str(db_file))
    return built


def family_page(q: str) -> AppTest:
    """The Family page of `q` with its Propagation section open (as `?section=Propagation`)."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    at.query_params["q"] = q
    at.query_params["section"] = "Propagation"
    at.run()
    at.switch_page("pages/family.py")
    return at.run()


def test_the_section_shows_measures_and_the_matrix(cached):
    at = family_page(GH_REPO)
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["GitHub file versions that arrived"] == "67%"
    assert metrics["Never arrived"] == "4"
    assert any("blobless git clone" in c.value for c in at.caption)


def test_the_timeline_draws_linked_commits_and_highlights_one(cached):
    at = family_page(GH_REPO)
    timeline = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = [t.get("name") for t in timeline["data"]]
    assert "linked commits (same content)" in names
    assert any("Linked:" in str(t.get("customdata")) for t in timeline["data"])
    picker = at.selectbox(key="propagation_highlight")
    picker.select(picker.options[0] if isinstance(picker.options[0], tuple) else ("GitHub", 1))
    at.run()
    timeline = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert "links of the highlighted commit" in [t.get("name") for t in timeline["data"]]
    assert SEVEN in str(timeline)
