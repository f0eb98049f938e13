"""Matching: one profile, or a batch of referrals (JSON list or CSV upload)."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Body, File, Query, Request, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from matcher import InvestorProfile, ProfileError, parse_profile, rank
from matcher.core.criteria import SCOPES
from matcher.core.engine import MAX_TOP

from ..deps import CatalogDep, RankerDep, SettingsDep
from ..errors import ApiError
from ..schemas import BatchItemOut, BatchOut, RankingOut
from ..settings import Settings
from ..uploads import csv_rows, decode

router = APIRouter(tags=["match"])
Scope = Annotated[Literal[SCOPES],  # type: ignore[valid-type]
                   Query(description="kainuu: sites; finland: municipalities")]
Top = Annotated[int, Query(ge=1, le=MAX_TOP)]
Pipeline = Annotated[bool, Query(description="skills read what won and shortlisted leads leave of each labour pool")]
LIST_FIELDS = {"must"}
JSON_FIELDS = {"skills", "weights"}


MATCH_DESCRIPTION = (
    "Rank the Kainuu offerings (scope `kainuu`) or Finland's municipalities (scope `finland`) for one "
    "investor profile. Hard needs (the profile's `must`, power, land, water, rail, green power) filter: "
    "every result says `meets`, `unverified` (rests on unknown data or a reservation) or `fails`, in that "
    "order; within a state the score orders. Each result carries its per-criterion contributions (they add "
    "up to the score), strengths, the weakest point and the unknowns, in English and Finnish, and the "
    "data snapshot and model that ranked it. No key needed.")


@router.post("/match", operation_id="match", response_model=RankingOut, summary="Rank offerings for a profile",
             description=MATCH_DESCRIPTION)
async def match(request: Request, profile: InvestorProfile, catalog: CatalogDep, ranker: RankerDep,
                scope: Scope = "kainuu", top: Top = 10, pipeline: Pipeline = False) -> Response:
    # The hot path: the ranking's dict goes straight to orjson. FastAPI's re-validation against
    # RankingOut cost a third of the request; the schema stays documented and the schemathesis test
    # checks every answer against it.
    if pipeline:
        if scope != "kainuu":
            raise ApiError(422, "pipeline", "api.pipeline_kainuu")
        r = await run_in_threadpool(ranking_seeing_pipeline, request, profile, catalog, ranker, top)
    else:
        r = rank(profile, catalog, scope=scope, top=top, ranker=ranker)
    body = orjson.dumps(r.as_dict(), option=orjson.OPT_SERIALIZE_NUMPY)
    return Response(body, media_type="application/json")


def ranking_seeing_pipeline(request: Request, profile: InvestorProfile, catalog: Any, ranker: Any, top: int) -> Any:
    """The Kainuu ranking once the won and shortlisted leads have taken their workers (every
    lead counts, whoever asks: only the totals taken are shown, never a lead)."""
    from matcher.core.workforce import PIPELINE_STAGES, pipeline_projects, rank_with_pipeline

    from ..lead_store import in_stages

    stored = in_stages(request.app.state.engine, PIPELINE_STAGES)
    return rank_with_pipeline(profile, catalog, pipeline_projects(stored, catalog, ranker), top=top, ranker=ranker)


def _batch(items: list[Any], catalog, ranker, scope: str, top: int) -> BatchOut:
    out = []
    for i, raw in enumerate(items):
        name = raw.get("name") if isinstance(raw, dict) and isinstance(raw.get("name"), str) else None
        try:
            p = parse_profile(raw)
        except ProfileError as exc:
            field = exc.field.replace("profile", f"profiles.{i}", 1)
            out.append(BatchItemOut(index=i, name=name, ok=False, error={"field": field, "reason": exc.reason}))
            continue
        r = rank(p, catalog, scope=scope, top=top, ranker=ranker).as_dict()
        out.append(BatchItemOut(index=i, name=p.name, ok=True, ranking=r))  # type: ignore[arg-type]
    return BatchOut(count=len(out), ok=sum(x.ok for x in out), items=out)


def _check_size(n: int, top: int, settings: Settings) -> None:
    """A bound on the work of one request: profiles, and profiles x top (results returned)."""
    if n > settings.max_batch:
        raise ApiError(422, "profiles", "api.too_many_profiles", n=n, limit=settings.max_batch)
    if n * top > settings.max_batch_results:
        raise ApiError(422, "top", "api.too_many_results", n=n, top=top, limit=settings.max_batch_results)


@router.post("/match/batch", operation_id="match_batch", response_model=BatchOut)
def match_batch(catalog: CatalogDep, ranker: RankerDep, settings: SettingsDep,
                profiles: Annotated[list[dict[str, Any]], Body(embed=True, min_length=1)],
                scope: Scope = "kainuu", top: Top = 5) -> BatchOut:
    """Many referrals at once. Each profile is validated on its own: one bad row does not
    sink the others; its error names ``profiles.<index>.<field>``."""
    _check_size(len(profiles), top, settings)
    return _batch(profiles, catalog, ranker, scope, top)


NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?", re.ASCII)
DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+", re.ASCII)  # Finnish Excel: 10,5
TEXT_FIELDS = {"name", "sector", "start_by", "investor_type"}


def _cell(key: str, v: str) -> Any:
    """A cell as the JSON value a profile takes: lists, numbers, true/false, else text (which
    the profile's own validation then names if it is wrong)."""
    if key in LIST_FIELDS:
        return [x.strip() for x in re.split(r"[;,|]", v) if x.strip()]
    if key in JSON_FIELDS:
        try:
            return json.loads(v)
        except (json.JSONDecodeError, RecursionError):
            return v  # the profile says "must be an object"
    if key in TEXT_FIELDS:
        return v
    if v.lower() in ("true", "false"):
        return v.lower() == "true"
    if DECIMAL_COMMA.fullmatch(v):
        v = v.replace(",", ".")
    if NUMBER.fullmatch(v):
        x = float(v)
        return int(x) if x.is_integer() and abs(x) < 1e15 and "." not in v and "e" not in v.lower() else x
    return v


def csv_profiles(text: str) -> list[dict[str, Any]]:
    """CSV rows to profile dicts (',' or ';' separated): empty cells are left out; ``must`` is
    a list separated by ';', ',' or '|'; skills and weights are either JSON objects in the
    ``skills``/``weights`` column or one column each, ``skills.<family>`` / ``weights.<criterion>``."""
    rows = []
    for row in csv_rows(text):
        prof: dict[str, Any] = {}
        for key, value in row.items():
            v = value.strip()
            if not key or v == "":
                continue
            head, dot, sub = key.partition(".")
            if dot and head in JSON_FIELDS:
                prof.setdefault(head, {})
                if isinstance(prof[head], dict):
                    prof[head][sub] = _cell(sub, v)
                continue
            prof[key] = _cell(key, v)
        rows.append(prof)
    return rows


@router.post("/match/batch/csv", operation_id="match_batch_csv", response_model=BatchOut)
async def match_batch_csv(catalog: CatalogDep, ranker: RankerDep, settings: SettingsDep,
                          file: Annotated[UploadFile, File(description="CSV, one profile per row")],
                          scope: Scope = "kainuu", top: Top = 5) -> BatchOut:
    data = await file.read(settings.max_body_bytes + 1)
    if len(data) > settings.max_body_bytes:
        raise ApiError(413, "file", "api.file_too_large", limit=settings.max_body_bytes)
    profiles = csv_profiles(decode(data))
    if not profiles:
        raise ApiError(422, "file", "api.no_profile_rows")
    _check_size(len(profiles), top, settings)
    return await run_in_threadpool(_batch, profiles, catalog, ranker, scope, top)
