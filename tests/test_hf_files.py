"""The Hub's file listing: one tree request per model, blob ids and LFS sha256, no downloads."""

import json
from datetime import UTC, datetime

import httpx
import pytest
import respx
from conftest import FIXTURES
from hf_replay import HUB, error_response, hub_for

from core.errors import SourceError

AUDIT = FIXTURES / "audit"
TREE = f"{HUB}/api/models/acme/widget-7b/tree/main"


def tree_items(name: str) -> list[dict]:
    return json.loads((AUDIT / f"hf_tree_{name}.json").read_text())


@pytest.fixture
def router():
    return respx.Router(assert_all_mocked=True)


@pytest.fixture
def hub(router, tmp_path):
    return hub_for(router, tmp_path)


def test_list_files_reads_blob_ids_and_lfs_from_one_request(router, hub):
    route = router.get(TREE, params={"recursive": "true", "expand": "false"}).mock(
        return_value=httpx.Response(200, json=tree_items("widget-7b"))
    )

    listing = hub.list_files("acme/widget-7b")

    assert route.call_count == 1 and listing.requests == 1
    assert listing.platform == "HF" and listing.repo == "acme/widget-7b"
    assert listing.revision == "main" and not listing.truncated
    files = {f.path: f for f in listing.files}
    assert "onnx" not in files  # folders are not files
    assert "onnx/model.onnx" in files
    config = files["config.json"]
    assert config.blob_id == "bba4454ef2d76e005159770466a7164527d11199"
    assert config.lfs_sha256 is None and config.size == 67
    weights = files["model.safetensors"]
    assert weights.lfs_sha256 and len(weights.lfs_sha256) == 64
    assert weights.lfs_size == 14_483_498_000
    assert weights.last_commit_at is None  # only with expand=True


def test_list_files_follows_the_cursor_link_on_big_repositories(router, hub):
    items = tree_items("widget-7b")
    nxt = f"{TREE}?recursive=true&expand=false&cursor=abc"
    router.get(nxt).mock(return_value=httpx.Response(200, json=items[5:]))
    router.get(TREE, params={"recursive": "true", "expand": "false"}).mock(
        return_value=httpx.Response(200, json=items[:5], headers={"Link": f'<{nxt}>; rel="next"'})
    )

    listing = hub.list_files("acme/widget-7b")

    assert len(listing.files) == len([i for i in items if i["type"] == "file"])
    assert listing.requests == 2


def test_list_files_with_expand_keeps_the_last_commit(router, hub):
    item = {
        "type": "file",
        "oid": "bba4454ef2d76e005159770466a7164527d11199",
        "size": 67,
        "path": "config.json",
        "lastCommit": {
            "id": "5f1e0e1c3a6f8d2b9c4a7e0d1f2a3b4c5d6e7f80",
            "title": "Update config.json",
            "date": "2024-03-01T10:00:00.000Z",
        },
        "securityFileStatus": {"status": "safe", "avScan": None, "pickleImportScan": None},
    }
    router.get(TREE, params={"recursive": "true", "expand": "true"}).mock(
        return_value=httpx.Response(200, json=[item])
    )

    (config,) = hub.list_files("acme/widget-7b", expand=True).files

    assert config.last_commit_at == datetime(2024, 3, 1, 10, 0, tzinfo=UTC)
    assert config.last_commit_id.startswith("5f1e0e1")


def test_a_gated_model_becomes_a_clear_source_error(router, hub):
    router.get(url__startswith=TREE.replace("widget-7b", "widget-70b")).mock(
        return_value=error_response("gated", "acme/widget-70b")
    )

    with pytest.raises(SourceError) as err:
        hub.list_files("acme/widget-70b")

    assert err.value.kind == "gated" and "HF_TOKEN" in str(err.value)


def test_an_unknown_model_is_not_found(router, hub):
    router.get(url__startswith=f"{HUB}/api/models/acme/nope/tree/main").mock(
        return_value=error_response("not_found")
    )

    with pytest.raises(SourceError) as err:
        hub.list_files("acme/nope")

    assert err.value.kind == "not_found"
