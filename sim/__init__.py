"""The drill: virtual-time core, real-time driver, replay, bots and the headless runner."""

from .core import SPEED_MAX, SPEED_MIN, DrillCore
from .driver import DrillDriver
from .errors import DrillError
from .events import EVENT_TYPES, INPUT_TYPES, Event
from .rehearse import rehearse
from .replay import replay
from .transcript import LoggedEvent, build_transcript, participant_scores

__all__ = [
    "EVENT_TYPES",
    "INPUT_TYPES",
    "SPEED_MAX",
    "SPEED_MIN",
    "DrillCore",
    "DrillDriver",
    "DrillError",
    "Event",
    "LoggedEvent",
    "build_transcript",
    "participant_scores",
    "rehearse",
    "replay",
]
