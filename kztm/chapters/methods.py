"""The methods chapter: the corpus, the independent sources, the checks, the datasets and the
source criticism, described from the data itself.

Every count in the chapter's text and every table of it is computed here, so a new source, a new
cross-check or a new discrepancy changes the description of the evidence without anyone editing
the chapter. The registers of the whole corpus (sources, cross-checks, discrepancies, exclusions,
places) are the same in every edition, by their catalog rule; the rest is counted as the edition
knows it.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from kztm import bibliography, data, prose, provenance, tables
from kztm.catalog import category_labels, load_catalog
from kztm.edition import Edition

# The datasets the chapter reads, listed in its data note.
DATASETS = ("sources", "voices", "crosscheck", "discrepancies", "seed_exclusions", "places")


def dated(frame: pd.DataFrame, inferred: str) -> list[str]:
    """Each source's date as a reader should take it: the stated one, else the earliest the text
    allows (followed by ``inferred``, the table's word for that), else "undated"."""
    return [
        f"{row.published:%Y-%m-%d}"
        if pd.notna(row.published)
        else f"not before {row.published_derived:%Y-%m-%d}{inferred}"
        if pd.notna(row.published_derived)
        else "undated"
        for row in frame.itertuples()
    ]


def _corpus_facts(sources: pd.DataFrame) -> prose.Facts:
    """The seed articles: how many, how many name their outlet and date, and their table."""
    seeds = sources[sources["kind"] == "seed"]
    dated_seeds = int(seeds["published"].notna().sum())
    corpus = seeds.assign(dated=dated(seeds, " (inferred)"))
    return {
        "seed_count": prose.count(len(seeds)),
        "dated_seeds": "none states" if dated_seeds == 0 else f"{prose.count(dated_seeds)} state",
        "derived_seeds": prose.count(int(seeds["published_derived"].notna().sum())),
        "outlets": prose.count(int(seeds["outlet"].notna().sum())),
        "tbl-methods-corpus": tables.markdown_table(
            corpus,
            columns={
                "source_id": "Cited as",
                "title": "Title",
                "outlet": "Outlet",
                "dated": "Date",
                "derived_basis": "Basis of the date",
                "path": "Text",
            },
            caption="The source corpus (each article's text as kept in the project)",
            formats={"path": lambda path: prose.download_link(path, label="full text")},
        ),
    }


def _expert_sources(experts: pd.DataFrame, edition: Edition) -> prose.Markdown:
    """Where the experts are quoted: one article means one newsroom chose whom to ask."""
    expert_sources = sorted(experts["source_id"].unique())
    if not expert_sources:
        return prose.Markdown(prose.not_known(edition.as_of))
    if len(expert_sources) == 1:
        return prose.Markdown(
            f"all quoted in {prose.citations(expert_sources)}, so their arguments reflect one "
            "newsroom's choice of whom to ask"
        )
    return prose.Markdown(
        f"quoted in {prose.count(len(expert_sources))} of the articles {prose.citations(expert_sources)}"
    )


def _voice_facts(edition: Edition) -> prose.Facts:
    """The people the articles quote by name, and the experts among them."""
    voices = data.load("voices", edition)
    experts = voices[voices["kind"] == "expert"]
    return {
        "speakers": prose.counted(voices["speaker"].nunique(), "person", "people"),
        "expert_count": prose.counted(experts["speaker"].nunique(), "expert"),
        "expert-sources": _expert_sources(experts, edition),
        "tbl-methods-voices": tables.markdown_table(
            voices,
            columns={
                "speaker": "Speaker",
                "position": "Position as the source gives it",
                "claim": "What they say",
                "source_id": "Source",
            },
            caption="People the sources quote by name",
        ),
    }


def archived_kinds(archived: pd.DataFrame) -> str:
    """How many archived pages come from each kind of origin, most first."""
    kinds = category_labels("sources", "kind")
    return prose.listing(
        f"{prose.count(int(n))} from {'an' if kinds[kind][0] in 'AEIOU' else 'a'} {kinds[kind].lower()}"
        for kind, n in archived["kind"].astype(str).value_counts().items()
    )


def _archive_facts(sources: pd.DataFrame) -> prose.Facts:
    """The independent pages archived in the project: how many, from whom, in which languages."""
    archived = sources[sources["path"].fillna("").str.startswith("archive/")]
    languages = category_labels("sources", "language")
    shown = archived.assign(dated=dated(archived, ""))
    return {
        "archived_count": prose.counted(len(archived), "page"),
        "outlet_count": prose.counted(archived["outlet"].nunique(), "outlet"),
        "languages": prose.listing(
            languages[code] for code in sorted(archived["language"].dropna().unique())
        ),
        "archived_kinds": archived_kinds(archived),
        "undated_archived": prose.count(
            int((archived["published"].isna() & archived["published_derived"].isna()).sum())
        ),
        "tbl-methods-archive": tables.register(
            summary=tables.markdown_table(
                archive_summary(archived),
                columns={
                    "kind": "Origin",
                    "pages": "Pages",
                    "outlets": "Outlets",
                    "languages": "Languages",
                    "years": "Published",
                },
                caption="The independent sources by kind of origin",
            ),
            full=tables.listing(
                shown.sort_values(["outlet", "dated"]),
                columns={
                    "source_id": "Cited as",
                    "dated": "Date",
                    "language": "Language",
                    "path": "Passages",
                },
                formats={
                    "path": lambda path: prose.download_link(path, label="passages"),
                    "language": tables.labelled(languages),
                },
            ),
            dataset="sources.csv",
            what="every archived page with its date and its passages",
        ),
    }


def archive_summary(archived: pd.DataFrame) -> pd.DataFrame:
    """One row per kind of origin (press, official, operator...): how many pages and outlets,
    in which languages, over which years of publication, most pages first."""
    kinds = category_labels("sources", "kind")
    languages = category_labels("sources", "language")
    years = archived["published"].fillna(archived["published_derived"]).dt.year
    rows = []
    for kind, pages in archived.groupby(archived["kind"].astype(str)):
        known = years[pages.index].dropna().astype(int)
        rows.append(
            {
                "kind": kinds[kind],
                "pages": len(pages),
                "outlets": pages["outlet"].nunique(),
                "languages": ", ".join(
                    languages[code] for code in sorted(pages["language"].dropna().astype(str).unique())
                ),
                "years": f"{known.min()}–{known.max()}"
                if known.nunique() > 1
                else (str(known.min()) if len(known) else "undated"),
            }
        )
    return pd.DataFrame(rows).sort_values("pages", ascending=False, kind="stable")


def verdict_counts(crosscheck: pd.DataFrame) -> str:
    """How many claims got each verdict, in the catalog's order: "35 agree, one disagrees" (the
    labels are verbs in the singular)."""
    verdicts = crosscheck["verdict"].astype(str).value_counts()
    return prose.listing(
        f"{prose.count(n)} " + (label.lower() if n == 1 else label.lower().replace("agrees", "agree"))
        for code, label in category_labels("crosscheck", "verdict").items()
        for n in [int(verdicts.get(code, 0))]
    )


def _crosscheck_facts(edition: Edition) -> prose.Facts:
    """The articles' factual claims checked against the independent sources, both sides quoted."""
    crosscheck = data.load("crosscheck", edition)
    labels_of = bibliography.citation_labels()
    compared = crosscheck.assign(
        seed_side=[
            f"“{row.seed_quote}” ({labels_of[row.seed_source_id]})" for row in crosscheck.itertuples()
        ],
        other_side=[
            f"“{row.quote}” ({labels_of[row.source_id]})" if pd.notna(row.quote) else "–"
            for row in crosscheck.itertuples()
        ],
    )
    return {
        "claim_count": prose.counted(len(crosscheck), "factual claim"),
        "verdict_counts": verdict_counts(crosscheck),
        "tbl-methods-crosscheck": tables.register(
            summary=tables.markdown_table(
                verdicts_by_article(crosscheck),
                columns={"seed_source_id": "Article", **category_labels("crosscheck", "verdict")},
                caption="The articles' factual claims checked against the independent sources: "
                "claims by article and verdict",
            ),
            full=tables.listing(
                compared,
                columns={
                    "claim": "Claim",
                    "verdict": "Verdict",
                    "seed_side": "The article says",
                    "other_side": "An independent source says",
                    "note": "Comparison",
                },
                formats={
                    "verdict": tables.labelled(category_labels("crosscheck", "verdict")),
                    "note": bibliography.name_sources,
                },
            ),
            dataset="crosscheck.csv",
            what="every claim with both sides quoted",
        ),
    }


def verdicts_by_article(crosscheck: pd.DataFrame) -> pd.DataFrame:
    """How many of each article's claims got each verdict: one row per article, one column per
    verdict code, in the catalog's order."""
    counts = pd.crosstab(crosscheck["seed_source_id"].astype(str), crosscheck["verdict"].astype(str))
    verdicts = list(category_labels("crosscheck", "verdict"))
    return counts.reindex(columns=verdicts, fill_value=0).reset_index()


def _numbers_facts() -> prose.Facts:
    """The quotations the data holds and how many of the numbers written in the articles they
    cover: the third rule the build enforces."""
    passages = data.quoted_passages()
    texts = data.seed_texts()
    numbers = sum(provenance.count_numbers(text) for text in texts.values())
    missed = sum(len(provenance.uncovered_numbers(texts[s], passages.get(s, []))) for s in texts)
    return {
        "quote_count": f"{sum(len(q) for q in passages.values()):,}",
        "seed_numbers": f"{numbers:,}",
        "covered_numbers": f"{numbers - missed:,}",
    }


def _catalog_facts(edition: Edition) -> prose.Facts:
    """Every dataset of the catalog with its rows as the edition knows them."""
    catalog = load_catalog()
    rows = {name: len(data.load(name, edition)) for name in catalog}
    frame = pd.DataFrame(
        [
            {"dataset": d.file, "title": d.title, "unit": d.unit, "rows": rows[name]}
            for name, d in catalog.items()
        ]
    )
    return {
        "dataset_count": prose.count(len(catalog)),
        "row_count": f"{sum(rows.values()):,}",
        "tbl-methods-catalog": tables.markdown_table(
            frame,
            columns={"dataset": "File", "title": "Dataset", "unit": "Unit", "rows": "Rows"},
            caption="The datasets (described column by column in data/catalog.yml)",
        ),
    }


def _register_facts(edition: Edition) -> prose.Facts:
    """The seed passages that hold no fact, and the places with their approximate coordinates."""
    places = data.load("places", edition)
    return {
        "tbl-methods-exclusions": tables.markdown_table(
            data.load("seed_exclusions", edition),
            columns={"passage": "Passage", "reason": "Why it holds no fact", "source_id": "Source"},
            caption="Seed passages whose numbers are not facts of the report",
        ),
        "tbl-methods-places": tables.register(
            summary=tables.markdown_table(
                places_by_kind(places),
                columns={"kind": "Kind", "places": "Places"},
                caption="The places on the maps, by kind",
            ),
            full=tables.listing(
                places.assign(
                    position=[
                        f"{a:.2f}, {o:.2f}" for a, o in zip(places["lat"], places["lon"], strict=True)
                    ]
                ),
                columns={
                    "name": "Place",
                    "kind": "Kind",
                    "country": "Country",
                    "position": "Lat, lon",
                    "note": "Remark",
                    "source_id": "Named by",
                },
                formats={
                    "kind": tables.labelled(category_labels("places", "kind")),
                    "note": bibliography.name_sources,
                },
            ),
            dataset="places.csv",
            what="every place with its coordinates and the source that names it",
        ),
    }


def places_by_kind(places: pd.DataFrame) -> pd.DataFrame:
    """The places grouped by the catalog's kinds, each named with its country, in the catalog's
    order of kinds."""
    kinds = category_labels("places", "kind")
    return pd.DataFrame(
        {
            "kind": label,
            "places": ", ".join(
                f"{row.name} ({row.country})"
                for row in places[places["kind"].astype(str) == code].sort_values("name").itertuples()
            ),
        }
        for code, label in kinds.items()
        if (places["kind"].astype(str) == code).any()
    )


def _discrepancy_facts(edition: Edition) -> prose.Facts:
    """Every discrepancy in the sources, quoted on both sides, with what the report does about it."""
    discrepancies = data.load("discrepancies", edition)
    labels_of = bibliography.citation_labels()
    evidence = discrepancies.assign(
        evidence=[
            f"“{row.quote}” ({labels_of[row.source_id]})"
            + (
                f" against “{row.other_quote}” ({labels_of[row.other_source_id]})"
                if pd.notna(row.other_quote)
                else ""
            )
            for row in discrepancies.itertuples()
        ]
    )
    return {
        "discrepancy_count": prose.count(len(discrepancies)),
        "tbl-methods-discrepancies": tables.register(
            summary=tables.markdown_table(
                discrepancies_by_kind(discrepancies),
                columns={"kind": "Kind", "count": "Discrepancies", "topics": "Subjects"},
                caption="The discrepancies in the sources by kind, with the subjects they concern",
            ),
            full=tables.listing(
                evidence,
                formats={
                    "kind": tables.labelled(category_labels("discrepancies", "kind")),
                    "finding": bibliography.name_sources,
                    "handling": bibliography.name_sources,
                },
                columns={
                    "kind": "Kind",
                    "evidence": "Evidence",
                    "finding": "Finding",
                    "handling": "What the report does",
                },
            ),
            dataset="discrepancies.csv",
            what="every discrepancy quoted on both sides with what the report does about it",
        ),
    }


def discrepancies_by_kind(discrepancies: pd.DataFrame) -> pd.DataFrame:
    """How many discrepancies of each kind, most first, and how many of them concern each subject
    (a chapter, by its catalog label), most first."""
    kinds = category_labels("discrepancies", "kind")
    topics = category_labels("discrepancies", "topic")
    return pd.DataFrame(
        {
            "kind": kinds[code],
            "count": len(rows),
            "topics": ", ".join(
                f"{topics[topic]} {n}" for topic, n in rows["topic"].astype(str).value_counts().items()
            ),
        }
        for code, rows in discrepancies.groupby(discrepancies["kind"].astype(str))
    ).sort_values("count", ascending=False, kind="stable")


def facts(edition: Edition) -> prose.Facts:
    """Every value the chapter glues into its text, and its tables."""
    sources = data.load("sources", edition)
    common = prose.edition_facts(DATASETS, edition)
    return (
        common
        | _corpus_facts(sources)
        | _voice_facts(edition)
        | _archive_facts(sources)
        | _crosscheck_facts(edition)
        | _numbers_facts()
        | _catalog_facts(edition)
        | _register_facts(edition)
        | _discrepancy_facts(edition)
    )


def discrepancies_figure(edition: Edition) -> prose.Figure:
    """The discrepancies by kind, coloured by the chapter whose subject each concerns."""
    discrepancies = data.load("discrepancies", edition)
    topics = category_labels("discrepancies", "topic")
    counted = discrepancies.assign(
        kind_label=discrepancies["kind"].astype(str).map(category_labels("discrepancies", "kind")),
        topic_label=discrepancies["topic"].astype(str).map(topics),
    )
    chart = (
        alt.Chart(counted)
        .mark_bar()
        .encode(
            y=alt.Y("kind_label:N", title=None, sort="-x"),
            x=alt.X("count():Q", title="Discrepancies", axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color(
                "topic_label:N",
                title="Chapter",
                sort=list(topics.values()),
                legend=alt.Legend(columns=4),
            ),
            tooltip=[
                alt.Tooltip("kind_label:N", title="Kind"),
                alt.Tooltip("topic_label:N", title="Chapter"),
                alt.Tooltip("count():Q", title="Discrepancies"),
            ],
        )
        .properties(
            width=420,
            description="Horizontal stacked bar chart of the source discrepancies by kind, "
            "coloured by the chapter whose subject each concerns.",
        )
    )
    return prose.Figure(chart, list(discrepancies["source_id"]))
