"""The user's corrections: they win over every labeler, and round-trip through CSV."""

from __future__ import annotations

import pandas as pd
import pytest

from core import store
from core.errors import InputError
from core.labeling.corrections import (
    correct_commits,
    correct_label,
    export_corrections,
    import_corrections,
)
from core.labeling.labels import label_commits
from core.labeling.rules import RulesLabeler


def frame(*texts: str, platform: str = "GH") -> pd.DataFrame:
    return pd.DataFrame({"platform": platform, "text": list(texts)})


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


def test_exported_corrections_reimport_under_the_same_keys(tmp_path):
    """Export -> import round-trips even when cleaning the stored text again would change it."""
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
    db = store.open_db(memory=True)
    frame = pd.DataFrame({"text_hash": ["not-a-hash"], "text": [""], "label": ["Sharing"]})
    report = import_corrections(db, frame)
    assert report.n_imported == 0 and report.bad_rows == [(2, "no commit text")]
    assert db["corrections"].count == 0


def test_a_correction_made_on_a_commit_row_wins_even_when_cleaning_twice_would_differ():
    """The page corrects commits by their rows: the key must be the one labeling uses, even
    for texts whose cleaned form would change if cleaned again (HTML entities)."""
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
