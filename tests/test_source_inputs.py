"""A chapter depends on the source rows it cites, not on the whole sources table (issue 14).

Adding a source, or editing one, re-executes the chapters that cite it (or another source of the
same name, whose label letter may change) and the chapters that list every source; no other.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from bookbuild.incremental import chapter_inputs, datasets_read_by, undeclared_reads
from bookbuild.project import Project
from kztm.catalog import load_catalog
from kztm.paths import using_root
from tests.conftest import copy_project

NEW_SOURCE = (
    "bench-new,press,A page no data cites yet,,Example Gazette,,,,,en,,"
    "https://example.org/a,2026-11-22,quoted as evidence\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(copy_project(tmp_path / "project"))


def every_input(project: Project) -> dict[str, dict[str, str]]:
    return {name: chapter_inputs(project.root, name, {}) for name in project.chapters()}


def changed(before: dict[str, dict[str, str]], after: dict[str, dict[str, str]]) -> set[str]:
    return {name for name in before if before[name] != after[name]}


def listing_every_source(project: Project) -> set[str]:
    with using_root(project.root):
        return set(load_catalog()["sources"].consumers)


def words_read_by(project: Project, chapter: str) -> set[str]:
    """Every word of the chapter and of the datasets it reads: the ids it can show."""
    with using_root(project.root):
        catalog = load_catalog()
        files = [catalog[name].file for name in datasets_read_by(chapter)]
    text = (project.root / "chapters" / f"{chapter}.md").read_text(encoding="utf-8")
    text += "".join((project.root / "data" / f).read_text(encoding="utf-8") for f in files)
    return set(re.findall(r"[\w-]+", text))


def edit_source(project: Project, source_id: str, column: str, value: str) -> None:
    path = project.root / "data" / "sources.csv"
    with path.open(encoding="utf-8", newline="") as table:
        rows = list(csv.DictReader(table))
    for row in rows:
        if row["source_id"] == source_id:
            row[column] = value
    with path.open("w", encoding="utf-8", newline="") as table:
        writer = csv.DictWriter(table, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_a_source_nothing_cites_reruns_only_the_chapters_that_list_every_source(project):
    before = every_input(project)
    with (project.root / "data" / "sources.csv").open("a", encoding="utf-8") as table:
        table.write(NEW_SOURCE)
    listing = listing_every_source(project)
    assert changed(before, every_input(project)) == listing
    assert listing < set(project.chapters())


def test_editing_a_source_reruns_the_chapters_that_cite_it_and_no_other(project):
    """A source the diplomacy chapter's data cites and the geopolitics chapter's does not."""
    diplomacy, geopolitics = words_read_by(project, "diplomacy"), words_read_by(project, "geopolitics")
    with (project.root / "data" / "sources.csv").open(encoding="utf-8", newline="") as table:
        rows = list(csv.DictReader(table))
    row = next(r for r in rows if r["source_id"] in diplomacy - geopolitics and r["author"])
    same_name = [r for r in rows if r["author"] == row["author"]]
    assert len(same_name) == 1, "the test wants a source whose name no other source shares"
    before = every_input(project)

    edit_source(project, row["source_id"], "title", "A corrected title")

    rerun = changed(before, every_input(project))
    assert "diplomacy" in rerun
    assert "geopolitics" not in rerun
    assert rerun <= {c for c in project.chapters() if row["source_id"] in words_read_by(project, c)} | (
        listing_every_source(project)
    )


def test_a_new_source_of_a_cited_name_reruns_the_chapters_citing_that_name(project):
    """Its label letter ("2024b") can change the labels of the sources already cited."""
    with (project.root / "data" / "sources.csv").open(encoding="utf-8", newline="") as table:
        rows = list(csv.DictReader(table))
    cited = next(r for r in rows if r["author"] and r["source_id"] in words_read_by(project, "energy"))
    before = every_input(project)
    with (project.root / "data" / "sources.csv").open("a", encoding="utf-8") as table:
        table.write(NEW_SOURCE.replace(",,Example Gazette,", f",{cited['author']},,"))
    assert "energy" in changed(before, every_input(project))


def test_a_chapter_may_read_any_held_text_but_not_every_text_unless_it_lists_sources(tmp_path):
    """Loaders read every held text to check quotes (the cited ones are fingerprinted);
    ``kztm.data.quoted_texts`` reads the folders whole, which only a sources consumer declares."""
    root = tmp_path
    log = tmp_path / "reads.log"
    log.write_text(f"{root / 'archive' / 'any-page.txt'}\n{root / 'seeds'}\n", encoding="utf-8")
    assert undeclared_reads(root, log, {"data/sources.csv": "x"}) == ["seeds"]
    assert undeclared_reads(root, log, {"seeds": "x", "archive": "y"}) == []
