"""The ranking as an SVG map: municipal boundaries, candidates as numbered markers coloured
by rank. A site whose position is approximate (only the village or town centre is known,
or no coordinates at all: then the municipal centre) is drawn hollow; candidates at the
same point are spread on a small spiral so that none hides another."""

from __future__ import annotations

import math
from typing import Any

from matcher import Catalog

from .geo import Shape, project, shapes, viewbox

# rank 1 darkest; white numbers keep at least 4.5:1 contrast on every one of these
RANK_COLOURS = ("#08306b", "#08457e", "#0b5394", "#0d5ea6", "#1361a8", "#1864ab")
FAILS_COLOUR = "#595959"


def rank_colour(rank: int, feasible: bool) -> str:
    if not feasible:
        return FAILS_COLOUR
    return RANK_COLOURS[min(rank - 1, len(RANK_COLOURS) - 1)]


def ranking_map(ranking: dict[str, Any], catalog: Catalog, data_dir: Any) -> dict[str, Any]:
    every = shapes(data_dir)
    mun = catalog.municipalities.set_index("municipality_code")
    kainuu_codes = {c for c, k in zip(mun.index, mun["in_kainuu"]) if k == 1}
    if ranking["scope"] == "kainuu":
        core = [s for s in every if s.code in kainuu_codes]
        vx, vy, vw, vh = viewbox(core, pad=12)
        shown = [s for s in every if _overlaps(s, (vx, vy, vx + vw, vy + vh))]
    else:
        shown = list(every)
        vx, vy, vw, vh = viewbox(shown, pad=6)
    size = max(vw, vh)
    size_r = size / (55 if ranking["scope"] == "kainuu" else 90)
    sites = catalog.sites.set_index("site_id")
    markers: list[dict[str, Any]] = []
    for r in ranking["results"]:
        cid, code = r["candidate_id"], r["municipality_code"]
        approx = False
        lat = lon = math.nan
        if ranking["scope"] == "kainuu" and cid in sites.index:
            lat, lon = float(sites.loc[cid, "lat"]), float(sites.loc[cid, "lon"])
            precision = sites.loc[cid, "location_precision"] if "location_precision" in sites.columns else None
            approx = math.isnan(lat) or math.isnan(lon) or precision in ("village", "municipality")
        if math.isnan(lat) or math.isnan(lon):
            lat, lon = float(mun.loc[code, "lat"]), float(mun.loc[code, "lon"])
        x, y = _free_spot(*project(lat, lon), markers, size_r)
        markers.append({"x": round(x, 1), "y": round(y, 1), "rank": r["rank"], "name": r["name"],
                        "municipality": r["municipality"], "approx": approx,
                        "colour": rank_colour(r["rank"], r["feasible"])})
    return {"viewbox": f"{vx:.1f} {vy:.1f} {vw:.1f} {vh:.1f}", "shapes": [
        {"code": s.code, "name": s.name, "path": s.path, "kainuu": s.code in kainuu_codes} for s in shown],
        "markers": markers[::-1], "r": round(size_r, 1),
        "stroke": round(size / 900, 2), "font": round(size / (60 if ranking["scope"] == "kainuu" else 100), 1)}


def _free_spot(x: float, y: float, placed: list[dict[str, Any]], r: float) -> tuple[float, float]:
    """The point itself, or the first point of a sunflower spiral around it that no placed
    marker covers: candidates at one place stay visible side by side."""
    for n in range(200):
        step = 2.1 * r * math.sqrt(n)
        px, py = x + step * math.cos(n * 2.39996), y + step * math.sin(n * 2.39996)
        if all((px - m["x"]) ** 2 + (py - m["y"]) ** 2 >= (2 * r) ** 2 for m in placed):
            return px, py
    return x, y


def _overlaps(s: Shape, box: tuple[float, float, float, float]) -> bool:
    x0, y0, x1, y1 = s.bbox
    return not (x1 < box[0] or x0 > box[2] or y1 < box[1] or y0 > box[3])
