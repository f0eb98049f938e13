from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from matcher.core.criteria import SCOPES

from ..deps import CatalogDep, RankerDep
from ..schemas import HealthOut

router = APIRouter(tags=["health"])


def _database_ok(request: Request) -> bool:
    try:
        with request.app.state.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except DBAPIError:
        return False


@router.get("/health", operation_id="health", response_model=HealthOut,
            responses={503: {"model": HealthOut, "description": "the database is unreachable"}})
def health(request: Request, catalog: CatalogDep, ranker: RankerDep) -> JSONResponse:
    """Ok when the database answers; 503 (status "degraded") when it does not: rankings are
    then served from the last catalog read, and writes fail."""
    ok = _database_ok(request)
    out = HealthOut(status="ok" if ok else "degraded", database="ok" if ok else "unreachable",
                    data_snapshot=catalog.snapshot, model_version=ranker.version,
                    model_by_scope={s: ranker.for_scope(s).version for s in SCOPES},
                    sites=len(catalog.sites), municipalities=len(catalog.municipalities))
    return JSONResponse(out.model_dump(), status_code=200 if ok else 503)
