"""The border chapter's dates, counts and tables come from the data as its edition knows it: the
Days of Culture in Ashgabat are dated only once reported, the students' counts each name who
counts, an unconfirmed closure is marked so, and each table holds its rows and no other."""

from __future__ import annotations

from kztm import data, events, prose, tables
from kztm.chapters import people
from kztm.edition import Edition


def table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| ") and "---" not in line][1:]


def test_the_ashgabat_days_of_culture_are_dated_only_from_their_first_day():
    assert people.facts(Edition())["when_culture_days_in_ashgabat"] == "7–10 October 2024"
    before = people.facts(Edition(as_of="2024-10-06"))["when_culture_days_in_ashgabat"]
    assert before == prose.not_known("2024-10-06")


def test_each_count_of_students_names_who_counts_and_differs_when_both_are_known():
    # A book dated after the later count knows both, and says that they differ.
    later = people.facts(Edition(as_of="2026-06-30"))["students"].text
    for source, counter in people.STUDENT_COUNTERS.items():
        assert counter in later and source in later
    assert "the counts differ" in later
    # The edition of 2025 knows the ministry's count alone, and no difference.
    single = people.facts(Edition())["students"].text
    assert "ranking.kz" not in single and "the counts differ" not in single
    early = people.facts(Edition(as_of="2020-01-01"))["students"].text
    assert prose.not_known("2020-01-01") in early


def test_the_unconfirmed_closure_is_marked_in_its_row_and_only_there():
    rows = table_rows(people.facts(Edition())["tbl-people-crossing"].text)
    caution = tables.escape(people.UNCONFIRMED["temir-baba-closed-to-turkmen-citizens"])
    marked = [row for row in rows if caution in row]
    assert len(marked) == 1 and "turkmennews-nd-temir-baba-closed-to-turkmen-citizens" in marked[0]
    # Before the closure was reported, the table does not show it.
    early = people.facts(Edition(as_of="2017-12-31"))["tbl-people-crossing"].text
    assert caution not in early


def test_the_culture_table_holds_every_cultural_event_once_with_all_its_sources():
    reports = data.load("events", Edition())
    cultural = events.one_row_per_event(reports[reports["kind"] == "cultural"])
    rows = table_rows(people.facts(Edition())["tbl-people-culture"].text)
    assert len(rows) == len(cultural) + len(people.MEDIA_AGREEMENTS)
    ashgabat = reports[reports["event_id"] == "culture-days-in-ashgabat"]
    (row,) = [r for r in rows if tables.escape(ashgabat["title"].iloc[0]) in r]
    assert row.count("{cite:t}") == 1
    assert all(source in row for source in ashgabat["source_id"])


def test_the_instruments_table_has_one_row_per_instrument_dated_by_its_single_day_report():
    table = people.facts(Edition())["tbl-people-instruments"].text
    rows = table_rows(table)
    assert len(rows) == len(people.INSTRUMENTS)
    # One source gives a span of two days for the border-regime agreement, the ratifying law one day.
    (regime,) = [r for r in rows if "border procedure" in r]
    assert "25 October 2021" in regime
    # A book dated before the tripoint treaty lists the instruments it knows, not that one.
    assert (
        "junction point" not in people.facts(Edition(as_of="2017-11-09"))["tbl-people-instruments"].text
    )
