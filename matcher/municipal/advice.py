"""Advice: the smallest change, in a feature a municipality can act on, that lifts a site
into the top K for a profile. The utility is linear, so the needed feature value is
closed-form; pairs of changes are searched when no single one is enough (one set to its
full value, the other solved for the rest). Each answer is applied as a what-if and kept
only if it delivers the promised rank."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import numpy as np

from ..core.catalog import Catalog
from ..core.criteria import INDEX, KAINUU
from ..core.engine import Scored, score
from ..core.feasibility import HARD_CRITERION, RESERVED_DROP
from ..core.features import PRICE_REF_EUR_M2, READINESS_SLACK_MONTHS, months_until
from ..core.profile import InvestorProfile, ProfileError
from ..core.rankers import Ranker
from ..core.ranking import FEASIBLE_BONUS, rank_key
from ..core.schema import area_problem
from .whatif import Scenario, apply

# feature the municipality controls -> (criterion, unit)
ACTIONABLE = {
    "grid_free_mw": ("power", "MW"), "area_ha": ("land", "ha"), "water_m3_per_day": ("water", "m3/day"),
    "readiness_months": ("readiness", "months"), "price_eur_per_m2": ("cost", "EUR/m2"),
}
EPS = 1e-9


LOWER_IS_EASIER = {"readiness_months": False, "price_eur_per_m2": False}  # others: less is easier


def _easier_or_equal(a: dict[str, float], b: dict[str, float]) -> bool:
    """Plan a asks no more than plan b in every column (same columns)."""
    return all((a[c] <= b[c]) if LOWER_IS_EASIER.get(c, True) else (a[c] >= b[c]) for c in a)


def _undominated(options: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop a plan when another over the same columns asks no more anywhere."""
    plans = [{c["column"]: c["needed"] for c in o["changes"]} for o in options]
    keep = []
    for k, (o, plan) in enumerate(zip(options, plans)):
        beaten = any(m != k and set(other) == set(plan) and _easier_or_equal(other, plan)
                     and (other != plan or m < k) for m, other in enumerate(plans))
        if not beaten:
            keep.append(o)
    return keep


def _is_full_pair(s: Scored, i: int, cols: tuple[str, ...]) -> bool:
    """True when the last column of the pair would also be set to its full value."""
    return all(ACTIONABLE[c][0] in s.feasibility.hard for c in cols)


def _try(p: InvestorProfile, catalog: Catalog, s: Scored, i: int, cols: list[str], threshold: float,
         target_rank: int, ranker: Ranker | None) -> dict[str, Any] | None:
    """Closed form: all but the last column at their full value, the last solved for the
    rest; then applied as a what-if and kept only if the rank is reached."""
    crits = [ACTIONABLE[c][0] for c in cols]
    f = s.feasibility
    failed = {HARD_CRITERION.get(h, h) for h, x in zip(f.hard, f.failed[i]) if x}
    unknown = {HARD_CRITERION.get(h, h) for h, x in zip(f.hard, f.unknown[i]) if x}
    level_after = (0 if not failed <= set(crits) else 2 if unknown <= set(crits)
                   else 1 - RESERVED_DROP * ("availability" in unknown))
    v = s.features.values[i]
    gained = sum(s.weights[INDEX[c]] * (1.0 - v[INDEX[c]]) for c in crits[:-1])
    base = s.scores[i] + gained + FEASIBLE_BONUS * level_after
    j = INDEX[crits[-1]]
    need_last = v[j] + (threshold - base + EPS) / s.weights[j]
    if crits[-1] in s.feasibility.hard:
        need_last = max(need_last, 1.0)  # a known value below a hard need would block the site
    if need_last > 1.0 + 1e-12:
        return None
    targets = [1.0] * (len(cols) - 1) + [need_last]
    as_of = dt.date.fromisoformat(s.features.as_of)
    labour = s.features.inputs["labour_cost"][i]
    changes = {}
    for col, fv in zip(cols, targets):
        value = _value_for(col, fv, p, float(labour), as_of)
        if value is None:
            return None
        # round toward the safe side: more capacity, area, water; earlier readiness, lower price
        changes[col] = float(np.floor(value * 10) / 10) if col in ("readiness_months", "price_eur_per_m2") \
            else float(np.ceil(value * 10) / 10)
        if col == "area_ha" and area_problem(changes[col], s.candidates.site["area_ha_max"][i]):
            return None  # the offering as published cannot hold it (11 plots of at most 0.4 ha are no 30 ha)
    cid = str(s.candidates.ids[i])
    sc = Scenario(name=f"advice {cid}: " + ", ".join(cols), sites={cid: dict(changes)})
    after = score(p, apply(catalog, sc), scope=KAINUU, ranker=ranker)
    new_rank = after.rank_of(int(np.flatnonzero(after.candidates.ids.astype(str) == cid)[0]))
    if new_rank > target_rank:
        return None  # the closed form met a clip or a hard rule: not promised
    out_changes = []
    for col, value in changes.items():
        now = s.candidates.site[col][i]
        bound = _area_max(s, i) if col == "area_ha" else np.inf
        out_changes.append({"column": col, "criterion": ACTIONABLE[col][0], "unit": ACTIONABLE[col][1],
                            "now": None if np.isnan(now) else float(now), "needed": value,
                            "now_max": None if np.isinf(bound) else float(bound),
                            "change": None if np.isnan(now) else float(value - now)})
    first = out_changes[0] if len(out_changes) == 1 else {}
    return {**first, "changes": out_changes, "rank_after": new_rank, "scenario": sc.model_dump()}


def _area_max(s: Scored, i: int) -> float:
    """The site's stated upper bound on area (``area_ha_max``), inf where none is stated."""
    bound = float(s.candidates.site["area_ha_max"][i])
    return np.inf if np.isnan(bound) else bound


def _need(p: InvestorProfile, column: str) -> float | None:
    return {"grid_free_mw": p.power_mw, "area_ha": p.land_ha, "water_m3_per_day": p.water_m3_per_day}.get(column)


def _value_for(column: str, v: float, p: InvestorProfile, labour: float, as_of: Any) -> float | None:
    """The real-unit value that gives feature value ``v`` (inverse of features.py)."""
    v = float(np.clip(v, 0.0, 1.0))
    if column in ("grid_free_mw", "area_ha", "water_m3_per_day"):
        need = _need(p, column)
        return None if not need else v * need
    if column == "readiness_months":
        if not p.start_by:
            return None
        return max(0.0, months_until(p.start_by, as_of) + (1 - v) * READINESS_SLACK_MONTHS)
    if column == "price_eur_per_m2":
        ps = 2 * v - labour if not np.isnan(labour) else v  # cost = mean(price score, labour score)
        return None if not 0 <= ps <= 1 else (1 - ps) * PRICE_REF_EUR_M2
    return None


def advise(p: InvestorProfile, catalog: Catalog, candidate_id: str, target_rank: int, *,
           ranker: Ranker | None = None) -> dict[str, Any]:
    s = score(p, catalog, scope=KAINUU, ranker=ranker)
    ids = s.candidates.ids.astype(str)
    if candidate_id not in ids:
        raise ProfileError("candidate_id", f"no Kainuu offering {candidate_id!r}")
    if not 1 <= target_rank <= len(ids):
        raise ProfileError("target_rank", f"must be between 1 and {len(ids)}")
    i = int(np.flatnonzero(ids == candidate_id)[0])
    now = s.rank_of(i)
    result: dict[str, Any] = {"candidate_id": candidate_id, "profile": p.name, "rank_now": now,
                              "feasibility_now": s.feasibility.state(i), "target_rank": target_rank, "options": []}
    if now <= target_rank:
        result["note"] = "already in the target"
        return result
    key = rank_key(s.scores, s.feasibility.rank_level)
    others = np.sort(np.delete(key, i))[::-1]
    threshold = others[target_rank - 1]  # must beat the candidate now at rank K
    usable = [col for col, (crit, _) in ACTIONABLE.items() if s.weights[INDEX[crit]] > 0]
    for size in (1, 2):  # single changes first; pairs only when no single change is enough
        for cols in itertools.permutations(usable, size):
            if size == 2 and cols[0] > cols[1] and _is_full_pair(s, i, cols):
                continue  # both set to full: the same plan in either order
            option = _try(p, catalog, s, i, list(cols), threshold, target_rank, ranker)
            if option:
                result["options"].append(option)
        if result["options"]:
            break
    result["options"] = _undominated(result["options"])
    result["options"].sort(key=lambda o: (o["rank_after"], len(o["changes"])))
    if not result["options"]:
        result["note"] = "no single change or pair of changes in grid capacity, land, water, readiness or " \
                         "price reaches the target"
        # why, where a known fact blocks the site for this profile (the municipality can act on the reason:
        # another kind of site, a bigger area than the offering holds)
        result["blockers"] = [b.as_dict() for b in s.feasibility.blockers(i)]
    return result
