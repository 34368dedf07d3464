"""The data catalog: one description of every dataset, read by people and enforced by the loaders.

Keeping the schema in ``data/catalog.yml`` rather than in code means an analyst who adds a column or
an allowed value changes one documented file, and the book's catalog table and the validation can
never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kztm.paths import data_dir

COLUMN_TYPES = ("text", "date", "float", "int", "category", "source", "quote")
# How an edition filters a dataset, besides by one of its date columns (see kztm.data.load):
# by the publication day of each row's source, or not at all (reference data and the registers
# that describe the whole corpus in every edition).
KNOWN_FROM = ("source", "always")


@dataclass(frozen=True)
class Column:
    """One column's contract."""

    name: str
    type: str
    description: str = ""
    required: bool = True
    min: float | None = None
    max: float | None = None
    values: tuple[str, ...] = ()
    source: str = "source_id"
    references: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    # "url": a web address a reader may follow (http or https only; see validate.url_problem).
    format: str = ""

    def label(self, code: object) -> str:
        """The reader-facing label of a category code: the catalog's, or the code in words."""
        text = str(code)
        return self.labels.get(text) or text.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Dataset:
    """One dataset's contract and its documentation."""

    name: str
    file: str
    title: str
    unit: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    period: tuple[str, str] | None = None
    known_from: str = ""
    quoted_values: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    consumers: tuple[str, ...] = ()
    license: str = ""
    retrieved: str = ""

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


class CatalogError(ValueError):
    """The catalog itself is malformed; raised before any dataset is read."""


def _column(dataset: str, name: str, spec: dict[str, Any]) -> Column:
    kind = spec.get("type")
    if kind not in COLUMN_TYPES:
        raise CatalogError(
            f"data/catalog.yml, dataset {dataset}, column {name}: type {kind!r} "
            f"is not one of {', '.join(COLUMN_TYPES)}"
        )
    if kind == "category" and not spec.get("values"):
        raise CatalogError(
            f"data/catalog.yml, dataset {dataset}, column {name}: a category needs values"
        )
    values = spec.get("values", ())
    # A category's values are a list of codes, or a mapping of each code to its label.
    labels = {str(k): str(v) for k, v in values.items()} if isinstance(values, dict) else {}
    return Column(
        name=name,
        type=kind,
        description=spec.get("description", ""),
        required=spec.get("required", True),
        min=spec.get("min"),
        max=spec.get("max"),
        values=tuple(str(v) for v in values),
        labels=labels,
        source=spec.get("source", "source_id"),
        references=spec.get("references"),
        format=_format(dataset, name, spec.get("format", "")),
    )


COLUMN_FORMATS = ("", "url")


def _format(dataset: str, name: str, value: str) -> str:
    if value not in COLUMN_FORMATS:
        raise CatalogError(
            f"data/catalog.yml, dataset {dataset}, column {name}: format {value!r} is not one of "
            f"{', '.join(f for f in COLUMN_FORMATS if f)}"
        )
    return value


def _dataset(name: str, spec: dict[str, Any]) -> Dataset:
    columns = tuple(_column(name, col, col_spec) for col, col_spec in spec["columns"].items())
    known = {column.name for column in columns}
    referenced = [
        *spec.get("key", ()),
        *spec.get("period", ()),
        *spec.get("quoted_values", ()),
        *(column.source for column in columns if column.type == "quote"),
    ]
    unknown = [col for col in referenced if col not in known]
    if unknown:
        raise CatalogError(f"data/catalog.yml, dataset {name}: rules name unknown columns {unknown}")
    if spec.get("file") != f"{name}.csv":
        raise CatalogError(
            f"data/catalog.yml, dataset {name}: file must be {name}.csv "
            "(one name for a dataset, its file and its loader)"
        )
    period = spec.get("period")
    known_from = str(spec.get("known_from", ""))
    dates = {column.name for column in columns if column.type == "date"}
    if known_from not in {*KNOWN_FROM, *dates}:
        raise CatalogError(
            f"data/catalog.yml, dataset {name}: known_from {known_from or 'is missing'}: it must "
            f"be one of the dataset's date columns ({', '.join(sorted(dates)) or 'none'}) or "
            f"one of {', '.join(KNOWN_FROM)}"
        )
    if known_from == "source" and "source_id" not in known:
        raise CatalogError(
            f"data/catalog.yml, dataset {name}: known_from source needs a source_id column"
        )
    return Dataset(
        name=name,
        file=spec["file"],
        title=spec.get("title", name),
        unit=spec.get("unit", ""),
        description=" ".join(spec.get("description", "").split()),
        columns=columns,
        key=tuple(spec.get("key", ())),
        period=(period[0], period[1]) if period else None,
        known_from=known_from,
        quoted_values=tuple(spec.get("quoted_values", ())),
        sources=tuple(spec.get("sources", ())),
        consumers=tuple(spec.get("consumers", ())),
        license=spec.get("license", ""),
        retrieved=str(spec.get("retrieved", "")),
    )


def load_catalog(path: Path | None = None) -> dict[str, Dataset]:
    """Every dataset's contract, keyed by dataset name (also its file stem and loader suffix)."""
    path = path or data_dir() / "catalog.yml"
    return dict(_parsed(str(path), path.stat().st_mtime_ns))


@lru_cache(maxsize=8)
def _parsed(path: str, _mtime_ns: int) -> dict[str, Dataset]:
    """The parsed catalog, cached until the file changes (every loader reads it). A YAML syntax
    error is one line naming the file, the line and the cause, not a parser traceback."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        cause = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise CatalogError(f"data/catalog.yml{where}: not valid YAML ({cause})") from None
    return {name: _dataset(name, spec) for name, spec in raw.items()}


def category_labels(dataset: str, column: str) -> dict[str, str]:
    """Every code of a category column with its reader-facing label, in the catalog's order."""
    spec = next(c for c in load_catalog()[dataset].columns if c.name == column)
    return {code: spec.label(code) for code in spec.values}
