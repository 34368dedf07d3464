"""Sphinx extension: an edition dated in the past leaves out what could not be known by its date.

A book built with ``as_of`` before today filters its data by that day, but the chapters' running
text was written from every source. A passage that cites a source published after the edition's
date ("what did we know in 2019?") is replaced by a marked note saying that it is not yet known
and naming the later sources, so the reader sees where the edition is silent and why. A passage
built around a value no record gives yet (the words of ``kztm.prose.not_known``: "turnover came
to not known by ...") is replaced the same way. Figures,
tables, captions and the data notes are built from the filtered data and cite what they show, so
they are left alone; so is every passage whose sources were published by then or carry no date.

The build (``bookbuild/build.py``) puts the edition's day, those words and the later sources, with
the labels readers see, in the Sphinx configuration; the default edition has no later source and
no value it does not know, and nothing changes.
"""

from __future__ import annotations

from typing import Any, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinxcontrib.bibtex.citation_target import parse_citation_targets

# Where a citation belongs to data shown rather than to the authors' text.
DATA_PARENTS = (nodes.table, nodes.caption, nodes.legend, nodes.figure, nodes.citation)
DATA_CLASS = "data-note"
WITHHELD_CLASS = "withheld"


def cited_keys(paragraph: nodes.Element) -> set[str]:
    """The source ids a paragraph cites (``{cite:p}`` and ``{cite:t}`` alike)."""
    keys: set[str] = set()
    for reference in paragraph.findall(addnodes.pending_xref):
        if reference.get("refdomain") == "cite":
            keys.update(t.key for t in parse_citation_targets(reference["reftarget"]))
    return keys


def authored(paragraph: nodes.paragraph) -> bool:
    """Whether the paragraph is running text rather than part of a table, caption or data note."""
    parent = paragraph.parent
    while parent is not None:
        if isinstance(parent, DATA_PARENTS) or DATA_CLASS in parent.get("classes", []):
            return False
        parent = parent.parent
    return True


def note(day: str, labels: list[str]) -> nodes.paragraph:
    """The marker left where passages are withheld: the later sources they rest on, or, for
    passages about values no record gives yet, that."""
    marker = nodes.paragraph(classes=[WITHHELD_CLASS])
    marker += nodes.strong(text=f"Not yet known on {day}.")
    if labels:
        why = f"rests on sources published later ({'; '.join(labels)})"
    else:
        why = "is about figures that no source gives by then"
    marker += nodes.Text(f" This edition leaves out a passage here that {why}.")
    marker["kztm_labels"] = labels  # for a following passage's note to add its sources to
    return marker


class WithheldPassages(SphinxTransform):
    """Replace each run of paragraphs citing a later source, or holding a value not known yet
    (``kztm.prose.not_known``), with one note naming those sources."""

    default_priority = 500

    def apply(self, **kwargs: Any) -> None:
        later: dict[str, str] = self.config.kztm_later_sources
        not_known: str = self.config.kztm_not_known
        if not later and not not_known:
            return
        removed: set[str] = set()
        for paragraph in list(self.document.findall(nodes.paragraph)):
            keys = cited_keys(paragraph) & later.keys()
            blank = bool(not_known) and not_known in paragraph.astext()
            if not (keys or blank) or not authored(paragraph) or paragraph.parent is None:
                continue
            removed.update(
                ref["ids"][0] for ref in paragraph.findall(addnodes.pending_xref) if ref["ids"]
            )
            labels = {later[key] for key in keys}
            replaced: nodes.Element = paragraph
            previous = paragraph.previous_sibling()
            if isinstance(previous, nodes.paragraph) and WITHHELD_CLASS in previous["classes"]:
                labels |= set(previous["kztm_labels"])
                paragraph.parent.remove(paragraph)
                replaced = previous
            replaced.replace_self(note(self.config.kztm_as_of_day, sorted(labels)))
        self._forget_citations(removed)

    def _forget_citations(self, removed: set[str]) -> None:
        """Citations left out of the page are not listed as cited from it (no bibliography entry
        links back to a passage that is not there)."""
        domain = cast(Any, self.env.get_domain("cite"))
        domain.data["citation_refs"] = [
            ref for ref in domain.citation_refs if ref.citation_ref_id not in removed
        ]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("kztm_later_sources", {}, "env")
    app.add_config_value("kztm_as_of_day", "", "env")
    app.add_config_value("kztm_not_known", "", "env")
    app.add_transform(WithheldPassages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
