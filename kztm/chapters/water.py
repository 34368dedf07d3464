"""The Caspian chapter: the sea's legal regime, the lines the two states have drawn in it, the
pipeline question, the falling sea and its ports, and the shared water of the Aral basin.

Its argument is that between Kazakhstan and Turkmenistan the Caspian is settled on paper and
unsettled in nature: every bilateral line is drawn, while what stays open is multilateral (a
convention not in force, a pipeline whose veto players are disputed) or physical (the level).
Each figure comes from the data, so a book dated before a treaty, a summit or a measurement says
it is not yet known rather than repeating what was learnt later.
"""

from __future__ import annotations

import pandas as pd

from kztm import agreements, data, events, indicators, maps, prose, tables
from kztm.edition import Edition
from kztm.tables import escape

# The datasets the chapter reads, listed in its data note at the end of the chapter.
DATASETS = ("agreements", "events", "indicators", "agenda", "places")

# The two states of this report, among the Caspian's littoral states.
PARTNERS = 2
# The instruments that make the Caspian's law between the two, oldest first.
INSTRUMENTS = (
    "kz-tm-border-treaty-2001",
    "kz-tm-seabed-2014",
    "kz-tm-demarcation-2017",
    "caspian-convention-2018",
    "caspian-boundary-2021",
)
# The five states' meetings on the Caspian.
SUMMITS = ("caspian-summit-2014", "caspian-summit-2018", "caspian-summit-2022", "caspian-summit-2026")
# The ratifications of the Convention the text dates, by the name it glues them under.
RATIFICATIONS = {
    "ratified_turkmenistan": "tm-convention-ratification-2018",
    "ratified_kazakhstan": "kz-convention-ratification-2019",
    "ratified_russia": "ru-convention-ratification-2019",
}
# Measures the text states, by the name it glues them under.
STATED = {
    "territorial_waters": "caspian-territorial-waters-breadth",
    "fishery_zone": "caspian-fishery-zone-breadth",
    "maritime_border": "kz-tm-maritime-border-length",
    "tcp_length": "tcp-length",
    "tcp_capacity": "tcp-capacity",
    "tcp_offer": "tcp-turkmen-gas-offer",
    "oil_btc_2023": "kz-oil-aktau-btc-2023",
    "oil_btc_agreed": "kz-oil-btc-agreed-volume",
    "level_2025": "caspian-level-2025",
    "fall_rate": "caspian-level-fall-rate",
    "fall_25_years": "caspian-level-fall-25-years",
    "fall_2025_north_east": "caspian-level-fall-2025-north-east",
    "fall_2025_east": "caspian-level-fall-2025-east",
    "ferry_tank_cars": "kuryk-ferry-tank-cars-fall",
    "aktau_load": "aktau-tanker-load",
    "aktau_load_full": "aktau-tanker-load-full",
    "aktau_dredging": "aktau-port-dredging-depth",
    "kuryk_depth": "kuryk-port-depth",
    "turkmenbashi_throughput": "turkmenbashi-port-throughput-2021",
    "cargo_growth": "aktau-turkmenbashi-cargo-growth",
}
# Measures the sources disagree on, written as a range with "depending on the source".
RANGES = {
    "fall_since_2006": "caspian-level-fall-since-2006",
    "forecast_2030": "caspian-level-forecast-2030",
    "turkmenbashi_capacity": "turkmenbashi-port-capacity",
}
# The figures of the sea-level table, in the order a reader follows the argument.
SEA_MEASURES = (
    "caspian-level-2025",
    "caspian-level-fall-rate",
    "caspian-level-fall-since-2006",
    "caspian-level-fall-25-years",
    "caspian-level-fall-2025-north-east",
    "caspian-level-fall-2025-east",
    "caspian-level-forecast-2030",
    "aktau-tanker-load",
    "aktau-tanker-load-full",
    "aktau-port-dredging-depth",
    "kuryk-port-depth",
    "kuryk-ferry-tank-cars-fall",
)
# Statements quoted in the text, by the name it glues them under (agenda claim ids); statements in
# Russian are reported in the text's own words instead.
QUOTED = {
    "quote_not_in_force": "convention-not-in-force-iran",
    "quote_priority": "convention-entry-into-force-priority",
    "quote_sympathetic": "sympathetic-to-parties",
    "quote_article_14": "tcp-article-14-sector-consent",
    "quote_delimitation": "tcp-depends-on-seabed-delimitation",
    "quote_environmental_condition": "article-14-environmental-condition",
    "quote_all_consent_2006": "tcp-all-littoral-consent-2006",
    "quote_lacks_gas": "tcp-kazakhstan-lacks-gas",
    "quote_ferry_suspended": "turkmen-ferry-suspended",
    "quote_ferry_considered": "kuryk-turkmenbashi-ferry",
}
# The agenda rows of the pipeline question, whoever states them.
PIPELINE_CLAIMS = (
    "article-14-environmental-condition",
    "tcp-article-14-sector-consent",
    "tcp-depends-on-seabed-delimitation",
    "tcp-russia-opposes-environment",
    "tcp-iran-opposes-environment",
    "tcp-eia-protocol-all-littoral",
    "tcp-all-littoral-consent-2006",
    "tcp-kazakhstan-lacks-gas",
)
# The themes of the environmental agenda this chapter's last table reports.
WATER_THEMES = ("aral", "water")
# The places the map marks: the two seas, the ports and the capitals.
MAP_PLACES = ("caspian-sea", "aral-sea", "aktau", "kuryk", "turkmenbashi", "astana", "ashgabat")


def facts(edition: Edition) -> prose.Facts:
    """Everything the chapter's text and tables show, by the name its text glues."""
    figures = data.load("indicators", edition)
    agenda = data.load("agenda", edition)
    found: prose.Facts = {
        **prose.edition_facts(DATASETS, edition),
        "littoral_others": littoral_others(figures),
        "tbl-water-instruments": instruments_table(edition),
        "tbl-water-pipeline": claims_table(
            agenda[agenda["claim_id"].isin(PIPELINE_CLAIMS)],
            "Positions on a gas pipeline across the Caspian",
        ),
        "tbl-water-sea": indicators.by_measure(
            indicators.rows_of(figures, SEA_MEASURES),
            data.measure_labels(),
            caption="The falling sea and the ports: the figures the sources give",
        ),
        "tbl-water-agenda": claims_table(
            agenda[agenda["theme"].isin(WATER_THEMES)], "The shared-water agenda in the sources"
        ),
    }
    stated = {name: indicators.stated(figures, measure) for name, measure in STATED.items()}
    ranges = {
        name: indicators.stated(figures, measure, depending=True) for name, measure in RANGES.items()
    }
    return (
        found
        | stated
        | ranges
        | signing_facts(edition)
        | summit_facts(edition)
        | {name: quoted(agenda, claim, edition) for name, claim in QUOTED.items()}
    )


def littoral_others(figures: pd.DataFrame) -> str:
    """How many states besides the two share the Caspian, as a source counts the littoral
    states; 'several' before a source says."""
    littoral = indicators.rows_of(figures, ["caspian-littoral-states"])["value"]
    return prose.count(int(littoral.iloc[0]) - PARTNERS) if len(littoral) else "several"


def signing_facts(edition: Edition) -> prose.Facts:
    """When each instrument was signed: glued as ``signed_<id>`` (hyphens as underscores), with
    its year alone as ``year_<id>`` and its month as ``month_<id>``."""
    documents = data.load("agreements", edition)
    found: prose.Facts = {}
    for agreement in INSTRUMENTS:
        name = agreement.replace("-", "_")
        signed = agreements.signed_report(documents, agreement)
        found["signed_" + name] = agreements.signing_day(signed)
        # The year alone, and the month, where the text names no day (the table gives it).
        if signed is None:
            found["year_" + name] = found["month_" + name] = prose.not_known(edition.as_of)
            continue
        found["year_" + name] = prose.at_precision(signed["signed_start"], "year")
        found["month_" + name] = prose.at_precision(
            signed["signed_start"], "year" if signed["precision"] == "year" else "month"
        )
    return found


def summit_facts(edition: Edition) -> prose.Facts:
    """When the five states met, and the next meeting (``summit_<year>`` for each), and when the
    Convention was ratified (``ratified_<state>``)."""
    one_each = events.one_row_per_event(data.load("events", edition)).set_index("event_id")

    def when(event_id: str) -> str:
        if event_id not in one_each.index:
            return prose.not_known(edition.as_of)
        event = one_each.loc[event_id]
        if event["precision"] == "day" and event["date_end"] != event["date_start"]:
            return events.date_label(event)  # a span of days: '24–25 Oct 2021'
        return prose.at_precision(event["date_start"], str(event["precision"]))

    found: prose.Facts = {"summit_" + summit.rsplit("-", 1)[1]: when(summit) for summit in SUMMITS}
    return found | {name: when(event) for name, event in RATIFICATIONS.items()}


def quoted(agenda: pd.DataFrame, claim_id: str, edition: Edition) -> prose.Markdown:
    """A source's own words on one point, in quotation marks with its citation; a book dated
    before any source says so says it is not yet known."""
    rows = agenda[agenda["claim_id"] == claim_id]
    if rows.empty:
        return prose.Markdown(escape(prose.not_known(edition.as_of)))
    row = rows.iloc[0]
    # The sentence around the quotation ends it, so the quotation's own full stop is left out.
    words = str(row["quote"]).rstrip().removesuffix(".")
    return prose.Markdown(f"“{escape(words)}” {prose.citations([row['source_id']])}")


def claims_table(claims: pd.DataFrame, caption: str) -> prose.Markdown:
    """Statements as the sources make them: one row per statement, our summary and its source."""
    return tables.positions(claims, caption=caption)


def instruments_table(edition: Edition) -> prose.Markdown:
    """The instruments of the Caspian's law between the two, oldest first."""
    return agreements.instruments_table(
        data.load("agreements", edition),
        INSTRUMENTS,
        caption="The Caspian's law between Kazakhstan and Turkmenistan, oldest first",
        parties="Scope",
    )


def map_figure(edition: Edition) -> prose.Figure:
    """Where the chapter's questions lie: the two seas, the ports that face each other across the
    Caspian, and the capitals."""
    places = data.load("places", edition)
    shown = places[places["place_id"].isin(MAP_PLACES)]
    map_ = maps.Map(
        alt_text="Map of the Caspian Sea and the Aral Sea with the ports of Aktau, Kuryk and "
        "Turkmenbashi and the capitals Astana and Ashgabat.",
        markers=maps.markers(shown),
        margin_deg=3.0,
    )
    return prose.Figure(map_, list(shown["coords_source_id"]))
