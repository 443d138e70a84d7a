"""Operations shared by the REST API, the pages and the CLI: accounts, drills, joining.

Synchronous (they block on the database): call them from sync routes, a thread, or the CLI.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

import yaml

from scenarios import ScenarioError, library_dir, list_library, load_scenario, load_scenario_text
from scenarios.models import Scenario

from .auth import hash_password
from .models import Drill, Org, User

__all__ = [
    "ServiceError",
    "create_drill",
    "create_user",
    "drill_summary",
    "ensure_org",
    "library",
    "parse_uploaded_scenario",
    "participant_id",
    "resolve_scenario",
]

ROLES = ("admin", "trainer", "trainee", "manager")
_TEAM = re.compile(r"^[a-z0-9][a-z0-9_-]{0,29}$")


class ServiceError(ValueError):
    """Bad input to an operation; the message says what to change."""


def participant_id(user: User) -> str:
    return f"u{user.id}"


def ensure_org(s: Session, name: str) -> Org:
    org = s.exec(select(Org).where(Org.name == name)).first()
    if org is None:
        org = Org(name=name)
        s.add(org)
        s.commit()
        s.refresh(org)
    return org


def create_user(s: Session, org: Org, username: str, password: str, role: str, display_name: str | None = None,
                team: str | None = None) -> User:
    if role not in ROLES:
        raise ServiceError(f"cannot create user {username!r}: role {role!r} is not one of {', '.join(ROLES)}")
    if not re.fullmatch(r"[A-Za-z0-9_.-]{2,60}", username):
        raise ServiceError(f"cannot create user {username!r}: use 2-60 letters, digits, '.', '_' or '-'")
    if s.exec(select(User).where(User.username == username)).first() is not None:
        raise ServiceError(f"cannot create user {username!r}: the name is taken")
    assert org.id is not None
    user = User(org_id=org.id, username=username, display_name=display_name or username, role=role, team=team,
                password_hash=hash_password(password))
    s.add(user)
    s.commit()
    s.refresh(user)
    return user


def library() -> list[Scenario]:
    out = []
    for path in list_library():
        try:
            out.append(load_scenario(path))
        except ScenarioError:
            continue  # `crisisdrill scenario lint` reports it; the library page lists the rest
    return out


SCENARIO_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
MAX_SCENARIO_BYTES = 256 * 1024


def resolve_scenario(name: str, scenario_dirs: Sequence[Path] = ()) -> Path:
    """A scenario by id, from the bundled library or a configured directory (never a client path)."""
    if not SCENARIO_ID.fullmatch(name):
        raise ServiceError(
            f"cannot use scenario {name[:80]!r}: name a scenario by its id (lowercase letters, digits, '-'), "
            "e.g. 'bank-payday-outage', or upload the script text as 'scenario_yaml'"
        )
    for folder in (library_dir(), *scenario_dirs):
        path = Path(folder) / f"{name}.yaml"
        if path.is_file():
            return path
    known = ", ".join(p.stem for p in list_library())
    raise ServiceError(f"no scenario {name!r}; bundled scenarios: {known}")


def parse_uploaded_scenario(text: str) -> Scenario:
    """A trainer's own script, linted like a file; it may not include other files."""
    if len(text.encode("utf-8", "replace")) > MAX_SCENARIO_BYTES:
        raise ServiceError(f"cannot use an uploaded scenario over {MAX_SCENARIO_BYTES // 1024} KiB: split it up")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None  # the loader reports it with line and column
    if isinstance(data, dict) and "include" in data:
        raise ServiceError("an uploaded scenario cannot include other files: paste the included parts into it")
    try:
        return load_scenario_text(text, "uploaded.yaml")
    except ScenarioError as exc:
        raise ServiceError(str(exc)) from exc


def create_drill(
    s: Session,
    user: User,
    scenario: str | None = None,
    *,
    scenario_yaml: str | None = None,
    scenario_dirs: Sequence[Path] = (),
    title: str | None = None,
    seed: int | None = None,
    teams: list[str] | None = None,
    mode: str = "live",
    live_feedback: bool | None = None,
    speed: float = 1.0,
    pass_mark: int = 70,
) -> Drill:
    if (scenario is None) == (scenario_yaml is None):
        raise ServiceError("cannot create a drill: give either a scenario id or the scenario's YAML text")
    if scenario_yaml is not None:
        sc = parse_uploaded_scenario(scenario_yaml)
    else:
        assert scenario is not None
        try:
            sc = load_scenario(resolve_scenario(scenario, scenario_dirs))
        except ScenarioError as exc:
            raise ServiceError(str(exc)) from exc
    teams = teams or ["main"]
    for team in teams:
        if not _TEAM.fullmatch(team):
            raise ServiceError(f"cannot use team name {team!r}: use lowercase letters, digits, '-' or '_' (max 30)")
    if len(set(teams)) != len(teams):
        raise ServiceError("cannot create the drill: each team needs its own name")
    if mode not in ("live", "self_paced"):
        raise ServiceError(f"cannot use mode {mode!r}: choose live or self_paced")
    if not 0.25 <= speed <= 100:
        raise ServiceError(f"cannot start at {speed:g}x: choose 0.25x to 100x")
    if not 0 <= pass_mark <= 100:
        raise ServiceError(f"cannot use pass mark {pass_mark}: choose 0 to 100")
    assert user.id is not None
    drill = Drill(
        id="d-" + secrets.token_hex(4),
        org_id=user.org_id,
        title=(title or sc.title)[:200],
        scenario_id=sc.id,
        scenario=sc.model_dump(mode="json", by_alias=True),
        seed=seed if seed is not None else secrets.randbelow(2**31),
        teams=teams,
        mode=mode,
        live_feedback=sc.live_feedback if live_feedback is None else live_feedback,
        initial_speed=speed,
        join_code=secrets.token_hex(3).upper(),
        pass_mark=pass_mark,
        created_by=user.id,
    )
    s.add(drill)
    s.commit()
    s.refresh(drill)
    return drill


def drill_summary(drill: Drill, clock: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "id": drill.id,
        "title": drill.title,
        "scenario": drill.scenario_id,
        "teams": drill.teams,
        "mode": drill.mode,
        "live_feedback": drill.live_feedback,
        "join_code": drill.join_code,
        "seed": drill.seed,
        "pass_mark": drill.pass_mark,
        "created_at": drill.created_at.isoformat(timespec="seconds"),
        "clock": clock,
    }


# ---------------------------------------------------------------- reads for the pages
def find_by_code(s: Session, org_id: int, code: str) -> Drill | None:
    """The drill with this join code in this organisation (codes are case-insensitive)."""
    return s.exec(select(Drill).where(Drill.join_code == code.strip().upper(), Drill.org_id == org_id)).first()


def drill_index(s: Session, org_id: int) -> list[dict[str, Any]]:
    """Every drill of an organisation, newest first, with who took part and its state,
    read from the log without loading the drills."""
    from .models import EventRow

    drills = s.exec(select(Drill).where(Drill.org_id == org_id).order_by(Drill.created_at.desc())).all()  # type: ignore[attr-defined]
    ids = [d.id for d in drills]
    people: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    status: dict[str, str] = {i: "lobby" for i in ids}
    if ids:
        rows = s.exec(
            select(EventRow).where(
                EventRow.drill_id.in_(ids),  # type: ignore[attr-defined]
                EventRow.type.in_(("participant.joined", "drill.started", "drill.paused", "drill.resumed",  # type: ignore[attr-defined]
                                   "drill.ended")),
            ).order_by(EventRow.drill_id, EventRow.seq)  # type: ignore[arg-type]
        ).all()
        state_of = {"drill.started": "running", "drill.paused": "paused", "drill.resumed": "running",
                    "drill.ended": "ended"}
        for r in rows:
            if r.type == "participant.joined":
                people[r.drill_id].append({"participant": r.data.get("participant"), "name": r.data.get("name", ""),
                                           "team": r.team})
            else:
                status[r.drill_id] = state_of[r.type]
    return [{"drill": d, "participants": people[d.id], "status": status[d.id]} for d in drills]


def users_of(s: Session, org_id: int) -> list[User]:
    return list(s.exec(select(User).where(User.org_id == org_id).order_by(User.username)).all())


def personal_copy(s: Session, user: User, parent: Drill) -> Drill:
    """A trainee's own copy of a self-paced drill: the same frozen script, seed and pass mark,
    its own clock and log."""
    assert user.id is not None
    drill = Drill(
        id="d-" + secrets.token_hex(4), org_id=parent.org_id, title=f"{parent.title} · {user.display_name}"[:200],
        scenario_id=parent.scenario_id, scenario=parent.scenario, seed=parent.seed, teams=["main"],
        mode="self_paced", live_feedback=parent.live_feedback, initial_speed=parent.initial_speed,
        join_code=secrets.token_hex(3).upper(), pass_mark=parent.pass_mark, created_by=user.id,
    )
    s.add(drill)
    s.commit()
    s.refresh(drill)
    return drill
