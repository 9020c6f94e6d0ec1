from .accounts import PasswordChangeRequired
from .claims import Claim, StatementSource
from .conflicts import Conflict, Participation
from .gazetteer import ReextractionRun, Suggestion, SuggestionEvidence
from .parties import Party
from .proposals import Condition, Position, Proposal, Stance
from .review import CandidateStatement
from .sources import Article, Feed
from .statements import Channel, Event, Statement
from .sync import ContentVersion, Heartbeat, Tombstone

__all__ = [
    "Article",
    "CandidateStatement",
    "Channel",
    "Claim",
    "Condition",
    "Conflict",
    "ContentVersion",
    "Event",
    "Feed",
    "Heartbeat",
    "Participation",
    "PasswordChangeRequired",
    "Party",
    "Position",
    "Proposal",
    "ReextractionRun",
    "Stance",
    "Statement",
    "StatementSource",
    "Suggestion",
    "SuggestionEvidence",
    "Tombstone",
]
