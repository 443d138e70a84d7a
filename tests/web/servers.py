"""Real servers for tests: uvicorn in a thread, or in a subprocess that can be killed -9."""

from __future__ import annotations

import json
import os
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
from websockets.sync.client import ClientConnection, connect

from web.app import create_app
from web.db import Database
from web.service import create_user, ensure_org
from web.settings import Settings

PASSWORD = "correct-horse-battery"
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
    db = Database(Settings(database_url=url).sqlalchemy_url)
    db.create_all()
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

    def new_drill(self, scenario: str = "tests/fixtures/mini.yaml", **kw: Any) -> dict[str, Any]:
        r = self.api("trainer", "POST", "/api/drills", json={"scenario": scenario, "seed": 3, **kw})
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
        cmd = [sys.executable, "-m", "web", "serve", "--port", str(self.port)]
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(cmd, env=self.env, cwd=Path(__file__).parents[2],
                                     stdout=subprocess.DEVNULL, stderr=self.log)
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
