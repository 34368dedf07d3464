"""The <name> chapter: what it glues into its text, its tables and its figures.

Copy this file to kztm/chapters/<name>.py next to templates/chapter.md (copied to
chapters/<name>.md). Say here why the chapter computes what it does; every number its text shows
is a fact computed below from the data, never typed into the prose.
"""

from __future__ import annotations

import pandas as pd

from kztm import charts, data, prose, tables, trade
from kztm.edition import Edition

# The datasets the chapter reads, listed in its data note (and, in data/catalog.yml, each names
# this chapter among its consumers).
DATASETS = ("trade",)


def full_years(edition: Edition) -> pd.DataFrame:
    """Turnover in the full calendar years the edition knows."""
    levels = trade.with_labels(data.load("trade", edition))
    return levels[levels["full_year"] & (levels["flow"] == "turnover")]


def facts(edition: Edition) -> prose.Facts:
    """Everything the chapter's text and tables show, by the name its text glues."""
    years = trade.full_year_changes(trade.with_labels(data.load("trade", edition)))
    found: prose.Facts = {
        **prose.edition_facts(DATASETS, edition),
        "tbl-template-years": tables.markdown_table(
            full_years(edition),
            columns={"period": "Year", "value_usd_m": "Turnover ($ m)", "source_id": "Source"},
            formats={"value_usd_m": lambda v: f"{v:,.1f}"},
            caption="Turnover in full calendar years",
        ),
    }
    if years.empty:
        unknown = prose.not_known(edition.as_of)
        return found | {
            "latest_year": unknown,
            "latest_value": unknown,
            "latest_sources": prose.Markdown(""),
        }
    latest = years.iloc[-1]
    return found | {
        "latest_year": str(latest["year"]),
        "latest_value": prose.money(latest["value_usd_m"]),
        "latest_sources": prose.Markdown(prose.citations([latest["source_id"]])),
    }


def years_figure(edition: Edition) -> prose.Figure:
    """Turnover by full year: one bar a year, its sources in the caption."""
    years = full_years(edition)
    chart = charts.bars(
        years,
        category="period",
        value="value_usd_m",
        category_title="Calendar year",
        value_title="Turnover, million US dollars",
        tooltip_title="Turnover ($ m)",
    ).properties(width=320, description="Alternative text: what the chart shows, in one sentence.")
    return prose.Figure(chart, list(years["source_id"]))
