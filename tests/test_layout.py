"""The shape of the code: the library chapters import, the build around it, the ingesters apart."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from bookbuild.incremental import BUILD, LIBRARY, chapter_inputs
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


@pytest.mark.parametrize("module", sorted(LIBRARY.glob("*.py")), ids=lambda p: p.name)
def test_the_library_never_imports_the_build_or_the_ingesters(module):
    assert not imported_packages(module) & {"bookbuild", "ingest", "scripts"}


def test_the_layout_check_sees_imports(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import os\nfrom bookbuild.build import main\n", encoding="utf-8")
    assert imported_packages(module) == {"os", "bookbuild"}


def test_a_chapter_depends_on_the_whole_library_and_on_no_build_module_but_the_executor():
    inputs = chapter_inputs(ROOT, "trade", {})
    library = {f"kztm/{p.name}" for p in LIBRARY.glob("*.py")}
    build = {f"bookbuild/{p.name}" for p in BUILD.glob("*.py")}
    assert library <= set(inputs)
    assert set(inputs) & build == {"bookbuild/execute.py"}


def test_importing_the_library_changes_no_global_state():
    """Altair's theme and renderer change only when a chart is glued (``charts.enable``)."""
    probe = (
        "import altair as alt\n"
        "before = (alt.theme.active, alt.renderers.active)\n"
        "import kztm.prose, kztm.tables, kztm.maps, kztm.findings, kztm.trade\n"
        "assert (alt.theme.active, alt.renderers.active) == before, alt.renderers.active\n"
        "kztm.charts.enable()\n"
        "assert alt.renderers.active == 'kztm'\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
