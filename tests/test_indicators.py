"""What the sources state for one measure, in words: agreement, a range, and loose figures."""

from __future__ import annotations

import pandas as pd

from kztm import indicators


def rows(*figures: tuple[str, float, float | None, str, str]) -> pd.DataFrame:
    """Rows of indicators.csv for one measure: (source, value, value_high, unit, qualifier)."""
    return pd.DataFrame(
        [
            {
                "indicator_id": "m",
                "source_id": source,
                "value": value,
                "value_high": high,
                "unit": unit,
                "qualifier": qualifier,
            }
            for source, value, high, unit, qualifier in figures
        ]
    )


def test_sources_that_agree_give_one_figure_and_no_count():
    agreeing = rows(("a", 1833, None, "km", "exact"), ("b", 1833, None, "km", "exact"))
    assert indicators.stated(agreeing, "m") == "1,833 km"


def test_exact_figures_that_differ_read_as_a_range_with_the_unit_once():
    differing = rows(("a", 120, None, "km", "exact"), ("b", 146, None, "km", "exact"))
    assert indicators.stated(differing, "m") == "120–146 km"
    assert indicators.stated(differing, "m", depending=True) == "120–146 km, depending on the source"


def test_a_loose_highest_figure_is_written_out_at_its_end():
    loose = rows(("a", 120, None, "km", "exact"), ("b", 146, None, "km", "at_least"))
    assert indicators.stated(loose, "m") == "120 to more than 146 km"


def test_a_loose_lowest_figure_gives_each_end_as_the_sources_put_it():
    """Not "more than 1,300–more than 1,900 km", which bounds nothing."""
    loose = rows(("a", 1300, None, "km", "at_least"), ("b", 1900, None, "km", "at_least"))
    assert indicators.stated(loose, "m") == ("from more than 1,300 km to more than 1,900 km")


def test_a_measure_no_source_states_says_so():
    assert indicators.stated(rows(("a", 1, None, "km", "exact")), "other") == (
        "not stated in the sources"
    )


def body(table: str) -> list[str]:
    return [line for line in table.splitlines() if line.startswith("| ") and "---" not in line][1:]


def test_a_running_total_at_two_dates_is_two_facts_not_a_disagreement():
    totals = rows(("early", 203.2, None, "bcm", "exact"), ("late", 423.2, None, "bcm", "exact"))
    totals = totals.assign(period_start=pd.NaT, period_end=pd.to_datetime(["2017-12-31", "2022-12-31"]))
    shown = body(indicators.by_measure(totals, {"m": "Total"}, caption="Totals").text)
    assert len(shown) == 2 and not any("sources differ" in row for row in shown)
    assert "by Dec 2017" in shown[0] and "by Dec 2022" in shown[1]


def test_figures_for_one_period_that_differ_share_a_row_marked_so():
    same = rows(("one", 55, None, "bcm", "exact"), ("two", 60, None, "bcm", "exact"))
    same = same.assign(period_start=pd.NaT, period_end=pd.NaT)
    shown = body(indicators.by_measure(same, {"m": "Capacity"}, caption="Capacity").text)
    assert len(shown) == 1 and "55–60 bcm\\; sources differ" in shown[0]
