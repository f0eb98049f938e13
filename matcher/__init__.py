"""Kainuu investor-matching engine: match an investor profile to the region's sites."""

from .core.catalog import Candidates, Catalog
from .core.criteria import CRITERION_NAMES, FINLAND, KAINUU, PRIOR_WEIGHTS
from .core.engine import Match, Ranking, Scored, explain, rank, score
from .core.explain import Contribution, Explanation
from .core.profile import InvestorProfile, ProfileError, load_profile, parse_profile
from .core.rankers import ExpertPriorRanker, Ranker

__all__ = [
    "Candidates", "Catalog", "CRITERION_NAMES", "FINLAND", "KAINUU", "PRIOR_WEIGHTS", "Match", "Ranking",
    "Scored", "explain", "rank", "score", "Contribution", "Explanation", "InvestorProfile", "ProfileError",
    "load_profile", "parse_profile", "ExpertPriorRanker", "Ranker",
]
