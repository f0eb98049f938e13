"""Bad input is a 422 that names the field and the reason; never a 500."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from matcher import ProfileError
from matcher.core.messages import LANGS, t
from matcher.core.profile import field_and_reason

from . import messages as _api_messages  # noqa: F401  (adds the service's reasons to the catalogue)

log = logging.getLogger("kainuu.api")


class ApiError(StarletteHTTPException):
    """A route's refusal in words from the catalogue: ``field`` names what was wrong, ``key`` the
    reason (api/messages.py), said in the caller's language by the handler below; its English
    text is the exception's detail, so logs and tests read the same words."""

    def __init__(self, status: int, field: str, key: str, headers: dict[str, str] | None = None,
                 **values: Any) -> None:
        self.field, self.key, self.values = field, key, values
        super().__init__(status, f"{field}: {t(key, 'en', **values)}", headers=headers)

    def reason(self, lang: str) -> str:
        return t(self.key, lang, **self.values)  # type: ignore[arg-type]


def error_body(field: str, reason: str) -> dict[str, Any]:
    return {"error": f"{field}: {reason}" if field else reason, "detail": [{"field": field, "reason": reason}]}


def error_response(status: int, field: str, reason: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content=error_body(field, reason), headers=headers)


BODY_UNREADABLE = t("err.body_unreadable", "en")
NOT_JSON = t("err.json_invalid", "en")


def lang_of(request: Request) -> str:
    """The language of error reasons: ``?lang=fi`` or ``Accept-Language: fi``; English otherwise."""
    q = request.query_params.get("lang")
    if q in LANGS:
        return q
    return "fi" if request.headers.get("accept-language", "").lower().startswith("fi") else "en"


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        lang = lang_of(request)
        if any(e.get("type") == "json_invalid" for e in exc.errors()):  # the body is not JSON at all: 400
            e = next(e for e in exc.errors() if e.get("type") == "json_invalid")
            where = e.get("ctx", {}).get("error", "")
            return error_response(400, "body", f"{t('err.json_invalid', lang)}{f' ({where})' if where else ''}")
        errors = [dict(zip(("field", "reason"), field_and_reason(e, lang))) for e in exc.errors()]
        return JSONResponse(status_code=422, content={"error": f"{errors[0]['field']}: {errors[0]['reason']}",
                                                      "detail": errors})

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        """Every error has one shape: {"error": "field: reason", "detail": [{field, reason}]}."""
        lang = lang_of(request)
        msg = str(exc.detail)
        headers = getattr(exc, "headers", None)
        if exc.status_code == 400 and msg == "There was an error parsing the body":
            return error_response(400, "body", t("err.body_unreadable", lang), headers)
        if exc.status_code == 404 and msg == "Not Found":  # no route at all
            return error_response(404, "path", t("err.no_endpoint", lang), headers)
        if exc.status_code == 405:
            return error_response(405, "method", t("err.method", lang, allowed=(headers or {}).get("Allow", "")),
                                  headers)
        if isinstance(exc, ApiError):
            return error_response(exc.status_code, exc.field, exc.reason(lang), headers)
        field, _, reason = msg.partition(": ")
        detail = [{"field": field, "reason": reason}] if reason else [{"field": "", "reason": msg}]
        return JSONResponse(status_code=exc.status_code, content={"error": msg, "detail": detail}, headers=headers)

    @app.exception_handler(ProfileError)
    async def _profile(request: Request, exc: ProfileError) -> JSONResponse:
        reason = exc.reason_in(lang_of(request))
        return JSONResponse(status_code=422, content={"error": f"{exc.field}: {reason}",
                                                      "detail": [{"field": exc.field, "reason": reason}]})

    @app.exception_handler(DBAPIError)
    async def _database(request: Request, exc: DBAPIError) -> JSONResponse:
        """The database is down or refused: 503 in the one shape (never a plain-text 500)."""
        log.error("database error: %s", type(exc.orig).__name__ if exc.orig is not None else type(exc).__name__)
        return error_response(503, "database", t("err.database", lang_of(request)), {"Retry-After": "5"})

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return error_response(500, "", t("err.internal", lang_of(request)))


class BodySizeLimit:
    """Refuse request bodies over ``limit`` bytes (413) before the app sees them, declared or
    chunked: the body is read up to the limit, then handed on."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        chunks, seen = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                await self.app(scope, _replay([message], receive), send)
                return
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.limit:
                await self._refuse(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay([body], receive), send)

    async def _refuse(self, send: Send) -> None:
        await send_json(send, 413, error_body("body", f"larger than the limit of {self.limit} bytes"),
                        [(b"connection", b"close")])


async def send_json(send: Send, status: int, content: dict, headers: list[tuple[bytes, bytes]]) -> None:
    """An answer straight from ASGI middleware, before any route runs."""
    body = json.dumps(content).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [*headers, (b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay
