"""The `python -m core classify` contract that other tools depend on."""

import json

import pytest

from core.ingest.commit_csv import BLOCK_BYTES

CSV = """family,platform,model,date,extra
b,HF,org/m1,2024-01-20T10:00:00+02:00,x
b,gh,,2024-01-01,y
a,GH,,2024-03-01T00:00:00Z,
a,HF,org/solo,2024-03-02T00:00:00Z,
a,HF,org/solo,2024-05-02T00:00:00Z,
c,GH,,2024-01-01T00:00:00Z,
"""

KEYS = [
    "family",
    "lag",
    "sync_type",
    "intensity",
    "pattern",
    "n_gh_commits",
    "n_hf_commits",
    "n_variants",
    "n_periods",
    "co_active_periods",
    "switches",
    "mean_switch_days",
    "explanation",
]


@pytest.fixture
def input_csv(tmp_path):
    path = tmp_path / "commits.csv"
    path.write_text(CSV)
    return path


def test_jsonl_has_one_object_per_family_in_family_order(cli, input_csv):
    result = cli("classify", input_csv)
    assert result.code == 0, result.err
    rows = [json.loads(line) for line in result.out.splitlines()]
    assert [r["family"] for r in rows] == ["a", "b", "c"]
    for r in rows:
        assert list(r)[: len(KEYS)] == KEYS
    a = rows[0]
    assert (a["lag"], a["sync_type"], a["intensity"], a["pattern"]) == (
        "Simultaneous",
        "PS",
        "R",
        "Sparse",
    )
    assert a["switches"][0] == {
        "source": "GH",
        "target": "HF",
        "prev": "2024-03-01T00:00:00Z",
        "next": "2024-03-02T00:00:00Z",
        "days": 1,
    }
    assert isinstance(a["mean_switch_days"], float | int)
    assert rows[2]["pattern"] is None and "only GitHub" in rows[2]["reason"]


def test_without_family_column_the_file_is_one_family(cli, tmp_path):
    path = tmp_path / "yi.csv"
    path.write_text("platform,model,date\nGH,,2024-01-01\nHF,01-ai/Yi-6B,2024-01-03T08:00:00Z\n")
    rows = [json.loads(x) for x in cli("classify", path).out.splitlines()]
    assert len(rows) == 1 and rows[0]["pattern"] == "Rare"


@pytest.mark.parametrize(
    "bad_row, problem",
    [
        ("a,XX,,2024-01-01", "platform 'XX' is neither GH nor HF"),
        ("a,GH,,yesterday", "date 'yesterday' is not an ISO 8601 timestamp"),
        ("a,HF,,2024-01-01", "HF row without a model id"),
    ],
)
def test_a_bad_row_exits_2_naming_its_line_with_nothing_on_stdout(cli, tmp_path, bad_row, problem):
    path = tmp_path / "bad.csv"
    path.write_text(f"family,platform,model,date\na,GH,,2024-01-01\n{bad_row}\n")
    result = cli("classify", path)
    assert result.code == 2 and result.out == ""
    assert f"line 3: {problem}" in result.err


def test_line_numbers_count_quoted_newlines(cli, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text('platform,model,date,message\nGH,,2024-01-01,"two\nlines"\nZZ,,2024-01-01,x\n')
    assert "line 4:" in cli("classify", path).err


def test_skip_bad_rows_reports_the_count_on_stderr(cli, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "family,platform,model,date\na,GH,,2024-01-01\na,HF,o/m,nope\na,XX,,2024\n"
        "a,HF,o/m,2024-01-02\n"
    )
    result = cli("classify", path, "--skip-bad-rows")
    assert result.code == 0 and "skipped 2 bad row(s)" in result.err
    assert json.loads(result.out)["n_hf_commits"] == 1


def test_missing_columns_and_missing_files_are_clear(cli, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("when,where\n1,2\n")
    assert "missing column(s) platform, date" in cli("classify", path).err
    assert "no such file" in cli("classify", tmp_path / "nope.csv").err


def test_garbage_bytes_do_not_crash(cli, tmp_path):
    path = tmp_path / "junk.csv"
    path.write_bytes(b"\xff\xfe\x00garbage\x00\x01")
    result = cli("classify", path)
    assert result.code == 2 and result.out == ""


def test_csv_and_table_formats(cli, input_csv):
    csv_out = cli("classify", input_csv, "--format", "csv").out.splitlines()
    assert csv_out[0].startswith("family,lag,sync_type,intensity,pattern")
    assert len(csv_out) == 4
    table = cli("classify", input_csv, "--format", "table").out
    assert "Sparse" in table and "family" in table.splitlines()[0]


def test_paper_compatible_flag(cli, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("platform,model,date\nGH,,2024-01-01T23:00:00Z\nHF,o/m,2024-01-02T22:00:00Z\n")
    exact = json.loads(cli("classify", path).out)
    paper = json.loads(cli("classify", path, "--paper-compatible").out)
    assert exact["switches"][0]["days"] == 0 and paper["switches"][0]["next"].endswith("T00:00:00Z")


def test_global_db_option_and_help(cli, tmp_path):
    assert cli("--db", tmp_path / "x.db", "classify", "--help").code == 0
    help_text = cli("classify", "--help").out
    for word in ("--format", "--paper-compatible", "--skip-bad-rows", "platform", "date"):
        assert word in help_text
    assert "--db" in cli("--help").out


def test_a_header_without_rows_says_there_is_nothing_to_classify(cli, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("family,platform,model,date\n")
    result = cli("classify", path)
    assert result.code == 2 and result.out == ""
    assert "no commit rows below the header" in result.err


def test_a_field_longer_than_a_read_block_is_refused_with_both_causes(cli, tmp_path):
    """An unclosed quote and a message of many MB look alike to the reader; reading the file
    as one block would let an unclosed quote swallow every row after it, silently."""
    path = tmp_path / "long.csv"
    long_message = "x" * (3 * BLOCK_BYTES)
    path.write_text(
        "family,platform,model,date,title,message\n"
        f'f,GH,,2024-01-01T00:00:00Z,t,"{long_message}"\n'
        "f,HF,o/m,2024-01-02T00:00:00Z,u,v\n"
    )
    result = cli("classify", path)
    assert result.code == 2 and result.out == ""
    assert "a quote that is never closed, or a message that long" in result.err


def test_dates_before_github_or_in_the_future_are_warned_of(cli, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text(
        "family,platform,model,date\nf,GH,,1900-01-01\nf,HF,o/m,2024-01-02\nf,GH,,2024-01-03\n"
    )
    result = cli("classify", path)
    assert result.code == 0
    assert (
        "warning: 1 commit date(s) before 2008 or in the future (first: 1900-01-01)" in result.err
    )


def test_a_folder_is_not_a_file(cli, tmp_path):
    result = cli("classify", tmp_path)
    assert result.code == 2 and "a folder, not a file" in result.err
