"""Rerunning on updated data: exactly the chapters that depend on a change run again, and the new
value reaches their charts and prose; nothing else runs, and an unchanged book is not rebuilt."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from bookbuild.build import Project, glued
from ingest.comtrade import ingest
from kztm import data, prose, trade
from kztm.charts import FIGURE_MIME
from kztm.paths import using_root
from tests.conftest import copy_project, run_build
from tests.test_comtrade import FIXTURE as COMTRADE_EXPORT

OFFICIAL = (
    "stat-test,official,Test export of official trade statistics,,Test statistics office,,,,,en,"
    ",https://stat.example/trade,2026-11-22,test data\n"
)
NEW_ROW = (
    "2025-01-01,2025-12-31,turnover,612.3,exact,stat-test,kz_official,,a full year from official data\n"
)


def executed(output: str) -> set[str]:
    return set(re.findall(r"\] executed (\w+) in", output, re.MULTILINE))


@pytest.fixture(scope="module")
def cold(tmp_path_factory) -> tuple[Project, str]:
    """A copy with an official-statistics source, built once cold, two chapters at a time; with
    what the build printed."""
    project = Project(copy_project(tmp_path_factory.mktemp("incremental")))
    sources = project.root / "data" / "sources.csv"
    sources.write_text(sources.read_text(encoding="utf-8") + OFFICIAL, encoding="utf-8")
    result = run_build(project.root, "--jobs", "2")
    assert result.returncode == 0, result.stderr[-3000:]
    assert executed(result.stdout) == set(project.chapters())
    return project, result.stdout


def test_a_cold_build_runs_chapters_side_by_side_and_shows_progress(cold):
    project, output = cold
    total = len(project.chapters())
    assert f"executing {total} chapter(s) on 2 worker(s)" in output
    events = re.findall(rf"^(?:started (\w+)|\[\d+/{total}\] executed (\w+))", output, re.MULTILINE)
    first_finish = next(i for i, (started, _) in enumerate(events) if not started)
    assert first_finish >= 2, f"the second chapter waited for the first: {events}"
    counters = re.findall(rf"^\[(\d+)/{total}\] executed", output, re.MULTILINE)
    assert counters == [str(n) for n in range(1, total + 1)]


@pytest.fixture
def project(cold) -> Project:
    return cold[0]


def test_an_unchanged_project_runs_nothing_and_keeps_the_book(project):
    result = run_build(project.root)
    assert result.returncode == 0, result.stderr[-3000:]
    assert executed(result.stdout) == set()
    assert "nothing it shows changed" in result.stdout


def test_a_book_another_tool_wrote_over_is_published_again(project):
    """A plain `jupyter-book build .` writes a book without charts into _build/html."""
    page = project.html_dir / "chapters" / "trade.html"
    page.write_text("<p>a page without charts</p>", encoding="utf-8")
    result = run_build(project.root)
    assert result.returncode == 0, result.stderr[-3000:]
    assert executed(result.stdout) == set()
    assert "was changed outside this build" in result.stdout
    assert 'class="kztm-chart"' in page.read_text(encoding="utf-8")


def test_a_data_change_reruns_exactly_its_consumers_and_reaches_prose_and_charts(project):
    trade = project.root / "data" / "trade.csv"
    trade.write_text(trade.read_text(encoding="utf-8") + NEW_ROW, encoding="utf-8")

    result = run_build(project.root)

    assert result.returncode == 0, result.stderr[-3000:]
    assert executed(result.stdout) == {"overview", "trade", "methods"}
    assert "data/trade.csv changed" in result.stdout
    overview = glued(project.executed_dir / "overview.ipynb")
    assert "\\$612\\.3 million in 2025" in overview["key-findings"]["text/markdown"]
    trade = glued(project.executed_dir / "trade.ipynb")
    assert "612.3" in json.dumps(trade["fig-trade-monthly"][FIGURE_MIME])
    # Judgements follow the data too: 2025 is now the latest year (from another source than 2024,
    # so the direction is not claimed), and the nine-month growth claim is tested against 2024,
    # the year it compares with, not against the latest year.
    assert trade["change_reading"]["text/plain"].startswith("whether 2025 brought it closer")
    assert "Against the full year 2024" in trade["recent-reading"]["text/markdown"]
    page = (project.html_dir / "chapters" / "trade.html").read_text(encoding="utf-8")
    assert "$612.3 million" in page
    chart = page[page.index('class="kztm-chart"') :]
    assert "612.3" in chart[: chart.index("</script>")], "the chart on the page shows the new figure"


def test_a_parameter_reruns_only_the_chapters_that_declare_it(project):
    result = run_build(project.root, "--param", "target_year=2035")
    assert result.returncode == 0, result.stderr[-3000:]
    assert executed(result.stdout) == {"trade"}
    assert glued(project.executed_dir / "trade.ipynb")["target_year"]["text/plain"] == "2035"


def test_an_ingested_statistics_export_reaches_the_trade_page(project):
    ingest(COMTRADE_EXPORT, project.root, date(2026, 11, 22))
    with using_root(project.root):
        levels = trade.with_derived_turnover(data.load_all("trade"))
    derived = levels[levels["derived"] & (levels["source_id"] == "comtrade-kaz")].iloc[0]

    result = run_build(project.root)

    assert result.returncode == 0, result.stderr[-3000:]
    assert "trade" in executed(result.stdout)
    page = (project.html_dir / "chapters" / "trade.html").read_text(encoding="utf-8")
    assert "UN Comtrade (Kazakh declarations)" in page
    assert f"{prose.money(derived['value_usd_m'])} (exports plus imports)" in page
    # The prose follows: the statistics offices' own declarations are now in the record.
    assert "Figures from UN Comtrade are what the statistics offices declared" in page
