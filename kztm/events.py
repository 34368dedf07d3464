"""Views of the events data shared by the chapters (timeline, tables).

An event reported by several sources has one row per source; readers mostly need one row per event,
dated as precisely as any source dates it, with every reporting source listed.
"""

from __future__ import annotations

import pandas as pd

from kztm.provenance import numbers_in

# How precisely a source dates something, most precise first (for choosing the best report).
PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "unknown": 3}


def one_row_per_event(events: pd.DataFrame) -> pd.DataFrame:
    """The most precisely dated report of each event, a report that it was held before one that
    it was only announced, with all its sources in ``sources``."""
    ranked = events.assign(
        _rank=events["precision"].astype(str).map(PRECISION_RANK),
        _pending=events["status"].astype(str) != "held",
    )
    sources = ranked.groupby("event_id")["source_id"].agg(lambda ids: "; ".join(sorted(ids)))
    best = ranked.sort_values(["_rank", "_pending", "source_id"]).drop_duplicates("event_id")
    best = best.drop(columns=["_rank", "_pending"]).set_index("event_id")
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


# Openings of pipelines and railways are events of the energy and logistics chapters, and a third
# state's ratification of a treaty is an event of the treaty (the Caspian chapter), not of the
# two states' diplomacy.
INFRASTRUCTURE = ("opening",)
NOT_CONTACTS = (*INFRASTRUCTURE, "ratification")
PRESIDENTIAL_VISITS = ("state_visit", "official_visit", "working_visit")


def diplomatic(one_each: pd.DataFrame) -> pd.DataFrame:
    """The events of the diplomatic record (one row per event): everything but openings and
    ratifications."""
    return one_each[~one_each["kind"].isin(NOT_CONTACTS)].reset_index(drop=True)


def _where(row: pd.Series, place_names: pd.Series) -> str:
    place = row["place_id"]
    return f" in {place_names[place]}" if pd.notna(place) and place in place_names else ""


def visits_sentence(one_each: pd.DataFrame, place_names: pd.Series) -> str:
    """The presidents' visits held, in date order, each with its date as precisely as known:
    the sequence a reader checks for reciprocity."""
    visits = one_each[
        one_each["kind"].isin(PRESIDENTIAL_VISITS)
        & (one_each["status"] == "held")
        & one_each["title"].str.startswith("President")
    ].dropna(subset=["date_start"])
    if visits.empty:
        return "No visit of a president is recorded by this date"
    return "; ".join(f"{row['title']} ({date_label(row)})" for _, row in visits.iterrows())


def sessions_sentence(sessions: pd.DataFrame, place_names: pd.Series) -> str:
    """The commission's sessions in their own order, as 'the tenth in Astana (undated), the
    eleventh in Ashgabat (20 Dec 2021), …'; the ordinal is the first word of each title."""

    def number(title: object) -> float:
        found = numbers_in(str(title).split()[0])
        return found[0] if found else float("inf")

    ordered = sessions.assign(_number=sessions["title"].map(number)).sort_values("_number")
    parts = [
        f"the {str(row['title']).split()[0].lower()}{_where(row, place_names)} ({date_label(row)})"
        for _, row in ordered.iterrows()
    ]
    return ", ".join(parts) if parts else "no session"
