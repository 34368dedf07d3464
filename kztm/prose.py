"""Numbers in the text: formatted once here, glued into the prose by the chapters.

A chapter never types a figure the data holds; it glues the value formatted by these functions, so
new data changes the sentences as well as the charts, and every chapter writes money, percentages
and dates the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from myst_nb import glue

MINUS = "\u2212"
_QUALIFIER_WORDS = {"exact": "", "about": "about ", "at_least": "more than "}


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
    prefix = _QUALIFIER_WORDS[qualifier]
    if abs(value_usd_m) >= 1000:
        billions = value_usd_m / 1000
        decimals = 0 if float(billions).is_integer() else 1
        return f"{prefix}${_number(billions, decimals)} billion"
    decimals = 0 if float(value_usd_m).is_integer() else 1
    return f"{prefix}${_number(value_usd_m, decimals)} million"


def percent(value: float, decimals: int = 1, signed: bool = False) -> str:
    """A percentage with a true minus sign; signed adds '+' to growth."""
    sign = "+" if signed and value > 0 else ""
    return f"{sign}{_number(value, decimals)}%"


def day(value: str | date | datetime | pd.Timestamp) -> str:
    """A date as '30 October 2023'."""
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%B %Y}"


@dataclass(frozen=True)
class Markdown:
    """Glued MyST text (citations, links) for {glue:md}`name:myst`."""

    text: str

    def __repr__(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str:
        return self.text


def citations(source_ids: Iterable[str]) -> str:
    """MyST citations of the distinct sources, in order of first use: the source line of a figure."""
    return "; ".join(f"{{cite:t}}`{source_id}`" for source_id in dict.fromkeys(source_ids))


def glue_citations(name: str, source_ids: Iterable[str]) -> None:
    """Make the citations of these sources available as {glue:md}`name:myst`."""
    glue(name, Markdown(citations(source_ids)), display=False)


def glue_text(name: str, text: str) -> None:
    """Make ``text`` available to the prose as {glue}`name`, shown literally (never as HTML)."""
    glue(name, Text(text), display=False)
