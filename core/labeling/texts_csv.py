"""Reading a user's CSV of commit texts (to label, to evaluate against, or corrections)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from core.errors import InputError


def read_texts_csv(path: str | Path) -> pd.DataFrame:
    """Every column of a CSV as text; InputError when it is missing or not a CSV file."""
    try:
        with open(path, "rb") as fh:  # opened here: pandas would fetch a path like a URL
            return pd.read_csv(fh, dtype=str, keep_default_na=False)
    except FileNotFoundError as err:
        raise InputError(f"{path} does not exist; give the path of a CSV file.") from err
    except UnicodeDecodeError as err:
        raise InputError(f"{path} is not UTF-8 text; save the CSV as UTF-8 and try again.") from err
    except (
        pd.errors.ParserError,
        pd.errors.EmptyDataError,
        IsADirectoryError,
    ) as err:
        raise InputError(
            f"{path} could not be read as a CSV file ({err}); check that it "
            "is comma-separated text with a header row."
        ) from err
