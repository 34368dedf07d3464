"""One look for every chart, and one way of putting a chart on a page and on paper.

Importing this module enables the ``kztm`` Altair renderer. Each chart then carries two outputs:
``text/html`` that draws the interactive chart with the book's locally served Vega bundle (no CDN, so
the book works offline), and ``image/png`` rendered by vl-convert for the PDF. Altair's own renderers
do not fit: the default loads Vega from a CDN, the ``mimetype`` one is rejected by nbformat inside
papermill, and ``inline`` breaks inside Sphinx pages.
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json
from typing import Any

import altair as alt
import vl_convert

# Okabe & Ito's palette, distinguishable with the common colour-vision deficiencies; the light
# yellow is last because it is the hardest to see on white.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
FONT = "DejaVu Sans, Verdana, sans-serif"
INK = "#222222"
PNG_SCALE = 2

_chart_numbers = itertools.count(1)


def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "background": "white",
            "view": {"stroke": None, "continuousWidth": 560, "continuousHeight": 300},
            "range": {"category": PALETTE},
            "axis": {
                "labelColor": INK,
                "titleColor": INK,
                "gridColor": "#e6e6e6",
                "labelFontSize": 12,
                "titleFontSize": 12,
            },
            "legend": {
                "labelColor": INK,
                "titleColor": INK,
                "labelFontSize": 12,
                "titleFontSize": 12,
                "orient": "bottom",
            },
            "title": {"color": INK, "fontSize": 14, "anchor": "start"},
            "mark": {"color": PALETTE[0]},
        }
    }


def _script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element, whatever strings the data holds."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def chart_html(spec: dict[str, Any], alt_text: str) -> str:
    """The HTML output of a chart: a container, its spec as inert JSON, and one call to draw it.

    The element id comes from the spec and a per-kernel counter, not a random number, so two builds
    of the same data give the same page.
    """
    digest = hashlib.sha256(_script_json(spec).encode()).hexdigest()[:10]
    element = f"kztm-chart-{next(_chart_numbers)}-{digest}"
    return (
        f'<div class="kztm-chart" id="{element}" role="img" '
        f'aria-label="{html.escape(alt_text, quote=True)}"></div>\n'
        f'<script type="application/json" id="{element}-spec">{_script_json(spec)}</script>\n'
        f'<script>kztm.embedChart("{element}");</script>'
    )


def chart_png(spec: dict[str, Any]) -> bytes:
    """A static rendering of the chart for print."""
    return vl_convert.vegalite_to_png(spec, scale=PNG_SCALE)


def render(spec: dict[str, Any], **_: Any) -> dict[str, str]:
    """Altair renderer: HTML for the book, PNG for the PDF; refuses a chart without alt text."""
    alt_text = spec.get("description")
    if not alt_text:
        raise ValueError(
            "every chart needs alternative text: add .properties(description='...') to the chart"
        )
    return {
        "text/html": chart_html(spec, alt_text),
        "image/png": base64.b64encode(chart_png(spec)).decode("ascii"),
    }


alt.theme.register("kztm", enable=True)(_theme)
alt.renderers.register("kztm", render)
alt.renderers.enable("kztm")
