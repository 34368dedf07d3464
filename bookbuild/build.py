"""Building the book: chapters → papermill-executed notebooks → Jupyter Book → published HTML.

Chapters are executed by ``bookbuild.execute`` (only those whose inputs changed, in parallel). Jupyter
Book runs with ``execute_notebooks: off`` so the book shows exactly what papermill produced,
with the parameters it was given. Everything is built in a fresh work folder and the published book
under ``_build/html`` is replaced only when every step succeeded, so a failing chapter or a bad
dataset never leaves a half-built book behind.

Command line: ``python -m bookbuild html|pdf [--param NAME=VALUE ...] [--jobs N]`` (the Makefile
calls it).
"""

from __future__ import annotations

import argparse
import ast
import errno
import fcntl
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import nbformat
import yaml

from bookbuild.execute import execute_all
from bookbuild.figure_outputs import finish_figures, picture
from bookbuild.incremental import book_inputs, tree_digest
from bookbuild.limits import refuse_oversized_pages
from bookbuild.links import broken_links
from bookbuild.project import BOOK_FILES, BOOK_FOLDERS, PDF_NAME, BuildError, Project
from bookbuild.reproducibility import build_date, record_markdown
from bookbuild.slim import subset_icon_fonts, trim_stylesheets
from bookbuild.sphinx_book import VENDOR_FOLDER
from kztm.bibliography import published_after, write_bibtex
from kztm.charts import FIGURE_MIME
from kztm.edition import PARAMETERS as EDITION_PARAMETERS
from kztm.edition import Edition
from kztm.paths import using_root
from kztm.prose import day as prose_day
from kztm.prose import not_known
from kztm.tables import escape

# What the book serves from node_modules (installed by npm from package-lock.json): source → its
# place under the book's _static/. Leaflet is not served: each map carries its own copy. They are
# staged apart from _static/ (in VENDOR_FOLDER), since Jupyter Book links every script in
# html_static_path into every page and the chart libraries belong only on pages with charts
# (bookbuild.sphinx_book serves the folder and links them page by page).
VENDOR_FILES = {
    "vega/build/vega.min.js": "vendor/vega/vega.min.js",
}


def parse_params(pairs: list[str]) -> dict[str, Any]:
    """NAME=VALUE pairs from the command line, as papermill parameters: a Python literal (2035,
    1.5) keeps its type, anything else (2024-12-31) is a string."""
    params: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.isidentifier():
            raise BuildError(f"parameter {pair!r} is not NAME=VALUE")
        try:
            params[name] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            params[name] = value
    return params


def offer_code(path: Path, name: str) -> None:
    """End an HTML chapter with its executed notebook and its MyST source for download: the code
    is out of the reader's way but one click from the analyst who wants to rerun it."""
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(
        nbformat.v4.new_markdown_cell(
            "```{admonition} The code behind this chapter\n:class: seealso\n\n"
            f"Every figure, table and number above is computed by this chapter's code: the executed "
            f"notebook {{download}}`{name}.ipynb <{name}.ipynb>` and its MyST-Markdown source "
            f"{{download}}`{name}.md <../_chapter_sources/{name}.md>` "
            "(see *Rebuilding the book* in the sources and methods chapter).\n```",
            id="cell-code-downloads",
        )
    )
    nbformat.write(notebook, path)


def draw_for(path: Path, for_print: bool) -> None:
    """The chapter's charts and maps as the edition shows them: pictures for print, interactive
    HTML for the web (see ``bookbuild.figure_outputs``)."""
    notebook = nbformat.read(path, as_version=4)
    if finish_figures(notebook, for_print):
        nbformat.write(notebook, path)


def pdf_notice(project: Project) -> str:
    """The intro page's pointer to the PDF edition, when one has been built."""
    if not project.pdf_path.is_file():
        return "\n```{note}\nA PDF edition of this report is produced by `make pdf`.\n```\n"
    return (
        "\n```{note}\nThis report is also available as a PDF: "
        f"{{download}}`{PDF_NAME} <_static/{PDF_NAME}>`.\n```\n"
    )


# The landing page's picture: the overview chapter's map of the places the report discusses,
# drawn once per build from the executed chapter (a third of a second), so that it shows what
# this edition's data holds.
COVER = Path("_static") / "cover-map.png"
COVER_FIGURE = "fig-overview-places"
COVER_ALT = (
    "Map of Kazakhstan and Turkmenistan with their capitals, the Caspian ports, the railhead of "
    "Uzen, the Galkynysh gas field and the Caspian and Aral seas."
)
# The report's subtitle, on the landing page, in its citation and on the PDF's title page.
SUBTITLE = "A reproducible research report"


def cover_picture(project: Project, path: Path) -> None:
    """Draw the overview's map as a PNG for the landing page."""
    figure = glued(project.executed_dir / "overview.ipynb").get(COVER_FIGURE, {})
    if FIGURE_MIME not in figure:
        raise BuildError(f"overview.ipynb glues no {COVER_FIGURE!r}: the landing page shows it")
    path.write_bytes(picture(cast(Mapping[str, Any], figure[FIGURE_MIME])))


def stage(
    project: Project, work: Path, params: dict[str, Any] | None = None, for_print: bool = False
) -> Path:
    """A complete book source tree under ``work``: config, pages, executed chapters, assets.

    The intro page ends with the reproducibility record, whose build date is also the date on the
    PDF's title page. For print, code inputs are removed and charts and maps drawn as pictures;
    for HTML, the intro links the PDF.
    """
    source = work / "src"
    source.mkdir(parents=True)
    for name in BOOK_FILES:
        shutil.copy2(project.root / name, source / name)
    for name in BOOK_FOLDERS:
        shutil.copytree(project.root / name, source / name)
    for vendored, target in VENDOR_FILES.items():
        origin = project.root / "node_modules" / vendored
        if not origin.is_file():
            raise BuildError(f"{origin} is missing: run `make setup` (npm ci) first")
        (source / VENDOR_FOLDER / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(origin, source / VENDOR_FOLDER / target)
    (source / "chapters").mkdir()
    (source / "_chapter_sources").mkdir()
    for name in project.chapters():
        staged = source / "chapters" / f"{name}.ipynb"
        shutil.copy2(project.executed_dir / f"{name}.ipynb", staged)
        draw_for(staged, for_print)
        if not for_print:
            shutil.copy2(project.root / "chapters" / f"{name}.md", source / "_chapter_sources")
            offer_code(staged, name)
    if not for_print:
        with (source / "intro.md").open("a", encoding="utf-8") as intro:
            intro.write(pdf_notice(project))
    with (source / "colophon.md").open("a", encoding="utf-8") as colophon:
        colophon.write(record_markdown(project.root, params or {}))
    if not for_print and project.pdf_path.is_file():
        shutil.copy2(project.pdf_path, source / "_static" / PDF_NAME)
    as_of = Edition.from_parameters(**edition_parameters(params or {})).as_of
    configure_edition(
        source / "_config.yml",
        landing_page(project, as_of),
        later_sources(project, as_of) | {"latex_elements": print_settings(project, as_of)},
    )
    write_bibtex(source / "references.bib")
    cover_picture(project, source / COVER)
    return source


def configure_edition(config_path: Path, substitutions: dict[str, str], edition: dict[str, Any]) -> None:
    """Sphinx's ``today`` is the record's build date, not the clock's; the landing page's
    ``{{ name }}`` substitutions are filled in; ``edition`` tells ``bookbuild.withheld`` what the
    edition's date leaves out, and its ``latex_elements`` (the title page) join the book's."""
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    day = build_date()
    sphinx_config = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx_config["today"] = prose_day(day)
    settings = dict(edition)
    latex = {**sphinx_config.get("latex_elements", {}), **settings.pop("latex_elements", {})}
    sphinx_config.update(settings, latex_elements=latex)
    config.setdefault("parse", {})["myst_substitutions"] = substitutions
    config_path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), "utf-8")


def glued(notebook_path: Path) -> dict[str, dict[str, str]]:
    """What an executed chapter glued, by name: {mime type: data}."""
    notebook = nbformat.read(notebook_path, as_version=4)
    values = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("scrapbook")
            if record:
                prefix = record["mime_prefix"]
                values[record["name"]] = {
                    mime.removeprefix(prefix): data for mime, data in output["data"].items()
                }
    return values


def glued_markdown(notebook_path: Path, name: str) -> str:
    """The MyST text a chapter glued as ``name`` (its ``text/markdown`` output)."""
    value = glued(notebook_path).get(name, {}).get("text/markdown")
    if value is None:
        raise BuildError(f"{notebook_path.name} glues no {name!r}: the landing page needs it")
    return value


def edition_parameters(params: dict[str, Any]) -> dict[str, Any]:
    """The build's parameters that make the edition (the others concern single chapters)."""
    return {name: value for name, value in params.items() if name in EDITION_PARAMETERS}


def later_sources(project: Project, as_of: str) -> dict[str, Any]:
    """The Sphinx settings of ``bookbuild.withheld``: the edition's day in words and the sources
    published after it, with the labels readers see."""
    with using_root(project.root):
        later = published_after(as_of)
    return {
        "kztm_as_of_day": prose_day(as_of),
        "kztm_later_sources": later,
        "kztm_not_known": not_known(as_of),
    }


def landing_page(project: Project, as_of: str) -> dict[str, str]:
    """What the landing page shows that a build knows: the edition line, its picture, the key
    findings and what to watch (written by the overview chapter from the data), and how to cite
    this edition: a line there, the full reference and BibTeX in the colophon."""
    day = build_date()
    overview = project.executed_dir / "overview.ipynb"
    version = importlib.metadata.version("kztm")
    config = yaml.safe_load((project.root / "_config.yml").read_text(encoding="utf-8"))
    title = f"{config['title']}. {SUBTITLE}"
    edition = f"edition of {prose_day(day)}, version {version}"
    return {
        "edition": (
            f"*Evidence up to {escape(prose_day(as_of))} · built {prose_day(day)} · "
            f"version {version}* (see the {{doc}}`colophon`)"
        ),
        "key_findings": glued_markdown(overview, "key-findings"),
        "what_to_watch": glued_markdown(overview, "what-to-watch"),
        "cover": (
            # An image, not a numbered figure: it is the cover, and the overview numbers the map.
            f"```{{image}} {COVER.as_posix()}\n:alt: {COVER_ALT}\n:width: 75%\n:align: center\n```\n"
        ),
        "citation_line": (
            f"The Astana–Ashgabat report team ({day:%Y}). *{title}*, {edition}. The full "
            "reference, with BibTeX, is in the {ref}`colophon <how-to-cite>`."
        ),
        "citation": (
            f"The Astana–Ashgabat report team ({day:%Y}). *{title}*, {edition}; evidence up to "
            f"{escape(prose_day(as_of))}.\n\n"
            "```bibtex\n"
            f"@techreport{{astana_ashgabat_{day:%Y},\n"
            "  author = {{The Astana–Ashgabat report team}},\n"
            # Long fields continue on indented lines, so that the block fits the PDF's page.
            f"  title = {{{{{config['title']}.\n           {SUBTITLE}}}}},\n"
            f"  year = {{{day:%Y}}},\n"
            f"  note = {{{edition};\n          evidence up to {as_of}}}\n"
            "}\n```\n\n"
            "The repository's `CITATION.cff` gives the same reference for citation tools."
        ),
    }


def print_settings(project: Project, as_of: str) -> dict[str, str]:
    """The PDF's title page: title, subtitle, authors, and the edition line a publisher prints
    (the evidence cut-off, the build date, the version), which Sphinx's own title page lacks."""
    config = yaml.safe_load((project.root / "_config.yml").read_text(encoding="utf-8"))
    title, _, subject = str(config["title"]).partition(": ")
    lines = [
        r"\begin{titlepage}\centering",
        r"\vspace*{0.22\textheight}",
        rf"{{\Huge\bfseries {title}\par}}\vspace{{1.2em}}",
        rf"{{\LARGE {subject}\par}}\vspace{{0.8em}}",
        rf"{{\Large {SUBTITLE}\par}}",
        r"\vfill",
        rf"{{\large {config['author']}\par}}\vspace{{2em}}",
        rf"{{Evidence up to {prose_day(as_of)}\par}}\vspace{{0.3em}}",
        rf"{{Edition of {prose_day(build_date())}, version {importlib.metadata.version('kztm')}\par}}",
        r"\end{titlepage}",
    ]
    return {"maketitle": "\n".join(lines)}


def run_jupyter_book(source: Path, output: Path, builder: str = "html") -> Path:
    """Jupyter Book with Sphinx warnings as errors; returns the folder it wrote."""
    command = [
        str(Path(sys.executable).parent / "jupyter-book"),
        "build",
        str(source),
        "--path-output",
        str(output),
        "--builder",
        builder,
        "-W",
        "-n",
        "--keep-going",
        "-q",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    built = output / "_build" / ("latex" if builder == "pdflatex" else builder)
    if result.returncode != 0:
        errors = latex_errors(built) if builder == "pdflatex" else []
        if errors:
            raise BuildError(
                "LaTeX failed, the last good PDF is unchanged:\n"
                + "\n".join(errors)
                + f"\n(full log: {next(built.glob('*.log'))})"
            )
        buried = buried_os_error(result.stdout + result.stderr)
        if buried:
            raise buried
        raise BuildError(
            f"jupyter-book {builder} build failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        )
    return built


# How Python prints an OSError in a traceback: "[Errno 28] No space left on device: '/path'".
_OS_ERROR = re.compile(r"\[Errno (\d+)\] ([^:\n]+)(?:: '([^'\n]+)')?")


def buried_os_error(output: str) -> OSError | None:
    """The first file-system error in Jupyter Book's output (a full or read-only disk under
    Sphinx), raised again here so that it is reported like the build's own, in one line,
    instead of at the end of a traceback of 80 lines."""
    found = _OS_ERROR.search(output)
    if not found:
        return None
    number, reason, filename = found.groups()
    return OSError(int(number), reason, filename) if filename else OSError(int(number), reason)


def latex_errors(latex_dir: Path) -> list[str]:
    """The errors TeX logged: each "! ..." line with the input line it stopped at ("l.57 ...")."""
    errors = []
    for log in sorted(latex_dir.glob("*.log")):
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        for number, line in enumerate(lines):
            if line.startswith("! "):
                where = next((ln for ln in lines[number + 1 : number + 12] if ln.startswith("l.")), "")
                errors.append(f"{log.name}: {line[2:]} {where}".strip())
    return errors


def publish(built: Path, published: Path) -> None:
    """Replace the published folder with the new one in two renames, never leaving it half-done:
    if the second fails (a full or read-only disk), the last good book is put back."""
    previous = published.with_name(published.name + ".previous")
    shutil.rmtree(previous, ignore_errors=True)
    if published.exists():
        published.rename(previous)
    try:
        built.rename(published)
    except OSError:
        if previous.exists():
            previous.rename(published)
        raise
    shutil.rmtree(previous, ignore_errors=True)


# The fingerprint of the published HTML as this build wrote it: any other tool writing into
# _build/html (jupyter-book build . writes there too, a book without charts) is noticed.
PUBLISHED_STAMP = "html.published"


def published_as_built(project: Project) -> bool:
    """Whether the published HTML is exactly what this build last published."""
    stamp = project.build_dir / PUBLISHED_STAMP
    return (
        project.html_dir.is_dir()
        and stamp.is_file()
        and stamp.read_text() == tree_digest(project.html_dir)
    )


def build_html(project: Project, params: dict[str, Any] | None = None, jobs: int | None = None) -> Path:
    """Execute every chapter and build the HTML book; returns the published folder."""
    execute_all(project, params or {}, jobs)
    with using_root(project.root), work_folder(project, "work") as work:
        source = stage(project, work, params)
        fingerprint = book_inputs(project.root, source)
        stamp = project.build_dir / "html.inputs"
        if stamp.is_file() and stamp.read_text() == fingerprint:
            if published_as_built(project):
                print(f"up to date: {project.html_dir} (nothing it shows changed)", flush=True)
                return project.html_dir
            print(
                f"{project.html_dir} was changed outside this build (a plain `jupyter-book build`?): "
                "publishing the book again",
                flush=True,
            )
        started = time.monotonic()
        built = run_jupyter_book(source, work / "out")
        print(f"Jupyter Book wrote the pages in {time.monotonic() - started:.1f} s", flush=True)
        refuse_oversized_pages(built)
        broken = broken_links(built.resolve())
        if broken:
            raise BuildError("links that lead nowhere, nothing was published:\n" + "\n".join(broken))
        trim_stylesheets(project.root, built)
        subset_icon_fonts(built)
        publish(built, project.html_dir)
        stamp.write_text(fingerprint)
        (project.build_dir / PUBLISHED_STAMP).write_text(tree_digest(project.html_dir))
    print(f"published {project.html_dir}", flush=True)
    return project.html_dir


def build_pdf(project: Project, params: dict[str, Any] | None = None, jobs: int | None = None) -> Path:
    """Execute every chapter and typeset the book with XeLaTeX; returns the published PDF."""
    execute_all(project, params or {}, jobs)
    with using_root(project.root), work_folder(project, "work-pdf") as work:
        source = stage(project, work, params, for_print=True)
        built = run_jupyter_book(source, work / "out", builder="pdflatex")
        pdfs = sorted(built.glob("*.pdf"))
        if not pdfs:
            raise BuildError(f"LaTeX produced no PDF in {built}")
        project.pdf_path.parent.mkdir(parents=True, exist_ok=True)
        fresh = project.pdf_path.with_suffix(".pdf.new")
        shutil.copy2(pdfs[0], fresh)
        fresh.replace(project.pdf_path)
    print(f"published {project.pdf_path}", flush=True)
    return project.pdf_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bookbuild", description=__doc__)
    parser.add_argument("target", choices=["html", "pdf"])
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="papermill parameter for every chapter, e.g. as_of=2024-12-31",
    )
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder")
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="chapters executed at once (default: one per available core)",
    )
    args = parser.parse_args(argv)
    project = Project(args.root.resolve())
    try:
        builder = build_pdf if args.target == "pdf" else build_html
        with only_build(project):
            builder(project, parse_params(args.param), args.jobs)
    except BuildError as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"build failed: {file_system_failure(error, project.root)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            "build interrupted: the published book is the last good one; the next build resumes",
            file=sys.stderr,
        )
        return INTERRUPTED
    return 0


# The exit status of a program stopped by Ctrl-C (128 + SIGINT), as shells report it.
INTERRUPTED = 130
# What a disk says when it takes no more: read-only, full, over quota, over the file size limit.
_CANNOT_WRITE = {errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def file_system_failure(error: OSError, root: Path) -> str:
    """One line for a file the build could not write or open: which (from the project folder),
    why and the errno, e.g. "cannot write _build/work/src: Read-only file system (errno 30)". A
    traceback buries the one fact a person can act on: free some space or make _build writable."""
    verb = "cannot write" if error.errno in _CANNOT_WRITE else "cannot access"
    where = "a file"
    if error.filename is not None:
        path = Path(str(error.filename))
        where = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    cause = f"{error.strerror} (errno {error.errno})" if error.errno else str(error)
    return f"{verb} {where}: {cause}"


@contextmanager
def work_folder(project: Project, name: str) -> Iterator[Path]:
    """A fresh ``_build/<name>`` for one build's staged source and Jupyter Book's output, about
    the size of the book again. A build that succeeds removes it; one that fails or is
    interrupted keeps only its logs (the TeX log a LaTeX error points to), so that it does not
    keep the disk full."""
    work = project.build_dir / name
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    try:
        yield work
    except BaseException:
        keep_only_logs(work)
        raise
    shutil.rmtree(work, ignore_errors=True)


def keep_only_logs(folder: Path) -> None:
    """Remove everything under ``folder`` but its ``*.log`` files, as far as the disk allows: it
    runs while a build fails, maybe on a read-only disk, and must not hide why the build failed."""
    for path in sorted(folder.rglob("*"), key=lambda found: len(found.parts), reverse=True):
        with suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                path.rmdir()  # refused while it holds a log
            elif path.suffix != ".log":
                path.unlink()
    with suppress(OSError):
        folder.rmdir()


@contextmanager
def only_build(project: Project) -> Iterator[None]:
    """Hold the project's build lock for this block, or refuse at once: two builds in one folder
    would work in, and publish from, the same _build/work. The operating system releases the lock
    when the holder exits, however it exits, so a crashed build leaves none behind."""
    project.build_dir.mkdir(parents=True, exist_ok=True)
    with (project.build_dir / "build.lock").open("a+", encoding="utf-8") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            raise BuildError(
                f"another build of this book is running ({holder}); nothing was changed. Wait for "
                "it to finish (or stop it), then build again"
            ) from None
        lock.seek(0)
        lock.truncate()
        lock.write(f"pid {os.getpid()}, started {datetime.now().astimezone():%Y-%m-%d %H:%M:%S}")
        lock.flush()
        try:
            yield
        finally:
            lock.truncate(0)


if __name__ == "__main__":
    sys.exit(main())
