"""The mock social network, projected from the drill log."""

from .avatars import avatar_colour, avatar_svg
from .network import EventLike, Network, Post, TeamNetwork

__all__ = ["EventLike", "Network", "Post", "TeamNetwork", "avatar_colour", "avatar_svg"]
