"""Rule-based, explainable extraction of candidate statements from article text.

The gazetteer (parties and proposals with their aliases) is data; the cues in
`extract_cues` are general English. A candidate is produced only when a tracked party is
the speaker of a direct quote or the subject of a reporting or stance verb, and what it
says touches a tracked proposal, a condition, or the negotiations. Articles that name no
tracked proposal, or fewer than two separate sides, yield nothing: precision comes first.
See docs/extraction.md for the rules and what the confidence means.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import extract_cues as cues

EXTRACTOR_VERSION = "rules-7"

__all__ = [
    "EXTRACTOR_VERSION",
    "Candidate",
    "Gazetteer",
    "PartySpec",
    "ProposalSpec",
    "Gazetteers",
    "Reading",
    "extract_all",
    "extract_candidates",
    "read_all",
]


@dataclass(frozen=True)
class PartySpec:
    slug: str
    name: str
    kind: str
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    title: str = ""

    @classmethod
    def from_record(cls, record: dict) -> PartySpec:
        """From a scenario file's party record."""
        return cls(
            slug=record["slug"],
            name=record["name"],
            kind=record["kind"],
            parent=record.get("parent"),
            aliases=tuple(record.get("aliases", ())),
            title=record.get("title", ""),
        )


@dataclass(frozen=True)
class ProposalSpec:
    slug: str
    name: str
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    proposed_by: str | None = None
    kind: str = ""

    @classmethod
    def from_record(cls, record: dict) -> ProposalSpec:
        """From a scenario file's proposal record."""
        return cls(
            slug=record["slug"],
            name=record["name"],
            parent=record.get("parent"),
            aliases=tuple(record.get("aliases", ())),
            proposed_by=record.get("proposed_by"),
            kind=record.get("kind", ""),
        )


@dataclass(frozen=True)
class Candidate:
    speaker: str
    on_behalf_of: str | None
    text: str
    is_verbatim: bool
    span: tuple[int, int]
    confidence: float
    channel: str
    positions: tuple[dict, ...]
    conditions: tuple[dict, ...]
    # The names of the rules that fired, so that the confidence can be explained.
    rules: tuple[str, ...] = ()
    # The slug of the conflict it is about (the gazetteer's).
    conflict: str | None = None
    # Other spans of the article that state the same claim (a headline, a lead).
    supporting: tuple[tuple[int, int], ...] = ()
    # Why, in plain words, for the editor who reviews it.
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    kind: str  # "party", "proposal", "place" (this conflict's) or "foreign" (another's)
    slugs: tuple[str, ...]  # more than one when an alias is shared: then it names no one


_DASHES = "\\-\u2010\u2011\u2012\u2013"
_APOSTROPHES = "'\u2019"
_SEPARATORS = re.compile(rf"[\s{_DASHES}]+")
_APOSTROPHE = re.compile(f"[{_APOSTROPHES}]")


# "Cease-fire" and "cease fire" are the same word as "ceasefire" (AP style writes the first).
_CEASE_FIRE = re.compile(rf"(?<=[Cc]ease)[\s{_DASHES}]+(?=fire)")


def _alias_key(text: str) -> str:
    """One spelling for an alias or a matched phrase: spaces, hyphens, apostrophes and
    "cease-fire"."""
    return _APOSTROPHE.sub("'", _SEPARATORS.sub(" ", _CEASE_FIRE.sub("", text.strip())))


def _alias_pattern(alias: str, *, case_sensitive: bool) -> str:
    parts = []
    for i, ch in enumerate(_alias_key(alias)):
        if ch == " ":
            parts.append(rf"[\s{_DASHES}]+")
        elif ch == "'":
            parts.append(f"[{_APOSTROPHES}]")
        elif case_sensitive and i == 0 and ch.islower():
            # "the Kremlin" also opens a sentence as "The Kremlin".
            parts.append(f"[{ch}{ch.upper()}]")
        else:
            parts.append(re.escape(ch))
    body = "".join(parts).replace("easefire", rf"ease[\s{_DASHES}]?fire")
    return body if case_sensitive else f"(?i:{body})"


class Gazetteer:
    """One conflict's parties, proposals and places, compiled into one pattern per run.

    An alias with a capital letter matches case-sensitively ("US" is not "us"); an alias
    written all in lower case ("energy truce") matches in any case.

    With `sides` (participant slug → side), only the participants and the parties below
    them count, and a party's side is that of its nearest participating ancestor. Without,
    every party counts and its side is the top of its parent chain. `places` are the
    conflict's own; `foreign_places` are other tracked conflicts' places: a proposal or a
    negotiation term qualified by one of those is theirs, not this conflict's.
    """

    def __init__(
        self,
        *,
        parties: Iterable[PartySpec],
        proposals: Iterable[ProposalSpec],
        conflict: str | None = None,
        sides: Mapping[str, str] | None = None,
        roles: Mapping[str, str] | None = None,
        places: Iterable[str] = (),
        foreign_places: Iterable[str] = (),
    ) -> None:
        self.conflict = conflict
        every_party: dict[str, PartySpec] = {p.slug: p for p in parties}
        self._all_parties = every_party
        self.parties = every_party
        self._side: dict[str, str] = {}
        if sides is not None:
            for slug in every_party:
                side = next((sides[a] for a in self._walk(slug) if a in sides), None)
                if side is not None:
                    self._side[slug] = side
            self.parties = {s: p for s, p in every_party.items() if s in self._side}
        else:
            self._side = {s: self._walk(s)[-1] for s in every_party}
        self._participants = frozenset(sides or ())
        roles = roles or {}
        self._role: dict[str, str] = {
            slug: next((roles[a] for a in self._walk(slug) if a in roles), "")
            for slug in self.parties
        }
        self.proposals: dict[str, ProposalSpec] = {p.slug: p for p in proposals}
        # Capitalised words of this conflict's proposal names ("Easter", "Black", "Sea"):
        # "the truce for Easter" names no other place, and means the Easter truce when only
        # one proposal's names hold the word.
        named_with: dict[str, set[str]] = {}
        for p in self.proposals.values():
            for alias in (p.name, *p.aliases):
                for w in _WORD.findall(alias):
                    if w[:1].isupper():
                        named_with.setdefault(w, set()).add(p.slug)
        self.proposal_words = frozenset(named_with)
        self._word_proposals = {w: next(iter(v)) for w, v in named_with.items() if len(v) == 1}
        self.places = tuple(places)
        self._state: dict[str, str | None] = {s: self._speaks_for(s) for s in self.parties}
        self._root: dict[str, str] = {s: self._walk(s)[-1] for s in self.parties}
        self._proposal_root: dict[str, str] = {}
        for slug in self.proposals:
            node, seen = slug, {slug}
            while (parent := self.proposals[node].parent) in self.proposals and parent not in seen:
                seen.add(parent)
                node = parent
            self._proposal_root[slug] = node

        exact: dict[str, set[tuple[str, str]]] = {}
        folded: dict[str, set[tuple[str, str]]] = {}
        patterns: dict[str, str] = {}
        entries = [
            ("party", p.slug, a) for p in self.parties.values() for a in (p.name, *p.aliases)
        ]
        entries += [
            ("proposal", p.slug, a) for p in self.proposals.values() for a in (p.name, *p.aliases)
        ]
        entries += [("place", name, name) for name in self.places]
        entries += [("foreign", name, name) for name in foreign_places]
        for kind, slug, alias in entries:
            key = _alias_key(alias)
            if len(key) < 2:
                continue  # a one-letter alias would match everywhere
            case_sensitive = key != key.lower()
            if case_sensitive:
                exact.setdefault(_lower_first(key), set()).add((kind, slug))
            else:
                folded.setdefault(key.lower(), set()).add((kind, slug))
            patterns[f"{case_sensitive}:{key}"] = _alias_pattern(key, case_sensitive=case_sensitive)
        self._loose = self._loose_pattern()
        self._resolved: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._exact = {k: _sorted(v) for k, v in exact.items()}
        self._folded = {k: _sorted(v) for k, v in folded.items()}
        # Longest first, so that "Russian President" wins over "Russian" at one position.
        ordered = sorted(patterns.items(), key=lambda kv: len(kv[0]), reverse=True)
        self._pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(p for _, p in ordered) + r")(?![\w])")
            if ordered
            else None
        )

    @classmethod
    def from_db(cls, *, conflict: str) -> Gazetteer:
        """One conflict's gazetteer, as the database has it now."""
        for gazetteer in Gazetteers.from_db().by_conflict.values():
            if gazetteer.conflict == conflict:
                return gazetteer
        raise LookupError(f"no conflict {conflict!r}")

    @classmethod
    def from_scenario(cls, path: Path) -> Gazetteer:
        """The gazetteer of a scenario file, without the database (tests, benchmarks)."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        conflict = data.get("conflict") or {}
        participants = data.get("participants")
        return cls(
            parties=[PartySpec.from_record(p) for p in data.get("parties", ())],
            proposals=[ProposalSpec.from_record(p) for p in data.get("proposals", ())],
            conflict=conflict.get("slug"),
            sides={p["party"]: p["side"] for p in participants} if participants else None,
            roles={p["party"]: p["role"] for p in participants or ()},
            places=conflict.get("places", ()),
        )

    def _walk(self, slug: str) -> list[str]:
        parties = self._all_parties
        chain, seen = [slug], {slug}
        while (parent := parties[chain[-1]].parent) in parties and parent not in seen:
            chain.append(parent)
            seen.add(parent)
        return chain

    def _speaks_for(self, slug: str) -> str | None:
        """The nearest state above a party, else the participant above it; a state speaks
        for itself."""
        if self._all_parties[slug].kind == "state":
            return None
        above = self._walk(slug)[1:]
        for ancestor in above:
            if self._all_parties[ancestor].kind == "state":
                return ancestor
        return next((a for a in above if a in self._participants), None)

    def root(self, party: str) -> str:
        """The top of a party's parent chain: who it ultimately belongs to."""
        return self._root[party]

    def side(self, party: str) -> str:
        """The side a party is on in this conflict."""
        return self._side[party]

    def proposal_at(self, place: str, head: str = "") -> str | None:
        """The one proposal of this conflict whose name or aliases contain a place ("the
        Black Sea" → the Black Sea ceasefire), if exactly one does; with a head noun, the
        one whose name holds both ("a ceasefire agreement … for the Gaza Strip" → the one
        called "Gaza ceasefire", where Gaza alone names several)."""
        if head:
            key, word = _alias_key(place).lower(), _alias_key(head).lower()
            key = key.removeprefix("the ").removesuffix(" strip")
            found = {
                p.slug
                for p in self.proposals.values()
                for a in (p.name, *p.aliases)
                if key in _alias_key(a).lower() and word in _alias_key(a).lower()
            }
            if len(found) == 1:
                return next(iter(found))
        if not hasattr(self, "_place_proposals"):
            found: dict[str, set[str]] = {}
            for name in self.places:
                key = _alias_key(name).lower()
                for p in self.proposals.values():
                    if any(key in _alias_key(a).lower() for a in (p.name, *p.aliases)):
                        found.setdefault(key, set()).add(p.slug)
            self._place_proposals = {k: next(iter(v)) for k, v in found.items() if len(v) == 1}
        return self._place_proposals.get(_alias_key(place).lower())

    def proposal_named(self, word: str) -> str | None:
        """The one proposal whose name or aliases hold a capitalised word ("a truce for
        Easter" → the Easter truce), if exactly one does."""
        return self._word_proposals.get(word)

    def role(self, party: str) -> str:
        """The role of a party's side in this conflict (belligerent, mediator, …), if known."""
        return self._role.get(party, "")

    def on_behalf_of(self, party: str) -> str | None:
        return self._state[party]

    def proposal_root(self, proposal: str) -> str:
        return self._proposal_root[proposal]

    def _loose_pattern(self) -> tuple[re.Pattern[str], list[str]] | None:
        """Proposal names of three or more words, each word allowed one word before the
        next: "a ceasefire and hostage release deal" is the "ceasefire and hostage deal".
        Names with a number are left exact ("30-day ceasefire" is not "30-day energy
        ceasefire"), and so are names that end in anything but an agreement's noun."""
        patterns: dict[str, set[str]] = {}
        for p in self.proposals.values():
            for alias in (p.name, *p.aliases):
                words = [w for w in _WORD.findall(alias.lower()) if w not in _LOOSE_SKIP]
                if (
                    len(words) < 3
                    or words[-1] not in _AGREEMENT_NOUNS
                    or any(w.isdigit() for w in words)
                ):
                    continue
                body = r"(?:[\s-]+\w+)?[\s-]+".join(
                    re.escape(w).replace("ceasefire", "cease-?fire") + "s?" for w in words
                )
                patterns.setdefault(body, set()).add(p.slug)
        kept = [(body, slugs.pop()) for body, slugs in patterns.items() if len(slugs) == 1]
        if not kept:
            return None
        alternatives = "|".join(f"(?P<l{i}>{body})" for i, (body, _) in enumerate(kept))
        return re.compile(rf"\b(?i:{alternatives})\b"), [slug for _, slug in kept]

    def mentions(self, text: str) -> list[Mention]:
        if self._pattern is None:
            return []
        found = []
        for m in self._pattern.finditer(text):
            matched = m.group()
            resolved = self._resolved.get(matched)
            if resolved is None:
                resolved = self._resolve(matched)
                if len(self._resolved) < 10_000:
                    self._resolved[matched] = resolved
            if resolved[0]:
                found.append(Mention(m.start(), m.end(), *resolved))
        sides = {self.side(m.slugs[0]) for m in found if m.kind == "party" and len(m.slugs) == 1}
        if self._loose is not None and len(sides) >= 2:  # else no article of this conflict
            pattern, slugs = self._loose
            named = [(m.start, m.end) for m in found if m.kind == "proposal"]
            loose = [
                Mention(m.start(), m.end(), "proposal", (slugs[int(m.lastgroup[1:])],))
                for m in pattern.finditer(text)
                if not any(s < m.end() and m.start() < e for s, e in named)
            ]
            if loose:
                found = sorted(found + loose, key=lambda m: m.start)
        return found

    def _resolve(self, matched: str) -> tuple[str, tuple[str, ...]]:
        key = _alias_key(matched)
        hits = self._exact.get(key) or self._exact.get(_lower_first(key))
        if hits is None:
            hits = self._folded.get(key.lower(), ())
        kinds = {k for k, _ in hits}
        named = kinds & {"party", "proposal"}
        if named:
            # An alias that names a party and a proposal at once is no use to either.
            kind = named.pop() if len(named) == 1 else ""
        else:
            kind = "place" if "place" in kinds else "foreign" if "foreign" in kinds else ""
        return kind, tuple(s for k, s in hits if k == kind)


# Words a loose proposal name passes over, and the nouns it must end in.
_LOOSE_SKIP = frozenset("the a an and of for on in to with".split())
_AGREEMENT_NOUNS = frozenset(
    "deal deals agreement accord ceasefire cease truce plan proposal framework swap "
    "exchange understanding".split()
)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _sorted(pairs: set[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(pairs))


# --- the pieces of one article --------------------------------------------------------


@dataclass
class Subject:
    """Who speaks: one or more parties named together, or a resolved pronoun or title."""

    start: int
    end: int
    speakers: tuple[str, ...]
    how: str  # "name", "coordinated", "pronoun", "title"


@dataclass
class Article:
    text: str
    gazetteer: Gazetteer
    mentions: list[Mention]
    starts: list[int] = field(default_factory=list)

    own_cover: set[int] = field(default_factory=set)
    topic: str | None = None
    # Surnames of people the gazetteer does not know, introduced with a tie to a party
    # ("Hamas official Basem Naim"), and whom they speak for.
    introduced: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The subjects of the paragraphs read so far, for "the envoy" or "the group" later on.
    spoken_of: list = field(default_factory=list)
    # _targets of a span, asked for by several rules of one statement.
    targets_seen: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.starts = [m.start for m in self.mentions]
        self.own_cover = _own_cover(self.mentions)

    def within(self, start: int, end: int, kind: str | None = None) -> list[Mention]:
        i = bisect.bisect_left(self.starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            m = self.mentions[i]
            if m.end <= end and (kind is None or m.kind == kind):
                out.append(m)
            i += 1
        return out


_LINE = re.compile(r"[^\n]+")
# Hard-wrapped text keeps its paragraphs apart with blank lines.
_BLOCK = re.compile(r"\S(?:[^\n]|\n(?![ \t\r]*\n))*")
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")
# Double quotes, curly or straight; single quotes, curly or straight, where an apostrophe
# inside a word ("Russia’s") does not close them.
_QUOTE = re.compile(
    # Straight and curly marks mix in real copy ("…” and “…“).
    r"[“\"]([^“”\"\n]{1,2000})[”\"“](?!\w)"
    r"|[“\"]([^“”\"]{1,2000})[”\"]"
    r"|(?<![\w’])‘((?:[^‘’\n]|(?<=\w)’(?=\w)){3,2000}?)’(?!\w)"
    r"|(?<![\w'])'((?:[^'\n]|(?<=\w)'(?=\w)){3,2000}?)'(?!\w)"
)
_DOUBLE_MARK = re.compile(r"[“”\"]")
_SENTENCE_END = re.compile(
    r"[.!?…]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])"
    # A list item or a headline line ends where the next line starts with a bullet.
    r"|[ \t]*(?=\n[ \t]*[•·▪●*–-][ \t])"
)
# A party named right after one of these is an object, or the subject of a question or a
# hypothesis ("whether Russia would accept …"), not one who speaks.
_NOT_SUBJECT_AFTER = frozenset(
    "of to by for from against on in at about than between among into toward towards over "
    "under with without like including per via whom a an whether if unless until".split()
)
_THE = re.compile(r"[Tt]he\s+")
# A person's office, spokesman or ministry, which "it" may stand for.
_OFFICE = re.compile(r"[’']s\s+(?:press\s+)?(?:office|ministry|government|cabinet)\b")
# "The office of Israeli Prime Minister Benjamin Netanyahu said": the office speaks for them.
_BODY_OF = re.compile(
    r"\b[Tt]he\s+(?:press\s+)?(?:office|spokes(?:man|woman|person)|foreign\s+ministry|"
    r"government|cabinet)\s+of\s+(?:(?:fellow\s+)?(?:mediator|the)\s+)?$"
)
# "with Ukraine calling for an immediate ceasefire": an absolute clause, the party speaks.
_WITH_PARTICIPLE = re.compile(
    r"\s+(?:(?:also|again|still|now)\s+)?(?:calling (?:for|to|on)|demanding|insisting|saying|"
    r"urging|warning|pushing for|pressing for|proposing|offering|rejecting|refusing|accepting|"
    r"indicating|signall?ing|noting|stressing|adding)\b",
    re.IGNORECASE,
)
# Before a speaker named after a quote: “…,” the Kremlin said / a senior Israeli official said.
_DETERMINER = re.compile(
    r"(?:[Tt]he|[Aa]n?)\s+(?:(?:senior|top|high-ranking|unnamed|other|former)\s+)*"
)
_NAME_AFTER_ROLE = re.compile(r"(?:\s+(?:al-|bin\s+|ibn\s+)?[A-Z][\w’'-]+){1,3}")
# A subject that is a role: "an Israeli official", "a Kremlin spokesman".
_ROLE_NOUN = re.compile(
    r"(?i:official|spokes\w+|source|diplomat|negotiator|envoy|minister|aide|adviser|advisor|"
    r"representative|delegate)$"
)
_OF_PARTY = re.compile(r"\s+of\s+(?:the\s+)?")
# The surname closing a subject ("… official Basem Naim") or opening an apposition before it.
_NAME_AT_END = re.compile(r"\s[A-Z][\w’'-]+\s+(?P<surname>[A-Z][\w’'-]{2,})\s*$")
_NAME_BEFORE_COMMA = re.compile(
    r"(?:[A-Z][\w’'-]+\s+(?:al-|bin\s+|ibn\s+)?){1,3}(?P<surname>[A-Z][\w’'-]{2,}),"
)
_POSSESSIVE_GAP = re.compile(r"[’']s\s+")
_COORDINATION = re.compile(
    r"(?:\s*\([^()]{1,15}\))?\s*(?:,\s*)?(?:and|&)\s+(?:(?:the|its|their)\s+)?"
    # "… and the Republic of Rwanda": a state's formal name around the one we know
    r"(?:(?:Islamic\s+|Federal\s+|Democratic\s+)?(?:Republic|Kingdom|State|Federation)\s+of\s+"
    r"(?:the\s+)?)?$"
)
# "Trump, Putin agree …", "Qatari, Egyptian and American mediators": a bare comma joins
# subjects of different parties.
_COMMA_COORDINATION = re.compile(r"(?:\s*\([^()]{1,15}\))?\s*,\s*$")
_LIST_GOES_ON = re.compile(r"\s*(?:,\s*)?(?:and|&)\s")
_TRAILING = re.compile(r"(?:[\s,;:—–-]|\b(?:and|but|or|as)\b)+$")
_LEADING_THAT = re.compile(r"^\s*(?:that\s+|,\s*|particularly\s+)*", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_QUOTE_END_PUNCT = ",?!…—–-"


def _sentences(
    text: str, start: int, end: int, quotes: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    out, s = [], start
    quote_starts = [q[0] for q in quotes]
    for m in _SENTENCE_END.finditer(text, start, end):
        cut = m.end()
        # Quotations do not overlap: only the last one opened before the stop can hold it.
        i = bisect.bisect_left(quote_starts, m.start()) - 1
        if i >= 0 and cut < quotes[i][1]:
            continue
        word = text[text.rfind(" ", s, m.start()) + 1 : m.start()].strip('“"(').lower()
        if m.group().startswith(".") and (
            word in cues.ABBREVIATIONS or (len(word) == 1 and word.isalpha())
        ):
            continue
        out.append((s, cut))
        s = cut
        while s < end and text[s].isspace():
            s += 1
    if s < end:
        out.append((s, end))
    return out


def _ends_with(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> re.Match[str] | None:
    """`pattern` (anchored with $) at the end of text[lo:hi], looking back a few words only."""
    return pattern.search(text, max(lo, hi - 48), hi)


def _word_before(text: str, lo: int, hi: int) -> str:
    """The word before position hi (skipping one "the"), lower-cased; "" at lo."""
    words = text[max(lo, hi - 30) : hi].split()
    if words and words[-1].lower() == "the":
        words.pop()
    return words[-1].lower() if words else ""


def _channel(window: str) -> tuple[str, bool]:
    m = cues.CHANNEL.search(window)
    if m is None:
        return "reported", False
    return m.lastgroup or "reported", True


class _Paragraph:
    def __init__(
        self, article: Article, start: int, end: int, carried_person: str | None = None
    ) -> None:
        self.article, self.start, self.end = article, start, end
        self.carried_person = carried_person
        text = article.text
        self.quotes: list[tuple[int, int, int, int]] = []  # outer start/end, inner start/end
        self.runs_on = False  # one quote, the whole paragraph, closed in a later one
        self.on_topic: bool | None = None  # see _passage_on_topic
        for m in _QUOTE.finditer(text, start, end):
            g = next(i for i in range(1, 5) if m.group(i) is not None)
            self.quotes.append((m.start(), m.end(), m.start(g), m.end(g)))
        body = text[start:end].rstrip()
        if body[:1] in '“"' and not _DOUBLE_MARK.search(body, 1):
            # A quote that runs on into the next paragraph has no closing mark here.
            self.quotes = [(start, start + len(body), start + 1, start + len(body))]
            self.runs_on = True
        self._quote_starts = [q[0] for q in self.quotes]
        self.sentences = _sentences(text, start, end, [(q[0], q[1]) for q in self.quotes])
        self._sentence_starts = [s for s, _ in self.sentences]
        self.mentions = article.within(start, end)
        outside = [m for m in self.mentions if not self.in_quote(m.start)]
        self.subjects = self._subjects([m for m in outside if m.kind == "party"])
        self._subject_starts = [s.start for s in self.subjects]
        self._subject_at = {s.start: s for s in self.subjects}
        # Each person the first time the paragraph names them, for "he" and "the president".
        gaz = article.gazetteer
        self._mention_people = [
            (m.start, m.slugs[0])
            for m in self.mentions
            if m.kind == "party" and len(m.slugs) == 1 and gaz.parties[m.slugs[0]].kind == "person"
        ]
        seen: set[str] = set()
        self._people: list[tuple[int, str]] = []
        for at, slug in self._mention_people:
            if slug not in seen:
                seen.add(slug)
                self._people.append((at, slug))

    def in_quote(self, pos: int) -> bool:
        i = bisect.bisect_right(self._quote_starts, pos) - 1
        return i >= 0 and pos < self.quotes[i][1]

    def sentence_of(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._sentence_starts, pos) - 1
        if i >= 0 and pos < self.sentences[i][1]:
            return self.sentences[i]
        return self.start, self.end

    def subjects_between(self, start: int, end: int) -> list[Subject]:
        lo = bisect.bisect_left(self._subject_starts, start)
        hi = bisect.bisect_left(self._subject_starts, end)
        return self.subjects[lo:hi]

    def subject_at(self, pos: int) -> Subject | None:
        return self._subject_at.get(pos)

    def _subjects(self, party_mentions: list[Mention]) -> list[Subject]:
        text, gaz = self.article.text, self.article.gazetteer
        simple: list[Subject] = []
        for m in party_mentions:
            if len(m.slugs) != 1:
                simple.append(Subject(m.start, m.end, (), "name"))
                continue
            last = simple[-1] if simple else None
            gap = text[last.end : m.start] if last is not None else ""
            if (
                last is not None
                and last.speakers
                and (gap.isspace() or _POSSESSIVE_GAP.fullmatch(gap))
            ):
                # "Ukrainian President Volodymyr Zelensky": the last name is the head.
                last.end, last.speakers = m.end, m.slugs
                continue
            if (
                last is not None
                and last.speakers == m.slugs
                and re.fullmatch(r"\s*\(", gap)
                and text[m.end : m.end + 1] == ")"
            ):
                last.end = m.end + 1  # "the Democratic Republic of Congo (DRC)"
                continue
            if (
                last is not None
                and len(last.speakers) == 1
                and last.speakers != m.slugs
                and _OF_PARTY.fullmatch(gap)
                and gaz.root(last.speakers[0]) == gaz.root(m.slugs[0])
            ):
                last.end = m.end  # "President Vladimir Putin of Russia": Putin
                continue
            simple.append(Subject(m.start, m.end, m.slugs, "name"))
        for s in simple:
            self._someone_else_with_the_title(s)
            title = cues.TITLE_AFTER_PARTY.match(text, s.end, self.end)
            if title is None or not self._title_holder(s, title):
                role = cues.ROLE_AFTER_PARTY.match(text, s.end, self.end)
                if role:
                    s.end = role.end()
                elif _ROLE_NOUN.search(text, s.start, s.end) and (
                    name := _NAME_AFTER_ROLE.match(text, s.end, self.end)
                ):
                    s.end = name.end()  # "Hamas official Izzat al-Risheq"
            if len(s.speakers) == 1 and gaz.parties[s.speakers[0]].kind != "person":
                # "Khalil al-Hayya, Hamas's chief in Gaza, said": someone the gazetteer
                # does not name, speaking for the party of the apposition.
                tail = cues.APPOSITION_TAIL.match(text, s.end, self.end)
                head = tail and _ends_with(cues.APPOSITION_HEAD, text, self.start, s.start)
                if (
                    tail
                    and head
                    and head.group("first") not in cues.NOT_A_NAME
                    and not self.article.within(head.start(), head.end(), "party")
                ):
                    s.speakers = (self._institution(s.speakers[0]) or s.speakers[0],)
                    s.start, s.end, s.how = head.start(), tail.end(), "title"
        merged: list[Subject] = []
        for s in simple:
            prev = merged[-1] if merged else None
            if (
                prev is not None
                and prev.speakers
                and s.speakers
                and (
                    _COORDINATION.fullmatch(text, prev.end, s.start)
                    or (
                        _COMMA_COORDINATION.fullmatch(text, prev.end, s.start)
                        and prev.how == s.how == "name"
                        and {gaz.root(p) for p in prev.speakers}.isdisjoint(
                            gaz.root(p) for p in s.speakers
                        )
                        and (
                            _LIST_GOES_ON.match(text, s.end) is not None
                            or cues.VERB_AFTER_SUBJECT.match(text, s.end, self.end) is not None
                        )
                    )
                )
            ):
                prev.end = s.end
                prev.speakers = tuple(dict.fromkeys(prev.speakers + s.speakers))
                prev.how = "coordinated"
                continue
            merged.append(s)
        for s in merged:
            if s.how == "coordinated":
                self._group_of(s)
            self._remember_name(s)
        merged += self._introduced_before(merged)
        return sorted((s for s in merged if s.speakers), key=lambda s: s.start)

    def _remember_name(self, subject: Subject) -> None:
        """Someone the gazetteer does not know, introduced with a tie to a party ("Hamas
        official Basem Naim", "Khalil al-Hayya, Hamas's chief in Gaza"): remember the
        surname, which alone later in the article ("Naim said") speaks for the same party."""
        text = self.article.text
        inside = self.article.within(subject.start, subject.end, "party")
        if not inside or len(subject.speakers) != 1:
            return
        if subject.end > inside[-1].end:
            name = _NAME_AT_END.search(text, inside[-1].end, subject.end)
        elif subject.start < inside[0].start:
            name = _NAME_BEFORE_COMMA.match(text, subject.start, inside[0].start)
        else:
            return
        if name is not None and name.group("surname") not in cues.NOT_A_NAME:
            self.article.introduced.setdefault(name.group("surname"), subject.speakers)

    def _introduced_before(self, subjects: list[Subject]) -> list[Subject]:
        """The surnames remembered from earlier paragraphs, as subjects of this one."""
        text, found = self.article.text, []
        for surname, speakers in self.article.introduced.items():
            for m in re.compile(rf"\b{re.escape(surname)}\b").finditer(text, self.start, self.end):
                at = m.start()
                if self.in_quote(at):
                    continue
                if any(s.start <= at < s.end for s in subjects) or self.article.within(
                    at, m.end(), "party"
                ):
                    continue
                found.append(Subject(at, m.end(), speakers, "title"))
        return found

    def _group_of(self, subject: Subject) -> None:
        """ "The foreign ministers of Rwanda and DR Congo", "the Thai and Cambodian leaders":
        each party's holder of that office (else its government) speaks."""
        text = self.article.text
        before = _ends_with(cues.GROUP_BEFORE, text, self.start, subject.start)
        after = None if before else cues.GROUP_AFTER.match(text, subject.end, self.end)
        found = before or after
        if found is None:
            return
        role = found.group("role").lower()
        role = cues.GROUP_ROLES.get(role, role.rstrip("s"))
        speakers = []
        for party in subject.speakers:
            holder = (
                self._person_with_title(party, role)
                if role.split()[-1] in cues.PERSON_ROLES
                else None
            )
            speakers.append(holder or self._institution(party) or party)
        subject.speakers = tuple(dict.fromkeys(speakers))
        if before:
            subject.start = before.start()
        else:
            subject.end = after.end()

    def _title_holder(self, subject: Subject, title: re.Match[str]) -> bool:
        """ "the Russian president", "Pakistan's Information Minister Attaullah Tarar",
        "Israeli officials": the subject becomes the person the phrase names (a tracked one
        named in it, or the one whose title it gives), else the institution that speaks
        for the party. Returns whether the subject was changed."""
        if len(subject.speakers) != 1:
            return False
        gaz, text = self.article.gazetteer, self.article.text
        party = subject.speakers[0]
        named = [
            m
            for m in self.article.within(title.start(), title.end(), "party")
            if len(m.slugs) == 1 and gaz.parties[m.slugs[0]].kind == "person"
        ]
        role = title.group("role").lower()
        end = title.end()
        if not named:
            # "US secretary of state Marco Rubio": a tracked person named right after.
            follow = self.article.within(end, end + 60, "party")
            if (
                follow
                and len(follow[0].slugs) == 1
                and gaz.parties[follow[0].slugs[0]].kind == "person"
                and (gap := _TITLE_TO_NAME.fullmatch(text, end, follow[0].start))
            ):
                named, end = [follow[0]], follow[0].end
                if "," in gap.group() and text[end : end + 1] == ",":
                    end += 1  # "Rwanda's foreign minister, Olivier Nduhungirehe, described"
        if named:
            speaker = named[-1].slugs[0]
        elif role in cues.PERSON_ROLES:
            before = _ends_with(cues.TITLE_BEFORE_PARTY, text, self.start, subject.start)
            has_name = title.end() > title.end("role")
            if before is None and not has_name:
                return False  # "Russian president" as an adjective, or a name we lack
            # "the Pakistan prime minister": the whole title, then its last word
            words = text[title.start() : title.start("role")].lower().replace("’s", " ").split()
            full = " ".join([*(w for w in words if w != "'s"), role])
            speaker = (
                (full != role and self._person_with_title(party, full))
                or self._person_with_title(party, role)
                or self._institution(party)
            )
        else:
            speaker = self._institution(party)
        if speaker is None:
            return False
        subject.speakers, subject.end, subject.how = (speaker,), end, "title"
        return True

    def _person_with_title(self, party: str, role: str) -> str | None:
        gaz = self.article.gazetteer
        wanted = cues.ROLE_TITLES.get(role, (role,))
        people = [
            p.slug
            for p in gaz.parties.values()
            if p.kind == "person"
            and any(w in p.title.lower() for w in wanted)
            and party in gaz._walk(p.slug)
        ]
        if len(people) > 1:
            # "the Pakistan prime minister": not the deputy prime minister
            people = [
                p
                for p in people
                if not any(
                    re.search(
                        rf"\b(?:deputy|vice|former)\s+{re.escape(w)}", gaz.parties[p].title.lower()
                    )
                    for w in wanted
                )
            ]
        return people[0] if len(people) == 1 else None

    def _institution(self, party: str) -> str | None:
        """Who speaks for a party's officials: its one government, or the party itself."""
        gaz = self.article.gazetteer
        spec = gaz.parties[party]
        if spec.kind in ("government", "organisation", "armed_group"):
            return party
        governments = [
            p.slug for p in gaz.parties.values() if p.parent == party and p.kind == "government"
        ]
        return governments[0] if len(governments) == 1 else party

    def _someone_else_with_the_title(self, subject: Subject) -> None:
        """ "Ukrainian Defence Minister Oleksii Reznikov" when the gazetteer gives that title
        to another person: the one named is not that person, but speaks for the same
        institution, so the institution is the speaker."""
        if len(subject.speakers) != 1:
            return
        gaz, text = self.article.gazetteer, self.article.text
        person = gaz.parties[subject.speakers[0]]
        if person.kind != "person":
            return
        said = set(_WORD.findall(text[subject.start : subject.end].lower()))
        if said & set(_WORD.findall(person.name.lower())):
            return  # the person's own name, not a title
        at = subject.end
        while at < self.end and text[at] == " ":
            at += 1
        name = cues.PERSON_NAME.match(text, at, self.end)
        if name is None or at == subject.end or name.group("first") in cues.NOT_A_NAME:
            return
        if self.article.within(name.start(), name.end(), "party"):
            return
        institution = person.parent if person.parent in gaz.parties else None
        subject.speakers = (institution,) if institution else ()
        subject.end, subject.how = name.end(), "title"

    def resolve(self, start: int, end: int) -> Subject | None:
        """A "he", "she" or "the president" at start…end, if the paragraph says who."""
        text, gaz = self.article.text, self.article.gazetteer
        before = [
            slug for at, slug in self._people[: bisect.bisect_left(self._people, (start, ""))]
        ]
        word = text[start:end]
        if (t := cues.TITLE_REFERENCE.fullmatch(word)) is not None:
            title = t.group("title").lower()
            people = {p for p in before if title in gaz.parties[p].title.lower()}
            how = "title"
            if not people and title in cues.BODY_REFERENCES:
                return self._named_before(start, end, title)
            if not people and self._sentence_index(start) <= 1:
                # "The prime minister added …" opening a paragraph: the person the last
                # one was about, if that is their title.
                carried = self.carried_person
                if carried and title in gaz.parties[carried].title.lower():
                    return Subject(start, end, (carried,), how)
                named = self._named_before(start, end, title)
                if named is not None and not self._other_title_holder(title, named, start):
                    return named
                return None
        elif cues.PRONOUN.fullmatch(word) or cues.POSSESSIVE_BODY.fullmatch(word):
            people, how = set(before), "pronoun"
            if not people and self.carried_person and self._sentence_index(start) <= 1:
                # "He said …" opening a paragraph: the person the last one was about.
                return Subject(start, end, (self.carried_person,), how)
        else:
            return None
        if len(people) > 1:
            # Two people named: "he" is the previous sentence's subject.
            people = self._previous_subject(start, people)
        if len(people) != 1:
            return None
        person = people.pop()
        i = bisect.bisect_left(self._mention_people, (start, ""))
        last = next(at for at, slug in reversed(self._mention_people[:i]) if slug == person)
        if self._sentence_index(start) - self._sentence_index(last) > 1:
            return None  # named too far back to be sure
        # Someone the gazetteer does not know, named in between, could be meant instead
        # (not a name in a quote, nor a channel: "Truth Social").
        for name in cues.PERSON_NAME.finditer(text, last, start):
            if (
                name.group("first") not in cues.NOT_A_NAME
                and not any(
                    m.start < name.end() and name.start() < m.end
                    for m in self.article.within(name.start() - 80, name.end() + 80)
                )  # not part of a name we know ("Mohammed bin Abdulrahman Al Thani"), nor a
                # place or a proposal ("the Gaza Strip")
                and not self.in_quote(name.start())
                and not cues.CHANNEL.fullmatch(name.group())
            ):
                return None
        return Subject(start, end, (person,), how)

    def both_sides(self, start: int, end: int) -> Subject | None:
        """ "Both sides said", "the parties stated": the two belligerent sides the article
        names most, each by its top party. "Both sides agreed" after someone's verb of
        speech ("Trump said both sides had agreed …") is that speaker's report."""
        gaz, text = self.article.gazetteer, self.article.text
        sent_s, sent_e = self.sentence_of(start)
        verb = cues.VERB_AFTER_SUBJECT.match(text, end, sent_e)
        if (
            verb is not None
            and not cues.SPEECH_VERB_RE.fullmatch(verb.group("verb"))
            and cues.SPEECH_VERB_RE.search(text, sent_s, start)
        ):
            return None
        counts: Counter[str] = Counter(
            gaz.root(m.slugs[0])
            for m in self.article.mentions
            if m.kind == "party" and len(m.slugs) == 1 and gaz.role(m.slugs[0]) == "belligerent"
        )
        two = [root for root, _ in counts.most_common(2)]
        return Subject(start, end, tuple(two), "coordinated") if len(two) == 2 else None

    def mediators(self, start: int, end: int) -> Subject | None:
        """ "Mediators announced", "…, the mediators said": the mediators the article names
        (states and bodies, not people), most named first."""
        text, gaz = self.article.text, self.article.gazetteer
        if self.article.within(start - 30, start, "party") and re.search(
            r"[A-Z][\w’'-]*\s+$", text[max(0, start - 30) : start]
        ):
            return None  # "Qatari mediators": the party named is the speaker
        counts: Counter[str] = Counter(
            m.slugs[0]
            for m in self.article.mentions
            if m.kind == "party"
            and len(m.slugs) == 1
            and gaz.role(m.slugs[0]) in _MEDIATORS
            and gaz.parties[m.slugs[0]].kind != "person"
            and gaz.parties[m.slugs[0]].parent is None
        )
        named = tuple(slug for slug, _ in counts.most_common())
        return Subject(start, end, named, "coordinated") if named else None

    def resolve_it(self, start: int, end: int) -> Subject | None:
        """ "It said", "it also called for": the body (not a person) that last spoke, in
        this sentence or the two before, or just before the paragraph."""
        text, gaz = self.article.text, self.article.gazetteer
        if cues.VERB_AFTER_SUBJECT.match(text, end, self.sentence_of(start)[1]) is None:
            return None
        # this sentence and the two before, or the paragraph before ("It also called for …"
        # opening a line after the one where the Kremlin spoke)
        back = min(self._sentence_starts[max(0, self._sentence_index(start) - 3)], start - 300)
        for subject in reversed(self.article.spoken_of):
            if subject.end > start:
                continue  # later in this paragraph
            if subject.end < back:
                break
            if not cues.VERB_AFTER_SUBJECT.match(text, subject.end, start):
                continue  # named, not speaking
            if any(gaz.parties[p].kind == "person" for p in subject.speakers) and not (
                _OFFICE.search(text, subject.start, subject.end)
                or _ends_with(_BODY_OF, text, max(0, subject.start - 60), subject.start)
            ):
                return None  # the last one who spoke is someone: "it" is not them
            # (but "Netanyahu's office said … It added": the office)
            return Subject(start, end, subject.speakers, "pronoun")
        return None

    def _other_title_holder(self, title: str, named: Subject, start: int) -> bool:
        """Whether someone else is called by `title` between the last time `named` spoke
        and `start`: "French President Emmanuel Macron" before "the president added"."""
        text = self.article.text
        since = max(
            (
                s.end
                for s in self.article.spoken_of
                if s.end <= start and s.speakers == named.speakers
            ),
            default=start,
        )
        holder = re.compile(rf"\b(?i:{re.escape(title)})\s+{_NAME_RUN}")
        return any(
            not self.article.within(m.start(), m.end(), "party")
            for m in holder.finditer(text, since, start)
        )

    def _named_before(self, start: int, end: int, title: str) -> Subject | None:
        """ "the envoy", "the official", "the group": the last subject before that was
        called so ("U.S. envoy Steve Witkoff"), or, for a group, the last armed group or
        organisation that spoke; in this paragraph or the two before."""
        text, gaz = self.article.text, self.article.gazetteer
        earlier = [s for s in self.article.spoken_of if s.end <= start]
        recent = list(itertools.takewhile(lambda s: start - s.end <= 1500, reversed(earlier[-12:])))
        for subject in recent:
            said = text[subject.start : subject.end].lower()
            kinds = {gaz.parties[p].kind for p in subject.speakers}
            titles = " ".join(gaz.parties[p].title.lower() for p in subject.speakers)
            if (
                title.rstrip("s") in said
                or title in titles
                or (title in _GROUPS and kinds & {"armed_group", "organisation"})
            ):
                groups = tuple(
                    p
                    for p in subject.speakers
                    if gaz.parties[p].kind in ("armed_group", "organisation")
                )
                # "Israel and Hamas agreed … The group said": the group of the two.
                speakers = groups if title in _GROUPS and groups else subject.speakers
                return Subject(start, end, speakers, "title")
        if title in _DOCUMENTS and _DOCUMENT_SAYS.match(text, end):
            # "X confirmed it on X. “…,” the post reads.": the last one who spoke.
            for subject in recent:
                verb = cues.VERB_AFTER_SUBJECT.match(text, subject.end, start)
                if verb is not None and cues.SPEECH_VERB_RE.fullmatch(verb.group("verb")):
                    return Subject(start, end, subject.speakers, "title")
        return None

    def _sentence_index(self, pos: int) -> int:
        return bisect.bisect_right(self._sentence_starts, pos)

    def _previous_subject(self, start: int, people: set[str]) -> set[str]:
        here = self._sentence_index(start) - 1
        for index in (here, here - 1):
            if index < 0:
                break
            sent_s, sent_e = self.sentences[index]
            subjects = self.subjects_between(sent_s, min(sent_e, start))
            for subject in subjects:
                if cues.VERB_AFTER_SUBJECT.match(self.article.text, subject.end, sent_e):
                    chosen = set(subject.speakers) & people
                    if chosen:
                        return chosen
            # "Netanyahu spoke to Biden. … his office said": the one who opens the sentence.
            if subjects and not self.article.text[sent_s : subjects[0].start].strip():
                chosen = set(subjects[0].speakers) & people
                if chosen:
                    return chosen
        return people

    @property
    def names_someone_else(self) -> bool:
        """Whether the paragraph names a person the gazetteer does not know."""
        text = self.article.text
        return any(
            name.group("first") not in cues.NOT_A_NAME
            # (a place or a proposal the gazetteer knows is no one: "the Gaza Strip")
            and not self.article.within(name.start(), name.end())
            for name in cues.PERSON_NAME.finditer(text, self.start, self.end)
        )

    @property
    def last_person(self) -> str | None:
        """The person the paragraph last spoke of as a subject, for "he" in the next one."""
        gaz, text = self.article.gazetteer, self.article.text
        for subject in reversed(self.subjects):
            if len(subject.speakers) == 1 and gaz.parties[subject.speakers[0]].kind == "person":
                if cues.VERB_AFTER_SUBJECT.match(text, subject.end, self.end) or (
                    _SAID_BEFORE.search(text, max(self.start, subject.start - 60), subject.start)
                ):  # "…,” said Anwar at a press conference.
                    return subject.speakers[0]
        return None


# A name as it follows a title: "Sheikh Mohammed bin Abdulrahman Al Thani".
_NAME_RUN = r"[A-Z][\w’'-]+(?:\s+(?:[A-Z][\w’'-]+|bin|ibn|al|de|van|von|der))*"


@dataclass
class _Draft:
    speakers: tuple[str, ...]
    how: str
    text_start: int
    text_end: int
    is_verbatim: bool
    channel_window: str  # the words around the statement that may name its channel
    region: list[tuple[int, int]]  # where stance and condition cues are read
    sentence: tuple[int, int]
    subject_start: int
    rules: list[str] = field(default_factory=list)
    subject_end: int = 0
    # What other parties are reported to have said or done inside the statement ("Trump
    # said India and Pakistan agreed …"): read for stances, never for conditions.
    embedded: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def reported(
        cls,
        text: str,
        subject: Subject,
        said: tuple[int, int],
        sentence: tuple[int, int],
        rules: list[str],
        *,
        region: list[tuple[int, int]] | None = None,
        embedded: list[tuple[int, int]] | None = None,
    ) -> _Draft:
        """What `subject` is reported (not quoted) to have said at `said` in `sentence`."""
        return cls(
            speakers=subject.speakers,
            how=subject.how,
            text_start=said[0],
            text_end=said[1],
            is_verbatim=False,
            channel_window=text[sentence[0] : sentence[1]],
            region=[said] if region is None else region,
            sentence=sentence,
            subject_start=subject.start,
            subject_end=subject.end,
            rules=rules,
            embedded=embedded or [],
        )


# Words of the sentence's own before a quote that ends at the attribution ("Cambodia and
# Thailand agreed to an “immediate and unconditional ceasefire,” Anwar said"): the whole
# sentence is what was said, not only the quoted words.
_EMBEDDED_QUOTE = re.compile(r"\b(?:\w+\W+){3,}(?:an?|the|to|for|of|as|in|on)\s*$", re.IGNORECASE)


def _pronoun_or_title_at(text: str, pos: int, end: int) -> re.Match[str] | None:
    m = cues.TITLE_REFERENCE.match(text, pos, end)
    if m is None:
        m = re.compile(r"\b(?:[Hh]e|[Ss]he)\b").match(text, pos, end)
    if m is None:
        m = cues.POSSESSIVE_BODY.match(text, pos, end)  # “…,” his office said.
    return m


def _quotes(par: _Paragraph, carried: Subject | None = None) -> Iterator[tuple[_Draft, Subject]]:
    """Direct quotes with their speakers. `carried` is who spoke the last quote of the
    paragraph before, for a quote that opens this one with no attribution of its own."""
    text = par.article.text
    last: Subject | None = None
    last_end = par.start
    for outer_s, outer_e, inner_s, inner_e in par.quotes:
        if len(_WORD.findall(text, inner_s, inner_e)) < 4:
            continue  # scare quotes and titles, not statements
        sent_s, sent_e = par.sentence_of(outer_s)
        subject, form = None, ""
        inner = text[inner_s:inner_e].rstrip().rstrip("'’‘")  # “… 'THE 12 DAY WAR,'”
        # “…,” Putin said.  /  “…,” said Putin.  /  “…,” he said.  /  “….” Trump posted.
        ends_sentence = bool(inner) and inner[-1] in ".!?"
        if (
            inner
            and inner[-1] in _QUOTE_END_PUNCT
            or text[outer_e : outer_e + 1] == ","
            or ends_sentence
        ) and not _EMBEDDED_QUOTE.search(text, sent_s, outer_s):
            pos = outer_e + (text[outer_e : outer_e + 1] == ",")
            attribution_e = par.sentence_of(pos + 1)[1] if ends_sentence else sent_e
            pos = cues.QUOTE_TO_SPEAKER.match(text, pos).end()
            subj = par.subject_at(pos)
            if subj is None and (the := _DETERMINER.match(text, pos, attribution_e)) is not None:
                subj = par.subject_at(the.end())  # “…,” the Ukrainian President said.
            if subj is None and (ref := _pronoun_or_title_at(text, pos, attribution_e)):
                subj = par.resolve(ref.start(), ref.end())
            if subj is not None:
                verb = cues.VERB_AFTER_SUBJECT.match(text, subj.end, attribution_e)
                if (
                    verb
                    and cues.SPEECH_VERB_RE.fullmatch(verb.group("verb"))
                    and (not ends_sentence or _only_attribution(text, verb.end(), attribution_e))
                ):
                    subject, form = subj, "quote-then-speaker"
            else:
                verb = cues.AFTER_QUOTE.match(text, pos, attribution_e)
                if verb and verb.group("pre_verb"):
                    after = verb.end()
                    subj = par.subject_at(after)
                    if subj is None and (the := _DETERMINER.match(text, after, attribution_e)):
                        subj = par.subject_at(the.end())  # “…,” said the Kremlin.
                    if subj is None:
                        # “…,” said President Donald Trump / US Secretary of State Marco Rubio.
                        subj = next(
                            (
                                s
                                for s in par.subjects_between(after, attribution_e)
                                if _TITLE_RUN.fullmatch(text, after, s.start)
                            ),
                            None,
                        )
                    if subj is not None:
                        subject, form = subj, "quote-then-verb-speaker"
        if subject is None:
            # Putin said: “…”  /  Trump, in a post, stated that “…”  /  with Scholz stating, “…”
            for subj in reversed(par.subjects_between(sent_s, outer_s)):
                if par.in_quote(subj.start):
                    continue
                m = cues.BEFORE_QUOTE.match(text[subj.end : outer_s])
                if m is None:
                    continue
                before = _word_before(text, sent_s, subj.start)
                # "with Scholz stating, “…”" is the one object that introduces a speaker.
                if before == "with" and not m.group("verb").endswith("ing"):
                    continue
                if before != "with" and before in _NOT_SUBJECT_AFTER:
                    continue
                subject, form = subj, "speaker-then-quote"
                break
        if subject is None:
            # Quote from Medinsky: “…”
            for subj in reversed(par.subjects_between(sent_s, outer_s)):
                gap = text[subj.end : outer_s]
                if re.fullmatch(r"\s*:\s*", gap) and _ends_with(
                    cues.QUOTE_FROM, text, sent_s, subj.start
                ):
                    subject, form = subj, "speaker-then-quote"
                break
        if subject is None:
            # “…,” he said. “…” — a quote continued, with no one else named in between.
            previous = last if last is not None else carried if outer_s == par.start else None
            if previous is not None and all(
                s.speakers == previous.speakers for s in par.subjects_between(last_end, outer_s)
            ):
                subject, form = previous, "quote-continued"
        if subject is None:
            continue
        last, last_end = subject, outer_e
        window = text[sent_s:outer_s] + " " + text[outer_e:sent_e]
        end = inner_e
        while end > inner_s and text[end - 1] in _QUOTE_END_PUNCT + " ":
            end -= 1  # the comma before the closing mark belongs to the attribution
        draft = _Draft(
            speakers=subject.speakers,
            how=subject.how,
            text_start=inner_s,
            text_end=end,
            is_verbatim=True,
            channel_window=window,
            region=[(inner_s, inner_e)],
            sentence=(sent_s, sent_e),
            subject_start=subject.start,
            subject_end=subject.end,
            rules=[form],
        )
        yield draft, subject


def _only_attribution(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] after a speech verb is no more than where and how it was said
    ("on Truth Social", "in a statement"), so that the sentence attributes the quote before
    it instead of saying something new."""
    rest = text[start:end].strip(" .,;:\n\r\t")
    return not rest or (
        len(rest) <= 80
        and _WHERE_SAID.match(rest) is not None
        and not re.search(r"\b(?:that|but|and)\b", rest)
    )


def _says_only_who_and_where(article: Article, draft: _Draft) -> bool:
    """A reported draft that is no more than its speaker, a speech verb and where it spoke
    ("Zelensky responded on social media"; not "… commented on the agreement")."""
    text = article.text
    if draft.is_verbatim or draft.subject_end <= draft.text_start:
        return False
    verb = cues.VERB_AFTER_SUBJECT.match(text, draft.subject_end, draft.text_end)
    if verb is None or _targets(article, verb.end(), draft.text_end):
        return False
    said = _EMPTY_OBJECT.match(text, verb.end(), draft.text_end)
    return _only_attribution(text, said.end() if said else verb.end(), draft.text_end)


# What a sentence that only attributes may say was said: "confirmed the news on X".
_EMPTY_OBJECT = re.compile(r"\s+(?:the news|it|this|so|the reports?)\b", re.IGNORECASE)


# How, where or when something was said: "on Truth Social", "in a statement", "told
# reporters", "Tuesday".
_WHERE_SAID = re.compile(
    r"(?:on|in|at|during|via|to|after|before|from|through|late|earlier|later|when|while|"
    r"reporters|journalists|the press|told|reading|speaking|citing|quoting|addressing|"
    r"answering|responding|flanked|standing|alongside|according|following|ahead|amid|"
    r"shortly|upon|yesterday|today|tonight|overnight|separately|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b",
    re.IGNORECASE,
)


# "…, Mr Netanyahu said", "…, Prime Minister Binyamin Netanyahu's office said": a title,
# an honorific or a given name the gazetteer does not hold may stand before the name.
_NAME_OR_TITLE_WORD = r"(?:[A-Z][\w.’'-]*|bin|ibn|al|de|van|von|der)\s+"
_TRAILING_COMMA = re.compile(
    r",[\"”’']?\s*(?:(?:[Tt]he|[Aa]n?)\s+)?"  # a comma inside the quote: "…,” Anwar said
    rf"(?:{_NAME_OR_TITLE_WORD}){{0,8}}$"
)
# "…, said the Kremlin", "…, says Trump", "…, confirms Qatar PM" (any verb of speech may
# stand before its speaker).
_TRAILING_SAID = re.compile(
    r",\s*(?:said|says|added|adds|wrote|writes|announced|announces|stated|states|noted|notes|"
    r"confirmed|confirms|claimed|claims|warned|warns|insisted|insists|declared|declares|"
    r"told reporters)"
    r"\s+(?:(?:the|a|an)\s+)?"
    # "…, said Prime Minister Anwar Ibrahim": a title before the name
    rf"(?:{_NAME_OR_TITLE_WORD}){{0,6}}$",
    re.IGNORECASE,
)
# "according to the Kremlin", "according to US President Donald Trump" (a title before the
# name the gazetteer knows).
_ACCORDING_TO = re.compile(
    r"\b[Aa]ccording\s+to\s+(?:(?:the|a|an)\s+)?"
    # "according to readouts from the White House", "… to a statement by Hamas"
    r"(?:(?:readouts?|statements?|a statement|remarks|comments)\s+(?:from|by|of|issued by)\s+"
    r"(?:the\s+)?)?"
    r"(?:(?:[A-Z][\w.]*|of)\s+){0,3}$"
)


def _attributed(
    par: _Paragraph, subj: Subject, sent_s: int, sent_e: int
) -> tuple[tuple[int, int], str] | None:
    """Speech attributed at the end or by "according to": "…, Anwar Ibrahim said.",
    "…, said the Kremlin.", "According to the Kremlin, …", "…, according to Kyiv."
    Returns what was said (start, end) and the rule's name."""
    text = par.article.text
    before = text[max(sent_s, subj.start - 90) : subj.start]
    if (according := _ACCORDING_TO.search(before)) is not None:
        at = subj.start - len(before) + according.start()
        if not text[sent_s:at].strip():
            comma = text.find(",", subj.end, sent_e)
            if comma != -1 and comma - subj.end < 40:
                return (comma + 1, sent_e), "attribution:according-to"
            return None
        lead = text[sent_s:at].rstrip(" ,")
        return ((sent_s, sent_s + len(lead)), "attribution:according-to") if lead else None
    comma = _TRAILING_SAID.search(before) or _TRAILING_COMMA.search(before)
    if comma is None:
        return None
    said_at = subj.start - len(before) + comma.start()
    if said_at - sent_s < 15:
        return None
    after = subj.end
    if _TRAILING_COMMA.search(before) and comma.re is _TRAILING_COMMA:
        verb = cues.VERB_AFTER_SUBJECT.match(text, subj.end, sent_e)
        if verb is None or not cues.SPEECH_VERB_RE.fullmatch(verb.group("verb")):
            return None
        after = verb.end()
    if not _only_attribution(text, after, sent_e):
        return None
    return (sent_s, said_at), "attribution:trailing"


def _passive_or_possessive(
    par: _Paragraph, subj: Subject, sent_s: int, sent_e: int
) -> _Draft | None:
    """ "Trump's initiative … was viewed favorably by Putin": the agent speaks, of the
    subject before it. "Moscow's conditions include …": the possessor speaks."""
    text = par.article.text
    passive = _ends_with(cues.PASSIVE_AGENT, text, sent_s, subj.start)
    if passive is not None:
        said_s, said_e, rule = sent_s, _trim_end(text, sent_s, subj.end), "passive-agent"
        verb = passive.group("verb")
    else:
        saying = cues.SAYING_NOUN.match(text, subj.end, sent_e)
        if saying is None:
            return None
        said_s, said_e, rule = subj.start, _trim_end(text, subj.start, sent_e), "possessive"
        verb = saying.group("noun")
    if len(_WORD.findall(text, said_s, said_e)) < 5:
        return None
    return _Draft.reported(
        text, subj, (said_s, said_e), (sent_s, sent_e), [f"{rule}:{verb.lower()}"]
    )


def _reported(par: _Paragraph, used_subjects: set[int]) -> Iterator[_Draft]:
    text = par.article.text
    gaz = par.article.gazetteer
    for sent_s, sent_e in par.sentences:
        found: list[tuple[Subject, re.Match[str]]] = []
        heads = par.subjects_between(sent_s, sent_e)
        headline = _headline_speaker(par, heads, sent_s, sent_e)
        if headline is not None:
            # "Trump: Israel, Iran agree to 'complete and total ceasefire'": what follows the
            # colon is the speaker's claim; the parties in it are reported, not speaking.
            subj, said_s, said_e = headline
            said_e = _trim_end(text, said_s, said_e)
            used_subjects.update(h.start for h in heads)
            yield _Draft.reported(
                text,
                subj,
                (said_s, said_e),
                (sent_s, sent_e),
                ["headline-colon"],
                region=[(said_s, said_e)],
            )
            continue
        # Speakers the sentence does not name: "he", "the envoy", "his office", "both sides
        # said", "it said"; each reference with what resolves it.
        unnamed = (
            (cues.PRONOUN, par.resolve),
            (cues.TITLE_REFERENCE, par.resolve),
            (cues.POSSESSIVE_BODY, par.resolve),
            (cues.BOTH_SIDES, par.both_sides),
            (cues.MEDIATORS, par.mediators),
            (cues.IT_REFERENCE, par.resolve_it),
        )
        for reference, resolve in unnamed:
            for ref in reference.finditer(text, sent_s, sent_e):
                if (subj := resolve(ref.start(), ref.end())) is not None:
                    heads.append(subj)
        heads.sort(key=lambda s: s.start)
        main_clause_seen = False  # a participle speaks only for the sentence's subject
        # Speech attributed at the end of a sentence or by "according to": the other
        # parties named in what was said are reported, not speaking.
        reported_spans: list[tuple[int, int]] = []
        for subj in reversed(heads):
            if subj.start in used_subjects or par.in_quote(subj.start):
                continue
            attributed = _attributed(par, subj, sent_s, sent_e)
            if attributed is None:
                continue
            (said_s, said_e), rule = attributed
            said_e = _trim_end(text, said_s, said_e)
            if said_e - said_s < 10:
                continue
            used_subjects.add(subj.start)
            reported_spans.append((said_s, said_e))
            yield _Draft.reported(text, subj, (said_s, said_e), (sent_s, sent_e), [rule])
            break
        for subj in heads:
            if subj.start in used_subjects or par.in_quote(subj.start):
                continue
            if any(s_ <= subj.start < e_ for s_, e_ in reported_spans):
                continue
            other = _passive_or_possessive(par, subj, sent_s, sent_e)
            if other is not None and _within_reported_words(par, heads, subj):
                # "A source tells Reuters that the Russian side's demands were …": the
                # source's words, not a statement of Russia's.
                used_subjects.add(subj.start)
                continue
            if other is not None:
                used_subjects.add(subj.start)
                yield other
                continue
            if text[sent_s : subj.start].rstrip().endswith("that") and _ends_with(
                cues.SAID_THAT, text, sent_s, subj.start
            ):
                continue  # "Rubio said that India and Pakistan agreed …": Rubio's words
            word_before = _word_before(text, sent_s, subj.start)
            if (
                word_before in _NOT_SUBJECT_AFTER
                and not (
                    word_before in ("a", "an")
                    and (subj.how == "title" or _ROLE_NOUN.search(text, subj.start, subj.end))
                )
                and not (word_before == "with" and _WITH_PARTICIPLE.match(text, subj.end, sent_e))
                and not _ends_with(_BODY_OF, text, sent_s, subj.start)
                and not _WHO_SPEAKS.match(text, subj.end, sent_e)
            ):
                # (in "An Israeli official said" the article is the title's own; in "…, with
                # Ukraine calling for a ceasefire" the party speaks)
                continue
            verb = cues.VERB_AFTER_SUBJECT.match(text, subj.end, sent_e)
            if verb is None:
                # "Trump took credit for the deal, saying …": the participle speaks for the
                # sentence's subject, when no one else is named before it.
                verb = cues.PARTICIPLE.search(text, subj.end, min(sent_e, subj.end + 200))
                if verb is None or found or main_clause_seen:
                    main_clause_seen = True
                    continue
            main_clause_seen = True
            found.append((subj, verb))
        if not found:
            between = _between_the_sides(par, sent_s, sent_e, used_subjects)
            if between is not None:
                yield between
            continue
        # A subject inside the "that …" of a reporting verb is reported by the outer
        # speaker; one after a clause break opens a statement of its own.
        statements: list[tuple[Subject, re.Match[str], list[tuple[int, int]]]] = []
        for subj, verb in found:
            if statements:
                outer, outer_verb, embedded = statements[-1]
                gap_s, gap_e = outer_verb.end(), subj.start
                is_speech = cues.SPEECH_VERB_RE.fullmatch(outer_verb.group("verb")) is not None
                # "While Netanyahu confirmed the ceasefire, Araghchi denied …": the comma
                # closes the opening clause, and the next subject speaks for itself.
                closes_opening = (
                    cues.SUBORDINATE_OPENING.match(text[sent_s : outer.start]) is not None
                    and "," in text[gap_s:gap_e]
                )
                if (
                    is_speech
                    and gap_e - gap_s < 90
                    and not cues.CLAUSE_BREAK.search(text, gap_s, gap_e)
                    and not closes_opening
                ):
                    same_side = {gaz.root(p) for p in subj.speakers} <= {
                        gaz.root(p) for p in outer.speakers
                    }
                    if not same_side:
                        embedded.append((subj.start, sent_e))
                    continue
            statements.append((subj, verb, []))
        for i, (subj, verb, embedded) in enumerate(statements):
            end = statements[i + 1][0].start if i + 1 < len(statements) else sent_e
            breaks = list(cues.CLAUSE_BREAK.finditer(text, verb.end(), end))
            if i + 1 < len(statements) and breaks:
                end = breaks[-1].start()
            if (stop := cues.STATEMENT_STOP.search(text, verb.end(), end)) is not None:
                end = stop.start()
            if cues.SUBORDINATE_OPENING.match(text[sent_s : subj.start]):
                comma = text.find(",", verb.end(), end)
                end = comma if comma != -1 else end
            end = _trim_end(text, subj.start, end)
            if (
                len(_WORD.findall(text, verb.end(), end)) < 3
                and cues.SPEECH_VERB_RE.fullmatch(verb.group("verb"))
                and not par.article.within(verb.end(), end, "proposal")
            ):
                continue  # "Trump wrote.": an attribution ("… confirmed the ceasefire" says more)
            second = cues.SECOND_SPEECH.search(text, verb.end(), end)
            if second is not None and not embedded and second.start() - verb.end() > 20:
                # "Zelensky said Ukraine would support …, but warned that Russia …": two
                # statements of one speaker.
                yield _Draft.reported(
                    text,
                    subj,
                    (second.start("conj"), end),
                    (sent_s, sent_e),
                    [f"reported:{second.group('verb').lower()}"],
                )
                end = _trim_end(text, subj.start, second.start())
            region = _subtract([(subj.start, end)], embedded)
            inside = [(s_, min(e_, end)) for s_, e_ in embedded if s_ < end]
            rules = [f"reported:{verb.group('verb').lower()}"]
            rel = _ends_with(cues.RELATIVE_OBJECT, text, sent_s, subj.start)
            if rel is not None and rel.end() == subj.start:
                rules.append("relative-clause")
            start = subj.start
            lead = text[sent_s : subj.start]
            after = _PARENTHESIS_CLOSES.match(text, verb.end(), end)
            if i == 0 and after and _PARENTHESIS_OPENS.search(lead) and not embedded:
                # "The first phase, the prime minister said, will last 42 days": what was
                # said is on both sides of the attribution.
                start = sent_s
                region = [(sent_s, sent_s + len(lead.rstrip(" ,"))), (after.end(), end)]
                rules.append("attribution:parenthetical")
            yield _Draft.reported(
                text,
                subj,
                (start, end),
                (sent_s, sent_e),
                rules,
                region=region,
                embedded=inside,
            )


# "… the inauguration of Donald Trump, who claimed credit for the deal": the relative
# clause makes the named one a speaker wherever the name stands.
_WHO_SPEAKS = re.compile(rf"\s*,\s*who\s+(?:also\s+|had\s+|has\s+)?(?:{cues.SPEECH_VERBS})\b", re.I)

# A verb of speech just before a name: "…,” said Anwar", "…, said Prime Minister Anwar".
_SAID_BEFORE = re.compile(
    rf"\b(?:{cues.SPEECH_VERBS})\s+(?:(?:the|[A-Z][\w.’'-]*)\s+){{0,5}}$", re.IGNORECASE
)

# A title before a name, after a verb that opens the attribution: "said U.S. Secretary of
# State Marco Rubio".
_TITLE_RUN = re.compile(r"(?:(?:[A-Z][\w.’'-]*|of|the)\s+){1,6}")

# ", Netanyahu said, …": an attribution set in the middle of what was said.
_PARENTHESIS_OPENS = re.compile(r"(?:\w+\W+){3,}\w+\s*,\s*$")
_PARENTHESIS_CLOSES = re.compile(r"\s*,\s*(?=\w)")

_BETWEEN = re.compile(r"\s+between\s+(?:the\s+)?")
_MADE_BY_THE_SIDES = ("agreed", "reached", "signed", "finali", "sealed", "struck")


def _between_the_sides(
    par: _Paragraph, sent_s: int, sent_e: int, used_subjects: set[int]
) -> _Draft | None:
    """ "A peace agreement between Rwanda and the DRC was signed in Washington": with no one
    else speaking in the sentence, the two sides the agreement is between made it."""
    article, text = par.article, par.article.text
    if text.find(" between ", sent_s, sent_e) == -1:
        return None  # most sentences: no need to look for the proposals in them
    gaz = article.gazetteer
    for target in _targets(article, sent_s, sent_e):
        between = _BETWEEN.match(text, target.end, sent_e)
        post = cues.POST_STANCE.match(text, target.end, sent_e)
        if between is None or post is None or not post.group("accepts") or post.group("demand"):
            continue  # (an agreement that "must be signed" is not yet the sides' act)
        if not post.group("cue").lower().startswith(_MADE_BY_THE_SIDES):
            continue
        named: list[Mention] = []
        for m in article.within(between.end(), post.start("cue"), "party"):
            if len(m.slugs) == 1 and not (named and named[-1].slugs == m.slugs):
                named.append(m)  # "the Democratic Republic of the Congo (DRC)" is one
        if (
            len(named) != 2
            or named[0].start != between.end()
            or not _AGENT_JOIN.fullmatch(text, named[0].end, named[1].start)
            or any(gaz.role(m.slugs[0]) != "belligerent" for m in named)
            or any(m.start in used_subjects for m in named)
        ):
            continue
        used_subjects.update(m.start for m in named)
        sides = Subject(
            named[0].start, named[1].end, (named[0].slugs[0], named[1].slugs[0]), "coordinated"
        )
        end = _trim_end(text, sent_s, sent_e)
        return _Draft.reported(text, sides, (sent_s, end), (sent_s, sent_e), ["passive-between"])
    return None


def _within_reported_words(par: _Paragraph, heads: list[Subject], subj: Subject) -> bool:
    """Whether `subj` stands in what an earlier subject of its sentence is reported to say
    (after its speech verb, in the same clause)."""
    text = par.article.text
    for head in heads:
        if head.start >= subj.start or par.in_quote(head.start):
            continue
        verb = cues.VERB_AFTER_SUBJECT.match(text, head.end, subj.start)
        if (
            verb is not None
            and cues.SPEECH_VERB_RE.fullmatch(verb.group("verb"))
            and not cues.CLAUSE_BREAK.search(text, verb.end(), subj.start)
            and subj.start - verb.end() < 90
        ):
            return True
    return False


def _headline_speaker(
    par: _Paragraph, heads: list[Subject], sent_s: int, sent_e: int
) -> tuple[Subject, int, int] | None:
    """A paragraph that opens "Speaker: claim" or ends "claim: Speaker" (a headline's
    attribution): the speaker and where the claim starts and ends."""
    if sent_s != par.start or not heads:
        return None
    text = par.article.text
    if len(par.sentences) == 1 and par.end - par.start <= 200:
        # "Cambodia, Thailand agree to ceasefire: Malaysian prime minister": the speaker
        # after a colon that ends the headline.
        last = heads[-1]
        colon = text.rfind(":", sent_s, last.start)
        if (
            colon - sent_s >= 15
            and _TITLE_WORDS.fullmatch(text, colon + 1, last.start)
            and _TITLE_TAIL.fullmatch(text[last.end : par.end].strip(" .\n\r\t"))
        ):
            return last, sent_s, colon
    if heads[0].start != sent_s:
        return None
    colon = _HEADLINE_COLON.match(text, heads[0].end, sent_e)
    if colon is None:
        return None
    if len(par.sentences) > 1 or par.end - par.start > 200:
        return None  # "Doha: Qatari Prime Minister … announced …": a dateline, not a headline
    return heads[0], colon.end(), sent_e


_HEADLINE_COLON = re.compile(r"\s*:\s+(?=\S)")
# Between a headline's closing colon and its speaker: a title at most ("Foreign Secretary").
_TITLE_WORDS = re.compile(r"\s+(?:[A-Za-z]+\s+){0,3}")
# After a headline's closing speaker, only a title: "…: Malaysian prime minister".
_TITLE_TAIL = re.compile(
    r"(?i:(?:prime\s+minister|president|(?:foreign\s+|defen[cs]e\s+)?minister|"
    r"foreign\s+secretary|secretary|spokes(?:man|woman|person)|official|envoy|pm|fm)?)"
)


def _trim_end(text: str, start: int, end: int) -> int:
    m = _TRAILING.search(text, max(start, end - 40), end)
    end = m.start() if m else end
    while end > start and text[end - 1] == "." and text[end - 2 : end - 1] not in '”"':
        end -= 1
    return end


def _subtract(spans: list[tuple[int, int]], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    for hs, he in holes:
        out = []
        for s, e in spans:
            if he <= s or hs >= e:
                out.append((s, e))
                continue
            if s < hs:
                out.append((s, hs))
            if he < e:
                out.append((he, e))
        spans = out
    return spans


# --- stances and conditions -------------------------------------------------------------


_ASIDE = re.compile(r",\s+(?:during|at|after|following|amid|in)\s+[^,.;:]{3,60},")


def _stances(article: Article, draft: _Draft) -> list[tuple[str, str, str, str]]:
    """(proposal, stance, rule, cue words) for every stance cue bound to a proposal.

    A cue binds to the first proposal after it in the same clause, within STANCE_REACH
    characters; the leftmost cue bound to a proposal gives its stance. Only the text just
    before each proposal is searched, which keeps long statements cheap.
    """
    text = article.text
    found: dict[str, tuple[str, str, str]] = {}
    for rs, re_ in sorted(draft.region + draft.embedded):
        after = rs
        bound: tuple[int, tuple[str, str, str]] | None = None  # the last bound target
        # "agreed on Tuesday, during talks in Riyadh, to halt strikes in the Black Sea": the
        # talks set between commas are where, not what was agreed.
        asides = [(m.start(), m.end()) for m in _ASIDE.finditer(text, rs, re_)]
        for target in _targets(article, rs, re_):
            if any(a <= target.start < b for a, b in asides):
                continue
            window_s, after = max(after, target.start - cues.STANCE_REACH), target.end
            if len(target.slugs) != 1 or target.slugs[0] in found:
                continue
            if (
                bound is not None
                and _COORDINATED_OBJECT.fullmatch(text, bound[0], target.start)
                and not cues.STANCE_CUE.search(text, bound[0], target.start)
            ):
                # "agreed to halt hostilities in the Black Sea and not attack energy
                # facilities": the second object takes the first one's stance.
                stance, rule, phrase = bound[1]
                found[target.slugs[0]] = (stance, f"{rule}+coordinated", phrase)
                bound = (target.end, bound[1])
                continue
            for m in cues.STANCE_CUE.finditer(text, window_s, target.start):
                if target.start - m.end() > cues.STANCE_REACH:
                    continue
                if cues.CLAUSE_BREAK.search(text, m.end(), target.start):
                    continue
                gap = cues.WHEN_IN_GAP.sub(" ", text[m.end() : target.start])
                # A name in the gap counts as one word ("… of US President Donald Trump's plan").
                for named in reversed(article.within(m.end(), target.start, "party")):
                    at = named.start - m.end()
                    gap = gap[:at] + "X" + gap[at + named.end - named.start :]
                part = cues.PART_OF.search(gap)
                if part:
                    gap = gap[: part.start()] + " " + gap[part.end() :]
                if len(gap.split()) > cues.STANCE_GAP_WORDS or cues.STANCE_GAP_BLOCK.search(gap):
                    continue
                name, stance = cues.STANCE_CUES[int(m.lastgroup[1:])]
                if part and stance == "accepts":
                    # "agreed to some aspects of the plan": a partial acceptance, whose
                    # condition is the rest (see _implied_conditions)
                    stance, name = "accepts_with_conditions", f"{name}+part"
                stance, name = _as_the_speakers(article, draft, rs, m.start(), stance, name)
                if stance == "proposed" and name == "declared":
                    stance = _declared(article.gazetteer, draft, target.slugs[0])
                    if stance == "proposed" and _between_others(article, draft, target.end):
                        # "The U.S. and Qatar announced … a deal between Hamas and Israel":
                        # a deal the mediators made between others, which they support.
                        stance, name = "supports", "declared+between"
                if stance is not None:
                    rule = f"stance:{name}" + ("+generic" if target.kind == "generic" else "")
                    slug = target.slugs[0]
                    if part:  # "parts of the proposal": the whole one, not one of its parts
                        slug = article.gazetteer.proposal_root(slug)
                    found[slug] = (stance, rule, m.group())
                    bound = (target.end, found[slug])
                break
    for rs, re_ in sorted(draft.region + draft.embedded):
        for target in _targets(article, rs, re_):
            if target.slugs[0] in found:
                continue
            post = cues.POST_STANCE.match(text, target.end, re_)
            if post is None or _HYPOTHETICAL.search(text, max(rs, target.start - 80), target.start):
                continue
            stance = (
                "accepts"
                if post.group("accepts")
                else "supports"
                if post.group("supports")
                else "rejects"
            )
            if post.group("demand") and stance == "accepts":
                stance = "supports"  # "the plan must be accepted as proposed": others must
            by = _BY_AGENT.match(text, post.end(), re_)
            agent = by and article.within(by.end(), by.end() + 60, "party")
            if agent and agent[0].start == by.end():
                # "… was viewed favourably by Putin": the one after "by" takes the stance.
                stance, name = _as_the_speakers(
                    article, draft, agent[0].start, agent[0].end + 1, stance, "passive"
                )
            elif _POSSESSOR.search(text, max(rs, target.start - 40), target.start):
                name = "passive"  # "Trump's initiative was welcomed": its proposer, no agent
            else:
                stance, name = _as_the_speakers(article, draft, rs, target.start, stance, "passive")
            if stance is not None:
                found[target.slugs[0]] = (stance, f"stance:{name}", post.group("cue"))
    _at_a_place(article, draft, found)
    _by_role(article, draft, found)
    if not found and "relative-clause" in draft.rules:
        # "…the 30-day ceasefire, which Ukraine had already accepted": the cue right after
        # the subject takes the proposal named before the relative pronoun.
        rs, re_ = draft.region[0]
        m = cues.STANCE_CUE.search(text, rs, min(re_, rs + cues.STANCE_REACH))
        before = article.within(draft.sentence[0], draft.subject_start, "proposal")
        if m is not None and before and len(before[-1].slugs) == 1:
            name, stance = cues.STANCE_CUES[int(m.lastgroup[1:])]
            found[before[-1].slugs[0]] = (stance, f"stance:{name}+relative", m.group())
    if any(stance == "accepts" for stance, _, _ in found.values()) and (
        asked := cues.AMENDMENTS.search(text, draft.text_start, draft.text_end)
    ):
        # "responded positively … and is seeking certain amendments": accepted, but not
        # as it stands; what is asked for is the condition (see _implied_conditions).
        for proposal, (stance, rule, _) in list(found.items()):
            if stance == "accepts":
                found[proposal] = ("accepts_with_conditions", f"{rule}+part", asked.group())
    return [(p, s, r, phrase) for p, (s, r, phrase) in found.items()]


def _at_a_place(article: Article, draft: _Draft, found: dict[str, tuple[str, str, str]]) -> None:
    """An agreement about what happens at the place one proposal is named for stands for
    that proposal: "both agreed to 'eliminate the use of force' in the Black Sea"."""
    if found:
        return
    text, gaz = article.text, article.gazetteer
    # A partial quote's region is the quote; the verb before it is in the sentence.
    spans = draft.region + draft.embedded
    if draft.is_verbatim:
        spans = [draft.region[0], draft.sentence]
    if not any(
        gaz.proposal_at(text[p.start : p.end]) is not None
        for rs, re_ in spans
        for p in article.within(rs, re_, "place")
    ):
        return  # no place a proposal is named for: no cue to look for
    for rs, re_ in spans:
        for m in cues.STANCE_CUE.finditer(text, rs, re_):
            name, stance = cues.STANCE_CUES[int(m.lastgroup[1:])]
            if stance not in ("accepts", "supports"):
                continue
            reach = min(re_, m.end() + cues.STANCE_REACH)
            for place in article.within(m.end(), reach, "place"):
                slug = gaz.proposal_at(text[place.start : place.end])
                if slug is None or cues.CLAUSE_BREAK.search(text, m.end(), place.start):
                    continue
                stance, name = _as_the_speakers(article, draft, rs, m.start(), stance, name)
                if stance is not None:
                    found[slug] = (stance, f"stance:{name}+place", m.group())
                    # "… in the Black Sea and not attack energy facilities": the next object
                    for target in _targets(article, place.end, re_):
                        if (
                            len(target.slugs) == 1
                            and target.slugs[0] not in found
                            and _COORDINATED_OBJECT.fullmatch(text, place.end, target.start)
                        ):
                            found[target.slugs[0]] = (
                                stance,
                                f"stance:{name}+coordinated",
                                m.group(),
                            )
                        break
                return


# Between two objects of one stance verb: "… in the Black Sea and not attack …", ", and".
_COORDINATED_OBJECT = re.compile(
    r"\s*,?\s*(?:and|or|as well as)\s+(?:(?!but\b|who\b|which\b)[\w’'-]+\s+){0,4}", re.IGNORECASE
)
_MEDIATORS = frozenset({"mediator", "guarantor"})
_GROUPS = frozenset({"group", "movement", "organisation", "organization"})
# Words for what someone issued: "the post reads".
_DOCUMENTS = frozenset({"statement", "readout", "post"})
_DOCUMENT_SAYS = re.compile(r"\s+(?:reads|read|says|said|states|stated|adds|added)\b")
_HYPOTHETICAL = re.compile(r"\b(?:if|unless|whether|should)\b[^,;.]*$", re.IGNORECASE)


def _mediator(article: Article, draft: _Draft) -> bool:
    """Whether every speaker of the draft mediates the conflict."""
    roles = {article.gazetteer.role(p) for p in draft.speakers}
    return bool(roles) and roles <= _MEDIATORS


def _by_role(article: Article, draft: _Draft, found: dict[str, tuple[str, str, str]]) -> None:
    """What a party's role says of its stance when its words name a proposal without a cue:
    a mediator supports what it brokers; a party speaking of its own side's proposal
    proposes it. A mediator "agreeing" to a deal between others supports it."""
    gaz = article.gazetteer
    mediator = _mediator(article, draft)
    for proposal, (stance, rule, phrase) in list(found.items()):
        if mediator and stance in ("accepts", "accepts_with_conditions"):
            found[proposal] = ("supports", f"{rule}+mediator", phrase)
    spans = draft.region if not draft.is_verbatim else [draft.region[0], draft.sentence]
    for rs, re_ in spans:
        for target in _targets(article, rs, re_):
            proposal = target.slugs[0]
            if proposal in found:
                continue
            if _HYPOTHETICAL.search(article.text, max(rs, target.start - 80), target.start):
                continue  # "… if Russia rejected the full ceasefire": no one's stance
            own = _own_proposal(gaz, draft, proposal)
            if mediator:
                found[proposal] = ("supports", "stance:by-role-mediator", "")
            elif own:
                found[proposal] = ("proposed", "stance:by-role-proposer", "")


def _own_named_before(article: Article, draft: _Draft) -> str | None:
    """The last proposal of the speakers' own side named not far before the draft ("Russia
    will declare a three-day truce … 'follow this example'": the truce, not the ceasefire
    another side proposed and was named in between)."""
    gaz = article.gazetteer
    i = bisect.bisect_left(article.starts, draft.text_start) - 1
    while i >= 0 and draft.text_start - article.mentions[i].end <= cues.GENERIC_REACH:
        m = article.mentions[i]
        if m.kind == "proposal" and len(m.slugs) == 1 and _own_proposal(gaz, draft, m.slugs[0]):
            return m.slugs[0]
        i -= 1
    return None


def _own_proposal(gaz: Gazetteer, draft: _Draft, proposal: str) -> bool:
    """Whether the proposal was put forward by the speakers' own side."""
    proposer = gaz.proposals[proposal].proposed_by
    return proposer in gaz._all_parties and gaz._walk(proposer)[-1] in {
        gaz.root(p) for p in draft.speakers
    }


def _implied_conditions(
    article: Article,
    draft: _Draft,
    stances: list[tuple[str, str, str, str]],
    conditions: list[tuple[dict, str, str]],
) -> list[tuple[dict, str, str]]:
    """Conditions a stance implies, when no other was found, in the statement's own words
    ("other"): accepting parts of a plan leaves the rest open; a truce offered or accepted
    in reciprocity holds if the other side does the same."""
    have = {c["proposal"] for c, _, _ in conditions}
    text = article.text
    return [
        (
            {
                "proposal": proposal,
                "category": "other",
                "summary": " ".join(text[draft.text_start : draft.text_end].split())[:300],
                "demanded_of": None,
            },
            "condition:other:part" if "+part" in rule else "condition:other:reciprocal",
            phrase,
        )
        for proposal, _stance, rule, phrase in stances
        if ("+part" in rule or "+reciprocal" in rule) and proposal not in have
    ]


def _mediators_own_talks(
    article: Article, draft: _Draft, stances: list[tuple[str, str, str, str]]
) -> list[tuple[str, str, str, str]]:
    """A mediator backing talks its own side called for is putting them forward: "the
    governments have agreed to start talks at a neutral site", said by the side that
    proposed the talks, proposes them (a ceasefire it brokered it only supports)."""
    if not _mediator(article, draft):
        return stances
    gaz = article.gazetteer
    return [
        (proposal, "proposed", f"{rule}+own-talks", phrase)
        if stance == "supports"
        and gaz.proposals[proposal].kind == "negotiations"
        and _own_proposal(gaz, draft, proposal)
        else (proposal, stance, rule, phrase)
        for proposal, stance, rule, phrase in stances
    ]


_HYPOTHETICAL_ANYWHERE = re.compile(r"\b(?:if|unless|whether)\b", re.IGNORECASE)


def _by_role_in_passage(article: Article, draft: _Draft) -> list[tuple[str, str, str, str]]:
    """Words about the negotiations that bind no proposal: in a passage about one, a
    mediator's stand behind it and its proposer's put it forward."""
    gaz = article.gazetteer
    meant = _meant(article, draft.text_start)
    if meant is None:
        return []
    if _mediator(article, draft):
        # A mediator's words about the talks back the whole plan, not one of its parts.
        return [(gaz.proposal_root(meant), "supports", "stance:by-role-mediator+passage", "")]
    if _own_proposal(gaz, draft, meant):
        return [(meant, "proposed", "stance:by-role-proposer+passage", "")]
    return []


def _implied(article: Article, draft: _Draft) -> list[tuple[str, str, str, str]]:
    """A judgement with no stance verb bound to a proposal ("It is totally unacceptable",
    "positive results", "we thank the mediators"): the speaker's stance on the proposal its
    words name, or else the one the passage is about. Welcoming words are a mediator's
    support, a proposer's proposal, and acceptance by anyone else."""
    text, gaz = article.text, article.gazetteer
    mediator = _mediator(article, draft)
    if not mediator and (same := cues.RECIPROCITY.search(text, draft.text_start, draft.text_end)):
        # "The Ukrainian side should follow this example": the proposer's truce, on the
        # condition that the other side does the same; "we are reciprocating": the other
        # side's acceptance on that condition.
        named = [
            t for t in _targets(article, draft.text_start, draft.text_end) if len(t.slugs) == 1
        ]
        proposal = (
            named[0].slugs[0]
            if named
            else _own_named_before(article, draft) or _meant(article, draft.text_start)
        )
        if proposal is not None and gaz.proposals[proposal].kind != "negotiations":
            own = _own_proposal(gaz, draft, proposal)
            stance = "proposed" if own else "accepts_with_conditions"
            return [(proposal, stance, "stance:implied+reciprocal", same.group())]
    if not mediator and (
        cond := cues.CONDITIONAL_ACCEPTANCE.search(text, draft.text_start, draft.text_end)
    ):
        # "Provided that the regime stops …, we have no intention to continue": a party's
        # acceptance of the truce, on a condition.
        proposal = _meant(article, draft.text_start)
        if proposal is not None and gaz.proposals[proposal].kind not in ("negotiations",):
            return [(proposal, "accepts_with_conditions", "stance:implied", cond.group())]
    if not mediator and (held := cues.RESERVE.search(text, draft.text_start, draft.text_end)):
        named = [
            t for t in _targets(article, draft.text_start, draft.text_end) if len(t.slugs) == 1
        ]
        proposal = named[0].slugs[0] if named else _meant(article, draft.text_start)
        if proposal is not None:
            return [(proposal, "noncommittal", "stance:implied+reserve", held.group())]
    m = cues.IMPLIED_STANCE.search(text, draft.text_start, draft.text_end)
    if m is None or _HYPOTHETICAL_ANYWHERE.search(text, draft.text_start, draft.text_end):
        return []
    named = [t for t in _targets(article, draft.text_start, draft.text_end) if len(t.slugs) == 1]
    proposal = named[0].slugs[0] if named else _meant(article, draft.text_start)
    if proposal is None:
        return []
    stance = m.lastgroup
    if stance == "blames":
        if mediator:
            return []  # a mediator working through last-minute issues still backs the deal
        stance = "noncommittal"
    if stance == "positive":
        own = _own_proposal(gaz, draft, proposal)
        if mediator:
            stance = "supports"
        else:
            stance = "proposed" if own else "accepts"
    return [(proposal, stance, "stance:implied", m.group())]


def _targets(article: Article, start: int, end: int) -> list[Mention]:
    """The proposals named in start…end, and the ones meant by a generic phrase there
    ("the ceasefire", "a peace agreement", "the proposal"): the proposal named last before
    it, not far back, else the one the article is mostly about."""
    key = (start, end, article.topic)
    found = article.targets_seen.get(key)
    if found is None:
        found = article.targets_seen[key] = _find_targets(article, start, end)
    return found


def _find_targets(article: Article, start: int, end: int) -> list[Mention]:
    named = [m for m in article.within(start, end, "proposal") if len(m.slugs) == 1]
    generic = []
    for g in cues.GENERIC_PROPOSAL.finditer(article.text, start, end):
        if any(m.start <= g.start("head") < m.end for m in named):
            continue
        if not g.group("head").islower() or any(
            w[:1].isupper() and g.start() + i not in article.own_cover
            for w, i in _words_at(article.text[g.start() : g.start("head")])
        ):
            continue  # "the Paris Agreement": a name, and not one of ours
        broad = cues.BROAD_MODIFIER.search(article.text, g.start(), g.start("head"))
        if broad or g.group("head").lower() in ("resolution", "settlement"):
            slug = _meant(article, g.start(), head=g.group("head"))
            if slug is not None:
                root = _broadest(article, article.gazetteer.proposal_root(slug))
                generic.append(Mention(g.start("head"), g.end(), "generic", (root,)))
                continue
        # "a halt to strikes on energy infrastructure": the phrase opens the named one.
        follows = [
            m
            for m in named
            if 0 <= m.start - g.end() < 80
            and not cues.CLAUSE_BREAK.search(article.text, g.end(), m.start)
        ]
        if follows:
            generic.append(Mention(g.start("head"), g.end(), "proposal", follows[0].slugs))
            continue
        if _foreign(
            article.text,
            g.start("head"),
            g.end(),
            article.own_cover,
            article.gazetteer.proposal_words,
        ):
            continue
        place = next(
            (
                m
                for m in article.within(g.end(), min(end, g.end() + 80), "place")
                if not cues.CLAUSE_BREAK.search(article.text, g.end(), m.start)
            ),
            None,
        )
        place_words = article.text[place.start : place.end] if place else ""
        at_place = article.gazetteer.proposal_at(place_words) if place else None
        qualifier = cues.SCOPE_AFTER.match(article.text, g.end())
        named_for = qualifier and _WORD.match(article.text, qualifier.end())
        slug = (
            at_place
            or (named_for and article.gazetteer.proposal_named(named_for.group()))
            or _meant(article, g.start(), head=g.group("head"))
        )
        if slug is None and place is not None:
            # Nothing named before, no topic: the place and the head noun together, which
            # then is what the article is about ("the ceasefire" later means it too).
            slug = article.gazetteer.proposal_at(place_words, head=g.group("head"))
            if slug is not None and article.topic is None:
                article.topic = slug
        if slug is not None:
            generic.append(Mention(g.start("head"), g.end(), "generic", (slug,)))
    for swap in cues.PRISONER_SWAP.finditer(article.text, start, end):
        slug = _meant(article, swap.start("head"), head=swap.group("head"))
        if slug is not None:
            generic.append(Mention(swap.start("head"), swap.end(), "generic", (slug,)))
    # "We will support this": what it refers to, right after a stance verb.
    for ref in cues.PRONOUN_OBJECT.finditer(article.text, start, end):
        slug = _meant(article, ref.start())
        if slug is not None:
            generic.append(Mention(ref.start("it"), ref.end("it"), "generic", (slug,)))
    return sorted(named + generic, key=lambda m: m.start)


_BROAD_KINDS = ("full_ceasefire", "peace_framework")


def _broadest(article: Article, slug: str) -> str:
    """ "A broader ceasefire", "any resolution": when the proposal named before is a partial
    one, the full ceasefire or peace framework the article names most, if it names one."""
    gaz = article.gazetteer
    if gaz.proposals[slug].kind in _BROAD_KINDS:
        return slug
    counts = Counter(
        m.slugs[0]
        for m in article.mentions
        if m.kind == "proposal"
        and len(m.slugs) == 1
        and gaz.proposals[m.slugs[0]].kind in _BROAD_KINDS
    )
    return counts.most_common(1)[0][0] if counts else slug


def _words_at(text: str) -> list[tuple[str, int]]:
    return [(m.group(), m.start()) for m in _WORD.finditer(text)][1:]  # after the determiner


def _meant(article: Article, at: int, *, head: str = "") -> str | None:
    """The proposal a general phrase at `at` means: the one named last before it that is of
    the right kind (a ceasefire or a deal is not a round of talks), else the topic."""
    gaz = article.gazetteer
    talks = head.lower() in ("talks", "negotiations")
    exchange = head.lower() in ("exchange", "swap")

    # "the plan", "his initiative": a whole plan, never the exchange that is part of one
    whole = head.lower() in ("plan", "initiative", "framework", "peace plan")

    def fits(slug: str) -> bool:
        kind = gaz.proposals[slug].kind
        if exchange:  # "a prisoner exchange" is one of the exchanges, not the truce
            return kind == "prisoner_exchange"
        if whole and kind == "prisoner_exchange":
            return False
        return (kind == "negotiations") == talks or not kind

    i = bisect.bisect_left(article.starts, at) - 1
    while i >= 0:
        m = article.mentions[i]
        if at - m.end > cues.GENERIC_REACH:
            break
        if m.kind == "proposal" and len(m.slugs) == 1 and fits(m.slugs[0]):
            return m.slugs[0]
        if m.kind == "place" and not talks:
            # "an agreement … in the Black Sea", then "the truce": the Black Sea's proposal.
            at_place = gaz.proposal_at(article.text[m.start : m.end])
            if at_place is not None and fits(at_place):
                return at_place
        i -= 1
    if i < 0 or exchange:
        # Nothing named before (a headline, a lead): the first one named soon after.
        for m in article.mentions[bisect.bisect_left(article.starts, at) :]:
            if m.start - at > cues.GENERIC_REACH // 3:
                break
            if m.kind == "proposal" and len(m.slugs) == 1 and fits(m.slugs[0]):
                return m.slugs[0]
    if exchange and article.topic is not None and not fits(article.topic):
        return None
    return article.topic


def _between_others(article: Article, draft: _Draft, at: int) -> bool:
    """Whether "between" follows at `at` and names a party of another side than the
    speakers' (mediators announcing an agreement between the sides)."""
    between = _BETWEEN.match(article.text, at)
    if between is None:
        return False
    gaz = article.gazetteer
    ours = {gaz.side(p) for p in draft.speakers}
    named = article.within(between.end(), between.end() + 60, "party")
    return (
        bool(named) and named[0].start == between.end() and gaz.side(named[0].slugs[0]) not in ours
    )


def _declared(gaz: Gazetteer, draft: _Draft, proposal: str) -> str:
    """Declaring or ordering a truce proposes it when it is the speaker's side's own; for
    someone else's proposal it is acceptance ("Putin ordered a pause in strikes")."""
    proposer = gaz.proposals[proposal].proposed_by
    if proposer is None or proposer not in gaz._all_parties:
        return "proposed"
    ours = {gaz.root(p) for p in draft.speakers}
    theirs = gaz._walk(proposer)[-1]
    return "proposed" if theirs in ours else "accepts"


def _agents(article: Article, start: int, cue: int) -> list[Mention]:
    """The parties who take the stance at `cue`: the party (or "A and B") named last before
    it in the same clause, from `start`."""
    text = article.text
    before = [m for m in article.within(start, cue, "party") if len(m.slugs) == 1]
    # The agent stands right before its verb: "Russia and Ukraine had both agreed", not
    # "Putin, who met Trump in Alaska, rejected".
    if not before or not _AGENT_GAP.fullmatch(text, before[-1].end, cue):
        return []
    agents = [before[-1]]
    for m in reversed(before[:-1]):
        if not _AGENT_JOIN.fullmatch(text, m.end, agents[0].start):
            break
        agents.insert(0, m)
    return agents


_BY_AGENT = re.compile(r"\s+by\s+(?:the\s+)?")
_POSSESSOR = re.compile(r"[’']s\s+(?:[\w-]+\s+){0,2}$")
# Between a role and the name of who holds it: "of state", "for Ukraine", ",".
_TITLE_TO_NAME = re.compile(r"(?:\s+(?:of|for|to|on)(?:\s+the)?(?:\s+[\w-]+){1,3})?,?\s+")
# Words between an agent and its verb; not a preposition or "but" ("attacking Ukrainian
# energy facilities but declined to …": Ukraine is the object, not who declined).
_AGENT_GAP = re.compile(
    r"(?:[’']s)?(?:\s+(?!(?:but|of|on|in|at|against|for|with|to|from|by)\b)[\w-]+){0,5}\s+",
    re.IGNORECASE,
)
_AGENT_JOIN = re.compile(r"\s*(?:,|and|,\s*and|&)\s*(?:the\s+)?", re.IGNORECASE)
# What a party says when it reports others agreeing to a proposal: it welcomes it.
_REPORTED_STANCE = {"accepts": "supports", "accepts_with_conditions": "supports"}


def _as_the_speakers(
    article: Article, draft: _Draft, start: int, cue: int, stance: str, name: str
) -> tuple[str | None, str]:
    """A stance cue whose agents are all on other sides than the speakers is what the
    speaker reports of them: an agreement reported is supported; anything else reported
    ("Trump said Putin rejected …") is no stance of the speaker's."""
    agents = _agents(article, start, cue)
    if not agents:
        return stance, name
    gaz = article.gazetteer
    mine = {gaz.root(p) for p in draft.speakers} | {gaz.side(p) for p in draft.speakers}
    theirs = {gaz.root(m.slugs[0]) for m in agents} | {gaz.side(m.slugs[0]) for m in agents}
    if {gaz.side(m.slugs[0]) for m in agents} & {gaz.side(p) for p in draft.speakers}:
        return stance, name
    if theirs & mine:
        return stance, name
    if not {gaz.role(p) for p in draft.speakers} <= _MEDIATORS:
        return None, f"{name}+reported"  # one side reporting the other's stance: none of its own
    reported = _REPORTED_STANCE.get(stance)
    return reported, f"{name}+reported"


def _conditions(article: Article, draft: _Draft, topic: str | None) -> list[tuple[dict, str, str]]:
    text, gaz = article.text, article.gazetteer
    sides = {gaz.root(p) for p in draft.speakers}
    out: list[tuple[dict, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for rs, re_ in draft.region:
        found_cues = list(cues.CONDITION_CUE.finditer(text, rs, re_))
        found_cues += [m for m in cues.SELF_CONDITION.finditer(text, rs, re_)]
        for cue in sorted(found_cues, key=lambda m: m.start()):
            self_cue = cue.re is cues.SELF_CONDITION
            tail_end = re_
            if text[re_ - 1 : re_ + 1].strip().endswith(":") or text[re_ : re_ + 1] == ":":
                # "… essential conditions:" and the list that follows.
                tail_end = min(len(text), re_ + 400)
            for stop in ("—", "–", ";", " - "):
                if (k := text.find(stop, cue.end(), tail_end)) != -1:
                    tail_end = k
            tail_s = cue.start() if self_cue else cue.end()
            proposals = _targets(article, draft.sentence[0], draft.sentence[1])
            before = [p for p in proposals if p.start < cue.start()]
            if before or proposals:
                chosen = before[-1] if before else proposals[0]
                proposal, how = chosen.slugs[0], "named"
                if chosen.kind == "generic":
                    how = "generic"
                    # "any peace agreement would require …": the broad proposal.
                    if cues.BROAD_REFERENCE.search(text, *draft.sentence):
                        proposal = gaz.proposal_root(proposal)
            elif (meant := _meant(article, cue.start(), head="agreement")) and (
                self_cue
                or cues.STRONG_CONDITION.fullmatch(cue.group())
                or _negotiation_term(article, *draft.sentence)
                or cues.GENERIC_PROPOSAL.search(text, *draft.sentence)
            ):
                # "any peace agreement would require …": the broad proposal, not a part.
                if cues.BROAD_REFERENCE.search(text, *draft.sentence):
                    meant = gaz.proposal_root(meant)
                proposal, how = meant, "generic"
            else:
                continue
            halt = cues.HALT_WORD.search(text, tail_s, tail_end)
            categories = [
                (category, needs_halt, pattern)
                for category, needs_halt, pattern in cues.CONDITION_CATEGORIES
                if pattern.search(text, tail_s, tail_end) and (halt or not needs_halt)
            ]
            if not categories and cues.STRONG_CONDITION.fullmatch(cue.group()):
                # "… would require further negotiation": a condition of no known kind.
                categories = [("other", False, cues.ANYTHING)]
            for category, needs_halt, pattern in categories:
                m = pattern.search(text, tail_s, tail_end)
                if m is None or (needs_halt and halt is None):
                    continue
                if (proposal, category) in seen:
                    continue
                seen.add((proposal, category))
                demanded_of = None
                others = [
                    mention
                    for mention in article.within(tail_s, m.start(), "party")
                    if len(mention.slugs) == 1 and gaz.root(mention.slugs[0]) not in sides
                ]
                owners = [o for o in others if cues.OWNER_GAP.match(text, o.end, m.start())]
                if not owners:
                    owners = [
                        o
                        for o in others
                        if not _ends_with(cues.RECIPIENT_BEFORE, text, tail_s, o.start)
                    ]
                if owners:
                    demanded_of = owners[-1].slugs[0]
                lead = _LEADING_THAT.match(text, tail_s, tail_end)
                summary_s = lead.end() if lead else tail_s
                summary_e = _trim_end(text, summary_s, tail_end)
                summary = " ".join(text[summary_s:summary_e].split())[:300]
                out.append(
                    (
                        {
                            "proposal": proposal,
                            "category": category,
                            "summary": summary,
                            "demanded_of": demanded_of,
                        },
                        f"condition:{category}:{how}",
                        cue.group(),
                    )
                )
    return out


# --- putting it together ----------------------------------------------------------------


def _topic(article: Article) -> str | None:
    """The broad proposal the article is mostly about: the one whose family (itself and its
    parts) it names most often, if no other is named as often."""
    counts: dict[str, int] = {}
    for m in article.mentions:
        if m.kind == "proposal" and len(m.slugs) == 1:
            root = article.gazetteer.proposal_root(m.slugs[0])
            counts[root] = counts.get(root, 0) + 1
    ranked = sorted(counts.values(), reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[0] == ranked[1]):
        return None
    return max(counts, key=counts.get)


def _own_cover(mentions: list[Mention]) -> set[int]:
    """Every character position inside a mention of a tracked party or of a conflict's place."""
    cover: set[int] = set()
    for m in mentions:
        if m.kind in ("party", "place"):
            cover.update(range(m.start, m.end))
    return cover


def _foreign(
    text: str, start: int, end: int, own: set[int], words: frozenset[str] = frozenset()
) -> bool:
    """Whether a place that is not this conflict's qualifies the phrase at start…end.

    "a ceasefire in Gaza", "the Gaza truce": unless Gaza is one of this conflict's places
    (or names one of its parties, or is a word of one of its proposals' names: "a truce for
    Easter"), the phrase is another conflict's, or no tracked one's.
    """
    after = cues.SCOPE_AFTER.match(text, end)
    if after is not None and after.end() not in own:
        name = _WORD.match(text, after.end())
        if name is None or name.group() not in words:
            return True
    before = cues.SCOPE_BEFORE.search(text, max(0, start - 40), start)
    return (
        before is not None
        and before.start("name") not in own
        and before.group("name") not in cues.NOT_A_SCOPE
        and before.group("name") not in words
    )


def _in_scope(text: str, mentions: list[Mention], words: frozenset[str]) -> list[Mention]:
    """Drop proposal mentions that name another conflict's proposal."""
    own = _own_cover(mentions)
    return [
        m
        for m in mentions
        if m.kind != "proposal" or not _foreign(text, m.start, m.end, own, words)
    ]


def _negotiation_term(
    article: Article, start: int, end: int, terms: re.Pattern[str] = cues.NEGOTIATION_TERM
) -> bool:
    """A negotiation term in start…end that no outside place qualifies."""
    return any(
        not _foreign(
            article.text, m.start(), m.end(), article.own_cover, article.gazetteer.proposal_words
        )
        for m in terms.finditer(article.text, start, end)
    )


def _on_topic(article: Article) -> bool:
    """Whether the article is about this conflict: parties from two of its sides, and one of
    its proposals, one of its places, or a negotiation term that is not another's."""
    gaz = article.gazetteer
    named = [m.slugs[0] for m in article.mentions if m.kind == "party" and len(m.slugs) == 1]
    if len({gaz.side(p) for p in named}) < 2:
        return False
    both_sides = len({gaz.side(p) for p in named if gaz.role(p) not in _MEDIATORS}) >= 2
    # With one side and a mediator only, the proposal must be named in more than one word
    # or a place given: a Gaza report naming Israel, the US and "the ceasefire" is not
    # about Israel and Iran.
    if any(
        m.kind == "place"
        or (m.kind == "proposal" and (both_sides or " " in article.text[m.start : m.end]))
        for m in article.mentions
    ):
        return True
    if not both_sides:
        return False
    # Only a negotiation term: one of the parties must be one that fights in this conflict
    # (a mediator and a supporter alone, the US and Germany, may be talking of another war).
    fighting = any(
        gaz.role(m.slugs[0]) in ("belligerent", "")
        for m in article.mentions
        if m.kind == "party" and len(m.slugs) == 1
    )
    return fighting and _negotiation_term(article, 0, len(article.text))


def _touches(article: Article, draft: _Draft) -> list[str]:
    """What, besides stances and conditions, ties the draft to the negotiations."""
    text = article.text
    reasons = []
    spans = draft.region if not draft.is_verbatim else [draft.sentence]
    for s, e in spans:
        if article.within(s, e, "proposal"):
            reasons.append("names-proposal")
        if _negotiation_term(article, s, e):
            reasons.append("negotiation-term")
    if draft.is_verbatim:
        qs, qe = draft.region[0]
        gaz = article.gazetteer
        sides = {gaz.root(p) for p in draft.speakers}
        if any(
            gaz.root(m.slugs[0]) not in sides
            for m in article.within(qs, qe, "party")
            if len(m.slugs) == 1
        ):
            reasons.append("quote-names-party")
        if any(p.search(text, *draft.sentence) for _, _, p in cues.CONDITION_CATEGORIES[:2]):
            reasons.append("context-aid")
    return sorted(set(reasons))


def _confidence(
    draft: _Draft, positions: list, conditions: list, touches: list[str], *, channel_named: bool
) -> float:
    score = 0.55 if draft.is_verbatim else 0.45
    if draft.how == "coordinated":
        score -= 0.05
    elif draft.how in ("pronoun", "title"):
        score -= 0.1
    if positions and all(r.endswith("+passage-only") for _, _, r, _ in positions):
        pass  # a stance read from the passage only, not from the words: no surer for it
    elif positions:
        score += 0.25 if all("+relative" not in r for _, _, r, _ in positions) else 0.15
    if conditions:
        score += 0.15 if any(r.endswith(":named") for _, r, _ in conditions) else 0.1
    if channel_named:
        score += 0.05
    if "names-proposal" in touches:
        score += 0.05
    return round(max(0.05, min(0.95, score)), 2)


def _foreign_term(article: Article, start: int, end: int) -> bool:
    """A negotiation term in start…end that another place qualifies."""
    return any(
        _foreign(
            article.text, m.start(), m.end(), article.own_cover, article.gazetteer.proposal_words
        )
        for m in cues.NEGOTIATION_TERM.finditer(article.text, start, end)
    )


def _said(rule: str) -> bool:
    """Whether a draft's rule is a verb of speech (not only of a stance)."""
    verb = rule.split(":", 1)[1]
    return verb.startswith(("according", "trailing")) or bool(cues.SPEECH_VERB_RE.fullmatch(verb))


def _passage_on_topic(article: Article, par: _Paragraph, before: tuple[int, int]) -> bool:
    """Whether a paragraph, or the ones just before it (a few hundred words of the same
    passage), name a proposal or a negotiation term."""
    if par.on_topic is None:  # the same for every draft of the paragraph
        # The paragraph before, whole, and every line within reach before this one.
        start = max(0, par.start - _PASSAGE_BACK)
        start = min(article.text.rfind("\n", 0, start) + 1 if start else 0, before[0])
        gaz = article.gazetteer
        par.on_topic = (
            bool(article.within(start, par.end, "proposal"))
            # "met in Istanbul": a place one proposal is named for
            or any(
                gaz.proposal_at(article.text[m.start : m.end]) is not None
                for m in article.within(start, par.end, "place")
            )
            or _negotiation_term(article, start, par.end)
            # "talks" count in this paragraph and the one before it only
            or _negotiation_term(article, before[0], par.end, cues.NEAR_NEGOTIATION_TERM)
            # "this deal", "the plan" in an article about one proposal
            or (
                article.topic is not None
                and bool(cues.AGREEMENT_REFERENCE.search(article.text, start, par.end))
            )
        )
    return par.on_topic


# How far back, in characters, a passage about the negotiations reaches.
_PASSAGE_BACK = 600


def _ends_with_quote(par: _Paragraph) -> bool:
    """Whether the paragraph's last words are a quote (its speaker may go on in the next)."""
    return bool(par.quotes) and not par.article.text[par.quotes[-1][1] : par.end].strip(
        " .,;:\t\r\n\"”’'"
    )


def _ends_with_attribution(par: _Paragraph, subject: Subject) -> bool:
    """Whether the paragraph closes with its last quote's attribution (“…,” he said.), so
    that a quote opening the next paragraph with none of its own goes on in the same voice."""
    text = par.article.text
    if not par.quotes or subject.start < par.quotes[-1][1]:
        return False
    gap = text[par.quotes[-1][1] : subject.start].strip(" ,–—-\t")
    if gap and _VERB_FIRST.fullmatch(gap):
        # “…,” said Anwar at a joint press conference.
        return _only_attribution(text, subject.end, par.end)
    if gap and not _GAP_BEFORE_SPEAKER.fullmatch(gap):
        return False
    verb = cues.VERB_AFTER_SUBJECT.match(text, subject.end, par.end)
    return bool(
        verb
        and cues.SPEECH_VERB_RE.fullmatch(verb.group("verb"))
        and _only_attribution(text, verb.end(), par.end)
    )


# A verb of speech then perhaps a title between a closing mark and the speaker: “…,” said
# Prime Minister Anwar.
_VERB_FIRST = re.compile(rf"(?i:{cues.SPEECH_VERBS})(?:\s+(?:the|[A-Z][\w.’'-]*))*")
# What may stand between a closing quotation mark and the speaker's name: “…,” the Mr Smith.
_GAP_BEFORE_SPEAKER = re.compile(r"(?:[Tt]he\s+)?(?:(?:Mr|Mrs|Ms|Dr)\.?)?")


class _Listing:
    """The paragraphs that a paragraph ending in a colon introduces: a statement "in full",
    a readout's list ("Ukraine and the United States: Agreed to …; Agreed that …"), a
    spokesman's "three results of the meeting:". Each item is its introducer's statement,
    until a heading, a paragraph that attributes words of its own, or MAX_ITEMS."""

    MAX_ITEMS = 8
    END = object()

    def __init__(self, subject: Subject, speakers: tuple[str, ...]) -> None:
        self.subject, self.speakers, self.items = subject, speakers, 0
        self.on_topic = False  # whether the passage that introduces it is on the talks

    @classmethod
    def introduced_by(cls, par: _Paragraph, last_speakers: tuple[str, ...]) -> _Listing | None:
        text = par.article.text
        if not text[par.start : par.end].rstrip().endswith(":") or not par.sentences:
            return None
        subjects = par.subjects_between(par.sentences[-1][0], par.end)
        if not subjects:
            return None
        # Who speaks: the last subject with a verb or a document after it ("the head of
        # the delegation, X, named three results:", "the X statement in full:"), else the
        # sentence's first.
        subject = next(
            (s for s in reversed(subjects) if _INTRODUCING.match(text, s.end, par.end)),
            subjects[0],
        )
        speakers = subject.speakers
        if _ONLY_COLON.fullmatch(text, subject.end, par.end) and last_speakers:
            # "Ukraine and the United States:" heads a list of what they agreed; who says
            # so is whoever the passage has been reporting (the White House's readout).
            speakers = last_speakers
        return cls(subject, speakers)

    def item(self, par: _Paragraph) -> _Draft | object | None:
        """The paragraph as an item, END if it closes the list, None to pass over it."""
        text = par.article.text
        end = par.start + len(text[par.start : par.end].rstrip())
        words_s = _ITEM.match(text, par.start, end).end()
        words_e = _trim_end(text, words_s, end)
        while words_e > words_s and text[words_e - 1] in ';:”"':
            words_e -= 1
        if words_e - words_s < 3:
            return None  # a lone opening quotation mark
        if self.items >= self.MAX_ITEMS:
            return _Listing.END
        if text[end - 1 : end] not in (".", ";", "”", '"', "…") and words_e - words_s < 80:
            return _Listing.END  # a heading
        self.items += 1
        subject = Subject(self.subject.start, self.subject.end, self.speakers, self.subject.how)
        return _Draft.reported(text, subject, (words_s, words_e), (par.start, end), ["listed"])


# After the subject of a colon sentence: a verb ("named", "said") or a document ("statement").
_INTRODUCING = re.compile(
    r"(?:[’']s)?(?:,[^,:]{1,90},)?,?\s+(?:[a-z]+ly\s+)?(?:[a-z]+ed|says|said|reads|"
    r"statement|readout|post|communiqu\w+)\b"
)
_ONLY_COLON = re.compile(r"\s*:\s*")
# Bullets and numbers before an item, and an opening quotation mark.
_ITEM = re.compile(r"\s*(?:[→•▪◦·*–—-]|\(?\d{1,2}[.)])?\s*[“\"]?\s*")


def _introducer(par: _Paragraph) -> Subject | None:
    """“X said:” closing a paragraph introduces the quote that opens the next one; so does a
    last sentence that says only who spoke and where ("Trump responded on social media.")."""
    text = par.article.text
    colon = text[par.start : par.end].rstrip().endswith(":")
    last_sentence = par.sentences[-1][0] if par.sentences else par.start
    for subject in reversed(par.subjects):
        verb = cues.VERB_AFTER_SUBJECT.match(text, subject.end, par.end)
        if verb and cues.SPEECH_VERB_RE.fullmatch(verb.group("verb")):
            if colon:
                return subject
            if (
                subject.start >= last_sentence
                and not text[last_sentence : subject.start].strip()
                and _only_attribution(text, verb.end(), par.end)
            ):
                return subject
            return None
    return None


def read_article(text: str, gazetteer: Gazetteer) -> Article | None:
    """The text with the gazetteer's mentions found, if it is about the gazetteer's conflict."""
    if not text:
        return None
    article = Article(
        text, gazetteer, _in_scope(text, gazetteer.mentions(text), gazetteer.proposal_words)
    )
    return article if _on_topic(article) else None


def extract_candidates(text: str, gazetteer: Gazetteer) -> list[Candidate]:
    """Candidate statements in `text`, in the order they appear."""
    article = read_article(text, gazetteer)
    if article is None:
        return []
    return _candidates(article)


def _candidates(article: Article) -> list[Candidate]:
    text, gazetteer = article.text, article.gazetteer
    topic = article.topic = _topic(article)
    out: list[Candidate] = []
    seen: set[tuple[str, int, int]] = set()
    paragraphs = _BLOCK if _BLANK_LINE.search(text) else _LINE
    carried: Subject | None = None
    run_on: _Paragraph | None = None  # a quote running on, whose speaker is not yet known
    person: str | None = None
    previous: tuple[int, int] = (0, 0)
    listing: _Listing | None = None  # a list or statement introduced by "…:"
    last_speakers: tuple[str, ...] = ()
    for p in paragraphs.finditer(text):
        par = _Paragraph(article, p.start(), p.end(), carried_person=person)
        before, previous = previous, (p.start(), p.end())
        article.spoken_of.extend(par.subjects)
        # The person a paragraph is about carries on while no other person is named (a
        # state or body named in between — "He reaffirmed Qatar's support" — does not stop it).
        gaz = article.gazetteer
        person = par.last_person or (
            person
            if all(
                s.how == "name" and gaz.parties[p].kind != "person"
                for s in par.subjects
                for p in s.speakers
            )  # (an "Iranian official" is someone: "he" may be them)
            and not par.names_someone_else
            else None
        )
        drafts: list[_Draft] = []
        listed_on_topic = False
        if listing is not None:
            item = listing.item(par)
            if item is _Listing.END:
                listing = None
            elif isinstance(item, _Draft):
                drafts.append(item)
                listed_on_topic = listing.on_topic
        if (
            not drafts
            and not par.subjects
            and not par.quotes
            # "He said …", "The group said …", "It also called for …", "Both sides said":
            # speakers the paragraph does not name
            and not cues.PRONOUN.search(text, par.start, par.end)
            and not cues.TITLE_REFERENCE.search(text, par.start, par.end)
            and not cues.IT_SPEAKS.search(text, par.start, par.end)
            and not cues.BOTH_SIDES.search(text, par.start, par.end)
            and not cues.MEDIATORS.search(text, par.start, par.end)
        ):
            carried = None
            continue
        used: set[int] = set()
        quote_sentences: dict[tuple[int, int], set[str]] = {}
        quoted: Subject | None = None
        for draft, subject in _quotes(par, carried):
            if run_on is not None and not drafts and draft.text_start == par.start + 1:
                # The quote that closes here opened paragraphs before: the same speaker.
                drafts.extend(d for d, _ in _quotes(run_on, subject))
            drafts.append(draft)
            used.add(subject.start)
            quote_sentences.setdefault(draft.sentence, set()).update(draft.speakers)
            quoted = subject
        run_on = par if par.runs_on and quoted is None else None
        carried = (
            quoted
            if quoted is not None and (_ends_with_quote(par) or _ends_with_attribution(par, quoted))
            else _introducer(par)
        )
        for draft in _reported(par, used):
            # Trump, in a post, stated that “…”: the quote is the statement.
            if set(draft.speakers) <= quote_sentences.get(draft.sentence, set()):
                continue
            drafts.append(draft)
        if listing is not None and len(drafts) > 1:
            own = [d for d in drafts if d.rules != ["listed"]]
            if any(
                d.is_verbatim
                or any(r.startswith(("reported:", "attribution:")) and _said(r) for r in d.rules)
                for d in own
            ):
                # The paragraph attributes words of its own: the list is over.
                drafts, listing = own, None
            else:
                # "The United States and Russia agreed …" in a statement: its author's words.
                drafts = drafts[:1]
        if drafts:
            last_speakers = drafts[-1].speakers
        if listing is None and quoted is None:
            listing = _Listing.introduced_by(par, last_speakers)
            if listing is not None:
                listing.on_topic = _passage_on_topic(article, par, before)
        for draft in drafts:
            stances = _stances(article, draft)
            conditions = _conditions(article, draft, topic)
            touches = _touches(article, draft)
            if (
                not stances
                and touches
                and not _HYPOTHETICAL_ANYWHERE.search(text, draft.text_start, draft.text_end)
            ):
                stances = _by_role_in_passage(article, draft)
            if not stances and (touches or _passage_on_topic(article, par, before)):
                stances = _implied(article, draft)
                if not conditions:
                    # "… if the other side did the same": the condition is the clause itself.
                    conditions = [
                        (
                            {
                                "proposal": proposal,
                                "category": "other",
                                "summary": " ".join(phrase.split())[:300],
                                "demanded_of": None,
                            },
                            "condition:other:implied",
                            phrase,
                        )
                        for proposal, stance, _, phrase in stances
                        if stance == "accepts_with_conditions"
                    ]
            stances = _mediators_own_talks(article, draft, stances)
            conditions += _implied_conditions(article, draft, stances, conditions)
            if not (stances or conditions or touches):
                # A tracked party's words in a passage about the negotiations are kept.
                spoken = draft.is_verbatim or any(
                    r == "listed"
                    or r.startswith(("passive-agent:", "possessive:"))
                    or (r.startswith(("reported:", "attribution:")) and _said(r))
                    for r in draft.rules
                )
                listed = draft.rules == ["listed"] and listed_on_topic
                if not (spoken and (listed or _passage_on_topic(article, par, before))):
                    continue
                if _foreign_term(article, *draft.sentence):
                    continue  # "the Gaza truce talks": about another conflict
                if _says_only_who_and_where(article, draft):
                    continue  # "Zelensky responded on social media.": nothing said yet
                touches = ["said-in-passage"]
                if _mediator(article, draft):
                    # A mediator's words in a passage about the negotiations back them (as
                    # the corpus reads them), though they name neither it nor a term.
                    stances = [
                        (proposal, stance, f"{rule}-only", phrase)
                        for proposal, stance, rule, phrase in _by_role_in_passage(article, draft)
                    ]
            conditioned = {c["proposal"] for c, _, _ in conditions}
            positions = tuple(
                {
                    "proposal": proposal,
                    "stance": "accepts_with_conditions"
                    if stance == "accepts" and proposal in conditioned
                    else stance,
                }
                for proposal, stance, _, _ in stances
            )
            rules = tuple(
                [
                    *draft.rules,
                    *(r for _, _, r, _ in stances),
                    *(r for _, r, _ in conditions),
                    *touches,
                ]
            )
            channel, channel_named = _channel(draft.channel_window)
            confidence = _confidence(
                draft, stances, conditions, touches, channel_named=channel_named
            )
            for speaker in draft.speakers:
                key = (speaker, draft.text_start, draft.text_end)
                if key in seen:
                    continue
                seen.add(key)
                its_positions = positions
                if gazetteer.role(speaker) in _MEDIATORS:
                    # "Trump and Putin agreed …": the mediator supports what it brokered.
                    its_positions = tuple(
                        {**p, "stance": "supports"}
                        if p["stance"] in ("accepts", "accepts_with_conditions")
                        else p
                        for p in positions
                    )
                out.append(
                    Candidate(
                        speaker=speaker,
                        on_behalf_of=gazetteer.on_behalf_of(speaker),
                        text=text[draft.text_start : draft.text_end],
                        is_verbatim=draft.is_verbatim,
                        span=(draft.text_start, draft.text_end),
                        confidence=confidence,
                        channel=channel,
                        positions=its_positions,
                        conditions=tuple(c for c, _, _ in conditions),
                        reasons=_reasons(article, draft, speaker, stances, conditions, touches),
                        rules=(f"speaker:{draft.how}", *rules),
                        conflict=gazetteer.conflict,
                    )
                )
    out.sort(key=lambda c: (c.span, c.speaker))
    return _one_per_claim(out)


_FORMS = {
    "quote-then-speaker": "direct quote, attributed after it",
    "quote-then-verb-speaker": "direct quote, attributed after it",
    "speaker-then-quote": "direct quote, introduced by its speaker",
    "quote-continued": "direct quote, continuing the same speaker's",
    "attribution:trailing": "reported speech, attributed at the end of the sentence",
    "attribution:according-to": "reported speech: “according to” names the speaker",
    "relative-clause": "a stance in a relative clause (“…, which X accepted”)",
    "headline-colon": "a headline's claim, attributed before its colon (“X: …”)",
    "listed": "an item of a list or statement its introducer gave (“X named the results:”)",
    "passive-between": "an agreement between the two sides, made by them (“… between A and B was"
    " signed”)",
}
_TOUCHES = {
    "names-proposal": "names a tracked proposal",
    "negotiation-term": "speaks of the negotiations",
    "quote-names-party": "the quote names another party",
    "context-aid": "said where military aid is discussed",
    "said-in-passage": "said in a passage about the negotiations",
}
_STANCE_WORDS = {
    "proposed": "proposes",
    "supports": "supports",
    "accepts": "accepts",
    "accepts_with_conditions": "accepts, with conditions,",
    "rejects": "rejects",
    "noncommittal": "is noncommittal on",
    "withdraws": "withdraws from",
}


def _reasons(article, draft, speaker, stances, conditions, touches) -> tuple[str, ...]:
    """Why this candidate, in the words an editor reads: who, how, and what it binds."""
    text, gaz = article.text, article.gazetteer
    name = gaz.parties[speaker].name
    said = " ".join(text[draft.subject_start : draft.subject_end].split())
    if draft.how == "pronoun":
        out = [f"speaker: “{said}” is {name}, named just before"]
    elif draft.how == "title" and said:
        out = [f"speaker: “{said}” → {name}"]
    elif draft.how == "coordinated":
        out = [f"speaker: {name}, one of “{said}”"]
    else:
        out = [f"speaker: “{said or name}”"]
    for rule in draft.rules:
        if rule in _FORMS:
            out.append(_FORMS[rule])
        elif rule.startswith("reported:"):
            out.append(f"reported speech: “{rule.split(':', 1)[1]}”")
        elif rule.startswith("passive-agent:"):
            out.append(f"the one by whom it “was {rule.split(':', 1)[1]}”")
        elif rule.startswith("possessive:"):
            out.append(f"what its “{rule.split(':', 1)[1]}” are said to be")
    conditioned = {c["proposal"] for c, _, _ in conditions}
    for proposal, stance, rule, phrase in stances:
        if stance == "accepts" and proposal in conditioned:
            stance = "accepts_with_conditions"
        what = f"{_STANCE_WORDS.get(stance, stance)} {gaz.proposals[proposal].name}"
        if "by-role-mediator" in rule:
            out.append(f"stance by role: a mediator speaking of it → {what}")
        elif rule == "stance:implied":
            out.append(f"stance implied: “{' '.join(phrase.split())}” → {what}")
        elif "by-role-proposer" in rule:
            out.append(f"stance by role: its own side's proposal → {what}")
        else:
            how = " (what it reports another side agreed to)" if "+reported" in rule else ""
            how += " (a mediator agreeing)" if "+mediator" in rule else ""
            how += " (“the deal”, “the truce”: the one named before)" if "+generic" in rule else ""
            how += " (the place it is named for)" if "+place" in rule else ""
            how += " (talks its own side called for)" if "+own-talks" in rule else ""
            out.append(f"stance: “{' '.join(phrase.split())}” → {what}{how}")
    for condition, rule, phrase in conditions:
        category = cues.CONDITION_LABELS.get(condition["category"], condition["category"])
        proposal = gaz.proposals[condition["proposal"]].name
        if rule == "condition:other:part":
            out.append(f"condition: only parts of it accepted, the rest left open, on {proposal}")
            continue
        out.append(f"condition: “{' '.join(phrase.split())}” → {category}, on {proposal}")
    out += [_TOUCHES[t] for t in touches if t in _TOUCHES]
    return tuple(out)


def _claim_key(c: Candidate) -> tuple | None:
    """What makes two candidates of one article the same claim: the same speaker taking the
    same stances, or the same speaker saying the same words."""
    if c.positions:
        return ("stances", c.speaker, frozenset((p["proposal"], p["stance"]) for p in c.positions))
    if c.is_verbatim:
        return ("quote", c.speaker, " ".join(_WORD.findall(c.text.lower())))
    return None


_STOPWORDS = frozenset(
    "the a an of to in on for and or but that this with by at from as is was were be been has "
    "have had it its their his her he she they we will would said says told after over".split()
)


def _content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS and len(w) > 2}


def _same_words(a: set[str], b: set[str]) -> bool:
    """Word overlap enough to be the same claim put again, not two claims of one stance."""
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= 0.5


def _one_per_claim(candidates: list[Candidate]) -> list[Candidate]:
    """A headline, a lead and a later sentence that state one claim give one candidate: the
    fullest, with the other spans kept as supporting evidence."""
    keyed: dict[tuple, list[list[Candidate]]] = {}
    words: dict[int, set[str]] = {}  # each candidate's content words, read once
    out: list[Candidate] = []
    for c in candidates:
        key = _claim_key(c)
        if key is None:
            out.append(c)
            continue
        mine = words[id(c)] = _content_words(c.text)
        clusters = keyed.setdefault(key, [])
        for cluster in clusters:
            if any(_same_words(mine, words[id(member)]) for member in cluster):
                cluster.append(c)
                break
        else:
            clusters.append([c])
    for group in (g for clusters in keyed.values() for g in clusters):
        fullest = max(group, key=lambda c: (len(c.conditions), len(c.text), -c.span[0]))
        others = tuple(sorted(c.span for c in group if c is not fullest))
        conditions = list(fullest.conditions)
        for c in group:
            conditions += [k for k in c.conditions if k not in conditions]
        out.append(
            replace(
                fullest,
                supporting=others,
                conditions=tuple(conditions),
                confidence=min(0.95, fullest.confidence + 0.05 * len(others)),
                rules=(*fullest.rules, *(("repeated-in-article",) if others else ())),
                reasons=(
                    *fullest.reasons,
                    *(
                        (f"the same claim is made {len(others)} more time(s) in the article",)
                        if others
                        else ()
                    ),
                ),
            )
        )
    out.sort(key=lambda c: (c.span, c.speaker))
    return out


# --- several conflicts ----------------------------------------------------------------------


@dataclass
class Gazetteers:
    """Every tracked conflict's gazetteer: an article is read against each of them."""

    by_conflict: dict[str, Gazetteer]

    @classmethod
    def from_db(cls) -> Gazetteers:
        from negotiations.models import Conflict, Participation, Proposal

        parties = party_specs_from_db()
        conflicts = list(Conflict.objects.order_by("slug"))
        sides: dict[int, dict[str, str]] = {c.pk: {} for c in conflicts}
        roles: dict[int, dict[str, str]] = {c.pk: {} for c in conflicts}
        for conflict_id, party, side, role in Participation.objects.values_list(
            "conflict_id", "party__slug", "side", "role"
        ):
            sides[conflict_id][party] = side
            roles[conflict_id][party] = role
        proposals: dict[int, list[ProposalSpec]] = {c.pk: [] for c in conflicts}
        for p in Proposal.objects.select_related("parent", "proposed_by"):
            proposals[p.conflict_id].append(
                ProposalSpec(
                    slug=p.slug,
                    name=p.name,
                    parent=p.parent.slug if p.parent_id else None,
                    aliases=tuple(p.aliases or ()),
                    proposed_by=p.proposed_by.slug if p.proposed_by_id else None,
                    kind=p.kind,
                )
            )
        out = {}
        for conflict in conflicts:
            own = set(conflict.places)
            foreign = {
                place for other in conflicts if other.pk != conflict.pk for place in other.places
            }
            out[conflict.slug] = Gazetteer(
                parties=parties,
                proposals=proposals[conflict.pk],
                conflict=conflict.slug,
                sides=sides[conflict.pk],
                roles=roles[conflict.pk],
                places=sorted(own),
                foreign_places=sorted(foreign - own),
            )
        return cls(out)

    @classmethod
    def from_scenarios(cls, paths: Iterable[Path]) -> Gazetteers:
        """The gazetteers of scenario files, without the database (tests, evaluation)."""
        files = [json.loads(Path(p).read_text(encoding="utf-8")) for p in paths]
        parties: dict[str, PartySpec] = {}
        for data in files:
            for p in data.get("parties", ()):
                parties.setdefault(p["slug"], PartySpec.from_record(p))
        places = {d["conflict"]["slug"]: set(d["conflict"].get("places", ())) for d in files}
        out = {}
        for data in files:
            slug = data["conflict"]["slug"]
            foreign = {p for other, its in places.items() if other != slug for p in its}
            out[slug] = Gazetteer(
                parties=list(parties.values()),
                proposals=[ProposalSpec.from_record(p) for p in data.get("proposals", ())],
                conflict=slug,
                sides={p["party"]: p["side"] for p in data.get("participants", ())},
                roles={p["party"]: p["role"] for p in data.get("participants", ())},
                places=sorted(places[slug]),
                foreign_places=sorted(foreign - places[slug]),
            )
        return cls(dict(sorted(out.items())))

    def known_names(self) -> frozenset[str]:
        """Every party's name and aliases, lower-cased, in any conflict."""
        names: set[str] = set()
        for gazetteer in self.by_conflict.values():
            for party in gazetteer._all_parties.values():
                names.update(_alias_key(a).lower() for a in (party.name, *party.aliases))
            break  # parties are global: one gazetteer has them all
        return frozenset(names)


def party_specs_from_db(*, exclude: int | None = None) -> list[PartySpec]:
    """Every party in the database (but `exclude`, a primary key) as the extractor sees it."""
    from negotiations.models import Party

    return [
        PartySpec(
            slug=p.slug,
            name=p.name,
            kind=p.kind,
            parent=p.parent.slug if p.parent_id else None,
            aliases=tuple(p.aliases or ()),
            title=p.title,
        )
        for p in Party.objects.select_related("parent")
        if p.pk != exclude
    ]


def _anchor(text: str, gazetteer: Gazetteer, others: list[Gazetteer]) -> int:
    """How strongly a passage points at the gazetteer's conflict rather than the others'."""
    mine = _in_scope(text, gazetteer.mentions(text), gazetteer.proposal_words)
    shared = {slug for g in others for slug in g.parties}
    score = 0
    for m in mine:
        if m.kind == "proposal" and cues.NEGOTIATION_TERM.fullmatch(text, m.start, m.end):
            continue  # "the ceasefire": every conflict's word, no one's anchor
        if m.kind in ("proposal", "place"):
            score += 2
        elif m.kind == "party" and not set(m.slugs) & shared:
            score += 1
    return score


def _paragraph_around(text: str, start: int, end: int) -> str:
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    return text[lo : hi if hi != -1 else len(text)]


@dataclass
class Reading:
    """What one article gives: candidates for every conflict it is about, and what it names
    that no tracked record covers (negotiations.ingest.discover)."""

    candidates: list[Candidate]
    discoveries: list
    conflicts: list[str]  # the conflicts the article is about


def read_all(text: str, gazetteers: Gazetteers, *, discover: bool = True) -> Reading:
    """Read a text against every conflict's gazetteer.

    An article about two conflicts gives each its own candidates; a statement that both
    would claim (a mediator's words, say) goes to the conflict its paragraph points at.
    """
    from .discover import discover as discover_in

    found: list[Candidate] = []
    discoveries: list = []
    routed = []
    known = gazetteers.known_names() if discover else frozenset()
    for gazetteer in gazetteers.by_conflict.values():
        article = read_article(text, gazetteer)
        if article is None:
            continue
        routed.append(gazetteer.conflict)
        found += _candidates(article)
        if discover:
            discoveries += discover_in(article, known_names=known)
    claimed: dict[tuple[str, tuple[int, int]], list[Candidate]] = {}
    for c in found:
        claimed.setdefault((c.speaker, c.span), []).append(c)
    out = []
    for rivals in claimed.values():
        if len(rivals) == 1:
            out.append(rivals[0])
            continue
        paragraph = _paragraph_around(text, *rivals[0].span)
        conflicts = [gazetteers.by_conflict[c.conflict] for c in rivals]
        # The paragraph decides; when it cannot, the whole article does.
        scores = [
            (
                _anchor(paragraph, g, others := [o for o in conflicts if o is not g]),
                _anchor(text, g, others),
            )
            for g in conflicts
        ]
        out.append(rivals[scores.index(max(scores))])
    out.sort(key=lambda c: (c.span, c.speaker, c.conflict or ""))
    return Reading(candidates=out, discoveries=discoveries, conflicts=routed)


def extract_all(text: str, gazetteers: Gazetteers) -> list[Candidate]:
    """Candidate statements for every conflict the text is about, each with its conflict."""
    return read_all(text, gazetteers, discover=False).candidates
