"""Hard requirements: three states per candidate and one reason per check, in numbers.

``meets``: every hard requirement is verified as met. ``unverified``: none fails, but at
least one rests on unknown data (or a reserved offering), so nothing says it meets.
``fails``: a known value misses a requirement. Candidates rank meets, then unverified, then
fails: publishing a true value that meets the need can only move a site up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from . import nace, site_use
from .catalog import Candidates
from .criteria import INDEX, KAINUU, MUST_THRESHOLD
from .features import FeatureMatrix, area_text
from .messages import LANGS, Lang, t
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
        return level - RESERVED_DROP * ((level == UNVERIFIED) & self.reserved)

    @property
    def reserved(self) -> np.ndarray:
        """Availability not confirmed: reserved for another project, or not known."""
        if "availability" not in self.hard:
            return np.zeros(len(self.feasible), dtype=bool)
        return self.unknown[:, self.hard.index("availability")]

    @property
    def on_offer(self) -> np.ndarray:
        """Feasible and offered without reservation: the rows an investor could take now. A reserved
        offering (or one whose availability is unknown) ranks below them and takes no choice share."""
        return self.feasible & ~self.reserved

    def state(self, i: int) -> str:
        return STATES[int(self.level[i])]

    def blockers(self, i: int) -> list[Check]:
        return [self._say(h, i) for j, h in enumerate(self.hard) if self.failed[i, j]]

    def unverified(self, i: int) -> list[Check]:
        return [self._say(h, i) for j, h in enumerate(self.hard) if self.unknown[i, j]]


Names = Mapping[str, str]  # a site's name per language: what a check says it of


def _say(criterion: str, key: str, *, name: Names, **kw: object) -> Check:
    """A check in every language; ``name`` is the site's name per language (``Candidates.name_in``)."""
    return Check(criterion, *(t(key, lang, name=name[lang], **kw) for lang in LANGS))


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


def usable(p: InvestorProfile, c: Candidates) -> np.ndarray:
    """1 where the offering's kind and uses admit the investor's sector, else 0."""
    return np.array([float(site_use.allowed(p.sector, str(k), codes)) for k, codes in zip(c.kinds, c.site_sectors)])


def assess(p: InvestorProfile, c: Candidates, fm: FeatureMatrix) -> Feasibility:
    hard = hard_criteria(p, fm)
    n = len(c)
    failed = np.zeros((n, len(hard)), dtype=bool)
    unknown = np.zeros((n, len(hard)), dtype=bool)
    for j, crit in enumerate(hard):
        rule = rule_for(crit, p)
        value = rule.value(p, c, fm, crit)
        unknown[:, j] = np.isnan(value)
        with np.errstate(invalid="ignore"):
            failed[:, j] = ~unknown[:, j] & (value < rule.need(p, crit))

    def say(crit: str, i: int) -> Check:
        if fm.scope != KAINUU and crit in SITE_NEEDS:
            return Check(crit, *(t("not_assessed", lang, label=t(f"label.{crit}", lang)) for lang in LANGS))
        name = {lang: c.name_in(i, lang).split(" (")[0] for lang in LANGS}  # the reader's name, shortened
        return rule_for(crit, p).words(p, c, fm, i, name, bool(unknown[i, hard.index(crit)]), crit)

    return Feasibility(~failed.any(axis=1), hard, failed, unknown, say)


# -- the one rule table: per hard requirement, the array it is judged on, the value it must reach, and
# -- its words (what is unknown, or the numbers that block). Verdicts are computed once, in ``assess``.

Value = Callable[[InvestorProfile, Candidates, FeatureMatrix, str], np.ndarray]
Need = Callable[[InvestorProfile, str], float]
Words = Callable[[InvestorProfile, Candidates, FeatureMatrix, int, Names, bool, str], Check]


@dataclass(frozen=True)
class Rule:
    value: Value
    need: Need
    words: Words


def _one(p: InvestorProfile, crit: str) -> float:
    return 1.0


def _power_words(p: InvestorProfile, c: Candidates, fm: FeatureMatrix, i: int, name: Names, unknown: bool,
                 crit: str) -> Check:
    if unknown:
        return _say(crit, "unverified.power", name=name, need=p.power_mw)
    return _say(crit, "block.power", name=name, need=p.power_mw, have=c.site["grid_free_mw"][i])


def _land_words(p: InvestorProfile, c: Candidates, fm: FeatureMatrix, i: int, name: Names, unknown: bool,
                crit: str) -> Check:
    def words(lang: Lang) -> str:  # the areas are numbers inside the text: each language writes its own
        need = area_text(p.land_ha, p.floor_area_m2, lang=lang)
        if unknown:
            return t("unverified.land", lang, name=name[lang], need=need)
        have = area_text(c.site["area_ha"][i], c.site["floor_area_m2"][i], c.site["area_ha_max"][i], lang=lang)
        return t("block.land", lang, name=name[lang], need=need, have=have)

    return Check(crit, *(words(lang) for lang in LANGS))


def _water_words(p: InvestorProfile, c: Candidates, fm: FeatureMatrix, i: int, name: Names, unknown: bool,
                 crit: str) -> Check:
    if unknown:
        return _say(crit, "unverified.water", name=name, need=p.water_m3_per_day)
    return _say(crit, "block.water", name=name, need=p.water_m3_per_day, have=c.site["water_m3_per_day"][i])


def _rail_words(p: InvestorProfile, c: Candidates, fm: FeatureMatrix, i: int, name: Names, unknown: bool,
                crit: str) -> Check:
    return _say("rail", "unverified.rail" if unknown else "block.rail", name=name)


def _site_use_words(p: InvestorProfile, c: Candidates, fm: FeatureMatrix, i: int, name: Names, unknown: bool,
                    crit: str) -> Check:
    kinds = site_use.needed_kinds(p.sector)

    def words(lang: str) -> str:
        needs = t("site_use.needs", lang, kinds=", ".join(t(f"kind.{k}", lang) for k in kinds)) if kinds else ""
        return t("block.site_use", lang, name=name[lang], kind=t(f"kind.{c.kinds[i]}", lang), sector=nace.named(p.sector, lang),
                 needs=needs)
    return Check(crit, *(words(lang) for lang in LANGS))


def _availability_words(p: InvestorProfile, c: Candidates, fm: FeatureMatrix, i: int, name: Names, unknown: bool,
                        crit: str) -> Check:
    return _say(crit, "unverified.reserved", name=name)


def _green_words(p: InvestorProfile, c: Candidates, fm: FeatureMatrix, i: int, name: Names, unknown: bool,
                 crit: str) -> Check:
    need = p.green_power_share_min
    if unknown:
        return _say(crit, "unverified.green_power", name=name, need=need)
    return _say(crit, "block.green_power", name=name, need=need, have=c.site["green_power_share"][i])


def _readiness_words(p: InvestorProfile, c: Candidates, fm: FeatureMatrix, i: int, name: Names, unknown: bool,
                     crit: str) -> Check:
    if unknown:
        return _say(crit, "unverified.readiness", name=name, start_by=p.start_by)
    return _say(crit, "block.readiness", name=name, start_by=p.start_by, months=c.site["readiness_months"][i])


def _must_words(p: InvestorProfile, c: Candidates, fm: FeatureMatrix, i: int, name: Names, unknown: bool,
                crit: str) -> Check:
    j = INDEX[crit]
    labels = {lang: t(f"label.{crit}", lang) for lang in LANGS}
    if unknown:
        return Check(crit, *(t("unverified.must", lang, label=labels[lang], name=name[lang]) for lang in LANGS))
    return Check(crit, *(t("block.must", lang, label=labels[lang], value=fm.raw[i, j],
                           threshold=float(MUST_THRESHOLD[j])) for lang in LANGS))


RULES: dict[str, Rule] = {
    "power": Rule(lambda p, c, fm, crit: c.site["grid_free_mw"], lambda p, crit: float(p.power_mw or 0),
                  _power_words),
    "land": Rule(lambda p, c, fm, crit: fm.raw[:, INDEX["land"]], _one, _land_words),
    "water": Rule(lambda p, c, fm, crit: c.site["water_m3_per_day"], lambda p, crit: float(p.water_m3_per_day or 0),
                  _water_words),
    "rail": Rule(lambda p, c, fm, crit: c.site["rail_siding"], _one, _rail_words),
    "site_use": Rule(lambda p, c, fm, crit: usable(p, c), _one, _site_use_words),
    "availability": Rule(lambda p, c, fm, crit: np.where(c.availability == "available", 1.0, np.nan), _one,
                         _availability_words),
    "green_power": Rule(lambda p, c, fm, crit: c.site["green_power_share"],
                        lambda p, crit: float(p.green_power_share_min or 0), _green_words),
    "readiness": Rule(lambda p, c, fm, crit: fm.raw[:, INDEX["readiness"]], _one, _readiness_words),
}
# any other criterion the profile puts in ``must``: its feature value against the criterion's threshold
MUST_RULE = Rule(lambda p, c, fm, crit: fm.raw[:, INDEX[crit]], lambda p, crit: float(MUST_THRESHOLD[INDEX[crit]]),
                 _must_words)


def rule_for(crit: str, p: InvestorProfile) -> Rule:
    """A contracted green-power share is judged on the site's contract; without one, a green power
    the profile puts in ``must`` is judged like any other must (on the feature value)."""
    if crit == "green_power" and not p.green_power_share_min:
        return MUST_RULE
    return RULES.get(crit, MUST_RULE)
