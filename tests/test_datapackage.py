"""data/ is a standard Frictionless Data Package, generated from the catalog and valid."""

from __future__ import annotations

import json
import shutil

import pytest
from frictionless import Package

from bookbuild.datapackage import data_package
from tests.conftest import ROOT

DESCRIPTOR = ROOT / "data" / "datapackage.json"


def test_the_data_package_is_the_catalog_as_it_stands():
    """Regenerate with scripts/write_datapackage.py after editing data/catalog.yml."""
    assert json.loads(DESCRIPTOR.read_text(encoding="utf-8")) == data_package()


def test_every_dataset_validates_as_a_tabular_data_resource():
    report = Package(str(DESCRIPTOR)).validate()
    problems = [f"{task.name}: {e.message}" for task in report.tasks for e in task.errors]
    assert report.valid, problems[:10]
    assert len(report.tasks) == len(data_package()["resources"])


@pytest.mark.parametrize(
    ("dataset", "old", "new", "error"),
    [
        ("trade.csv", ",turnover,", ",turnovr,", "constraint-error"),
        ("events.csv", ",seed-003,", ",seed-999,", "foreign-key"),
        ("trade.csv", "74.6,", "seventy,", "type-error"),
    ],
)
def test_frictionless_finds_what_the_loaders_find(tmp_path, dataset, old, new, error):
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    path = copy / dataset
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    report = Package(str(copy / "datapackage.json")).validate()
    assert not report.valid
    assert error in {e.type for task in report.tasks for e in task.errors}
