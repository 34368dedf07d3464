"""data/ as a Frictionless Data Package: the catalog (data/catalog.yml) written in the standard
vocabulary, so that any Frictionless tool can read and validate the datasets without this project.

The catalog stays the one source of the description; ``data/datapackage.json`` is generated from it
by ``scripts/write_datapackage.py`` and a test fails when the two differ. What the standard does not
cover is kept as custom properties prefixed ``kztm:``: the chapters that consume a dataset, the
numbers that must stand in a row's quote, the period columns, the category labels and which column
holds the quoted source.
"""

from __future__ import annotations

from typing import Any

from kztm.catalog import Column, Dataset, load_catalog

# Table Schema field types for the catalog's column types (category, source and quote are strings
# with constraints or custom properties).
FIELD_TYPES = {
    "text": "string",
    "date": "date",
    "float": "number",
    "int": "integer",
    "category": "string",
    "source": "string",
    "quote": "string",
}


def field(column: Column) -> dict[str, Any]:
    """One Table Schema field."""
    described: dict[str, Any] = {
        "name": column.name,
        "type": FIELD_TYPES[column.type],
        "description": column.description,
    }
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.min is not None:
        constraints["minimum"] = column.min
    if column.max is not None:
        constraints["maximum"] = column.max
    if column.values:
        constraints["enum"] = list(column.values)
    if constraints:
        described["constraints"] = constraints
    if column.format == "url":
        described["format"] = "uri"
    if column.labels:
        described["kztm:labels"] = dict(column.labels)
    if column.type == "quote":
        described["kztm:quotes"] = column.source
    return described


def resource(dataset: Dataset, catalog: dict[str, Dataset]) -> dict[str, Any]:
    """One tabular data resource with its schema, keys and the project's own rules."""
    schema: dict[str, Any] = {
        "fields": [field(column) for column in dataset.columns],
        "missingValues": [""],
    }
    if dataset.key:
        schema["primaryKey"] = list(dataset.key)
    foreign = [
        {"fields": column.name, "reference": {"resource": "sources", "fields": "source_id"}}
        for column in dataset.columns
        if column.type == "source"
    ] + [
        {
            "fields": column.name,
            "reference": {
                "resource": column.references,
                "fields": catalog[column.references].key[0],
            },
        }
        for column in dataset.columns
        if column.references
    ]
    if foreign:
        schema["foreignKeys"] = foreign
    described: dict[str, Any] = {
        "name": dataset.name,
        "path": dataset.file,
        "profile": "tabular-data-resource",
        "format": "csv",
        "encoding": "utf-8",
        "title": dataset.title,
        "description": dataset.description,
        "schema": schema,
        "kztm:unit": dataset.unit,
        "kztm:consumers": list(dataset.consumers),
        "kztm:license": dataset.license,
        "kztm:retrieved": dataset.retrieved,
        "kztm:known_from": dataset.known_from,
    }
    if dataset.period:
        described["kztm:period"] = list(dataset.period)
    if dataset.quoted_values:
        described["kztm:quoted_values"] = list(dataset.quoted_values)
    return described


def data_package() -> dict[str, Any]:
    """The Data Package descriptor of every dataset in the catalog, in the catalog's order."""
    catalog = load_catalog()
    return {
        "name": "astana-ashgabat-data",
        "title": "Astana–Ashgabat: the datasets of the report on Kazakhstan–Turkmenistan relations",
        "description": "Generated from data/catalog.yml by scripts/write_datapackage.py; edit the "
        "catalog, not this file.",
        "profile": "tabular-data-package",
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0 (rows and notes; quoted words remain "
                "under their publishers' terms)",
            }
        ],
        "resources": [resource(dataset, catalog) for dataset in catalog.values()],
    }
