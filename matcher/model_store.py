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
from typing import Any

import numpy as np

from .criteria import CRITERION_NAMES
from .paths import MODELS_DIR
from .rankers import ExpertPriorRanker, Ranker

log = logging.getLogger(__name__)
WEIGHTS = "weights.json"
CARD = "model_card.json"
TREE_FILE = "model.joblib"  # a tree model (joblib pickle): unpickled only after its sha256 matches the card
TREE_KIND = "additive_boosting"


class LinearRanker(Ranker):
    """Fixed weights loaded from a model file (the engine's view of a trained linear model)."""

    def __init__(self, coef: np.ndarray, version: str, temperature: float, scopes: tuple[str, ...] = ()):
        self.coef_ = np.asarray(coef, dtype=float)
        self.version = version
        self.temperature_ = temperature
        self.scopes = scopes

    def for_scope(self, scope: str) -> Ranker:
        """A model learned from choices among municipalities says nothing about site-level
        criteria: outside the scopes it was trained for, the expert prior ranks."""
        return self if not self.scopes or scope in self.scopes else ExpertPriorRanker()

    def fit(self, X: np.ndarray, y: np.ndarray, *, groups: np.ndarray | None = None) -> LinearRanker:
        """A loaded model keeps the weights its card vouches for (as the prior does); new
        weights come from `kainuu-match train`, with a new card."""
        return self


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
    """A loaded additive boosted-tree model (``boosting.AdditiveBoostingRanker``). Its per-criterion
    contributions are exact (the model has no feature interactions), so explanations add up."""

    additive = True

    def __init__(self, model: Any, version: str, scopes: tuple[str, ...] = ()):
        self.model = model
        self.version = version
        self.scopes = scopes
        self.coef_ = np.zeros(len(CRITERION_NAMES))  # not a linear model: see ``contributions``

    def for_scope(self, scope: str) -> Ranker:
        return self if not self.scopes or scope in self.scopes else ExpertPriorRanker()

    def fit(self, X: np.ndarray, y: np.ndarray, *, groups: np.ndarray | None = None) -> TreeRanker:
        return self

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        return self.model.decision_function(X)

    def contributions(self, X: np.ndarray) -> np.ndarray:
        return self.model.contributions(X)


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
    return TreeRanker(model, f"{card['name']}-{card['version']}", tuple(card.get("scopes") or ()))


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
    ranker = LinearRanker(coef, f"{card['name']}-{card['version']}", float(w["temperature"]),
                          tuple(card.get("scopes") or ()))
    spread = (card.get("weights_across_folds") or {}).get("std")
    if spread and len(spread) == len(CRITERION_NAMES):
        ranker.coef_std_ = np.asarray(spread, dtype=float)  # the weights' uncertainty, for sensitivity
    return ranker


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
