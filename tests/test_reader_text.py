"""What a reader sees carries no scaffolding: no internal source ids, no build wording, no counts
that disagree with their noun ("1 sessions", "0 state")."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from bookbuild.build import Project
from kztm.data import load_sources
from tests.conftest import ROOT

PAGES = [
    "intro.html",
    "bibliography.html",
    "colophon.html",
    *[f"chapters/{name}.html" for name in Project(ROOT).chapters()],
]
BUILD_WORDING = ("this run", "Generated at each build", "Show code cell", "Toggle hidden")
# A count of one or zero in figures, followed by a plural noun or a plural verb.
DISAGREEING_COUNT = re.compile(
    r"(?<![\d.,$−-])(?<!Admin )\b[01] (?!million|billion)([a-z]+s|state|are|were)\b"
)


def reader_text(path) -> str:
    """The visible text of a page's article: no scripts, styles or attributes."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article") or soup.body
    for hidden in article.find_all(["script", "style"]):
        hidden.decompose()
    return " ".join(article.get_text(" ").split())


@pytest.mark.parametrize("page", PAGES)
def test_a_reader_sees_no_source_ids_build_wording_or_disagreeing_counts(built_book, page):
    text = reader_text(built_book.html_dir / page)
    ids = [i for i in load_sources()["source_id"] if re.search(rf"\b{re.escape(i)}\b", text)]
    assert ids == [], f"{page} shows internal source ids: {ids}"
    assert [w for w in BUILD_WORDING if w.lower() in text.lower()] == []
    assert DISAGREEING_COUNT.findall(text) == [], f"{page}: {DISAGREEING_COUNT.findall(text)}"
