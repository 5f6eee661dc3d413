"""Content keys, tree diffs and the links Hub commit messages state, on small hand-built frames."""

from __future__ import annotations

import pandas as pd

from core.propagation.content import EMPTY_BLOB, NEVER, content_keys, file_versions, pointer_blob
from core.propagation.hubtrees import tree_changes
from core.propagation.links import message_links, sync_bot
from core.propagation.records import FileChange

SHA256 = "a" * 64


def changes(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows,
        columns=["platform", "repo", "sha", "time", "path", "change", "blob_id", "lfs_sha256"],
    )
    frame["time"] = pd.to_datetime(frame["time"], utc=True)
    frame["lfs_size"] = [1000 if s else None for s in frame["lfs_sha256"]]
    return frame


def test_an_lfs_pointer_and_the_hubs_sha256_share_one_content_key():
    frame = changes(
        [
            ("GH", "o/r", "g1", "2024-01-01", "w.bin", "A", pointer_blob(SHA256, 1000), None),
            ("HF", "o/m", "h1", "2024-01-02", "w.bin", "A", "f" * 40, SHA256),
            ("HF", "o/m", "h2", "2024-01-03", "w.bin", "D", None, None),
        ]
    )
    keys = content_keys(frame)
    assert keys[0] == keys[1] == f"lfs:{SHA256}"
    assert keys[2] is None or pd.isna(keys[2])


def test_a_version_ends_when_no_path_holds_it_and_empty_files_are_left_out():
    frame = changes(
        [
            ("GH", "o/r", "g1", "2024-01-01", "a.json", "A", "1" * 40, None),
            ("GH", "o/r", "g1", "2024-01-01", "b.json", "A", "1" * 40, None),
            ("GH", "o/r", "g1", "2024-01-01", "LICENSE", "A", EMPTY_BLOB, None),
            ("GH", "o/r", "g2", "2024-02-01", "a.json", "M", "2" * 40, None),
            ("GH", "o/r", "g3", "2024-03-01", "b.json", "D", None, None),
        ]
    )
    versions = file_versions(frame.assign(key=content_keys(frame))).set_index("key")
    assert set(versions.index) == {"1" * 40, "2" * 40}
    assert versions.loc["1" * 40, "end"] == pd.Timestamp("2024-03-01", tz="UTC")
    assert versions.loc["2" * 40, "end"] == NEVER


def test_tree_changes_are_what_differs_between_two_listings():
    old = {"a": ("1", None, None), "b": ("2", None, None)}
    new = {"a": ("1", None, None), "b": ("3", None, None), "c": ("4", "x" * 64, 9)}
    assert tree_changes("s", old, new) == [
        FileChange("s", "b", "M", "3", None, None),
        FileChange("s", "c", "A", "4", "x" * 64, 9),
    ]
    assert tree_changes("s", new, {}) == [FileChange("s", p, "D", None) for p in ("a", "b", "c")]


def commits(hf_title: str, hf_message: str = "") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "platform": ["GH", "GH", "HF"],
            "repo": ["01-ai/Yi", "01-ai/Yi", "01-ai/Yi-6B"],
            "sha": ["3e0c4f1" + "0" * 33, "3e0c4f2" + "1" * 33, "h" * 40],
            "timestamp": pd.to_datetime(
                ["2024-01-01T00:00Z", "2024-01-02T00:00Z", "2024-01-03T12:00Z"], utc=True
            ),
            "title": ["a", "b", hf_title],
            "message": ["", "", hf_message],
        }
    )


def test_a_hub_message_naming_a_github_commit_url_is_a_link():
    title = "Auto Sync from git://github.com/01-ai/Yi.git/commit/3e0c4f2" + "1" * 33
    links = message_links(commits(title))
    assert list(links["source_sha"]) == ["3e0c4f2" + "1" * 33]
    assert links["delay_hours"].tolist() == [36.0]


def test_a_short_sha_counts_only_when_it_names_exactly_one_cached_commit():
    assert len(message_links(commits("sync with 3e0c4f2"))) == 1
    assert message_links(commits("sync with 3e0c4f")).empty  # too short
    assert message_links(commits("see 3e0c4f1a and deadbeef0")).empty  # no such commits


def test_known_sync_bots_are_recognised():
    assert sync_bot("Sync from 01-ai/Yi via hub-sync") == "hub-sync"
    assert sync_bot("Synced repo using 'sync_with_huggingface' Github Action") == (
        "sync_with_huggingface"
    )
    assert sync_bot("Auto Sync from git://github.com/01-ai/Yi.git/commit/abc") == "auto-sync"
    assert sync_bot("Upload folder using huggingface_hub") is None
