"""The diplomacy chapter says what the edition's events and agreements hold, and no more."""

from __future__ import annotations

from kztm import data, events, prose
from kztm.chapters import diplomacy
from kztm.edition import Edition

DEFAULT = Edition()
EARLY = Edition(as_of="1990-01-01")


def test_an_edition_before_the_record_says_not_known_instead_of_raising():
    facts = diplomacy.facts(EARLY)
    assert facts["record"] == f"No source known by {prose.day(EARLY.as_of)} reports a meeting held"
    assert facts["state_visits"] == "no state visits"
    chart, _ = diplomacy.timeline_figure(EARLY)
    assert chart.to_dict()["description"] == "No dated event is known by this date."


def test_the_2021_visit_is_ranked_as_each_source_ranks_it():
    reports = data.load("events", DEFAULT)
    visit = reports[reports["event_id"] == diplomacy.VISIT_2021].set_index("source_id")["kind"]
    facts = diplomacy.facts(DEFAULT)
    assert facts["visit_2021_official"] == prose.words(visit[diplomacy.BABAKAN])
    assert facts["visit_2021_state"] == prose.words(visit[diplomacy.STATE_VISIT_SOURCE])
    # The disagreement the text describes is in the data, not in the chapter.
    assert facts["visit_2021_official"] != facts["visit_2021_state"]


def test_the_treaty_is_dated_by_the_day_a_source_gives():
    agreements = data.load("agreements", DEFAULT)
    treaty = agreements[
        (agreements["agreement_id"] == "treaty-strategic-partnership")
        & (agreements["precision"].astype(str) == "day")
    ]
    assert len(treaty), "the data holds a day for the treaty"
    text = str(diplomacy.facts(DEFAULT)["treaty-date"])
    assert text.startswith(f"signed on {prose.day(treaty['signed_start'].iloc[0])} ")


def test_the_timeline_draws_every_dated_diplomatic_event_and_no_opening_or_ratification():
    one_each = events.one_row_per_event(data.load("events", DEFAULT))
    dated = one_each.dropna(subset=["date_start"])
    openings = set(dated.loc[dated["kind"].isin(events.NOT_CONTACTS), "event_id"])
    assert openings, "the data holds an opening to leave out"
    assert set(dated.loc[dated["kind"] == "ratification", "event_id"]) <= openings
    chart, sources = diplomacy.timeline_figure(DEFAULT)
    drawn = chart.data
    assert set(drawn["event_id"]) == set(dated["event_id"]) - openings
    assert set(drawn["source_id"]) <= set(sources)
