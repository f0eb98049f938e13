"""Hard requirements: three states per candidate and one reason per check, in numbers.

``meets``: every hard requirement is verified as met. ``unverified``: none fails, but at
least one rests on unknown data (or a reserved offering), so nothing says it meets.
``fails``: a known value misses a requirement. Candidates rank meets, then unverified, then
fails: publishing a true value that meets the need can only move a site up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import site_use
from .catalog import Candidates
from .criteria import INDEX, KAINUU, MUST_THRESHOLD
from .features import FeatureMatrix
from .messages import LANGS, t
from .profile import InvestorProfile


@dataclass
class Check:
    criterion: str
    en: str
    fi: str

    def as_dict(self) -> dict[str, str]:
        return {"criterion": self.criterion, "en": self.en, "fi": self.fi}


# hard requirements named otherwise than the criterion whose value they read
HARD_CRITERION = {"rail": "logistics"}
# Capacity needs judged on the site's own data only (never on a municipal figure)
SITE_NEEDS = ("power", "land", "water", "rail", "green_power")
STATES = ("fails", "unverified", "meets")  # index = level: higher ranks first
MEETS, UNVERIFIED, FAILS = 2, 1, 0
RESERVED_DROP = 0.5  # a reserved offering sorts between unverified (1) and fails (0)


def levels(failed: np.ndarray, unknown: np.ndarray) -> np.ndarray:
    """(n, h) verdicts -> one level per candidate: fails 0, unverified 1, meets 2."""
    return np.where(failed.any(axis=1), FAILS, np.where(unknown.any(axis=1), UNVERIFIED, MEETS))


@dataclass
class Feasibility:
    """Vectorised verdicts; the words are made only for the rows someone looks at."""

    feasible: np.ndarray  # (n,) no hard requirement fails (meets or unverified)
    hard: list[str]  # hard criteria, columns of ``failed`` / ``unknown``
    failed: np.ndarray  # (n, h)
    unknown: np.ndarray  # (n, h)
    _say: Callable[[str, int], Check] = field(repr=False, default=lambda crit, i: Check(crit, "", ""))

    @property
    def level(self) -> np.ndarray:
        return levels(self.failed, self.unknown)

    @property
    def rank_level(self) -> np.ndarray:
        """The level the ranking sorts by: a reserved offering (promised to another project) ranks
        below every available one that is unverified, and above every one that fails — so only
        available rows are recommended first, and reserved ones are shown as such."""
        level = self.level.astype(float)
        if "availability" in self.hard:
            reserved = self.unknown[:, self.hard.index("availability")]
            level = level - RESERVED_DROP * ((level == UNVERIFIED) & reserved)
        return level

    def state(self, i: int) -> str:
        return STATES[int(self.level[i])]

    def blockers(self, i: int) -> list[Check]:
        return [self._say(h, i) for j, h in enumerate(self.hard) if self.failed[i, j]]

    def unverified(self, i: int) -> list[Check]:
        return [self._say(h, i) for j, h in enumerate(self.hard) if self.unknown[i, j]]


def _say(criterion: str, key: str, **kw: object) -> Check:
    return Check(criterion, *(t(key, lang, **kw) for lang in LANGS))


def _area_text(ha: float | None, m2: float | None) -> str:
    parts = []
    if ha is not None and not np.isnan(ha):
        parts.append(f"{ha:g} ha")
    if m2 is not None and not np.isnan(m2):
        parts.append(f"{m2:,.0f} m²")
    return " + ".join(parts) or "?"


def hard_criteria(p: InvestorProfile, fm: FeatureMatrix) -> list[str]:
    """Capacity needs are hard by default; ``must`` adds any applicable criterion."""
    hard = []
    if p.power_mw:
        hard.append("power")
    if p.land_ha or p.floor_area_m2:
        hard.append("land")
    if p.water_m3_per_day:
        hard.append("water")
    if p.needs_rail:
        hard.append("rail")
    if p.green_power_share_min:
        hard.append("green_power")
    for m in p.must or []:
        if fm.applicable[INDEX[m]] and m not in hard:
            hard.append(m)
    if fm.scope == KAINUU:
        return [h for h in hard if h == "rail" or fm.applicable[INDEX[h]]] + ["site_use", "availability"]
    # A municipal ranking cannot judge a site's free MW, land, water or siding: such a need stays a hard
    # requirement that no municipality is verified to meet (unverified, said "not assessed").
    return [h for h in hard if h in SITE_NEEDS or fm.applicable[INDEX[h]]]


def _hard_value(crit: str, p: InvestorProfile, c: Candidates, fm: FeatureMatrix) -> tuple[np.ndarray, float]:
    """The array a hard criterion is judged on, and the value it must reach."""
    site = c.site
    if crit == "power":
        return site["grid_free_mw"], float(p.power_mw or 0)
    if crit == "water":
        return site["water_m3_per_day"], float(p.water_m3_per_day or 0)
    if crit == "rail":
        return site["rail_siding"], 1.0
    if crit == "green_power" and p.green_power_share_min:
        return site["green_power_share"], float(p.green_power_share_min)
    if crit == "site_use":
        return usable(p, c), 1.0
    if crit == "availability":
        return np.where(c.availability == "available", 1.0, np.nan), 1.0
    if crit in ("land", "readiness"):
        return fm.raw[:, INDEX[crit]], 1.0
    j = INDEX[crit]
    return fm.raw[:, j], float(MUST_THRESHOLD[j])


def usable(p: InvestorProfile, c: Candidates) -> np.ndarray:
    """1 where the offering's kind and uses admit the investor's sector, else 0."""
    return np.array([float(site_use.allowed(p.sector, str(k), codes)) for k, codes in zip(c.kinds, c.site_sectors)])


def assess(p: InvestorProfile, c: Candidates, fm: FeatureMatrix) -> Feasibility:
    hard = hard_criteria(p, fm)
    n = len(c)
    failed = np.zeros((n, len(hard)), dtype=bool)
    unknown = np.zeros((n, len(hard)), dtype=bool)
    for j, crit in enumerate(hard):
        value, need = _hard_value(crit, p, c, fm)
        unknown[:, j] = np.isnan(value)
        with np.errstate(invalid="ignore"):
            failed[:, j] = ~unknown[:, j] & (value < need)

    def say(crit: str, i: int) -> Check:
        if fm.scope != KAINUU and crit in SITE_NEEDS:
            return Check(crit, *(t("not_assessed", lang, label=t(f"label.{crit}", lang)) for lang in LANGS))
        name = str(c.names[i]).split(" (")[0]
        return _check_one(crit, p, c, fm, i, name, c.site)[2]

    return Feasibility(~failed.any(axis=1), hard, failed, unknown, say)


def _check_one(crit: str, p: InvestorProfile, c: Candidates, fm: FeatureMatrix, i: int, name: str,
               site: dict[str, np.ndarray]) -> tuple[bool, bool, Check]:
    """(failed, unknown, message) for one hard criterion at candidate i."""
    if crit == "power":
        have = site["grid_free_mw"][i]
        if np.isnan(have):
            return False, True, _say(crit, "unverified.power", name=name, need=p.power_mw)
        return have < p.power_mw, False, _say(crit, "block.power", name=name, need=p.power_mw, have=have)
    if crit == "land":
        need = _area_text(p.land_ha, p.floor_area_m2)
        ha, m2 = site["area_ha"][i], site["floor_area_m2"][i]
        raw = fm.raw[i, INDEX["land"]]
        if np.isnan(raw):
            return False, True, _say(crit, "unverified.land", name=name, need=need)
        return raw < 1.0, False, _say(crit, "block.land", name=name, need=need, have=_area_text(ha, m2))
    if crit == "water":
        have = site["water_m3_per_day"][i]
        if np.isnan(have):
            return False, True, _say(crit, "unverified.water", name=name, need=p.water_m3_per_day)
        return have < p.water_m3_per_day, False, _say(crit, "block.water", name=name,
                                                      need=p.water_m3_per_day, have=have)
    if crit == "rail":
        have = site["rail_siding"][i]
        if np.isnan(have):
            return False, True, _say("logistics", "unverified.rail", name=name)
        return have < 1, False, _say("logistics", "block.rail", name=name)
    if crit == "site_use":
        kinds = site_use.needed_kinds(p.sector)
        ok = site_use.allowed(p.sector, str(c.kinds[i]), c.site_sectors[i])

        def words(lang: str) -> str:
            needs = t("site_use.needs", lang, kinds=", ".join(t(f"kind.{k}", lang) for k in kinds)) if kinds else ""
            return t("block.site_use", lang, name=name, kind=t(f"kind.{c.kinds[i]}", lang), sector=p.sector,
                     needs=needs)
        return not ok, False, Check(crit, *(words(lang) for lang in LANGS))
    if crit == "availability":
        reserved = c.availability[i] != "available"
        return False, reserved, _say(crit, "unverified.reserved", name=name)
    if crit == "green_power" and p.green_power_share_min:
        have = site["green_power_share"][i]
        need = p.green_power_share_min
        if np.isnan(have):
            return False, True, _say(crit, "unverified.green_power", name=name, need=need)
        return have < need, False, _say(crit, "block.green_power", name=name, need=need, have=have)
    if crit == "readiness":
        months = site["readiness_months"][i]
        if np.isnan(months):
            return False, True, _say(crit, "unverified.readiness", name=name, start_by=p.start_by)
        return fm.raw[i, INDEX[crit]] < 1.0, False, _say(crit, "block.readiness", name=name,
                                                         start_by=p.start_by, months=months)
    j = INDEX[crit]
    value, thr = fm.raw[i, j], float(MUST_THRESHOLD[j])
    labels = {lang: t(f"label.{crit}", lang) for lang in LANGS}
    if np.isnan(value):
        return False, True, Check(crit, *(t("unverified.must", lang, label=labels[lang], name=name)
                                          for lang in LANGS))
    return value < thr, False, Check(crit, *(t("block.must", lang, label=labels[lang], value=value,
                                               threshold=thr) for lang in LANGS))
