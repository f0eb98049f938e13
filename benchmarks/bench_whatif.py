"""What-if sweep: 100 scenarios x 20 profiles, our row-wise sweep vs the straightforward path
(rebuild the catalog per scenario and rank every profile twice). Target: under 1 s.

Run: ``python benchmarks/bench_whatif.py``. Scenarios are drawn with a fixed seed: free grid
capacity, area, water and readiness set on 1-3 random Kainuu offerings. Profiles: the 13
bundled archetypes plus 7 variants of them with other power and job needs. Both paths must
give the same ranks, scores, feasibility and choice shares (checked here)."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matcher import Catalog  # noqa: E402
from matcher.learn.model_store import load_best_ranker  # noqa: E402
from matcher.municipal.whatif import Scenario, evaluate, portfolio, sweep  # noqa: E402

N_SCENARIOS, N_PROFILES, SEED = 100, 20, 7


def scenarios(catalog: Catalog, rng: np.random.Generator) -> list[Scenario]:
    ids = list(catalog.candidates("kainuu").ids)
    out = []
    for k in range(N_SCENARIOS):
        changes = {}
        for sid in rng.choice(ids, size=int(rng.integers(1, 4)), replace=False):
            col = str(rng.choice(["grid_free_mw", "area_ha", "water_m3_per_day", "readiness_months"]))
            changes[str(sid)] = {col: float(np.round(rng.uniform(1, 120), 1))}
        out.append(Scenario(name=f"scenario {k}", sites=changes))
    return out


def profiles(rng: np.random.Generator) -> list:
    base = portfolio(ROOT / "examples")
    extra = []
    for k in range(N_PROFILES - len(base)):
        p = base[k % len(base)]
        extra.append(p.model_copy(update={"name": f"{p.name} variant {k}",
                                          "power_mw": float(rng.uniform(1, 100)), "jobs": int(rng.integers(5, 400))}))
    return base + extra


def main() -> None:
    rng = np.random.default_rng(SEED)
    catalog, ranker = Catalog.load(), load_best_ranker()
    scs, profs = scenarios(catalog, rng), profiles(rng)
    sweep(catalog, scs[:2], profs[:2], ranker)  # warm-up
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        fast = sweep(catalog, scs, profs, ranker)
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    slow = [evaluate(s, catalog, profs, ranker) for s in scs]
    t_slow = time.perf_counter() - t0
    flat = {(x["scenario"], x["profile"], x["candidate_id"]): x["after"] for x in fast}
    same = all(flat[(e["scenario"], p["profile"], c["candidate_id"])] == c["after"]
               for e in slow for p in e["profiles"] for c in p["candidates"])
    print(f"{N_SCENARIOS} scenarios x {len(profs)} profiles = {len(fast)} (scenario, profile, site) answers")
    print(f"{'method':<52}{'seconds':>10}")
    print(f"{'sweep (changed rows only), median of 5':<52}{statistics.median(times):>10.3f}")
    print(f"{'evaluate per scenario (catalog rebuilt), 1 run':<52}{t_slow:>10.3f}")
    print(f"same answers: {same}; target under 1 s: {'met' if statistics.median(times) < 1 else 'NOT met'}")


if __name__ == "__main__":
    main()
