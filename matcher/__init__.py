"""Kainuu investor-matching engine: match an investor profile to the region's sites."""

from .catalog import Candidates, Catalog
from .criteria import CRITERION_NAMES, FINLAND, KAINUU, PRIOR_WEIGHTS
from .engine import Match, Ranking, Scored, explain, rank, score
from .explain import Contribution, Explanation
from .profile import InvestorProfile, ProfileError, load_profile, parse_profile
from .rankers import ExpertPriorRanker, Ranker

__all__ = [
    "Candidates", "Catalog", "CRITERION_NAMES", "FINLAND", "KAINUU", "PRIOR_WEIGHTS", "Match", "Ranking",
    "Scored", "explain", "rank", "score", "Contribution", "Explanation", "InvestorProfile", "ProfileError",
    "load_profile", "parse_profile", "ExpertPriorRanker", "Ranker",
]
