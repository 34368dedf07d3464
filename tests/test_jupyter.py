"""A chapter opened in Jupyter (not built): it reads the project it sits in, and its outputs show
in the notebook, since the book's glue placeholders do not exist there (issue 15, item 11)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jupytext
import papermill
import pytest

from tests.conftest import copy_project
from tests.test_incremental import NEW_ROW, OFFICIAL

WITHOUT_BUILD = {k: v for k, v in os.environ.items() if k not in ("KZTM_ROOT", "KZTM_READS_LOG")}


def test_a_chapter_reads_the_project_it_sits_in(tmp_path):
    root = copy_project(tmp_path / "copy")
    probe = "from kztm.paths import project_root; print(project_root())"
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=root / "chapters",
        env=WITHOUT_BUILD,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(result.stdout.strip()) == root.resolve()


@pytest.mark.book
def test_a_chapter_run_in_jupyter_shows_its_figures_and_text_from_its_own_data(tmp_path, monkeypatch):
    root = copy_project(tmp_path / "copy")
    (root / "data" / "sources.csv").write_text(
        (root / "data" / "sources.csv").read_text(encoding="utf-8") + OFFICIAL, encoding="utf-8"
    )
    (root / "data" / "trade.csv").write_text(
        (root / "data" / "trade.csv").read_text(encoding="utf-8") + NEW_ROW, encoding="utf-8"
    )
    notebook = root / "chapters" / "trade.ipynb"
    jupytext.write(jupytext.read(root / "chapters" / "trade.md"), notebook)
    monkeypatch.delenv("KZTM_ROOT", raising=False)
    monkeypatch.delenv("KZTM_READS_LOG", raising=False)

    executed = papermill.execute_notebook(
        str(notebook),
        str(notebook),
        kernel_name="python3",
        cwd=str(root / "chapters"),
        progress_bar=False,
    )

    shown = [
        o
        for cell in executed.cells
        for o in cell.get("outputs", [])
        if o["output_type"] == "display_data"
    ]
    pictures = [o for o in shown if "image/png" in o["data"] and "text/html" not in o["data"]]
    texts = " ".join(o["data"].get("text/markdown", "") + o["data"].get("text/plain", "") for o in shown)
    assert len(pictures) >= 3, "every chart shows as a picture"
    assert "612.3" in texts, "the notebook read the data of the copy it sits in"
