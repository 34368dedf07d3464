"""Loading and validating the datasets: valid data loads typed; each defect gets a precise error.

Bad inputs are made in a temporary copy of data/ and seeds/ from the valid files plus one defect
each, so every case is one line of the table below.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from kztm import data
from kztm.archive import TEXT_FOLDERS
from kztm.catalog import CatalogError, load_catalog
from kztm.edition import Edition
from kztm.paths import using_root
from kztm.validate import DataError, Evidence, check_rows
from tests.conftest import ROOT


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def set_cell(row: int, column: str, value: str) -> Callable[[str], str]:
    """Defect: data row ``row`` (1-based) gets ``value`` in ``column``."""

    def edit(text: str) -> str:
        rows = rows_of(text)
        rows[row][rows[0].index(column)] = value
        return csv_text(rows)

    return edit


def drop_column(column: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        rows = rows_of(text)
        index = rows[0].index(column)
        return csv_text([r[:index] + r[index + 1 :] for r in rows])

    return edit


def add_column(column: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        rows = rows_of(text)
        return csv_text([rows[0] + [column]] + [[*r, "x"] for r in rows[1:]])

    return edit


def duplicate_row(row: int) -> Callable[[str], str]:
    def edit(text: str) -> str:
        rows = rows_of(text)
        return csv_text([*rows[: row + 1], rows[row], *rows[row + 1 :]])

    return edit


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the data and the quoted texts to break."""
    for folder in ("data", *TEXT_FOLDERS):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def write(project: Path, dataset: str, content: str | bytes) -> None:
    path = project / "data" / f"{dataset}.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def original(dataset: str) -> str:
    return (ROOT / "data" / f"{dataset}.csv").read_text(encoding="utf-8")


FULL_WIDTH_563 = "\uff15\uff16\uff13"
# dataset, defect, then what the error must name: row, column, rule, offending value
DEFECTS = [
    ("trade", drop_column("qualifier"), "header", "qualifier", "required columns", None),
    ("trade", add_column("colour"), "header", "colour", "known columns", "colour"),
    ("trade", set_cell(2, "value_usd_m", "lots"), "row 2", "value_usd_m", "float", "lots"),
    ("trade", set_cell(1, "period_end", "2021-13-01"), "row 1", "period_end", "date", "2021-13-01"),
    ("trade", set_cell(1, "period_end", "31/05/2021"), "row 1", "period_end", "date", "31/05/2021"),
    (
        "trade",
        set_cell(3, "period_end", "2022-12-31"),
        "row 3",
        "period_end",
        "period order",
        "2022-12-31",
    ),
    ("trade", set_cell(2, "source_id", "seed-999"), "row 2", "source_id", "known source", "seed-999"),
    (
        "trade",
        set_cell(3, "quote", "trade reached $563 million"),
        "row 3",
        "quote",
        "quote in source",
        "trade reached $563 million",
    ),
    ("trade", set_cell(3, "value_usd_m", "536"), "row 3", "value_usd_m", "value in quote", "536"),
    ("trade", duplicate_row(3), "row 4", "period_start,period_end,flow,source_id", "unique key", None),
    ("trade", set_cell(3, "value_usd_m", "-563"), "row 3", "value_usd_m", "min 0", "-563"),
    # Python's float() takes these, pandas did not: the validator and the loader now read alike.
    ("trade", set_cell(3, "value_usd_m", "5_63"), "row 3", "value_usd_m", "float", "5_63"),
    (
        "trade",
        set_cell(3, "value_usd_m", FULL_WIDTH_563),
        "row 3",
        "value_usd_m",
        "float",
        FULL_WIDTH_563,
    ),
    ("trade", set_cell(3, "value_usd_m", "5.63e2"), "row 3", "value_usd_m", "float", "5.63e2"),
    ("trade", set_cell(3, "value_usd_m", "-0"), "row 3", "value_usd_m", "float", "-0"),
    ("route_waypoints", set_cell(2, "seq", "01"), "row 2", "seq", "int", "01"),
    ("trade", set_cell(1, "flow", "exports"), "row 1", "flow", "values", "exports"),
    ("trade", set_cell(1, "qualifier", ""), "row 1", "qualifier", "required", None),
    ("places", set_cell(1, "lat", "91.5"), "row 1", "lat", "max 90", "91.5"),
    ("places", set_cell(2, "lon", "-181"), "row 2", "lon", "min -180", "-181"),
    ("events", set_cell(1, "place_id", "atlantis"), "row 1", "place_id", "known reference", "atlantis"),
    ("events", set_cell(1, "date_end", "2021-10-23"), "row 1", "date_end", "period order", "2021-10-23"),
    ("events", set_cell(2, "status", "rumoured"), "row 2", "status", "values", "rumoured"),
    # A source's address is published as a link: only http and https (issue of a script link).
    (
        "sources",
        set_cell(6, "url", "javascript:alert(document.domain)"),
        "row 6",
        "url",
        "url",
        "javascript:alert(document.domain)",
    ),
    ("sources", set_cell(6, "url", "htp:/not a url"), "row 6", "url", "url", "htp:/not a url"),
    (
        "discrepancies",
        set_cell(1, "other_quote", "a state visit in 2021"),
        "row 1",
        "other_quote",
        "quote in source",
        "a state visit in 2021",
    ),
    ("indicators", set_cell(12, "value_high", "25"), "row 12", "value_high", "value in quote", "25"),
    (
        "route_waypoints",
        set_cell(1, "route_id", "silk-road"),
        "row 1",
        "route_id",
        "known reference",
        "silk-road",
    ),
    ("agreements", set_cell(7, "count", "12"), "row 7", "count", "value in quote", "12"),
    ("sources", set_cell(3, "published", "2024-02-30"), "row 3", "published", "date", "2024-02-30"),
    ("trade", lambda text: "", None, None, "not empty", None),
    ("trade", lambda text: text.splitlines()[0] + "\n", None, None, "has rows", None),
]


@pytest.mark.parametrize(
    ("dataset", "defect", "row", "column", "rule", "value"),
    DEFECTS,
    ids=[f"{d[0]}-{d[4]}-{i}" for i, d in enumerate(DEFECTS)],
)
def test_a_defect_is_reported_with_file_row_column_rule_and_value(
    project, dataset, defect, row, column, rule, value
):
    write(project, dataset, defect(original(dataset)))
    with using_root(project), pytest.raises(DataError) as caught:
        data.load_all(dataset)
    message = str(caught.value)
    assert f"data/{dataset}.csv" in message
    assert f"rule '{rule}'" in message
    if row:
        assert f"{row}," in message or f"{row}:" in message
    if column:
        assert f"column {column}" in message
    if value:
        assert repr(value) in message


def test_keys_are_compared_as_the_values_they_stand_for(tmp_path):
    """2.5 and 2.50 in a number key column are one key, as the loader will read them."""
    catalog = tmp_path / "catalog.yml"
    catalog.write_text(
        "points:\n  file: points.csv\n  key: [x]\n  known_from: always\n"
        "  columns:\n    x: {type: float, description: a position}\n",
        encoding="utf-8",
    )
    dataset = load_catalog(catalog)["points"]
    rows = [["2.5"], ["2.50"]]
    with pytest.raises(DataError) as caught:
        check_rows(dataset, "data/points.csv", ["x"], rows, Evidence(source_kinds={}, texts={}))
    assert "row 2, column x: rule 'unique key'" in str(caught.value)


def test_a_file_that_is_not_utf8_is_refused_with_its_line(project):
    raw = original("trade").encode("utf-8").replace("ü".encode(), b"\xfc", 1)  # Latin-1 ü, row 1
    write(project, "trade", raw)
    with using_root(project), pytest.raises(DataError) as caught:
        data.load_all("trade")
    assert "data/trade.csv, row 1: rule 'encoding'" in str(caught.value)
    assert "0xfc" in str(caught.value)


def test_every_problem_of_a_file_is_reported_at_once(project):
    text = set_cell(1, "value_usd_m", "-1")(set_cell(2, "flow", "gift")(original("trade")))
    write(project, "trade", text)
    with using_root(project), pytest.raises(DataError) as caught:
        data.load_all("trade")
    assert len(caught.value.problems) == 2


@pytest.mark.parametrize(
    "transform",
    [
        pytest.param(lambda text: ("\ufeff" + text).encode("utf-8"), id="byte-order-mark"),
        pytest.param(lambda text: text.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
    ],
)
def test_a_bom_and_crlf_line_ends_are_accepted(project, transform):
    with using_root(project):
        expected = data.load_all("trade")
    write(project, "trade", transform(original("trade")))
    with using_root(project):
        pd.testing.assert_frame_equal(data.load_all("trade"), expected)


def test_html_in_text_is_kept_as_data(project):
    payload = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    write(project, "trade", set_cell(2, "note", payload)(original("trade")))
    with using_root(project):
        assert data.load_all("trade").loc[1, "note"] == payload


def test_loaders_return_typed_frames():
    trade = data.load_all("trade")
    assert str(trade["period_start"].dtype).startswith("datetime64")
    assert trade["value_usd_m"].dtype == "float64"
    assert list(trade["flow"].cat.categories) == ["turnover", "kz_exports", "kz_imports"]
    places = data.load_all("places")
    assert places["lat"].between(-90, 90).all()


def test_every_catalogued_dataset_loads_by_its_catalog_name():
    """The catalog drives loading: no per-dataset loader mirrors it."""
    for name, dataset in load_catalog().items():
        assert dataset.file == f"{name}.csv"
        assert len(data.load(name, Edition())) > 0
    assert not [
        name
        for name in dir(data)
        if name.startswith("load_") and name[5:] in load_catalog() and name != "load_sources"
    ]


def test_a_catalog_that_is_not_yaml_is_refused_in_one_line(project):
    catalog = project / "data" / "catalog.yml"
    catalog.write_text(
        catalog.read_text(encoding="utf-8").replace("{type: date,", "{type: date", 1),
        encoding="utf-8",
    )
    with using_root(project), pytest.raises(CatalogError) as caught:
        data.load_all("trade")
    message = str(caught.value)
    assert message.startswith("data/catalog.yml, line ") and "not valid YAML" in message
    assert "\n" not in message


def test_a_dataset_over_the_size_limit_is_refused_in_one_line_before_it_is_read(project):
    """A 52 MB table took 11 s to validate, then failed inside a chart with MaxRowsError."""
    padding = ("," * 8 + "\n") * 700_000  # 6.3 MB of rows that would break other rules if read
    write(project, "trade", original("trade") + padding)
    with using_root(project), pytest.raises(DataError) as caught:
        data.check_all()
    message = str(caught.value)
    assert message.startswith("data/trade.csv: rule 'max 5 MB' broken by the file: it is 6.31 MB")
    assert "KZTM_MAX_DATASET_MB" in message
    assert "\n" not in message


def test_a_dataset_longer_than_a_chart_can_take_is_refused_before_its_rows_are_checked(project):
    rows = rows_of(original("trade"))
    write(project, "trade", csv_text(rows + [rows[1]] * 5000))  # 1.6 MB, duplicated keys
    with using_root(project), pytest.raises(DataError) as caught:
        data.load_all("trade")
    message = str(caught.value)
    assert message.startswith("data/trade.csv: rule 'max 5000 rows' broken by the file: it has ")
    assert f"it has {len(rows) - 1 + 5000} data rows" in message
    assert "KZTM_MAX_DATASET_ROWS" in message and "\n" not in message


# setting, value, what the error says when data/sources.csv (51 kB, 149 rows; read first) is loaded
LIMIT_SETTINGS = [
    ("KZTM_MAX_DATASET_MB", "0.02", "data/sources.csv: rule 'max 0.02 MB' broken by the file: it is"),
    ("KZTM_MAX_DATASET_ROWS", "100", "data/sources.csv: rule 'max 100 rows' broken by the file: it"),
    (
        "KZTM_MAX_DATASET_MB",
        "lots",
        "KZTM_MAX_DATASET_MB: rule 'setting' broken by value 'lots': expected a number above zero",
    ),
    (
        "KZTM_MAX_DATASET_ROWS",
        "2.5",
        "KZTM_MAX_DATASET_ROWS: rule 'setting' broken by value '2.5': expected a whole number "
        "above zero",
    ),
]


@pytest.mark.parametrize(("setting", "value", "expected"), LIMIT_SETTINGS)
def test_the_dataset_limits_are_set_by_the_environment(project, monkeypatch, setting, value, expected):
    monkeypatch.setenv(setting, value)
    with using_root(project), pytest.raises(DataError) as caught:
        data.load_all("sources")
    assert str(caught.value).startswith(expected)


def test_a_dataset_is_checked_again_when_a_dataset_it_references_changes(project):
    """Loads are cached by content: the cache must see a change in a referenced file too."""
    with using_root(project):
        data.load_all("route_waypoints")
        places = original("places").splitlines()
        write(project, "places", "\n".join(line for line in places if not line.startswith("uzen,")))
        with pytest.raises(DataError) as caught:
            data.load_all("route_waypoints")
    assert "no place_id 'uzen' in data/places.csv" in str(caught.value)


def test_a_loaded_frame_is_the_callers_to_change(project):
    with using_root(project):
        first = data.load_all("trade")
        first.loc[:, "value_usd_m"] = 0.0
        assert data.load_all("trade")["value_usd_m"].max() > 0


def test_an_edited_archived_text_is_read_again(project):
    """Quotes are checked against the texts as they are now, not as a first load read them."""
    with using_root(project):
        data.load_all("trade")
        archived = sorted((project / "archive").glob("*.txt"))[0]
        text = archived.read_text(encoding="utf-8")
        archived.write_text(text.replace("url: ", "url: https://elsewhere.example/?", 1), "utf-8")
        with pytest.raises(DataError) as caught:
            data.load_all("trade")
    assert f"{archived.relative_to(project)} must start with 'url: " in str(caught.value)


def test_the_seed_ids_name_the_five_articles_under_seeds():
    """What the trade chapter marks as the seeds' figures, without reading the sources table."""
    sources = data.load_sources().set_index("source_id")
    seeds = data.seed_ids()
    assert len(seeds) == 5 and seeds == set(data.seed_texts())
    assert {Path(sources.loc[seed, "path"]).parent.name for seed in seeds} == {"seeds"}


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ("", "known_from is missing"),
        ("published", "known_from published: it must be one of the dataset's date columns (day)"),
    ],
)
def test_a_dataset_must_say_what_an_edition_keeps_of_it(tmp_path, rule, problem):
    """Without a known_from rule (or with one naming no date column) a past edition could show
    what was learnt later, so the catalog is refused before any data is read."""
    catalog = tmp_path / "catalog.yml"
    catalog.write_text(
        "points:\n  file: points.csv\n"
        + (f"  known_from: {rule}\n" if rule else "")
        + "  columns:\n    day: {type: date, description: a day}\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogError) as caught:
        load_catalog(catalog)
    assert problem in str(caught.value)
