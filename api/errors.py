"""Bad input is a 422 that names the field and the reason; never a 500."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from matcher import ProfileError
from matcher.profile import field_and_reason


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [dict(zip(("field", "reason"), field_and_reason(e))) for e in exc.errors()]
        return JSONResponse(status_code=422, content={"error": f"{errors[0]['field']}: {errors[0]['reason']}",
                                                      "detail": errors})

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        """Every error has one shape: {"error": "field: reason", "detail": [{field, reason}]}."""
        msg = str(exc.detail)
        field, _, reason = msg.partition(": ")
        detail = [{"field": field, "reason": reason}] if reason else [{"field": "", "reason": msg}]
        return JSONResponse(status_code=exc.status_code, content={"error": msg, "detail": detail},
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(ProfileError)
    async def _profile(_: Request, exc: ProfileError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"error": str(exc),
                                                      "detail": [{"field": exc.field, "reason": exc.reason}]})


class BodySizeLimit:
    """Refuse request bodies over ``limit`` bytes (413) before they are read into memory."""

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
        seen = 0

        async def limited() -> dict:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = (b'{"error":"body: larger than the limit of %d bytes","detail":[{"field":"body",'
                b'"reason":"larger than the limit of %d bytes"}]}' % (self.limit, self.limit))
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass
