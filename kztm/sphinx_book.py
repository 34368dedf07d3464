"""Sphinx extension for the book (listed under ``sphinx.extra_extensions`` in _config.yml).

- Offline pages: Jupyter Book 1 always loads sphinx-thebe, which writes a script pointing at thebe
  on a CDN into every page and, with our staged build, declares it twice (a JavaScript error in
  every page). The report has no live-code buttons, so sphinx-thebe's page handlers are unhooked.
- Accessible pages: two of the theme's buttons and MyST-NB's "Show code cell source" toggles are
  named differently from what they show (the toggle's aria-label is "Toggle hidden content"), and
  docutils marks bibliography entries with the deprecated role ``doc-biblioentry`` inside a
  ``list``, which leaves the list without list items. ``kztm/templates`` replaces the two buttons;
  the toggle and the entries are written by our own visitors (the toggle without the mismatched
  label, the entries as ``listitem``s).
  (axe-core, run by the browser tests, found all four.)
- Citations by source id: the data cites sources as ``seed-001``; the bibliography style ``kztm``
  labels entries with the same ids, so a reader sees one name for a source everywhere.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from docutils import nodes
from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput
from pybtex.plugin import register_plugin
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

_UNHOOKED_MODULE = "sphinx_thebe"
_UNHOOKED_EVENTS = ("env-before-read-docs", "doctree-resolved")
TEMPLATES = Path(__file__).parent / "templates"


def _unhook_thebe(app: Sphinx) -> None:
    """Disconnect sphinx-thebe from the events that write its scripts into pages."""
    for event in _UNHOOKED_EVENTS:
        for listener in list(app.events.listeners.get(event, [])):
            if getattr(listener.handler, "__module__", "") == _UNHOOKED_MODULE:
                app.events.disconnect(listener.id)


def _use_accessible_templates(app: Sphinx, config: Any) -> None:
    """Look up templates in kztm/templates before the theme's."""
    config.templates_path = [str(TEMPLATES), *config.templates_path]


def _visit_citation(translator: Any, node: nodes.citation) -> None:
    """Docutils' bibliography entry, as a ``listitem`` of the ``role="list"`` it opens."""
    if not isinstance(node.previous_sibling(), type(node)):
        translator.body.append('<div role="list" class="citation-list">\n')
    translator.body.append(translator.starttag(node, "div", classes=[node.tagname], role="listitem"))


def _visit_code_toggle(translator: Any, node: HideCodeCellNode) -> None:
    """MyST-NB's code toggle, named by the text it shows ("Show code cell source")."""
    classes = " ".join(node["classes"])
    translator.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    for state, prompt in (("collapsed", "prompt_show"), ("expanded", "prompt_hide")):
        translator.body.append(f'<p class="{state} admonition-title">{escape(node[prompt])}</p>\n')
    translator.body.append("</summary>\n")


class SourceIdLabels(BaseLabelStyle):
    """Label each bibliography entry with its key, which is the source_id of data/sources.csv."""

    def format_labels(self, sorted_entries: Any) -> Any:
        for entry in sorted_entries:
            yield entry.key


class SourceIdSorting(BaseSortingStyle):
    """Entries in source-id order: the seeds first, in corpus order, then the others."""

    def sorting_key(self, entry: Any) -> tuple[bool, str]:
        return (not entry.key.startswith("seed-"), entry.key)


class SourceIdStyle(UnsrtStyle):
    """The unsrt style with source ids as labels, sorted by them."""

    default_label_style = "source_id"
    default_sorting_style = "source_id"


def setup(app: Sphinx) -> dict[str, Any]:
    register_plugin("pybtex.style.labels", "source_id", SourceIdLabels)
    register_plugin("pybtex.style.sorting", "source_id", SourceIdSorting)
    register_plugin("pybtex.style.formatting", "kztm", SourceIdStyle)
    app.connect("builder-inited", _unhook_thebe)
    app.connect("config-inited", _use_accessible_templates)
    app.add_node(nodes.citation, override=True, html=(_visit_citation, HTML5Translator.depart_citation))
    app.add_node(HideCodeCellNode, override=True, html=(_visit_code_toggle, depart_HideCellInput))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
