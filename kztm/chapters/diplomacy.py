"""The diplomacy chapter: what it glues into its text, its tables and its timeline.

The chapter weighs the partnership's rhetoric against its record of contact: visits, talks,
commission sessions and signed documents. Every count in its sentences comes from the events and
agreements the edition knows, so a book dated earlier says "one session" or "no state visits"
rather than the numbers of today, and a new row in data/events.csv changes the text by itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kztm import charts, data, events, prose, tables
from kztm.catalog import category_labels
from kztm.edition import Edition

# The datasets its data note lists (places, read only for the names of places, is not listed).
DATASETS = ("events", "agreements", "indicators", "agenda")

# The October 2021 visit: the sources disagree on its rank, and Babakan's article lists what it
# produced.
VISIT_2021 = "tokayev-visit-2021"
BABAKAN = "seed-003"
# The source that calls the visit a state visit.
STATE_VISIT_SOURCE = "seed-001"


@dataclass(frozen=True)
class Record:
    """The diplomatic record as the edition knows it, derived once for the text and the timeline."""

    reports: pd.DataFrame  # every event as each source reports it
    one_each: pd.DataFrame  # one row per diplomatic event, with its date label in ``when``

    def held(self, kind: str) -> pd.DataFrame:
        """The events of one kind the sources report as held (not only announced or planned)."""
        one_each = self.one_each
        return one_each[(one_each["kind"] == kind) & (one_each["status"] == "held")]


def _date_labels(frame: pd.DataFrame) -> list[str]:
    """Each event's date as precisely as its source gives it (a list, so that an edition with no
    event yet gives an empty column rather than an empty frame)."""
    return [events.date_label(row) for _, row in frame.iterrows()]


def record(edition: Edition) -> Record:
    """The reports the edition knows and the diplomatic events they make, one row each."""
    reports = data.load("events", edition)
    one_each = events.diplomatic(events.one_row_per_event(reports, edition.day))
    return Record(reports=reports, one_each=one_each.assign(when=_date_labels(one_each)))


def facts(edition: Edition) -> prose.Facts:
    """Everything the chapter's text and tables show, by the name its text glues."""
    found = record(edition)
    agreements = data.load("agreements", edition)
    indicators = data.load("indicators", edition)
    opening = prose.edition_facts(DATASETS, edition)
    return (
        opening
        | _contact_facts(edition, found)
        | _visit_2021_facts(found, agreements)
        | _count_facts(indicators)
        | _meeting_facts(edition, found)
        | _treaty_facts(agreements)
        | _culture_facts(found)
        | _table_facts(edition, found)
    )


def _contact_facts(edition: Edition, found: Record) -> prose.Facts:
    """How much contact the record holds, and since when: the chapter's opening sentence."""
    dated = found.one_each[found.one_each["status"] == "held"].dropna(subset=["date_start"])
    return {
        "state_visits": prose.counted(len(found.held("state_visit")), "state visit"),
        "ministerial": prose.counted(len(found.held("ministerial_talks")), "round", "rounds"),
        "record": (
            f"From {dated['date_start'].min():%Y} to the end of this edition's evidence, "
            f"{prose.day(edition.as_of)}, the sources report "
            f"{prose.counted(len(dated), 'event held', 'events held')}"
            if len(dated)
            else f"No source known by {prose.day(edition.as_of)} reports a meeting held"
        ),
    }


def _visit_2021_facts(found: Record, agreements: pd.DataFrame) -> prose.Facts:
    """The rank each source gives the October 2021 visit, and what it produced: Babakan's list
    and the ambassador's total, which the text sets side by side."""
    reports = found.reports
    rank = reports[reports["event_id"] == VISIT_2021].set_index("source_id")["kind"]
    signed = agreements[(agreements["event_id"] == VISIT_2021) & (agreements["source_id"] == BABAKAN)]
    package = agreements[(agreements["agreement_id"] == "documents-2021") & agreements["count"].notna()]
    memoranda = signed[signed["kind"] == "memorandum"]
    return {
        "visit_2021_official": prose.words(rank.get(BABAKAN, "unreported visit")),
        "visit_2021_state": prose.words(rank.get(STATE_VISIT_SOURCE, "unreported visit")),
        "agreements_2021": prose.count(len(signed[signed["kind"] == "agreement"])),
        "memoranda_2021": prose.quantity(memoranda["count"].sum()),
        "package-2021": prose.Markdown(
            f"; the Kazakh ambassador counts {prose.quantity(package['count'].max())} documents "
            f"signed during the visit {prose.citations(package['source_id'])}"
            if len(package)
            else ""
        ),
    }


def _count_facts(indicators: pd.DataFrame) -> prose.Facts:
    """Counts the sources state rather than the data records: the size of the treaty base (which
    depends on who counts) and the presidents' meetings over a year."""
    framework = indicators[indicators["indicator_id"] == "agreements-in-force"]
    summits = indicators[indicators["indicator_id"] == "summit-meetings"]
    return {
        "framework-counts": prose.Markdown(
            "; ".join(
                f"{prose.quantity(row.value, row.qualifier)} {row.unit} "
                f"{prose.citations([row.source_id])}"
                for row in framework.itertuples()
            )
        ),
        "summit_meetings": prose.quantity(summits["value"].iloc[0], summits["qualifier"].iloc[0])
        if len(summits)
        else "an unstated number of",
    }


def _meeting_facts(edition: Edition, found: Record) -> prose.Facts:
    """The presidents' visits in order and the commission's sessions: where the reader checks the
    reciprocity and the rhythm of contact."""
    place_names = data.load("places", edition).set_index("place_id")["name"]
    commission = found.held("commission_session").sort_values("date_start", na_position="last")
    return {
        "visits": events.visits_sentence(found.one_each, place_names),
        "commission_sessions": prose.counted(len(commission), "session"),
        "sessions": events.sessions_sentence(commission, place_names),
    }


def _treaty_facts(agreements: pd.DataFrame) -> prose.Facts:
    """When the Treaty on Strategic Partnership was signed, said only where a source gives the day
    (the most precise report first)."""
    treaty = (
        agreements[agreements["agreement_id"] == "treaty-strategic-partnership"]
        .dropna(subset=["signed_start"])
        .sort_values("precision", key=lambda p: p.astype(str).map(events.PRECISION_RANK))
    )
    dated = len(treaty) > 0 and str(treaty.iloc[0]["precision"]) == "day"
    return {
        "treaty-date": prose.Markdown(
            f"signed on {prose.day(treaty.iloc[0]['signed_start'])} "
            f"{prose.citations([treaty.iloc[0]['source_id']])}"
            if dated
            else "not dated in the sources"
        ),
        "tbl-diplomacy-agreements": tables.markdown_table(
            _signed_labels(events.most_precise(agreements, "agreement_id", events.SIGNED)),
            columns={"signed": "Signed", "document": "Document", "sources": "Sources"},
            caption="Treaties, agreements and programmes named in the sources, one row each, "
            "oldest first; a document not (or not yet) signed says so",
        ),
    }


def _signed_labels(agreements: pd.DataFrame) -> pd.DataFrame:
    """The agreements in the order they were signed (undated last), each date as precisely as
    its best source gives it, and each title with its status where it is not "signed" (a treaty
    still pending, an agreement a state takes part in), which the table need not give a column
    to repeat "signed" thirty times."""
    statuses = category_labels("agreements", "status")
    ordered = agreements.sort_values("signed_start", na_position="last")
    return ordered.assign(
        signed=[
            prose.at_precision(row.signed_start, str(row.precision))
            if pd.notna(row.signed_start)
            else "undated"
            for row in ordered.itertuples()
        ],
        document=[
            row.title
            if str(row.status) == "signed"
            else f"{row.title} ({statuses[str(row.status)].lower()})"
            for row in ordered.itertuples()
        ],
    )


def _culture_facts(found: Record) -> prose.Facts:
    """How many cultural events the sources report held, and in which years: the text weighs
    them against the days of culture the articles only announce; the table lists them."""
    culture = found.held("cultural").dropna(subset=["date_start"])
    years = sorted({f"{day:%Y}" for day in culture["date_start"]})
    return {
        "culture_held": f"{prose.counted(len(culture), 'cultural event')} in {prose.listing(years)}"
        if len(culture)
        else "no cultural event at all",
    }


def _kind_label(code: object) -> str:
    """An event kind's reader-facing label (the catalog defines it); a dash for none."""
    return category_labels("events", "kind").get(str(code), "–")


def _table_facts(edition: Edition, found: Record) -> prose.Facts:
    """The positions on multilateral cooperation and the diplomatic record, one row per event."""
    agenda = data.load("agenda", edition)
    return {
        "tbl-diplomacy-multilateral": tables.positions(
            agenda[agenda["theme"] == "multilateral"],
            caption="Positions on multilateral cooperation in the sources",
        ),
        "tbl-diplomacy-events": tables.register(
            summary=tables.markdown_table(
                record_by_kind(found.one_each),
                columns={"kind": "Kind", "held": "Held", "years": "Years held", "other": "Not held"},
                caption="The diplomatic record by kind of event: how many the sources report "
                "held and when, and how many are only announced, planned or proposed",
            ),
            full=tables.listing(
                found.one_each.assign(
                    shown_status=[events.status_label(r) for _, r in found.one_each.iterrows()]
                ),
                columns={
                    "when": "Date",
                    "title": "Event",
                    "kind": "Kind",
                    "shown_status": "Status",
                    "sources": "Sources",
                },
                formats={"kind": _kind_label},
            ),
            dataset="events.csv",
            what="one row per event with every source that reports it",
        ),
    }


def record_by_kind(one_each: pd.DataFrame) -> pd.DataFrame:
    """One row per kind of event, in the catalog's order: how many the sources report held, the
    years they span, and how many are not (or not yet) held."""
    rows = []
    for code, label in category_labels("events", "kind").items():
        of_kind = one_each[one_each["kind"].astype(str) == code]
        if of_kind.empty:
            continue
        held = of_kind[of_kind["status"] == "held"]
        years = sorted({f"{day:%Y}" for day in held["date_start"].dropna()})
        rows.append(
            {
                "kind": label,
                "held": len(held),
                "years": (years[0] if len(years) == 1 else f"{years[0]}–{years[-1]}") if years else "–",
                "other": len(of_kind) - len(held),
            }
        )
    return pd.DataFrame(rows, columns=["kind", "held", "years", "other"])


def timeline_figure(edition: Edition) -> prose.Figure:
    """The diplomatic events in date order, one row each."""
    one_each = record(edition).one_each
    chart = charts.timeline(one_each)
    if one_each["date_start"].isna().all():
        # Nothing dated yet: the chart is the message, which is its description too.
        return prose.Figure(chart, list(one_each["source_id"]))
    chart = chart.properties(
        description="Timeline of the dated events in the data, one row per event in date order: "
        "visits, ministerial talks, commission sessions, summits, signings and cultural events.",
    )
    return prose.Figure(chart, list(one_each["source_id"]))
