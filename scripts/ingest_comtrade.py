"""Ingest a UN Comtrade export (CSV or TSV, as downloaded from the portal or the API) into
data/trade.csv, with one source per reporting country in data/sources.csv.

    .venv/bin/python scripts/ingest_comtrade.py EXPORT.csv [--accessed 2026-11-22]

Only Kazakhstan–Turkmenistan rows with cmdCode TOTAL and flowCode X or M are used; what Kazakhstan
reports and what Turkmenistan reports are kept apart as separate sources. Re-ingesting replaces the
rows of the same reporters. Nothing is written unless the updated data passes every rule; then
`make book` re-executes the chapters that read the trade data.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ingest.comtrade import ComtradeError, ingest
from kztm.validate import DataError

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export", type=Path, help="the Comtrade export file")
    parser.add_argument(
        "--accessed",
        type=date.fromisoformat,
        default=date.today(),
        help="the day the export was downloaded (default: today)",
    )
    parser.add_argument("--root", type=Path, default=ROOT, help="project folder")
    args = parser.parse_args(argv)
    try:
        result = ingest(args.export, args.root, args.accessed)
    except (ComtradeError, DataError) as error:
        print(f"nothing ingested: {error}", file=sys.stderr)
        return 1
    print(
        f"ingested {result.rows} rows from {', '.join(result.sources)} "
        f"({result.skipped} export rows skipped: other partners, detail or re-exports)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
