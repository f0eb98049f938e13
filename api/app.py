"""The app factory: nothing heavy at import; the lifespan loads catalog and model once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from matcher import Catalog
from matcher.learn.model_store import load_best_ranker

from . import audit, errors, web
from .edge import Edge, RateLimits
from .routes import api_router
from .settings import Settings
from .site_store import read_csv_rows, refresh_catalog
from .storage import init_db, make_engine, seed_sites, startup_lock


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    audit.setup()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        engine = make_engine(settings.db_url())
        with startup_lock(engine):
            init_db(engine)
            seed_sites(engine, read_csv_rows(settings.data_dir / "sites.csv"))
        app.state.engine = engine
        app.state.base_catalog = Catalog.load(settings.data_dir)
        refresh_catalog(app)
        app.state.ranker = load_best_ranker()
        yield
        engine.dispose()

    app = FastAPI(title="Kainuu investor matching", version="0.1.0", lifespan=lifespan,
                  docs_url=None, redoc_url=None,  # served by api.web from vendored assets (offline)
                  description="Match investor profiles to Kainuu sites; every result explained.")
    errors.install(app)
    app.include_router(api_router)
    web.install(app)
    app.add_middleware(errors.BodySizeLimit, limit=settings.max_body_bytes)
    app.state.rate_limits = RateLimits(settings.rate_limit_anonymous, settings.rate_limit_key,
                                       settings.rate_limit_auth_failures, settings.rate_limit_storage)
    app.add_middleware(Edge, limits=app.state.rate_limits)  # outermost: refuse before reading a body
    return app
