"""The labeling service: cache, corrections, export/import, and the `label` command."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest

from core import store
from core.errors import InputError
from core.labeling.labels import (
    Labeler,
    correct_label,
    export_corrections,
    import_corrections,
    label_commits,
    normalise_label,
)
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


def test_corrections_win_and_survive_relabeling(fresh_db):
    commits = frame("Update README.md", "fix bug")
    label_commits(fresh_db, commits, RulesLabeler())

    assert (
        correct_label(fresh_db, "fix  bug", "pipeline performance", note="it was a speedup")
        == "Pipeline Performance"
    )
    for _ in range(2):
        labeled, stats = label_commits(fresh_db, commits, RulesLabeler())
        assert labeled["label"].tolist() == ["External Documentation", "Pipeline Performance"]
        assert labeled["label_source"].tolist() == ["cache", "correction"]
        assert stats.n_corrected == 1
    with pytest.raises(InputError, match="not one of the 15"):
        correct_label(fresh_db, "fix bug", "Refactoring")


def test_corrections_round_trip_through_csv(fresh_db, tmp_path):
    correct_label(fresh_db, "Update config.json", "Model Structure", note="bos token fix")
    correct_label(fresh_db, "Upload `vocab.txt`", "Preprocessing")
    path = tmp_path / "corrections.csv"
    export_corrections(fresh_db).to_csv(path, index=False)

    other = store.open_db(memory=True)
    report = import_corrections(other, path)
    assert report.n_imported == 2 and report.bad_rows == []
    exported = export_corrections(other).drop(columns="corrected_at")
    assert exported.equals(export_corrections(fresh_db).drop(columns="corrected_at"))


def test_import_reports_bad_rows_and_keeps_good_ones(fresh_db, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(
        "text,label,note\nUpdate README.md,external documentation,\n"
        "fix bug,Refactoring,\n,Sharing,\n"
    )
    report = import_corrections(fresh_db, path)
    assert report.n_imported == 1
    assert [line for line, _ in report.bad_rows] == [3, 4]
    assert "Refactoring" in report.bad_rows[0][1]

    for content in (b"", b"\x00\xff\xfe garbage", b"just,some\nother,columns\n"):
        path.write_bytes(content)
        with pytest.raises(InputError):
            import_corrections(fresh_db, path)
    with pytest.raises(InputError, match="does not exist"):
        import_corrections(fresh_db, tmp_path / "missing.csv")


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
    result = cli("--db", db_file, "label", "acme/llm-7b")
    assert result.code == 0, result.err
    assert "acme/llm: 4 commits" in result.out
    line = next(x for x in result.out.splitlines() if x.startswith("External Documentation"))
    assert line.split()[-2:] == ["1", "1"]  # GH, HF
    assert "3 unique texts" in result.out

    again = cli("--db", db_file, "label", "acme/llm")
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


def test_exported_corrections_reimport_under_the_same_keys(tmp_path):
    """Export -> import round-trips even when cleaning the stored text again would change it."""
    from core import store
    from core.labeling.labels import correct_label, export_corrections, import_corrections

    source, target = store.open_db(memory=True), store.open_db(memory=True)
    raw = "Fix &lt;s&gt; token handling"  # stored cleaned as "Fix <s> token handling"
    correct_label(source, raw, "Preprocessing")
    path = tmp_path / "corrections.csv"
    export_corrections(source).to_csv(path, index=False)

    import_corrections(target, path)
    frame = pd.DataFrame({"platform": ["GH"], "text": [raw]})
    labeled, _ = label_commits(target, frame, RulesLabeler())
    assert labeled["label_source"].tolist() == ["correction"]
    assert labeled["label"].tolist() == ["Preprocessing"]


def test_a_correction_row_with_a_garbage_hash_and_no_text_is_refused():
    from core import store
    from core.labeling.labels import import_corrections

    db = store.open_db(memory=True)
    frame = pd.DataFrame({"text_hash": ["not-a-hash"], "text": [""], "label": ["Sharing"]})
    report = import_corrections(db, frame)
    assert report.n_imported == 0 and report.bad_rows == [(2, "no commit text")]
    assert db["corrections"].count == 0


def test_a_correction_made_on_a_commit_row_wins_even_when_cleaning_twice_would_differ():
    """The page corrects commits by their rows: the key must be the one labeling uses, even
    for texts whose cleaned form would change if cleaned again (HTML entities)."""
    import pandas as pd

    from core import store
    from core.labeling.labels import correct_commits, label_commits
    from core.labeling.rules import RulesLabeler

    db = store.open_db(memory=True)
    commits = pd.DataFrame(
        {
            "platform": ["GH", "HF"],
            "title": ["Escape &lt;s&gt; token", "Upload config.json"],
            "message": ["Escape &lt;s&gt; token in the prompt", ""],
        }
    )
    correct_commits(db, commits.iloc[[0]], ["Preprocessing"])
    labeled, stats = label_commits(db, commits, RulesLabeler())
    assert labeled["label"].tolist()[0] == "Preprocessing"
    assert labeled["label_source"].tolist()[0] == "correction"
    assert stats.n_corrected == 1
