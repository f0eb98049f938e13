"""National location facts for the `finland` scope, from the sourced rows in data/sources/.

Run from the repository root: ``python data/build/build_national.py``. It rewrites
``data/fi_seaports.csv``, ``data/fi_grid_substations.csv``, ``data/fi_reference_plants.csv`` and
``data/fi_higher_education.csv`` and ``data/fi_renewable_generation.csv``. The rules (what is dropped, how a size class is set) are here
and in ``data/sources/fi_national_features.source.md``; nothing here is read at run time.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "data" / "sources"
OUT = ROOT / "data"

# Port size class from the newest annual tonnage a source states (Mt/year), or "large" when an
# authority (Väylä, Statistics Finland) names the port among Finland's largest.
LARGE_MT, MEDIUM_MT = 3.0, 1.0
NAMED_LARGEST = ("vayla.fi", "stat.fi")
INLAND = ("Lappeenranta", "Varkaus", "Joensuu", "Kuopio")  # Saimaa ports (< 0.5 Mt combined, 2021)


def read(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write(name: str, header: list[str], rows: list[dict[str, object]]) -> None:
    with open(OUT / name, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if r.get(k) is None else r[k]) for k in header})


def municipality_codes() -> dict[str, str]:
    return {r["name_fi"]: r["municipality_code"] for r in read(OUT / "municipalities.csv")}


def annual_mt(text: str) -> float | None:
    """Annual tonnage from the source's figure; monthly or approximate undated figures are not annual."""
    t = text.strip()
    if not t or "january" in t.lower() or t.startswith("~"):
        return None
    m = re.match(r"(\d+(?:\.\d+)?)", t)
    return float(m.group(1)) if m else None


def seaports() -> None:
    ports: dict[str, dict[str, object]] = {}
    for r in read(SRC / "fi_seaports.csv"):
        code = r["municipality_code"].strip()
        if not code:
            continue
        key = r["municipality"]
        p = ports.setdefault(key, {"port_id": f"P{code}", "name": r["port"].split(" (")[0].split(" -")[0],
                                   "municipality_code": code, "tonnage_mt": None, "tonnage_year": None,
                                   "named_largest": False, "urls": []})
        mt = annual_mt(r["tonnage_mt"])
        year = int(r["year"][:4]) if r["year"][:4].isdigit() else None
        if mt is not None and year and (p["tonnage_year"] is None or year > p["tonnage_year"]):
            p["tonnage_mt"], p["tonnage_year"] = mt, year
        if any(d in r["url"] for d in NAMED_LARGEST) and ("largest" in r["quote"] or "main ports" in r["quote"]
                                                          or "suurimmat" in r["quote"]):
            p["named_largest"] = True
        if r["url"] not in p["urls"]:
            p["urls"].append(r["url"])
    # HaminaKotka is one port: the Hamina harbour takes the combined port's figure
    if "Hamina" in ports and "Kotka" in ports and ports["Hamina"]["tonnage_mt"] is None:
        ports["Hamina"]["tonnage_mt"], ports["Hamina"]["tonnage_year"] = (
            ports["Kotka"]["tonnage_mt"], ports["Kotka"]["tonnage_year"])
    rows = []
    for name, p in ports.items():
        mt = p["tonnage_mt"]
        if name in INLAND:
            size = "inland"
        elif (mt is not None and mt >= LARGE_MT) or p["named_largest"]:
            size = "large"
        elif mt is not None and mt >= MEDIUM_MT:
            size = "medium"
        else:
            size = "small"
        rows.append({**p, "size_class": size, "source_urls": " ; ".join(p["urls"])})
    rows.sort(key=lambda r: r["port_id"])
    write("fi_seaports.csv", ["port_id", "name", "municipality_code", "size_class", "tonnage_mt", "tonnage_year",
                              "source_urls"], rows)


def substations() -> None:
    rows = []
    for r in read(SRC / "fi_grid_substations_400kv.csv"):
        code = r["municipality_code"].strip()
        if not code:
            continue  # Ullava (former municipality) and Petäjäskoski: the source names no municipality
        kv = max((float(x) for x in r["voltage_kv"].split("/") if x.strip()), default=None)
        urls = dict.fromkeys(u for u in (r["url"], r["since_url"]) if u)
        rows.append({"name": r["substation"], "voltage_kv": None if kv is None else f"{kv:g}",
                     "municipality_code": code, "source_year": r["year"], "status": r["status"],
                     "since_year": r["since_year"], "source_urls": " ; ".join(urls)})
    # Kainuu's own 400 kV substation, from the Kainuu energy table (row E20)
    for r in read(SRC / "kainuu_energy_grid.csv"):
        if r["asset_id"] == "E20":
            rows.append({"name": "Vuolijoki", "voltage_kv": "400", "municipality_code": "205",
                         "source_year": "1999", "status": "operating", "since_year": "",
                         "source_urls": r["source_urls"]})
    for i, r in enumerate(rows, start=1):
        r["substation_id"] = f"G{i:02d}"
    write("fi_grid_substations.csv", ["substation_id", "name", "voltage_kv", "municipality_code", "source_year",
                                      "status", "since_year", "source_urls"], rows)


def keyed(path: Path, column: str) -> dict[tuple[str, str], str]:
    """One value per (plant, municipality) from a file beside the plant lists; a key given twice is refused."""
    out: dict[tuple[str, str], str] = {}
    for r in read(path):
        key = (r["plant"], r["municipality_code"])
        if key in out:
            raise SystemExit(f"{path.name}: {key} given twice")
        out[key] = r[column]
    return out


def plants() -> None:
    """The collector's plant list plus plants added later, with the first years and status changes of
    ``fi_plant_updates.csv`` (each with its own source, added to the row's sources)."""
    updates: dict[tuple[str, str], list[dict[str, str]]] = {}
    for u in read(SRC / "fi_plant_updates.csv"):
        updates.setdefault((u["plant"], u["municipality_code"]), []).append(u)
    # each plant's name in Finnish for Finnish readers (a rendering of the name, no facts of its own)
    names_fi = keyed(SRC / "fi_plant_names_fi.csv", "name_fi")
    # each plant's NACE group, this project's classification from its name (fi_plant_groups.csv, reviewed)
    groups = keyed(SRC / "fi_plant_groups.csv", "nace_group")
    rows = []
    for r in (read(SRC / "fi_large_plants.csv") + read(SRC / "fi_large_plants_more.csv")
              + read(SRC / "fi_large_plants_wood_2026-11-29.csv")
              + read(SRC / "fi_large_plants_register_2026-11-29.csv")):
        code = r["municipality_code"].strip()
        if not code or not r["status"].strip():
            continue  # former municipality named by the source (Joutseno, Kuusankoski) or no status
        key = (r["plant"], code)
        for table, what in ((names_fi, "fi_plant_names_fi.csv"), (groups, "fi_plant_groups.csv")):
            if key not in table:
                raise SystemExit(f"{what} has no row for the plant {key}")
        row = {"name": r["plant"], "name_fi": names_fi.pop(key), "company": r["company"], "nace_division": r["nace_division"].zfill(2),
               "nace_group": groups.pop(key),
               "municipality_code": code, "status": r["status"], "closed_year": r["closed_year"],
               "since_year": r.get("since_year", ""), "reused_year": "", "source_urls": [r["url"]]}
        row["since_bound"] = "false" if row["since_year"] else ""
        for u in updates.pop((r["plant"], code), []):
            for col in ("since_year", "status", "closed_year", "reused_year"):
                if u[col]:
                    row[col] = u[col]
            if bool(u["since_year"]) != bool(u["since_kind"]) or u["since_kind"] not in ("", "first", "operating_by"):
                raise SystemExit(f"fi_plant_updates.csv: {key} gives since_kind (first or operating_by) exactly "
                                 "with a since_year")
            if u["since_year"]:  # a first year, or only the earliest year a source shows it running
                row["since_bound"] = str(u["since_kind"] == "operating_by").lower()
            row["source_urls"].append(u["url"])
        row["source_urls"] = " ; ".join(dict.fromkeys(url for urls in row["source_urls"]
                                                        for url in urls.split(" ; ")))
        rows.append(row)
    if updates:
        raise SystemExit(f"fi_plant_updates.csv names plants not in the lists: {sorted(updates)}")
    if names_fi:
        raise SystemExit(f"fi_plant_names_fi.csv names plants not in the lists: {sorted(names_fi)}")
    if groups:
        raise SystemExit(f"fi_plant_groups.csv names plants not in the lists: {sorted(groups)}")
    for i, r in enumerate(rows, start=1):
        r["plant_id"] = f"R{i:02d}"
    write("fi_reference_plants.csv", ["plant_id", "name", "name_fi", "company", "nace_division", "nace_group", "municipality_code", "status",
                                      "closed_year", "since_year", "since_bound", "reused_year", "source_urls"], rows)


def higher_education() -> None:
    codes = municipality_codes()
    rows = []
    for i, r in enumerate(read(SRC / "fi_higher_education.csv"), start=1):
        rows.append({"campus_id": f"H{i:02d}", "institution": r["institution"], "name_fi": r["name_fi"],
                     "kind": r["kind"], "municipality_code": codes[r["municipality"]], "source_urls": r["url"]})
    write("fi_higher_education.csv", ["campus_id", "institution", "name_fi", "kind", "municipality_code",
                                      "source_urls"], rows)


def renewables() -> None:
    """Hydro plants with their first year, and municipal wind totals at a year's end (a total counts from
    the next year on): one row each as the source states it; nothing summed or split here."""
    rows = []
    for i, r in enumerate(read(SRC / "fi_renewable_generation.csv"), start=1):
        rows.append({"generation_id": f"W{i:02d}", "name": r["name"], "technology": r["technology"],
                     "kind": r["kind"], "mw": r["mw"], "municipality_code": r["municipality_code"],
                     "since_year": r["since_year"], "source_urls": r["url"]})
    write("fi_renewable_generation.csv", ["generation_id", "name", "technology", "kind", "mw", "municipality_code",
                                          "since_year", "source_urls"], rows)


if __name__ == "__main__":
    seaports()
    substations()
    plants()
    higher_education()
    renewables()
