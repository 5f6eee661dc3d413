"""The labeling service (stored labels, a labeler for the rest, the cache) and `label`."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest

from core import store
from core.labeling.labeler import Labeler
from core.labeling.labels import label_commits
from core.labeling.names import normalise_label
from core.labeling.rules import RulesLabeler
from core.records import CommitRecord, Family, FamilyMember


class CountingLabeler:
    """A labeler that answers from a table and remembers every text it was asked about."""

    name = "counting"
    version = "v1"

    def __init__(self, answers: dict[str, str | None]) -> None:
        self.answers = answers
        self.seen: list[str] = []

    def label(self, texts: list[str], platforms: list[str]) -> list[str | None]:
        self.seen += texts
        return [self.answers.get(t, "Model Structure") for t in texts]


def frame(*texts: str, platform: str = "GH") -> pd.DataFrame:
    return pd.DataFrame({"platform": platform, "text": list(texts)})


def test_identical_texts_are_labeled_once_and_cached(fresh_db):
    labeler = CountingLabeler({"Update README.md": "External Documentation"})
    assert isinstance(labeler, Labeler)
    commits = frame("Update README.md", "fix bug", "Update README.md", "  Update   README.md ")

    labeled, stats = label_commits(fresh_db, commits, labeler)

    assert labeler.seen == ["Update README.md", "fix bug"]  # cleaned duplicates collapse
    assert labeled["label"].tolist() == [
        "External Documentation",
        "Model Structure",
        "External Documentation",
        "External Documentation",
    ]
    assert set(labeled["label_source"]) == {"counting"}
    assert (stats.n_rows, stats.n_unique, stats.n_new, stats.n_cached) == (4, 2, 2, 0)

    again = CountingLabeler({})
    labeled2, stats2 = label_commits(fresh_db, commits, again)
    assert again.seen == []
    assert labeled2["label"].tolist() == labeled["label"].tolist()
    assert set(labeled2["label_source"]) == {"cache"} and stats2.n_cached == 2


def test_unlabeled_texts_are_not_cached_and_are_retried(fresh_db):
    labeled, stats = label_commits(fresh_db, frame("???"), CountingLabeler({"???": None}))
    assert labeled["label"].tolist() == [None] and labeled["label_source"].tolist() == [None]
    assert stats.n_unlabeled == 1
    retry = CountingLabeler({"???": "Sharing"})
    labeled, _ = label_commits(fresh_db, frame("???"), retry)
    assert retry.seen == ["???"] and labeled["label"].tolist() == ["Sharing"]


def test_labels_outside_the_taxonomy_never_reach_the_frame(fresh_db):
    labeled, _ = label_commits(
        fresh_db,
        frame("a", "b", "c"),
        CountingLabeler({"a": "bug fix", "b": "HACKED", "c": "sharing"}),
    )
    assert labeled["label"].tolist() == ["Model Structure", None, "Sharing"]


def test_normalise_label_repairs_case_spacing_and_the_papers_mistakes():
    assert normalise_label(" model_structure ") == "Model Structure"
    assert normalise_label("EXTERNAL DOCUMENTATION") == "External Documentation"
    assert normalise_label("bug fix") == normalise_label("add model") == "Model Structure"
    assert normalise_label("refactoring") is None and normalise_label(None) is None


def test_hf_title_and_message_are_joined_like_the_store_text(fresh_db):
    commits = pd.DataFrame(
        {
            "platform": ["HF", "GH"],
            "title": ["Upload tokenizer.json", "ignored title"],
            "message": ["", "Update README.md"],
        }
    )
    labeled, _ = label_commits(fresh_db, commits, RulesLabeler())
    assert labeled["label"].tolist() == ["Preprocessing", "External Documentation"]


def _cached_family(db) -> Family:
    when = datetime(2024, 1, 2, tzinfo=UTC)
    records = [
        CommitRecord(
            platform="GH",
            repo="acme/llm",
            sha="a1",
            authored_at=when,
            committed_at=when,
            title="Update README.md",
            message="Update README.md",
        ),
        CommitRecord(
            platform="GH",
            repo="acme/llm",
            sha="a2",
            authored_at=when,
            committed_at=when,
            title="fix attention mask",
            message="fix attention mask",
        ),
        CommitRecord(
            platform="HF",
            repo="acme/llm-7b",
            sha="b1",
            authored_at=when,
            committed_at=when,
            title="Upload tokenizer.json",
            message="",
        ),
        CommitRecord(
            platform="HF",
            repo="acme/llm-7b",
            sha="b2",
            authored_at=when,
            committed_at=when,
            title="Update README.md",
            message="",
        ),
    ]
    store.save_commits(db, records)
    family = Family(
        name="acme/llm", github_repo="acme/llm", members=(FamilyMember("acme/llm-7b", "user", ""),)
    )
    store.save_family(db, family)
    return family


def test_a_cached_family_is_labeled(fresh_db):
    family = _cached_family(fresh_db)
    labeled, stats = label_commits(fresh_db, store.family_commits(fresh_db, family), RulesLabeler())
    assert stats.n_unique == 3  # "Update README.md" appears on both platforms
    by_sha = dict(zip(labeled["sha"], labeled["label"], strict=True))
    assert by_sha == {
        "a1": "External Documentation",
        "a2": "Model Structure",
        "b1": "Preprocessing",
        "b2": "External Documentation",
    }


def test_the_platform_is_part_of_the_key(fresh_db):
    """The rules answer "add files" by platform; each platform keeps its own cached label."""
    both = pd.DataFrame({"platform": ["HF", "GH"], "text": ["add files", "add files"]})
    labeled, stats = label_commits(fresh_db, both, RulesLabeler())
    assert labeled["label"].tolist() == ["Model Structure", "Project Metadata"]
    assert (stats.n_unique, stats.n_new) == (1, 1)  # one text, counted once
    again, stats = label_commits(fresh_db, both.iloc[::-1], RulesLabeler())
    assert again["label"].tolist() == ["Project Metadata", "Model Structure"]
    assert set(again["label_source"]) == {"cache"} and stats.n_cached == 1


def test_a_row_without_a_platform_is_found_in_the_cache_the_second_time(fresh_db):
    rows = pd.DataFrame({"platform": ["", "GH"], "text": ["Update README.md", "fix bug"]})
    first, _ = label_commits(fresh_db, rows, RulesLabeler())
    again, stats = label_commits(fresh_db, rows, RulesLabeler())
    assert again["label"].tolist() == first["label"].tolist()
    assert stats.n_cached == 2 and set(again["label_source"]) == {"cache"}


def test_labels_cached_before_the_platform_key_still_count(tmp_path):
    """A cache from before: labels without a platform stand for both (no paid label is
    lost), and commits get their text key once, when the cache is opened."""
    import sqlite3

    from core.labeling.text import commit_text, text_hash

    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    old.execute(
        "CREATE TABLE labels (text_hash TEXT, labeler TEXT, prompt_version TEXT, label TEXT, "
        "created_at TEXT, PRIMARY KEY (text_hash, labeler, prompt_version))"
    )
    old.execute(
        "CREATE TABLE commits (platform TEXT, repo TEXT, sha TEXT, authored_at TEXT, "
        "committed_at TEXT, author_name TEXT, author_email TEXT, author_login TEXT, "
        "authors TEXT, title TEXT, message TEXT, text TEXT, run_id INTEGER, "
        "PRIMARY KEY (platform, repo, sha))"
    )
    key = text_hash(commit_text("HF", "Upload weights", ""))
    old.execute("INSERT INTO labels VALUES (?, 'claude', 'v1', 'Output Data', 'x')", [key])
    old.execute(
        "INSERT INTO commits (platform, repo, sha, authored_at, title, message) "
        "VALUES ('HF', 'acme/m', 'h1', '2024-01-02T00:00:00.000000Z', 'Upload weights', '')"
    )
    old.commit()
    old.close()

    db = store.open_db(path)
    assert db.execute("SELECT text_hash FROM commits").fetchone()[0] == key
    family = Family("acme", None, (FamilyMember("acme/m", "user", ""),))
    store.save_family(db, family)
    claude = CountingLabeler({})
    claude.name, claude.version = "claude", "v1"
    labeled, _ = label_commits(db, store.family_commits(db, family), claude)
    assert labeled["label"].tolist() == ["Output Data"] and claude.seen == []
    gh = pd.DataFrame({"platform": ["GH"], "text": ["Upload weights"]})
    assert label_commits(db, gh, claude)[0]["label_source"].tolist() == ["cache"]


def test_cached_commits_are_looked_up_without_cleaning_their_text(fresh_db, monkeypatch):
    family = _cached_family(fresh_db)
    commits = store.family_commits(fresh_db, family)
    label_commits(fresh_db, commits, RulesLabeler())

    def no_cleaning(*_args, **_kwargs):
        raise AssertionError("a cached commit's text was cleaned again")

    monkeypatch.setattr("core.labeling.text.clean_text", no_cleaning)
    monkeypatch.setattr("core.labeling.frame.text_key", no_cleaning)
    labeled, stats = label_commits(fresh_db, commits, RulesLabeler())
    assert stats.n_cached == 3 and labeled["label"].notna().all()


def test_a_family_read_without_details_is_labeled_from_the_stored_texts(fresh_db):
    """`family_commits(details=False)` skips texts and e-mails; what must be labeled is read back."""
    family = _cached_family(fresh_db)
    lean = store.family_commits(fresh_db, family, details=False)
    assert not set(store.DETAIL_FIELDS) & set(lean.columns)
    labeled, stats = label_commits(fresh_db, lean, RulesLabeler())
    assert stats.n_new == 3
    assert dict(zip(labeled["sha"], labeled["label"], strict=True)) == {
        "a1": "External Documentation",
        "a2": "Model Structure",
        "b1": "Preprocessing",
        "b2": "External Documentation",
    }


@pytest.mark.parametrize("scan_share", [0, 10**9], ids=["looked-up-by-hash", "read-whole"])
def test_cached_labels_are_the_same_whichever_way_the_table_is_read(
    fresh_db, monkeypatch, scan_share
):
    family = _cached_family(fresh_db)
    commits = store.family_commits(fresh_db, family)
    first, _ = label_commits(fresh_db, commits, RulesLabeler())
    monkeypatch.setattr("core.store.labels.SCAN_SHARE", scan_share)
    again, stats = label_commits(fresh_db, commits, RulesLabeler())
    assert stats.n_cached == 3 and again["label"].tolist() == first["label"].tolist()


def test_texts_read_back_follow_the_rows_whatever_their_index(fresh_db):
    family = _cached_family(fresh_db)
    lean = store.family_commits(fresh_db, family, details=False)
    lean = lean[lean["sha"].isin(["a1", "a2"])].set_axis([7, 7])  # a repeated index label
    labeled, _ = label_commits(fresh_db, lean, RulesLabeler())
    assert dict(zip(labeled["sha"], labeled["label"], strict=True)) == {
        "a1": "External Documentation",
        "a2": "Model Structure",
    }


def test_a_commit_without_text_that_the_cache_lacks_is_an_input_error(fresh_db):
    from core.errors import InputError

    rows = pd.DataFrame(
        {"platform": ["GH"], "repo": ["acme/llm"], "sha": ["nowhere"], "text_hash": ["0" * 32]}
    )
    with pytest.raises(InputError, match="nowhere"):
        label_commits(fresh_db, rows, RulesLabeler())


def test_a_cache_without_text_hashes_is_read_with_its_texts(fresh_db):
    """Rows saved before `text_hash` existed: the lean read falls back to the texts."""
    family = _cached_family(fresh_db)
    fresh_db.execute("UPDATE commits SET text_hash = NULL WHERE sha = 'a1'")
    frame = store.family_commits(fresh_db, family, details=False)
    labeled, _ = label_commits(fresh_db, frame, RulesLabeler())
    assert labeled.set_index("sha").at["a1", "label"] == "External Documentation"


@pytest.mark.parametrize("scan_share", [0, 10**9], ids=["looked-up-by-hash", "read-whole"])
def test_the_latest_label_breaks_ties_alike_on_both_read_plans(fresh_db, monkeypatch, scan_share):
    from core.labeling.labels import stored_labels
    from core.labeling.text import text_key

    key = text_key("fix bug")
    fresh_db.conn.executemany(
        "INSERT INTO labels (text_hash, platform, labeler, prompt_version, label, created_at) "
        "VALUES (?, 'GH', ?, 'v1', ?, '2026-01-01T00:00:00.000000Z')",
        [(key, "zeta", "Training Infrastructure"), (key, "alpha", "Model Structure")],
    )
    monkeypatch.setattr("core.store.labels.SCAN_SHARE", scan_share)
    stored = stored_labels(fresh_db, frame("fix bug"))
    assert stored["label"].tolist() == ["Training Infrastructure"]  # the later in key order


def test_a_csv_text_hash_column_counts_only_where_it_is_a_key(fresh_db):
    from core.labeling.text import text_key

    rows = pd.DataFrame({"text": ["Update README.md", "fix bug"], "text_hash": ["", "not-a-key"]})
    labeled, _ = label_commits(fresh_db, rows, RulesLabeler())
    assert labeled["label"].tolist() == ["External Documentation", "Model Structure"]
    keys = {r[0] for r in fresh_db.execute("SELECT text_hash FROM labels")}
    assert keys == {text_key("Update README.md"), text_key("fix bug")}


def test_stored_labels_ask_no_labeler(fresh_db):
    """A correction wins; else the latest label of any labeler; else None."""
    from core.labeling.corrections import correct_label
    from core.labeling.labels import stored_labels

    texts = frame("fix bug", "Update README.md", "never labeled")
    label_commits(fresh_db, texts.iloc[:2], CountingLabeler({"fix bug": "Sharing"}))
    correct_label(fresh_db, "Update README.md", "Input Data")
    stored = stored_labels(fresh_db, texts)
    assert stored["label"].tolist() == ["Sharing", "Input Data", None]
    assert stored["label_source"].tolist() == ["cache", "correction", None]


@pytest.mark.parametrize("scan_share", [0, 10**9], ids=["looked-up-by-hash", "read-whole"])
def test_corrections_are_found_whichever_way_their_table_is_read(fresh_db, monkeypatch, scan_share):
    from core.labeling.corrections import correct_label
    from core.labeling.labels import stored_labels

    correct_label(fresh_db, "Update README.md", "Input Data")
    correct_label(fresh_db, "elsewhere", "Sharing")  # a correction the frame does not ask for
    monkeypatch.setattr("core.store.labels.SCAN_SHARE", scan_share)
    stored = stored_labels(fresh_db, frame("fix bug", "Update README.md"))
    assert stored["label"].tolist() == [None, "Input Data"]


def test_a_confident_labelers_confidence_is_cached(fresh_db):
    """The shape a learned labeler (issue 16) fits: (label, confidence) per text."""
    from core.labeling.labeler import ConfidentLabeler

    class Sure:
        name, version = "learned", "m1"

        def label(self, texts, platforms):
            return [lb for lb, _ in self.label_with_confidence(texts, platforms)]

        def label_with_confidence(self, texts, platforms):
            return [("Sharing", 0.75) for _ in texts]

    assert isinstance(Sure(), ConfidentLabeler)
    labeled, _ = label_commits(fresh_db, frame("merge main"), Sure())
    assert labeled["label"].tolist() == ["Sharing"]
    assert fresh_db.execute("SELECT platform, confidence FROM labels").fetchall() == [("GH", 0.75)]


def test_an_offline_labeler_gets_every_text_in_one_call(fresh_db):
    calls = []

    class Recording(CountingLabeler):
        def label(self, texts, platforms):
            calls.append(len(texts))
            return super().label(texts, platforms)

    label_commits(fresh_db, frame(*(f"text {i}" for i in range(2500))), Recording({}))
    assert calls == [2500]


# --- the `label` command ----------------------------------------------------------------


def test_cli_labels_a_csv(cli, tmp_path):
    src = tmp_path / "in.csv"
    pd.DataFrame(
        {
            "platform": ["HF", "GH"],
            "text": ["Create README.md", "bump torch to 2.1"],
            "extra": [1, 2],
        }
    ).to_csv(src, index=False)
    out = tmp_path / "out.csv"
    result = cli("--db", tmp_path / "c.db", "label", src, "--output", out)

    assert result.code == 0, result.err
    labeled = pd.read_csv(out)
    assert labeled.columns.tolist() == ["platform", "text", "extra", "label", "label_source"]
    assert labeled["label"].tolist() == ["External Documentation", "Update Dependency"]
    assert "2 newly labeled" in result.err


def test_cli_labels_title_and_message_columns_to_stdout(cli, tmp_path):
    src = tmp_path / "hf.csv"
    src.write_text('title,message\n"Adding `safetensors` variant of this model (#1)",""\n')
    result = cli("--db", tmp_path / "c.db", "label", src)
    assert result.code == 0
    assert "Output Data" in result.out


@pytest.mark.parametrize("content", [b"", b"\x89PNG\r\n\x1a\n\x00\x00", b"a,b\n1,2\n"])
def test_cli_refuses_garbage_csv_with_exit_2(cli, tmp_path, content):
    src = tmp_path / "bad.csv"
    src.write_bytes(content)
    result = cli("--db", tmp_path / "c.db", "label", src)
    assert result.code == 2
    assert result.err.startswith("error: ") and "Traceback" not in result.err


def test_cli_labels_a_cached_family_and_prints_counts(cli, db_file):
    db = store.open_db(db_file)
    _cached_family(db)
    db.close()
    result = cli("--db", db_file, "label", "acme/llm-7b", "--labeler", "rules")
    assert result.code == 0, result.err
    assert "acme/llm: 4 commits" in result.out
    line = next(x for x in result.out.splitlines() if x.startswith("External Documentation"))
    assert line.split()[-2:] == ["1", "1"]  # GH, HF
    assert "3 unique texts" in result.out

    again = cli("--db", db_file, "label", "acme/llm", "--labeler", "rules")
    assert "3 cached, 0 newly labeled" in again.out


def test_cli_unknown_family_is_a_clear_error(cli, tmp_path):
    result = cli("--db", tmp_path / "c.db", "label", "nobody/nothing")
    assert result.code == 2
    assert "python -m core fetch nobody/nothing" in result.err


def test_cli_output_path_that_cannot_be_written_exits_2(cli, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("platform,text\nHF,Update README.md\n")
    result = cli("--db", tmp_path / "c.db", "label", src, "--output", tmp_path)
    assert result.code == 2 and result.out == ""
    assert "Cannot write" in result.err and "Traceback" not in result.err


@pytest.mark.parametrize(
    "source, words",
    [
        ("acme/nowhere", "python -m core fetch acme/nowhere"),
        ("Qwen_Qwen", "by a model id or repository (org/name)"),  # never a fetch it refuses
    ],
)
def test_cli_label_of_an_unknown_family_says_what_to_give(cli, db_file, source, words):
    result = cli("--db", db_file, "label", source)
    assert result.code == 2 and words in result.err


def test_cli_label_says_how_many_rows_had_no_text_to_label(cli, db_file, tmp_path):
    path = tmp_path / "texts.csv"
    path.write_text("platform,text\nGH,`standard-g`\nGH,\nHF,Upload config.json\n")
    result = cli("--db", db_file, "label", path, "--labeler", "rules")
    assert result.code == 0
    assert "1 unique texts" in result.err
    assert "2 row(s) have no text to label: empty, or only code in backticks" in result.err
