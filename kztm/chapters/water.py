"""The water chapter (the Caspian, the Aral and shared water): what it glues into its text, its
table and its map.

The sources give almost no figures here, so the chapter's values are counts and dates: how many
states share the Caspian, how many statements the sources make on the agenda, when the Caspian
boundary was agreed. Each comes from the data, so a book dated before the agreement or the
statements says so rather than repeating what was learnt later.
"""

from __future__ import annotations

import pandas as pd

from kztm import data, maps, prose, tables
from kztm.catalog import category_labels
from kztm.edition import Edition

# The datasets the chapter reads, listed in its data note.
DATASETS = ("agenda", "agreements", "indicators", "places")

# The themes of the agenda this chapter reports.
THEMES = ("caspian", "aral", "water")
CASPIAN_DEAL = "caspian-boundary-2021"
# The two states of this report, among the Caspian's littoral states.
PARTNERS = 2
# Signing dates from the most precise report first.
PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "unknown": 3}
# The places the map marks: the two seas, the port, the railhead and a capital.
MAP_PLACES = ("caspian-sea", "aral-sea", "turkmenbashi", "uzen", "ashgabat")


def facts(edition: Edition) -> prose.Facts:
    """Everything the chapter's text and table show, by the name its text glues."""
    environment = _environment(edition)
    return {
        "as_of": prose.day(edition.as_of),
        "data-note": prose.data_note(DATASETS, edition),
        "littoral_others": littoral_others(edition),
        "environment_claims": prose.count(len(environment)),
        "caspian_deal_date": caspian_deal_date(edition),
        "tbl-water-agenda": agenda_table(environment),
    }


def _environment(edition: Edition) -> pd.DataFrame:
    """The statements on the environmental agenda: the Caspian, the Aral and water."""
    agenda = data.load("agenda", edition)
    return agenda[agenda["theme"].isin(THEMES)]


def littoral_others(edition: Edition) -> str:
    """How many states besides the two share the Caspian, as a source counts the littoral
    states; 'several' before a source says."""
    stated = data.load("indicators", edition)
    littoral = stated[stated["indicator_id"] == "caspian-littoral-states"]["value"]
    return prose.count(int(littoral.iloc[0]) - PARTNERS) if len(littoral) else "several"


def caspian_deal_date(edition: Edition) -> str:
    """The month the two states signed the Caspian boundary agreement, which one source omits,
    from the report that dates it most precisely (a report giving only the year says the year, not
    January); a book dated before it says it is not yet signed."""
    agreements = data.load("agreements", edition)
    deal = agreements[(agreements["agreement_id"] == CASPIAN_DEAL) & agreements["signed_start"].notna()]
    if deal.empty:
        return "(not yet signed)"
    ranked = deal.assign(rank=deal["precision"].astype(str).map(PRECISION_RANK))
    best = ranked.sort_values("rank", kind="stable").iloc[0]
    return (
        f"{best['signed_start']:%Y}" if best["precision"] == "year" else f"{best['signed_start']:%B %Y}"
    )


def agenda_table(environment: pd.DataFrame) -> prose.Markdown:
    """The environmental agenda as the sources state it, one row per statement."""
    themes = category_labels("agenda", "theme")
    return tables.markdown_table(
        environment,
        columns={"theme": "Theme", "claim": "Statement", "source_id": "Source"},
        formats={"theme": lambda code: themes[str(code)]},
        caption="The environmental agenda in the sources",
    )


def map_figure(edition: Edition) -> prose.Figure:
    """Where the issues lie: the two seas, the port of Turkmenbashi and the railhead of Uzen."""
    places = data.load("places", edition)
    shown = places[places["place_id"].isin(MAP_PLACES)]
    map_ = maps.Map(
        alt_text="Map of the Caspian Sea and the Aral Sea with the port of Turkmenbashi, the railhead "
        "of Uzen and the capital Ashgabat.",
        markers=maps.markers(shown),
        margin_deg=3.0,
    )
    return prose.Figure(map_, list(shown["coords_source_id"]))
