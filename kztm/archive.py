"""The texts the data quote: the seed articles and the archived passages of independent sources.

A quote proves something only against a text that cannot drift, so both folders are fixed by a
checksum file and every build verifies them before a chapter runs. An archived passage file starts
with a header (``url:``, ``accessed:`` and the other fields of its sources row), a blank line, then
the passages copied verbatim from the page, separated by ``---`` lines; quotes are checked against
the passages only, never against the header we wrote.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from kztm.paths import project_root
from kztm.validate import Problem

# Folders of quoted texts, each with a SHA256SUMS file listing every text in it.
TEXT_FOLDERS = ("seeds", "archive")
CHECKSUMS = "SHA256SUMS"
# Header fields an archived passage must state, as its sources row does.
REQUIRED_HEADER = ("url", "accessed")


@dataclass(frozen=True)
class ArchivedText:
    """An archived page: what we recorded about it and the passages copied from it."""

    header: dict[str, str]
    passages: str


def parse_archived(text: str) -> ArchivedText:
    """Split an archived file into its header fields and its passages (blank header values are
    left out: a field we could not fill is not a value)."""
    head, _, body = text.partition("\n\n")
    header = {}
    for line in head.splitlines():
        name, colon, value = line.partition(":")
        if colon and value.strip():
            header[name.strip()] = value.strip()
    return ArchivedText(header, body)


def quoted_text(relative: str, text: str) -> str:
    """The part of a source file quotes are checked against: a seed whole, an archive's passages."""
    return parse_archived(text).passages if relative.startswith("archive/") else text


def is_text_path(relative: str) -> bool:
    """Whether a sources row's ``path`` names a quoted text (a seed or an archived passage)."""
    folder, _, name = relative.partition("/")
    return folder in TEXT_FOLDERS and name.endswith(".txt") and "/" not in name


def _listed(sums: Path) -> dict[str, str]:
    listed = {}
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition(" ")
        listed[name.strip().lstrip("*")] = digest
    return listed


def _folder_problems(folder: str, directory: Path) -> list[Problem]:
    sums = f"{folder}/{CHECKSUMS}"
    if not (directory / CHECKSUMS).is_file():
        return [Problem(sums, None, None, "exists", None, "the checksum file is missing")]
    listed = _listed(directory / CHECKSUMS)
    present = {path.name for path in directory.glob("*.txt")}
    problems = []
    for name in sorted(present | set(listed)):
        if name not in listed:
            rule, message = "checksum", f"the file is not listed in {sums}"
        elif name not in present:
            rule, message = "exists", f"listed in {sums} but missing"
        elif hashlib.sha256((directory / name).read_bytes()).hexdigest() != listed[name]:
            rule, message = (
                "checksum",
                f"the text differs from its checksum in {sums}: sources are not edited",
            )
        else:
            continue
        problems.append(Problem(f"{folder}/{name}", None, None, rule, None, message))
    return problems


def checksum_problems(root: Path | None = None) -> list[Problem]:
    """Every text that differs from, is missing from, or is absent but listed in its folder's
    checksum file: an edited source would otherwise be published as evidence."""
    root = root or project_root()
    return [
        problem
        for folder in TEXT_FOLDERS
        if (root / folder).is_dir()
        for problem in _folder_problems(folder, root / folder)
    ]
