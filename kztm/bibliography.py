"""The book's bibliography, generated from data/sources.csv so that sources have one home.

A chapter cites a source by its ``source_id`` ({cite:p}`seed-001`); the BibTeX file sphinxcontrib-bibtex
reads is written from the sources table at every build and is never edited by hand.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from kztm.data import load_sources, publication_days, sources_key

# Only what the BibTeX field parser needs is escaped (braces, and "%", which would start a
# comment): sphinxcontrib-bibtex turns fields into text nodes that Sphinx escapes for LaTeX
# itself, and it does not decode "\$" or "\&" everywhere (labels showed "Oil \& Gas").
_LATEX_SPECIAL = str.maketrans({c: "\\" + c for c in "%{}"})


def _field(value: object) -> str | None:
    if value is None or pd.isna(value):
        return None
    return str(value).translate(_LATEX_SPECIAL)


def cited_name(source: pd.Series) -> tuple[str, bool]:
    """Who a citation names, and whether that is a person: the author, else the outlet or the
    editors as a corporate name, else the title's first words in quotes (an anonymous text is
    cited by its title), so a reader sees "Babakan 2021" or "Qazinform News Agency 2025", never
    an internal id."""
    if pd.notna(source["author"]):
        return str(source["author"]), True
    if pd.notna(source["outlet"]):
        return str(source["outlet"]), False
    if source["kind"] == "editorial":
        return "The report's editors", False
    return "“" + " ".join(str(source["title"]).split(":")[0].split()[:4]) + "”", False


def citation_name(source: pd.Series) -> str:
    """The BibTeX author field: "Surname, Given" for a person, a braced corporate name otherwise."""
    name, person = cited_name(source)
    if person:
        *given, surname = name.split()
        return _field(f"{surname}, {' '.join(given)}" if given else surname) or ""
    return f"{{{_field(name)}}}"


def citation_labels() -> dict[str, str]:
    """Each source id with the author–date label readers see ("Babakan 2021"), for charts and
    tooltips, which cannot carry a citation."""
    return dict(_citation_labels(sources_key()))


def published_after(as_of: str) -> dict[str, str]:
    """The sources a reader on ``as_of`` could not have read (published later; an undated source
    is not counted among them), each with its label."""
    days = publication_days()
    labels = citation_labels()
    return {source: labels[source] for source in days[days > pd.Timestamp(as_of)].index}


@lru_cache(maxsize=8)
def _citation_labels(_key: tuple[str, str, int]) -> dict[str, str]:
    """The labels, worked out once per version of the sources table (every note and tooltip
    asks for them)."""
    sources = load_sources()
    years = citation_years(sources)
    labels = {}
    for _, source in sources.iterrows():
        name, person = cited_name(source)
        labels[source["source_id"]] = (
            f"{name.split()[-1] if person else name} {years[source['source_id']]}"
        )
    return labels


def citation_year(source: pd.Series) -> str:
    """The year a citation gives: the stated one, else the inferred one (the entry's note says it
    is inferred), else n.d."""
    if pd.notna(source["published"]):
        return str(source["published"].year)
    if pd.notna(source["published_derived"]):
        return str(source["published_derived"].year)
    return "n.d."


def citation_years(sources: pd.DataFrame) -> dict[str, str]:
    """Each source's citation year, with a letter where one name has several sources in a year
    ("Kazinform 2024a", "Kazinform 2024b", in order of publication), so no label names two
    sources."""
    keyed = sources.assign(
        name=[cited_name(row)[0] for _, row in sources.iterrows()],
        year=[citation_year(row) for _, row in sources.iterrows()],
        when=sources["published"].fillna(sources["published_derived"]),
    ).sort_values(["when", "source_id"], na_position="last")
    years = {}
    for _, group in keyed.groupby(["name", "year"], sort=False):
        letters = "abcdefghijklmnopqrstuvwxyz" if len(group) > 1 else [""] * len(group)
        for (_, row), letter in zip(group.iterrows(), letters, strict=False):
            # "n.d.-a", as author–date styles write undated works told apart by a letter.
            joiner = "-" if letter and row["year"] == "n.d." else ""
            years[row["source_id"]] = f"{row['year']}{joiner}{letter}"
    return years


def name_sources(text: object) -> str:
    """Free text (a note, a finding) with every source id written as readers see it
    ("seed-003" becomes "Babakan 2021")."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    labels = citation_labels()
    ids = "|".join(rf"\b{re.escape(i)}\b" for i in sorted(labels, key=len, reverse=True))
    # "Seed-003" at the start of a sentence is the same source as "seed-003".
    pattern = re.compile(ids, re.IGNORECASE)
    return pattern.sub(lambda match: labels[match.group().lower()], str(text))


def bibtex_entry(source: pd.Series, year: str) -> str:
    """One @misc entry, dated ``year`` (see ``citation_years``); what the source does not state is
    left out, never guessed."""
    published = source["published"]
    derived = source["published_derived"]
    note_parts = []
    # An entry without any date already reads "n.d."; one with an inferred date says so.
    if pd.isna(published) and pd.notna(derived):
        note_parts.append(f"Undated; not before {derived.day} {derived:%B %Y} (inferred)")
    elif pd.isna(published) and source["kind"] != "editorial":
        note_parts.append("The page as archived states no date, and nothing in it fixes one")
    if pd.notna(source["relays"]):
        # One origin printed by several outlets counts once: the entry names the origin.
        note_parts.append("Relaying " + " and ".join(str(source["relays"]).split("; ")))
    if source["kind"] == "seed":
        # Not its file name: the methods chapter's table of the corpus links each text.
        note_parts.append("Source article, kept in full with the report")
    elif str(source["path"]).startswith("archive/"):
        # Not the file name: it is the source's id, which readers never see.
        note_parts.append("Passages archived with the report")
    title = _field(source["title"])
    fields = {
        # Double braces keep the title's own capitalisation (BibTeX styles would lower-case it).
        "title": f"{{{title}}}" if title else None,
        "author": citation_name(source),
        "howpublished": _field(source["outlet"]),
        "year": year,
        "url": None if pd.isna(source["url"]) else str(source["url"]),
        "urldate": f"{source['accessed']:%Y-%m-%d}" if pd.notna(source["accessed"]) else None,
        "note": _field(". ".join(note_parts)) if note_parts else None,
    }
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items() if value)
    return f"@misc{{{source['source_id']},\n{body}\n}}\n"


def write_bibtex(path: Path) -> None:
    """Write every source of data/sources.csv as a BibTeX entry."""
    sources = load_sources()
    years = citation_years(sources)
    entries = [bibtex_entry(row, years[row["source_id"]]) for _, row in sources.iterrows()]
    path.write_text("\n".join(entries), encoding="utf-8")
