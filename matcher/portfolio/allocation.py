"""Joint allocation of active leads: when several leads want the same free grid capacity, land
or labour pool, the assignment in which no site is promised beyond its capacity and the total fit
is highest (a mixed-integer program, ``scipy.optimize.milp``), with what each lead gives up
against its individual best.

- A pair (lead, site) may be chosen only where the lead's own ranking does not rule the site out
  (meets or unverified; reserved and failing sites are not free to promise).
- Objective: the sum over chosen pairs of score + ``STATE_WEIGHT`` × feasibility level (meets 2,
  unverified 1), so a lead placed where every need is met counts above one placed where a need is
  unverified, and placing a lead always counts above leaving it out. Scores lie in [-1, 1].
- Capacities per site: free grid MW (``grid_free_mw``) against the leads' ``power_mw``; land
  (``area_ha``) against ``land_ha``; labour per skill family: the recruitable share of the pool
  (matcher/core/workforce.py) at a lead's site, less what won and shortlisted projects already take,
  against the headcounts of every lead placed within that site's commuting radius (the lead itself
  included; the pools of nearby sites overlap). A lead whose own need exceeds that pool is not
  placed there: the joint plan promises no one more people than the area can give.
- Unknown capacity is unverified, never infinite: a site whose MW or hectares are not known
  takes at most one lead that needs them (that lead's own ranking already says "unverified"),
  so an unknown number is never shared out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

from ..core.catalog import Catalog
from ..core.criteria import KAINUU
from ..core.engine import score
from ..core.feasibility import UNVERIFIED
from ..core.messages import LANGS, t
from ..core.profile import InvestorProfile
from ..core.rankers import Ranker
from ..core.skills import COMMUTE_RADIUS_KM, RECRUITABLE_SHARE
from ..core.workforce import (
    PipelineProject,
    family_pool,
    recruitable,
    taken_by_pipeline,
    within_commute,
)

STATE_WEIGHT = 10.0
ACTIVE_STAGES = ("new", "pitched", "visited", "shortlisted")  # leads still to be placed
MAX_LEADS = 60
CAPACITIES = (("power", "grid_free_mw", "power_mw"), ("land", "area_ha", "land_ha"))


@dataclass(frozen=True)
class Lead:
    lead_id: str
    profile: InvestorProfile


def allocate(leads: list[Lead], catalog: Catalog, *, ranker: Ranker | None = None,
             pipeline: list[PipelineProject] | None = None) -> dict[str, Any]:
    """The joint assignment of ``leads`` to the Kainuu offerings (see the module's rules)."""
    if not leads:
        raise ValueError("leads: no active leads to allocate")
    if len(leads) > MAX_LEADS:
        raise ValueError(f"leads: {len(leads)} is more than {MAX_LEADS}")
    if len({x.lead_id for x in leads}) != len(leads):
        raise ValueError("leads: lead ids must be unique")
    c = catalog.candidates(KAINUU)
    n_sites = len(c)
    scored = [score(x.profile, catalog, scope=KAINUU, ranker=ranker) for x in leads]
    pairs = [(li, si) for li, s in enumerate(scored) for si in range(n_sites)
             if s.feasibility.rank_level[si] >= UNVERIFIED]
    n = len(pairs)
    weight = np.array([scored[li].scores[si] + STATE_WEIGHT * scored[li].feasibility.rank_level[si]
                       for li, si in pairs])
    rows: list[dict[int, float]] = []
    upper: list[float] = []
    # each lead at most one site
    for li in range(len(leads)):
        rows.append({k: 1.0 for k, (lj, _) in enumerate(pairs) if lj == li})
        upper.append(1.0)
    capacity_rules: list[dict[str, Any]] = []
    for label, col, need_field in CAPACITIES:
        cap = c.site[col]
        for si in range(n_sites):
            needing = {k: float(getattr(leads[li].profile, need_field) or 0.0) for k, (li, sj) in enumerate(pairs)
                       if sj == si and (getattr(leads[li].profile, need_field) or 0.0) > 0}
            if not needing:
                continue
            if np.isnan(cap[si]):
                rows.append({k: 1.0 for k in needing})
                upper.append(1.0)
                capacity_rules.append({"site": si, "resource": label, "capacity": None, "rule": "one_lead"})
            else:
                rows.append(needing)
                upper.append(float(cap[si]))
                capacity_rules.append({"site": si, "resource": label, "capacity": float(cap[si]), "rule": "sum"})
    near = within_commute(c)
    families = sorted({f for x in leads for f in x.profile.headcount})
    taken = taken_by_pipeline(c, pipeline or [])
    labour_cap = {f: np.maximum(recruitable(c, f) - taken.get(f, 0.0), 0.0) for f in families}
    # a lead placed at site s needs its family's demand of every lead placed within the commuting
    # radius of s (itself included) to fit the recruitable pool at s: for pair k = (l, s),
    # sum_k2 h_k2 x_k2 <= cap(s) + M (1 - x_k), i.e. sum_k2 h_k2 x_k2 + M x_k <= cap(s) + M
    for f in families:
        big = float(sum(x.profile.headcount.get(f, 0) for x in leads))
        for k, (li, si) in enumerate(pairs):
            if leads[li].profile.headcount.get(f, 0) <= 0:
                continue
            coeffs = {k2: float(leads[l2].profile.headcount.get(f, 0)) for k2, (l2, s2) in enumerate(pairs)
                      if near[si, s2] and leads[l2].profile.headcount.get(f, 0) > 0}
            coeffs[k] = coeffs.get(k, 0.0) + big
            rows.append(coeffs)
            upper.append(float(labour_cap[f][si]) + big)
    A = lil_matrix((len(rows), n))
    for r, coeffs in enumerate(rows):
        for k, v in coeffs.items():
            A[r, k] = v
    chosen = np.zeros(n, dtype=bool)
    if n:
        res = milp(-weight, integrality=np.ones(n), bounds=Bounds(0, 1),
                   constraints=LinearConstraint(A.tocsr(), -np.inf, np.array(upper)))
        if res.x is None:
            raise RuntimeError(f"allocation: the solver found no assignment ({res.message})")
        chosen = res.x > 0.5
    return _report(leads, scored, pairs, chosen, c, catalog, families, labour_cap, near, taken)


def _report(leads, scored, pairs, chosen, c, catalog, families, labour_cap, near, taken) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    at = {pairs[k][0]: pairs[k][1] for k in np.flatnonzero(chosen)}
    out_leads = []
    for li, (lead, s) in enumerate(zip(leads, scored)):
        best = int(s.order[0])
        si = at.get(li)
        row: dict[str, Any] = {
            "lead_id": lead.lead_id, "name": lead.profile.name, "sector": lead.profile.sector,
            "best": {"site_id": str(c.ids[best]), "name": str(c.names[best]), "score": float(s.scores[best]),
                     "feasibility": s.feasibility.state(best), "rank": 1},
            "assigned": None, "gives_up": None}
        if si is not None:
            row["assigned"] = {"site_id": str(c.ids[si]), "name": str(c.names[si]),
                               "municipality": str(c.municipality_names[si]), "score": float(s.scores[si]),
                               "feasibility": s.feasibility.state(si), "rank": s.rank_of(si)}
            lost = float(s.scores[best] - s.scores[si])
            row["gives_up"] = {"score": lost, "ranks": s.rank_of(si) - 1,
                               **{lang: t("alloc.gives_up" if si != best else "alloc.own_best", lang,
                                          score=lost, rank=s.rank_of(si), best=str(c.names[best]))
                                  for lang in LANGS}}
        else:
            row["gives_up"] = {"score": None, "ranks": None, **_why_unplaced(li, lead, pairs, c, labour_cap, taken)}
        out_leads.append(row)
    use = []
    for si in sorted(set(at.values())):
        here = [li for li, sj in at.items() if sj == si]
        entry: dict[str, Any] = {"site_id": str(c.ids[si]), "name": str(c.names[si]),
                                 "leads": [leads[li].lead_id for li in here]}
        for label, col, need_field in CAPACITIES:
            need = sum(float(getattr(leads[li].profile, need_field) or 0.0) for li in here)
            cap = c.site[col][si]
            entry[label] = {"promised": need, "capacity": None if np.isnan(cap) else float(cap),
                            "unverified": bool(np.isnan(cap) and need > 0)}
        entry["labour"] = {}
        for f in families:
            demand = sum(float(leads[li].profile.headcount.get(f, 0)) for li, sj in at.items() if near[si, sj])
            if demand:
                entry["labour"][f] = {"promised_in_commuting_area": demand, "capacity": float(labour_cap[f][si]),
                                      "taken_by_pipeline": float(taken.get(f, np.zeros(len(c)))[si])}
        use.append(entry)
    total = float(sum(c_["assigned"]["score"] for c_ in out_leads if c_["assigned"]))
    best_total = float(sum(c_["best"]["score"] for c_ in out_leads))
    return {"leads": out_leads, "sites": use, "total_score": total, "total_individual_best": best_total,
            "placed": sum(1 for x in out_leads if x["assigned"]), "data_snapshot": catalog.snapshot,
            "method": "scipy.optimize.milp (HiGHS): max sum(score + 10 x feasibility level) subject to one site "
                      "per lead, free MW, hectares and recruitable labour per commuting area; an unknown MW or "
                      "hectare capacity takes at most one lead that needs it"}


def _why_unplaced(li: int, lead: Lead, pairs: list[tuple[int, int]], c: Any, labour_cap: dict[str, np.ndarray],
                  taken: dict[str, np.ndarray]) -> dict[str, str]:
    """Why a lead got no site, in words: nothing fits it; its own labour need is more than the
    recruitable pool (less what won and shortlisted projects take) wherever it fits, so it would fail
    even without the other leads; or other leads took the room."""
    own = np.array([sj for lj, sj in pairs if lj == li], dtype=int)
    if not len(own):
        return {lang: t("alloc.no_feasible", lang) for lang in LANGS}
    for f, need in sorted(lead.profile.headcount.items()):
        caps = labour_cap.get(f)
        if need > 0 and caps is not None and (caps[own] < need).all():
            at = int(own[np.argmax(caps[own])])
            key = "alloc.short_of_labour_left" if float(taken.get(f, np.zeros(len(caps)))[at]) > 0 else "alloc.short_of_labour"
            pool = float(family_pool(c, f)[at])
            return {lang: t(key, lang, need=float(need), family=t(f"family.{f}", lang), cap=float(caps[at]),
                            site=str(c.names[at]), share=RECRUITABLE_SHARE, pool=pool, km=COMMUTE_RADIUS_KM,
                            taken=float(taken.get(f, np.zeros(len(caps)))[at])) for lang in LANGS}
    return {lang: t("alloc.unplaced", lang) for lang in LANGS}


__all__ = ["ACTIVE_STAGES", "CAPACITIES", "Lead", "MAX_LEADS", "allocate"]
