"""Reading the indicators: one measure as several sources state it.

Sources often disagree on a length, a capacity or a reserve estimate, and the disagreement is part
of the evidence. These helpers pick a measure's rows and say in words what the sources agree or
disagree on, so a chapter writes "1,735–1,821 km, depending on the source" from the data rather than
choosing one figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from kztm.prose import Markdown, digits, figure
from kztm.tables import REGISTER_CLASS, markdown_table, register
from kztm.trade import period_label


def rows_of(indicators: pd.DataFrame, ids: Iterable[str]) -> pd.DataFrame:
    """The rows of these measures, in the order the ids are given (and the data within each)."""
    ids = list(ids)
    chosen = indicators[indicators["indicator_id"].isin(ids)]
    order = {indicator: rank for rank, indicator in enumerate(ids)}
    return chosen.sort_values("indicator_id", key=lambda s: s.map(order), kind="stable")


def by_subject(indicators: pd.DataFrame, *subjects: str) -> pd.DataFrame:
    """The rows about these subjects (a pipeline, a port, a trade relation), in data order."""
    return indicators[indicators["subject"].isin(subjects)]


def stated(indicators: pd.DataFrame, indicator_id: str, depending: bool = False) -> str:
    """What the sources state for one measure, as a person writes it: '1,833 km' when they
    agree, '1,735–1,821 km' when they do not (with ``depending``, '1,735–1,821 km, depending on
    the source', where the sentence does not already say that the figure varies). How many
    sources say so is not content (the table and the bibliography name them). Rows in another
    unit than the first (a length given in miles) are left out rather than converted."""
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
    if len(rows) == 1:
        row = rows.iloc[0]
        return figure(row["value"], unit, str(row["qualifier"]), row["value_high"])
    if lowest["value"] == highs.max():
        qualifiers = set(rows["qualifier"].astype(str))
        qualifier = qualifiers.pop() if len(qualifiers) == 1 else "exact"
        return figure(lowest["value"], unit, qualifier)
    low = (lowest["value"], _end_qualifier(lowest, "low"))
    high = (highs.max(), _end_qualifier(highest, "high"))
    # A loose lowest figure makes no range: "more than 1,300–more than 1,900 km" says neither
    # where it starts nor where it ends, so each end is given as the sources put it.
    suffix = f", {DEPENDING}" if depending else ""
    if low[1] != "exact":
        return f"from {figure(low[0], unit, low[1])} to {figure(high[0], unit, high[1])}{suffix}"
    # The unit is written once, "120–146 km", money in full at each end.
    start = figure(low[0], unit) if figure(1, unit).startswith("$") else digits(low[0])
    end = figure(high[0], unit, high[1])
    joiner = " to " if high[1] != "exact" else "–"
    return f"{start}{joiner}{end}{suffix}"


# What follows a range of figures that different sources give.
DEPENDING = "depending on the source"


def _end_qualifier(row: pd.Series, end: str) -> str:
    """The qualifier that applies to one end of a row's figure: a range's bound is as stated."""
    ranged = pd.notna(row["value_high"])
    return "exact" if ranged and end == "high" else str(row["qualifier"])


def by_measure(
    rows: pd.DataFrame,
    labels: Mapping[str, str],
    caption: str,
    subject: str = "",
    classes: str = "longtable",
) -> Markdown:
    """Stated quantities as a reader's table: one row per measure, in the order given, with what
    the sources state (a range where they differ, marked so) and every source of it in one
    cell, instead of a row per source that repeats the measure. ``subject``, when the caption
    names it, is left out of the measures' labels ("Central Asia–China gas pipeline, Line C
    length" reads "Line C length" under a caption about that pipeline)."""
    shown = []
    # Figures of one measure for different periods (a running total at two dates) are different
    # facts, a row each; only figures for the same period can differ.
    first_seen = {measure: rank for rank, measure in enumerate(dict.fromkeys(rows["indicator_id"]))}
    rows = rows.sort_values(
        ["indicator_id", "period_end", "period_start"],
        key=lambda column: column.map(first_seen) if column.name == "indicator_id" else column,
        kind="stable",
        na_position="first",
    )
    keys = [rows["indicator_id"], rows["period_start"], rows["period_end"]]
    for (indicator_id, _, _), group in rows.groupby(keys, sort=False, dropna=False):
        spread = group["value_high"].fillna(group["value"])
        differ = group["value"].nunique() > 1 or spread.nunique() > 1
        periods = {
            period_label(start, end) if pd.notna(start) else f"by {end:%b %Y}"
            for start, end in zip(group["period_start"], group["period_end"], strict=True)
            if pd.notna(start) or pd.notna(end)
        }
        shown.append(
            {
                "measure": without_subject(labels.get(str(indicator_id), str(indicator_id)), subject),
                "figure": stated(group, str(indicator_id)) + ("; sources differ" if differ else ""),
                "period": periods.pop() if len(periods) == 1 else "–",
                "sources": "; ".join(dict.fromkeys(group["source_id"])),
            }
        )
    table = pd.DataFrame(shown, columns=["measure", "figure", "period", "sources"])
    return markdown_table(
        table,
        columns={"measure": "Measure", "figure": "Figure", "period": "Period", "sources": "Sources"},
        caption=caption,
        classes=classes,
    )


def without_subject(label: str, subject: str) -> str:
    """A measure's label without the subject its table's caption already names."""
    if subject and label.startswith(f"{subject}, "):
        rest = label[len(subject) + 2 :]
        return rest[:1].upper() + rest[1:]
    return label


def measures_register(
    rows: pd.DataFrame,
    labels: Mapping[str, str],
    caption: str,
    used: Iterable[str],
    subject: str = "",
) -> Markdown:
    """A subject's figures as a register: in print and on the page, the measures the text uses
    (``used``); below them in HTML, folded, the other figures the sources state on it, for the
    reader who wants them all (``kztm.tables.register``)."""
    used = set(used)
    in_text = rows["indicator_id"].isin(used)
    return register(
        summary=by_measure(
            rows[in_text], labels, caption=f"{caption}: the figures the text uses", subject=subject
        ),
        full=by_measure(rows[~in_text], labels, caption="", subject=subject, classes=REGISTER_CLASS),
        dataset="indicators.csv",
        what="the other figures the sources state on it",
    )
