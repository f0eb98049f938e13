"""Explanations: contributions that add up to the score, and the reasons in words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import nace
from .catalog import SAME_POINT_KM, SECTIONS, Candidates, name_in
from .criteria import CRITERION_NAMES, INDEX, KAINUU
from .feasibility import Check
from .features import area_text
from .messages import LANGS, t
from .national import related
from .profile import InvestorProfile
from .skills import RECRUITABLE_SHARE


@dataclass
class Contribution:
    criterion: str
    weight: float
    value: float
    known: bool
    contribution: float

    def as_dict(self) -> dict[str, object]:
        return {"criterion": self.criterion, "weight": self.weight, "value": self.value,
                "known": self.known, "contribution": self.contribution}


@dataclass
class Explanation:
    candidate_id: str
    score: float
    contributions: list[Contribution]
    reasons: dict[str, list[str]]
    weakness: dict[str, str | None]
    missing: list[dict[str, str]]
    blockers: list[Check] = field(default_factory=list)
    data_snapshot: str = ""
    unweighted: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "candidate_id": self.candidate_id,
            "score": self.score,
            "contributions": [c.as_dict() for c in self.contributions],
            "reasons": {**self.reasons, "weakness": self.weakness, "unweighted": self.unweighted},
            "missing": self.missing,
            "blockers": [b.as_dict() for b in self.blockers],
            "data_snapshot": self.data_snapshot,
        }


def fact(criterion: str, p: InvestorProfile, c: Candidates, i: int, lang: str, key_sector_name: str | None,
         inputs: Mapping[str, np.ndarray]) -> str:
    """The numbers behind one criterion at candidate i, in words: the data, and what
    ``pair_features`` computed from it (``inputs``), never computed a second time here."""
    s, m = c.site, c.mun
    if criterion == "skills":
        heads = p.headcount
        if len(heads) == 1:
            (fam, need), = heads.items()
            pool = float(inputs[f"skills_pool.{fam}"][i])
            return t("fact.skills", lang, pool=pool, recruit=RECRUITABLE_SHARE * pool, need=need)
        families = ", ".join(t("fact.skills_family", lang, family=t(f"family.{fam}", lang),
                               pool=float(inputs[f"skills_pool.{fam}"][i]),
                               recruit=RECRUITABLE_SHARE * float(inputs[f"skills_pool.{fam}"][i]), need=need)
                             for fam, need in sorted(heads.items(),  # the scarcest family first: it sets the value
                                                     key=lambda x: inputs[f"skills_pool.{x[0]}"][i] / max(x[1], 1)))
        return t("fact.skills_families", lang, families=families)
    if criterion == "power":
        return t("fact.power", lang, have=s["grid_free_mw"][i], need=p.power_mw)
    if criterion == "grid":
        where = "site" if inputs["grid_kv_at_site"][i] else "municipality"
        return t("fact.grid", lang, kv=inputs["grid_kv"][i], where=t(f"where.{where}", lang))
    if criterion == "green_power":
        if not np.isnan(s["green_power_share"][i]):
            return t("fact.green_power.share", lang, share=s["green_power_share"][i])
        return t("fact.green_power.local", lang, mw=m["renewable_mw_known_local"][i])
    if criterion == "land":
        need = area_text(p.land_ha, p.floor_area_m2, lang=lang)  # type: ignore[arg-type]
        have = area_text(s["area_ha"][i], s["floor_area_m2"][i], s["area_ha_max"][i], lang=lang)  # type: ignore[arg-type]
        return t("fact.land", lang, have=have, need=need)
    if criterion == "water":
        return t("fact.water", lang, have=s["water_m3_per_day"][i], need=p.water_m3_per_day)
    if criterion == "heat":
        return t("fact.heat.site" if inputs["heat_site"][i] == 1 else "fact.heat.municipal", lang)
    if criterion == "logistics":
        if c.scope != KAINUU:
            if c.municipality_codes[i] == HELSINKI:
                return t("fact.logistics.helsinki", lang)
            return t("fact.logistics.finland", lang, hel=m["dist_helsinki_km"][i])
        port, air = inputs["port_km"][i], inputs["airport_km"][i]
        return t("fact.logistics", lang, port=port, air=air, rail=rail_fact(c, i, lang))
    if criterion == "readiness":
        return t("fact.readiness", lang, months=s["readiness_months"][i], start_by=p.start_by)
    if criterion == "cost":
        price = s["price_eur_per_m2"][i]
        extra = "" if np.isnan(price) else t("fact.cost.price", lang, price=price)
        return t("fact.cost", lang, income=m["median_income_eur"][i], price=extra)
    if criterion == "sector_fit":
        sec = nace.section_of(p.sector)
        return t("fact.sector_fit", lang, lq=c.section_lq[i, SECTIONS.index(sec.lower())],
                 section=f"{sec} ({nace.name(sec, lang)})")
    if criterion == "site_use":
        return site_use_fact(p.sector, c.site_sectors[i], lang)
    if criterion == "cluster":
        from .features import CLUSTER_KM
        j, km = int(inputs["cluster_ref"][i]), float(inputs["cluster_km"][i])
        if j < 0 or km > CLUSTER_KM:
            return t("fact.cluster.none", lang, division=nace.named(nace.division_of(p.sector) or p.sector, lang),
                     radius=CLUSTER_KM)
        if same_point(c, i, j, km):
            return t("fact.cluster.same_point", lang, name=c.refs.name_in(j, lang))
        return t("fact.cluster", lang, name=c.refs.name_in(j, lang), km=km)
    if criterion == "strategic_priority":
        if not c.in_kainuu[i]:
            return t("fact.strategic_priority.outside", lang)
        if key_sector_name:
            return t("fact.strategic_priority.key", lang, name=key_sector_name)
        return t("fact.strategic_priority.kainuu", lang)
    if criterion in NATIONAL:
        return national_fact(criterion, p, c, i, lang, inputs)
    if criterion == "municipal_emphasis":
        e = c.emphasis[i]
        hit = bool(e) and any(nace.matches(p.sector, x) for x in e)
        return t("fact.municipal_emphasis" if hit else "fact.municipal_emphasis.no", lang)
    raise KeyError(criterion)


def same_point(c: Candidates, i: int, j: int, km: float) -> bool:
    """Whether candidate i and reference j sit at one village or area point: a distance no one
    measured, said as such unless both points are the rows' own."""
    return km < SAME_POINT_KM and not (c.site["point_exact"][i] == 1 and c.refs.exact[j])


def rail_fact(c: Candidates, i: int, lang: str) -> str:
    """The rail part of the logistics fact: the site's own siding, or the rail place within reach by
    name (a station, a junction, a timber loading place: not every rail place is a station)."""
    s = c.site
    if s["rail_siding"][i] == 1:
        return t("fact.rail.siding", lang)
    if s["rail_siding"][i] == 0:
        return t("fact.rail.none", lang)
    j = int(s["calc_station_ref"][i]) if not np.isnan(s["calc_station_ref"][i]) else -1
    if j < 0:
        return ""
    km = float(s["calc_station_km"][i])
    if same_point(c, i, j, km):
        return t("fact.rail.place.same_point", lang, name=c.refs.name_in(j, lang))
    return t("fact.rail.place", lang, name=c.refs.name_in(j, lang), km=km)


STRENGTH_MIN = 0.5
# A reason is called strong from this value on; between STRENGTH_MIN and it, fair: 217 km to the port,
# 90 km to the airport and a rail place nearby is half-way to perfect, not "strong logistics".
STRONG_AT = 0.75
HELSINKI = "091"  # the municipality the national accessibility is measured to


def strength_min(j: int) -> float:
    """The value from which a criterion is called a strength. Intended use only from the same
    industry on: land meant for another kind of manufacturing still scores (it is industrial land),
    but is no reason to choose it."""
    from .site_use import USE_DIVISION

    return USE_DIVISION if j == INDEX["site_use"] else STRENGTH_MIN


def site_use_fact(sector: str, codes: Sequence[str], lang: str) -> str:
    """What the site is intended for, said at the level it fits the investor's activity (a food plant
    on land intended for chemicals reads "other manufacturing", not "intended for NACE 20.14")."""
    from . import site_use

    if not codes:
        return "?"
    best = max(site_use.level(sector, x) for x in codes)
    matching = [x for x in codes if site_use.level(sector, x) == best]
    named = nace.named(matching[0], lang) + (t("fact.site_use.more", lang, n=len(matching) - 1)
                                               if len(matching) > 1 else "")
    if best >= site_use.USE_EXACT:
        return t("fact.site_use.exact", lang, codes=named)
    if best >= site_use.USE_DIVISION:
        div = nace.division_of(sector) or sector
        return t("fact.site_use.division", lang, division=nace.named(div, lang), codes=named)
    if best >= site_use.USE_SECTION:
        sec = nace.section_of(sector)
        return t("fact.site_use.section", lang, section=f"{sec} {nace.name(sec, lang)}", codes=named)
    return t("fact.site_use.other", lang, codes=named)


NATIONAL = ("port", "transmission", "industry_nearby", "precedent", "brownfield", "education", "town_size",
            "renewables")


def company_of(r: object) -> str:
    """A plant row's company, "?" when the list leaves it blank (pandas reads a blank cell as NaN)."""
    v = getattr(r, "company", None)
    return str(v) if isinstance(v, str) and v.strip() else "?"


def related_note(sector: str, division: str, lang: str, group: object = None) -> str:
    """Said when the plant or project is of a related division or another group of the investor's own
    division, not its own industry (a steel plant's "same industry" was Porvoo's polyethylene plants:
    chemicals count as related to metals; a dairy's nearest food plant may be a bakery)."""
    own, other = nace.division_of(sector), division.zfill(2)
    if own is None or related(own, other, nace.group_of(sector), group) == 1.0:
        return ""
    return t("fact.related", lang, division=nace.named(other if other != own else str(group), lang))


def national_fact(criterion: str, p: InvestorProfile, c: Candidates, i: int, lang: str,
                  inputs: Mapping[str, np.ndarray]) -> str:
    """The named port, substation, plant, decision, mill or campus behind a national criterion (the
    ones ``features.national_features`` chose, read from ``inputs``)."""
    nf, m = c.national, int(c.mun_index[i])  # type: ignore[index]
    assert nf is not None

    def km(j: int) -> str:
        """Distances are between municipal centres: a place in the same municipality is said to be
        there, not "0 km" away (Vuolijoki's substation is some 35 km from Kajaani's centre)."""
        return t("where.same", lang) if j == m else t("where.km", lang, km=float(nf.dist[m, j]))

    if criterion == "port":
        r = nf.ports.iloc[nf.port_of[m]]
        return t("fact.port", lang, km=km(nf._index(r.municipality_code)), name=r["name"],
                 size=t(f"port.{r.size_class}", lang))
    if criterion == "transmission":
        j = int(inputs["transmission_of"][i])
        if j < 0:
            return t("fact.transmission.none", lang)
        r = nf.substations.iloc[j]
        return t("fact.transmission", lang, km=km(int(r.mun)), name=r["name"])
    if criterion == "town_size":
        return t("fact.town_size", lang, population=float(c.mun["population"][i]))
    if criterion == "renewables":
        mw = float(nf.renewable_mw(None)[m])
        return t("fact.renewables", lang, mw=mw) if mw > 0 else t("fact.renewables.none", lang)
    if criterion == "education":
        if nf.education[m] <= 0:
            return t("fact.education.none", lang)
        r = nf.campuses.iloc[nf.campus_of[m]]
        return t("fact.education", lang, name=name_in(r.institution, r.get("name_fi"), lang),
                 km=km(nf._index(r.municipality_code)))
    if criterion == "industry_nearby":
        if not covered(inputs, i):
            return t("fact.industry_nearby.uncovered", lang, division=nace.named(nace.division_of(p.sector) or p.sector, lang))
        j = int(inputs["industry_nearby_of"][i])
        if j < 0:
            return t("fact.industry_nearby.none", lang)
        r = nf.plants.iloc[j]
        text = t("fact.industry_nearby", lang, name=name_in(r["name"], r.get("name_fi"), lang), company=company_of(r),
                 km=km(int(r.mun)))
        return text + related_note(p.sector, str(r["nace_division"]), lang, r.get("nace_group"))
    if criterion == "precedent":
        j = int(inputs["precedent_of"][i])
        if j < 0:
            return t("fact.precedent.none", lang)
        r = nf.decisions.iloc[j]
        year = "?" if np.isnan(r.year) else f"{r.year:.0f}"
        stage = t(f"dtype.{r.decision_type}", lang) if r.decision_type else "?"
        return t("fact.precedent", lang, investor=r.investor, project=name_in(r.project, r.project_fi, lang),
                 stage=stage, year=year,
                 km=km(int(r.mun))) + related_note(p.sector, str(r.division), lang, r.nace_group)
    j = int(inputs["brownfield_of"][i])
    if j < 0:
        return t("fact.brownfield.none", lang)
    r = nf.plants.iloc[j]
    return t("fact.brownfield", lang, name=name_in(r["name"], r.get("name_fi"), lang), year=f"{r.closed_year:.0f}",
             km=km(int(r.mun)))


# "<label>: not known" per criterion, in every language: the same texts in every explanation
_UNKNOWN = [{"criterion": name, **{lang: t("unknown", lang, label=t(f"label.{name}", lang)) for lang in LANGS}}
            for name in CRITERION_NAMES]
# "<label>: not assessed at municipal level" for the site-level criteria a national ranking cannot judge
_NOT_ASSESSED = [{"criterion": name, "status": "not_assessed",
                  **{lang: t("not_assessed", lang, label=t(f"label.{name}", lang)) for lang in LANGS}}
                 for name in CRITERION_NAMES]


def covered(inputs: Mapping[str, np.ndarray], i: int) -> bool:
    """Whether the plant list covers the profile's industry (``NationalFacts.covers``): where it holds no
    plant of it, "none nearby" says nothing about the place, so it is neither a fact nor a weakness."""
    cov = inputs.get("industry_nearby_covered")
    return cov is None or bool(cov[i])


def only_rail_open(p: InvestorProfile, i: int, j: int, unverified: list[Check],
                   inputs: Mapping[str, np.ndarray]) -> bool:
    """Whether criterion j is logistics left unknown only by an open rail need: a rail-bound
    investor's logistics is unknown when the rail is (``pair_features``), and the open need already
    names the siding, so the port and airport being known, "logistics" is not said to be unknown too."""
    port = inputs.get("port_km")
    return (j == INDEX["logistics"] and bool(p.needs_rail) and any(u.criterion == "rail" for u in unverified)
            and port is not None and not np.isnan(port[i]))


def explain_one(p: InvestorProfile, c: Candidates, i: int, *, values: np.ndarray, known: np.ndarray,
                weights: np.ndarray, contributions: np.ndarray, applicable: np.ndarray,
                blockers: list[Check], unverified: list[Check], key_sector_names: dict[str, str],
                snapshot: str, inputs: Mapping[str, np.ndarray], not_assessed: np.ndarray | None = None,
                typical: np.ndarray | None = None) -> Explanation:
    """``typical``: each criterion's median part over all candidates of the ranking. A reason is a part
    that lifts this candidate above the typical one: a part most towns get alike (the trees' full cost
    part, which more than half of all municipalities get) says nothing of why this one ranks where it does.
    The parts themselves are unchanged and still add up to the score."""
    used = [j for j in range(len(CRITERION_NAMES)) if applicable[j]]
    contribs = [Contribution(CRITERION_NAMES[j], float(weights[j]), float(values[j]), bool(known[j]),
                             float(contributions[j])) for j in used]
    score = float(contributions.sum())
    known_used = [j for j in used if known[j]]
    # strengths: known criteria at least half-way to perfect that add to the score (a zero or
    # negative part is never called a strength)
    strengths = [j for j in known_used if contributions[j] > 0 and values[j] >= strength_min(j)]
    lift = contributions - (typical if typical is not None else 0.0)  # NaN typical: no lift, largest parts
    # ... ordered by how far they lift it above the typical candidate; where nothing does (a site typical
    # in every respect), its largest parts, so that every result still says what it scores on
    strongest = (sorted((j for j in strengths if lift[j] > 0), key=lambda j: -lift[j])
                 or sorted(strengths, key=lambda j: -contributions[j]))[:3]
    # weakness: among the criteria below half-way to perfect (so never a strength, nor one that lifts no
    # higher than the typical candidate, nor a half-way value a tree gives no part), the known criterion
    # that loses most against a perfect value; none at least half-way to perfect is called weak (an
    # LQ of 1.9, well above the national average, was Tampere's "weakest point" beside perfect facts)
    weakest = max((j for j in known_used if values[j] < STRENGTH_MIN
                   and not (j == INDEX["industry_nearby"] and not covered(inputs, i))),
                  key=lambda j: weights[j] * (1 - values[j]), default=None)
    # a named national fact (port, substation, campus…) the ranking gives no weight at all — a trained
    # model that never uses it, or a profile's weight 0 — is still shown, said to count for nothing,
    # never as a reason: the reader looks for the port, and the score stays the sum of the parts
    unweighted = [j for j in known_used if weights[j] == 0 and contributions[j] == 0 and j != weakest
                  and CRITERION_NAMES[j] in NATIONAL]
    reasons: dict[str, list[str]] = {}
    weakness: dict[str, str | None] = {}
    shown: dict[str, list[str]] = {}
    for lang in LANGS:
        ks = key_sector_names.get(lang)
        reasons[lang] = [t("reason" if values[j] >= STRONG_AT else "reason.fair", lang,
                           label=t(f"label.{CRITERION_NAMES[j]}", lang),
                           fact=fact(CRITERION_NAMES[j], p, c, i, lang, ks, inputs)) for j in strongest]
        weakness[lang] = None if weakest is None else t(
            "weakness", lang, label=t(f"label.{CRITERION_NAMES[weakest]}", lang),
            fact=fact(CRITERION_NAMES[weakest], p, c, i, lang, ks, inputs))
        shown[lang] = [t("unweighted", lang, label=t(f"label.{CRITERION_NAMES[j]}", lang),
                         fact=fact(CRITERION_NAMES[j], p, c, i, lang, ks, inputs)) for j in unweighted]
    missing = [dict(_UNKNOWN[j]) for j in used if not known[j] and not only_rail_open(p, i, j, unverified, inputs)]
    if not_assessed is not None:
        missing += [dict(_NOT_ASSESSED[j]) for j in np.flatnonzero(not_assessed)]
    # outside Kainuu a hard need left open is a site-level one no municipal figure can settle
    status = {} if c.scope == KAINUU else {"status": "not_assessed"}
    said = {(x["criterion"], x.get("status")) for x in missing}
    missing += [{"criterion": u.criterion, **status, "en": u.en, "fi": u.fi} for u in unverified
                if (u.criterion, status.get("status")) not in said]
    return Explanation(str(c.ids[i]), score, contribs, reasons, weakness, missing, blockers, snapshot, shown)


__all__ = ["Contribution", "Explanation", "explain_one", "fact", "INDEX"]
