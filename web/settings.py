"""One settings class, read from the environment (``CRISISDRILL_*``, plus the standard
``DATABASE_URL`` and ``REDIS_URL``) and validated at start-up."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "DEV_SECRET"]

DEV_SECRET = "dev-insecure-secret-change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CRISISDRILL_", extra="ignore")

    environment: str = Field(default="development", description="development | production")
    database_url: str = Field(
        default="sqlite:///./crisisdrill.db",
        validation_alias=AliasChoices("DATABASE_URL", "CRISISDRILL_DATABASE_URL"),
    )
    redis_url: str | None = Field(default=None, validation_alias=AliasChoices("REDIS_URL", "CRISISDRILL_REDIS_URL"))
    redis_prefix: str = Field(default="crisisdrill", min_length=1, max_length=60,
                              description="Channel prefix; give each deployment sharing a Redis its own.")
    db_pool_size: int = Field(default=10, ge=1, le=200,
                              description="PostgreSQL connections per worker (and as many again in bursts).")
    lease_ttl_s: float = Field(default=3.0, ge=0.5, le=60,
                               description="A drill's scheduler moves this long (plus ttl/4) after its worker dies.")
    lease_local_takeover: bool = Field(default=True, description="Take a lease at once from a dead process of "
                                       "this host (a restart after a crash) instead of waiting for the ttl.")
    scenario_dirs: str = Field(default="", description="Extra folders of scenario scripts, separated by "
                               "os.pathsep (':' on Linux); drills name them by id like bundled ones.")
    secret_key: str = DEV_SECRET
    session_max_age_s: int = 12 * 3600
    ws_queue_size: int = Field(default=512, ge=16, description="Frames buffered per socket before it is dropped.")
    ws_max_frame_bytes: int = Field(default=16 * 1024, ge=1024)
    actions_per_minute: int = Field(default=120, ge=1, description="Rate limit per connection.")
    account_actions_per_minute: int = Field(default=240, ge=1,
                                            description="Rate limit per account, shared by all its sockets.")
    secure_cookies: bool = False

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> "Settings":
        if self.environment != "development" and self.secret_key == DEV_SECRET:
            raise ValueError(
                "CRISISDRILL_SECRET_KEY is the development placeholder; set a long random secret "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`) outside development"
            )
        if self.environment != "development" and len(self.secret_key) < 32:
            raise ValueError("CRISISDRILL_SECRET_KEY must be at least 32 characters outside development")
        return self

    @property
    def scenario_paths(self) -> list[Path]:
        return [Path(p) for p in self.scenario_dirs.split(os.pathsep) if p.strip()]

    @property
    def sqlalchemy_url(self) -> str:
        """``postgresql://`` URLs use psycopg 3; everything else is passed through."""
        url = self.database_url
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://") :]
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url
