"""Issue 11, failure 4: CSV formula injection in every CSV the project writes.

Before: commit exports (CLI `export`, the app's downloads) wrote cells beginning with `=`,
`+`, `-`, `@` or a tab as they came, and a spreadsheet runs them. Here a family whose commit
titles, messages and authors are formulas goes through every CSV writer; no cell may start
a formula, and the JSON export still carries every value as fetched.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import store
from core.csvsafe import FORMULA_START, csv_text, safe_cell, safe_frame, write_rows
from core.records import CommitRecord, Family, FamilyMember
from core.report.commit_table import export_csv

pytestmark = pytest.mark.hardening

FORMULAS = [
    '=HYPERLINK("https://evil.example","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
FAMILY = Family("acme/tool", "acme/tool", (FamilyMember("acme/tool-7b", "card"),))


def formula_cells(text: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(text)))
    return [cell for row in rows for cell in row if cell.startswith(FORMULA_START)]


@pytest.fixture
def hostile_family(db_file):
    db = store.open_db(db_file)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for platform, repo in (("HF", "acme/tool-7b"), ("GH", "acme/tool")):
        records = [
            CommitRecord(
                platform,
                repo,
                f"{platform}{i:038d}",
                start + timedelta(days=i),
                title=text,
                message=f"{text}\n\nbody",
                author_name=text,
                authors=(text,),
            )
            for i, text in enumerate(FORMULAS)
        ]
        run = store.start_run(db, platform, repo, "test")
        store.complete_fetch(db, run, platform, repo, records)
    store.save_family(db, FAMILY)
    yield db
    db.close()


def test_cli_export_csv_has_no_formula_cell_and_json_keeps_the_raw_values(
    cli, db_file, hostile_family, tmp_path
):
    to_stdout = cli("--db", db_file, "export", "acme/tool")
    out = tmp_path / "commits.csv"
    to_file = cli("--db", db_file, "export", "acme/tool", "--output", out)
    as_json = cli("--db", db_file, "export", "acme/tool", "--format", "json")

    assert to_stdout.code == to_file.code == as_json.code == 0
    assert formula_cells(to_stdout.out) == [] and formula_cells(out.read_text()) == []
    rows = list(csv.DictReader(io.StringIO(to_stdout.out)))
    assert {r["title"] for r in rows} == {"'" + f for f in FORMULAS}
    raw = json.loads(as_json.out)
    assert {r["title"] for r in raw} == set(FORMULAS)  # JSON: exactly as fetched


def test_labeled_csv_output_has_no_formula_cell(cli, db_file, tmp_path):
    source = tmp_path / "in.csv"
    pd.DataFrame({"platform": "GH", "title": FORMULAS, "message": FORMULAS, "=x": 1}).to_csv(
        source, index=False
    )
    result = cli("--db", db_file, "label", source)
    assert result.code == 0, result.err
    assert formula_cells(result.out) == []


def test_classify_csv_output_has_no_formula_cell(cli, tmp_path):
    source = tmp_path / "in.csv"
    days = pd.date_range("2023-01-01", periods=6, freq="30D", tz="UTC")
    rows = [
        {"family": "=evil()", "platform": p, "model": "a/b" if p == "HF" else "", "date": d}
        for d in days
        for p in ("GH", "HF")
    ]
    pd.DataFrame(rows).to_csv(source, index=False)
    result = cli("classify", source, "--format", "csv")
    assert result.code == 0, result.err
    assert formula_cells(result.out) == [] and "'=evil()" in result.out


def test_the_apps_downloads_have_no_formula_cell(hostile_family):
    commits = store.family_commits(hostile_family, FAMILY)
    assert formula_cells(export_csv(commits)) == []  # the Family page's commit download
    table = pd.DataFrame({"family": FORMULAS, "n": range(len(FORMULAS))})
    assert formula_cells(csv_text(table)) == []  # the Corpus page's table downloads


def test_safe_cell_follows_owasp():
    assert [safe_cell(f)[0] for f in FORMULAS] == ["'"] * len(FORMULAS)
    assert safe_cell("Update README.md") == "Update README.md"
    assert safe_cell(-3) == -3 and safe_cell(None) is None
    frame = safe_frame(pd.DataFrame({"=a": ["=1", "ok"], "n": [-1, 2]}))
    assert list(frame.columns) == ["'=a", "n"] and frame["n"].tolist() == [-1, 2]
    out = io.StringIO()
    write_rows(out, ["a"], [{"a": "@x"}])
    assert out.getvalue().splitlines() == ["a", "'@x"]


@given(
    st.lists(
        st.one_of(
            st.none(),
            st.text(alphabet="=+-@\t\r ab1", max_size=4),
            st.integers(-5, 5),
            st.floats(allow_nan=True, allow_infinity=False, width=16),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_a_whole_column_is_made_safe_as_each_cell_would_be(cells):
    """The column-wise check (text columns at once) says what `safe_cell` says of each cell,
    whatever the column holds: text, gaps, numbers among text, only numbers."""
    for column in (pd.Series(cells, dtype=object), pd.Series(cells)):
        expected = [safe_cell(v) for v in column]
        got = safe_frame(pd.DataFrame({"c": column}))["c"].tolist()
        assert [_same(a, b) for a, b in zip(got, expected, strict=True)] == [True] * len(got)
    text = [c for c in cells if isinstance(c, str)]
    column = pd.Series(text, dtype="string")
    got = safe_frame(pd.DataFrame({"c": column}))["c"].tolist()
    assert got == [safe_cell(v) for v in text]


def _same(a, b) -> bool:
    missing = pd.isna(a) and pd.isna(b) if not isinstance(a, str) else False
    return missing or a == b
