"""The energy chapter draws the China pipeline and its flows from the data as its edition knows
them: the route follows the sources' order, each yearly dot is one source's figure, a milestone
is known only from its day, and a figure the sources disagree on reads as a range."""

from __future__ import annotations

from kztm import data, indicators, prose
from kztm.chapters import energy
from kztm.edition import Edition

DEFAULT = Edition()
EARLY = Edition(as_of="1990-01-01")


def test_an_edition_before_the_sources_says_not_known_instead_of_raising():
    facts = energy.facts(EARLY)
    assert facts["reverse_start"] == prose.not_known("1990-01-01")
    assert facts["contract_expired"] == prose.not_known("1990-01-01")
    for figure in (
        energy.capacity_figure,
        energy.flows_figure,
        energy.galkynysh_figure,
        energy.map_figure,
    ):
        assert isinstance(figure(EARLY).sources, list)


def test_a_milestone_is_known_from_its_day_and_not_before():
    assert energy.facts(Edition(as_of="2023-10-06"))["reverse_start"] == prose.not_known("2023-10-06")
    assert energy.facts(Edition(as_of="2023-10-07"))["reverse_start"] == "7 October 2023"


def test_each_dot_of_the_flows_chart_is_one_sources_figure_for_one_year():
    chart, sources = energy.flows_figure(DEFAULT)
    drawn = chart.data
    stated = indicators.rows_of(data.load("indicators", DEFAULT), energy.FLOWS)
    assert len(drawn) == len(stated) and list(drawn["source_id"]) == sources
    assert (drawn["period_start"].dt.year == drawn["period_end"].dt.year).all()
    assert set(drawn["year"]) == set(stated["period_start"].dt.year)


def test_the_china_pipeline_runs_in_the_sources_order_and_tapi_never_enters_kazakhstan():
    places = data.load("places", DEFAULT).set_index("place_id")
    waypoints = data.load("route_waypoints", DEFAULT).sort_values("seq")
    china = waypoints[waypoints["route_id"] == "cagp"]["place_id"].tolist()
    assert china[0] == "saman-depe" and china[-1] == "khorgos"
    assert (places.loc[china, "country"] == "KAZ").sum() >= 3
    tapi = waypoints[waypoints["route_id"] == "tapi"]["place_id"]
    assert not (places.loc[tapi, "country"] == "KAZ").any()
    map_, sources = energy.map_figure(DEFAULT)
    drawn = map_.lines[0].points
    assert drawn[0] == tuple(places.loc["saman-depe", ["lat", "lon"]])
    assert drawn[-1] == tuple(places.loc["khorgos", ["lat", "lon"]])
    assert set(waypoints[waypoints["route_id"] == "cagp"]["source_id"]) <= set(sources)


def test_a_figure_the_sources_disagree_on_reads_as_a_range():
    figures = data.load("indicators", DEFAULT)
    russia = indicators.rows_of(figures, ["turkmen-gas-to-russia-2022"])
    assert russia["value"].nunique() > 1
    assert energy.facts(DEFAULT)["russia_2022"].endswith("depending on the source")


def test_the_milestones_table_has_one_row_per_event_with_all_its_sources():
    table = energy.facts(DEFAULT)["tbl-energy-russia-events"].text
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert len(rows) == len(energy.RUSSIA_EVENTS)
    reports = data.load("events", DEFAULT)
    ended = reports[reports["event_id"] == "gazprom-turkmengaz-contract-ended-2016"]["source_id"]
    (row,) = [r for r in rows if "2016" in r]
    assert all(source in row for source in ended)
