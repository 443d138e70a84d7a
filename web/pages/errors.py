"""Friendly error pages: no browser ever sees a raw error or a stack trace.

API clients (``/api``…, or anything that does not ask for HTML) keep the JSON shape
``{"detail": …}``. htmx requests get a toast instead of a whole page.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from markupsafe import escape
from starlette.exceptions import HTTPException as StarletteHTTPException

from ._common import LoginRequired, is_htmx, login_url

__all__ = ["install_error_pages"]

log = logging.getLogger("crisisdrill.web")

TITLES = {400: "That request did not make sense", 401: "Please log in", 403: "Not allowed",
          404: "Not found", 405: "Not allowed here", 409: "Not possible right now",
          422: "Something in the form needs fixing", 429: "Slow down", 500: "Something went wrong"}
HINTS = {403: "Your role cannot open this page. Ask a trainer or an admin if you need it.",
         404: "It does not exist, or it belongs to another organisation.",
         500: "The error has been logged. Go back and try again; if it keeps happening, tell your admin."}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or (
        "text/html" not in request.headers.get("accept", "") and not is_htmx(request))


def _page(request: Request, status: int, detail: str) -> Response:
    if is_htmx(request):
        return HTMLResponse(f'<div hx-swap-oob="afterbegin:#toasts"><p class="toast error" role="alert">'
                            f"{escape(detail)}</p></div>", status, headers={"HX-Reswap": "none"})
    state = getattr(request.app.state, "crisisdrill", None)
    title = TITLES.get(status, "Something went wrong")
    if state is None:
        return HTMLResponse(f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1>", status)
    body = state.templates.page("error.html", user=None, csrf="", status=status, title=title, detail=detail,
                                hint=HINTS.get(status, ""))
    return HTMLResponse(body, status)


def install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": "log in first: POST /api/login, or open /login"}, 401)
        if is_htmx(request):
            return Response(status_code=204, headers={"HX-Redirect": login_url(exc.next_url)})
        return RedirectResponse(login_url(exc.next_url), 303)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if _wants_json(request):
            detail: Any = exc.detail  # a str here; replaced by a list below for 422
            if exc.status_code == 422 and isinstance(detail, str):  # OpenAPI documents every 422 as a list
                detail = [{"loc": [], "msg": detail, "type": "value_error"}]
            return JSONResponse({"detail": detail}, exc.status_code, headers=exc.headers)
        return _page(request, exc.status_code, str(exc.detail))

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(HTTPException, http_error)  # FastAPI's subclass too

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                    for e in exc.errors()]  # the documented ValidationError shape (schemathesis: `type` was missing)
        if _wants_json(request):
            return JSONResponse({"detail": problems}, 422)
        text = "; ".join(f"{'.'.join(str(x) for x in p['loc'][1:]) or 'form'}: {p['msg']}" for p in problems)
        return _page(request, 422, text or "the form was incomplete")

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        if _wants_json(request):
            return JSONResponse({"detail": "internal error: it has been logged"}, 500)
        return _page(request, 500, "An unexpected error stopped this page.")
