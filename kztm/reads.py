"""A record of the files a chapter's kernel reads, for the build to check against the chapter's
declared inputs (a read outside them would leave the chapter stale when that file changes).

The build names a log file in ``KZTM_READS_LOG``; outside a build nothing is recorded.
"""

from __future__ import annotations

import os
from pathlib import Path

READS_ENV = "KZTM_READS_LOG"


def note_read(path: Path) -> None:
    """Called by the loaders: log a file the kernel read, when the build asks for it."""
    log = os.environ.get(READS_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{path.resolve()}\n")


def in_book_build() -> bool:
    """Whether this kernel runs for the book's build, which names a reads log for every kernel it
    starts; otherwise a person runs the chapter in Jupyter, and its outputs should show there."""
    return bool(os.environ.get(READS_ENV))
