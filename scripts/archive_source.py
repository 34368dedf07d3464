"""Archive passages of an independent source: copy the file into archive/, record its checksum and
add its row to data/sources.csv, so that data rows can cite it and quote it.

The file is a header (url, title, outlet, author, published, accessed, language: one ``name:
value`` per line), a blank line, then the passages copied verbatim from the page, separated by
``---`` lines. Its name without ``.txt`` becomes the source id. An archived file is never edited
afterwards (the build refuses a text that differs from its checksum): to correct a passage, remove
its line from archive/SHA256SUMS and its sources row, and archive it again.

Usage: .venv/bin/python scripts/archive_source.py PAGE.txt [PAGE.txt ...] --kind press
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import shutil
import sys
from datetime import date
from pathlib import Path

from kztm.archive import CHECKSUMS, REQUIRED_HEADER, parse_archived
from kztm.validate import url_problem

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT / "archive"
SOURCES = ROOT / "data" / "sources.csv"
LICENCE = "short passages quoted as evidence; the text remains the publisher's"


def source_row(page: Path, kind: str) -> dict[str, str]:
    """The sources.csv row the page's header describes."""
    header = parse_archived(page.read_text(encoding="utf-8")).header
    missing = [field for field in REQUIRED_HEADER if field not in header]
    if missing:
        raise SystemExit(f"{page}: the header must state {', '.join(missing)}")
    # Refused here, naming the file, rather than later at the build's data check or link check.
    problem = url_problem(header["url"])
    if problem:
        raise SystemExit(f"{page}: url {header['url']!r}: {problem}")
    for field in ("published", "accessed"):
        if header.get(field) and not _is_day(header[field]):
            raise SystemExit(f"{page}: {field} {header[field]!r}: expected a date written YYYY-MM-DD")
    return {
        "source_id": page.stem,
        "kind": kind,
        "title": header.get("title", ""),
        "author": header.get("author", ""),
        "outlet": header.get("outlet", ""),
        # Optional header line: whose release the page relays (one origin, many outlets).
        "relays": header.get("relays", ""),
        "published": header.get("published", ""),
        "published_derived": "",
        "derived_basis": "",
        "language": header.get("language", ""),
        "path": f"archive/{page.name}",
        "url": header["url"],
        "accessed": header["accessed"],
        "licence": LICENCE,
    }


def _is_day(text: str) -> bool:
    try:
        return date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--kind", default="press", choices=["press", "official", "operator"])
    args = parser.parse_args(argv)
    with SOURCES.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, known = list(reader.fieldnames or []), {row["source_id"] for row in reader}
    rows = [source_row(page, args.kind) for page in args.pages]
    clashes = [row["source_id"] for row in rows if row["source_id"] in known]
    if clashes:
        print(f"already archived: {', '.join(clashes)}", file=sys.stderr)
        return 1
    ARCHIVE.mkdir(exist_ok=True)
    with (ARCHIVE / CHECKSUMS).open("a", encoding="utf-8") as sums:
        for page in args.pages:
            shutil.copyfile(page, ARCHIVE / page.name)
            sums.write(f"{hashlib.sha256(page.read_bytes()).hexdigest()}  {page.name}\n")
    with SOURCES.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, columns, lineterminator="\n").writerows(rows)
    print(f"archived {len(rows)} source(s); cite them by id: {', '.join(r['source_id'] for r in rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
