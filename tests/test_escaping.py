"""Untrusted text stays text: markup in data reaches tooltips, popups, tables and captions as
literal characters, and nothing in it runs.

A copy of the project gets HTML and script payloads in data fields that the book shows (event
titles, place names and notes, claims), is built for real, and every chapter is opened in headless
Chromium; hovering charts and maps shows the tooltips that would run an injected handler.
"""

from __future__ import annotations

import csv
import io

import pytest

from bookbuild.build import Project
from bookbuild.served import served
from tests.conftest import copy_project, run_build
from tests.test_browser import CHAPTERS, hover_until_tooltip

IMG = "<img src=x onerror=window.__xss=1>"
SCRIPT = "<script>window.__xss=2</script>"
TICK = "`${window.__xss=3}`"
PAYLOAD = f"{IMG}{SCRIPT}{TICK}"


def poison(path, column: str, rows: int = 2, keys: frozenset[str] = frozenset()) -> None:
    """Append the payload to ``column`` in the first ``rows`` data rows of a CSV file, and in the
    rows whose first column is one of ``keys`` (wherever they stand in the file)."""
    records = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    index = records[0].index(column)
    for number, record in enumerate(records[1:], start=1):
        if number <= rows or record[0] in keys:
            record[index] = f"{record[index]} {PAYLOAD}".strip()
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(records)
    path.write_text(buffer.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def poisoned_book(tmp_path_factory) -> Project:
    project = Project(copy_project(tmp_path_factory.mktemp("poisoned")))
    data = project.root / "data"
    poison(data / "events.csv", "title", rows=18, keys=frozenset({"unga-neutrality-1995"}))
    poison(data / "places.csv", "name", rows=15)
    poison(data / "places.csv", "note", rows=15)
    poison(data / "actors.csv", "claim", rows=19)
    poison(data / "agenda.csv", "claim")
    result = run_build(project.root)
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    return project


@pytest.fixture(scope="module")
def poisoned_url(poisoned_book):
    with served(poisoned_book.html_dir) as url:
        yield url


@pytest.mark.parametrize("name", CHAPTERS)
def test_markup_in_data_never_runs_and_shows_as_text(browser, poisoned_url, name):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{poisoned_url}chapters/{name}.html", wait_until="load")
    charts = page.locator(".kztm-chart")
    for index in range(charts.count()):
        charts.nth(index).scroll_into_view_if_needed()
        charts.nth(index).locator("svg.marks").wait_for(timeout=20_000)
        hover_until_tooltip(
            charts.nth(index).locator("svg g.role-mark path"),
            page.locator("#kztm-tooltip.visible"),
        )
    frames = page.locator("iframe.kztm-map-frame")
    frames_seen = []
    for index in range(frames.count()):
        frames.nth(index).scroll_into_view_if_needed()
        frame = frames.nth(index).element_handle().content_frame()
        frame.locator("path.leaflet-interactive[fill-opacity='0.95']").first.wait_for(timeout=20_000)
        hover_until_tooltip(
            # Places and routes, not the invisible anchors of the sea and country names.
            frame.locator("path.leaflet-interactive:not([stroke='none'])"),
            frame.locator(".leaflet-tooltip").first,
        )
        frames_seen.append(frame)
    for scope in [page, *frames_seen]:
        assert scope.evaluate("typeof window.__xss") == "undefined", f"{name}: injected code ran"
    assert dialogs == []
    shown = page.locator("body").inner_text() + "".join(
        f.locator("body").inner_text() for f in frames_seen
    )
    if name in ("diplomacy", "geopolitics", "methods", "water", "people"):
        assert IMG in shown, f"{name}: the payload should be shown literally"
    context.close()
