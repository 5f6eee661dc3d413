"""`python -m core report TARGET` prints what the family page shows, offline from the cache."""

import json

from seed import seed

from core import store


def test_report_json_and_text_for_a_cached_family(cli, db_file, shared):
    db = store.open_db(db_file)
    seed(db, "Qwen_Qwen", shared)
    db.close()
    out = cli("--db", db_file, "report", "Qwen/Qwen-7B", "--format", "json")
    assert out.code == 0, out.err
    data = json.loads(out.out)
    assert data["pattern_card"]["headline"] == "Disperse — sporadic partial synchronization"
    assert data["analysis"]["lag"] == "GH First"
    assert data["delays"]["n_switches"] == len(data["analysis"]["switches"])
    assert {v["model_id"] for v in data["variants"]} >= {"Qwen/Qwen-7B", "Qwen/Qwen-72B"}
    assert 0 <= data["similarity"] <= 1
    text = cli("--db", db_file, "report", "github.com/QwenLM/Qwen").out
    assert "Disperse — sporadic partial synchronization" in text and "Lag GH First" in text


def test_report_puts_the_papers_labels_beside_synclens(cli, db_file, shared):
    """Qwen is in the paper's corpus (shipped copy: no import needed). The seeded HF side has
    only the paper's switch days, so intensity differs and the reason says so."""
    db = store.open_db(db_file)
    seed(db, "Qwen_Qwen", shared)
    db.close()
    data = json.loads(cli("--db", db_file, "report", "Qwen/Qwen-7B", "--format", "json").out)
    paper = data["paper"]
    assert paper["family"] == "Qwen_Qwen" and paper["matched_by"] == "HF variants"
    assert (paper["pattern"], paper["intensity"]) == ("Dense Partial", "F")
    assert (paper["synclens"]["pattern"], paper["synclens"]["intensity"]) == ("Disperse", "S")
    assert paper["differs"] == ["pattern", "intensity"] and not paper["agrees"]
    assert "between its switches" in paper["reason"]
    assert paper["paper_view"]["agrees"] is False
    assert data["fetched_at"] is not None
    text = cli("--db", db_file, "report", "Qwen/Qwen-7B").out
    assert "paper: Dense Partial (PS, F, GH First) as Qwen_Qwen (matched by HF variants)" in text
    assert "differs in pattern, intensity." in text and "the gap remains" in text
    view = json.loads(
        cli("--db", db_file, "report", "Qwen/Qwen-7B", "--format", "json", "--paper-view").out
    )
    assert view["paper_view"] is True and view["paper"]["synclens_in_paper_view"] is True
    assert view["paper"]["paper_view"] is None


def test_a_family_the_paper_did_not_study_has_no_paper_key_value(cli, db_file):
    from datetime import UTC, datetime

    from core.records import CommitRecord, Family

    db = store.open_db(db_file)
    store.save_family(db, Family("someone/new-thing", "someone/new-thing"))
    when = datetime(2024, 5, 1, tzinfo=UTC)
    store.save_commits(db, [CommitRecord("GH", "someone/new-thing", "a" * 40, when, "init")])
    db.close()
    data = json.loads(cli("--db", db_file, "report", "someone/new-thing", "--format", "json").out)
    assert data["paper"] is None


def test_report_of_an_unknown_family_says_to_fetch_first(cli, db_file):
    out = cli("--db", db_file, "report", "nobody/nothing")
    assert out.code == 2 and "python -m core fetch nobody/nothing" in out.err


def test_a_report_read_without_details_says_the_same(db_file, shared):
    """`report` reads no commit text or e-mail (labels come by hash); nothing it prints changes."""
    from core.labeling.rules import RulesLabeler
    from core.report.family import build_report

    db = store.open_db(db_file)
    seed(db, "Qwen_Qwen", shared)
    family = store.load_family(db, "QwenLM/Qwen")
    with_texts = build_report(db, family, labeler=RulesLabeler()).to_dict()  # labels now cached
    without = build_report(db, family, labeler=RulesLabeler(), details=False).to_dict()
    assert without == with_texts and with_texts["label_shares"]
