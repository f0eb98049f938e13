"""Trained models on disk: ``models/<name>/<version>/`` with ``weights.json`` and
``model_card.json``. The engine loads the newest adopted model whose files match its
card (sha256, feature list); anything else is refused with a message, and the expert
prior is used."""

from __future__ import annotations

import hashlib
import json
import logging
import platform
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from ..core.criteria import CRITERION_NAMES
from ..core.paths import MODELS_DIR
from ..core.rankers import ExpertPriorRanker, Ranker

R = TypeVar("R", bound=Ranker)

log = logging.getLogger(__name__)
WEIGHTS = "weights.json"
CARD = "model_card.json"
TREE_FILE = "model.joblib"  # a tree model (joblib pickle): unpickled only after its sha256 matches the card
TREE_KIND = "additive_boosting"


class LinearRanker(Ranker):
    """Fixed weights vouched for by a model card (the engine's view of a trained linear model).
    ``from_card`` checks the card and returns it fitted; ``fit`` only turns the parameters into
    the learned attributes (new weights come from `kainuu-match train`, with a new card)."""

    def __init__(self, coef: np.ndarray | None = None, version: str = "linear", temperature: float = 10.0,
                 scopes: tuple[str, ...] = (), coef_std: np.ndarray | None = None):
        self.coef = coef
        self.version = version
        self.temperature = temperature
        self.scopes = scopes
        self.coef_std = coef_std

    @classmethod
    def from_card(cls, folder: Path) -> LinearRanker:
        """The model in ``folder``, after its card's checks (ModelRefused says which failed)."""
        ranker = load(folder)
        if not isinstance(ranker, LinearRanker):
            raise ModelRefused(f"{folder}: not a linear model")
        return ranker

    def fit(self, X: np.ndarray | None = None, y: np.ndarray | None = None, *,
            groups: np.ndarray | None = None) -> LinearRanker:
        if self.coef is None:
            raise ValueError("coef: a linear ranker needs its weights (see LinearRanker.from_card)")
        coef = np.asarray(self.coef, dtype=float)
        if coef.shape != (len(CRITERION_NAMES),) or not np.isfinite(coef).all():
            raise ValueError(f"coef: {len(CRITERION_NAMES)} finite weights expected")
        self.coef_ = coef
        self.temperature_ = float(self.temperature)
        self.coef_std_ = None if self.coef_std is None else np.asarray(self.coef_std, dtype=float)
        return self

    def for_scope(self, scope: str) -> Ranker:
        """A model learned from choices among municipalities says nothing about site-level
        criteria: outside the scopes it was trained for, the expert prior ranks."""
        return self if not self.scopes or scope in self.scopes else ExpertPriorRanker()


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def library_versions() -> dict[str, str]:
    import pandas
    import scipy
    import sklearn

    return {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
            "scikit-learn": sklearn.__version__, "pandas": pandas.__version__}


def save(folder: Path, coef: np.ndarray, temperature: float, card: dict[str, Any]) -> Path:
    """Write weights (JSON) and the card with the weights' sha256. Byte-identical for the
    same training data and parameters."""
    folder.mkdir(parents=True, exist_ok=True)
    weights = {"criteria": list(CRITERION_NAMES), "coef": [round(float(x), 12) for x in coef],
               "temperature": round(float(temperature), 12)}
    (folder / WEIGHTS).write_text(json.dumps(weights, indent=2) + "\n")
    card = {**card, "files": {WEIGHTS: sha256_of(folder / WEIGHTS)}, "features": list(CRITERION_NAMES)}
    (folder / CARD).write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n")
    return folder


class ModelRefused(ValueError):
    pass


class TreeRanker(Ranker):
    """An additive boosted-tree model (``boosting.AdditiveBoostingRanker``) as a ranker. Loaded from a
    card, ``model`` is already fitted and ``fit`` keeps it (the card's model ranks); given an unfitted
    model (e.g. after ``clone``), ``fit`` fits a copy, as scikit-learn's meta-estimators do. Its
    per-criterion contributions are exact (no feature interactions), so explanations add up."""

    additive = True

    def __init__(self, model: Any = None, version: str = "tree", scopes: tuple[str, ...] = ()):
        self.model = model
        self.version = version
        self.scopes = scopes

    @property
    def coef_(self) -> np.ndarray:  # type: ignore[override]
        return np.zeros(len(CRITERION_NAMES))  # not a linear model: see ``contributions``

    def for_scope(self, scope: str) -> Ranker:
        return self if not self.scopes or scope in self.scopes else ExpertPriorRanker()

    def fit(self, X: np.ndarray | None = None, y: np.ndarray | None = None, *,
            groups: np.ndarray | None = None) -> TreeRanker:
        from sklearn.base import clone
        from sklearn.exceptions import NotFittedError
        from sklearn.utils.validation import check_is_fitted

        if self.model is None:
            raise ValueError("model: a tree ranker needs its model (see model_store.load)")
        try:
            check_is_fitted(self.model)
            self.model_ = self.model
        except NotFittedError:
            if X is None or y is None:
                raise ValueError("X, y: an unfitted tree model needs data to fit") from None
            self.model_ = clone(self.model).fit(X, y, groups=groups)
        return self

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        return self.model_.decision_function(X)

    def contributions(self, X: np.ndarray) -> np.ndarray:
        return self.model_.contributions(X)


def save_tree(folder: Path, model: Any, card: dict[str, Any]) -> Path:
    """Write the tree model with joblib and its card carrying the file's sha256."""
    import joblib

    folder.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, folder / TREE_FILE)
    card = {**card, "kind": TREE_KIND, "files": {TREE_FILE: sha256_of(folder / TREE_FILE)},
            "features": list(CRITERION_NAMES)}
    (folder / CARD).write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n")
    return folder


def load_tree(folder: Path, card: dict[str, Any]) -> TreeRanker:
    """The tree model, only when the file is the one the card vouches for: the sha256 is checked
    before unpickling (a pickle runs code when loaded), then the feature list and the shape."""
    expected = (card.get("files") or {}).get(TREE_FILE)
    path = folder / TREE_FILE
    if not expected or not path.exists() or sha256_of(path) != expected:
        raise ModelRefused(f"{path}: sha256 does not match the model card (changed or missing)")
    if card.get("features") != list(CRITERION_NAMES):
        raise ModelRefused(f"{folder}: the card's feature list differs from this engine's criteria")
    import joblib

    model = joblib.load(path)
    if getattr(model, "n_features_in_", None) != len(CRITERION_NAMES):
        raise ModelRefused(f"{path}: the model does not take this engine's {len(CRITERION_NAMES)} criteria")
    return with_record(TreeRanker(model, f"{card['name']}-{card['version']}", tuple(card.get("scopes") or ())).fit(),
                       card)


def with_record(ranker: R, card: dict[str, Any]) -> R:
    """The card's held-out record (``held_out_ranks``: case id -> rank of the real choice), so a
    ranking can say how this model did on decisions of the profile's industry."""
    record = card.get("held_out_ranks")
    if isinstance(record, dict):
        ranker.track_record_ = {str(k): float(v) for k, v in record.items()}
    return ranker


def load(folder: Path) -> Ranker:
    """One model, after its card's checks; ModelRefused says which check failed."""
    try:
        card = json.loads((folder / CARD).read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelRefused(f"{folder}: model card unreadable ({exc})") from None
    if card.get("kind") == TREE_KIND:
        return load_tree(folder, card)
    expected = (card.get("files") or {}).get(WEIGHTS)
    if not expected or not (folder / WEIGHTS).exists() or sha256_of(folder / WEIGHTS) != expected:
        raise ModelRefused(f"{folder / WEIGHTS}: sha256 does not match the model card (changed or missing)")
    if card.get("features") != list(CRITERION_NAMES):
        raise ModelRefused(f"{folder}: the card's feature list differs from this engine's criteria")
    w = json.loads((folder / WEIGHTS).read_text())
    coef = np.asarray(w["coef"], dtype=float)
    if w.get("criteria") != list(CRITERION_NAMES) or coef.shape != (len(CRITERION_NAMES),) \
            or not np.isfinite(coef).all():
        raise ModelRefused(f"{folder / WEIGHTS}: weights do not fit the criteria")
    spread = (card.get("weights_across_folds") or {}).get("std")
    return with_record(LinearRanker(coef, f"{card['name']}-{card['version']}", float(w["temperature"]),
                                    tuple(card.get("scopes") or ()),
                                    spread if spread and len(spread) == len(CRITERION_NAMES) else None).fit(), card)


def cards(models_dir: Path = MODELS_DIR) -> list[tuple[Path, dict[str, Any]]]:
    out = []
    for path in sorted(models_dir.glob(f"*/*/{CARD}")):
        try:
            out.append((path.parent, json.loads(path.read_text())))
        except (OSError, json.JSONDecodeError):
            out.append((path.parent, {}))
    return sorted(out, key=lambda pc: str(pc[1].get("trained_at", "")), reverse=True)


def load_best_ranker(models_dir: Path = MODELS_DIR) -> Ranker:
    """The newest adopted model that passes its checks; else the expert prior."""
    for folder, card in cards(models_dir):
        if not card.get("adopted"):
            continue
        try:
            return load(folder)
        except ModelRefused as exc:
            log.warning("model refused, trying the next: %s", exc)
    return ExpertPriorRanker()
