"""The energy chapter states the independent sources' figures as the data holds them."""

from __future__ import annotations

from kztm import data, prose
from kztm.chapters import energy
from kztm.edition import Edition

DEFAULT = Edition()
EARLY = Edition(as_of="1990-01-01")


def test_an_edition_before_the_sources_says_not_yet_instead_of_raising():
    facts = energy.facts(EARLY)
    assert facts["gas_start"] == "not yet"
    assert str(facts["company-deal"]) == "not yet"
    assert str(facts["pipeline-start"]) == "after this date"
    assert facts["pipeline_count"] == "no pipeline routes"
    for figure in (energy.capacity_figure, energy.galkynysh_figure, energy.map_figure):
        assert isinstance(figure(EARLY).sources, list)


def test_a_measure_one_source_states_is_glued_as_that_source_states_it():
    indicators = data.load("indicators", DEFAULT)
    facts = energy.facts(DEFAULT)
    single = 0
    for name, indicator in energy.STATED.items():
        rows = indicators[indicators["indicator_id"] == indicator]
        if len(rows) == 1:
            row = rows.iloc[0]
            assert facts[name] == prose.figure(
                row["value"], row["unit"], row["qualifier"], row["value_high"]
            )
            single += 1
    assert single, "some measure of the chapter has a single source"


def test_the_independent_figures_are_counted_from_the_data():
    indicators = data.load("indicators", DEFAULT)
    subjects = {*energy.PIPELINE, "turkmen-gas-to-china", "galkynysh", "tapi"}
    expected = int(indicators["subject"].isin(subjects).sum())
    assert energy.facts(DEFAULT)["independent_figures"] == prose.counted(expected, "figure")


def test_the_charts_cite_the_rows_they_draw_and_leave_out_resources():
    for figure, unit in (
        (energy.capacity_figure, "billion cubic metres per year"),
        (energy.galkynysh_figure, "trillion cubic metres"),
    ):
        chart, sources = figure(DEFAULT)
        drawn = chart.data
        assert len(drawn) and set(drawn["unit"]) == {unit}
        assert list(drawn["source_id"]) == sources
    chart, _ = energy.galkynysh_figure(DEFAULT)
    assert "galkynysh-resources" not in set(chart.data["indicator_id"])
