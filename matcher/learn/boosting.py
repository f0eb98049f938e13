"""The learning-to-rank competitor: gradient-boosted trees on the same pair features, pointwise
(chosen vs not, classes balanced), constrained to **no feature interactions**.

Every tree then splits on one criterion only, so the model is additive (a GAM):
``f(x) = b + sum_j g_j(x_j)``. That makes the per-criterion decomposition exact, not approximate:
``g_j(x_j) - g_j(r_j) = f(x) - f(x with x_j := r_j)`` for a reference row ``r`` (all zeros: the
worst value of every criterion), and these parts add up to ``f(x) - f(r)``, the score this ranker
reports. So if it ever ranks, each explanation still adds up to the score.

scikit-learn estimator conventions: parameters in ``__init__``, learned attributes end in ``_``,
``fit`` returns self, ``get_params``/``set_params`` from ``BaseEstimator``.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import threadpool_limits

SEED = 20260101


class AdditiveBoostingRanker(BaseEstimator):
    def __init__(self, max_iter: int = 100, learning_rate: float = 0.1, max_leaf_nodes: int = 8,
                 min_samples_leaf: int = 20, l2_regularization: float = 0.0, negatives_per_case: int | None = 100,
                 random_state: int = SEED):
        self.max_iter = max_iter
        self.negatives_per_case = negatives_per_case
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.random_state = random_state

    def fit(self, X: np.ndarray, y: np.ndarray, *, groups: np.ndarray | None = None) -> AdditiveBoostingRanker:
        """Pointwise: chosen vs not, classes balanced. With ``groups`` (the case of each row), at most
        ``negatives_per_case`` unchosen rows per case are drawn (seeded): every case then weighs the
        same whatever its candidate count, and the fit is several times faster."""
        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=bool)
        if groups is not None and self.negatives_per_case:
            rng = np.random.default_rng(self.random_state)
            keep = y.copy()
            for g in np.unique(groups):
                neg = np.flatnonzero((groups == g) & ~y)
                keep[rng.choice(neg, min(len(neg), self.negatives_per_case), replace=False)] = True
            X, y = X[keep], y[keep]
        with threadpool_limits(1):  # OpenMP threads only contend on a small shared machine
            self.model_ = HistGradientBoostingClassifier(
                max_iter=self.max_iter, learning_rate=self.learning_rate, max_leaf_nodes=self.max_leaf_nodes,
                min_samples_leaf=self.min_samples_leaf, l2_regularization=self.l2_regularization,
                interaction_cst="no_interactions", class_weight="balanced", early_stopping=False,
                random_state=self.random_state).fit(X, y)
        self.n_features_in_ = X.shape[1]
        self.reference_ = np.zeros(X.shape[1])
        self.offset_ = float(self.model_.decision_function(self.reference_[None, :])[0])
        return self

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """Log-odds of being chosen, relative to the reference row (so the parts below add up to it)."""
        with threadpool_limits(1):
            return self.model_.decision_function(np.asarray(X, dtype=float)) - self.offset_

    def contributions(self, X: np.ndarray) -> np.ndarray:
        """(n, k) exact per-criterion parts: row sums equal ``decision_function``."""
        X = np.asarray(X, dtype=float)
        n, k = X.shape
        Z = np.repeat(X[None, :, :], k, axis=0)
        Z[np.arange(k), :, np.arange(k)] = self.reference_[:, None]
        with threadpool_limits(1):
            full = self.model_.decision_function(X)
            without = self.model_.decision_function(Z.reshape(k * n, k)).reshape(k, n).T
        return full[:, None] - without
