"""The shape of the code: the library chapters import, the build around it, the ingesters apart."""

from __future__ import annotations

import ast
from pathlib import Path

import jupytext
import pytest

from bookbuild.incremental import BUILD, CHAPTER_MODULES, LIBRARY, chapter_inputs
from bookbuild.project import Project
from kztm.edition import DEFAULT_AS_OF, DEFAULT_TARGET_YEAR
from tests.conftest import ROOT


def imported_packages(module: Path) -> set[str]:
    """Top-level packages a module imports."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("module", sorted(LIBRARY.rglob("*.py")), ids=lambda p: p.name)
def test_the_library_never_imports_the_build_or_the_ingesters(module):
    assert not imported_packages(module) & {"bookbuild", "ingest", "scripts"}


def test_the_layout_check_sees_imports(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import os\nfrom bookbuild.build import main\n", encoding="utf-8")
    assert imported_packages(module) == {"os", "bookbuild"}


@pytest.mark.parametrize("name", Project(ROOT).chapters())
def test_a_chapter_depends_on_the_core_and_its_own_module_and_no_build_module_but_the_executor(name):
    """Editing one chapter's module re-executes that chapter alone."""
    inputs = chapter_inputs(ROOT, name, {})
    core = {f"kztm/{p.name}" for p in LIBRARY.glob("*.py")}
    chapter_modules = {f"kztm/chapters/{p.name}" for p in CHAPTER_MODULES.glob("*.py")}
    build = {f"bookbuild/{p.name}" for p in BUILD.glob("*.py")}
    assert core <= set(inputs)
    assert set(inputs) & chapter_modules == {"kztm/chapters/__init__.py", f"kztm/chapters/{name}.py"}
    assert set(inputs) & build == {"bookbuild/execute.py"}


def test_naming_the_default_edition_re_executes_nothing():
    default = chapter_inputs(ROOT, "trade", {})
    named = chapter_inputs(ROOT, "trade", {"as_of": DEFAULT_AS_OF, "target_year": DEFAULT_TARGET_YEAR})
    assert named == default
    assert chapter_inputs(ROOT, "trade", {"target_year": 2035}) != default


def kztm_modules_imported(source: str) -> set[str]:
    """The core modules of kztm that this code imports (``from kztm import a, b``,
    ``from kztm.a import f``, ``import kztm.a``)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "kztm":
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kztm."):
            names.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            names |= {a.name.split(".")[1] for a in node.names if a.name.startswith("kztm.")}
    return names


def test_build_only_code_is_not_in_the_library():
    """The library is what chapters import (every core module is an input of every chapter);
    code that only the build or the scripts use lives in bookbuild."""
    pending = {"chapters"}
    for chapter in (ROOT / "chapters").glob("*.md"):
        notebook = jupytext.read(chapter)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                pending |= kztm_modules_imported(cell.source)
    reached: set[str] = set()
    while pending:
        name = pending.pop()
        if name in reached:
            continue
        reached.add(name)
        files = [LIBRARY / f"{name}.py"] if name != "chapters" else list(CHAPTER_MODULES.glob("*.py"))
        for path in files:
            if path.is_file():
                pending |= kztm_modules_imported(path.read_text(encoding="utf-8"))
    core = {p.stem for p in LIBRARY.glob("*.py")} - {"__init__"}
    assert not core - reached, f"only the build uses {sorted(core - reached)}: move to bookbuild"
