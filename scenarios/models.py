"""The scenario script format: strict pydantic models of a crisis drill script.

A script is YAML (see ``docs/scenarios.md``). These models are the contract that the
loader validates against and that ``sim``, ``fake_network`` and ``scoring`` read.
Every model forbids unknown keys so a typo is an error, never a silent no-op.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

__all__ = [
    "ANSWER_VIAS",
    "ROUTES",
    "Action",
    "Branch",
    "Brand",
    "Burst",
    "Crowd",
    "Effect",
    "Engagement",
    "Expectation",
    "PersonaKind",
    "Persona",
    "PostSpec",
    "Scenario",
    "TimelineItem",
    "When",
    "parse_duration",
]

_DURATION = re.compile(
    r"^\s*(?:(?P<h>\d+):)?(?P<m>\d+):(?P<s>\d{1,2})\s*$"  # [h:]mm:ss
)
_UNIT = re.compile(r"^\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<u>h|m|min|s|sec)?\s*$")


def parse_duration(value: Any) -> float:
    """Parse ``"4:30"``, ``"1:04:30"``, ``"5m"``, ``"90s"``, ``"2h"`` or a number of seconds.

    Raises ``ValueError`` naming the accepted forms when the value is none of them.
    """
    if isinstance(value, bool):
        raise ValueError(f"expected a time such as '4:30', '5m' or '90s', got {value!r}")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError(f"a time cannot be negative, got {value!r}")
        return float(value)
    if isinstance(value, str):
        m = _DURATION.match(value)
        if m:
            secs = int(m["s"])
            if secs >= 60:
                raise ValueError(f"seconds must be below 60 in {value!r}")
            return float(int(m["h"] or 0) * 3600 + int(m["m"]) * 60 + secs)
        m = _UNIT.match(value)
        if m:
            n = float(m["n"])
            unit = m["u"] or "s"
            return n * {"h": 3600, "m": 60, "min": 60, "s": 1, "sec": 1}[unit]
    raise ValueError(f"expected a time such as '4:30', '5m' or '90s', got {value!r}")


Seconds = Annotated[float, BeforeValidator(parse_duration)]


def _heat(value: Any) -> int:
    if isinstance(value, str):
        value = value.strip()
        if re.fullmatch(r"[+-]?\d+", value):
            return int(value)
        raise ValueError(f"heat must be a whole number such as '+2' or '-1', got {value!r}")
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"heat must be a whole number such as '+2' or '-1', got {value!r}")
    return value


Heat = Annotated[int, BeforeValidator(_heat)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PersonaKind(str, Enum):
    """Who is posting, after the Air Force web-posting triage plus the roles a crisis adds."""

    troll = "troll"
    rager = "rager"
    misguided = "misguided"
    unhappy_customer = "unhappy_customer"
    journalist = "journalist"
    influencer = "influencer"
    regulator = "regulator"
    employee = "employee"
    competitor = "competitor"
    fan = "fan"
    bot = "bot"


class Action(str, Enum):
    """What a trainee can do to a post."""

    reply = "reply"
    quote = "quote"
    repost = "repost"
    like = "like"
    dm = "dm"
    hide = "hide"
    delete = "delete"
    report = "report"


ANSWER_VIAS = ("reply", "dm", "quote")
ROUTES = ("press", "legal", "safety", "regulator", "investor", "hr", "support")


class Brand(_Strict):
    handle: str = Field(pattern=r"^@\w{1,30}$", description="The brand account's handle, e.g. '@NovaPay'.")
    name: str = Field(min_length=1, max_length=80)
    bio: str = ""


class Persona(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,39}$", description="Reference used in the timeline.")
    handle: str = Field(pattern=r"^@\w{1,30}$")
    name: str = Field(min_length=1, max_length=80, description="Display name.")
    bio: str = ""
    kind: PersonaKind
    followers: int = Field(default=100, ge=0)
    verified: bool = False

    @property
    def influence(self) -> float:
        """0..1, a log scale of followers: 10 -> ~0.17, 1k -> 0.5, 1M -> 1.0."""
        import math

        return min(1.0, math.log10(self.followers + 1) / 6.0)


class Crowd(_Strict):
    """The background crowd: Faker-generated accounts posting and reacting."""

    per_minute: float = Field(default=4.0, ge=0, le=600, description="Crowd posts a minute at heat 0.")
    reactions_per_minute: float = Field(default=30.0, ge=0, le=6000, description="Likes and reposts a minute.")
    mood: Literal["calm", "curious", "mixed", "annoyed", "angry", "outraged", "supportive"] = "mixed"
    topics: list[str] = Field(default_factory=list)
    hashtags: list[str] = Field(default_factory=list)


class Expectation(_Strict):
    """What good handling of one post looks like; the rubric reads it."""

    answer: Literal["required", "optional", "none"] = "required"
    within: Seconds | None = Field(default=None, description="Answer within this time (e.g. '5m').")
    via: list[Literal["reply", "dm", "quote"]] = Field(default_factory=lambda: ["reply", "dm"])
    route: Literal["press", "legal", "safety", "regulator", "investor", "hr", "support"] | None = None
    actions: list[Action] = Field(default_factory=list, description="Acceptable non-answer actions (hide, report).")
    avoid: list[str] = Field(default_factory=list, description="Rubric codes that matter most here.")
    allow: list[str] = Field(default_factory=list, description="Rubric codes relaxed for this post.")
    require: list[str] = Field(default_factory=list, description="Good-practice codes required here.")
    allowed_offer: str | None = Field(default=None, description="A goodwill offer the brand has approved.")
    model_answer: str | None = Field(default=None, description="The author's model answer.")
    bad_answer: str | None = Field(default=None, description="An example of poor handling (the bad bot's reply).")
    notes: str | None = None


class PostSpec(_Strict):
    """A scripted post, reply or quote."""

    by: str = Field(description="Persona id.")
    text: str = Field(min_length=1, max_length=5000)
    reply_to: str | None = Field(default=None, description="Id of the post this replies to.")
    quote_of: str | None = Field(default=None, description="Id of the post this quotes.")


class DMSpec(_Strict):
    by: str
    text: str = Field(min_length=1, max_length=5000)


class RepostSpec(_Strict):
    by: str
    of: str


class Burst(_Strict):
    """A pile-on: the crowd replies to or quotes a post."""

    count: int = Field(ge=1, le=500)
    over: Seconds = Field(default=60.0, description="Spread over this time.")
    mood: Literal["calm", "curious", "mixed", "annoyed", "angry", "outraged", "supportive"] = "angry"
    about: str | None = Field(default=None, description="Post id to pile onto; 'answer' means the trainee's answer.")
    quoting: bool = False
    texts: list[str] = Field(default_factory=list, description="Optional lines to pick from instead of generated text.")


class Engagement(_Strict):
    """Likes and reposts added to a post (a post going viral)."""

    post: str
    likes: int = Field(default=0, ge=0)
    reposts: int = Field(default=0, ge=0)
    views: int = Field(default=0, ge=0)
    over: Seconds = 60.0


class Effect(_Strict):
    """One thing a branch (or the timeline) makes happen. Exactly one of the kinds is set."""

    id: str | None = Field(default=None, pattern=r"^[A-Za-z][\w-]{0,39}$")
    after: Seconds = Field(default=0.0, description="Delay after the trigger.")
    post: PostSpec | None = None
    dm: DMSpec | None = None
    repost: RepostSpec | None = None
    burst: Burst | None = None
    engagement: Engagement | None = None
    heat: Heat | None = Field(default=None, description="Raise or lower how hot the crisis runs.")
    expect: Expectation | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> "Effect":
        kinds = [k for k in ("post", "dm", "repost", "burst", "engagement") if getattr(self, k) is not None]
        if len(kinds) > 1:
            raise ValueError(f"an item does one thing; this one has {', '.join(kinds)}: split it")
        if not kinds and self.heat is None:
            raise ValueError("an item needs one of post, dm, repost, burst, engagement or heat")
        if self.expect is not None and not (self.post or self.dm):
            raise ValueError("'expect' belongs on a post or a dm")
        return self

    @property
    def kind(self) -> str:
        for k in ("post", "dm", "repost", "burst", "engagement"):
            if getattr(self, k) is not None:
                return k
        return "heat"


class TimelineItem(Effect):
    """An effect at a fixed offset from the start of the drill."""

    at: Seconds


class When(_Strict):
    """A branch condition over the drill log. Exactly one trigger is set."""

    no_answer_to: str | None = None
    answer_to: str | None = None
    action: Literal["repost", "like", "hide", "delete", "report", "quote", "dm"] | None = None
    on: str | None = Field(default=None, description="Post id, with 'action'.")
    cue: str | None = Field(default=None, description="Fires when the trainer plays this cue.")
    # qualifiers
    for_: Seconds | None = Field(default=None, alias="for", description="With no_answer_to.")
    flagged: str | None = Field(default=None, description="With answer_to: the answer carries this risk code.")
    score_below: float | None = Field(default=None, ge=0, le=100)
    score_above: float | None = Field(default=None, ge=0, le=100)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _one_trigger(self) -> "When":
        triggers = [k for k in ("no_answer_to", "answer_to", "action", "cue") if getattr(self, k) is not None]
        if len(triggers) != 1:
            raise ValueError("a condition has exactly one of no_answer_to, answer_to, action, cue")
        if self.no_answer_to is not None and self.for_ is None:
            raise ValueError("no_answer_to needs 'for', e.g. for: 5m")
        if self.action is not None and self.on is None:
            raise ValueError("'action' needs 'on', the post id it watches")
        if self.answer_to is None and (self.flagged or self.score_below is not None or self.score_above is not None):
            raise ValueError("flagged, score_below and score_above go with answer_to")
        return self


class Branch(_Strict):
    id: str = Field(pattern=r"^[A-Za-z][\w-]{0,39}$")
    when: When
    then: list[Effect] = Field(min_length=1)
    once: bool = True
    description: str | None = None


class Scenario(_Strict):
    """A whole drill script after includes and variables are resolved."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")
    title: str = Field(min_length=1, max_length=120)
    summary: str = ""
    brand: Brand
    vars: dict[str, str] = Field(default_factory=dict)
    duration: Seconds
    max_chars: int = Field(default=280, ge=40, le=10000, description="The platform's reply limit.")
    live_feedback: bool = True
    tags: list[str] = Field(default_factory=list)
    personas: list[Persona] = Field(min_length=1)
    crowd: Crowd = Field(default_factory=Crowd)
    timeline: list[TimelineItem] = Field(min_length=1)
    branches: list[Branch] = Field(default_factory=list)

    def persona(self, pid: str) -> Persona:
        for p in self.personas:
            if p.id == pid:
                return p
        raise KeyError(pid)

    def item(self, item_id: str) -> Effect | None:
        for t in self.timeline:
            if t.id == item_id:
                return t
        for b in self.branches:
            for e in b.then:
                if e.id == item_id:
                    return e
        return None
