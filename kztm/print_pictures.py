"""The PDF's pictures of the book's charts and maps, drawn when the PDF is built.

A chapter run for the book leaves, beside each chart's or map's HTML, the description its picture
is drawn from (``charts.PRINT_MIME``): the chart's Vega-Lite spec, or the map's layers. The HTML
book never shows a picture, so drawing them all (a second or so each) waits for a PDF build, which
replaces each description with its PNG (``bookbuild.build.stage``).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

import nbformat

from kztm.charts import PRINT_MIME, chart_png
from kztm.maps import Map


def picture(description: Mapping[str, Any]) -> bytes:
    """The PNG of a chart (``{"chart": spec}``) or a map (``{"map": layers}``)."""
    if "chart" in description:
        return chart_png(dict(description["chart"]))
    if "map" in description:
        return Map.from_description(dict(description["map"])).png()
    raise ValueError(f"a print description names a chart or a map, not {sorted(description)}")


def prepare_figures(notebook: nbformat.NotebookNode, for_print: bool) -> int:
    """Replace every print description in the notebook's outputs (glued ones included, whose
    data keys carry a prefix) with its PNG for print, or drop it for the HTML book; returns how
    many there were."""
    found = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for key in [key for key in data if key.endswith(PRINT_MIME)]:
                description = data.pop(key)
                if for_print:
                    prefix = key.removesuffix(PRINT_MIME)
                    data[f"{prefix}image/png"] = base64.b64encode(picture(description)).decode("ascii")
                found += 1
    return found
