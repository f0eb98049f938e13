"""Where the engine gets its ranker: the newest trained model that passes its card's checks,
else the expert prior. (Training arrives with the learning issue; until a model exists the
prior is used.)"""

from __future__ import annotations

from .rankers import ExpertPriorRanker, Ranker


def load_best_ranker() -> Ranker:
    return ExpertPriorRanker()
