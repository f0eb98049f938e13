"""API keys: header ``X-API-Key``; roles coordinator, municipality (bound to one code),
referral_partner. Reading the public catalog and POST /match need no key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from . import audit
from .edge import client_of
from .errors import ApiError
from .storage import check_key, parse_key_id

_header = APIKeyHeader(name="X-API-Key", auto_error=False)


@dataclass(frozen=True)
class Principal:
    key_id: int
    role: str
    municipality_code: str | None
    label: str = ""

    @property
    def actor(self) -> str:
        where = f":{self.municipality_code}" if self.municipality_code else ""
        return f"key{self.key_id}:{self.role}{where}"

    def may_edit(self, municipality_code: str) -> bool:
        return self.role == "coordinator" or (self.role == "municipality"
                                              and self.municipality_code == municipality_code)


def principal(request: Request, key: Annotated[str | None, Security(_header)]) -> Principal:
    if not key:
        in_query = any(audit.SECRET_PARAMS.match(k) for k in request.query_params)
        audit.auth_failed(request, None, "key_in_query_string" if in_query else "missing")
        raise ApiError(401, "X-API-Key", "api.key_needed", headers={"WWW-Authenticate": "APIKey"})
    found = check_key(request.app.state.engine, key)
    if not found:
        request.app.state.rate_limits.auth_failed(client_of(request.scope))
        audit.auth_failed(request, key, "malformed" if parse_key_id(key) is None else "unknown_or_revoked")
        raise ApiError(401, "X-API-Key", "api.key_unknown", headers={"WWW-Authenticate": "APIKey"})
    return Principal(**found)


PrincipalDep = Annotated[Principal, Depends(principal)]


def require_roles(*roles: str):  # type: ignore[no-untyped-def]
    def dep(request: Request, p: PrincipalDep) -> Principal:
        if p.role not in roles:
            audit.forbidden(request, p.key_id, p.role, f"needs {' or '.join(roles)}")
            raise ApiError(403, "role", "api.role", role=p.role, needs=", ".join(roles))
        return p

    return dep


EditorDep = Annotated[Principal, Depends(require_roles("coordinator", "municipality"))]
LeadWriterDep = Annotated[Principal, Depends(require_roles("coordinator", "referral_partner"))]
