"""The scenario script format: strict pydantic models of a crisis drill script.

A script is YAML (see ``docs/scenarios.md``). These models are the contract that the
loader validates against and that ``sim``, ``fake_network`` and ``scoring`` read.
Every model forbids unknown keys so a typo is an error, never a silent no-op.
"""

from __future__ import annotations

import math
import re
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

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
    "Persona",
    "PersonaKind",
    "PostSpec",
    "Scenario",
    "TimelineItem",
    "When",
    "influence",
    "parse_duration",
]

_DURATION = re.compile(
    r"^\s*(?:(?P<h>\d+):)?(?P<m>\d+):(?P<s>\d{1,2})\s*$"  # [h:]mm:ss
)
_UNIT = re.compile(r"^\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<u>h|m|min|s|sec)?\s*$")


def influence(followers: int) -> float:
    """0..1, a log scale of followers: 10 -> ~0.17, 1k -> 0.5, 1M -> 1.0."""
    return min(1.0, math.log10(max(0, followers) + 1) / 6.0)


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


_TIME_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "number", "minimum": 0},
        {"type": "string", "pattern": r"^\s*((\d+:)?\d+:\d{1,2}|\d+(\.\d+)?\s*(h|m|min|s|sec)?)\s*$"},
    ],
    "examples": ["4:30", "5m", "90s"],
}
Seconds = Annotated[float, BeforeValidator(parse_duration), WithJsonSchema(_TIME_SCHEMA)]


def _heat(value: Any) -> int:
    if isinstance(value, str):
        value = value.strip()
        if re.fullmatch(r"[+-]?\d+", value):
            return int(value)
        raise ValueError(f"heat must be a whole number such as '+2' or '-1', got {value!r}")
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"heat must be a whole number such as '+2' or '-1', got {value!r}")
    return value


Heat = Annotated[
    int,
    BeforeValidator(_heat),
    WithJsonSchema({"anyOf": [{"type": "integer"}, {"type": "string", "pattern": r"^\s*[+-]?\d+\s*$"}]}),
]


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
    name: str = Field(min_length=1, max_length=80, description="The brand's display name; '{brand}' in texts.")
    bio: str = Field(default="", description="The brand account's bio.")


class Persona(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,39}$", description="Reference used in the timeline.")
    handle: str = Field(pattern=r"^@\w{1,30}$", description="The persona's handle, e.g. '@dana_r'.")
    name: str = Field(min_length=1, max_length=80, description="Display name.")
    bio: str = Field(default="", description="Profile text shown next to the persona's posts.")
    kind: PersonaKind = Field(description="Who this is: troll, rager, unhappy_customer, journalist, …")
    followers: int = Field(default=100, ge=0, description="Followers; sets the persona's influence.")
    verified: bool = Field(default=False, description="Shows a verified badge.")

    @property
    def influence(self) -> float:
        return influence(self.followers)


class Crowd(_Strict):
    """The background crowd: Faker-generated accounts posting and reacting."""

    per_minute: float = Field(default=4.0, ge=0, le=600, description="Crowd posts a minute at heat 0.")
    reactions_per_minute: float = Field(default=30.0, ge=0, le=6000, description="Likes and reposts a minute.")
    mood: Literal["calm", "curious", "mixed", "annoyed", "angry", "outraged", "supportive"] = Field(
        default="mixed", description="The tone of generated crowd posts."
    )
    topics: list[str] = Field(default_factory=list, description="What the crowd talks about.")
    hashtags: list[str] = Field(default_factory=list, description="Hashtags the crowd uses.")


class Expectation(_Strict):
    """What good handling of one post looks like; the rubric reads it."""

    answer: Literal["required", "optional", "none"] = Field(
        default="required", description="required, optional, or none (stay silent: don't feed a troll)."
    )
    within: Seconds | None = Field(default=None, description="Answer within this time (e.g. '5m').")
    via: list[Literal["reply", "dm", "quote"]] = Field(
        default_factory=lambda: ["reply", "dm"],  # type: ignore[arg-type]
        description="Channels that count as an answer.",
    )
    route: Literal["press", "legal", "safety", "regulator", "investor", "hr", "support"] | None = Field(
        default=None, description="Hand the post to this team."
    )
    actions: list[Action] = Field(default_factory=list, description="Acceptable non-answer actions (hide, report).")
    avoid: list[str] = Field(default_factory=list, description="Rubric codes that matter most here.")
    allow: list[str] = Field(default_factory=list, description="Rubric codes relaxed for this post.")
    require: list[str] = Field(default_factory=list, description="Good-practice codes required here.")
    allowed_offer: str | None = Field(default=None, description="A goodwill offer the brand has approved.")
    model_answer: str | None = Field(default=None, description="The author's model answer.")
    bad_answer: str | None = Field(default=None, description="An example of poor handling (the bad bot's reply).")
    notes: str | None = Field(default=None, description="Notes for the trainer's debrief.")


class PostSpec(_Strict):
    """A scripted post, reply or quote."""

    by: str = Field(description="Persona id.")
    text: str = Field(min_length=1, max_length=5000)
    reply_to: str | None = Field(default=None, description="Id of the post this replies to.")
    quote_of: str | None = Field(default=None, description="Id of the post this quotes.")


class DMSpec(_Strict):
    """A direct message to the brand."""

    by: str = Field(description="Persona id.")
    text: str = Field(min_length=1, max_length=5000)


class RepostSpec(_Strict):
    """A persona reposts a post."""

    by: str = Field(description="Persona id.")
    of: str = Field(description="Id of the post reposted.")


class Burst(_Strict):
    """A pile-on: the crowd replies to or quotes a post."""

    count: int = Field(ge=1, le=500, description="How many crowd posts.")
    over: Seconds = Field(default=60.0, description="Spread over this time.")
    mood: Literal["calm", "curious", "mixed", "annoyed", "angry", "outraged", "supportive"] = Field(
        default="angry", description="The tone of the pile-on."
    )
    about: str | None = Field(default=None, description="Post id to pile onto; 'answer' means the trainee's answer.")
    quoting: bool = Field(default=False, description="Quote the post instead of replying to it.")
    texts: list[str] = Field(default_factory=list, description="Optional lines to pick from instead of generated text.")


class Engagement(_Strict):
    """Likes and reposts added to a post (a post going viral)."""

    post: str = Field(description="Id of the post that gains engagement.")
    likes: int = Field(default=0, ge=0, description="Likes added.")
    reposts: int = Field(default=0, ge=0, description="Reposts added.")
    views: int = Field(default=0, ge=0, description="Views added.")
    over: Seconds = Field(default=60.0, description="Spread over this time.")


class Effect(_Strict):
    """One thing a branch (or the timeline) makes happen. Exactly one of the kinds is set."""

    id: str | None = Field(
        default=None, pattern=r"^[A-Za-z][\w-]{0,39}$", description="Name it so replies and branches can refer to it."
    )
    after: Seconds = Field(default=0.0, description="Delay after the trigger.")
    post: PostSpec | None = Field(default=None, description="A public post, reply or quote.")
    dm: DMSpec | None = Field(default=None, description="A direct message to the brand.")
    repost: RepostSpec | None = Field(default=None, description="A repost of another post.")
    burst: Burst | None = Field(default=None, description="A crowd pile-on.")
    engagement: Engagement | None = Field(default=None, description="Likes, reposts and views added to a post.")
    heat: Heat | None = Field(default=None, description="Raise or lower how hot the crisis runs.")
    expect: Expectation | None = Field(default=None, description="How the trainee should handle this post.")

    @model_validator(mode="after")
    def _one_kind(self) -> Effect:
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

    at: Seconds = Field(description="When it happens, from the start of the drill (m:ss).")


class When(_Strict):
    """A branch condition over the drill log. Exactly one trigger is set."""

    no_answer_to: str | None = Field(default=None, description="Post id nobody answered (with 'for').")
    answer_to: str | None = Field(default=None, description="Post id the trainee answered.")
    action: Literal["repost", "like", "hide", "delete", "report", "quote", "dm"] | None = Field(
        default=None, description="The trainee did this to the post in 'on'."
    )
    on: str | None = Field(default=None, description="Post id, with 'action'.")
    cue: str | None = Field(default=None, description="Fires when the trainer plays this cue.")
    # qualifiers
    for_: Seconds | None = Field(default=None, alias="for", description="With no_answer_to.")
    flagged: str | None = Field(default=None, description="With answer_to: the answer carries this risk code.")
    score_below: float | None = Field(default=None, ge=0, le=100, description="With answer_to: it scored below this.")
    score_above: float | None = Field(default=None, ge=0, le=100, description="With answer_to: it scored above this.")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _one_trigger(self) -> When:
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
    """What happens when the trainee does (or fails to do) something."""

    id: str = Field(pattern=r"^[A-Za-z][\w-]{0,39}$", description="The branch's name.")
    when: When = Field(description="The condition, read from the drill log.")
    then: list[Effect] = Field(min_length=1, description="What happens when it fires.")
    once: bool = Field(default=True, description="Fire at most once (false: every time the condition holds).")
    description: str | None = Field(default=None, description="What this branch is for, in a sentence.")


class Scenario(_Strict):
    """A whole drill script after includes and variables are resolved."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$", description="Lowercase id, e.g. 'payday-outage'.")
    title: str = Field(min_length=1, max_length=120, description="Shown to trainees.")
    summary: str = Field(default="", description="The briefing trainees read before the drill.")
    brand: Brand = Field(description="The account the trainees run.")
    vars: dict[str, str] = Field(default_factory=dict, description="Values for '{name}' placeholders in texts.")
    duration: Seconds = Field(description="How long the drill runs (m:ss).")
    max_chars: int = Field(default=280, ge=40, le=10000, description="The platform's reply limit.")
    live_feedback: bool = Field(default=True, description="Show scores to trainees during the drill.")
    tags: list[str] = Field(default_factory=list, description="Words to find the scenario by.")
    personas: list[Persona] = Field(min_length=1, description="The accounts that post.")
    crowd: Crowd = Field(default_factory=Crowd, description="The background crowd.")
    timeline: list[TimelineItem] = Field(min_length=1, description="What happens when, whatever the trainee does.")
    branches: list[Branch] = Field(default_factory=list, description="What happens in reaction to the trainee.")

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
