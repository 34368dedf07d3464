"""The real build: papermill-executed chapters and a Jupyter Book with warnings as errors."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pydata_sphinx_theme
import pytest
from fontTools.ttLib import TTFont

from bookbuild.build import Project
from bookbuild.served import book_pages
from kztm.charts import FIGURE_MIME
from tests.conftest import ROOT, copy_project, glued_figures, run_build

CHAPTERS = Project(ROOT).chapters()


class _Resources(HTMLParser):
    """Collect the URLs a page would fetch: scripts, stylesheets, images, frames."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"script": "src", "img": "src", "iframe": "src", "link": "href", "source": "src"}
        found = dict(attrs)
        if tag in wanted and found.get(wanted[tag]):
            if tag == "link" and found.get("rel") not in ("stylesheet", "preload", "icon"):
                return
            self.urls.append(found[wanted[tag]] or "")


def fetched_urls(html: str) -> list[str]:
    parser = _Resources()
    parser.feed(html)
    return parser.urls


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_chapter_in_the_toc_has_a_page(built_book, name):
    assert (built_book.html_dir / "chapters" / f"{name}.html").is_file()


def test_no_page_fetches_anything_from_another_host(built_book):
    pages = sorted(built_book.html_dir.rglob("*.html"))
    assert pages
    for page in pages:
        remote = [u for u in fetched_urls(page.read_text(encoding="utf-8")) if "://" in u]
        assert remote == [], f"{page.name} fetches {remote}"
    for frame in re.findall(
        r'srcdoc="([^"]*)"', (built_book.html_dir / "chapters/overview.html").read_text()
    ):
        assert "://" not in " ".join(fetched_urls(frame.replace("&quot;", '"')))


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_chart_uses_the_offline_renderer(built_book, name):
    page = (built_book.html_dir / "chapters" / f"{name}.html").read_text(encoding="utf-8")
    assert "altair-viz" not in page, "a chart was rendered by Altair's CDN-loading renderer"
    assert "cdn.jsdelivr" not in page


@pytest.mark.parametrize("name", CHAPTERS)
def test_executed_chapter_has_no_errors(built_book, name):
    notebook = nbformat.read(built_book.executed_dir / f"{name}.ipynb", as_version=4)
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_chart_and_map_leaves_what_the_editions_finish_it_from(built_book, name):
    figures = glued_figures(built_book, name)
    assert figures, f"{name} glues no chart or map"
    assert all(set(description) in ({"chart"}, {"map"}) for description in figures.values())
    page = (built_book.html_dir / "chapters" / f"{name}.html").read_text(encoding="utf-8")
    charts = sum("chart" in description for description in figures.values())
    assert page.count('class="kztm-chart"') == charts
    assert page.count('class="kztm-map"') == len(figures) - charts
    notebook = (built_book.html_dir / "_downloads").rglob(f"{name}.ipynb")
    assert FIGURE_MIME not in page + "".join(path.read_text(encoding="utf-8") for path in notebook)


@pytest.mark.parametrize("name", CHAPTERS)
def test_parameters_and_code_are_kept_out_of_the_readers_way(built_book, name):
    notebook = nbformat.read(built_book.executed_dir / f"{name}.ipynb", as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    injected = [c for c in code if "injected-parameters" in c.metadata.tags]
    parameters = [c for c in code if "parameters" in c.metadata.tags]
    assert len(parameters) == 1
    for cell in injected + parameters:
        assert "remove-cell" in cell.metadata.tags
    others = [c for c in code if c not in injected + parameters]
    assert all("remove-input" in c.metadata.tags for c in others)
    page = (built_book.html_dir / "chapters" / f"{name}.html").read_text(encoding="utf-8")
    assert "as_of =" not in page
    assert "Show code cell" not in page
    assert f"{name}.ipynb" in page and f"{name}.md" in page, "the code is offered for download"


@pytest.mark.parametrize("name", CHAPTERS)
def test_no_dollar_amount_turns_into_mathematics(built_book, name):
    # The report has no formulas: maths on a page means two "$" in glued MyST opened inline maths.
    page = (built_book.html_dir / "chapters" / f"{name}.html").read_text(encoding="utf-8")
    assert 'class="math' not in page


def test_sources_have_a_generated_bibliography(built_book):
    page = (built_book.html_dir / "bibliography.html").read_text(encoding="utf-8")
    for title in ("Kazakhstan and Turkmenistan Strengthen Strategic Partnership", "TuraNews"):
        assert title in page


def test_a_failing_chapter_names_chapter_and_cell_and_keeps_the_last_good_book(tmp_path):
    project = Project(copy_project(tmp_path / "project"))
    good_html = project.html_dir / "intro.html"
    good_html.parent.mkdir(parents=True)
    good_html.write_text("last good book", encoding="utf-8")
    project.pdf_path.parent.mkdir(parents=True)
    project.pdf_path.write_bytes(b"%PDF last good edition")
    chapter = project.root / "chapters" / "overview.md"
    text = chapter.read_text(encoding="utf-8")
    broken = text.replace(
        "edition = Edition.from_parameters",
        "raise RuntimeError('deliberate failure')\nedition = Edition.from_parameters",
        1,
    )
    assert broken != text
    chapter.write_text(broken, encoding="utf-8")

    result = run_build(project.root)

    assert result.returncode != 0
    assert "chapter overview (chapters/overview.md), code cell 2" in result.stderr
    assert "RuntimeError: deliberate failure" in result.stderr
    assert good_html.read_text(encoding="utf-8") == "last good book"

    # The chapters that ran beside it kept their results: the PDF build retries only overview,
    # fails the same way and leaves the last good PDF alone.
    again = run_build(project.root, target="pdf")

    assert again.returncode != 0
    assert "RuntimeError: deliberate failure" in again.stderr
    assert "executing 1 chapter(s)" in again.stdout
    assert "up to date: trade" in again.stdout
    assert project.pdf_path.read_bytes() == b"%PDF last good edition"


def test_bad_data_stops_the_build_before_anything_runs(tmp_path):
    project = Project(copy_project(tmp_path / "project"))
    project.pdf_path.parent.mkdir(parents=True)
    project.pdf_path.write_bytes(b"%PDF last good edition")
    trade = project.root / "data" / "trade.csv"
    trade.write_text(trade.read_text().replace(",563,", ",-563,"), encoding="utf-8")

    for target in ("html", "pdf"):
        result = run_build(project.root, target=target)

        assert result.returncode != 0
        assert "data/trade.csv, row 3, column value_usd_m" in result.stderr
        assert not (project.executed_dir / "overview.ipynb").exists()
        assert not project.html_dir.exists()
        assert project.pdf_path.read_bytes() == b"%PDF last good edition"


def test_chart_libraries_load_only_on_pages_with_charts(built_book):
    with_charts = without = 0
    for page in book_pages(built_book.html_dir):
        text = page.read_text(encoding="utf-8")
        loads_vega = "vendor/vega/vega.min.js" in text
        if 'class="kztm-chart"' in text:
            with_charts += 1
            assert loads_vega, page.name
        else:
            without += 1
            assert not loads_vega, page.name
    assert with_charts and without


HEAD_SCRIPT = re.compile(r"<script\b([^>]*)\bsrc=\"([^\"]+)\"")


def test_no_linked_script_blocks_the_first_paint(built_book):
    """Every script a page links is deferred, but the two that inline scripts or the search
    template need at once (bookbuild.sphinx_book._defer_scripts)."""
    deferred = 0
    for page in book_pages(built_book.html_dir):
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        for attributes, source in HEAD_SCRIPT.findall(head):
            waits = "defer" in attributes or "async" in attributes
            needed_at_once = "documentation_options.js" in source or page.name == "search.html"
            assert waits != needed_at_once, (page.name, source)
            deferred += waits
    assert deferred > 5 * len(book_pages(built_book.html_dir))


def test_no_page_loads_the_icon_script(built_book):
    """The theme's 1.5 MB fontawesome.js is not linked: its stylesheet draws the icons."""
    pages = book_pages(built_book.html_dir)
    assert pages
    for page in pages:
        assert "fontawesome.js" not in page.read_text(encoding="utf-8"), page.name


ICON_CLASS = re.compile(r'class="[^"]*\b(fa-[a-z0-9-]+)')
ICON_RULE = re.compile(r'([^{}]+)\{content:"\\(f[0-9a-f]{3})"\}')


def test_every_icon_a_page_shows_is_in_the_trimmed_stylesheet_and_the_subset_font(built_book):
    """The theme's stylesheets are trimmed and its icon fonts subset (bookbuild.slim) without
    losing an icon that a page shows."""
    static = built_book.html_dir / "_static"
    stylesheet = static / "styles" / "pydata-sphinx-theme.css"
    shipped = next(Path(pydata_sphinx_theme.__file__).parent.rglob(stylesheet.name))
    assert stylesheet.stat().st_size < shipped.stat().st_size / 2
    glyph_of = {}
    for selectors, code in ICON_RULE.findall(stylesheet.read_text(encoding="utf-8")):
        for selector in selectors.split(","):
            glyph_of[selector.strip().removeprefix(".").removesuffix(":before")] = int(code, 16)
    drawn: set[int] = set()
    for font in static.rglob("fa-*.woff2"):
        drawn |= set(TTFont(font).getBestCmap())
    pages = book_pages(built_book.html_dir)
    shown = {name for page in pages for name in ICON_CLASS.findall(page.read_text())}
    icons = {name for name in shown if name in glyph_of}
    assert len(icons) >= 10, shown
    assert {name for name in icons if glyph_of[name] not in drawn} == set()


def test_only_the_search_page_loads_the_search_index(built_book):
    for page in book_pages(built_book.html_dir):
        loads_index = "searchindex.js" in page.read_text(encoding="utf-8")
        assert loads_index == (page.name == "search.html"), page.name


def test_every_page_has_a_meta_description(built_book):
    """From its first paragraph; the generated pages (search, index) say what they are."""
    for page in book_pages(built_book.html_dir):
        found = re.search(r'<meta name="description" content="([^"]+)"', page.read_text("utf-8"))
        generated = page.name in ("search.html", "genindex.html")
        assert found and (20 if generated else 40) <= len(found[1]) <= 170, page
