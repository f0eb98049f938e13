"""The web application: server-rendered pages on the API's own FastAPI app, for the
coordinator, the municipalities and referral partners. Static assets (the app's CSS and
JavaScript, Swagger UI and ReDoc) are vendored under ``static/`` so every page works offline."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from matcher.core.messages import t

from . import pages_auth, pages_leads, pages_match, pages_offerings, pages_referrals, pages_sites
from .common import BadCsrf, BadLink, Forbidden, NeedSignIn, user_or_none
from .render import lang_of, page

STATIC = Path(__file__).parent / "static"
ROUTERS = (pages_auth.router, pages_match.router, pages_sites.router, pages_leads.router, pages_referrals.router,
           pages_offerings.router)


def install(app: FastAPI) -> None:
    """Mount the pages, the static files and the offline API docs on ``app`` (which must be
    made with ``docs_url=None, redoc_url=None``)."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for r in ROUTERS:
        app.include_router(r)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=app.openapi_url or "/openapi.json", title=f"{app.title} – API",
                                   swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
                                   swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
                                   swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png")

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(openapi_url=app.openapi_url or "/openapi.json", title=f"{app.title} – API",
                              redoc_js_url="/static/vendor/redoc/redoc.standalone.js",
                              redoc_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
                              with_google_fonts=False)

    @app.exception_handler(NeedSignIn)
    async def _signin(request: Request, exc: NeedSignIn) -> Response:
        from urllib.parse import quote

        return RedirectResponse(f"/signin?next={quote(exc.next_url)}", status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        return page(request, "message.html", user_or_none(request), status_code=403,
                    heading=t("web.no_access", lang_of(request)),  # type: ignore[arg-type]
                    message=t(exc.message_key, lang_of(request)))  # type: ignore[arg-type]

    @app.exception_handler(BadLink)
    async def _bad_link(request: Request, exc: BadLink) -> Response:
        return page(request, "message.html", user_or_none(request), status_code=422, message=exc.reason,
                    heading=t("web.check", lang_of(request)))  # type: ignore[arg-type]

    # A browser that follows a mistyped or cut link gets a page of the app, an API client the JSON error.
    api_http = app.exception_handlers[StarletteHTTPException]
    api_validation = app.exception_handlers[RequestValidationError]

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_page(request) and exc.status_code in (404, 405):
            lang = lang_of(request)
            what = "not_found" if exc.status_code == 404 else "wrong_method"
            resp = page(request, "message.html", user_or_none(request), status_code=exc.status_code,
                        heading=t(f"web.{what}_title", lang), message=t(f"web.{what}_page", lang),  # type: ignore[arg-type]
                        back="/")
            resp.headers.update(getattr(exc, "headers", None) or {})  # a 405 keeps its Allow
            return resp
        return await api_http(request, exc)  # type: ignore[no-any-return]

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        if _wants_page(request):
            lang = lang_of(request)
            return page(request, "message.html", user_or_none(request), status_code=422,
                        heading=t("web.check", lang), message=t("web.link_incomplete", lang), back="/")  # type: ignore[arg-type]
        return await api_validation(request, exc)  # type: ignore[no-any-return]

    @app.exception_handler(BadCsrf)
    async def _csrf(request: Request, exc: BadCsrf) -> Response:
        return page(request, "message.html", user_or_none(request), status_code=403,
                    message=t("web.csrf", lang_of(request)))  # type: ignore[arg-type]


def _wants_page(request: Request) -> bool:
    """A browser asking for a page (not the API, not the schema)."""
    path = request.url.path
    return (not path.startswith(("/api/", "/openapi.json", "/static/"))
            and "text/html" in request.headers.get("accept", ""))
