"""The trade chapter's judgements follow the figures, whichever way they point."""

from __future__ import annotations

import pandas as pd
import pytest

from kztm import trade, trade_text


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
    text = trade_text.recent_reading(monthly, claim(5.0, 300.0).iloc[0:0], "Jan–Sep 2025").text
    assert f"looks {reading} 2023" in text
    assert "No full year" not in text


def test_a_claim_that_leaves_too_much_for_the_rest_of_the_year_is_flagged():
    monthly = turnover(*YEARS, ("2025-01-01", "2025-09-30", 360.0))
    text = trade_text.recent_reading(monthly, claim(20.0, 300.0), "Jan–Sep 2025").text
    assert "concentrated at the end of the year" in text
    assert "{cite:p}`seed-004`" in text


def test_a_claim_that_fits_the_year_says_so():
    monthly = turnover(*YEARS, ("2025-01-01", "2025-09-30", 420.0))
    assert trade_text.tension(monthly, 2024, 9, 405.0).endswith("in line with the rest of that year.")


def test_without_the_base_year_the_claim_cannot_be_tested():
    monthly = turnover(YEARS[0], ("2025-01-01", "2025-09-30", 420.0))
    assert trade_text.tension(monthly, 2024, 9, 405.0) == (
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
    assert trade_text.target_trend(change) == trend
    assert trade_text.pace_outcome(change, required_pct=12.0) == outcome
    assert trade_text.target_verdict(change, required_pct=12.0) == (
        "within reach" if change >= 12.0 else "out of reach"
    )
