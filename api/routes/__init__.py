"""Routers per resource, mounted under /api/v1 in one place."""

from fastapi import APIRouter

from ..schemas import ERROR_RESPONSES
from . import (
    allocation,
    catalog,
    evenhandedness,
    health,
    leads,
    match,
    offerings,
    pitch,
    sites,
    whatif,
)

api_router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)
api_router.include_router(health.router)
api_router.include_router(match.router)
api_router.include_router(catalog.router)
api_router.include_router(sites.router)
api_router.include_router(leads.router)
api_router.include_router(whatif.router)
api_router.include_router(pitch.router)
api_router.include_router(offerings.router)
api_router.include_router(allocation.router)
api_router.include_router(evenhandedness.router)
