"""Sphinx extension that keeps the book free of remote code.

Jupyter Book 1 always loads sphinx-thebe, which writes a script pointing at thebe on a CDN into every
page and, with our staged build, declares it twice (a JavaScript error in every page). The report
has no live-code buttons, so this extension unhooks sphinx-thebe's page handlers before any page is
read. Listed under ``sphinx.extra_extensions`` in _config.yml.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

_UNHOOKED_MODULE = "sphinx_thebe"
_UNHOOKED_EVENTS = ("env-before-read-docs", "doctree-resolved")


def _unhook_thebe(app: Sphinx) -> None:
    """Disconnect sphinx-thebe from the events that write its scripts into pages."""
    for event in _UNHOOKED_EVENTS:
        for listener in list(app.events.listeners.get(event, [])):
            if getattr(listener.handler, "__module__", "") == _UNHOOKED_MODULE:
                app.events.disconnect(listener.id)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _unhook_thebe)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
