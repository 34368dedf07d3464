"""The built book in a real headless Chromium with the network cut off.

Every page is opened from a loopback server and from disk (``file://``, as a reader who opens
``index.html`` does); any request to another host is refused and recorded. Each chart must draw
(Vega SVG), each map must draw (Leaflet paths) with a label for every place and a legend, hovering
shows tooltips, and the page logs no error.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bookbuild.build import Project
from tests.conftest import ROOT

CHAPTERS = Project(ROOT).chapters()
PAGES = [
    "intro.html",
    "bibliography.html",
    "colophon.html",
    *[f"chapters/{name}.html" for name in CHAPTERS],
]
ORIGINS = ["http", "file"]
DRAW_TIMEOUT_MS = 20_000
HOVER_TRIES = 12


def hover_until_tooltip(items, tooltip) -> bool:
    """Hover the items in turn until the tooltip shows (a line's bounding-box centre may miss
    the line, so the first item is not always hoverable)."""
    for index in range(min(items.count(), HOVER_TRIES)):
        items.nth(index).hover(force=True)
        try:
            tooltip.wait_for(state="visible", timeout=1_500)
            return True
        except PlaywrightTimeout:
            continue
    return False


@pytest.mark.parametrize("origin", ORIGINS)
@pytest.mark.parametrize("path", PAGES)
def test_page_loads_nothing_from_the_network_and_logs_no_error(visit, path, origin):
    seen = visit(path, origin)
    seen.page.wait_for_timeout(500)
    assert seen.refused == [], f"{path} tried to load from the network: {seen.refused}"
    assert seen.errors == [], f"{path} logged errors: {seen.errors}"


@pytest.mark.parametrize("origin", ORIGINS)
@pytest.mark.parametrize("name", CHAPTERS)
def test_every_chart_draws_and_shows_a_tooltip(visit, name, origin):
    seen = visit(f"chapters/{name}.html", origin)
    page = seen.page
    charts = page.locator(".kztm-chart")
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()  # as a reader does: charts draw as they near the window
        chart.locator("svg.marks").wait_for(timeout=DRAW_TIMEOUT_MS)
        tooltip = page.locator("#kztm-tooltip.visible")
        marks = chart.locator("svg g.role-mark path")
        assert hover_until_tooltip(marks, tooltip), f"chart {index + 1} of {name}: no tooltip"
        assert tooltip.inner_text().strip(), f"chart {index + 1} of {name} shows an empty tooltip"
        page.mouse.move(0, 0)
    assert seen.errors == []


@pytest.mark.parametrize("origin", ORIGINS)
@pytest.mark.parametrize("name", CHAPTERS)
def test_every_map_draws_with_labels_and_a_legend(visit, name, origin):
    seen = visit(f"chapters/{name}.html", origin)
    frames = seen.page.locator("iframe.kztm-map-frame")
    for index in range(frames.count()):
        where = f"map {index + 1} of {name} ({origin})"
        element = frames.nth(index)
        element.scroll_into_view_if_needed()
        frame = element.element_handle().content_frame()
        frame.locator("path.leaflet-interactive[fill-opacity='0.95']").first.wait_for(
            timeout=DRAW_TIMEOUT_MS
        )
        assert frame.locator(".leaflet-overlay-pane path").count() > 1, f"{where}: nothing drawn"
        points = frame.locator("path.leaflet-interactive[fill-opacity='0.95']").count()
        labels = frame.locator(".leaflet-tooltip.kztm-label")
        assert points and labels.count() == points, f"{where}: {points} places, {labels.count()} labels"
        assert all(text.strip() for text in labels.all_inner_texts()), f"{where}: an empty label"
        legend = frame.locator(".kztm-legend li")
        assert legend.count() >= 1 and legend.first.is_visible(), f"{where}: no legend"
    assert seen.errors == []


@pytest.mark.parametrize("origin", ORIGINS)
def test_charts_and_maps_far_below_the_window_wait_until_the_reader_nears_them(visit, origin):
    """Drawn only as they near the window (kztm.js), so a long chapter's figures do not all hold
    up the page at load; a phone-sized window sees the trade chapter's last chart and the
    logistics chapter's map far below."""
    for path, figure_selector in [
        ("chapters/trade.html", ".kztm-chart"),
        ("chapters/logistics.html", "iframe.kztm-map-frame"),
    ]:
        seen = visit(path, origin, viewport={"width": 412, "height": 823})
        page = seen.page
        figure = page.locator(figure_selector).last
        page.wait_for_timeout(500)
        assert figure.bounding_box()["y"] > 3 * 823, f"{path}: the figure is not far below"
        assert figure.locator("svg").count() == 0 and figure.get_attribute("srcdoc") is None, path
        figure.scroll_into_view_if_needed()
        if figure_selector == ".kztm-chart":
            figure.locator("svg.marks").wait_for(timeout=DRAW_TIMEOUT_MS)
        else:
            page.wait_for_function(
                "frame => frame.hasAttribute('srcdoc')",
                arg=figure.element_handle(),
                timeout=DRAW_TIMEOUT_MS,
            )
        assert seen.errors == [], path


def test_the_overview_has_a_map_and_the_diplomacy_chapter_a_timeline(visit):
    assert visit("chapters/overview.html").page.locator("iframe.kztm-map-frame").count() >= 1
    assert visit("chapters/diplomacy.html").page.locator(".kztm-chart").count() >= 1


@pytest.mark.parametrize("origin", ORIGINS)
def test_a_chart_offers_its_image_and_its_data_for_download(visit, origin):
    page = visit("chapters/trade.html", origin).page
    chart = page.locator(".kztm-chart").first
    chart.scroll_into_view_if_needed()
    chart.locator("svg.marks").wait_for(timeout=DRAW_TIMEOUT_MS)
    bar = page.locator(".kztm-chart-downloads").first
    assert [b.inner_text() for b in bar.locator("button").all()] == ["PNG", "SVG", "CSV"]
    with page.expect_download() as csv_download:
        bar.locator("button", has_text="CSV").click()
    assert csv_download.value.suggested_filename == "fig-trade-monthly.csv"
    text = Path(csv_download.value.path()).read_text(encoding="utf-8")
    assert {"period_start", "period_end", "value_usd_m"} <= set(text.splitlines()[0].split(","))
    assert "555.7" in text
    with page.expect_download() as png_download:
        bar.locator("button", has_text="PNG").click()
    assert png_download.value.suggested_filename == "fig-trade-monthly.png"
    assert Path(png_download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_search_results_quote_the_text_around_the_word_searched_for(visit):
    """Over a web server (a page opened from disk may not fetch another): each result's snippet
    comes from the chapter's text around the word, not from the page's toolbar (".ipynb")."""
    seen = visit("search.html?q=railway")
    seen.page.wait_for_function(
        "() => { const found = [...document.querySelectorAll('ul.search li')];"
        " return found.length > 2 && found.every(li => li.querySelector('p.context')); }",
        timeout=DRAW_TIMEOUT_MS,
    )
    snippets = seen.page.locator("ul.search li p.context").all_inner_texts()
    assert all("railway" in snippet.lower() for snippet in snippets), snippets
    assert not any(".ipynb" in snippet for snippet in snippets), snippets
    assert seen.errors == []


@pytest.mark.parametrize("origin", ORIGINS)
def test_a_register_filters_its_rows_as_the_reader_types(visit, origin):
    """The methods chapter's full registers (HTML only) each get a filter box: typing keeps the
    rows holding every word typed, and the box says how many it shows."""
    seen = visit("chapters/methods.html", origin)
    registers = seen.page.locator("table.kztm-register")
    assert registers.count() == 4
    boxes = seen.page.locator(".kztm-filter")
    assert boxes.count() == registers.count()
    crosscheck = registers.nth(1)
    every = crosscheck.locator("tbody tr").count()
    box = boxes.nth(1)
    assert not box.is_visible(), "the full register is folded until the reader opens it"
    seen.page.locator("details.sd-dropdown summary").nth(1).click()
    assert box.locator("[role=status]").inner_text().strip() == f"{every} of {every} rows"
    box.locator("input").fill("disagrees")
    shown = crosscheck.locator("tbody tr:not([hidden])")
    assert 0 < shown.count() < every
    assert all("disagrees" in row.lower() for row in shown.all_inner_texts())
    assert box.locator("[role=status]").inner_text().strip() == f"{shown.count()} of {every} rows"
    box.locator("input").fill("")
    assert crosscheck.locator("tbody tr:not([hidden])").count() == every
    assert seen.errors == []


@pytest.mark.parametrize("origin", ORIGINS)
def test_the_landing_page_shows_its_map_and_a_short_citation(visit, origin):
    seen = visit("index.html", origin)
    cover = seen.page.locator("article img").first
    assert cover.get_attribute("alt").startswith("Map of Kazakhstan and Turkmenistan")
    assert seen.page.evaluate("(img) => img.naturalWidth", cover.element_handle()) > 600
    text = seen.page.locator("article").inner_text()
    assert "@techreport" not in text and "The full reference" in text
    assert seen.page.locator("a[href*='colophon.html#how-to-cite']").count() == 1
    colophon = visit("colophon.html", origin).page.locator("article").inner_text()
    assert "@techreport" in colophon


PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("origin", ORIGINS)
@pytest.mark.parametrize("path", PAGES)
def test_nothing_on_a_phone_is_wider_than_its_column(visit, path, origin):
    """At a phone's width no table, chart or code block needs sideways scrolling: charts take
    the column's width, a table too wide becomes a card per row, code wraps."""
    seen = visit(path, origin, viewport=PHONE)
    seen.page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    for chart in seen.page.locator(".kztm-chart").all():
        chart.scroll_into_view_if_needed()
        chart.locator("svg").first.wait_for(timeout=DRAW_TIMEOUT_MS)
    wider = seen.page.evaluate(
        """() => [...document.querySelectorAll('article table, article pre, article .kztm-chart svg')]
            .filter(e => e.offsetParent !== null)
            .map(e => [e.tagName, e.id || e.className.baseVal || e.className,
                       Math.round(e.getBoundingClientRect().width),
                       Math.round(document.querySelector('article').getBoundingClientRect().width)])
            .filter(([, , width, column]) => width > column + 1)"""
    )
    assert wider == [], wider
