"""What a site can be used for: its kind and intended-use tags against the investor's sector.

One table decides which kinds of offering a sector can use at all (a wind farm needs a
wind-power area of the regional plan, a mine an ore deposit, a hotel a tourism area) and
which sectors a kind admits (a ski resort is for tourism, not a battery plant). A pair
outside the table is blocked with a reason; inside it, the site's own intended-use tags
(``sectors``) measure how well it fits, at the finest NACE level both sides give.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import nace

# Kinds a sector needs (first matching prefix wins). Sectors not listed can use any kind
# that admits them (below).
SECTOR_NEEDS_KIND: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("35.11", ("wind_area", "project_seeking_capital", "company_for_sale")),
    ("05", ("mining_area", "project_seeking_capital", "company_for_sale")),
    ("06", ("mining_area", "project_seeking_capital", "company_for_sale")),
    ("07", ("mining_area", "project_seeking_capital", "company_for_sale")),
    ("08", ("mining_area", "project_seeking_capital", "company_for_sale")),
    ("09", ("mining_area", "project_seeking_capital", "company_for_sale")),
    ("55", ("tourism_area", "premises", "plot", "company_for_sale", "project_seeking_capital")),
    ("93", ("tourism_area", "premises", "company_for_sale", "project_seeking_capital")),
)

# Sectors a kind admits (NACE prefixes); None admits every sector.
TOURISM = ("55", "56", "79", "90", "91", "93", "96.04", "68.2", "47", "49.3", "77.2")  # 96.04: spas, saunas
KIND_ADMITS: dict[str, tuple[str, ...] | None] = {
    "plot": None, "business_park": None, "industrial_area": None, "brownfield": None, "premises": None,
    "company_for_sale": None, "project_seeking_capital": None,
    "data_centre_site": ("63", "62", "61", "35", "72"),
    "tourism_area": TOURISM,
    "wind_area": ("35.11",),
    "mining_area": ("05", "06", "07", "08", "09", "20.13", "24.4", "24.5"),
}
# Kinds whose own activity must be the investor's, at division level (an ongoing business or a
# worked-out project is taken on for what it does, not for its land: a pulp-mill project seeking an
# operator is no offering for a metal workshop, though both are manufacturing).
MATCH_OWN_SECTORS = ("company_for_sale", "project_seeking_capital")

# The finest NACE level an investor's activity and a site's intended use share (issue 9: sector fit at the
# finest level the data supports): the site tagged for the activity itself (or a wider code holding it),
# the same group (three digits), the same division, the same section, or another activity.
USE_EXACT, USE_GROUP, USE_DIVISION, USE_SECTION, USE_OTHER = 1.0, 0.9, 0.8, 0.6, 0.2


def _any_match(code: str, prefixes: Sequence[str]) -> bool:
    return any(nace.matches(code, p) for p in prefixes)


def tourism_only(site_sectors: Sequence[str]) -> bool:
    """Whether every intended use of a site is a tourism activity (holiday plots, resort building sites)."""
    return bool(len(site_sectors)) and all(_any_match(code, TOURISM) for code in site_sectors)


def allowed(sector: str, kind: str, site_sectors: Sequence[str]) -> bool:
    """Whether an investor of ``sector`` can use an offering of ``kind`` at all."""
    for prefix, kinds in SECTOR_NEEDS_KIND:
        if nace.matches(sector, prefix) and sector[:1].isdigit():
            if kind not in kinds:
                return False
            break
    admits = KIND_ADMITS.get(kind)
    if admits is None and tourism_only(site_sectors):
        admits = TOURISM  # land or premises planned for tourism only (holiday plots) is a tourism offering
    if admits is not None and not _any_match(sector, admits):
        return False
    if kind in MATCH_OWN_SECTORS and site_sectors:
        return fit(sector, site_sectors) >= USE_DIVISION
    return True


def level(sector: str, code: str) -> float:
    """How well one intended-use code fits the sector (``USE_*``): the finest level they share."""
    if nace.matches(sector, code):
        return USE_EXACT
    div = nace.division_of(sector)
    if div is not None and len(code) >= 4 and len(sector) >= 4 and code[:4] == sector[:4]:
        return USE_GROUP
    if div is not None and nace.division_of(code) == div:
        return USE_DIVISION
    if nace.section_of(code) == nace.section_of(sector):
        return USE_SECTION
    return USE_OTHER


def fit(sector: str, site_sectors: Sequence[str]) -> float:
    """How well the site's intended uses fit the sector: the best of its codes (``level``).
    The caller treats a site without tags as unknown."""
    return max((level(sector, code) for code in site_sectors), default=USE_OTHER)


def needed_kinds(sector: str) -> tuple[str, ...] | None:
    """The kinds a sector is restricted to, or None (for the reason text)."""
    for prefix, kinds in SECTOR_NEEDS_KIND:
        if nace.matches(sector, prefix) and sector[:1].isdigit():
            return kinds
    return None
