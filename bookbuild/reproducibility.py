"""The book's reproducibility record: which data, which code, which day, which parameters.

The record is printed in the book (the introduction, so also in the PDF) so that a reader can tell
two editions apart and a maintainer can rebuild one. It holds nothing that changes between two
builds of the same sources on the same day, so such builds are identical; with
``SOURCE_DATE_EPOCH`` set (the reproducible-builds convention) they are identical on any day.
"""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bookbuild.incremental import BUILD, ENVIRONMENT_FILES, LIBRARY, files_digest, tree_digest
from bookbuild.project import BOOK_FILES
from kztm.tables import escape

SHORT = 12
# The code that turns the data into the book: the report's library and the build system.
PACKAGES = (LIBRARY, BUILD)


def data_version(root: Path) -> str:
    """Fingerprint of every file under data/ (names and contents)."""
    return tree_digest(root / "data")[:SHORT]


def code_files(root: Path) -> list[Path]:
    """The code that turns the data into the book: the library and build packages and the build's
    templates, the chapters, the book's own files and assets, and the locked environment."""
    files = [path for package in PACKAGES for path in sorted(package.rglob("*.py"))]
    files += sorted(BUILD.glob("*.cjs"))
    files += sorted((BUILD / "templates").rglob("*.html"))
    files += sorted((root / "chapters").glob("*.md"))
    files += sorted(p for p in (root / "_static").rglob("*") if p.is_file())
    files += [root / name for name in (*BOOK_FILES, *ENVIRONMENT_FILES)]
    return [path for path in files if path.is_file()]


def code_fingerprint(root: Path) -> str:
    """Fingerprint of ``code_files`` (names and contents)."""
    return files_digest({str(path.relative_to(_home(path, root))): path for path in code_files(root)})[
        :SHORT
    ]


def _home(path: Path, root: Path) -> Path:
    """The folder a code file is named from: its package's parent, or the project."""
    return next((p.parent for p in PACKAGES if path.is_relative_to(p)), root)


def git_commit(root: Path) -> str | None:
    """The commit checked out at ``root`` with "+ uncommitted changes" if any; None outside git."""

    def git(*args: str) -> str | None:
        result = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
        )
        return result.stdout.strip() if result.returncode == 0 else None

    top = git("rev-parse", "--show-toplevel")
    if top is None or Path(top).resolve() != root.resolve():
        return None
    commit = git("rev-parse", f"--short={SHORT}", "HEAD")
    if commit is None:
        return None
    return f"{commit} + uncommitted changes" if git("status", "--porcelain") else commit


def build_date() -> date:
    """``SOURCE_DATE_EPOCH`` when set (reproducible builds), otherwise today, in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.date()


def record_markdown(root: Path, params: dict[str, Any]) -> str:
    """The record as a MyST section for the colophon."""
    commit = git_commit(root)
    given = ", ".join(f"{name}={value!r}" for name, value in sorted(params.items()))
    rows = {
        "Data version": f"`{data_version(root)}` (SHA-256 of every file under `data/`)",
        # A code span shows its text as it is, so a Markdown escape there would show its backslash.
        "Code version": (f"commit `{commit}`; " if commit else "")
        + f"content `{code_fingerprint(root)}` (SHA-256 of `kztm`, the chapters, the book's "
        "files and the lock files)",
        "Build date": f"{build_date():%Y-%m-%d}",
        "Parameters": escape(given) if given else "none given: each chapter's defaults",
    }
    lines = "\n".join(f"| {name} | {value} |" for name, value in rows.items())
    return (
        "\n(reproducibility-record)=\n## Reproducibility record\n\n"
        "What this edition was built from. A rebuild from the same data, code and parameters gives "
        "the same text and figures.\n\n"
        f"| Record | Value |\n| --- | --- |\n{lines}\n"
    )
