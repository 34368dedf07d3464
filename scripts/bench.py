"""Benchmark the rerun story: this project's build against plain `jupyter-book build`.

Three scenarios, each on a fresh copy of the project under a temporary folder:
  cold build         nothing built before
  no-change rebuild  the same build again
  one dataset        a new full-year row in data/trade.csv (an analyst adding official figures)
The cold build is also split into its steps (executing the chapters, Jupyter Book writing the
pages, the rest), from the build's log. Two more scenarios for this project's build alone, which
fingerprints the source rows a chapter cites:
  new source, cited  a new row in data/sources.csv and a trade row citing it
  new source, idle   a new row in data/sources.csv that no data cites yet

It then weighs every page of the cold build: the HTML plus each local script, stylesheet, image and
icon font it loads (a browser fetches a web font only when the page uses it; the book's pages use
the theme's solid icon font), against the goals of 1 MB for a page without charts or maps and 1.5 MB
for one with them, and has Lighthouse audit every page (``page_audit.py``: performance and SEO,
mobile profile, served gzip-compressed from loopback).

Each runs with ``python -m bookbuild html`` and with plain ``jupyter-book build`` on the same
chapters (as MyST notebooks Jupyter Book executes itself) with ``execute_notebooks: force`` and
with ``cache``. A chapter page is *stale* when its text (prose, tables and chart data) differs from
a fresh build of the changed data by the same tool. This prints figures; it asserts nothing.

Usage: ``make bench`` (or ``.venv/bin/python scripts/bench.py [--keep FOLDER]``).
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from page_audit import lighthouse_scores

from bookbuild.build import stage
from bookbuild.project import Project
from bookbuild.served import book_pages
from kztm.paths import ROOT_ENV, using_root

ROOT = Path(__file__).resolve().parents[1]
# An official-statistics source is part of the project from the start; the change adds its figure.
OFFICIAL_SOURCE = (
    "stat-bench,official,Benchmark export of official trade statistics,,Statistics office,,,,,en,"
    ",https://stat.example/trade,2026-11-22,benchmark data\n"
)
NEW_TRADE_ROW = (
    "2025-01-01,2025-12-31,turnover,612.3,exact,stat-bench,kz_official,,a full year from official data\n"
)
CITED_SOURCE = (
    "press-bench,press,Benchmark news page,,Benchmark Daily,,,,,en,,https://news.example/trade,"
    "2026-11-22,benchmark data\n"
)
CITING_TRADE_ROW = "2025-01-01,2025-06-30,turnover,301.5,exact,press-bench,not_stated,,a half year\n"
IDLE_SOURCE = (
    "idle-bench,press,Benchmark page nothing cites,,Benchmark Weekly,,,,,en,,https://weekly.example/a,"
    "2026-11-22,benchmark data\n"
)
JUPYTER_BOOK = str(Path(sys.executable).parent / "jupyter-book")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    """Run a command to completion; its wall-clock seconds and what it printed."""
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    seconds = time.monotonic() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return seconds, result.stdout + result.stderr


def kztm_build(project: Project) -> tuple[float, str]:
    return timed([sys.executable, "-m", "bookbuild", "html", "--root", str(project.root)])


def jupyter_book_tree(project: Project, folder: Path, mode: str) -> Path:
    """The book as plain Jupyter Book would build it: the chapters as MyST notebooks it executes
    itself with ``execute_notebooks: mode`` ("fresh" is "force" on a tree built only once),
    everything else as this project stages it."""
    source = stage(project, folder)
    for name in project.chapters():
        (source / "chapters" / f"{name}.ipynb").unlink()
        shutil.copy2(project.root / "chapters" / f"{name}.md", source / "chapters")
    config_path = source / "_config.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["execute"] = {"execute_notebooks": "force" if mode == "fresh" else mode, "timeout": 300}
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return source


def jupyter_book_build(source: Path) -> tuple[float, str]:
    """Plain ``jupyter-book build``; kernels read the data of the tree being built."""
    env = {**os.environ, ROOT_ENV: str(source)}
    return timed([JUPYTER_BOOK, "build", str(source), "-W", "-n", "--keep-going"], env)


def page_texts(html_dir: Path, chapters: list[str]) -> dict[str, str]:
    """Each chapter page's text, chart data included (script contents are kept), tags dropped."""
    texts = {}
    for name in chapters:
        page = (html_dir / "chapters" / f"{name}.html").read_text(encoding="utf-8")
        main = page[page.find("<main") : page.rfind("</main>")]
        texts[name] = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())
    return texts


def stale(built: Path, truth: Path, chapters: list[str]) -> list[str]:
    """Chapters whose page differs from a fresh build's."""
    ours, fresh = page_texts(built, chapters), page_texts(truth, chapters)
    return [name for name in chapters if ours[name] != fresh[name]]


def executed(output: str) -> list[str]:
    """Chapters a build executed, from its log (ours, or myst-nb's)."""
    pattern = r"\] executed (\w+) in|chapters/(\w+)\.md: Executing notebook"
    return [ours or theirs for ours, theirs in re.findall(pattern, output)]


def where_the_time_goes(cold: float, output: str) -> str:
    """The cold build's seconds split into its steps, from its log: executing the chapters, Jupyter
    Book writing the pages, and the rest (checking the data, staging, trimming, publishing)."""
    executing = re.search(r"executed \d+ chapter\(s\) in ([\d.]+) s", output)
    writing = re.search(r"Jupyter Book wrote the pages in ([\d.]+) s", output)
    if not executing or not writing:
        return "-"
    chapters, pages = float(executing[1]), float(writing[1])
    rest = cold - chapters - pages
    return f"chapters {chapters:.1f} s, Jupyter Book {pages:.1f} s, the rest {rest:.1f} s"


def figures(
    cold: float, unchanged: float, changed: float, ran: list[str], stale_pages: list[str], total: int
) -> dict[str, str]:
    return {
        "cold build": f"{cold:.1f} s",
        "no-change rebuild": f"{unchanged:.1f} s ({unchanged / cold:.0%} of cold)",
        "one dataset changed": f"{changed:.1f} s",
        "chapters executed after the change": f"{len(ran)} of {total}: {', '.join(sorted(ran)) or '-'}",
        "stale chapter pages after the change": ", ".join(stale_pages) or "none",
    }


def source_scenarios(project: Project, scratch: Path, chapters: list[str]) -> dict[str, str]:
    """A new source cited by a new trade row, then a new source nothing cites: what each rebuild
    executed, and whether any page is stale against a fresh build."""
    append(project.root / "data" / "sources.csv", CITED_SOURCE)
    append(project.root / "data" / "trade.csv", CITING_TRADE_ROW)
    cited, cited_output = kztm_build(project)
    append(project.root / "data" / "sources.csv", IDLE_SOURCE)
    idle, idle_output = kztm_build(project)
    truth = project.copy_sources(scratch / "kztm-fresh-sources")
    kztm_build(truth)
    total = len(chapters)
    ran_cited, ran_idle = sorted(executed(cited_output)), sorted(executed(idle_output))
    return {
        "new source cited by a trade row": f"{cited:.1f} s",
        "chapters executed after it": f"{len(ran_cited)} of {total}: {', '.join(ran_cited) or '-'}",
        "new source nothing cites": f"{idle:.1f} s",
        "chapters executed after that": f"{len(ran_idle)} of {total}: {', '.join(ran_idle) or '-'}",
        "stale chapter pages after both": ", ".join(stale(project.html_dir, truth.html_dir, chapters))
        or "none",
    }


def bench(scratch: Path) -> dict[str, dict[str, str]]:
    """Every scenario for every tool; the figures by tool."""
    project = Project(ROOT).copy_sources(scratch / "kztm")
    append(project.root / "data" / "sources.csv", OFFICIAL_SOURCE)
    chapters = project.chapters()
    cold, cold_output = kztm_build(project)
    weights = page_weights(project.html_dir) | lighthouse_scores(project.html_dir)
    unchanged, _ = kztm_build(project)
    # Plain Jupyter Book gets the same sources, before the change.
    with using_root(project.root):
        trees = {
            mode: jupyter_book_tree(project, scratch / f"jb-{mode}", mode)
            for mode in ("fresh", "force", "cache")
        }

    append(project.root / "data" / "trade.csv", NEW_TRADE_ROW)
    changed, output = kztm_build(project)
    truth = project.copy_sources(scratch / "kztm-fresh")
    kztm_build(truth)
    results = {
        "kztm (python -m bookbuild html)": figures(
            cold,
            unchanged,
            changed,
            executed(output),
            stale(project.html_dir, truth.html_dir, chapters),
            len(chapters),
        )
    }
    results["kztm (python -m bookbuild html)"]["cold build, step by step"] = where_the_time_goes(
        cold, cold_output
    )
    results["kztm (python -m bookbuild html)"] |= source_scenarios(project, scratch, chapters)
    results.update(weights)

    append(trees["fresh"] / "data" / "trade.csv", NEW_TRADE_ROW)
    jupyter_book_build(trees["fresh"])
    for mode in ("force", "cache"):
        cold, _ = jupyter_book_build(trees[mode])
        unchanged, _ = jupyter_book_build(trees[mode])
        append(trees[mode] / "data" / "trade.csv", NEW_TRADE_ROW)
        changed, output = jupyter_book_build(trees[mode])
        results[f"jupyter-book build, execute_notebooks: {mode}"] = figures(
            cold,
            unchanged,
            changed,
            executed(output),
            stale(trees[mode] / "_build" / "html", trees["fresh"] / "_build" / "html", chapters),
            len(chapters),
        )
    return results


_LINKED = re.compile(r'<(?:script|img|link)\b[^>]*?(?:src|href)="([^"#]+)"', re.IGNORECASE)
LOADED = (".js", ".css", ".png", ".svg", ".jpg", ".ico")
# The one web font the pages draw with: the theme's icons (its other fonts are never requested).
ICON_FONT = "fa-solid-900.woff2"


def page_weight(page: Path, icon_font: Path | None) -> tuple[int, list[tuple[str, int]]]:
    """Bytes a browser loads for the page from the book itself, and the three heaviest files."""
    files = {page: page.stat().st_size}
    if icon_font is not None:
        files[icon_font] = icon_font.stat().st_size
    for reference in _LINKED.findall(page.read_text(encoding="utf-8")):
        link = urlsplit(reference)
        path = (page.parent / link.path).resolve()
        if not link.scheme and not link.netloc and path.suffix in LOADED and path.is_file():
            files[path] = path.stat().st_size
    heaviest = sorted(((p.name, size) for p, size in files.items()), key=lambda f: -f[1])[:3]
    return sum(files.values()), heaviest


def page_weights(html_dir: Path) -> dict[str, dict[str, str]]:
    """Every page's weight against its goal (1 MB, or 1.5 MB with a chart or a map)."""
    rows = {}
    icon_font = next(html_dir.rglob(ICON_FONT), None)
    for page in book_pages(html_dir):
        text = page.read_text(encoding="utf-8")
        figures = 'class="kztm-chart"' in text or "kztm-map-frame" in text
        goal = 1.5e6 if figures else 1e6
        weight, heaviest = page_weight(page, icon_font)
        verdict = "met" if weight <= goal else "missed"
        rows[str(page.relative_to(html_dir))] = (
            f"{weight / 1e6:.2f} MB (goal {goal / 1e6:.1f} MB, {verdict}); "
            + ", ".join(f"{name} {size / 1e6:.2f}" for name, size in heaviest)
        )
    return {"page weight (cold build)": rows}


def print_table(columns: dict[str, dict[str, str]]) -> None:
    for tool, figures in columns.items():
        width = max(len(r) for r in figures) + 2
        print(f"\n{tool}")
        for row, figure in figures.items():
            print(f"  {row:<{width}}{figure}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it afterwards")
    args = parser.parse_args()
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="kztm-bench-"))
    print(f"benchmarking in {scratch} on {os.cpu_count()} core(s); this takes several minutes")
    try:
        print_table(bench(scratch))
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
