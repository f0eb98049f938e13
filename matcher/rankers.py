"""Rankers: turn a feature matrix into utilities. Linear, so contributions are exact."""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from .criteria import CRITERION_NAMES, PRIOR_WEIGHTS


class Ranker(ABC):
    """sklearn-style contract: ``fit(X, y, groups=...)`` returns self; learned attributes end in ``_``.

    ``coef_`` (one weight per criterion, in ``CRITERION_NAMES`` order) is what the engine
    uses; per-profile weights and applicability are applied on top of it.
    """

    coef_: np.ndarray
    feature_names_in_: tuple[str, ...] = CRITERION_NAMES
    version: str = "unversioned"
    # Sharpness of choice shares (softmax of temperature_ x score). A trained model carries the
    # scale its data chose; the prior's is a stated assumption.
    temperature_: float = 10.0

    @abstractmethod
    def fit(self, X: np.ndarray, y: np.ndarray, *, groups: np.ndarray | None = None) -> "Ranker": ...

    def for_scope(self, scope: str) -> Ranker:
        """The ranker to use for ``scope``: itself, unless it was not trained for it."""
        return self

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        return X @ self.coef_

    def contributions(self, X: np.ndarray) -> np.ndarray:
        """Per-criterion parts of the utility; rows add up to ``decision_function``."""
        return X * self.coef_


class ExpertPriorRanker(Ranker):
    """The expert prior weights (see ``criteria.py`` for the reason behind each)."""

    version = "expert-prior-1"

    def __init__(self, weights: np.ndarray | None = None):
        self.weights = weights

    def fit(self, X: np.ndarray, y: np.ndarray, *, groups: np.ndarray | None = None) -> "ExpertPriorRanker":
        """Nothing to learn: the prior is the model. Kept so it is a drop-in baseline."""
        self.coef_ = np.asarray(PRIOR_WEIGHTS if self.weights is None else self.weights, dtype=float)
        return self

    @property
    def coef_(self) -> np.ndarray:  # type: ignore[override]
        return np.asarray(PRIOR_WEIGHTS if self.weights is None else self.weights, dtype=float)

    @coef_.setter
    def coef_(self, value: np.ndarray) -> None:
        self.weights = value
