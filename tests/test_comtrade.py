"""Ingesting an official statistics export (UN Comtrade layout) into the trade data."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from ingest.comtrade import (
    ComtradeError,
    Skip,
    describe_skipped,
    ingest,
    ingest_records,
    read_export,
    trade_rows,
)
from ingest.comtrade_fetch import fetch_records, label, query_url
from kztm import data, trade
from kztm.archive import TEXT_FOLDERS
from kztm.chapters import trade as trade_chapter
from kztm.paths import using_root
from tests.conftest import ROOT

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE = FIXTURES / "comtrade_kaz_tkm.csv"
FULL = FIXTURES / "comtrade_full_export.csv"
LEGACY = FIXTURES / "comtrade_legacy.csv"
RAIL_ONLY = FIXTURES / "comtrade_rail_only.csv"
API_RESPONSE = FIXTURES / "comtrade_api_response.json"
ACCESSED = date(2026, 11, 22)

# The four 2021 totals every layout's fixture holds beside its breakdowns, as stored:
# (source, flow, first day, last day) -> million US dollars. Turkmenistan's exports, 102,675,500
# dollars, are 102.676 in decimal arithmetic; in binary floating point they would round to 102.675.
TOTALS_2021 = {
    ("comtrade-kaz", "kz_exports", "2021-01-01", "2021-12-31"): "262.432",
    ("comtrade-kaz", "kz_imports", "2021-01-01", "2021-12-31"): "98.765",
    ("comtrade-tkm", "kz_imports", "2021-01-01", "2021-12-31"): "102.676",
    ("comtrade-tkm", "kz_exports", "2021-01-01", "2021-12-31"): "240.118",
}
MONTHS_2021 = {
    ("comtrade-kaz", "kz_exports", "2021-01-01", "2021-01-31"): "21.000",
    ("comtrade-tkm", "kz_imports", "2021-03-01", "2021-03-31"): "9.100",
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for folder in ("data", *TEXT_FOLDERS):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def landed(project: Path) -> dict[tuple[str, str, str, str], str]:
    """The Comtrade rows of the project's trade.csv by key, after checking each key is there once."""
    with (project / "data" / "trade.csv").open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["source_id"].startswith("comtrade-")]
    keys = [(row["source_id"], row["flow"], row["period_start"], row["period_end"]) for row in rows]
    assert [key for key, count in Counter(keys).items() if count > 1] == []
    return {key: row["value_usd_m"] for key, row in zip(keys, rows, strict=True)}


def written(project: Path) -> bytes:
    return b"".join((project / "data" / name).read_bytes() for name in ("trade.csv", "sources.csv"))


def test_only_bilateral_totals_of_exports_and_imports_are_taken():
    rows, skipped = trade_rows(read_export(FIXTURE))
    assert skipped == {Skip.COMMODITY: 1, Skip.RE_EXPORT: 1, Skip.OTHER_PARTNER: 1, Skip.MONTHLY: 1}
    assert {(r["period_start"], r["flow"], r["source_id"]) for r in rows} == {
        ("2022-01-01", "kz_exports", "comtrade-kaz"),
        ("2022-01-01", "kz_imports", "comtrade-kaz"),
        ("2022-01-01", "kz_imports", "comtrade-tkm"),
    }


def test_values_are_million_dollars_and_months_end_on_their_last_day():
    rows, _ = trade_rows(read_export(FIXTURE), frequency="M")
    march = next(r for r in rows if r["period_start"] == "2023-03-01")
    assert march["period_end"] == "2023-03-31"
    annual, _ = trade_rows(read_export(FIXTURE))
    exports = next(r for r in annual if r["source_id"] == "comtrade-kaz" and r["flow"] == "kz_exports")
    assert exports["value_usd_m"] == "312.457"


def test_mirror_flows_stay_apart_after_ingest(project):
    result = ingest(FIXTURE, project, ACCESSED)
    assert result.sources == ("comtrade-kaz", "comtrade-tkm")
    with using_root(project):
        trade = data.load_all("trade")
        sources = data.load_sources().set_index("source_id")
    imports_2022 = trade[(trade["flow"] == "kz_imports") & (trade["period_start"] == "2022-01-01")]
    assert sorted(imports_2022["value_usd_m"]) == [128.765, 141.0]
    assert sources.loc["comtrade-tkm", "kind"] == "official"
    assert str(sources.loc["comtrade-kaz", "accessed"].date()) == "2026-11-22"


def test_reingesting_replaces_rather_than_duplicates(project):
    ingest(FIXTURE, project, ACCESSED)
    ingest(FIXTURE, project, ACCESSED)
    with using_root(project):
        trade = data.load_all("trade")
    assert (trade["source_id"] == "comtrade-kaz").sum() == 2


def test_tab_separated_export_with_other_header_case_is_read(project, tmp_path):
    text = FIXTURE.read_text(encoding="utf-8")
    header, _, body = text.partition("\n")
    tabbed = tmp_path / "export.tsv"
    tabbed.write_text(header.upper().replace(",", "\t") + "\n" + body.replace(",", "\t"))
    assert ingest(tabbed, project, ACCESSED).rows == 3


def test_a_file_without_comtrade_columns_is_refused_and_nothing_written(project, tmp_path):
    before = (project / "data" / "trade.csv").read_bytes()
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("year,partner,value\n2022,TKM,1\n")
    # "year" is a legacy column, so the legacy layout is the closest and its missing columns are named.
    with pytest.raises(ComtradeError, match=r"wrong\.csv: not a Comtrade export; columns missing for"):
        ingest(wrong, project, ACCESSED)
    assert (project / "data" / "trade.csv").read_bytes() == before


def test_the_script_ingests_from_the_command_line(project):
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "ingest_comtrade.py"),
            str(FIXTURE),
            "--root",
            str(project),
            "--accessed",
            "2026-11-22",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "ingested 3 rows from comtrade-kaz, comtrade-tkm (4 export rows skipped: 1 other partner, "
        "1 monthly figure, 1 breakdown by commodity, 1 re-export)\n"
    )


def test_ingested_directions_join_the_turnover_series_as_their_sum(project):
    ingest(FIXTURE, project, ACCESSED)
    with using_root(project):
        levels = trade.with_derived_turnover(data.load_all("trade"))
        table = trade_chapter.figures_table(trade.series(levels)).text
    kaz_2022 = levels[(levels["source_id"] == "comtrade-kaz") & (levels["period_start"] == "2022-01-01")]
    reported = kaz_2022[~kaz_2022["derived"]]
    derived = kaz_2022[kaz_2022["derived"]]
    assert list(derived["flow"]) == ["turnover"]
    assert derived["value_usd_m"].iloc[0] == pytest.approx(reported["value_usd_m"].sum())
    # The mirror side gives one direction only, so no turnover is made up for it.
    assert levels[(levels["source_id"] == "comtrade-tkm") & levels["derived"]].empty
    assert "UN Comtrade \\(Kazakh declarations\\)" in table
    assert "(exports plus imports)" in table.replace("\\(", "(").replace("\\)", ")")


# Each real layout, with breakdowns by mode of transport, customs procedure, second partner and
# commodity, months beside the year, a re-export and other partners around the four totals.
def _fixture(name: str) -> Callable[[Path], Path]:
    return lambda tmp_path: FIXTURES / name


def _iso_columns_empty(tmp_path: Path) -> Path:
    rows = list(csv.DictReader(io.StringIO(FULL.read_text(encoding="utf-8"))))
    for row in rows:
        row.update(reporterISO="", partnerISO="", partner2ISO="")
    path = tmp_path / "iso_empty.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _legacy_saved_by_excel(tmp_path: Path) -> Path:
    text = LEGACY.read_text(encoding="utf-8")
    assert "Côte d'Ivoire" in text
    path = tmp_path / "legacy_cp1252.csv"
    path.write_bytes(text.replace("\n", "\r\n").encode("cp1252"))
    return path


LAYOUTS = {
    "API and portal": _fixture("comtrade_full_export.csv"),
    "codes only": _fixture("comtrade_codes_only.csv"),
    "ISO columns empty": _iso_columns_empty,
    "client's DataFrame saved with to_csv": _fixture("comtrade_client_frame.csv"),
    "legacy": _fixture("comtrade_legacy.csv"),
    "legacy in Windows-1252": _legacy_saved_by_excel,
}


@pytest.mark.parametrize("export", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_each_layout_stores_its_totals_once_and_no_breakdown(project, tmp_path, export):
    result = ingest(export(tmp_path), project, ACCESSED)
    assert result.rows == 4
    assert landed(project) == TOTALS_2021


@pytest.mark.parametrize(
    ("export", "skipped"),
    [
        (FULL, {Skip.OTHER_PARTNER: 3, Skip.MONTHLY: 3, Skip.TRANSPORT: 3}),
        (LEGACY, {Skip.OTHER_PARTNER: 4, Skip.MONTHLY: 3, Skip.TRANSPORT: 3}),
    ],
    ids=["API and portal", "legacy"],
)
def test_every_breakdown_is_skipped_for_its_reason(export, skipped):
    once = {Skip.COMMODITY: 1, Skip.RE_EXPORT: 1, Skip.CUSTOMS: 1, Skip.SECOND_PARTNER: 1}
    assert trade_rows(read_export(export))[1] == {**skipped, **once}


@pytest.mark.parametrize("export", [FULL, LEGACY], ids=["API and portal", "legacy"])
def test_monthly_totals_are_taken_instead_when_asked_for(project, export):
    result = ingest(export, project, ACCESSED, frequency="M")
    assert landed(project) == MONTHS_2021
    # Annual rows are skipped, not stored beside the months; January's rail row is no total either.
    assert result.skipped[Skip.ANNUAL] == 11
    assert result.skipped[Skip.TRANSPORT] == 1


def test_a_file_of_one_mode_of_transport_is_refused_not_stored_as_the_total(project):
    before = written(project)
    with pytest.raises(ComtradeError) as refusal:
        ingest(RAIL_ONLY, project, ACCESSED)
    assert str(refusal.value).startswith(
        f"{RAIL_ONLY}: no Kazakhstan–Turkmenistan total rows to ingest "
        "(4 export rows skipped: 4 breakdowns by mode of transport); a breakdown is not the total"
    )
    assert "\n" not in str(refusal.value)
    assert written(project) == before


def test_rows_in_memory_from_the_clients_frame_are_ingested(project):
    # As comtradeapicall returns it: numpy numbers, NaN for nulls; codes in a float column too.
    frame = pd.read_csv(FIXTURES / "comtrade_client_frame.csv", index_col=0)
    frame["motCode"] = frame["motCode"].astype(float)
    result = ingest_records(frame.to_dict("records"), project, ACCESSED, "getFinalData 2021")
    assert result.skipped[Skip.TRANSPORT] == 3
    assert landed(project) == TOTALS_2021
    with using_root(project):
        titles = data.load_sources().set_index("source_id")["title"]
    assert titles["comtrade-kaz"].endswith("as reported by Kazakhstan (getFinalData 2021)")


def _rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(FULL.read_text(encoding="utf-8"))))


def _csv(rows: list[list[str]]) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    return text.getvalue().encode("utf-8")


def _cell(line: int, column: str, value: str) -> Callable[[], bytes]:
    def edited() -> bytes:
        rows = _rows()
        rows[line - 1][rows[0].index(column)] = value
        return _csv(rows)

    return edited


def _repeated(line: int) -> Callable[[], bytes]:
    return lambda: _csv([*_rows(), _rows()[line - 1]])


def _truncated(line: int, cells: int) -> Callable[[], bytes]:
    def edited() -> bytes:
        rows = _rows()
        rows[line - 1] = rows[line - 1][:cells]
        return _csv(rows)

    return edited


def _bytes(content: bytes) -> Callable[[], bytes]:
    return lambda: content


# One defect each in the full export (line 2: Kazakh exports 2021, line 11: Kazakh imports 2021,
# line 3: their rail part, line 9: exports to Uzbekistan).
REFUSALS = {
    "empty value": (_cell(2, "primaryValue", ""), "line 2, column primaryValue: the total has no"),
    "text as value": (_cell(11, "primaryValue", "n/a"), "line 11, column primaryValue: 'n/a' is not a"),
    "negative value": (_cell(11, "primaryValue", "-5"), "line 11, column primaryValue: '-5' is not a"),
    "two totals": (_repeated(11), "lines 11 and 19: two totals of Kazakhstan's imports for 2021"),
    "truncated row": (_truncated(3, 30), "line 3: 30 cells where the header has 47"),
    "renamed value column": (
        _cell(1, "primaryValue", "tradeValue"),
        "not a Comtrade export; columns missing for the API and portal layout: primaryValue",
    ),
    "neither UTF-8 nor Windows-1252": (
        _bytes(FULL.read_bytes().replace(b"Uzbekistan", b"Uzbek\x81stan", 1)),
        "line 9: neither UTF-8 nor Windows-1252 text",
    ),
    "spreadsheet": (_bytes(b"PK\x03\x04\x14\x00\x06\x00"), "not a CSV text file"),
    "header only": (_bytes(FULL.read_bytes().split(b"\n")[0]), "no rows under the header"),
}


@pytest.mark.parametrize(("defect", "message"), REFUSALS.values(), ids=REFUSALS.keys())
def test_a_defective_export_is_refused_in_one_line_and_nothing_written(
    project, tmp_path, defect, message
):
    export = tmp_path / "export.csv"
    export.write_bytes(defect())
    before = written(project)
    with pytest.raises(ComtradeError) as refusal:
        ingest(export, project, ACCESSED)
    assert str(refusal.value).startswith(str(export))
    assert message in str(refusal.value)
    assert "\n" not in str(refusal.value)
    assert written(project) == before


def _trailing_comma() -> bytes:
    header, *body = _rows()
    return _csv([header, *([*row, ""] for row in body)])


TOLERATED = {
    "no value on a breakdown": _cell(3, "primaryValue", ""),
    "a trailing comma on the data rows": _trailing_comma,
}


@pytest.mark.parametrize("quirk", TOLERATED.values(), ids=TOLERATED.keys())
def test_what_does_not_touch_a_total_is_tolerated(tmp_path, quirk):
    export = tmp_path / "export.csv"
    export.write_bytes(quirk())
    assert len(trade_rows(read_export(export))[0]) == 4


def test_the_summary_counts_skipped_rows_by_reason_most_frequent_first():
    assert describe_skipped({}) == "no export rows skipped"
    assert describe_skipped({Skip.RE_EXPORT: 1}) == "1 export row skipped: 1 re-export"
    assert describe_skipped({Skip.CUSTOMS: 1, Skip.OTHER_PARTNER: 3, Skip.TRANSPORT: 2}) == (
        "6 export rows skipped: 3 other partners, 2 breakdowns by mode of transport, "
        "1 breakdown by customs procedure"
    )


class RecordedApi:
    """Answers as the Comtrade API did, and keeps the request."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.requests: list[urllib.request.Request] = []

    def __call__(self, request: urllib.request.Request) -> io.BytesIO:
        self.requests.append(request)
        return io.BytesIO(self.body)


def test_fetch_asks_for_the_pairs_totals_with_the_key_in_a_header(project):
    api = RecordedApi(API_RESPONSE.read_bytes())
    records = fetch_records(["2021"], "A", "secret-key", open_url=api)
    (request,) = api.requests
    url = urlsplit(request.full_url)
    assert (url.netloc, url.path) == ("comtradeapi.un.org", "/data/v1/get/C/A/HS")
    assert parse_qs(url.query) == {
        "reporterCode": ["398,795"],
        "partnerCode": ["398,795"],
        "partner2Code": ["0"],
        "cmdCode": ["TOTAL"],
        "flowCode": ["X,M"],
        "customsCode": ["C00"],
        "motCode": ["0"],
        "period": ["2021"],
    }
    assert request.get_header("Ocp-apim-subscription-key") == "secret-key"
    assert "secret-key" not in request.full_url
    ingest_records(records, project, ACCESSED, label(["2021"], "A"))
    assert landed(project) == TOTALS_2021


def _refusing(error: OSError) -> Callable[[urllib.request.Request], io.BytesIO]:
    def opener(request: urllib.request.Request) -> io.BytesIO:
        raise error

    return opener


API_REFUSALS = {
    "bad key": (
        _refusing(urllib.error.HTTPError("https://x", 401, "Access Denied", {}, None)),
        "the Comtrade API refused the query: HTTP 401 Access Denied",
    ),
    "offline": (_refusing(urllib.error.URLError("no route")), "could not be reached: no route"),
    "error answer": (RecordedApi(b'{"data": [], "error": "Invalid period"}'), "error: Invalid period"),
    "nothing published": (RecordedApi(b'{"count": 0, "data": [], "error": ""}'), "no figures"),
    "not JSON": (RecordedApi(b"<html>Service unavailable</html>"), "not JSON"),
}


@pytest.mark.parametrize(("opener", "message"), API_REFUSALS.values(), ids=API_REFUSALS.keys())
def test_a_failed_fetch_is_refused_in_one_line(opener, message):
    with pytest.raises(ComtradeError, match=message) as refusal:
        fetch_records(["2021"], "A", "secret-key", open_url=opener)
    assert "\n" not in str(refusal.value)
    assert "secret-key" not in str(refusal.value)


def test_fetched_periods_must_have_the_frequencys_shape():
    with pytest.raises(ComtradeError, match="monthly periods are 6 digits, separated by commas: 2021"):
        query_url(["2021"], "M")


def test_the_script_fetches_only_with_a_key(project):
    environment = {name: value for name, value in os.environ.items() if name != "COMTRADE_API_KEY"}
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "ingest_comtrade.py"),
            "--fetch",
            "2021",
            "--root",
            str(project),
        ],
        capture_output=True,
        text=True,
        check=False,
        env=environment,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("nothing ingested: COMTRADE_API_KEY is not set")
    assert result.stderr.count("\n") == 1


def test_a_disk_that_fills_while_writing_leaves_both_files_as_they_were(project, monkeypatch, capsys):
    from scripts import ingest_comtrade

    before = {name: (project / "data" / name).read_bytes() for name in ("sources.csv", "trade.csv")}
    copy = shutil.copy2
    writes = []

    def fill_on_second_write(source, target, **kwargs):
        if str(target).startswith(str(project)):
            writes.append(target)
            if len(writes) == 2:
                raise OSError(28, "No space left on device", str(target))
        return copy(source, target, **kwargs)

    monkeypatch.setattr(shutil, "copy2", fill_on_second_write)
    code = ingest_comtrade.main([str(FIXTURE), "--root", str(project), "--accessed", "2026-11-22"])
    message = capsys.readouterr().err
    assert code == 1
    assert message.count("\n") == 1 and "No space left on device" in message
    assert "trade.csv.new" in message
    for name, content in before.items():
        assert (project / "data" / name).read_bytes() == content
    assert not list((project / "data").glob("*.new"))
