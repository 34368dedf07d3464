"""The executor: a kernel that fails to start is retried once, then named with its chapter."""

from __future__ import annotations

import pytest

from bookbuild import execute
from bookbuild.execute import ChapterError
from bookbuild.project import Project


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
