"""The data schema: every column of every bundled table, its unit, range and source.

One place for the rules, used by the loader, by ``validate-data`` and by the API's
site upkeep, so that a value the engine would refuse can never be written.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .criteria import CRITERION_NAMES
from .messages import Reason, t, term


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
LOCATION_PRECISION = ("site", "area", "village", "municipality")
# Kainuu's extent (WGS84), a little wider than the outermost municipal borders.
KAINUU_LAT = (63.55, 65.75)
KAINUU_LON = (26.2, 30.7)
ZONING = ("zoned", "in_progress", "not_zoned")
# What a company for sale or a project seeking capital offers (the deal columns of sites.csv).
OFFERED_STAKES = ("majority", "minority", "assets")
INVESTOR_TYPES = ("strategic", "financial")
SIZE_BANDS = ("micro", "small", "medium", "large")  # the EU SME definition (staff, turnover, balance sheet)
PERMITS = ("none_needed", "not_started", "in_progress", "environmental_permit", "building_permit",
           "all_permits")

SITE_COLUMNS: tuple[Column, ...] = (
    Column("site_id", "str", "Stable identifier (S01 … or municipality-assigned)", required=True),
    Column("name", "str", "Name of the site or offering", required=True),
    Column("name_fi", "str", "Name in Finnish, shown to Finnish readers: the name a Finnish source uses, or a "
           "faithful Finnish rendering of `name` (empty: `name` is shown)"),
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
           "village: the village or town centre the source names (approximate); municipality: the "
           "municipality's centre, for the map only — the place the source names lies elsewhere in the "
           "municipality, so distances from this point are unknown", required=True,
           choices=LOCATION_PRECISION),
    Column("location_source", "url_list", "Where the coordinates come from", required=True),
    Column("plot_count", "int", "Number of plots offered", "plots", lo=0, hi=10_000, sourced=True),
    Column("area_ha", "float", "Area of the site", "ha", lo=0, hi=100_000, sourced=True),
    Column("area_ha_max", "float", "Upper bound of the area where only the plots' sizes are stated (11 plots "
           "of at most 4,228 m2: 4.65 ha); a need above it fails, below it stays unverified", "ha", lo=0,
           hi=100_000, sourced=True),
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
    Column("offered_stake", "enum", "Company for sale / project seeking capital: what is offered (a majority or "
           "minority of the shares, or the business assets)", choices=OFFERED_STAKES, sourced=True),
    Column("investor_type_sought", "enum", "The kind of investor the seller or project says it seeks (strategic: "
           "an industrial operator; financial: a fund or other financial investor)", choices=INVESTOR_TYPES,
           sourced=True),
    Column("capital_sought_meur", "float", "Capital the project says it needs", "MEUR", lo=0, hi=100_000,
           sourced=True),
    Column("size_band", "enum", "Size of the offered company by the EU SME definition", choices=SIZE_BANDS,
           sourced=True),
    Column("offered_since", "month", "Month the offer was first published (YYYY-MM)", sourced=True),
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
    Column("contact_role_fi", "str", "The contact role as a Finnish reader sees it: the Finnish title the source "
           "gives, with the municipality (empty: contact_role is shown)"),
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
    Column("name_en", "str", "English title (sections and divisions shortened for lists)", source_id="nace_names_en"),
    Column("name_fi", "str", "Finnish title (TOL 2008 wording)", source_id="nace_names_fi"),
)

# How far a decision got at the chosen place (data/build/build_decisions.py says how each row is typed;
# data/README.md how to weigh or filter by type)
DECISION_TYPES = ("final_investment_decision", "land_purchase", "permit_application", "announcement")
DECISION_COLUMNS: tuple[Column, ...] = (
    Column("decision_id", "str", "Identifier (the source row's id; one decision may have several sites)",
           required=True),
    Column("project_group", "str", "Project family: sister decisions (expansions) share it, and are held "
           "out together in evaluation", required=True),
    Column("investor", "str", "Who decided", required=True),
    Column("project", "str", "What was decided", required=True),
    Column("project_fi", "str", "What was decided, in Finnish for Finnish readers: a rendering of `project` "
           "(data/sources/decisions_project_fi.csv), no facts of its own"),
    Column("nace", "nace_list", "NACE Rev. 2 class of the activity (this project's mapping rule, "
           "data/build/build_decisions.py)", required=True),
    Column("municipality_codes", "code_list", "Chosen municipality or municipalities (';'; a former "
           "municipality is coded as the one it merged into)", required=True),
    Column("event_year", "int", "Year of the decision (of the land purchase, permit step or announcement "
           "for those types; a start of operation where only that is dated)", "year", lo=1980, hi=2030),
    Column("decision_type", "enum", "Strongest stage the sources document at that place (plans without a "
           "named site, grants, acquisitions and closures are left out)", required=True, choices=DECISION_TYPES),
    Column("expansion", "bool", "At a site where the investor already operates", required=True),
    Column("power_mw", "float", "Power stated in the source", "MW", lo=0, hi=5_000),
    Column("jobs", "int", "Jobs created as stated (never a headcount; lower end of a stated range)", "jobs",
           lo=0, hi=100_000),
    Column("capex_meur", "float", "Investment stated (lower end of a stated range)", "MEUR", lo=0, hi=100_000),
    Column("alternatives", "code_list", "Other municipalities the sources name as considered (';')"),
    Column("source_row", "str", "Row id in data/sources/investment_decisions_finland.csv (K.., F..), "
           "investment_decisions_additions.csv (A..), decisions_2026-11.csv (N..), decisions_2026-11_wood.csv (W..) or "
           "decisions_2026-11_greenfield.csv (G..)",
           required=True),
    Column("source_urls", "url_list", "Where the decision is reported (' ; ' separated)", required=True),
)

# National location facts for the `finland` scope (data/build/build_national.py builds them from the
# sourced rows in data/sources/; fi_national_features.source.md says what was kept and why).
PORT_SIZES = ("large", "medium", "small", "inland")
SEAPORT_COLUMNS: tuple[Column, ...] = (
    Column("port_id", "str", "Identifier (P + municipality code)", required=True, source_id="fi_ports"),
    Column("name", "str", "Port", required=True, source_id="fi_ports"),
    Column("municipality_code", "code", "Municipality of the port", required=True, source_id="fi_ports"),
    Column("size_class", "enum", "large: >= 3 Mt/year stated, or named among Finland's largest by Väylä or "
           "Statistics Finland; medium: 1-3 Mt; small: coastal, no annual figure; inland: Saimaa ports",
           required=True, choices=PORT_SIZES, source_id="fi_ports"),
    Column("tonnage_mt", "float", "Newest annual cargo a source states", "Mt/year", lo=0, hi=100,
           source_id="fi_ports"),
    Column("tonnage_year", "int", "Year of that figure", "year", lo=1990, hi=2030, source_id="fi_ports"),
    Column("source_urls", "url_list", "Where the facts are stated (' ; ' separated)", required=True),
)
SUBSTATION_STATUS = ("operating", "planned")
SUBSTATION_COLUMNS: tuple[Column, ...] = (
    Column("substation_id", "str", "Identifier", required=True, source_id="fi_grid"),
    Column("name", "str", "Fingrid substation", required=True, source_id="fi_grid"),
    Column("voltage_kv", "float", "Highest voltage stated (empty: the source names no voltage)", "kV", lo=0.4,
           hi=400, source_id="fi_grid"),
    Column("municipality_code", "code", "Municipality the source places it in", required=True, source_id="fi_grid"),
    Column("source_year", "int", "Year of the source", "year", lo=1990, hi=2030, source_id="fi_grid"),
    Column("status", "enum", "operating, or planned (not yet in service: never counted)", required=True,
           choices=SUBSTATION_STATUS, source_id="fi_grid"),
    Column("since_year", "int", "Year a source shows it in service from (built then, or already running then; "
           "planned: its due year); a decision counts it only if made later", "year", lo=1950, hi=2035,
           source_id="fi_grid"),
    Column("source_urls", "url_list", "Where it is stated", required=True),
)
# idle: built, not in operation; planned: being built or planned (neither counts as a cluster or a brownfield)
PLANT_STATUS = ("operating", "closed", "idle", "planned")
PLANT_COLUMNS: tuple[Column, ...] = (
    Column("plant_id", "str", "Identifier", required=True, source_id="fi_plants"),
    Column("name", "str", "Plant, mill, mine or data centre", required=True, source_id="fi_plants"),
    Column("name_fi", "str", "The name in Finnish, shown to Finnish readers: a rendering of `name` "
           "(data/sources/fi_plant_names_fi.csv), no facts of its own"),
    Column("company", "str", "Operator named by the source", source_id="fi_plants"),
    Column("nace_division", "nace_list", "NACE Rev. 2 division (the collector's classification)", required=True,
           source_id="fi_plants"),
    Column("nace_group", "nace_list", "NACE Rev. 2 group within the division (three digits, e.g. 10.5 dairies): this "
           "project's classification from the plant's name, each row reviewed (data/sources/fi_plant_groups.csv)",
           required=True),
    Column("municipality_code", "code", "Municipality", required=True, source_id="fi_plants"),
    Column("status", "enum", "operating, closed (a brownfield), idle (built, not running) or planned (not yet running)",
           required=True, choices=PLANT_STATUS,
           source_id="fi_plants"),
    Column("closed_year", "int", "Year of closure, as stated", "year", lo=1900, hi=2030, source_id="fi_plants"),
    Column("since_year", "int", "First year of operation where a source states it, or the earliest year a source "
           "shows it running (a later bound: `since_bound`); without one the time rule in "
           "matcher/core/national.py applies", "year", lo=1800, hi=2030, source_id="fi_plants"),
    Column("since_bound", "bool", "`since_year` is only the earliest year a source shows the plant running, not its "
           "first year (the plant may be older): it then never hides the plant where no year would not"),
    Column("reused_year", "int", "A closed mill's site taken over whole by a new owner for its own use (then no free "
           "brownfield from that year on)", "year", lo=1900, hi=2030, source_id="fi_plants"),
    Column("source_urls", "url_list", "Where it is stated", required=True),
)
CAMPUS_KINDS = ("university", "uas")
CAMPUS_COLUMNS: tuple[Column, ...] = (
    Column("campus_id", "str", "Identifier", required=True, source_id="fi_higher_ed"),
    Column("institution", "str", "University or university of applied sciences", required=True,
           source_id="fi_higher_ed"),
    Column("name_fi", "str", "The institution's own Finnish name, shown to Finnish readers (empty: "
           "`institution` is shown)"),
    Column("kind", "enum", "university, or uas (university of applied sciences)", required=True,
           choices=CAMPUS_KINDS, source_id="fi_higher_ed"),
    Column("municipality_code", "code", "Municipality of the campus", required=True, source_id="fi_higher_ed"),
    Column("source_urls", "url_list", "Where the location is stated", required=True),
)
RENEWABLE_TECHNOLOGIES = ("hydro", "wind")
# plant: one plant in operation since ``since_year``; municipal_total: a municipality's whole capacity
# of that technology at the end of ``since_year`` (a statistic, counted from the next year on)
RENEWABLE_KINDS = ("plant", "municipal_total")
RENEWABLE_COLUMNS: tuple[Column, ...] = (
    Column("generation_id", "str", "Identifier", required=True, source_id="fi_renewables"),
    Column("name", "str", "Plant, or the municipality's total", required=True, source_id="fi_renewables"),
    Column("technology", "enum", "hydro or wind", required=True, choices=RENEWABLE_TECHNOLOGIES,
           source_id="fi_renewables"),
    Column("kind", "enum", "plant, or municipal_total (all of that technology in the municipality)",
           required=True, choices=RENEWABLE_KINDS, source_id="fi_renewables"),
    Column("mw", "float", "Nominal capacity as the source states it", "MW", required=True, lo=0.1, hi=5000,
           source_id="fi_renewables"),
    Column("municipality_code", "code", "Municipality", required=True, source_id="fi_renewables"),
    Column("since_year", "int", "Plant: first year in operation; total: the year at whose end it was counted",
           "year", required=True, lo=1800, hi=2030, source_id="fi_renewables"),
    Column("source_urls", "url_list", "Where it is stated", required=True),
)

TABLES: dict[str, tuple[tuple[Column, ...], str]] = {
    "sources.csv": (SOURCE_COLUMNS, "source_id"),
    "nace_rev2.csv": (NACE_COLUMNS, "code"),
    "municipalities.csv": (MUNICIPALITY_COLUMNS, "municipality_code"),
    "kainuu_municipalities.csv": (KAINUU_COLUMNS, "municipality_code"),
    "key_sectors.csv": (KEY_SECTOR_COLUMNS, "key_sector"),
    "sites.csv": (SITE_COLUMNS, "site_id"),
    "decisions.csv": (DECISION_COLUMNS, "decision_id"),
    "fi_seaports.csv": (SEAPORT_COLUMNS, "port_id"),
    "fi_grid_substations.csv": (SUBSTATION_COLUMNS, "substation_id"),
    "fi_reference_plants.csv": (PLANT_COLUMNS, "plant_id"),
    "fi_higher_education.csv": (CAMPUS_COLUMNS, "campus_id"),
    "fi_renewable_generation.csv": (RENEWABLE_COLUMNS, "generation_id"),
}
DATA_FILES = tuple(TABLES)
SITE_NUMERIC = [c.name for c in SITE_COLUMNS if c.kind in ("float", "int") and c.name not in ("lat", "lon")]
SITE_BOOL = [c.name for c in SITE_COLUMNS if c.kind == "bool"]
KAINUU_NUMERIC = [c.name for c in KAINUU_COLUMNS if c.kind == "float"]
KAINUU_BOOL = [c.name for c in KAINUU_COLUMNS if c.kind == "bool"]
URL_RE = re.compile(r"^https?://\S+$")
BOOLS = {"true": 1.0, "false": 0.0}
# One id pattern for sites (and every candidate id a request names): ASCII letters, digits,
# '_', '.', '-', starting with a letter or digit, at most 40 characters (the column's width).
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"
ID_RE = re.compile(ID_PATTERN, re.ASCII)
# Numbers as a person writes them: ASCII digits, optional sign, decimal point and exponent.
# float() also takes '6_5', Arabic-Indic digits, 'nan' and 'inf'; the schema does not.
NUMBER_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?", re.ASCII)
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TEXT_KINDS = ("str", "enum", "code", "code_list", "nace_list", "url_list", "date", "month")

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


def records(df: pd.DataFrame, file: str) -> list[dict[str, object]]:
    """Typed rows of ``file`` as JSON values, the way back from ``typed``: unknown is None and a
    bool column true/false (1.0/0.0 only inside the engine), so a row read is a row ``as_cell`` takes."""
    import json

    rows = json.loads(df.to_json(orient="records", force_ascii=False))
    flags = [c.name for c in columns_of(file) if c.kind == "bool" and c.name in df]
    for r in rows:
        for name in flags:
            if r[name] is not None:
                r[name] = bool(r[name])
    return rows


def no_control_chars(v: str) -> str:
    """Text without NUL or other control characters (tab and line breaks are fine)."""
    if CONTROL_RE.search(v):
        raise ValueError(Reason("data.control"))
    return v


def as_cell(col: Column | None, value: object) -> str:
    """A JSON value as the cell text of ``col``, strictly: text columns take text, numbers take
    numbers (never a bool) or number text, bools take true/false. Raises ValueError(Reason)."""
    if value is None:
        return ""
    kind = col.kind if col else "str"
    if kind in TEXT_KINDS:
        if not isinstance(value, str):
            raise ValueError(Reason("data.must_be_text", what=_json_type(value)))
        return value
    if kind in ("float", "int"):
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ValueError(Reason("data.must_be_number", what=_json_type(value)))
        if isinstance(value, float):
            if not math.isfinite(value):
                raise ValueError(Reason("data.not_finite_json"))
            return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
        return str(value)
    if kind == "bool":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str):
            return value
        raise ValueError(Reason("data.not_bool", what=_json_type(value)))
    raise ValueError(Reason("data.kind", kind=kind))


def _json_type(value: object) -> Reason | str:
    key = {bool: "bool", int: "number", float: "number", str: "text", dict: "object", list: "list"}.get(type(value))
    return Reason(f"json.{key}") if key else type(value).__name__


def _number(col: Column, x: float) -> Reason | str:
    """A value or bound of ``col`` as its reader writes it: 5 000 and 0,5 in Finnish; a year as is."""
    return f"{x:g}" if col.unit == "year" else Reason("data.number", value=x)


def _amount(col: Column, x: float) -> Reason | str | dict[str, str]:
    """A value with the column's unit: in English as validate-data has always written it ('-5 MW',
    '60 deg'); in Finnish with the catalogue's unit ('60 astetta', 'vuosi 2031'; a share 0–1 bare)."""
    if not col.unit:
        return _number(col, x)
    fi = f"vuosi {x:g}" if col.unit == "year" else t("data.number", "fi", value=x) + (
        "" if col.unit == "0..1" else " " + term("unit", col.unit, "fi"))
    return {"en": f"{x:g} {col.unit}", "fi": fi}


def check_value(col: Column, value: str, *, codes: set[str], nace_codes: set[str],
                source_ids: set[str]) -> Reason | None:
    """Why ``value`` is not acceptable for ``col``, or None. Empty means unknown: allowed unless required.
    The reason is English text that can be said in Finnish too (``Reason.say``)."""
    v = value.strip()
    if v == "":
        return Reason("data.missing") if col.required else None
    if CONTROL_RE.search(v):
        return Reason("data.control")
    if col.kind in ("float", "int"):
        if not NUMBER_RE.fullmatch(v):
            return Reason("data.not_number", value=repr(v))
        x = float(v)
        if not math.isfinite(x):
            return Reason("data.not_finite", value=repr(v))
        if col.kind == "int" and not x.is_integer():
            return Reason("data.not_whole", value=repr(v))
        if col.lo is not None and x < col.lo:
            return Reason("data.below_min", amount=_amount(col, x), lo=_number(col, col.lo))
        if col.hi is not None and x > col.hi:
            return Reason("data.above_max", amount=_amount(col, x), hi=_number(col, col.hi))
    elif col.kind == "bool":
        if v.lower() not in BOOLS:
            return Reason("data.not_bool", what=repr(v))
    elif col.kind == "enum":
        if v not in col.choices:
            return Reason("data.not_choice", value=repr(v), choices=", ".join(col.choices))
    elif col.kind == "code":
        if codes and v not in codes:
            return Reason("data.unknown_code", value=repr(v))
    elif col.kind == "code_list":
        bad = [c for c in v.split(";") if codes and c not in codes]
        if bad:
            return Reason("data.unknown_codes", codes=", ".join(bad))
    elif col.kind == "nace_list":
        bad = [p for p in v.split(";") if p not in nace_codes]
        if bad:
            return Reason("data.unknown_nace", codes=", ".join(bad))
    elif col.kind == "url_list":
        bad = [u for u in v.split(" ; ") if not URL_RE.match(u.strip())]
        if bad:
            return Reason("data.not_url", value=repr(bad[0]))
    elif col.kind == "date":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v, re.ASCII) or not _real_date(v):
            return Reason("data.not_date", value=repr(v))
    elif col.kind == "month":
        if not re.fullmatch(r"\d{4}-\d{2}", v, re.ASCII) or not _real_date(v + "-01"):
            return Reason("data.not_month", value=repr(v))
    if len(v) > 4000:
        return Reason("data.too_long", n=4000)
    return None


def _real_date(v: str) -> bool:
    try:
        dt.date.fromisoformat(v)
    except ValueError:
        return False
    return True


def value_problem(col: Column, value: object) -> Reason | None:
    """Why a JSON value is not acceptable for ``col`` (type and value), or None: ``as_cell``
    then ``check_value``, the two steps site upkeep takes, for values outside a row (what-ifs).
    Municipality codes are checked by the caller, which knows the catalog."""
    try:
        cell = as_cell(col, value)
    except ValueError as exc:
        return exc.args[0]
    from . import nace

    return check_value(col, cell, codes=set(), nace_codes=set(nace.codes()), source_ids=set())


def column_of(file: str, name: str) -> Column | None:
    return next((c for c in columns_of(file) if c.name == name), None)


def check_source(value: str, source: str, source_ids: set[str], column: str) -> Reason | None:
    """Why the source of ``column``'s value is not acceptable, or None."""
    if value.strip() == "":
        return None
    s = source.strip()
    if not s:
        return Reason("data.no_source", column=column)
    if not (URL_RE.match(s) or s in source_ids):
        return Reason("data.bad_source", value=repr(s))
    return None


def check_row(file: str, row: dict[str, str], *, codes: set[str], nace_codes: set[str],
              source_ids: set[str]) -> list[tuple[str, Reason]]:
    """(column, reason) for each problem of one row."""
    problems = []
    key = TABLES[file][1]
    for col in columns_of(file):
        value = row.get(col.name, "")
        if col.name == key and file == "sites.csv" and value and not ID_RE.fullmatch(value):
            problems.append((col.name, Reason("data.not_id", value=repr(value[:60]))))
            continue
        why = check_value(col, value or "", codes=codes, nace_codes=nace_codes, source_ids=source_ids)
        if why:
            problems.append((col.name, why))
        if col.sourced:
            why = check_source(value or "", row.get(f"{col.name}_source", "") or "", source_ids, col.name)
            if why:
                problems.append((f"{col.name}_source", why))
    if file == "sites.csv" and not problems:
        why = area_problem(row.get("area_ha"), row.get("area_ha_max"))
        if why:
            problems.append(("area_ha", why))
    extra = set(row) - set(header_of(file))
    for name in sorted(extra):
        problems.append((name, Reason("data.unknown_column")))
    return problems


def area_problem(area: object, bound: object) -> Reason | None:
    """The one cross-column rule of a site: its area may not exceed the stated upper bound
    (``area_ha_max``: 11 plots of at most 0.42 ha are no 30 ha). Values as text or numbers; blank or
    NaN is unknown, never a problem."""
    def text(v: object) -> str:
        if v is None or (isinstance(v, float) and v != v):
            return ""
        return (f"{v:.15g}" if isinstance(v, float) else str(v)).strip()

    a, b = text(area), text(bound)
    if a and b and float(area) > float(bound):  # compared as numbers; the text only says them
        return Reason("data.area_over_max", area=_as_written(a), bound=_as_written(b))
    return None


def _as_written(number_text: str) -> dict[str, str]:
    """A number as the row has it ('12.5'), in Finnish with its decimal comma ('12,5')."""
    return {"en": number_text, "fi": number_text.replace(".", ",")}


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
