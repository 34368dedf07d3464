"""The logistics chapter says what its edition could know: the railway's opening, its sources and
the routes come from the data as dated, and each figure shows exactly the rows it draws."""

from __future__ import annotations

from kztm import data, events, indicators, tables
from kztm.chapters import logistics
from kztm.edition import Edition

BEFORE_ALL_DATA = Edition(as_of="1990-01-01")


def test_an_edition_before_the_opening_says_the_railway_opened_later():
    reports = data.load("events", Edition())
    opening = events.one_row_per_event(reports[reports["event_id"] == logistics.OPENING_EVENT]).iloc[0]

    assert logistics.facts(BEFORE_ALL_DATA)["opening"].text == "after this date"
    assert logistics.facts(Edition())["opening"].text == (
        f"on {events.date_label(opening)} {{cite:p}}`{opening['source_id']}`"
    )


def test_the_freight_chart_cites_the_freight_rows_it_draws():
    edition = Edition()
    freight = indicators.rows_of(data.load("indicators", edition), logistics.FREIGHT)
    chart, sources = logistics.freight_figure(edition)

    assert sources == list(freight["source_id"])
    drawn = chart.data
    assert list(drawn["indicator_id"]) == list(freight["indicator_id"])


def test_the_map_cites_no_source_published_after_its_edition():
    edition = Edition(as_of="2019-12-31")
    _, sources = logistics.map_figure(edition)

    published = data.publication_days().reindex(sources)
    assert sources and not (published > edition.day).any(), published[published > edition.day]
    # The default edition credits every source that names the railway.
    routes = data.load("routes", Edition())
    railway = set(routes[routes["route_id"] == logistics.RAILWAY]["source_id"])
    assert railway <= set(logistics.map_figure(Edition()).sources)


def test_the_routes_table_lists_the_transport_routes_but_not_the_pipelines():
    routes = data.load("routes", Edition())
    table = logistics.facts(Edition())["tbl-logistics-routes"].text

    for route in routes.itertuples():
        assert (tables.escape(route.name) in table) == (route.kind != "pipeline"), route.name
