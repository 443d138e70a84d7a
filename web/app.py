"""The app factory: ``create_app(settings)`` builds the database, hub, registry and
templates in the lifespan; nothing is built at import."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from markupsafe import escape

from scoring import Scorer

from . import api, pages, ws
from .auth import Tokens
from .db import Database
from .deps import AppState
from .hub import MemoryHub
from .render import Renderer
from .runtime import Registry
from .settings import Settings
from .store import EventStore

__all__ = ["create_app"]


@functools.lru_cache(maxsize=4)
def shared_scorer(rubric: str = "default") -> Scorer:
    """Scorers are immutable and thread-safe: build each rubric's once per process."""
    return Scorer(rubric)


def make_hub(settings: Settings):  # type: ignore[no-untyped-def]
    if settings.redis_url:
        from .hub_redis import RedisHub

        return RedisHub(settings.redis_url)
    return MemoryHub()


def create_app(settings: Settings | None = None, *, create_schema: bool = True) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = Database(settings.sqlalchemy_url)
        if create_schema:
            db.create_all()
        hub = make_hub(settings)
        scorer = shared_scorer()
        registry = Registry(EventStore(db), hub, scorer)
        app.state.crisisdrill = AppState(settings, db, Tokens(settings.secret_key, settings.session_max_age_s),
                                         registry, hub, Renderer(), scorer)
        try:
            yield
        finally:
            await registry.close()
            await hub.close()
            db.dispose()

    app = FastAPI(
        title="crisisdrill",
        version="0.1.0",
        description="Rehearse a social-media crisis: drills, live websocket feed, scored transcripts. "
        "The websocket protocol is documented in docs/protocol.md.",
        lifespan=lifespan,
    )
    app.include_router(api.router)
    app.include_router(ws.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api") or "text/html" not in request.headers.get("accept", ""):
            return JSONResponse({"detail": exc.detail}, exc.status_code, headers=exc.headers)
        body = (f"<!doctype html><title>{exc.status_code}</title><link rel=stylesheet href=/static/app.css>"
                f"<main class=card><h1>{exc.status_code}</h1><p>{escape(str(exc.detail))}</p>"
                f"<p><a href='/'>Back to your drills</a></p></main>")
        return HTMLResponse(body, exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        return JSONResponse({"detail": problems}, 422)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
