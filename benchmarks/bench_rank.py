"""Ranking speed: our engine vs TOPSIS (scikit-criteria, pymcdm) and a plain numpy weighted sum.

Run: ``make bench`` (installs the ``bench`` extras). Prints one table; every figure comes from
this run. Two parts:
1. the real engine (features, feasibility, utility, explanations of the top 10) on the bundled
   catalog, one example profile, both scopes;
2. the ranking step alone on a synthetic 100,000-site x 30-criteria matrix (the same matrix for
   every method): our utility + partial top-k (``matcher.core.ranking.top_k``, the engine's one ranking rule) vs a numpy weighted sum
   with a full sort vs TOPSIS from each library. Our top-k must equal the weighted sum's.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matcher import Catalog, load_profile, rank  # noqa: E402
from matcher.core.ranking import rank_key, top_k  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
N_SITES, N_CRIT, TOP = 100_000, 30, 10


def timed(fn, reps: int) -> tuple[float, object]:
    out, times = None, []
    for _ in range(reps):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000, out


def main() -> None:
    rows: list[tuple[str, str, float, str]] = []
    cat = Catalog.load(ROOT / "data")
    p = load_profile(ROOT / "examples" / "data_centre.json")
    for scope in ("kainuu", "finland"):
        rank(p, cat, scope=scope, top=TOP)  # warm caches (catalog arrays are built once at load)
        ms, r = timed(lambda: rank(p, cat, scope=scope, top=TOP), 50)
        rows.append((f"bundled {scope} ({r.candidates_total} candidates)", "kainuu-match rank (full pipe)",
                     ms, "top-10 with explanations"))

    rng = np.random.default_rng(42)
    X = rng.random((N_SITES, N_CRIT))
    w = rng.random(N_CRIT)
    w /= w.sum()
    feasible = rng.random(N_SITES) > 0.1
    ids = np.arange(N_SITES)  # the tie-break the engine uses (site ids); distinct keys make it moot here

    def ours():
        return top_k(rank_key(X @ w, feasible), ids, TOP)

    def numpy_sum():
        s = np.where(feasible, (X * w).sum(axis=1), -np.inf)
        return np.argsort(-s, kind="stable")[:TOP]

    ms_ours, idx_ours = timed(ours, 200)
    ms_np, idx_np = timed(numpy_sum, 20)
    same = set(idx_ours.tolist()) == set(idx_np.tolist())
    label = f"synthetic {N_SITES:,} x {N_CRIT}"
    rows.append((label, "ours: X@w + argpartition top-k", ms_ours, f"top-{TOP} equals weighted sum: {same}"))
    rows.append((label, "numpy weighted sum + full sort", ms_np, ""))
    peers = [ms_np]  # first entry: numpy; the rest: the MCDM libraries

    feas_idx = np.flatnonzero(feasible)

    def skc_topsis():
        import skcriteria as skc
        from skcriteria.agg.similarity import TOPSIS

        dm = skc.mkdm(X[feas_idx], [max] * N_CRIT, weights=w)
        return feas_idx[np.argsort(-TOPSIS().evaluate(dm).e_.similarity)[:TOP]]

    def pm_topsis():
        from pymcdm.methods import TOPSIS

        return feas_idx[np.argsort(-TOPSIS()(X[feas_idx], w, np.ones(N_CRIT)))[:TOP]]

    for method, fn in (("scikit-criteria TOPSIS", skc_topsis), ("pymcdm TOPSIS", pm_topsis)):
        try:
            ms, idx = timed(fn, 3)
        except ImportError:
            rows.append((label, method, float("nan"), "not installed (pip install -e '.[bench]')"))
            continue
        peers.append(ms)
        overlap = len(set(idx.tolist()) & set(idx_ours.tolist()))
        rows.append((label, method, ms, f"top-{TOP} overlap with ours: {overlap}/{TOP}"))

    print(f"{'catalog':<34} {'method':<34} {'ms/profile':>10}  note")
    for cat_label, method, ms, note in rows:
        print(f"{cat_label:<34} {method:<34} {ms:>10.3f}  {note}")
    libs = peers[1:]
    print(f"\nours at {N_SITES:,} sites: {ms_ours:.3f} ms per profile (target < 5 ms)")
    if libs:
        print(f"fastest MCDM library {min(libs):.1f} ms -> ours {min(libs) / ms_ours:.0f}x faster (target >= 20x)")
    print(f"plain numpy weighted sum with full sort {ms_np:.2f} ms -> ours {ms_np / ms_ours:.1f}x faster")


if __name__ == "__main__":
    main()
