"""Typed dependencies: what a route needs from the app state."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from matcher import Catalog, Ranker

from .settings import Settings
from .site_store import current_catalog


def get_catalog(request: Request) -> Catalog:
    """The catalog as the database has it now (sync: FastAPI runs it in the thread pool, so
    the version query never blocks the event loop)."""
    return current_catalog(request.app)


async def get_ranker(request: Request) -> Ranker:
    return request.app.state.ranker


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


CatalogDep = Annotated[Catalog, Depends(get_catalog)]
RankerDep = Annotated[Ranker, Depends(get_ranker)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
