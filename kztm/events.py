"""Views of the events data shared by the chapters (timeline, tables).

An event reported by several sources has one row per source; readers mostly need one row per event,
dated as precisely as any source dates it, with every reporting source listed.
"""

from __future__ import annotations

import pandas as pd

from kztm.catalog import category_labels
from kztm.provenance import numbers_in

# The columns that date a document of agreements.csv (an event's are date_start and date_end).
SIGNED = ("signed_start", "signed_end")
# How precisely a source dates something, most precise first (for choosing the best report).
PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "unknown": 3}


def one_row_per_event(events: pd.DataFrame, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """One row per event: the most precisely dated report of it, with all its sources in
    ``sources``, the place any report names, and the most advanced status any source reports
    (held if one source reports it held, so that a later report of an earlier announcement cannot
    undo it).

    ``lapsed`` marks an event no source reports held although its dates ended before ``as_of``
    (the edition's day): an announcement that the record never confirms, which a reader must not
    take for one still ahead."""
    best = most_precise(events, "event_id")
    # The most precise report may not name the place another report gives.
    places = events.dropna(subset=["place_id"]).groupby("event_id")["place_id"].first()
    named = best["event_id"].map(places).astype(best["place_id"].dtype)
    best["place_id"] = best["place_id"].where(best["place_id"].notna(), named)
    ranks = events["status"].astype(str).map(status_rank())
    by_rank = dict(enumerate(status_rank()))
    best["status"] = best["event_id"].map(ranks.groupby(events["event_id"]).min().map(by_rank))
    ends = [period_end(row) for _, row in best.iterrows()]
    best["lapsed"] = [
        as_of is not None and status != "held" and pd.notna(end) and end < as_of
        for status, end in zip(best["status"], ends, strict=True)
    ]
    return best.sort_values("date_start", na_position="last").reset_index(drop=True)


def most_precise(reports: pd.DataFrame, key: str, dates: tuple[str, str] | None = None) -> pd.DataFrame:
    """One row per ``key`` (an event, an agreement): the report that dates it most precisely,
    ties broken by source so the choice is stable, with every reporting source in ``sources``.
    Given its ``dates`` (start and end columns), a report over fewer days comes first: a
    document signed "25 October" rather than "24–25 October", the days of the visit it was
    signed during. (Events are not ordered so: two reports of an event's days that disagree are
    a discrepancy, not a matter of precision.)"""
    ranked = reports.assign(
        _rank=reports["precision"].astype(str).map(PRECISION_RANK),
        _days=(reports[dates[1]] - reports[dates[0]]).dt.days.fillna(0) if dates else 0,
    )
    sources = ranked.groupby(key)["source_id"].agg(lambda ids: "; ".join(sorted(set(ids))))
    best = ranked.sort_values(["_rank", "_days", "source_id"]).drop_duplicates(key)
    best = best.drop(columns=["_rank", "_days"])
    return best.assign(sources=best[key].map(sources)).reset_index(drop=True)


def status_rank() -> dict[str, int]:
    """The statuses in the catalog's order, most advanced (held) first."""
    return {code: rank for rank, code in enumerate(category_labels("events", "status"))}


def period_end(row: pd.Series) -> pd.Timestamp | None:
    """The last day an event's report allows: its end date, else the end of the day, month or
    year its precision gives; None when it is undated."""
    start, end, precision = row["date_start"], row["date_end"], str(row["precision"])
    if pd.notna(end):
        return pd.Timestamp(end)
    if pd.isna(start):
        return None
    if precision == "year":
        return pd.Timestamp(year=start.year, month=12, day=31)
    if precision == "month":
        return pd.Timestamp(start) + pd.offsets.MonthEnd(0)
    return pd.Timestamp(start)


def status_label(row: pd.Series) -> str:
    """The status a reader sees: the catalog's label, and for a lapsed event that no source
    reports it held."""
    label = category_labels("events", "status").get(str(row["status"]), str(row["status"]))
    return f"{label}; not reported held" if bool(row.get("lapsed", False)) else label


def date_label(row: pd.Series, month: str = "%b") -> str:
    """The date as precisely as the source gives it: '30 Oct 2023', 'Oct 2022', '2024', 'undated'
    in a table; with ``month="%B"``, '30 October 2023' as running text writes it."""
    start, end, precision = row["date_start"], row["date_end"], str(row["precision"])
    if pd.isna(start):
        return "undated"
    if precision == "year":
        return f"{start:%Y}"
    if precision == "month":
        return f"{start:{month} %Y}"
    if pd.notna(end) and end != start:
        return (
            f"{start.day}–{end.day} {end:{month} %Y}"
            if start.month == end.month
            else f"{start.day} {start:{month}}–{end.day} {end:{month} %Y}"
        )
    return f"{start.day} {start:{month} %Y}"


# Openings and stoppages of pipelines and railways are events of the energy and logistics
# chapters, a third state's ratification of a treaty is an event of the treaty (the Caspian
# chapter), a change of the border's regime (a closure, a queue) is an event of the border
# chapter, and a change in one state's international status (a UN resolution, an observer seat) is
# an event of the geopolitics chapter, not of the two states' diplomacy.
INFRASTRUCTURE = ("opening", "stoppage")
NOT_CONTACTS = (*INFRASTRUCTURE, "ratification", "border", "status")
PRESIDENTIAL_VISITS = ("state_visit", "official_visit", "working_visit")


def diplomatic(one_each: pd.DataFrame) -> pd.DataFrame:
    """The events of the diplomatic record (one row per event): everything but openings and
    ratifications."""
    return one_each[~one_each["kind"].isin(NOT_CONTACTS)].reset_index(drop=True)


def _where(row: pd.Series, place_names: pd.Series) -> str:
    place = row["place_id"]
    return f" in {place_names[place]}" if pd.notna(place) and place in place_names else ""


def presidential_meetings(one_each: pd.DataFrame) -> pd.DataFrame:
    """The dated visits of a president held (a prime minister's visit is a visit of the same kind,
    told apart by its title) and the presidents' informal meetings: the overview's count and the
    diplomacy chapter's sequence are both drawn from these."""
    held = one_each[(one_each["status"] == "held")].dropna(subset=["date_start"])
    visit = held["kind"].isin(PRESIDENTIAL_VISITS) & held["title"].str.startswith("President")
    return held[visit | (held["kind"] == "informal_summit")]


def visits_sentence(one_each: pd.DataFrame, place_names: pd.Series) -> str:
    """The presidents' visits held, in date order, each with its date as precisely as known:
    the sequence a reader checks for reciprocity."""
    visits = presidential_meetings(one_each)
    visits = visits[visits["kind"].isin(PRESIDENTIAL_VISITS)]
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
