"""Response shapes (the same JSON as ``kainuu-match rank --format json``)."""

from __future__ import annotations

from typing import Any, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, create_model

from matcher.core.engine import EXPLANATION_PARTS, Match, Ranking


class ContributionOut(BaseModel):
    criterion: str
    weight: float
    value: float
    known: bool
    contribution: float


class CheckOut(BaseModel):
    criterion: str
    en: str
    fi: str


class ReasonsOut(BaseModel):
    en: list[str] = Field(description="Up to three reasons, in English: the parts that lift this result most above the typical candidate")
    fi: list[str] = Field(description="The same reasons in Finnish")
    weakness: dict[str, str | None] = Field(description="The main weakness per language (null: none)")
    unweighted: dict[str, list[str]] = Field(
        description="Named facts (port, campus…) the ranking gives no weight, per language: shown, not counted")


_EXPLANATION_TYPES: dict[str, Any] = {"blockers": list[CheckOut], "contributions": list[ContributionOut],
                                      "reasons": ReasonsOut, "missing": list[dict[str, str]]}
assert tuple(_EXPLANATION_TYPES) == EXPLANATION_PARTS
# One record per result, derived from matcher.core.engine.Match so the two cannot drift apart.
MatchOut = create_model(
    "MatchOut",
    **{n: (t, ...) for n, t in get_type_hints(Match).items() if n != "explanation"},  # type: ignore[call-overload]
    **{n: (t, ...) for n, t in _EXPLANATION_TYPES.items()},
)


# The ranking envelope, derived from matcher.core.engine.Ranking; its results are MatchOut records.
RankingOut = create_model(
    "RankingOut",
    results=(list[MatchOut], ...),  # type: ignore[valid-type]
    **{n: (t, ...) for n, t in get_type_hints(Ranking).items() if n != "results"},  # type: ignore[call-overload]
)


class BatchItemOut(BaseModel):
    index: int
    name: str | None
    ok: bool
    error: dict[str, str] | None = None
    ranking: RankingOut | None = None


class BatchOut(BaseModel):
    count: int
    ok: int
    items: list[BatchItemOut]


class TableOut(BaseModel):
    data_snapshot: str
    count: int
    items: list[dict[str, Any]]


class HealthOut(BaseModel):
    status: str
    database: str
    data_snapshot: str
    model_version: str
    model_by_scope: dict[str, str]
    sites: int
    municipalities: int


class ErrorItem(BaseModel):
    field: str
    reason: str
    row: int | None = None


class ErrorOut(BaseModel):
    """Every error response: ``error`` is "field: reason" of the first problem."""

    error: str
    detail: list[ErrorItem]
    written: int | None = None


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": text} for code, text in (
        (401, "no key, or an unknown key"), (403, "this key may not do this"),
        (404, "no such item (or not visible to this key)"), (413, "body larger than the limit"),
        (422, "bad input: the field and the reason"))
}


# -- municipal tools: typed results (documented in the OpenAPI schema and checked against it) --------

class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")  # a field added by the engine is passed on, not dropped


class ChangeOut(_Open):
    column: str
    criterion: str
    unit: str
    now: float | None = Field(description="today's value (null: unknown)")
    needed: float
    change: float | None = None


class AdviceOptionOut(ChangeOut):
    changes: list[ChangeOut]
    rank_after: int
    scenario: dict[str, Any] = Field(description="the what-if scenario that delivers it (verified by applying it)")


class AdviceOut(_Open):
    candidate_id: str
    profile: str
    rank_now: int
    target_rank: int
    options: list[AdviceOptionOut]
    note: str | None = None


class SensitivityRowOut(_Open):
    candidate_id: str
    name: str
    rank: int
    same_rank_share: float
    first_share: float
    rank_p5: float
    rank_p95: float


class SensitivityOut(_Open):
    profile: str
    draws: int
    seed: int
    model_version: str
    weight_uncertainty: str
    results: list[SensitivityRowOut]


class TodoOut(_Open):
    candidate_id: str
    name: str
    municipality_code: str
    municipality: str
    criterion: str
    columns: list[str]
    worth_ranks: int
    helped: list[str] = Field(description="the profiles a perfect value would lift, most ranks first")
    profiles_helped: int
    profiles_missing: int
    en: str
    fi: str


class MunicipalTodoOut(_Open):
    municipality: str
    gaps: int
    worth_ranks: int


class CompletenessOut(_Open):
    profiles: int
    data_snapshot: str
    items: list[TodoOut]
    municipalities: dict[str, MunicipalTodoOut]


class StateOut(_Open):
    rank: int
    score: float
    feasible: bool
    feasibility: str
    blockers: list[dict[str, str]] = Field(default_factory=list,
                                           description="the hard needs failed: criterion, en, fi")
    choice_share: float


class WhatIfCandidateOut(_Open):
    candidate_id: str
    before: StateOut | None = Field(description="null: a site the scenario adds")
    after: StateOut
    moved: dict[str, float] = Field(description="the contributions that changed")


class WhatIfProfileOut(_Open):
    profile: str
    sector: str
    candidates: list[WhatIfCandidateOut]
    share_total_before: float
    share_total_after: float


class WhatIfOut(_Open):
    scenario: str
    scope: str
    model_version: str
    data_snapshot_before: str
    data_snapshot_after: str
    temperature: float
    profiles: list[WhatIfProfileOut]
