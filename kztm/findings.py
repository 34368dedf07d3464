"""The report's key findings and what to watch, written from the data.

The landing page leads with these sentences, so each must stay no stronger than its evidence for
whatever the data holds: a change between two years reported by different sources is not called a
trend, a count of one reads "one meeting", and an argument made by one source is attributed to it.
Each finding ends with a link to the chapter that argues it.
"""

from __future__ import annotations

import pandas as pd

from kztm.events import date_label
from kztm.prose import citations, count, counted, money, percent, quantity
from kztm.tables import escape

PRESIDENTIAL = ("state_visit", "official_visit", "informal_summit")
OPEN_STATUSES = ("announced", "planned", "proposed")


def diplomacy_finding(held: pd.DataFrame, places: pd.DataFrame, agreements: pd.Series) -> str:
    """Contact at the top: how many events, since when, and where the presidents met."""
    if held.empty:
        return "*Diplomacy.* No meeting between the two states is recorded by this date."
    country = places.set_index("place_id")["country"]
    summits = held[held["kind"].isin(PRESIDENTIAL) & held["place_id"].notna()]
    hosts = summits["place_id"].map(country).astype(str)
    in_kazakhstan = int((hosts == "KAZ").sum())
    recorded = counted(len(held), "meeting, visit or signing", "meetings, visits and signings")
    text = (
        f"*Contact at the top is regular.* The data records {recorded} from "
        f"{held['date_start'].min():%Y} to "
        f"{held['date_start'].max():%Y}, and the two governments speak of "
        f"{quantity(agreements['value'], agreements['qualifier'])} bilateral agreements "
        f"{citations([agreements['source_id']])}."
    )
    if len(summits):
        text += (
            f" Of the {counted(len(summits), 'meeting')} between presidents, "
            f"{count(in_kazakhstan)} took place in Kazakhstan."
        )
    return text + " ({ref}`diplomacy`)"


def trade_finding(changes: pd.DataFrame, target: pd.Series) -> str:
    """Trade against its target; a change between years is called a change only when one source
    reports both years."""
    if changes.empty:
        return "*Trade.* No full-year trade figure is known by this date. ({ref}`trade`)"
    latest = changes.iloc[-1]
    text = (
        f"*Trade is small against its political target.* Turnover was "
        f"{escape(money(latest['value_usd_m']))} in {latest['year']} "
        f"{citations([latest['source_id']])}, {escape(money(target['value'] - latest['value_usd_m']))} "
        f"short of the {escape(money(target['value']))} both governments name as their goal."
    )
    if len(changes) > 1 and pd.notna(latest["change_pct"]):
        previous = changes.iloc[-2]
        change = escape(percent(latest["change_pct"], signed=True))
        text += (
            f" Against {previous['year']} that is a change of {change}, but the two years come from "
            "different sources, so the change may be a difference of statistics rather than of trade."
            if previous["source_id"] != latest["source_id"]
            else f" Against {previous['year']} that is a change of {change}."
        )
    return text + " ({ref}`trade`)"


def transit_finding(volume: pd.Series) -> str:
    """The railway, the one project with a reported flow."""
    return (
        "*The railway to Iran is the one project with a reported flow.* The "
        f"Kazakhstan–Turkmenistan–Iran line carried {quantity(volume['value'])} {volume['unit']} in "
        f"{volume['period_start']:%Y} {citations([volume['source_id']])}, a figure from a single "
        "statement. ({ref}`logistics`)"
    )


def energy_finding() -> str:
    """Gas: intentions in the sources, an existing transit the sources leave out."""
    return (
        "*Gas cooperation is an agenda, not yet a flow.* The sources give no volume, price or "
        "capacity for gas between the two countries. Turkmen gas already crosses Kazakhstan on its "
        "way to China through the Central Asia–China pipeline; what the sources add is talk of "
        "company cooperation and of a roadmap for the Galkynysh field. ({ref}`energy`)"
    )


def powers_finding(actors: pd.DataFrame) -> str:
    """The great powers: arguments, attributed to those who make them."""
    loosening = actors[(actors["actor"] == "russia") & (actors["dimension"] == "effect")]
    text = (
        f"*The great powers appear as arguments, not evidence.* The sources make "
        f"{counted(len(actors), 'claim')} about China, Russia, Iran and India, in "
        f"{counted(actors['source_id'].nunique(), 'article')}."
    )
    if len(loosening):
        text += (
            " That regional cooperation weakens Moscow's influence is argued by "
            f"{counted(loosening['source_id'].nunique(), 'source')} "
            f"{citations(loosening['source_id'])}, not shown by data."
        )
    return text + " ({ref}`geopolitics`)"


def evidence_finding(seeds: pd.DataFrame, discrepancies: pd.DataFrame) -> str:
    """How far the evidence carries."""
    dated = int(seeds["published"].notna().sum())
    return (
        f"*The evidence is thin and uneven.* The report rests on {counted(len(seeds), 'article')}; "
        f"{'none states' if dated == 0 else f'{count(dated)} state'} its own publication date, and "
        f"the sources conflict or err in {counted(len(discrepancies), 'place')}, each recorded in "
        "the source criticism. ({ref}`source-criticism`)"
    )


def key_findings(
    held: pd.DataFrame,
    changes: pd.DataFrame,
    indicators: pd.DataFrame,
    places: pd.DataFrame,
    actors: pd.DataFrame,
    seeds: pd.DataFrame,
    discrepancies: pd.DataFrame,
) -> str:
    """The numbered key findings as MyST, for the landing page."""
    items = [diplomacy_finding(held, places, _first(indicators, "agreements-in-force"))]
    items.append(trade_finding(changes, _first(indicators, "trade-target")))
    if "rail-volume" in indicators.index:
        items.append(transit_finding(_first(indicators, "rail-volume")))
    items += [energy_finding(), powers_finding(actors), evidence_finding(seeds, discrepancies)]
    return "\n".join(f"{number}. {item}" for number, item in enumerate(items, start=1)) + "\n"


def _first(indicators: pd.DataFrame, indicator_id: str) -> pd.Series:
    """An indicator's first reported value (several sources may report one indicator)."""
    return indicators.loc[[indicator_id]].iloc[0]


def what_to_watch(events: pd.DataFrame, as_of: str) -> str:
    """The events the sources announce, plan or propose, as a list to check against later news;
    a plan whose dates ended more than a year before ``as_of`` is history, not news to watch."""
    horizon = pd.Timestamp(as_of) - pd.DateOffset(years=1)
    pending = events[
        events["status"].isin(OPEN_STATUSES)
        & (events["date_end"].isna() | (events["date_end"] >= horizon))
    ]
    lines = [
        f"- {escape(row['title'])} ({row['status']}, {date_label(row)}) {citations([row['source_id']])}"
        for _, row in pending.iterrows()
    ]
    return "\n".join(lines) + "\n" if lines else ""
