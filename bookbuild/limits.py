"""How large a published page may be: a chapter that prints 30 MB stops the build, naming itself.

A reader's browser downloads a page whole; the heaviest page of the book is about half a megabyte
of HTML. A page ten times that is a chapter printing a whole table or a runaway loop, which the
build refuses instead of publishing (``KZTM_MAX_PAGE_MB`` allows more for one run).
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath

from bookbuild.project import BuildError
from kztm.validate import MB, positive_setting

MAX_PAGE_MB_ENV = "KZTM_MAX_PAGE_MB"
DEFAULT_MAX_PAGE_MB = 5.0


def page_limit_mb() -> float:
    """The largest page the build publishes, in megabytes: ``KZTM_MAX_PAGE_MB`` or the default."""
    try:
        return positive_setting(MAX_PAGE_MB_ENV, DEFAULT_MAX_PAGE_MB)
    except ValueError as error:
        raise BuildError(f"{MAX_PAGE_MB_ENV}={os.environ[MAX_PAGE_MB_ENV]!r}: {error}") from None


def _made_by(page: PurePath) -> str:
    """What a reader can fix: the chapter behind a chapter's page, else the page itself."""
    if page.parent == PurePath("chapters"):
        return f"chapter {page.stem} (chapters/{page.stem}.md)"
    return f"page {page.as_posix()}"


def oversized_pages(html_dir: Path, limit_mb: float) -> list[str]:
    """Every page of the book at ``html_dir`` larger than ``limit_mb``, as "chapter trade
    (chapters/trade.md) 31.2 MB"; [] when all fit. The theme's files are not pages."""
    found = []
    for page in sorted(html_dir.rglob("*.html")):
        relative = page.relative_to(html_dir)
        if "_static" in relative.parts:
            continue
        size = page.stat().st_size
        if size > limit_mb * MB:
            found.append(f"{_made_by(relative)} {size / MB:.3g} MB")
    return found


def refuse_oversized_pages(html_dir: Path) -> None:
    """Stop the build, in one line, when a page of the new book is over the limit."""
    limit = page_limit_mb()
    oversized = oversized_pages(html_dir, limit)
    if oversized:
        raise BuildError(
            f"pages over the {limit:g} MB limit ({MAX_PAGE_MB_ENV}), nothing was published: "
            + "; ".join(oversized)
        )
