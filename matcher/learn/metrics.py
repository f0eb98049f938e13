"""Ranking metrics for choice cases, on plain numpy: one case = scores of its candidates and
a mask of the chosen ones (a decision with several sites has several)."""

from __future__ import annotations

from math import comb

import numpy as np


def rank_of_choice(scores: np.ndarray, chosen: np.ndarray) -> float:
    """1-based rank of the best-placed chosen candidate. Ties with unchosen candidates
    count half (the expected rank under a random tie-break)."""
    best = scores[chosen].max()
    others = scores[~chosen]
    return 1.0 + float((others > best).sum()) + 0.5 * float((others == best).sum())


def ndcg(scores: np.ndarray, chosen: np.ndarray, k: int | None = None) -> float:
    """Normalised discounted cumulative gain with binary relevance (chosen = 1), ties broken
    by candidate order as sklearn's ``ndcg_score`` does with ``ignore_ties=True``."""
    order = np.argsort(-scores, kind="stable")
    rel = chosen[order].astype(float)
    k = len(rel) if k is None else min(k, len(rel))
    disc = 1.0 / np.log2(np.arange(2, k + 2))
    dcg = float((rel[:k] * disc).sum())
    ideal = float(disc[: min(int(chosen.sum()), k)].sum())
    return dcg / ideal if ideal > 0 else 0.0


def summary(ranks: np.ndarray, ndcgs: np.ndarray, ks: tuple[int, ...] = (1, 5, 10)) -> dict[str, float]:
    out = {"cases": float(len(ranks)), "median_rank": float(np.median(ranks)), "mrr": float(np.mean(1.0 / ranks))}
    out.update({f"hit@{k}": float(np.mean(ranks <= k)) for k in ks})
    out["ndcg"] = float(np.mean(ndcgs))
    return out


def random_expectation(n: int, m: int, ks: tuple[int, ...] = (1, 5, 10)) -> dict[str, float]:
    """Exact expected metrics of a uniformly random order for one case of ``n`` candidates
    with ``m`` chosen: P(best chosen at rank r) = C(n-r, m-1) / C(n, m)."""
    total = comb(n, m)
    p = np.array([comb(n - r, m - 1) / total for r in range(1, n - m + 2)])
    r = np.arange(1, n - m + 2)
    cdf = np.cumsum(p)
    median = float(r[np.searchsorted(cdf, 0.5)])
    out = {"median_rank": median, "mrr": float((p / r).sum()), "expected_rank": float((p * r).sum())}
    out.update({f"hit@{k}": float(p[:k].sum()) for k in ks})
    # NDCG: every chosen item's gain at a uniformly random position
    disc = 1.0 / np.log2(np.arange(2, n + 2))
    ideal = disc[:m].sum()
    out["ndcg"] = float(m * disc.mean() / ideal)
    return out
