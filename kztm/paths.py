"""Where the project's inputs live.

The build runs chapters against a project tree that is not always the one this package was installed
from (the tests build copies of the project with one defect each), so the root can be pointed elsewhere
with the ``KZTM_ROOT`` environment variable, which the build sets for the kernels it starts. Without
it, a chapter opened in Jupyter reads the project it sits in (the nearest folder above the working
directory with a ``data/catalog.yml``), and only then the checkout the package was installed from.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

ROOT_ENV = "KZTM_ROOT"


CATALOG = Path("data") / "catalog.yml"


def project_root() -> Path:
    """The project tree whose data the current process reads."""
    configured = os.environ.get(ROOT_ENV)
    if configured:
        return Path(configured).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / CATALOG).is_file():
            return folder
    return Path(__file__).resolve().parents[1]


def data_dir() -> Path:
    """Folder of the tidy datasets and their catalog."""
    return project_root() / "data"


@contextmanager
def environment_variable(name: str, value: str) -> Iterator[None]:
    """Set an environment variable for this block; kernels started in it inherit it."""
    previous = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous


def using_root(root: Path) -> AbstractContextManager[None]:
    """Read from ``root`` inside this block, and so do kernels started in it."""
    return environment_variable(ROOT_ENV, str(root))
