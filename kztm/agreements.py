"""Views of the agreements data shared by the chapters that date treaties and list them.

A document reported by several sources has one row per source; the text needs the day it was
signed, as precisely as its best report gives it, and a table of instruments one row per
document with every source that reports it.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from kztm import events, prose, tables
from kztm.catalog import category_labels


def signed_report(agreements: pd.DataFrame, agreement_id: str) -> pd.Series | None:
    """The report of a document's signing that dates it most precisely (the report of its day
    before that of the visit it was signed during), with every source in ``sources``; None
    while no report dates it."""
    rows = agreements[(agreements["agreement_id"] == agreement_id) & agreements["signed_start"].notna()]
    if rows.empty:
        return None
    return events.most_precise(rows, "agreement_id", events.SIGNED).iloc[0]


def signing_day(report: pd.Series | None) -> str:
    """The day a document was signed, as precisely as its best report gives it; 'not yet
    signed' before any report."""
    if report is None:
        return "not yet signed"
    return prose.at_precision(report["signed_start"], str(report["precision"]))


def instruments_table(
    agreements: pd.DataFrame, instruments: Sequence[str], caption: str, parties: str
) -> prose.Markdown:
    """The ``instruments`` in the order given: one row per document, its signing day and every
    source that reports it in one cell; ``parties`` heads the column of its scope."""
    chosen = agreements[agreements["agreement_id"].isin(instruments)]
    order = {agreement: rank for rank, agreement in enumerate(instruments)}
    scopes = category_labels("agreements", "scope")
    rows = [
        {
            "title": reports["title"].iloc[0],
            "scope": scopes[str(reports["scope"].iloc[0])],
            "signed": signing_day(signed_report(reports, str(agreement))),
            "sources": "; ".join(dict.fromkeys(reports["source_id"])),
            "rank": order[str(agreement)],
        }
        for agreement, reports in chosen.groupby("agreement_id", sort=False)
    ]
    table = pd.DataFrame(rows, columns=["title", "scope", "signed", "sources", "rank"])
    return tables.markdown_table(
        table.sort_values("rank"),
        columns={"title": "Instrument", "signed": "Signed", "scope": parties, "sources": "Sources"},
        caption=caption,
    )
