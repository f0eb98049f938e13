"""The pipe: profile × catalog → features → feasibility → utility → ranking → explanation."""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass, field, fields
from functools import cached_property

import numpy as np

from . import nace, ranking
from .catalog import Candidates, Catalog
from .criteria import INDEX, KAINUU, in_scope
from .explain import Explanation, explain_one
from .feasibility import Feasibility, assess
from .features import FeatureMatrix, pair_features
from .messages import LANGS, t
from .profile import InvestorProfile
from .rankers import ExpertPriorRanker, Ranker

MAX_TOP = 500
# Added to a trained linear model's version when the profile's own weights replace some of its weights:
# the ranking is then no longer the model's own (``track_record`` is not shown either).
PROFILE_WEIGHTS = "+profile-weights"


def effective_weights(p: InvestorProfile, coef: np.ndarray, applicable: np.ndarray) -> np.ndarray:
    """The ranker's weights, overridden by the profile's, restricted to applicable criteria and
    normalised to sum 1 so that scores stay on one scale whatever the profile asks for."""
    w = np.array(coef, dtype=float)
    for name, value in (p.weights or {}).items():
        w[INDEX[name]] = value
    w = np.where(applicable, w, 0.0)
    total = np.abs(w).sum()
    return w / total if total > 0 else w


def additive_parts(ranker: Ranker, fm: FeatureMatrix) -> tuple[np.ndarray, np.ndarray]:
    """An additive (tree) model's exact per-criterion parts, scaled so that every score lies in
    [-1, 1] like a linear one's (one positive factor for all rows: the order and the sums are kept).
    The "weight" shown beside each criterion is its part at a perfect value (1.0)."""
    X = fm.values * fm.applicable
    parts = ranker.contributions(X)
    at_best = ranker.contributions(fm.applicable[None, :].astype(float))[0]
    scale = max(float(np.abs(parts).max(axis=0).sum()), 1e-12)
    return parts / scale, at_best / scale


@dataclass
class Scored:
    """A profile scored against every candidate of one scope (arrays, row = candidate)."""

    profile: InvestorProfile
    candidates: Candidates
    features: FeatureMatrix
    weights: np.ndarray
    contributions: np.ndarray
    scores: np.ndarray
    feasibility: Feasibility
    order: np.ndarray
    key_sector: str | None
    snapshot: str
    model_version: str
    track_record: dict[str, float] | None = None  # the ranking model's held-out record (Ranker.track_record_)
    ranker: Ranker | None = None  # the ranker whose parts these are (the prior where the profile's weights replace a tree)

    def rank_of(self, i: int) -> int:
        return int(np.flatnonzero(self.order == i)[0]) + 1

    def match(self, i: int, rank: int, e: Explanation) -> "Match":
        c = self.candidates
        return Match(rank, str(c.ids[i]), str(c.names[i]), str(c.kinds[i]), str(c.municipality_names[i]),
                     str(c.municipality_codes[i]), e.score, bool(self.feasibility.feasible[i]),
                     self.feasibility.state(i), str(c.availability[i]), e)

    def explain(self, i: int, catalog: Catalog) -> Explanation:
        names = catalog.key_sector_names[self.key_sector] if self.key_sector else {}
        return explain_one(
            self.profile, self.candidates, i, values=self.features.values[i], known=self.features.known[i],
            weights=self.weights, contributions=self.contributions[i], applicable=self.features.applicable,
            blockers=self.feasibility.blockers(i), unverified=self.feasibility.unverified(i),
            key_sector_names=names, snapshot=self.snapshot, inputs=self.features.inputs,
            not_assessed=self.features.not_assessed, typical=self.typical)

    @cached_property
    def typical(self) -> np.ndarray:
        """Each criterion's median part over all candidates: what a reason must lift a candidate above."""
        if not np.isnan(self.contributions).any():
            return np.median(self.contributions, axis=0)
        with warnings.catch_warnings():  # a column of unknown parts only: its typical part is unknown (NaN)
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.nanmedian(self.contributions, axis=0)


def weights_apply(p: InvestorProfile, scope: str) -> bool:
    """Whether the profile's own weights touch a criterion of this scope: only then do they replace a
    trained model by the prior (a Kainuu-only weight, such as the grid's, leaves a national ranking
    to the adopted model)."""
    mask = in_scope(scope)
    return any(mask[INDEX[name]] for name in (p.weights or {}) if name in INDEX)


def score(p: InvestorProfile, catalog: Catalog, *, scope: str = KAINUU, ranker: Ranker | None = None,
          as_of: dt.date | None = None) -> Scored:
    cands = catalog.candidates(scope)
    ranker = (ranker or ExpertPriorRanker()).for_scope(cands.scope)
    key = catalog.key_sector_of(p.sector)
    fm = pair_features(p, cands, key_sector=key, as_of=as_of)
    if ranker.additive and weights_apply(p, cands.scope):
        ranker = ExpertPriorRanker()  # a tree has no weights for the profile to override: the prior ranks
    version = ranker.version
    if ranker.additive:
        contributions, w = additive_parts(ranker, fm)
    else:
        w = effective_weights(p, ranker.coef_, fm.applicable)
        contributions = fm.values * w
        if not isinstance(ranker, ExpertPriorRanker) and weights_apply(p, cands.scope):
            version += PROFILE_WEIGHTS
    scores = contributions.sum(axis=1)
    feas = assess(p, cands, fm)
    order = ranking.order(ranking.rank_key(scores, feas.rank_level), cands.ids.astype(str))
    return Scored(p, cands, fm, w, contributions, scores, feas, order, key, catalog.snapshot,
                  version, ranker.track_record_, ranker)


@dataclass
class Match:
    rank: int
    candidate_id: str
    name: str
    kind: str
    municipality: str
    municipality_code: str
    score: float
    feasible: bool  # no hard requirement fails
    feasibility: str  # meets | unverified | fails
    availability: str  # available | reserved (sites); municipality (scope finland)
    explanation: Explanation

    def as_dict(self) -> dict[str, object]:
        """The result's own fields, then the parts of its explanation (one flat record: the
        JSON of ``rank --format json`` and of the API, whose schema is derived from this class)."""
        e = self.explanation.as_dict()
        head = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "explanation"}
        return {**head, **{k: e[k] for k in EXPLANATION_PARTS}}


# the parts of an Explanation that a Match record carries
EXPLANATION_PARTS = ("blockers", "contributions", "reasons", "missing")


@dataclass
class Ranking:
    results: list[Match]
    model_version: str
    data_snapshot: str
    scope: str
    as_of: str
    candidates_total: int
    feasible_total: int  # meets + unverified
    meets_total: int
    unverified_total: int
    caveats: list[dict[str, str]] = field(default_factory=list)  # per language: what this ranking cannot say

    def as_dict(self) -> dict[str, object]:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["results"] = [m.as_dict() for m in self.results]
        return out


def rank(p: InvestorProfile, catalog: Catalog, *, scope: str = KAINUU, top: int = 10,
         ranker: Ranker | None = None, as_of: dt.date | None = None) -> Ranking:
    """Rank the scope's candidates for ``p``: feasible first, then by score; explain the top."""
    if not 1 <= top <= MAX_TOP:
        raise ValueError(f"top must be between 1 and {MAX_TOP}")
    s = score(p, catalog, scope=scope, ranker=ranker, as_of=as_of)
    return ranking_from(s, catalog, top)


def ranking_from(s: Scored, catalog: Catalog, top: int) -> Ranking:
    c = s.candidates
    results = []
    for r, i in enumerate(s.order[:top], start=1):
        e = s.explain(int(i), catalog)
        results.append(s.match(int(i), r, e))
    level = s.feasibility.level
    return Ranking(results, s.model_version, s.snapshot, c.scope, s.features.as_of, len(c),
                   int(s.feasibility.feasible.sum()), int((level == 2).sum()), int((level == 1).sum()),
                   caveats=untested_industry(s.profile, c) + track_record(s) + nothing_to_meet(s))


# A national ranking is tested on real decisions; an industry with fewer of them than this is not.
MIN_DECISIONS_OF_INDUSTRY = 3
TOP_RECORD = 10  # the track record counts the decisions whose real choice the model put this high


def nothing_to_meet(s: Scored) -> list[dict[str, str]]:
    """A national ranking of a profile without hard needs: every municipality "meets" them by default,
    which is no verified fact about any place; said once above the list."""
    if s.candidates.scope == KAINUU or s.feasibility.hard:
        return []
    return [{lang: t("caveat.no_needs", lang) for lang in LANGS}]


def untested_industry(p: InvestorProfile, c: Candidates) -> list[dict[str, str]]:
    """In the national scope, a caveat when few recorded decisions are of the profile's division: a
    resort or a fish farm is then ranked on general features (town size, workforce, cost), and the
    top of the list says nothing about where that industry invests (Helsinki first for a resort)."""
    div = nace.division_of(p.sector)
    nf = c.national
    if nf is None or div is None:
        return []
    n = len(nf.decision_ids_of(div))
    if n >= MIN_DECISIONS_OF_INDUSTRY:
        return []
    total = int(nf.decisions["decision_id"].nunique())
    return [{lang: t("caveat.untested_industry", lang, n=n, total=total, division=nace.named(div, lang))
             for lang in LANGS}]


def track_record(s: Scored) -> list[dict[str, str]]:
    """In the national scope, how the model that ranks did held out on the recorded decisions of the
    profile's division: the median rank of the real choice and how often it was in the top 10. A
    ranking is only as good as its record on that industry (sawmill towns rank low, wind farms too),
    and the reader should see it beside the list, not only in the README. A profile's own weights on
    this scope's criteria make the ranking no longer the model's own, so its record is not shown."""
    c, record = s.candidates, s.track_record
    div = nace.division_of(s.profile.sector)
    if c.scope == KAINUU or c.national is None or not record or div is None or weights_apply(s.profile, c.scope):
        return []
    ids = sorted(c.national.decision_ids_of(div) & record.keys())
    if len(ids) < MIN_DECISIONS_OF_INDUSTRY:
        return []  # untested_industry says so
    ranks = np.array([record[i] for i in ids])
    return [{lang: t("caveat.track_record", lang, n=len(ids), division=nace.named(div, lang),
                     median=float(np.median(ranks)), total=len(c), hits=int((ranks <= TOP_RECORD).sum()),
                     top=TOP_RECORD) for lang in LANGS}]


def explain(p: InvestorProfile, catalog: Catalog, candidate_id: str, *, scope: str | None = None,
            ranker: Ranker | None = None, as_of: dt.date | None = None) -> tuple[Match, Ranking]:
    """The explanation of one candidate, with its rank. Scope is found from the id when not given."""
    if scope is None:
        scope = KAINUU if candidate_id in set(catalog.candidates(KAINUU).ids) else "finland"
    s = score(p, catalog, scope=scope, ranker=ranker, as_of=as_of)
    i = s.candidates.index_of(candidate_id)
    e = s.explain(i, catalog)
    return s.match(i, s.rank_of(i), e), ranking_from(s, catalog, 1)
