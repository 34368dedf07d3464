"""The executor: a kernel that fails to start is retried once, then named with its chapter; a cell
that runs too long stops its chapter with the chapter and cell named."""

from __future__ import annotations

import nbformat
import pytest
from nbclient.exceptions import CellTimeoutError

from bookbuild import execute
from bookbuild.execute import ChapterError
from bookbuild.project import BuildError, Project
from tests.conftest import ROOT


class Papermill:
    """Stands in for papermill.execute_notebook: fails to start a kernel ``failures`` times."""

    def __init__(self, failures: int, message: str = "Kernel died before replying to kernel_info"):
        self.failures, self.message, self.calls = failures, message, 0

    def __call__(self, *args: object, **kwargs: object) -> None:
        self.calls += 1
        if self.calls <= self.failures:
            raise RuntimeError(self.message)


def run(monkeypatch, tmp_path, papermill: Papermill) -> None:
    monkeypatch.setattr(execute.papermill, "execute_notebook", papermill)
    execute._execute_with_a_kernel(
        Project(tmp_path), "trade", {}, tmp_path / "in.ipynb", tmp_path / "out.ipynb"
    )


def test_a_kernel_that_dies_at_start_is_started_once_more(monkeypatch, tmp_path):
    papermill = Papermill(failures=1)
    run(monkeypatch, tmp_path, papermill)
    assert papermill.calls == 2


def test_a_kernel_that_never_starts_names_the_chapter(monkeypatch, tmp_path):
    papermill = Papermill(failures=5, message="Kernel didn't respond in 180 seconds")
    with pytest.raises(ChapterError, match=r"chapter trade \(chapters/trade.md\).*did not start"):
        run(monkeypatch, tmp_path, papermill)
    assert papermill.calls == execute.KERNEL_STARTS


def test_other_errors_are_not_retried(monkeypatch, tmp_path):
    papermill = Papermill(failures=1, message="something else")
    with pytest.raises(RuntimeError, match="something else"):
        run(monkeypatch, tmp_path, papermill)
    assert papermill.calls == 1


def test_a_cell_that_runs_too_long_names_its_chapter_and_cell(monkeypatch, tmp_path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "trade.md").write_text(
        (ROOT / "chapters" / "trade.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    cell = nbformat.v4.new_code_cell("import time\ntime.sleep(3600)")

    def hangs(*args: object, **kwargs: object) -> None:
        assert kwargs["execution_timeout"] == 5
        raise CellTimeoutError.error_from_timeout_and_cell("Cell execution timed out", 5, cell)

    monkeypatch.setattr(execute.papermill, "execute_notebook", hangs)
    monkeypatch.setenv(execute.CELL_TIMEOUT_ENV, "5")
    with pytest.raises(ChapterError) as caught:
        execute.execute_chapter(Project(tmp_path), "trade", {}, tmp_path / "trade.ipynb")
    message = str(caught.value)
    assert "chapter trade (chapters/trade.md), code cell [import time]" in message
    assert "still running after 5 s" in message and execute.CELL_TIMEOUT_ENV in message


@pytest.mark.parametrize("value", ["soon", "0", "-3"])
def test_a_timeout_that_is_not_a_number_of_seconds_is_refused(monkeypatch, value):
    monkeypatch.setenv(execute.CELL_TIMEOUT_ENV, value)
    with pytest.raises(BuildError, match=execute.CELL_TIMEOUT_ENV):
        execute.cell_timeout()
