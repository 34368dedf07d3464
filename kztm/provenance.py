"""Tracing a data value back to the words of its source.

A quote only proves something if it is really in the source and really holds the number, so both are
checked mechanically, the same way by the loaders and by the tests.
"""

from __future__ import annotations

import re

# A currency code written against the figure ("USD4 billion") does not hide it.
_NUMBER = re.compile(r"(?:(?<![\w.])|(?<=USD))(\d{1,3}(?:,\d{3})+|\d+(?:[.,]\d+)?)(?![\d])")
# Numbers may be written at another scale than the dataset stores (a "$1 billion" target kept in
# million dollars), so a value also matches its quote one thousand times larger or smaller.
_SCALES = (1.0, 1000.0, 0.001)
# Numbers the sources write as words ("the twelfth session", "nearly quadrupled").
_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "twenty": 20,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "double": 2, "doubled": 2, "doubling": 2, "triple": 3, "tripled": 3, "quadruple": 4,
    "quadrupled": 4, "dozen": 12,
}  # fmt: skip
_WORD = re.compile(r"\b(" + "|".join(_WORDS) + r")\b", re.IGNORECASE)
# Russian and Kazakh set thousands apart with a space ("9 089", "35 075").
_SPACED = re.compile(r"(?<![\w.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d]|[.,]\d)")


def normalise_space(text: str) -> str:
    """Collapse every run of whitespace to one space, the only liberty a quote may take."""
    return " ".join(text.split())


def quote_in_text(quote: str, text: str) -> bool:
    """Whether the quote stands verbatim in the text, whitespace apart."""
    return normalise_space(quote) in normalise_space(text)


def numbers_in(text: str, words: bool = True) -> list[float]:
    """The numbers written in a text: 563, 74.6, the Turkmen-style 74,6, 1,300 as thousands, and
    (unless ``words`` is false) number words ("five", "twelfth", "quadrupled"), digits first."""
    found = []
    for token in _NUMBER.findall(text):
        if re.fullmatch(r"\d{1,3}(,\d{3})+", token):
            found.append(float(token.replace(",", "")))
        else:
            found.append(float(token.replace(",", ".")))
    if words:
        found += [float(_WORDS[word.lower()]) for word in _WORD.findall(text)]
    return found


def value_in_quote(value: float, quote: str) -> bool:
    """Whether the quote states this value (at the dataset's scale or a thousand times off); a
    number whose thousands are set apart by a space counts whole as well as in its parts."""
    spaced = [float(re.sub(r"\D", "", token)) for token in _SPACED.findall(quote)]
    return any(
        abs(number * scale - value) <= 1e-9 * max(1.0, abs(value))
        for number in numbers_in(quote) + spaced
        for scale in _SCALES
    )


_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_FOOTNOTE_MARK = re.compile(r"\[\d+\]")


def count_numbers(text: str) -> int:
    """How many numbers are written in digits in ``text`` (footnote marks aside)."""
    return len(_DIGITS.findall(_FOOTNOTE_MARK.sub(" ", text)))


def uncovered_numbers(text: str, passages: list[str]) -> list[str]:
    """Numbers written in ``text`` outside every passage (footnote marks like [3] aside).

    This is how the completeness of the data is measured: a number in a seed that no data row
    quotes, and no exclusion explains, is a fact the report has missed.
    """
    text = normalise_space(_FOOTNOTE_MARK.sub(" ", text))
    covered = [False] * len(text)
    for passage in passages:
        needle = normalise_space(_FOOTNOTE_MARK.sub(" ", passage))
        start = text.find(needle)
        while needle and start >= 0:
            covered[start : start + len(needle)] = [True] * len(needle)
            start = text.find(needle, start + 1)
    return [
        f"{match.group()} in '…{text[max(0, match.start() - 40) : match.end() + 20]}…'"
        for match in _DIGITS.finditer(text)
        if not all(covered[match.start() : match.end()])
    ]
