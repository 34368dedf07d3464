"""Maps that work offline and in print: one description, drawn by Leaflet for HTML and by
matplotlib for the PDF, with the same layers, labels and legend in both.

Maps have no web tiles (the book must render without a network): the background is Natural Earth
country outlines from ``data/country_shapes.geojson``. Each map is a self-contained document in a
sandboxed ``srcdoc`` iframe that carries Leaflet inline: a sandboxed frame has an opaque origin, and
Chromium lets such a frame load no ``file://`` script, so a map that loaded Leaflet from the book's
folder stayed blank when the book was opened from disk. Inline, the map draws from disk and from a
web server alike, pages without maps load no map code, and data still cannot reach the page around
the frame; the book's script draws each map as it nears the window. Every string that reaches a
label, tooltip or legend is escaped here, because data titles are untrusted text.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import folium
import pandas as pd
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from kztm.catalog import category_labels
from kztm.charts import FIGURE_MIME, FONT, INK, PALETTE
from kztm.paths import data_dir, project_root
from kztm.reads import in_book_build, note_read

SEA = "#dbe9f4"
LAND = "#f2f0eb"
FOCUS_LAND = "#e2dccb"
BORDER = "#767676"
# Names of seas and lakes, in a blue dark enough to read 4.5:1 on the sea and on land.
WATER_INK = "#1d5a86"
COUNTRY_INK = "#5a5a5a"
FOCUS = ("KAZ", "TKM")
HEIGHT_PX = 460
PNG_DPI = 200
# Leaflet's code and style, installed by npm from package-lock.json, inlined into each map.
LEAFLET_JS = "node_modules/leaflet/dist/leaflet.js"
LEAFLET_CSS = "node_modules/leaflet/dist/leaflet.css"
WATER_GROUP = "water_body"
_FOLIUM_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")
_SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S+\s*$")


@dataclass(frozen=True)
class Marker:
    """A labelled point; ``group`` is its kind in the legend (water bodies get a label only)."""

    lat: float
    lon: float
    label: str
    group: str
    label_left: bool = False

    @property
    def is_water(self) -> bool:
        return self.group == WATER_GROUP


@dataclass(frozen=True)
class Line:
    """A route drawn through ordered (lat, lon) waypoints."""

    points: tuple[tuple[float, float], ...]
    label: str
    group: str
    dashed: bool = False


@dataclass
class Map:
    """A map figure: alternative text, markers and lines over the country outlines.

    ``group_labels`` names each group in the legend; place kinds are named by the catalog.
    """

    alt_text: str
    markers: Sequence[Marker] = ()
    lines: Sequence[Line] = ()
    margin_deg: float = 3.0
    group_labels: dict[str, str] = field(default_factory=dict)
    colours: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.alt_text.strip():
            raise ValueError("every map needs alternative text")
        self.group_labels = {**category_labels("places", "kind"), **self.group_labels}
        groups = dict.fromkeys(
            [m.group for m in self.markers if not m.is_water] + [ln.group for ln in self.lines]
        )
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

    def legend(self) -> list[tuple[str, str, str]]:
        """(label, colour, how it is drawn: 'point', 'line' or 'dashed') for every group shown."""
        entries = []
        for line in self.lines:
            drawn = "dashed" if line.dashed else "line"
            entry = (self.label_of(line.group), self.colours[line.group], drawn)
            if entry not in entries:
                entries.append(entry)
        for marker in self.markers:
            entry = (self.label_of(marker.group), self.colours.get(marker.group, ""), "point")
            if not marker.is_water and entry not in entries:
                entries.append(entry)
        return entries

    def label_of(self, group: str) -> str:
        return self.group_labels.get(group, group)

    def folium_map(self) -> folium.Map:
        """The interactive map, with Leaflet inline (see the module's docstring)."""
        south, west, north, east = self.bounds()
        shapes = country_shapes()
        fmap = folium.Map(
            tiles=None,
            location=[(south + north) / 2, (west + east) / 2],
            zoom_start=4,
            control_scale=True,
            zoom_snap=0.25,
        )
        fmap.default_js = []
        fmap.default_css = []
        # The root of a folium map is a branca Figure (header, html and script are its parts).
        root: Any = fmap.get_root()
        root.header.add_child(
            folium.Element(
                f"<style>{vendor_text(LEAFLET_CSS)}</style>\n"
                f"<script>{vendor_text(LEAFLET_JS)}</script>\n<style>{_map_css()}</style>"
            )
        )
        folium.GeoJson(
            shapes, name="countries", style_function=_country_style, interactive=False
        ).add_to(fmap)
        for name, (lat, lon) in country_label_points(shapes).items():
            _text_label(lat, lon, name, "kztm-country").add_to(fmap)
        for line in self.lines:
            folium.PolyLine(  # type: ignore[no-untyped-call]  # folium leaves it unannotated
                [list(p) for p in line.points],
                color=self.colours[line.group],
                weight=4,
                dash_array="8 6" if line.dashed else None,
                tooltip=folium.Tooltip(safe_html(line.label)),
            ).add_to(fmap)
        for marker in self.markers:
            if marker.is_water:
                _text_label(marker.lat, marker.lon, marker.label, "kztm-water").add_to(fmap)
                continue
            folium.CircleMarker(
                [marker.lat, marker.lon],
                radius=7,
                color=INK,
                weight=1,
                fill=True,
                fill_color=self.colours[marker.group],
                fill_opacity=0.95,
                tooltip=folium.Tooltip(
                    safe_html(marker.label),
                    permanent=True,
                    sticky=False,
                    direction="left" if marker.label_left else "right",
                    offset=(-8, 0) if marker.label_left else (8, 0),
                    class_name="kztm-label",
                ),
            ).add_to(fmap)
        root.html.add_child(folium.Element(self._legend_html()))
        # The frame may be laid out after the script runs (on a loaded machine it has no size yet):
        # Leaflet then draws the places as empty paths. Once the document has loaded (this element
        # comes before the map's own script), size the map again whenever the frame's size
        # changes, and fit the view the first time it has a size; later resizes keep the view.
        bounds = json.dumps([[south, west], [north, east]])
        root.script.add_child(
            folium.Element(
                "window.addEventListener('load', function () { "
                f"var map = {fmap.get_name()}; var fitted = false; function fit() {{ "
                "var box = map.getContainer().getBoundingClientRect(); "
                "if (!box.width || !box.height) { return; } map.invalidateSize(); "
                f"if (!fitted) {{ map.fitBounds({bounds}); fitted = true; }} }} "
                "fit(); if (window.ResizeObserver) { "
                "new ResizeObserver(fit).observe(map.getContainer()); } });"
            )
        )
        fmap.fit_bounds([[south, west], [north, east]])
        return fmap

    def _legend_html(self) -> str:
        items = []
        for label, colour, kind in self.legend():
            if kind == "point":
                swatch = (
                    f'<svg width="16" height="16" aria-hidden="true"><circle cx="8" cy="8" r="6" '
                    f'fill="{colour}" stroke="{INK}"/></svg>'
                )
            else:
                dash = ' stroke-dasharray="5 4"' if kind == "dashed" else ""
                swatch = (
                    f'<svg width="24" height="16" aria-hidden="true"><line x1="1" y1="8" x2="23" '
                    f'y2="8" stroke="{colour}" stroke-width="4"{dash}/></svg>'
                )
            items.append(f"<li>{swatch}<span>{html.escape(label)}</span></li>")
        return f'<ul class="kztm-legend">{"".join(items)}</ul>'

    def html(self) -> str:
        """The map as an isolated iframe, with stable element ids so rebuilds are identical. Its
        document waits in ``data-srcdoc`` until the book's script moves it to ``srcdoc`` as the
        map nears the window: a map runs Leaflet over hundreds of kilobytes of outlines, and a
        chapter's maps all drawn at load held the phone's main thread for a third of a second."""
        document = self.folium_map().get_root().render()
        ids: dict[str, str] = {}
        document = _FOLIUM_ID.sub(lambda m: ids.setdefault(m.group(), f"{len(ids) + 1:032x}"), document)
        return (
            f'<div class="kztm-map"><iframe class="kztm-map-frame" '
            f'title="{html.escape(self.alt_text, quote=True)}" sandbox="allow-scripts" '
            f'style="width:100%;height:{HEIGHT_PX}px;border:0" '
            f'data-srcdoc="{html.escape(document, quote=True)}"></iframe></div>'
        )

    def png(self) -> bytes:
        """A static rendering of the same layers, labels and legend for print."""
        south, west, north, east = self.bounds()
        aspect = 1 / math.cos(math.radians((south + north) / 2))
        # Print maps fit the page: at most as tall as wide, so a tall extent is widened.
        spare = (north - south) * aspect - (east - west)
        if spare > 0:
            west, east = west - spare / 2, east + spare / 2
        width_in = 6.3
        height_in = width_in * (north - south) * aspect / (east - west)
        figure = Figure(figsize=(width_in, height_in), dpi=PNG_DPI)
        axes = figure.add_axes((0, 0, 1, 1))
        axes.set_facecolor(SEA)
        shapes = country_shapes()
        rings, faces = [], []
        for feature in shapes["features"]:
            face = FOCUS_LAND if feature["properties"]["iso3"] in FOCUS else LAND
            for polygon in feature["geometry"]["coordinates"]:
                # A polygon's first ring is land; the rings after it are lakes, drawn over it.
                rings += polygon
                faces += [face] + [SEA] * (len(polygon) - 1)
        # One collection draws the rings in order, far faster than a patch for each.
        axes.add_collection(PolyCollection(rings, facecolors=faces, edgecolors=BORDER, linewidths=0.5))
        for name, (lat, lon) in country_label_points(shapes).items():
            _print_name(axes, lat, lon, name.upper(), COUNTRY_INK)
        for line in self.lines:
            lats, lons = zip(*line.points, strict=True)
            axes.plot(
                lons,
                lats,
                color=self.colours[line.group],
                linewidth=2.5,
                linestyle=(0, (4, 3)) if line.dashed else "-",
            )
        for marker in self.markers:
            if marker.is_water:
                _print_name(axes, marker.lat, marker.lon, marker.label, WATER_INK)
                continue
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
                xytext=(-6, 0) if marker.label_left else (6, 0),
                ha="right" if marker.label_left else "left",
                textcoords="offset points",
                fontsize=7.5,
                color=INK,
                va="center",
                zorder=4,
                bbox={
                    "boxstyle": "round,pad=0.15",
                    "facecolor": "white",
                    "edgecolor": "none",
                    "alpha": 0.8,
                },
            )
        axes.set_xlim(west, east)
        axes.set_ylim(south, north)
        axes.set_aspect(aspect)
        axes.set_xticks([])
        axes.set_yticks([])
        self._print_legend(axes)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", metadata={"Software": None})
        return buffer.getvalue()

    def _print_legend(self, axes: Any) -> None:
        handles = [
            Line2D([], [], marker="o", linestyle="", color=colour, markeredgecolor=INK)
            if kind == "point"
            else Line2D(
                [], [], color=colour, linewidth=2.5, linestyle=(0, (4, 3)) if kind == "dashed" else "-"
            )
            for _, colour, kind in self.legend()
        ]
        axes.legend(
            handles,
            [label for label, _, _ in self.legend()],
            loc="lower left",
            fontsize=7.5,
            frameon=True,
        )

    def description(self) -> dict[str, Any]:
        """Everything the map draws, as JSON (``from_description`` makes the same map again)."""
        return {
            "alt_text": self.alt_text,
            "markers": [
                asdict(marker) | {"lat": float(marker.lat), "lon": float(marker.lon)}
                for marker in self.markers
            ],
            "lines": [
                asdict(line) | {"points": [[float(lat), float(lon)] for lat, lon in line.points]}
                for line in self.lines
            ],
            "margin_deg": self.margin_deg,
            "group_labels": self.group_labels,
            "colours": self.colours,
        }

    @classmethod
    def from_description(cls, description: dict[str, Any]) -> Map:
        """The map a ``description()`` describes."""
        return cls(
            alt_text=description["alt_text"],
            markers=tuple(Marker(**marker) for marker in description["markers"]),
            lines=tuple(
                Line(**(line | {"points": tuple((lat, lon) for lat, lon in line["points"])}))
                for line in description["lines"]
            ),
            margin_deg=description["margin_deg"],
            group_labels=dict(description["group_labels"]),
            colours=dict(description["colours"]),
        )

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """In a book build the HTML map and the description the PDF's picture is drawn from (see
        ``kztm.figure_outputs``); in a person's Jupyter session the HTML map and its picture."""
        if in_book_build():
            return {"text/html": self.html(), FIGURE_MIME: {"map": self.description()}}
        return {
            "text/html": self.html(),
            "image/png": base64.b64encode(self.png()).decode("ascii"),
        }


def markers(places: pd.DataFrame, label_left: Iterable[str] = ()) -> list[Marker]:
    """One labelled marker per place, grouped by kind; the places in ``label_left`` (ids) carry
    their label on the left, where a neighbour's label would otherwise cover it."""
    left = set(label_left)
    return [
        Marker(
            lat=row.lat,
            lon=row.lon,
            label=str(row.name),
            group=str(row.kind),
            label_left=row.place_id in left,
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


def _print_name(axes: Any, lat: float, lon: float, text: str, colour: str) -> None:
    """A name written on the print map without a point (seas, countries), as on the HTML map."""
    axes.text(
        lon, lat, text, fontsize=8, color=colour, style="italic", ha="center", va="center", clip_on=True
    )


def _text_label(lat: float, lon: float, text: str, css_class: str) -> folium.CircleMarker:
    """A name written on the map without a point (seas, countries): an invisible circle with a
    permanent label. Not a Leaflet marker, whose default icon loads images from the page's own
    folder (refused from disk, missing over http)."""
    return folium.CircleMarker(
        [lat, lon],
        radius=1,
        stroke=False,
        fill=False,
        interactive=False,
        tooltip=folium.Tooltip(
            safe_html(text),
            permanent=True,
            direction="center",
            class_name=f"kztm-text-label {css_class}",
        ),
    )


def _map_css() -> str:
    return (
        f".folium-map.leaflet-container{{background:{SEA};font-family:{FONT}}}"
        f".kztm-label{{font-size:12px;color:{INK};padding:1px 4px;box-shadow:none;"
        "border:0;background:rgba(255,255,255,.85)}"
        ".kztm-label:before{display:none}"
        ".kztm-text-label{background:none;border:0;box-shadow:none;padding:0;pointer-events:none}"
        ".kztm-text-label:before{display:none}"
        f".kztm-water{{font-style:italic;font-size:13px;color:{WATER_INK}}}"
        f".kztm-country{{font-style:italic;font-size:12px;letter-spacing:.12em;color:{COUNTRY_INK};"
        "text-transform:uppercase}"
        ".kztm-legend{position:absolute;left:10px;bottom:46px;z-index:1000;margin:0;"
        "padding:6px 8px;list-style:none;background:rgba(255,255,255,.92);"
        f"border:1px solid {BORDER};border-radius:4px;font:12px {FONT};color:{INK}}}"
        ".kztm-legend li{display:flex;align-items:center;gap:6px;margin:2px 0}"
    )


def _country_style(feature: dict[str, Any]) -> dict[str, Any]:
    focus = feature["properties"]["iso3"] in FOCUS
    return {
        "fillColor": FOCUS_LAND if focus else LAND,
        "color": BORDER,
        "weight": 1,
        "fillOpacity": 1,
    }


def country_label_points(shapes: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """Where to write the names of the two countries the report is about: the centre of the
    bounding box of each one's largest polygon (both are compact enough for that to fall inside)."""
    points = {}
    for feature in shapes["features"]:
        if feature["properties"]["iso3"] not in FOCUS:
            continue
        largest = max((polygon[0] for polygon in feature["geometry"]["coordinates"]), key=len)
        lons, lats = zip(*largest, strict=True)
        points[feature["properties"]["name"]] = (
            (min(lats) + max(lats)) / 2,
            (min(lons) + max(lons)) / 2,
        )
    return points


def vendor_text(relative: str) -> str:
    """A third-party file npm installed, without its source-map comment (nothing to fetch)."""
    path = project_root() / relative
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `make setup` (npm ci) first")
    return _SOURCE_MAP.sub("", path.read_text(encoding="utf-8"))


def country_shapes() -> dict[str, Any]:
    """Natural Earth outlines of the region (see scripts/derive_country_shapes.py)."""
    path = data_dir() / "country_shapes.geojson"
    note_read(path)
    shapes: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return shapes
