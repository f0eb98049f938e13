"""A municipality maintains its own sites; the coordinator may edit all."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Path, Request, UploadFile
from fastapi.responses import JSONResponse

from matcher.core.schema import ID_PATTERN, ID_RE

from ..auth import EditorDep
from ..errors import ApiError, lang_of
from ..site_store import (
    RowsRejected,
    SiteExists,
    check,
    current_catalog,
    get_row,
    normalise,
    refresh_catalog,
    write_many,
)
from ..uploads import table_rows

router = APIRouter(tags=["sites"])
SiteId = Annotated[str, Path(pattern=ID_PATTERN, description="site id (letters, digits, _ . -; at most 40)")]
SiteBody = Annotated[dict[str, Any], Body(max_length=80, description="site columns (see data/README.md)")]


def rejected(exc: RowsRejected, lang: str) -> JSONResponse:
    """The schema's problems, each reason in the caller's language (``?lang=fi``, Accept-Language)."""
    detail = [{"row": p.row, "field": p.column, "reason": p.say(lang)} for p in exc.problems]
    return JSONResponse(status_code=422, content={"error": f"{detail[0]['field']}: {detail[0]['reason']}",
                                                  "detail": detail, "written": 0})


def _own(p, code: str) -> None:  # type: ignore[no-untyped-def]
    if not p.may_edit(code):
        raise ApiError(403, "municipality_code", "api.not_your_municipality", own=p.municipality_code, code=code)


def _ids(request: Request) -> set[str]:
    return set(current_catalog(request.app).sites["site_id"])


def _save(request: Request, p, action: str, before: dict | None, after: dict) -> Any:  # type: ignore[no-untyped-def]
    """Check ownership and the schema, write with the audit row, refresh the catalog."""
    _own(p, after["municipality_code"])
    try:
        check([after], request.app, existing_ids=_ids(request) - {after["site_id"]} if before else _ids(request))
    except RowsRejected as exc:
        return rejected(exc, lang_of(request))
    try:
        write_many(request.app.state.engine, p.actor, [(action, before, after)])
    except SiteExists:
        raise ApiError(409, "site_id", "api.site_exists", id=after["site_id"]) from None
    refresh_catalog(request.app)
    return {"site": after, "data_snapshot": request.app.state.catalog.snapshot}


@router.post("/sites", operation_id="create_site", status_code=201)
def create_site(request: Request, p: EditorDep, body: SiteBody) -> Any:
    try:
        after = normalise(body)
    except RowsRejected as exc:
        return rejected(exc, lang_of(request))
    if after["site_id"] in _ids(request):
        raise ApiError(409, "site_id", "api.site_exists_patch", id=after["site_id"])
    return _save(request, p, "create", None, after)


@router.patch("/sites/{site_id}", operation_id="update_site")
def update_site(request: Request, site_id: SiteId, p: EditorDep, body: SiteBody) -> Any:
    before = get_row(request.app.state.engine, site_id)
    if before is None:
        raise ApiError(404, "site_id", "api.no_site", id=site_id)
    _own(p, before["municipality_code"])
    if "site_id" in body and body["site_id"] != site_id:
        raise ApiError(422, "site_id", "api.site_id_fixed")
    try:
        after = normalise({**before, **body, "last_updated": body.get("last_updated") or ""})
    except RowsRejected as exc:
        return rejected(exc, lang_of(request))
    return _save(request, p, "update", before, after)


@router.delete("/sites/{site_id}", operation_id="delete_site")
def delete_site(request: Request, site_id: SiteId, p: EditorDep) -> Any:
    before = get_row(request.app.state.engine, site_id)
    if before is None:
        raise ApiError(404, "site_id", "api.no_site", id=site_id)
    _own(p, before["municipality_code"])
    write_many(request.app.state.engine, p.actor, [("delete", before, None)])
    refresh_catalog(request.app)
    return {"deleted": site_id, "data_snapshot": request.app.state.catalog.snapshot}


@router.post("/sites/import", operation_id="import_sites")
async def import_sites(request: Request, p: EditorDep,
                       file: Annotated[UploadFile, File(description="CSV or XLSX with the sites.csv columns")]) -> Any:
    settings = request.app.state.settings
    data = await file.read(settings.max_body_bytes + 1)
    if len(data) > settings.max_body_bytes:
        raise ApiError(413, "file", "api.file_too_large", limit=settings.max_body_bytes)
    raw = table_rows(file.filename or "", data)
    if not raw:
        raise ApiError(422, "file", "api.no_rows")
    if len(raw) > settings.max_import_rows:
        raise ApiError(422, "file", "api.too_many_rows", n=len(raw), limit=settings.max_import_rows)
    engine = request.app.state.engine
    changes, rows = [], []
    for line, r in enumerate(raw, start=2):
        sid = r.get("site_id") or ""
        before = get_row(engine, sid) if isinstance(sid, str) and ID_RE.fullmatch(sid) else None
        try:
            after = normalise({**(before or {}), **{k: v for k, v in r.items() if v not in (None, "")},
                               "last_updated": r.get("last_updated") or ""}, line)
        except RowsRejected as exc:
            return rejected(exc, lang_of(request))
        for code in {after["municipality_code"], *(before and [before["municipality_code"]] or [])}:
            _own(p, code)
        changes.append(("update" if before else "create", before, after))
        rows.append(after)
    updated = {a["site_id"] for kind, _, a in changes if kind == "update"}
    try:
        check(rows, request.app, existing_ids=_ids(request) - updated)
    except RowsRejected as exc:
        return rejected(exc, lang_of(request))
    try:
        write_many(engine, p.actor, changes)
    except SiteExists:
        raise ApiError(409, "site_id", "api.created_meanwhile") from None
    refresh_catalog(request.app)
    return {"written": len(changes), "created": sum(k == "create" for k, _, _ in changes),
            "updated": len(updated), "data_snapshot": request.app.state.catalog.snapshot}
