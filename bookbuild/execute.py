"""Executing chapters: MyST Markdown → papermill → an executed notebook ready for Jupyter Book.

Chapters are independent of each other (each reads only data and ``kztm``), so the ones whose
inputs changed run side by side, one worker process per available core. Each worker starts its
own kernel with the project root and a reads log in its environment, so parallel chapters never
share either. A chapter that fails names itself and its cell; the others still finish and keep
their results, and nothing is published.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import sys
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import papermill
from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError
from papermill.exceptions import PapermillExecutionError

from bookbuild.incremental import (
    chapter_inputs,
    chapter_parameters,
    parameter_problems,
    reasons_to_run,
    record,
    stamp_path,
    undeclared_reads,
)
from bookbuild.project import BuildError, Project
from bookbuild.warm_kernels import kernel_command, zygote
from kztm.catalog import CatalogError
from kztm.data import check_all
from kztm.paths import environment_variable, using_root
from kztm.reads import READS_ENV
from kztm.validate import DataError

REMOVED_TAGS = {"parameters", "injected-parameters"}
READER_TAGS = {"remove-cell", "remove-input", "hide-input", "hide-cell", "remove-output"}


class ChapterError(BuildError):
    """A chapter failed to execute; names the chapter and the cell."""


def available_cores() -> int:
    """Cores this process may run on (a container's CPU set, not the host's count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def notebook_from_markdown(source: Path) -> nbformat.NotebookNode:
    """The chapter's MyST-Markdown text as a notebook (jupytext), ready for papermill."""
    notebook = jupytext.read(source)
    if not any("parameters" in cell.metadata.get("tags", []) for cell in notebook.cells):
        raise ChapterError(f"chapter {source.stem}: no cell is tagged 'parameters'")
    return notebook


# The first cell the build adds to every chapter: record each data file any code opens (kztm.reads),
# so that a chapter reading a file it does not declare fails, whatever library it reads it with.
WATCH_TAG = "injected-reads-watch"


def watching_reads(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook with the reads watch as its first cell (dropped again from what readers get)."""
    watch = nbformat.v4.new_code_cell(
        "import kztm.reads\nkztm.reads.watch_opens()", metadata={"tags": [WATCH_TAG]}
    )
    watch.id = "reads-watch"
    notebook.cells.insert(0, watch)
    return notebook


def _code_cell_number(notebook: nbformat.NotebookNode, cell_index: int) -> int:
    """1-based position among the chapter's own code cells of the cell papermill reports.

    Papermill counts cells before it adds its error banners, and counts its injected cell, which
    is not part of the chapter, as is the build's reads watch; all are discounted here.
    """
    cells = [
        cell
        for cell in notebook.cells
        if "papermill-error-cell-tag" not in cell.metadata.get("tags", [])
    ]
    own = [
        i
        for i, cell in enumerate(cells)
        if cell.cell_type == "code"
        and not any(tag.startswith("injected-") for tag in cell.metadata.get("tags", []))
    ]
    return own.index(cell_index) + 1 if cell_index in own else 0


def execute_chapter(project: Project, name: str, params: dict[str, Any], out: Path) -> None:
    """Run one chapter with papermill; on failure say which chapter, which cell and what broke."""
    source = project.root / "chapters" / f"{name}.md"
    unexecuted = out.with_suffix(".input.ipynb")
    running = out.with_suffix(".running.ipynb")
    nbformat.write(watching_reads(notebook_from_markdown(source)), unexecuted)
    try:
        _execute_with_a_kernel(project, name, params, unexecuted, running)
    except CellTimeoutError as error:
        # nbclient has already stopped the kernel; the last good book stays published.
        preview = str(error).split("-------------------\n")
        first_line = preview[1].strip().splitlines()[0] if len(preview) > 1 else ""
        raise ChapterError(
            f"chapter {name} (chapters/{name}.md), code cell [{first_line[:60]}]: still running "
            f"after {cell_timeout()} s, so the chapter was stopped (set {CELL_TIMEOUT_ENV} to allow "
            "more)"
        ) from None
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


# A kernel that dies or stays silent while starting has run none of the chapter's code, so the
# chapter is started once more before the build gives up on it.
KERNEL_STARTS = 2
# A cell that runs longer than this is stopped and its chapter fails: a loop that never ends
# would otherwise hang the build. The slowest cell of the book takes a few seconds.
CELL_TIMEOUT_ENV = "KZTM_CELL_TIMEOUT"
DEFAULT_CELL_TIMEOUT = 600


def cell_timeout() -> int:
    """Seconds a chapter's cell may run: ``KZTM_CELL_TIMEOUT`` if set to a whole number, else the
    default."""
    configured = os.environ.get(CELL_TIMEOUT_ENV, "")
    if not configured:
        return DEFAULT_CELL_TIMEOUT
    if not configured.isdigit() or int(configured) == 0:
        raise BuildError(f"{CELL_TIMEOUT_ENV}={configured!r}: expected a whole number of seconds")
    return int(configured)


def _execute_with_a_kernel(
    project: Project, name: str, params: dict[str, Any], unexecuted: Path, running: Path
) -> None:
    """papermill, with a second kernel if the first does not start (on a loaded two-core machine a
    kernel has died before replying, and one has taken over papermill's default 60 s)."""
    for attempt in range(1, KERNEL_STARTS + 1):
        try:
            papermill.execute_notebook(
                str(unexecuted),
                str(running),
                parameters=params,
                kernel_name="python3",
                kernel_manager_class=WarmKernelManager,
                # Written once at the end (and on an error), not after every cell: saving a
                # notebook of charts and maps 40 times cost two seconds a chapter.
                request_save_on_cell_execute=False,
                progress_bar=False,
                start_timeout=180,
                execution_timeout=cell_timeout(),
                cwd=str(project.root / "chapters"),
            )
            return
        except RuntimeError as error:
            if not _KERNEL_START_FAILURE.search(str(error)):
                raise
            if attempt == KERNEL_STARTS:
                raise ChapterError(
                    f"chapter {name} (chapters/{name}.md): its Python kernel did not start "
                    f"({KERNEL_STARTS} attempts): {error}"
                ) from None


class WarmKernelManager(AsyncKernelManager):
    """Papermill's kernel, forked from the build's zygote when one runs (see
    ``bookbuild.warm_kernels``), else started as usual."""

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        warm = kernel_command(self.connection_file)
        return warm if warm is not None else super().format_kernel_cmd(extra_arguments)


_KERNEL_START_FAILURE = re.compile(r"Kernel died before replying|Kernel didn't respond")


def prepare_for_readers(path: Path) -> None:
    """Keep parameters and code out of the reader's way (a toggle bar before every figure is noise;
    the executed notebook and its source are offered for download instead); drop run timings and
    number the cells (jupytext and papermill give them random ids) so that rebuilds are identical."""
    notebook = nbformat.read(path, as_version=4)
    notebook.cells = [c for c in notebook.cells if WATCH_TAG not in c.metadata.get("tags", [])]
    for number, cell in enumerate(notebook.cells, start=1):
        cell.id = f"cell-{number}"
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        tags = cell.metadata.setdefault("tags", [])
        if REMOVED_TAGS & set(tags):
            tags.append("remove-cell")
        elif cell.cell_type == "code" and not READER_TAGS & set(tags):
            tags.append("remove-input")
    notebook.metadata.pop("papermill", None)
    nbformat.write(notebook, path)


@contextmanager
def stderr_to(path: Path) -> Iterator[None]:
    """Send this process's standard error, and that of the kernel it starts, to ``path``: kernels
    log start-up chatter there that would bury the build's progress; the file keeps it for when a
    kernel dies without a Python error."""
    sys.stderr.flush()
    saved = os.dup(2)
    with path.open("w", encoding="utf-8") as log:
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def run_chapter(root: Path, name: str, params: dict[str, Any], inputs: dict[str, str]) -> float:
    """Execute one chapter in this process and record its inputs; returns the seconds it took.

    The stamp of the previous run goes first, so a run that fails halfway is retried next time;
    a kernel that read a file outside the chapter's declared inputs fails the chapter.
    """
    project = Project(root)
    out = project.executed_dir / f"{name}.ipynb"
    started = time.monotonic()
    stamp_path(out).unlink(missing_ok=True)
    log = out.with_suffix(".reads.log")
    log.unlink(missing_ok=True)
    chapter = root / "chapters" / f"{name}.md"
    with (
        using_root(root),
        environment_variable(READS_ENV, str(log)),
        stderr_to(out.with_suffix(".stderr.log")),
    ):
        execute_chapter(project, name, chapter_parameters(chapter, params), out)
    undeclared = undeclared_reads(root, log, inputs)
    if undeclared:
        raise ChapterError(
            f"chapter {name} read {', '.join(undeclared)} without declaring it: add {name} "
            "to the consumers of that dataset in data/catalog.yml"
        )
    record(out, inputs)
    return time.monotonic() - started


def stale_chapters(project: Project, params: dict[str, Any]) -> dict[str, tuple[list[str], dict]]:
    """Chapters whose inputs changed since their last run: name → (reasons, current inputs)."""
    stale = {}
    for name in project.chapters():
        inputs = chapter_inputs(project.root, name, params)
        reasons = reasons_to_run(project.executed_dir / f"{name}.ipynb", inputs)
        if reasons:
            stale[name] = (reasons, inputs)
        else:
            print(f"up to date: {name}", flush=True)
    return stale


def execute_all(project: Project, params: dict[str, Any], jobs: int | None = None) -> list[str]:
    """Check the data, then run every chapter whose inputs changed, ``jobs`` at a time (default:
    one per available core); returns the chapters run, in the order they finished.

    Progress is printed as chapters start and finish, each with why it ran. When chapters fail,
    the others still finish; then one error lists every failure.
    """
    chapters = [project.root / "chapters" / f"{name}.md" for name in project.chapters()]
    problems = parameter_problems(chapters, params)
    if problems:
        raise BuildError("bad parameters, nothing was built:\n" + "\n".join(problems))
    # The kernels' zygote imports while the data are checked, on the other core.
    with zygote():
        with using_root(project.root):
            try:
                check_all()
            except (DataError, CatalogError) as error:
                raise BuildError(f"bad data, nothing was built:\n{error}") from None
            project.executed_dir.mkdir(parents=True, exist_ok=True)
            stale = stale_chapters(project, params)
        if not stale:
            return []
        return _execute_stale(project, params, stale, jobs)


def _execute_stale(
    project: Project,
    params: dict[str, Any],
    stale: dict[str, tuple[list[str], dict[str, str]]],
    jobs: int | None,
) -> list[str]:
    """Run the stale chapters ``jobs`` at a time, each in a worker process that starts its kernel
    and waits for it; returns them in the order they finished."""
    workers = max(1, min(jobs or available_cores(), len(stale)))
    print(f"executing {len(stale)} chapter(s) on {workers} worker(s)", flush=True)
    started = time.monotonic()
    ran: list[str] = []
    failures: list[str] = []
    # "spawn": each worker is a fresh interpreter, not a fork of one holding kernels or threads.
    context = multiprocessing.get_context("spawn")
    with (
        ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool,
        _stopped_on_interrupt(pool),
    ):
        _run_queue(pool, workers, stale, project, params, ran, failures)
    if failures:
        raise ChapterError("\n".join(failures))
    print(f"executed {len(ran)} chapter(s) in {time.monotonic() - started:.1f} s", flush=True)
    return ran


def _run_queue(
    pool: ProcessPoolExecutor,
    workers: int,
    stale: dict[str, tuple[list[str], dict[str, str]]],
    project: Project,
    params: dict[str, Any],
    ran: list[str],
    failures: list[str],
) -> None:
    """Hand out the chapters one per free worker, so the parent knows when each starts and is the
    only process that prints; report each as it finishes."""
    queue = list(stale)
    running: dict[Future[float], str] = {}
    while queue or running:
        while queue and len(running) < workers:
            name = queue.pop(0)
            with _workers_ignore_interrupts():
                future = pool.submit(run_chapter, project.root, name, params, stale[name][1])
            running[future] = name
            print(f"started {name}", flush=True)
        finished, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in finished:
            name = running.pop(future)
            progress = f"[{len(ran) + len(failures) + 1}/{len(stale)}]"
            try:
                seconds = future.result()
            except BuildError as error:
                failures.append(str(error))
                print(f"{progress} failed {name}", flush=True)
                continue
            ran.append(name)
            reasons = "; ".join(stale[name][0])
            print(f"{progress} executed {name} in {seconds:.1f} s ({reasons})", flush=True)


@contextmanager
def _workers_ignore_interrupts() -> Iterator[None]:
    """Ignore Ctrl-C while a worker may be started (``submit`` starts one when all are busy): a
    process started with SIGINT ignored keeps ignoring it, and so do the kernels it starts. The
    terminal sends Ctrl-C to every process of the build, and the parent alone should answer it
    (stopping the workers), not each worker with its own traceback."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def _stopped_on_interrupt(pool: ProcessPoolExecutor) -> Iterator[None]:
    """On Ctrl-C, drop the chapters not started and stop the running ones at once (their kernels
    exit with them), instead of waiting for them to finish. Their stamps were removed before they
    ran, so the next build runs them again."""
    try:
        yield
    except KeyboardInterrupt:
        pool.shutdown(wait=False, cancel_futures=True)
        for worker in multiprocessing.active_children():
            worker.terminate()
        raise
