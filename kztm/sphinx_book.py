"""Sphinx extension for the book (listed under ``sphinx.extra_extensions`` in _config.yml).

- Offline pages: Jupyter Book 1 always loads sphinx-thebe, which writes a script pointing at thebe
  on a CDN into every page and, with our staged build, declares it twice (a JavaScript error in
  every page). The report has no live-code buttons, so sphinx-thebe's page handlers are unhooked.
- Citations by source id: the data cites sources as ``seed-001``; the bibliography style ``kztm``
  labels entries with the same ids, so a reader sees one name for a source everywhere.
"""

from __future__ import annotations

from typing import Any

from pybtex.plugin import register_plugin
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from sphinx.application import Sphinx

_UNHOOKED_MODULE = "sphinx_thebe"
_UNHOOKED_EVENTS = ("env-before-read-docs", "doctree-resolved")


def _unhook_thebe(app: Sphinx) -> None:
    """Disconnect sphinx-thebe from the events that write its scripts into pages."""
    for event in _UNHOOKED_EVENTS:
        for listener in list(app.events.listeners.get(event, [])):
            if getattr(listener.handler, "__module__", "") == _UNHOOKED_MODULE:
                app.events.disconnect(listener.id)


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
    return {"parallel_read_safe": True, "parallel_write_safe": True}
