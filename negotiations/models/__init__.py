from .parties import Party
from .proposals import Condition, Position, Proposal, Stance
from .review import CandidateStatement
from .sources import Article, Feed
from .statements import Channel, Event, Statement
from .sync import Heartbeat, Tombstone

__all__ = [
    "Article",
    "CandidateStatement",
    "Channel",
    "Condition",
    "Event",
    "Feed",
    "Heartbeat",
    "Party",
    "Position",
    "Proposal",
    "Stance",
    "Statement",
    "Tombstone",
]
