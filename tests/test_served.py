"""The book's loopback server compresses text as a web server would, and leaves images alone."""

from __future__ import annotations

import gzip
import urllib.request

from bookbuild.served import book_pages, served


def fetch(url: str, encoding: str) -> tuple[str | None, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers.get("Content-Encoding"), response.read()


def test_text_is_served_compressed_and_images_as_they_are(tmp_path):
    script = b"var book = 'Astana';\n" * 200
    image = bytes(range(256)) * 4
    (tmp_path / "app.js").write_bytes(script)
    (tmp_path / "chart.png").write_bytes(image)
    with served(tmp_path) as base:
        encoding, body = fetch(f"{base}app.js", "gzip")
        assert encoding == "gzip" and gzip.decompress(body) == script and len(body) < len(script)
        assert fetch(f"{base}app.js", "identity") == (None, script)
        assert fetch(f"{base}chart.png", "gzip") == (None, image)


def test_the_book_pages_are_the_landing_page_chapters_and_back_matter(tmp_path):
    for name in ("intro.html", "index.html", "chapters/trade.html", "_static/x.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("<p>page</p>", encoding="utf-8")
    pages = [str(p.relative_to(tmp_path)) for p in book_pages(tmp_path)]
    assert pages == ["chapters/trade.html", "intro.html"]
