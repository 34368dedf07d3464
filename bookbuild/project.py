"""The project a build reads from and writes to, and the error every build step raises."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

PDF_NAME = "astana-ashgabat.pdf"
# What Jupyter Book is given besides the executed chapters.
BOOK_FILES = ("_config.yml", "_toc.yml", "intro.md", "bibliography.md", "colophon.md")
BOOK_FOLDERS = ("_static", "data", "seeds", "archive")


class BuildError(RuntimeError):
    """A step of the build failed; the message says which and why, for the person running it."""


@dataclass(frozen=True)
class Project:
    """Where a build reads from and writes to."""

    root: Path

    @property
    def build_dir(self) -> Path:
        return self.root / "_build"

    @property
    def html_dir(self) -> Path:
        """The published HTML book; replaced only by a complete, successful build."""
        return self.build_dir / "html"

    @property
    def executed_dir(self) -> Path:
        return self.build_dir / "executed"

    @property
    def pdf_path(self) -> Path:
        """The published PDF edition; replaced only by a complete, successful PDF build."""
        return self.build_dir / "pdf" / PDF_NAME

    def chapters(self) -> list[str]:
        """Chapter names (file stems under chapters/) in the order of _toc.yml."""
        toc = yaml.safe_load((self.root / "_toc.yml").read_text(encoding="utf-8"))
        files = [
            entry["file"]
            for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}])
            for entry in part["chapters"]
        ]
        return [Path(f).name for f in files if f.startswith("chapters/")]

    def copy_sources(self, destination: Path) -> Project:
        """A buildable copy of the book's sources at ``destination``, without anything built;
        node_modules is linked, not copied. The tests break such copies; the benchmark times them."""
        destination.mkdir(parents=True, exist_ok=True)
        for name in BOOK_FILES:
            shutil.copy2(self.root / name, destination / name)
        for name in (*BOOK_FOLDERS, "chapters"):
            shutil.copytree(
                self.root / name, destination / name, ignore=shutil.ignore_patterns("*.ipynb")
            )
        (destination / "node_modules").symlink_to((self.root / "node_modules").resolve())
        return Project(destination)
