"""Pitch briefs for the coordinator (and referral partners): Markdown, HTML or PDF."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from matcher import InvestorProfile
from matcher.brief.brief_render import render
from matcher.brief.pitch import build_brief
from matcher.core.messages import Lang

from ..auth import Principal, require_roles
from ..deps import CatalogDep, RankerDep

router = APIRouter(tags=["pitch"])
MEDIA = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8", "pdf": "application/pdf"}
BRIEF_RESPONSES = {200: {"description": "the brief", "content": {m: {"schema": {"type": "string"}} for m in MEDIA.values()}}}


class PitchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    profile: InvestorProfile
    lang: Lang = "en"
    top: StrictInt = Field(default=3, ge=1, le=10)


@router.post("/pitch", operation_id="pitch", responses=BRIEF_RESPONSES, response_class=Response)
def pitch(body: PitchIn, catalog: CatalogDep, ranker: RankerDep,
          _: Annotated[Principal, Depends(require_roles("coordinator", "referral_partner"))],
          format: Annotated[Literal["md", "html", "pdf"], Query()] = "html") -> Response:
    brief = build_brief(body.profile, catalog, lang=body.lang, top=body.top, ranker=ranker)
    name = f"brief-{body.lang}.{format}"
    return Response(render(brief, format), media_type=MEDIA[format],
                    headers={"Content-Disposition": f'inline; filename="{name}"', "X-Data-Snapshot": brief.snapshot})
