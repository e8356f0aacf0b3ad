"""Country, capital, city, demonym and metonym mentions, in several languages and scripts.

Knowledge comes from versioned data files in ``steppewatch/data/``: ``country_names.tsv``
(built by ``scripts/make_gazetteer.py`` from Natural Earth and CLDR) and ``aliases.tsv``
(short forms, demonyms, capitals and cities, metonyms, historical entities). Matching runs one
Aho-Corasick automaton over a length-preserving fold of the text, so offsets stay exact.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick

from steppewatch.extract.text import match_key
from steppewatch.models import Mention

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
HISTORICAL = {"SUN"}  # codes that are never drawn on the map
INFLECTING_LANGS = {"ru", "kk", "ky", "tg", "uz", "tk"}
NO_BOUNDARY_LANGS = {"zh"}
PLACE_KINDS = {"capital", "city", "state", "region"}
_CYRILLIC_VOWEL_ENDINGS = "аяеиыйьо"
_MAX_SUFFIX = 6
# Names that are also common words or names of people; matched only when context agrees.
_SURNAME_AFTER = re.compile(r"\s+[A-Z][a-z]+")
_AMBIGUOUS_AS_NAME = {"Jordan", "Chad", "Georgia", "Guinea", "Niger", "Israel", "Cameron"}
_US_STATE_CONTEXT = re.compile(r"(Atlanta|Savannah|state of|U\.S\. state of|Augusta),?\s*$")
_LANGUAGE_USE = re.compile(r"^(-speaking|-language| language| speakers| speaker| translation)")
_STATE_AFTER = re.compile(r"^( state| State| Post| Redskins| Commanders)")


@dataclass(frozen=True)
class GazetteerEntry:
    key: str
    iso3: str
    kind: str  # name / short / demonym / capital / city / state / region / metonym / historical
    lang: str
    prefix: bool  # may be followed by an inflectional suffix
    bounded: bool  # needs word boundaries


def _is_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def _entries() -> list[GazetteerEntry]:
    entries: list[GazetteerEntry] = []
    with (DATA_DIR / "country_names.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            entries.extend(_variants(row["name"], row["iso3"], "name", row["lang"]))
    with (DATA_DIR / "aliases.tsv").open(encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t"):
        lang = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in row["alias"]) else (
            "ru" if _is_cyrillic(row["alias"]) else "en")
        if row["kind"] == "short" and "'" in row["alias"]:
            lang = "uz"
        entries.extend(_variants(row["alias"], row["iso3"], row["kind"], lang))
    return entries


def _variants(name: str, iso3: str, kind: str, lang: str) -> list[GazetteerEntry]:
    key = match_key(name.strip())
    if not key:
        return []
    bounded = lang not in NO_BOUNDARY_LANGS
    prefix = lang in INFLECTING_LANGS and len(key) > 3
    out = [GazetteerEntry(key, iso3, kind, lang, prefix, bounded)]
    if prefix and _is_cyrillic(key) and key[-1].lower() in _CYRILLIC_VOWEL_ENDINGS and len(key) >= 5:
        out.append(GazetteerEntry(key[:-1], iso3, kind, lang, True, bounded))
    if lang == "en" and kind in {"name", "capital", "short"} and len(key) > 3 and key.upper() != key:
        out.append(GazetteerEntry(key.upper(), iso3, kind, lang, False, True))  # datelines
    return out


class CountryGazetteer:
    """Finds country mentions; each mention carries ISO3, kind and character offsets."""

    def __init__(self, entries: list[GazetteerEntry] | None = None) -> None:
        self.automaton = ahocorasick.Automaton()
        by_key: dict[str, GazetteerEntry] = {}
        for entry in entries if entries is not None else _entries():
            known = by_key.get(entry.key)
            # Prefer a specific kind (city, demonym) over a generic name for the same key.
            if known is None or (known.kind == "name" and entry.kind != "name"):
                by_key[entry.key] = entry
        for key, entry in by_key.items():
            self.automaton.add_word(key, entry)
        self.automaton.make_automaton()
        self.names = {e.iso3: e.key for e in by_key.values() if e.kind == "name" and e.lang == "en"}

    def find(self, text: str) -> list[Mention]:
        """All country and place mentions in ``text``, leftmost-longest, non-overlapping."""
        folded = match_key(text)
        candidates: list[tuple[int, int, GazetteerEntry]] = []
        for end_index, entry in self.automaton.iter(folded):
            start = end_index - len(entry.key) + 1
            end = end_index + 1
            if entry.bounded and start > 0 and folded[start - 1].isalnum():
                continue
            if entry.prefix:
                j = end
                while j < len(folded) and folded[j].isalpha() and j - end < _MAX_SUFFIX + 1:
                    j += 1
                if j < len(folded) and folded[j].isalpha():
                    continue
                end = j
            elif entry.bounded and end < len(folded) and folded[end].isalnum():
                continue
            candidates.append((start, end, entry))
        candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
        mentions: list[Mention] = []
        last_end = -1
        for start, end, entry in candidates:
            if start < last_end or not self._context_agrees(text, start, end, entry):
                continue
            kind = "place" if entry.kind in PLACE_KINDS else "country"
            mentions.append(Mention(kind=kind, text=text[start:end], start=start, end=end,
                                    iso3=entry.iso3, value=entry.kind))
            last_end = end
        return mentions

    @staticmethod
    def _context_agrees(text: str, start: int, end: int, entry: GazetteerEntry) -> bool:
        """Reject names used as people's names, US states, or languages."""
        before, after = text[max(0, start - 30):start], text[end:end + 20]
        if entry.key in _AMBIGUOUS_AS_NAME:
            if _SURNAME_AFTER.match(after) and not after.lstrip().startswith(("President", "Prime")):
                return False
            if re.search(r"[A-Z][a-z]+\s+$", before) and not re.search(
                    r"(In|in|With|with|From|from|To|to|And|and|Of|of|The|the|For|for|By|by|On|on)\s+$",
                    before):
                return False
        if entry.key in {"Georgia", "GEORGIA"} and _US_STATE_CONTEXT.search(before):
            return False
        if entry.kind == "demonym" and _LANGUAGE_USE.match(after):
            return False
        return not (entry.key.startswith("Washington") and _STATE_AFTER.match(after))


@lru_cache(maxsize=1)
def default_gazetteer() -> CountryGazetteer:
    """The gazetteer built from the bundled data files (loaded once per process)."""
    return CountryGazetteer()
