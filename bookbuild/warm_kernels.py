"""Kernels that start warm: forked from one process that has already imported what chapters use.

A chapter's kernel spends three seconds importing pandas, Altair, folium, IPython and the
report's library before its first cell does anything, and a build starts eight of them. So the
build starts one *zygote* (``serve``) that imports all of that once and then forks a kernel for
each chapter. Papermill and nbclient still start and talk to an ordinary Jupyter kernel: the command
they launch (``launch``, a small process that imports nothing heavy) asks the zygote for a kernel
with its own connection file, working folder, environment and standard streams, passes on the
signals it receives (an interrupt, a stop) and ends when the kernel ends. The kernel ends when its
launcher does, however it ends, so none is left behind.

Each kernel is a fresh copy of a process that has run no chapter code: chapters share no state,
and their outputs are the same as from a kernel started cold (the reproducibility tests build
twice and compare).
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kztm.paths import environment_variable

# Where a build's zygote listens; set for the processes that start kernels.
ZYGOTE_ENV = "KZTM_KERNEL_ZYGOTE"
# What every chapter imports, loaded once in the zygote (the report's library is added whole).
PRELOADED = ("pandas", "altair", "folium", "vl_convert", "myst_nb", "ipykernel.kernelapp")
_MESSAGE_BYTES = 1 << 20
_STREAMS = 3


@contextmanager
def zygote(python: str = sys.executable) -> Iterator[None]:
    """Run a zygote for the duration of the block, and have the kernels started in it (by this
    process or by processes it starts) forked from it. The socket lives in a private folder, since
    whoever can connect to it can run code as this user."""
    folder = Path(tempfile.mkdtemp(prefix="kztm-kernels-"))
    address = folder / "zygote.sock"
    # Ctrl-C reaches every process of the terminal's group; the zygote ignores it and is stopped
    # here instead, once the build has stopped what it ran.
    server = subprocess.Popen(
        [python, "-m", "bookbuild.warm_kernels", "serve", str(address)],
        stdin=subprocess.DEVNULL,
        preexec_fn=_ignore_interrupts,
    )
    try:
        while not address.exists():
            if server.poll() is not None:
                raise RuntimeError(f"the kernel zygote stopped at start (exit {server.returncode})")
            time.sleep(0.02)
        with environment_variable(ZYGOTE_ENV, str(address)):
            yield
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(folder, ignore_errors=True)


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def kernel_command(connection_file: str) -> list[str] | None:
    """The command that starts a kernel forked from this build's zygote, if one is running."""
    address = os.environ.get(ZYGOTE_ENV)
    if not address:
        return None
    return [sys.executable, "-m", "bookbuild.warm_kernels", "launch", address, connection_file]


def serve(address: str) -> None:
    """The zygote: listen at ``address``, import what chapters use, then fork a kernel for every
    request until stopped."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(address)
    listener.listen(16)
    for module in PRELOADED:
        importlib.import_module(module)
    import kztm

    for found in pkgutil.iter_modules(kztm.__path__, "kztm."):
        importlib.import_module(found.name)
    # Kernels that ended are reaped at once, so a launcher's check finds them gone.
    signal.signal(signal.SIGCHLD, _reap)
    while True:
        connection, _ = listener.accept()
        message, descriptors, _, _ = socket.recv_fds(connection, _MESSAGE_BYTES, _STREAMS)
        pid = os.fork()
        if pid == 0:
            listener.close()
            _become_kernel(connection, json.loads(message), descriptors)
        for descriptor in descriptors:
            os.close(descriptor)
        connection.send(str(pid).encode())
        connection.close()


def _reap(*_: Any) -> None:
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def _become_kernel(connection: socket.socket, request: dict[str, Any], streams: list[int]) -> None:
    """In the forked child: take the launcher's streams, folder and environment, and run an
    IPython kernel on its connection file; end when the launcher's connection closes."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.setsid()  # as jupyter_client starts kernels: a terminal's Ctrl-C does not reach them
    for number, descriptor in enumerate(streams):
        os.dup2(descriptor, number)
        os.close(descriptor)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    threading.Thread(target=_end_with, args=(connection,), daemon=True).start()
    from ipykernel.kernelapp import IPKernelApp

    # The kernel's parent, as jupyter_client names it (IPython read it when the zygote imported it):
    # without one, a kernel thinks a person started it and prints instructions to the terminal.
    parent = f"--IPKernelApp.parent_handle={request['env'].get('JPY_PARENT_PID') or 1}"
    try:
        IPKernelApp.launch_instance(argv=["-f", request["connection_file"], parent])
    finally:
        os._exit(0)


def _end_with(connection: socket.socket) -> None:
    """Stop this kernel when its launcher is gone (the launcher sends nothing: any return of
    ``recv`` is the connection closing)."""
    try:
        connection.recv(1)
    finally:
        os._exit(1)


def launch(address: str, connection_file: str) -> int:
    """The kernel command: have the zygote fork a kernel for this connection file, pass on
    interrupts and stops, and end when the kernel ends or the process that started this one does."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    connection.connect(address)
    request = {"connection_file": connection_file, "cwd": os.getcwd(), "env": dict(os.environ)}
    socket.send_fds(connection, [json.dumps(request).encode()], list(range(_STREAMS)))
    kernel = int(connection.recv(64))
    parent = os.getppid()

    def pass_on(number: int, _: Any) -> None:
        os.kill(kernel, number)
        if number == signal.SIGTERM:
            sys.exit(0)

    signal.signal(signal.SIGINT, pass_on)
    signal.signal(signal.SIGTERM, pass_on)
    connection.settimeout(0.5)
    while os.getppid() == parent:
        try:
            if not connection.recv(1):
                return 0  # the kernel ended
        except TimeoutError:
            continue
    os.kill(kernel, signal.SIGTERM)
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2])
    else:
        sys.exit(launch(sys.argv[2], sys.argv[3]))
