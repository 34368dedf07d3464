"""The energy chapter: the China pipeline across Kazakhstan, gas to Russia and the reverse flow,
Kazakhstan's own gas balance and its purchases of Turkmen gas, and TAPI in proportion.

Its argument is that the gas relationship between the two states runs through third parties:
Turkmen gas crosses Kazakhstan to China in tens of billions of cubic metres a year, while what
Kazakhstan buys from Turkmenistan has no public volume or price. Every figure comes from the data,
as a range where the sources differ, so that a book dated earlier says what was not yet known.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from kztm import charts, data, events, indicators, maps, prose, tables
from kztm.bibliography import name_sources
from kztm.edition import Edition

# The datasets its data note lists (measures, which only names the rows, is not listed).
DATASETS = ("indicators", "events", "agreements", "agenda", "routes", "route_waypoints", "places")

# The pipeline's name, which its tables' and charts' captions give and their rows leave out.
PIPELINE_NAME = "Central Asia–China gas pipeline"
# The subjects (indicators.csv) of the Central Asia–China gas pipeline and its lines.
PIPELINE = ("cagp", "cagp-kazakh-section", "cagp-line-c", "cagp-line-d")
# Measures the text states, by the name it glues them under.
STATED = {
    "zhambyl_length": "cagp-kazakh-zhambyl-length",
    "line_c_kazakh": "cagp-line-c-kazakh-length",
    "line_c_export": "cagp-line-c-kazakh-export-capacity",
    "line_d_capacity": "cagp-line-d-capacity",
    "transit_2024": "cagp-kazakh-transit-2024",
    "transit_2025": "cagp-kazakh-transit-plan-2025",
    "china_annual": "turkmen-gas-to-china-annual",
    "before_2009": "gazprom-turkmen-gas-before-2009",
    "contract": "gazprom-turkmen-gas-contract",
    "russia_2021": "turkmen-gas-to-russia-2021",
    "russia_2023": "turkmen-gas-to-russia-2023",
    "cac_capacity": "cac-design-capacity",
    "cac_modernised": "cac-kazakh-modernised-length",
    "reverse_2023": "russian-gas-transit-kz-uz-2023",
    "reverse_2024": "russian-gas-transit-kz-uz-2024",
    "reverse_target": "russian-gas-transit-kz-uz-target",
    "commercial_2023": "kz-commercial-gas-2023",
    "domestic_2023": "kz-gas-domestic-supply-2023",
    "consumption_2022": "kz-gas-consumption-2022",
    "consumption_2024": "kz-gas-consumption-forecast-2024",
    "consumption_2030": "kz-gas-consumption-2030-forecast",
    "imports_stated": "kz-gas-imports-tokayev",
    "swap_cnpc": "kz-turkmen-gas-swap-cnpc",
    "audit_2008_high": "galkynysh-2008-high",
    "audit_2011_optimal": "galkynysh-2011-optimal",
    "resources": "galkynysh-resources",
    "tapi_turkmen": "tapi-turkmen-section",
    "tapi_herat": "tapi-herat-section",
    "tapi_ready": "tapi-herat-route-ready",
    "tapi_stake": "kz-tapi-stake-sought",
}
# Measures the sources disagree on, written as a range "depending on the source".
RANGES = {
    "cagp_length": "cagp-length",
    "kazakh_section": "cagp-kazakh-section-length",
    "cagp_capacity": "cagp-capacity",
    "after_2009": "gazprom-turkmen-gas-after-2009",
    "russia_2022": "turkmen-gas-to-russia-2022",
    "tapi_length": "tapi-length",
    "tapi_afghan": "tapi-afghan-section",
}
# The dated milestones the text names, by the name it glues them under (events.csv).
MILESTONES = {
    "construction_2008": "cagp-kazakh-construction-2008",
    "line_a": "pipeline-start-2009",
    "line_b": "cagp-line-b-2010",
    "line_c": "cagp-line-c-2014",
    "explosion": "cac-explosion-2009",
    "contract_ended": "gazprom-turkmengaz-contract-ended-2016",
    "resumed": "turkmen-gas-to-russia-resumed-2019",
    "reverse_start": "russian-gas-transit-uzbekistan-2023",
    "contract_expired": "gazprom-turkmengaz-contract-expired-2024",
    "tapi_works": "tapi-afghan-works-2024",
}
# The milestones of gas to Russia, for their table, oldest first.
RUSSIA_EVENTS = (
    "cac-explosion-2009",
    "gazprom-turkmengaz-contract-ended-2016",
    "turkmen-gas-to-russia-resumed-2019",
    "russian-gas-transit-uzbekistan-2023",
    "gazprom-turkmengaz-contract-expired-2024",
)
# The yearly volumes of the flows chart, by what they measure; the year is the row's period.
FLOWS = {
    "cagp-flow-2017": "Delivered to China through the pipeline",
    "cagp-flow-2019": "Delivered to China through the pipeline",
    "cagp-flow-2022": "Delivered to China through the pipeline",
    "turkmen-gas-to-china-volume-2021": "Turkmen gas alone, to China",
    "cagp-kazakh-transit-2024": "Transit across Kazakhstan, planned",
    "cagp-kazakh-transit-plan-2025": "Transit across Kazakhstan, planned",
}
# The figures of the table on gas to Russia and the reverse flow, in reading order.
RUSSIA_MEASURES = (
    "gazprom-turkmen-gas-before-2009",
    "gazprom-turkmen-gas-after-2009",
    "gazprom-turkmen-gas-2015",
    "gazprom-turkmen-gas-contract",
    "turkmen-gas-to-russia-2021",
    "turkmen-gas-to-russia-2022",
    "turkmen-gas-to-russia-2023",
    "cac-design-capacity",
    "russian-gas-transit-kz-uz-2023",
    "russian-gas-transit-kz-uz-2024-jan-aug",
    "russian-gas-transit-kz-uz-2024",
    "russian-gas-transit-kz-uz-target",
)
# The figures of Kazakhstan's gas balance, in reading order.
BALANCE_MEASURES = (
    "kz-gas-production-plan-2024",
    "kz-commercial-gas-2023",
    "kz-gas-domestic-supply-2023",
    "kz-gas-consumption-2022",
    "kz-gas-consumption-forecast-2024",
    "kz-gas-consumption-2030-forecast",
    "kz-gas-imports-tokayev",
    "kz-turkmen-gas-swap-cnpc",
)
# The positions on Kazakhstan buying Turkmen gas (agenda claim ids), for the one claims table.
PURCHASE_CLAIMS = (
    "gas-diversification",
    "commercial-gas",
    "kz-gas-deficit-imports",
    "senate-systematic-purchase",
    "turkmen-swap-to-kazakhstan",
    "tapi-stake-no-answer",
)
# The places the map marks; the labels of Multan, Ashgabat and Olot go on the left, where a
# neighbour's label would otherwise cover them.
MAP_PLACES = (
    "saman-depe",
    "olot",
    "khorgos",
    "galkynysh",
    "ashgabat",
    "astana",
    "herat",
    "kandahar",
    "multan",
    "fazilka",
)
LABEL_LEFT = ("multan", "ashgabat", "olot")


def _figures(edition: Edition) -> pd.DataFrame:
    """The stated quantities the edition knows (indicators.csv)."""
    return data.load("indicators", edition)


def facts(edition: Edition) -> prose.Facts:
    """Everything the chapter's text and tables show, by the name its text glues."""
    figures = _figures(edition)
    opening: prose.Facts = {
        **prose.edition_facts(DATASETS, edition),
        "cumulative_latest": latest_cumulative(figures),
    }
    stated = {name: indicators.stated(figures, measure) for name, measure in STATED.items()}
    ranges = {
        name: indicators.stated(figures, measure, depending=True) for name, measure in RANGES.items()
    }
    return opening | stated | ranges | milestone_facts(edition) | _table_facts(edition, figures)


def latest_cumulative(figures: pd.DataFrame) -> str:
    """The latest running total of gas delivered to China, with the day it runs to: the sources
    give several, each to its own day, and only the latest says how far the pipeline has come."""
    rows = indicators.rows_of(figures, ["cagp-cumulative-delivery"]).dropna(subset=["period_end"])
    if rows.empty:
        return "not stated in the sources"
    row = rows.sort_values("period_end").iloc[-1]
    amount = prose.figure(row["value"], row["unit"], str(row["qualifier"]))
    return f"{amount} by {prose.day(row['period_end'])}"


def milestone_facts(edition: Edition) -> prose.Facts:
    """When each milestone happened, as precisely as its best report dates it; a book dated
    before it says it is not yet known."""
    one_each = events.one_row_per_event(data.load("events", edition)).set_index("event_id")

    def when(event_id: str) -> str:
        if event_id not in one_each.index or pd.isna(one_each.loc[event_id, "date_start"]):
            return prose.not_known(edition.as_of)
        event = one_each.loc[event_id]
        return prose.at_precision(event["date_start"], str(event["precision"]))

    return {name: when(event_id) for name, event_id in MILESTONES.items()}


def _table_facts(edition: Edition, figures: pd.DataFrame) -> prose.Facts:
    """The pipeline's figures, the Russian record, the gas balance, TAPI and the positions."""
    labels = data.measure_labels()
    agenda = data.load("agenda", edition)
    claims = agenda[(agenda["theme"] == "energy") & agenda["claim_id"].isin(PURCHASE_CLAIMS)]
    pipeline = indicators.by_subject(figures, *PIPELINE)
    return {
        "tbl-energy-pipeline": indicators.measures_register(
            pipeline[pipeline["unit"] != "miles"],
            labels,
            caption="The Central Asia–China gas pipeline in the sources",
            used=[*STATED.values(), *RANGES.values()],
            subject=PIPELINE_NAME,
        ),
        "tbl-energy-russia-events": russia_events_table(edition),
        "tbl-energy-russia": indicators.by_measure(
            indicators.rows_of(figures, RUSSIA_MEASURES),
            labels,
            caption="Turkmen gas to Russia, and Russian gas across Kazakhstan",
        ),
        "tbl-energy-balance": indicators.by_measure(
            indicators.rows_of(figures, BALANCE_MEASURES),
            labels,
            caption="Kazakhstan's gas balance and its purchases: the figures the sources give",
        ),
        "tbl-energy-tapi": indicators.by_measure(
            indicators.by_subject(figures, "tapi"), labels, caption="TAPI in the sources"
        ),
        "tbl-energy-claims": tables.positions(
            claims, caption="Positions on Kazakhstan buying Turkmen gas"
        ),
    }


def russia_events_table(edition: Edition) -> prose.Markdown:
    """The milestones of gas to Russia: one row per event, its date as precisely as the best
    report gives it and every source that reports it in one cell."""
    one_each = events.one_row_per_event(data.load("events", edition))
    chosen = one_each[one_each["event_id"].isin(RUSSIA_EVENTS)]
    rows = pd.DataFrame(
        {
            "when": [
                prose.at_precision(start, str(precision)) if pd.notna(start) else "undated"
                for start, precision in zip(chosen["date_start"], chosen["precision"], strict=True)
            ],
            "title": chosen["title"],
            "sources": list(chosen["sources"]),
        }
    )
    return tables.markdown_table(
        rows,
        columns={"when": "When", "title": "What happened", "sources": "Sources"},
        caption="Turkmen gas to Russia: the milestones",
    )


def capacity_figure(edition: Edition) -> prose.Figure:
    """The pipeline's capacities as each source states them, so that disagreement shows."""
    pipeline = indicators.by_subject(_figures(edition), *PIPELINE)
    rows = pipeline[pipeline["unit"] == "billion cubic metres per year"]
    return _dots(
        rows,
        "Billion cubic metres per year",
        "Dot chart of the capacities and capacity targets the independent sources state "
        "for the Central Asia–China gas pipeline and its lines, one dot per source.",
        subject=PIPELINE_NAME,
    )


def flow_rows(edition: Edition) -> pd.DataFrame:
    """The yearly volumes the sources state for the pipeline, one row per figure and source,
    with the year it covers and what it measures."""
    rows = indicators.rows_of(_figures(edition), FLOWS)
    return rows.assign(
        year=rows["period_start"].dt.year,
        series=rows["indicator_id"].map(FLOWS),
        cited=rows["source_id"].map(name_sources),
        figure=rows["qualifier"].astype(str).map(charts.QUALIFIER_LABELS),
    )


def flows_figure(edition: Edition) -> prose.Figure:
    """Yearly volumes on a continuous axis of years, one dot per source, so that the years no
    source covers show as gaps rather than closing up."""
    rows = flow_rows(edition)
    if rows.empty:
        return prose.Figure(charts.nothing_to_show(charts.NO_FIGURE), [])
    years = alt.Scale(domain=[2009, max(2025, int(rows["year"].max()))], nice=False)
    chart = (
        alt.Chart(rows)
        .mark_point(filled=True, size=90, opacity=0.85)
        .encode(
            x=alt.X("year:Q", title=None, scale=years, axis=alt.Axis(format="d", tickMinStep=1)),
            y=alt.Y("value:Q", title="Billion cubic metres", scale=alt.Scale(zero=True)),
            color=alt.Color("series:N", title="What is measured", scale=alt.Scale(range=charts.PALETTE)),
            shape=alt.Shape("figure:N", title="Figure"),
            tooltip=[
                alt.Tooltip("year:Q", title="Year", format="d"),
                alt.Tooltip("series:N", title="Measure"),
                alt.Tooltip("value:Q", title="Billion cubic metres", format=",.6~g"),
                alt.Tooltip("figure:N", title="Figure"),
                alt.Tooltip("cited:N", title="Source"),
            ],
        )
        .properties(
            width=360,
            height=220,
            description="Dot chart of the yearly gas volumes the sources state for the "
            "Central Asia–China pipeline, 2009 onwards, one dot per source; years without a "
            "figure are left empty.",
        )
        .configure_legend(direction="vertical", orient="bottom")
    )
    return prose.Figure(chart, list(rows["source_id"]))


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


def _dots(rows: pd.DataFrame, value_title: str, description: str, subject: str = "") -> prose.Figure:
    """Each source's figure for the measures of ``rows`` as a dot, labelled without the
    ``subject`` the caption names; with no rows, the chart is the message "no figure", which is
    its description too."""
    labels = {
        measure: indicators.without_subject(label, subject)
        for measure, label in data.measure_labels().items()
    }
    chart = charts.spread(rows, labels, value_title)
    if rows.empty:
        return prose.Figure(chart, [])
    return prose.Figure(chart.properties(description=description), list(rows["source_id"]))


def map_figure(edition: Edition) -> prose.Figure:
    """The China pipeline through the points its sources name, in their order (schematic between
    them), and TAPI along its publicly planned course, dashed: both start near Galkynysh, only
    one crosses Kazakhstan."""
    places = data.load("places", edition)
    waypoints = data.load("route_waypoints", edition)
    marked = places[places["place_id"].isin(MAP_PLACES)]
    china = waypoints[waypoints["route_id"] == "cagp"]
    lines = [
        maps.line(
            "Central Asia–China gas pipeline (schematic between named points)",
            "China pipeline (schematic)",
            china,
            places,
        ),
        maps.line(
            "TAPI pipeline (schematic, publicly planned route)",
            "TAPI, planned (schematic)",
            waypoints[waypoints["route_id"] == "tapi"],
            places,
            dashed=True,
        ),
    ]
    energy_map = maps.Map(
        alt_text="Map of the Central Asia–China gas pipeline from Saman-Depe in Turkmenistan "
        "through Uzbekistan and southern Kazakhstan to Khorgos on the Chinese border, drawn "
        "schematically between the places its sources name, and of the planned TAPI pipeline "
        "from the Galkynysh field through Afghanistan and Pakistan to India, which does not "
        "touch Kazakhstan.",
        markers=maps.markers(marked, label_left=LABEL_LEFT),
        lines=[line for line in lines if line.points],
    )
    cited = [*marked["coords_source_id"], *china["source_id"]]
    return prose.Figure(energy_map, list(dict.fromkeys(cited)))
