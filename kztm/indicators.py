"""Reading the indicators: one measure as several sources state it.

Sources often disagree on a length, a capacity or a reserve estimate, and the disagreement is part
of the evidence. These helpers pick a measure's rows and say in words what the sources agree or
disagree on, so a chapter writes "between 1,735 km and 1,821 km (six sources)" from the data rather than
choosing one figure.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from kztm.prose import counted, digits, figure


def rows_of(indicators: pd.DataFrame, ids: Iterable[str]) -> pd.DataFrame:
    """The rows of these measures, in the order the ids are given (and the data within each)."""
    ids = list(ids)
    chosen = indicators[indicators["indicator_id"].isin(ids)]
    order = {indicator: rank for rank, indicator in enumerate(ids)}
    return chosen.sort_values("indicator_id", key=lambda s: s.map(order), kind="stable")


def by_subject(indicators: pd.DataFrame, *subjects: str) -> pd.DataFrame:
    """The rows about these subjects (a pipeline, a port, a trade relation), in data order."""
    return indicators[indicators["subject"].isin(subjects)]


def stated(indicators: pd.DataFrame, indicator_id: str) -> str:
    """What the sources state for one measure: '1,833 km' when they agree, 'between 1,735 and
    1,821 km' when they do not, with how many sources say so. Rows in another unit than the
    first (a length given in miles) are left out rather than converted."""
    rows = indicators[indicators["indicator_id"] == indicator_id]
    if rows.empty:
        return "not stated in the sources"
    unit = rows["unit"].iloc[0]
    rows = rows[rows["unit"] == unit]
    highs = rows["value_high"].fillna(rows["value"])
    # Of the rows at each end, one stated exactly if there is one.
    loose = rows["qualifier"].astype(str) != "exact"
    lowest = rows.assign(loose=loose).sort_values(["value", "loose"]).iloc[0]
    highest = (
        rows.assign(high=highs, loose=loose)
        .sort_values(["high", "loose"], ascending=[False, True])
        .iloc[0]
    )
    # How many sources agree or disagree is worth saying; that one source says it is not.
    many = rows["source_id"].nunique()
    sources = f" ({counted(many, 'source')})" if many > 1 else ""
    if len(rows) == 1:
        row = rows.iloc[0]
        return f"{figure(row['value'], unit, str(row['qualifier']), row['value_high'])}{sources}"
    if lowest["value"] == highs.max():
        qualifiers = set(rows["qualifier"].astype(str))
        qualifier = qualifiers.pop() if len(qualifiers) == 1 else "exact"
        return f"{figure(lowest['value'], unit, qualifier)}{sources}"
    low = (lowest["value"], _end_qualifier(lowest, "low"))
    high = (highs.max(), _end_qualifier(highest, "high"))
    # A loose lowest figure makes no range: "between more than 1,300 and more than 1,900 km" says
    # neither where it starts nor where it ends, so each end is given as the sources put it.
    if low[1] != "exact":
        return (
            f"{figure(low[0], unit, low[1])} at the lowest and "
            f"{figure(high[0], unit, high[1])} at the highest{sources}"
        )
    # The unit is written once, "between 120 and 146 km", money in full at each end.
    start = figure(low[0], unit) if figure(1, unit).startswith("$") else digits(low[0])
    return f"between {start} and {figure(high[0], unit, high[1])}{sources}"


def _end_qualifier(row: pd.Series, end: str) -> str:
    """The qualifier that applies to one end of a row's figure: a range's bound is as stated."""
    ranged = pd.notna(row["value_high"])
    return "exact" if ranged and end == "high" else str(row["qualifier"])
