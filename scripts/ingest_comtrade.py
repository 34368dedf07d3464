"""Ingest UN Comtrade totals of Kazakhstan–Turkmenistan trade into data/trade.csv.

    .venv/bin/python scripts/ingest_comtrade.py EXPORT.csv [--frequency M] [--accessed 2026-11-22]
    COMTRADE_API_KEY=... .venv/bin/python scripts/ingest_comtrade.py --fetch 2022,2023

EXPORT is a CSV or TSV in the API's or the Comtrade+ portal's layout, a CSV saved from the official
client's DataFrame (its index column is ignored), or a legacy comtrade.un.org download; with ISO or
only M49 country codes; UTF-8 or Windows-1252. --fetch asks the Comtrade API itself for the given
years (months as 202305 with --frequency M), with the subscription key in COMTRADE_API_KEY.

Only totals are stored: all commodities, exports and imports, all modes of transport, the customs
total, second partner World and the frequency asked for (annual unless --frequency M). Every other
row is skipped, and the summary counts them by reason; an export without totals is refused. What
Kazakhstan reports and what Turkmenistan reports are kept apart as separate sources in
data/sources.csv; re-ingesting replaces the rows of the same reporters. Nothing is written unless
the updated data passes every rule; then `make book` re-executes the chapters that read it.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ingest.comtrade import ComtradeError, Ingested, describe_skipped, ingest, ingest_records
from ingest.comtrade_fetch import api_key, fetch_records, label
from kztm.validate import DataError

ROOT = Path(__file__).resolve().parents[1]


def _periods(text: str) -> list[str]:
    return [period.strip() for period in text.split(",") if period.strip()]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("export", nargs="?", type=Path, help="the Comtrade export file")
    source.add_argument(
        "--fetch",
        type=_periods,
        metavar="PERIODS",
        help="download these periods from the Comtrade API instead (e.g. 2022,2023)",
    )
    parser.add_argument(
        "--frequency",
        choices=["A", "M"],
        default="A",
        help="A: annual totals (default); M: monthly totals",
    )
    parser.add_argument(
        "--accessed",
        type=date.fromisoformat,
        default=date.today(),
        help="the day the export was downloaded (default: today)",
    )
    parser.add_argument("--root", type=Path, default=ROOT, help="project folder")
    return parser


def _run(args: argparse.Namespace) -> Ingested:
    if args.fetch is not None:
        records = fetch_records(args.fetch, args.frequency, api_key())
        name = label(args.fetch, args.frequency)
        return ingest_records(records, args.root, args.accessed, name, frequency=args.frequency)
    return ingest(args.export, args.root, args.accessed, frequency=args.frequency)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        result = _run(args)
    except (ComtradeError, DataError) as error:
        print(f"nothing ingested: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        where = error.filename or "a file"
        print(f"nothing ingested: cannot write {where}: {error.strerror}", file=sys.stderr)
        return 1
    rows = "row" if result.rows == 1 else "rows"
    print(
        f"ingested {result.rows} {rows} from {', '.join(result.sources)} "
        f"({describe_skipped(result.skipped)})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
