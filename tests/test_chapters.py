"""Chapters as thin views: each notebook is prose, a parameters cell, one call that glues its
module's facts and a short cell per figure; the module does the work, reads only what the catalog
says it consumes, and every dataset it loads is filtered by the edition."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import jupytext
import pandas as pd
import pytest

from bookbuild.build import Project
from bookbuild.incremental import CHAPTER_MODULES, datasets_read_by
from kztm import data, prose
from kztm.catalog import load_catalog
from kztm.edition import Edition
from kztm.paths import using_root
from kztm.reads import READS_ENV
from tests.conftest import ROOT

CHAPTERS = Project(ROOT).chapters()
BIN = Path(sys.executable).parent
# The longest code cell a chapter may hold, and all its code cells together.
MAX_CELL_LINES = 40
MAX_CHAPTER_CODE_LINES = 500
GLUE_REFERENCE = re.compile(r"\{glue(?::md)?\}`([\w-]+)(?::myst)?`|```\{glue:(?:md|figure)\} ([\w-]+)")


def module(name: str):
    return importlib.import_module(f"kztm.chapters.{name}")


def figure_functions(name: str) -> dict[str, object]:
    return {
        function_name: function
        for function_name, function in inspect.getmembers(module(name), inspect.isfunction)
        if function_name.endswith("_figure")
        and not function_name.startswith("_")
        and function.__module__ == module(name).__name__
    }


def code_cells(name: str) -> list[str]:
    notebook = jupytext.read(ROOT / "chapters" / f"{name}.md")
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def glued_names_in_text(name: str) -> set[str]:
    text = (ROOT / "chapters" / f"{name}.md").read_text(encoding="utf-8")
    return {a or b for a, b in GLUE_REFERENCE.findall(text)}


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_chapter_has_its_own_module(name):
    assert (CHAPTER_MODULES / f"{name}.py").is_file()


@pytest.mark.parametrize("name", CHAPTERS)
def test_a_chapter_cell_is_short_and_the_chapter_code_small(name):
    cells = code_cells(name)
    assert max(len(cell.splitlines()) for cell in cells) <= MAX_CELL_LINES
    total = sum(len(cell.splitlines()) for chapter in CHAPTERS for cell in code_cells(chapter))
    assert total <= MAX_CHAPTER_CODE_LINES


@pytest.mark.parametrize("name", CHAPTERS)
def test_the_text_glues_only_what_the_module_computes(name):
    """Every name the prose refers to is a fact of the module or a figure glued in a cell."""
    computed = set(module(name).facts(Edition()))
    for cell in code_cells(name):
        for figure in re.findall(r'glue_figure\(\s*"([\w-]+)"', cell):
            computed |= {figure, f"{figure}-sources"}
    missing = glued_names_in_text(name) - computed
    assert not missing, f"{name}: the text glues {sorted(missing)}, which nothing computes"


@pytest.mark.parametrize("name", CHAPTERS)
def test_a_chapter_reads_exactly_the_datasets_the_catalog_says_it_consumes(name, tmp_path, monkeypatch):
    """The read log records what the module's facts and figures load; the catalog's consumers
    decide what re-executes the chapter, so neither may miss nor add a dataset."""
    log = tmp_path / "reads.log"
    monkeypatch.setenv(READS_ENV, str(log))
    edition = Edition()
    module(name).facts(edition)
    for function in figure_functions(name).values():
        function(edition)
    read_files = {Path(line.split("\t")[0]).name for line in log.read_text().splitlines()}
    catalog = load_catalog()
    read = {dataset for dataset, entry in catalog.items() if entry.file in read_files}
    declared = {dataset for dataset, entry in catalog.items() if name in entry.consumers}
    assert read - {"sources"} <= datasets_read_by(name), f"{name} reads undeclared {read - declared}"
    assert declared <= read, f"{name} is declared a consumer of {declared - read} but never reads it"


@pytest.mark.parametrize("name", CHAPTERS)
def test_a_chapter_module_builds_an_edition_before_all_data(name):
    """The day before the first record: every fact and figure is computed without an error."""
    edition = Edition(as_of="1990-01-01")
    facts = module(name).facts(edition)
    assert all(isinstance(value, str | prose.Markdown) for value in facts.values())
    for function in figure_functions(name).values():
        assert isinstance(function(edition), prose.Figure)


def called_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
    }


@pytest.mark.parametrize("path", sorted(CHAPTER_MODULES.glob("*.py")), ids=lambda p: p.name)
def test_a_chapter_module_loads_data_only_through_the_edition(path):
    unfiltered = {"load_all", "load_sources", "known_by", "known_by_source", "read_csv", "open"}
    assert not called_names(path) & unfiltered


@pytest.mark.parametrize("path", sorted(CHAPTER_MODULES.glob("*.py")), ids=lambda p: p.name)
def test_chapter_modules_do_not_import_each_other(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    assert not any(name.startswith("kztm.chapters") for name in imported)


def first_day(frame: pd.DataFrame, column: str) -> pd.Timestamp:
    return frame[column].dropna().min()


@pytest.mark.parametrize("name", sorted(load_catalog()))
def test_every_dataset_is_filtered_by_the_edition_as_the_catalog_says(name):
    rule = load_catalog()[name].known_from
    everything = data.load_all(name)
    if rule == "always":
        assert data.load(name, Edition(as_of="1990-01-01")).equals(everything)
        return
    published = everything["source_id"].map(data.publication_days())
    dated = published if rule == "source" else everything[rule]
    day = first_day(pd.DataFrame({"day": dated}), "day")
    edition = Edition(as_of=(day - timedelta(days=1)).date().isoformat())
    kept = data.load(name, edition)
    assert len(kept) < len(everything)
    published = kept["source_id"].map(data.publication_days())
    known = published <= edition.day
    if rule != "source":
        # Dated by then, or published by then (a plan), or undated with an undated source.
        undated_source = kept[rule].isna() & published.isna()
        assert ((kept[rule] <= edition.day) | known | undated_source).all()
        undated = kept[rule].isna()
    else:
        undated = pd.Series(True, index=kept.index)
    assert (published[undated].isna() | known[undated]).all()


def test_the_chapters_code_passes_ruff_and_strict_mypy(tmp_path):
    """What the notebooks still hold is read by the linters like the library: ruff as notebooks
    (the parameters cell comes before the imports), mypy as scripts."""
    notebooks, scripts = [], []
    for name in CHAPTERS:
        notebook = jupytext.read(ROOT / "chapters" / f"{name}.md")
        notebooks.append(str(tmp_path / f"chapter_{name}.ipynb"))
        scripts.append(str(tmp_path / f"chapter_{name}.py"))
        jupytext.write(notebook, notebooks[-1])
        jupytext.write(notebook, scripts[-1], fmt="py:percent")
    ruff = subprocess.run(
        [BIN / "ruff", "check", "--config", ROOT / "pyproject.toml", *notebooks],
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, ruff.stdout
    mypy = subprocess.run(
        [BIN / "mypy", "--strict", "--ignore-missing-imports", *scripts],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert mypy.returncode == 0, mypy.stdout


def test_loading_follows_the_catalogs_rule_not_a_rule_of_its_own(tmp_path):
    """A dataset whose catalog rule is changed to keep every row is loaded whole: the catalog,
    not the loader or the chapter, decides the filter."""
    catalog = (ROOT / "data" / "catalog.yml").read_text(encoding="utf-8")
    changed = catalog.replace("  known_from: period_end", "  known_from: always", 1)
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    for path in (ROOT / "data").glob("*.csv"):
        (project / "data" / path.name).write_bytes(path.read_bytes())
    (project / "data" / "catalog.yml").write_text(changed, encoding="utf-8")
    for folder in ("seeds", "archive"):
        (project / folder).symlink_to(ROOT / folder)
    with using_root(project):
        everything = data.load_all("trade")
        early = data.load("trade", Edition(as_of="1990-01-01"))
    assert early.equals(everything)
