"""Discovery beyond Algorithm 1, from Hub answers replayed with respx (tests/fixtures/hf/
discovery): arXiv papers in the card's tags, the base_model tree, every GitHub link ranked."""

from __future__ import annotations

import json

import httpx
import pytest
import respx
from conftest import FIXTURES
from hf_replay import HUB, hub_for, mock_readme

from core.ingest.discover import (
    ALGORITHM_1,
    ARXIV_PAPER,
    BASE_MODEL_TREE,
    CARD_LINK,
    discover,
)
from core.ingest.sources.hf_discovery import HubDiscovery

HERE = FIXTURES / "hf" / "discovery"
YI = "01-ai/Yi-6B"
CARD = """---
license: apache-2.0
---
# Yi
Code: https://github.com/01-ai/Yi (see also https://github.com/01-ai/Yi/tree/main/finetune).
Run it with https://github.com/ggerganov/llama.cpp or https://github.com/vllm-project/vllm;
quantize with https://github.com/ggerganov/llama.cpp/tree/master/examples/quantize.
"""


def fixture(name: str):
    return json.loads((HERE / name).read_text())


@pytest.fixture
def hub(tmp_path):
    router = respx.Router(assert_all_mocked=True)
    info = fixture("model_info_yi_6b.json")
    router.get(f"{HUB}/api/models/{YI}").mock(return_value=httpx.Response(200, json=info))
    mock_readme(router, YI, CARD, info["sha"])
    router.get(f"{HUB}/api/papers/2403.04652").mock(
        return_value=httpx.Response(200, json=fixture("paper_2403.04652.json"))
    )
    router.get(f"{HUB}/api/papers/2311.16502").mock(
        return_value=httpx.Response(404, json={"error": "Paper not found"})
    )
    router.route(
        method="GET",
        url__startswith=f"{HUB}/api/models?",
        params__contains={"filter": f"base_model:{YI}"},
    ).mock(return_value=httpx.Response(200, json=fixture("children_yi_6b.json")))
    return HubDiscovery(hub_for(router, tmp_path))


def test_every_github_link_is_ranked_with_its_source_and_none_is_picked_silently(hub):
    found = discover(YI, hub)

    assert [(c.id, c.source, c.also, c.confidence) for c in found.github] == [
        ("01-ai/Yi", ALGORITHM_1, (ARXIV_PAPER,), 0.96),  # 1 - (1 - 0.9)(1 - 0.6)
        ("ggerganov/llama.cpp", CARD_LINK, (), 0.3),  # mentioned twice
        ("vllm-project/vllm", CARD_LINK, (), 0.3),
    ]
    assert found.notes == ()  # the unknown paper is simply not on the Hub


def test_the_paper_page_and_the_base_model_tree_offer_variants_marked_derived(hub):
    found = discover(YI, hub)

    assert [(c.id, c.source, c.derived, c.detail) for c in found.variants] == [
        ("01-ai/Yi-34B", ARXIV_PAPER, False,
         "the Hub's page of arXiv 2403.04652 (Yi: Open Foundation Models by 01.AI) lists it"),
        ("TheBloke/Yi-6B-GGUF", BASE_MODEL_TREE, True, "quantized of 01-ai/Yi-6B"),
        ("someone/yi-6b-sql-lora", BASE_MODEL_TREE, True, "adapter of 01-ai/Yi-6B"),
    ]  # fmt: skip


def test_a_source_that_fails_is_a_note_not_a_failure(tmp_path):
    router = respx.Router(assert_all_mocked=True)
    router.get(f"{HUB}/api/models/{YI}").mock(return_value=httpx.Response(500))
    router.route(method="GET", url__startswith=f"{HUB}/api/models?").mock(
        return_value=httpx.Response(500)
    )
    found = discover(YI, HubDiscovery(hub_for(router, tmp_path)), links=[])

    assert found.github == () and found.variants == ()
    assert len(found.notes) == 2


def test_family_discover_lists_the_candidates_beside_the_resolved_family(
    cli, db_file, hub, monkeypatch
):
    monkeypatch.setattr("core.ingest.clients.Clients.hub", lambda self: hub.hub)

    result = cli("--db", str(db_file), "family", YI, "--discover")

    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "candidates for 01-ai/Yi-6B (6):"
    assert lines[1].split() == ["github", "01-ai/Yi", "0.96", "algorithm", "1", "+", "arxiv",
                                "paper", "the", "card", "links", "to", "it", "and", "it",
                                "names", "the", "model's", "owner/name"]  # fmt: skip
    assert "TheBloke/Yi-6B-GGUF" in result.out and "base_model tree (derived)" in result.out
    assert "github  01-ai/Yi" in result.out  # Algorithm 1's family, saved as before
