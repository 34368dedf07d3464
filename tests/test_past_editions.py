"""Books dated in the past ("what did we know in 2019?"): every chapter builds for a date before
all data and for one between, and says what is not yet known instead of what was learnt later.
With the default edition built by the other tests, that is three dates."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from bookbuild.project import Project
from kztm import data
from kztm.paths import using_root
from kztm.prose import day
from tests.conftest import copy_project, keep_kernel_logs, run_build

# A passage of the diplomacy chapter that rests on articles of 2021 and later.
LATER_PASSAGE = "The rank is not pedantry"


def first_record_day(root: Path) -> date:
    """The earliest date any dataset gives a record (the sources' own dates are not records)."""
    with using_root(root):
        days = [
            data.load_all(name)[column.name].min()
            for name, dataset in data.load_catalog().items()
            if name != "sources"
            for column in dataset.columns
            if column.type == "date"
        ]
    return min(d for d in days if d == d).date()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return Project(copy_project(tmp_path_factory.mktemp("past")))


def built_page(project: Project, as_of: str, page: str) -> str:
    result = run_build(project.root, "--param", f"as_of={as_of}")
    if result.returncode != 0:
        keep_kernel_logs(project)
    assert result.returncode == 0, result.stderr[-3000:]
    return (project.html_dir / page).read_text(encoding="utf-8")


def text_of(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_a_book_dated_before_all_data_builds_and_says_nothing_is_known_yet(project):
    before = first_record_day(project.root) - timedelta(days=1)
    intro = text_of(built_page(project, before.isoformat(), "intro.html"))
    assert f"Evidence up to {day(before.isoformat())}" in intro
    assert "No dated meeting between the two states is recorded by this date" in intro
    diplomacy = text_of((project.html_dir / "chapters" / "diplomacy.html").read_text("utf-8"))
    assert f"Not yet known on {day(before.isoformat())}." in diplomacy
    assert LATER_PASSAGE not in diplomacy
    trade = (project.html_dir / "chapters" / "trade.html").read_text("utf-8")
    assert "No figure is known by this date." in trade


def test_a_book_dated_2019_leaves_out_what_later_articles_report(project):
    diplomacy = text_of(built_page(project, "2019-12-31", "chapters/diplomacy.html"))
    assert "Not yet known on 31 December 2019." in diplomacy
    assert LATER_PASSAGE not in diplomacy
    # Named by the labels readers see, not by internal ids.
    assert "Babakan 2021" in diplomacy and "seed-003" not in diplomacy
    # What was published by then stays: the chapter's opening counts the events held by then.
    assert re.search(
        r"From \d{4} to the end of this edition.s evidence, 31 December 2019, the sources report "
        r"\w+ events? held",
        diplomacy,
    )
