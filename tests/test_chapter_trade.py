"""The trade chapter's judgements follow the figures, whichever way they point."""

from __future__ import annotations

import pandas as pd
import pytest

from kztm import trade
from kztm.chapters import trade as trade_chapter
from kztm.edition import Edition


def turnover(*rows: tuple[str, str, float]) -> pd.DataFrame:
    """Monthly averages of turnover rows (start, end, million US dollars), indexed by period."""
    frame = pd.DataFrame(
        [
            {
                "period_start": pd.Timestamp(start),
                "period_end": pd.Timestamp(end),
                "flow": "turnover",
                "value_usd_m": value,
                "qualifier": "exact",
                "source_id": "seed-001",
            }
            for start, end, value in rows
        ]
    )
    return trade.monthly_averages(frame).set_index("period")


YEARS = [("2023-01-01", "2023-12-31", 600.0), ("2024-01-01", "2024-12-31", 540.0)]


def claim(pct: float, implied: float) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "period": "Jan–Sep 2025",
                "flow": "turnover",
                "claimed_pct": pct,
                "base_period": "Jan–Sep 2024",
                "base_end": pd.Timestamp("2024-09-30"),
                "implied_base_usd_m": implied,
                "source_id": "seed-004",
            }
        ]
    )


@pytest.mark.parametrize(
    ("nine_months", "reading"),
    [(270.0, "weaker than"), (540.0, "stronger than"), (427.5, "in line with")],
)
def test_the_recent_period_is_read_against_the_full_years_before_it(nine_months, reading):
    monthly = turnover(*YEARS, ("2025-01-01", "2025-09-30", nine_months))
    text = trade_chapter.recent_reading(monthly, claim(5.0, 300.0).iloc[0:0], "Jan–Sep 2025").text
    assert f"looks {reading} 2023" in text
    assert "No full year" not in text


def test_a_claim_that_leaves_too_much_for_the_rest_of_the_year_is_flagged():
    monthly = turnover(*YEARS, ("2025-01-01", "2025-09-30", 360.0))
    text = trade_chapter.recent_reading(monthly, claim(20.0, 300.0), "Jan–Sep 2025").text
    assert "concentrated at the end of the year" in text
    assert "{cite:p}`seed-004`" in text


def test_a_claim_that_fits_the_year_says_so():
    monthly = turnover(*YEARS, ("2025-01-01", "2025-09-30", 420.0))
    assert trade_chapter.tension(monthly, 2024, 9, 405.0).endswith("in line with the rest of that year.")


def test_without_the_base_year_the_claim_cannot_be_tested():
    monthly = turnover(YEARS[0], ("2025-01-01", "2025-09-30", 420.0))
    assert trade_chapter.tension(monthly, 2024, 9, 405.0) == (
        "No full-year figure for 2024 is known to test it."
    )


@pytest.mark.parametrize(
    ("change", "trend", "outcome"),
    [
        (-1.3, "moved it further away", "it would recede"),
        (0.0, "left it where it was", "it would recede"),
        (5.0, "brought it closer", "it would still be out of reach"),
        (30.0, "brought it closer", "it would be within reach"),
    ],
)
def test_the_target_judgements_follow_the_change(change, trend, outcome):
    assert trade_chapter.target_trend(change) == trend
    assert trade_chapter.pace_outcome(change, required_pct=12.0) == outcome
    assert trade_chapter.target_verdict(change, required_pct=12.0) == (
        "within reach" if change >= 12.0 else "out of reach"
    )


def claims_for_2023(*rates: float, base_level: float | None = None) -> pd.DataFrame:
    """Growth checks of 2023 turnover at these rates, with the 2022 level known or not."""
    levels = [
        {
            "period_start": pd.Timestamp("2023-01-01"),
            "period_end": pd.Timestamp("2023-12-31"),
            "flow": "turnover",
            "value_usd_m": 563.0,
            "qualifier": "exact",
            "source_id": "a",
        },
    ]
    if base_level is not None:
        levels.append(
            {
                **levels[0],
                "period_start": pd.Timestamp("2022-01-01"),
                "period_end": pd.Timestamp("2022-12-31"),
                "value_usd_m": base_level,
            }
        )
    claims = pd.DataFrame(
        [
            {
                "period_start": pd.Timestamp("2023-01-01"),
                "period_end": pd.Timestamp("2023-12-31"),
                "flow": "turnover",
                "base_start": pd.Timestamp("2022-01-01"),
                "base_end": pd.Timestamp("2022-12-31"),
                "growth_pct": rate,
                "source_id": f"s{rate}",
            }
            for rate in rates
        ]
    )
    return trade.growth_checks(pd.DataFrame(levels), claims)


def test_two_rates_for_one_year_are_read_as_a_disagreement_about_the_base():
    text = trade_chapter.claims_reading(claims_for_2023(28.0, 22.5)).text
    assert "two different growth rates" in text and "disagree about 2022" in text


def test_a_claim_whose_base_the_data_holds_is_set_against_the_computed_rate():
    text = trade_chapter.claims_reading(claims_for_2023(28.0, base_level=440.0)).text
    assert "computed from the levels of 2022 and 2023" in text


def test_without_any_claim_the_reading_says_so():
    assert "No source claims" in trade_chapter.claims_reading(claims_for_2023().iloc[0:0]).text


def test_the_pace_follows_each_claim_unless_the_base_is_known():
    latest = pd.Series({"year": 2024, "value_usd_m": 555.7})
    paces = trade_chapter.pace_reading(claims_for_2023(28.0, 22.5), latest, 10.3, 2030)
    assert "if turnover grew by 28.0%" in paces and "if turnover grew by 22.5%" in paces
    known = trade_chapter.pace_reading(claims_for_2023(28.0, base_level=440.0), latest, 10.3, 2030)
    assert known.startswith("12.") and "from the 2022 level" in known


def test_the_target_chart_starts_at_the_first_year_still_open_on_the_editions_day():
    """A book of 31 December 2025 cannot reach the target in 2025; one of 30 June 2025 can."""
    year_end = trade_chapter.target_figure(Edition(as_of="2025-12-31")).picture
    mid_year = trade_chapter.target_figure(Edition(as_of="2025-06-30")).picture
    latest = int(trade_chapter.record(Edition(as_of="2025-06-30")).latest["year"])
    first_of = lambda chart: int(chart.data["year"].min())  # noqa: E731
    assert first_of(year_end) == 2026
    assert first_of(mid_year) == max(latest + 1, 2025)
