"""The library's answers for a book dated before its data: nothing known yet is said plainly,
charts with nothing to draw still render, and what a reader could not yet have read is named."""

from __future__ import annotations

from docutils import nodes

from bookbuild.withheld import authored, note
from kztm import charts, data, prose, tables, trade
from kztm.bibliography import published_after
from kztm.chapters import overview


def test_nothing_to_list_reads_none():
    assert prose.listing([]) == "none"
    assert prose.year_ranges([]) == "none"


def test_undated_records_count_only_once_their_source_is_published():
    events = data.load_all("events")
    undated = events[events["date_start"].isna()]
    published = undated["source_id"].map(data.publication_days())
    early = data.known_by(events, "2019-12-31", "date_start")
    kept = early[early["date_start"].isna()]
    assert len(kept) == int((published.isna() | (published <= "2019-12-31")).sum())
    assert len(kept) < len(undated)


def test_sources_published_after_the_day_are_named_by_their_labels():
    later = published_after("2019-12-31")
    assert later["seed-003"] == "Babakan 2021"
    assert published_after("2100-01-01") == {}


def test_what_to_watch_before_any_plan_says_none_is_known():
    events = data.load_all("events").iloc[0:0]
    text = overview.what_to_watch(events, "1993-05-18", data.publication_days())
    assert text == "No event announced, planned or proposed is known by 18 May 1993.\n"


def test_trade_views_of_no_figures_keep_their_columns():
    empty = data.load_all("trade").iloc[0:0]
    assert trade.series(empty).empty
    assert {"period", "kz_exports_usd_m", "implied"} <= set(trade.component_checks(empty).columns)
    growth = data.load_all("trade_growth").iloc[0:0]
    assert "period" in trade.growth_checks(empty, growth).columns


def test_a_chart_with_nothing_to_draw_renders_for_print_and_screen():
    chart = charts.timeline(data.load_all("events").iloc[0:0])
    spec = chart.to_dict()
    assert charts.chart_png(spec)[:4] == b"\x89PNG"
    assert "No dated event is known by this date." in charts.chart_html(spec, spec["description"], 1)


def test_a_period_chart_without_seed_figures_renders_for_print():
    levels = trade.with_labels(trade.with_derived_turnover(data.load_all("trade")))
    figures = trade.series(levels, seeds=[])
    turnover = trade.monthly_averages(figures[figures["flow"] == "turnover"]).head(1)
    chart = charts.period_figures(turnover, "per_month", "Per month", "reporter", "Whose")
    assert charts.chart_png(chart.properties(description="test").to_dict())[:4] == b"\x89PNG"


def test_the_withheld_note_names_the_later_sources_or_the_missing_figures():
    later = note("31 December 2019", ["Babakan 2021", "TuraNews 2024"])
    assert later.astext() == (
        "Not yet known on 31 December 2019. This edition leaves out a passage here that rests on "
        "sources published later (Babakan 2021; TuraNews 2024)."
    )
    assert "figures that no source gives by then" in note("18 May 1993", []).astext()


def test_only_running_text_is_withheld_not_tables_or_data_notes():
    section, table, data_note = nodes.section(), nodes.table(), nodes.admonition(classes=["data-note"])
    text, cell, listed = (nodes.paragraph(text=t) for t in ("text", "cell", "dataset"))
    section += text
    table += cell
    data_note += listed
    assert authored(text)
    assert not authored(cell)
    assert not authored(listed)


def test_a_table_with_no_rows_says_none_is_recorded():
    table = tables.markdown_table(
        data.load_all("agenda").iloc[0:0],
        columns={"claim": "Statement", "source_id": "Source"},
        caption="Positions",
    ).text
    assert "| None recorded | – |" in table
