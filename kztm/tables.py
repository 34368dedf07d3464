"""Tables for the book: numbered, captioned, and safe whatever text the data holds.

A table is written as a MyST ``{table}`` directive around a Markdown pipe table and glued into the
chapter (``{glue:md}`` with ``:format: myst``). Sphinx then builds a real, numbered table for both
HTML and LaTeX, so the PDF gets a typeset table rather than a picture of one. Every cell is
escaped: data is untrusted text, and Markdown would otherwise pass raw HTML through.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import pandas as pd

from kztm.bibliography import citation_labels
from kztm.prose import Markdown, download_link, figure, source_line
from kztm.trade import period_label

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# Column widths, in characters of body text: prose wraps beyond _WIDEST; no column is narrower
# than _NARROWEST. A PDF line holds about _LINE characters of table text, less _PADDING for each
# column's margins; bold headers and typewriter file names are wider than body text.
_WIDEST = 40
_NARROWEST = 6
_LINE = 100
_PADDING = 3
_HEADER_WIDTH = 1.4
_CODE_WIDTH = 1.3
_FILE = re.compile(r"\{download\}`([^<`]*?) <[^>`]*>`")
_CITATION = re.compile(r"\{cite:t\}`([^`]*)`")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


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
    formats: Mapping[str, Callable[[Any], str | Markdown]] | None = None,
    classes: str = "longtable",
) -> Markdown:
    """A numbered table of ``frame``'s ``columns`` ({column: header}) for {glue:md}.

    Sphinx does not see labels inside pasted Markdown, so the chapter puts the table's label,
    ``(tbl-name)=``, on the line before the {glue:md} directive.

    ``caption`` is the author's MyST; it ends with the sources of the rows shown (their
    ``source_id``) unless a column shows them, which would only repeat them. Cell text is
    escaped; ``formats`` turns values into display text per column (money, dates) before
    escaping, or into ``Markdown`` built by ``kztm.prose`` (a download link), kept as it is.
    An empty caption makes an unnumbered table (a register's full listing, see ``register``).
    """
    # The caption names the rows' sources unless a column of the table already does.
    shows_sources = any(c.endswith("source_id") or c == "sources" for c in columns)
    source_column = "source_id" if "source_id" in frame and not shows_sources else None
    if source_column and len(frame) and caption:
        caption = f"{caption}. Source: {source_line(frame[source_column])}."
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
    if not texts:  # a book dated before the rows: the table says so rather than standing empty
        texts = [["None recorded", *("–" for _ in list(columns)[1:])]]
    header = "| " + " | ".join(escape(title) for title in columns.values()) + " |"
    rule = "|" + "|".join(" --- " for _ in columns) + "|"
    lines = [header, rule] + ["| " + " | ".join(row) + " |" for row in texts]
    body = "\n".join(lines)
    widths = " ".join(str(width) for width in _widths(list(columns.values()), texts))
    # A colon fence: a backtick fence may not carry backticks (the citations) in its caption.
    # longtable lets LaTeX break a long table across pages instead of cutting it off.
    return Markdown(f"::::{{table}} {caption}\n:widths: {widths}\n:class: {classes}\n\n{body}\n::::\n")


def labelled(labels: Mapping[str, str]) -> Callable[[object], str]:
    """A column format that shows a category code by its catalog label."""
    return lambda code: labels.get(str(code), "–")


# The class of a register's full listing: kztm.js gives each such table its filter box.
REGISTER_CLASS = "kztm-register"


def listing(
    frame: pd.DataFrame,
    columns: Mapping[str, str],
    formats: Mapping[str, Callable[[Any], str | Markdown]] | None = None,
) -> Markdown:
    """A register's full listing for ``register``: an unnumbered table (no caption: the summary
    above it carries the number) that the reader can filter."""
    return markdown_table(frame, columns, caption="", formats=formats, classes=REGISTER_CLASS)


def register(summary: Markdown, full: Markdown, dataset: str, what: str) -> Markdown:
    """A register too long for paper: the numbered ``summary`` table in both editions; below it, in
    HTML only, the ``full`` listing folded away (a ``listing``, inside a dropdown the reader
    opens) with the dataset to download, and in
    print a line saying where the full listing is. ``what`` names the listing ("every claim
    checked, both sides quoted"); ``dataset`` is the catalog file that holds it. A printed
    register would run to twenty pages of two rows each, and an unfolded one to dozens of
    screens on a phone."""
    link = download_link(f"data/{dataset}", label=dataset)
    return Markdown(
        f"{summary.text}\n"
        f"::::::{{only}} html\n"
        f":::::{{dropdown}} The full register: {what}\n"
        f"A box above the table filters its rows; the register is also a dataset to download: "
        f"{link.text}.\n\n{full.text}:::::\n::::::\n\n"
        f"::::::{{only}} latex\n"
        f"The full register, {what}, is in the HTML edition of this report and in the dataset "
        f"{escape(dataset)} that comes with it.\n::::::\n"
    )


def positions(rows: pd.DataFrame, caption: str) -> Markdown:
    """The sources' positions on one theme of the shared agenda (rows of agenda.csv), each with
    its source: the table every chapter that reports the agenda shows."""
    return markdown_table(rows, columns={"claim": "Position", "source_id": "Source"}, caption=caption)


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
    """Relative column widths from the text a reader sees. Every column first gets its longest
    word (narrower, LaTeX would hyphenate it or push it past the rule); what is left of the line
    goes to the columns whose text would wrap, in proportion to how much text they hold beyond
    that (a column of many long cells, such as a list of sources, gets more than one whose only
    long cell is a single heading), never past the width of its longest line. The same widths
    serve the HTML table and the PDF's longtable."""
    labels = citation_labels()
    least, wanted, volume = [], [], []
    for i, header in enumerate(headers):
        measured = [_measure(header, labels, _HEADER_WIDTH), *(_measure(r[i], labels) for r in rows)]
        longest_word = max(max(m.word for m in measured) + 2, _NARROWEST)
        least.append(longest_word)
        wanted.append(max(min(max(m.line for m in measured), _WIDEST), longest_word))
        volume.append(sum(max(m.length - longest_word, 0) for m in measured))
    widths = [float(w) for w in least]
    growing = [i for i in range(len(headers)) if wanted[i] > least[i]]
    room = _LINE - _PADDING * len(headers) - sum(widths)
    while room > 0.5 and growing and sum(volume[i] for i in growing) > 0:
        total = sum(volume[i] for i in growing)
        for i in growing:
            widths[i] = min(widths[i] + room * volume[i] / total, wanted[i])
        room = _LINE - _PADDING * len(headers) - sum(widths)
        growing = [i for i in growing if widths[i] < wanted[i]]
    return [round(w) for w in widths]


class _Measured(NamedTuple):
    """A cell as the reader sees it, in characters of body text."""

    line: float  # its longest line
    word: float  # its longest word
    length: float  # all its text


def _measure(cell: str, labels: Mapping[str, str], scale: float = 1.0) -> _Measured:
    """A cell's longest line, longest word and length as the reader sees them, in characters of
    body text: escapes dropped, link texts kept, citations as their author–date labels, file
    names (set in a wider typewriter face) and headers (bold) counted wider."""
    if _FILE.search(cell):
        scale *= _CODE_WIDTH
    text = _FILE.sub(r"\1", cell)
    text = _CITATION.sub(
        lambda match: "; ".join(_cited(labels.get(i, i)) for i in match.group(1).split(",")), text
    )
    text = _LINK.sub(r"\1", text).replace("\\", "")
    lines = text.splitlines() or [""]
    longest_word = max((len(word) for word in text.split()), default=0)
    return _Measured(scale * max(len(line) for line in lines), scale * longest_word, scale * len(text))


def _cited(label: str) -> str:
    """ "Babakan 2021" as a textual citation shows it, "Babakan (2021)", the year on a line of its
    own: a cell may break there rather than widen its column for it."""
    name, _, year = label.rpartition(" ")
    return f"{name}\n({year})"


def figures(rows: pd.DataFrame, labels: Mapping[str, str], caption: str) -> Markdown:
    """Stated quantities (rows of indicators.csv) as a table: what is measured, the value with its
    unit and qualifier, the period and the source, one row per source, so that where sources
    disagree on one measure their figures stand one under the other."""
    first_seen = {indicator: rank for rank, indicator in enumerate(dict.fromkeys(rows["indicator_id"]))}
    rows = rows.sort_values("indicator_id", key=lambda ids: ids.map(first_seen), kind="stable")
    shown = rows.assign(
        measure=rows["indicator_id"].map(labels),
        figure=[figure(r.value, r.unit, r.qualifier, r.value_high) for r in rows.itertuples()],
        period=[
            period_label(r.period_start, r.period_end) if pd.notna(r.period_start) else "–"
            for r in rows.itertuples()
        ],
    )
    return markdown_table(
        shown,
        columns={"measure": "Measure", "figure": "Figure", "period": "Period", "source_id": "Source"},
        caption=caption,
    )
