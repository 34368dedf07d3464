"""Every number traceable: quotes are verbatim in the seeds and the archived passages, values stand in
their quotes, the texts are unchanged and every archived page is used."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from kztm import data
from kztm.archive import checksum_problems, parse_archived
from kztm.catalog import load_catalog
from kztm.provenance import numbers_in, quote_in_text, uncovered_numbers, value_in_quote
from tests.conftest import ROOT

SEEDS = ROOT / "seeds"
ARCHIVE = ROOT / "archive"


def quoted_rows():
    """(dataset, row number, row) for every row whose source is a text we hold (seed or archive)."""
    held = set(data.quoted_texts())
    for name in load_catalog():
        frame = data.load_all(name)
        if "source_id" not in frame:
            continue
        for number, row in enumerate(frame.to_dict("records"), start=1):
            if row["source_id"] in held:
                yield name, number, row


def seed_text(source_id: str) -> str:
    return data.seed_texts()[source_id]


def test_seeds_and_archived_pages_are_unchanged():
    assert len(list(SEEDS.glob("*.txt"))) == 5
    assert checksum_problems(ROOT) == []


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        (lambda path: path.write_text(path.read_text() + "\nOne more line."), "checksum"),
        (lambda path: path.unlink(), "exists"),
        (lambda path: path.with_name("999_new.txt").write_text("A new text."), "checksum"),
    ],
)
def test_an_edited_added_or_removed_text_is_named(tmp_path, change, rule):
    copy = tmp_path / "seeds"
    copy.mkdir()
    for path in SEEDS.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    change(copy / "001_a12a18f5822826b1.txt")
    problems = checksum_problems(tmp_path)
    assert [problem.rule for problem in problems] == [rule]
    assert problems[0].file.startswith("seeds/") and problems[0].file.endswith(".txt")


def test_every_seed_and_archived_page_has_a_metadata_row():
    paths = set(data.load_sources()["path"].dropna())
    for text in [*SEEDS.glob("*.txt"), *ARCHIVE.glob("*.txt")]:
        assert f"{text.parent.name}/{text.name}" in paths


def test_every_archived_page_states_its_address_and_access_date_and_is_cited():
    sources = data.load_sources().set_index("path")
    cited = data.quoted_passages()
    archived = sorted(ARCHIVE.glob("*.txt"))
    for text in archived:
        header = parse_archived(text.read_text(encoding="utf-8")).header
        row = sources.loc[f"archive/{text.name}"]
        assert header["url"] == row["url"] and header["url"].startswith("http"), text.name
        assert header["accessed"] == f"{row['accessed']:%Y-%m-%d}", text.name
        assert cited.get(row["source_id"]), f"{text.name} is cited by no data row"


def test_each_quote_appears_verbatim_in_its_text():
    passages = data.quoted_passages()
    texts = data.quoted_texts()
    assert sum(len(quotes) for quotes in passages.values()) > 50
    for source_id, quotes in passages.items():
        for quote in quotes:
            assert quote_in_text(quote, texts[source_id]), (source_id, quote)


def test_each_value_appears_in_its_quote():
    checked = 0
    for name, number, row in quoted_rows():
        for column in load_catalog()[name].quoted_values:
            if pd.notna(row[column]):
                assert value_in_quote(float(row[column]), row["quote"]), (name, number, column)
                checked += 1
    assert checked > 20


@pytest.mark.parametrize("source_id", [f"seed-00{i}" for i in range(5)])
def test_every_number_in_a_seed_is_in_the_data_or_explained(source_id):
    missed = uncovered_numbers(seed_text(source_id), data.quoted_passages().get(source_id, []))
    assert missed == [], f"{source_id}: numbers no data row quotes: {missed}"


def test_a_number_outside_every_passage_is_reported():
    text = "On May 15, 2023, the twelfth session was held. Trade reached $563 million [1]."
    assert uncovered_numbers(text, ["Trade reached $563 million"]) == [
        "15 in '…On May 15, 2023, the twelfth …'",
        "2023 in '…On May 15, 2023, the twelfth sessio…'",
    ]


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("reaching $563 million.", [563.0]),
        ("exceeded 74.6 million dollars", [74.6]),
        ("$74,6 milliona ýetdi", [74.6]),
        ("1,300 tons in 2,024 trips", [1300.0, 2024.0]),
        ("increase of 5.4 compared", [5.4]),
        ("no figures here", []),
    ],
)
def test_numbers_are_read_from_quotes_as_written(text, numbers):
    assert numbers_in(text) == numbers


@pytest.mark.parametrize(
    ("value", "quote", "expected"),
    [
        (563.0, "reaching $563 million.", True),
        (536.0, "reaching $563 million.", False),
        (1000.0, "increase mutual trade to $1 billion", True),
        (56.3, "reaching $563 million.", False),
        (9089.0, "Túrikmenstannan – 9 089, Ozbekstannan – 4 136", True),
        (6144.0, "получили статус кандаса 6 144 этнических казаха.", True),
        (9136.0, "Túrikmenstannan – 9 089, Ozbekstannan – 4 136", False),
    ],
)
def test_a_value_matches_its_quote_only_when_written_there(value, quote, expected):
    assert value_in_quote(value, quote) is expected


def test_a_quote_matches_across_line_breaks_but_not_when_reworded():
    text = "trade increased by 28%,\n  reaching $563 million."
    assert quote_in_text("increased by 28%, reaching $563 million", text)
    assert not quote_in_text("increased by 28 percent", text)


_FENCE = re.compile(r"^(`{3,}|:{3,}).*?^\1\s*$", re.MULTILINE | re.DOTALL)
_QUOTED = re.compile(r"[“\"]([^“”\"]+)[”\"]")


def prose_quotes(markdown: str) -> list[str]:
    """Quoted passages of three words or more in a page's prose (code cells, directives and
    their captions left out, since those quote code and titles, not sources)."""
    prose = _FENCE.sub("", markdown)
    quotes = []
    for paragraph in re.split(r"\n\s*\n", prose):
        quotes += [q for q in _QUOTED.findall(paragraph) if len(q.split()) >= 3]
    return quotes


def test_prose_quotes_are_found_as_they_are_written():
    assert prose_quotes('He said "one two three" and “four five”.\n\n```\n"a b c"\n```') == [
        "one two three"
    ]


def test_every_quote_in_the_prose_stands_verbatim_in_a_source():
    """A quote is a quote: what the chapters put in quotation marks is in a source, word for word
    (the first letter's case apart, which a quote adapts to its sentence)."""
    texts = [t.casefold() for t in data.quoted_texts().values()]
    pages = [*sorted((ROOT / "chapters").glob("*.md")), ROOT / "intro.md", ROOT / "colophon.md"]
    missing = [
        (page.name, quote)
        for page in pages
        for quote in prose_quotes(page.read_text(encoding="utf-8"))
        if not any(quote_in_text(quote.casefold(), text) for text in texts)
    ]
    assert sum(len(prose_quotes(p.read_text(encoding="utf-8"))) for p in pages) > 10
    assert not missing, missing


# Datasets whose seed rows state facts a reader could check elsewhere (agenda, voices and actors
# hold positions and arguments, which no other source can confirm).
FACT_DATASETS = ("trade", "trade_growth", "indicators", "events", "agreements", "routes")


def test_the_crosscheck_covers_every_factual_claim_of_the_seeds():
    checked = set(
        zip(*(data.load_all("crosscheck")[c] for c in ("seed_source_id", "seed_quote")), strict=True)
    )
    seeds = set(data.seed_texts())
    claims = {
        (row["source_id"], row["quote"])
        for name in FACT_DATASETS
        for row in data.load_all(name).to_dict("records")
        if row["source_id"] in seeds
    }
    assert len(claims) > 40
    assert sorted(claims - checked) == []


def test_a_crosscheck_verdict_rests_on_an_independent_quote_or_on_none():
    seeds = set(data.seed_texts())
    for row in data.load_all("crosscheck").to_dict("records"):
        compared = row["verdict"] in ("agrees", "partly", "disagrees")
        assert compared == pd.notna(row["source_id"]) == pd.notna(row["quote"]), row["claim_id"]
        assert row["source_id"] not in seeds, row["claim_id"]


def test_every_source_has_a_title_as_given_or_supplied_in_brackets():
    """The bibliography names every source by a title: the page's own, or one the editors supply
    in square brackets for a page whose stored copy shows none."""
    titles = data.load_sources().set_index("source_id")["title"]
    assert not titles.isna().any(), list(titles[titles.isna()].index)
    supplied = titles[titles.str.startswith("[")]
    assert supplied.str.endswith("]").all(), list(supplied[~supplied.str.endswith("]")].index)
