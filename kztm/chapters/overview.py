"""The overview chapter: the report's key findings, what to watch and the map of places.

The landing page leads with the key findings and what to watch (the build reads them from this
chapter's outputs), so each sentence must stay no stronger than its evidence for whatever the
edition knows: a change between two years reported by different sources is not called a trend, a
count of one reads "one meeting", an argument made by one source is attributed to it, and a value
no source gives by the edition's day is left out rather than guessed. Each finding ends with a
link to the chapter that argues it.
"""

from __future__ import annotations

import pandas as pd

from kztm import data, maps, prose
from kztm.edition import Edition
from kztm.events import (
    date_label,
    diplomatic,
    one_row_per_event,
    presidential_meetings,
    status_label,
)
from kztm.prose import citations, count, counted, day, money, percent, quantity
from kztm.tables import escape
from kztm.trade import full_year_changes, with_labels

# The datasets the chapter reads, listed in its data note.
DATASETS = ("trade", "events", "indicators", "places", "actors", "discrepancies", "crosscheck")

OPEN_STATUSES = ("announced", "planned", "proposed")


def diplomacy_finding(held: pd.DataFrame, places: pd.DataFrame, agreements: pd.Series | None) -> str:
    """Contact at the top: how many events, since when, and where the presidents met; the count of
    agreements only where a source known by then gives it (None otherwise)."""
    held = held.dropna(subset=["date_start"])
    if held.empty:
        return "*Diplomacy.* No dated meeting between the two states is recorded by this date."
    country = places.set_index("place_id")["country"]
    summits = presidential_meetings(held)
    summits = summits[summits["place_id"].notna()]
    hosts = summits["place_id"].map(country).astype(str)
    in_kazakhstan = int((hosts == "KAZ").sum())
    recorded = counted(len(held), "meeting, visit or signing", "meetings, visits and signings")
    text = (
        f"*Contact at the top.* The data records {recorded} from "
        f"{held['date_start'].min():%Y} to "
        f"{held['date_start'].max():%Y}"
    )
    if agreements is not None:
        text += (
            ", and one source counts "
            f"{quantity(agreements['value'], agreements['qualifier'])} bilateral agreements "
            f"{citations([agreements['source_id']])}"
        )
    text += "."
    if len(summits):
        met = counted(len(summits), "presidential visit or meeting", "presidential visits and meetings")
        text += f" Of the {met} it places, {count(in_kazakhstan)} were in Kazakhstan."
    return text + " ({ref}`diplomacy`)"


def trade_finding(changes: pd.DataFrame, target: pd.Series | None) -> str:
    """Trade against its target (None before a source known by then names one); a change between
    years is called a change only when one source reports both years."""
    if changes.empty:
        return "*Trade.* No full-year trade figure is known by this date. ({ref}`trade`)"
    latest = changes.iloc[-1]
    level = (
        f"{escape(money(latest['value_usd_m']))} in {latest['year']} {citations([latest['source_id']])}"
    )
    if target is None:
        text = f"*Trade.* Turnover was {level}; no source known by this date names a target for it."
    else:
        text = (
            f"*Trade is small against its political target.* Turnover was {level}, "
            f"{escape(money(target['value'] - latest['value_usd_m']))} short of the "
            f"{escape(money(target['value']))} both governments name as their goal."
        )
    return text + _change_sentence(changes) + " ({ref}`trade`)"


def _change_sentence(changes: pd.DataFrame) -> str:
    """The change from the year before the latest, with the caveat when two sources report the two
    years (empty when there is no year before it)."""
    latest = changes.iloc[-1]
    if len(changes) < 2 or pd.isna(latest["change_pct"]):
        return ""
    previous = changes.iloc[-2]
    change = escape(percent(latest["change_pct"], signed=True))
    if previous["source_id"] != latest["source_id"]:
        return (
            f" Against {previous['year']} that is a change of {change}, but the two years come from "
            "different sources, so the change may be a difference of statistics rather than of trade."
        )
    return f" Against {previous['year']} that is a change of {change}."


def transit_finding(volume: pd.Series, same_figure: pd.DataFrame) -> str:
    """The railway, the one project with a reported flow, and what the figure measures."""
    amount = f"{quantity(volume['value'])} {volume['unit']} in {volume['period_start']:%Y}"
    if same_figure.empty:
        return (
            "*The railway to Iran is the one shared project whose traffic the articles report.* "
            f"The Kazakhstan–Turkmenistan–Iran line carried {amount} "
            f"{citations([volume['source_id']])}, a figure from a single statement. "
            "({ref}`logistics`)"
        )
    return (
        "*Rail freight between the two countries is measured; the Iran line's own traffic is "
        f"not.* The {amount} that an article gives the Kazakhstan–Turkmenistan–Iran line "
        f"{citations([volume['source_id']])} is, in the minister's statement as other agencies "
        f"relay it, all rail cargo between the two countries "
        f"{citations(same_figure['source_id'])}. ({{ref}}`logistics`)"
    )


def energy_finding(transit: pd.DataFrame) -> str:
    """Gas: a transit to China that exists, and a bilateral trade in gas that does not yet."""
    if transit.empty:
        return (
            "*Gas cooperation is an agenda, not yet a flow.* The sources give no volume, price or "
            "capacity for gas between the two countries. ({ref}`energy`)"
        )
    first = transit.iloc[0]
    return (
        "*Turkmen gas crosses Kazakhstan in bulk; what Kazakhstan buys itself is not measured.* "
        f"Kazakhstan planned to carry {quantity(first['value'])} {first['unit']} of Turkmen and "
        f"Uzbek gas to China in {first['period_start']:%Y} {citations(transit['source_id'])}. "
        "Gas is among Kazakhstan's imports from Turkmenistan, and the companies have signed "
        "agreements and talk of a roadmap for the Galkynysh field, but no source gives the "
        "volume Kazakhstan buys or its price. ({ref}`energy`)"
    )


def powers_finding(
    actors: pd.DataFrame,
    neutrality: pd.Series | None,
    china_gas: pd.DataFrame,
    reverse_flow: pd.DataFrame,
) -> str:
    """The larger powers weighed by their levers, not by how often the articles name them:
    Turkmen neutrality (the UN's recognition, None before a source known by then reports it),
    China's gas purchases and the reversed Russian flow, each said only where a source known by
    the edition states it; the articles' argument that regional cooperation loosens Moscow's
    hold, attributed."""
    parts = []
    if neutrality is not None:
        parts.append(
            "Turkmenistan is permanently neutral, recognised as such by the UN General Assembly on "
            f"{day(neutrality['date_start'])} {citations(str(neutrality['sources']).split('; '))}, "
            "and joins no bloc Kazakhstan belongs to"
        )
    if len(china_gas):
        row = china_gas.iloc[0]
        parts.append(
            f"China buys {quantity(row['value'], row['qualifier'])} {row['unit']} of Turkmen gas "
            f"through Kazakhstan {citations([row['source_id']])}"
        )
    if len(reverse_flow):
        row = reverse_flow.iloc[0]
        parts.append(
            f"Russia's old pipeline north carried {quantity(row['value'], row['qualifier'])} "
            f"{row['unit']} of Russian gas south across Kazakhstan in {row['period_start']:%Y} "
            f"{citations([row['source_id']])}"
        )
    if parts:
        text = (
            "*The larger powers reach the relationship through routes, not alliances.* "
            + "; ".join(parts)
            + "."
        )
    else:
        text = "*The larger powers.* No lever of China, Russia, Iran or India is known by this date."
    loosening = actors[(actors["actor"] == "russia") & (actors["dimension"] == "effect")]
    if len(loosening):
        text += (
            " That regional cooperation weakens Moscow's influence is argued by "
            f"{counted(loosening['source_id'].nunique(), 'source')} "
            f"{citations(loosening['source_id'])}, not shown by data."
        )
    return text + " ({ref}`geopolitics`)"


def evidence_finding(
    seeds: pd.DataFrame, discrepancies: pd.DataFrame, crosscheck: pd.DataFrame, archived: int
) -> str:
    """How far the evidence carries: the five articles, checked against the archived pages."""
    verdicts = crosscheck["verdict"].astype(str).value_counts()
    confirmed = int(verdicts.get("agrees", 0))
    partly = int(verdicts.get("partly", 0))
    contradicted = int(verdicts.get("disagrees", 0))
    unmatched = int(verdicts.get("not_found", 0))
    uncheckable = int(verdicts.get("not_checkable", 0))
    return (
        f"*The evidence is uneven.* The report starts from {counted(len(seeds), 'article')} and "
        f"checks them against {counted(archived, 'independent source')}, each archived with its "
        f"address. Of the articles' {counted(len(crosscheck), 'factual claim')}, "
        f"{count(confirmed)} are confirmed, {count(partly)} in part and {count(contradicted)} "
        f"contradicted; {count(unmatched)} are not confirmed by any independent source and "
        f"{count(uncheckable)} cannot be checked. The sources "
        "conflict or err in "
        f"{counted(len(discrepancies), 'place')}, each recorded in the source criticism. "
        "({ref}`source-criticism`)"
    )


def key_findings(
    held: pd.DataFrame,
    changes: pd.DataFrame,
    indicators: pd.DataFrame,
    places: pd.DataFrame,
    actors: pd.DataFrame,
    neutrality: pd.Series | None,
    sources: pd.DataFrame,
    discrepancies: pd.DataFrame,
    crosscheck: pd.DataFrame,
) -> str:
    """The numbered key findings as MyST, for the landing page."""
    items = [diplomacy_finding(held, places, _first(indicators, "agreements-in-force"))]
    items.append(trade_finding(changes, _first(indicators, "trade-target")))
    volume = _first(indicators, "rail-volume")
    if volume is not None:
        items.append(transit_finding(volume, _all(indicators, "kti-railway-freight-2023")))
    seeds = sources[sources["kind"] == "seed"]
    archived = int(sources["path"].fillna("").str.startswith("archive/").sum())
    items += [
        energy_finding(_all(indicators, "cagp-kazakh-transit-2024")),
        powers_finding(
            actors,
            neutrality,
            _all(indicators, "turkmen-gas-to-china-annual"),
            _all(indicators, "russian-gas-transit-kz-uz-2024"),
        ),
        evidence_finding(seeds, discrepancies, crosscheck, archived),
    ]
    return "\n".join(f"{number}. {item}" for number, item in enumerate(items, start=1)) + "\n"


def _all(indicators: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """Every source's row for one indicator (none if no source states it)."""
    if indicator_id not in indicators.index:
        return indicators.iloc[0:0]
    return indicators.loc[[indicator_id]]


def _first(indicators: pd.DataFrame, indicator_id: str) -> pd.Series | None:
    """An indicator's first reported value (several sources may report one indicator); None when
    no source known by the edition's day states it."""
    rows = _all(indicators, indicator_id)
    return None if rows.empty else rows.iloc[0]


def what_to_watch(events: pd.DataFrame, as_of: str, reported: pd.Series) -> str:
    """The events the sources announce, plan or propose that a reader on ``as_of`` can still
    watch for: dated ones that end on or after that day, and undated ones whose source is less than
    a year old then (``reported``: each source's publication date, stated or inferred). An older
    undated plan, or an announced date that has passed, is history, not news to watch."""
    today = pd.Timestamp(as_of)
    fresh = events["source_id"].map(reported) >= today - pd.DateOffset(years=1)
    pending = events[
        events["status"].isin(OPEN_STATUSES)
        & (events["date_end"].ge(today) | (events["date_end"].isna() & fresh))
    ]
    lines = [
        f"- {date_label(row)}: {escape(row['title'])}, {status_label(row).lower()} "
        f"{citations(str(row['sources']).split('; '))}"
        for _, row in pending.iterrows()
    ]
    if events[events["status"].isin(OPEN_STATUSES)].empty:
        return f"No event announced, planned or proposed is known by {day(as_of)}.\n"
    if not lines:
        return (
            f"No event the sources announce or plan is still ahead on {day(as_of)}: the dated "
            "ones have passed, and the undated plans were reported more than a year earlier.\n"
        )
    return f"As the evidence stood on {day(as_of)}, the sources announced:\n\n" + "\n".join(lines) + "\n"


def _timeline(edition: Edition) -> pd.DataFrame:
    """The diplomatic record as the edition knows it, one row per event: the findings count its
    meetings, and what to watch reads its plans."""
    return diplomatic(one_row_per_event(data.load("events", edition), edition.day))


def _key_findings(edition: Edition, timeline: pd.DataFrame) -> prose.Markdown:
    """The numbered key findings, from the data as the edition knows it."""
    return prose.Markdown(
        key_findings(
            held=timeline[timeline["status"] == "held"],
            changes=full_year_changes(with_labels(data.load("trade", edition))),
            indicators=data.load("indicators", edition).set_index("indicator_id"),
            places=data.load("places", edition),
            actors=data.load("actors", edition),
            neutrality=_event(edition, NEUTRALITY_EVENT),
            sources=data.load("sources", edition),
            discrepancies=data.load("discrepancies", edition),
            crosscheck=data.load("crosscheck", edition),
        )
    )


# The UN General Assembly's recognition of Turkmenistan's permanent neutrality (events.csv).
NEUTRALITY_EVENT = "unga-neutrality-1995"


def _event(edition: Edition, event_id: str) -> pd.Series | None:
    """One event as the edition knows it (its best report, every source), or None."""
    one_each = one_row_per_event(data.load("events", edition), edition.day)
    rows = one_each[one_each["event_id"] == event_id]
    return None if rows.empty else rows.iloc[0]


def _what_to_watch(edition: Edition, timeline: pd.DataFrame) -> prose.Markdown:
    """The plans still ahead on the edition's day; a source's publication day is the stated one,
    else the earliest we infer, which decides whether an undated plan is still news."""
    sources = data.load("sources", edition).set_index("source_id")
    reported = sources["published"].fillna(sources["published_derived"])
    return prose.Markdown(what_to_watch(timeline, edition.as_of, reported))


def facts(edition: Edition) -> prose.Facts:
    """Every value the chapter glues; "key-findings" and "what-to-watch" also lead the landing
    page, which reads them by these names from the chapter's outputs."""
    timeline = _timeline(edition)
    return {
        **prose.edition_facts(DATASETS, edition),
        "key-findings": _key_findings(edition, timeline),
        "what-to-watch": _what_to_watch(edition, timeline),
    }


# The places the overview map shows: those of the two countries, without the cities, railway
# junctions and pipeline route points that would crowd it, save Turkistan (where the presidents met)
# and the railhead of Uzen.
MAPPED_PLACES = (
    "country in ('KAZ', 'TKM') "
    "and (kind not in ('city', 'rail_node', 'route_point') or place_id in ('turkistan', 'uzen'))"
)


def places_figure(edition: Edition) -> prose.Figure:
    """The capitals, ports, railhead, gas field and seas the sources name, to set the scene."""
    places = data.load("places", edition).query(MAPPED_PLACES)
    places_map = maps.Map(
        alt_text="Map of the capitals, the Caspian ports of Aktau and Turkmenbashi, the railhead of "
        "Uzen, the Galkynysh gas field and the Caspian and Aral seas, over Kazakhstan, Turkmenistan "
        "and their neighbours.",
        markers=maps.markers(places, label_left=["ashgabat", "kuryk"]),
    )
    return prose.Figure(places_map, list(places["coords_source_id"]))
