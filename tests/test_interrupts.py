"""Two builds at once and Ctrl-C leave the published book as it was (issue 15, item 6)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from bookbuild.build import INTERRUPTED, only_build
from bookbuild.project import Project
from tests.conftest import copy_project, run_build

LAST_GOOD = "<p>the last good edition</p>"


def project_with_a_published_book(tmp_path) -> Project:
    project = Project(copy_project(tmp_path / "copy"))
    project.html_dir.mkdir(parents=True)
    (project.html_dir / "index.html").write_text(LAST_GOOD, encoding="utf-8")
    return project


def test_a_second_build_in_the_same_folder_refuses_and_changes_nothing(tmp_path):
    project = project_with_a_published_book(tmp_path)
    with only_build(project):
        result = run_build(project.root)
    assert result.returncode == 1
    assert "another build of this book is running (pid " in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project.build_dir / "work").exists()
    assert not project.executed_dir.exists()
    assert (project.html_dir / "index.html").read_text(encoding="utf-8") == LAST_GOOD


def test_the_lock_goes_with_the_build_that_held_it(tmp_path):
    project = project_with_a_published_book(tmp_path)
    with only_build(project):
        pass
    with only_build(project):
        assert (project.build_dir / "build.lock").read_text(encoding="utf-8").startswith("pid ")


@pytest.mark.book
def test_ctrl_c_stops_every_process_with_one_line_and_keeps_the_book(tmp_path):
    project = project_with_a_published_book(tmp_path)
    environment = {k: v for k, v in os.environ.items() if k != "KZTM_ROOT"}
    build = subprocess.Popen(
        [sys.executable, "-m", "bookbuild", "html", "--root", str(project.root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
        start_new_session=True,
    )
    assert build.stdout is not None
    for line in build.stdout:
        if line.startswith("started"):
            break
    time.sleep(3)  # the chapter's kernel is running
    os.killpg(build.pid, signal.SIGINT)  # as a terminal sends Ctrl-C: to every process of the build
    _, errors = build.communicate(timeout=120)

    assert build.returncode == INTERRUPTED
    assert errors.strip().splitlines()[-1].startswith("build interrupted: the published book"), errors
    assert "Traceback" not in errors
    assert (project.html_dir / "index.html").read_text(encoding="utf-8") == LAST_GOOD
    time.sleep(3)
    left = [p for p in psutil.process_iter(["pid"]) if _session(p) == build.pid]
    assert left == [], f"processes left running: {[p.cmdline() for p in left]}"


def _session(process: psutil.Process) -> int | None:
    try:
        return os.getsid(process.pid)
    except (ProcessLookupError, PermissionError):
        return None
