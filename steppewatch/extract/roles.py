"""The role a country or place mention plays in its sentence.

- ``actor``: the country (its government, people, institutions) does or undergoes something:
  "Kazakhstan signed", "talks with Russia", "the Kazakh president", "Beijing said";
- ``location``: only where something happens: "the US commander in Iraq", "unrest in Iran",
  "parts of Iraq and Syria", "leaving for Beijing";
- ``modifier``: an attribute of something else: "a UK-based group", "pro-Russia rebels",
  "the Israeli-occupied Golan";
- ``language``: a demonym used as a language: "Russian-speaking", "translated from Russian".

Map counts leave out ``language`` and ``modifier``; the actor-country evaluation reads ``actor``.
Rules look at a few words either side of the mention, within its sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from steppewatch.extract.text import split_sentences, with_role
from steppewatch.models import Mention

ACTOR, LOCATION, MODIFIER, LANGUAGE = "actor", "location", "modifier", "language"

_LANGUAGE_AFTER = re.compile(r"^[-\s]?(?:speaking|speakers?|language|languages|dubbed|subtitles?)\b", re.I)
_LANGUAGE_BEFORE = re.compile(
    r"\b(?:translated (?:from|into)|in|into|speak(?:s|ing)?|spoke|learn(?:s|ed|ing)?|teach(?:es|ing)?)\s+$",
    re.I)
_LANGUAGE_END = re.compile(r"^\s*(?:[,.;:)]|and\b|or\b|$)")
_MODIFIER_AFTER = re.compile(
    r"^-(?:based|born|registered|listed|educated|trained|headquartered|occupied|controlled|annexed)\b", re.I)
_MODIFIER_BEFORE = re.compile(r"\b(?:pro|anti)-\s*$", re.I)
_LOCATION_BEFORE = re.compile(
    r"\b(?:in|inside|across|throughout|over|into|near|around|parts? of|regions? of|areas? of|"
    r"north of|south of|east of|west of|for)\s+(?:the\s+)?(?:(?:eastern|western|northern|southern|central|"
    r"north|south|east|west)\s+)?$", re.I)
# Nouns for institutions: "a court in Guyana" is Guyana's court, unless a nationality was given.
_INSTITUTION_BEFORE = re.compile(
    r"\b(?:court|courts|government|parliament|authorities|police|officials?|ministry|army|military|"
    r"prosecutors?|judges?|leaders?|opposition|people|citizens|residents|voters|lawmakers|embassy|"
    r"president|prime minister|regime|forces|troops)\s+(?:in|inside)\s+(?:the\s+)?$", re.I)
# A capital or city acts when it speaks or decides: "Beijing said", "Moscow's decision".
_METONYM_AFTER = re.compile(
    r"^(?:'s|’s|\s+(?:and\s+\w+\s+)?(?:has|have|had|will|would|is|was|says|said|wants|warned|accused|"
    r"denied|responded|announced|agreed|rejected|insisted|urged|demanded|hopes|plans|signed|"
    r"threatened|called|condemned|welcomed|refused|sent|imposed|vowed)\b)", re.I)
_COORDINATED = re.compile(r"^\s*(?:,|and|or|, and|, or)\s*(?:the\s+)?$", re.I)


def mention_role(text: str, m: Mention, sentence: tuple[int, int],
                 previous: tuple[Mention, str] | None = None) -> str:
    """The role of one country/place mention in its ``sentence`` (start, end offsets), see the
    module docstring."""
    lo, hi = sentence
    before = text[max(lo, m.start - 60):m.start]
    after = text[m.end:min(hi, m.end + 40)]
    is_demonym = m.kind == "country" and m.value == "demonym"
    as_language = _LANGUAGE_AFTER.match(after) or (_LANGUAGE_BEFORE.search(before) and _LANGUAGE_END.match(after))
    if is_demonym and as_language:
        return LANGUAGE
    if _MODIFIER_AFTER.match(after) or _MODIFIER_BEFORE.search(before):
        return MODIFIER
    if re.match(r"^(?:'s|’s)\b", after):
        return ACTOR  # "China's assistance", "Kenya's capital": the country itself
    if previous is not None and _COORDINATED.match(text[previous[0].end:m.start]):
        return previous[1]
    if m.kind == "place":
        return ACTOR if _METONYM_AFTER.match(after) else LOCATION
    if _LOCATION_BEFORE.search(before) and m.value != "demonym":
        if _INSTITUTION_BEFORE.search(before) and not _has_nationality(before):
            return ACTOR
        return LOCATION
    return ACTOR


def _has_nationality(before: str) -> bool:
    """A nationality word or country named just before: "the US commander in"."""
    return bool(re.search(r"\b(?:US|U\.S\.|UN|[A-Z][a-z]+(?:an|ish|ese|i|ch))\b", before[-45:]))


def assign_roles(text: str, mentions: list[Mention]) -> list[Mention]:
    """Set ``role`` on country and place mentions (people and dates keep theirs)."""
    sentences = split_sentences(text)
    starts = [s.start for s in sentences]
    out: list[Mention] = []
    previous: tuple[Mention, str] | None = None
    for m in mentions:
        if m.kind in {"country", "place"} and m.start >= 0:
            index = bisect_right(starts, m.start) - 1
            bounds = (sentences[index].start, sentences[index].end) if index >= 0 else (0, len(text))
            role = mention_role(text, m, bounds, previous)
            previous = (m, role)
            out.append(with_role(m, role))
        else:
            out.append(m)
    return out
