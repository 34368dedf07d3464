"""Maps that work offline and in print: one description, drawn by Leaflet for HTML and by
matplotlib for the PDF.

Maps have no web tiles (the book must render without a network): the background is Natural Earth
country outlines from ``data/country_shapes.geojson``. Leaflet is served from the book's own
``_static/vendor`` folder. Every string that reaches a tooltip or popup is escaped here, because data
titles are untrusted text.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import folium
import pandas as pd
from matplotlib.figure import Figure

from kztm.charts import FONT, INK, PALETTE
from kztm.incremental import note_read
from kztm.paths import data_dir

# Chapter pages live one folder below the book root; a srcdoc iframe resolves URLs against them.
VENDOR = "../_static/vendor"
SEA = "#dbe9f4"
LAND = "#f2f0eb"
FOCUS_LAND = "#e2dccb"
BORDER = "#767676"
FOCUS = ("KAZ", "TKM")
HEIGHT_PX = 460
PNG_DPI = 200
PLACE_KINDS = {
    "capital": "Capital",
    "city": "City",
    "port": "Port",
    "rail_node": "Rail node",
    "gas_field": "Gas field",
    "water_body": "Sea",
}
_FOLIUM_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")


@dataclass(frozen=True)
class Marker:
    """A point with a short label (tooltip) and an optional longer text (popup)."""

    lat: float
    lon: float
    label: str
    group: str
    detail: str = ""


@dataclass(frozen=True)
class Line:
    """A route drawn through ordered (lat, lon) waypoints."""

    points: tuple[tuple[float, float], ...]
    label: str
    group: str
    dashed: bool = False


@dataclass
class Map:
    """A map figure: alternative text, markers and lines over the country outlines."""

    alt_text: str
    markers: Sequence[Marker] = ()
    lines: Sequence[Line] = ()
    margin_deg: float = 3.0
    colours: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.alt_text.strip():
            raise ValueError("every map needs alternative text")
        groups = dict.fromkeys([m.group for m in self.markers] + [ln.group for ln in self.lines])
        for group, colour in zip(groups, PALETTE, strict=False):
            self.colours.setdefault(group, colour)

    def bounds(self) -> tuple[float, float, float, float]:
        """South, west, north, east of everything drawn, with a margin."""
        lats = [m.lat for m in self.markers] + [p[0] for ln in self.lines for p in ln.points]
        lons = [m.lon for m in self.markers] + [p[1] for ln in self.lines for p in ln.points]
        if not lats:
            raise ValueError("a map needs at least one marker or line")
        pad = self.margin_deg
        return min(lats) - pad, min(lons) - pad, max(lats) + pad, max(lons) + pad

    def folium_map(self) -> folium.Map:
        """The interactive map, loading Leaflet from the book's own static files."""
        south, west, north, east = self.bounds()
        fmap = folium.Map(
            tiles=None,
            location=[(south + north) / 2, (west + east) / 2],
            zoom_start=4,
            control_scale=True,
        )
        # folium's popups call jQuery; both come from the book's own static files.
        fmap.default_js = [
            ("jquery", f"{VENDOR}/jquery/jquery.min.js"),
            ("leaflet", f"{VENDOR}/leaflet/leaflet.js"),
        ]
        fmap.default_css = [("leaflet_css", f"{VENDOR}/leaflet/leaflet.css")]
        fmap.get_root().header.add_child(
            folium.Element(
                f"<style>.folium-map.leaflet-container{{background:{SEA};font-family:{FONT}}}</style>"
            )
        )
        folium.GeoJson(
            country_shapes(),
            name="countries",
            style_function=_country_style,
            interactive=False,
        ).add_to(fmap)
        for line in self.lines:
            folium.PolyLine(
                [list(p) for p in line.points],
                color=self.colours[line.group],
                weight=4,
                dash_array="8 6" if line.dashed else None,
                tooltip=folium.Tooltip(safe_html(line.label)),
            ).add_to(fmap)
        for marker in self.markers:
            folium.CircleMarker(
                [marker.lat, marker.lon],
                radius=7,
                color=INK,
                weight=1,
                fill=True,
                fill_color=self.colours[marker.group],
                fill_opacity=0.95,
                tooltip=folium.Tooltip(safe_html(marker.label)),
                popup=folium.Popup(safe_html(marker.detail), parse_html=False)
                if marker.detail
                else None,
            ).add_to(fmap)
        # The frame may be laid out after the script runs: size and fit again once it has loaded.
        bounds = json.dumps([[south, west], [north, east]])
        fmap.get_root().script.add_child(
            folium.Element(
                f"window.addEventListener('load', function () {{ {fmap.get_name()}.invalidateSize(); "
                f"{fmap.get_name()}.fitBounds({bounds}); }});"
            )
        )
        fmap.fit_bounds([[south, west], [north, east]])
        return fmap

    def html(self) -> str:
        """The map as an isolated iframe, with stable element ids so rebuilds are identical."""
        document = self.folium_map().get_root().render()
        ids: dict[str, str] = {}
        document = _FOLIUM_ID.sub(lambda m: ids.setdefault(m.group(), f"{len(ids) + 1:032x}"), document)
        return (
            f'<div class="kztm-map"><iframe class="kztm-map-frame" '
            f'title="{html.escape(self.alt_text, quote=True)}" sandbox="allow-scripts allow-popups" '
            f'style="width:100%;height:{HEIGHT_PX}px;border:0" '
            f'srcdoc="{html.escape(document, quote=True)}"></iframe></div>'
        )

    def png(self) -> bytes:
        """A static rendering of the same layers for print."""
        south, west, north, east = self.bounds()
        aspect = 1 / math.cos(math.radians((south + north) / 2))
        width_in = 7.0
        height_in = width_in * (north - south) * aspect / (east - west)
        figure = Figure(figsize=(width_in, height_in), dpi=PNG_DPI)
        axes = figure.add_axes((0, 0, 1, 1))
        axes.set_facecolor(SEA)
        for feature in country_shapes()["features"]:
            face = FOCUS_LAND if feature["properties"]["iso3"] in FOCUS else LAND
            for polygon in feature["geometry"]["coordinates"]:
                for number, ring in enumerate(polygon):
                    xs, ys = zip(*ring, strict=True)
                    axes.fill(
                        xs,
                        ys,
                        facecolor=face if number == 0 else SEA,
                        edgecolor=BORDER,
                        linewidth=0.5,
                    )
        for line in self.lines:
            lats, lons = zip(*line.points, strict=True)
            axes.plot(
                lons,
                lats,
                color=self.colours[line.group],
                linewidth=2.5,
                linestyle=(0, (4, 3)) if line.dashed else "-",
                label=line.group,
            )
        for marker in self.markers:
            axes.scatter(
                [marker.lon],
                [marker.lat],
                s=45,
                color=self.colours[marker.group],
                edgecolors=INK,
                linewidths=0.6,
                zorder=3,
            )
            axes.annotate(
                marker.label,
                (marker.lon, marker.lat),
                xytext=(5, 4),
                textcoords="offset points",
                fontsize=7,
                color=INK,
                zorder=4,
            )
        axes.set_xlim(west, east)
        axes.set_ylim(south, north)
        axes.set_aspect(aspect)
        axes.set_xticks([])
        axes.set_yticks([])
        _legend(axes, self.colours, self.markers, self.lines)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", metadata={"Software": None})
        return buffer.getvalue()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {
            "text/html": self.html(),
            "image/png": base64.b64encode(self.png()).decode("ascii"),
        }


def markers(places: pd.DataFrame) -> list[Marker]:
    """One marker per place, grouped by kind, with the place's note as its popup."""
    return [
        Marker(
            lat=row.lat,
            lon=row.lon,
            label=row.name,
            group=PLACE_KINDS[str(row.kind)],
            detail="" if pd.isna(row.note) else str(row.note),
        )
        for row in places.itertuples()
    ]


def line(
    route_name: str, group: str, waypoints: pd.DataFrame, places: pd.DataFrame, dashed: bool = False
) -> Line:
    """A route's line through its waypoints, in order."""
    positions = places.set_index("place_id")
    ordered = waypoints.sort_values("seq")
    return Line(
        points=tuple((positions.loc[p, "lat"], positions.loc[p, "lon"]) for p in ordered["place_id"]),
        label=route_name,
        group=group,
        dashed=dashed,
    )


def safe_html(text: str) -> str:
    """Text made inert for Leaflet: HTML-escaped, and safe inside the JavaScript template literal
    folium wraps tooltips in (so a backtick, ``${`` or backslash cannot end or alter it)."""
    return (
        html.escape(text, quote=True).replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")
    )


def _legend(
    axes: Any, colours: dict[str, str], markers: Iterable[Marker], lines: Iterable[Line]
) -> None:
    from matplotlib.lines import Line2D

    line_groups = {ln.group for ln in lines}
    marker_groups = {m.group for m in markers}
    handles = [
        Line2D([], [], color=colour, linewidth=2.5)
        if group in line_groups
        else Line2D([], [], marker="o", linestyle="", color=colour, markeredgecolor=INK)
        for group, colour in colours.items()
        if group in line_groups | marker_groups
    ]
    labels = [g for g in colours if g in line_groups | marker_groups]
    axes.legend(handles, labels, loc="best", fontsize=7, frameon=True)


def _country_style(feature: dict[str, Any]) -> dict[str, Any]:
    focus = feature["properties"]["iso3"] in FOCUS
    return {
        "fillColor": FOCUS_LAND if focus else LAND,
        "color": BORDER,
        "weight": 1,
        "fillOpacity": 1,
    }


def country_shapes() -> dict[str, Any]:
    """Natural Earth outlines of the region (see scripts/derive_country_shapes.py)."""
    path = data_dir() / "country_shapes.geojson"
    note_read(path)
    return json.loads(path.read_text(encoding="utf-8"))
