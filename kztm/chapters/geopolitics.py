"""The geopolitics chapter: what it glues into its text, its tables and its figure.

The articles argue about China, Russia, Iran and India; the independent sources measure trade,
gas and transit. The chapter keeps the two apart: each power's claims are counted and attributed
to their sources, and beside them stand the figures, each as the sources state it, so a new claim
or a new figure changes the counts, the tables and the sentences without an edit to the chapter.
"""

from __future__ import annotations

from collections.abc import Iterable

import altair as alt
import pandas as pd

from kztm import bibliography, charts, data, indicators, prose, tables
from kztm.catalog import category_labels
from kztm.edition import Edition

# The datasets the chapter reads, listed in its data note.
DATASETS = ("actors", "indicators")

# The subjects of the figures set beside each power's claims, one table each.
SUBJECTS = {
    "china": (
        "china-kazakhstan-trade",
        "china-turkmenistan-trade",
        "china-central-asia-trade",
        "china-gas-imports",
    ),
    "russia": ("russia-kazakhstan-trade", "gazprom-turkmen-gas", "cpc-pipeline"),
    "iran": ("iran-kazakhstan-trade", "iran-gas-swap"),
    "india": ("india-central-asia",),
}

# The measures the text states, by the name it glues them under.
STATED = {
    "kz_china_2023": "china-kazakhstan-trade-2023",
    "kz_china_2022": "china-kazakhstan-trade-2022",
    "tm_china_2023": "china-turkmenistan-trade-2023",
    "tm_exports_china_2023": "china-turkmenistan-trade-tm-exports-2023",
    "tm_china_2024": "china-turkmenistan-trade-2024",
    "kz_russia_2022": "russia-kazakhstan-trade-2022",
    "gazprom_contract": "gazprom-turkmen-gas-contract",
    "gazprom_before": "gazprom-turkmen-gas-before-2009",
    "gazprom_2015": "gazprom-turkmen-gas-2015",
    "cpc_kazakh_flow": "cpc-kazakh-flow-2025-jan-apr",
    "kz_iran_2022": "iran-kazakhstan-trade-2022",
    "kz_iran_target": "iran-kazakhstan-trade-target",
    "swap_volume": "iran-gas-swap-volume",
    "swap_daily": "iran-gas-swap-daily",
    "chabahar_wheat": "chabahar-wheat-to-afghanistan",
}


def actor_labels() -> dict[str, str]:
    """The powers by code, named as readers see them (the catalog defines the names)."""
    return category_labels("actors", "actor")


def facts(edition: Edition) -> prose.Facts:
    """Everything the chapter's text and tables show, by the name its text glues."""
    actors = data.load("actors", edition)
    opening: prose.Facts = {
        "as_of": prose.day(edition.as_of),
        "data-note": prose.data_note(DATASETS, edition),
        "claims": prose.count(len(actors)),
        "arguing_sources": prose.counted(actors["source_id"].nunique(), "source"),
        "tbl-geopolitics-claims": claims_table(actors),
    }
    return opening | _claim_facts(actors) | _figure_facts(edition)


def _claim_facts(actors: pd.DataFrame) -> prose.Facts:
    """How many claims each power draws and who makes them: the text attributes every argument."""
    found: prose.Facts = {}
    for actor in actor_labels():
        mine = actors[actors["actor"] == actor]
        found[f"{actor}_claims"] = prose.counted(len(mine), "claim")
        found[f"{actor}_sources"] = cited(sorted(mine["source_id"].unique()))
    return found


def cited(source_ids: Iterable[str]) -> prose.Markdown:
    """The sources of a power's claims as a citation; nothing where no source makes one (a book
    dated before the articles), never an empty citation."""
    ids = list(source_ids)
    return prose.Markdown(prose.citations(ids) if ids else "")


def _figure_facts(edition: Edition) -> prose.Facts:
    """What the independent sources measure about each power: the count and table of its
    figures, and each measure the text names, as the sources state it."""
    figures = data.load("indicators", edition)
    labels = data.measure_labels()
    powers = actor_labels()
    found: prose.Facts = {}
    for power, subjects in SUBJECTS.items():
        rows = indicators.by_subject(figures, *subjects)
        found[f"{power}_figures"] = prose.counted(len(rows), "figure")
        found[f"tbl-geopolitics-{power}"] = indicators.by_measure(
            rows, labels, caption=f"Figures on {powers[power]} in the independent sources"
        )
    return found | {name: indicators.stated(figures, indicator) for name, indicator in STATED.items()}


def claims_table(actors: pd.DataFrame) -> prose.Markdown:
    """Every claim about an external power, with the source that argues it."""
    powers = actor_labels()
    return tables.markdown_table(
        actors.sort_values(["actor", "dimension"]),
        columns={"actor": "Power", "dimension": "Dimension", "claim": "Claim", "source_id": "Source"},
        formats={"actor": lambda code: powers[str(code)]},
        caption="Every claim about an external power, with the source that argues it",
    )


def matrix_figure(edition: Edition) -> prose.Figure:
    """The powers against the dimensions of the claims (interest, instrument, concern, effect),
    a circle's size the number of claims: where the articles' attention goes."""
    actors = data.load("actors", edition)
    if actors.empty:
        message = "No claim about an external power is recorded by this date."
        return prose.Figure(charts.nothing_to_show(message), [])
    powers = actor_labels()
    summary = (
        actors.groupby(["actor", "dimension"], observed=True)
        .agg(
            claims=("claim", "count"),
            examples=("claim", "; ".join),
            sources=("source_id", lambda s: "; ".join(sorted(set(s)))),
        )
        .reset_index()
    )
    summary["actor"] = summary["actor"].astype(str).map(powers)
    summary["cited"] = summary["sources"].map(bibliography.name_sources)
    chart = (
        alt.Chart(summary)
        .mark_circle(opacity=0.9)
        .encode(
            x=alt.X(
                "dimension:N",
                title=None,
                sort=list(category_labels("actors", "dimension")),
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y("actor:N", title=None, sort=list(powers.values())),
            size=alt.Size(
                "claims:Q",
                title="Claims",
                scale=alt.Scale(range=[150, 1200]),
                # Whole claims only: the counts that occur, not a continuous scale's fractions.
                legend=alt.Legend(values=sorted(summary["claims"].unique().tolist()), format="d"),
            ),
            color=alt.Color("actor:N", title="Power", legend=None),
            tooltip=[
                alt.Tooltip("actor:N", title="Power"),
                alt.Tooltip("dimension:N", title="Dimension"),
                alt.Tooltip("claims:Q", title="Claims"),
                alt.Tooltip("examples:N", title="What the sources argue"),
                alt.Tooltip("cited:N", title="Sources"),
            ],
        )
        .properties(
            width=380,
            height=220,
            description="Matrix of the four external powers against four dimensions (interest, "
            "instrument, concern, effect); circle size is the number of claims the sources make.",
        )
    )
    return prose.Figure(chart, list(actors["source_id"]))
