"""People: office holders with tenures (a maintained data file) plus role-title patterns.

A known person's role and country are those held on the article's date ("President Tokayev"
in 2023 is Kazakhstan's head of state); a title written in the text ("Kazakh Foreign Minister
Mukhtar Tileuberdi") gives the role and country of people the data file does not know.

Titles written before a name (``TitlePhrase``) are read within one line and one sentence, never
across a line break or a full stop. The person's country is their *nationality*, never their
posting: a demonym, a possessive or a country written before the title ("U.S. Special
Representative", "Kazakhstan's Ambassador", "Israeli President") or after "of" ("President of
Georgia", "Deputy Chief of Staff of the President of the Republic of Kazakhstan"); a country after
"for", "to", "in" or "at" ("Special Envoy for Yemen", "Ambassador to China") is where the person is
sent. With no nationality written, a title that exists in one government only ("Deputy Secretary of
State", "Under Secretary for Political Affairs", "Chairman of the State Duma") gives that country;
anything else stays unknown (None), and ``is_envoy_title`` tells the event extractor whether the
role is a sent official's, whose country it may take from the publishing government.

Every person mention carries the title as written (nationality words left out): "Special
Representative for Afghanistan Reconciliation", "Ambassador to China". A surname written alone
("Under Secretary Nuland", "Dr. Donfried", "Special Representative Kim") is the person whose full
name the text gives, with that person's id, country and role.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from steppewatch.extract.text import match_key
from steppewatch.models import Mention, Person

DATA_DIR = Path(__file__).resolve().parents[1] / "data"

ROLE_TITLES = [
    "Secretary of State", "Deputy Secretary of State", "Foreign Secretary", "Foreign Minister",
    "Minister of Foreign Affairs", "Deputy Foreign Minister", "Prime Minister", "Deputy Prime Minister",
    "Vice President", "President", "Chancellor", "Premier", "King", "Emir", "Sheikh", "Ambassador",
    "Special Envoy", "Envoy", "General", "Defense Minister", "Defence Minister", "Secretary of Defense",
    "Defense Secretary", "Minister", "Deputy Secretary of Energy", "Secretary of Energy",
    "Secretary-General", "Secretary General", "Chairman", "Speaker", "Senator", "Governor", "Mayor",
    "Supreme Leader", "High Representative", "national security advisor", "National Security Adviser",
    "Chairman of the Cabinet of Ministers", "Chairman of the Cabinet", "Cabinet Chairman",
    "Chairman of the Halk Maslahaty", "Emperor", "Queen", "Under Secretary", "Assistant Secretary",
    "Special Representative", "Special Presidential Envoy",
]
_ROLE_RE = "|".join(sorted((re.escape(r) for r in ROLE_TITLES), key=len, reverse=True))
# The title written just before a known name, for choosing among people who share it.
_ROLE_BEFORE = re.compile(rf"({_ROLE_RE})\s*,?\s*$")
_NOT_NAMES = {"The", "A", "An", "On", "In", "Of", "And", "Tuesday", "Monday", "Wednesday",
              "Thursday", "Friday", "Saturday", "Sunday", "Said", "Told", "January", "February", "March",
              "April", "May", "June", "July", "August", "September", "October", "November", "December",
              "This", "That", "These", "Those", "It", "He", "She", "They", "We", "But", "As", "At", "By",
              "For", "From", "To", "With", "After", "Before", "During", "While", "When", "Today", "Also",
              # Title-case headline verbs: "US Special Envoy Visits Tashkent".
              "Visits", "Visit", "Meets", "Meet", "Met", "Travels", "Travel", "Says", "Arrives", "Holds", "Discusses",
              "Signs", "Calls", "Talks", "Hosts", "Receives", "Welcomes", "Urges", "Opens", "Leaves", "Heads",
              "Pays", "Attends", "Tours", "Returns", "Joins", "Launches", "Announces"}
# Capitalised nouns after which a name is an institution's or a place's ("McMaster University").
_NAME_STOPPERS = {"Region", "Province", "Oblast", "City", "District", "Summit", "Forum", "Conference", "Meeting",
                  "Trip", "Agreement", "Partnership", "Project", "Program", "Programme", "Initiative", "Strategy",
                  "Plan", "Declaration", "Statement", "Format", "Dialogue", "Session", "Week", "Day", "Year", "Group",
                  "Company", "Bank", "Fund", "Airport", "University", "Institute", "Center", "Centre", "Palace",
                  "Hall", "Museum", "School", "College", "Foundation", "Street", "Avenue", "Square", "Doctrine",
                  "Act", "Award", "Prize", "Report", "Amendment", "Administration"}


@dataclass(frozen=True)
class Tenure:
    entity_id: str
    name: str
    variants: tuple[str, ...]
    country: str
    role: str
    start: str
    end: str | None


def _load_tenures() -> list[Tenure]:
    with (DATA_DIR / "office_holders.tsv").open(encoding="utf-8") as fh:
        return [Tenure(r["id"], r["name"], tuple(v for v in r["variants"].split("|") if v),
                       r["country"], r["role"], r["start"], r["end"] or None)
                for r in csv.DictReader(fh, delimiter="\t")]


# Case endings after a known name: Cyrillic (Токаева, Тоқаевтың, Жапаровдун, Мирзиёевнинг) and Latin
# Uzbek/Turkmen (Mirziyoyevning, Mirziyoyevga, Berdimuhamedowyň); English possessives need none.
_CYRILLIC_ENDING = r"[\u0400-\u04ff]{0,4}"
_LATIN_ENDING = r"(?:ning|ni|ga|da|dan|yň|iň|nyň|niň)?"
# Role words written before a name in the languages of the region (the English ones are ROLE_TITLES).
_HEAD_OF_STATE_WORDS = re.compile(
    r"(President|Президент|Президенті|Президенти|Prezident|Prezidenti|Prezidentimiz|总统|總統|主席)")
_RANK = ("President", "Supreme Leader", "King", "Emperor", "Prime Minister", "Premier", "Chancellor",
         "Chairman of the Cabinet of Ministers", "Foreign Minister", "Secretary of State", "Foreign Secretary")


_NOT_AFTER = r"(?<![\w-])"  # a name starts after no word character or hyphen
_WORD_OR_HYPHEN = re.compile(r"[\w-]")


def _after_boundary(scan: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``re.compile(_NOT_AFTER + scan.pattern).finditer(text)``: the leftmost match of ``scan`` from where the last
    one ended whose start follows no word character or hyphen, tried again one position on when it does."""
    pos = 0
    while True:
        m = scan.search(text, pos)
        if m is None:
            return
        start = m.start()
        if start and _WORD_OR_HYPHEN.match(text, start - 1):
            pos = start + 1
            continue
        if m.end() == start:  # an empty match (no key is empty): finditer's rules for those are not copied
            raise ValueError(f"empty match of a name pattern at {start}")
        yield m
        pos = m.end()


_CYRILLIC_CHAR = re.compile("[\u0400-\u04ff]")
_HAN_CHAR = re.compile("[\u4e00-\u9fff]")


def _is_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _trie_alternation(keys: list[str]) -> str:
    """A regex matching the same strings as ``"|".join(keys)`` with ``keys`` sorted longest first, written as
    a prefix tree: at a text position the keys that match literally are prefixes of one another, and both
    forms try them longest first (children before a key's own end), so every match is the same. The tree
    tries a few alternatives per position (one per next character) instead of every name."""
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for key in keys:
        node = root
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}  # a key ends here

    def regex(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
        branches = [re.escape(ch) + regex(child) for ch, child in node.items() if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a shorter key ends here: tried after every longer one
            return (f"(?:{body})" if len(branches) == 1 else body) + "?"
        return body

    return regex(root)


class PeopleKnowledge:
    """Office holders with tenures; resolves a name to a role and country on a date.

    A written name may stand for several people ("Berdimuhamedov": Gurbanguly or his son Serdar;
    "Japarov": President Sadyr or Cabinet Chairman Akylbek); ``resolve`` picks one by the article
    (a full name written elsewhere), the role written before the name, and tenure on the date.
    """

    def __init__(self, tenures: list[Tenure] | None = None) -> None:
        self.tenures = tenures if tenures is not None else _load_tenures()
        names: dict[str, list[str]] = {}
        for t in self.tenures:
            for variant in (t.name, *t.variants):
                owners = names.setdefault(match_key(variant), [])
                if t.entity_id not in owners:
                    owners.append(t.entity_id)
        self._entities_of = {key: tuple(ids) for key, ids in names.items()}
        self.entity_ids = frozenset(t.entity_id for t in self.tenures)
        self._held: dict[str, list[Tenure]] = {}  # entity id -> its tenures, in the file's order
        for t in self.tenures:
            self._held.setdefault(t.entity_id, []).append(t)
        by_length = sorted(names, key=len, reverse=True)
        han = [k for k in by_length if _is_han(k)]
        cyrillic = [k for k in by_length if not _is_han(k) and any("\u0400" <= c <= "\u04ff" for c in k)]
        latin = [k for k in by_length if k not in set(han) | set(cyrillic)]

        def alternation(keys: list[str]) -> str:
            return _trie_alternation(keys) if keys else "(?!)"

        # Han script has no spaces: names match anywhere (托卡耶夫 in 哈萨克斯坦总统托卡耶夫会见).
        self._patterns = (
            re.compile(rf"(?<![\w-])({alternation(latin)}){_LATIN_ENDING}(?![\w-])"),
            re.compile(rf"(?<![\w-])({alternation(cyrillic)}){_CYRILLIC_ENDING}(?![\w-])"),
            re.compile(rf"({alternation(han)})"),
        )
        # Each pattern's gate: every Cyrillic key holds a Cyrillic letter and every Han key a Han character
        # (how the keys were split), so a text without one has no match of that pattern.
        self._gates = (None, _CYRILLIC_CHAR, _HAN_CHAR)
        # The Latin and Cyrillic patterns without their leading look-behind (which keeps the regex engine from
        # skipping ahead to a key's first letter): ``_after_boundary`` checks it on each match instead.
        self._scans = tuple(re.compile(p.pattern[len(_NOT_AFTER):]) if p.pattern.startswith(_NOT_AFTER) else None
                            for p in self._patterns)

    def canonical(self, entity_id: str) -> str:
        return next(t.name for t in self._held.get(entity_id, ()))

    def is_name(self, written: str) -> bool:
        """Whether ``written`` is itself a known name or variant (so it is matched on its own)."""
        return match_key(written) in self._entities_of

    def role_on(self, entity_id: str, on_date: str | None) -> Tenure | None:
        """The tenure the person held on ``on_date`` (or the latest one when unknown)."""
        held = self._held.get(entity_id, [])
        if on_date:
            for t in held:
                if t.start <= on_date and (t.end is None or on_date <= t.end):
                    return t
            before = [t for t in held if t.start <= on_date]
            return max(before, key=lambda t: t.start) if before else None
        return max(held, key=lambda t: t.start) if held else None

    def first_country(self, entity_id: str) -> str | None:
        """The country of the person's earliest known office."""
        held = self._held.get(entity_id, [])
        return min(held, key=lambda t: t.start).country if held else None

    def find_all(self, text: str) -> list[tuple[int, int, tuple[str, ...]]]:
        """(start, end, candidate entity ids) for each known-name mention, leftmost-longest."""
        folded = match_key(text)
        found: list[tuple[int, int, tuple[str, ...]]] = []
        for pattern, gate, scan in zip(self._patterns, self._gates, self._scans, strict=True):
            if gate is not None and not gate.search(folded):
                continue
            matches = pattern.finditer(folded) if scan is None else _after_boundary(scan, folded)
            found.extend((m.start(1), m.end(1), self._entities_of[m.group(1)]) for m in matches)
        found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
        out: list[tuple[int, int, tuple[str, ...]]] = []
        for item in found:
            if not out or item[0] >= out[-1][1]:
                out.append(item)
        return out

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, entity_id) for each known-name mention (ambiguous names: first candidate)."""
        return [(s, e, ids[0]) for s, e, ids in self.find_all(text)]

    def resolve(self, candidates: tuple[str, ...], on_date: str | None, written_role: str | None,
                named_in_article: set[str]) -> str:
        """One entity for a name several people share; see the class docstring for the order."""
        if len(candidates) == 1:
            return candidates[0]
        named = [c for c in candidates if c in named_in_article]
        if len(named) == 1:
            return named[0]
        held = {c: self.role_on(c, on_date) for c in candidates}
        if on_date:  # people out of office on the date rank last
            held = {c: t if t and t.start <= on_date and (t.end is None or on_date <= t.end) else None
                    for c, t in held.items()}
        if written_role:
            wanted = written_role.lower()
            fits = [c for c, t in held.items() if t and (wanted in t.role.lower() or t.role.lower() in wanted)]
            if fits:
                return fits[0]

        def rank(c: str) -> int:
            t = held[c]
            if t is None:
                return len(_RANK) + 1
            return _RANK.index(t.role) if t.role in _RANK else len(_RANK)
        return min(candidates, key=rank)


def _role_in_text(text: str, start: int) -> str | None:
    window = text[max(0, start - 45):start]
    m = _ROLE_BEFORE.search(window)
    if m:
        return m.group(1)
    local = list(_HEAD_OF_STATE_WORDS.finditer(window))
    # "Президент Садыр Жапаров", "Prezidenti Shavkat Mirziyoyev", "总统托卡耶夫": the nearest title word
    return "President" if local and len(window) - local[-1].end() <= 25 else None


# -- titles written before a name -----------------------------------------------------------------
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that head a title: a phrase before a name is a title only when it has one of them.
_HEADS = _words("""
president vice-president minister secretary secretary-general ambassador ambassador-at-large envoy
representative coordinator counselor counsellor adviser advisor aide assistant spokesman spokeswoman
spokesperson chairman chairwoman chairperson chair speaker senator congressman congresswoman governor
mayor king queen emir sheikh emperor premier chancellor leader commissioner director director-general
commander general admiral chief head akim hokim khokim deputy delegate consul chargé charge
""")
# Other words of titles (in any case), never part of a name: "Foreign", "Affairs", "Presidential".
_TITLE_WORDS = _HEADS | _words("""
foreign prime first vice special senior principal acting under executive permanent presidential
national security state affairs staff office administration delegation department ministry council
committee cabinet house senate parliament parliamentary defense defence treasury commerce energy trade
economic political military international regional climate cooperation relations press information
interior justice finance economy agriculture health education culture reconciliation development
democracy human rights civilian arms control nonproliferation counterterrorism management public
diplomacy policy embassy mission bureau service agency federal supreme deputy-chief former then
dr mr mrs ms prof sir lord lady madam excellency majesty crown prince princess attorney duma mazhilis
majilis majlis kenesh maslahaty rada assembly congress government commission court
""")
# Lower-case words a title may have between its capitalised words ("Minister for Foreign Affairs").
_CONNECTORS = frozenset({"of", "for", "to", "the", "and", "on", "in", "at", "&"})
_POSTING = frozenset({"for", "to", "in", "at", "on", "from", "into", "toward", "towards", "with"})
_NAME_PARTICLES = frozenset({"von", "van", "der", "den", "de", "del", "della", "di", "da", "du", "bin", "ibn",
                             "le", "la", "ben"})
_HONORIFIC = re.compile(r"^(?:Dr|Mr|Mrs|Ms|Prof|Gen|Sen|Rep|Amb|Gov|Lt|Col|Adm|Maj|Sgt|Capt|Sir)\.?$")
_TOKEN = re.compile(
    r"(?P<abbr>(?:[A-Z]\.){2,}|(?:Dr|Mr|Mrs|Ms|Prof|Gen|Sen|Rep|Amb|Gov|Lt|Col|Adm|Maj|Sgt|Capt|St|Jr|Sr)\.)"
    r"|(?P<initial>[A-Z]\.)(?=\s)"
    r"|(?P<poss>['’]s\b)"
    r"|(?P<word>(?:[OoDd]['’](?=[A-Z]))?[^\W\d_]+(?:[-'’](?![sS]\b)[^\W\d_]+)*)"
    r"|(?P<nl>\n)"
    r"|(?P<num>\d+)"
    r"|(?P<punct>[^\w\s])")
# Heads of a city's or region's government: "Moscow Mayor", "Almaty Akim".
_LOCAL_HEADS = frozenset({"mayor", "governor", "akim", "hokim", "khokim"})
# A country written before the title but after one of these is a place, not a nationality.
_LOCATIVE_BEFORE = frozenset({"in", "into", "to", "at", "from", "toward", "towards", "for", "visit", "visits",
                              "visited", "visiting", "across", "inside"})


class _Tok(NamedTuple):  # a tuple: hundreds per article, built far faster than a frozen dataclass
    kind: str  # abbr / initial / poss / word / nl / num / punct
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.lower().rstrip(".")

    @property
    def capitalised(self) -> bool:
        return self.kind in {"abbr", "initial", "word"} and self.text[:1].isupper()


@dataclass(frozen=True)
class TitlePhrase:
    """The title written before a name: its span, the role (title without nationality words) and
    the nationality it states (None when it states none)."""

    start: int
    end: int
    role: str
    nationality: str | None


# Titles that exist in one government only: (pattern over the role, ISO3).
_ONE_GOVERNMENT = [(re.compile(p, re.I), iso3) for p, iso3 in [
    (r"^(?:acting\s+)?secretary\s+of\s+state$", "USA"),  # UK: "Secretary of State for ..."
    (r"^(?:acting\s+)?(?:deputy|under|assistant|(?:principal\s+)?deputy\s+assistant)\s+secretary\s+of\s+state\b",
     "USA"),
    (r"^(?:acting\s+)?under\s+secretary(?:\s+(?:for|of)\b.*)?$", "USA"),  # UK/UN write "Under-Secretary"
    (r"^(?:acting\s+)?(?:principal\s+)?(?:deputy\s+)?assistant\s+secretary(?:\s+(?:for|of)\b.*)?$", "USA"),
    (r"^special\s+presidential\s+envoy\s+for\s+climate$", "USA"),
    (r"^(?:deputy\s+)?secretary\s+of\s+(?:defense|the\s+treasury|commerce|energy|agriculture|homeland\s+security|"
     r"transportation|the\s+interior|labor|education|health\s+and\s+human\s+services|veterans\s+affairs|"
     r"the\s+army|the\s+navy|the\s+air\s+force)$", "USA"),
    (r"^(?:defense|treasury|commerce)\s+secretary$", "USA"),
    (r"^(?:deputy\s+)?(?:u\.?s\.?\s+)?trade\s+representative$", "USA"),
    (r"^(?:u\.?s\.?\s+)?senator$", "USA"),
    (r"^(?:congressman|congresswoman)$", "USA"),
    (r"^(?:house\s+speaker|speaker\s+of\s+the\s+house)$", "USA"),
    (r"^principal\s+deputy\s+national\s+security\s+advisor$", "USA"),
    (r"^(?:deputy\s+|special\s+)?assistant\s+to\s+the\s+president(?:\s+for\b.*)?$", "USA"),
    (r"\bstate\s+duma\b|\bfederation\s+council\b", "RUS"),
    (r"\bma[jz]h?ilis\b", "KAZ"),
    (r"\boliy\s+majlis\b|^k?hokim\b", "UZB"),
    (r"\bjogorku\s+kenesh\b", "KGZ"),
    (r"\bmajlisi\s+(?:oli|milli|namoyandagon)\b", "TJK"),
    (r"\bhalk\s+maslahaty\b", "TKM"),
]]
# The majilis rule above must not fire on the Uzbek "Oliy Majlis" (checked first in order below).
_ONE_GOVERNMENT.sort(key=lambda rule: rule[1] != "UZB")


def one_government_country(role: str | None) -> str | None:
    """The country of a title that exists in one government only ("Deputy Secretary of State")."""
    if not role:
        return None
    cleaned = re.sub(r"\s+", " ", role.strip())
    for pattern, iso3 in _ONE_GOVERNMENT:
        if pattern.search(cleaned):
            return iso3
    return None


_ENVOY = re.compile(
    r"\b(?:representative|envoy|coordinator|ambassador|emissary|charg[eé]\s+d['’]affaires|"
    r"(?:assistant|under|deputy)[\s-]+secretary|counsel(?:l)?or|head\s+of\s+(?:the\s+)?delegation|"
    r"delegation\s+head|(?:deputy|vice)[\s-]+(?:foreign\s+)?minister|senior\s+official)\b", re.I)
_NOT_ENVOY = re.compile(r"secretary[\s-]+general|high\s+representative|prime\s+minister|\bchair", re.I)


def is_envoy_title(role: str | None) -> bool:
    """Whether ``role`` is a sent official's title: special representative, envoy or coordinator,
    ambassador, assistant/under/deputy secretary, counselor, head of a delegation, deputy minister.
    An envoy whose nationality is unknown may take the publishing government's country."""
    if not role:
        return False
    return bool(_ENVOY.search(role)) and not _NOT_ENVOY.search(role)


def _tokens(text: str) -> list[_Tok]:
    make = _Tok._make
    return [make((m.lastgroup or "punct", m.group(0), m.start(), m.end())) for m in _TOKEN.finditer(text)]


# -- where titles can be read: the chunks around head words -------------------------------------------
# A title phrase needs a head word ("Minister", "Envoy"; ``_cut``), so names are read only in the chunks of
# tokens around the head words, not over the whole text. A chunk runs from a *breaker* before its head words
# to a breaker after them; a breaker is a token no rule reads past: it ends a title phrase walked backwards
# (not part of a title), it is no part of a capitalised run (a name) and no country or place name covers it
# (a gazetteer unit never runs through it). Every rule reads the tokens of a phrase, of a name's run and the
# one token either side of them, so inside a chunk it reads what it reads over the whole text's tokens; a
# name outside every chunk has no head word in the phrase before it, so no title. Tokenising may start at
# any whitespace character (no token holds one but the newline token itself) or at a token's end.
_BREAKING_PUNCT = frozenset({",", "(", ")", "&"})  # punctuation a title may hold: not a breaker


def _is_breaker(t: _Tok) -> bool:
    """Whether the token can bound a chunk (by its kind and words; a gazetteer name may still cover it)."""
    kind = t.kind
    if kind == "word":
        return not t.text[:1].isupper() and t.text not in _NAME_PARTICLES and t.low not in _TITLE_WORDS \
            and t.low not in _CONNECTORS
    if kind == "punct":
        return t.text not in _BREAKING_PUNCT
    return kind in {"nl", "num"}


# Every word token whose lower-case form is a head word starts a match, on the lower-cased text (a letter's
# lower case is a letter and a non-letter's a non-letter, and a word token has a non-letter or nothing on
# either side), or where lower-casing changes the length, on the text with re.IGNORECASE (which finds every
# letter whose lower case is the head's). Some matches are no head ("President-elect"): a chunk around those
# is merely read for nothing.
_HEAD_TRIE = _trie_alternation(sorted(_HEADS, key=len, reverse=True))
_HEAD_CANDIDATE_LOWER = re.compile(rf"(?<![^\W\d_])(?:{_HEAD_TRIE})(?![^\W\d_])")
_HEAD_CANDIDATE = re.compile(rf"(?<![^\W\d_])(?i:{_HEAD_TRIE})(?![^\W\d_])")


class _Covered:
    """Whether a gazetteer mention covers a token (its start in the mention's span), by bisection."""

    def __init__(self, mentions: list[Mention]) -> None:
        spans: list[list[int]] = []
        for m in sorted(mentions, key=lambda m: m.start):
            if m.end <= m.start:
                continue
            if spans and m.start <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], m.end)
            else:
                spans.append([m.start, m.end])
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def __call__(self, offset: int) -> bool:
        k = bisect_right(self.starts, offset) - 1
        return k >= 0 and offset < self.ends[k]


def _title_chunks(text: str, mentions: list[Mention]) -> list[tuple[list[_Tok], bool]]:
    """The chunks of the text's tokens around its head words, in order: (tokens, whether the chunk runs to
    the end of the text). See the comment above."""
    make = _Tok._make
    covered = _Covered(mentions)

    def breaker(t: _Tok) -> bool:
        return _is_breaker(t) and not covered(t.start)

    chunks: list[tuple[list[_Tok], bool]] = []
    current: list[_Tok] | None = None  # the last chunk (it ends with a breaker unless it runs to the end)
    end = 0  # where the last chunk ends: tokenising may start there
    lowered = text.lower()
    candidates = (_HEAD_CANDIDATE_LOWER.finditer(lowered) if len(lowered) == len(text)
                  else _HEAD_CANDIDATE.finditer(text))
    for candidate in candidates:
        a, b = candidate.span()
        if current is not None and b <= end:
            continue  # its tokens are in the last chunk
        # the last breaker ending at or before ``a``: tokenise from further back until one is found
        window = 48
        while True:
            restart = text.rfind(" ", end, max(end, a - window)) if a - window > end else -1
            restart = end if restart < 0 else restart
            before: list[_Tok] = []
            tokens = _TOKEN.finditer(text, restart)
            held: _Tok | None = None
            for m in tokens:
                t = make((m.lastgroup or "punct", m.group(0), m.start(), m.end()))
                if t.end > a:
                    held = t
                    break
                before.append(t)
            first = next((k for k in range(len(before) - 1, -1, -1) if breaker(before[k])), None)
            if first is not None or restart == end:
                break
            window *= 4
        if first is not None:
            chunk = before[first:]
        elif current is not None:  # no breaker since the last chunk's: one chunk
            chunk = chunks.pop()[0] + before
        else:  # none since the start of the text
            chunk = before
        # ... and the first breaker starting at or after ``b``
        to_end = True
        while held is not None:
            chunk.append(held)
            if held.start >= b and breaker(held):
                to_end = False
                break
            m = next(tokens, None)
            held = None if m is None else make((m.lastgroup or "punct", m.group(0), m.start(), m.end()))
        chunks.append((chunk, to_end))
        current = chunk
        end = chunk[-1].end if chunk else len(text)
        if to_end:
            break
    return chunks


class _TitleReader:
    """Reads the title phrase before a name from the text's tokens and country mentions.

    ``tokens``: a chunk of the text's tokens (see ``_title_chunks``); all of them by default."""

    def __init__(self, text: str, countries: list[Mention], tokens: list[_Tok] | None = None) -> None:
        self.text = text
        self.tokens = _tokens(text) if tokens is None else tokens
        self.starts = [t.start for t in self.tokens]
        self.country_at: dict[int, Mention] = {}
        self.place_at: dict[int, Mention] = {}  # cities and regions ("Akim of Almaty", "Moscow Mayor")
        self.in_gazetteer: set[int] = set()  # tokens of any country or place name: never a person's name
        for m in sorted(countries, key=lambda m: m.start):
            for i in range(self.index_at(m.start), len(self.tokens)):
                if self.tokens[i].start >= m.end:
                    break
                self.in_gazetteer.add(i)
                if m.iso3:
                    (self.country_at if m.kind == "country" else self.place_at).setdefault(i, m)

    def index_at(self, offset: int) -> int:
        """Index of the first token starting at or after ``offset``."""
        lo, hi = 0, len(self.starts)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.starts[mid] < offset:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def is_title_word(self, t: _Tok) -> bool:
        return t.kind in {"word", "abbr"} and t.low in _TITLE_WORDS

    def is_name_token(self, i: int) -> bool:
        t = self.tokens[i]
        if t.kind != "word" or i in self.in_gazetteer or t.text in _NOT_NAMES or t.text in _NAME_STOPPERS:
            return False
        if t.text.lower().startswith(("al-", "el-")) and t.text[3:4].isupper():
            return True
        return t.text[:1].isupper() and not (len(t.text) > 1 and t.text.isupper()) and not self.is_title_word(t)

    # -- the phrase ------------------------------------------------------------------------------
    def phrase(self, name_start: int, taken: list[tuple[int, int]]) -> TitlePhrase | None:
        """The title written just before the name starting at ``name_start``, if any."""
        i = self.index_at(name_start) - 1
        if i >= 0 and self.tokens[i].text == ",":
            i -= 1  # "Kazakhstan's Ambassador to China, Shakhrat Nuryshev"
        last = i
        while i >= 0 and last - i < 30:
            t = self.tokens[i]
            if any(s <= t.start < e for s, e in taken):
                break
            gap = self.text[t.end:self.tokens[i + 1].start] if i + 1 < len(self.tokens) else ""
            if "\n" in gap:
                break
            part_of_title = (t.kind in {"abbr", "initial", "poss"} or i in self.country_at
                             or (t.kind == "word" and (t.text[:1].isupper() or t.low in _TITLE_WORDS
                                                       or t.low in _CONNECTORS))
                             or (t.kind == "punct" and t.text in {",", "(", ")", "&"}))
            if not part_of_title:
                break
            i -= 1
        first = self._cut(i + 1, last)
        if first is None:
            return None
        return self._read(first, last)

    def _unit_end(self, k: int) -> int:
        """Last token index of the country mention that token ``k`` belongs to."""
        m = self.country_at[k]
        while k + 1 < len(self.tokens) and self.country_at.get(k + 1) is m:
            k += 1
        return k

    def _cut(self, first: int, last: int) -> int | None:
        """Where the title starts: after a comma or "and" that joins two phrases, past words that
        are not part of a title ("On Tuesday", a previous name)."""
        start = first
        in_object = False
        k = first
        while k <= last:
            t = self.tokens[k]
            low = t.low
            if low in {"for", "of", "to", "on", "in", "at"} and t.kind == "word":
                in_object = True
            elif t.text == "," or (t.kind == "word" and low == "and") or t.text == "&":
                nxt = k + 1
                while nxt <= last and (self.tokens[nxt].low == "the" or self.tokens[nxt].text == ","):
                    nxt += 1
                new_title = False
                if nxt <= last:
                    if self.tokens[nxt].low in _HEADS and self.tokens[nxt].low not in {"general", "head"}:
                        new_title = True
                    elif nxt in self.country_at:
                        after = self._unit_end(nxt) + 1
                        if after < len(self.tokens) and self.tokens[after].kind == "poss":
                            after += 1
                        new_title = after <= last and self.tokens[after].low in _TITLE_WORDS
                if not in_object or new_title:
                    start, in_object = k + 1, False
            k += 1
        # Leading words that start no title: "On Tuesday", "Ankara", "the".
        while start <= last:
            t = self.tokens[start]
            if start in self.country_at or (t.kind in {"word", "abbr"} and t.low in _TITLE_WORDS
                                            and t.low not in {"former", "then"}):
                break
            if start in self.place_at:  # "Moscow Mayor", "Almaty Akim"
                end = start
                while self.place_at.get(end + 1) is self.place_at[start]:
                    end += 1
                if end + 1 <= last and self.tokens[end + 1].low in _LOCAL_HEADS:
                    break
            start += 1
        # A title has a head word ("Minister", "Envoy"); "Dr." or "Mr." alone is none.
        if not any(self.tokens[k].low in _HEADS for k in range(start, last + 1) if k not in self.country_at):
            return None
        return start

    def _governing(self, k: int, first: int) -> str | None:
        """The word a country mention at token ``k`` depends on: a preposition, "of", or None when it
        opens the title (skipping "the", coordinated countries and an opening parenthesis)."""
        j = k - 1
        while j >= first:
            t = self.tokens[j]
            if t.low in {"the", "and"} or t.text in {",", "(", ")"} or j in self.country_at or t.kind == "poss":
                j -= 1
                continue
            return t.low
        if first > 0 and self.tokens[first - 1].kind == "word" and self.tokens[first - 1].low in _LOCATIVE_BEFORE:
            return self.tokens[first - 1].low
        return None

    def _read(self, first: int, last: int) -> TitlePhrase:
        extra = self._missed_countries(first, last)
        country_at = {**extra, **self.country_at}
        saved, self.country_at = self.country_at, country_at
        try:
            nationality = None
            nationality_units: list[tuple[int, int]] = []
            k = first
            while k <= last:
                if k not in country_at:
                    k += 1
                    continue
                end = self._unit_end(k)
                m = country_at[k]
                possessive = end + 1 <= last and self.tokens[end + 1].kind == "poss"
                word = self._governing(k, first)
                demonym = m.value == "demonym"
                if word == "of" or (word is None and (demonym or possessive or self._before_title(end, last))) or \
                        (word not in _POSTING and word is not None and (demonym or possessive)):
                    nationality = nationality or m.iso3
                    nationality_units.append((k, end + (1 if possessive else 0)))
                k = end + 1
            nationality = nationality or self._place_nationality(first, last)
            role_first, role_last = first, last
            # Leading nationality words and "the": "U.S.", "Kazakhstan's", "the Israeli", "White House".
            while role_first <= role_last:
                t = self.tokens[role_first]
                unit = next((u for u in nationality_units if u[0] == role_first), None)
                if unit:
                    role_first = unit[1] + 1
                elif t.low == "the" or t.text in {",", "-"}:
                    role_first += 1
                else:
                    break
            # "of [the] <nationality>": "President of Georgia" -> "President", "Ambassador of Kazakhstan to
            # the United States" -> "Ambassador to the United States".
            dropped: set[int] = set()
            for u0, u1 in nationality_units:
                j = u0 - 1
                while j > role_first and self.tokens[j].low == "the":
                    j -= 1
                if j > role_first and self.tokens[j].low == "of":
                    dropped.update(range(j, u1 + 1))
            while role_last > role_first and role_last in dropped:
                role_last -= 1
            # A rank after a title: "Special Representative for the DPRK Ambassador Sung Kim".
            if role_last > role_first and self.tokens[role_last].low == "ambassador" and any(
                    self.tokens[j].low in _HEADS for j in range(role_first, role_last) if j not in country_at):
                role_last -= 1
            if role_first > role_last:
                role_first, role_last, dropped = first, last, set()
            role = self._join([k for k in range(role_first, role_last + 1) if k not in dropped])
            if nationality is None:
                nationality = one_government_country(role)
            return TitlePhrase(self.tokens[first].start, self.tokens[last].end, role, nationality)
        finally:
            self.country_at = saved

    def _place_nationality(self, first: int, last: int) -> str | None:
        """The country of a city or region whose official the title names: "Akim of Almaty", "Mayor of
        London", "Moscow Mayor" (the place stays in the role)."""
        for k in range(first, last + 1):
            m = self.place_at.get(k)
            if m is None or self.place_at.get(k - 1) is m:
                continue
            end = k
            while self.place_at.get(end + 1) is m:
                end += 1
            after = self.tokens[end + 1].low if end + 1 <= last else ""
            if self._governing(k, first) == "of" or after in _LOCAL_HEADS:
                return m.iso3
        return None

    def _join(self, kept: list[int]) -> str:
        """The text of tokens ``kept``, as written where they are adjacent."""
        out = ""
        for n, k in enumerate(kept):
            t = self.tokens[k]
            if n and kept[n - 1] == k - 1:
                out += self.text[self.tokens[k - 1].end:t.end]
            else:
                out += (" " if n else "") + t.text
        return re.sub(r"\s+", " ", out).strip(" ,")

    def _before_title(self, end: int, last: int) -> bool:
        """A country name used as an adjective: directly before a title word ("U.S. Special ...")."""
        nxt = end + 1
        return nxt <= last and self.tokens[nxt].low in _TITLE_WORDS

    def _missed_countries(self, first: int, last: int) -> dict[int, Mention]:
        """Countries the gazetteer dropped because a name follows ("President of Georgia Mikheil
        Saakashvili", "President of Israel Isaac Herzog"): re-read the title alone."""
        from steppewatch.extract.gazetteer import default_gazetteer

        offset = self.tokens[first].start
        phrase = self.text[offset:self.tokens[last].end]
        out: dict[int, Mention] = {}
        for m in default_gazetteer().find(phrase):
            if m.kind != "country" or not m.iso3:
                continue
            for k in range(first, last + 1):
                t = self.tokens[k]
                if k not in self.country_at and m.start + offset <= t.start < m.end + offset:
                    out[k] = Mention(m.kind, m.text, m.start + offset, m.end + offset, iso3=m.iso3, value=m.value)
        return out

    # -- names after titles -----------------------------------------------------------------------
    def titled_names(self, taken: list[tuple[int, int]]) -> list[tuple[int, int, TitlePhrase]]:
        """(start, end, title) of each name of two or more words (a middle initial aside) that
        follows a title: "Under Secretary for Political Affairs Victoria Nuland", "Philip T. Reeker"."""
        out: list[tuple[int, int, TitlePhrase]] = []
        taken = list(taken)
        toks = self.tokens
        i = 0
        while i < len(toks):
            if not (toks[i].capitalised or toks[i].kind == "abbr"):
                i += 1
                continue
            j = i
            while j + 1 < len(toks) and self._joined(j) and (
                    toks[j + 1].capitalised or toks[j + 1].kind == "abbr" or self._particle(j + 1)):
                j += 1
            found = self._name_at_end(i, j)
            if found:
                s, e = found
                start, end = toks[s].start, toks[e].end
                if not any(a < end and start < b for a, b in taken):
                    title = self.phrase(start, taken)
                    if title is not None:
                        out.append((start, end, title))
                        taken.append((start, end))
            i = j + 1
        return out

    def _joined(self, j: int) -> bool:
        gap = self.text[self.tokens[j].end:self.tokens[j + 1].start]
        return bool(gap) and gap.isspace() and "\n" not in gap

    def _particle(self, k: int) -> bool:
        t = self.tokens[k]
        return (t.kind == "word" and t.text in _NAME_PARTICLES and k + 1 < len(self.tokens)
                and self.tokens[k + 1].capitalised and self._joined(k))

    def _name_at_end(self, i: int, j: int) -> tuple[int, int] | None:
        """The name at the end of the capitalised run ``i..j``: up to two words (three after a title
        word: "Minister Mohammad Javad Zarif"), with initials and particles between them."""
        toks = self.tokens
        while j >= i and toks[j].kind == "word" and toks[j].text in _NOT_NAMES:
            j -= 1
        if j < len(toks) - 1 and toks[j + 1].text in _NAME_STOPPERS and self._joined(j):
            return None  # "Jake Sullivan Doctrine", "Nazarbayev University"
        k, words, initials = j, 0, 0
        while k >= i:
            t = toks[k]
            if t.kind == "initial" and words:
                initials += 1
                k -= 1
                continue
            if self._particle(k) and words:
                k -= 1
                continue
            if not self.is_name_token(k):
                break
            if words == 2:
                before = toks[k - 1] if k - 1 >= 0 else None
                if before is None or not (before.low in _HEADS or _HONORIFIC.match(before.text)):
                    break
            words += 1
            k -= 1
            if words == 3:
                break
        s = k + 1
        while s <= j and self._particle(s):
            s += 1
        if words >= 2 or (words == 1 and initials):
            return (s, j)
        return None


# A given name and middle initials written before a known surname.
_GIVEN_AND_INITIALS = re.compile(r"(?<![\w.’'-])([A-Z][a-z]+)(?:\s+[A-Z]\.)+\s+$")


def _title_readers(text: str, countries: list[Mention],
                   whole: bool = False) -> list[tuple[_TitleReader, bool]]:
    """A reader per chunk around the head words (``_title_chunks``), with whether it runs to the end of the
    text; ``whole``: one reader over all the text's tokens (what the chunks must read alike)."""
    if whole:
        return [(_TitleReader(text, countries), True)]
    return [(_TitleReader(text, [m for m in countries if m.end > tokens[0].start and m.start <= tokens[-1].start],
                          tokens), to_end)
            for tokens, to_end in _title_chunks(text, countries) if tokens]


def _phrase(readers: list[tuple[_TitleReader, bool]], name_start: int,
            taken: list[tuple[int, int]]) -> TitlePhrase | None:
    """The title before the name starting at ``name_start``: read in the chunk that holds the tokens before
    it (a chunk's first token is a breaker or the text's first); in none, there is no head word before it."""
    for reader, to_end in readers:
        tokens = reader.tokens
        if tokens[0].start < name_start and (to_end or name_start <= tokens[-1].start):
            return reader.phrase(name_start, taken)
    return None


def find_people(text: str, knowledge: PeopleKnowledge, on_date: str | None,
                country_mentions: list[Mention]) -> tuple[list[Mention], list[Person]]:
    """Person mentions and the people they resolve to."""
    mentions: list[Mention] = []
    people: dict[str, Person] = {}
    taken: list[tuple[int, int]] = []
    readers = _title_readers(text, country_mentions)
    found = knowledge.find_all(text)
    named = {ids[0] for _, _, ids in found if len(ids) == 1}
    full_names: dict[str, str] = {}  # entity id -> a name of two or more words written for them
    for start, end, candidates in found:
        if text[start:end].casefold() in TITLE_LOOKALIKES and re.match(r"\s+[A-ZА-ЯЁ]", text[end:end + 2]):
            continue  # Uzbek "Xitoy Raisi Si Szinpin": "raisi" (chairman) before a name, not Ebrahim Raisi
        given = _GIVEN_AND_INITIALS.search(text[max(0, start - 40):start])
        if given and given.group(1).lower() not in _TITLE_WORDS and given.group(1) not in _NOT_NAMES:
            start -= len(given.group(0))  # "Antony J. Blinken", "Wendy R. Sherman": one mention
        written_role = _role_in_text(text, start)
        entity_id = knowledge.resolve(candidates, on_date, written_role, named)
        tenure = knowledge.role_on(entity_id, on_date)
        title = _phrase(readers, start, taken) if tenure is None else None
        # Before a person's first office the data still knows their country (Japarov in 2020).
        country = tenure.country if tenure else (knowledge.first_country(entity_id)
                                                 or (title.nationality if title else None))
        role = tenure.role if tenure else (title.role if title else written_role)
        name = knowledge.canonical(entity_id)
        mentions.append(Mention("person", text[start:end], start, end, iso3=country,
                                entity_id=entity_id, role=role, value=name))
        people.setdefault(entity_id, Person(entity_id, name, role, country))
        taken.append((start, end))
        if len(text[start:end].split()) >= 2:
            full_names.setdefault(entity_id, text[start:end])
    for reader, _ in readers:
        for start, end, title in reader.titled_names(taken):
            name = re.sub(r"\s+", " ", text[start:end])
            entity_id = re.sub(r"[^a-z]+", "_", _ascii(name).lower()).strip("_")
            mentions.append(Mention("person", text[start:end], start, end, iso3=title.nationality,
                                    entity_id=entity_id, role=title.role, value=name))
            people.setdefault(entity_id, Person(entity_id, name, title.role, title.nationality))
            taken.append((start, end))
            full_names.setdefault(entity_id, name)
    # A surname written alone after its full name was given: "Under Secretary Nuland", "Dr. Donfried".
    for entity_id, full in full_names.items():
        person = people[entity_id]
        surname = full.split()[-1]
        if len(surname) < 2 or (entity_id in knowledge.entity_ids and knowledge.is_name(surname)):
            continue  # the data file matches that surname itself
        for m in re.finditer(rf"(?<![\w-]){re.escape(surname)}(?![\w-])", text):
            if any(s <= m.start() < e for s, e in taken) or not _stands_alone(text, m.start(), m.end()):
                continue
            mentions.append(Mention("person", surname, m.start(), m.end(), iso3=person.country,
                                    entity_id=entity_id, role=person.role, value=person.name))
            taken.append(m.span())
    mentions.sort(key=lambda x: x.start)
    return mentions, list(people.values())


def _stands_alone(text: str, start: int, end: int) -> bool:
    """A surname not part of a longer name: "Kim" in "Special Representative Kim", not in "Kim Jong Un"
    or "McMaster University"."""
    after = re.match(r"[ \t]+([^\W\d_][\w'’-]*)", text[end:end + 40])
    if after:
        word = after.group(1)
        if word in _NAME_STOPPERS or (word[:1].isupper() and word not in _NOT_NAMES
                                      and word.lower() not in _TITLE_WORDS):
            return False
    before = re.search(r"([^\W\d_][\w'’-]*)(\.?)[ \t]+$", text[max(0, start - 40):start])
    if before:
        word, dot = before.group(1), before.group(2)
        if dot and not _HONORIFIC.match(word + dot) and len(word) > 1:
            return True  # the previous sentence ends there
        if word[:1].isupper() and word not in _NOT_NAMES and word.lower() not in _TITLE_WORDS \
                and not _HONORIFIC.match(word) and len(word) > 1:
            return False
    return True


def _ascii(name: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")


# Surnames that are also a title in a regional language; before another name they are the title.
TITLE_LOOKALIKES = {"raisi"}


@lru_cache(maxsize=1)
def default_people() -> PeopleKnowledge:
    return PeopleKnowledge()
