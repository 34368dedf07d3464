"""One look for every chart, and one way of putting a chart on a page and on paper.

``enable()`` switches Altair to the book's theme and its ``kztm`` renderer (``prose.glue_figure``
calls it; importing the module changes nothing). In a book build a chart's output is its
Vega-Lite spec under ``FIGURE_MIME``, which the build turns into what each edition shows
(``kztm.figure_outputs``): ``text/html`` that draws the interactive chart with the book's locally
served Vega (no CDN, so the book works offline), or a PNG for the PDF. Done there, in one process,
the compiling and drawing do not cost every chapter's kernel the second and a half vl-convert
takes to start. In a person's Jupyter session a chart is its PNG. The HTML carries the chart
compiled from Vega-Lite to Vega at build time, so that pages load Vega alone rather than
Vega-Lite's compiler and vega-embed too (0.3 MB less on every page with a chart). Altair's own
renderers do not fit: the default loads Vega from a CDN, the ``mimetype`` one is rejected by
nbformat inside papermill, and ``inline`` breaks inside Sphinx pages.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Mapping
from typing import Any

import altair as alt
import pandas as pd
import vl_convert

from kztm.bibliography import name_sources
from kztm.catalog import category_labels
from kztm.events import date_label
from kztm.reads import in_book_build

# Okabe & Ito's hues, distinguishable with the common colour-vision deficiencies, darkened where
# needed so that every colour stands 3:1 against the chart background and the maps' land and sea
# (WCAG 1.4.11, non-text contrast); their sky blue and yellow cannot, so a grey replaces them, and
# a dark violet gives an eighth category a colour of its own.
PALETTE = ["#0072B2", "#B35900", "#007A5A", "#AA4499", "#000000", "#5E5E5E", "#8C5B00", "#5B3A9E"]
BACKGROUND = "#ffffff"
FONT = "DejaVu Sans, Verdana, sans-serif"
INK = "#222222"
# The range a month- or year-precise date may cover, behind the timeline's points.
SPAN = "#8A8A8A"
# The print image: vl-convert sizes it at ``scale`` points per CSS pixel and ``ppi`` pixels per inch.
# At 0.75 a chart is as wide on paper as on a screen (96 CSS pixels to the inch: a 320-pixel chart is
# 8.5 cm wide) instead of being stretched to the full text width and, for a narrow chart, most of a
# page's height; 300 pixels per inch is print resolution.
PNG_SCALE = 0.75
PNG_PPI = 300
# The widest legend label, in pixels (Vega's default, 160, cut labels short).
LEGEND_LABEL_LIMIT_PX = 400

# What a chart or map in a book build leaves for the build to finish: the description the HTML
# chart and the printed picture are made from (see kztm.figure_outputs).
FIGURE_MIME = "application/vnd.kztm.figure+json"


def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "background": BACKGROUND,
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
                # Legends sit below the plot, where a label has the chart's width.
                "labelLimit": LEGEND_LABEL_LIMIT_PX,
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


def chart_html(spec: dict[str, Any], alt_text: str, number: int) -> str:
    """The HTML output of a chart: a container and its Vega spec as inert JSON, which the book's
    deferred ``_static/kztm.js`` draws as it nears the window (no inline script, so neither it
    nor Vega holds up the first paint).

    The element id comes from the spec and the chart's ``number`` on its page, not a random
    number, so two builds of the same data give the same page. The container takes keyboard
    focus: a chart wider than the column scrolls, and a region that scrolls must be reachable
    without a mouse.
    """
    digest = hashlib.sha256(_script_json(spec).encode()).hexdigest()[:10]
    element = f"kztm-chart-{number}-{digest}"
    compiled = _script_json(vl_convert.vegalite_to_vega(fitted_to_column(spec)))
    return (
        f'<div class="kztm-chart" id="{element}" role="img" tabindex="0" '
        f'aria-label="{html.escape(alt_text, quote=True)}"></div>\n'
        f'<script type="application/json" id="{element}-spec">{compiled}</script>'
    )


# The share of the column a category axis's labels may take on a narrow screen; the plot has the
# rest.
LABEL_SHARE = 0.55


def fitted_to_column(spec: dict[str, Any]) -> dict[str, Any]:
    """The web chart drawn to the width of the page's column, from a 390-pixel phone to a
    desktop (the printed picture keeps the spec's width): Vega-Lite's ``width: "container"``.
    A chart whose rows are named also lets its row labels take at most ``LABEL_SHARE`` of the
    column, cut with an ellipsis on a phone (the tooltip and the tables give them whole), so
    that its plot keeps the rest. A composed chart (concatenated views) is left as it is, and
    scrolls."""
    if any(key in spec for key in ("hconcat", "vconcat", "concat", "facet", "repeat")):
        return spec
    y_types = _y_types(spec)
    if not y_types:
        return spec
    fitted = {**spec, "width": "container", "autosize": {"type": "fit-x", "contains": "padding"}}
    if y_types & {"nominal", "ordinal"}:
        fitted = _labels_within(fitted)
    return fitted


def _labels_within(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with every y axis's labels limited to ``LABEL_SHARE`` of the column, between 80
    pixels and the limit the chart sets (Vega's default, 200, where it sets none)."""
    fitted = dict(spec)
    encoding = spec.get("encoding", {})
    if "y" in encoding and encoding["y"].get("axis", {}) is not None:
        axis = dict(encoding["y"].get("axis", {}))
        widest = axis.get("labelLimit", 200)
        axis["labelLimit"] = {"expr": f"clamp(containerSize()[0] * {LABEL_SHARE}, 80, {widest})"}
        fitted["encoding"] = {**encoding, "y": {**encoding["y"], "axis": axis}}
    if "layer" in spec:
        fitted["layer"] = [_labels_within(layer) for layer in spec["layer"]]
    return fitted


def _y_types(spec: dict[str, Any]) -> set[str]:
    """The types of a chart's y encodings, in its layers too."""
    found = {str(spec["encoding"]["y"].get("type"))} if "y" in spec.get("encoding", {}) else set()
    for layer in spec.get("layer", []):
        found |= _y_types(layer)
    return found


def chart_png(spec: dict[str, Any]) -> bytes:
    """A static rendering of the chart for print."""
    return vl_convert.vegalite_to_png(spec, scale=PNG_SCALE, ppi=PNG_PPI)


def render(spec: dict[str, Any], **_: Any) -> dict[str, Any]:
    """Altair renderer: in a book build the spec, finished by the build for each edition; in a
    person's Jupyter session the picture (the HTML needs the book's script to draw). Refuses a
    chart without alt text."""
    alt_text = spec.get("description")
    if not alt_text:
        raise ValueError(
            "every chart needs alternative text: add .properties(description='...') to the chart"
        )
    if not in_book_build():
        return {"image/png": base64.b64encode(chart_png(spec)).decode("ascii")}
    return {FIGURE_MIME: {"chart": spec}}


def bars(
    frame: pd.DataFrame,
    category: str,
    value: str,
    category_title: str,
    value_title: str,
    tooltip_title: str,
    implied: str | None = None,
) -> alt.LayerChart:
    """Vertical bars of one value per category, labelled with the value, with a tooltip that
    names each bar's source. ``implied`` names a boolean column: those bars are derived, not
    reported, and drawn pale."""
    if frame.empty:
        return nothing_to_show(NO_FIGURE)
    frame = frame.assign(cited=frame["source_id"].map(name_sources))
    encoding: dict[str, Any] = {
        "x": alt.X(f"{category}:N", title=category_title, sort=None, axis=alt.Axis(labelAngle=0)),
        "y": alt.Y(f"{value}:Q", title=value_title),
        "tooltip": [
            alt.Tooltip(f"{category}:N", title=category_title),
            alt.Tooltip(f"{value}:Q", title=tooltip_title, format=",.1f"),
            alt.Tooltip("cited:N", title="Source"),
        ],
    }
    if implied:
        frame = frame.assign(figure=figure_kind(frame[implied]))
        encoding["opacity"] = figure_opacity()
        encoding["tooltip"].insert(-1, alt.Tooltip("figure:N", title="Figure"))
    base = alt.Chart(frame).encode(**encoding)
    labels = base.mark_text(dy=-6, color=INK, fontSize=11).encode(
        text=alt.Text(f"{value}:Q", format=",.1f"), opacity=alt.value(1)
    )
    return alt.LayerChart(layer=[base.mark_bar(), labels])


_REPORTED = "reported"
_IMPLIED = "implied by another figure"


def figure_kind(implied: pd.Series) -> pd.Series:
    """Each value's kind as the legend names it, from whether it is implied: for ``figure``."""
    return implied.map({False: _REPORTED, True: _IMPLIED})


def figure_opacity() -> alt.Opacity:
    """Reported figures solid, implied ones pale (the ``figure`` column from ``figure_kind``),
    with a legend that says which is which."""
    return alt.Opacity(
        "figure:N", title="Figure", scale=alt.Scale(domain=[_REPORTED, _IMPLIED], range=[1.0, 0.4])
    )


NO_FIGURE = "No figure is known by this date."


def nothing_to_show(message: str) -> alt.LayerChart:
    """A chart's place when its data holds nothing yet (a book dated before the first record):
    the message, where the chart would be, so the figure and its caption still stand."""
    text = (
        alt.Chart(pd.DataFrame({"message": [message]}))
        .mark_text(fontSize=14, color=INK, align="center")
        .encode(text="message:N")
    )
    return alt.LayerChart(layer=[text]).properties(width=400, height=60, description=message)


def timeline(events: pd.DataFrame, width: int = 200) -> alt.LayerChart:
    """A labelled timeline that prints as a chronology: one row per dated event, named on the
    left and in date order, a point at its start (coloured and shaped by status) and a bar over
    the range a month- or year-precise date could cover. Takes one row per event."""
    dated = events.dropna(subset=["date_start"]).sort_values("date_start").copy()
    if dated.empty:
        return nothing_to_show("No dated event is known by this date.")
    dated["kind_label"] = dated["kind"].astype(str).map(category_labels("events", "kind"))
    dated["when"] = dated.apply(date_label, axis=1)
    dated["status"] = dated["status"].astype(str)
    dated["cited"] = dated["sources"].map(name_sources)
    first, last = dated["date_start"].min(), dated[["date_start", "date_end"]].max().max()
    # Two events with one title (a yearly session, say) keep a row each.
    repeated = dated["title"].duplicated(keep=False)
    dated["row"] = dated["title"].where(~repeated, dated["title"] + " (" + dated["when"] + ")")
    base = alt.Chart(dated).encode(
        y=alt.Y(
            "row:N",
            title=None,
            sort=list(dated["row"]),
            # Room for the longest event names ("Prime Minister Bektenov meets President Serdar
            # Berdimuhamedov in Turkmenistan", 460 px), which 420 px cut short; with the plot's
            # 200 px the chart still fits the text column.
            axis=alt.Axis(labelLimit=480, labelFontSize=11, domain=False, ticks=False),
        )
    )
    spans = base.mark_rule(strokeWidth=7, color=SPAN).encode(x=alt.X("date_start:T"), x2="date_end:T")
    points = base.mark_point(filled=True, size=110, opacity=1, stroke=BACKGROUND).encode(
        x=alt.X(
            "date_start:T",
            title=None,
            # A label every year, or every second or third over a long span: years side by side
            # in a 200 px plot would run into each other.
            axis=alt.Axis(
                format="%Y",
                tickCount={"interval": "year", "step": _year_step(first, last)},
                grid=True,
                labelFlush=False,
            ),
            # Whole years, so that an event late in the last year is drawn inside the axis.
            scale=alt.Scale(domain=[f"{first:%Y}-01-01", f"{last.year + 1}-01-01"]),
        ),
        # A column, so that the key is no wider than the plot beside the long event names.
        color=alt.Color("status:N", title="Status", scale=alt.Scale(range=PALETTE), legend=_STACKED),
        shape=alt.Shape("status:N", title="Status", legend=_STACKED),
        tooltip=[
            alt.Tooltip("title:N", title="Event"),
            alt.Tooltip("when:N", title="Date"),
            alt.Tooltip("kind_label:N", title="Kind"),
            alt.Tooltip("status:N", title="Status"),
            alt.Tooltip("cited:N", title="Sources"),
        ],
    )
    # 22 px a row, but no taller than a printed page leaves room for with its caption.
    height = min(ROW_PX * len(dated), MAX_TIMELINE_PX)
    return alt.LayerChart(layer=[spans, points]).properties(width=width, height=height)


# A timeline's row, and its greatest height (a long record's rows close up instead).
ROW_PX = 22
MAX_TIMELINE_PX = 620
# Year labels a timeline's axis holds side by side.
YEAR_LABELS = 6


def _year_step(first: pd.Timestamp, last: pd.Timestamp) -> int:
    """Every how many years the axis is labelled, so that at most about YEAR_LABELS labels show."""
    years = int(last.year) + 1 - int(first.year)
    return max(1, -(-years // YEAR_LABELS))


# How a source qualifies a figure (the qualifier column of the datasets), as every chart's key
# names it.
QUALIFIER_LABELS = {
    "exact": "as stated",
    "about": "approximate",
    "at_least": "lower bound",
    "up_to": "upper bound",
}
# Legends side by side under a chart, each a column, so that three fit a chart's width.
_STACKED = alt.Legend(direction="vertical")


def period_figures(
    figures: pd.DataFrame, value: str, value_title: str, colour: str, colour_title: str
) -> alt.LayerChart:
    """Figures for periods of any length on one time axis: each a segment spanning its period at
    the height of ``value``, coloured by ``colour`` (whose figure it is), so gaps between periods
    stay visible and a nine-month total never stands beside a year as if it were one. Lower bounds
    are pale; a ring marks the figures the seed articles report (column ``in_seeds``)."""
    if figures.empty:
        return nothing_to_show(NO_FIGURE)
    frame = figures.assign(
        cited=figures["sources"].map(lambda ids: name_sources("; ".join(ids))),
        bound=figures["qualifier"].astype(str).map(QUALIFIER_LABELS),
        # A period is drawn to the end of its last day.
        until=figures["period_end"] + pd.Timedelta(days=1),
        middle=figures["period_start"] + (figures["period_end"] - figures["period_start"]) / 2,
        seed=figures["in_seeds"].map({True: "reported in the source articles", False: "other sources"}),
    )
    first, last = frame["period_start"].min(), frame["period_end"].max()
    base = alt.Chart(frame).encode(
        y=alt.Y(f"{value}:Q", title=value_title),
        tooltip=[
            alt.Tooltip("period:N", title="Period"),
            alt.Tooltip("value_usd_m:Q", title="Reported ($ m)", format=",.1f"),
            alt.Tooltip("bound:N", title="Figure"),
            alt.Tooltip(f"{value}:Q", title=value_title, format=",.1f"),
            alt.Tooltip(f"{colour}:N", title=colour_title),
            alt.Tooltip("cited:N", title="Sources"),
        ],
    )
    segments = base.mark_rule(strokeWidth=5).encode(
        x=alt.X(
            "period_start:T",
            title=None,
            # A label every year, or every second or third over a long span: years side by side
            # in a 200 px plot would run into each other.
            axis=alt.Axis(
                format="%Y",
                tickCount={"interval": "year", "step": _year_step(first, last)},
                grid=True,
                labelFlush=False,
            ),
            scale=alt.Scale(domain=[f"{first:%Y}-01-01", f"{last.year + 1}-01-01"]),
        ),
        x2="until:T",
        color=alt.Color(f"{colour}:N", title=colour_title, scale=alt.Scale(range=PALETTE)),
        opacity=alt.Opacity(
            "bound:N",
            title="Figure",
            # The qualifiers a trade figure may have, the looser the paler.
            scale=alt.Scale(
                domain=[QUALIFIER_LABELS[code] for code in category_labels("trade", "qualifier")],
                range=[1, 0.7, 0.4],
            ),
        ),
    )
    rings = (
        base.transform_filter(alt.datum.in_seeds)
        .mark_point(shape="circle", size=140, filled=False, strokeWidth=2, color=INK)
        .encode(
            x="middle:T", shape=alt.Shape("seed:N", title=None, legend=alt.Legend(symbolStrokeColor=INK))
        )
    )
    # Each legend a column, side by side: three legends in a row are wider than the chart.
    # No ring without a seed figure (an early edition): an empty legend has no size to draw.
    layers = [segments, rings] if frame["in_seeds"].any() else [segments]
    layered: alt.LayerChart = alt.LayerChart(layer=layers).configure_legend(direction="vertical")
    return layered


def spread(rows: pd.DataFrame, labels: Mapping[str, str], value_title: str) -> alt.LayerChart:
    """What each source says about each measure (rows of indicators.csv in one unit): one row per
    measure, a point per source and a bar over a stated range, so that disagreement between
    sources shows as distance. The tooltip names the source of each point."""
    if rows.empty:
        return nothing_to_show(NO_FIGURE)
    order = list(dict.fromkeys(rows["indicator_id"].map(labels)))
    kinds = list(QUALIFIER_LABELS.values())
    frame = rows.assign(
        measure=rows["indicator_id"].map(labels),
        cited=rows["source_id"].map(name_sources),
        figure=rows["qualifier"].astype(str).map(QUALIFIER_LABELS),
        high=rows["value_high"].fillna(rows["value"]),
    )
    base = alt.Chart(frame).encode(
        y=alt.Y(
            "measure:N",
            title=None,
            sort=order,
            axis=alt.Axis(labelLimit=440, labelFontSize=11, domain=False, ticks=False),
        )
    )
    ranges = base.mark_rule(strokeWidth=4, color=SPAN).encode(x="value:Q", x2="high:Q")
    points = base.mark_point(filled=True, size=90, opacity=0.85).encode(
        # From zero, so that a gap between two sources looks as large as it is.
        x=alt.X("value:Q", title=value_title, scale=alt.Scale(zero=True, nice=True)),
        # One key for every chart of this kind: a lower bound looks the same on every page.
        shape=alt.Shape("figure:N", title="Figure", legend=_STACKED, scale=alt.Scale(domain=kinds)),
        color=alt.Color(
            "figure:N",
            title="Figure",
            legend=_STACKED,
            scale=alt.Scale(domain=kinds, range=PALETTE[: len(kinds)]),
        ),
        tooltip=[
            alt.Tooltip("measure:N", title="Measure"),
            alt.Tooltip("value:Q", title="Value", format=",.6~g"),
            alt.Tooltip("high:Q", title="High end", format=",.6~g"),
            alt.Tooltip("figure:N", title="Figure"),
            alt.Tooltip("cited:N", title="Source"),
        ],
    )
    return alt.LayerChart(layer=[ranges, points]).properties(width=220, height=26 * len(order))


def enable() -> None:
    """Draw every chart from now on with the book's theme and renderer (repeating it is harmless)."""
    alt.theme.register("kztm", enable=True)(_theme)
    alt.renderers.register("kztm", render)
    alt.renderers.enable("kztm")
