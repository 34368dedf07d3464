"""The energy chapter: what it glues into its text, its tables, its charts and its map.

The five articles state intentions on gas and give no figure; the independent sources give the
figures of the pipeline that already carries Turkmen gas across Kazakhstan, of the Galkynysh field
and of TAPI. Where the sources disagree on a length or a capacity, the text says so from the data
("between … and …, five sources") instead of choosing one, and a book dated earlier says "not
stated in the sources" or "not yet" for what was not yet reported.
"""

from __future__ import annotations

import pandas as pd

from kztm import charts, data, events, indicators, maps, prose, tables
from kztm.edition import Edition

# The datasets its data note lists (events, read for two dates only, and measures are not listed).
DATASETS = ("indicators", "agreements", "agenda", "routes", "route_waypoints", "places")

# The subjects (indicators.csv) of the Central Asia–China gas pipeline and its lines.
PIPELINE = ("cagp", "cagp-kazakh-section", "cagp-line-c", "cagp-line-d")
# The measures the text states, by the name it glues them under.
STATED = {
    "cagp_length": "cagp-length",
    "cagp_capacity": "cagp-capacity",
    "kazakh_section": "cagp-kazakh-section-length",
    "transit_2024": "cagp-kazakh-transit-2024",
    "china_2021": "turkmen-gas-to-china-volume-2021",
    "china_value_2022": "turkmen-gas-to-china-value-2022",
    "china_target": "turkmen-gas-to-china-target",
    "line_d_capacity": "cagp-line-d-capacity",
    "audit_2008_high": "galkynysh-2008-high",
    "audit_2011_optimal": "galkynysh-2011-optimal",
    "resources": "galkynysh-resources",
    "tapi_length": "tapi-length",
    "tapi_capacity": "tapi-capacity",
    "tapi_afghan": "tapi-afghan-section",
    "tapi_turkmen": "tapi-turkmen-section",
    "tapi_herat": "tapi-herat-section",
}
# The places the map marks: the field, the two capitals and TAPI's stations; the labels of
# Multan and Ashgabat go on the left, where a neighbour's label would otherwise cover them.
MAP_PLACES = ("galkynysh", "ashgabat", "astana", "herat", "kandahar", "multan", "fazilka")
LABEL_LEFT = ("multan", "ashgabat")
# The articles the map draws from: TAPI as seed-000 presents it, the routes seed-004 discusses.
MAP_ARTICLES = ("seed-000", "seed-004")


def _figures(edition: Edition) -> pd.DataFrame:
    """The stated quantities the edition knows (indicators.csv)."""
    return data.load("indicators", edition)


def _energy_claims(edition: Edition) -> pd.DataFrame:
    """The articles' positions on energy cooperation (agenda.csv)."""
    agenda = data.load("agenda", edition)
    return agenda[agenda["theme"] == "energy"]


def _pipelines(edition: Edition) -> pd.DataFrame:
    """The gas pipeline routes the sources discuss (routes.csv)."""
    routes = data.load("routes", edition)
    return routes[routes["kind"] == "pipeline"]


def facts(edition: Edition) -> prose.Facts:
    """Everything the chapter's text and tables show, by the name its text glues."""
    figures = _figures(edition)
    opening: prose.Facts = {
        "as_of": prose.day(edition.as_of),
        "data-note": prose.data_note(DATASETS, edition),
    }
    return (
        opening
        | _count_facts(edition, figures)
        | _dated_facts(edition)
        | {name: indicators.stated(figures, indicator) for name, indicator in STATED.items()}
        | _table_facts(edition, figures)
    )


def _count_facts(edition: Edition, figures: pd.DataFrame) -> prose.Facts:
    """How much the sources say: the articles' statements, the routes they discuss, and the
    figures the independent sources add (the chapter's opening contrast)."""
    independent = [
        indicators.by_subject(figures, *PIPELINE),
        indicators.by_subject(figures, "turkmen-gas-to-china"),
        indicators.by_subject(figures, "galkynysh"),
        indicators.by_subject(figures, "tapi"),
    ]
    return {
        "energy_claims": prose.count(len(_energy_claims(edition))),
        "pipeline_count": prose.counted(_pipelines(edition)["route_id"].nunique(), "pipeline route"),
        "independent_figures": prose.counted(sum(len(rows) for rows in independent), "figure"),
    }


def _dated_facts(edition: Edition) -> prose.Facts:
    """When the pipeline started, when the companies began to cooperate and when they signed
    their agreement: "not yet" or "after this date" in a book dated before."""
    reports = data.load("events", edition)
    gas_start = reports[reports["event_id"] == "gas-cooperation-2024"]
    pipeline_start = events.one_row_per_event(reports[reports["event_id"] == "pipeline-start-2009"])
    agreements = data.load("agreements", edition)
    company_deal = agreements[agreements["agreement_id"] == "qazaqgaz-turkmengaz-2024"]
    return {
        "gas_start": events.date_label(gas_start.iloc[0]) if len(gas_start) else "not yet",
        "pipeline-start": prose.Markdown(
            f"on {events.date_label(pipeline_start.iloc[0])} "
            f"{prose.citations([pipeline_start.iloc[0]['source_id']])}"
            if len(pipeline_start)
            else "after this date"
        ),
        "company-deal": prose.Markdown(
            f"on {prose.day(company_deal.iloc[0]['signed_start'])} "
            f"{prose.citations(company_deal['source_id'])}"
            if len(company_deal)
            else "not yet"
        ),
    }


def _table_facts(edition: Edition, figures: pd.DataFrame) -> prose.Facts:
    """The pipeline's, the China trade's and TAPI's figures, the routes and the positions."""
    labels = data.measure_labels()
    return {
        "tbl-energy-pipeline": tables.figures(
            indicators.by_subject(figures, *PIPELINE),
            labels,
            caption="The Central Asia–China gas pipeline in the independent sources",
        ),
        "tbl-energy-china": tables.figures(
            indicators.by_subject(figures, "turkmen-gas-to-china"),
            labels,
            caption="Turkmen gas sold to China, as the sources report it",
        ),
        "tbl-energy-tapi": tables.figures(
            indicators.by_subject(figures, "tapi"), labels, caption="TAPI in the independent sources"
        ),
        "tbl-energy-routes": tables.markdown_table(
            _pipelines(edition),
            columns={"name": "Route", "status": "Status", "note": "Remark", "source_id": "Source"},
            caption="Gas pipeline routes in the sources",
        ),
        "tbl-energy-claims": tables.positions(
            _energy_claims(edition), caption="Positions on energy cooperation in the sources"
        ),
    }


def capacity_figure(edition: Edition) -> prose.Figure:
    """The pipeline's capacities as each source states them, so that disagreement shows."""
    pipeline = indicators.by_subject(_figures(edition), *PIPELINE)
    rows = pipeline[pipeline["unit"] == "billion cubic metres per year"]
    return _dots(
        rows,
        "Billion cubic metres per year",
        "Dot chart of the capacities and capacity targets the independent sources state "
        "for the Central Asia–China gas pipeline and its lines, one dot per source.",
    )


def galkynysh_figure(edition: Edition) -> prose.Figure:
    """The reserve estimates for Galkynysh by audit and source; resources, a wider category, are
    left out because they cannot be compared with reserves."""
    reserves = indicators.by_subject(_figures(edition), "galkynysh")
    estimates = reserves[
        (reserves["unit"] == "trillion cubic metres")
        & (reserves["indicator_id"] != "galkynysh-resources")
    ]
    return _dots(
        estimates,
        "Trillion cubic metres",
        "Dot chart of the reserve estimates for the Galkynysh field and its neighbours, "
        "by audit and estimate, one dot per source.",
    )


def _dots(rows: pd.DataFrame, value_title: str, description: str) -> prose.Figure:
    """Each source's figure for the measures of ``rows`` as a dot; with no rows, the chart is the
    message "no figure", which is its description too."""
    chart = charts.spread(rows, data.measure_labels(), value_title)
    if rows.empty:
        return prose.Figure(chart, [])
    return prose.Figure(chart.properties(description=description), list(rows["source_id"]))


def map_figure(edition: Edition) -> prose.Figure:
    """The Galkynysh field and TAPI along its publicly planned course, drawn dashed as schematic;
    the routes through Kazakhstan under discussion have no published course and are not drawn."""
    places = data.load("places", edition)
    waypoints = data.load("route_waypoints", edition)
    marked = places[places["place_id"].isin(MAP_PLACES)]
    tapi = maps.line(
        "TAPI pipeline (schematic, publicly planned route)",
        "TAPI (schematic)",
        waypoints[waypoints["route_id"] == "tapi"],
        places,
        dashed=True,
    )
    energy_map = maps.Map(
        alt_text="Map of the Galkynysh gas field in Turkmenistan and the schematic route of the "
        "TAPI pipeline through Afghanistan and Pakistan to India.",
        markers=maps.markers(marked, label_left=LABEL_LEFT),
        lines=[tapi],
    )
    return prose.Figure(energy_map, [*marked["coords_source_id"], *MAP_ARTICLES])
