"""Tracing a data value back to the words of its source.

A quote only proves something if it is really in the source and really holds the number, so both are
checked mechanically, the same way by the loaders and by the tests.
"""

from __future__ import annotations

import re

_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:[.,]\d+)?)(?![\d])")
# Numbers may be written at another scale than the dataset stores (a "$1 billion" target kept in
# million dollars), so a value also matches its quote one thousand times larger or smaller.
_SCALES = (1.0, 1000.0, 0.001)


def normalise_space(text: str) -> str:
    """Collapse every run of whitespace to one space, the only liberty a quote may take."""
    return " ".join(text.split())


def quote_in_text(quote: str, text: str) -> bool:
    """Whether the quote stands verbatim in the text, whitespace apart."""
    return normalise_space(quote) in normalise_space(text)


def numbers_in(text: str) -> list[float]:
    """The numbers written in a text: 563, 74.6, the Turkmen-style 74,6, and 1,300 as thousands."""
    found = []
    for token in _NUMBER.findall(text):
        if re.fullmatch(r"\d{1,3}(,\d{3})+", token):
            found.append(float(token.replace(",", "")))
        else:
            found.append(float(token.replace(",", ".")))
    return found


def value_in_quote(value: float, quote: str) -> bool:
    """Whether the quote states this value (at the dataset's scale or a thousand times off)."""
    return any(
        abs(number * scale - value) <= 1e-9 * max(1.0, abs(value))
        for number in numbers_in(quote)
        for scale in _SCALES
    )
