"""Archiving a source refuses a header the book could not publish, naming the file, before it
copies or records anything."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from tests.conftest import ROOT

HEADER = (
    "url: {url}\ntitle: A page\noutlet: Example Gazette\nauthor: \npublished: \n"
    "accessed: {accessed}\nlanguage: en\n\nA passage.\n"
)


def digest(*paths: str) -> str:
    return hashlib.sha256(b"".join((ROOT / path).read_bytes() for path in paths)).hexdigest()


@pytest.mark.parametrize(
    ("url", "accessed", "message"),
    [
        ("javascript:alert(document.domain)", "2026-11-22", "expected an http or https address"),
        ("htp:/not a url", "2026-11-22", "expected an http or https address"),
        ("https://example.org/a page", "2026-11-22", "with a host and no spaces"),
        ("https://example.org/a", "22/11/2026", "accessed '22/11/2026': expected a date"),
    ],
)
def test_a_bad_address_or_date_is_refused_naming_the_file_and_nothing_is_written(
    tmp_path, url, accessed, message
):
    page = tmp_path / "bad-page.txt"
    page.write_text(HEADER.format(url=url, accessed=accessed), encoding="utf-8")
    before = digest("archive/SHA256SUMS", "data/sources.csv")
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "archive_source.py"), str(page)],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert str(page) in result.stderr and message in result.stderr, result.stderr
    assert digest("archive/SHA256SUMS", "data/sources.csv") == before
    assert not (ROOT / "archive" / page.name).exists()
