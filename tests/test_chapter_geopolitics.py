"""The geopolitics chapter attributes every argument about a power to the sources that make it,
and a book dated before the articles says nothing rather than citing nobody."""

from __future__ import annotations

from kztm import data, prose
from kztm.chapters import geopolitics
from kztm.edition import Edition

BEFORE_ALL_DATA = Edition(as_of="1990-01-01")


def test_a_power_nobody_argues_about_yet_cites_nothing():
    facts = geopolitics.facts(BEFORE_ALL_DATA)

    for power in geopolitics.actor_labels():
        assert facts[f"{power}_claims"] == "no claims"
        assert facts[f"{power}_sources"] == prose.Markdown("")
    chart, sources = geopolitics.matrix_figure(BEFORE_ALL_DATA)
    assert sources == []
    assert chart.to_dict()["description"].startswith("No claim")


def test_each_power_is_credited_to_exactly_the_sources_that_argue_about_it():
    actors = data.load("actors", Edition())
    facts = geopolitics.facts(Edition())

    for power in geopolitics.actor_labels():
        mine = actors[actors["actor"] == power]
        assert facts[f"{power}_claims"] == prose.counted(len(mine), "claim")
        cited = facts[f"{power}_sources"].text.removeprefix("{cite:p}`").removesuffix("`")
        assert set(cited.split(",")) == set(mine["source_id"]), power


def test_the_matrix_counts_every_claim_once_and_cites_its_source():
    actors = data.load("actors", Edition())

    chart, sources = geopolitics.matrix_figure(Edition())

    assert chart.data["claims"].sum() == len(actors)
    assert sources == list(actors["source_id"])
