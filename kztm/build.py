"""Building the book: chapters → papermill-executed notebooks → Jupyter Book → published HTML.

Jupyter Book runs with ``execute_notebooks: off`` so the book shows exactly what papermill produced,
with the parameters it was given. Everything is built in a fresh work folder and the published book
under ``_build/html`` is replaced only when every step succeeded, so a failing chapter or a bad
dataset never leaves a half-built book behind.

Command line: ``python -m kztm.build html|pdf [--param NAME=VALUE ...]`` (the Makefile calls it).
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import papermill
import yaml
from papermill.exceptions import PapermillExecutionError

from kztm.bibliography import write_bibtex
from kztm.data import check_all
from kztm.incremental import (
    READS_ENV,
    book_inputs,
    chapter_inputs,
    chapter_parameters,
    reasons_to_run,
    record,
    undeclared_reads,
)
from kztm.paths import environment_variable, using_root
from kztm.validate import DataError

# What the book serves from node_modules (installed by npm from package-lock.json): source → _static.
VENDOR_FILES = {
    "vega/build/vega.min.js": "vendor/vega/vega.min.js",
    "vega-lite/build/vega-lite.min.js": "vendor/vega-lite/vega-lite.min.js",
    "vega-embed/build/vega-embed.min.js": "vendor/vega-embed/vega-embed.min.js",
    "leaflet/dist/leaflet.js": "vendor/leaflet/leaflet.js",
    "jquery/dist/jquery.min.js": "vendor/jquery/jquery.min.js",
    "leaflet/dist/leaflet.css": "vendor/leaflet/leaflet.css",
}
PDF_NAME = "astana-ashgabat.pdf"
BOOK_FILES = ("_config.yml", "_toc.yml", "intro.md", "bibliography.md")
BOOK_FOLDERS = ("_static", "data", "seeds")
REMOVED_TAGS = {"parameters", "injected-parameters"}
READER_TAGS = {"remove-cell", "remove-input", "hide-input", "hide-cell", "remove-output"}


class BuildError(RuntimeError):
    """A step of the build failed; the message says which and why, for the person running it."""


class ChapterError(BuildError):
    """A chapter failed to execute; names the chapter and the cell."""


@dataclass(frozen=True)
class Project:
    """Where a build reads from and writes to."""

    root: Path

    @property
    def build_dir(self) -> Path:
        return self.root / "_build"

    @property
    def html_dir(self) -> Path:
        """The published HTML book; replaced only by a complete, successful build."""
        return self.build_dir / "html"

    @property
    def executed_dir(self) -> Path:
        return self.build_dir / "executed"

    @property
    def pdf_path(self) -> Path:
        """The published PDF edition; replaced only by a complete, successful PDF build."""
        return self.build_dir / "pdf" / PDF_NAME

    def chapters(self) -> list[str]:
        """Chapter names (file stems under chapters/) in the order of _toc.yml."""
        toc = yaml.safe_load((self.root / "_toc.yml").read_text(encoding="utf-8"))
        files = [
            entry["file"]
            for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}])
            for entry in part["chapters"]
        ]
        return [Path(f).name for f in files if f.startswith("chapters/")]


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


def notebook_from_markdown(source: Path) -> nbformat.NotebookNode:
    """The chapter's MyST-Markdown text as a notebook (jupytext), ready for papermill."""
    notebook = jupytext.read(source)
    if not any("parameters" in cell.metadata.get("tags", []) for cell in notebook.cells):
        raise ChapterError(f"chapter {source.stem}: no cell is tagged 'parameters'")
    return notebook


def _code_cell_number(notebook: nbformat.NotebookNode, cell_index: int) -> int:
    """1-based position among the chapter's own code cells of the cell papermill reports.

    Papermill counts cells before it adds its error banners, and counts its injected cell, which
    is not part of the chapter; both are discounted here.
    """
    cells = [
        cell
        for cell in notebook.cells
        if "papermill-error-cell-tag" not in cell.metadata.get("tags", [])
    ]
    own = [
        i
        for i, cell in enumerate(cells)
        if cell.cell_type == "code" and "injected-parameters" not in cell.metadata.get("tags", [])
    ]
    return own.index(cell_index) + 1 if cell_index in own else 0


def execute_chapter(project: Project, name: str, params: dict[str, Any], out: Path) -> None:
    """Run one chapter with papermill; on failure say which chapter, which cell and what broke."""
    source = project.root / "chapters" / f"{name}.md"
    unexecuted = out.with_suffix(".input.ipynb")
    running = out.with_suffix(".running.ipynb")
    nbformat.write(notebook_from_markdown(source), unexecuted)
    try:
        papermill.execute_notebook(
            str(unexecuted),
            str(running),
            parameters=params,
            kernel_name="python3",
            progress_bar=False,
            cwd=str(project.root / "chapters"),
        )
    except PapermillExecutionError as error:
        executed = nbformat.read(running, as_version=4)
        number = _code_cell_number(executed, error.cell_index)
        first_line = error.source.strip().splitlines()[0] if error.source.strip() else ""
        raise ChapterError(
            f"chapter {name} (chapters/{name}.md), code cell {number} "
            f"[{first_line[:60]}]: {error.ename}: {error.evalue}"
        ) from None
    finally:
        unexecuted.unlink(missing_ok=True)
    prepare_for_readers(running)
    running.replace(out)


def prepare_for_readers(path: Path) -> None:
    """Hide parameters and code from readers, and drop run timings so rebuilds are identical."""
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        tags = cell.metadata.setdefault("tags", [])
        if REMOVED_TAGS & set(tags):
            tags.append("remove-cell")
        elif cell.cell_type == "code" and not READER_TAGS & set(tags):
            tags.append("hide-input")
    notebook.metadata.pop("papermill", None)
    nbformat.write(notebook, path)


def prepare_for_print(path: Path) -> None:
    """Code is folded in HTML but has no place on paper: remove inputs instead of hiding them."""
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        tags = cell.metadata.get("tags", [])
        cell.metadata["tags"] = ["remove-input" if tag == "hide-input" else tag for tag in tags]
    nbformat.write(notebook, path)


def pdf_notice(project: Project) -> str:
    """The intro page's pointer to the PDF edition, when one has been built."""
    if not project.pdf_path.is_file():
        return "\n```{note}\nA PDF edition of this report is produced by `make pdf`.\n```\n"
    return (
        "\n```{note}\nThis report is also available as a PDF: "
        f"{{download}}`{PDF_NAME} <_static/{PDF_NAME}>`.\n```\n"
    )


def stage(project: Project, work: Path, for_print: bool = False) -> Path:
    """A complete book source tree under ``work``: config, pages, executed chapters, assets.

    For print, code inputs are removed; for HTML, the intro page links the PDF edition.
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
        (source / "_static" / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(origin, source / "_static" / target)
    (source / "chapters").mkdir()
    for name in project.chapters():
        staged = source / "chapters" / f"{name}.ipynb"
        shutil.copy2(project.executed_dir / f"{name}.ipynb", staged)
        if for_print:
            prepare_for_print(staged)
    if not for_print:
        with (source / "intro.md").open("a", encoding="utf-8") as intro:
            intro.write(pdf_notice(project))
        if project.pdf_path.is_file():
            shutil.copy2(project.pdf_path, source / "_static" / PDF_NAME)
    write_bibtex(source / "references.bib")
    return source


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
    if result.returncode != 0:
        raise BuildError(
            f"jupyter-book {builder} build failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        )
    return output / "_build" / ("latex" if builder == "pdflatex" else builder)


def publish(built: Path, published: Path) -> None:
    """Replace the published folder with the new one in two renames, never leaving it half-done."""
    previous = published.with_name(published.name + ".previous")
    shutil.rmtree(previous, ignore_errors=True)
    if published.exists():
        published.rename(previous)
    built.rename(published)
    shutil.rmtree(previous, ignore_errors=True)


def execute_all(project: Project, params: dict[str, Any]) -> list[str]:
    """Check the data, then run each chapter whose inputs changed; returns the chapters run.

    Each run says why it happened; a chapter whose inputs are unchanged keeps its last output.
    """
    try:
        check_all()
    except DataError as error:
        raise BuildError(f"bad data, nothing was built:\n{error}") from None
    project.executed_dir.mkdir(parents=True, exist_ok=True)
    ran = []
    for name in project.chapters():
        out = project.executed_dir / f"{name}.ipynb"
        inputs = chapter_inputs(project.root, name, params)
        reasons = reasons_to_run(out, inputs)
        if not reasons:
            print(f"up to date: {name}", flush=True)
            continue
        started = time.monotonic()
        log = out.with_suffix(".reads.log")
        log.unlink(missing_ok=True)
        with environment_variable(READS_ENV, str(log)):
            chapter = project.root / "chapters" / f"{name}.md"
            execute_chapter(project, name, chapter_parameters(chapter, params), out)
        undeclared = undeclared_reads(project.root, log, inputs)
        if undeclared:
            raise BuildError(
                f"chapter {name} read {', '.join(undeclared)} without declaring it: add {name} "
                "to the consumers of that dataset in data/catalog.yml"
            )
        record(out, inputs)
        ran.append(name)
        print(
            f"executed {name} in {time.monotonic() - started:.1f} s ({'; '.join(reasons)})",
            flush=True,
        )
    return ran


def build_html(project: Project, params: dict[str, Any] | None = None) -> Path:
    """Execute every chapter and build the HTML book; returns the published folder."""
    with using_root(project.root):
        execute_all(project, params or {})
        work = project.build_dir / "work"
        shutil.rmtree(work, ignore_errors=True)
        source = stage(project, work)
        fingerprint = book_inputs(project.root, source)
        stamp = project.build_dir / "html.inputs"
        if project.html_dir.is_dir() and stamp.is_file() and stamp.read_text() == fingerprint:
            shutil.rmtree(work, ignore_errors=True)
            print(f"up to date: {project.html_dir} (nothing it shows changed)", flush=True)
            return project.html_dir
        built = run_jupyter_book(source, work / "out")
        publish(built, project.html_dir)
        stamp.write_text(fingerprint)
        shutil.rmtree(work, ignore_errors=True)
    print(f"published {project.html_dir}", flush=True)
    return project.html_dir


def build_pdf(project: Project, params: dict[str, Any] | None = None) -> Path:
    """Execute every chapter and typeset the book with XeLaTeX; returns the published PDF."""
    with using_root(project.root):
        execute_all(project, params or {})
        work = project.build_dir / "work-pdf"
        shutil.rmtree(work, ignore_errors=True)
        source = stage(project, work, for_print=True)
        built = run_jupyter_book(source, work / "out", builder="pdflatex")
        pdfs = sorted(built.glob("*.pdf"))
        if not pdfs:
            raise BuildError(f"LaTeX produced no PDF in {built}")
        project.pdf_path.parent.mkdir(parents=True, exist_ok=True)
        fresh = project.pdf_path.with_suffix(".pdf.new")
        shutil.copy2(pdfs[0], fresh)
        fresh.replace(project.pdf_path)
        shutil.rmtree(work, ignore_errors=True)
    print(f"published {project.pdf_path}", flush=True)
    return project.pdf_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kztm.build", description=__doc__)
    parser.add_argument("target", choices=["html", "pdf"])
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="papermill parameter for every chapter, e.g. as_of=2024-12-31",
    )
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder")
    args = parser.parse_args(argv)
    try:
        builder = build_pdf if args.target == "pdf" else build_html
        builder(Project(args.root.resolve()), parse_params(args.param))
    except BuildError as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
