"""UTC instants as ISO 8601 text ("2024-01-02T03:04:05Z", whole seconds), formatted in bulk.

Switches are written out by the hundred thousand, so the text is assembled with numpy from
two small tables (one row per calendar day in the data's range, one per second of a day)
instead of formatting one datetime at a time. Times before the epoch round down, as
`datetime64[s]` does.
"""

from __future__ import annotations

import numpy as np

ISO_WIDTH = 20  # len("2024-01-02T03:04:05Z")
_NS_PER_S = 10**9
_S_PER_DAY = 86_400
_DIGITS = np.frombuffer(b"0123456789", dtype=np.uint8)


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    """Non-negative integers as zero-padded ASCII digits, shape (len(values), width)."""
    out = np.empty((len(values), width), dtype=np.uint8)
    rest = values.astype(np.int64)
    for column in range(width - 1, -1, -1):
        rest, digit = np.divmod(rest, 10)
        out[:, column] = _DIGITS[digit]
    return out


def civil_dates(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month, day of each day number since 1970-01-01 (proleptic Gregorian calendar;
    H. Hinnant's `civil_from_days`)."""
    z = days.astype(np.int64) + 719_468
    era = np.floor_divide(z, 146_097)
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    return year, month, day


def _date_table(first_day: int, last_day: int) -> np.ndarray:
    """ "YYYY-MM-DD" for every day number from first_day to last_day, shape (n, 10)."""
    year, month, day = civil_dates(np.arange(first_day, last_day + 1))
    table = np.full((len(year), 10), ord("-"), dtype=np.uint8)
    table[:, 0:4] = _digits(year, 4)
    table[:, 5:7] = _digits(month, 2)
    table[:, 8:10] = _digits(day, 2)
    return table


def _clock_table() -> np.ndarray:
    """ "HH:MM:SS" for every second of a day, shape (86400, 8)."""
    second = np.arange(_S_PER_DAY)
    table = np.full((_S_PER_DAY, 8), ord(":"), dtype=np.uint8)
    table[:, 0:2] = _digits(second // 3600, 2)
    table[:, 3:5] = _digits(second // 60 % 60, 2)
    table[:, 6:8] = _digits(second % 60, 2)
    return table


_CLOCK: list[np.ndarray] = []  # built on first use (2 ms), then shared


def iso_bytes(ns: np.ndarray) -> np.ndarray:
    """Int64 nanoseconds since the epoch as ISO text, one row of 20 ASCII bytes each."""
    if not _CLOCK:
        _CLOCK.append(_clock_table())
    seconds = np.floor_divide(ns, _NS_PER_S)
    days, second_of_day = np.divmod(seconds, _S_PER_DAY)
    out = np.empty((len(ns), ISO_WIDTH), dtype=np.uint8)
    out[:, 10] = ord("T")
    out[:, 19] = ord("Z")
    if len(ns):
        first = int(days.min())
        out[:, 0:10] = _date_table(first, int(days.max()))[days - first]
        out[:, 11:19] = _CLOCK[0][second_of_day]
    return out


def iso_strings(ns: np.ndarray) -> list[str]:
    """Int64 nanoseconds since the epoch as a list of ISO strings."""
    return iso_bytes(ns).view(f"S{ISO_WIDTH}").ravel().astype(f"U{ISO_WIDTH}").tolist()
