"""Checking a CSV file against its catalog entry, with errors a person can act on.

Every problem names the file, the row, the column, the rule and the offending value, because the
person who sees it is an analyst who just edited a spreadsheet, not someone reading a traceback.
All problems of a file are reported at once so that one edit can fix them all.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kztm.catalog import Column, Dataset
from kztm.provenance import quote_in_text, value_in_quote

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = {
    "int": re.compile(r"-?(0|[1-9][0-9]*)", re.ASCII),
    "float": re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?", re.ASCII),
}


def parse_number(kind: str, text: str) -> int | float:
    """The one reading of a number cell, shared by the validator and the loaders: a plain decimal
    as the sources print it. Python's int() and float() also take "5_63", full-width digits and
    "1e3", which pandas then refuses, and "01", which made two equal keys look different; "-0"
    is no quantity, only a typo."""
    if not _NUMBER[kind].fullmatch(text):
        raise ValueError("not a plain number (ASCII digits, a leading minus and a decimal point only)")
    number = int(text) if kind == "int" else float(text)
    if number == 0 and text.startswith("-"):
        raise ValueError("a zero has no sign: write 0")
    return number


def positive_setting(name: str, default: float, kind: str = "float") -> float:
    """A limit a person may change for one run (``KZTM_MAX_DATASET_MB=20 make book``): the
    environment variable ``name`` as a plain number above zero, else ``default``. A value that is
    no such number is refused rather than read as no limit at all."""
    configured = os.environ.get(name, "")
    if not configured:
        return default
    try:
        value = parse_number(kind, configured)
    except ValueError:
        value = 0
    if value <= 0:
        raise ValueError(f"expected a {'whole ' if kind == 'int' else ''}number above zero")
    return value


_MAX_REPORTED = 25


@dataclass(frozen=True)
class Problem:
    """One broken rule at one place of one file. Row 0 is the header; row 1 the first data row."""

    file: str
    row: int | None
    column: str | None
    rule: str
    value: str | None
    detail: str

    def __str__(self) -> str:
        place = [self.file]
        if self.row is not None:
            place.append("header" if self.row == 0 else f"row {self.row}")
        if self.column is not None:
            place.append(f"column {self.column}")
        shown = "" if self.value is None else f" value {_shorten(self.value)!r}"
        return f"{', '.join(place)}: rule '{self.rule}' broken by{shown or ' the file'}: {self.detail}"


class DataError(ValueError):
    """A dataset breaks its contract; nothing may be built from it."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        lines = [str(p) for p in self.problems[:_MAX_REPORTED]]
        if len(self.problems) > _MAX_REPORTED:
            lines.append(f"... and {len(self.problems) - _MAX_REPORTED} more problems")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Evidence:
    """What rows are checked against: the known sources and, for those we hold the words of (the
    seeds and the archived passages), their text."""

    source_kinds: Mapping[str, str]
    texts: Mapping[str, str]


def _shorten(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


MB = 1_000_000
MAX_DATASET_MB_ENV = "KZTM_MAX_DATASET_MB"
MAX_DATASET_ROWS_ENV = "KZTM_MAX_DATASET_ROWS"
# Datasets are typed from quoted sources: the largest holds about 300 rows in 100 kB. A chart takes
# at most 5000 rows (Altair's default, beyond which it raises MaxRowsError deep in a chapter), and
# 5000 rows of the widest files (two quotes a row, about 1 kB) come to about 5 MB.
DEFAULT_MAX_DATASET_MB = 5.0
DEFAULT_MAX_DATASET_ROWS = 5000


def _dataset_limit(name: str, default: float, kind: str) -> float:
    """A dataset limit from the environment; a setting that is no number is reported as the data
    problems are, in one line, since it stops the same check."""
    try:
        return positive_setting(name, default, kind)
    except ValueError as error:
        value = os.environ.get(name, "")
        raise DataError([Problem(name, None, None, "setting", value, str(error))]) from None


def _refuse_oversized(path: Path, shown: str) -> None:
    """Refuse a file over the size limit before reading it: a 52 MB table took 11 s to validate,
    then failed inside a chart."""
    limit = _dataset_limit(MAX_DATASET_MB_ENV, DEFAULT_MAX_DATASET_MB, "float")
    size = path.stat().st_size
    if size > limit * MB:
        detail = f"it is {size / MB:.3g} MB, over the limit (set {MAX_DATASET_MB_ENV} to change it)"
        raise DataError([Problem(shown, None, None, f"max {limit:g} MB", None, detail)])


def _refuse_too_many_rows(shown: str, rows: int) -> None:
    """Refuse a table longer than a chart can take before checking its rows one by one."""
    limit = _dataset_limit(MAX_DATASET_ROWS_ENV, DEFAULT_MAX_DATASET_ROWS, "int")
    if rows > limit:
        detail = (
            f"it has {rows} data rows, more than a chart can draw (Altair stops at 5000): "
            f"summarise the data first, or set {MAX_DATASET_ROWS_ENV}"
        )
        raise DataError([Problem(shown, None, None, f"max {limit:g} rows", None, detail)])


def read_rows(path: Path, shown: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV file; accepts a UTF-8 BOM and CRLF line ends, refuses other
    encodings, and files over the size and row limits."""
    _refuse_oversized(path, shown)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start : error.start + 1].hex()
        raise DataError(
            [Problem(shown, line - 1, None, "encoding", f"0x{byte}", "the file must be UTF-8")]
        ) from None
    if not text.strip():
        raise DataError([Problem(shown, None, None, "not empty", None, "the file is empty")])
    records = list(csv.reader(io.StringIO(text, newline="")))
    _refuse_too_many_rows(shown, len(records) - 1)
    return [name.strip() for name in records[0]], records[1:]


def _check_cell(column: Column, text: str) -> tuple[str, str] | None:
    """Which rule this cell breaks and why, or None when it is fine."""
    if text == "":
        return ("required", "the column needs a value") if column.required else None
    if text != text.strip():
        return ("no padding", "remove the spaces around the value")
    if column.type == "date":
        if not _DATE.fullmatch(text):
            return ("date", "expected YYYY-MM-DD")
        try:
            date.fromisoformat(text)
        except ValueError:
            return ("date", "not a calendar date")
    if column.type in ("float", "int"):
        try:
            number = parse_number(column.type, text)
        except ValueError as error:
            return (column.type, str(error))
        if column.min is not None and number < column.min:
            return (f"min {column.min:g}", "below the minimum")
        if column.max is not None and number > column.max:
            return (f"max {column.max:g}", "above the maximum")
    if column.type == "category" and text not in column.values:
        return ("values", f"must be one of {', '.join(column.values)}")
    if column.format == "url":
        problem = url_problem(text)
        if problem:
            return ("url", problem)
    return None


WEB_SCHEMES = ("http", "https")


def url_problem(text: str) -> str | None:
    """Why ``text`` is not a web address the book may link to, or None: only http and https with
    a host (a ``javascript:`` or ``data:`` address would run or carry content in a reader's
    browser; a mistyped one would be published as a dead link)."""
    parts = urlsplit(text)
    if parts.scheme not in WEB_SCHEMES:
        return f"expected an http or https address, not scheme {parts.scheme or 'none'!r}"
    if not parts.hostname or any(character.isspace() for character in text):
        return "expected an address with a host and no spaces"
    return None


def _typed(column: Column, text: str) -> object:
    """A key cell as the value it stands for, so that keys are compared as the loader reads them."""
    if column.type in ("float", "int"):
        try:
            return parse_number(column.type, text)
        except ValueError:
            return text
    return text


def _check_header(dataset: Dataset, shown: str, header: list[str]) -> list[Problem]:
    expected = dataset.column_names
    problems = [
        Problem(shown, 0, name, "known columns", name, "the catalog does not describe this column")
        for name in header
        if name not in expected
    ]
    problems += [
        Problem(shown, 0, name, "required columns", None, "the column is missing")
        for name in expected
        if name not in header
    ]
    duplicated = {name for name in header if header.count(name) > 1}
    problems += [
        Problem(shown, 0, name, "unique columns", name, "the column appears twice")
        for name in sorted(duplicated)
    ]
    return problems


def _check_provenance(
    dataset: Dataset, shown: str, index: int, record: dict[str, str], evidence: Evidence
) -> list[Problem]:
    """Sources must be known; a row citing a text we hold (a seed, an archived passage) must quote
    it verbatim, and the quote must hold the row's values."""
    problems = []
    for column in dataset.columns:
        value = record[column.name]
        if column.type == "source" and value and value not in evidence.source_kinds:
            problems.append(
                Problem(
                    shown, index, column.name, "known source", value, "no such source_id in sources.csv"
                )
            )
    for column in dataset.columns:
        if column.type != "quote":
            continue
        source, quote = record.get(column.source, ""), record[column.name]
        if source not in evidence.texts:
            continue
        if not quote:
            problems.append(
                Problem(
                    shown, index, column.name, "quoted", None, f"a row from {source} needs its quote"
                )
            )
        elif not quote_in_text(quote, evidence.texts[source]):
            problems.append(
                Problem(
                    shown,
                    index,
                    column.name,
                    "quote in source",
                    quote,
                    f"not found verbatim in {source}",
                )
            )
        elif column.name == "quote":
            problems += [
                Problem(
                    shown,
                    index,
                    name,
                    "value in quote",
                    record[name],
                    "the number does not appear in the row's quote",
                )
                for name in dataset.quoted_values
                if record[name] and not value_in_quote(float(record[name]), quote)
            ]
    return problems


def check_rows(
    dataset: Dataset, shown: str, header: list[str], rows: list[list[str]], evidence: Evidence
) -> list[dict[str, str]]:
    """The rows as column → text mappings, or a DataError listing every broken rule."""
    problems = _check_header(dataset, shown, header)
    if problems:
        raise DataError(problems)
    if not rows:
        raise DataError([Problem(shown, None, None, "has rows", None, "the file has no data rows")])
    records: list[dict[str, Any]] = []
    seen_keys: dict[tuple[Any, ...], int] = {}
    columns = dataset.columns
    by_name = {column.name: column for column in columns}
    for index, row in enumerate(rows, start=1):
        if len(row) != len(header):
            problems.append(
                Problem(
                    shown,
                    index,
                    None,
                    "row width",
                    ",".join(row),
                    f"expected {len(header)} cells, found {len(row)}",
                )
            )
            continue
        record = dict(zip(header, row, strict=True))
        cell_problems = []
        for column in columns:
            broken = _check_cell(column, record[column.name])
            if broken:
                rule, detail = broken
                cell_problems.append(
                    Problem(shown, index, column.name, rule, record[column.name], detail)
                )
        problems += cell_problems
        if cell_problems:
            continue
        if dataset.period:
            start, end = dataset.period
            if record[start] and record[end] and record[start] > record[end]:
                problems.append(
                    Problem(
                        shown,
                        index,
                        end,
                        "period order",
                        record[end],
                        f"{end} is before {start} ({record[start]})",
                    )
                )
        if dataset.key:
            key = tuple(_typed(by_name[name], record[name]) for name in dataset.key)
            if key in seen_keys:
                problems.append(
                    Problem(
                        shown,
                        index,
                        ",".join(dataset.key),
                        "unique key",
                        ",".join(record[name] for name in dataset.key),
                        f"row {seen_keys[key]} has the same key",
                    )
                )
            seen_keys.setdefault(key, index)
        problems += _check_provenance(dataset, shown, index, record, evidence)
        records.append(record)
    if problems:
        raise DataError(problems)
    return records
