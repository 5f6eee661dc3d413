"""The commits CSV reader: every row checked, bad ones named by line, any file a message."""

import time

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InputError
from core.ingest.commit_csv import parse_commits, read_commits_csv
from core.ingest.csv_dates import OUT_OF_RANGE, READ, UNREADABLE, parse_dates

HEADER = "family,platform,model,date\n"


def write(tmp_path, text: str, name: str = "commits.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "date", ["0001-01-01", "1677-01-01", "9999-12-31T00:00:00Z", "-0001-01-01"]
)
def test_dates_the_engine_cannot_hold_are_bad_rows_named_by_line(cli, tmp_path, date):
    path = write(tmp_path, f"{HEADER}a,GH,,2024-01-01\na,HF,o/m,{date}\na,HF,o/m,2024-01-02\n")
    result = cli("classify", path)
    assert result.code == 2 and result.out == ""
    assert f"line 3: date '{date}' is outside the supported range" in result.err
    assert "Traceback" not in result.err
    skipped = cli("classify", path, "--skip-bad-rows")
    assert skipped.code == 0 and "skipped 1 bad row(s) (first: line 3" in skipped.err
    assert '"n_hf_commits": 1' in skipped.out


def test_the_edges_of_the_range_are_read_exactly():
    ns, status = parse_dates(
        pa.array(["1677-09-21T00:12:43.145224193Z", "2262-04-11T23:47:16.854775807Z", "2262-04-12"])
    )
    assert status.tolist() == [READ, READ, OUT_OF_RANGE]
    assert ns[:2].tolist() == [pd.Timestamp.min.value, pd.Timestamp.max.value]


ISO_PIECES = st.tuples(
    st.integers(min_value=1600, max_value=2300),
    st.integers(min_value=0, max_value=13),
    st.integers(min_value=0, max_value=32),
    st.sampled_from(["", "T", " ", "t"]),
    st.integers(min_value=0, max_value=25),
    st.integers(min_value=0, max_value=61),
    st.sampled_from(["", ".5", ".123456", ".123456789", ",5"]),
    st.sampled_from(["", "Z", "+02:00", "-0530", "+01", " +02:00", "z", "+24:00"]),
)


def iso_like(pieces) -> str:
    year, month, day, sep, hour, minute, fraction, zone = pieces
    date = f"{year:04d}-{month:02d}-{day:02d}"
    return date if not sep else f"{date}{sep}{hour:02d}:{minute:02d}:{minute:02d}{fraction}{zone}"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(ISO_PIECES.map(iso_like), st.text(max_size=12)), max_size=20))
def test_dates_read_as_pandas_reads_each_of_them_alone(texts):
    ns, status = parse_dates(pa.array(texts, type=pa.string()))
    for text, got_ns, got in zip(texts, ns.tolist(), status.tolist(), strict=True):
        alone = pd.to_datetime(
            pd.Series([text.strip()]), utc=True, format="ISO8601", errors="coerce"
        )
        if alone.isna().iloc[0]:
            assert got == UNREADABLE, text
        elif got == READ:
            assert got_ns == alone.iloc[0].value, text
        else:
            value = alone.iloc[0].tz_convert(None)
            assert got == OUT_OF_RANGE and not pd.Timestamp.min <= value <= pd.Timestamp.max


def test_naive_dates_offsets_and_zones_agree_whichever_path_reads_them(tmp_path):
    zoned = read_commits_csv(write(tmp_path, f"{HEADER}a,GH,,2024-01-01T10:00:00Z\n", "z.csv"))
    naive = read_commits_csv(write(tmp_path, f"{HEADER}a,GH,,2024-01-01 10:00\n", "n.csv"))
    offset = read_commits_csv(
        write(tmp_path, f"{HEADER}a,GH,,2024-01-01T12:00:00+02:00\n", "o.csv")
    )
    times = [f.frame["timestamp"].iloc[0] for f in (zoned, naive, offset)]
    assert times[0] == times[1] == times[2] == pd.Timestamp("2024-01-01T10:00:00Z")


def test_the_frame_has_compact_types(tmp_path):
    frame = read_commits_csv(
        write(tmp_path, f"{HEADER}a,gh,,2024-01-01\nb, HF ,o/m,2024-01-02\n")
    ).frame
    assert [str(t) for t in frame.dtypes] == [
        "category",
        "category",
        "category",
        "datetime64[ns, UTC]",
    ]
    assert frame["platform"].tolist() == ["GH", "HF"] and frame["model"].tolist() == ["", "o/m"]


def test_a_row_with_the_wrong_number_of_fields_is_a_bad_row(cli, tmp_path):
    text = f"{HEADER}a,GH,,2024-01-01\n\na,HF,o/m,2024-01-02,extra\na,GH\na,HF,o/m,2024-01-03\n"
    path = write(tmp_path, text)
    result = cli("classify", path)
    assert result.code == 2 and result.out == ""
    assert "line 4: expected 4 fields, found 5 (1 more bad rows)" in result.err
    parsed = read_commits_csv(path, skip_bad_rows=True)
    assert [str(b) for b in parsed.bad_rows] == [
        "line 4: expected 4 fields, found 5",
        "line 5: expected 4 fields, found 2",
    ]
    assert len(parsed.frame) == 2


def test_line_numbers_count_blank_lines_and_quoted_newlines(tmp_path):
    text = 'platform,date,message\nGH,2024-01-01,"a\nb"\n\nGH,2024-01-02,x\nZZ,2024-01-03,y\n'
    with pytest.raises(InputError, match="line 6: platform 'ZZ'"):
        read_commits_csv(write(tmp_path, text))


def test_one_row_of_twenty_thousand_columns_reads_at_once(tmp_path):
    extra = [f"c{i}" for i in range(19_998)]
    header = ",".join(["platform", "date", *extra])
    row = ",".join(["GH", "2024-01-01", *("x" * len(extra))])
    path = write(tmp_path, f"{header}\n{row}\n")
    start = time.process_time()
    frame = read_commits_csv(path).frame
    assert time.process_time() - start < 10  # was quadratic: 4,000 columns took 154 s
    assert len(frame.columns) == 4 + len(extra) and frame["c19997"].tolist() == ["x"]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "the file is empty"),
        (b"\xff\xfe\x00garbage\x00\x01", "not UTF-8 text"),
        (b"platform,date\nGH,2024-01-01\nGH,2024-\xff01-02\n", "not UTF-8 text (line 3)"),
        (b'platform,date\nGH,"2024-01-01\nGH,2024-01-02\n', "line 2: date '2024-01-01\\nGH,"),
        (b"when,where\n1,2\n", "missing column(s) platform, date"),
        (b"platform,date,date\nGH,2024-01-01,2024-01-02\n", "column 'date' appears more than once"),
    ],
)
def test_files_that_are_not_commit_csvs_get_a_message_not_a_traceback(tmp_path, content, message):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    for source, name in ((path, None), (content, "upload.csv")):
        with pytest.raises(InputError) as caught:
            read_commits_csv(source, name=name)
        assert message in str(caught.value)
        assert "Error tokenizing" not in str(caught.value) and "CSV parse" not in str(caught.value)


def test_uploads_over_the_cap_are_refused_before_reading(tmp_path):
    with pytest.raises(InputError, match="more than the 1 MB this accepts"):
        read_commits_csv(b"x" * (2 * 2**20), name="big.csv", max_bytes=2**20)


def test_a_frame_of_strings_is_checked_like_a_file():
    raw = pd.DataFrame(
        {"Platform": ["GH", "XX"], " date ": ["2024-01-01", "2024-01-02"], "Label": ["a", "b"]}
    )
    with pytest.raises(InputError, match="line 3: platform 'XX' is neither GH nor HF"):
        parse_commits(raw)
    parsed = parse_commits(raw, skip_bad_rows=True)
    assert parsed.frame["label"].tolist() == ["a"] and parsed.frame["family"].tolist() == ["family"]
