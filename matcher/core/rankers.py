"""Rankers: turn a feature matrix into utilities. Linear, so contributions are exact.

Every ranker is a scikit-learn estimator: ``__init__`` only stores its parameters, ``fit``
returns self and never changes a parameter, learned attributes end in ``_`` (so ``clone`` and
``get_params`` work); ``tests/test_ranker_contract.py`` holds each of them to that."""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np
from sklearn.base import BaseEstimator

from .criteria import CRITERION_NAMES, PRIOR_WEIGHTS


class Ranker(BaseEstimator, ABC):
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
    additive: bool = False  # True: not linear; contributions come from the model itself (a tree)
    coef_std_: np.ndarray | None = None  # the weights' uncertainty (a trained model's fold spread), for sensitivity
    # Per recorded decision (case id): the rank its real choice got from this model when the model had not
    # seen the decision's project family (the model card's held-out record); None for the expert prior.
    track_record_: dict[str, float] | None = None

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
    """The expert prior weights (see ``criteria.py`` for the reason behind each), or the
    ``weights`` given. Nothing to learn: usable unfitted, and ``fit`` changes nothing."""

    version = "expert-prior-1"

    def __init__(self, weights: np.ndarray | None = None):
        self.weights = weights

    def fit(self, X: np.ndarray, y: np.ndarray, *, groups: np.ndarray | None = None) -> "ExpertPriorRanker":
        """Kept so the prior is a drop-in baseline wherever a ranker is fitted."""
        return self

    @property
    def coef_(self) -> np.ndarray:  # type: ignore[override]
        return np.asarray(PRIOR_WEIGHTS if self.weights is None else self.weights, dtype=float)
