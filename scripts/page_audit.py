"""Lighthouse's verdict on every page of a built book, served as a web server would serve it.

The pages are served from loopback with gzip compression for text, as a production web server
serves them (``bookbuild.served``), and audited one by one by Lighthouse (npm, installed by
``make setup``) in Debian's Chromium, with its default mobile profile: slow 4G and a mid-range
phone. This prints figures; it asserts nothing.

Usage: ``.venv/bin/python scripts/page_audit.py [HTML_FOLDER]`` (default ``_build/html``);
``make bench`` runs it on its cold build.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bookbuild.served import book_pages, served

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
METRICS = {"largest-contentful-paint": "LCP", "total-blocking-time": "TBT"}


def audit(url: str, report: Path) -> str:
    """Lighthouse's performance and SEO scores and two metrics for one page, as one line."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--chrome-flags=--headless=new --no-sandbox",
        "--only-categories=performance,seo",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
    ]
    chromium = shutil.which("chromium") or ""
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env={**os.environ, "CHROME_PATH": chromium},
        check=False,
    )
    if result.returncode != 0 or not report.is_file():
        return f"not measured: {(result.stderr.strip().splitlines() or ['no report'])[-1]}"
    found = json.loads(report.read_text(encoding="utf-8"))
    scores = {name: round(100 * category["score"]) for name, category in found["categories"].items()}
    metrics = ", ".join(
        f"{label} {found['audits'][audit_id]['displayValue']}" for audit_id, label in METRICS.items()
    )
    return f"performance {scores['performance']}, SEO {scores['seo']}; {metrics}"


def lighthouse_scores(html_dir: Path) -> dict[str, dict[str, str]]:
    """Every page's Lighthouse figures (goals: performance 80 or more, SEO 100)."""
    title = "Lighthouse, mobile profile, served gzip-compressed from loopback"
    if not LIGHTHOUSE.is_file() or not shutil.which("chromium"):
        return {title: {"not run": "needs node_modules/.bin/lighthouse and chromium (make setup)"}}
    rows = {}
    with served(html_dir) as base, tempfile.TemporaryDirectory() as scratch:
        for page in book_pages(html_dir):
            name = str(page.relative_to(html_dir))
            rows[name] = audit(f"{base}{name}", Path(scratch) / "report.json")
    return {title: rows}


def main() -> None:
    html_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_build" / "html"
    for title, rows in lighthouse_scores(html_dir).items():
        print(title)
        for page, figures in rows.items():
            print(f"  {page:<28}{figures}")


if __name__ == "__main__":
    main()
