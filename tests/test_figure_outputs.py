"""Charts and maps finished for each edition from what a book build's chapter leaves."""

from __future__ import annotations

import base64

import altair as alt
import nbformat
import pandas as pd
import pytest

from bookbuild.figure_outputs import finish_figures, picture
from kztm.charts import FIGURE_MIME
from kztm.maps import Line, Map, Marker
from kztm.paths import using_root
from tests.conftest import ROOT

GLUED = "application/papermill.record/"


def a_map() -> Map:
    return Map(
        alt_text="Two towns joined by a road.",
        markers=[Marker(43.65, 51.17, "Aktau", "port"), Marker(41.9, 50.7, "Caspian Sea", "water_body")],
        lines=[Line(((43.65, 51.17), (40.01, 52.97)), "A road", "road", dashed=True)],
    )


def a_chart() -> dict:
    frame = pd.DataFrame({"year": ["2023", "2024"], "value": [1.0, 2.0]})
    return alt.Chart(frame).mark_bar().encode(x="year:N", y="value:Q").to_dict()


def test_a_map_is_the_same_map_after_its_description():
    with using_root(ROOT):
        drawn = a_map()
        again = Map.from_description(drawn.description())
        assert again.description() == drawn.description()
        assert picture({"map": drawn.description()}) == drawn.png()


def notebook_with(descriptions: dict[str, dict]) -> nbformat.NotebookNode:
    """A notebook with one glued output per description, as myst-nb's glue writes it."""
    cell = nbformat.v4.new_code_cell("")
    for name, description in descriptions.items():
        data = {f"{GLUED}{FIGURE_MIME}": description}
        if "map" in description:
            data[f"{GLUED}text/html"] = f"<div>{name}</div>"
        cell.outputs.append(nbformat.v4.new_output("display_data", data=data))
    return nbformat.v4.new_notebook(cells=[cell])


def test_print_gets_a_picture_for_every_description():
    notebook = notebook_with({"chart": {"chart": a_chart()}, "map": {"map": a_map().description()}})
    with using_root(ROOT):
        assert finish_figures(notebook, for_print=True) == 2
    for output in notebook.cells[0].outputs:
        assert f"{GLUED}{FIGURE_MIME}" not in output.data
        assert base64.b64decode(output.data[f"{GLUED}image/png"]).startswith(b"\x89PNG")


def test_the_web_edition_gets_each_charts_html_and_keeps_each_maps():
    chart = a_chart() | {"description": "Two bars."}
    notebook = notebook_with({"chart": {"chart": chart}, "map": {"map": a_map().description()}})
    with using_root(ROOT):
        assert finish_figures(notebook, for_print=False) == 2
    chart_output, map_output = notebook.cells[0].outputs
    assert set(chart_output.data) == {f"{GLUED}text/html"}
    assert chart_output.data[f"{GLUED}text/html"].startswith('<div class="kztm-chart" id="kztm-chart-1-')
    assert '"$schema": "https://vega.github.io/schema/vega/' in chart_output.data[f"{GLUED}text/html"]
    assert map_output.data == {f"{GLUED}text/html": "<div>map</div>"}


def test_a_description_of_something_else_is_refused():
    with pytest.raises(ValueError, match="a chart or a map"):
        picture({"table": {}})
