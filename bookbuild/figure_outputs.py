"""The chapters' charts and maps as each edition shows them, finished when the book is built.

A chapter run for the book leaves each chart as its Vega-Lite spec and each map as its HTML with
a description of its layers (``charts.FIGURE_MIME``). Staging an edition (``bookbuild.build.stage``)
turns them into what it shows: for the web, each chart's HTML with the spec compiled to Vega; for
print, a PNG of every chart and map. Done once per build in one process, this spares every
chapter's kernel the start of vl-convert (a second and a half) and the drawing of pictures the
HTML book never shows (a second or so each).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

import nbformat

from kztm.charts import FIGURE_MIME, chart_html, chart_png
from kztm.maps import Map


def picture(description: Mapping[str, Any]) -> bytes:
    """The PNG of a chart (``{"chart": spec}``) or a map (``{"map": layers}``)."""
    if "chart" in description:
        return chart_png(dict(description["chart"]))
    if "map" in description:
        return Map.from_description(dict(description["map"])).png()
    raise ValueError(f"a figure is described as a chart or a map, not {sorted(description)}")


def finish_figures(notebook: nbformat.NotebookNode, for_print: bool) -> int:
    """Replace every figure description in the notebook's outputs (glued ones included, whose data
    keys carry a prefix) with its PNG for print, or with the chart's HTML for the web (a map's HTML
    is there already); returns how many there were. Charts are numbered in the page's order."""
    found = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for key in [key for key in data if key.endswith(FIGURE_MIME)]:
                description = data.pop(key)
                prefix = key.removesuffix(FIGURE_MIME)
                found += 1
                if for_print:
                    data[f"{prefix}image/png"] = base64.b64encode(picture(description)).decode("ascii")
                elif "chart" in description:
                    spec = dict(description["chart"])
                    data[f"{prefix}text/html"] = chart_html(spec, spec["description"], found)
    return found
