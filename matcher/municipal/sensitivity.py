"""How stable is a ranking when the weights vary within their uncertainty? Monte Carlo over
the weight distribution: "S02 first in 87 % of draws". An additive tree model has no weights, but
its score is a sum of exact per-criterion parts; varying how much each part counts is the same
question (for a linear model the part is value x weight, and a factor on the part is a factor on
the weight)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import ranking
from ..core.catalog import Catalog
from ..core.criteria import INDEX, KAINUU
from ..core.engine import score
from ..core.profile import InvestorProfile
from ..core.rankers import ExpertPriorRanker, Ranker

# The expert's weights are taken to be known within a factor of about 1.6 (lognormal,
# sigma 0.5); a trained model's card gives its own spread (weights across folds).
PRIOR_LOG_SIGMA = 0.5
CARD_SPREAD = "card spread"  # the result's weight_uncertainty when the card's spread is used
PARTS_SPREAD = f"parts, lognormal sigma {PRIOR_LOG_SIGMA:g}"  # ... when a tree's parts are varied
SEED = 20261127


def weight_draws(coef: np.ndarray, draws: int, rng: np.random.Generator,
                 std: np.ndarray | None = None) -> np.ndarray:
    """(draws, k) weight vectors around ``coef``: additive normal noise when a spread is
    known, multiplicative lognormal noise otherwise (weights keep their sign)."""
    if std is not None:
        return coef + rng.normal(size=(draws, len(coef))) * std
    return coef * np.exp(rng.normal(size=(draws, len(coef))) * PRIOR_LOG_SIGMA)


def sensitivity(p: InvestorProfile, catalog: Catalog, *, scope: str = KAINUU, ranker: Ranker | None = None,
                draws: int = 1000, top: int = 5, std: np.ndarray | None = None) -> dict[str, Any]:
    s = score(p, catalog, scope=scope, ranker=ranker)
    used = s.ranker or ExpertPriorRanker()  # what ranked: a tree, or the prior where the profile's weights replace it
    rng = np.random.default_rng(SEED)
    if used.additive:
        # the tree's own parts, each counted by a lognormal factor (the prior's spread: a tree's card has
        # none, and a given ``std`` is a spread of weights, which a tree does not have)
        factors = np.exp(rng.normal(size=(draws, s.contributions.shape[1])) * PRIOR_LOG_SIGMA)
        totals, how = s.contributions @ factors.T, PARTS_SPREAD
    else:
        std = std if std is not None else used.coef_std_
        W = weight_draws(s.weights, draws, rng, std)
        W = np.where(s.features.applicable, W, 0.0)
        W /= np.maximum(np.abs(W).sum(axis=1, keepdims=True), 1e-12)
        if p.weights:  # weights the investor gave are theirs: not varied
            for name in p.weights:
                W[:, INDEX[name]] = s.weights[INDEX[name]]
        totals, how = s.features.values @ W.T, CARD_SPREAD if std is not None else f"lognormal sigma {PRIOR_LOG_SIGMA}"
    key = ranking.rank_key(totals, s.feasibility.rank_level[:, None])  # (n, draws)
    ids = s.candidates.ids.astype(str)
    ranks = ranking.ranks(key, ids)
    out = []
    for pos, i in enumerate(s.order[:top], start=1):
        r = ranks[i]
        out.append({"candidate_id": str(ids[i]), "name": str(s.candidates.names[i]), "rank": pos,
                    "same_rank_share": float(np.mean(r == pos)), "first_share": float(np.mean(r == 1)),
                    f"top{top}_share": float(np.mean(r <= top)),
                    "rank_p5": float(np.percentile(r, 5)), "rank_p95": float(np.percentile(r, 95))})
    return {"profile": p.name, "draws": draws, "seed": SEED, "model_version": s.model_version,
            "weight_uncertainty": how,
            "results": out}
