"""Kernels forked from the build's zygote: a warm start, with the launcher's folder, environment
and streams, and no kernel outliving its launcher."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

from bookbuild.execute import WarmKernelManager
from bookbuild.warm_kernels import zygote

PROBE = "import os, sys\nprint(os.getcwd(), os.environ['KZTM_PROBE'], 'pandas' in sys.modules)"


def test_a_kernel_starts_warm_in_the_folder_and_environment_it_was_started_with(tmp_path, monkeypatch):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PROBE)])
    monkeypatch.setenv("KZTM_PROBE", "probe-42")
    with zygote():
        NotebookClient(
            notebook,
            kernel_manager_class=WarmKernelManager,
            resources={"metadata": {"path": str(tmp_path)}},
        ).execute()
    # pandas already imported before the cell ran: the kernel is a copy of the zygote.
    assert notebook.cells[0].outputs[0]["text"].split() == [str(tmp_path), "probe-42", "True"]


def test_without_a_zygote_a_kernel_starts_cold(tmp_path, monkeypatch):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PROBE)])
    monkeypatch.setenv("KZTM_PROBE", "cold")
    NotebookClient(
        notebook, kernel_manager_class=WarmKernelManager, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    assert notebook.cells[0].outputs[0]["text"].split() == [str(tmp_path), "cold", "False"]


def test_a_kernel_ends_with_its_launcher(tmp_path):
    async def start_then_kill_the_launcher() -> int:
        manager = WarmKernelManager()
        await manager.start_kernel(cwd=str(tmp_path))
        client = manager.client()
        client.start_channels()
        await client.wait_for_ready(timeout=60)
        await client.execute_interactive("import os; open('pid', 'w').write(str(os.getpid()))")
        client.stop_channels()
        manager.provisioner.process.kill()  # type: ignore[union-attr]
        return int(Path(tmp_path / "pid").read_text())

    with zygote(), ThreadPoolExecutor(1) as thread:
        # A thread of its own: an event loop another test left running refuses asyncio.run here.
        kernel = thread.submit(asyncio.run, start_then_kill_the_launcher()).result()
        deadline = time.monotonic() + 10
        while psutil.pid_exists(kernel) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not psutil.pid_exists(kernel), "the kernel outlived its launcher"
