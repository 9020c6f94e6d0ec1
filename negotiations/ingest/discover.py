"""Discovery: what an article names that no tracked record covers, for the gazetteer to grow.

Two kinds of thing, found with general English and the conflict's gazetteer:

- named negotiation objects: "a maritime ceasefire", "an Orthodox Christmas truce",
  "the Doha talks", "a ceasefire in the Black Sea" — a head noun (ceasefire, truce, deal,
  plan, talks, prisoner exchange, …) with a distinguishing modifier, that no tracked
  proposal alias covers;
- people whose title ties them to a tracked party: "Kremlin spokesman Dmitry Peskov",
  "Ukraine's foreign minister, Andrii Sybiha", "Steve Witkoff, the US special envoy".

Each becomes a suggestion for an editor, with the sentence it was seen in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import extract_cues as cues
from .extract import _BLANK_LINE, _BLOCK, _LINE, Article, _alias_key, _sentences

HEAD = (
    r"(?:cease-?fires?|truces?|armistice|deal|agreement|accord|plan|talks|negotiations|"
    r"framework|roadmap|initiative|memorandum|summit|moratorium|"
    r"prisoner (?:exchange|swap)s?|(?:prisoner|POW) (?:exchange|swap)|humanitarian pause)"
)
# Words that say nothing about which truce or deal is meant.
GENERIC = frozenset(
    "a an the this that these those its their his her our any such another every some "
    "full complete total immediate temporary new possible potential lasting permanent "
    "broader broad wider partial comprehensive fragile proposed planned current previous "
    "earlier existing unconditional real genuine durable long-term short-term final "
    "initial direct indirect first second third next last latest fresh formal informal "
    "peace ceasefire cease-fire truce security political diplomatic bilateral trilateral "
    "major historic landmark limited general wide-ranging overall larger big sweeping "
    "us-brokered us-backed us-led us-proposed brokered backed mediated so-called "
    "one two three four five several few many".split()
)
# A named object's modifiers never run across these.
FUNCTION_WORDS = frozenset(
    "the a an of and or but nor to for on in at by with from into during since until after "
    "before over under about as than that which who whose whom this these those its their "
    "his her our your my is are was were be been has have had will would could should may "
    "might must can not no new any some such said says say agreed agree".split()
)
MONTHS_AND_DAYS = frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())
_TOKEN = re.compile(r"[A-Za-z0-9][\w’'-]*")
_HEAD = re.compile(r"\b" + HEAD + r"\b", re.IGNORECASE)
_POSTMODIFIER = re.compile(
    r"\s+(?:in|on|for|across|over|around|along)\s+(?:the\s+)?"
    r"(?P<name>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2}|energy (?:targets|infrastructure|"
    r"facilities)|sea|shipping|maritime (?:traffic|routes))"
)

ROLE = (
    r"(?:(?:top|senior|chief|deputy|special|presidential|lead|acting|former|first|new)\s+)*"
    r"(?:spokes(?:man|woman|person)|press secretary|foreign minister|defen[cs]e minister|"
    r"interior minister|prime minister|vice[- ]president|president|envoy|peace envoy|"
    r"negotiator|national security advis[eo]r|security advis[eo]r|secretary of state|"
    r"chief of staff|ambassador|aide|advis[eo]r|army chief|military chief|commander|"
    r"foreign secretary|minister|head of (?:the )?delegation|delegation head|"
    r"intelligence chief|defen[cs]e secretary|secretary)"
)
_ROLE_AFTER = re.compile(r"(?:[’']s)?\s+(?P<role>" + ROLE + r")\b,?\s+", re.IGNORECASE)
_ROLE_TITLE = re.compile(r"(?:[’']s)?\s+(?P<role>" + ROLE + r")\b", re.IGNORECASE)
_NAME = re.compile(
    r"(?P<name>[A-Z][a-z]+(?:[-’'][A-Z]?[a-z]+)?"
    r"(?:\s+(?:al-|bin\s+|ibn\s+|de\s+|van\s+|von\s+)?[A-Z][a-z]+(?:[-’'][A-Z]?[a-z]+)?){1,2})\b"
)
_NAME_BEFORE = re.compile(
    r"(?P<name>[A-Z][a-z]+(?:[-’'][A-Z]?[a-z]+)?"
    r"(?:\s+(?:al-|bin\s+|ibn\s+|de\s+|van\s+|von\s+)?[A-Z][a-z]+(?:[-’'][A-Z]?[a-z]+)?){1,2})"
    r",\s+(?:the\s+|a\s+|an\s+)?$"
)


@dataclass(frozen=True)
class Discovery:
    kind: str  # "proposal" or "party"
    key: str
    phrase: str
    name: str
    aliases: tuple[str, ...]
    span: tuple[int, int]
    sentence: tuple[int, int]
    conflict: str | None
    proposal_kind: str = ""
    title: str = ""
    parent: str | None = None  # for a person: the tracked party the title ties them to


def _proposal_kind(head: str, modifiers: list[str]) -> str:
    head = head.lower()
    if "prisoner" in head or "pow" in head:
        return "prisoner_exchange"
    if head.startswith(("talks", "negotiations", "summit")):
        return "negotiations"
    if head.startswith(("cease", "truce", "armistice", "moratorium", "humanitarian")):
        return "partial_ceasefire" if any(m.islower() for m in modifiers) else "full_ceasefire"
    return "peace_framework"


def _title_case(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:]


def _modifiers(text: str, head_start: int, sentence_start: int) -> list[re.Match[str]]:
    """Up to four words right before a head noun that may name it."""
    words = list(_TOKEN.finditer(text, max(sentence_start, head_start - 60), head_start))
    chosen: list[re.Match[str]] = []
    for word in reversed(words):
        gap = text[word.end() : (chosen[0].start() if chosen else head_start)]
        if gap.strip():  # punctuation in between: the phrase started after it
            break
        if word.group().lower() in FUNCTION_WORDS or word.group() in MONTHS_AND_DAYS:
            break
        if chosen and word.group().islower() and chosen[0].group()[:1].isupper():
            break  # "Kremlin orders Orthodox Christmas truce": a verb, not a modifier
        chosen.insert(0, word)
        if len(chosen) == 4:
            break
    # A sentence's first word is capitalised anyway: it names nothing.
    while chosen and chosen[0].start() == sentence_start and chosen[0].group()[:1].isupper():
        chosen.pop(0)
    return chosen


def _distinguishes(word: str) -> bool:
    low = word.lower()
    for suffix in ("’s", "'s"):
        low = low.removesuffix(suffix)
    if low in GENERIC or word in MONTHS_AND_DAYS:
        return False
    return not (word in cues.NOT_A_SCOPE and not word.istitle()) and word not in {
        "The",
        "A",
        "An",
        "This",
        "That",
        "Any",
        "Its",
        "Their",
        "His",
        "Her",
        "Our",
        "New",
    }


def _named_objects(article: Article, sentences: list[tuple[int, int]]) -> list[Discovery]:
    text, gaz = article.text, article.gazetteer
    covered = [(m.start, m.end) for m in article.mentions if m.kind == "proposal"]
    party_cover = {i for m in article.mentions if m.kind == "party" for i in range(m.start, m.end)}
    foreign_cover = {
        i for m in article.mentions if m.kind == "foreign" for i in range(m.start, m.end)
    }
    own_places = [m.start for m in article.mentions if m.kind == "place"]
    tracked = {_alias_key(a).lower() for p in gaz.proposals.values() for a in (p.name, *p.aliases)}
    out = []
    for sent_s, sent_e in sentences:
        in_sentence = any(sent_s <= i < sent_e for i in own_places) or any(
            i in party_cover for i in range(sent_s, sent_e, 3)
        )
        if not in_sentence:
            continue  # a sentence that names none of this conflict's parties or places
        for head in _HEAD.finditer(text, sent_s, sent_e):
            words = _modifiers(text, head.start(), sent_s)
            named = [w for w in words if _distinguishes(w.group())]
            start, end = (words[0].start() if words else head.start()), head.end()
            if named:
                if all(w.start() in party_cover for w in named):
                    continue  # "the Russian plan": a party's, not a name
                label = " ".join(text[start:end].split())
            else:
                post = _POSTMODIFIER.match(text, head.end(), sent_e)
                if post is None or post.start("name") in party_cover:
                    continue
                end = post.end()
                label = f"{' '.join(post.group('name').split())} {head.group().lower()}"
            if any(s < end and start < e for s, e in covered):
                continue  # a tracked proposal's alias
            if _alias_key(label).lower() in tracked:
                continue  # "the ceasefire in Gaza" when "Gaza ceasefire" is tracked
            if any(i in foreign_cover for i in range(start, end)):
                continue  # another tracked conflict's
            phrase = " ".join(text[start:end].split())
            out.append(
                Discovery(
                    kind="proposal",
                    key=_alias_key(label).lower()[:200],
                    phrase=phrase[:200],
                    name=_title_case(label)[:200],
                    aliases=tuple(dict.fromkeys([label, phrase])),
                    span=(start, end),
                    sentence=(sent_s, sent_e),
                    conflict=gaz.conflict,
                    proposal_kind=_proposal_kind(head.group(), [w.group() for w in words]),
                )
            )
    return out


def _people(article: Article, sentences: list[tuple[int, int]], known: frozenset[str]):
    text, gaz = article.text, article.gazetteer
    mentions = [m for m in article.mentions if m.kind == "party" and len(m.slugs) == 1]
    party_cover = {i for m in mentions for i in range(m.start, m.end)}
    out = []

    def sentence_of(pos: int) -> tuple[int, int]:
        return next(((s, e) for s, e in sentences if s <= pos < e), (pos, pos))

    def add(name_match, mention, role: str, span: tuple[int, int], parent=None) -> None:
        name = " ".join(name_match.group("name").split())
        if name_match.start("name") in party_cover or _alias_key(name).lower() in known:
            return
        if name.split()[0] in cues.NOT_A_NAME:
            return
        if parent is not None:
            party, title = parent, role
        else:
            party = gaz.parties[mention.slugs[0]]
            title = f"{text[mention.start : mention.end]} {role.lower()}"
        surname = name.split()[-1]
        out.append(
            Discovery(
                kind="party",
                key=_alias_key(name).lower(),
                phrase=" ".join(text[span[0] : span[1]].split())[:200],
                name=name,
                aliases=(name, surname) if len(surname) > 2 else (name,),
                span=span,
                sentence=sentence_of(span[0]),
                conflict=gaz.conflict,
                title=title[:200],
                parent=party.slug,
            )
        )

    for mention in mentions:
        holder = gaz.parties[mention.slugs[0]]
        said = text[mention.start : mention.end]
        if holder.kind == "person" and not set(said.lower().split()) & set(
            holder.name.lower().split()
        ):
            # "Ukrainian Defence Minister Oleksii Reznikov": a title the gazetteer gives to
            # someone else; the one named works for the same institution.
            name = (
                _NAME.match(text, mention.end + 1)
                if text[mention.end : mention.end + 1] == " "
                else None
            )
            if name is not None and holder.parent in gaz.parties:
                institution = gaz.parties[holder.parent]
                add(name, None, said, (mention.start, name.end()), parent=institution)
            continue
        # Kremlin spokesman Dmitry Peskov / Ukraine's foreign minister, Andrii Sybiha
        role = _ROLE_AFTER.match(text, mention.end)
        if role is not None:
            name = _NAME.match(text, role.end())
            if name is not None:
                add(name, mention, role.group("role"), (mention.start, name.end()))
                continue
        # Dmitry Peskov, the Kremlin spokesman
        before = _NAME_BEFORE.search(text, max(0, mention.start - 60), mention.start)
        role = _ROLE_TITLE.match(text, mention.end)
        if before is not None and role is not None:
            add(before, mention, role.group("role"), (before.start(), role.end()))
    return out


def discover(article: Article, *, known_names: frozenset[str] = frozenset()) -> list[Discovery]:
    """What the article names that the conflict's gazetteer lacks, in text order."""
    text = article.text
    paragraphs = _BLOCK if _BLANK_LINE.search(text) else _LINE
    sentences = [
        sentence
        for p in paragraphs.finditer(text)
        for sentence in _sentences(text, p.start(), p.end(), [])
    ]
    found = _named_objects(article, sentences) + _people(article, sentences, known_names)
    # Once per sentence: one sentence is one piece of evidence.
    unique: dict[tuple[str, str, int], Discovery] = {}
    for d in found:
        unique.setdefault((d.kind, d.key, d.sentence[0]), d)
    return sorted(unique.values(), key=lambda d: d.span)
