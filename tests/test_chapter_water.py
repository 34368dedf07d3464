"""The Caspian chapter's dates, figures and tables come from the data as its edition knows it:
an instrument is signed only from its signing day, a summit announced for later is known once
announced, a figure the sources disagree on reads as a range, and each table holds its rows."""

from __future__ import annotations

from datetime import timedelta

from kztm import data, indicators, prose, tables
from kztm.chapters import water
from kztm.edition import Edition


def signing_day(agreement_id: str) -> str:
    agreements = data.load("agreements", Edition())
    deal = agreements[(agreements["agreement_id"] == agreement_id) & (agreements["precision"] == "day")]
    return deal["signed_start"].min().date().isoformat()


def test_an_instrument_is_signed_only_from_its_signing_day():
    for agreement in water.INSTRUMENTS:
        day = signing_day(agreement)
        before = (Edition(as_of=day).day - timedelta(days=1)).date().isoformat()
        name = "signed_" + agreement.replace("-", "_")
        # The day before, a report that gives only the year may be known: it says the year,
        # never a day no source gives.
        assert water.facts(Edition(as_of=before))[name] in ("not yet signed", day[:4])
        assert water.facts(Edition(as_of=day))[name] == prose.day(day)


def test_a_summit_announced_before_the_edition_is_known_though_it_lies_ahead():
    announced = data.load("events", Edition())
    summit = announced[announced["event_id"] == "caspian-summit-2026"]
    assert len(summit) and (summit["date_start"] > Edition().day).all()
    assert water.facts(Edition())["summit_2026"] != prose.not_known(Edition().as_of)
    assert water.facts(Edition(as_of="2019-12-31"))["summit_2026"] == prose.not_known("2019-12-31")


def test_a_figure_the_sources_disagree_on_reads_as_a_range_with_its_reason():
    figures = data.load("indicators", Edition())
    fall = indicators.rows_of(figures, ["caspian-level-fall-since-2006"])
    assert fall["value"].nunique() > 1
    low, high = (indicators.digits(v) for v in (fall["value"].min(), fall["value"].max()))
    assert water.facts(Edition())["fall_since_2006"] == (f"{low}–{high} metres, depending on the source")


def test_the_other_littoral_states_are_counted_without_the_two_partners():
    stated = data.load("indicators", Edition())
    littoral = stated[stated["indicator_id"] == "caspian-littoral-states"]["value"].iloc[0]

    assert water.facts(Edition())["littoral_others"] == prose.count(int(littoral) - 2)
    assert water.facts(Edition(as_of="1990-01-01"))["littoral_others"] == "several"


def test_each_table_holds_its_rows_and_no_other():
    agenda = data.load("agenda", Edition())
    facts = water.facts(Edition())
    shared_water = facts["tbl-water-agenda"].text
    pipeline = facts["tbl-water-pipeline"].text
    for row in agenda.itertuples():
        claim = tables.escape(row.claim)
        assert (claim in shared_water) == (row.theme in water.WATER_THEMES), row.claim
        assert (claim in pipeline) == (row.claim_id in water.PIPELINE_CLAIMS), row.claim


def test_the_instruments_table_has_one_row_per_instrument_with_all_its_sources():
    agreements = data.load("agreements", Edition())
    table = water.facts(Edition())["tbl-water-instruments"].text
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert len(rows) == len(water.INSTRUMENTS)
    boundary = agreements[agreements["agreement_id"] == "caspian-boundary-2021"]
    (row,) = [r for r in rows if tables.escape(boundary["title"].iloc[0]) in r]
    assert row.count("{cite:t}") == 1
    assert all(source in row for source in boundary["source_id"])
