"""Matching: one profile, or a batch of referrals (JSON list or CSV upload)."""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Body, File, HTTPException, Query, Response, UploadFile

from matcher import InvestorProfile, ProfileError, parse_profile, rank
from matcher.engine import MAX_TOP

from ..deps import CatalogDep, RankerDep, SettingsDep
from ..schemas import BatchItemOut, BatchOut, RankingOut

router = APIRouter(tags=["match"])
Scope = Annotated[Literal["kainuu", "finland"], Query(description="kainuu: sites; finland: municipalities")]
Top = Annotated[int, Query(ge=1, le=MAX_TOP)]
LIST_FIELDS = {"must"}
JSON_FIELDS = {"skills", "weights"}


@router.post("/match", operation_id="match", response_model=RankingOut)
async def match(profile: InvestorProfile, catalog: CatalogDep, ranker: RankerDep, scope: Scope = "kainuu",
          top: Top = 10) -> Response:
    """The hot path: the ranking's dict goes straight to orjson. FastAPI's re-validation
    against RankingOut cost a third of the request; the schema stays documented and the
    schemathesis test checks every answer against it."""
    body = orjson.dumps(rank(profile, catalog, scope=scope, top=top, ranker=ranker).as_dict(),
                        option=orjson.OPT_SERIALIZE_NUMPY)
    return Response(body, media_type="application/json")


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


def _check_size(n: int, limit: int) -> None:
    if n > limit:
        raise ProfileError("profiles", f"{n} profiles is more than the limit of {limit} per batch")


@router.post("/match/batch", operation_id="match_batch", response_model=BatchOut)
def match_batch(catalog: CatalogDep, ranker: RankerDep, settings: SettingsDep,
                profiles: Annotated[list[dict[str, Any]], Body(embed=True, min_length=1)],
                scope: Scope = "kainuu", top: Top = 5) -> BatchOut:
    """Many referrals at once. Each profile is validated on its own: one bad row does not
    sink the others; its error names ``profiles.<index>.<field>``."""
    _check_size(len(profiles), settings.max_batch)
    return _batch(profiles, catalog, ranker, scope, top)


def csv_profiles(text: str) -> list[dict[str, Any]]:
    """CSV rows to profile dicts: empty cells are left out, ``must`` is ';'-separated,
    ``skills``/``weights`` are JSON objects, numbers and booleans are parsed."""
    rows = []
    for n, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        prof: dict[str, Any] = {}
        for key, value in row.items():
            if key is None or value is None or value.strip() == "":
                continue
            v = value.strip()
            if key in LIST_FIELDS:
                prof[key] = [x.strip() for x in v.split(";") if x.strip()]
            elif key in JSON_FIELDS:
                try:
                    prof[key] = json.loads(v)
                except json.JSONDecodeError:
                    raise ProfileError(f"csv.line{n}.{key}", "must be a JSON object") from None
            elif v.lower() in ("true", "false"):
                prof[key] = v.lower() == "true"
            else:
                try:
                    prof[key] = float(v) if key not in ("name", "sector", "start_by", "investor_type") else v
                except ValueError:
                    prof[key] = v
                if key == "jobs" and isinstance(prof[key], float) and prof[key].is_integer():
                    prof[key] = int(prof[key])
        rows.append(prof)
    return rows


@router.post("/match/batch/csv", operation_id="match_batch_csv", response_model=BatchOut)
async def match_batch_csv(catalog: CatalogDep, ranker: RankerDep, settings: SettingsDep,
                          file: Annotated[UploadFile, File(description="CSV, one profile per row")],
                          scope: Scope = "kainuu", top: Top = 5) -> BatchOut:
    data = await file.read(settings.max_body_bytes + 1)
    if len(data) > settings.max_body_bytes:
        raise HTTPException(413, f"file: larger than the limit of {settings.max_body_bytes} bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProfileError("file", "not UTF-8 text") from None
    profiles = csv_profiles(text)
    if not profiles:
        raise ProfileError("file", "no profile rows (a header line and at least one row are needed)")
    _check_size(len(profiles), settings.max_batch)
    return _batch(profiles, catalog, ranker, scope, top)
