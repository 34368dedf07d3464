"""The chapters as written: text notebooks with parameters, no file access, no hand-typed data."""

from __future__ import annotations

import re

import jupytext
import nbformat
import papermill
import pytest

from bookbuild.build import Project
from kztm import data
from kztm.catalog import load_catalog
from kztm.provenance import numbers_in
from tests.conftest import ROOT

CHAPTERS = Project(ROOT).chapters()
FILE_ACCESS = re.compile(
    r"read_csv|read_excel|read_json|read_text|read_bytes|open\(|\.csv\b|Path\(|urlopen|requests\."
)
# What MyST may wrap around a glued value or a citation, and inline code (a command, a date
# parameter): not prose a reader sees as typed data.
ROLES = re.compile(
    r"\{[\w:-]+\}`[^`]*`|```\{[^}]*\}[^\n]*|:name: [^\n]*|^\s*\d+\.\s|(?<!`)`[^`]+`(?!`)", re.MULTILINE
)


def chapter(name: str):
    return jupytext.read(ROOT / "chapters" / f"{name}.md")


def data_values() -> set[float]:
    """Every number the datasets hold (money, counts, percentages, coordinates)."""
    values = set()
    for name, dataset in load_catalog().items():
        frame = data.load_all(name)
        for column in dataset.columns:
            if column.type in ("float", "int"):
                values.update(float(v) for v in frame[column.name].dropna())
    return values


def test_every_chapter_file_is_listed_in_the_toc():
    on_disk = sorted(path.stem for path in (ROOT / "chapters").glob("*.md"))
    assert on_disk == sorted(CHAPTERS)


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_has_one_parameters_cell_with_a_date_bound(name):
    cells = [c for c in chapter(name).cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    # The default edition is written once, in kztm/edition.py; None stands for it.
    assert re.search(r"^as_of = None$", cells[0].source, re.MULTILINE)


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_reads_no_file_itself(name):
    for cell in chapter(name).cells:
        if cell.cell_type == "code":
            assert not FILE_ACCESS.search(cell.source), f"{name}: load data through kztm.data"


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_text_has_no_hand_typed_data_values(name):
    values = data_values()
    for cell in chapter(name).cells:
        if cell.cell_type != "markdown":
            continue
        prose = ROLES.sub(" ", cell.source)
        typed = [n for n in numbers_in(prose, words=False) if n in values]
        assert not typed, f"{name}: glue {typed} from the data instead of typing it"


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_is_committed_without_outputs(name):
    text = (ROOT / "chapters" / f"{name}.md").read_text(encoding="utf-8")
    assert '"outputs"' not in text
    assert not (ROOT / "chapters" / f"{name}.ipynb").exists()


def test_every_consumer_is_a_chapter():
    for dataset in load_catalog().values():
        assert set(dataset.consumers) <= set(CHAPTERS), dataset.name


def test_the_chapter_template_runs_and_glues_what_it_shows(tmp_path):
    """README's "Adding a chapter" starts from templates/chapter.md and templates/chapter.py: they
    must run as they stand (the module is loaded as kztm.chapters.template, as if copied there)."""
    notebook = jupytext.read(ROOT / "templates" / "chapter.md")
    assert [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    module = ROOT / "templates" / "chapter.py"
    loader = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('kztm.chapters.template', {str(module)!r})\n"
        "sys.modules[spec.name] = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(sys.modules[spec.name])\n"
    )
    notebook.cells.insert(0, nbformat.v4.new_code_cell(loader))
    source = tmp_path / "template.ipynb"
    nbformat.write(notebook, source)
    executed = tmp_path / "executed.ipynb"
    papermill.execute_notebook(
        str(source), str(executed), kernel_name="python3", progress_bar=False, cwd=str(ROOT)
    )
    glued = {
        output["metadata"]["scrapbook"]["name"]
        for cell in nbformat.read(executed, as_version=4).cells
        for output in cell.get("outputs", [])
        if "scrapbook" in output.get("metadata", {})
    }
    assert {"latest_value", "data-note", "fig-template-years", "tbl-template-years"} <= glued
