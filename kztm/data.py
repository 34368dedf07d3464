"""Loading the datasets: validated against the catalog, typed, and ready for a chapter.

Chapters call ``load(name, edition)`` and never read a CSV themselves, so every figure in the book went
through the same checks (schema, sources, quotes) and a malformed file stops the build with an
error that names the file, row and column instead of producing a wrong chart.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

import pandas as pd

from kztm.archive import TEXT_FOLDERS, checksum_problems, is_text_path, parse_archived, quoted_text
from kztm.catalog import Dataset, load_catalog
from kztm.edition import Edition
from kztm.paths import data_dir, project_root
from kztm.reads import note_read
from kztm.validate import DataError, Evidence, Problem, check_rows, parse_number, read_rows

_PANDAS_TYPES = {"text": "string", "source": "string", "quote": "string"}


def _frame(dataset: Dataset, records: list[dict[str, str]]) -> pd.DataFrame:
    """Typed columns: dates as datetimes, numbers as floats, categories with their declared values."""
    frame = pd.DataFrame(records, columns=dataset.column_names)
    for column in dataset.columns:
        values = frame[column.name].replace("", None)
        if column.type == "date":
            frame[column.name] = pd.to_datetime(values, format="%Y-%m-%d")
        elif column.type == "float":
            frame[column.name] = _numbers(values, "float").astype("float64")
        elif column.type == "int":
            frame[column.name] = _numbers(values, "int").astype("Int64")
        elif column.type == "category":
            frame[column.name] = pd.Categorical(values, categories=list(column.values))
        else:
            frame[column.name] = values.astype(_PANDAS_TYPES[column.type])
    return frame


def _numbers(values: pd.Series, kind: str) -> pd.Series:
    """Numbers read exactly as the validator read them (validate.parse_number)."""
    return values.map(lambda text: parse_number(kind, text) if isinstance(text, str) else None)


def _read(dataset: Dataset, evidence: Evidence) -> pd.DataFrame:
    path = data_dir() / dataset.file
    shown = f"data/{dataset.file}"
    if not path.exists():
        raise DataError([Problem(shown, None, None, "exists", None, "the file is missing")])
    note_read(path)
    header, rows = read_rows(path, shown)
    return _frame(dataset, check_rows(dataset, shown, header, rows, evidence))


def _text_problem(index: int, column: str, rule: str, value: object, message: str) -> DataError:
    return DataError([Problem("data/sources.csv", index, column, rule, str(value), message)])


def _evidence(sources: pd.DataFrame) -> tuple[Evidence, tuple[Path, ...]]:
    """Source kinds and the texts we hold (seeds, archived passages), the ground truth every data
    row is checked against, with the texts' paths. An archived passage must name the page and the
    access date its sources row gives, so the file and the bibliography cannot tell two stories."""
    kinds = dict(zip(sources["source_id"], sources["kind"].astype(str), strict=True))
    texts = {}
    paths = []
    for index, row in enumerate(sources.itertuples(), start=1):
        relative = "" if pd.isna(row.path) else str(row.path)
        if row.kind != "seed" and not relative.startswith("archive/"):
            continue
        path = project_root() / relative
        if not is_text_path(relative) or not path.is_file():
            raise _text_problem(
                index,
                "path",
                "text exists",
                row.path,
                "a seed's or archived source's path must name a .txt file under seeds/ or archive/",
            )
        paths.append(path)
        raw = path.read_text(encoding="utf-8")
        if relative.startswith("archive/"):
            header = parse_archived(raw).header
            stated = {
                "url": "" if pd.isna(row.url) else str(row.url),
                "accessed": "" if pd.isna(row.accessed) else f"{row.accessed:%Y-%m-%d}",
            }
            for field, expected in stated.items():
                if header.get(field, "") != expected or not expected:
                    raise _text_problem(
                        index,
                        field,
                        "matches archive",
                        expected,
                        f"{relative} must start with '{field}: {expected}' (it says "
                        f"{header.get(field, 'nothing')!r})",
                    )
        texts[row.source_id] = quoted_text(relative, raw)
    return Evidence(source_kinds=kinds, texts=texts), tuple(paths)


def _texts_signature() -> tuple[tuple[str, int, int], ...]:
    """The held texts as the file system describes them (name, size, modification time): what
    changes when a text is added, removed or edited, found without reading them all again."""
    root = project_root()
    signature = []
    for folder in TEXT_FOLDERS:
        if (root / folder).is_dir():
            for entry in sorted(os.scandir(root / folder), key=lambda found: found.name):
                status = entry.stat()
                signature.append((f"{folder}/{entry.name}", status.st_size, status.st_mtime_ns))
    return tuple(signature)


def current_evidence() -> Evidence:
    """The evidence for the sources table and the texts as they are now, checked once per version
    of them (every loader needs it, and a chapter loads a dozen datasets, some several times)."""
    evidence, paths = _checked_evidence(sources_key(), _texts_signature())
    for path in paths:
        note_read(path)
    return evidence


@lru_cache(maxsize=8)
def _checked_evidence(
    _sources: tuple[str, str, int], _texts: tuple[tuple[str, int, int], ...]
) -> tuple[Evidence, tuple[Path, ...]]:
    return _evidence(load_sources())


def sources_key() -> tuple[str, str, int]:
    """What the sources table's meaning depends on: its path, its content and the catalog's
    version. Loaders and citations cache by it (a chapter asks for the table hundreds of times)."""
    path = data_dir() / "sources.csv"
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    catalog = data_dir() / "catalog.yml"
    return str(path), digest, catalog.stat().st_mtime_ns if catalog.is_file() else 0


def load_sources() -> pd.DataFrame:
    """Every source of the report: the seed articles and all other origins of data."""
    key = sources_key()
    if not key[1]:
        return _read(load_catalog()["sources"], Evidence(source_kinds={}, texts={}))
    note_read(Path(key[0]))
    return _checked_sources(key).copy()


@lru_cache(maxsize=8)
def _checked_sources(_key: tuple[str, str, int]) -> pd.DataFrame:
    """The sources table, read and validated once per content (see sources_key)."""
    return _read(load_catalog()["sources"], Evidence(source_kinds={}, texts={}))


def _check_references(dataset: Dataset, frame: pd.DataFrame) -> None:
    """Values of a column that references another dataset must be in its first key column."""
    problems = []
    for column in dataset.columns:
        if not column.references:
            continue
        target = load_catalog()[column.references]
        known = set(load_all(target.name)[target.key[0]])
        problems += [
            Problem(
                f"data/{dataset.file}",
                row,
                column.name,
                "known reference",
                value,
                f"no {target.key[0]} {value!r} in data/{target.file}",
            )
            for row, value in enumerate(frame[column.name], start=1)
            if pd.notna(value) and value not in known
        ]
    if problems:
        raise DataError(problems)


def load(name: str, edition: Edition) -> pd.DataFrame:
    """A dataset by its catalog name as the edition knows it: the rows a reader on its day could
    know, by the dataset's ``known_from`` rule in the catalog (see ``known_by`` and
    ``known_by_source``). What every chapter loads, so that none can forget the filter."""
    frame = load_all(name)
    rule = load_catalog()[name].known_from
    if rule == "always":
        return frame
    if rule == "source":
        return known_by_source(frame, edition.as_of)
    return known_by(frame, edition.as_of, rule)


def load_all(name: str) -> pd.DataFrame:
    """Every row of a dataset, validated against its contract, its sources and the datasets it
    references: for the build's checks, the bibliography and the tests, not for a chapter."""
    catalog = load_catalog()
    if name not in catalog:
        raise KeyError(f"no dataset {name!r} in data/catalog.yml; known: {', '.join(catalog)}")
    if name == "sources":
        return load_sources()
    files = _files_key(name)
    frame = _checked_dataset(name, files, sources_key(), _texts_signature())
    # What a first load reads, noted on every load: the texts, the file, the ones it references.
    current_evidence()
    for checked, _ in files:
        note_read(data_dir() / catalog[checked].file)
    return frame.copy()


def _files_key(name: str) -> tuple[tuple[str, str], ...]:
    """The contents a dataset's checks depend on: its file and those of the datasets it
    references (and theirs), each by digest."""
    catalog = load_catalog()
    pending, key = [name], {}
    while pending:
        dataset = catalog[pending.pop()]
        if dataset.name in key or dataset.name == "sources":
            continue
        path = data_dir() / dataset.file
        key[dataset.name] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        pending += [column.references for column in dataset.columns if column.references]
    return tuple(sorted(key.items()))


@lru_cache(maxsize=64)
def _checked_dataset(
    name: str,
    _files: tuple[tuple[str, str], ...],
    _sources: tuple[str, str, int],
    _texts: tuple[tuple[str, int, int], ...],
) -> pd.DataFrame:
    """A dataset read and checked once per version of everything its checks depend on (the key
    arguments); callers get copies."""
    dataset = load_catalog()[name]
    frame = _read(dataset, current_evidence())
    _check_references(dataset, frame)
    return frame


def check_all() -> None:
    """Verify the quoted texts against their checksums and load every dataset of the catalog, so a
    build stops on an edited source or bad data before running anything."""
    problems = checksum_problems()
    if problems:
        raise DataError(problems)
    for name in load_catalog():
        load_all(name)


def measure_labels() -> dict[str, str]:
    """indicator_id → what it measures, for tables and charts of indicators."""
    measures = load_all("measures")
    return dict(zip(measures["indicator_id"], measures["label"], strict=True))


def quoted_passages() -> dict[str, list[str]]:
    """Every quote the datasets hold, by the held text (seed or archived page) it comes from: what
    the data covers of each."""
    passages: dict[str, list[str]] = {}
    texts = quoted_texts()
    for name, dataset in load_catalog().items():
        frame = load_all(name)
        for column in dataset.columns:
            if column.type != "quote":
                continue
            for source, quote in zip(frame[column.source], frame[column.name], strict=True):
                if pd.notna(quote) and source in texts:
                    passages.setdefault(source, []).append(str(quote))
    return passages


def known_by(frame: pd.DataFrame, as_of: str, column: str) -> pd.DataFrame:
    """What a reader on ``as_of`` could know: rows dated on or before it in ``column`` (a
    period's end, an event's start), rows whose source was published by then (an undated treaty,
    or a summit announced for a later day: a plan is known once it is published), and undated
    rows of undated sources. A later article's figure for an earlier year stays, since the year
    is what the book is dated by."""
    day = pd.Timestamp(as_of)
    published = frame["source_id"].map(publication_days())
    undated = frame[column].isna() & published.isna()
    keep = undated | (frame[column] <= day) | (published <= day)
    return frame[keep].reset_index(drop=True)


def publication_days() -> pd.Series:
    """Each source's publication day by id: the stated one, else the earliest we infer (NaT for
    an undated source)."""
    sources = load_sources().set_index("source_id")
    return sources["published"].fillna(sources["published_derived"])


def known_by_source(frame: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """Rows whose source was published on or before ``as_of`` (the stated date, else the
    earliest date we infer), plus those of undated sources: what a reader on that day could have
    read. Unlike ``known_by`` it keeps a target for 2030 stated in 2024."""
    when = frame["source_id"].map(publication_days())
    keep = when.isna() | (when <= pd.Timestamp(as_of))
    return frame[keep].reset_index(drop=True)


def quoted_texts() -> dict[str, str]:
    """The words of every source we hold (seed articles whole, archived pages' passages), by id.
    A chapter that shows them depends on every text, which its build records (and requires it to
    consume the sources dataset)."""
    for folder in TEXT_FOLDERS:
        note_read(project_root() / folder)
    return dict(current_evidence().texts)


def seed_ids() -> frozenset[str]:
    """The source ids of the seed articles. A chapter that only asks which of its sources are
    seeds reads the kind of the rows it cites, which its build fingerprints, not the whole
    sources table: adding a source, or editing one it does not cite, leaves it as it was."""
    kinds = current_evidence().source_kinds
    return frozenset(source for source, kind in kinds.items() if kind == "seed")


def seed_texts() -> dict[str, str]:
    """The text of every seed article, by source id."""
    seeds = seed_ids()
    return {source: text for source, text in quoted_texts().items() if source in seeds}
