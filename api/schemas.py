"""Response shapes (the same JSON as ``kainuu-match rank --format json``)."""

from __future__ import annotations

from typing import Any, get_type_hints

from pydantic import BaseModel, create_model

from matcher.engine import EXPLANATION_PARTS, Match, Ranking


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
    en: list[str]
    fi: list[str]
    weakness: dict[str, str | None]


_EXPLANATION_TYPES: dict[str, Any] = {"blockers": list[CheckOut], "contributions": list[ContributionOut],
                                      "reasons": ReasonsOut, "missing": list[dict[str, str]]}
assert tuple(_EXPLANATION_TYPES) == EXPLANATION_PARTS
# One record per result, derived from matcher.engine.Match so the two cannot drift apart.
MatchOut = create_model(
    "MatchOut",
    **{n: (t, ...) for n, t in get_type_hints(Match).items() if n != "explanation"},  # type: ignore[call-overload]
    **{n: (t, ...) for n, t in _EXPLANATION_TYPES.items()},
)


# The ranking envelope, derived from matcher.engine.Ranking; its results are MatchOut records.
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
