"""Derive the engine's typed tables from the sourced files in data/sources/.

Run from the repository root: ``python data/build/build_data.py``. It rewrites
``data/municipalities.csv`` and ``data/nace_rev2.csv``; the hand-typed tables
(``sites.csv``, ``kainuu_municipalities.csv``) are edited by hand or through the API.
Nothing here is read at run time.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "data" / "sources"
OUT = ROOT / "data"

SECTIONS = "abcdefghijklmnopqrstux"
GROUP_EN = {
    "Urban municipalities": "urban",
    "Semi-urban municipalities": "semi_urban",
    "Rural municipalities": "rural",
}
GROUP_FI = {
    "Kaupunkimaiset kunnat": "urban",
    "Taajaan asutut kunnat": "semi_urban",
    "Maaseutumaiset kunnat": "rural",
}
# Reference points for derived straight-line distances (lat, lon).
HELSINKI = "091"
OULU = "564"
KAJAANI_AIRPORT = (64.2842, 27.6875)  # data/sites.csv S13, Wikipedia infobox


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def read(name: str) -> list[dict[str, str]]:
    with open(SRC / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def build_municipalities() -> None:
    paavo = read("fi_municipalities_key_figures_paavo2020.csv")
    centres = {r["municipality_code"]: r for r in read("fi_municipality_centres_mml.csv")}
    classes = {r["municipality_code"]: r for r in read("fi_municipality_classification_2026.csv")}

    def centre(row: dict[str, str]) -> tuple[float, float, str]:
        c = centres.get(row["municipality_code"])
        if c:
            return float(c["lat_wgs84"]), float(c["lon_wgs84"]), "mml_centre"
        return (
            float(row["centroid_lat_polygon"]),
            float(row["centroid_lon_polygon"]),
            "polygon_point",
        )

    by_code = {r["municipality_code"]: r for r in paavo}
    hel = centre(by_code[HELSINKI])
    oulu = centre(by_code[OULU])
    rows = []
    for r in paavo:
        code = r["municipality_code"]
        lat, lon, how = centre(r)
        cl = classes.get(code)
        group = GROUP_EN.get(cl["kuntaryhmitys_name_en"]) if cl else None
        group = group or GROUP_FI.get(r["municipality_group_2026"], "")
        out = {
            "municipality_code": code,
            "name_fi": r["name_fi"],
            "name_sv": r["name_sv"],
            "region": r["region_2026"],
            "sub_region": r["sub_region_2026"],
            "municipality_group": group,
            "employment_area": r["employment_area_2026"],
            "in_kainuu": r["in_kainuu"],
            "valid_2026": r["valid_2026"],
            "lat": f"{lat:.6f}",
            "lon": f"{lon:.6f}",
            "centre_method": how,
            "population": r["he_inhabitants_total_2018"],
            "aged_18plus": r["ko_aged_18_or_over_total_2018"],
            "vocational": r["ko_vocational_diploma_2018"],
            "tertiary_lower": r["ko_academic_degree_lower_level_university_degree_2018"],
            "tertiary_higher": r["ko_academic_degree_higher_level_university_degree_2018"],
            "median_income_eur": r["hr_median_income_of_inhabitants_2017"],
            "employed": r["pt_employed_2017"],
            "unemployed": r["pt_unemployed_2017"],
            "students": r["pt_students_2017"],
            "workplaces_total": r["tp_workplaces_2017"],
        }
        for s in SECTIONS:
            out[f"jobs_{s}"] = r[f"tp_tol_{s}_2017"]
        out["area_km2_approx"] = r["area_km2_approx_polygon"]
        out["dist_helsinki_km"] = f"{haversine_km(lat, lon, hel[0], hel[1]):.1f}"
        out["dist_oulu_km"] = f"{haversine_km(lat, lon, oulu[0], oulu[1]):.1f}"
        out["dist_kajaani_airport_km"] = f"{haversine_km(lat, lon, *KAJAANI_AIRPORT):.1f}"
        rows.append(out)
    rows.sort(key=lambda x: x["municipality_code"])
    with open(OUT / "municipalities.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def build_nace() -> None:
    rows = []
    for line in (Path(__file__).parent / "nace_classes.txt").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        section, division, *classes = line.split()
        if not any(r["code"] == section for r in rows):
            rows.append({"code": section, "level": "section", "section": section})
        rows.append({"code": division, "level": "division", "section": section})
        seen = set()
        for c in classes:
            group = f"{division}.{c[0]}"
            if group not in seen:
                seen.add(group)
                rows.append({"code": group, "level": "group", "section": section})
            rows.append({"code": f"{division}.{c}", "level": "class", "section": section})
    # names: data/build/nace_names.csv (sources: data/sources/nace_names.source.md)
    with open(Path(__file__).parent / "nace_names.csv", newline="", encoding="utf-8") as fh:
        names = {r["code"]: r for r in csv.DictReader(fh)}
    for r in rows:
        r["name_en"], r["name_fi"] = names[r["code"]]["name_en"], names[r["code"]]["name_fi"]
    with open(OUT / "nace_rev2.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["code", "level", "section", "name_en", "name_fi"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


if __name__ == "__main__":
    build_municipalities()
    build_nace()
