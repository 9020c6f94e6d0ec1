"""The general-English cue lexicon behind statement extraction.

Nothing here names a conflict, a party or a proposal: those come from the gazetteer.
Each cue has a short name, which ends up in a candidate's `rules` so that an editor (or a
test) can see why it was produced.
"""

import re

FLAGS = re.IGNORECASE

# Words that introduce or report speech. A direct quote needs one of them next to its
# speaker; reported speech needs one of them (or a stance cue) right after its subject.
SPEECH_VERBS = (
    "said|says|say|stated|states|state|wrote|writes|write|posted|posts|added|adds|told|tells|"
    "declared|declares|announced|announces|insisted|insists|stressed|stresses|emphasized|"
    "emphasised|emphasizes|emphasises|warned|warns|noted|notes|argued|argues|claimed|claims|"
    "confirmed|confirms|explained|explains|replied|replies|responded|responds|asserted|"
    "asserts|tweeted|tweets|remarked|remarks|commented|comments|continued|urged|urges|vowed|"
    "vows|pledged|pledges|acknowledged|acknowledges|admitted|admits|reiterated|reiterates|"
    "made it clear|made clear|makes clear|signalled|signaled|indicated|indicates|indicating|"
    "saying|stating|writing|posting|adding|telling|declaring|insisting|stressing|"
    "emphasizing|emphasising|warning|noting|arguing|claiming|confirming|explaining|"
    "replying|responding|asserting|tweeting|urging|vowing|pledging|reiterating|"
    "hailed|hails|praised|praises|described|describes|thanked|thanks|congratulated|credited|"
    "congratulates|accused|accuses|cautioned|cautions|threatened|threatens|echoed|echoes|"
    "maintained|maintains|maintain|believes|believed|assumes|assumed|characterized|"
    "characterised|outlined|outlines|reacted|reacts|promised|promises|conceded|concedes|"
    "affirmed|affirms|expressed|expresses|hinted|hints|signaled|signalling|signaling|"
    "questioned|questions|criticized|criticised|criticizes|criticises|blamed|blames|"
    "denied|denies|asserted|informed|briefed|recalled|recalls|predicted|predicts|"
    "announcing|confirming|describing|calling on|called on|calls on|called it|calls it|"
    "hailing|praising|thanking|accusing|warning|shared|shares|read|reads|highlighted|"
    "highlights|underlined|underscored|emphasized|told the \\w+|took to X|took to social media|"
    "called (?:it|the|this|them|his|her|its|their)|calls (?:it|the|this)|described|termed|labelled|"
    "labeled|dubbed|reported that|issued (?:its|a|the) (?:response|reply|statement)|"
    "quoted as saying(?: by [\\w.]+)?|revealed|reveals|clarified|clarifies|disclosed|"
    "referred to|refers to|"
    "discloses|assured|assures|mentioned|mentions|"
    "extended (?:his |her |its |their )?(?:gratitude|thanks|congratulations)"
)

# Verbs that take a position rather than report words; they also make a reported statement.
STANCE_VERBS = (
    "agreed|agrees|agree|accepted|accepts|accept|approved|approves|refused|refuses|refuse|"
    "rejected|rejects|reject|declined|declines|dismissed|dismisses|opposed|opposes|"
    "expressed support|expresses support|expressed (?:his|her|its|their) support|"
    "supported|supports|support|backed|backs|welcomed|welcomes|endorsed|endorses|proposed|"
    "proposes|propose|offered|offers|suggested|suggests|demanded|demands|demand|called for|"
    "calls for|ruled out|rules out|ordered|orders|withdrew|withdraws|signed|signs|"
    "committed|commits|turned down|turns down|shot down|shoots down|stands ready|stand ready|"
    "stood ready|"
    "pushed for|pushes for|pressed for|presses for|calling for|calling to|demanding|pushing for|"
    "pressing for|proposing|offering|rejecting|refusing|accepting"
)

# What may stand between a subject and its verb: auxiliaries, adverbs and a negation.
AUXILIARY = (
    r"(?:(?:also|already|previously|reportedly|again|then|now|later|once|still|earlier|"
    r"first|jointly|both|separately|yet|long|consistently|"
    r"has|have|had|would|will|did|does|do|could|can|is|was|were|been|"
    r"quickly|swiftly|firmly|flatly|publicly|repeatedly|initially|finally|recently|"
    r"not|never)\s+){0,4}"
)

# A subject followed by its verb, matched at the end of a subject (mention) group.
# The optional parenthetical covers “Trump, in a post on Truth Social, stated …”.
# When and where something was said, between a subject and its verb: "Trump on Saturday
# said", "Hamas late on Friday announced", "Putin, in a post on Telegram, said".
WHEN = (
    r"(?:\s+(?:(?:late|early|earlier|later)\s+)?(?:on|this|last)\s+(?:Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|Saturday|Sunday|week|weekend|month)(?:\s+(?:night|"
    r"morning|afternoon|evening))?(?:\s*\([^()]{1,20}\))?"
    r"|\s+(?:today|yesterday|earlier|later|overnight|separately|meanwhile))?"
)

VERB_AFTER_SUBJECT = re.compile(
    r"(?:\s*,\s*on\s+[A-Z][a-z]+day,\s+[A-Z][a-z]+\s+\d{1,2},"  # ", on Friday, June 27,"
    r"|\s*,[^,.;:“”\"]{1,90},|\s*,\s+(?:designated|described|known|listed|seen|"
    r"considered|backed|based|headed|led)\b[^.;:“”\"]{1,140}?,)?"
    r"(?:\s*,\s*who\b)?"  # "Ishaq Dar, who wrote on X that …"
    + WHEN
    # "Trump in a social media post claimed …"
    # "Trump in another social media posting said …", "Hamas in its response said …"
    + r"(?:\s+in\s+(?:an?|another|his|her|its|their)\s+(?:[\w-]+\s+){0,3}(?:post|posting|"
    r"statement|interview|speech|address|video|letter|message|response|reply|remarks|"
    r"briefing)s?)?"
    + r"\s+"
    + AUXILIARY
    + r"(?P<verb>"
    + SPEECH_VERBS
    + "|"
    + STANCE_VERBS
    + r")\b",
    FLAGS,
)

SPEECH_VERB_RE = re.compile(r"\b(?:" + SPEECH_VERBS + r")\b", FLAGS)
# A subject right after "X said that …" is inside X's words.
SAID_THAT = re.compile(r"\b(?:" + SPEECH_VERBS + r")\s+that\s+$", FLAGS)

# Attribution after a quote: “…,” Putin said / said Putin / he said.
AFTER_QUOTE = re.compile(
    r"\s*(?:[–—-]\s*)?(?:(?P<pre_verb>" + SPEECH_VERBS + r")\s+(?=\S))?",
    FLAGS,
)
# What may stand between a quote's closing mark and its speaker: “…” – he added.
# Honorifics ("Mr Trump wrote") are skipped to reach the name.
QUOTE_TO_SPEAKER = re.compile(
    r"\s*(?:[–—-]\s*)?(?:(?:Mr|Mrs|Ms|Dr)\.?\s+(?=[A-Z])"
    r"|(?:(?:US|U\.S\.)\s+)?(?:President|Prime Minister|Foreign Minister|Secretary of State|"
    r"Secretary|Minister|Chancellor|Premier|Sheikh|Ayatollah|Envoy)\s+(?=[A-Z]))?"
)
# "Quote from Medinsky:", "In the words of X:" introduce a quote with no verb.
QUOTE_FROM = re.compile(r"\b(?:[Qq]uote|[Ss]tatement|[Ww]ords) (?:from|of|by)\s+$")

# A speaker introducing a quote: X said: “…” / X said, “…” / X wrote on X that “…” /
# with X stating, “…”. This is matched on the text between the speaker's name and the
# opening quotation mark.
BEFORE_QUOTE = re.compile(
    r"^(?:\s*,[^,.;:“”\"]{1,90},)?\s+" + AUXILIARY + r"(?P<verb>" + SPEECH_VERBS + r")\b"
    r"(?P<middle>(?:\s+(?:in|on|at|to|during|via|after|before|from|through)\b[^.;:“”\"]{0,90}?)?)"
    r"(?:\s*[:,]\s*|\s+that\b[^.;“”\"]{0,140}?\s*|\s+)$",
    FLAGS,
)

# An apposition around a party: "Khalil al-Hayya, Hamas's chief in Gaza, said", "Izzat
# al-Rishq, a member of the Hamas political bureau, told AFP".
APPOSITION_HEAD = re.compile(
    r"(?<![\w’'-])(?P<first>[A-Z][\w’'-]+)(?:\s+(?:al-|bin\s+|ibn\s+)?[A-Z][\w’'-]+){0,3},\s+"
    r"(?:(?:a|an|the)\s+)?(?:[a-z][\w-]*\s+){0,4}(?:of\s+|for\s+|to\s+)?(?:the\s+)?$"
)
APPOSITION_TAIL = re.compile(
    r"(?:[’']s)?(?!\s+(?:and|or)\b)(?:\s+[\w-]+){0,5}?,(?=\s+(?:" + SPEECH_VERBS + r")\b)",
    FLAGS,
)

# A participle of speech after the main clause: "X took credit for the deal, saying …".
PARTICIPLE = re.compile(
    r",\s+(?P<verb>saying|adding|warning|insisting|stressing|noting|arguing|claiming|"
    r"declaring|writing|telling)\b",
    FLAGS,
)

# Pronouns and titles that may stand for a speaker when the paragraph leaves no doubt.
PRONOUN = re.compile(r"(?P<pronoun>\b(?:he|she)\b)", FLAGS)
# A warning after "but" opens a second statement of the same subject: "X said A, but warned
# that B" ("but insisted that …" is more often a condition on A, and stays with it).
SECOND_SPEECH = re.compile(
    r",?\s+(?P<conj>but\s+(?:also\s+|later\s+)?(?P<verb>warned|cautioned|accused)\b)", FLAGS
)
# The two sides, unnamed, as speakers: "both sides said", "the parties stated" (a verb of
# speech only: "both sides accused each other" is narration).
BOTH_SIDES = re.compile(
    r"\b(?:[Bb]oth\s+sides|[Tt]he\s+two\s+sides|[Tt]he\s+(?:two\s+)?parties|[Bb]oth\s+parties)"
    r"(?=\s+(?:also\s+)?(?:said|stated|announced|confirmed|declared|reported)\b)"
    # "both sides pledged to halt …": a commitment, said of the two by name only ("the parties
    # agreed" opens a mediator's readout, whose items are the mediator's)
    r"|\b(?:[Bb]oth\s+(?:sides|countries|parties)|[Ee]ach\s+side)"
    r"(?=\s+(?:also\s+|had\s+|has\s+|have\s+)*(?:already\s+)?(?:pledged|vowed|agreed)\b)"
)
# The mediators, unnamed, as speakers: "mediators announced", "…, the mediators said" (not
# "mediators Qatar and Egypt", who are named).
MEDIATORS = re.compile(
    r"\b(?:[Tt]he\s+)?[Mm]ediators\b(?=\s+(?:also\s+|on\s+\w+\s+)?(?:said|stated|announced|"
    r"confirmed|declared)\b)"
)
# "It said", "It also called for": a body that spoke just before.
IT_REFERENCE = re.compile(r"\b[Ii]t\b")
# Of those, the ones a paragraph with no named speaker may open with.
IT_SPEAKS = re.compile(
    r"\b[Ii]t\s+(?:also\s+|later\s+|further\s+)?(?:said|says|added|called|stated|noted|warned|"
    r"urged|demanded|insisted|blamed|accused|announced)\b"
)
# "His office said", "her spokesman said": the person's office speaks for them.
POSSESSIVE_BODY = re.compile(
    r"\b(?:[Hh]is|[Hh]er)\s+(?:press\s+)?(?:office|spokes(?:man|woman|person)|aides?)\b"
)
TITLE_REFERENCE = re.compile(
    r"\b[Tt]he\s+(?:[A-Z][a-z]+\s+)?(?:(?:militant|armed|rebel|terrorist|Islamist|"
    r"militia|resistance)\s+){0,2}"
    r"(?P<title>(?i:president|chancellor|prime minister|premier|secretary of state|"
    r"foreign secretary|foreign minister|defen[cs]e minister|minister|king|emir|leader|"
    r"spokes(?:man|woman|person)|envoy|official|officials|negotiator|mediator|statement|group|"
    r"movement|delegation|source|"
    r"organi[sz]ation|ministry|readout|post))\b"
)
# Of those, the ones that may stand for a body or an official, not a person's title.
BODY_REFERENCES = frozenset(
    "envoy official officials negotiator mediator statement group movement delegation source "
    "organisation organization ministry readout post spokesman spokeswoman spokesperson".split()
)

# Two or more capitalised words: perhaps a person the gazetteer does not know, who could be
# the "he" of the next sentence. The first word must not be a sentence opener.
PERSON_NAME = re.compile(r"\b(?P<first>[A-Z][a-z’'-]+)(?:\s+[A-Z][a-z’'-]+)+")
NOT_A_NAME = frozenset(
    "The A An On In At After Before But And As When While This That It He She We They His "
    "Her Its Their Our Meanwhile However Although Though Despite Over Under For From With "
    "By Of To Last Next On Monday Tuesday Wednesday Thursday Friday Saturday Sunday "
    "January February March April May June July August September October November "
    "December President Chancellor Prime Minister".split()
)

# Channels, read from the attribution around a statement; the leftmost named wins.
CHANNEL = re.compile(
    r"(?P<social_media>\b(?:Truth Social|Telegram|Twitter|X\.com|Facebook|Instagram|TikTok|"
    r"Bluesky|Threads|[Ss]ocial media|[Ss]ocial network|(?:a|his|her|their|its) post\b|"
    r"posted|tweet(?:ed)?|on X\b))"
    r"|(?P<press_conference>\b(?:[Pp]ress|[Nn]ews) conference|\bbriefing\b|told reporters)"
    r"|(?P<interview>\b[Ii]nterview)"
    r"|(?P<call_readout>\breadout\b)"
    r"|(?P<official_statement>\bin a (?:written |joint )?statement\b)"
    r"|(?P<speech>\bin a speech\b|\baddress(?:ing)? (?:the|a) (?:nation|parliament))"
)

# Stance cues, tried in this order (the first that matches a span wins), each bound to the
# proposal that follows it in the same clause. Negated and "refused to accept" forms come
# before the plain verbs they contain.
_NEG = r"(?:(?:did|does|do|would|will|could|can|has|have|had|is|was)\s*n[o’']t|never)\s+"
_STANCE_CUES: tuple[tuple[str, str, str], ...] = (
    (
        "noncommittal",
        "noncommittal",
        r"\b(?:stopped short of|stops short of|did not commit to|would not commit to|"
        r"(?:would|will|could|might) (?:consider|study|examine|look at)|"
        r"(?:is|was|were|are) (?:considering|studying|examining)|"
        r"noncommittal (?:on|about)|non-committal (?:on|about)|"
        r"(?:has|have|had|did) not (?:yet |immediately )?comment(?:ed)? on|"
        r"declined to comment on|no (?:immediate )?comment on|"
        # "did not say whether or not Ukraine would agree to the truce"
        r"(?:(?:did|does|do|would|will|has|have|had)\s*n[o’']t\s+(?:yet\s+)?|"
        r"(?:declin|refus)\w*\s+to\s+)"
        r"(?:say|said|indicate|confirm|decide|announce|disclose)\s+(?:whether|if)"
        r"(?:\s+or\s+not)?(?:\s+[\w-]+){0,4}?\s+(?:agree|accept|support|back|sign|join)\w*"
        r"(?:\s+(?:to|on))?|"
        # "denied having reached an agreement": no stance taken yet
        r"den(?:y|ies|ied|ying)\s+(?:having\s+)?(?:reached|agreed\s+to|accepted))",
    ),
    (
        "negated-accept",
        "rejects",
        _NEG + r"(?:\w+\s+)?(?:agree|accept|support|back|endorse|sign)\w*(?:\s+to)?",
    ),
    (
        "refused-to",
        "rejects",
        r"\b(?:refus\w*|declin\w*|unwilling)\s+(?:for now\s+)?to\s+(?:accept|agree|support|"
        r"back|sign|consider|endorse|commit)\w*(?:\s+to)?",
    ),
    (
        "rejected",
        "rejects",
        r"\b(?:reject\w*|refus\w*|ruled out|rules out|dismiss\w*|turn\w* down|"
        r"oppos\w*|spurn\w*|refusal of|sho(?:t|ots|oting) down)",
    ),
    (
        "withdrew",
        "withdraws",
        r"\b(?:withdr[ae]w\w*\s+(?:from|its|their|his|her)|pull\w* out of|"
        r"walk\w* away from|abandon\w*)",
    ),
    (
        "proposed",
        "proposed",
        r"\b(?:propos(?:e|es|ed|ing)\b(?!\s+by)|put forward|put forth|tabled|offered|offers|"
        r"suggest\w*|submit(?:s|ted|ting)?)",
    ),
    (
        "supports",
        "supports",
        r"\b(?:express\w* (?:\w+ )?support for|(?<!military )(?<!intelligence )"
        r"(?<!financial )support(?:s|ed)?(?! for (?-i:[A-Z]))|backs|(?<!-)backed|backing|"
        r"welcom\w*|endors\w*|call\w* for|urg\w+|in favou?r of|hail\w*|prais\w*|"
        r"applaud\w*|congratulat\w*|(?<!-)(?:brokered|mediated|facilitated)|"
        r"(?:push|press)(?:ed|es|ing)? for)",
    ),
    (
        "accepted",
        "accepts",
        r"\b(?:agree[ds]?(?:\s+(?:to|on|upon))?|accept\w*|approv\w*|sign\w*(?: (?:on|up) to)?|"
        r"consent\w* to|commit\w* to|ordered an? (?:pause|halt|stop|suspension|"
        r"moratorium)|responded positively to|reached|struck|clinched|sealed|"
        r"implement\w*|observ(?:e|es|ed|ing)|abid\w* by|comply\w* with|complied with|"
        r"(?:suspend|halt|stop|pause|ceas)\w*(?: all)? (?:attacks|strikes|fire|firing)"
        r"(?: on| against)?|"
        r"ready to (?:implement|observe|sign)|"
        # "confirmed the ceasefire" (not "confirmed that …", "confirmed receiving …")
        r"confirm(?:s|ed|ing)?(?=\s+(?:the|a|an|its|their|this)\b))",
    ),
    (
        "declared",
        "proposed",
        r"\b(?:declar\w*|announc\w*|order(?:s|ed)?|instruct\w*|introduc\w*|unveil\w*|"
        r"launch\w*)",
    ),
)
STANCE_CUES: tuple[tuple[str, str], ...] = tuple((name, stance) for name, stance, _ in _STANCE_CUES)
# One pass over a clause: the leftmost cue wins, and at one position the earlier entry above
# (so "refused to accept" is a refusal, not an acceptance). Group sN is STANCE_CUES[N].
STANCE_CUE = re.compile(
    "|".join(f"(?P<s{i}>{pattern}\\b)" for i, (_, _, pattern) in enumerate(_STANCE_CUES)), FLAGS
)

# Stances that follow the proposal they are about: the passive ("the deal has been agreed",
# "which was rejected by …") and a proposal as the subject ("the truce would enter into
# force only after …").
POST_STANCE = re.compile(
    r"(?:\s+(?:between|by|with|for|on|of|to|regarding|concerning|about)\b[^,;.]{0,60}?)?\s+"
    r"(?:(?P<demand>must|should|has to|have to|needs? to)\s+be\s+|"
    r"(?:has|have|had|was|were|is|are|been|being|would|will|could|can|should|must|"
    r"only|also|already|now|then|reportedly|formally|officially)\s+){1,4}"
    r"(?P<cue>(?P<accepts>agreed(?: upon| on| to)?|accepted|approved|reached|achieved|signed|"
    r"finali[sz]ed|sealed|struck|enter(?:s|ed)? into force|take(?:s)? effect|"
    r"come into force|begin|start|hold|holds|observed|implemented)"
    r"|(?P<supports>welcomed|backed|supported|endorsed|viewed favou?rably|"
    r"received positively|praised|hailed)"
    r"|(?P<rejects>rejected|refused|turned down|dismissed|spurned|ruled out|condemned))\b",
    FLAGS,
)

# A proposal named in general words: which one is meant comes from the article (the one
# named last before it, or the one the article is about).
GENERIC_PROPOSAL = re.compile(
    r"\b(?:the|a|an|this|that|its|his|their|our|such|any|both|[A-Z][\w.-]*[’']s)\s+"
    r"(?:(?:(?:[A-Z]\.){2,}-?)?[\w-]*\s+){0,3}?"
    r"(?P<head>cease-?fire|truce|deal|agreement|accord|proposal|plan|initiative|framework|"
    r"understanding|arrangement|offer|peace deal|peace agreement|peace plan|pause|halt|"
    r"moratorium|suspension|cessation|freeze|idea|exchange|swap|resolution|settlement)\b",
    FLAGS,
)
# "this deal", "the plan": in an article about one proposal, a passage about it.
# In lower case: "the Paris Agreement" is a name, and not ours.
AGREEMENT_REFERENCE = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat|[Ii]ts|[Hh]is|[Tt]heir|[Oo]ur)\s+(?:[a-z][\w-]*\s+){0,2}?"
    r"(?:deal|agreement|accord|proposal|plan|initiative|framework)\b"
)
# A party as the agent of a passive: "… was welcomed by Kyiv", "viewed favourably by Putin".
PASSIVE_AGENT = re.compile(
    r"(?:\b(?:was|were|is|are|has been|have been|had been|been)\s+(?:also\s+|widely\s+|"
    r"quickly\s+|immediately\s+)?|,\s+)"  # or a participle: "The agreement, signed by …"
    r"(?P<verb>welcomed|accepted|rejected|backed|supported|"
    r"endorsed|approved|criticized|criticised|dismissed|condemned|praised|hailed|"
    r"viewed favou?rably|received positively|signed|proposed|announced|declared|"
    r"confirmed|denied|ruled out|agreed(?:\s+(?:up)?on)?)"
    r"\s+(?:(?:on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day\s+)?by\s+(?:the\s+)?$",
    FLAGS,
)
# What a party's words are called, as a subject: "Moscow's conditions include …".
SAYING_NOUN = re.compile(
    r"[’']s\s+(?:(?:latest|new|revised|official|written|own|key|main)\s+)?"
    r"(?P<noun>conditions?|demands?|proposals?|position|response|reply|statement|offer|"
    r"counter-?proposal|message|readout|terms)\s+(?:also\s+|now\s+)?"
    r"(?P<verb>include|includes|included|are|is|was|were|call(?:s|ed)? for|calls?|"
    r"demand(?:s|ed)?|insist(?:s|ed)?|require(?:s|d)?|say(?:s)?|said|stress(?:es|ed)?)\b",
    FLAGS,
)

# A condition that needs no cue to say it is one: "Ukraine will follow our example".
SELF_CONDITION = re.compile(
    r"\b(?:follow (?:our|its|their|the|this|that) example|do(?:es)? the same|"
    r"reciprocat\w+|the other side did the same|in the same way|in kind)\b",
    FLAGS,
)
# Cues that make a condition even when what is demanded is of no known kind.
STRONG_CONDITION = re.compile(
    r"(?:contingent (?:up)?on|conditional (?:up)?on|conditioned on|on (?:the )?condition"
    r"(?: that| of)?|provided(?: that)?|providing that|as long as|only if|in exchange for|"
    r"in return for|requir\w+|precondition\w*|must first|only after|only once|unless|"
    r"(?:key|main|essential|only|first) conditions?(?: (?:is|are|include\w*|for))?|"
    r"conditions?(?: (?:also |further )?include\w*| are|:))",
    FLAGS,
)
ANYTHING = re.compile(r"\S", FLAGS)

# A general phrase qualified as broad ("a broader 30-day halt", "a full ceasefire") means
# the broad proposal, not a part of it.
BROAD_MODIFIER = re.compile(
    r"\b(?:broad(?:er)?|full|wider|complete|general|comprehensive|overall|total|lasting)\b",
    FLAGS,
)

# A general phrase that means the broad proposal rather than any of its parts.
BROAD_REFERENCE = re.compile(
    r"\bpeace (?:agreement|deal|settlement|plan)|\bsettlement\b|"
    r"\bany (?:\w+ )?(?:ceasefire|cease-fire|truce|agreement|deal)\b",
    FLAGS,
)
# An exchange said as a verb: "to swap 1,000 prisoners-of-war each", "exchange prisoners".
PRISONER_SWAP = re.compile(
    r"\bto\s+(?P<head>swap|exchange)\s+(?:[\w,-]+\s+){0,3}?"
    r"(?:prisoners|captives|POWs|detainees)\b",
    FLAGS,
)
# "support this", "accept it": a pronoun object right after a stance verb.
PRONOUN_OBJECT = re.compile(
    r"\b(?:support|accept|back|reject|endorse|welcome|agree to|sign|oppose)\w*\s+"
    r"(?P<it>this|it|that)\b(?!\s+(?:is|was|would|will|has|had)\b)",
    FLAGS,
)
# When, inside a stance's reach, counts for nothing: "agreed on Tuesday (Mar 18) on …".
WHEN_IN_GAP = re.compile(
    r"\s(?:on|this|last)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"(?:\s*\([^()]{1,20}\))?|\s(?:in principle|for now|already|also|both)\b",
    FLAGS,
)
# A part of a proposal, between a stance cue and the proposal: a partial stance.
PART_OF = re.compile(
    r"\b(?:some|certain|several|parts?|aspects?|elements?|points?|provisions?|terms?)\s+"
    r"(?:(?:aspects?|parts?|elements?|points?|provisions?|terms?)\s+)?of\b",
    FLAGS,
)
# How far back (in characters) a proposal named before a generic phrase may be.
GENERIC_REACH = 1500

# How close (in characters and in words, within one clause) a proposal must follow its
# stance cue, and what may not stand between them: a new clause, or a noun that is the real
# object ("rejected the claim that its forces hit energy infrastructure").
STANCE_REACH = 90
STANCE_GAP_WORDS = 6
STANCE_GAP_BLOCK = re.compile(
    r"\b(?:that|which|who|whether|claims?|reports?|accusations?|allegations?|"
    r"suggestions?|notion|criticism|rumou?rs?|response|reply|counter-?proposals?|"
    r"amendments?|demands?|version|objections?)\b",
    FLAGS,
)

# Judgements that carry a stance without a stance verb bound to a proposal: in a passage
# about one proposal, "a shut door" rejects it, "there is no agreement yet" is noncommittal
# and "positive results", "we thank the mediators" welcome it. Tried in this order.
IMPLIED_STANCE = re.compile(
    r"\b(?:(?P<rejects>(?:totally |completely |wholly )?unacceptable|not acceptable|"
    r"takes? us backward|shut door|(?:a |an )?(?:PR|publicity) (?:exercise|stunt)|"
    r"play(?:ing)? with human lives|(?:is|was) stalling|effectively rejected|"
    r"far beyond|unrealistic demands?|(?:a |an )?(?:hoax|sham|farce)|no reason to (?:end|stop))"
    r"|(?P<noncommittal>(?:there is|there was|there's) no [‘'“\"]?agreement|"
    r"remains? unresolved|will be made later|not yet (?:been )?(?:agreed|decided|final)|"
    r"too early to|premature|took note of|take note of|will see how|we'll see|"
    r"(?:undertaking|conducting|carrying out) an? (?:[\w-]+ ){0,4}?review|"
    r"(?:is|are|was|were) (?:still )?(?:reviewing|studying))"
    # the other side blamed for holding the deal up: "accused Hamas of reneging", "a
    # last-minute crisis", "snags in finalising" (a side's reserve, not a mediator's)
    r"|(?P<blames>reneg\w+|backtrack\w*|last[- ]minute (?:crisis|snags?|hitch\w*|"
    r"concessions?|demands?|obstacles?|changes?|problems?)|snags?|hitch(?:es)?)"
    r"|(?P<positive>welcom\w*|thank\w*|grateful|appreciat\w*|congratulat\w*|"
    r"(?:positive|good) (?:results?|outcome|step|development|meeting|response)|optimis\w*|"
    r"breakthrough|(?:will|would) (?:exchange|swap|release|free) |(?<!no )hope(?:s|d|ful)?|"
    r"(?:talked|spoke) about|discussed|(?:are|were|is) (?:also )?(?:potentially )?"
    r"(?:working on|preparing)|"
    r"pav(?:es|ed|ing) the way|(?:is|was) (?:a|the) result of|"
    r"important (?:moment|step)|step (?:toward|towards|forward|in the direction of)|"
    r"(?:ready|readiness|willing|willingness) [“\"]?to|worked out|"
    r"(?:began|has begun|is in effect|went into effect|took hold)|"
    r"(?:have|has|had) agreed|reached an? (?:agreement|understanding|deal)|"
    r"will take place|took effect|came into (?:force|effect)|"
    r"satisf\w+|success\w*|historic|lasting peace|turning point|milestone|new chapter|"
    r"(?<!not )signed|initial(?:l)?ed|inked))\b",
    FLAGS,
)

# Acceptance with changes asked for: "responded positively … and is seeking to make certain
# amendments", "accepted it with reservations".
AMENDMENTS = re.compile(
    r"\b(?:seek\w*|want\w*|request\w*|ask\w* for|demand\w*)\s+(?:to\s+(?:make|introduce)\s+)?"
    r"(?:certain\s+|some\s+|several\s+|further\s+)?(?:amendments|changes|modifications|"
    r"revisions|guarantees)\b|\bwith (?:some |certain )?(?:amendments|reservations)\b",
    FLAGS,
)

# A side holding back from a deal whatever else it says: "stopped short of confirming",
# "would only issue a formal response after …", "hoped details will be finalized" (these
# win over the welcoming words around them).
RESERVE = re.compile(
    r"\b(?:stopp(?:ed|ing) short of|(?:would|will) only (?:\w+ ){0,4}?after|"
    r"(?:details?|deal|agreement|terms) (?:will|would|could|to) be finali[sz]ed|"
    r"yet to (?:be )?(?:finali[sz]ed|confirm\w*|approv\w*|respond\w*)|"
    # parts of a plan left to be settled elsewhere: "aspects of the proposal touching on …
    # should be decided …", "Other issues mentioned in President Trump's proposal …"
    r"(?<!all )(?:aspects|parts|issues|elements|matters)\s+(?:\w+\s+)?(?:of|in)\s+"
    r"(?:the|[\w ]+?[’']s)\s+(?:[\w-]+\s+)?(?:proposal|plan|deal|agreement|initiative))",
    FLAGS,
)

# Acceptance tied to a condition, with no stance verb: "provided that the regime stops its
# aggression, we have no intention to continue", "a willingness to end the fighting if the
# other side did the same".
CONDITIONAL_ACCEPTANCE = re.compile(
    r"\b(?:provided(?: that)?|as long as|on (?:the )?condition that|if|once)\b[^.;]{0,160}?"
    r"\b(?:stops?|stopped|ends?|ended|halts?|halted|ceases?|ceased|retreat\w*|"
    r"did the same|do the same|does the same|reciprocat\w*)\b"
    # "will not release the remaining captives without a lasting ceasefire"
    r"|\b(?:(?:will|would) not|won't|wouldn't)\b[^.;]{0,80}?\b(?:without|unless)\b"
    r"|\b(?:no intention (?:to|of) continu\w*|not (?:to )?escalate|willing\w* to (?:end|stop|halt)|"
    r"would do the same|will do the same)\b",
    FLAGS,
)

# Reciprocity: the other side is to do the same. From the proposer of a truce, its condition;
# from the other side, acceptance on that condition ("we are reciprocating the silence").
RECIPROCITY = re.compile(
    r"\b(?:follow (?:this|our|the same|his|its|my) example|reciprocat\w+|mirror(?:ing|ed|s)?|"
    r"respond(?:s|ed|ing)? in kind)\b",
    FLAGS,
)

# Conditions: a cue that attaches a demand, and a category recognised from general phrases.
CONDITION_CUE = re.compile(
    r"\b(?:contingent (?:up)?on|conditional (?:up)?on|conditioned on|on (?:the )?condition"
    r"(?: that| of)?|provided(?: that)?|providing that|as long as|only if|in exchange for|"
    r"in return for|insist\w* (?:that|on)|demand\w*(?: that| (?:also )?include\w*| are)?|requir\w+|"
    r"precondition\w*|call\w* for|must first|depend\w* on|only after|only once|unless|"
    r"(?:the )?only way|"
    r"(?<!not )only (?:take|takes|enter|enters|come|comes|start|starts|begin|begins)"
    r"(?: into)?(?: effect| force)? (?:after|once|following|when)|"
    r"(?:key|main|essential|only|first) conditions?(?: (?:is|are|include\w*|for))?|"
    r"conditions?(?: (?:also |further )?include\w*| are|:)|tied (?:to|with)|linked to|"
    r"in response to demands|"
    r"(?<!even )(?<!as )(?<!asked )(?<!whether )if)\b",
    FLAGS,
)

HALT_WORD = re.compile(
    r"\b(?:cease\w*|cessation|halt\w*|stop\w*|end(?:s|ed|ing)?|suspen\w+|freez\w+|"
    r"cut\w* off|cutting off|no (?:more|further)|withdraw\w*|lift\w*|ban\w*)\b",
    FLAGS,
)

# (category, needs a halt word before it, pattern)
CONDITION_CATEGORIES: tuple[tuple[str, bool, re.Pattern[str]], ...] = tuple(
    (category, needs_halt, re.compile(pattern, FLAGS))
    for category, needs_halt, pattern in (
        (
            "halt_military_aid",
            True,
            r"\b(?:military(?: and intelligence)?|weapons?|arms|defen[cs]e)\s+"
            r"(?:aid|support|assistance|supplies|supply|deliveries|delivery|shipments|help)\b"
            r"|\b(?:deliveries|supplies|shipments|transfers) of (?:weapons|arms)\b"
            r"|\b(?:arming|rearming)\b",
        ),
        (
            "halt_intelligence_sharing",
            True,
            r"\bintelligence\s+(?:sharing|support|assistance|cooperation|help|information)\b"
            r"|\b(?:shar|provi)\w+ (?:of )?intelligence\b|\bmilitary and intelligence\b",
        ),
        (
            "mobilisation",
            True,
            r"\b(?:mobili[sz]ation|mobili[sz]ing|rearmament|conscription|recruitment|"
            r"troop build-?up)\b",
        ),
        (
            "monitoring",
            False,
            r"\b(?:monitor\w*|verification|verify|verified|observers?|inspections?)\b",
        ),
        (
            "sanctions",
            False,
            r"\bsanctions?\b|\bSWIFT\b|\b(?:lift\w*|eas\w*) (?:of )?restrictions\b|"
            r"\bbanks?\b|\bfinancial institutions?\b|\baccess to (?:the )?world market",
        ),
        (
            "territory",
            False,
            r"\b(?:territor\w+|annex\w+|occupied (?:land|lands|regions?|areas?)|"
            r"withdraw\w* (?:its |their |all )?(?:troops|forces|soldiers)|border(?:s| line)?|"
            r"(?:troops|forces|soldiers) (?:to )?withdraw\w*|withdrawal of (?:\w+ ){0,2}"
            r"(?:troops|forces|soldiers)|(?:full|complete|total) (?:\w+ )?withdrawal)\b",
        ),
        (
            "security_guarantees",
            False,
            r"\b(?:security guarantees?|peacekeep\w+|NATO membership|neutrality)\b",
        ),
        (
            "prisoners",
            False,
            r"\b(?:prisoners?|detainees?|hostages?|POWs?|captives?)\b",
        ),
        (
            "humanitarian_access",
            False,
            r"\bhumanitarian (?:aid|access|corridors?|supplies|deliveries)\b|\baid trucks\b|"
            r"\bflow of (?:humanitarian )?aid\b",
        ),
        (
            "other",
            False,
            r"\bpermanent (?:ceasefire|cease-fire|truce|peace)\b|\bend (?:to )?the war\b|"
            r"\bfollow (?:our|its|their|the|this|that) example\b|\bdo(?:es)? the same\b|"
            r"\breciproc\w+|\bmutual(?:ly)?\b|\bstops? (?:its|their) (?:\w+ )?aggression\b|"
            r"\bretreat\w*\b|\b(?:demilitari[sz]\w+|denazi\w+)|\bin the same way\b|"
            r"\bin kind\b",
        ),
    )
)

# Condition categories in the words the review screen uses.
CONDITION_LABELS = {
    "halt_military_aid": "halt to military aid",
    "halt_intelligence_sharing": "halt to intelligence sharing",
    "monitoring": "monitoring and verification",
    "mobilisation": "halt to mobilisation or rearmament",
    "territory": "territory or withdrawal",
    "sanctions": "sanctions relief",
    "security_guarantees": "security guarantees",
    "prisoners": "prisoners and detainees",
    "humanitarian_access": "humanitarian access",
    "other": "other",
}

# Words that say a text is about ceasefire negotiations even when no tracked proposal is
# named: a reference to "any peace agreement" can then be resolved to the one proposal the
# article is about.
NEGOTIATION_TERM = re.compile(
    r"\b(?:cease-?fires?|truces?|armistice|(?:peace|truce|ceasefire|cease-fire) "
    r"(?:talks|deal|agreement|plan|process|negotiations|efforts|framework|accord)|"
    r"humanitarian pause|pause in (?:the )?fighting|halt to (?:the )?fighting|"
    r"end (?:to )?the (?:war|fighting|hostilities)|"
    # a deal's stages: "the first phase", "the second and third phases"
    r"(?:first|second|third|initial|final)(?: and (?:second|third|final))?"
    r"(?: [\w-]+)? (?:phase|stage)s?)\b",
    FLAGS,
)
# Words that make a passage about the negotiations only in the paragraph that holds them or
# the one after: "talks" and "an exchange" are about many things in a long article.
NEAR_NEGOTIATION_TERM = re.compile(
    r"\b(?:talks|negotiations|prisoners?(?:-of-war)? (?:exchange|swap)s?|"
    r"(?:exchange|swap) of prisoners)\b",
    FLAGS,
)

# Prepositions that mark a party as the recipient of a demand, not the one it is made of.
RECIPIENT_BEFORE = re.compile(r"\b(?:to|for|with|from|against)\s+(?:the\s+)?$", FLAGS)

# A party named at most this many words before an aid phrase owns it ("Western military
# support", "the West cease all military aid"): that is whom the demand is made of.
OWNER_GAP = re.compile(r"(?:[’']s)?(?:\s+[\w-]+){0,3}\s+$")

# Where the words of a reported statement stop, even with no other speaker after them.
STATEMENT_STOP = re.compile(
    r"\s*(?:—|–|;|\s-\s|,\s+(?:with|while|whereas|although|though)\b)", FLAGS
)

# A sentence opening with a subordinate clause: its statement ends at the first comma.
SUBORDINATE_OPENING = re.compile(
    r"^\s*(?:Although|Though|Even though|While|Whereas|Because|Since|If|Unless|After|Before|"
    r"Once|Until)\s+$"
)

# Where a clause ends inside a sentence: a new speaker after these is a new statement.
CLAUSE_BREAK = re.compile(
    r"\s*(?:—|–|;|\s-\s|,\s+(?:as|while|whereas|which|who|although|though|but)\b|"
    r"\s+but\b|\s+while\b|\s+whereas\b)",
    FLAGS,
)

# Relative clauses whose object is the proposal named just before them.
RELATIVE_OBJECT = re.compile(r"(?:,\s*)?\b(?:which|that)\s+$", FLAGS)

# A role after a party, as a noun phrase with the party as its qualifier: "the Russian
# president", "a senior White House official", "Pakistan's Information Minister Attaullah
# Tarar", "Israeli officials". Group "role" is the role's head word.
TITLE_AFTER_PARTY = re.compile(
    r"(?:[’']s)?\s+(?:(?:[Ff]oreign|[Dd]efen[cs]e|[Ii]nterior|[Ii]nformation|[Ff]inance|"
    r"[Dd]eputy|[Pp]rime|[Ss]pecial|[Cc]hief|[Ss]enior|[Tt]op|[Pp]residential|[Nn]ational|"
    r"[Ss]ecurity|[Aa]ffairs|[Pp]eace|[Ee]xternal|[Ss]tate|[Dd]iplomatic|[Gg]overnment|"
    r"[Mm]ilitary|[Ii]ntelligence|[Jj]ustice)\s+){0,3}"
    r"(?P<role>(?i:president|leader|prime minister|premier|minister|foreign secretary|"
    r"secretary of state|"
    r"secretary|chancellor|spokes(?:man|woman|person)|official|officials|source|sources|"
    r"envoy|negotiators?|delegation|side|ministry|military|army|chief|adviser|advisor|"
    r"aide|ambassador|readout|statement|counterpart|authorities|mediators|negotiating team|"
    r"team|representatives?|diplomats?|group|movement))\b"
    r"(?:\s+(?i:spokes(?:man|woman|person)|officials?))?"  # "foreign ministry spokesman"
    r"(?:\s+of(?:\s+the)?\s+(?:Foreign|External|Internal|Home|Defen[cs]e|Justice|Information|"
    r"State)(?:\s+Affairs)?)?"  # "Israel's Ministry of Foreign Affairs"
    r"(?:\s+(?:al-|bin\s+)?[A-Z][\w’'-]+(?:\s+(?:al-|bin\s+|ibn\s+)?[A-Z][\w’'-]+){0,2})?"
)
# Offices held by one person in each of two parties: "the foreign ministers of A and B",
# "the A and B leaders".
_GROUP = (
    r"(?P<role>leaders|heads of state|presidents|prime ministers|premiers|foreign ministers|"
    r"defen[cs]e ministers|governments|delegations|negotiators|representatives|officials)"
)
GROUP_BEFORE = re.compile(r"\b[Tt]he\s+(?:two\s+)?" + _GROUP + r"\s+of\s+(?:the\s+)?$")
GROUP_AFTER = re.compile(r"(?:[’']s?)?\s+" + _GROUP + r"\b")
GROUP_ROLES = {
    "heads of state": "leader",
    "prime ministers": "prime minister",
    "premiers": "premier",
    "foreign ministers": "foreign minister",
    "defence ministers": "defence minister",
    "defense ministers": "defense minister",
}

# Roles that name one person (the others speak for an institution).
PERSON_ROLES = frozenset(
    "president leader prime minister premier minister foreign secretary secretary chancellor "
    "envoy chief adviser advisor aide ambassador counterpart".split()
)
# Words in a person's title that a role stands for ("the Russian leader" is its president).
ROLE_TITLES = {
    "leader": ("president", "prime minister", "chancellor", "leader", "king", "emir"),
    "premier": ("prime minister", "premier"),
    "foreign minister": ("foreign minister", "foreign affairs"),
    "defence minister": ("defence minister", "minister of defence", "defense minister"),
    "defense minister": ("defense minister", "minister of defense", "defence minister"),
}
# Before a party, the start of such a noun phrase.
TITLE_BEFORE_PARTY = re.compile(
    r"\b(?:[Tt]he|[Aa]n?|[Tt]wo|[Tt]hree|[Ss]everal)\s+(?:(?:senior|top|former|chief|deputy|"
    r"acting|unnamed|anonymous|high-ranking|other)\s+)*$"
)

ROLE_AFTER_PARTY = re.compile(
    r"(?:[’']s)?(?:\s+(?:spokes(?:man|woman|person)|press secretary|officials?|envoy|"
    r"negotiators?|mediators?|delegation|foreign minister|foreign ministry|ministry|government|"
    r"leader|leadership|office|press office|aides?|(?:security )?cabinet)){1,2}"
    r"(?:\s+(?:al-|bin\s+)?[A-Z][\w’'-]+){0,3}",
)

# Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    "mr mrs ms dr gen sen rep gov st jr sr lt col capt prof no vs etc jan feb mar apr jun "
    "jul aug sep sept oct nov dec u.s u.k u.n e.u adm sgt maj cmdr pres amb fig approx".split()
)

# A proposal alias qualified by a place that is no tracked party ("an immediate ceasefire in
# Gaza", "the Gaza ceasefire") names another conflict's proposal, not the tracked one.
SCOPE_AFTER = re.compile(
    r"\s+(?:in|for|between|across|over|along|throughout)\s+(?:the\s+)?(?=[A-Z])"
)
SCOPE_BEFORE = re.compile(r"(?<![.!?])\s(?P<name>[A-Z][\w’'.-]*)\s+$")
NOT_A_SCOPE = frozenset(
    "The A An This That These Those Any Its It’s Their His Her Our Your My Every No Another "
    "Such Some Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February "
    "March April May June July August September October November December Last Next New "
    "First Second Third Final Full Partial Complete Proposed Planned US-proposed".split()
)
