"""The reproducibility record: the book states its data version, code version and build date, and
two builds of the same sources give the same text and figures."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from bookbuild.reproducibility import code_fingerprint, data_version, git_commit, record_markdown
from tests.conftest import EDITION_DATE, build_edition, copy_project


@pytest.fixture(scope="module")
def second_edition(tmp_path_factory):
    """The book built again, from another copy of the same sources."""
    return build_edition(copy_project(tmp_path_factory.mktemp("again")))


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def pdf(command: str, path: Path, *args: str) -> str:
    return subprocess.run(
        [command, *args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_colophon_states_data_code_and_date(built_book):
    page = (built_book.html_dir / "colophon.html").read_text(encoding="utf-8")
    assert "Reproducibility record" in page
    assert data_version(built_book.root) in page
    assert code_fingerprint(built_book.root) in page
    assert f"{EDITION_DATE:%Y-%m-%d}" in page


def test_the_pdf_carries_the_record_and_the_build_date_on_its_title_page(built_book):
    title_page = pdf("pdftotext", built_book.pdf_path, "-l", "1")
    assert f"{EDITION_DATE.day} {EDITION_DATE:%B %Y}" in title_page
    assert data_version(built_book.root) in pdf("pdftotext", built_book.pdf_path)


def test_two_builds_of_the_same_sources_give_the_same_pages_and_figures(built_book, second_edition):
    first, second = files(built_book.html_dir), files(second_edition.html_dir)
    assert first.keys() == second.keys()
    differing = sorted(name for name in first if first[name] != second[name])
    assert not differing, f"pages or assets that differ between two builds: {differing[:10]}"
    for name in built_book.chapters():
        notebooks = [
            nbformat.read(book.executed_dir / f"{name}.ipynb", as_version=4)
            for book in (built_book, second_edition)
        ]
        assert notebooks[0] == notebooks[1], f"chapter {name} executed differently"


def test_two_builds_of_the_same_sources_give_the_same_pdf_text_and_images(
    built_book, second_edition, tmp_path
):
    texts = [pdf("pdftotext", book.pdf_path, "-layout") for book in (built_book, second_edition)]
    assert texts[0] == texts[1]
    images = []
    for number, book in enumerate((built_book, second_edition)):
        folder = tmp_path / str(number)
        folder.mkdir()
        subprocess.run(["pdfimages", "-png", str(book.pdf_path), str(folder / "image")], check=True)
        images.append(files(folder))
    assert images[0], "the PDF holds no images"
    assert images[0] == images[1]


def test_the_data_version_follows_every_data_file(tmp_path):
    project = copy_project(tmp_path / "project")
    data_before, code_before = data_version(project), code_fingerprint(project)
    catalog = project / "data" / "catalog.yml"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert data_version(project) != data_before
    assert code_fingerprint(project) == code_before, "data is not code"
    chapter = project / "chapters" / "trade.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert code_fingerprint(project) != code_before


def test_the_code_version_names_the_commit_and_uncommitted_changes(tmp_path):
    if shutil.which("git") is None:
        pytest.fail("git is missing")
    project = copy_project(tmp_path / "project")
    assert git_commit(project) is None, "a copy outside git has no commit"

    def git(*args: str) -> str:
        command = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@t", *args]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "edition")
    head = git("rev-parse", "--short=12", "HEAD")
    assert git_commit(project) == head
    (project / "intro.md").write_text("changed", encoding="utf-8")
    assert git_commit(project) == f"{head} + uncommitted changes"
    # In the colophon's code span as it is: a Markdown escape would show there ("\+").
    assert f"commit `{head} + uncommitted changes`" in record_markdown(project, {})
