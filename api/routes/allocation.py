"""The coordinator's joint allocation of the active leads (matcher/portfolio/allocation.py)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from matcher import InvestorProfile
from matcher.core.messages import t
from matcher.core.workforce import pipeline_projects
from matcher.portfolio.allocation import ACTIVE_STAGES, MAX_LEADS, Lead, allocate

from .. import lead_store
from ..auth import Principal, require_roles
from ..deps import CatalogDep, RankerDep
from ..errors import ApiError

router = APIRouter(tags=["allocation"])
CoordinatorDep = Annotated[Principal, Depends(require_roles("coordinator"))]


class AllocationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    profiles: list[InvestorProfile] = Field(default_factory=list, max_length=MAX_LEADS,
                                            description="extra leads to allocate (e.g. a prospect not yet recorded)")
    include_leads: StrictBool = Field(default=True, description="the active leads (new, pitched, visited, "
                                                                "shortlisted) of the pipeline")


def active_leads(request: Request, p: Principal, lang: str = "en") -> list[Lead]:
    """The active leads this key may see, each named 'lead 3: code name' (the API's id; the web page
    names it in its reader's language)."""
    rows = lead_store.listing(request.app.state.engine, p, None, 500, 0)
    return [Lead(x["code_name"] if x["code_name"] == lead_store.default_code_name(x["id"])
                 else t("alloc.lead", lang, id=x["id"], name=x["code_name"]),  # type: ignore[arg-type]
                 InvestorProfile.model_validate(x["profile"]))
            for x in rows if x["stage"] in ACTIVE_STAGES]


def won_projects(request: Request, catalog: Any, ranker: Any) -> list[Any]:
    """Won leads keep the workers they were promised: the allocation shares what is left."""
    return pipeline_projects(lead_store.in_stages(request.app.state.engine, ("won",)), catalog, ranker)


@router.post("/allocation", operation_id="allocation")
def allocation(request: Request, body: AllocationIn, p: CoordinatorDep, catalog: CatalogDep,
               ranker: RankerDep) -> dict[str, Any]:
    """One site per lead, no site promised beyond its free MW, hectares or labour pool, highest
    total fit; with what each lead gives up against its individual best."""
    leads = active_leads(request, p) if body.include_leads else []
    leads += [Lead(f"profile {n}: {x.name}", x) for n, x in enumerate(body.profiles)]
    if not leads:
        raise ApiError(422, "profiles", "api.no_leads")
    if len(leads) > MAX_LEADS:
        raise ApiError(422, "profiles", "api.too_many_leads", n=len(leads), limit=MAX_LEADS)
    return allocate(leads, catalog, ranker=ranker, pipeline=won_projects(request, catalog, ranker))
