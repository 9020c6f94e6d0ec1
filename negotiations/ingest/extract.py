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
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import extract_cues as cues

EXTRACTOR_VERSION = "rules-2"

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

    @classmethod
    def from_record(cls, record: dict) -> ProposalSpec:
        """From a scenario file's proposal record."""
        return cls(
            slug=record["slug"],
            name=record["name"],
            parent=record.get("parent"),
            aliases=tuple(record.get("aliases", ())),
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


def _alias_key(text: str) -> str:
    """One spelling for an alias or a matched phrase: spaces, hyphens and apostrophes."""
    return _APOSTROPHE.sub("'", _SEPARATORS.sub(" ", text.strip()))


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
    body = "".join(parts)
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
        self.proposals: dict[str, ProposalSpec] = {p.slug: p for p in proposals}
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

    def on_behalf_of(self, party: str) -> str | None:
        return self._state[party]

    def proposal_root(self, proposal: str) -> str:
        return self._proposal_root[proposal]

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
_QUOTE = re.compile(r"“([^“”]{1,2000})”|\"([^\"]{1,2000})\"")
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
# A party named right after one of these is an object, or the subject of a question or a
# hypothesis ("whether Russia would accept …"), not one who speaks.
_NOT_SUBJECT_AFTER = frozenset(
    "of to by for from against on in at about than between among into toward towards over "
    "under with without like including per via whom a an whether if unless until".split()
)
_THE = re.compile(r"[Tt]he\s+")
_POSSESSIVE_GAP = re.compile(r"[’']s\s+")
_COORDINATION = re.compile(r"\s*(?:,\s*)?and\s+$")
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
    def __init__(self, article: Article, start: int, end: int) -> None:
        self.article, self.start, self.end = article, start, end
        text = article.text
        self.quotes: list[tuple[int, int, int, int]] = []  # outer start/end, inner start/end
        for m in _QUOTE.finditer(text, start, end):
            g = 1 if m.group(1) is not None else 2
            self.quotes.append((m.start(), m.end(), m.start(g), m.end(g)))
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
        text = self.article.text
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
            simple.append(Subject(m.start, m.end, m.slugs, "name"))
        for s in simple:
            self._someone_else_with_the_title(s)
            role = cues.ROLE_AFTER_PARTY.match(text, s.end, self.end)
            if role:
                s.end = role.end()
        merged: list[Subject] = []
        for s in simple:
            prev = merged[-1] if merged else None
            if (
                prev is not None
                and prev.speakers
                and s.speakers
                and _COORDINATION.fullmatch(text, prev.end, s.start)
            ):
                prev.end = s.end
                prev.speakers = tuple(dict.fromkeys(prev.speakers + s.speakers))
                prev.how = "coordinated"
                continue
            merged.append(s)
        return [s for s in merged if s.speakers]

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
        elif cues.PRONOUN.fullmatch(word):
            people, how = set(before), "pronoun"
        else:
            return None
        if len(people) != 1:
            return None
        person = people.pop()
        i = bisect.bisect_left(self._mention_people, (start, ""))
        last = next(at for at, slug in reversed(self._mention_people[:i]) if slug == person)
        if self._sentence_index(start) - self._sentence_index(last) > 1:
            return None  # named too far back to be sure
        # Someone the gazetteer does not know, named in between, could be meant instead.
        for name in cues.PERSON_NAME.finditer(text, last, start):
            if name.group("first") not in cues.NOT_A_NAME and not self.article.within(
                name.start(), name.end(), "party"
            ):
                return None
        return Subject(start, end, (person,), how)

    def _sentence_index(self, pos: int) -> int:
        return bisect.bisect_right(self._sentence_starts, pos)


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


def _pronoun_or_title_at(text: str, pos: int, end: int) -> re.Match[str] | None:
    m = cues.TITLE_REFERENCE.match(text, pos, end)
    if m is None:
        m = re.compile(r"\b(?:[Hh]e|[Ss]he)\b").match(text, pos, end)
    return m


def _quotes(par: _Paragraph) -> Iterator[tuple[_Draft, Subject]]:
    text = par.article.text
    for outer_s, outer_e, inner_s, inner_e in par.quotes:
        if len(_WORD.findall(text, inner_s, inner_e)) < 3:
            continue  # scare quotes and titles, not statements
        sent_s, sent_e = par.sentence_of(outer_s)
        subject, form = None, ""
        inner = text[inner_s:inner_e].rstrip()
        # “…,” Putin said.  /  “…,” said Putin.  /  “…,” he said.
        if inner and inner[-1] in _QUOTE_END_PUNCT or text[outer_e : outer_e + 1] == ",":
            pos = outer_e + (text[outer_e : outer_e + 1] == ",")
            while pos < sent_e and text[pos].isspace():
                pos += 1
            subj = par.subject_at(pos)
            if subj is None and (the := _THE.match(text, pos, sent_e)) is not None:
                subj = par.subject_at(the.end())  # “…,” the Ukrainian President said.
            if subj is None and (ref := _pronoun_or_title_at(text, pos, sent_e)):
                subj = par.resolve(ref.start(), ref.end())
            if subj is not None:
                verb = cues.VERB_AFTER_SUBJECT.match(text, subj.end, sent_e)
                if verb and cues.SPEECH_VERB_RE.fullmatch(verb.group("verb")):
                    subject, form = subj, "quote-then-speaker"
            else:
                verb = cues.AFTER_QUOTE.match(text, pos, sent_e)
                if verb and verb.group("pre_verb"):
                    after = verb.end()
                    subj = par.subject_at(after)
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
            continue
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
            rules=[form],
        )
        yield draft, subject


def _reported(par: _Paragraph, used_subjects: set[int]) -> Iterator[_Draft]:
    text = par.article.text
    gaz = par.article.gazetteer
    for sent_s, sent_e in par.sentences:
        found: list[tuple[Subject, re.Match[str]]] = []
        heads = par.subjects_between(sent_s, sent_e)
        for ref in cues.PRONOUN.finditer(text, sent_s, sent_e):
            if (subj := par.resolve(ref.start(), ref.end())) is not None:
                heads.append(subj)
        for ref in cues.TITLE_REFERENCE.finditer(text, sent_s, sent_e):
            if (subj := par.resolve(ref.start(), ref.end())) is not None:
                heads.append(subj)
        heads.sort(key=lambda s: s.start)
        for subj in heads:
            if subj.start in used_subjects or par.in_quote(subj.start):
                continue
            if _word_before(text, sent_s, subj.start) in _NOT_SUBJECT_AFTER:
                continue
            verb = cues.VERB_AFTER_SUBJECT.match(text, subj.end, sent_e)
            if verb is None:
                continue
            found.append((subj, verb))
        if not found:
            continue
        # A subject inside the "that …" of a reporting verb is reported by the outer
        # speaker; one after a clause break opens a statement of its own.
        statements: list[tuple[Subject, re.Match[str], list[tuple[int, int]]]] = []
        for subj, verb in found:
            if statements:
                outer, outer_verb, embedded = statements[-1]
                gap_s, gap_e = outer_verb.end(), subj.start
                is_speech = cues.SPEECH_VERB_RE.fullmatch(outer_verb.group("verb")) is not None
                if (
                    is_speech
                    and gap_e - gap_s < 90
                    and not cues.CLAUSE_BREAK.search(text, gap_s, gap_e)
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
            if end < verb.end():
                continue
            region = _subtract([(subj.start, end)], embedded)
            rules = [f"reported:{verb.group('verb').lower()}"]
            rel = _ends_with(cues.RELATIVE_OBJECT, text, sent_s, subj.start)
            if rel is not None and rel.end() == subj.start:
                rules.append("relative-clause")
            yield _Draft(
                speakers=subj.speakers,
                how=subj.how,
                text_start=subj.start,
                text_end=end,
                is_verbatim=False,
                channel_window=text[sent_s:sent_e],
                region=region,
                sentence=(sent_s, sent_e),
                subject_start=subj.start,
                rules=rules,
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


def _stances(article: Article, draft: _Draft) -> list[tuple[str, str, str]]:
    """(proposal, stance, rule) for every stance cue bound to a proposal in the draft.

    A cue binds to the first proposal after it in the same clause, within STANCE_REACH
    characters; the leftmost cue bound to a proposal gives its stance. Only the text just
    before each proposal is searched, which keeps long statements cheap.
    """
    text = article.text
    found: dict[str, tuple[str, str]] = {}
    for rs, re_ in draft.region:
        after = rs
        for target in article.within(rs, re_, "proposal"):
            window_s, after = max(after, target.start - cues.STANCE_REACH), target.end
            if len(target.slugs) != 1 or target.slugs[0] in found:
                continue
            for m in cues.STANCE_CUE.finditer(text, window_s, target.start):
                if target.end > m.end() + cues.STANCE_REACH:
                    continue
                if cues.CLAUSE_BREAK.search(text, m.end(), target.start):
                    continue
                gap = text[m.end() : target.start]
                if len(gap.split()) > cues.STANCE_GAP_WORDS or cues.STANCE_GAP_BLOCK.search(gap):
                    continue
                name, stance = cues.STANCE_CUES[int(m.lastgroup[1:])]
                found[target.slugs[0]] = (stance, f"stance:{name}")
                break
    if not found and "relative-clause" in draft.rules:
        # "…the 30-day ceasefire, which Ukraine had already accepted": the cue right after
        # the subject takes the proposal named before the relative pronoun.
        rs, re_ = draft.region[0]
        m = cues.STANCE_CUE.search(text, rs, min(re_, rs + cues.STANCE_REACH))
        before = article.within(draft.sentence[0], draft.subject_start, "proposal")
        if m is not None and before and len(before[-1].slugs) == 1:
            name, stance = cues.STANCE_CUES[int(m.lastgroup[1:])]
            found[before[-1].slugs[0]] = (stance, f"stance:{name}+relative")
    return [(p, s, r) for p, (s, r) in found.items()]


def _conditions(article: Article, draft: _Draft, topic: str | None) -> list[tuple[dict, str]]:
    text, gaz = article.text, article.gazetteer
    sides = {gaz.root(p) for p in draft.speakers}
    out: list[tuple[dict, str]] = []
    seen: set[tuple[str, str]] = set()
    for rs, re_ in draft.region:
        for cue in cues.CONDITION_CUE.finditer(text, rs, re_):
            tail_end = re_
            for stop in ("—", "–", ";", " - "):
                if (k := text.find(stop, cue.end(), tail_end)) != -1:
                    tail_end = k
            tail_s = cue.end()
            proposals = article.within(draft.sentence[0], draft.sentence[1], "proposal")
            proposals = [p for p in proposals if len(p.slugs) == 1]
            before = [p for p in proposals if p.start < cue.start()]
            if before or proposals:
                proposal, how = (before[-1] if before else proposals[0]).slugs[0], "named"
            elif topic and _negotiation_term(article, *draft.sentence):
                proposal, how = topic, "generic"
            else:
                continue
            halt = cues.HALT_WORD.search(text, tail_s, tail_end)
            for category, needs_halt, pattern in cues.CONDITION_CATEGORIES:
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


def _foreign(text: str, start: int, end: int, own: set[int]) -> bool:
    """Whether a place that is not this conflict's qualifies the phrase at start…end.

    "a ceasefire in Gaza", "the Gaza truce": unless Gaza is one of this conflict's places
    (or names one of its parties), the phrase is another conflict's, or no tracked one's.
    """
    after = cues.SCOPE_AFTER.match(text, end)
    if after is not None and after.end() not in own:
        return True
    before = cues.SCOPE_BEFORE.search(text, max(0, start - 40), start)
    return (
        before is not None
        and before.start("name") not in own
        and before.group("name") not in cues.NOT_A_SCOPE
    )


def _in_scope(text: str, mentions: list[Mention]) -> list[Mention]:
    """Drop proposal mentions that name another conflict's proposal."""
    own = _own_cover(mentions)
    return [m for m in mentions if m.kind != "proposal" or not _foreign(text, m.start, m.end, own)]


def _negotiation_term(article: Article, start: int, end: int) -> bool:
    """A negotiation term in start…end that no outside place qualifies."""
    return any(
        not _foreign(article.text, m.start(), m.end(), article.own_cover)
        for m in cues.NEGOTIATION_TERM.finditer(article.text, start, end)
    )


def _on_topic(article: Article) -> bool:
    """Whether the article is about this conflict: parties from two of its sides, and one of
    its proposals, one of its places, or a negotiation term that is not another's."""
    gaz = article.gazetteer
    sides = {
        gaz.side(m.slugs[0]) for m in article.mentions if m.kind == "party" and len(m.slugs) == 1
    }
    if len(sides) < 2:
        return False
    if any(m.kind in ("proposal", "place") for m in article.mentions):
        return True
    return _negotiation_term(article, 0, len(article.text))


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
    if positions:
        score += 0.25 if all("+relative" not in r for _, _, r in positions) else 0.15
    if conditions:
        score += 0.15 if any(r.endswith(":named") for _, r in conditions) else 0.1
    if channel_named:
        score += 0.05
    if "names-proposal" in touches:
        score += 0.05
    return round(max(0.05, min(0.95, score)), 2)


def read_article(text: str, gazetteer: Gazetteer) -> Article | None:
    """The text with the gazetteer's mentions found, if it is about the gazetteer's conflict."""
    if not text:
        return None
    article = Article(text, gazetteer, _in_scope(text, gazetteer.mentions(text)))
    return article if _on_topic(article) else None


def extract_candidates(text: str, gazetteer: Gazetteer) -> list[Candidate]:
    """Candidate statements in `text`, in the order they appear."""
    article = read_article(text, gazetteer)
    if article is None:
        return []
    return _candidates(article)


def _candidates(article: Article) -> list[Candidate]:
    text, gazetteer = article.text, article.gazetteer
    topic = _topic(article)
    out: list[Candidate] = []
    seen: set[tuple[str, int, int]] = set()
    paragraphs = _BLOCK if _BLANK_LINE.search(text) else _LINE
    for p in paragraphs.finditer(text):
        par = _Paragraph(article, p.start(), p.end())
        if not par.subjects and not par.quotes:
            continue
        drafts: list[_Draft] = []
        used: set[int] = set()
        quote_sentences: dict[tuple[int, int], set[str]] = {}
        for draft, subject in _quotes(par):
            drafts.append(draft)
            used.add(subject.start)
            quote_sentences.setdefault(draft.sentence, set()).update(draft.speakers)
        for draft in _reported(par, used):
            # Trump, in a post, stated that “…”: the quote is the statement.
            if set(draft.speakers) <= quote_sentences.get(draft.sentence, set()):
                continue
            drafts.append(draft)
        for draft in drafts:
            stances = _stances(article, draft)
            conditions = _conditions(article, draft, topic)
            touches = _touches(article, draft)
            if not (stances or conditions or touches):
                continue
            conditioned = {c["proposal"] for c, _ in conditions}
            positions = tuple(
                {
                    "proposal": proposal,
                    "stance": "accepts_with_conditions"
                    if stance == "accepts" and proposal in conditioned
                    else stance,
                }
                for proposal, stance, _ in stances
            )
            rules = tuple(
                [*draft.rules, *(r for _, _, r in stances), *(r for _, r in conditions), *touches]
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
                out.append(
                    Candidate(
                        speaker=speaker,
                        on_behalf_of=gazetteer.on_behalf_of(speaker),
                        text=text[draft.text_start : draft.text_end],
                        is_verbatim=draft.is_verbatim,
                        span=(draft.text_start, draft.text_end),
                        confidence=confidence,
                        channel=channel,
                        positions=positions,
                        conditions=tuple(c for c, _ in conditions),
                        rules=(f"speaker:{draft.how}", *rules),
                        conflict=gazetteer.conflict,
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
        for conflict_id, party, side in Participation.objects.values_list(
            "conflict_id", "party__slug", "side"
        ):
            sides[conflict_id][party] = side
        proposals: dict[int, list[ProposalSpec]] = {c.pk: [] for c in conflicts}
        for p in Proposal.objects.select_related("parent"):
            proposals[p.conflict_id].append(
                ProposalSpec(
                    slug=p.slug,
                    name=p.name,
                    parent=p.parent.slug if p.parent_id else None,
                    aliases=tuple(p.aliases or ()),
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
    mine = _in_scope(text, gazetteer.mentions(text))
    shared = {slug for g in others for slug in g.parties}
    score = 0
    for m in mine:
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
        scores = [_anchor(paragraph, g, [o for o in conflicts if o is not g]) for g in conflicts]
        out.append(rivals[scores.index(max(scores))])
    out.sort(key=lambda c: (c.span, c.speaker, c.conflict or ""))
    return Reading(candidates=out, discoveries=discoveries, conflicts=routed)


def extract_all(text: str, gazetteers: Gazetteers) -> list[Candidate]:
    """Candidate statements for every conflict the text is about, each with its conflict."""
    return read_all(text, gazetteers, discover=False).candidates
