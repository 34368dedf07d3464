"""The geopolitics chapter: Turkmenistan's neutrality, and each outside power's levers on the
relationship between Kazakhstan and Turkmenistan, weighed by the evidence for them.

Its argument is that the two states stand on opposite sides of every alliance question (Kazakhstan
in the Russia-led blocs and the SCO, Turkmenistan permanently neutral), so what ties them to the
larger powers is not membership but routes: who buys the gas, who finances and builds the lines,
who convenes the region. A lever appears in the chapter's table only once the edition knows the
evidence for it, each with that evidence as the sources state it, never a count of claims.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from kztm import charts, data, events, indicators, prose, tables
from kztm.catalog import category_labels
from kztm.edition import Edition

# The datasets the chapter reads, listed in its data note at the end of the chapter.
DATASETS = ("events", "agreements", "indicators")


class Lever(NamedTuple):
    """One way a power bears on the relationship, and the record that shows it: an indicator,
    an event or an agreement, by its id."""

    power: str
    lever: str
    dataset: str
    evidence: str


# The levers, power by power, in the order the chapter argues them.
LEVERS = (
    Lever("China", "Buys Turkmen gas", "indicators", "turkmen-gas-to-china-annual"),
    Lever("China", "Gas transit across Kazakhstan", "indicators", "cagp-kazakh-transit-2024"),
    Lever("China", "Finance for Turkmen gas", "indicators", "cdb-loan-turkmengaz"),
    Lever(
        "China",
        "A treaty with all five Central Asian states",
        "agreements",
        "china-central-asia-treaty-2025",
    ),
    Lever("Russia", "The old pipeline system through Kazakhstan", "indicators", "cac-design-capacity"),
    Lever(
        "Russia", "Gas to Uzbekistan across Kazakhstan", "indicators", "russian-gas-transit-kz-uz-2024"
    ),
    Lever("Russia", "Summits with the five", "events", "central-asia-russia-summit-2025"),
    Lever("Iran", "The railway's outlet", "indicators", "kti-railway-freight-2025-jan-oct"),
    Lever("India", "The North–South corridor's eastern branch", "indicators", "instc-east-freight-2023"),
    Lever("India", "Summits with the five", "events", "india-central-asia-summit-2022"),
    Lever("India", "TAPI, in which Kazakhstan seeks a stake", "indicators", "kz-tapi-stake-sought"),
    Lever("Turkey and the OTS", "An observer seat for Turkmenistan", "events", "tm-ots-observer-2021"),
    Lever(
        "Afghanistan", "A railway both states would build", "indicators", "kz-investment-torghundi-herat"
    ),
    Lever("Afghanistan", "A railway both states would build", "indicators", "torghundi-sanabar-section"),
    Lever(
        "Afghanistan",
        "Kazakh grain through Turkmenistan",
        "indicators",
        "afghan-flour-imports-kz-2024-jan-oct",
    ),
    Lever(
        "Afghanistan", "Kazakh grain through Turkmenistan", "indicators", "serkhetabat-elevator-capacity"
    ),
    Lever(
        "Uzbekistan and the region",
        "The three states' border junction",
        "agreements",
        "tripoint-treaty-2017",
    ),
    Lever(
        "Uzbekistan and the region",
        "The presidents' Consultative Meetings",
        "events",
        "consultative-meeting-2024",
    ),
    Lever(
        "Uzbekistan and the region",
        "A regional friendship treaty",
        "agreements",
        "central-asia-friendship-treaty",
    ),
    Lever(
        "The EU", "A summit and an investment package", "indicators", "eu-global-gateway-central-asia"
    ),
)
# The record of Turkmenistan's status and of Kazakhstan's regard for it, in the neutrality table.
STATUS_EVENTS = (
    "unga-neutrality-1995",
    "tm-neutrality-law-1995",
    "tm-cis-associate-2005",
    "unga-neutrality-2015",
    "kz-neutrality-friends-2020",
    "tm-ots-observer-2021",
    "sco-summit-2024",
    "unga-neutrality-2025",
    "tm-ots-observer-2025",
)
# Events the text dates, by the name it glues them under.
DATED = {
    "unga_1995": "unga-neutrality-1995",
    "law_1995": "tm-neutrality-law-1995",
    "cis_2005": "tm-cis-associate-2005",
    "unga_2015": "unga-neutrality-2015",
    "unga_2025": "unga-neutrality-2025",
    "friends_2020": "kz-neutrality-friends-2020",
    "ots_2021": "tm-ots-observer-2021",
    "ots_2025": "tm-ots-observer-2025",
    "sco_2024": "sco-summit-2024",
    "china_summit_2025": "china-central-asia-summit-2025",
    "russia_summit_2025": "central-asia-russia-summit-2025",
    "eu_summit_2025": "eu-central-asia-summit-2025",
    "reverse_start": "russian-gas-transit-uzbekistan-2023",
    "sanabar_start": "torghundi-sanabar-works-2024",
    "india_summit_2022": "india-central-asia-summit-2022",
}
# Measures the text states, by the name it glues them under.
STATED = {
    "china_annual": "turkmen-gas-to-china-annual",
    "transit_2024": "cagp-kazakh-transit-2024",
    "cdb_loan": "cdb-loan-turkmengaz",
    "cac_capacity": "cac-design-capacity",
    "reverse_2024": "russian-gas-transit-kz-uz-2024",
    "kti_2025": "kti-railway-freight-2025-jan-oct",
    "instc_2023": "instc-east-freight-2023",
    "tapi_stake": "kz-tapi-stake-sought",
    "herat_investment": "kz-investment-torghundi-herat",
    "sanabar_section": "torghundi-sanabar-section",
    "flour_2024": "afghan-flour-imports-kz-2024-jan-oct",
    "grain_ready": "afghan-grain-import-readiness",
    "elevator": "serkhetabat-elevator-capacity",
    "friends_members": "neutrality-friends-group-members",
    "global_gateway": "eu-global-gateway-central-asia",
}


def facts(edition: Edition) -> prose.Facts:
    """Everything the chapter's text and tables show, by the name its text glues."""
    figures = data.load("indicators", edition)
    one_each = events.one_row_per_event(data.load("events", edition), edition.day)
    agreements = data.load("agreements", edition)
    found: prose.Facts = {
        **prose.edition_facts(DATASETS, edition),
        "tbl-geopolitics-levers": levers_table(figures, one_each, agreements),
        "friendship_treaty": friendship_treaty(agreements, edition),
    }
    dated = {name: when(one_each, event, edition) for name, event in DATED.items()}
    stated = {name: indicators.stated(figures, measure) for name, measure in STATED.items()}
    return found | dated | stated


def when(one_each: pd.DataFrame, event_id: str, edition: Edition) -> str:
    """An event's date as precisely as its best report gives it; not yet known before any
    report of it."""
    rows = one_each[one_each["event_id"] == event_id]
    if rows.empty:
        return prose.not_known(edition.as_of)
    return events.date_label(rows.iloc[0], month="%B")


def friendship_treaty(agreements: pd.DataFrame, edition: Edition) -> str:
    """Whether a source known by the edition reports Turkmenistan outside the Central Asian
    friendship treaty: the text's word for its status."""
    pending = agreements[
        (agreements["agreement_id"] == "central-asia-friendship-treaty")
        & (agreements["status"] == "pending")
    ]
    treaty = "the Central Asian treaty on friendship, good-neighbourliness and cooperation"
    if len(pending):
        return f"Turkmenistan had not signed {treaty}"
    return f"whether Turkmenistan had signed {treaty} is {prose.not_known(edition.as_of)}"


def evidence(
    lever: Lever, figures: pd.DataFrame, one_each: pd.DataFrame, agreements: pd.DataFrame
) -> dict[str, str] | None:
    """What the record shows for one lever, and its sources; None while the edition knows none."""
    if lever.dataset == "indicators":
        rows = figures[figures["indicator_id"] == lever.evidence]
        if rows.empty:
            return None
        label = data.measure_labels().get(lever.evidence, lever.evidence)
        shown = f"{label}: {indicators.stated(rows, lever.evidence)}"
    elif lever.dataset == "events":
        rows = one_each[one_each["event_id"] == lever.evidence]
        if rows.empty:
            return None
        best = rows.iloc[0]
        shown = f"{best['title']} ({events.date_label(best)})"
        rows = pd.DataFrame({"source_id": str(best["sources"]).split("; ")})
    else:
        rows = agreements[agreements["agreement_id"] == lever.evidence]
        if rows.empty:
            return None
        best = events.most_precise(rows, "agreement_id", events.SIGNED).iloc[0]
        status = category_labels("agreements", "status")[str(best["status"])].lower()
        # The signing dated as an event is: by its start and end, as precisely as reported.
        dated = best.rename({"signed_start": "date_start", "signed_end": "date_end"})
        signed = "" if pd.isna(best["signed_start"]) else f", {events.date_label(dated)}"
        shown = f"{best['title']}: {status}{signed}"
    return {"evidence": shown, "sources": "; ".join(dict.fromkeys(rows["source_id"]))}


def levers_table(
    figures: pd.DataFrame, one_each: pd.DataFrame, agreements: pd.DataFrame
) -> prose.Markdown:
    """Each power's levers on the relationship, one row per piece of evidence, with its sources
    in one cell: what the record shows, not how often the sources talk about it."""
    rows = []
    for lever in LEVERS:
        shown = evidence(lever, figures, one_each, agreements)
        if shown is not None:
            rows.append({"power": lever.power, "lever": lever.lever} | shown)
    table = pd.DataFrame(rows, columns=["power", "lever", "evidence", "sources"])
    return tables.markdown_table(
        table,
        columns={
            "power": "Power",
            "lever": "Lever",
            "evidence": "What the record shows",
            "sources": "Sources",
        },
        caption="The outside powers' levers on the relationship, and the evidence for each",
    )


def status_figure(edition: Edition) -> prose.Figure:
    """Turkmenistan's neutrality and its seats in regional bodies, and Kazakhstan's regard for
    them, on a timeline: one row per event, oldest first, every source in its tooltip."""
    one_each = events.one_row_per_event(data.load("events", edition), edition.day)
    chosen = one_each[one_each["event_id"].isin(STATUS_EVENTS)]
    chart = charts.timeline(chosen)
    if chosen["date_start"].isna().all():
        return prose.Figure(chart, list(chosen["source_id"]))
    chart = chart.properties(
        description="Timeline of Turkmenistan's neutrality and its place in regional bodies: the "
        "UN resolutions, its law of neutrality, its associate status in the CIS, its observer "
        "seat in the Organization of Turkic States and Kazakhstan's recognition of the status."
    )
    return prose.Figure(chart, [s for ids in chosen["sources"] for s in str(ids).split("; ")])
