"""The logistics chapter: what it glues into its text, its tables and its figures.

The chapter's case rests on the railway and on figures that disagree: lengths, capacities and
freight stated differently by different sources. Every such figure is glued as the sources state
it (``indicators.stated``), so a new source widens a range or adds a figure in the sentence and
the table without anyone editing the chapter.
"""

from __future__ import annotations

import pandas as pd

from kztm import charts, data, events, indicators, maps, prose, tables
from kztm.edition import Edition

# The datasets the chapter reads, listed in its data note.
DATASETS = ("indicators", "routes", "route_waypoints", "events", "agenda", "places")

# The rail freight figures, in the order the text gives them: they measure different flows.
FREIGHT = (
    "kti-railway-freight-2019",
    "rail-volume",
    "kti-railway-freight-2023",
    "bolashak-crossing-freight-2024",
    "kz-tm-rail-freight-2024",
    "kti-railway-freight-2025-jan-oct",
)
# The railway's name, which its tables' and charts' captions give and their rows leave out.
RAILWAY_NAME = "Kazakhstan–Turkmenistan–Iran railway"
# The railway's length and its sections' lengths.
LENGTHS = ("kti-railway-length", "kti-kazakh-section", "kti-turkmen-section", "kti-iran-section")

# The measures the text states, by the name it glues them under.
STATED = {
    "length": "kti-railway-length",
    "kazakh_section": "kti-kazakh-section",
    "turkmen_section": "kti-turkmen-section",
    "capacity": "kti-railway-capacity",
    "cost": "kti-railway-cost",
    "freight_2019": "kti-railway-freight-2019",
    "freight_2023_seed": "rail-volume",
    "freight_2023": "kti-railway-freight-2023",
    "bolashak_2024": "bolashak-crossing-freight-2024",
    "freight_2025": "kti-railway-freight-2025-jan-oct",
    "growth_2023": "kti-railway-freight-growth-2023",
    "growth_2025": "kti-railway-freight-growth-2025-jan-oct",
    "aktau_capacity": "aktau-port-capacity",
    "aktau_2022": "aktau-port-throughput-2022",
    "ports_capacity": "aktau-kuryk-ports-capacity",
    "turkmenbashi_capacity": "turkmenbashi-port-capacity",
    "titr_2023": "titr-freight-2023",
    "titr_growth_2023": "titr-freight-growth-2023",
    "titr_capacity": "titr-capacity",
    "instc_2023": "instc-east-freight-2023",
    "instc_2027": "instc-east-capacity-target-2027",
    "instc_2030": "instc-east-capacity-target-2030",
    "highway": "kz-tm-highway-length",
}

# The subjects of each table of figures.
RAILWAY_SUBJECTS = ("kti-railway", "bolashak-crossing")
PORT_SUBJECTS = ("aktau-port", "kuryk-port", "aktau-kuryk-ports", "turkmenbashi-port")
CORRIDOR_SUBJECTS = ("titr", "instc-east", "instc", "kz-tm-highway")

RAILWAY = "kti-railway"
OPENING_EVENT = "kti-railway-opening-2014"
# The places the map marks: the railway's stations, the Caspian ports and a capital.
MAP_PLACES = ("uzen", "bereket", "etrek", "gorgan", "turkmenbashi", "aktau", "ashgabat")


def facts(edition: Edition) -> prose.Facts:
    """Everything the chapter's text and tables show, by the name its text glues."""
    figures = data.load("indicators", edition)
    opening = prose.edition_facts(DATASETS, edition)
    return (
        opening
        | _railway_facts(edition, figures)
        | _stated_facts(figures)
        | _table_facts(edition, figures)
    )


def _railway_sources(edition: Edition) -> pd.Series:
    """The sources that name the railway as a route: how prominent it is in the corpus."""
    routes = data.load("routes", edition)
    return routes[routes["route_id"] == RAILWAY]["source_id"]


def _railway_facts(edition: Edition, figures: pd.DataFrame) -> prose.Facts:
    """How many sources mention the railway, when it opened and how many freight figures there
    are: the railway is the chapter's backbone."""
    return {
        "railway_sources": prose.count(_railway_sources(edition).nunique()),
        "freight_figures": prose.counted(len(indicators.rows_of(figures, FREIGHT)), "freight figure"),
        "opening": opening_date(edition),
        "saving": saving(figures),
    }


def opening_date(edition: Edition) -> prose.Markdown:
    """When the railway opened, as precisely as the best report dates it, with its source; a
    book dated before the opening says it came later."""
    reports = data.load("events", edition)
    opening = events.one_row_per_event(reports[reports["event_id"] == OPENING_EVENT])
    if opening.empty:
        return prose.Markdown("after this date")
    first = opening.iloc[0]
    return prose.Markdown(f"on {events.date_label(first)} {prose.citations([first['source_id']])}")


def saving(figures: pd.DataFrame) -> str:
    """The cost saving experts expect from the Southern Transit Corridor, a range in per cent."""
    rows = indicators.rows_of(figures, ["southern-corridor-saving"])
    if rows.empty:
        return "a share not yet stated"
    return f"{prose.quantity(rows['value'].iloc[0])}–{prose.percent(rows['value_high'].iloc[0], 0)}"


def _stated_facts(figures: pd.DataFrame) -> prose.Facts:
    """Each measure the text names, as the sources state it (a range where they disagree)."""
    return {name: indicators.stated(figures, indicator) for name, indicator in STATED.items()}


def _table_facts(edition: Edition, figures: pd.DataFrame) -> prose.Facts:
    """The tables: the railway's, the ports' and the corridors' figures, the routes and the
    positions on logistics."""
    labels = data.measure_labels()
    agenda = data.load("agenda", edition)
    return {
        "tbl-logistics-railway": indicators.measures_register(
            indicators.by_subject(figures, *RAILWAY_SUBJECTS),
            labels,
            caption="The Kazakhstan–Turkmenistan–Iran railway in the sources",
            used=STATED.values(),
            subject=RAILWAY_NAME,
        ),
        "tbl-logistics-ports": indicators.measures_register(
            indicators.by_subject(figures, *PORT_SUBJECTS),
            labels,
            caption="The Caspian ports in the sources",
            used=STATED.values(),
        ),
        "tbl-logistics-corridors": indicators.measures_register(
            indicators.by_subject(figures, *CORRIDOR_SUBJECTS),
            labels,
            caption="Corridors and roads in the sources",
            used=STATED.values(),
        ),
        "tbl-logistics-routes": routes_table(data.load("routes", edition)),
        "tbl-logistics-positions": tables.positions(
            agenda[agenda["theme"] == "logistics"], caption="Positions on logistics in the sources"
        ),
    }


def routes_table(routes: pd.DataFrame) -> prose.Markdown:
    """The transport routes and arrangements, one row per route (pipelines are energy's)."""
    return tables.markdown_table(
        routes[routes["kind"] != "pipeline"].drop_duplicates("route_id"),
        columns={"name": "Route", "kind": "Kind", "status": "Status", "source_id": "Source"},
        formats={"kind": prose.words},
        caption="Transport routes and arrangements in the sources",
    )


def _labels_under_railway() -> dict[str, str]:
    """The measures' labels without the railway's name, which the charts' captions give."""
    return {
        measure: indicators.without_subject(label, RAILWAY_NAME)
        for measure, label in data.measure_labels().items()
    }


def freight_figure(edition: Edition) -> prose.Figure:
    """Every rail freight figure, one dot per source: they measure different flows."""
    freight = indicators.rows_of(data.load("indicators", edition), FREIGHT)
    chart = charts.spread(freight, _labels_under_railway(), "Million tonnes").properties(
        description="Dot chart of the rail freight figures the sources give for the "
        "Kazakhstan–Turkmenistan–Iran railway and the Bolashak border crossing, 2019 to 2025, one dot "
        "per source.",
    )
    return prose.Figure(chart, list(freight["source_id"]))


def lengths_figure(edition: Edition) -> prose.Figure:
    """The lengths of the railway and its sections, one dot per source: how far they disagree."""
    lengths = indicators.rows_of(data.load("indicators", edition), LENGTHS)
    chart = charts.spread(lengths, _labels_under_railway(), "Kilometres").properties(
        description="Dot chart of the lengths the sources give for the Kazakhstan–Turkmenistan–Iran "
        "railway and its Kazakh, Turkmen and Iranian sections, one dot per source.",
    )
    return prose.Figure(chart, list(lengths["source_id"]))


def map_figure(edition: Edition) -> prose.Figure:
    """The railway through its stations and the Caspian ports, on a map."""
    places = data.load("places", edition)
    waypoints = data.load("route_waypoints", edition)
    railway = maps.line(
        "Kazakhstan–Turkmenistan–Iran railway (Uzen–Bereket–Etrek–Gorgan)",
        "Railway in operation",
        waypoints[waypoints["route_id"] == RAILWAY],
        places,
    )
    shown = places[places["place_id"].isin(MAP_PLACES)]
    map_ = maps.Map(
        alt_text="Map of the Kazakhstan–Turkmenistan–Iran railway from Uzen through Bereket and "
        "Etrek to Gorgan, with the Caspian ports of Aktau and Turkmenbashi.",
        markers=maps.markers(shown),
        lines=[railway],
        margin_deg=2.0,
    )
    return prose.Figure(map_, [*_railway_sources(edition), *shown["coords_source_id"]])
