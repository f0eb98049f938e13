"""What-ifs (a municipality on its own sites; the coordinator on any) and advice."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from matcher import InvestorProfile
from matcher.core.paths import ARCHETYPES_DIR as ARCHETYPES
from matcher.core.schema import ID_PATTERN
from matcher.municipal.advice import advise
from matcher.municipal.completeness import completeness
from matcher.municipal.sensitivity import sensitivity
from matcher.municipal.whatif import Scenario, evaluate, portfolio

from .. import lead_store
from ..auth import Principal, require_roles
from ..deps import CatalogDep, RankerDep
from ..errors import ApiError
from ..schemas import AdviceOut, CompletenessOut, SensitivityOut, WhatIfOut

router = APIRouter(tags=["what-if"])
WhatIfDep = Annotated[Principal, Depends(require_roles("coordinator", "municipality"))]


class WhatIfIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scenario: Scenario
    profiles: list[InvestorProfile] | None = Field(default=None, max_length=20,
                                                   description="default: the bundled sector archetypes")
    include_leads: StrictBool = Field(default=False, description="add the leads this key may see (at most 50)")


class AdviseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    candidate_id: str = Field(pattern=ID_PATTERN)
    profile: InvestorProfile
    target_rank: StrictInt = Field(ge=1, le=500)


@router.post("/whatif", operation_id="whatif", response_model=WhatIfOut)
def whatif(request: Request, body: WhatIfIn, p: WhatIfDep, catalog: CatalogDep, ranker: RankerDep) -> dict[str, Any]:
    sites = catalog.sites.set_index("site_id")["municipality_code"]
    for sid in body.scenario.sites:
        if sid not in sites.index:
            raise ApiError(422, f"scenario.sites.{sid}", "api.no_such_site")
        if not p.may_edit(str(sites[sid])):
            raise ApiError(403, f"scenario.sites.{sid}", "api.whatif_own_sites")
    for code in body.scenario.municipalities:
        if not p.may_edit(code):
            raise ApiError(403, f"scenario.municipalities.{code}", "api.whatif_own_values")
    for n, new in enumerate(body.scenario.new_sites):
        if not p.may_edit(str(new.get("municipality_code"))):
            raise ApiError(403, f"scenario.new_sites.{n}.municipality_code", "api.not_this_municipality")
    profiles = list(body.profiles) if body.profiles else portfolio(ARCHETYPES)
    if body.include_leads:
        seen = lead_store.listing(request.app.state.engine, p, None, 50, 0)
        profiles += [InvestorProfile.model_validate(lead_store.as_seen_by(p, lead)["profile"]) for lead in seen]
    return evaluate(body.scenario, catalog, profiles, ranker)


class SensitivityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    profile: InvestorProfile
    draws: StrictInt = Field(default=1000, ge=10, le=5_000)
    top: StrictInt = Field(default=5, ge=1, le=50)


@router.post("/sensitivity", operation_id="sensitivity", response_model=SensitivityOut)
def sensitivity_route(body: SensitivityIn, catalog: CatalogDep, ranker: RankerDep) -> dict[str, Any]:
    """How often each of the top places keeps its rank when the weights vary."""
    return sensitivity(body.profile, catalog, ranker=ranker, draws=body.draws, top=body.top)


@router.get("/completeness", operation_id="completeness", response_model=CompletenessOut)
def completeness_route(catalog: CatalogDep, ranker: RankerDep,
                       municipality: Annotated[str | None, Query(pattern=r"^\d{3}$")] = None) -> dict[str, Any]:
    """The data to-do list: missing values ranked by how many places they could be worth
    across the sector archetypes."""
    if municipality is not None and municipality not in set(catalog.kainuu["municipality_code"]):
        raise ApiError(422, "municipality", "api.not_kainuu", code=municipality)
    out = completeness(catalog, portfolio(ARCHETYPES), ranker)
    if municipality:
        out["items"] = [x for x in out["items"] if x["municipality_code"] == municipality]
    return out


@router.post("/advise", operation_id="advise", response_model=AdviceOut)
def advise_route(body: AdviseIn, catalog: CatalogDep, ranker: RankerDep) -> dict[str, Any]:
    return advise(body.profile, catalog, body.candidate_id, body.target_rank, ranker=ranker)
