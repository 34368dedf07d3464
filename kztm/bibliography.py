"""The book's bibliography, generated from data/sources.csv so that sources have one home.

A chapter cites a source by its ``source_id`` ({cite:p}`seed-001`); the BibTeX file sphinxcontrib-bibtex
reads is written from the sources table at every build and is never edited by hand.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kztm.data import load_sources

_LATEX_SPECIAL = str.maketrans({c: "\\" + c for c in "&%$#_{}"})


def _field(value: object) -> str | None:
    if value is None or pd.isna(value):
        return None
    return str(value).translate(_LATEX_SPECIAL)


def bibtex_entry(source: pd.Series) -> str:
    """One @misc entry; what the source does not state is left out, never guessed."""
    published = source["published"]
    derived = source["published_derived"]
    year = published.year if pd.notna(published) else None
    note_parts = []
    if year is None and pd.notna(derived):
        note_parts.append(f"Undated; not before {derived.day} {derived:%B %Y} (inferred from the text)")
    elif year is None:
        note_parts.append("Undated")
    if source["kind"] == "seed":
        note_parts.append(f"Seed text: {source['path']}")
    fields = {
        # Double braces keep the title's own capitalisation (BibTeX styles would lower-case it).
        "title": f"{{{_field(source['title'])}}}",
        "author": _field(source["author"]),
        "howpublished": _field(source["outlet"]),
        "year": str(year) if year else None,
        "url": None if pd.isna(source["url"]) else str(source["url"]),
        "urldate": f"{source['accessed']:%Y-%m-%d}" if pd.notna(source["accessed"]) else None,
        "note": _field(". ".join(note_parts)) if note_parts else None,
    }
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items() if value)
    return f"@misc{{{source['source_id']},\n{body}\n}}\n"


def write_bibtex(path: Path) -> None:
    """Write every source of data/sources.csv as a BibTeX entry."""
    entries = [bibtex_entry(row) for _, row in load_sources().iterrows()]
    path.write_text("\n".join(entries), encoding="utf-8")
