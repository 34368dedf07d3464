"""The geopolitics chapter weighs each power's levers by the evidence the edition knows: a lever
appears once its evidence is known, each table stays short and one row per fact, and a change of
Turkmenistan's international status is not counted as a diplomatic contact."""

from __future__ import annotations

from kztm import data, events, prose
from kztm.chapters import geopolitics
from kztm.edition import Edition


def body_rows(table: str) -> list[str]:
    return [line for line in table.splitlines() if line.startswith("| ") and "---" not in line][1:]


def test_a_lever_appears_only_once_its_evidence_is_known():
    before = geopolitics.facts(Edition(as_of="2025-04-03"))["tbl-geopolitics-levers"].text
    after = geopolitics.facts(Edition(as_of="2025-04-04"))["tbl-geopolitics-levers"].text
    assert "The EU" not in before
    assert "The EU" in after
    early = geopolitics.facts(Edition(as_of="1990-01-01"))["tbl-geopolitics-levers"].text
    assert "Afghanistan" not in early and "Afghanistan" in after


def test_the_levers_table_has_one_row_per_lever_and_stays_short():
    rows = body_rows(geopolitics.facts(Edition())["tbl-geopolitics-levers"].text)
    assert len(rows) == len(geopolitics.LEVERS) <= 30
    # Weighed by evidence, never by counting what the sources say.
    assert not any("claim" in row for row in rows)


def test_the_status_timeline_draws_each_status_event_once_with_every_source():
    reports = data.load("events", Edition())
    chart, sources = geopolitics.status_figure(Edition())
    drawn = chart.data
    assert sorted(drawn["event_id"]) == sorted(geopolitics.STATUS_EVENTS)
    first = reports[reports["event_id"] == "unga-neutrality-1995"]
    assert len(first) > 1 and set(first["source_id"]) <= set(sources)
    early, _ = geopolitics.status_figure(Edition(as_of="1990-01-01"))
    assert early.to_dict()["description"] == "No dated event is known by this date."


def test_a_change_of_status_is_not_a_diplomatic_contact():
    one_each = events.one_row_per_event(data.load("events", Edition()))
    contacts = events.diplomatic(one_each)
    assert "unga-neutrality-2025" in set(one_each["event_id"])
    assert not (contacts["kind"] == "status").any()


def test_turkmenistan_outside_the_friendship_treaty_is_unknown_before_its_source():
    known = geopolitics.facts(Edition())["friendship_treaty"]
    assert known.startswith("Turkmenistan had not signed the Central Asian treaty")
    early = geopolitics.facts(Edition(as_of="2020-12-31"))["friendship_treaty"]
    assert early.startswith("whether Turkmenistan had signed")
    assert early.endswith(prose.not_known("2020-12-31"))
