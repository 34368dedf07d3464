"""One event, one status: the rule by which the reports of an event become the row readers see."""

from __future__ import annotations

import pandas as pd

from kztm import events


def reports(*rows: tuple[str, str, str, str, str]) -> pd.DataFrame:
    """Reports of events: (event, source, start, precision, status)."""
    frame = pd.DataFrame(rows, columns=["event_id", "source_id", "date_start", "precision", "status"])
    return frame.assign(
        date_start=pd.to_datetime(frame["date_start"]),
        date_end=pd.NaT,
        kind="regional_summit",
        place_id=pd.NA,
    )


def test_an_event_any_source_reports_held_is_held_whatever_the_most_precise_report_says():
    one = events.one_row_per_event(
        reports(
            ("summit", "announcer", "2024-05-10", "day", "announced"),
            ("summit", "reporter", "2024-05-01", "month", "held"),
        )
    ).iloc[0]
    assert one["status"] == "held"
    assert one["date_start"] == pd.Timestamp("2024-05-10")  # the most precise date stays
    assert one["sources"] == "announcer; reporter"


def test_an_event_takes_the_most_advanced_status_short_of_held():
    one = events.one_row_per_event(
        reports(
            ("summit", "proposer", "2026-08-12", "day", "proposed"),
            ("summit", "planner", "2026-08-01", "month", "planned"),
        )
    ).iloc[0]
    assert one["status"] == "planned"


def test_an_announced_event_whose_days_have_passed_unreported_is_marked_lapsed():
    announced = reports(("days", "article", "2022-01-01", "year", "proposed"))
    during = events.one_row_per_event(announced, pd.Timestamp("2022-12-31")).iloc[0]
    after = events.one_row_per_event(announced, pd.Timestamp("2023-01-01")).iloc[0]
    assert not during["lapsed"] and events.status_label(during) == "Proposed"
    assert after["lapsed"] and events.status_label(after) == "Proposed; not reported held"


def test_a_held_event_never_lapses():
    held = reports(("visit", "reporter", "2020-03-01", "month", "held"))
    assert not events.one_row_per_event(held, pd.Timestamp("2025-12-31")).iloc[0]["lapsed"]


def test_an_event_takes_the_place_any_report_names():
    frame = reports(
        ("visit", "precise", "2017-04-18", "day", "held"),
        ("visit", "vague", "2017-04-01", "month", "held"),
    )
    frame.loc[frame["source_id"] == "vague", "place_id"] = "astana"
    assert events.one_row_per_event(frame).iloc[0]["place_id"] == "astana"


def test_a_document_is_dated_by_the_report_of_its_day_not_of_the_visit_it_was_signed_during():
    signed = pd.DataFrame(
        {
            "agreement_id": ["regime", "regime"],
            "source_id": ["article", "law"],
            "precision": ["day", "day"],
            "signed_start": pd.to_datetime(["2021-10-24", "2021-10-25"]),
            "signed_end": pd.to_datetime(["2021-10-25", "2021-10-25"]),
        }
    )
    best = events.most_precise(signed, "agreement_id", events.SIGNED).iloc[0]
    assert best["source_id"] == "law" and best["sources"] == "article; law"
