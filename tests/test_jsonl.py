"""`classify --format jsonl`, written in bulk, is byte for byte `json.dumps` of each result."""

import io
import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.engine import jsonl
from core.engine.analysis import analyze
from core.engine.iso_times import iso_strings

NS = st.integers(min_value=pd.Timestamp.min.value, max_value=pd.Timestamp.max.value)
family_name = st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=6)
commit = st.tuples(
    st.sampled_from(["GH", "HF"]),
    st.sampled_from(["org/a", 'o/"b"', "o/ü", "o/\\x"]),
    st.integers(min_value=-(10**9), max_value=10**9),  # seconds from 2000-01-01
    st.integers(min_value=0, max_value=10**9 - 1),  # nanoseconds
)


def frame(families: dict[str, list[tuple]]) -> pd.DataFrame:
    rows = [
        (name, platform, model if platform == "HF" else "", 946_684_800 * 10**9 + s * 10**9 + ns)
        for name, commits in families.items()
        for platform, model, s, ns in commits
    ]
    out = pd.DataFrame(rows, columns=["family", "platform", "model", "ns"])
    out["timestamp"] = pd.to_datetime(out.pop("ns"), utc=True, unit="ns")
    return out


def one_by_one(results) -> str:
    return "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in results)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.dictionaries(family_name, st.lists(commit, min_size=1, max_size=25), max_size=5))
def test_bulk_lines_equal_json_dumps_of_each_family(monkeypatch, families):
    monkeypatch.setattr(jsonl, "CHUNK", 3)  # switches cut across chunks and families
    results = analyze(frame(families))
    out = io.StringIO()
    jsonl.write_jsonl(results, out)
    assert out.getvalue() == one_by_one(results)


def test_results_from_several_analyses_can_be_written_together():
    a = analyze(frame({"a": [("GH", "", 0, 0), ("HF", "org/a", 86_400 * 3, 0)]}))
    b = analyze(frame({"b": [("HF", "org/a", 0, 0), ("GH", "", 86_400 * 12345, 0)]}))
    assert b"".join(jsonl.jsonl_pieces(a + b)).decode() == one_by_one(a + b)


@settings(max_examples=200, deadline=None)
@given(st.lists(NS, max_size=30))
def test_iso_strings_are_whole_seconds_rounded_down(values):
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    expected = [
        (epoch + timedelta(seconds=v // 10**9)).strftime("%Y-%m-%dT%H:%M:%SZ") for v in values
    ]
    assert iso_strings(np.array(values, dtype=np.int64)) == expected
