"""Build parameters: a misspelt name or a value of the wrong type is refused before anything runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookbuild.build import parse_params
from bookbuild.incremental import parameter_problems
from tests.conftest import ROOT

CHAPTERS = sorted((ROOT / "chapters").glob("*.md"))


def problems(*pairs: str) -> list[str]:
    return parameter_problems(CHAPTERS, parse_params(list(pairs)))


def test_declared_parameters_with_the_right_types_pass():
    assert problems("as_of=2019-12-31", "target_year=2035") == []


def test_a_misspelt_name_is_refused_with_the_names_the_chapters_declare():
    (problem,) = problems("asof=2019-12-31")
    assert "unknown parameter 'asof'" in problem
    assert "as_of, target_year" in problem


@pytest.mark.parametrize("pair", ["as_of=2019", "as_of=2019-13-01", "as_of=31/12/2019"])
def test_a_date_parameter_needs_a_calendar_date(pair):
    (problem,) = problems(pair)
    assert problem.startswith("as_of=") and "YYYY-MM-DD" in problem


def test_a_number_parameter_refuses_text():
    (problem,) = problems("target_year=soon")
    assert "target_year='soon'" in problem and "expected int" in problem


def test_the_chapters_all_declare_as_of():
    assert all("as_of" in Path(c).read_text(encoding="utf-8") for c in CHAPTERS)
