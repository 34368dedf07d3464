"""Links: every local link and anchor of the built book resolves (checked offline before the book
is published), and the book links its evidence: each dataset and each seed text."""

from __future__ import annotations

from pathlib import Path

from bookbuild.links import broken_links
from kztm.data import load_sources
from tests.conftest import ROOT, copy_built, run_build

PAGE = """<html><body>
<a href="#here">anchor</a> <p id="here">here</p>
<a href="other.html#there">other page</a>
<a href="other.html#nowhere">missing anchor</a>
<a href="seeds/missing.txt">missing seed</a>
<a href="data/trade.csv">dataset</a>
<a href="https://example.org/">external</a>
<a href="JavaScript:alert(document.domain)">a source's address that runs a script</a>
<iframe srcdoc="&lt;script src=&quot;_static/missing.js&quot;&gt;&lt;/script&gt;"></iframe>
<iframe data-srcdoc="&lt;link href=&quot;_static/missing.css&quot;&gt;"></iframe>
<a href="../outside.html">outside</a>
</body></html>"""


def test_the_link_check_names_each_link_that_leads_nowhere_and_why(tmp_path):
    book = tmp_path / "html"
    (book / "data").mkdir(parents=True)
    (book / "data" / "trade.csv").write_text("x", encoding="utf-8")
    (book / "index.html").write_text(PAGE, encoding="utf-8")
    (book / "other.html").write_text('<p id="there">there</p>', encoding="utf-8")

    assert broken_links(book) == [
        "index.html: other.html#nowhere (no element with id 'nowhere')",
        "index.html: seeds/missing.txt (no such file)",
        "index.html: JavaScript:alert(document.domain) (a link that runs a script)",
        "index.html: _static/missing.js (no such file)",
        "index.html: _static/missing.css (no such file)",
        "index.html: ../outside.html (points outside the book)",
    ]


def test_the_built_book_has_no_broken_links(built_book):
    assert broken_links(built_book.html_dir) == []


def test_the_book_offers_every_seed_text_unchanged(built_book):
    downloads = {p.name: p for p in (built_book.html_dir / "_downloads").rglob("*") if p.is_file()}
    methods = (built_book.html_dir / "chapters" / "methods.html").read_text(encoding="utf-8")
    for path in load_sources().query("kind == 'seed'")["path"]:
        name = Path(path).name
        assert name in downloads, f"{name} is not offered"
        assert f"{downloads[name].parent.name}/{name}" in methods
        assert downloads[name].read_bytes() == (ROOT / path).read_bytes()


def test_a_broken_link_stops_the_build_and_keeps_the_last_good_book(built_book, tmp_path):
    project = copy_built(built_book, tmp_path / "project")
    published = (project.html_dir / "intro.html").read_bytes()
    intro = project.root / "intro.md"
    intro.write_text(
        intro.read_text(encoding="utf-8") + '\n<a href="seeds/no-such-seed.txt">a seed</a>\n',
        encoding="utf-8",
    )

    result = run_build(project.root)

    assert result.returncode != 0
    assert "intro.html: seeds/no-such-seed.txt (no such file)" in result.stderr
    assert "nothing was published" in result.stderr
    assert (project.html_dir / "intro.html").read_bytes() == published
