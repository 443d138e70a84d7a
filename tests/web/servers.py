"""Real servers for tests: uvicorn in a thread, or in a subprocess that can be killed -9."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy.engine import make_url
from websockets.sync.client import ClientConnection, connect

from web.app import create_app
from web.db import Database
from web.migrate import upgrade
from web.service import create_user, ensure_org
from web.settings import Settings

PASSWORD = "correct-horse-battery"
MINI_YAML = (Path(__file__).parents[1] / "fixtures" / "mini.yaml").read_text(encoding="utf-8")
USERS = {
    "trainer": ("trainer", "Org A"),
    "alice": ("trainee", "Org A"),
    "bob": ("trainee", "Org A"),
    "manager": ("manager", "Org A"),
    "mallory": ("trainee", "Org B"),
    "otto": ("trainer", "Org B"),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed_users(url: str) -> None:
    """The test accounts, in a database brought to the current schema by the migrations."""
    sa_url = Settings(database_url=url).sqlalchemy_url
    upgrade(sa_url)
    db = Database(sa_url)
    with db.session() as s:
        for name, (role, org_name) in USERS.items():
            create_user(s, ensure_org(s, org_name), name, PASSWORD, role, name.title())
    db.dispose()


@dataclass
class Live:
    base: str
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def ws_base(self) -> str:
        return self.base.replace("http://", "ws://")

    def token(self, user: str) -> str:
        if user not in self.tokens:
            r = httpx.post(f"{self.base}/api/login", json={"username": user, "password": PASSWORD})
            r.raise_for_status()
            self.tokens[user] = r.json()["token"]
        return self.tokens[user]

    def api(self, user: str, method: str, path: str, **kw: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token(user)}"}
        return httpx.request(method, f"{self.base}{path}", headers=headers, timeout=10, **kw)

    def socket(self, user: str, drill_id: str, since: int | None = None) -> "Socket":
        q = f"?token={self.token(user)}" + (f"&since={since}" if since is not None else "")
        return Socket(open_ws(f"{self.ws_base}/ws/drills/{drill_id}{q}"))

    def new_drill(self, scenario: str | None = None, **kw: Any) -> dict[str, Any]:
        """A drill of ``scenario`` (a library id), or of the mini fixture uploaded as text."""
        body: dict[str, Any] = {"scenario": scenario} if scenario else {"scenario_yaml": MINI_YAML}
        r = self.api("trainer", "POST", "/api/drills", json={**body, "seed": 3, **kw})
        assert r.status_code == 201, r.text
        return dict(r.json())


def open_ws(url: str) -> ClientConnection:
    """Open a websocket outside a with-block (the connection is closed by ``Socket.close``)."""
    return connect(url, open_timeout=5, max_size=2**22).__enter__()


class Socket:
    """A JSON websocket client with a frame-waiting helper (bounded by a timeout, no sleeps)."""

    def __init__(self, conn: ClientConnection) -> None:
        self.conn = conn
        self.frames: list[dict[str, Any]] = []

    def send(self, frame: dict[str, Any] | str | bytes) -> None:
        self.conn.send(frame if isinstance(frame, (str, bytes)) else json.dumps(frame))

    def next(self, timeout: float = 5.0) -> dict[str, Any]:
        frame = json.loads(self.conn.recv(timeout=timeout))
        self.frames.append(frame)
        return dict(frame)

    def until(self, pred: Any, timeout: float = 10.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no matching frame within {timeout}s; last: {self.frames[-3:]}")
            frame = self.next(left)
            if pred(frame):
                return frame

    def close(self) -> None:
        self.conn.close()


def pg_url(base: str, database: str) -> str:
    """``base`` (a ``postgresql://`` URL) pointing at another database."""
    return make_url(base).set(database=database).render_as_string(hide_password=False)


@contextmanager
def pg_database(base: str, template: str | None = None, prefix: str = "cdt") -> Iterator[str]:
    """A throwaway PostgreSQL database (copied from ``template`` if given), dropped afterwards."""
    import psycopg

    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"
    admin = make_url(base).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    try:
        yield pg_url(base, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def thread_server(url: str, **settings: Any) -> Iterator[Live]:
    port = free_port()
    app = create_app(Settings(database_url=url, **settings))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws_max_size=1 << 20,
                            lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield Live(f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(10)


class ProcessServer:
    """``crisisdrill serve`` in a subprocess, so a test can kill -9 it and start it again."""

    def __init__(self, url: str, port: int | None = None, env: dict[str, str] | None = None) -> None:
        self.url = url
        self.port = port or free_port()
        self.env = {**os.environ, "DATABASE_URL": url, **(env or {})}
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def live(self) -> Live:
        return Live(f"http://127.0.0.1:{self.port}")

    def start(self) -> "ProcessServer":
        return self.spawn().wait_ready()

    def spawn(self) -> "ProcessServer":
        """Start the process without waiting for it (see :func:`start_all`)."""
        cmd = [sys.executable, "-m", "web", "serve", "--port", str(self.port)]
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(cmd, env=self.env, cwd=Path(__file__).parents[2],
                                     stdout=subprocess.DEVNULL, stderr=self.log)
        return self

    def wait_ready(self) -> "ProcessServer":
        assert self.proc is not None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"server exited: {self.log.read().decode(errors='replace')[-2000:]}")
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=0.5).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError("server did not answer /healthz within 20 s")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
        self._close_log()

    def _close_log(self) -> None:
        log = getattr(self, "log", None)
        if log is not None:
            log.close()
            self.log = None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close_log()


def start_all(*servers: ProcessServer) -> None:
    """Start several servers at once (each takes a second or two to import and bind)."""
    for srv in servers:
        srv.spawn()
    for srv in servers:
        srv.wait_ready()
