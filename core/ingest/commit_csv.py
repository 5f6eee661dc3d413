"""Read a commits CSV in the `classify` input format into the engine's frame, row-checked.

Columns (header required, any order, extra columns ignored): `family` (optional), `platform`
(GH/HF, any case), `model` (HF model id; empty for GH), `date` (ISO 8601, with or without an
offset or `Z`; naive means UTC). A bad row is reported by its line number in the file.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from core.csvsafe import csv_text
from core.errors import InputError

REQUIRED = ("platform", "date")


@dataclass(frozen=True)
class BadRow:
    """One row that cannot be used: its 1-based line in the file and what is wrong."""

    line: int
    problem: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.problem}"


@dataclass(frozen=True)
class CommitFile:
    """The parsed file: the engine frame, the rows that were skipped, the default family."""

    frame: pd.DataFrame
    bad_rows: tuple[BadRow, ...]


def read_commits_csv(
    path: str | Path, *, skip_bad_rows: bool = False, default_family: str | None = None
) -> CommitFile:
    """Parse and check `path`; raise InputError on the first bad row unless skipping them."""
    path = Path(path)
    try:
        raw = _read(path)
    except FileNotFoundError as err:
        raise InputError(f"{path}: no such file.") from err
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not UTF-8 text ({err.reason}); save the CSV as UTF-8.") from err
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise InputError(f"{path}: not a readable CSV ({str(err).strip()}).") from err
    return parse_commits(
        raw,
        source=str(path),
        skip_bad_rows=skip_bad_rows,
        default_family=default_family or path.stem,
        line_numbers=lambda rows: _line_numbers(path, rows),
    )


def _read(path: Path) -> pd.DataFrame:
    """All cells as strings; pyarrow's fast reader first, pandas' own on what it rejects."""
    try:
        return pd.read_csv(
            path, dtype=str, keep_default_na=False, na_filter=False, engine="pyarrow"
        )
    except Exception:
        return pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            encoding="utf-8",
            on_bad_lines="error",
        )


def parse_commits(
    raw: pd.DataFrame,
    *,
    source: str = "input",
    skip_bad_rows: bool = False,
    default_family: str = "family",
    line_numbers=None,
) -> CommitFile:
    """Check a frame of strings (as read from CSV) and build the engine frame."""
    columns = {c.strip().lower(): c for c in raw.columns}
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InputError(
            f"{source}: missing column(s) {', '.join(missing)}; the header needs platform, "
            "date, model (for HF rows) and optionally family, e.g. 'family,platform,model,date'."
        )
    get = lambda name: raw[columns[name]].astype(str).str.strip()  # noqa: E731
    platform = get("platform").str.upper()
    model = get("model") if "model" in columns else pd.Series("", index=raw.index)
    family = get("family") if "family" in columns else pd.Series(default_family, index=raw.index)
    dates = get("date")
    stamp = pd.to_datetime(dates, utc=True, format="ISO8601", errors="coerce")

    problems = pd.Series("", index=raw.index, dtype=object)
    bad_platform = ~platform.isin(["GH", "HF"])
    problems[bad_platform] = (
        "platform "
        + raw.loc[bad_platform, columns["platform"]].astype(str).map(repr)
        + " is neither GH nor HF"
    )
    bad_date = stamp.isna() & (problems == "")
    problems[bad_date] = "date " + dates[bad_date].map(repr) + " is not an ISO 8601 timestamp"
    no_model = (platform == "HF") & (model == "") & (problems == "")
    problems[no_model] = "HF row without a model id"
    no_family = (family == "") & (problems == "")
    problems[no_family] = "empty family"

    bad_index = problems.index[problems != ""]
    bad: tuple[BadRow, ...] = ()
    if len(bad_index):
        positions = [raw.index.get_loc(i) for i in bad_index]
        lines = line_numbers(positions) if line_numbers else [p + 2 for p in positions]
        bad = tuple(BadRow(line, problems[i]) for line, i in zip(lines, bad_index, strict=True))
        if not skip_bad_rows:
            first = bad[0]
            more = f" ({len(bad) - 1} more bad rows)" if len(bad) > 1 else ""
            raise InputError(f"{source}: {first}{more}; fix it or pass --skip-bad-rows.")
    keep = problems == ""
    frame = pd.DataFrame(
        {
            "family": family[keep].array,
            "platform": platform[keep].array,
            "model": model[keep].where(platform[keep] == "HF", "").array,
            "timestamp": stamp[keep].array,
        }
    )
    extra = [
        c for c in raw.columns if c.strip().lower() not in {"family", "platform", "model", "date"}
    ]
    for col in extra:
        frame[col.strip().lower()] = raw.loc[keep, col].to_numpy()
    return CommitFile(frame=frame, bad_rows=bad)


def _line_numbers(path: Path, positions: list[int]) -> list[int]:
    """The file line where each data record (0-based position) starts, quoted newlines and all."""
    wanted = set(positions)
    found: dict[int, int] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        line = 1
        next(reader, None)
        line = reader.line_num + 1
        for pos, _ in enumerate(reader):
            if pos in wanted:
                found[pos] = line
            line = reader.line_num + 1
            if len(found) == len(wanted):
                break
    return [found.get(p, p + 2) for p in positions]


def frame_to_csv(frame: pd.DataFrame) -> str:
    """Write an engine frame back in the classify input format (dates ISO with Z)."""
    out = frame.copy()
    out["date"] = out["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    cols = ["family", "platform", "model", "date"] + [
        c for c in out.columns if c not in {"family", "platform", "model", "date", "timestamp"}
    ]
    return csv_text(out[cols])
