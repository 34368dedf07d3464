"""The built book as a reader gets it: its pages, and a web server for them on loopback.

The browser tests open the pages through this server and the Lighthouse audit
(``scripts/page_audit.py``) measures them through it. It gzips text for clients that accept it, as
any production web server or static host does: Python's plain ``http.server`` sends files
uncompressed, which Lighthouse then scores as a misconfigured server.
"""

from __future__ import annotations

import gzip
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")


def book_pages(html_dir: Path) -> list[Path]:
    """The book's pages: landing page, chapters and back matter (not the redirecting index)."""
    pages = [*html_dir.glob("*.html"), *(html_dir / "chapters").glob("*.html")]
    return sorted(page for page in pages if page.name != "index.html")


class CompressingHandler(SimpleHTTPRequestHandler):
    """Static files, text gzip-compressed for clients that accept it; no request log."""

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        kind = self.guess_type(str(path))
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and kind.startswith(COMPRESSED_TYPES)):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests and the audit report what they find."""


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on a free loopback port for the duration; yields its base URL (ending
    in a slash)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(CompressingHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
