"""Which chapters must run again, and why.

Jupyter Book's own cache re-executes a notebook only when its code changes, so a chapter shows stale
output after a data file changed. Here a chapter's inputs are fingerprinted: its notebook, the
datasets it consumes (as declared in data/catalog.yml, with the datasets those reference), the
catalog, the rows of the sources table it cites and the texts of those sources (seeds, archived
passages; a chapter that reads the sources table as a dataset depends on all of it), the report's
library (the shared core ``kztm/*.py`` and the chapter's own module ``kztm/chapters/<name>.py``;
``kztm`` is all a chapter may import besides third-party code), the executor that runs it, the
locked environment and the edition its parameters make. A chapter runs when any of them
changed, and the build says which. What a kernel actually reads is also recorded
(``kztm.reads``), and a read outside the declared inputs fails the build, so a missing
declaration cannot hide a stale chapter.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

import jupytext

import bookbuild
import kztm
from kztm.archive import TEXT_FOLDERS
from kztm.bibliography import cited_name
from kztm.catalog import load_catalog
from kztm.data import load_sources
from kztm.edition import Edition, EditionError
from kztm.paths import using_root

ENVIRONMENT_FILES = ("requirements.lock", "package-lock.json", "pyproject.toml")
# Every loader validates against the catalog; maps draw outlines. (The sources table and the quoted
# texts count by the rows a chapter cites: see source_inputs.)
SHARED_DATA = ("data/catalog.yml", "data/country_shapes.geojson")
SOURCES_FILE = "data/sources.csv"
LIBRARY = Path(kztm.__file__).parent
# One module per chapter (kztm/chapters/<name>.py): a chapter depends on its own, not the others'.
CHAPTER_MODULES = LIBRARY / "chapters"
BUILD = Path(bookbuild.__file__).parent
# The one build module that shapes a chapter's executed output (papermill's settings, cell tags).
EXECUTOR = BUILD / "execute.py"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def declared_parameters(chapter: Path) -> set[str]:
    """Names assigned in the chapter's cell tagged ``parameters``."""
    notebook = jupytext.read(chapter)
    names: set[str] = set()
    for cell in notebook.cells:
        if "parameters" in cell.metadata.get("tags", []):
            for node in ast.parse(cell.source).body:
                if isinstance(node, ast.Assign):
                    names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def parameter_problems(chapters: list[Path], params: Mapping[str, Any]) -> list[str]:
    """What is wrong with the parameters given for a build: a name no chapter declares (a typo
    would otherwise be ignored and the book silently built with the default), or a value that
    makes no edition (``kztm.edition`` validates them, where their defaults are written)."""
    declared: set[str] = set()
    for chapter in chapters:
        declared |= declared_parameters(chapter)
    known = ", ".join(sorted(declared))
    problems = [
        f"unknown parameter {name!r}: the chapters declare {known}"
        for name in params
        if name not in declared
    ]
    for name, value in params.items():
        if name in declared:
            try:
                Edition.from_parameters(**{name: value})
            except EditionError as error:
                problems.append(str(error))
    return problems


def chapter_parameters(chapter: Path, params: dict[str, Any]) -> dict[str, Any]:
    """The command-line parameters this chapter declares (the others do not concern it)."""
    declared = declared_parameters(chapter)
    return {name: value for name, value in params.items() if name in declared}


def datasets_read_by(name: str) -> set[str]:
    """Datasets the chapter consumes, with every dataset their columns reference."""
    catalog = load_catalog()
    pending = [d for d, dataset in catalog.items() if name in dataset.consumers]
    closure: set[str] = set()
    while pending:
        dataset = pending.pop()
        if dataset in closure:
            continue
        closure.add(dataset)
        pending += [c.references for c in catalog[dataset].columns if c.references]
    return closure


def chapter_inputs(root: Path, name: str, params: dict[str, Any]) -> dict[str, str]:
    """Fingerprint of everything the chapter's executed output depends on: path → sha256."""
    chapter = root / "chapters" / f"{name}.md"
    datasets = datasets_read_by(name)
    files = [chapter, *(root / f for f in ENVIRONMENT_FILES + SHARED_DATA)]
    files += [root / "data" / load_catalog()[d].file for d in sorted(datasets - {"sources"})]
    files += [*sorted(LIBRARY.glob("*.py")), *chapter_code(name), EXECUTOR]
    inputs = {_label(root, path): _digest(path) for path in files if path.is_file()}
    inputs |= source_inputs(root, chapter, datasets)
    # The edition the chapter's parameters make, defaults filled in: naming the default day
    # explicitly builds the same edition and re-executes nothing.
    edition = asdict(Edition.from_parameters(**chapter_parameters(chapter, params)))
    used = {name: edition[name] for name in sorted(declared_parameters(chapter)) if name in edition}
    inputs["parameters"] = hashlib.sha256(json.dumps(used, sort_keys=True).encode()).hexdigest()
    return inputs


def chapter_code(name: str) -> list[Path]:
    """The chapter's own module in the library, with the package's ``__init__``."""
    return [CHAPTER_MODULES / "__init__.py", CHAPTER_MODULES / f"{name}.py"]


def source_inputs(root: Path, chapter: Path, datasets: set[str]) -> dict[str, str]:
    """The part of the sources table and of the held texts the chapter's output can show.

    A chapter that reads the sources table as a dataset (the bibliography's companions: overview,
    methods) depends on every row and every text. Any other chapter shows only the sources its
    datasets and its own code name, and their texts (the quotes it prints); but a source's label
    ("TuraNews 2024b") depends on every source of the same name, so those rows count too. Adding a
    source, or editing one a chapter does not cite, then re-executes only the chapters that cite it
    (and the ones that list every source). Every loader still reads and checks all rows and texts,
    which the build validates before any chapter runs.
    """
    texts = [path for folder in TEXT_FOLDERS for path in sorted((root / folder).glob("*"))]
    sources_path = root / SOURCES_FILE
    with using_root(root):
        sources = load_sources()
    # Ids are found as words in the data and the chapter; an id that is not one word is not.
    wordy = all(re.fullmatch(r"[\w-]+", source_id) for source_id in sources["source_id"])
    if "sources" in datasets or not wordy:
        files = [sources_path, *texts]
        inputs = {_label(root, path): _digest(path) for path in files if path.is_file()}
        inputs |= {folder: tree_digest(root / folder) for folder in TEXT_FOLDERS}
        return inputs
    catalog = load_catalog()
    code = [path for path in chapter_code(chapter.stem) if path.is_file()]
    mentioned = "".join(path.read_text(encoding="utf-8") for path in [chapter, *code]) + "".join(
        (root / "data" / catalog[d].file).read_text(encoding="utf-8") for d in sorted(datasets)
    )
    names = {
        source_id: cited_name(row)[0] for source_id, row in sources.set_index("source_id").iterrows()
    }
    cited = set(names) & set(re.findall(r"[\w-]+", mentioned))
    same_name = {i for i, name in names.items() if name in {names[c] for c in cited}}
    kept = sources[sources["source_id"].isin(same_name)].to_csv(index=False)
    inputs = {SOURCES_FILE: hashlib.sha256(kept.encode()).hexdigest()}
    held = {str(path) for path in sources.loc[sources["source_id"].isin(cited), "path"].dropna()}
    inputs |= {_label(root, p): _digest(p) for p in texts if _label(root, p) in held}
    return inputs


def _label(root: Path, path: Path) -> str:
    """Project-relative name; a package's module is named as such wherever it is installed."""
    for package in (LIBRARY, BUILD):
        if path.parent == package:
            return f"{package.name}/{path.name}"
    if path.parent == CHAPTER_MODULES:
        return f"{LIBRARY.name}/{CHAPTER_MODULES.name}/{path.name}"
    return str(path.relative_to(root))


def files_digest(files: Mapping[str, Path]) -> str:
    """One fingerprint of named files (names and contents), in the order given."""
    digest = hashlib.sha256()
    for name, path in files.items():
        digest.update(name.encode())
        digest.update(_digest(path).encode())
    return digest.hexdigest()


def tree_digest(folder: Path) -> str:
    """One fingerprint of every file under ``folder`` (names and contents)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return files_digest({str(path.relative_to(folder)): path for path in files})


def book_inputs(root: Path, staged: Path) -> str:
    """Fingerprint of what the HTML build turns into pages: the staged source tree, the locked
    environment and the build package (the Sphinx extension and its templates among it)."""
    parts = [tree_digest(staged)]
    parts += [_digest(root / name) for name in ENVIRONMENT_FILES if (root / name).is_file()]
    code = sorted([*BUILD.glob("*.py"), *BUILD.glob("*.cjs")])
    parts.append(files_digest({p.name: p for p in code}))
    parts.append(tree_digest(BUILD / "templates"))
    return hashlib.sha256(":".join(parts).encode()).hexdigest()


def stamp_path(executed: Path) -> Path:
    return executed.with_suffix(".inputs.json")


def reasons_to_run(executed: Path, inputs: dict[str, str]) -> list[str]:
    """Why the chapter must run: every input that changed since its last run; [] if none."""
    stamp = stamp_path(executed)
    if not executed.is_file() or not stamp.is_file():
        return ["not executed before"]
    previous = json.loads(stamp.read_text(encoding="utf-8"))
    changed = [key for key in inputs if previous.get(key) != inputs[key]]
    changed += [key for key in previous if key not in inputs]
    return _summarised(sorted(changed))


# More changed files than this in one folder are counted, not listed (a newly archived batch of
# sources would otherwise print a hundred lines per chapter).
_LISTED_PER_FOLDER = 3


def _summarised(changed: list[str]) -> list[str]:
    by_folder: dict[str, list[str]] = {}
    for key in changed:
        by_folder.setdefault(key.rpartition("/")[0], []).append(key)
    reasons = []
    for folder, keys in by_folder.items():
        if folder and len(keys) > _LISTED_PER_FOLDER:
            reasons.append(f"{len(keys)} files in {folder}/ changed")
        else:
            reasons += [f"{key} changed" for key in keys]
    return reasons


def record(executed: Path, inputs: dict[str, str]) -> None:
    """Remember the inputs of a successful run."""
    stamp_path(executed).write_text(json.dumps(inputs, indent=1, sort_keys=True), encoding="utf-8")


def undeclared_reads(root: Path, log: Path, inputs: dict[str, str]) -> list[str]:
    """Files the kernel read that the chapter's fingerprint does not cover, each with the chapter's
    line that read it when known. Each held text is read by every loader, to check quotes, and
    counts only if cited (see source_inputs); a read of a whole text folder
    (``kztm.data.quoted_texts``: every text) needs the sources dataset."""
    if not log.is_file():
        return []
    base = root.resolve()
    found: dict[str, str] = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        path, _, where = line.partition("\t")
        if path and Path(path).is_relative_to(base):
            label = str(Path(path).relative_to(base))
            if where or label not in found:
                found[label] = where
    return [
        f"{label} ({where})" if where else label
        for label, where in sorted(found.items())
        if label not in inputs and not _checked_text(label)
    ]


def _checked_text(label: str) -> bool:
    folder, _, name = label.partition("/")
    return folder in TEXT_FOLDERS and bool(name)
