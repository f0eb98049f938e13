"""The data schema: every column of every bundled table, its unit, range and source.

One place for the rules, used by the loader, by ``validate-data`` and by the API's
site upkeep, so that a value the engine would refuse can never be written.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .criteria import CRITERION_NAMES


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # str | float | int | bool | enum | nace_list | code | code_list | url_list | date
    meaning: str
    unit: str = ""
    required: bool = False
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] = ()
    sourced: bool = False  # needs a per-value <name>_source (URL or source_id)
    source_id: str = ""  # column-level source for statistical tables


SITE_KINDS = (
    "plot", "business_park", "industrial_area", "brownfield", "premises", "data_centre_site", "tourism_area",
    "company_for_sale", "project_seeking_capital", "wind_area", "mining_area", "plant", "infrastructure",
)
# available: a source offers it to investors now; reserved: promised to a named project or under
# negotiation; taken: sold, leased or built on by another company; reference: an operating plant,
# mine or piece of infrastructure that is evidence for the sites around it, never offered itself.
AVAILABILITY = ("available", "reserved", "taken", "reference")
LOCATION_PRECISION = ("site", "area", "village")
# Kainuu's extent (WGS84), a little wider than the outermost municipal borders.
KAINUU_LAT = (63.55, 65.75)
KAINUU_LON = (26.2, 30.7)
ZONING = ("zoned", "in_progress", "not_zoned")
PERMITS = ("none_needed", "not_started", "in_progress", "environmental_permit", "building_permit",
           "all_permits")

SITE_COLUMNS: tuple[Column, ...] = (
    Column("site_id", "str", "Stable identifier (S01 … or municipality-assigned)", required=True),
    Column("name", "str", "Name of the site or offering", required=True),
    Column("municipality_code", "code", "3-digit Statistics Finland municipality code", required=True),
    Column("kind", "enum", "Offering kind", required=True, choices=SITE_KINDS),
    Column("availability", "enum", "Whether the offering can be had: available, reserved, taken, or a "
           "reference (operating plant, mine, infrastructure: evidence for nearby sites, never offered)",
           required=True, choices=AVAILABILITY, sourced=True),
    Column("status", "str", "Status as stated in the sources"),
    Column("lat", "float", "Latitude (WGS84) inside Kainuu", "deg", required=True, lo=KAINUU_LAT[0],
           hi=KAINUU_LAT[1]),
    Column("lon", "float", "Longitude (WGS84) inside Kainuu", "deg", required=True, lo=KAINUU_LON[0],
           hi=KAINUU_LON[1]),
    Column("location_precision", "enum", "site: the plot's own coordinates; area: the named area's; "
           "village: the village or town centre the source names (approximate)", required=True,
           choices=LOCATION_PRECISION),
    Column("location_source", "url_list", "Where the coordinates come from", required=True),
    Column("plot_count", "int", "Number of plots offered", "plots", lo=0, hi=10_000, sourced=True),
    Column("area_ha", "float", "Area of the site", "ha", lo=0, hi=100_000, sourced=True),
    Column("floor_area_m2", "float", "Available floor area (premises)", "m2", lo=0, hi=10_000_000, sourced=True),
    Column("zoning_status", "enum", "Local detailed plan for industrial use", choices=ZONING, sourced=True),
    Column("grid_free_mw", "float", "Free grid connection capacity at the site", "MW", lo=0, hi=5_000, sourced=True),
    Column("grid_kv", "float", "Highest grid voltage at or next to the site", "kV", lo=0.4, hi=400, sourced=True),
    Column("grid_distance_km", "float", "Distance to that grid connection point", "km", lo=0, hi=200, sourced=True),
    Column("green_power_share", "float", "Share of fossil-free electricity available by contract", "0..1",
           lo=0, hi=1, sourced=True),
    Column("district_heat", "bool", "Connected to a district or process heat network", sourced=True),
    Column("waste_heat_offtake", "bool", "A buyer or network takes waste heat at the site", sourced=True),
    Column("water_m3_per_day", "float", "Raw/process water capacity available", "m3/day", lo=0,
           hi=10_000_000, sourced=True),
    Column("wastewater_m3_per_day", "float", "Wastewater treatment capacity available", "m3/day", lo=0,
           hi=10_000_000, sourced=True),
    Column("rail_siding", "bool", "Own rail siding or track on the site", sourced=True),
    Column("dist_port_km", "float", "Distance to a seaport (as quoted)", "km", lo=0, hi=1_500, sourced=True),
    Column("dist_airport_km", "float", "Distance to an airport with scheduled flights", "km", lo=0, hi=1_500,
           sourced=True),
    Column("price_eur_per_m2", "float", "Land sale price (or rent per m2/year for premises)", "EUR/m2", lo=0,
           hi=10_000, sourced=True),
    Column("permit_status", "enum", "Environmental / building permit stage", choices=PERMITS, sourced=True),
    Column("readiness_months", "float", "Months from decision until construction can start", "months", lo=0,
           hi=240, sourced=True),
    Column("sectors", "nace_list", "NACE codes the site suits (activities the sources report there), ';'",
           sourced=True),
    Column("contact_role", "str", "Named contact role for the site (else the municipality's)"),
    Column("key_facts", "str", "Free-text facts from the sources"),
    Column("source_urls", "url_list", "Row-level sources (' ; ' separated)", required=True),
    Column("last_updated", "date", "Date the row was last checked or edited (YYYY-MM-DD)", required=True),
)

KAINUU_COLUMNS: tuple[Column, ...] = (
    Column("municipality_code", "code", "3-digit municipality code", required=True),
    Column("name_fi", "str", "Finnish name", required=True),
    Column("renewable_mw_known_local", "float", "Operating hydro/wind capacity in the municipality found in "
           "sources (a lower bound)", "MW", lo=0, hi=10_000, sourced=True),
    Column("max_grid_kv", "float", "Highest transmission voltage with a substation in the municipality", "kV",
           lo=0.4, hi=400, sourced=True),
    Column("rail_station", "bool", "A railway station or junction in the municipality", sourced=True),
    Column("district_heat", "bool", "A district heating network in the municipality", sourced=True),
    Column("contact_role", "str", "Named contact role for investors", sourced=True),
    Column("sector_emphasis", "nace_list", "Sectors the municipality itself emphasises (NACE, ';')",
           sourced=True),
    Column("notes", "str", "What the values cover and what is missing"),
)

_P, _C, _D = "paavo2020", "classification2026", "derived"
MUNICIPALITY_COLUMNS: tuple[Column, ...] = (
    Column("municipality_code", "code", "3-digit Statistics Finland code", required=True, source_id="yle_geodata"),
    Column("name_fi", "str", "Finnish name", required=True, source_id="yle_geodata"),
    Column("name_sv", "str", "Swedish name", source_id="yle_geodata"),
    Column("region", "str", "Region (maakunta) 2026", source_id=_C),
    Column("sub_region", "str", "Sub-region (seutukunta) 2026", source_id=_C),
    Column("municipality_group", "enum", "Statistical urban/rural group 2026",
           choices=("urban", "semi_urban", "rural"), source_id=_C),
    Column("employment_area", "str", "Employment area (työllisyysalue) 2026", source_id=_C),
    Column("in_kainuu", "bool", "In the Kainuu region (2026 division)", required=True, source_id=_C),
    Column("valid_2026", "bool", "Still a municipality in 2026", required=True, source_id=_C),
    Column("lat", "float", "Municipal centre latitude (MML label point)", "deg", lo=59, hi=71,
           required=True, source_id="mml_centres"),
    Column("lon", "float", "Municipal centre longitude", "deg", lo=19, hi=32, required=True,
           source_id="mml_centres"),
    Column("centre_method", "enum", "mml_centre, or polygon_point where MML lacks the point",
           choices=("mml_centre", "polygon_point"), source_id=_D),
    Column("population", "float", "Inhabitants 2018", "persons", lo=0, hi=2_000_000, source_id=_P),
    Column("aged_18plus", "float", "Inhabitants aged 18 or over 2018", "persons", lo=0, source_id=_P),
    Column("vocational", "float", "With a vocational diploma 2018", "persons", lo=0, source_id=_P),
    Column("tertiary_lower", "float", "With a lower university/UAS degree 2018", "persons", lo=0, source_id=_P),
    Column("tertiary_higher", "float", "With a higher university degree 2018", "persons", lo=0, source_id=_P),
    Column("median_income_eur", "float", "Median income of inhabitants 2017", "EUR/year", lo=0, hi=200_000,
           source_id=_P),
    Column("employed", "float", "Employed residents 2017", "persons", lo=0, source_id=_P),
    Column("unemployed", "float", "Unemployed residents 2017", "persons", lo=0, source_id=_P),
    Column("students", "float", "Students 2017", "persons", lo=0, source_id=_P),
    Column("workplaces_total", "float", "Workplaces (jobs located here) 2017", "jobs", lo=0, source_id=_P),
    *(Column(f"jobs_{s}", "float", f"Workplaces in TOL 2008 section {s.upper()} 2017", "jobs", lo=0,
             source_id=_P) for s in "abcdefghijklmnopqrstux"),
    Column("area_km2_approx", "float", "Area from generalised polygons (approx.)", "km2", lo=0, hi=20_000,
           source_id="yle_geodata"),
    Column("dist_helsinki_km", "float", "Straight-line distance, centre to Helsinki centre", "km", lo=0,
           hi=1_500, source_id=_D),
    Column("dist_oulu_km", "float", "Straight-line distance, centre to Oulu centre (nearest major port "
           "for Kainuu)", "km", lo=0, hi=1_500, source_id=_D),
    Column("dist_kajaani_airport_km", "float", "Straight-line distance, centre to Kajaani airport", "km",
           lo=0, hi=1_500, source_id=_D),
)

KEY_SECTOR_COLUMNS: tuple[Column, ...] = (
    Column("key_sector", "str", "Key sector id", required=True),
    Column("nace_prefixes", "nace_list", "NACE codes the sector covers", required=True),
    Column("name_en", "str", "Name in English", required=True),
    Column("name_fi", "str", "Name in Finnish", required=True),
    Column("source_id", "str", "Source (data/sources.csv)", required=True),
)
SOURCE_COLUMNS: tuple[Column, ...] = (
    Column("source_id", "str", "Identifier", required=True),
    Column("title", "str", "Title of the publication or dataset", required=True),
    Column("url", "str", "Where to get it (URL, or a repository path for derived data)", required=True),
    Column("publisher", "str", "Who published it", required=True),
    Column("date", "str", "Publication or retrieval date", required=True),
    Column("licence", "str", "Licence, or 'not stated'", required=True),
)
NACE_COLUMNS: tuple[Column, ...] = (
    Column("code", "str", "NACE Rev. 2 code", required=True),
    Column("level", "enum", "section / division / group / class", required=True,
           choices=("section", "division", "group", "class")),
    Column("section", "str", "Section letter", required=True),
)

EVENT_KINDS = ("decision", "site_selection", "expansion", "production_start")
DECISION_COLUMNS: tuple[Column, ...] = (
    Column("decision_id", "str", "Identifier (the source row's id; one decision may have several sites)",
           required=True),
    Column("project_group", "str", "Project family: sister decisions (expansions) share it, and are held "
           "out together in evaluation", required=True),
    Column("investor", "str", "Who decided", required=True),
    Column("project", "str", "What was decided", required=True),
    Column("nace", "nace_list", "NACE Rev. 2 code of the activity (mapped by this project from the "
           "source's sector)", required=True),
    Column("municipality_codes", "code_list", "Chosen municipality or municipalities (';')", required=True),
    Column("event_year", "int", "Year of the decision as stated", "year", lo=1980, hi=2030),
    Column("event_kind", "enum", "Kind of decision (plans, grants, acquisitions and closures are left out)",
           required=True, choices=EVENT_KINDS),
    Column("power_mw", "float", "Power stated in the source", "MW", lo=0, hi=5_000),
    Column("jobs", "int", "Direct jobs stated (lower end of a stated range)", "jobs", lo=0, hi=100_000),
    Column("capex_meur", "float", "Investment stated (lower end of a stated range)", "MEUR", lo=0, hi=100_000),
    Column("source_row", "str", "Row id in data/sources/investment_decisions_finland.csv (K.., F..) or "
           "investment_decisions_additions.csv (A..)", required=True),
    Column("source_urls", "url_list", "Where the decision is reported (' ; ' separated)", required=True),
)

TABLES: dict[str, tuple[tuple[Column, ...], str]] = {
    "sources.csv": (SOURCE_COLUMNS, "source_id"),
    "nace_rev2.csv": (NACE_COLUMNS, "code"),
    "municipalities.csv": (MUNICIPALITY_COLUMNS, "municipality_code"),
    "kainuu_municipalities.csv": (KAINUU_COLUMNS, "municipality_code"),
    "key_sectors.csv": (KEY_SECTOR_COLUMNS, "key_sector"),
    "sites.csv": (SITE_COLUMNS, "site_id"),
    "decisions.csv": (DECISION_COLUMNS, "decision_id"),
}
DATA_FILES = tuple(TABLES)
SITE_NUMERIC = [c.name for c in SITE_COLUMNS if c.kind in ("float", "int") and c.name not in ("lat", "lon")]
SITE_BOOL = [c.name for c in SITE_COLUMNS if c.kind == "bool"]
KAINUU_NUMERIC = [c.name for c in KAINUU_COLUMNS if c.kind == "float"]
KAINUU_BOOL = [c.name for c in KAINUU_COLUMNS if c.kind == "bool"]
URL_RE = re.compile(r"^https?://\S+$")
BOOLS = {"true": 1.0, "false": 0.0}

assert set(CRITERION_NAMES)  # criteria and schema are imported together by the engine


def columns_of(file: str) -> tuple[Column, ...]:
    return TABLES[file][0]


def header_of(file: str) -> list[str]:
    out = []
    for c in columns_of(file):
        out.append(c.name)
        if c.sourced:
            out.append(f"{c.name}_source")
    return out


def read_table(data_dir: Path, file: str) -> pd.DataFrame:
    """Read a table as typed columns: floats (NaN = unknown), bools as 1.0/0.0/NaN, text or None."""
    raw = pd.read_csv(data_dir / file, dtype=str, keep_default_na=False, encoding="utf-8")
    return typed(raw, file)


def typed(raw: pd.DataFrame, file: str) -> pd.DataFrame:
    df = raw.copy()
    for c in columns_of(file):
        if c.name not in df:  # a column the schema has and the file not yet: unknown, never guessed
            df[c.name] = ""
        s = df[c.name].astype(str).str.strip()
        if c.kind in ("float", "int"):
            df[c.name] = pd.to_numeric(s.replace("", None), errors="coerce").astype(float)
        elif c.kind == "bool":
            df[c.name] = s.str.lower().map(BOOLS).astype(float)
        else:
            df[c.name] = s.where(s != "", None)
    return df


def check_value(col: Column, value: str, *, codes: set[str], nace_codes: set[str],
                source_ids: set[str]) -> str | None:
    """Why ``value`` is not acceptable for ``col``, or None. Empty means unknown: allowed unless required."""
    v = value.strip()
    if v == "":
        return "required value is missing" if col.required else None
    if col.kind in ("float", "int"):
        try:
            x = float(v)
        except ValueError:
            return f"not a number: {v!r}"
        if not math.isfinite(x):
            return f"not a finite number: {v!r}"
        if col.lo is not None and x < col.lo:
            return f"{x:g} {col.unit} is below the allowed minimum {col.lo:g}".replace("  ", " ")
        if col.hi is not None and x > col.hi:
            return f"{x:g} {col.unit} is above the allowed maximum {col.hi:g}".replace("  ", " ")
    elif col.kind == "bool":
        if v.lower() not in BOOLS:
            return f"must be true or false, not {v!r}"
    elif col.kind == "enum":
        if v not in col.choices:
            return f"{v!r} is not one of {', '.join(col.choices)}"
    elif col.kind == "code":
        if codes and v not in codes:
            return f"unknown municipality code {v!r}"
    elif col.kind == "code_list":
        bad = [c for c in v.split(";") if codes and c not in codes]
        if bad:
            return f"unknown municipality code(s): {', '.join(bad)}"
    elif col.kind == "nace_list":
        bad = [p for p in v.split(";") if p not in nace_codes]
        if bad:
            return f"unknown NACE Rev. 2 code(s): {', '.join(bad)}"
    elif col.kind == "url_list":
        bad = [u for u in v.split(" ; ") if not URL_RE.match(u.strip())]
        if bad:
            return f"not a URL: {bad[0]!r}"
    elif col.kind == "date":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            return f"must be a date YYYY-MM-DD, not {v!r}"
    if len(v) > 4000:
        return "text longer than 4000 characters"
    return None


def check_source(value: str, source: str, source_ids: set[str]) -> str | None:
    if value.strip() == "":
        return None
    s = source.strip()
    if not s:
        return "value has no source (fill <column>_source with a URL or a source_id)"
    if not (URL_RE.match(s) or s in source_ids):
        return f"source {s!r} is neither a URL nor a source_id of sources.csv"
    return None


def check_row(file: str, row: dict[str, str], *, codes: set[str], nace_codes: set[str],
              source_ids: set[str]) -> list[tuple[str, str]]:
    """(column, reason) for each problem of one row."""
    problems = []
    for col in columns_of(file):
        value = row.get(col.name, "")
        why = check_value(col, value or "", codes=codes, nace_codes=nace_codes, source_ids=source_ids)
        if why:
            problems.append((col.name, why))
        if col.sourced:
            why = check_source(value or "", row.get(f"{col.name}_source", "") or "", source_ids)
            if why:
                problems.append((f"{col.name}_source", why))
    extra = set(row) - set(header_of(file))
    for name in sorted(extra):
        problems.append((name, "unknown column"))
    return problems


def columns_markdown() -> str:
    """The column reference of data/README.md, generated from this schema."""
    out = []
    for file, (cols, key) in TABLES.items():
        out.append(f"### `{file}` (key: `{key}`)\n")
        out.append("| column | type | unit | range / values | meaning | source |")
        out.append("|---|---|---|---|---|---|")
        for c in cols:
            rng = ", ".join(c.choices) if c.choices else (
                f"{c.lo:g} … {c.hi:g}" if c.lo is not None and c.hi is not None else
                f"≥ {c.lo:g}" if c.lo is not None else "")
            src = f"`{c.source_id}`" if c.source_id else ("per value: `" + c.name + "_source`" if c.sourced else "")
            req = " (required)" if c.required else ""
            out.append(f"| `{c.name}` | {c.kind} | {c.unit} | {rng} | {c.meaning}{req} | {src} |")
        out.append("")
    return "\n".join(out)
