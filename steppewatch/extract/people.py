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


class PeopleKnowledge:
    """Office holders with tenures; resolves a name to a role and country on a date."""

    def __init__(self, tenures: list[Tenure] | None = None) -> None:
        self.tenures = tenures if tenures is not None else _load_tenures()
        names: dict[str, str] = {}
        for t in self.tenures:
            for variant in (t.name, *t.variants):
                names.setdefault(match_key(variant), t.entity_id)
        keys = sorted(names, key=len, reverse=True)
        self._entity_of = names
        self._pattern = re.compile(
            r"(?<![\w-])(" + "|".join(re.escape(k) for k in keys) + r")(?:[а-яА-Я]{0,3})(?![\w-])")

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

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, entity_id) for each known-name mention."""
        folded = match_key(text)
        return [(m.start(1), m.end(1), self._entity_of[m.group(1)])
                for m in self._pattern.finditer(folded)]


def _role_in_text(text: str, start: int) -> str | None:
    m = _ROLE_BEFORE.search(text[max(0, start - 45):start])
    return m.group(1) if m else None


def find_people(text: str, knowledge: PeopleKnowledge, on_date: str | None,
                country_mentions: list[Mention]) -> tuple[list[Mention], list[Person]]:
    """Person mentions and the people they resolve to."""
    mentions: list[Mention] = []
    people: dict[str, Person] = {}
    taken: list[tuple[int, int]] = []
    for start, end, entity_id in knowledge.find(text):
        tenure = knowledge.role_on(entity_id, on_date)
        written_role = _role_in_text(text, start)
        country = tenure.country if tenure else _country_before(text, start, country_mentions)
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
