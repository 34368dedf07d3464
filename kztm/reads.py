"""A record of the files a chapter's kernel reads, for the build to check against the chapter's
declared inputs (a read outside them would leave the chapter stale when that file changes).

The build names a log file in ``KZTM_READS_LOG``; outside a build nothing is recorded. The loaders
note what they read (``note_read``), and ``watch_opens``, which the build runs first in every
kernel, records every file of the project's data opened by any code at all (``pd.read_csv``,
``open``), with the chapter's line that opened it.
"""

from __future__ import annotations

import linecache
import os
import re
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from kztm.archive import TEXT_FOLDERS
from kztm.paths import project_root

READS_ENV = "KZTM_READS_LOG"
# The folders of the project's evidence: data, seed articles, archived passages.
WATCHED = ("data", *TEXT_FOLDERS)
# Where ipykernel compiles a notebook cell (/tmp/ipykernel_4242/1234.py).
_CELL_FILE = re.compile(r"ipykernel_\d+[/\\]\d+\.py$")


# What this process has logged already, by log: the loaders note the same files many times.
_noted: set[tuple[str, str]] = set()


def note_read(path: Path) -> None:
    """Called by the loaders: log a file the kernel read, when the build asks for it (once per
    file and log)."""
    log = os.environ.get(READS_ENV)
    if not log or (log, str(path)) in _noted:
        return
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(f"{path.resolve()}\n")
    _noted.add((log, str(path)))


def in_book_build() -> bool:
    """Whether this kernel runs for the book's build, which names a reads log for every kernel it
    starts; otherwise a person runs the chapter in Jupyter, and its outputs should show there."""
    return bool(os.environ.get(READS_ENV))


def watch_opens() -> None:
    """Record every file under the project's data folders that this process opens for reading,
    whatever opens it (Python's audit hook sees every ``open``)."""
    log = os.environ.get(READS_ENV)
    if not log:
        return
    root = project_root()
    watched = tuple(os.path.join(root, folder) + os.sep for folder in WATCHED)
    recorded: set[str] = set()

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event != "open" or not isinstance(args[0], (str, os.PathLike)):
            return
        mode = args[1]
        if isinstance(mode, str) and any(letter in mode for letter in "wax+"):
            return
        path = os.path.abspath(os.fspath(args[0]))
        if path in recorded or not path.startswith(watched):
            return
        # The first read of each file is enough, with the chapter's line that caused it.
        recorded.add(path)
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{os.path.realpath(path)}\t{_cell_line(sys._getframe(1))}\n")

    sys.addaudithook(hook)


def _cell_line(frame: FrameType | None) -> str:
    """The chapter's line that led to this call (its outermost notebook-cell frame), if any."""
    cell = None
    while frame is not None:
        if _CELL_FILE.search(frame.f_code.co_filename):
            cell = frame
        frame = frame.f_back
    if cell is None:
        return ""
    text = linecache.getline(cell.f_code.co_filename, cell.f_lineno).strip()
    return f"line {cell.f_lineno} of its cell: {text}"
