"""Fan-out benchmark: N trainees in M live drills on one server, against a bare broadcaster.

    .venv/bin/python -m bench.fanout --trainees 1000 --drills 50 --seconds 30

1. Starts the real server (uvicorn subprocess, SQLite in a temp dir), creates M drills of a bundled
   scenario at ``--speed`` (default 20: the 20-minute payday outage plays in one minute) and joins N
   trainees (through ``POST /api/join``; their session tokens are minted with the server's secret
   so that 1,000 argon2 logins do not dominate the set-up).
2. Connects the N trainees as real websocket clients from a separate process (:mod:`bench._clients`),
   starts the drills (spread over one engagement period, as unrelated drills are not phase-locked)
   and records for ``--seconds``: lateness of every delivered feed event against its scheduled
   time (see :mod:`bench._clients`), reply → verdict round trip (a ``--repliers`` share of trainees
   answer every scripted post), frames delivered, server CPU, server RSS per connected trainee.
3. Runs the bare broadcaster (:mod:`bench.bare`) with the same clients, groups, frame rate per
   socket and mean frame size, and compares throughput per server CPU second (one worker is one
   core, so that is the most it can deliver).

The last line of output is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432")  # --workers > 1: throwaway dbs here
TARGETS = {"p99_lateness_ms": 20.0, "p99_reply_ms": 50.0, "ratio_vs_bare": 0.70, "kb_per_trainee": 50.0}


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    xs = sorted(values)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def _ms(v: float | None) -> float | None:
    return None if v is None else round(v * 1000, 2)


class Server:
    """``bench._server`` in a subprocess; with ``workers`` > 1 a uvicorn supervisor and its workers,
    whose CPU and RSS are summed (the supervisor's included)."""

    def __init__(self, env: dict[str, str], bare: bool = False, extra: list[str] | None = None, workers: int = 1,
                 log: Path | None = None) -> None:
        self.port = _free_port()
        cmd = [sys.executable, "-m", "bench._server", "--port", str(self.port)] + (["--bare"] if bare else [])
        cmd += ["--workers", str(workers)] + (extra or [])
        self.log = log
        out = open(log, "ab") if log is not None else None  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=out)
        self.base = f"http://127.0.0.1:{self.port}"
        self.ps = psutil.Process(self.proc.pid)
        self.workers: list[psutil.Process] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited during start-up (see {log})")
            try:
                if workers > 1:
                    self.workers = self.ps.children(recursive=True)
                    if len([c for c in self.workers if "spawn_main" in " ".join(c.cmdline())]) < workers:
                        raise httpx.ConnectError("workers starting")
                if httpx.get(f"{self.base}/healthz", timeout=0.5).status_code == 200:
                    break
            except (httpx.HTTPError, psutil.Error):
                time.sleep(0.1)
        else:
            raise RuntimeError(f"the server did not answer /healthz within 60 s (see {log})")
        if workers > 1:
            for _ in range(40):  # every worker up: each answers in turn on the shared port
                httpx.get(f"{self.base}/healthz", timeout=5)
            self.workers = self.ps.children(recursive=True)

    def _procs(self) -> list[psutil.Process]:
        return [self.ps, *self.workers]

    def cpu(self) -> float:
        total = 0.0
        for p in self._procs():
            try:
                t = p.cpu_times()
            except psutil.Error:
                continue
            total += t.user + t.system
        return total

    def rss(self) -> int:
        total = 0
        for p in self._procs():
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return total

    def stop(self) -> None:
        for p in reversed(self._procs()):  # the workers, then the supervisor (by pid: only what we started)
            try:
                p.kill()
            except psutil.Error:
                pass
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)


class Clients:
    """The load-generator process; talks ``READY`` / ``GO`` / ``RESULT`` over its stdio."""

    def __init__(self, cfg: dict[str, Any], tmp: Path) -> None:
        path = tmp / f"clients-{secrets.token_hex(3)}.json"
        path.write_text(json.dumps(cfg))
        self.proc = subprocess.Popen([sys.executable, "-m", "bench._clients", str(path)], cwd=ROOT,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.ps = psutil.Process(self.proc.pid)

    def expect(self, word: str) -> dict[str, Any]:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith(word + " "):
                return dict(json.loads(line[len(word) + 1:]))
        raise RuntimeError(f"the client process exited before {word}")

    def go(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("GO\n")
        self.proc.stdin.flush()

    def cpu(self) -> float:
        t = self.ps.cpu_times()
        return float(t.user + t.system)

    def wait(self) -> None:
        self.proc.wait(30)


def seed(url: str, trainees: int) -> tuple[int, list[int]]:
    """A trainer and ``trainees`` trainees in one organisation; one argon2 hash shared by all."""
    from web.auth import hash_password
    from web.db import Database
    from web.models import User
    from web.service import create_user, ensure_org
    from web.settings import Settings

    from web.migrate import upgrade

    sa_url = Settings(database_url=url).sqlalchemy_url
    upgrade(sa_url)  # the schema the server expects, from the migrations
    db = Database(sa_url)
    with db.session() as s:
        org = ensure_org(s, "Bench")
        trainer = create_user(s, org, "trainer", "bench-password", "trainer", "Bench Trainer")
        pw = hash_password("bench-password")
        assert org.id is not None
        users = [User(org_id=org.id, username=f"t{i:05d}", display_name=f"Trainee {i}", role="trainee",
                      password_hash=pw) for i in range(trainees)]
        s.add_all(users)
        s.commit()
        ids = [int(u.id) for u in users if u.id is not None]
    db.dispose()
    assert trainer.id is not None
    return trainer.id, ids


async def _setup_drills(base: str, trainer_tok: str, tokens: list[str], args: argparse.Namespace) -> list[str]:
    hdr = {"Authorization": f"Bearer {trainer_tok}"}
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        drills = []
        for i in range(args.drills):
            r = await http.post("/api/drills", headers=hdr, json={
                "scenario": args.scenario, "seed": i + 1, "title": f"bench {i}", "live_feedback": True})
            r.raise_for_status()
            drills.append(r.json())
        for d in drills:  # load every runtime before the memory baseline
            (await http.get(f"/api/drills/{d['id']}", headers=hdr)).raise_for_status()
        return [d["join_code"] + ":" + d["id"] for d in drills]


async def _join(base: str, tokens: list[str], codes: list[str]) -> None:
    sem = asyncio.Semaphore(16)
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        async def one(i: int, tok: str) -> None:
            async with sem:
                r = await http.post("/api/join", headers={"Authorization": f"Bearer {tok}"},
                                    json={"code": codes[i % len(codes)].split(":")[0]})
                r.raise_for_status()

        await asyncio.gather(*(one(i, t) for i, t in enumerate(tokens)))


def _start_drills(base: str, trainer_tok: str, drill_ids: list[str], speed: float, spread: float) -> None:
    hdr = {"Authorization": f"Bearer {trainer_tok}"}
    t0 = time.monotonic()
    with httpx.Client(base_url=base, timeout=30, headers=hdr) as http:
        for i, did in enumerate(drill_ids):
            wait = t0 + spread * i / len(drill_ids) - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            http.post(f"/api/drills/{did}/control", json={"action": "start"}).raise_for_status()
            http.post(f"/api/drills/{did}/control", json={"action": "speed", "speed": speed}).raise_for_status()


def _summary(res: dict[str, Any], cpu_s: float, n: int) -> dict[str, Any]:
    lat, rtt = res["lateness"], res["reply_rtt"]
    fps = res["frames"] / res["elapsed"]
    return {
        "frames": res["frames"], "frames_per_s": round(fps, 1), "mean_frame_bytes": round(res["bytes"] / max(1,
                                                                                                           res["frames"])),
        "feed_events": len(lat), "p50_lateness_ms": _ms(_pct(lat, 0.50)), "p99_lateness_ms": _ms(_pct(lat, 0.99)),
        "max_lateness_ms": _ms(max(lat) if lat else None),
        "replies": len(rtt), "replies_sent": res["replies_sent"], "p50_reply_ms": _ms(_pct(rtt, 0.50)),
        "p99_reply_ms": _ms(_pct(rtt, 0.99)), "p99_ack_ms": _ms(_pct(res["ack_rtt"], 0.99)),
        "server_cpu_s": round(cpu_s, 2), "server_cpu_pct": round(100 * cpu_s / res["elapsed"], 1),
        "frames_per_cpu_s": round(res["frames"] / cpu_s) if cpu_s > 0 else None,
        "us_cpu_per_frame": round(1e6 * cpu_s / res["frames"], 1) if res["frames"] else None,
        "errors": res["errors"], "closed": res["closed"], "sockets": n,
        "worst_lateness_ms_by_second": res.get("worst_by_second"),
    }


@contextmanager
def _postgres_db() -> Iterator[str]:
    """A throwaway PostgreSQL database (dropped afterwards) on the local server."""
    import psycopg

    name = f"crisisdrill_bench_{secrets.token_hex(4)}"
    with psycopg.connect(f"{PG_ADMIN}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_ADMIN}/{name}"
    finally:
        with psycopg.connect(f"{PG_ADMIN}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _app_phase(args: argparse.Namespace, tmp: Path, url: str, env_extra: dict[str, str], workers: int,
               label: str) -> tuple[dict[str, Any], float]:
    """Seed ``url``, start the app with ``workers`` workers, connect everyone, measure one window."""
    from web.auth import Tokens

    n, m = args.trainees, args.drills
    spread = args.spread if args.spread is not None else 10.0 / args.speed
    secret = secrets.token_urlsafe(48)
    trainer_id, ids = seed(url, n)
    tokens_ = Tokens(secret, 12 * 3600)
    trainer_tok = tokens_.issue(trainer_id)
    toks = [tokens_.issue(u) for u in ids]
    env = {"DATABASE_URL": url, "CRISISDRILL_SECRET_KEY": secret, **env_extra,
           **dict(e.split("=", 1) for e in args.env)}
    srv = Server(env, extra=args.server_arg, workers=workers, log=tmp / f"server-{label}.log")
    try:
        codes = asyncio.run(_setup_drills(srv.base, trainer_tok, toks, args))
        drill_ids = [c.split(":")[1] for c in codes]
        rss_drills = srv.rss()
        asyncio.run(_join(srv.base, toks, codes))
        rss_joined = srv.rss()
        ws = srv.base.replace("http://", "ws://")
        sockets = [{"url": f"{ws}/ws/drills/{drill_ids[i % m]}?token={t}", "replier": i % round(1 / args.repliers)
                    == 0 if args.repliers > 0 else False} for i, t in enumerate(toks)]
        cli = Clients({"sockets": sockets, "seconds": args.seconds, "deflate": args.deflate, "seed": 7}, tmp)
        ready = cli.expect("READY")
        rss_connected = srv.rss()
        prof = None
        if args.profile:
            prof = subprocess.Popen(["py-spy", "record", "-p", str(srv.proc.pid), "-d", str(int(args.seconds)),
                                     "-r", "200", "-f", args.profile_format, "-o", args.profile, "--nonblocking"]
                                    + (["--subprocesses"] if workers > 1 else []),
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"})
        cpu0, ccpu0 = srv.cpu(), cli.cpu()
        cli.go()
        _start_drills(srv.base, trainer_tok, drill_ids, args.speed, spread)
        res = cli.expect("RESULT")
        cpu1, ccpu1 = srv.cpu(), cli.cpu()
        rss_end = srv.rss()
        cli.wait()
        if prof is not None:
            prof.wait(60)
    finally:
        srv.stop()
    ours = _summary(res, cpu1 - cpu0, n)
    ours.update({"workers": workers, "connect_failures": ready["failed"],
                 "client_cpu_pct": round(100 * (ccpu1 - ccpu0) / res["elapsed"], 1),
                 "rss_mb_drills": round(rss_drills / 2**20, 1), "rss_mb_connected": round(rss_connected / 2**20, 1),
                 "rss_mb_end": round(rss_end / 2**20, 1),
                 "kb_per_trainee": round((rss_connected - rss_drills) / 1024 / n, 1),
                 "kb_per_socket": round((rss_connected - rss_joined) / 1024 / n, 1)})
    return ours, res["elapsed"]


def run(args: argparse.Namespace) -> dict[str, Any]:
    n, m = args.trainees, args.drills
    spread = args.spread if args.spread is not None else 10.0 / args.speed
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="crisisdrill-bench-", dir=args.db_dir) as tmpdir:
        tmp = Path(tmpdir)
        if args.workers > 1:
            # as deployed for several workers: PostgreSQL + Redis; the same backends with one worker
            # give the ratio of two workers to one
            redis = {"REDIS_URL": args.redis_url, "CRISISDRILL_REDIS_PREFIX": f"bench-{secrets.token_hex(4)}"}
            with _postgres_db() as url:
                out["app"], elapsed = _app_phase(args, tmp, url, redis, args.workers, f"{args.workers}w")
            if not args.skip_one:
                redis["CRISISDRILL_REDIS_PREFIX"] = f"bench-{secrets.token_hex(4)}"
                with _postgres_db() as url:
                    out["one_worker"], _ = _app_phase(args, tmp, url, redis, 1, "1w")
        else:
            out["app"], elapsed = _app_phase(args, tmp, f"sqlite:///{tmp / 'bench.db'}", {}, 1, "1w")
        ours = out["app"]

        # ---------------------------------------------------------------- the baseline
        if not args.skip_bare:
            rate = ours["frames"] / elapsed / n  # frames per socket per second, as the app delivered
            size = max(120, ours["mean_frame_bytes"])
            bare = Server({}, bare=True, log=tmp / "server-bare.log")
            try:
                ws = bare.base.replace("http://", "ws://")
                sockets = [{"url": f"{ws}/ws/g{i % m}", "bare": True} for i in range(n)]
                rss0 = bare.rss()
                cli = Clients({"sockets": sockets, "seconds": args.seconds, "deflate": args.deflate, "seed": 7}, tmp)
                cli.expect("READY")
                rss1 = bare.rss()
                cpu0 = bare.cpu()
                cli.go()
                httpx.post(f"{bare.base}/start", params={"rate": rate, "size": size, "seconds": args.seconds + 5,
                                                         "spread": spread}, timeout=10).raise_for_status()
                bres = cli.expect("RESULT")
                cpu1 = bare.cpu()
                cli.wait()
            finally:
                bare.stop()
            b = _summary(bres, cpu1 - cpu0, n)
            b.update({"rate_per_socket": round(rate, 2), "kb_per_socket": round((rss1 - rss0) / 1024 / n, 1)})
            out["bare"] = b
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trainees", type=int, default=1000)
    ap.add_argument("--drills", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30.0, help="measurement window (wall seconds)")
    ap.add_argument("--speed", type=float, default=20.0, help="drill speed (the scenario is compressed by this)")
    ap.add_argument("--scenario", default="bank-payday-outage")
    ap.add_argument("--repliers", type=float, default=0.1, help="share of trainees answering every scripted post")
    ap.add_argument("--spread", type=float, default=None, help="drill starts spread over this many seconds "
                    "(default: one engagement period, 10 drill seconds)")
    ap.add_argument("--deflate", action="store_true", help="clients negotiate permessage-deflate")
    ap.add_argument("--skip-bare", action="store_true")
    ap.add_argument("--workers", type=int, default=1, help="uvicorn workers (>1: PostgreSQL + Redis, as "
                    "`crisisdrill serve --workers N`; also measures one worker on the same backends)")
    ap.add_argument("--redis-url", default="redis://127.0.0.1:6379/9", help="the hub for --workers > 1")
    ap.add_argument("--skip-one", action="store_true", help="with --workers > 1: skip the one-worker comparison")
    ap.add_argument("--env", action="append", default=[], help="NAME=VALUE for the server (experiments)")
    ap.add_argument("--db-dir", default=None, help="where the temp dir with the SQLite file goes (default: $TMPDIR)")
    ap.add_argument("--server-arg", action="append", default=[], help="passed to bench._server (experiments)")
    ap.add_argument("--profile", help="py-spy the server during the window into this file")
    ap.add_argument("--profile-format", default="raw", choices=["raw", "flamegraph", "speedscope"])
    args = ap.parse_args()
    out = run(args)
    app, bare = out["app"], out.get("bare")
    ratio = round(app["frames_per_cpu_s"] / bare["frames_per_cpu_s"], 3) if bare else None
    print(f"# {args.trainees} trainees, {args.drills} drills, {args.seconds:g}s at {args.speed:g}x "
          f"({os.cpu_count()} cores)")
    for name, r in out.items():
        print(f"{name:10s} frames/s {r['frames_per_s']:>8} lateness p50/p99/max {r['p50_lateness_ms']}/"
              f"{r['p99_lateness_ms']}/{r['max_lateness_ms']} ms  reply p50/p99 {r['p50_reply_ms']}/"
              f"{r['p99_reply_ms']} ms  cpu {r['server_cpu_pct']}%  {r['us_cpu_per_frame']} us/frame  "
              f"{r.get('kb_per_trainee', r.get('kb_per_socket'))} KB/socket")
    summary = {
        "trainees": args.trainees, "drills": args.drills, "seconds": args.seconds, "speed": args.speed,
        "p50_lateness_ms": app["p50_lateness_ms"], "p99_lateness_ms": app["p99_lateness_ms"],
        "max_lateness_ms": app["max_lateness_ms"], "p50_reply_ms": app["p50_reply_ms"],
        "p99_reply_ms": app["p99_reply_ms"], "frames_per_s": app["frames_per_s"],
        "server_cpu_pct": app["server_cpu_pct"], "us_cpu_per_frame": app["us_cpu_per_frame"],
        "ratio_vs_bare": ratio, "kb_per_trainee": app["kb_per_trainee"],
        "bare": None if bare is None else {k: bare[k] for k in ("frames_per_s", "p99_lateness_ms", "server_cpu_pct",
                                                                "us_cpu_per_frame", "kb_per_socket")},
        "targets": TARGETS, "workers": args.workers, "detail": app,
    }
    one = out.get("one_worker")
    if one is not None:
        # both runs deliver the same offered load, so compare what each CPU-second delivers; with one
        # core per worker, W workers can deliver W times their per-core rate (the capacity ratio)
        eff = app["frames_per_cpu_s"] / one["frames_per_cpu_s"]
        summary.update({"efficiency_vs_one_worker": round(eff, 3), "ratio_vs_one_worker": round(args.workers * eff, 3),
                        "one_worker": {k: one[k] for k in ("frames_per_s", "p99_lateness_ms", "p99_reply_ms",
                                                           "server_cpu_pct", "us_cpu_per_frame", "kb_per_trainee")}})
    summary["met"] = {k: (summary[k] is not None and (summary[k] >= v if k == "ratio_vs_bare" else summary[k] <= v))
                      for k, v in TARGETS.items()}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
