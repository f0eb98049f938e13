"""Advice: the smallest change, in a feature a municipality can act on, that lifts a site
into the top K for a profile. The utility is linear, so the needed feature value is
closed-form; each answer is then applied as a what-if and kept only if it delivers."""

from __future__ import annotations

from typing import Any

import numpy as np

from .catalog import Catalog
from .criteria import INDEX, KAINUU
from .engine import FEASIBLE_BONUS, rank_key, score
from .features import PRICE_REF_EUR_M2, READINESS_SLACK_MONTHS, months_until
from .profile import InvestorProfile, ProfileError
from .rankers import Ranker
from .whatif import Scenario, apply

# feature the municipality controls -> (criterion, unit)
ACTIONABLE = {
    "grid_free_mw": ("power", "MW"), "area_ha": ("land", "ha"), "water_m3_per_day": ("water", "m3/day"),
    "readiness_months": ("readiness", "months"), "price_eur_per_m2": ("cost", "EUR/m2"),
}
EPS = 1e-9


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
                              "target_rank": target_rank, "options": []}
    if now <= target_rank:
        result["note"] = "already in the target"
        return result
    key = rank_key(s.scores, s.feasibility.feasible)
    others = np.sort(np.delete(key, i))[::-1]
    threshold = others[target_rank - 1]  # must beat the candidate now at rank K
    labour_score = s.features.raw[i, INDEX["cost"]]  # refined below for price
    as_of = __import__("datetime").date.fromisoformat(s.features.as_of)
    for column, (crit, unit) in ACTIONABLE.items():
        j = INDEX[crit]
        w = s.weights[j]
        if w <= 0:
            continue
        blocked = crit in s.feasibility.hard and s.feasibility.failed[i, s.feasibility.hard.index(crit)]
        others_block = s.feasibility.failed[i].sum() - int(blocked)
        feasible_after = bool(s.feasibility.feasible[i]) or (blocked and others_block == 0)
        base = s.scores[i] + (FEASIBLE_BONUS if feasible_after else 0.0)
        need_v = s.features.values[i, j] + (threshold - base + EPS) / w
        if crit in s.feasibility.hard:
            need_v = max(need_v, 1.0)  # a known value below a hard need would block the site
        if need_v > 1.0 + 1e-12:
            continue  # this feature alone cannot do it
        if column == "price_eur_per_m2":
            lab = catalog.candidates(KAINUU).mun["median_income_eur"][i]
            from .features import INCOME_HI, INCOME_LO

            labour_score = 1 - np.clip((lab - INCOME_LO) / (INCOME_HI - INCOME_LO), 0, 1)
        value = _value_for(column, need_v, p, labour_score, as_of)
        if value is None:
            continue
        value = float(np.ceil(value * 10) / 10) if column != "readiness_months" and column != "price_eur_per_m2" \
            else float(np.floor(value * 10) / 10)
        current = s.candidates.site[column][i]
        sc = Scenario(name=f"advice {candidate_id} {column}", sites={candidate_id: {column: value}})
        after = score(p, apply(catalog, sc), scope=KAINUU, ranker=ranker)
        new_rank = after.rank_of(int(np.flatnonzero(after.candidates.ids.astype(str) == candidate_id)[0]))
        if new_rank > target_rank:
            continue  # the closed form met a clip or a hard rule: not promised
        result["options"].append({
            "column": column, "criterion": crit, "unit": unit,
            "now": None if np.isnan(current) else float(current), "needed": value,
            "change": None if np.isnan(current) else float(value - current),
            "rank_after": new_rank, "scenario": sc.model_dump()})
    result["options"].sort(key=lambda o: o["rank_after"])
    if not result["options"]:
        result["note"] = "no single actionable change reaches the target; combinations are not searched yet"
    return result
