"""Ingesting an official statistics export (UN Comtrade layout) into the trade data."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from ingest.comtrade import ComtradeError, ingest, read_export, trade_rows
from kztm import data, trade, trade_text
from kztm.archive import TEXT_FOLDERS
from kztm.paths import using_root
from tests.conftest import ROOT

FIXTURE = Path(__file__).parent / "fixtures" / "comtrade_kaz_tkm.csv"
ACCESSED = date(2026, 11, 22)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for folder in ("data", *TEXT_FOLDERS):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def test_only_bilateral_totals_of_exports_and_imports_are_taken():
    rows, skipped = trade_rows(read_export(FIXTURE))
    assert skipped == 3  # commodity detail, a re-export, another partner
    assert {(r["period_start"], r["flow"], r["source_id"]) for r in rows} == {
        ("2022-01-01", "kz_exports", "comtrade-kaz"),
        ("2022-01-01", "kz_imports", "comtrade-kaz"),
        ("2022-01-01", "kz_imports", "comtrade-tkm"),
        ("2023-03-01", "kz_exports", "comtrade-kaz"),
    }


def test_values_are_million_dollars_and_months_end_on_their_last_day():
    rows, _ = trade_rows(read_export(FIXTURE))
    march = next(r for r in rows if r["period_start"] == "2023-03-01")
    assert march["period_end"] == "2023-03-31"
    exports = next(r for r in rows if r["source_id"] == "comtrade-kaz" and r["flow"] == "kz_exports")
    assert exports["value_usd_m"] == "312.457"


def test_mirror_flows_stay_apart_after_ingest(project):
    result = ingest(FIXTURE, project, ACCESSED)
    assert result.sources == ("comtrade-kaz", "comtrade-tkm")
    with using_root(project):
        trade = data.load_trade()
        sources = data.load_sources().set_index("source_id")
    imports_2022 = trade[(trade["flow"] == "kz_imports") & (trade["period_start"] == "2022-01-01")]
    assert sorted(imports_2022["value_usd_m"]) == [128.765, 141.0]
    assert sources.loc["comtrade-tkm", "kind"] == "official"
    assert str(sources.loc["comtrade-kaz", "accessed"].date()) == "2026-11-22"


def test_reingesting_replaces_rather_than_duplicates(project):
    ingest(FIXTURE, project, ACCESSED)
    ingest(FIXTURE, project, ACCESSED)
    with using_root(project):
        trade = data.load_trade()
    assert (trade["source_id"] == "comtrade-kaz").sum() == 3


def test_tab_separated_export_with_other_header_case_is_read(project, tmp_path):
    text = FIXTURE.read_text(encoding="utf-8")
    header, _, body = text.partition("\n")
    tabbed = tmp_path / "export.tsv"
    tabbed.write_text(header.upper().replace(",", "\t") + "\n" + body.replace(",", "\t"))
    assert ingest(tabbed, project, ACCESSED).rows == 4


def test_a_file_without_comtrade_columns_is_refused_and_nothing_written(project, tmp_path):
    before = (project / "data" / "trade.csv").read_bytes()
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("year,partner,value\n2022,TKM,1\n")
    with pytest.raises(ComtradeError, match="columns missing: refyear"):
        ingest(wrong, project, ACCESSED)
    assert (project / "data" / "trade.csv").read_bytes() == before


def test_the_script_ingests_from_the_command_line(project):
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "ingest_comtrade.py"),
            str(FIXTURE),
            "--root",
            str(project),
            "--accessed",
            "2026-11-22",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "ingested 4 rows from comtrade-kaz, comtrade-tkm" in result.stdout


def test_ingested_directions_join_the_turnover_series_as_their_sum(project):
    ingest(FIXTURE, project, ACCESSED)
    with using_root(project):
        levels = trade.with_derived_turnover(data.load_trade())
        table = trade_text.figures_table(trade.series(levels)).text
    kaz_2022 = levels[(levels["source_id"] == "comtrade-kaz") & (levels["period_start"] == "2022-01-01")]
    reported = kaz_2022[~kaz_2022["derived"]]
    derived = kaz_2022[kaz_2022["derived"]]
    assert list(derived["flow"]) == ["turnover"]
    assert derived["value_usd_m"].iloc[0] == pytest.approx(reported["value_usd_m"].sum())
    # The mirror side gives one direction only, so no turnover is made up for it.
    assert levels[(levels["source_id"] == "comtrade-tkm") & levels["derived"]].empty
    assert "UN Comtrade \\(Kazakh declarations\\)" in table
    assert "(exports plus imports)" in table.replace("\\(", "(").replace("\\)", ")")
