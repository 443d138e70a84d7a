"""The app factory: ``create_app(settings)`` builds the database, hub, registry and
templates in the lifespan; nothing is built at import.

At start-up the database must be at this code's schema revision: the server refuses to start
otherwise, naming the fix (``crisisdrill db upgrade``). ``create_schema=True`` upgrades it
instead (tests and throwaway databases). For several workers:
``uvicorn --factory web.app:create_app --workers 4`` (docs/deploy.md)."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
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
from .gc_policy import GcPolicy
from .hub import MemoryHub
from .lease import Leases, worker_name
from .migrate import check as check_schema
from .migrate import upgrade as upgrade_schema
from .registry import Registry
from .render import Renderer
from .settings import Settings
from .store import EventStore

__all__ = ["create_app"]


@functools.lru_cache(maxsize=4)
def shared_scorer(rubric: str = "default") -> Scorer:
    """Scorers are immutable and thread-safe: build each rubric's once per process."""
    return Scorer(rubric)


def make_hub(settings: Settings, worker: str | None = None):  # type: ignore[no-untyped-def]
    if settings.redis_url:
        from .hub_redis import RedisHub

        return RedisHub(settings.redis_url, prefix=settings.redis_prefix, worker=worker)
    return MemoryHub()


def create_app(settings: Settings | None = None, *, create_schema: bool = False) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if create_schema:
            await anyio.to_thread.run_sync(upgrade_schema, settings.sqlalchemy_url)
        db = Database(settings.sqlalchemy_url, settings.db_pool_size)
        try:
            await anyio.to_thread.run_sync(check_schema, db.engine)
        except BaseException:
            db.dispose()
            raise
        worker = worker_name()
        hub = make_hub(settings, worker)
        scorer = shared_scorer()
        registry = Registry(EventStore(db), hub, scorer, leases=Leases(db, worker, settings.lease_ttl_s,
                                                                     local_takeover=settings.lease_local_takeover))
        app.state.crisisdrill = AppState(settings, db, Tokens(settings.secret_key, settings.session_max_age_s),
                                         registry, hub, Renderer(), scorer)
        gc_policy = GcPolicy()  # no 100+ ms collector pauses in the live feed (web/gc_policy.py)
        gc_policy.start()
        try:
            yield
        finally:
            await gc_policy.stop()
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

    pages.install_error_pages(app)  # friendly HTML error pages for browsers; JSON stays JSON

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
