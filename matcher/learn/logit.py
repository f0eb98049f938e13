"""The conditional logit of location choice (McFadden): utility linear in the features,
choice probability a softmax within each case's candidate set. An L2 penalty pulls the
weights toward the expert prior (scaled to the data), so few cases cannot wreck it. Every weight is
at least 0: each criterion is defined so that more is better (``criteria.py``), so a criterion may
help or count for nothing, never lower a place's score (unbounded, the fit gave rail and port access
and a nearby university negative weights, printed as reasons against a town; the trees are monotone
for the same reason)."""

from __future__ import annotations

import warnings

import numpy as np
from scipy.optimize import minimize, minimize_scalar
from sklearn.exceptions import ConvergenceWarning

from ..core.criteria import INDEX, PRIOR_WEIGHTS
from ..core.rankers import Ranker

# "In Kainuu" is held at the prior: the decisions were collected for Kainuu, so a learned
# weight would measure how the cases were gathered, not what investors prefer.
FROZEN = ("strategic_priority",)


def _case_starts(groups: np.ndarray) -> np.ndarray:
    if np.any(np.diff(groups) < 0):
        raise ValueError("groups: rows of one case must be contiguous and in order")
    return np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])


def neg_log_likelihood(w: np.ndarray, X: np.ndarray, y: np.ndarray, starts: np.ndarray,
                       ) -> tuple[float, np.ndarray]:
    """-log L and its gradient. A case with several chosen candidates counts the
    probability that the choice fell on any of them."""
    u = X @ w
    umax = np.maximum.reduceat(u, starts)
    n_per = np.diff(np.r_[starts, len(u)])
    e = np.exp(u - np.repeat(umax, n_per))
    z_all = np.add.reduceat(e, starts)
    z_ch = np.add.reduceat(e * y, starts)
    nll = -float(np.sum(np.log(z_ch) - np.log(z_all)))
    p = e / np.repeat(z_all, n_per)
    q = e * y / np.repeat(z_ch, n_per)
    grad = -(X.T @ (q - p))
    return nll, grad


class ConditionalLogitRanker(Ranker):
    """sklearn-style: ``fit(X, y, groups)`` with ``groups`` the case index of each row.

    ``coef_`` is normalised to sum |w| = 1 (read like the prior); ``temperature_`` is the
    scale the data chose (utilities = temperature_ * X @ coef_), used for choice shares.
    """

    def __init__(self, l2: float = 1.0, prior: np.ndarray | None = None, frozen: tuple[str, ...] = FROZEN,
                 version: str = "clogit", nonnegative: bool = True):
        self.l2 = l2
        self.nonnegative = nonnegative
        self.prior = prior
        self.frozen = frozen
        self.version = version

    def fit(self, X: np.ndarray, y: np.ndarray, *, groups: np.ndarray | None = None) -> ConditionalLogitRanker:
        if groups is None:
            raise ValueError("groups: the case index of each row is required")
        X, y = np.asarray(X, float), np.asarray(y, float)
        starts = _case_starts(np.asarray(groups))
        prior = PRIOR_WEIGHTS if self.prior is None else np.asarray(self.prior, dtype=float)
        self.prior_ = prior
        # 1. the prior's own scale: how sharp choices are if the prior weights were right
        res = minimize_scalar(lambda t: neg_log_likelihood(t * prior, X, y, starts)[0],
                              bounds=(0.0, 500.0), method="bounded")
        self.prior_temperature_ = float(res.x)
        anchor = self.prior_temperature_ * prior
        free = np.array([n not in self.frozen for n in INDEX], dtype=bool)

        def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
            w = anchor.copy()
            w[free] = theta
            nll, g = neg_log_likelihood(w, X, y, starts)
            d = theta - anchor[free]
            return nll + 0.5 * self.l2 * float(d @ d), g[free] + self.l2 * d

        bounds = [(0.0, None)] * int(free.sum()) if self.nonnegative else None
        opt = minimize(objective, np.maximum(anchor[free], 0.0) if self.nonnegative else anchor[free], jac=True,
                       method="L-BFGS-B", bounds=bounds, options={"maxiter": 500})
        w = anchor.copy()
        w[free] = opt.x
        self.raw_coef_ = w
        self.temperature_ = float(np.abs(w).sum())
        self.coef_ = w / self.temperature_ if self.temperature_ > 0 else w
        self.n_iter_ = int(opt.nit)
        self.converged_ = bool(opt.success)
        if not self.converged_:
            warnings.warn(f"conditional logit did not converge ({opt.message}); its weights are the last "
                          "iterate", ConvergenceWarning, stacklevel=2)
        self.train_nll_ = float(neg_log_likelihood(w, X, y, starts)[0])
        return self
