"""The code base stays ruff-clean and type-checked, so a slip fails CI rather than review."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def tool(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", name, *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return tool("ruff", *args)


def test_ruff_check_passes():
    result = ruff("check", ".")
    assert result.returncode == 0, result.stdout


def test_ruff_format_is_applied():
    result = ruff("format", "--check", ".")
    assert result.returncode == 0, result.stdout


def test_mypy_finds_no_type_errors():
    """The packages and scripts listed under [tool.mypy] in pyproject.toml."""
    result = tool("mypy")
    assert result.returncode == 0, result.stdout
