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
    widths: str = "auto",
) -> Markdown:
    """A numbered table of ``frame``'s ``columns`` ({column: header}) for {glue:md}.

    Sphinx does not see labels inside pasted Markdown, so the chapter puts the table's label,
    ``(tbl-name)=``, on the line before the {glue:md} directive.

    ``caption`` is the author's MyST; the caption ends with the sources of the rows shown (from
    ``source_id``, or ``coords_source_id`` for places). Cell text is escaped; ``formats`` turns
    values into display text per column (money, dates) before escaping.
    """
    source_column = "source_id" if "source_id" in frame else None
    if source_column and len(frame):
        caption = f"{caption}. Source: {citations(frame[source_column])}."
    formats = formats or {}
    header = "| " + " | ".join(escape(title) for title in columns.values()) + " |"
    rule = "|" + "|".join(" --- " for _ in columns) + "|"
    lines = [header, rule]
    for record in frame.to_dict("records"):
        cells = [
            escape(formats[column](record[column]) if column in formats else record[column])
            for column in columns
        ]
        lines.append("| " + " | ".join(cells) + " |")
    body = "\n".join(lines)
    # A colon fence: a backtick fence may not carry backticks (the citations) in its caption.
    return Markdown(f"::::{{table}} {caption}\n:widths: {widths}\n\n{body}\n::::\n")
