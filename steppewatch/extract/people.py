"""People: office holders with tenures (a maintained data file) plus role-title patterns.

A known person's role and country are those held on the article's date ("President Tokayev"
in 2023 is Kazakhstan's head of state); a title written in the text ("Kazakh Foreign Minister
Mukhtar Tileuberdi") gives the role and country of people the data file does not know.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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
    "Chairman of the Halk Maslahaty", "Emperor", "Queen",
]
_ROLE_RE = "|".join(sorted((re.escape(r) for r in ROLE_TITLES), key=len, reverse=True))
_NAME_TOKEN = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
# "<Title> <Name Name>" for people the data file does not know.
_TITLED_NAME = re.compile(rf"\b({_ROLE_RE})\s+((?:{_NAME_TOKEN}\s+){{0,2}}{_NAME_TOKEN})\b")
_ROLE_BEFORE = re.compile(rf"({_ROLE_RE})\s*,?\s*$")
_NOT_NAMES = {"The", "A", "An", "On", "In", "Of", "And", "Tuesday", "Monday", "Wednesday",
              "Thursday", "Friday", "Saturday", "Sunday", "Said", "Told"}


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


def _is_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


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
        by_length = sorted(names, key=len, reverse=True)
        han = [k for k in by_length if _is_han(k)]
        cyrillic = [k for k in by_length if not _is_han(k) and any("\u0400" <= c <= "\u04ff" for c in k)]
        latin = [k for k in by_length if k not in set(han) | set(cyrillic)]

        def alternation(keys: list[str]) -> str:
            return "|".join(re.escape(k) for k in keys) or "(?!)"

        # Han script has no spaces: names match anywhere (托卡耶夫 in 哈萨克斯坦总统托卡耶夫会见).
        self._patterns = (
            re.compile(rf"(?<![\w-])({alternation(latin)}){_LATIN_ENDING}(?![\w-])"),
            re.compile(rf"(?<![\w-])({alternation(cyrillic)}){_CYRILLIC_ENDING}(?![\w-])"),
            re.compile(rf"({alternation(han)})"),
        )

    def canonical(self, entity_id: str) -> str:
        return next(t.name for t in self.tenures if t.entity_id == entity_id)

    def role_on(self, entity_id: str, on_date: str | None) -> Tenure | None:
        """The tenure the person held on ``on_date`` (or the latest one when unknown)."""
        held = [t for t in self.tenures if t.entity_id == entity_id]
        if on_date:
            for t in held:
                if t.start <= on_date and (t.end is None or on_date <= t.end):
                    return t
            before = [t for t in held if t.start <= on_date]
            return max(before, key=lambda t: t.start) if before else None
        return max(held, key=lambda t: t.start) if held else None

    def first_country(self, entity_id: str) -> str | None:
        """The country of the person's earliest known office."""
        held = [t for t in self.tenures if t.entity_id == entity_id]
        return min(held, key=lambda t: t.start).country if held else None

    def find_all(self, text: str) -> list[tuple[int, int, tuple[str, ...]]]:
        """(start, end, candidate entity ids) for each known-name mention, leftmost-longest."""
        folded = match_key(text)
        found: list[tuple[int, int, tuple[str, ...]]] = []
        for pattern in self._patterns:
            found.extend((m.start(1), m.end(1), self._entities_of[m.group(1)]) for m in pattern.finditer(folded))
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


# Surnames that are also a title in a regional language; before another name they are the title.
TITLE_LOOKALIKES = {"raisi"}


def find_people(text: str, knowledge: PeopleKnowledge, on_date: str | None,
                country_mentions: list[Mention]) -> tuple[list[Mention], list[Person]]:
    """Person mentions and the people they resolve to."""
    mentions: list[Mention] = []
    people: dict[str, Person] = {}
    taken: list[tuple[int, int]] = []
    found = knowledge.find_all(text)
    named = {ids[0] for _, _, ids in found if len(ids) == 1}
    for start, end, candidates in found:
        if text[start:end].casefold() in TITLE_LOOKALIKES and re.match(r"\s+[A-ZА-ЯЁ]", text[end:end + 2]):
            continue  # Uzbek "Xitoy Raisi Si Szinpin": "raisi" (chairman) before a name, not Ebrahim Raisi
        written_role = _role_in_text(text, start)
        entity_id = knowledge.resolve(candidates, on_date, written_role, named)
        tenure = knowledge.role_on(entity_id, on_date)
        # Before a person's first office the data still knows their country (Japarov in 2020).
        country = tenure.country if tenure else (knowledge.first_country(entity_id)
                                                 or _country_before(text, start, country_mentions))
        role = tenure.role if tenure else written_role
        name = knowledge.canonical(entity_id)
        mentions.append(Mention("person", text[start:end], start, end, iso3=country,
                                entity_id=entity_id, role=role, value=name))
        people.setdefault(entity_id, Person(entity_id, name, role, country))
        taken.append((start, end))
    for m in _TITLED_NAME.finditer(text):
        start, end = m.span(2)
        tokens = m.group(2).split()
        while tokens and tokens[0] in _NOT_NAMES:
            tokens.pop(0)
        if len(tokens) < 2 or any(s < end and start < e for s, e in taken):
            continue
        name = " ".join(tokens)
        start = end - len(name) if text[start:end].endswith(name) else start
        country = _country_before(text, m.start(1), country_mentions)
        entity_id = re.sub(r"[^a-z]+", "_", name.lower()).strip("_")
        mentions.append(Mention("person", name, start, start + len(name), iso3=country,
                                entity_id=entity_id, role=m.group(1), value=name))
        people.setdefault(entity_id, Person(entity_id, name, m.group(1), country))
        taken.append((start, start + len(name)))
    # Surname-only repeats of title-pattern people ("Suleiman" after "President Michel Suleiman").
    for entity_id, person in list(people.items()):
        if entity_id in {t.entity_id for t in knowledge.tenures}:
            continue
        surname = person.name.split()[-1]
        for m in re.finditer(rf"(?<![\w-]){re.escape(surname)}(?![\w-])", text):
            if not any(s <= m.start() < e for s, e in taken):
                mentions.append(Mention("person", surname, m.start(), m.end(), iso3=person.country,
                                        entity_id=entity_id, role=person.role, value=person.name))
                taken.append(m.span())
    mentions.sort(key=lambda x: x.start)
    return mentions, list(people.values())


def _country_before(text: str, start: int, country_mentions: list[Mention]) -> str | None:
    """The country written in the title phrase just before a name ("Kazakh Foreign Minister")."""
    window_start = max(0, start - 40)
    near = [m for m in country_mentions if window_start <= m.start < start and m.iso3]
    if not near:
        return None
    between = text[near[-1].end:start]
    if re.search(r"[.;:]", between):
        return None
    return near[-1].iso3


@lru_cache(maxsize=1)
def default_people() -> PeopleKnowledge:
    return PeopleKnowledge()
