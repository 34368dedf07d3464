"""Regenerate data/country_shapes.geojson from Natural Earth (the world-atlas npm package).

The maps draw country outlines instead of web tiles so that the book needs no network. The shapes
are Natural Earth's 1:50m admin-0 countries (public domain) as packaged by world-atlas 2.0.2,
decoded from TopoJSON, simplified (Douglas–Peucker, 0.02 degree, about two kilometres: under a
pixel at zoom 6, and the maps open at zoom 4), clipped to the region the report covers and rounded
to 0.01 degree, which keeps the file small enough to embed in every map. Simplifying the shared
arcs of the topology, before they are joined into rings, keeps neighbours' borders identical.

Run after `make setup` (which installs world-atlas):  .venv/bin/python scripts/derive_country_shapes.py
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "node_modules" / "world-atlas" / "countries-50m.json"
TARGET = ROOT / "data" / "country_shapes.geojson"

# ISO 3166-1 numeric code -> alpha-3 for the countries the maps colour or the data names; every
# other country inside BOUNDS is drawn too (a country left out would show as sea), keyed by its
# numeric code.
COUNTRIES = {
    "398": "KAZ",
    "795": "TKM",
    "860": "UZB",
    "417": "KGZ",
    "762": "TJK",
    "004": "AFG",
    "364": "IRN",
    "031": "AZE",
    "643": "RUS",
    "156": "CHN",
    "586": "PAK",
    "356": "IND",
}
# West, south, east, north: wider than any map's view, so that outlines fill every frame.
BOUNDS = (20.0, 5.0, 115.0, 66.0)
DECIMALS = 2
TOLERANCE = 0.02


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat points of every arc of a quantized TopoJSON topology."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def simplified(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker: keep the arc's ends and every point farther than ``tolerance`` degrees
    from the chord of the points kept around it."""
    keep = {0, len(points) - 1}
    spans = [(0, len(points) - 1)]
    while spans:
        first, last = spans.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1)
        farthest, distance = None, tolerance
        for index in range(first + 1, last):
            x, y = points[index]
            if length:
                offset = abs((y2 - y1) * (x - x1) - (x2 - x1) * (y - y1)) / length
            else:
                offset = math.hypot(x - x1, y - y1)
            if offset > distance:
                farthest, distance = index, offset
        if farthest is not None:
            keep.add(farthest)
            spans += [(first, farthest), (farthest, last)]
    return [point for index, point in enumerate(points) if index in keep]


def ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    """Join the arcs of one ring; a negative index means the arc reversed (TopoJSON's ~i)."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def clip(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Sutherland–Hodgman clipping of a ring to BOUNDS (a convex window, so it is exact)."""
    west, south, east, north = BOUNDS
    edges = [
        (lambda p: p[0] >= west, lambda a, b: _cross_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _cross_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _cross_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _cross_y(a, b, north)),
    ]
    for inside, cross in edges:
        if not points:
            break
        clipped = []
        for current, previous in zip(points, points[-1:] + points[:-1], strict=True):
            if inside(current):
                if not inside(previous):
                    clipped.append(cross(previous, current))
                clipped.append(current)
            elif inside(previous):
                clipped.append(cross(previous, current))
        points = clipped
    return points


def _cross_x(a: tuple[float, float], b: tuple[float, float], x: float) -> tuple[float, float]:
    return x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0])


def _cross_y(a: tuple[float, float], b: tuple[float, float], y: float) -> tuple[float, float]:
    return a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y


def rounded(points: list[tuple[float, float]]) -> list[list[float]]:
    """Round to DECIMALS and drop the repeated points rounding creates; close the ring."""
    out: list[list[float]] = []
    for lon, lat in points:
        point = [round(lon, DECIMALS), round(lat, DECIMALS)]
        if not out or out[-1] != point:
            out.append(point)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def polygons(geometry: dict, arcs: list[list[tuple[float, float]]]) -> list[list[list[list[float]]]]:
    """The clipped, rounded polygons of one country; rings that vanish are dropped."""
    parts = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
    result = []
    for part in parts:
        rings = [rounded(clip(ring(arcs, indexes))) for indexes in part]
        rings = [r for r in rings if len(r) >= 4]
        if rings:
            result.append(rings)
    return result


def main() -> None:
    topology = json.loads(SOURCE.read_text(encoding="utf-8"))
    arcs = [simplified(arc, TOLERANCE) for arc in decode_arcs(topology)]
    features: list[dict[str, Any]] = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = geometry.get("id", "")
        if geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        iso3 = COUNTRIES.get(code, code)
        shapes = polygons(geometry, arcs)
        if shapes:
            features.append(
                {
                    "type": "Feature",
                    "properties": {"iso3": iso3, "name": geometry["properties"]["name"]},
                    "geometry": {"type": "MultiPolygon", "coordinates": shapes},
                }
            )
    features.sort(key=lambda feature: feature["properties"]["iso3"])
    collection = {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:50m admin-0 countries via world-atlas 2.0.2 (public domain)",
        "simplified_deg": TOLERANCE,
        "derived_by": "scripts/derive_country_shapes.py",
        "bounds": list(BOUNDS),
        "features": features,
    }
    TARGET.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}: {len(features)} countries")


if __name__ == "__main__":
    main()
