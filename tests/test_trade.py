"""Derived trade views: growth claims checked against levels, year-on-year change, balances."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from kztm import charts, data, prose, trade
from kztm.catalog import load_catalog


def rows(*records: tuple[str, str, str, float, str]) -> pd.DataFrame:
    frame = pd.DataFrame(
        records, columns=["period_start", "period_end", "flow", "value_usd_m", "source_id"]
    )
    frame["period_start"] = pd.to_datetime(frame["period_start"])
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    frame["qualifier"] = "exact"
    return frame


def claim(start: str, end: str, base_start: str, base_end: str, pct: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period_start": [pd.Timestamp(start)],
            "period_end": [pd.Timestamp(end)],
            "flow": ["turnover"],
            "base_start": [pd.Timestamp(base_start)],
            "base_end": [pd.Timestamp(base_end)],
            "growth_pct": [pct],
            "source_id": ["s"],
        }
    )


LEVELS = rows(
    ("2022-01-01", "2022-12-31", "turnover", 100.0, "a"),
    ("2023-01-01", "2023-12-31", "turnover", 128.0, "b"),
)


@pytest.mark.parametrize(
    ("claimed", "status"), [(28.0, "consistent"), (28.9, "consistent"), (40.0, "inconsistent")]
)
def test_a_growth_claim_is_recomputed_from_both_levels(claimed, status):
    checked = trade.growth_checks(
        LEVELS, claim("2023-01-01", "2023-12-31", "2022-01-01", "2022-12-31", claimed)
    )
    assert checked.loc[0, "computed_pct"] == pytest.approx(28.0)
    assert checked.loc[0, "status"] == status


def test_a_claim_without_its_base_level_gives_the_base_it_implies():
    checked = trade.growth_checks(
        LEVELS.iloc[1:], claim("2023-01-01", "2023-12-31", "2022-01-01", "2022-12-31", 28.0)
    )
    assert checked.loc[0, "status"] == "implies_base"
    assert checked.loc[0, "implied_base_usd_m"] == pytest.approx(100.0)


def test_a_claim_without_levels_stays_unverifiable():
    checked = trade.growth_checks(
        LEVELS, claim("2021-01-01", "2021-04-30", "2020-01-01", "2020-04-30", 6.9)
    )
    assert checked.loc[0, "status"] == "unverifiable"


def test_year_on_year_change_only_between_consecutive_full_years():
    levels = rows(
        ("2021-01-01", "2021-12-31", "turnover", 50.0, "a"),
        ("2023-01-01", "2023-12-31", "turnover", 100.0, "a"),
        ("2024-01-01", "2024-12-31", "turnover", 90.0, "a"),
        ("2025-01-01", "2025-09-30", "turnover", 80.0, "a"),
    )
    changes = trade.full_year_changes(levels)
    assert list(changes["year"]) == [2021, 2023, 2024]
    assert math.isnan(changes.loc[1, "change_pct"])
    assert changes.loc[2, "change_pct"] == pytest.approx(-10.0)


def test_required_growth_reaches_the_target_in_the_given_years():
    assert trade.required_growth(500.0, 1000.0, 1) == pytest.approx(100.0)
    rate = trade.required_growth(555.7, 1000.0, 6)
    assert 555.7 * (1 + rate / 100) ** 6 == pytest.approx(1000.0)
    with pytest.raises(ValueError):
        trade.required_growth(500.0, 1000.0, 0)


def test_components_add_up_or_imply_the_missing_direction():
    levels = rows(
        ("2025-01-01", "2025-09-30", "turnover", 363.6, "a"),
        ("2025-01-01", "2025-09-30", "kz_exports", 221.7, "a"),
        ("2025-01-01", "2025-09-30", "kz_imports", 141.0, "a"),
        ("2021-01-01", "2021-05-31", "turnover", 74.6, "b"),
        ("2021-01-01", "2021-05-31", "kz_exports", 48.6, "b"),
    )
    checks = trade.component_checks(levels).set_index("period")
    assert checks.loc["Jan–Sep 2025", "sum_gap_usd_m"] == pytest.approx(-0.9)
    assert checks.loc["Jan–May 2021", "implied"] == "kz_imports"
    assert checks.loc["Jan–May 2021", "kz_imports_usd_m"] == pytest.approx(26.0)


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        ("2023-01-01", "2023-12-31", "2023"),
        ("2021-01-01", "2021-05-31", "Jan–May 2021"),
        ("2024-10-01", "2025-03-31", "Oct 2024–Mar 2025"),
    ],
)
def test_periods_are_labelled_for_readers(start, end, label):
    assert trade.period_label(pd.Timestamp(start), pd.Timestamp(end)) == label


def test_wherever_the_data_gives_all_three_flows_they_add_up_to_rounding():
    checks = trade.component_checks(data.load_all("trade")).dropna(subset=["sum_gap_usd_m"])
    assert not checks.empty
    # Half a million: a turnover stated in whole millions ($178 million) rounds by up to that much.
    assert (checks["sum_gap_usd_m"].abs() <= 0.5).all(), checks


def test_monthly_averages_divide_by_the_months_a_period_covers():
    levels = rows(
        ("2025-01-01", "2025-09-30", "turnover", 360.0, "a"),
        ("2024-01-01", "2024-12-31", "turnover", 600.0, "a"),
    )
    averaged = trade.monthly_averages(levels).set_index("period")
    assert averaged.loc["Jan–Sep 2025", "months"] == 9
    assert averaged.loc["Jan–Sep 2025", "per_month"] == pytest.approx(40.0)
    assert averaged.loc["2024", "per_month"] == pytest.approx(50.0)


def test_periods_are_described_by_kind_full_years_first():
    frame = pd.DataFrame(
        {
            "period_start": pd.to_datetime(["2025-01-01", "2023-01-01", "2021-01-01", "2024-01-01"]),
            "period_end": pd.to_datetime(["2025-09-30", "2023-12-31", "2021-05-31", "2024-12-31"]),
        }
    )
    assert trade.period_kinds(frame) == ["full years", "January–May", "nine months"]
    assert prose.listing(trade.period_kinds(frame)) == "full years, January–May and nine months"
    assert prose.count(3) == "three"
    assert prose.count(12) == "12"


def test_one_reporter_gives_one_figure_per_period_and_flow():
    levels = data.load_all("trade")
    assert trade.reporter_conflicts(levels).empty
    figures = trade.series(levels)
    assert not figures.duplicated(["period_start", "period_end", "flow", "reporter"]).any()
    assert figures["reporter"].nunique() > 1


def test_two_reporters_for_one_period_stay_two_figures_and_a_contradiction_is_found():
    levels = rows(
        ("2023-01-01", "2023-12-31", "turnover", 563.0, "a"),
        ("2023-01-01", "2023-12-31", "turnover", 563.0, "b"),
        ("2023-01-01", "2023-12-31", "turnover", 540.0, "c"),
    ).assign(reporter=pd.Categorical(["kz_official", "kz_official", "tm_official"]))
    figures = trade.series(levels, seeds=["b"])
    assert list(figures["value_usd_m"]) == [563.0, 540.0]
    assert figures.loc[0, "sources"] == ["a", "b"] and figures.loc[0, "in_seeds"]
    assert not trade.shared_periods(figures)["agree"].iloc[0]
    contradicted = levels.assign(reporter=pd.Categorical(["kz_official"] * 3))
    assert len(trade.reporter_conflicts(contradicted)) == 3


def test_the_long_series_chart_colours_each_reporter_apart():
    figures = trade.monthly_averages(trade.series(data.load_all("trade")))
    figures["reporter_label"] = figures["reporter"].astype(str)
    spec = charts.period_figures(figures, "per_month", "Per month", "reporter_label", "Whose").to_dict()
    segments = spec["layer"][0]["encoding"]
    assert segments["color"]["field"] == "reporter_label"
    assert segments["x"]["field"] == "period_start" and segments["x2"]["field"] == "until"


def test_every_qualifier_a_dataset_allows_has_one_label_for_every_chart():
    """Chart keys name a qualifier from one table (a trade chart once said "as reported" where an
    indicator chart said "as stated")."""
    qualified = [
        column
        for dataset in load_catalog().values()
        for column in dataset.columns
        if column.name == "qualifier"
    ]
    assert len(qualified) >= 3
    assert {code for column in qualified for code in column.values} == set(charts.QUALIFIER_LABELS)
    figures = trade.series(data.load_all("trade"))
    spec = charts.period_figures(figures, "value_usd_m", "US$ m", "reporter", "Whose").to_dict()
    opacity = spec["layer"][0]["encoding"]["opacity"]["scale"]["domain"]
    assert set(opacity) <= set(charts.QUALIFIER_LABELS.values())
