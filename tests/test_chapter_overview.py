"""The overview's key findings and what to watch, which also lead the landing page, say only what
the edition knows: the figures the data holds, and plain words where it holds none yet."""

from __future__ import annotations

from kztm import data, prose, trade
from kztm.chapters import overview
from kztm.edition import Edition
from kztm.tables import escape


def test_the_trade_finding_gives_the_latest_full_year_the_data_holds():
    edition = Edition()
    changes = trade.full_year_changes(trade.with_labels(data.load("trade", edition)))
    latest = changes.iloc[-1]
    findings = overview.facts(edition)["key-findings"]
    assert isinstance(findings, prose.Markdown)
    assert (
        f"Turnover was {escape(prose.money(latest['value_usd_m']))} in {latest['year']}" in findings.text
    )


def test_an_edition_before_the_data_says_nothing_is_known_instead_of_raising():
    facts = overview.facts(Edition(as_of="1990-01-01"))
    findings = facts["key-findings"]
    assert isinstance(findings, prose.Markdown)
    assert "No dated meeting between the two states is recorded by this date." in findings.text
    assert "No full-year trade figure is known by this date." in findings.text
    assert "No lever of China, Russia, Iran or India is known by this date." in findings.text
    assert "Trade is small against its political target" not in findings.text
    assert (
        str(facts["what-to-watch"])
        == "No event announced, planned or proposed is known by 1 January 1990.\n"
    )
    assert "{cite:p}``" not in "".join(str(value) for value in facts.values())


def test_a_target_stated_after_the_edition_is_not_used_to_measure_trade():
    edition = Edition(as_of="2019-12-31")
    targets = data.load("indicators", edition).query("indicator_id == 'trade-target'")
    findings = str(overview.facts(edition)["key-findings"])
    assert targets.empty
    assert "no source known by this date names a target for it" in findings
    assert "short of the" not in findings


def test_the_places_map_cites_the_coordinates_of_every_place_it_draws():
    figure = overview.places_figure(Edition())
    places = data.load("places", Edition()).set_index("name")
    drawn = [marker.label for marker in figure.picture.markers]
    assert drawn
    assert figure.sources == [places.loc[name, "coords_source_id"] for name in drawn]
