"""Numbers in the text: formatted once here, glued into the prose by the chapters.

A chapter never types a figure the data holds; it glues the value formatted by these functions, so
new data changes the sentences as well as the charts, and every chapter writes money, percentages
and dates the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

import altair as alt
import pandas as pd
from myst_nb import glue

from kztm import charts
from kztm.catalog import load_catalog
from kztm.edition import Edition
from kztm.reads import in_book_build

MINUS = "\u2212"
# How a qualified figure reads: "about 70", "more than $100 million", "up to 12 km".
QUALIFIER_WORDS = {"exact": "", "about": "about ", "at_least": "more than ", "up_to": "up to "}


@dataclass(frozen=True)
class Text:
    """A glued string that displays as itself: a str would show with the quotes of its repr."""

    text: str

    def __repr__(self) -> str:
        return self.text


def _number(value: float, decimals: int) -> str:
    text = f"{abs(value):,.{decimals}f}"
    return (MINUS if value < 0 else "") + text


def money(value_usd_m: float, qualifier: str = "exact") -> str:
    """US dollars given in millions: '$563 million', '$555.7 million', '$1 billion'."""
    prefix = QUALIFIER_WORDS[qualifier]
    if abs(value_usd_m) >= 1000:
        billions = value_usd_m / 1000
        decimals = 0 if float(billions).is_integer() else 1
        return f"{prefix}${_number(billions, decimals)} billion"
    decimals = 0 if float(value_usd_m).is_integer() else 1
    return f"{prefix}${_number(value_usd_m, decimals)} million"


def quantity(value: float, qualifier: str = "exact") -> str:
    """A count or amount for prose: 'about 70', 'more than six', '1.3' (whole numbers under ten
    in words, as running text writes them)."""
    if float(value).is_integer():
        return f"{QUALIFIER_WORDS[qualifier]}{count(int(value))}"
    return f"{QUALIFIER_WORDS[qualifier]}{_number(value, 1)}"


def figure(value: float, unit: str, qualifier: str = "exact", high: float | None = None) -> str:
    """A stated quantity with its unit, as a table shows it: '1,833 km', 'up to 12 million tonnes
    per year', '10–12 million tonnes per year', '$620 million', '20%', '2.6 times the previous
    year' (a range's high end in ``high``)."""
    # A missing high end may arrive as None or as NaN (which is not equal to itself).
    top = high if high is not None and high == high else None
    words = QUALIFIER_WORDS[qualifier]
    if unit in _MONEY_UNITS:
        scale = _MONEY_UNITS[unit]
        if top is not None:
            return f"{words}{money(value * scale)}–{money(top * scale)}"
        return f"{words}{money(value * scale)}"
    amount = digits(value) if top is None else f"{digits(value)}–{digits(top)}"
    if unit in ("percent", "per cent"):
        return f"{words}{amount}%"
    if unit.startswith("multiple of "):
        times = "twice" if amount == "2" else f"{amount} times"
        return f"{words}{times} the {unit.removeprefix('multiple of ')}"
    return f"{words}{amount} {unit}"


def digits(number: float) -> str:
    """A number in digits with no trailing zeros: 1,833; 17.5; 0.272."""
    return f"{number:,.3f}".rstrip("0").rstrip(".")


# Money units of the indicators, in million US dollars each.
_MONEY_UNITS = {"million US dollars": 1.0, "billion US dollars": 1000.0}


def percent(value: float, decimals: int = 1, signed: bool = False) -> str:
    """A percentage with a true minus sign; signed adds '+' to growth."""
    sign = "+" if signed and value > 0 else ""
    return f"{sign}{_number(value, decimals)}%"


def not_known(as_of: str) -> str:
    """What a sentence says of a value no record gives by ``as_of`` (a book dated before the data).
    The build leaves out a passage of running text that holds these words, with a marked note in
    its place (``bookbuild.withheld``), so the reader meets one plain statement, not a paragraph
    of blanks."""
    return f"not known by {day(as_of)}"


def words(code: object) -> str:
    """A category code as words for readers: 'state_visit' → 'state visit'."""
    return str(code).replace("_", " ")


_SMALL_NUMBERS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def count(number: int) -> str:
    """A count as running text writes it: words for zero to nine ('five'), figures from 10."""
    return _SMALL_NUMBERS[number] if 0 <= number < 10 else f"{number:,}"


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """A count with its noun, as written by hand: 'one state visit', 'two state visits',
    '12 sessions', 'no discrepancies'."""
    noun = singular if number == 1 else plural or f"{singular}s"
    return f"{'no' if number == 0 else count(number)} {noun}"


def in_sentence(label: str) -> str:
    """A category label inside a sentence: 'Origin not named' becomes 'origin not named', while a
    label led by a proper name ('Kazakh officials', 'UN Comtrade') keeps its capital."""
    first = label.split(" ", 1)[0]
    proper = first[:1].isupper() and (first[1:2].isupper() or first in _PROPER_WORDS)
    return label if proper else label[:1].lower() + label[1:]


# Words that keep their capital inside a sentence (nationalities and names in category labels).
_PROPER_WORDS = {"Kazakh", "Turkmen", "Iranian", "Chinese", "Russian", "Indian"}


def listing(items: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c'; 'none' for nothing (a book dated before the data)."""
    items = list(items)
    if not items:
        return "none"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def year_ranges(years: Iterable[int]) -> str:
    """Years as a reader scans them: runs joined by an en dash ('2010–2014, 2016 and 2022')."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return listing(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)


def day(value: str | date | datetime | pd.Timestamp) -> str:
    """A date as '30 October 2023'."""
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%B %Y}"


def at_precision(value: date | datetime | pd.Timestamp, precision: str) -> str:
    """A date in running text as precisely as its source gives it: '5 July 2001', 'January 2019'
    or '2021' (a date known to the year is stored as its 1 January, which must not show)."""
    stamp = pd.Timestamp(value)
    if precision == "year":
        return f"{stamp:%Y}"
    if precision == "month":
        return f"{stamp:%B %Y}"
    return day(stamp)


@dataclass(frozen=True)
class Markdown:
    """Glued MyST text (citations, links) for {glue:md}`name:myst`."""

    text: str

    def __repr__(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str:
        return self.text


_PLAIN_PATH = re.compile(r"[\w.-]+(/[\w.-]+)*")


def download_link(path: str, label: str | None = None) -> Markdown:
    """A link from a chapter page to a project file (``data/trade.csv``, a seed text), named by
    ``label`` or else by the file. Sphinx copies the file into the book; the build's link check
    proves it arrived."""
    if not _PLAIN_PATH.fullmatch(path) or ".." in path.split("/"):
        raise ValueError(f"not a plain path inside the project: {path!r}")
    if label is not None and not re.fullmatch(r"[\w ().-]+", label):
        raise ValueError(f"a link label is plain words: {label!r}")
    return Markdown(f"{{download}}`{label or path.rsplit('/', 1)[-1]} <../{path}>`")


def citations(source_ids: Iterable[str]) -> str:
    """MyST citations of the distinct sources, in order of first use: the source line of a figure."""
    return "{cite:p}`" + ",".join(dict.fromkeys(source_ids)) + "`"


# Up to this many sources are cited one by one; beyond it a citation list would bury the text, so
# the seed articles are named and the archived pages counted.
SOURCES_NAMED = 8


def source_line(source_ids: Iterable[str]) -> str:
    """The sources of a figure or a dataset as MyST: each cited where there are few; otherwise the
    seed articles by name and the other sources counted (the bibliography lists them, and each
    chart's tooltip and each data row name the sources of one value)."""
    ids = list(dict.fromkeys(source_ids))
    if not ids:
        # An edition dated before any source of the figure: no empty citation markup.
        return "none by this edition's date"
    if len(ids) <= SOURCES_NAMED:
        return citations(ids)
    from kztm.data import load_sources

    kinds = load_sources().set_index("source_id")["kind"]
    seeds = [i for i in ids if kinds.get(i) == "seed"]
    if not seeds:
        return f"{counted(len(ids), 'source')}, listed in the bibliography"
    others = counted(len(ids) - len(seeds), "other source")
    return "{cite:t}`" + ",".join(seeds) + f"` and {others}, listed in the bibliography"


def _glue(name: str, value: Any) -> None:
    """Glue a value for the book's prose; in a person's Jupyter session, also show it there (the
    book places it where the text refers to it, so the build keeps it out of the cell)."""
    glue(name, value, display=not in_book_build())


def glue_citations(name: str, source_ids: Iterable[str]) -> None:
    """Make the citations of these sources available as {glue:md}`name:myst`."""
    _glue(name, Markdown(citations(source_ids)))


def glue_figure(name: str, figure: Any, source_ids: Iterable[str]) -> None:
    """Glue a chart, map or table as ``name`` and its source line as ``name-sources``.

    The caption of the {glue:figure} then ends with {glue:md}`name-sources:myst`, so the source
    line follows the data: a new source in the data appears in the caption by itself. Charts are
    drawn with the book's theme and offline renderer.
    """
    charts.enable()
    if isinstance(figure, alt.TopLevelMixin):
        # The page offers the chart for download under this name (fig-trade-monthly.csv).
        figure = figure.properties(usermeta={"kztm": {"name": name}})
    _glue(name, figure)
    _glue(f"{name}-sources", Markdown(source_line(source_ids)))


def glue_text(name: str, text: str) -> None:
    """Make ``text`` available to the prose as {glue}`name`, shown literally (never as HTML)."""
    _glue(name, Text(text))


# What a chapter's module computes for its text: plain text for {glue}`name` (shown literally),
# MyST for {glue:md}`name:myst` and tables.
Facts = dict[str, str | Markdown]


def glue_all(facts: Facts) -> None:
    """Glue every value a chapter's module computed, each under its name: the chapter's one call."""
    for name, value in facts.items():
        _glue(name, value if isinstance(value, Markdown) else Text(value))


class Figure(NamedTuple):
    """A chart or map and the sources of what it draws, for ``glue_figure``."""

    picture: Any
    sources: list[str]


def edition_facts(datasets: Iterable[str], edition: Edition) -> Facts:
    """What every chapter glues alike: the edition's day in words (``as_of``) and the data note
    listing its ``datasets`` (``data-note``), which each chapter places at its end."""
    return {"as_of": day(edition.as_of), "data-note": data_note(datasets, edition)}


def data_note(datasets: Iterable[str], edition: Edition) -> Markdown:
    """The 'data used in this chapter' admonition: each dataset's title, unit, a download link to
    its CSV and the sources of its rows, so readers meet the evidence where it is first used."""
    from kztm.data import load

    catalog = load_catalog()
    items = []
    for name in datasets:
        dataset = catalog[name]
        frame = load(name, edition)
        # Named as in a sentence ("Babakan (2021)"): units and citations in parentheses would nest.
        ids = list(dict.fromkeys(frame["source_id"])) if "source_id" in frame else []
        cited = "{cite:t}`" + ",".join(ids) + "`" if len(ids) <= SOURCES_NAMED else source_line(ids)
        items.append(
            f"- {dataset.title}, {dataset.unit}: {download_link(f'data/{dataset.file}').text}"
            + (f"; sources: {cited}" if ids else "")
        )
    body = "\n".join(items)
    return Markdown(
        "````{admonition} Data used in this chapter\n:class: note data-note\n\n"
        f"{body}\n\nEvery row carries the exact words of its source; see the "
        "{ref}`source criticism <source-criticism>`.\n````\n"
    )
