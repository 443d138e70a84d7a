"""Server-rendered pages (Jinja2 + htmx), one module per area.

Every page is a template with named blocks: htmx requests get the block, everything else the
full page (``Vary: HX-Request``). Every form carries a CSRF token bound to the session (a
field, or the ``X-CSRF-Token`` header htmx sends from ``base.html``); every user string is
escaped by the templates' autoescaping.
"""

from __future__ import annotations

from fastapi import APIRouter

from . import auth, manager, trainee, trainer
from .errors import install_error_pages

__all__ = ["install_error_pages", "router"]

router = APIRouter(include_in_schema=False)
router.include_router(auth.router)
router.include_router(trainer.router)  # /drills/new before /drills/{drill_id}
router.include_router(manager.router)
router.include_router(trainee.router)
