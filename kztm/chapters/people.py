"""The border chapter: the land border, its one road crossing, the regime that governs who may
cross it, the links that carry people, and the people themselves (students, diasporas,
returnees) and the culture the two states stage for each other.

Its argument is that the border is settled on paper and hard to cross in practice: fully
delimited and demarcated, with a single road crossing, visas and a weekly flight, while the human
ties run through returnees, students and staged culture. Every figure, date and table comes from
the data, so a book dated before a count, a closure or a festival says it is not yet known.
"""

from __future__ import annotations

import pandas as pd

from kztm import agreements, data, events, indicators, maps, prose, tables
from kztm.edition import Edition

# The datasets the chapter reads, listed in its data note at the end of the chapter.
DATASETS = ("agreements", "events", "indicators", "places")

# The instruments that make the border and its regime for people, oldest first.
INSTRUMENTS = (
    "kz-tm-border-treaty-2001",
    "mutual-travel-2001",
    "kz-tm-demarcation-2017",
    "tripoint-treaty-2017",
    "border-procedure-2021",
)
# The demarcation agreement's own text, which states the length of the line it marked.
DEMARCATION_TEXT = "zakonpravo-2018-01-11-demarcation-agreement-ratification"
# Measures the text states, by the name it glues them under.
STATED = {
    "border_signs": "kz-tm-border-signs",
    "visa_free_stay": "border-residents-visa-free-stay",
    "official_stay": "official-passport-visa-free-stay",
    "post_cost": "temir-baba-post-cost",
    "road_length": "kenderli-temir-baba-road-length",
    "road_rebuild": "kenderli-temir-baba-road-to-rebuild",
    "vegetables_2022": "temir-baba-vegetables-2022",
    "vegetables_2023": "temir-baba-vegetables-2023-h1",
    "lorries": "temir-baba-stranded-lorries",
    "port_distance": "temir-baba-turkmenbashi-distance",
    "highway_length": "kz-tm-highway-length",
    "kazakhs_now": "kazakhs-in-turkmenistan",
    "kazakhs_1990": "kazakhs-in-turkmenistan-1990",
    "kazakhs_1995": "kazakhs-in-turkmenistan-1995-census",
    "kazakhs_1995_share": "kazakhs-in-turkmenistan-1995-share",
    "kazakhs_balkan": "kazakhs-in-balkan",
    "kandas_share": "kandas-share-from-turkmenistan",
    "kandas_arrivals": "kandas-arrivals",
    "kandas_mangystau": "kandas-mangystau-arrivals",
    "kandas_mangystau_share": "kandas-mangystau-share-from-turkmenistan",
    "kandas_train": "kandas-special-train-may-2021",
    "culture_guests": "culture-days-ashgabat-guests",
}
# Weekly flights, written as running text writes a count ("one flight a week").
FLIGHTS = {"flights": "almaty-ashgabat-flights", "flights_2007": "almaty-ashgabat-flights-2007"}
# The figures of the diaspora table, in the order a reader follows the argument.
DIASPORA_MEASURES = (
    "kazakhs-in-turkmenistan-1990",
    "kazakhs-in-turkmenistan-1995-census",
    "kazakhs-in-turkmenistan-1995-share",
    "kazakhs-in-turkmenistan",
    "kazakhs-in-balkan",
    "kandas-arrivals",
    "kandas-share-from-turkmenistan",
    "kandas-special-train-may-2021",
    "kandas-mangystau-arrivals",
    "kandas-mangystau-share-from-turkmenistan",
)
# The events of crossing the border, as people meet it: the regime, the checkpoint, the flights.
CROSSING_EVENTS = (
    "senate-mutual-travel-2001",
    "almaty-ashgabat-flights-2007",
    "border-residents-regime-suspended-2016",
    "temir-baba-closed-to-turkmen-citizens",
    "temir-baba-upgrade-2025",
    "border-residents-regime-suspended-june",
    "temir-baba-electronic-queue",
    "almaty-ashgabat-flights-resumed",
)
# Reports that no official source confirms, and how the table marks them.
UNCONFIRMED = {
    "temir-baba-closed-to-turkmen-citizens": "an independent outlet's report; no official source "
    "confirms or denies it",
}
# The media agreement the culture table lists beside the cultural events.
MEDIA_AGREEMENTS = ("news-agencies-memo-2017",)
# Who counts the students from Turkmenistan, by the source that reports the count.
STUDENT_COUNTERS = {
    "egemen-nd-foreign-students-35075": "the ministry of science and higher education",
    "kt-2026-01-15-foreign-students-turkmenistan": "the rating agency ranking.kz",
}
# The places the map marks: the crossing, the towns on either side, the ports and a capital.
MAP_PLACES = ("temir-baba", "uzen", "aktau", "turkmenbashi", "ashgabat", "caspian-sea")


def facts(edition: Edition) -> prose.Facts:
    """Everything the chapter's text and tables show, by the name its text glues."""
    figures = data.load("indicators", edition)
    found: prose.Facts = {
        **prose.edition_facts(DATASETS, edition),
        "border_length": border_length(figures),
        "students": students_reading(figures, edition),
        "tbl-people-instruments": instruments_table(edition),
        "tbl-people-crossing": crossing_table(edition),
        "tbl-people-diaspora": indicators.by_measure(
            indicators.rows_of(figures, DIASPORA_MEASURES),
            data.measure_labels(),
            caption="Kazakhs in Turkmenistan and those who return: the figures the sources give",
        ),
        "tbl-people-culture": culture_table(edition),
    }
    memo = agreements.signed_report(data.load("agreements", edition), MEDIA_AGREEMENTS[0])
    found["signed_memo"] = (
        agreements.signing_day(memo) if memo is not None else prose.not_known(edition.as_of)
    )
    stated = {name: indicators.stated(figures, measure) for name, measure in STATED.items()}
    weekly = {name: per_week(figures, measure) for name, measure in FLIGHTS.items()}
    return found | stated | weekly | signing_facts(edition) | dated_facts(edition)


def border_length(figures: pd.DataFrame) -> str:
    """The land border's length as the demarcation text states it: the measured line, not a
    rounded or remembered figure (the others are the methods chapter's business)."""
    rows = figures[figures["source_id"] == DEMARCATION_TEXT]
    return indicators.stated(rows if len(rows) else figures, "kz-tm-land-border-length")


def per_week(figures: pd.DataFrame, measure: str) -> str:
    """Flights a week as running text writes them ('one flight a week')."""
    rows = indicators.rows_of(figures, [measure])
    if rows.empty:
        return "not stated in the sources"
    count = int(rows["value"].iloc[0])
    return prose.counted(count, "flight") + " a week"


def signing_facts(edition: Edition) -> prose.Facts:
    """When each instrument was signed (``signed_<id>``, hyphens as underscores) and its year
    alone (``year_<id>``); a book dated before it says it is not yet known."""
    documents = data.load("agreements", edition)
    found: prose.Facts = {}
    for agreement in INSTRUMENTS:
        name = agreement.replace("-", "_")
        signed = agreements.signed_report(documents, agreement)
        found["signed_" + name] = agreements.signing_day(signed)
        found["year_" + name] = (
            prose.at_precision(signed["signed_start"], "year")
            if signed is not None
            else prose.not_known(edition.as_of)
        )
    return found


def dated_facts(edition: Edition) -> prose.Facts:
    """When the events the text dates happened (``when_<id>``, hyphens as underscores), as
    precisely as the best report gives it; 'not known' in a book dated before."""
    one_each = events.one_row_per_event(data.load("events", edition)).set_index("event_id")
    wanted = (*CROSSING_EVENTS, "culture-days-in-ashgabat")
    found: prose.Facts = {}
    for event_id in wanted:
        name = "when_" + event_id.replace("-", "_")
        if event_id not in one_each.index or pd.isna(one_each.loc[event_id, "date_start"]):
            found[name] = prose.not_known(edition.as_of)
            continue
        found[name] = events.date_label(one_each.loc[event_id], month="%B")
    return found


def students_reading(figures: pd.DataFrame, edition: Edition) -> prose.Markdown:
    """The counts of students from Turkmenistan, each with who counts and when, since the
    counts differ by counter and by day; before any count, that none is known."""
    students = indicators.rows_of(figures, ["turkmen-students-kz"]).sort_values("period_start")
    if students.empty:
        return prose.Markdown(f"a count of them is {prose.not_known(edition.as_of)}")
    all_foreign = indicators.rows_of(figures, ["foreign-students-kz"]).set_index("source_id")
    counts = []
    for row in students.itertuples():
        source = str(row.source_id)
        counter = STUDENT_COUNTERS.get(source, "a source")
        among = (
            f" of {prose.figure(all_foreign.loc[source, 'value'], 'foreign students')}"
            if source in all_foreign.index
            else ""
        )
        counts.append(
            f"{prose.figure(row.value, 'students', str(row.qualifier))}{among} by the count of "
            f"{counter} {prose.citations([source])}"
        )
    text = prose.listing(counts)
    if len(counts) > 1:
        text += "; the counts differ with who counts, whom and on what day"
    return prose.Markdown(text)


def instruments_table(edition: Edition) -> prose.Markdown:
    """The instruments of the border and of crossing it, oldest first."""
    return agreements.instruments_table(
        data.load("agreements", edition),
        INSTRUMENTS,
        caption="The border and its crossing in treaty form, oldest first",
        parties="Parties",
    )


def _event_rows(one_each: pd.DataFrame, notes: dict[str, str]) -> list[dict[str, object]]:
    """Table rows for events: when, what, as reported, and every source in one cell."""
    return [
        {
            "when": events.date_label(row),
            "title": row["title"],
            "status": events.status_label(row),
            "note": notes.get(str(row["event_id"]), ""),
            "sources": row["sources"],
        }
        for _, row in one_each.iterrows()
    ]


def crossing_table(edition: Edition) -> prose.Markdown:
    """What crossing the border has meant for people, in date order (undated reports last): the
    regime's suspensions and closures, the checkpoint's changes and the flights."""
    one_each = events.one_row_per_event(data.load("events", edition), edition.day)
    chosen = one_each[one_each["event_id"].isin(CROSSING_EVENTS)]
    table = pd.DataFrame(
        _event_rows(chosen, UNCONFIRMED), columns=["when", "title", "status", "note", "sources"]
    )
    return tables.markdown_table(
        table,
        columns={
            "when": "When",
            "title": "What",
            "status": "As reported",
            "note": "Caution",
            "sources": "Sources",
        },
        caption="Crossing the border: the regime, the checkpoint and the flights, as the sources "
        "report them",
    )


def culture_table(edition: Edition) -> prose.Markdown:
    """The cultural events and the media agreement, in date order, one row each: a list of
    events belongs in a table, not in sentences."""
    one_each = events.one_row_per_event(data.load("events", edition), edition.day)
    cultural = one_each[one_each["kind"] == "cultural"]
    rows = _event_rows(cultural, {})
    documents = data.load("agreements", edition)
    for agreement in MEDIA_AGREEMENTS:
        signed = agreements.signed_report(documents, agreement)
        if signed is None:
            continue
        rows.append(
            {
                "when": agreements.signing_day(signed),
                "title": signed["title"],
                "status": "Signed",
                "note": "",
                "sources": signed["sources"],
                "start": signed["signed_start"],
            }
        )
    starts = list(cultural["date_start"]) + [row.get("start") for row in rows[len(cultural) :]]
    table = pd.DataFrame(rows, columns=["when", "title", "status", "sources"]).assign(start=starts)
    return tables.markdown_table(
        table.sort_values("start", na_position="last", kind="stable"),
        columns={"when": "When", "title": "What", "status": "As reported", "sources": "Sources"},
        caption="Culture and media between the two states, as the sources report them",
    )


def map_figure(edition: Edition) -> prose.Figure:
    """Where people cross: the one road checkpoint on the land border, the Kazakh town and port
    north of it, the Turkmen port south of it and Turkmenistan's capital."""
    places = data.load("places", edition)
    shown = places[places["place_id"].isin(MAP_PLACES)]
    map_ = maps.Map(
        alt_text="Map of the Kazakh–Turkmen border east of the Caspian Sea, with the Temir-Baba "
        "road checkpoint on it, Zhanaozen and Aktau to the north, the port of Turkmenbashi to the "
        "south and Ashgabat.",
        markers=maps.markers(shown),
        margin_deg=1.5,
    )
    return prose.Figure(map_, list(shown["coords_source_id"]))
