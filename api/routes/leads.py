"""Leads: the coordinator's pipeline of referrals. Confidential: every read and write
needs a key, and each key sees only what lead_store.visible_to allows."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from matcher import InvestorProfile
from matcher.core.catalog import kainuu_codes
from matcher.core.schema import ID_PATTERN, no_control_chars

from .. import audit, lead_store
from ..auth import LeadWriterDep, PrincipalDep
from ..deps import CatalogDep
from ..errors import ApiError

router = APIRouter(tags=["leads"])
Stage = Literal[lead_store.STAGES]  # type: ignore[valid-type]  # the one list of stages (lead_store)
Code = Literal[kainuu_codes()]  # type: ignore[valid-type]  # the eight codes of kainuu_municipalities.csv
CandidateId = Annotated[str, Field(pattern=ID_PATTERN)]
Text = Annotated[str, Field(max_length=5_000), AfterValidator(no_control_chars)]
Line = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(no_control_chars)]
LeadId = Annotated[int, Path(ge=1, le=2**31 - 1)]
COORDINATOR_ONLY = ("stage", "chosen_site", "visited", "dropped", "shared_with", "referral_source")


class LeadIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code_name: str = Field(min_length=1, max_length=80, pattern=r"^[^\x00-\x1f]+$",
                           description="the name everyone but the coordinator and the sender sees")
    referral_source: Line | None = Field(default=None, description="e.g. 'Invest in Finland'; a partner's key label by default")
    profile: InvestorProfile
    notes: Text = ""
    shared_with: list[Code] = Field(default_factory=list, max_length=8,
                                    description="municipality codes that may see this lead (coordinator only)")


class LeadPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code_name: str | None = Field(default=None, min_length=1, max_length=80, pattern=r"^[^\x00-\x1f]+$")
    referral_source: Line | None = None
    profile: InvestorProfile | None = None
    stage: Stage | None = None
    chosen_site: CandidateId | None = None
    visited: list[CandidateId] | None = Field(default=None, max_length=50)
    dropped: list[CandidateId] | None = Field(default=None, max_length=50)
    shared_with: list[Code] | None = Field(default=None, max_length=8)
    notes: Text | None = None

    @model_validator(mode="after")
    def _something(self) -> LeadPatch:
        if not self.model_fields_set:
            raise ValueError("nothing to change: give at least one field")
        return self


class LeadOut(BaseModel):
    id: int
    code_name: str
    referral_source: str
    profile: dict[str, Any]
    stage: Stage
    chosen_site: str | None
    visited: list[str]
    dropped: list[str]
    shared_with: list[str]
    notes: str
    created_at: Any
    updated_at: Any


class LeadsOut(BaseModel):
    count: int
    items: list[LeadOut]


def _known_candidates(catalog: CatalogDep, ids: list[str], field: str) -> None:
    known = set(catalog.sites["site_id"]) | set(catalog.municipalities["municipality_code"])
    for n, cid in enumerate(ids):
        if cid not in known:
            raise ApiError(422, field if field == "chosen_site" else f"{field}.{n}", "api.no_candidate", id=cid)


@router.post("/leads", operation_id="create_lead", status_code=201, response_model=LeadOut)
def create_lead(request: Request, body: LeadIn,
                p: LeadWriterDep) -> dict[str, Any]:
    if p.role != "coordinator" and body.shared_with:
        raise ApiError(403, "shared_with", "api.share_coordinator_only")
    lead = {"code_name": body.code_name, "referral_source": body.referral_source or p.label or p.actor,
            "owner_key_id": p.key_id if p.role == "referral_partner" else None,
            "profile": body.profile.model_dump(exclude_none=True), "stage": "new", "chosen_site": None,
            "visited": [], "dropped": [], "shared_with": sorted(set(body.shared_with)), "notes": body.notes}
    return lead_store.as_seen_by(p, lead_store.create(request.app.state.engine, p.actor, lead))


@router.get("/leads", operation_id="list_leads", response_model=LeadsOut)
def list_leads(request: Request, p: PrincipalDep, stage: Stage | None = None,
               limit: Annotated[int, Query(ge=1, le=500)] = 100,
               offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> dict[str, Any]:
    rows = lead_store.listing(request.app.state.engine, p, stage, limit, offset)
    audit.lead_read(request, p.key_id, p.role, [r["id"] for r in rows])
    return {"count": len(rows), "items": [lead_store.as_seen_by(p, r) for r in rows]}


@router.get("/leads/{lead_id}", operation_id="get_lead", response_model=LeadOut)
def get_lead(request: Request, lead_id: LeadId, p: PrincipalDep) -> dict[str, Any]:
    lead = lead_store.get(request.app.state.engine, lead_id)
    if lead is None or not lead_store.visible_to(p, lead):  # 404 either way: existence is confidential too
        raise ApiError(404, "lead_id", "api.no_lead", id=lead_id)
    audit.lead_read(request, p.key_id, p.role, [lead_id])
    return lead_store.as_seen_by(p, lead)


@router.patch("/leads/{lead_id}", operation_id="update_lead", response_model=LeadOut)
def update_lead(request: Request, lead_id: LeadId, body: LeadPatch, catalog: CatalogDep,
                p: LeadWriterDep) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True)
    if changes.get("profile") is not None:
        changes["profile"] = body.profile.model_dump(exclude_none=True)  # type: ignore[union-attr]
    for field in ("code_name", "referral_source", "profile", "stage", "visited", "dropped", "shared_with", "notes"):
        if field in changes and changes[field] is None:
            raise ApiError(422, field, "api.not_null")
    if p.role != "coordinator":
        for field in COORDINATOR_ONLY:
            if field in changes:
                raise ApiError(403, field, "api.pipeline_coordinator_only")
    if changes.get("chosen_site"):
        _known_candidates(catalog, [changes["chosen_site"]], "chosen_site")
    for field in ("visited", "dropped"):
        if changes.get(field):
            _known_candidates(catalog, changes[field], field)
    if "shared_with" in changes:
        changes["shared_with"] = sorted(set(changes["shared_with"]))

    def allowed(before: dict[str, Any]) -> None:
        if not lead_store.visible_to(p, before):
            raise ApiError(404, "lead_id", "api.no_lead", id=lead_id)
        after = {**before, **changes}
        if after["stage"] == "won" and not after["chosen_site"]:
            raise ApiError(422, "stage", "api.won_needs_site")

    lead = lead_store.change(request.app.state.engine, p.actor, lead_id, changes, allowed)
    if lead is None:
        raise ApiError(404, "lead_id", "api.no_lead", id=lead_id)
    return lead_store.as_seen_by(p, lead)
