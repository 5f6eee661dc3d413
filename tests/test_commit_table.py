"""Browsing a family's commits: location, filters, ordering and a re-classifiable export."""

import io
from datetime import date

import pandas as pd
from conftest import commits

from core.commands.export import COLUMNS as CLI_COLUMNS
from core.ingest.commit_csv import parse_commits
from core.report.commit_table import (
    EXPORT_COLUMNS,
    commit_table,
    export_csv,
    export_frame,
    filter_commits,
    with_location,
)


def family():
    frame = commits(
        [
            ("GH", "", "2024-01-01T10:00:00Z"),
            ("HF", "org/a", "2024-01-05T10:00:00Z"),
            ("GH", "", "2024-02-01T10:00:00Z"),
        ],
        family="org/code",
    )
    frame["text"] = ["Fix tokenizer bug", "Update README.md", "Add training script"]
    frame["title"] = frame["text"]
    frame["label"] = ["Model Structure", "External Documentation", "Training Infrastructure"]
    return with_location(frame)


def test_where_is_github_or_the_model_id():
    assert family()["where"].tolist() == ["GitHub", "org/a", "GitHub"]


def test_filters_combine_and_search_is_literal():
    view = filter_commits(family(), search="TOKENIZER", where=["GitHub"])
    assert view["text"].tolist() == ["Fix tokenizer bug"]
    assert filter_commits(family(), search="(").empty  # no regex surprises
    by_label = filter_commits(family(), labels=["External Documentation"])
    assert by_label["where"].tolist() == ["org/a"]
    january = filter_commits(family(), start=date(2024, 1, 2), end=date(2024, 1, 31))
    assert january["where"].tolist() == ["org/a"]


def test_the_table_is_newest_first():
    assert commit_table(family())["text"].tolist()[0] == "Add training script"


def test_the_export_classifies_again():
    raw = pd.read_csv(io.StringIO(export_csv(family())), dtype=str, keep_default_na=False)
    parsed = parse_commits(raw)
    assert len(parsed.frame) == 3 and "label" in parsed.frame.columns
    assert raw.columns.tolist()[:4] == ["family", "platform", "model", "date"]


def test_the_page_and_the_cli_export_the_same_columns():
    frame = family()
    frame["author_name"] = ["Ada", None, "Ben"]
    frame["authors"] = [None, '["hf-user"]', None]
    frame["sha"] = ["a1", "b2", "c3"]
    raw = pd.read_csv(io.StringIO(export_csv(frame)), dtype=str, keep_default_na=False)
    assert raw.columns.tolist() == [*EXPORT_COLUMNS, "label"]
    assert list(EXPORT_COLUMNS) == CLI_COLUMNS
    assert "author_name" not in raw.columns and raw["author"].tolist() == ["Ada", "hf-user", "Ben"]
    assert raw["model"].tolist() == ["", "org/a", ""]
    assert raw["date"].iloc[0] == "2024-01-01T10:00:00Z"


def test_an_empty_family_exports_just_the_header():
    assert export_frame(family().iloc[0:0]).columns.tolist() == [*EXPORT_COLUMNS, "label"]


def test_an_uploaded_files_commits_are_located_too():
    """The CSV reader's `model` column is categorical; "GitHub" is not one of its values."""
    from core.ingest.commit_csv import read_commits_csv

    data = (
        b"family,platform,model,date,title\n"
        b"f,GH,,2024-01-01T00:00:00Z,Fix bug\n"
        b"f,HF,org/m,2024-01-02T00:00:00Z,Upload\n"
    )
    frame = read_commits_csv(data, name="upload.csv").frame
    assert with_location(frame)["where"].tolist() == ["GitHub", "org/m"]


def test_an_upload_with_titles_only_is_labeled():
    """The uploader asks for title, message or text: any one of them is something to label."""
    from core.report.upload import read_upload

    data = (
        b"family,platform,model,date,title\n"
        b"f,GH,,2024-01-01T00:00:00Z,Update README.md\n"
        b"f,HF,org/m,2024-01-02T00:00:00Z,Upload config.json\n"
    )
    report = read_upload(data, "titles.csv").reports["f"]
    assert report.labeled and report.commits["label"].notna().all()
