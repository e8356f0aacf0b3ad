"""English visits and meetings from the structure of each clause, with the document as context.

A sentence is read clause by clause (clauses end at ";", ", where", ", who", "said", ...):
- the **subject** of a trigger is the person (or co-subjects joined by "and") heading its clause, a
  pronoun or title ("he", "the Deputy Secretary") standing for the traveller the document is about,
  the relative-clause head ("Aliyev, who is on an official visit to Russia"), or a first-person
  speaker of an official text ("we traveled to Sarajevo");
- the **destinations** of a travel trigger are the places its complement lists ("will travel to
  Tbilisi, Georgia; Baku, Azerbaijan; and Yerevan, Armenia", "went from Saudi Arabia to Bahrain and
  then into Iraq"): one leg each, with the dates of its own segment, else the trip's;
- a **meeting** has its subject's country, the countries of its object ("with Moldovan officials",
  "President Aliyev"), a place (a fronted "In Seoul,", "in the Kremlin", the leg the traveller is on,
  the dateline) and a **mode**: a telephone or video contact is a ``call``, never a meeting in a city;
- a meeting in person abroad implies a visit by each participant from elsewhere.

The document frame carries the publishing government's country (state.gov, kremlin.ru; for envoys
whose title names only their posting), the traveller and leg being narrated, and the dateline.
All matching runs on a *masked* copy of the sentence: date expressions and parenthesised acronyms
("(ROK)") are blanked, so "travel March 19-23 to Bangladesh" reads as "travel to Bangladesh".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from steppewatch.extract.dates import DateMention, DateRange, find_date_ranges
from steppewatch.extract.event_lexicon import EN_CANCELLED, EN_HISTORICAL, EN_POSTPONED, TABLES, lexicon
from steppewatch.extract.gazetteer import mention_place_name
from steppewatch.extract.prefilter import Gate, PatternSet, fold
from steppewatch.extract.text import Sentence, shifted
from steppewatch.models import Event, Mention

# -- words -----------------------------------------------------------------------------------------
# Travel triggers and the complement each one takes: motion to, departure for, presence in, a direct
# object (visit), or the noun with "to" (a trip to).
_TRAVEL = re.compile(
    r"\b(?P<verb>travel(?:s|l?ed|l?ing)?|go|goes|going|went|gone|head(?:s|ed|ing)?|fl(?:y|ies|ew|ying|own)|"
    r"proceed(?:s|ed|ing)?|continu(?:e|es|ed|ing)(?:\s+on)?|c[oa]me|comes|coming|return(?:s|ed|ing)?|"
    r"mov(?:e|es|ed|ing)|journey(?:s|ed)?|"
    r"visit(?:s|ed|ing)?|tour(?:s|ed|ing)?|"
    r"arriv(?:e|es|ed|ing)|land(?:s|ed)?|stop(?:s|ped)?|stay(?:s|ed)?|remain(?:s|ed)?|"
    r"(?:begin|began|begins|start(?:s|ed)?|end(?:s|ed)?|conclud(?:e|es|ed)|wrap(?:s|ped)? up)\s+"
    r"(?:his|her|their|the|its)\s+(?:trip|visit|travel|tour|journey)|"
    r"depart(?:s|ed|ing)?|left|leav(?:e|es|ing)|"
    r"(?:trip|visit|travel|tour|journey|stops?|stopover|mission|delegation)|"
    r"be|is|are|was|were)(?:\s+(?:precisely|specifically|exactly|also|again|first))?"
    r"(?P<prep>\s+(?:on\s+to|onward\s+to|on\s+from|back\s+to|to|into|for|in|at|from|through|by|of)\b|"
    r"\s+(?=[A-Z]))", re.I)
# Issue 9 (CPU): _visits runs its scan only where a trigger can pass ``_fits``: a verb other than "be"
# (its literals, see ``prefilter``), or "be" with "in" (the only complement ``_fits`` lets "be" take).
_BE_VERBS = "|be|is|are|was|were)"
assert _TRAVEL.pattern.count(_BE_VERBS) == 1
_TRAVEL_NOT_BE = re.compile(_TRAVEL.pattern.replace(_BE_VERBS, ")"), _TRAVEL.flags)
_BE_IN = re.compile(r"\b(?:be|is|are|was|were)(?:\s+(?:precisely|specifically|exactly|also|again|first))?\s+in\b",
                    re.I)


def may_travel(masked: str, gate: Gate) -> bool:
    """False only when no ``_TRAVEL`` match of ``masked`` passes ``_fits`` (``gate``: the sentence's)."""
    return gate.may(_TRAVEL_NOT_BE) or _BE_IN.search(masked) is not None


_MOTION = re.compile(r"^(?:travel|go|went|gone|head|fl|proceed|continu|c[oa]me|coming|return|mov|journey)", re.I)
_PRESENCE = re.compile(r"^(?:arriv|land|stop|stay|remain|begin|began|start|end|conclud|wrap|be$|is$|are$|was$|were$)",
                       re.I)
_DEPART = re.compile(r"^(?:depart|left|leav)", re.I)
_NOUN = re.compile(r"^(?:trip|visit|travel|tour|journey|stops?|stopover|mission|delegation)$", re.I)
# Places a meeting or trigger sits in: "In Seoul,", "While in Beirut,", "in the Kremlin".
_FRONTED_PLACE = re.compile(r"^\W*(?:(?:Also|Then|Next|Finally|First|Afterwards|Later|There),?\s+)?"
                            r"(?:While\s+|When\s+)?(?:in|at)\s+", re.I)
_GATHERING = r"(?:summit|meeting|ministerial|conference|dialogue|consultations|session|forum|assembly|council)s?\b"
_MEET = re.compile(
    r"\b(?P<verb>meet(?:s)?(?:\s+(?:separately|jointly|also|again|virtually|later|today|bilaterally))?"
    r"(?:\s+(?:with|in\s+\w+(?:\s+\w+)?\s+with))?|meeting\s+with|"
    r"met(?:\s+(?:separately|jointly|also|again|today|later))?(?:\s+with)?|"
    r"(?:held|hold|holds|holding|have|has|had|having|conduct(?:ed|s)?)\s+(?:a\s+|an\s+|the\s+)?"
    r"(?:\w+[\s-]+){0,3}(?:talks|meetings?|consultations?|dialogues?|conversation|discussions?|lunch|dinner|"
    r"breakfast|call|summit|session)(?:\s+with)?|"
    r"talks\s+with|(?:discussions|consultations|meetings|negotiations|dialogue)\s+with|conferr(?:ed|s)?\s+with|"
    r"sat\s+down\s+with|"
    r"consult(?:s|ed|ing)?\s+with|negotiat\w+\s+with|spoke\s+(?:by\s+(?:tele)?phone\s+)?with|"
    r"(?:speak(?:s)?|spoken|talked)\s+(?:by\s+(?:tele)?phone\s+)?with|"
    r"(?:engage|engages|engaged|talk|confer)\s+(?:with|to)(?=\s+(?:the\s+|all\s+|senior\s+|[A-Z]))|"
    r"co-?chair(?:s|ed|ing)?|join(?:s|ed)?\s+(?:a|the)\s+(?:\w+\s+){0,2}meeting|"
    r"telephone\s+conversation\s+with|phone\s+(?:call|conversation)\s+with|call\s+with|"
    r"receiv(?:e|es|ed|ing)|welcom(?:e|es|ed|ing)|host(?:s|ed|ing)?|"
    r"(?:told|tells|assured|thanked)(?=\s+(?:(?:the\s+)?[A-Z][\w.’'-]*\s+){1,6})|"
    r"(?:attend(?:s|ed|ing)?|participat(?:e|es|ed|ing)\s+in|take\s+part\s+in|took\s+part\s+in|"
    r"lead(?:s|ing)?\s+(?:the\s+|a\s+)?(?:[\w.-]+\s+){0,3}delegation\s+to)\s+"
    rf"(?:the\s+|an?\s+)?(?:[\w’'.-]+\s+){{0,7}}?{_GATHERING})(?![\w-])", re.I)
_BARE_CONTACT = re.compile(r"\b(?:spoke|speaks|talked|talks|discuss\w*|conversation|exchanged|informed|told|"
                           r"assured|thanked|agreed|reaffirmed|noted|stressed|emphasi[sz]ed)\b", re.I)
_IN_PERSON = re.compile(r"\b(?:met|meet|meets|visit\w*|travel\w*|arriv\w*|in\s+person|hosted|welcomed|received)\b",
                        re.I)
_RECALLED = re.compile(r"\b(?:recent|previous|last|earlier|past|former|reached\s+(?:in\s+the\s+course\s+of|during|at)|"
                       r"results\s+of|since)\b[^.;]{0,40}$", re.I)
_UNDER_WAY = re.compile(r"\b(?:is|are|am)\s+(?:\w+\s+){0,2}(?:paying|making|on)\b|\b(?:currently|now)\b", re.I)
_EPONYM = re.compile(r"\s+(?:Process|Format|format|process|Agreements?|Accords?|Declaration|Treaty|Protocol|Group|"
                     r"Initiative|Spirit|Formula|Consensus|Memorandum|Principles)\b")
_YOU_HERE = re.compile(r"\b(?:you(?:r)?\b[^.;?!]{0,50}?\b(?:here\s+in|here\s+to|to\s+come\s+to|coming\s+to|visit\s+to)|"
                       r"welcome\s+(?:you\s+)?(?:here\s+|back\s+)?(?:to|in))\s+(?:the\s+)?", re.I)
_TITLED_GUEST = re.compile(
    r"\s+(?:the\s+)?(?:\w+\s+)?(?P<title>President|Prime\s+Minister|Premier|Chancellor|King|Emir|Sultan|"
    r"Foreign\s+Minister|Minister\s+of\s+Foreign\s+Affairs|Crown\s+Prince|Vice\s+President|Speaker|delegation|"
    r"leader|head\s+of\s+state)(?-i:\s+[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?(?=\s+of\s))?"
    r"(?:\s+of(?:\s+the)?\s+(?:Republic\s+of\s+|Kingdom\s+of\s+|State\s+of\s+)?)?",
    re.I)
_PROGRAMME = re.compile(r"\b(?:programme|program|itinerary|schedule)\b[^.;]{0,40}?\binclud(?:es|ed|e|ing)\s+"
                        r"(?:a\s+|several\s+)?(?:meetings?|talks)\s+with\s+", re.I)
_ATTEND = re.compile(
    r"\b(?:attend(?:s|ed|ing)?|(?:take|takes|took|taking)\s+part\s+in|participat(?:e|es|ed|ing)\s+in)\b", re.I)
# World regions a trip may be announced for before its countries are named.
_PURPOSE = re.compile(rf"[\s,]*(?:for|to\s+(?:attend|participate\s+in|take\s+part\s+in|join))\s+"
                      rf"(?:the\s+|an?\s+)?(?:[\w’'.-]+\s+){{0,7}}?{_GATHERING}", re.I)
_REGION = re.compile(
    r"\s*(?:the\s+)?(?:(?:Middle|Near|Far)\s+East|(?:North(?:ern)?|South(?:ern)?|East(?:ern)?|West(?:ern)?|Central|"
    r"Sub-Saharan|Southeast|South\s+and\s+Central)\s+(?:Africa|Asia|Europe|America)|Europe|Asia|Africa|"
    r"Latin\s+America|the\s+Americas|Indo-Pacific|Gulf|Persian\s+Gulf|Caucasus|South\s+Caucasus|Balkans|Baltics?|"
    r"Sahel|Horn\s+of\s+Africa|Pacific|Caribbean|Arctic|region)\b", re.I)
# Contacts whose medium the verb leaves open ("told", "spoke with"): mode unspecified, no visit implied.
_TELLING = re.compile(r"^(?:told|tells|assured|thanked|spoke|speak|spoken|talked)", re.I)
_HOSTING = re.compile(r"^(?:receiv|welcom|host)", re.I)
_PHONE = re.compile(
    r"\b(?:tele)?phone\b|\bby\s+phone\b|\bphone(?:d)?\b|\bcall(?:s|ed)?\s+(?:with|between)\b|"
    r"\b(?:held|had|holds|have|has|hold|a|the|in\s+a)\s+(?:\w+\s+){0,2}call\b|"
    r"\bcalled\s+(?=(?:President|Prime|Foreign|Minister|Chancellor|King|his|her|their|[A-Z][a-z]+\s+[A-Z]))", re.I)
_VIDEO = re.compile(
    r"\bvideo\s*-?\s*(?:conference|link|call|format|meeting|address|mode)\w*|\bvideoconferenc\w*|\bvia\s+video\b|"
    r"\bby\s+video\b|\bvirtual(?:ly)?\b|\bonline\s+(?:meeting|summit|talks|format|session)|\bteleconferenc\w*|"
    r"\bremotely\b", re.I)
_FUTURE = re.compile(
    r"\b(?:will|would|shall|'ll|plans?\s+to|planned\s+to|planning\s+to|is\s+to|are\s+to|scheduled\s+to|"
    r"expected\s+to|set\s+to|due\s+to|intends?\s+to|is\s+going\s+to|are\s+going\s+to|looks?\s+forward\s+to|"
    r"agreed\s+to|invit\w+\s+(?:\w+\s+){0,4}to|to\s+be\s+held|upcoming|forthcoming|next)\b", re.I)
_PAST = re.compile(r"\b(?:went|traveled|travelled|visited|arrived|met|held|was|were|had|returned|"
                   r"led|departed|left|came|flew|concluded|took|spent|has\s+been|have\s+been)\b", re.I)
_NOT = re.compile(r"\b(?:not|never|no\s+longer|did\s+not|didn't|won't|cannot|can't|unable\s+to)\b", re.I)
# Clause breaks: a trigger's subject is looked for after the last of these before it.
_CLAUSE_BREAK = re.compile(
    r";|:\s|\s[–—-]\s|,\s*(?:but|while|whereas|as)\s|,\s*and\s+(?=(?:he|she|they|we|it|i|will|would|is|are|was|"
    r"were|has|have|had|then|later|also|the\s+[a-z])\b)|\bwhere\b|\bwho\b|\bwhich\b|\bthat\b|\bsaid\b|"
    r"\bsays\b|\bafter\b|\bbefore\b|\bwhen\b|\bsince\b|\bfollowing\b|\bduring\b|[“”\"]", re.I)
# A pronoun or bare title standing for the traveller the document is about.
_ANAPHOR = re.compile(
    r"\b(?P<word>he|she|they|we|i|our\s+delegation|the\s+delegation|my\s+delegation|others|some\s+of\s+us|"
    r"(?:other\s+)?members\s+of\s+(?:our|the|my)\s+delegation|the\s+codel|"
    r"the\s+(?:(?:two|both)\s+)?(?:presidents|leaders|sides|ministers)|"
    r"(?:the|dr\.|mr\.|ms\.|mrs\.)\s+(?:(?:u\.s\.|us|acting|deputy|under|assistant|principal|special|senior|vice|"
    r"first|foreign|prime|secretary)\s+){0,4}(?:secretary|counsel(?:or|lor)|envoy|representative|ambassador|"
    r"president|minister|chancellor|coordinator|advis[eo]r|administrator|senator|delegation|chair(?:man)?|deputy|"
    r"speaker|director|head|official)|(?:dr|mr|ms|mrs)\.\s+[A-Z][\w'-]+|"
    r"(?:mr|madam|madame)\.?\s+(?:president|prime\s+minister|chancellor|minister))\b", re.I)
_ACTOR_NOUN = re.compile(
    r"(?:’s|'s)?\s+(?:(?:top|senior|chief|foreign|prime|deputy|vice|defen[cs]e|finance|trade|economy|"
    r"parliamentary|government|official|high-level|state|military|head\s+of)\s+)*"
    r"(?:leader|president|prime\s+minister|premier|minister|delegation|officials?|envoy|diplomat|"
    r"chancellor|king|emir|secretary|negotiators?|team|representatives?|lawmakers|parliamentarians|"
    r"counterparts?|side|head\s+of\s+state)\b", re.I)
_SENT_TITLE_WORDS = (r"envoy|representative|ambassador|secretary|counsel|coordinator|delegation|advis|assistant|"
                     r"charg|deputy|director|senator|congress|administrator|official|chief")
_TITLED_SURNAME = re.compile(
    r"\b(?P<title>(?:(?:Acting|Deputy|Under|Assistant|Principal|Special|Senior|Vice|First|Foreign|Prime|Presidential|"
    r"Secretary|Envoy|Representative|Ambassador|Minister|President|Counselor|Counsellor|Director|Coordinator|"
    r"Administrator|Senator|Chargé|Chancellor|General|Admiral)\s+){1,4})(?P<surname>[A-Z][a-zà-ÿ'’-]+)\s*$")
_COMPATRIOTS = re.compile(r"\s+(?:\w+\s+){0,2}(?:personnel|staff|embassy|citizens|nationals|troops|military|"
                          r"service\s+members|servicemembers|diplomats|community|students|businesses|veterans)\b", re.I)
# "senior officials of the four countries": a meeting in each country of the trip being narrated
_TRIP_COUNTERPARTS = re.compile(r"\b(?:officials|leaders|counterparts|representatives|governments)\s+(?:of|from|in)\s+"
                                r"(?:the\s+|these\s+|those\s+|all\s+|each\s+)?(?:two|three|four|five|six|seven|"
                                r"several|\d)?\s*(?:countries|nations|capitals|states)\b", re.I)
_FIRST_PERSON = re.compile(r"^(?:we|i|our\s+delegation|my\s+delegation|the\s+delegation|others|some\s+of\s+us|"
                           r"(?:other\s+)?members\s+of\s+(?:our|the|my)\s+delegation|the\s+codel)$", re.I)
# "a visiting delegation from Kyrgyzstan", "the visiting Uzbek president": a guest at the current place.
_VISITING = re.compile(r"\bvisiting\s+(?:(?:high-level|official|parliamentary|government|senior)\s+)*"
                       r"(?:delegations?|president|prime\s+minister|minister|leader|officials?|foreign\s+minister|"
                       r"head\s+of\s+state|counterparts?|lawmakers|parliamentarians)\s+(?:from|of)\s+", re.I)
_GROUP = re.compile(r"^the\s+(?:(?:two|both)\s+)?(?:presidents|leaders|sides|ministers)$", re.I)
# A transcript's speaker label: "President of Russia Vladimir Putin:", "Alberto Fernandez (retranslated):".
_SPEAKER_LABEL = re.compile(r"^\s*(?:\([^)]{0,40}\))?\s*:\s")
_ROLE_LABEL = re.compile(r"(?:^|\n)\s*(?:Q|Question|Moderator|Participant|Journalist|Reporter|Audience(?:\s+member)?)"
                         r"(?:\s*\([^)]{0,40}\))?\s*:\s", re.I)
# A speaker's own clause without a pronoun: "It is a pleasure to receive ...", "Let me welcome ...".
_SPEAKER_CLAUSE = re.compile(r"\b(?:it\s+is\s+(?:a\s+|my\s+|our\s+)?(?:great\s+|real\s+)?(?:pleasure|honou?r)|"
                             r"let\s+me|allow\s+me|(?:very\s+)?(?:glad|pleased|happy|delighted)\s+to)\b", re.I)
# A preposition (with title words) before a name: the name is an object, not the subject.
_OBJECT_BEFORE = re.compile(
    r"\b(?:with|by|from|to|for|on|about|against|toward|towards|between|among|including|met|meet|meets|"
    r"and\s+(?:with|to))\s+(?:(?:the|of|and|[A-Z][\w.’'-]*,?|\w+-\w+)\s+)*$")
# What may stand between two listed destinations (after masking dates and acronyms).
_LIST_GAP = re.compile(
    r"^[\s,;]*(?:(?:and|then|then\s+on\s+to|on\s+to|onward\s+to|finally|to|into|in|at|the|&|from|through|"
    r"via|before|after|later|also|ending\s+in|with\s+stops?\s+in|stops?\s+in|on|until|till|-|–)[\s,;]+)*"
    r"(?:the\s+)?"
    r"(?-i:[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2},\s+)?$", re.I)
_FIRST_GAP = re.compile(r"^[\s,;]*(?:(?:the|to|in|at|into|for|on|from|with\s+stops?\s+in|stops?\s+in|visits?\s+to|"
                        r"travel\s+to|a\s+trip\s+to|the\s+cities\s+of|the\s+capitals?\s+of|(?:kingdom|republic|state|"
                        r"sultanate|emirate|federation|principality)\s+of)\s+)*(?:the\s+)?"
                        r"(?-i:[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2},\s+)?$", re.I)
# "..., and the region": a leg whose country the text leaves open
_REGION_LEG = re.compile(r"^[\s,;]*(?:and\s+)?(?:the\s+(?:wider\s+|broader\s+)?region|other\s+countries\s+"
                         r"(?:in|of)\s+the\s+region)\b", re.I)
# Objects that make a motion verb no visit: "return to post", "go to the polls", "come to power".
_NOT_TRAVEL_AFTER = re.compile(r"^\s*(?:post|power|office|the\s+polls|terms|an?\s+agreement|a\s+conclusion|"
                               r"the\s+conclusion|light|mind|life)\b", re.I)
# Subjects that make travel no diplomatic visit: troops, ships, cargo, refugees.
_NOT_VISITORS = re.compile(
    r"\b(?:troops|forces|soldiers|servicemen|peacekeep\w+|contingent|military|warships?|ships?|aircraft|planes?|"
    r"cargo|shipments?|supplies|refugees|migrants|fighters|pilgrims|tourists|students|exchange|"
    r"businesses|companies|investors|gas|oil|trains?|trucks?|goods|weapons|arms)\b", re.I)
_TOPIC_CUT = re.compile(
    r"\s+(?:to\s+(?:discuss|review|advance|address|reaffirm|highlight|promote|strengthen|deepen|explore|"
    r"underscore|coordinate|reinforce|emphasize|express|consult|continue|build|support|engage|exchange|"
    r"demonstrate|seek|urge|sign|launch|mark|celebrate|commemorate|offer|thank)|on|about|regarding|"
    r"concerning|over|ahead\s+of|following|after|during|where|which|who|and\s+(?:will|to|discuss\w*)|"
    r"in\s+order|focused|focusing|as\s+part|amid|in\s+(?:the\s+)?wake\s+of|against|despite|that)\b|[;:.]|"
    r",\s*(?:where|which|and\s+will|to\s+discuss)", re.I)
_ACRONYM = re.compile(r"\((?:[A-Z][A-Za-z.&]{0,10}\s?){1,3}\)")
# International bodies whose officials one meets: "EU counterparts", "the NATO Secretary General".
_BODY = re.compile(r"\b(?:EU|European\s+Union|NATO|ASEAN|G-?7|G-?20|United\s+Nations|UN|OSCE|CSTO|SCO|"
                   r"Shanghai\s+Cooperation\s+Organi[sz]ation|African\s+Union|OIC|EAEU|Eurasian\s+Economic\s+Union|"
                   r"CIS|World\s+Bank|IMF|IAEA|WHO|Arab\s+League|Gulf\s+Cooperation\s+Council|GCC)\b")
_SUMMIT = re.compile(r"\b(?:summit|ministerial|conference|congress|assembly|forum|session|council|"
                     r"G-?20|G-?7|meeting\s+of)\b", re.I)


@dataclass
class Frame:
    """What the document has established so far, for clauses that leave it out."""

    home_country: str | None = None  # the publishing government's country
    published: str | None = None
    dateline: Mention | None = None
    traveller: Mention | None = None  # the person whose trip is being narrated
    legs: dict[str, Mention | None] = field(default_factory=dict)  # status -> where the traveller is/will be
    leg_dates: dict[str, str | None] = field(default_factory=dict)

    @property
    def here(self) -> Mention | None:
        """Where the narrated traveller is now (an occurred leg), else the dateline."""
        return self.legs.get("occurred") or self.dateline
    people: list[Mention] = field(default_factory=list)  # the last people named
    remote: str | None = None  # the headline says the contact was a call or a video conference
    trip: tuple[Mention, str, list[str]] | None = None  # traveller, status and countries of the last itinerary
    guest: Mention | None = None  # the foreign counterpart of the last meeting in person ("you" in a transcript)
    speaker: Mention | None = None  # who is speaking in a transcript ("Vladimir Putin: ..."): "I" and "we"


@lru_cache(maxsize=256)
def _date_ranges(text: str, anchor: dt.date | None) -> tuple[DateRange, ...]:
    """A sentence's day ranges, read once for the mask, the trip frame and every leg."""
    return tuple(find_date_ranges(text, anchor))


def _mask(text: str, dates: list[DateMention], anchor: dt.date | None = None) -> str:
    """Blank date expressions (ranges included) and parenthesised acronyms, keeping offsets."""
    spans = [(d.start, d.end) for d in dates] + [(r.start, r.end) for r in _date_ranges(text, anchor)]
    if spans:
        chars = list(text)
        for lo, hi in spans:
            lo, hi = max(0, lo), min(len(chars), hi)
            if lo < hi:
                chars[lo:hi] = " " * (hi - lo)
        text = "".join(chars)
    return _ACRONYM.sub(_blanks, text) if "(" in text else text  # an acronym is parenthesised


def _blanks(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


def _days_before(anchor: dt.date, value: str) -> int:
    """How many days before ``anchor`` a (possibly partial) ISO date ends; negative when after it."""
    try:
        if len(value) == 4:
            end = dt.date(int(value), 12, 31)
        elif len(value) == 7:
            year, month = int(value[:4]), int(value[5:7])
            end = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        else:
            end = dt.date.fromisoformat(value[:10])
    except ValueError:
        return 0
    return (anchor - end).days


def _same_person(person: Mention, others: list[Mention]) -> bool:
    """Whether ``person`` is one of ``others`` (the same entity or name, wherever it was written)."""
    key = person.entity_id or person.value or person.text
    return any((o.entity_id or o.value or o.text) == key for o in others)


def _is_object(masked: str, lo: int, position: int) -> bool:
    """Whether a name at ``position`` follows a preposition ("talks with President X"); a preposition
    inside a title ("Special Representative for Afghanistan Thomas West") does not count."""
    for m in _OBJECT_BEFORE.finditer(masked, lo, position):
        before = masked[max(0, m.start() - 30):m.start()].rstrip()
        word = before.split()[-1] if before.split() else ""
        if m.group(0).split()[0][:1].islower() and word[:1].isupper() and word.lower() not in {"he", "she", "i", "we"}:
            continue  # "Representative for", "Ambassador to": part of a title
        return True
    return False


@lru_cache(maxsize=512)  # the rules ask again for the same trigger (~3 calls per distinct question)
def _clause_start(masked: str, position: int) -> tuple[int, str | None]:
    """Where the clause holding ``position`` starts, and the word that opened it ("where", "who")."""
    start, opener = 0, None
    for m in _CLAUSE_BREAK.finditer(masked, 0, position):
        if m.end() <= position:
            start, opener = m.end(), m.group(0).strip(" ,").lower()
    return start, opener


def _clause_end(masked: str, position: int) -> int:
    m = re.compile(r";|\.\s|,\s*(?:and|but|while|whereas)\s|,\s*where\b|,\s*who\b|\bwhere\b").search(masked, position)
    return m.start() if m else len(masked)


_VIDEO_WORD = re.compile(r"видео|бейне|视频|网络|онлайн|video", re.I)
_PHONE_WORD = re.compile(r"телефон|telefon|电话|通话|通电话", re.I)


def remote_mode(text: str, gate: Gate | None = None) -> str | None:
    """"phone" or "video" when the sentence says the contact was remote (any supported language).

    ``gate``: the sentence's (``gates()``) when the caller has it (a pattern none of whose literals the
    sentence holds is not searched)."""
    if gate is None:
        gate = gates().gate(fold(text))
    if (gate.may(_VIDEO, False) and _VIDEO.search(text)) or (
            gate.may(_VIDEO_WORD, False) and _VIDEO_WORD.search(text)):
        return "video"
    if (gate.may(_PHONE, False) and _PHONE.search(text)) or (
            gate.may(_PHONE_WORD, False) and _PHONE_WORD.search(text)):
        return "phone"
    return None


# The trigger tables' patterns a sentence is gated on (see ``events``).
LEXICON_GATED = ("visit", "host", "meet", "visit_noun", "planned", "cancelled", "postponed", "denial")
MASKED_GATED = (_TRAVEL_NOT_BE, _VISITING, _YOU_HERE, _ATTEND, _MEET, _PROGRAMME, _BARE_CONTACT, _IN_PERSON)
PLAIN_GATED = (_VIDEO, _VIDEO_WORD, _PHONE, _PHONE_WORD)


@cache
def gates() -> PatternSet:
    """The prefilters of the sentence rules, one automaton: the English rules' patterns (on the masked
    copy), the remote-mode words and every trigger table's patterns (on the text as written or keyed)."""
    keys = [(p, True) for p in MASKED_GATED] + [(p, False) for p in PLAIN_GATED]
    keys += [(p, False) for language in ["en", *TABLES] for name in LEXICON_GATED
             if (p := getattr(lexicon(language), name)) is not None]
    return PatternSet(keys)


class EnglishEvents:
    """Visits, meetings and calls of one English sentence, given the document frame."""

    def __init__(self, frame: Frame, anchor: dt.date | None) -> None:
        self.frame = frame
        self.anchor = anchor

    # -- entry ---------------------------------------------------------------------------------
    def sentence(self, sentence: Sentence, mentions: list[Mention], dates: list[DateMention],
                 title: bool = False, gate: Gate | None = None) -> list[Event]:
        """The events of one sentence (``gate``: the sentence's ``gates()`` gate when the caller has it; a
        rule whose trigger words are not in the sentence is skipped, see ``prefilter``)."""
        text = sentence.text
        if gate is None:
            gate = gates().gate(fold(text))
        rel = [shifted(m, sentence.start) for m in mentions]
        people = [m for m in rel if m.kind == "person"]
        places = [m for m in rel if m.kind in {"place", "country"} and m.iso3 and m.iso3 != "SUN"
                  and m.role not in {"language", "modifier"}]
        masked = _mask(text, dates, self.anchor)
        if ":" in text:  # a speaker's or a role's label ends with a colon (masking blanks none)
            self._track_speaker(masked, people)
        mode = remote_mode(text, gate)
        if mode is None and self.frame.remote and gate.may(_BARE_CONTACT) \
                and _BARE_CONTACT.search(masked) and not (gate.may(_IN_PERSON) and _IN_PERSON.search(masked)):
            mode = self.frame.remote  # "Secretary Blinken's Call with ..." then "Blinken spoke with ..."
        elif title or (mode and gate.may(_MEET) and _MEET.search(masked)):
            self.frame.remote = mode  # a call reported: later "the presidents discussed ..." is that call
        events: list[Event] = []
        visits = [] if mode or not may_travel(masked, gate) else \
            self._visits(sentence, masked, people, places, dates, title)
        if not mode:
            if gate.may(_VISITING):
                visits += self._guests(sentence, masked, places, dates)
            if gate.may(_YOU_HERE):
                visits += self._addressee(sentence, masked, places, dates)
            if gate.may(_ATTEND):
                visits += self._attendance(sentence, masked, people, places, dates,
                                           {(v.actor_country, v.host_country) for v in visits})
        events.extend(visits)
        if gate.may(_MEET):
            events.extend(self._meetings(sentence, masked, people, places, dates, mode))
        if not any(e.type in {"meeting", "call"} for e in events):
            events.extend(self._pair_talks(sentence, masked, rel, dates, mode))
        if not mode and gate.may(_PROGRAMME):
            events.extend(self._programme(sentence, masked, dates))
        named = [p for p in people if p.iso3 or p.role]
        if named:
            self.frame.people = named
        return events

    # -- who ------------------------------------------------------------------------------------
    def _track_speaker(self, masked: str, people: list[Mention]) -> None:
        """Follow a transcript's turns: a person's label sets the speaker, "Question:" ends the turn."""
        for p in people:
            if _SPEAKER_LABEL.match(masked[p.end:]) and (p.start == 0 or re.search(
                    r"(?:^|\n)[^\n.!?:]{0,60}$", masked[:p.start])) and self._country(p):
                self.frame.speaker = p
                return
        label = _ROLE_LABEL.search(masked)
        if label:  # a journalist's or moderator's "I" is nobody's delegation
            self.frame.speaker = Mention("person", label.group(0).strip(" \n:"), label.start(), label.end(),
                                         entity_id="speaker:other")

    def _country(self, person: Mention) -> str | None:
        """A person's country: known, else the publisher's for sent officials ("Special Envoy X")."""
        if person.iso3:
            return person.iso3
        if self.frame.home_country and (person.role is None or re.search(_SENT_TITLE_WORDS, person.role, re.I)):
            return self.frame.home_country
        return None

    def _subjects(self, masked: str, position: int, people: list[Mention],
                  places: list[Mention]) -> list[Mention]:
        """The acting people of the clause that ends at ``position`` (co-subjects included)."""
        start, opener = _clause_start(masked, position)
        if opener == "who":  # "Aliyev, who is on an official visit": the relative clause's head
            head = [p for p in people if p.end <= start]
            if head and start - head[-1].end <= 12:
                return [head[-1]]
        if opener in {"before", "after", "following", "while", "when", "during", "since"} and start > len(opener) \
                and not masked[start:position].strip() and re.match(r"\s*\w+ing\b", masked[start:position + 12]):
            # "... in Astana today before visiting Tashkent": a participle shares the main clause's subject
            return self._subjects(masked, start - len(opener) - 1, people, places)
        in_clause = [p for p in people if start <= p.start and p.end <= position
                     and not _is_object(masked, max(start, p.start - 80), p.start)]
        if in_clause:
            first = in_clause[0]
            subjects = [first]
            for p in in_clause[1:]:
                gap = masked[subjects[-1].end:p.start]
                if re.fullmatch(r"\s*(?:,|and|, and|as well as|along with|together with|joined by|&)\s+"
                                r"(?:(?:the|[A-Z][\w.’'-]*|of|for|and)\s+)*", gap) and \
                        (p.entity_id or p.text) not in {s.entity_id or s.text for s in subjects}:
                    subjects.append(p)
            return subjects
        segment = masked[start:position]
        titled = _TITLED_SURNAME.search(segment)
        if titled and not any(start <= p.start < position for p in people):
            # "Assistant Secretary Robinson met ...": the traveller with that surname, else a sent official
            surname = titled.group("surname")
            known = next((p for p in [self.frame.traveller, *self.frame.people] if p is not None
                          and (p.value or p.text).split()[-1] == surname), None)
            if known is not None:
                return [known]
            if self.frame.home_country and re.search(_SENT_TITLE_WORDS, titled.group("title"), re.I):
                name = titled.group(0).strip()
                return [Mention("person", name, start + titled.start(), start + titled.end(),
                                iso3=self.frame.home_country, role=titled.group("title"), value=name)]
        for m in places:  # "the US leader", "Kazakh officials", "the Russian delegation"
            if start <= m.start and m.end <= position and m.kind == "country" and _ACTOR_NOUN.match(masked[m.end:]) \
                    and not _is_object(masked, max(start, m.start - 40), m.start):
                noun = _ACTOR_NOUN.match(masked[m.end:])
                return [Mention("person", f"{m.text}{noun.group(0)}".strip(), m.start, m.end + noun.end(),
                                iso3=m.iso3, entity_id=f"group:{m.iso3}", value=f"{m.text}{noun.group(0)}".strip())]
        anaphor = None
        for m in _ANAPHOR.finditer(segment):
            if re.match(r"(?:mr|madam|madame)\.?\s", m.group("word"), re.I) and re.match(r"\s*,", segment[m.end():]) \
                    and not segment[:m.start()].strip(" ,"):
                continue  # "Mr President, colleagues, ...": the addressee, not the subject
            anaphor = m
            break
        if anaphor is None and self.frame.speaker is not None and self.frame.speaker.iso3 \
                and _SPEAKER_CLAUSE.search(segment):
            return [self.frame.speaker]  # "It is a pleasure to receive ..." said by the speaker
        if anaphor is not None:
            word = anaphor.group("word")
            if _GROUP.match(word):
                return list({(p.iso3, p.entity_id): p for p in self.frame.people if p.iso3}.values())[:4]
            if _FIRST_PERSON.match(word):
                if self.frame.speaker is not None and word.lower() in {"i", "we"}:
                    return [self.frame.speaker] if self.frame.speaker.iso3 else []
                if self.frame.traveller is not None and self.frame.traveller.entity_id != "first-person":
                    return [self.frame.traveller]
                if self.frame.home_country:
                    return [Mention("person", word, start + anaphor.start(), start + anaphor.end(),
                                    iso3=self.frame.home_country, entity_id="first-person", value="delegation")]
                return []
            meant = self._resolve(word)
            return [replace(meant, start=start + anaphor.start(), end=start + anaphor.end())] if meant else []
        return []

    def _resolve(self, word: str) -> Mention | None:
        """The person a pronoun or title stands for: the traveller, else the last person holding it."""
        word = word.lower()
        title = re.sub(r"^(?:the|dr\.|mr\.|ms\.|mrs\.)\s+", "", word)
        if re.match(r"(?:mr|madam|madame)\.?\s", word) and self.frame.guest is not None:
            return self.frame.guest  # "Mr President" in a transcript: the guest being addressed
        if word == "they":  # only a party already travelling ("During the trip, they met ...")
            return self.frame.traveller
        if word in {"he", "she"}:
            return self.frame.traveller or (self.frame.people[0] if self.frame.people else None)
        candidates = ([self.frame.traveller] if self.frame.traveller else []) + self.frame.people
        last = title.split()[-1] if title.split() else title
        for p in candidates:
            role = (p.role or "").lower()
            if last and (last in role or last in (p.value or p.text).lower()):
                return p
        return self.frame.traveller

    # -- visits ---------------------------------------------------------------------------------
    def _visits(self, sentence: Sentence, masked: str, people: list[Mention], places: list[Mention],
                dates: list[DateMention], title: bool) -> list[Event]:
        out: list[Event] = []
        for trigger in _TRAVEL.finditer(masked):
            verb = trigger.group("verb").lower()
            prep = trigger.group("prep").strip().lower()
            if not self._fits(verb, prep):
                continue
            if _NOT_TRAVEL_AFTER.match(masked[trigger.end():]):
                continue
            subjects = self._subjects(masked, trigger.start(), people, places)
            noun = bool(_NOUN.match(verb))
            if noun:
                owner = self._owner(masked, trigger, people)
                subjects = owner or subjects
                clause_start, opener = _clause_start(masked, trigger.start())
                if not subjects and opener in {"during", "after", "before", "following", "since", "while"}:
                    subjects = self._subjects(masked, max(0, clause_start - len(opener) - 1), people, places)
                if not subjects and self.frame.traveller is not None and (re.search(
                        r"\b(?:the|his|her|their|this)\s+(?:[\w-]+\s+){0,2}$", masked[:trigger.start()], re.I)
                        or re.search(r"\b(?:the|his|her|their|this)\s+(?:[\w-]+\s+){0,2}(?:trip|visit|travel|tour)\b",
                                     masked[_clause_start(masked, trigger.start())[0]:trigger.start()], re.I)):
                    subjects = [self.frame.traveller]  # "The 11-day trip will include stops in ..."
            if not subjects:
                continue
            start, _ = _clause_start(masked, trigger.start())
            if _NOT_VISITORS.search(masked[start:trigger.start()]) and not any(
                    s.start >= start for s in subjects):
                continue
            after = trigger.end()
            if noun and prep in {"by", "of"}:  # "the visit by Israeli Foreign Minister Lapid to Morocco"
                owner_after = [p for p in people if trigger.end() <= p.start <= trigger.end() + 60]
                if not owner_after:
                    continue
                subjects, after = owner_after[:1], owner_after[0].end
            legs = self._destinations(masked, after, places)
            if not legs:
                if _REGION.match(masked[after:]):  # "traveled to the Middle East June 13-17": the trip's frame
                    status = self._status(masked, trigger.start(), dates, title or noun)
                    ranges = _date_ranges(sentence.text, self.anchor)
                    if status in {"planned", "occurred"}:
                        self._set_leg(subjects[0], None, status, ranges[0].first if ranges else None)
                continue
            status = self._status(masked, trigger.start(), dates, title or noun)
            if status is None:
                continue
            for subject in subjects:
                country = self._country(subject)
                if country is None:
                    continue
                for index, leg in enumerate(legs):
                    if leg.iso3 == country:
                        continue  # travel inside one's own country
                    if prep == "from" and index == 0 and not _MOTION.match(verb):
                        continue
                    next_start = legs[index + 1].start if index + 1 < len(legs) else len(masked)
                    date, date_end, precision = self._leg_date(sentence.text, dates, trigger.start(), leg,
                                                               next_start, status)
                    out.append(Event(
                        type="visit", actor=subject.value or subject.text, actor_country=country,
                        host_country=leg.iso3, place=_place(leg), date=date, date_end=date_end,
                        date_precision=precision, status=status, evidence=sentence.text,
                        evidence_start=sentence.start, evidence_end=sentence.end,
                        format="multilateral" if _SUMMIT.search(masked) else "bilateral",
                        confidence=0.8, mode="in_person"))
            if status in {"planned", "occurred"} and subjects:
                countries_of_legs = [leg.iso3 for leg in legs if leg.iso3]
                self.frame.trip = (subjects[0], status, countries_of_legs)
            leg_end = legs[-1].end
            country_after = next((m for m in places if m.kind == "country" and re.fullmatch(
                r"\s*,\s*", masked[leg_end:m.start])), None)
            if country_after is not None:  # "Madrid, Spain, for the NATO Summit": past the leg's country
                leg_end = country_after.end
            purpose = _PURPOSE.match(masked[leg_end:])
            if purpose and status in {"planned", "occurred"}:  # "travel to Madrid, Spain, for the NATO Summit"
                for subject in subjects[:1]:
                    country = self._country(subject)
                    if country and legs[-1].iso3 and legs[-1].iso3 != country:
                        out.append(replace(out[-1] if out else Event(
                            type="meeting", actor=None, actor_country=None, host_country=None, place=None, date=None,
                            status=status, evidence=sentence.text, evidence_start=sentence.start,
                            evidence_end=sentence.end), type="meeting", actor=subject.value or subject.text,
                            actor_country=country, host_country=legs[-1].iso3, place=_place(legs[-1]),
                            participants=(country, legs[-1].iso3), format="multilateral", mode="in_person",
                            confidence=0.6))
            if len({leg.iso3 for leg in legs}) == 1 and status in {"planned", "occurred"}:
                self._set_leg(subjects[0], legs[-1], status, out[-1].date if out else None)
            elif subjects and status in {"planned", "occurred"}:
                self._set_leg(subjects[0], None, status, None)
        return out

    def _attendance(self, sentence: Sentence, masked: str, people: list[Mention], places: list[Mention],
                    dates: list[DateMention], known: set[tuple[str | None, str | None]]) -> list[Event]:
        """"attend a summit in Switzerland", "take part in the Beijing Olympics": a visit to the event's place."""
        out: list[Event] = []
        for trigger in _ATTEND.finditer(masked):
            end = _TOPIC_CUT.search(masked, trigger.end())
            stop = min(end.start() if end else len(masked), trigger.end() + 80)
            venue = next((m for m in places if trigger.end() <= m.start < stop and m.value != "demonym" and (
                re.search(r"\b(?:in|at)\s+(?:the\s+)?$", masked[max(0, m.start - 12):m.start])
                or (m.kind == "place" and re.match(r"\s+[A-Z]", masked[m.end:])
                    and not _EPONYM.match(masked[m.end:])))), None)
            if venue is None:
                continue
            subjects = self._subjects(masked, trigger.start(), people, places)
            status = self._status(masked, trigger.start(), dates, False)
            if not subjects or status is None:
                continue
            for subject in subjects:
                country = self._country(subject)
                if country is None or country == venue.iso3 or (country, venue.iso3) in known:
                    continue
                date, date_end, precision = self._leg_date(sentence.text, dates, trigger.start(), venue, stop, status)
                out.append(Event(
                    type="visit", actor=subject.value or subject.text, actor_country=country,
                    host_country=venue.iso3, place=_place(venue), date=date, date_end=date_end,
                    date_precision=precision, status=status, evidence=sentence.text,
                    evidence_start=sentence.start, evidence_end=sentence.end, format="multilateral",
                    confidence=0.7, mode="in_person"))
        return out

    def _addressee(self, sentence: Sentence, masked: str, places: list[Mention],
                   dates: list[DateMention]) -> list[Event]:
        """"Thank you for being here in Russia", "Welcome to Moscow": the guest of a transcript visits."""
        guest = self.frame.guest
        if guest is None:
            return []
        out: list[Event] = []
        for m in _YOU_HERE.finditer(masked):
            venue = next((p for p in places if p.start == m.end() or (
                m.end() <= p.start <= m.end() + 5 and not masked[m.end():p.start].strip(" the"))), None)
            country = self._country(guest)
            if venue is None or country is None or venue.iso3 == country:
                continue
            date, date_end, precision = self._leg_date(sentence.text, dates, m.start(), venue, len(masked), "occurred")
            out.append(Event(
                type="visit", actor=guest.value or guest.text, actor_country=country, host_country=venue.iso3,
                place=_place(venue), date=date, date_end=date_end, date_precision=precision, status="occurred",
                evidence=sentence.text, evidence_start=sentence.start, evidence_end=sentence.end, confidence=0.5,
                mode="in_person"))
        return out

    def _guests(self, sentence: Sentence, masked: str, places: list[Mention],
                dates: list[DateMention]) -> list[Event]:
        """"a visiting delegation from Kyrgyzstan": a visit to where the text is (the leg, the dateline)."""
        here = self.frame.here
        out: list[Event] = []
        for m in _VISITING.finditer(masked):
            guest = next((p for p in places if p.start == m.end() or (
                m.end() <= p.start <= m.end() + 12 and re.fullmatch(r"\s*the\s*", masked[m.end():p.start]))), None)
            if guest is None or here is None or guest.iso3 == here.iso3:
                continue
            status = self._status(masked, m.start(), dates, False) or "occurred"
            date, date_end, precision = self._leg_date(sentence.text, dates, m.start(), guest, len(masked), status)
            out.append(Event(
                type="visit", actor=f"delegation of {guest.text}", actor_country=guest.iso3, host_country=here.iso3,
                place=_place(here), date=date, date_end=date_end, date_precision=precision, status=status,
                evidence=sentence.text, evidence_start=sentence.start, evidence_end=sentence.end,
                confidence=0.5, mode="in_person"))
        return out

    @staticmethod
    def _fits(verb: str, prep: str) -> bool:
        """Whether the trigger word takes this complement ("travel to", "arrive in", "visit X")."""
        if _MOTION.match(verb):
            return prep in {"to", "into", "on to", "onward to", "back to", "from"} or (
                verb.startswith("travel") and prep in {"in", "through"})
        if _DEPART.match(verb):
            return prep in {"for", "to"}
        if verb.startswith("visit") and verb != "visit" and verb != "visits":
            return prep in {"", "to", "in"} or prep == ""
        if verb in {"visit", "visits", "tour", "tours", "toured", "touring"}:
            return prep in {"", "to", "by", "of"}
        if _NOUN.match(verb):
            return (prep in {"to", "in"} and verb not in {"delegation", "mission"}) or prep == "to"
        if re.match(r"^(?:be|is|are|was|were)$", verb):
            return prep == "in"
        if re.search(r"\b(?:trip|visit|travel|tour|journey)$", verb):  # "concluded their visit to Yemen"
            return prep in {"in", "at", "to"}
        if _PRESENCE.match(verb):
            return prep in {"in", "at"}
        return False

    def _owner(self, masked: str, trigger: re.Match[str], people: list[Mention]) -> list[Mention]:
        """The traveller of a noun ("Sherman's travel to", "the visit of Mirziyoyev to")."""
        before = [p for p in people if p.end <= trigger.start() and trigger.start() - p.end <= 40
                  and re.fullmatch(r"(?:’s|'s)?\s*(?:\w+\s+){0,3}", masked[p.end:trigger.start()])]
        if before:
            return [before[-1]]
        of = re.match(r"\s+(?:of|by)\s+", masked[trigger.end() - len(trigger.group("prep")):])
        if of:
            after = [p for p in people if p.start >= trigger.start() and p.start - trigger.end() <= 60]
            return after[:1]
        return []

    def _destinations(self, masked: str, after: int, places: list[Mention]) -> list[Mention]:
        """The places a travel trigger lists, one per city (or country when no city is named)."""
        legs: list[Mention] = []
        position = after
        for m in places:
            if m.start < position:
                continue
            gap = masked[position:m.start]
            ok = _FIRST_GAP.fullmatch(gap) if not legs else _LIST_GAP.fullmatch(gap)
            if legs and not ok and re.fullmatch(r"[\s,]*", gap) is None:
                # "Tbilisi, Georgia": the country names the city's state; skip it
                break
            if not legs and not ok:
                break
            if m.kind == "country" and m.value == "demonym":
                if re.match(r"\s+(?:capital|city|port|town|resort)\b", masked[m.end:]):
                    position = m.end + len(re.match(r"\s+\w+", masked[m.end:]).group(0))
                    continue  # "the Uzbek capital Tashkent"
                break
            if legs and m.iso3 == legs[-1].iso3 and re.fullmatch(r"[\s,]*(?:the\s+)?", gap):
                if m.kind == "place" and legs[-1].kind != "place":
                    legs[-1] = m  # "the Kazakh capital Astana"
                position = m.end
                continue
            legs.append(m)
            position = m.end
        if legs and _REGION_LEG.match(masked[position:]):
            region = _REGION_LEG.match(masked[position:])
            legs.append(Mention("place", "the region", position + region.start(), position + region.end()))
        return legs

    def _status(self, masked: str, position: int, dates: list[DateMention], nominal: bool) -> str | None:
        """planned / occurred / cancelled / postponed / historical, or None for a proposal or denial."""
        start, _ = _clause_start(masked, position)
        before = masked[start:position]
        window = masked[max(0, position - 80):min(_clause_end(masked, position), position + 200)]
        if EN_CANCELLED.search(window):
            return "cancelled"
        if EN_POSTPONED.search(window):
            return "postponed"
        if _NOT.search(before[-40:]):
            return None
        if re.search(r"\b(?:propos\w+|suggest\w+|hope[sd]?\s+to|would\s+like\s+to|could|might|may|ready\s+to|"
                     r"invit\w+(?:\s+\w+){0,5}\s+to)\s+(?:\w+\s+){0,3}$", before, re.I) or re.search(
                r"\b(?:advisable|necessary|important|should|need\s+to|must|it\s+is\s+time\s+to|propos\w+|"
                r"suggest\w+|call(?:ed|s)?\s+for|urge[sd]?)\b",
                before, re.I):
            return None  # a proposal or a wish, not a plan
        if re.search(r"\b(?:had|was|were|got)\s+(?:a|an|the)\s+(?:\w+\s+)?(?:chance|opportunity|privilege|honou?r|"
                     r"occasion)\s+to\s+(?:\w+\s+){0,2}$", before, re.I):
            return "occurred"  # "we had a chance to meet with ..."
        if re.search(r"\b(?:pleased|delighted|glad|happy|honou?red|pleasure|good)\s+to\s+(?:\w+\s+){0,2}$",
                     before, re.I):
            return "occurred"  # "I am delighted to welcome ...", "happy to have this meeting": happening now
        if re.search(r"\bto\s+$", before) and not _FUTURE.search(before) and re.search(
                r"\b(?:went|traveled|travelled|flew|came|returned|arrived|headed)\b", before, re.I):
            return "occurred"  # "we traveled to Sarajevo to talk to ...": the purpose of a trip made
        if _FUTURE.search(before) or re.search(r"\bto\s+$", before) or _clause_start(masked, position)[1] in {
                "before"}:
            return "planned"
        if EN_HISTORICAL.search(masked[max(0, position - 60):position + 60]):
            years = [d for d in dates if d.precision == "year" and d.value and self.anchor
                     and int(d.value[:4]) < self.anchor.year]
            if years or re.search(r"\b(?:last visited|first visited|previous(?:ly)?|former)\b", window, re.I):
                return "historical"
        old = [d for d in dates if d.value and self.anchor and d.precision in {"day", "month", "year"}
               and abs(d.start - position) < 80]
        if old and self.anchor:
            nearest = min(old, key=lambda d: abs(d.start - position))
            try:
                when = dt.date.fromisoformat((nearest.value + "-01-01")[:10] if len(nearest.value) == 4 else
                                             (nearest.value + "-01")[:10])
            except ValueError:
                when = None
            if (when is not None and (self.anchor - when).days > 120 and nearest.precision != "day") or (
                    when is not None and (self.anchor - when).days > 365):
                return "historical"
            if when is not None and when > self.anchor and not _PAST.search(masked[start:position + 20]):
                return "planned"
        if nominal:
            recalled = [d for d in dates if d.value and self.anchor and d.value[:4].isdigit()
                        and (_days_before(self.anchor, d.value) > 30
                             or (len(d.value) == 7 and d.value < self.anchor.isoformat()[:7]))]  # "last month's"
            if _RECALLED.search(masked[max(0, position - 60):position]) or recalled:
                return "historical"  # "Aliyev's recent visit to Ukraine", "agreements reached during the visit"
            if _UNDER_WAY.search(before):
                return "occurred"  # "who is paying an official visit to Russia"
            return "unspecified"  # "his visit to X": the tense comes from another report of it, else occurred
        return "occurred"

    def _leg_date(self, text: str, dates: list[DateMention], trigger: int, leg: Mention, next_start: int,
                  status: str) -> tuple[str | None, str | None, str]:
        """The leg's own dates (between it and the next leg), else the trip's, else the frame's."""
        ranges = _date_ranges(text, self.anchor)
        own_ranges = [r for r in ranges if leg.end <= r.start < next_start]
        if own_ranges:
            return own_ranges[0].first, own_ranges[0].last, "day"
        own = [d for d in dates if d.value and leg.end <= d.start < next_start and d.precision == "day"]
        if own:
            return own[0].value, None, "day"
        if ranges:
            return ranges[0].first, ranges[0].last, "day"
        usable = [d for d in dates if d.value and d.precision in {"day", "week"}]
        if usable:
            nearest = min(usable, key=lambda d: abs(d.start - trigger))
            return nearest.value, None, nearest.precision
        coarse = [d for d in dates if d.value]
        if coarse:
            nearest = min(coarse, key=lambda d: abs(d.start - trigger))
            return nearest.value, None, nearest.precision
        if status == "occurred" and self.frame.published:
            return self.frame.published, None, "day"
        return None, None, "unknown"

    def _set_leg(self, traveller: Mention, leg: Mention | None, status: str, date: str | None) -> None:
        self.frame.traveller = traveller
        self.frame.legs[status] = leg
        self.frame.leg_dates[status] = date

    # -- meetings ---------------------------------------------------------------------------------
    def _meetings(self, sentence: Sentence, masked: str, people: list[Mention], places: list[Mention],
                  dates: list[DateMention], mode: str | None) -> list[Event]:
        out: list[Event] = []
        seen: set[tuple[frozenset[str], str | None, tuple[str | None, ...]]] = set()
        for trigger in _MEET.finditer(masked):
            verb = trigger.group("verb").lower()
            if re.search(r"\b(?:about|on|regarding|concerning|of|the\s+progress\s+of|the\s+results\s+of)\s+"
                         r"(?:the\s+|his\s+|her\s+|their\s+|these\s+|recent\s+)*$", masked[max(0, trigger.start() - 40):
                                                                                      trigger.start()]):
                continue  # "told him about meetings with the US": the meeting is a topic
            hosting = bool(_HOSTING.match(verb))
            telling = bool(_TELLING.match(verb))  # "told Foreign Minister X that ...": a contact, medium unknown
            titled = self._titled_guest(masked, trigger.end(), places)
            if hosting and titled is None and not any(0 <= p.start - trigger.end() <= 50 and re.fullmatch(
                    r"\s*(?:(?:the|his|her|their|[A-Z][\w.’'-]*|of|and|to)\s+)*", masked[trigger.end():p.start])
                    for p in people):
                continue  # "welcomes the visit", "received a letter": a person must be the one received
            subjects = self._subjects(masked, trigger.start(), people, places)
            if not subjects:
                subjects = self._country_subjects(masked, trigger.start(), places)
            if not subjects:
                continue
            start, _ = _clause_start(masked, trigger.start())
            end = _TOPIC_CUT.search(masked, trigger.end())
            stop = end.start() if end else len(masked)
            counterparts = [p for p in people if trigger.end() <= p.start < stop and p not in subjects]
            if titled is not None and not counterparts:
                counterparts = [titled]  # "welcome the President of Mongolia to Moscow"
            if (hosting or telling) and not counterparts:
                continue
            object_countries = [m.iso3 for m in places if trigger.end() <= m.start < stop
                                and m.kind == "country" and m.iso3]
            status = self._status(masked, trigger.start(), dates, False)
            if status is None:
                continue
            actor = subjects[0]
            actor_country = self._country(actor)
            if actor_country is None:
                continue
            trip = self.frame.trip
            if not mode and trip is not None and _same_person(trip[0], subjects) and len(trip[2]) > 1 \
                    and _TRIP_COUNTERPARTS.search(masked, trigger.end(), stop + 40):
                date, date_end, precision = self._meeting_date(sentence.text, dates, trigger.start(), status)
                for country in dict.fromkeys(c for c in trip[2] if c != actor_country):
                    out.append(Event(
                        type="meeting", actor=actor.value or actor.text, actor_country=actor_country,
                        host_country=country, place=None, date=date, date_end=date_end, date_precision=precision,
                        status=status, evidence=sentence.text, evidence_start=sentence.start,
                        evidence_end=sentence.end, confidence=0.5, participants=(actor_country, country),
                        mode="in_person"))
                continue
            several = [] if mode else self._coordinated_places(masked, start, trigger, places, stop)
            if len({m.iso3 for m in several}) > 1:  # "In Armenia and Azerbaijan, X will meet ...": one each
                for venue in several:
                    if venue.iso3 == actor_country:
                        continue
                    unique = (actor_country, str(venue.iso3))
                    date, date_end, precision = self._meeting_date(sentence.text, dates, trigger.start(), status)
                    out.append(Event(
                        type="meeting", actor=actor.value or actor.text, actor_country=actor_country,
                        host_country=venue.iso3, place=_place(venue), date=date, date_end=date_end,
                        date_precision=precision, status=status, evidence=sentence.text,
                        evidence_start=sentence.start, evidence_end=sentence.end, format="bilateral",
                        confidence=0.6, participants=unique, mode="in_person"))
                continue
            place, explicit = self._meeting_place(masked, start, trigger, places, stop, mode, status)
            counterpart_countries = [c for c in (p.iso3 for p in counterparts) if c]
            countries: list[str] = [actor_country]
            for s in subjects[1:]:
                c = self._country(s)
                if c:
                    countries.append(c)
            countries += counterpart_countries + [c for c in object_countries if c]
            countries = _real_countries(countries)
            host = place.iso3 if place is not None else None
            compatriots = not [c for c in counterpart_countries + object_countries if c != actor_country] and any(
                m.iso3 == actor_country and _COMPATRIOTS.match(masked[m.end:]) for m in places
                if trigger.end() <= m.start < stop)  # "meet U.S. military personnel", "Embassy staff"
            body = _BODY.search(masked, trigger.end(), stop) if len(set(countries)) == 1 and not (
                hosting or telling or _ATTEND.match(verb) or re.match(r"lead", verb)) else None
            if host and mode is None and len(set(countries)) == 1 and host != actor_country and not compatriots \
                    and body is None:
                countries.append(host)  # "met with senior government officials" abroad: the host's
            unique = tuple(dict.fromkeys(_real_countries(countries)))  # the host appended since
            if len(unique) < 2 and body is None:
                continue  # one country and no international body met: nobody to meet
            key = (frozenset(unique), place.iso3 if place else None, tuple(p.entity_id or p.text for p in counterparts))
            if key in seen:
                continue
            seen.add(key)
            date, date_end, precision = self._meeting_date(sentence.text, dates, trigger.start(), status)
            kind = "call" if mode else "meeting"
            event_mode = mode or ("unspecified" if telling else "in_person" if place is not None
                                  or re.match(r"met|meet|held|hold|talks", verb) else "unspecified")
            out.append(Event(
                type=kind, actor=actor.value or actor.text, actor_country=actor_country,
                host_country=host if not mode else None, place=_place(place) if place is not None and not mode
                else None, date=date, date_end=date_end, date_precision=precision, status=status,
                evidence=sentence.text, evidence_start=sentence.start, evidence_end=sentence.end,
                counterpart=", ".join(dict.fromkeys(p.value or p.text for p in counterparts))
                or (body.group(0) if body else None),
                format="multilateral" if len(unique) > 2 or _SUMMIT.search(masked) else "bilateral",
                confidence=0.7, participants=unique, mode=event_mode))
            if place is not None and not mode and host:
                foreign = [p for p in subjects + counterparts if self._country(p) not in {None, host}]
                if foreign:
                    self.frame.guest = foreign[0]
            if explicit and place is not None and status in {"occurred", "planned"} and actor_country != host:
                self._set_leg(actor, place, status, date)  # "met Tokayev in Astana": the traveller is there
            if place is not None and not mode and not telling and host and status in {"occurred", "planned"}:
                present = subjects + counterparts
                for person in present:
                    country = self._country(person)
                    if country and country != host:
                        out.append(Event(
                            type="visit", actor=person.value or person.text, actor_country=country,
                            host_country=host, place=_place(place), date=date, date_end=date_end,
                            date_precision=precision, status=status, evidence=sentence.text,
                            evidence_start=sentence.start, evidence_end=sentence.end,
                            format="bilateral", confidence=0.5, mode="in_person"))
        return out

    def _programme(self, sentence: Sentence, masked: str, dates: list[DateMention]) -> list[Event]:
        """"his programme includes a meeting with the Prime Minister, the heads of both chambers and ...":
        one planned meeting of the guest with each host named in the list."""
        m = _PROGRAMME.search(masked)
        guest, here = self.frame.guest, self.frame.here
        if m is None or guest is None or here is None or self._country(guest) in {None, here.iso3}:
            return []
        end = _TOPIC_CUT.search(masked, m.end())
        items = [i for i in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s+as\s+well\s+as\s+",
                                     masked[m.end():end.start() if end else len(masked)])
                 if i.strip() and not re.match(r"\s*(?:an?\s+)?(?:trip|visit|tour|excursion|ceremony|concert)\b", i)]
        date, date_end, precision = self._meeting_date(sentence.text, dates, m.start(), "planned")
        return [Event(type="meeting", actor=guest.value or guest.text, actor_country=self._country(guest),
                      host_country=here.iso3, place=_place(here), date=date, date_end=date_end,
                      date_precision=precision, status="planned", evidence=sentence.text,
                      evidence_start=sentence.start, evidence_end=sentence.end, counterpart=item.strip(),
                      confidence=0.5, participants=(str(self._country(guest)), str(here.iso3)), mode="in_person")
                for item in items[:6]]

    def _pair_talks(self, sentence: Sentence, masked: str, mentions: list[Mention], dates: list[DateMention],
                    mode: str | None) -> list[Event]:
        """"the results of the Russian-Mongolian talks": a meeting of the two countries the adjectives name."""
        out: list[Event] = []
        countries = [m for m in mentions if m.kind == "country" and m.iso3]
        for first in countries:
            second = next((m for m in countries if m.start == first.end + 1 and masked[first.end] in "-–"), None)
            if second is None or second.iso3 == first.iso3:
                continue
            after = re.match(r"\s+(?:(?:bilateral|official|summit|high-level|intergovernmental|strategic)\s+)*"
                             r"(talks|negotiations|consultations|summit|meeting)\b", masked[second.end:])
            if after is None or re.search(r"\b(?:about|on|of\s+future)\s+(?:the\s+)?$", masked[:first.start]):
                continue
            status = self._status(masked, first.start, dates, False) or "occurred"
            place = None if mode else self.frame.here
            date, date_end, precision = self._meeting_date(sentence.text, dates, first.start, status)
            out.append(Event(
                type="call" if mode else "meeting", actor=first.text, actor_country=first.iso3,
                host_country=place.iso3 if place else None, place=_place(place), date=date, date_end=date_end,
                date_precision=precision, status=status, evidence=sentence.text, evidence_start=sentence.start,
                evidence_end=sentence.end, counterpart=second.text, confidence=0.5,
                participants=(str(first.iso3), str(second.iso3)), mode=mode or "unspecified"))
        return out

    @staticmethod
    def _titled_guest(masked: str, position: int, places: list[Mention]) -> Mention | None:
        """A guest named by office only: "the President of Mongolia", "the Mongolian President"."""
        m = _TITLED_GUEST.match(masked[position:])
        if m is None:
            return None
        at = position + m.end()
        country = next((p for p in places if p.kind == "country" and (p.start == at or (
            p.start < at and position + m.start("title") - p.end <= 2 and p.start >= position))), None)
        if country is None:
            return None
        return Mention("person", " ".join([m.group(0).strip()] + ([country.text] if country.start >= at else [])),
                       position + m.start(), at + (len(country.text) if country.start >= at else 0),
                       iso3=country.iso3, entity_id=f"office:{country.iso3}", role=m.group("title"))

    def _country_subjects(self, masked: str, position: int, places: list[Mention]) -> list[Mention]:
        """Countries acting as a whole ("the United States and Nigeria convened")."""
        start, _ = _clause_start(masked, position)
        found = [m for m in places if start <= m.start and m.end <= position and m.kind == "country"
                 and m.role in {None, "actor"} and m.value != "demonym"
                 and re.fullmatch(r"\W*(?:(?:the|The|and|[A-Z][\w.’'-]*,?)\s+)*", masked[start:m.start])]
        return [replace(m, kind="person", entity_id=f"country:{m.iso3}", value=m.text) for m in found[:3]]

    def _meeting_place(self, masked: str, clause_start: int, trigger: re.Match[str], places: list[Mention], stop: int,
               mode: str | None, status: str) -> tuple[Mention | None, bool]:
        """Where a meeting happens (and whether the sentence says it): its own clause, a fronted "In X,",
        a "where" clause's antecedent, a venue; else the leg the traveller is on, the dateline."""
        if mode:
            return None, False
        found = self._place_in_sentence(masked, clause_start, trigger, places, stop)
        if found is not None:
            return found, True
        if status == "planned" and self.frame.legs.get("planned") is not None:
            return self.frame.legs["planned"], False
        return self.frame.here, False

    def _coordinated_places(self, masked: str, clause_start: int, trigger: re.Match[str], places: list[Mention],
                            stop: int) -> list[Mention]:
        """Places a meeting sentence coordinates: "In Armenia and Azerbaijan, ...", "dialogues in Bangladesh
        and Sri Lanka and consultations in New Delhi"."""
        found: list[Mention] = []
        for m in places:
            if m.value == "demonym":
                continue
            fronted = m.start < trigger.start() and (_FRONTED_PLACE.match(masked[:m.start]) or (
                found and found[-1].start < trigger.start()
                and re.fullmatch(r"\s*(?:,|and|, and)\s*(?:the\s+)?", masked[found[-1].end:m.start])))
            after = trigger.start() < m.start < stop and (
                re.search(r"\b(?:in|at)\s+(?:the\s+)?$", masked[max(0, m.start - 12):m.start]) or (
                    found and found[-1].start > trigger.start()
                    and re.fullmatch(r"\s*(?:,|and|, and)\s*(?:the\s+)?", masked[found[-1].end:m.start])))
            if fronted or after:
                found.append(m)
        return found

    def _place_in_sentence(self, masked: str, clause_start: int, trigger: re.Match[str], places: list[Mention],
                           stop: int) -> Mention | None:
        sentence_start = masked[:clause_start]
        for m in places:
            before = masked[max(0, m.start - 30):m.start]
            if m.start < trigger.start() and _FRONTED_PLACE.match(masked[:m.start]) and m.kind in {"place", "country"}:
                return m
            if trigger.start() < m.start < stop and \
                    re.search(r"\b(?:in|at)\s+(?:the\s+)?(?:\w+\s+(?:capital|city)\s+)?$|"
                              r"^(?:welcom|receiv|host).*\bto\s+$", before if not _HOSTING.match(trigger.group("verb"))
                              else masked[trigger.start():m.start]) \
                    and m.value != "demonym":
                return m
        opener = re.search(r"\bwhere\s*$", sentence_start.strip()[-8:] + " ") if sentence_start else None
        if opener or re.search(r"\bwhere\b", masked[max(0, clause_start - 8):clause_start]):
            earlier = [m for m in places if m.end <= clause_start and m.value != "demonym"]
            if earlier:
                return earlier[-1]
        venue = re.search(r"\b(?:in|at)\s+the\s+(Kremlin|White House|Élysée|Elysee|Ak ?Orda|Akorda|"
                          r"Great Hall of the People|Zhongnanhai|Novo-Ogaryovo|Bocharov Ruchei)\b", masked)
        if venue:
            city, iso3 = _VENUES_EN[venue.group(1).lower().replace(" ", "")]
            return Mention("place", city, venue.start(1), venue.end(1), iso3=iso3, entity_id="venue")
        return None

    def _meeting_date(self, text: str, dates: list[DateMention], trigger: int,
                      status: str) -> tuple[str | None, str | None, str]:
        usable = [d for d in dates if d.value and d.precision in {"day", "week"}]
        if usable:
            nearest = min(usable, key=lambda d: abs(d.start - trigger))
            return nearest.value, None, nearest.precision
        if self.frame.leg_dates.get(status):
            return self.frame.leg_dates[status], None, "day"
        if status == "occurred" and self.frame.published:
            return self.frame.published, None, "day"
        coarse = [d for d in dates if d.value]
        if coarse:
            return coarse[0].value, None, coarse[0].precision
        return None, None, "unknown"


_VENUES_EN: dict[str, tuple[str, str]] = {
    "kremlin": ("Moscow", "RUS"), "whitehouse": ("Washington", "USA"), "élysée": ("Paris", "FRA"),
    "elysee": ("Paris", "FRA"), "akorda": ("Astana", "KAZ"), "greathallofthepeople": ("Beijing", "CHN"),
    "zhongnanhai": ("Beijing", "CHN"), "novo-ogaryovo": ("Moscow", "RUS"), "bocharovruchei": ("Sochi", "RUS"),
}


def _real_countries(codes: list[str]) -> list[str]:
    """The codes that name a present-day country: not "EU" or "NATO", not the Soviet Union."""
    return [c for c in codes if c and len(c) == 3 and c != "SUN"]


def _place(m: Mention | None) -> str | None:
    """``events.place`` of a mention: a city's canonical name; None for a country or nothing."""
    return mention_place_name(m) if m is not None and m.kind == "place" else None
