"""Accessibility: axe-core (from npm) on every page in headless Chromium, alternative text for every
figure, and colours that stand out from what they are drawn on."""

from __future__ import annotations

import pytest

from bookbuild.build import Project
from kztm import charts, maps
from tests.conftest import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [
    "intro.html",
    *[f"chapters/{name}.html" for name in Project(ROOT).chapters()],
    "bibliography.html",
    "colophon.html",
    "genindex.html",
    "search.html",
]
BLOCKING = {"serious", "critical"}
DRAW_TIMEOUT_MS = 20_000
# Alternative text shorter than this names a figure without describing it ("Chart", "Map").
MIN_ALT_LENGTH = 40


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #rrggbb colour."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def drawn(visit, path: str):
    """A page of the book, opened offline, once every chart and map has drawn (each draws as the
    reader nears it)."""
    page = visit(path).page
    figures = page.locator(".kztm-chart, iframe.kztm-map-frame")
    for index in range(figures.count()):
        figures.nth(index).scroll_into_view_if_needed()
    page.wait_for_function(
        "[...document.querySelectorAll('.kztm-chart')].every(c => c.querySelector('svg'))"
        " && [...document.querySelectorAll('iframe.kztm-map-frame')].every(f => f.srcdoc)",
        timeout=DRAW_TIMEOUT_MS,
    )
    return page


def test_the_audit_covers_every_page_of_the_book(built_book):
    built = {
        str(path.relative_to(built_book.html_dir))
        for path in built_book.html_dir.rglob("*.html")
        if "_static" not in path.parts
    }
    assert built - {"index.html"} == set(PAGES), "index.html only redirects to intro.html"


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_or_critical_violation(visit, path):
    tab = drawn(visit, path)
    tab.add_script_tag(path=str(AXE))
    violations = tab.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.map(n => n.target.join(' '))}))"""
    )
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} at {v['nodes'][:3]}" for v in blocking
    )


@pytest.mark.parametrize("path", [p for p in PAGES if p.startswith("chapters/")])
def test_every_figure_has_alternative_text(visit, path):
    tab = drawn(visit, path)
    names = tab.evaluate(
        """() => [
            ...[...document.querySelectorAll('.kztm-chart')].map(c => c.getAttribute('aria-label')),
            ...[...document.querySelectorAll('main iframe')].map(f => f.getAttribute('title')),
            ...[...document.querySelectorAll('main img')].map(i => i.getAttribute('alt')),
        ]"""
    )
    assert names, f"{path} has no figure"
    short = [name for name in names if not name or len(name.strip()) < MIN_ALT_LENGTH]
    assert not short, f"figures on {path} without a real description: {short}"


CHART_GROUND = [charts.BACKGROUND]
MAP_GROUNDS = [maps.SEA, maps.LAND, maps.FOCUS_LAND]
# What is drawn on what: the palette in charts and on maps, date ranges in charts, borders on maps.
GRAPHICS = [
    *[(colour, ground) for colour in charts.PALETTE for ground in CHART_GROUND + MAP_GROUNDS],
    *[(charts.SPAN, ground) for ground in CHART_GROUND],
    *[(maps.BORDER, ground) for ground in MAP_GROUNDS],
]


@pytest.mark.parametrize(("colour", "ground"), GRAPHICS)
def test_graphics_stand_out_three_to_one_from_what_they_are_drawn_on(colour, ground):
    # WCAG 1.4.11 (non-text contrast) asks 3:1 for the parts of a graphic needed to read it.
    assert contrast(colour, ground) >= 3, f"{colour} on {ground}: {contrast(colour, ground):.2f}:1"


@pytest.mark.parametrize("ground", CHART_GROUND + MAP_GROUNDS)
def test_text_in_charts_and_maps_reads_four_and_a_half_to_one(ground):
    assert contrast(charts.INK, ground) >= 4.5
