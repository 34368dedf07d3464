"""A build that fails on the disk, on a page too large, or half-way says so in one line, leaves no
work folder filling the disk and keeps the last good book (issue 15, item 9).

The build runs for real from the command line's ``main`` down to publishing; only the expensive
steps (executing chapters, staging, Jupyter Book, the stylesheet trimming) are replaced by fakes
that write what those steps write, so each case takes a fraction of a second.
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from bookbuild import build
from bookbuild.build import (
    INTERRUPTED,
    buried_os_error,
    file_system_failure,
    main,
    publish,
    run_jupyter_book,
)
from bookbuild.limits import oversized_pages
from bookbuild.project import BuildError, Project

LAST_GOOD = "<p>the last good edition</p>"
MB = 1_000_000


def fake_stage(project: Project, work: Path, params: object = None, for_print: bool = False) -> Path:
    """A staged source with a dataset in it, as ``stage`` copies one, without any chapter."""
    source = work / "src"
    (source / "data").mkdir(parents=True)
    (source / "data" / "trade.csv").write_bytes(b"x" * 100_000)
    return source


def fake_jupyter_book(pages: dict[str, int], error: BaseException | None = None) -> Callable[..., Path]:
    """Jupyter Book writing ``pages`` (path → bytes) into its output, then failing with ``error``."""

    def run(source: Path, output: Path, builder: str = "html") -> Path:
        built = output / "_build" / ("latex" if builder == "pdflatex" else builder)
        for name, size in pages.items():
            (built / name).parent.mkdir(parents=True, exist_ok=True)
            (built / name).write_bytes(b"<p>" + b"x" * size + b"</p>")
        if error is not None:
            raise error
        return built

    return run


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """A project with a published book, whose chapters have all run before."""
    project = Project(tmp_path / "project")
    project.html_dir.mkdir(parents=True)
    (project.html_dir / "index.html").write_text(LAST_GOOD, encoding="utf-8")
    monkeypatch.setattr(build, "execute_all", lambda *args: [])
    monkeypatch.setattr(build, "stage", fake_stage)
    monkeypatch.setattr(build, "trim_stylesheets", lambda *args: None)
    monkeypatch.setattr(build, "subset_icon_fonts", lambda *args: None)
    monkeypatch.setattr(build, "run_jupyter_book", fake_jupyter_book({"index.html": 100}))
    return project


def built_with(
    project: Project, capsys: pytest.CaptureFixture[str], target: str = "html"
) -> tuple[int, str]:
    """The exit status of ``python -m bookbuild <target>`` and what it wrote to standard error."""
    status = main([target, "--root", str(project.root)])
    return status, capsys.readouterr().err


def assert_last_good_book_and_no_work_folder(project: Project) -> None:
    assert (project.html_dir / "index.html").read_text(encoding="utf-8") == LAST_GOOD
    assert sorted(p.name for p in project.build_dir.iterdir()) == ["build.lock", "html"]


def test_a_page_over_the_limit_is_named_by_its_chapter_and_size(tmp_path):
    pages = {
        "chapters/trade.html": 6_200_000,
        "chapters/energy.html": 500_000,
        "intro.html": 5_100_000,
        "_static/theme.html": 9_000_000,
    }
    for name, size in pages.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x" * size)
    assert oversized_pages(tmp_path, 5) == [
        "chapter trade (chapters/trade.md) 6.2 MB",
        "page intro.html 5.1 MB",
    ]
    assert oversized_pages(tmp_path, 10) == []


def test_a_book_with_a_page_over_the_limit_is_not_published(project, monkeypatch, capsys):
    """A chapter printing 30 MB published a 31 MB page without a warning."""
    jupyter_book = fake_jupyter_book({"index.html": 100, "chapters/trade.html": 6 * MB})
    monkeypatch.setattr(build, "run_jupyter_book", jupyter_book)

    status, errors = built_with(project, capsys)

    assert status == 1
    assert errors == (
        "build failed: pages over the 5 MB limit (KZTM_MAX_PAGE_MB), nothing was published: "
        "chapter trade (chapters/trade.md) 6 MB\n"
    )
    assert_last_good_book_and_no_work_folder(project)


def test_the_page_limit_is_set_by_the_environment(project, monkeypatch, capsys):
    jupyter_book = fake_jupyter_book({"index.html": 100, "chapters/trade.html": 6 * MB})
    monkeypatch.setattr(build, "run_jupyter_book", jupyter_book)
    monkeypatch.setenv("KZTM_MAX_PAGE_MB", "10")

    status, errors = built_with(project, capsys)

    assert (status, errors) == (0, "")
    assert (project.html_dir / "chapters" / "trade.html").stat().st_size > 6 * MB
    assert not (project.build_dir / "work").exists()


def test_a_page_limit_that_is_no_number_is_refused(project, monkeypatch, capsys):
    monkeypatch.setenv("KZTM_MAX_PAGE_MB", "big")
    status, errors = built_with(project, capsys)
    assert (status, errors) == (
        1,
        "build failed: KZTM_MAX_PAGE_MB='big': expected a number above zero\n",
    )


def failing(method: str, name: str, number: int) -> Callable[..., object]:
    """``Path.<method>`` that fails with ``number`` on a path named ``name``, as the disk would."""
    original = getattr(Path, method)

    def call(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == name:
            raise OSError(number, os.strerror(number), str(self))
        return original(self, *args, **kwargs)

    return call


# Where the disk refuses, and the one line the build prints.
DISK_FAILURES = [
    pytest.param(
        lambda mp: mp.setattr(Path, "open", failing("open", "build.lock", errno.EROFS)),
        "cannot write _build/build.lock: Read-only file system (errno 30)",
        id="read-only-lock-file",
    ),
    pytest.param(
        lambda mp: mp.setattr(Path, "open", failing("open", "build.lock", errno.EACCES)),
        "cannot access _build/build.lock: Permission denied (errno 13)",
        id="lock-file-not-allowed",
    ),
    pytest.param(
        lambda mp: mp.setattr(Path, "mkdir", failing("mkdir", "work", errno.EROFS)),
        "cannot write _build/work: Read-only file system (errno 30)",
        id="read-only-work-folder",
    ),
    pytest.param(
        lambda mp: mp.setattr(Path, "write_bytes", failing("write_bytes", "trade.csv", errno.ENOSPC)),
        "cannot write _build/work/src/data/trade.csv: No space left on device (errno 28)",
        id="disk-full-while-staging",
    ),
    pytest.param(
        lambda mp: mp.setattr(Path, "rename", failing("rename", "html", errno.ENOSPC)),
        "cannot write _build/html: No space left on device (errno 28)",
        id="disk-full-while-publishing",
    ),
]


@pytest.mark.parametrize(("break_the_disk", "expected"), DISK_FAILURES)
def test_a_disk_that_refuses_ends_the_build_with_one_line(
    project, monkeypatch, capsys, break_the_disk, expected
):
    """A read-only or full _build gave a traceback or a buried errno."""
    break_the_disk(monkeypatch)

    status, errors = built_with(project, capsys)

    assert (status, errors) == (1, f"build failed: {expected}\n")
    assert (project.html_dir / "index.html").read_text(encoding="utf-8") == LAST_GOOD
    assert not (project.build_dir / "work").exists()


SPHINX_ON_A_FULL_DISK = """\
Traceback (most recent call last):
  File "sphinx/builders/html/__init__.py", line 1120, in handle_page
    output = self.templates.render(templatename, ctx)
OSError: [Errno 28] No space left on device: '{root}/_build/work/out/_build/html/intro.html'

The above exception was the direct cause of the following exception:

sphinx.errors.ThemeError: An error happened in rendering the page intro.
Reason: OSError(28, 'No space left on device')
RuntimeError: There was an error in building your book. Look above for the cause.
"""


def test_a_disk_error_inside_jupyter_book_is_reported_in_one_line(project, monkeypatch, capsys):
    """Sphinx's errno was buried at the end of 80 lines of traceback."""
    output = SPHINX_ON_A_FULL_DISK.format(root=project.root)
    monkeypatch.setattr(build, "run_jupyter_book", run_jupyter_book)
    monkeypatch.setattr(
        build.subprocess,
        "run",
        lambda command, **kwargs: subprocess.CompletedProcess(command, 1, "", output),
    )

    status, errors = built_with(project, capsys)

    assert (status, errors) == (
        1,
        "build failed: cannot write _build/work/out/_build/html/intro.html: No space left on device "
        "(errno 28)\n",
    )
    assert_last_good_book_and_no_work_folder(project)


def test_an_errno_is_found_in_jupyter_books_output_with_or_without_a_file():
    with_file = buried_os_error("NotADirectoryError: [Errno 20] Not a directory: '/b/_static/x.css'")
    assert with_file is not None
    assert (with_file.errno, with_file.strerror, with_file.filename) == (
        20,
        "Not a directory",
        "/b/_static/x.css",
    )
    without = buried_os_error("OSError: [Errno 28] No space left on device\n")
    assert without is not None and (without.errno, without.filename) == (28, None)
    assert buried_os_error("WARNING: undefined label: 'fig-trade'") is None


def test_a_disk_error_outside_the_project_or_without_a_file_still_reads_as_one_line(tmp_path):
    outside = OSError(errno.ENOSPC, "No space left on device", "/tmp/sphinx-err-1.log")
    assert file_system_failure(outside, tmp_path) == (
        "cannot write /tmp/sphinx-err-1.log: No space left on device (errno 28)"
    )
    assert file_system_failure(OSError(errno.EDQUOT, "Disk quota exceeded"), tmp_path) == (
        "cannot write a file: Disk quota exceeded (errno 122)"
    )


# How the build fails once Jupyter Book has written a book's worth into _build/work.
FAILURES = [
    pytest.param(BuildError("links that lead nowhere"), 1, "links that lead nowhere", id="bad-link"),
    pytest.param(KeyboardInterrupt(), INTERRUPTED, "build interrupted", id="interrupted"),
    pytest.param(
        OSError(errno.ENOSPC, "No space left on device"),
        1,
        "cannot write a file: No space left on device",
        id="disk-full",
    ),
]


@pytest.mark.parametrize(("error", "status", "said"), FAILURES)
def test_a_failed_build_leaves_no_work_folder(project, monkeypatch, capsys, error, status, said):
    """A failed build's _build/work (a whole book: staged sources and Jupyter Book's output)
    kept the disk full."""
    jupyter_book = fake_jupyter_book({"index.html": 100, "chapters/trade.html": MB}, error)
    monkeypatch.setattr(build, "run_jupyter_book", jupyter_book)

    result, errors = built_with(project, capsys)

    assert result == status
    assert said in errors and "Traceback" not in errors
    assert_last_good_book_and_no_work_folder(project)


def test_a_failed_pdf_build_keeps_only_the_tex_log_its_error_points_to(project, monkeypatch, capsys):
    def latex_fails(source: Path, output: Path, builder: str = "html") -> Path:
        fake_jupyter_book({"book.tex": MB, "book.log": 1000, "figures/fig-1.png": MB})(
            source, output, builder
        )
        raise BuildError(f"LaTeX failed (full log: {output / '_build' / 'latex' / 'book.log'})")

    monkeypatch.setattr(build, "run_jupyter_book", latex_fails)

    status, errors = built_with(project, capsys, target="pdf")

    log = project.build_dir / "work-pdf" / "out" / "_build" / "latex" / "book.log"
    assert (status, errors) == (1, f"build failed: LaTeX failed (full log: {log})\n")
    left = {p for p in project.build_dir.rglob("*") if p.is_file()}
    assert left == {project.build_dir / "build.lock", project.html_dir / "index.html", log}


def test_a_publish_that_fails_half_way_puts_the_last_good_book_back(tmp_path, monkeypatch):
    published, built = tmp_path / "html", tmp_path / "work" / "html"
    for folder, text in ((published, LAST_GOOD), (built, "<p>new</p>")):
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(text, encoding="utf-8")
    rename = Path.rename

    def full_disk(self: Path, target: Path) -> Path:
        if self == built:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", full_disk)

    with pytest.raises(OSError):
        publish(built, published)

    assert (published / "index.html").read_text(encoding="utf-8") == LAST_GOOD
    assert not (tmp_path / "html.previous").exists()
