"""Derived views of the trade data that more than one chapter needs.

Full years and partial periods are different quantities (a nine-month total is not a smaller year),
so they are separated here once rather than by each chapter.
"""

from __future__ import annotations

import pandas as pd


def known_by(frame: pd.DataFrame, as_of: str, column: str = "period_end") -> pd.DataFrame:
    """Rows whose period ended on or before ``as_of``: what a reader on that date could know."""
    return frame[frame[column] <= pd.Timestamp(as_of)].reset_index(drop=True)


def is_full_year(frame: pd.DataFrame) -> pd.Series:
    """Whether each row's period is one calendar year."""
    start, end = frame["period_start"], frame["period_end"]
    return (
        (start.dt.month == 1)
        & (start.dt.day == 1)
        & (end.dt.month == 12)
        & (end.dt.day == 31)
        & (start.dt.year == end.dt.year)
    )


def period_label(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """'2023' for a calendar year, 'Jan–May 2021' for part of one, 'Jan 2024–Mar 2025' otherwise."""
    if start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return str(start.year)
    if start.year == end.year:
        return f"{start:%b}–{end:%b %Y}"
    return f"{start:%b %Y}–{end:%b %Y}"


def with_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """The trade rows with a readable period label and a full-year flag."""
    labelled = frame.copy()
    labelled["period"] = [
        period_label(s, e) for s, e in zip(frame["period_start"], frame["period_end"], strict=True)
    ]
    labelled["full_year"] = is_full_year(frame)
    return labelled
