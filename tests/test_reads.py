"""A chapter that reads a data file it does not declare fails the build, whatever reads it
(issue 15, item 1): the build's reads watch records every open of the project's data."""

from __future__ import annotations

import pytest

from tests.conftest import copy_built, run_build

READS = {
    "pandas": 'import pandas as pd\nextra = pd.read_csv("../data/agenda.csv")',
    "open": 'with open("../data/agenda.csv", encoding="utf-8") as extra:\n    extra.read()',
}


@pytest.mark.parametrize("how", READS)
def test_an_undeclared_read_names_the_chapter_the_file_and_the_line(built_book, tmp_path, how):
    """Geopolitics does not consume the agenda dataset."""
    project = copy_built(built_book, tmp_path / "project")
    published = (project.html_dir / "chapters" / "geopolitics.html").read_bytes()
    chapter = project.root / "chapters" / "geopolitics.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8") + f"\n```{{code-cell}} ipython3\n{READS[how]}\n```\n",
        encoding="utf-8",
    )

    result = run_build(project.root)

    assert result.returncode != 0
    first_line = READS[how].splitlines()[-1 if how == "pandas" else 0].strip()
    assert (
        f"chapter geopolitics read data/agenda.csv (line {2 if how == 'pandas' else 1} of its cell: "
        f"{first_line})" in result.stderr
    ), result.stderr
    assert (project.html_dir / "chapters" / "geopolitics.html").read_bytes() == published
