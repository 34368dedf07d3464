"""Views of the events data shared by the chapters (timeline, tables).

An event reported by several sources has one row per source; readers mostly need one row per event,
dated as precisely as any source dates it, with every reporting source listed.
"""

from __future__ import annotations

import pandas as pd

_PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "unknown": 3}


def one_row_per_event(events: pd.DataFrame) -> pd.DataFrame:
    """The most precisely dated report of each event, with all its sources in ``sources``."""
    ranked = events.assign(_rank=events["precision"].astype(str).map(_PRECISION_RANK))
    sources = ranked.groupby("event_id")["source_id"].agg(lambda ids: "; ".join(sorted(ids)))
    best = ranked.sort_values(["_rank", "source_id"]).drop_duplicates("event_id")
    best = best.drop(columns="_rank").set_index("event_id")
    best["sources"] = sources
    return best.reset_index().sort_values("date_start", na_position="last").reset_index(drop=True)


def date_label(row: pd.Series) -> str:
    """The date as precisely as the source gives it: '30 Oct 2023', 'Oct 2022', '2024', 'undated'."""
    start, end, precision = row["date_start"], row["date_end"], str(row["precision"])
    if pd.isna(start):
        return "undated"
    if precision == "year":
        return f"{start:%Y}"
    if precision == "month":
        return f"{start:%b %Y}"
    if pd.notna(end) and end != start:
        return (
            f"{start.day}–{end.day} {end:%b %Y}"
            if start.month == end.month
            else (f"{start:%-d %b}–{end:%-d %b %Y}")
        )
    return f"{start.day} {start:%b %Y}"
