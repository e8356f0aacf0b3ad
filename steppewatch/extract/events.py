"""Visits and meetings, each with its evidence sentence, status and resolved date.

Rules over sentences with the mentions found by the other extractors:
- a visit trigger ("arrived in", "visit", "travel to", "heads to", "attend ... in") with a
  destination after it; the visitor is the person (or country) before the trigger;
- a host trigger ("hosted", "received", "welcomed"): subject hosts the object;
- a meeting trigger ("met", "meet with", "talks with", "told <person>"), with the place from the
  sentence or the narrative (dateline, last place the visitor was reported in);
- an occurred meeting abroad implies a visit; visits in one article with the same visitor and
  host merge (reciprocal and repeated reports become one record).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from steppewatch.extract.dates import DateMention, duration_days, find_date_ranges, find_dates
from steppewatch.extract.text import Sentence, split_sentences
from steppewatch.models import Event, Mention

_VISIT = re.compile(
    r"\b(arriv(?:ed|es|ing|e)|visit(?:ed|s|ing)?|trip to|travel(?:l?ed|l?ing|s)?(?: on)? to|"
    r"tour(?:ed|ing|s)?|landed in|lands in|head(?:s|ed|ing)? (?:to|for)|stopover in|fl(?:ew|ies|y|ying) to|"
    r"attend(?:s|ed|ing)?|came to|comes to|went to|goes to|go to|be in)\b", re.I)
_HOST = re.compile(r"\b(host(?:ed|s|ing)?|receiv(?:ed|es|ing)|welcom(?:ed|es|ing))\b", re.I)
_MEET = re.compile(
    r"\b(me(?:e)?t(?:s|ing)?(?: with)?|met(?: with)?|(?:held |holds |hold )?talks with|conferred with|"
    r"sat down with|discuss(?:ed|es)? \w+ with|negotiat\w+ with)\b", re.I)
_TOLD = re.compile(r"\b(told|tells|assured|thanked)\b", re.I)
_PLANNED = re.compile(
    r"\b(will|would|shall|plans? to|planned|planning to|is to|are to|scheduled|expected to|set to|"
    r"due to|intends? to|prepar(?:ed|es|ing) to|upcoming|next week|next month|to be held|"
    r"before (?:travel|visit|head|fly|go|leav)\w*|later this|is going to)\b", re.I)
_CANCELLED = re.compile(r"\b(cancel(?:l?ed|s)?|called off|scrapped|abandoned)\b", re.I)
_POSTPONED = re.compile(r"\b(postpon\w+|delayed|put off|rescheduled)\b", re.I)
_HISTORICAL = re.compile(r"\b(recalled|in \d{4}|years? ago|former|previous(?:ly)?|last visited)\b", re.I)
_NEGATED = re.compile(r"\b(not|never|no plans? to|denied|refused to|won't|will not)\b", re.I)
_TOPIC_GAP = re.compile(r"\b(on|about|over|regarding|concerning|against)\s+(?:the\s+)?\w+", re.I)
_INFINITIVE_BEFORE = re.compile(r"\bto\s*$", re.I)
# "a day before Sarkozy heads to Beijing", "ahead of the president's visit": still to come
_BEFORE_SUBJECT = re.compile(
    r"\b(?:before|ahead of)\s+(?:(?:[A-Z][\w.'’-]*|the|his|her|their|its)\s+){0,4}$")
_MULTILATERAL = [
    (re.compile(r"C5\s*\+\s*1|five Central Asian|all five|Central Asian foreign ministers", re.I), "C5+1"),
    (re.compile(r"\bSCO\b|Shanghai Cooperation", re.I), "SCO"),
    (re.compile(r"\bCIS\b|Commonwealth of Independent States", re.I), "CIS"),
    (re.compile(r"\bCSTO\b", re.I), "CSTO"),
    (re.compile(r"\bEAEU\b|Eurasian Economic Union", re.I), "EAEU"),
    (re.compile(r"\bOrganization of Turkic States\b|\bOTS\b", re.I), "OTS"),
    (re.compile(r"\bsummit\b", re.I), "summit"),
]
# "in Astana", "at the presidential palace in Astana", "in the Kazakh capital Astana"
_LOCATIVE = re.compile(r"\b(?:in|at|In|At)\s+(?:the\s+)?(?:[A-Z][a-z]+\s+capital\s+|capital\s+)?$")
_ACTOR_NOUNS = re.compile(
    r"^\s*(leader|president|prime minister|foreign minister|minister|delegation|officials?|"
    r"government|envoy|ambassador|commander|troops|navy|forces|national security advis[eo]r|"
    r"secretary of state|chief)\b", re.I)


@dataclass
class _Context:
    """What the narrative has established so far (for sentences that omit it)."""

    place: Mention | None
    date: str | None


def _status(sentence: str, trigger_start: int, past_default: str) -> str:
    """planned / occurred / postponed / cancelled / historical, from the words near the trigger."""
    after = sentence[trigger_start:trigger_start + 120]
    after = re.split(r",\s*(?:where|which|while|but)\b|;|\bwhere\b|\band then\b", after)[0]
    window = sentence[max(0, trigger_start - 60):trigger_start] + after
    for pattern, name in ((_CANCELLED, "cancelled"), (_POSTPONED, "postponed")):
        hit = pattern.search(window)
        if hit and not re.search(r"\b(?:not|never|n't)\s+(?:been\s+|be\s+)?$", window[:hit.start()]):
            return name
    clause = re.split(r"[;]|\bsaid\b|\bwho\b", sentence[:trigger_start])[-1]
    if _PLANNED.search(clause) or _INFINITIVE_BEFORE.search(clause) or _BEFORE_SUBJECT.search(clause):
        return "planned"
    return past_default


def _with_span(event: Event, sentence: str, anchor: dt.date | None) -> Event:
    """Start and end dates from a range in the sentence ("March 1-3") or a stay ("a three-day visit")."""
    ranges = find_date_ranges(sentence, anchor)
    if ranges:
        span = ranges[0]
        return replace(event, date=span.first, date_end=span.last, date_precision="day")
    days = duration_days(sentence)
    if days and event.date and len(event.date) == 10 and event.date_precision == "day":
        end = dt.date.fromisoformat(event.date) + dt.timedelta(days=days - 1)
        return replace(event, date_end=end.isoformat())
    return event


def _format(sentence: str) -> str:
    for pattern, name in _MULTILATERAL:
        if pattern.search(sentence):
            return name
    return "bilateral"


class EventExtractor:
    """Extracts visit and meeting events from an article's text and mentions."""

    def extract(self, text: str, mentions: list[Mention], published: str | None,
                dateline_place: Mention | None = None,
                captions: list[tuple[int, int]] | None = None) -> list[Event]:
        anchor = dt.date.fromisoformat(published) if published and len(published) == 10 else None
        events: list[Event] = []
        context = _Context(place=dateline_place, date=published if anchor else None)
        caption_spans = captions or []
        for index, sentence in enumerate(split_sentences(text)):
            if any(s <= sentence.start < e for s, e in caption_spans):
                continue
            in_sentence = [m for m in mentions if sentence.start <= m.start < sentence.end]
            future = bool(_PLANNED.search(sentence.text))
            dates = find_dates(sentence.text, anchor, future=future)
            lede = index <= 1
            found = [_with_span(e, sentence.text, anchor)
                     for e in self._sentence_events(sentence, in_sentence, dates, context, lede)]
            events.extend(found)
            day_dates = [d for d in dates if d.precision == "day" and d.value]
            if day_dates and not future:
                context.date = day_dates[0].value
            for event in found:
                if event.status == "occurred" and event.place and event.date == context.date:
                    place = next((m for m in in_sentence if m.kind == "place" and m.text == event.place), None)
                    context.place = place or context.place
        return merge_visits(events)

    # -- one sentence --------------------------------------------------------------------
    def _sentence_events(self, sentence: Sentence, mentions: list[Mention], dates: list[DateMention],
                         context: _Context, lede: bool) -> list[Event]:
        text = sentence.text
        rel = [replace(m, start=m.start - sentence.start, end=m.end - sentence.start) for m in mentions]
        people = [m for m in rel if m.kind == "person"]
        places = [m for m in rel if m.kind in {"place", "country"} and m.iso3 and m.iso3 != "SUN"]
        events: list[Event] = []
        if _NEGATED.search(text) and not _PLANNED.search(text):
            return events
        for trigger in _VISIT.finditer(text):
            events.extend(self._visits(sentence, trigger, people, places, dates, context, lede))
        for trigger in _HOST.finditer(text):
            event = self._hosted(sentence, trigger, people, places, dates, context)
            if event:
                events.append(event)
        meeting = self._meeting(sentence, people, places, dates, context)
        if meeting:
            events.append(meeting)
        return events

    def _date_for(self, dates: list[DateMention], trigger_start: int, context: _Context,
                  status: str, sentence: str) -> tuple[str | None, str]:
        usable = [d for d in dates if d.value and d.precision in {"day", "week"}]
        if not usable and (status == "historical" or not context.date):
            usable = [d for d in dates if d.value]
        if usable:
            nearest = min(usable, key=lambda d: abs(d.start - trigger_start))
            value = nearest.value
            if re.search(r"\bbefore\s+\w*\s*$", sentence[max(0, trigger_start - 30):trigger_start]) \
                    and nearest.precision == "day" and value:
                return (dt.date.fromisoformat(value) + dt.timedelta(days=1)).isoformat(), "estimated"
            return value, nearest.precision
        if context.date and status == "occurred":
            return context.date, "day"
        return None, "unknown"

    def _actor(self, people: list[Mention], places: list[Mention], before: int,
               text: str) -> tuple[str | None, str | None]:
        """The visitor: the last person before the trigger, else a country used as an actor."""
        subjects = [p for p in people if p.end <= before]
        if subjects:
            return subjects[0].value or subjects[0].text, subjects[0].iso3
        for m in places:
            if m.end <= before and m.kind == "country":
                after = text[m.end:m.end + 40]
                if _ACTOR_NOUNS.match(after) or re.match(r"^\s*(?:'s|’s)?\s*[A-Za-z ]{0,30}?$", after) \
                        or m.value in {"short", "name", "metonym"}:
                    return m.text, m.iso3
        return None, None

    def _visits(self, sentence: Sentence, trigger: re.Match[str], people: list[Mention],
                places: list[Mention], dates: list[DateMention], context: _Context,
                lede: bool) -> list[Event]:
        text = sentence.text
        verb = trigger.group(1).lower()
        if re.search(r"\b(against|ban on|banned|warn(?:s|ed|ing)? against)\s*$", text[:trigger.start()]):
            return []
        search_from = trigger.end()
        actor, actor_country = self._actor(people, places, trigger.start(), text)
        by = re.match(r"\s+(?:of|by)\s", text[trigger.end():]) if verb in {"visit", "visits", "trip"} else None
        if by:  # "the visit of President Mirziyoyev to Kyrgyzstan", "a visit by Putin to ..."
            guest = next((p for p in people if trigger.end() <= p.start <= trigger.end() + 60), None)
            if guest is not None and guest.iso3:
                actor, actor_country, search_from = guest.value or guest.text, guest.iso3, guest.end
        if actor_country is None:
            return []
        destinations = self._destinations(text, search_from, places, verb)
        if not destinations and verb.startswith("arriv") and lede and context.place is not None:
            destinations = [replace(context.place, start=-1, end=-1)]
        nominal = verb in {"visit", "visits", "trip to", "tour", "tours"} and not re.search(
            r"\b(will|to|would)\s+$", text[max(0, trigger.start() - 12):trigger.start()])
        status = _status(text, trigger.start(), "occurred")
        if nominal and status == "occurred":
            status = "unspecified"
        if status == "occurred" and _HISTORICAL.search(text[max(0, trigger.start() - 40):trigger.end() + 60]):
            year_dates = [d for d in dates if d.precision == "year"]
            if year_dates or re.search(r"\brecalled|former|previous", text, re.I):
                status = "historical"
        out: list[Event] = []
        for dest in destinations:
            if dest.iso3 == actor_country:
                continue
            date, precision = self._date_for(dates, trigger.start(), context, status, text)
            out.append(Event(
                type="visit", actor=actor, actor_country=actor_country, host_country=dest.iso3,
                place=dest.text if dest.kind == "place" else None, date=date, date_precision=precision,
                status=status, evidence=text, evidence_start=sentence.start, evidence_end=sentence.end,
                format=_format(text), confidence=0.8 if dest.start >= 0 else 0.6))
        return out

    def _destinations(self, text: str, after: int, places: list[Mention], verb: str) -> list[Mention]:
        """Places named after the trigger, stopping at a topic phrase ("summit on the unrest in")."""
        found: list[Mention] = []
        for m in places:
            if m.start < after:
                continue
            gap = text[after:m.start]
            if len(gap) > 60 or re.search(r"[;:]|\bfrom\s*$|\bsaid\b", gap):
                break
            if _TOPIC_GAP.search(gap) or re.search(r"\bwith\b", gap):
                break
            if m.kind == "country" and m.value in {"demonym", "historical"} and not re.search(
                    r"\bcapital\b", text[m.end:m.end + 12]):
                continue
            if found and m.iso3 == found[-1].iso3:
                # "Tashkent, Uzbekistan" or "the Kazakh capital Astana": keep the city.
                if m.kind == "place" and found[-1].kind != "place":
                    found[-1] = m
                continue
            between = text[found[-1].end:m.start] if found else ""
            # a new destination needs a coordinator or another trigger in between
            if found and not re.fullmatch(r"\s*(,|and|, and|&)\s*(?:the\s+)?", between) \
                    and not _VISIT.search(between):
                break
            found.append(m)
            after = m.end
        return found

    def _hosted(self, sentence: Sentence, trigger: re.Match[str], people: list[Mention],
                places: list[Mention], dates: list[DateMention], context: _Context) -> Event | None:
        """"A hosted B": B visits A's country."""
        text = sentence.text
        host, host_country = self._actor(people, places, trigger.start(), text)
        guests = [p for p in people if p.start >= trigger.end()] or [
            m for m in places if m.start >= trigger.end() and m.kind == "country"]
        if not guests or host_country is None:
            return None
        guest = guests[0]
        if guest.iso3 in {None, host_country}:
            return None
        status = _status(text, trigger.start(), "occurred")
        date, precision = self._date_for(dates, trigger.start(), context, status, text)
        place = next((m for m in places if m.kind == "place" and m.iso3 == host_country), None)
        return Event(type="visit", actor=guest.value or guest.text, actor_country=guest.iso3,
                     host_country=host_country, place=place.text if place else None, date=date,
                     date_precision=precision, status=status, evidence=text,
                     evidence_start=sentence.start, evidence_end=sentence.end,
                     counterpart=host, format=_format(text), confidence=0.6)

    def _meeting(self, sentence: Sentence, people: list[Mention], places: list[Mention],
                 dates: list[DateMention], context: _Context) -> Event | None:
        text = sentence.text
        trigger = _MEET.search(text)
        told = None
        if trigger is None:
            told = _TOLD.search(text)
            if told is None or not any(p.start >= told.end() and p.start - told.end() < 40 for p in people):
                return None
            trigger = told
        participants: list[Mention] = []
        subject = [p for p in people if p.end <= trigger.start()]
        objects = [p for p in people if trigger.end() <= p.start <= trigger.end() + 45]
        for p in subject[-2:] + objects[:1]:
            if p.entity_id not in {q.entity_id for q in participants}:
                participants.append(p)
        country_actors = [m for m in places if m.kind == "country" and m.value != "historical"]
        place = next((m for m in places if m.kind == "place" and _LOCATIVE.search(text[max(0, m.start - 40):m.start])),
                     None)
        place_mention = place or context.place
        host_country = place_mention.iso3 if place_mention else None
        if not participants and len(country_actors) < 1:
            return None
        status = _status(text, trigger.start(), "occurred")
        date, precision = self._date_for(dates, trigger.start(), context, status, text)
        subject_countries = [m for m in country_actors if m.end <= trigger.start()
                             and not any(p.start <= m.start < p.end + 25 for p in participants)]
        object_countries = [m for m in country_actors if trigger.end() <= m.start <= trigger.end() + 70]
        if participants and (subject or not subject_countries):
            foreign = [p for p in participants if p.iso3 and p.iso3 != host_country]
            actor_mention = foreign[0] if foreign and host_country else participants[0]
            others = [p for p in participants if p is not actor_mention]
            actor, actor_country = actor_mention.value or actor_mention.text, actor_mention.iso3
        elif subject_countries:
            actor, actor_country = subject_countries[0].text, subject_countries[0].iso3
            others = participants
        else:
            return None
        counterpart = ", ".join(dict.fromkeys(p.value or p.text for p in others)) or \
            self._object_phrase(text, trigger.end())
        if actor_country is None:
            return None
        countries = [actor_country, *(p.iso3 for p in others),
                     *(m.iso3 for m in (subject_countries if not subject else [])),
                     *(m.iso3 for m in object_countries)]
        if host_country:
            countries.append(host_country)
        participant_countries = tuple(dict.fromkeys(c for c in countries if c and c != "SUN"))
        return Event(type="meeting", actor=actor, actor_country=actor_country,
                     host_country=host_country, place=place_mention.text if place_mention and
                     place_mention.kind == "place" else None, date=date, date_precision=precision,
                     status=status, evidence=text, evidence_start=sentence.start,
                     evidence_end=sentence.end, counterpart=counterpart, format=_format(text),
                     confidence=0.5 if told else 0.7, participants=participant_countries)

    @staticmethod
    def _object_phrase(text: str, start: int) -> str | None:
        m = re.match(r"\s*((?:the |all |with )?[^,.;]{3,80}?)(?=\s+(?:in|on|at|before|after|to|during)\b|[,.;]|$)",
                     text[start:])
        return m.group(1).strip() if m else None


_STATUS_RANK = {"occurred": 4, "historical": 3, "cancelled": 3, "postponed": 3, "planned": 2,
                "unspecified": 1}


def merge_visits(events: list[Event]) -> list[Event]:
    """Merge visits with the same visitor and host whose dates agree (or one is unknown);
    add the visit implied by an occurred meeting abroad. Meetings are kept as they are."""
    implied = [
        Event(type="visit", actor=e.actor, actor_country=e.actor_country, host_country=e.host_country,
              place=e.place, date=e.date, date_precision=e.date_precision, status=e.status,
              evidence=e.evidence, evidence_start=e.evidence_start, evidence_end=e.evidence_end,
              format=e.format, confidence=0.5)
        for e in events if e.type == "meeting" and e.status == "occurred"
        and e.actor_country and e.host_country and e.actor_country != e.host_country and e.place]
    visits: list[Event] = []
    for event in [e for e in events if e.type == "visit"] + implied:
        for i, known in enumerate(visits):
            if known.actor_country == event.actor_country and known.host_country == event.host_country \
                    and _dates_agree(known.date, event.date):
                visits[i] = _combine(known, event)
                break
        else:
            visits.append(event)
    visits = [replace(v, status="occurred") if v.status == "unspecified" else v for v in visits]
    meetings = _dedupe_meetings([e for e in events if e.type == "meeting"])
    return sorted(visits + meetings, key=lambda e: (e.evidence_start, e.type))


def _dates_agree(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return True
    try:
        return abs((dt.date.fromisoformat(a[:10]) - dt.date.fromisoformat(b[:10])).days) <= 0 \
            if len(a) == 10 and len(b) == 10 else a[:7] == b[:7]
    except ValueError:
        return a == b


def _combine(a: Event, b: Event) -> Event:
    """One record from two reports of the same visit: the stronger status, the most detail."""
    primary, other = (a, b) if (_STATUS_RANK.get(a.status, 0), a.confidence) >= \
        (_STATUS_RANK.get(b.status, 0), b.confidence) else (b, a)
    return replace(primary, place=primary.place or other.place, date=primary.date or other.date,
                   date_precision=primary.date_precision if primary.date else other.date_precision,
                   actor=primary.actor or other.actor,
                   format=primary.format if primary.format != "bilateral" else other.format,
                   confidence=max(a.confidence, b.confidence))


def _dedupe_meetings(meetings: list[Event]) -> list[Event]:
    out: list[Event] = []
    for m in meetings:
        if any(o.actor_country == m.actor_country and o.counterpart == m.counterpart
               and o.date == m.date and o.host_country == m.host_country for o in out):
            continue
        out.append(m)
    return out
