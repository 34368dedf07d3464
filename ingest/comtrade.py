"""Ingesting a UN Comtrade export into data/trade.csv.

Comtrade publishes what each country reports. Kazakhstan's report of its trade with Turkmenistan
and Turkmenistan's report of the same trade (its mirror) differ (valuation, timing, coverage), so
each reporter becomes its own source and its rows stay apart: nothing is summed or averaged.
Flows are stored from Kazakhstan's side, as everywhere in the data: Turkmenistan's exports to
Kazakhstan are Kazakh imports. The updated files are validated in a scratch copy of data/ first
and replace the real ones only if every rule holds.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kztm.archive import TEXT_FOLDERS
from kztm.data import check_all
from kztm.paths import using_root

REQUIRED = ("refyear", "period", "reporteriso", "partneriso", "flowcode", "cmdcode", "primaryvalue")
PAIR = {"KAZ", "TKM"}
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


class ComtradeError(ValueError):
    """The export cannot be read as a Comtrade table; says which file and what is missing."""


@dataclass(frozen=True)
class Ingested:
    """What an ingest changed, for the person running it."""

    rows: int
    sources: tuple[str, ...]
    skipped: int


def read_export(path: Path) -> list[dict[str, str]]:
    """The export's rows with lower-case column names; comma- or tab-separated, any header case."""
    text = path.read_text(encoding="utf-8-sig")
    header = text.splitlines()[0] if text.strip() else ""
    delimiter = "\t" if header.count("\t") > header.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    names = {name.strip().lower(): name for name in reader.fieldnames or []}
    missing = [column for column in REQUIRED if column not in names]
    if missing:
        raise ComtradeError(f"{path}: not a Comtrade export, columns missing: {', '.join(missing)}")
    return [{key: (row[names[key]] or "").strip() for key in names} for row in reader]


def _period(row: dict[str, str]) -> tuple[str, str] | None:
    """First and last day of a Comtrade period: 2023 (annual) or 202305 (monthly)."""
    period = row["period"] or row["refyear"]
    if len(period) == 4 and period.isdigit():
        return f"{period}-01-01", f"{period}-12-31"
    if len(period) == 6 and period.isdigit():
        year, month = int(period[:4]), int(period[4:])
        following = date(year + month // 12, month % 12 + 1, 1)
        last = date.fromordinal(following.toordinal() - 1)
        return f"{year}-{month:02d}-01", last.isoformat()
    return None


def source_id(reporter: str) -> str:
    return f"comtrade-{reporter.lower()}"


def trade_rows(rows: list[dict[str, str]]) -> tuple[list[dict[str, str]], int]:
    """Kazakhstan–Turkmenistan totals as trade.csv rows, and how many export rows were skipped
    (other partners, commodity detail, re-exports, unreadable periods)."""
    kept, skipped = [], 0
    for row in rows:
        reporter, partner = row["reporteriso"].upper(), row["partneriso"].upper()
        flow = FLOWS.get((reporter, row["flowcode"].upper()))
        period = _period(row)
        if {reporter, partner} != PAIR or row["cmdcode"].upper() != "TOTAL" or not flow or not period:
            skipped += 1
            continue
        kept.append(
            {
                "period_start": period[0],
                "period_end": period[1],
                "flow": flow,
                "value_usd_m": f"{float(row['primaryvalue']) / 1e6:.3f}",
                "qualifier": "exact",
                "source_id": source_id(reporter),
                "reporter": f"comtrade_{reporter.lower()}",
                "quote": "",
                "note": f"UN Comtrade, as reported by {REPORTERS[reporter]}"
                + (" (mirror of Kazakhstan's trade)" if reporter == "TKM" else ""),
            }
        )
    return kept, skipped


def source_row(reporter: str, accessed: date, export: Path) -> dict[str, str]:
    return {
        "source_id": source_id(reporter),
        "kind": "official",
        "title": f"UN Comtrade: trade between Kazakhstan and Turkmenistan as reported by "
        f"{REPORTERS[reporter]} (export {export.name})",
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


def ingest(export: Path, root: Path, accessed: date) -> Ingested:
    """Replace the rows of the export's reporters in data/trade.csv and their sources in
    data/sources.csv; nothing is written unless the result passes every data rule."""
    rows, skipped = trade_rows(read_export(export))
    if not rows:
        raise ComtradeError(f"{export}: no Kazakhstan–Turkmenistan TOTAL rows to ingest")
    reporters = sorted({row["source_id"].removeprefix("comtrade-").upper() for row in rows})
    ids = {source_id(r) for r in reporters}
    with tempfile.TemporaryDirectory() as scratch:
        trial = Path(scratch)
        for folder in ("data", *TEXT_FOLDERS):
            shutil.copytree(root / folder, trial / folder)
        source_columns, sources = _read_table(trial / "data" / "sources.csv")
        sources = [s for s in sources if s["source_id"] not in ids]
        sources += [source_row(r, accessed, export) for r in reporters]
        _write_table(trial / "data" / "sources.csv", source_columns, sources)
        _, trade = _read_table(trial / "data" / "trade.csv")
        trade = [t for t in trade if t["source_id"] not in ids] + rows
        _write_table(trial / "data" / "trade.csv", TRADE_COLUMNS, trade)
        with using_root(trial):
            check_all()
        for name in ("sources.csv", "trade.csv"):
            shutil.copy2(trial / "data" / name, root / "data" / name)
    return Ingested(rows=len(rows), sources=tuple(sorted(ids)), skipped=skipped)
