"""Municipal boundaries from the bundled TopoJSON as SVG paths, and points on the same plane.

TopoJSON arcs are quantised and delta-encoded; a polygon is a list of rings, each a list of
arc indices (a negative index ~i is arc i reversed). The plane is a plain equirectangular
projection scaled by cos(64°) in longitude, which keeps Finland's shape to within a few per
cent: enough for a locator map, with no tile server and no JavaScript."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TOPOLOGY = Path("sources") / "fi_municipalities_2021.topo.json"
COS_LAT = math.cos(math.radians(64.0))
SCALE = 100.0  # SVG units per degree of latitude


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    path: str  # SVG path data
    bbox: tuple[float, float, float, float]  # x0, y0, x1, y1


def project(lat: float, lon: float) -> tuple[float, float]:
    return lon * COS_LAT * SCALE, (71.0 - lat) * SCALE


def _decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append(project(y * sy + ty, x * sx + tx))
        out.append(pts)
    return out


def _ring(arcs: list[list[tuple[float, float]]], idx: list[int]) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    for i in idx:
        a = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(a if not pts else a[1:])
    return pts


@lru_cache(maxsize=2)
def shapes(data_dir: Path) -> tuple[Shape, ...]:
    topo = json.loads((data_dir / TOPOLOGY).read_text(encoding="utf-8"))
    arcs = _decode_arcs(topo)
    out = []
    for g in topo["objects"]["munis"]["geometries"]:
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        d, xs, ys = [], [], []
        for poly in polys:
            for ring in poly:
                pts = _ring(arcs, ring)
                xs += [p[0] for p in pts]
                ys += [p[1] for p in pts]
                d.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
        props = g.get("properties", {})
        out.append(Shape(str(props.get("id", "")).zfill(3), str(props.get("name_fi", "")), "".join(d),
                         (min(xs), min(ys), max(xs), max(ys))))
    return tuple(out)


def viewbox(items: list[Shape], pad: float = 8.0) -> tuple[float, float, float, float]:
    x0 = min(s.bbox[0] for s in items) - pad
    y0 = min(s.bbox[1] for s in items) - pad
    x1 = max(s.bbox[2] for s in items) + pad
    y1 = max(s.bbox[3] for s in items) + pad
    return x0, y0, x1 - x0, y1 - y0
