from fastapi import APIRouter

from matcher.criteria import SCOPES

from ..deps import CatalogDep, RankerDep
from ..schemas import HealthOut

router = APIRouter(tags=["health"])


@router.get("/health", operation_id="health", response_model=HealthOut)
async def health(catalog: CatalogDep, ranker: RankerDep) -> HealthOut:
    return HealthOut(status="ok", data_snapshot=catalog.snapshot, model_version=ranker.version,
                     model_by_scope={s: ranker.for_scope(s).version for s in SCOPES},
                     sites=len(catalog.sites), municipalities=len(catalog.municipalities))
