"""The PDF edition: typeset with XeLaTeX from the same executed notebooks as the HTML."""

from __future__ import annotations

import re
import subprocess

import nbformat
import pytest

from kztm.build import PDF_NAME, glued
from tests.conftest import copy_built, run_build

UNICODE_NAMES = ["Türkmenistanyň", "Қасым-Жомарт Тоқаев", "Aşgabat"]


def poppler(*command: str) -> str:
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return result.stdout


@pytest.fixture(scope="module")
def pdf_text(built_book) -> str:
    return poppler("pdftotext", "-layout", str(built_book.pdf_path), "-")


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
    figures = sum(
        1
        for name in built_book.chapters()
        for value in glued(built_book.executed_dir / f"{name}.ipynb").values()
        if re.search(r'class="kztm-(chart|map)"', value.get("text/html", ""))
    )
    listing = poppler("pdfimages", "-list", str(built_book.pdf_path)).splitlines()[2:]
    assert figures > 0
    assert len(listing) >= figures


def test_every_page_rasterises(built_book, tmp_path):
    pages = int(re.search(r"Pages:\s+(\d+)", poppler("pdfinfo", str(built_book.pdf_path)))[1])
    poppler("pdftoppm", "-r", "30", "-png", str(built_book.pdf_path), str(tmp_path / "page"))
    assert len(list(tmp_path.glob("page*.png"))) == pages > 10


def test_no_code_or_parameters_reach_the_pdf(pdf_text):
    for code in ("from kztm", "import altair", "glue(", "as_of =", "data.load_"):
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
