"""Tables for the book: numbered, captioned, and safe whatever text the data holds.

A table is written as a MyST ``{table}`` directive around a Markdown pipe table and glued into the
chapter (``{glue:md}`` with ``:format: myst``). Sphinx then builds a real, numbered table for both
HTML and LaTeX, so the PDF gets a typeset table rather than a picture of one. Every cell is
escaped: data is untrusted text, and Markdown would otherwise pass raw HTML through.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from kztm.prose import Markdown, citations

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def escape(value: Any) -> str:
    """Literal Markdown: every ASCII punctuation mark backslash-escaped (CommonMark allows it),
    so no character of the data can open HTML, a role, a link or a cell."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    text = " ".join(str(value).split())
    return _PUNCTUATION.sub(r"\\\1", text)


def markdown_table(
    frame: pd.DataFrame,
    columns: Mapping[str, str],
    caption: str,
    formats: Mapping[str, Callable[[Any], str]] | None = None,
) -> Markdown:
    """A numbered table of ``frame``'s ``columns`` ({column: header}) for {glue:md}.

    Sphinx does not see labels inside pasted Markdown, so the chapter puts the table's label,
    ``(tbl-name)=``, on the line before the {glue:md} directive.

    ``caption`` is the author's MyST; the caption ends with the sources of the rows shown (from
    ``source_id``, or ``coords_source_id`` for places). Cell text is escaped; ``formats`` turns
    values into display text per column (money, dates) before escaping, or into ``Markdown``
    built by ``kztm.prose`` (a download link), which is kept as it is.
    """
    source_column = "source_id" if "source_id" in frame else None
    if source_column and len(frame):
        caption = f"{caption}. Source: {citations(frame[source_column])}."
    # Sources are cited as the text cites them ("Babakan (2021)"), never by their internal id.
    formats = {
        **{c: _cite for c in columns if c.endswith("source_id") or c == "sources"},
        **(formats or {}),
    }
    texts = [
        [
            _cell(formats[column](record[column]) if column in formats else record[column])
            for column in columns
        ]
        for record in frame.to_dict("records")
    ]
    header = "| " + " | ".join(escape(title) for title in columns.values()) + " |"
    rule = "|" + "|".join(" --- " for _ in columns) + "|"
    lines = [header, rule] + ["| " + " | ".join(row) + " |" for row in texts]
    body = "\n".join(lines)
    widths = " ".join(str(width) for width in _widths(list(columns.values()), texts))
    # A colon fence: a backtick fence may not carry backticks (the citations) in its caption.
    # longtable lets LaTeX break a long table across pages instead of cutting it off.
    return Markdown(f"::::{{table}} {caption}\n:widths: {widths}\n:class: longtable\n\n{body}\n::::\n")


def _cite(value: Any) -> Markdown | str:
    """A cell of source ids ("seed-001" or "seed-001; seed-003") as author–date citations."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    ids = [part.strip() for part in str(value).replace(",", ";").split(";") if part.strip()]
    return Markdown("{cite:t}`" + ",".join(ids) + "`") if ids else "–"


def _cell(value: Any) -> str:
    """A cell's Markdown: data escaped, MyST built by kztm.prose kept."""
    return value.text if isinstance(value, Markdown) else escape(value)


def _widths(headers: list[str], rows: list[list[str]]) -> list[int]:
    """Relative column widths from the longest text in each column, within bounds, so long prose
    columns wrap and short code-like columns stay narrow (in LaTeX as in HTML)."""
    longest = [max([len(h), *(len(row[i]) for row in rows)]) for i, h in enumerate(headers)]
    return [min(max(length, 8), 60) for length in longest]
