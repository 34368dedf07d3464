"""Ingesting UN Comtrade totals into data/trade.csv.

Comtrade publishes what each country reports. Kazakhstan's report of its trade with Turkmenistan
and Turkmenistan's report of the same trade (its mirror) differ (valuation, timing, coverage), so
each reporter becomes its own source and its rows stay apart: nothing is summed or averaged.
Flows are stored from Kazakhstan's side, as everywhere in the data: Turkmenistan's exports to
Kazakhstan are Kazakh imports.

An export holds much more than the totals: the same trade again by mode of transport, customs
procedure, second partner and commodity, re-exports, and months beside years. Only the total is a
figure of the trade; a breakdown read as one understates it (rail alone is not the trade) and a
month beside a year mixes kinds of period. So a row is kept only if it is the total on every
dimension (all commodities, exports or imports, all modes of transport, customs total, second
partner World, the frequency asked for), every other row is skipped and counted by reason, and an
export without a total is refused rather than read as one.

Two column layouts are read, each mapped onto one record by a column map chosen from the header:
the API's and the Comtrade+ portal's (``primaryValue`` ...), which is also what the official
client (``comtradeapicall``) returns as a DataFrame, saved with its index or passed in memory; and
the legacy comtrade.un.org download (``Trade Value (US$)`` ...). Countries are known by ISO code or,
where an export has none, by M49 code. Files are UTF-8 or, as Excel on Windows saved the legacy
downloads, Windows-1252. What cannot be read is refused in one line that names the export and,
where there is one, its line and column (a total without a value, two totals of one reporter, flow
and period), before anything is written. Then the updated files are validated in a scratch copy of
data/ and replace the real ones only if every rule holds.
"""

from __future__ import annotations

import calendar
import csv
import io
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import Literal

import pandas as pd

from kztm.archive import TEXT_FOLDERS
from kztm.data import check_all
from kztm.paths import using_root

Frequency = Literal["A", "M"]
PAIR = {"KAZ", "TKM"}
# M49 codes, for exports that carry no ISO codes.
COUNTRIES = {"398": "KAZ", "795": "TKM"}
WORLD = {"W00", "WLD"}  # the API's and the legacy layout's ISO code for partner World
# (reporter, Comtrade flow) -> flow seen from Kazakhstan
FLOWS = {
    ("KAZ", "X"): "kz_exports",
    ("KAZ", "M"): "kz_imports",
    ("TKM", "X"): "kz_imports",
    ("TKM", "M"): "kz_exports",
}
REPORTERS = {"KAZ": "Kazakhstan", "TKM": "Turkmenistan"}
TRADE_COLUMNS = [
    "period_start", "period_end", "flow", "value_usd_m", "qualifier", "source_id", "reporter", "quote",
    "note",
]  # fmt: skip
MILLION = Decimal(1_000_000)
THOUSANDTH = Decimal("0.001")


class ComtradeError(ValueError):
    """The export cannot be read as Comtrade totals; says which file, line and column, and why."""


class Skip(Enum):
    """Why an export row is not a Kazakhstan–Turkmenistan total, as (one, several) in the summary."""

    OTHER_PARTNER = ("other partner", "other partners")
    MONTHLY = ("monthly figure", "monthly figures")
    ANNUAL = ("annual figure", "annual figures")
    COMMODITY = ("breakdown by commodity", "breakdowns by commodity")
    RE_EXPORT = ("re-export", "re-exports")
    RE_IMPORT = ("re-import", "re-imports")
    OTHER_FLOW = ("other flow", "other flows")
    TRANSPORT = ("breakdown by mode of transport", "breakdowns by mode of transport")
    CUSTOMS = ("breakdown by customs procedure", "breakdowns by customs procedure")
    SECOND_PARTNER = ("breakdown by second partner", "breakdowns by second partner")
    SUPPLY = ("breakdown by mode of supply", "breakdowns by mode of supply")
    PERIOD = ("unreadable period", "unreadable periods")

    def count(self, number: int) -> str:
        return f"{number} {self.value[number != 1]}"


BREAKDOWNS = {Skip.TRANSPORT, Skip.CUSTOMS, Skip.SECOND_PARTNER, Skip.SUPPLY}


@dataclass(frozen=True)
class Layout:
    """How one kind of export names the fields a total is recognised by. A field the export lacks
    is empty in its rows; for the breakdown fields that means the total, as in exports made before
    Comtrade broke trade down by them."""

    name: str
    columns: Mapping[str, str]  # field of ExportRow -> column, as the layout spells it
    required: tuple[tuple[str, ...], ...]  # each group is satisfied by any one of its fields
    flows: Mapping[str, str]  # the layout's flow codes -> the API's


API = Layout(
    name="API and portal",
    columns={
        "year": "refYear", "period": "period", "frequency": "freqCode",
        "reporter_code": "reporterCode", "reporter_iso": "reporterISO",
        "partner_code": "partnerCode", "partner_iso": "partnerISO",
        "partner2_code": "partner2Code", "partner2_iso": "partner2ISO", "flow": "flowCode",
        "commodity": "cmdCode", "customs": "customsCode", "transport": "motCode",
        "supply": "mosCode", "value": "primaryValue",
    },
    required=(
        ("period", "year"), ("reporter_code", "reporter_iso"), ("partner_code", "partner_iso"),
        ("flow",), ("commodity",), ("value",),
    ),
    flows={},
)  # fmt: skip
LEGACY = Layout(
    name="legacy comtrade.un.org",
    columns={
        "year": "Year", "period": "Period", "reporter_code": "Reporter Code",
        "reporter_iso": "Reporter ISO", "partner_code": "Partner Code", "partner_iso": "Partner ISO",
        "partner2_code": "2nd Partner Code", "partner2_iso": "2nd Partner ISO",
        "flow": "Trade Flow Code", "commodity": "Commodity Code", "customs": "Customs Proc. Code",
        "transport": "Mode of Transport Code", "value": "Trade Value (US$)",
    },
    required=API.required,
    flows={"1": "M", "2": "X", "3": "RX", "4": "RM"},
)  # fmt: skip
LAYOUTS = (API, LEGACY)


@dataclass(frozen=True)
class ExportRow:
    """One row of an export in the terms all layouts share: codes upper-case, numeric codes without
    a decimal point, flows as the API writes them."""

    position: int  # line in the file (the header is line 1), or number of the record
    year: str = ""
    period: str = ""
    frequency: str = ""
    reporter_code: str = ""
    reporter_iso: str = ""
    partner_code: str = ""
    partner_iso: str = ""
    partner2_code: str = ""
    partner2_iso: str = ""
    flow: str = ""
    commodity: str = ""
    customs: str = ""
    transport: str = ""
    supply: str = ""
    value: str = ""


@dataclass(frozen=True)
class Export:
    """An export's rows, with how messages name it, its rows and its value column, and how the
    sources' title names it."""

    name: str
    title: str
    unit: str  # "line" or "record"
    value_column: str
    rows: tuple[ExportRow, ...]


@dataclass(frozen=True)
class Ingested:
    """What an ingest changed, for the person running it."""

    rows: int
    sources: tuple[str, ...]
    skipped: Mapping[Skip, int]


def describe_skipped(skipped: Mapping[Skip, int]) -> str:
    """'9 export rows skipped: 3 other partners, 2 breakdowns by mode of transport, ...', most
    frequent reason first, so the person running an ingest sees what the export held besides."""
    total = sum(skipped.values())
    if not total:
        return "no export rows skipped"
    order = list(Skip)
    reasons = sorted(skipped.items(), key=lambda item: (-item[1], order.index(item[0])))
    listed = ", ".join(reason.count(number) for reason, number in reasons if number)
    return f"{total} export {'row' if total == 1 else 'rows'} skipped: {listed}"


def _decode(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), else Windows-1252, as Excel saves a CSV."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ComtradeError(f"{path}: cannot be read ({error.strerror or error})") from None
    if b"\x00" in raw:
        raise ComtradeError(f"{path}: not a CSV text file (a spreadsheet, a zip or UTF-16?)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ComtradeError(f"{path}, line {line}: neither UTF-8 nor Windows-1252 text") from None


def _table(text: str, name: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and rows, each row with the line it starts on; comma- or tab-separated, blank
    lines ignored. A row shorter than the header is refused: the columns it lost could be the ones
    that tell a breakdown from the total."""
    first = text.lstrip().split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, start = [], 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as error:
        raise ComtradeError(f"{name}, line {reader.line_num}: not readable as CSV ({error})") from None
    if not rows:
        raise ComtradeError(f"{name}: the file is empty")
    (_, header), *body = rows
    if not body:
        raise ComtradeError(f"{name}: no rows under the header")
    for line, cells in body:
        if len(cells) < len(header) or any(cell.strip() for cell in cells[len(header) :]):
            raise ComtradeError(
                f"{name}, line {line}: {len(cells)} cells where the header has {len(header)}"
            )
    return header, body


def _missing(layout: Layout, names: Iterable[str]) -> list[str]:
    """The layout's required columns the header lacks, as the layout spells them."""
    present = set(names)
    return [
        " or ".join(layout.columns[field] for field in group)
        for group in layout.required
        if not any(layout.columns[field].lower() in present for field in group)
    ]


def _layout(header: Sequence[str], name: str) -> tuple[Layout, dict[str, int]]:
    """The layout the header is in, and the position of each of its fields the header has."""
    positions: dict[str, int] = {}
    for index, column in enumerate(header):
        positions.setdefault(column.strip().lower(), index)
    candidates = [(layout, _missing(layout, positions)) for layout in LAYOUTS]
    layout, missing = min(candidates, key=lambda candidate: len(candidate[1]))
    if missing:
        raise ComtradeError(
            f"{name}: not a Comtrade export; columns missing for the {layout.name} layout: "
            + ", ".join(missing)
        )
    where = {
        field: positions[column.lower()]
        for field, column in layout.columns.items()
        if column.lower() in positions
    }
    return layout, where


def _normalised(field: str, text: str, layout: Layout) -> str:
    """A cell in the shared terms. A DataFrame saved with a missing value in an integer column
    writes its codes as 398.0, so a whole number loses its decimal point."""
    text = text.strip()
    if field == "value":
        return text
    text = re.sub(r"^(-?[0-9]+)\.0*$", r"\1", text).upper()
    return layout.flows.get(text, text) if field == "flow" else text


def _export(
    name: str, title: str, unit: str, header: Sequence[str], body: Iterable[tuple[int, list[str]]]
) -> Export:
    layout, where = _layout(header, name)
    rows = tuple(
        ExportRow(
            position,
            **{field: _normalised(field, cells[index], layout) for field, index in where.items()},
        )
        for position, cells in body
    )
    return Export(name, title, unit, header[where["value"]].strip(), rows)


def read_export(path: Path) -> Export:
    """An export file in any of the layouts: CSV or TSV, any header case, columns in any order;
    columns the ingest does not read (a DataFrame's unnamed index among them) are ignored."""
    header, body = _table(_decode(path), str(path))
    return _export(str(path), f"export {path.name}", "line", header, body)


def _text(value: object) -> str:
    """A DataFrame's or a JSON record's value as a CSV cell holds it: nothing for None and NaN,
    whole numbers (a code in a float column, 398.0) without a decimal point."""
    if isinstance(value, str):
        return value
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def records_export(records: Iterable[Mapping[str, object]], label: str) -> Export:
    """Rows already in memory with the API's field names: the official client's DataFrame
    (``frame.to_dict("records")``) or the ``data`` of the API's JSON answer."""
    listed = list(records)
    if not listed:
        raise ComtradeError(f"{label}: no records")
    header = list(dict.fromkeys(key for record in listed for key in record))
    body = [
        (number, [_text(record.get(key)) for key in header])
        for number, record in enumerate(listed, start=1)
    ]
    return _export(label, label, "record", header, body)


def _country(code: str, iso: str) -> str:
    """ISO code of a reporter or partner; by its M49 code where the export gives no ISO code."""
    return iso or COUNTRIES.get(code, code)


def _is_world(code: str, iso: str) -> bool:
    """Whether the second partner is World, i.e. the row is not broken down by it."""
    if code:
        return code == "0"
    return not iso or iso in WORLD


def _period_text(row: ExportRow) -> str:
    return row.period or row.year


def _frequency(row: ExportRow) -> str:
    """A (annual) or M (monthly): freqCode where the export has it, else the period's shape."""
    return row.frequency or {4: "A", 6: "M"}.get(len(_period_text(row)), "")


def _period(row: ExportRow) -> tuple[str, str] | None:
    """First and last day of a Comtrade period: 2023 (annual) or 202305 (monthly)."""
    text, frequency = _period_text(row), _frequency(row)
    if not (text.isascii() and text.isdigit()):
        return None
    if frequency == "A" and len(text) == 4:
        return f"{text}-01-01", f"{text}-12-31"
    if frequency == "M" and len(text) == 6 and 1 <= int(text[4:]) <= 12:
        year, month = int(text[:4]), int(text[4:])
        last = calendar.monthrange(year, month)[1]
        return f"{text[:4]}-{month:02d}-01", f"{text[:4]}-{month:02d}-{last:02d}"
    return None


def _skip_reason(row: ExportRow, frequency: Frequency) -> Skip | None:
    """Why the row is not a Kazakhstan–Turkmenistan total of the frequency asked for, or None.
    A breakdown column that is missing or empty counts as the total."""
    pair = {_country(row.reporter_code, row.reporter_iso), _country(row.partner_code, row.partner_iso)}
    if pair != PAIR:
        return Skip.OTHER_PARTNER
    row_frequency = _frequency(row)
    if row_frequency != frequency:
        return {"A": Skip.ANNUAL, "M": Skip.MONTHLY}.get(row_frequency, Skip.PERIOD)
    if row.commodity != "TOTAL":
        return Skip.COMMODITY
    if row.flow not in ("X", "M"):
        return {"RX": Skip.RE_EXPORT, "RM": Skip.RE_IMPORT}.get(row.flow, Skip.OTHER_FLOW)
    if row.transport not in ("", "0"):
        return Skip.TRANSPORT
    if row.customs not in ("", "C00"):
        return Skip.CUSTOMS
    if not _is_world(row.partner2_code, row.partner2_iso):
        return Skip.SECOND_PARTNER
    if row.supply not in ("", "0"):
        return Skip.SUPPLY
    return None


def _million_dollars(export: Export, row: ExportRow) -> str:
    """US dollars as million dollars to three decimals, rounded half up in decimal arithmetic, so
    that no binary rounding creeps into a stored figure."""
    place = f"{export.name}, {export.unit} {row.position}, column {export.value_column}"
    if not row.value:
        raise ComtradeError(f"{place}: the total has no trade value")
    try:
        dollars = Decimal(row.value)
    except InvalidOperation:
        raise ComtradeError(f"{place}: {row.value!r} is not a number") from None
    if not dollars.is_finite() or dollars.is_signed():
        raise ComtradeError(f"{place}: {row.value!r} is not a trade value (dollars, at least 0)")
    return f"{(dollars / MILLION).quantize(THOUSANDTH, rounding=ROUND_HALF_UP):f}"


def source_id(reporter: str) -> str:
    return f"comtrade-{reporter.lower()}"


def _trade_row(export: Export, row: ExportRow, period: tuple[str, str]) -> dict[str, str]:
    reporter = _country(row.reporter_code, row.reporter_iso)
    start, end = period
    return {
        "period_start": start,
        "period_end": end,
        "flow": FLOWS[(reporter, row.flow)],
        "value_usd_m": _million_dollars(export, row),
        "qualifier": "exact",
        "source_id": source_id(reporter),
        "reporter": f"comtrade_{reporter.lower()}",
        "quote": "",
        "note": f"UN Comtrade, as reported by {REPORTERS[reporter]}"
        + (" (mirror of Kazakhstan's trade)" if reporter == "TKM" else ""),
    }


def _check_one_total_each(export: Export, kept: Sequence[ExportRow]) -> None:
    """Refuse two totals of one reporter, flow and period, naming both rows of the export: data/
    would refuse them too, but only by rows of a scratch copy the person has never seen."""
    seen: dict[tuple[str, str, str], int] = {}
    for row in kept:
        reporter = _country(row.reporter_code, row.reporter_iso)
        key = (reporter, row.flow, _period_text(row))
        if key in seen:
            flow = "exports" if row.flow == "X" else "imports"
            raise ComtradeError(
                f"{export.name}, {export.unit}s {seen[key]} and {row.position}: two totals of "
                f"{REPORTERS[reporter]}'s {flow} for {key[2]}; keep the one to use"
            )
        seen[key] = row.position


def trade_rows(export: Export, frequency: Frequency = "A") -> tuple[list[dict[str, str]], Counter[Skip]]:
    """Kazakhstan–Turkmenistan totals as trade.csv rows, and how many export rows were skipped
    for each reason."""
    kept: list[tuple[ExportRow, tuple[str, str]]] = []
    skipped: Counter[Skip] = Counter()
    for row in export.rows:
        reason = _skip_reason(row, frequency)
        period = None if reason else _period(row)
        if period is None:
            skipped[reason or Skip.PERIOD] += 1
        else:
            kept.append((row, period))
    rows = [_trade_row(export, row, period) for row, period in kept]
    _check_one_total_each(export, [row for row, _ in kept])
    return rows, skipped


def _advice(skipped: Mapping[Skip, int]) -> str:
    """What to download instead, when an export holds no total."""
    if BREAKDOWNS & skipped.keys():
        return (
            "; a breakdown is not the total: download all modes of transport (motCode 0), the "
            "customs total (C00) and second partner World"
        )
    for reason, letter in ((Skip.MONTHLY, "M"), (Skip.ANNUAL, "A")):
        if reason in skipped:
            return f"; it has {reason.value[1]}: ask for frequency {letter}"
    return ""


def source_row(reporter: str, accessed: date, title: str) -> dict[str, str]:
    return {
        "source_id": source_id(reporter),
        "kind": "official",
        "title": f"UN Comtrade: trade between Kazakhstan and Turkmenistan as reported by "
        f"{REPORTERS[reporter]} ({title})",
        "author": "",
        "outlet": "United Nations Statistics Division",
        "published": "",
        "published_derived": "",
        "derived_basis": "",
        "language": "en",
        "path": "",
        "url": "https://comtradeplus.un.org/",
        "accessed": accessed.isoformat(),
        "licence": "UN Comtrade terms of use",
    }


def _read_table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write_table(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _replace_together(files: Sequence[Path], folder: Path) -> None:
    """Put the checked files in ``folder`` so that a full or read-only disk leaves both old files
    as they were: each is first copied beside its target (the step that can fail), then renamed
    over it (which needs no space)."""
    staged = [(folder / f"{file.name}.new", folder / file.name) for file in files]
    try:
        for file, (new, _) in zip(files, staged, strict=True):
            shutil.copy2(file, new)
    except OSError:
        for new, _ in staged:
            new.unlink(missing_ok=True)
        raise
    for new, target in staged:
        new.replace(target)


def _store(export: Export, root: Path, accessed: date, frequency: Frequency) -> Ingested:
    """Replace the rows of the export's reporters in data/trade.csv and their sources in
    data/sources.csv; nothing is written unless the result passes every data rule."""
    rows, skipped = trade_rows(export, frequency)
    if not rows:
        raise ComtradeError(
            f"{export.name}: no Kazakhstan–Turkmenistan total rows to ingest "
            f"({describe_skipped(skipped)}){_advice(skipped)}"
        )
    reporters = sorted({row["source_id"].removeprefix("comtrade-").upper() for row in rows})
    ids = {source_id(r) for r in reporters}
    with tempfile.TemporaryDirectory() as scratch:
        trial = Path(scratch)
        for folder in ("data", *TEXT_FOLDERS):
            shutil.copytree(root / folder, trial / folder)
        source_columns, sources = _read_table(trial / "data" / "sources.csv")
        sources = [s for s in sources if s["source_id"] not in ids]
        sources += [source_row(r, accessed, export.title) for r in reporters]
        _write_table(trial / "data" / "sources.csv", source_columns, sources)
        _, trade = _read_table(trial / "data" / "trade.csv")
        trade = [t for t in trade if t["source_id"] not in ids] + rows
        _write_table(trial / "data" / "trade.csv", TRADE_COLUMNS, trade)
        with using_root(trial):
            check_all()
        _replace_together(
            [trial / "data" / name for name in ("sources.csv", "trade.csv")], root / "data"
        )
    return Ingested(rows=len(rows), sources=tuple(sorted(ids)), skipped=skipped)


def ingest(export: Path, root: Path, accessed: date, *, frequency: Frequency = "A") -> Ingested:
    """Store the totals of an export file: annual figures, or monthly ones with frequency M."""
    return _store(read_export(export), root, accessed, frequency)


def ingest_records(
    records: Iterable[Mapping[str, object]],
    root: Path,
    accessed: date,
    label: str,
    *,
    frequency: Frequency = "A",
) -> Ingested:
    """Store the totals among rows already in memory, so that the official client's DataFrame
    (``frame.to_dict("records")``) or an API answer need not go through a file. The label names
    them in messages and in the sources' title."""
    return _store(records_export(records, label), root, accessed, frequency)
