"""The water chapter's counts and dates come from the data as its edition knows it: the Caspian
agreement is signed only from its signing day, and the agenda table holds the environmental
statements and nothing else."""

from __future__ import annotations

from datetime import timedelta

from kztm import data, prose, tables
from kztm.chapters import water
from kztm.edition import Edition


def signing_day() -> str:
    agreements = data.load("agreements", Edition())
    deal = agreements[
        (agreements["agreement_id"] == water.CASPIAN_DEAL) & (agreements["precision"] == "day")
    ]
    return deal["signed_start"].min().date().isoformat()


def test_the_caspian_agreement_is_dated_by_its_month_only_from_its_signing_day():
    day = signing_day()
    before = (Edition(as_of=day).day - timedelta(days=1)).date().isoformat()

    # The day before, a report that gives only the year may be known: it says the year, never a
    # month no source gives.
    assert water.facts(Edition(as_of=before))["caspian_deal_date"] in ("(not yet signed)", day[:4])
    assert water.facts(Edition(as_of=day))["caspian_deal_date"] == f"{Edition(as_of=day).day:%B %Y}"
    assert water.facts(Edition(as_of="1990-01-01"))["caspian_deal_date"] == "(not yet signed)"


def test_the_other_littoral_states_are_counted_without_the_two_partners():
    stated = data.load("indicators", Edition())
    littoral = stated[stated["indicator_id"] == "caspian-littoral-states"]["value"].iloc[0]

    assert water.facts(Edition())["littoral_others"] == prose.count(int(littoral) - 2)
    assert water.facts(Edition(as_of="1990-01-01"))["littoral_others"] == "several"


def test_the_agenda_table_holds_the_environmental_statements_and_no_other():
    agenda = data.load("agenda", Edition())
    facts = water.facts(Edition())
    table = facts["tbl-water-agenda"].text

    environmental = agenda["theme"].isin(water.THEMES)
    assert facts["environment_claims"] == prose.count(int(environmental.sum()))
    for row in agenda.itertuples():
        assert (tables.escape(row.claim) in table) == (row.theme in water.THEMES), row.claim
