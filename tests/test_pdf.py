"""The PDF edition: typeset with XeLaTeX from the same executed notebooks as the HTML."""

from __future__ import annotations

import re
import subprocess
import zlib
from collections import Counter
from typing import NamedTuple

import nbformat
import pytest

from bookbuild.build import PDF_NAME
from kztm.bibliography import citation_labels
from tests.conftest import copy_built, glued_figures, run_build

UNICODE_NAMES = ["Türkmenistanyň", "Қасым-Жомарт Тоқаев", "Aşgabat"]


def poppler(*command: str) -> str:
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return result.stdout


@pytest.fixture(scope="module")
def pdf_text(built_book) -> str:
    return poppler("pdftotext", "-layout", str(built_book.pdf_path), "-")


@pytest.fixture(scope="module")
def pdf_pages(pdf_text) -> list[list[str]]:
    """Each page's lines, stripped."""
    return [[line.strip() for line in page.splitlines()] for page in pdf_text.split("\f")]


class Word(NamedTuple):
    page: int
    left: float
    top: float
    right: float
    bottom: float
    text: str


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


@pytest.fixture(scope="module")
def pdf_words(built_book) -> list[Word]:
    """Every word of the PDF with its box, from poppler's ``pdftotext -bbox``."""
    xhtml = poppler("pdftotext", "-bbox", str(built_book.pdf_path), "-")
    return [
        Word(number, float(left), float(top), float(right), float(bottom), text)
        for number, page in enumerate(xhtml.split("<page ")[1:], start=1)
        for left, top, right, bottom, text in _WORD.findall(page)
    ]


def text_block(words: list[Word]) -> tuple[float, float]:
    """The text block's left and right edges: the outermost positions where many lines start and
    (justified) end. Table cells start and end inside the block at positions of their own, so
    the most frequent position alone can be a column edge; a word that overflows the margin is
    rare, so it never makes an edge itself."""
    frequent = max(1, len(words) // 100)
    lefts = Counter(round(w.left) for w in words)
    rights = Counter(round(w.right) for w in words)
    left = min(x for x, n in lefts.items() if n >= frequent)
    right = max(x for x, n in rights.items() if n >= frequent)
    return left, right


def overlapping(words: list[Word], share: float = 0.2) -> list[tuple[Word, Word]]:
    """Pairs of words on one page whose boxes share more than ``share`` of the smaller box: text
    printed over text (a caption over a footer, a table over a margin note)."""
    pairs = []
    ordered = sorted(words, key=lambda w: (w.page, w.top))
    for i, first in enumerate(ordered):
        for second in ordered[i + 1 :]:
            if second.page != first.page or second.top >= first.bottom:
                break
            width = min(first.right, second.right) - max(first.left, second.left)
            height = min(first.bottom, second.bottom) - max(first.top, second.top)
            smaller = min((w.right - w.left) * (w.bottom - w.top) for w in (first, second))
            if width > 0 and height > 0 and smaller > 0 and width * height > share * smaller:
                pairs.append((first, second))
    return pairs


def chapter_titles(built_book) -> list[str]:
    titles = []
    for name in built_book.chapters():
        notebook = nbformat.read(built_book.executed_dir / f"{name}.ipynb", as_version=4)
        heading = next(
            c.source
            for c in notebook.cells
            if c.cell_type == "markdown" and re.search(r"^# ", c.source, re.MULTILINE)
        )
        titles.append(re.search(r"^# (.+)$", heading, re.MULTILINE).group(1).strip())
    return titles


def test_the_pdf_holds_every_chapter_title(built_book, pdf_text):
    flat = " ".join(pdf_text.upper().split())
    for title in chapter_titles(built_book):
        assert title.upper() in flat, title


@pytest.mark.parametrize("name", UNICODE_NAMES)
def test_unicode_names_come_out_right(pdf_text, name):
    assert name in " ".join(pdf_text.split())


def test_the_pdf_has_an_image_for_every_figure(built_book):
    figures = sum(len(glued_figures(built_book, name)) for name in built_book.chapters())
    listing = poppler("pdfimages", "-list", str(built_book.pdf_path)).splitlines()[2:]
    assert figures > 0
    assert len(listing) >= figures


def test_every_page_rasterises(built_book, tmp_path):
    pages = int(re.search(r"Pages:\s+(\d+)", poppler("pdfinfo", str(built_book.pdf_path)))[1])
    poppler("pdftoppm", "-r", "30", "-png", str(built_book.pdf_path), str(tmp_path / "page"))
    assert len(list(tmp_path.glob("page*.png"))) == pages > 10


def test_no_code_or_parameters_reach_the_pdf(pdf_text):
    for code in ("from kztm", "import altair", "glue(", "as_of =", "Edition.from_parameters"):
        assert code not in pdf_text


def test_the_html_book_offers_the_pdf(built_book):
    intro = (built_book.html_dir / "intro.html").read_text(encoding="utf-8")
    assert PDF_NAME in intro
    assert (built_book.html_dir / "_downloads").exists() or (
        built_book.html_dir / "_static" / PDF_NAME
    ).exists()
    linked = list(built_book.html_dir.rglob(PDF_NAME))
    assert linked and linked[0].read_bytes().startswith(b"%PDF")


def test_a_latex_error_is_named_and_keeps_the_last_good_pdf(built_book, tmp_path):
    project = copy_built(built_book, tmp_path / "project")
    published = project.pdf_path.read_bytes()
    config = project.root / "_config.yml"
    text = config.read_text(encoding="utf-8")
    broken = text.replace(r"\usepackage{etoolbox}", r"\usepackage{etoolbox}\usepackage{kztm-absent}")
    assert broken != text
    config.write_text(broken, encoding="utf-8")

    result = run_build(project.root, target="pdf")

    assert result.returncode != 0
    assert "LaTeX failed" in result.stderr
    assert "File `kztm-absent.sty' not found" in result.stderr
    assert project.pdf_path.read_bytes() == published


def test_no_word_lies_outside_the_text_block(pdf_words):
    left, right = text_block(pdf_words)
    assert right - left > 300, (left, right)
    outside = [w for w in pdf_words if w.left < left - 1.5 or w.right > right + 1.5]
    assert not outside, [f"p. {w.page}: {w.text!r} at {w.left:.0f}–{w.right:.0f}" for w in outside]


def test_no_word_is_printed_over_another(pdf_words):
    pairs = overlapping(pdf_words)
    assert not pairs, [f"p. {a.page}: {a.text!r} over {b.text!r}" for a, b in pairs]


def test_the_layout_checks_can_fail():
    """The two checks above flag what they are meant to flag."""
    body = [Word(1, 72, 100 + 14 * i, 523, 111 + 14 * i, "line") for i in range(5)]
    assert text_block(body) == (72, 523)
    caption_over_footer = [Word(2, 80, 800, 120, 811, "caption"), Word(2, 90, 802, 130, 813, "28")]
    assert len(overlapping(body + caption_over_footer)) == 1


def heading_pages(pages: list[list[str]], title: str) -> list[int]:
    """Pages on which ``title`` stands alone on a line, as a chapter heading does (the table of
    contents and the running footers put a page number beside it)."""
    # Title case or capitals, as headings are set; a line of running text that ends with the word
    # ("listed in the" / "bibliography") is not a heading.
    return [n for n, lines in enumerate(pages) if {title, title.upper()} & set(lines)]


def test_no_page_is_blank_or_a_running_head_alone(pdf_pages):
    """A screen PDF, one-sided: a chapter opens on the next page, never after a blank one."""
    printed = [[line for line in page if line] for page in pdf_pages]
    if not printed[-1]:  # the text after the last page break
        printed.pop()
    assert len(printed) > 20
    assert [n + 1 for n, lines in enumerate(printed) if len(lines) <= 2] == []


_CONTINUED = re.compile(r"^Table (\d+\.\d+) – continued from previous page$")


def test_no_table_runs_past_two_pages(pdf_pages):
    """A register prints as its summary (its full listing is in the HTML book and the data): no
    table carries on past the page after the one it starts on."""
    continued = Counter(
        match.group(1) for page in pdf_pages for line in page if (match := _CONTINUED.match(line))
    )
    assert continued, "no table continues onto a second page: the check would see nothing"
    assert {table: n + 1 for table, n in continued.items() if n > 1} == {}


def test_a_register_prints_as_its_summary_and_says_where_the_rest_is(built_book, pdf_text):
    """Every register the HTML book unfolds on request is, in print, a line saying where it is."""
    registers = sum(
        page.read_text(encoding="utf-8").count('class="kztm-register')
        for page in built_book.html_dir.rglob("*.html")
    )
    text = " ".join(pdf_text.split())
    assert registers >= 5
    assert text.count("is in the HTML edition of this report") == registers
    assert "Filter the rows" not in text and "follows with a box to filter" not in text


def test_the_title_page_gives_subtitle_edition_and_evidence_cut_off(pdf_pages):
    title_page = " ".join(pdf_pages[0])
    assert "A reproducible research report" in title_page
    assert re.search(r"Evidence up to \d{1,2} \w+ \d{4}", title_page), title_page
    assert re.search(r"Edition of \d{1,2} \w+ \d{4}, version \S+", title_page), title_page


def test_the_contents_list_the_key_findings(pdf_pages):
    contents = next(page for page in pdf_pages if "CONTENTS" in (line.upper() for line in page))
    assert any(line.startswith("Key findings") for line in contents), contents


def test_the_back_matter_is_unnumbered_and_in_order(pdf_pages):
    bibliography = heading_pages(pdf_pages, "Bibliography")
    colophon = heading_pages(pdf_pages, "Colophon")
    assert len(bibliography) == 1 and len(colophon) == 1, (bibliography, colophon)
    assert bibliography[0] < colophon[0]
    for page in (bibliography[0], colophon[0]):
        assert "CHAPTER" not in pdf_pages[page], pdf_pages[page][:5]


def test_the_bibliography_chapter_holds_every_entry(pdf_pages):
    start = heading_pages(pdf_pages, "Bibliography")[0]
    end = heading_pages(pdf_pages, "Colophon")[0]
    inside = " ".join(" ".join(lines) for lines in pdf_pages[start:end])
    after = " ".join(" ".join(lines) for lines in pdf_pages[end:])
    for label in citation_labels().values():
        assert f"[{label}]" in inside, label
        assert f"[{label}]" not in after, label


def test_the_pdf_names_its_subject_keywords_and_language(built_book):
    info = poppler("pdfinfo", str(built_book.pdf_path))
    for field in ("Title", "Author", "Subject", "Keywords"):
        assert re.search(rf"^{field}:\s+\S", info, re.MULTILINE), field
    assert re.search(rb"/Lang\s*\(en", pdf_objects(built_book.pdf_path.read_bytes()))


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's objects as text: xdvipdfmx compresses the catalog into an object stream."""
    parts, view = [pdf], memoryview(pdf)
    for start in re.finditer(rb"stream\r?\n", pdf):
        try:
            parts.append(zlib.decompressobj().decompress(view[start.end() :]))
        except zlib.error:
            continue
    return b"\n".join(parts)
