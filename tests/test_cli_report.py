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


def test_report_of_an_unknown_family_says_to_fetch_first(cli, db_file):
    out = cli("--db", db_file, "report", "nobody/nothing")
    assert out.code == 2 and "python -m core fetch nobody/nothing" in out.err
