"""Every local link in the built book leads somewhere: an offline check of files and anchors.

Sphinx (nitpicky, warnings as errors) resolves the cross-references it knows about. This checks
what was finally written: every ``href`` and ``src`` of every page (and of the maps' inline
documents) that stays inside the book, from a chapter link or an anchor to a downloadable dataset,
a seed text or a script, must name a file that exists and, with a ``#fragment``, an id on that
page. External links are not followed: the book is read offline and the build has no network.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRIBUTES = {"href", "src"}
# A frame's inline document: a map's waits in data-srcdoc until the page's script shows it.
DOCUMENT_ATTRIBUTES = {"srcdoc", "data-srcdoc"}
EXTERNAL_SCHEMES = {"http", "https", "mailto", "data", "blob", "about", "tel"}
# Addresses that run code when followed: never published, whatever the data says.
SCRIPT_SCHEMES = {"javascript", "vbscript"}


@dataclass
class _Page:
    """The links and anchors of one HTML document."""

    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


class _Collector(HTMLParser):
    def __init__(self, page: _Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in LINK_ATTRIBUTES:
                self.page.links.append(value)
            elif name == "id" or (tag == "a" and name == "name"):
                self.page.ids.add(value)
            elif name in DOCUMENT_ATTRIBUTES:
                # A map's document: its URLs resolve against the page that holds it.
                _Collector(self.page).feed(value)


def read_page(path: Path) -> _Page:
    page = _Page()
    _Collector(page).feed(path.read_text(encoding="utf-8"))
    return page


def broken_links(html_dir: Path) -> list[str]:
    """Every local link of the book at ``html_dir`` that leads nowhere, as
    "page: link (why)"; [] when all resolve."""
    pages = {
        path: read_page(path)
        for path in sorted(html_dir.rglob("*.html"))
        if "_static" not in path.relative_to(html_dir).parts
    }
    broken = []
    for path, page in pages.items():
        for link in page.links:
            problem = _problem(html_dir, path, link, pages)
            if problem:
                broken.append(f"{path.relative_to(html_dir)}: {link} ({problem})")
    return broken


def _problem(html_dir: Path, page: Path, link: str, pages: dict[Path, _Page]) -> str | None:
    """Why ``link`` on ``page`` leads nowhere, or None if it resolves (or is external)."""
    parts = urlsplit(link)
    if parts.scheme.lower() in SCRIPT_SCHEMES:
        return "a link that runs a script"
    if parts.scheme in EXTERNAL_SCHEMES or parts.netloc:
        return None
    if parts.scheme:
        return f"unexpected scheme {parts.scheme!r}"
    target = page if not parts.path else Path(os.path.normpath(page.parent / unquote(parts.path)))
    if not target.is_relative_to(html_dir):
        return "points outside the book"
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return "no such file"
    fragment = unquote(parts.fragment)
    if fragment and target in pages and fragment not in pages[target].ids:
        return f"no element with id {fragment!r}"
    return None
