"""Shared fixtures: a copy of the project to break, one real build per session, one browser.

The slow real things (papermill + Jupyter Book, Chromium) run once per session and are shared by
the tests that need them. Builds happen in copies of the project under pytest's temporary folder,
so the tests never touch the book a developer has published under _build/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from bookbuild.build import Project, glued
from bookbuild.served import served
from kztm.charts import FIGURE_MIME

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
# The tests' editions are dated by SOURCE_DATE_EPOCH, as reproducible builds are: 23 November 2025.
EDITION_EPOCH = "1763856000"
EDITION_DATE = date(2025, 11, 23)


def glued_figures(project: Project, name: str) -> dict[str, dict]:
    """The charts and maps an executed chapter glued: name → description."""
    glued_values = glued(project.executed_dir / f"{name}.ipynb")
    return {key: value[FIGURE_MIME] for key, value in glued_values.items() if FIGURE_MIME in value}


def copy_project(destination: Path) -> Path:
    """A buildable copy of the project's sources, to break or build without touching ours."""
    return Project(ROOT).copy_sources(destination).root


def copy_built(project: Project, destination: Path) -> Project:
    """A copy of a built project, executed chapters and published book included, so that a test
    can break one thing and rebuild without executing every chapter again."""
    shutil.copytree(project.root, destination, symlinks=True)
    return Project(destination)


def run_build(
    root: Path, *args: str, target: str = "html", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The build exactly as `make book` (or `make pdf`) runs it, in a separate process, with
    ``env`` added to the environment."""
    return subprocess.run(
        [sys.executable, "-m", "bookbuild", target, "--root", str(root), *args],
        capture_output=True,
        text=True,
        check=False,
        env={**{k: v for k, v in os.environ.items() if k != "KZTM_ROOT"}, **(env or {})},
    )


def build_edition(root: Path) -> Project:
    """The whole book built from ``root`` as `make pdf` does it: the PDF with XeLaTeX, then the
    HTML, which offers the PDF for download; dated EDITION_DATE so that editions compare."""
    project = Project(root)
    for target in ("pdf", "html"):
        result = run_build(root, target=target, env={"SOURCE_DATE_EPOCH": EDITION_EPOCH})
        if result.returncode != 0:
            kept = keep_kernel_logs(project)
            raise AssertionError(f"{result.stdout}{result.stderr[-5000:]}\nkernel logs kept in {kept}")
    return project


def keep_kernel_logs(project: Project) -> Path:
    """Copy a failed build's executed notebooks (with their tracebacks) and kernel logs into this
    checkout's _build/, where CI keeps them: the built copy is in a temporary folder."""
    kept = ROOT / "_build" / "ci-artefacts" / project.root.name
    shutil.rmtree(kept, ignore_errors=True)
    if project.executed_dir.is_dir():
        shutil.copytree(project.executed_dir, kept)
    return kept


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The whole book, really built once from a copy of the project."""
    return build_edition(copy_project(tmp_path_factory.mktemp("book")))


@pytest.fixture(scope="session")
def book_url(built_book: Project) -> Iterator[str]:
    """The built HTML book, served."""
    with served(built_book.html_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's headless Chromium, unable to resolve any host but the loopback one."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make setup` (installs Debian's chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            ],
        )
        yield chromium
        chromium.close()


@dataclass
class PageVisit:
    """What a page did while it was open."""

    page: object
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def visit(browser, book_url, built_book):
    """Open a page of the book offline, recording refused requests and errors: over loopback
    ``http`` (a web server) or, with ``origin="file"``, from disk as a reader who opens
    ``index.html`` does."""
    contexts = []
    roots = {"http": book_url, "file": built_book.html_dir.as_uri() + "/"}

    def open_page(path: str, origin: str = "http", viewport: dict | None = None) -> PageVisit:
        root = roots[origin]
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        seen = PageVisit(page)

        def route(request_route, request):
            if request.url.startswith((root, "data:", "blob:", "about:")):
                request_route.continue_()
            else:
                seen.refused.append(request.url)
                request_route.abort()

        context.route("**/*", route)
        page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: seen.errors.append(str(error)))
        page.goto(root + path, wait_until="load")
        return seen

    yield open_page
    for context in contexts:
        context.close()


_BUILDERS = ("built_book", "browser")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the slow tier: a test that uses the built book or the browser, or whose module builds
    books of its own (it imports ``run_build`` or ``build_edition``)."""
    for item in items:
        module = getattr(item, "module", None)
        builds = any(hasattr(module, name) for name in ("run_build", "build_edition"))
        if builds or set(_BUILDERS) & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.book)
