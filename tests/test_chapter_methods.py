"""The methods chapter describes the whole corpus in every edition, and counts the rest of the
data as the edition knows it."""

from __future__ import annotations

from kztm import data, prose
from kztm.catalog import load_catalog
from kztm.chapters import methods
from kztm.edition import Edition

EARLY = Edition(as_of="1990-01-01")


def test_the_row_count_is_the_rows_the_edition_knows():
    edition = Edition(as_of="2019-12-31")
    rows = sum(len(data.load(name, edition)) for name in load_catalog())
    every_row = sum(len(data.load_all(name)) for name in load_catalog())
    assert methods.facts(edition)["row_count"] == f"{rows:,}"
    assert rows < every_row


def test_the_registers_of_the_corpus_are_the_same_in_every_edition():
    early, default = methods.facts(EARLY), methods.facts(Edition())
    for name in (
        "seed_count",
        "archived_count",
        "claim_count",
        "discrepancy_count",
        "tbl-methods-corpus",
    ):
        assert early[name] == default[name], name
    assert early["archived_count"] == prose.counted(
        int(data.load_all("sources")["path"].fillna("").str.startswith("archive/").sum()), "page"
    )


def test_an_edition_before_the_articles_says_their_experts_are_not_known():
    facts = methods.facts(EARLY)
    assert facts["expert_count"] == "no experts"
    assert str(facts["expert-sources"]) == prose.not_known(EARLY.as_of)
    assert "{cite:p}``" not in "".join(str(value) for value in facts.values())


def test_the_discrepancy_chart_cites_the_rows_it_counts():
    figure = methods.discrepancies_figure(Edition())
    assert figure.sources == list(data.load("discrepancies", Edition())["source_id"])
    assert len(figure.picture.data) == len(figure.sources)
