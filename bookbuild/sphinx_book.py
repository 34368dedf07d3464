"""Sphinx extension for the book (listed under ``sphinx.extra_extensions`` in _config.yml).

- Offline pages: Jupyter Book 1 always loads sphinx-thebe, which writes a script pointing at thebe
  on a CDN into every page and, with our staged build, declares it twice (a JavaScript error in
  every page). The report has no live-code buttons, so sphinx-thebe's page handlers are unhooked.
- Accessible pages: two of the theme's buttons are named differently from what they show, and
  docutils marks bibliography entries with the deprecated role ``doc-biblioentry`` inside a
  ``list``, which leaves the list without list items. ``bookbuild/templates`` replaces the two buttons;
  the entries are written by our own visitor, as ``listitem``s.
  (axe-core, run by the browser tests, found all three.)
- Citations by author and date: the data cites sources by id (``seed-001``), but a reader sees
  "Babakan (2021)" in the text (``bibtex_reference_style: author_year_round``) and the same label
  before the entry in the bibliography (style ``kztm``), sorted by that label.
- Light pages: the chart library (Vega, 0.5 MB; charts arrive compiled from Vega-Lite) loads only
  on pages that draw a chart, every linked script is deferred (none holds up the first paint), and
  every page gets a meta description from its first paragraph (search engines and link previews
  show it).
- A faster build: Sphinx unpickles a whole page again for every ``{numref}`` to it (some fifty,
  to pages of up to a megabyte); ``NumberedReferences`` reads each page once per build.
- Back matter in the PDF: Sphinx's LaTeX writer gathers every citation at the very end of the
  document, after the colophon, under a second, unnumbered "Bibliography". ``BackMatter`` moves
  them into the bibliography chapter and marks where the numbered chapters end, so the PDF's back
  matter is unnumbered and in the order of the table of contents, as in HTML.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docutils import nodes
from pybtex.backends.plaintext import Backend as PlainTextBackend
from pybtex.plugin import register_plugin
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders.html._assets import _JavaScript
from sphinx.builders.latex.nodes import thebibliography
from sphinx.domains.std import StandardDomain
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.writers.html5 import HTML5Translator
from sphinxcontrib.bibtex.plugin import register_plugin as register_bibtex_plugin
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

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
    """Look up templates in bookbuild/templates before the theme's."""
    config.templates_path = [str(TEMPLATES), *config.templates_path]


def _visit_citation(translator: Any, node: nodes.citation) -> None:
    """Docutils' bibliography entry, as a ``listitem`` of the ``role="list"`` it opens."""
    if not isinstance(node.previous_sibling(), type(node)):
        translator.body.append('<div role="list" class="citation-list">\n')
    translator.body.append(translator.starttag(node, "div", classes=[node.tagname], role="listitem"))


def author_date(entry: Any) -> str:
    """The entry's "Author Year": the first author's surname, or the corporate name without its
    braces, and the year field (which may be "n.d." or an inferred "[2025]")."""
    person = entry.persons["author"][0]
    name = " ".join(person.last_names).replace("{", "").replace("}", "")
    return f"{name} {entry.fields.get('year', 'n.d.')}"


class AuthorDateLabels(BaseLabelStyle):
    """Label each bibliography entry as the text cites it."""

    def format_labels(self, sorted_entries: Any) -> Any:
        for entry in sorted_entries:
            yield author_date(entry)


class AuthorDateSorting(BaseSortingStyle):
    """Entries in the order of their labels, as an author–date bibliography is read."""

    def sorting_key(self, entry: Any) -> str:
        return author_date(entry).casefold().lstrip("“")


class AuthorDateStyle(UnsrtStyle):
    """The unsrt style with author–date labels, sorted by them."""

    default_label_style = "author_date"
    default_sorting_style = "author_date"


def _round() -> BracketStyle:
    # Works are separated by semicolons: "(Interfax, 2024; Trend News Agency, 2024b)", since a
    # comma already separates each name from its year.
    return BracketStyle(left="(", right=")", sep="; ")


@dataclass
class RoundAuthorYear(AuthorYearReferenceStyle):
    """Author–date citations in round brackets, as an author–date text writes them:
    "Babakan (2021)" in a sentence, "(Babakan, 2021)" after it."""

    bracket_textual: BracketStyle = field(default_factory=_round)
    bracket_parenthetical: BracketStyle = field(default_factory=_round)
    bracket_author: BracketStyle = field(default_factory=_round)
    bracket_label: BracketStyle = field(default_factory=_round)
    bracket_year: BracketStyle = field(default_factory=_round)


# Raw LaTeX before the first back-matter chapter; \kztmbackmatter is defined in _config.yml.
BACK_MATTER_LATEX = "\\kztmbackmatter\n"


class BackMatter(SphinxPostTransform):
    """In the single LaTeX document: the gathered citations go into the chapter that holds the
    ``{bibliography}`` directive, and the chapters after the numbered ones are unnumbered."""

    default_priority = 760  # after Sphinx's BibliographyTransform (750) gathered the citations
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        files = list(self.document.findall(addnodes.start_of_file))
        numbered = set(self.env.toc_secnumbers)
        seen_numbered = False
        for part in files:
            if part["docname"] in numbered:
                seen_numbered = True
            elif seen_numbered:
                mark = nodes.raw("", BACK_MATTER_LATEX, format="latex")
                part.parent.insert(part.parent.index(part), mark)
                break
        gathered = next(iter(self.document.findall(thebibliography)), None)
        if gathered is None:
            return
        # Each citation remembers the document its {bibliography} directive is in.
        home = next((f for f in files if f["docname"] == gathered[0]["docname"]), None)
        if home is not None:
            gathered.parent.remove(gathered)
            section = next(iter(home.findall(nodes.section)), home)
            section += gathered


# Where the build stages the chart libraries from node_modules (bookbuild/build.py).
VENDOR_FOLDER = "_vendor"
# Vega alone: the charts are compiled to Vega at build time (kztm.charts). The book's kztm.js, which
# draws them with it, is in _static/, which Jupyter Book links into every page.
CHART_SCRIPTS = ("vendor/vega/vega.min.js",)
SEARCH_PAGE = "search"
# Assigned to by inline scripts that Sphinx writes after the script links: it must run first.
KEPT_SYNCHRONOUS = {"documentation_options.js"}
DESCRIPTION_LENGTH = 160
# The pages Sphinx writes without text of ours, described by what they are.
GENERATED_PAGES = {"search": "Search the full text of the report", "genindex": "Index of the report"}


def _serve_vendored_files(app: Sphinx, config: Any) -> None:
    """Serve the staged _vendor/ folder as static files, added after Jupyter Book has linked every
    script of html_static_path into every page, so that its scripts are linked by page."""
    if (Path(app.srcdir) / VENDOR_FOLDER).is_dir():
        config.html_static_path = [*config.html_static_path, VENDOR_FOLDER]


def _defer_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Load every linked script deferred, so that none holds up the page's first paint (Lighthouse
    counted seven small scripts of the theme and its extensions as render-blocking, 0.8 s on a
    phone). Deferred scripts still run in page order once the page is parsed. Two stay as they
    are: documentation_options.js, which the inline scripts Sphinx writes after the links assign
    to, and every script of the search page, whose template loads searchtools.js synchronously
    and which needs doctools.js already run."""
    if pagename == SEARCH_PAGE:
        return
    scripts = context["script_files"]
    scripts[:] = [
        script
        if not script.filename or Path(script.filename).name in KEPT_SYNCHRONOUS or _runs_later(script)
        else _JavaScript(script.filename, priority=script.priority, **script.attributes, defer="defer")
        for script in scripts
    ]


def _runs_later(script: _JavaScript) -> bool:
    """Whether a linked script already waits for the page (deferred, async or a module)."""
    attributes = script.attributes
    return "defer" in attributes or "async" in attributes or attributes.get("type") == "module"


def _chart_scripts_where_charts_are(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Add the chart libraries to this page only if it draws a chart, deferred (0.5 MB that
    would otherwise block the page's first paint)."""
    if 'class="kztm-chart"' in context.get("body", ""):
        for script in CHART_SCRIPTS:
            app.add_js_file(script, loading_method="defer")


def page_description(doctree: nodes.document) -> str:
    """The page's first paragraph of running text, cut at a word to about 160 characters."""
    for paragraph in doctree.findall(nodes.paragraph):
        if isinstance(paragraph.parent, (nodes.section, nodes.document)):
            text = " ".join(paragraph.astext().split())
            if len(text) <= DESCRIPTION_LENGTH:
                return text
            return text[: DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return ""


def _describe_page(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """A meta description for every page: its first paragraph, or for the pages Sphinx generates
    without text (search, index) what the page is, in the book's name."""
    description = page_description(doctree) if doctree is not None else ""
    if not description:
        what = GENERATED_PAGES.get(pagename, "The report")
        description = f"{what} “{app.config.html_title}”"
    tag = f'<meta name="description" content="{html.escape(description, quote=True)}" />\n'
    context["metatags"] = context.get("metatags", "") + tag


class _PagesReadOnce:
    """The build environment, but each page's doctree unpickled once and then shared: for lookups
    that only read it."""

    def __init__(self, env: BuildEnvironment, pages: dict[str, nodes.document]) -> None:
        self._env = env
        self._pages = pages

    def get_doctree(self, docname: str) -> nodes.document:
        if docname not in self._pages:
            self._pages[docname] = self._env.get_doctree(docname)
        return self._pages[docname]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._env, name)


class NumberedReferences(StandardDomain):
    """Sphinx's standard domain, resolving ``{numref}`` against pages read once per build (Sphinx
    reads the target page, only to look up the node, for every reference)."""

    def _resolve_numref_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: addnodes.pending_xref,
        contnode: nodes.Element,
    ) -> nodes.Element | None:
        pages = self.__dict__.setdefault("_pages_read", {})
        shared: Any = _PagesReadOnce(env, pages)
        return super()._resolve_numref_xref(shared, fromdocname, builder, typ, target, node, contnode)


def setup(app: Sphinx) -> dict[str, Any]:
    register_plugin("pybtex.style.labels", "author_date", AuthorDateLabels)
    register_plugin("pybtex.style.sorting", "author_date", AuthorDateSorting)
    register_plugin("pybtex.style.formatting", "kztm", AuthorDateStyle)
    # sphinxcontrib-bibtex asks pybtex for its plain-text backend at every citation (some 850),
    # and pybtex looks each time through every installed package's entry points (8 ms): 7 of
    # the HTML build's 20 s. The same class, registered at run time (over the entry point it
    # comes from, hence force), is found at once.
    register_plugin("pybtex.backends", "plaintext", PlainTextBackend, force=True)
    register_bibtex_plugin(
        "sphinxcontrib.bibtex.style.referencing", "author_year_round", RoundAuthorYear
    )
    app.add_post_transform(BackMatter)
    app.add_domain(NumberedReferences, override=True)
    app.connect("builder-inited", _unhook_thebe)
    app.connect("html-page-context", _chart_scripts_where_charts_are)
    app.connect("html-page-context", _describe_page)
    # After every handler that adds a script to the page.
    app.connect("html-page-context", _defer_scripts, priority=900)
    app.connect("config-inited", _use_accessible_templates)
    app.connect("config-inited", _serve_vendored_files)
    app.add_node(nodes.citation, override=True, html=(_visit_citation, HTML5Translator.depart_citation))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
