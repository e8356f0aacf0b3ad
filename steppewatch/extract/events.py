"""Visits, meetings and calls, each with its evidence sentence, status, mode and resolved date.

``EventExtractor`` walks an article's sentences with the mentions the other extractors found:
- English sentences go to ``events_en.EnglishEvents``, which reads each clause's structure (subject,
  co-subjects, anaphora, destination lists, objects, place) with a document frame (publisher,
  dateline, the traveller and leg being narrated, a call reported in the headline);
- the other languages (ru, kk, ky, uz, tg, zh) use their trigger tables in ``event_lexicon``
  (case endings, light verbs, SOV destinations); a phone or video cue makes a meeting a ``call``;
- visits in one article with the same visitor and host merge (reciprocal and repeated reports become
  one record), and a meeting in person abroad implies a visit by each side.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from steppewatch import settings
from steppewatch.extract.dates import DateMention, duration_days, find_date_ranges, find_dates, shifted_date
from steppewatch.extract.event_lexicon import VENUES, Lexicon, lexicons_for
from steppewatch.extract.events_en import EnglishEvents, Frame, gates, remote_mode
from steppewatch.extract.gazetteer import mention_place_name
from steppewatch.extract.prefilter import Gate, fold
from steppewatch.extract.publisher import publisher_country
from steppewatch.extract.text import Sentence, match_key, shifted, split_sentences
from steppewatch.models import Event, Mention

_MULTILATERAL = [
    (re.compile(r"C5\s*\+\s*1|five Central Asian|all five|Central Asian foreign ministers", re.I), "C5+1"),
    (re.compile(r"\bSCO\b|Shanghai Cooperation", re.I), "SCO"),
    (re.compile(r"\bCIS\b|Commonwealth of Independent States", re.I), "CIS"),
    (re.compile(r"\bCSTO\b", re.I), "CSTO"),
    (re.compile(r"\bEAEU\b|Eurasian Economic Union", re.I), "EAEU"),
    (re.compile(r"\bOrganization of Turkic States\b|\bOTS\b", re.I), "OTS"),
    (re.compile(r"ШОС|ШҲТ|SHHT|上合组织|上海合作组织|ШЫҰ|ШКУ"), "SCO"),
    (re.compile(r"\bСНГ\b|\bТМД\b|\bМДҲ\b|独联体"), "CIS"),
    (re.compile(r"ОДКБ|ҰҚШҰ|КЖКУ|集安组织"), "CSTO"),
    (re.compile(r"ЕАЭС|ЕАЭО|ЕАЭБ|欧亚经济联盟"), "EAEU"),
    (re.compile(r"Организаци\w+ тюркских государств|Түркі мемлекеттері|Turkiy davlatlar|突厥国家组织"), "OTS"),
    (re.compile(r"Центральная Азия\s*[–—-]\s*|中国[－—-]中亚|中亚峰会|Орталық Азия\s*[–—-]"), "C5+1"),
    (re.compile(r"\bsummit\b", re.I), "summit"),
    (re.compile(r"саммит|峰会|sammit", re.I), "summit"),
]


@dataclass
class _Context:
    """What the narrative has established so far (for sentences that omit it)."""

    place: Mention | None
    date: str | None
    people: list[Mention] = field(default_factory=list)  # named in the last sentence naming anyone


# "He will visit Tashkent next", "Затем госсекретарь посетит Ташкент": a pronoun, or the title the
# last person named holds, stands for that person.
_PRONOUN = re.compile(
    r"^\s*(?:(?:Then|Later|Afterwards|Затем|Позже|Потом|После этого|Также),?\s+)?"
    r"(He|She|Он|Она|[Tt]he (?:US |U\.S\. )?(?:[Ss]ecretary(?: of [Ss]tate)?|[Pp]resident|[Pp]rime [Mm]inister|"
    r"[Ff]oreign [Mm]inister|[Mm]inister)|[Гг]оссекретарь|[Пп]резидент|[Пп]ремьер(?:-министр)?|[Гг]лава МИД|"
    r"[Мм]инистр)\b")
_TITLE_ROLES = {"secretary": "Secretary", "президент": "President", "president": "President",
                "premier": "Prime Minister", "премьер": "Prime Minister", "prime": "Prime Minister",
                "foreign": "Foreign Minister", "глава": "Foreign Minister", "minister": "Minister",
                "министр": "Minister", "госсекретарь": "Secretary of State"}


def _stands_for(phrase: str, person: Mention) -> bool:
    """A pronoun stands for anyone; a title only for a person holding it."""
    words = phrase.lower().replace("the ", "").replace("us ", "").replace("u.s. ", "").split()
    if words[0] in {"he", "she", "он", "она"}:
        return True
    wanted = _TITLE_ROLES.get(words[0].split("-")[0])
    return bool(wanted and person.role and wanted.lower() in person.role.lower())


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


# -- helpers for the per-language tables ---------------------------------------------------------
_ARRIVAL = re.compile(r"прибы|прилет|抵达|到达|飞抵|келді|келіп жетті|келди|keldi|yetib keldi|келди|етиб келди|"
                      r"ворид|расид", re.I)
# "应国家主席习近平邀请" / "по приглашению ...": the inviter is not the visitor
_INVITER = re.compile(r"^[^，,]{0,6}邀请")
_COORDINATOR = re.compile(r"\s*(?:,|、|和|及|и|және|мен|жана|va|ва|ва|,\s*и)\s*")


def _name(m: Mention) -> str:
    """A person's canonical name, a country's surface form."""
    return (m.value or m.text) if m.kind == "person" else m.text


def _search(pattern: re.Pattern[str], text: str, gate: Gate | None) -> re.Match[str] | None:
    """``pattern.search(text)``, not run when ``gate`` (``gates()`` for ``text``) says it cannot match."""
    if gate is not None and not gate.may(pattern, False):
        return None
    return pattern.search(text)


def _has_trigger(text: str, lex: Lexicon, gate: Gate | None = None) -> bool:
    """Whether the (folded) sentence has any trigger of ``lex`` (skips the table cheaply otherwise);
    ``gate``: the sentence's, when the caller has it."""
    return bool(_search(lex.visit, text, gate) or _search(lex.host, text, gate)
                or _search(lex.meet, text, gate)
                or (lex.visit_noun is not None and _search(lex.visit_noun, text, gate)))


def _ranked(tables: list[Lexicon], text: str, gate: Gate | None = None) -> list[Lexicon]:
    """English first (its rules run on every sentence as before), then the tables with most words in the
    sentence (Kyrgyz "сапар менен барат" over Kazakh "сапар"); ties keep the article language's order."""
    head = [lex for lex in tables if lex.english]
    rest = [lex for lex in tables if not lex.english]
    if len(rest) < 2:
        return head + rest

    def score(lex: Lexicon) -> int:
        patterns = [lex.visit, lex.host, lex.meet, lex.planned, lex.cancelled, lex.postponed, lex.denial]
        if lex.visit_noun is not None:
            patterns.append(lex.visit_noun)
        return sum(len(p.findall(text)) for p in patterns if gate is None or gate.may(p, False))

    scores = {lex.language: score(lex) for lex in rest}
    return head + sorted(rest, key=lambda lex: -scores[lex.language])


def _is_arrival(word: str) -> bool:
    return bool(_ARRIVAL.match(word))


# A Russian participle or relative clause after a comma ("прибывшим", "находящийся", "который")
_RELATIVE_RU = re.compile(r",\s*(?:котор\w+|[а-яё]+(?:вш|ющ|ящ|ущ|ащ)[а-яё]+)\b[^,]*$", re.I)


def _status_ml(text: str, default: str, dates: list[DateMention], lex: Lexicon) -> str:
    """Sentence-level status in a language whose tense sits on the verb or around it."""
    if lex.cancelled.search(text):
        return "cancelled"
    if lex.postponed.search(text):
        return "postponed"
    if lex.planned.search(text):
        return "planned"
    if lex.historical.search(text) or any(d.precision == "year" for d in dates):
        return "historical"
    return default


def _date_ml(dates: list[DateMention], trigger_start: int, context: _Context, status: str) -> tuple[str | None, str]:
    """The nearest day (else week, month or year) to the trigger; the narrative's day for occurred events."""
    for precisions in ({"day", "week"}, {"month", "year"}):
        usable = [d for d in dates if d.value and d.precision in precisions]
        if usable:
            nearest = min(usable, key=lambda d: abs(d.start - trigger_start))
            return nearest.value, nearest.precision
    if context.date and status in {"occurred", "unspecified"}:
        return context.date, "day"
    return None, "unknown"


def _clause(text: str, position: int, lex: Lexicon) -> tuple[int, int]:
    """The clause around ``position`` (split at the language's clause breaks)."""
    lo, hi = 0, len(text)
    if lex.clause_break is None:
        return lo, hi
    for m in lex.clause_break.finditer(text):
        if m.end() <= position:
            lo = m.end()
        elif m.start() >= position:
            hi = m.start()
            break
    return lo, hi


def _word(text: str, m: Mention) -> str:
    """The whole word a mention sits in (with the case ending the gazetteer may have left out)."""
    end = m.end
    while end < len(text) and (text[end].isalpha() or text[end] == "'") and not _is_han(text[end]):
        end += 1
    return text[m.start:end]


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _oblique(person: Mention, text: str) -> bool:
    """A name with an ending after it ("Токаева", "Путинмен", "Mirziyoyevni"): not the subject."""
    return person.end < len(text) and (text[person.end].isalpha() and not _is_han(text[person.end]))


def _before(text: str, m: Mention) -> str:
    return text[max(0, m.start - 12):m.start]


def _marked(text: str, m: Mention, lex: Lexicon) -> bool:
    """A preposition or case ending on a place: it is a destination, source or location."""
    if m.start < 0:
        return False
    if lex.marker_before is not None and lex.marker_before.search(_before(text, m)):
        return True
    return lex.case_suffix is not None and bool(lex.case_suffix.search(_word(text, m)))


def _is_direction(text: str, m: Mention, lex: Lexicon) -> bool:
    if lex.direction_before is not None and lex.direction_before.search(_before(text, m)):
        return True
    return lex.direction_suffix is not None and bool(lex.direction_suffix.search(_word(text, m)))


def _is_source(text: str, m: Mention, lex: Lexicon) -> bool:
    if lex.source is not None and lex.source.search(_before(text, m)):
        return True
    return lex.source_suffix is not None and bool(lex.source_suffix.search(_word(text, m)))


def _is_locative(text: str, m: Mention, lex: Lexicon) -> bool:
    if m.entity_id == "venue":
        return True
    if lex.locative is not None and lex.locative.search(_before(text, m)):
        return True
    return lex.locative_suffix is not None and bool(lex.locative_suffix.search(_word(text, m)))


def _is_topic(text: str, trigger: re.Match[str], lex: Lexicon) -> bool:
    """"о возможном визите", "сапары туралы", "关于...访问的传闻": the visit is only talked about."""
    if lex.topic_before is not None and lex.topic_before.search(text[max(0, trigger.start() - 40):trigger.start()]):
        return True
    return lex.topic_after is not None and bool(lex.topic_after.search(text[trigger.end():trigger.end() + 20]))


def _chain(text: str, side: list[Mention]) -> list[Mention]:
    """The nearest destination and those joined to it by "и", "和", ","; one per country, cities first."""
    found = [side[0]]
    for m in side[1:]:
        first, second = sorted((found[-1], m), key=lambda x: x.start)
        if not _COORDINATOR.fullmatch(text[first.end:second.start]) and m.iso3 != found[-1].iso3:
            break
        found.append(m)
    by_country: dict[str | None, Mention] = {}
    for m in sorted(found, key=lambda x: x.start):
        known = by_country.get(m.iso3)
        if known is None or (m.kind == "place" and known.kind != "place"):
            by_country[m.iso3] = m
    return list(by_country.values())


def _venues(text: str, mentions: list[Mention]) -> list[Mention]:
    """Residences and halls that name their city ("Ақордада" -> Astana, "人民大会堂" -> Beijing)."""
    out: list[Mention] = []
    for venue, (city, iso3) in VENUES.items():
        for m in re.finditer(re.escape(venue), text, re.I):
            # a metonym ("Ақордада": Kazakhstan's government) does not hide the venue it names
            if not any(x.start <= m.start() < x.end for x in mentions + out if x.value != "metonym"):
                out.append(Mention("place", city, m.start(), m.end(), iso3=iso3, entity_id="venue"))
    return out


def _location_line(sentence: Sentence, mentions: list[Mention]) -> Mention | None:
    """A location line under the headline ("The Kremlin, Moscow", "Sochi"): the place the text is from."""
    words = re.findall(r"[\w-]+", sentence.text)
    places = [m for m in mentions if m.kind == "place" and m.iso3]
    if not places or len(words) > 6:
        return None
    rest = sentence.text
    for m in places:
        rest = rest.replace(m.text, " ")
    if re.fullmatch(r"[\s,.;–—-]*(?:(?:The\s+)?Kremlin|Novo-Ogaryovo|Bocharov Ruchei|Region|Moscow Region|"
                    r"[\s,.;–—-])*", rest):
        return replace(places[-1], start=-1, end=-1)
    return None


class EventExtractor:
    """Extracts visit and meeting events from an article's text and mentions."""

    def extract(self, text: str, mentions: list[Mention], published: str | None,
                dateline_place: Mention | None = None,
                captions: list[tuple[int, int]] | None = None, language: str | None = None,
                article_dates: list[DateMention] | None = None, source: str | None = None,
                url: str | None = None) -> list[Event]:
        """Events of one article; ``language`` picks the trigger tables (unknown: all of them).

        ``article_dates``: the article's dates as ``find_dates(text, anchor)`` gives them (read in the past),
        when the caller has them already; a sentence read in the future is re-read on its own.
        ``source`` and ``url`` tell whether a government publishes the text (see ``publisher``)."""
        anchor = dt.date.fromisoformat(published) if published and len(published) == 10 else None
        events: list[Event] = []
        context = _Context(place=dateline_place, date=published if anchor else None)
        frame = Frame(home_country=publisher_country(source, url), published=published if anchor else None,
                      dateline=dateline_place)
        english = EnglishEvents(frame, anchor)
        caption_spans = captions or []
        tables = lexicons_for(language)
        found_dates: dict[tuple[int, bool], list[DateMention]] = {}
        readings: dict[bool, list[DateMention]] = {} if article_dates is None else {False: article_dates}

        def dates_of(sentence: Sentence, future: bool) -> list[DateMention]:
            """The sentence's dates, read in the past or the future (each reading computed once): those of
            the article's reading (the text is scanned once) that lie in the sentence."""
            key = (sentence.start, future)
            if key not in found_dates:
                if article_dates is None:
                    found_dates[key] = find_dates(sentence.text, anchor, future=future)
                else:
                    if future not in readings:
                        readings[future] = find_dates(text, anchor, future=future)
                    found_dates[key] = [shifted_date(d, sentence.start) for d in readings[future]
                                        if sentence.start <= d.start and d.end <= sentence.end]
            return found_dates[key]

        keyed = match_key(text)  # each sentence's ``match_key`` is its slice (the folds keep offsets)
        folded_text, folded_keyed = fold(text), fold(keyed)  # the prefilters' copies (see ``prefilter``)
        same_fold = folded_text == folded_keyed
        patterns = gates()
        for index, sentence in enumerate(split_sentences(text)):
            if any(s <= sentence.start < e for s, e in caption_spans):
                continue
            if len(sentence.text) > settings.MAX_EVENT_SENTENCE_CHARS:
                continue  # not a news sentence (a table, a page without punctuation)
            in_sentence = [m for m in mentions if sentence.start <= m.start < sentence.end]
            own_mentions = in_sentence
            if index <= 3 and frame.dateline is None:
                frame.dateline = _location_line(sentence, in_sentence)
            named = [m for m in in_sentence if m.kind == "person"]
            pronoun = _PRONOUN.match(sentence.text)
            meant = next((p for p in context.people if _stands_for(pronoun.group(1), p)), None) if pronoun else None
            if pronoun and meant is not None:
                start = sentence.start + pronoun.start(1)
                in_sentence = [replace(meant, text=pronoun.group(1), start=start,
                                       end=start + len(pronoun.group(1))), *in_sentence]
            if named:
                context.people = named
            lede = index <= 1
            future, dates, found = False, [], []
            folded = keyed[sentence.start:sentence.end]  # == match_key(sentence.text)
            gate_plain = patterns.gate(folded_text[sentence.start:sentence.end])  # fold(sentence.text)
            gate_keyed = gate_plain if same_fold else patterns.gate(folded_keyed[sentence.start:sentence.end])
            lexicons = _ranked(tables, folded, gate_keyed)
            for number, lex in enumerate(lexicons):
                if not lex.english and not _has_trigger(folded, lex, gate_keyed):
                    continue
                lex_future = bool(_search(lex.planned, sentence.text, gate_plain) if lex.english
                                  else _search(lex.planned, folded, gate_keyed))
                lex_dates = dates_of(sentence, lex_future)
                if number == 0:
                    future, dates = lex_future, lex_dates
                raw = (english.sentence(sentence, own_mentions, lex_dates, title=index == 0, gate=gate_plain)
                       if lex.english
                       else self._sentence_events_ml(sentence, in_sentence, lex_dates, context, lede, lex))
                if raw:
                    future, dates = lex_future, lex_dates
                    found = [_with_span(e, sentence.text, anchor) for e in raw]
                    break
                if not lex.english and _search(lex.denial, folded, gate_keyed):  # "не планирует": no table overrides
                    break
            if not dates and not found:
                future = bool(_search(lexicons[0].planned, folded, gate_keyed))
                dates = dates_of(sentence, future)
            events.extend(found)
            day_dates = [d for d in dates if d.precision == "day" and d.value]
            if day_dates and not future:
                context.date = day_dates[0].value
            for event in found:
                if event.status == "occurred" and event.place and event.date == context.date:
                    place = next((m for m in in_sentence
                                  if m.kind == "place" and mention_place_name(m) == event.place), None)
                    context.place = place or context.place
        return merge_visits(events)

    # -- other languages: the same steps over a language's trigger table ------------------------
    def _meeting(self, sentence: Sentence, people: list[Mention], places: list[Mention],
                 dates: list[DateMention], context: _Context, lex: Lexicon) -> Event | None:
        """A meeting (or, with a phone/video cue, a call) in a language other than English."""
        text = match_key(sentence.text)
        trigger = lex.meet.search(text)
        if trigger is None:
            return None
        participants: list[Mention] = []
        subject = [p for p in people if p.end <= trigger.start()]
        objects = [p for p in people if trigger.end() <= p.start <= trigger.end() + 45]
        for p in subject[-2:] + objects[:1]:
            if p.entity_id not in {q.entity_id for q in participants}:
                participants.append(p)
        country_actors = [m for m in places if m.kind == "country" and m.value != "historical"]
        place = next((m for m in places if m.kind == "place" and _is_locative(text, m, lex)), None)
        place_mention = place or context.place
        host_country = place_mention.iso3 if place_mention else None
        if not participants and len(country_actors) < 1:
            return None
        status = _status_ml(text, "occurred", dates, lex)
        date, precision = _date_ml(dates, trigger.start(), context, status)
        subject_countries = [m for m in country_actors if m.end <= trigger.start()
                             and not any(p.start <= m.start < p.end + 25 for p in participants)]
        object_countries = [m for m in country_actors if trigger.end() <= m.start <= trigger.end() + 70]
        with_marker = None if lex.cased else re.search(r"[同与和跟][^同与和跟，,。]*$", text[:trigger.start()])
        if with_marker is not None:  # "王毅同乌兹别克斯坦外长…举行会晤": the counterpart sits before the verb
            object_countries += [m for m in country_actors if with_marker.start() < m.start < trigger.start()]
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
        counterpart = ", ".join(dict.fromkeys(p.value or p.text for p in others)) or None
        if actor_country is None:
            return None
        countries = [actor_country, *(p.iso3 for p in others),
                     *(m.iso3 for m in (subject_countries if not subject else [])),
                     *(m.iso3 for m in object_countries)]
        if host_country:
            countries.append(host_country)
        participant_countries = tuple(dict.fromkeys(c for c in countries if c and c != "SUN"))
        mode = remote_mode(sentence.text)
        if mode:  # a call or video conference: a contact, not a meeting in a city
            return Event(type="call", actor=actor, actor_country=actor_country, host_country=None, place=None,
                         date=date, date_precision=precision, status=status, evidence=sentence.text,
                         evidence_start=sentence.start, evidence_end=sentence.end, counterpart=counterpart,
                         format=_format(text), confidence=0.7,
                         participants=participant_countries, mode=mode)
        return Event(type="meeting", actor=actor, actor_country=actor_country,
                     host_country=host_country, place=mention_place_name(place_mention) if place_mention and
                     place_mention.kind == "place" else None, date=date, date_precision=precision,
                     status=status, evidence=text, evidence_start=sentence.start,
                     evidence_end=sentence.end, counterpart=counterpart, format=_format(text),
                     confidence=0.7, participants=participant_countries,
                     mode="in_person" if place_mention is not None else "unspecified")

    def _sentence_events_ml(self, sentence: Sentence, mentions: list[Mention], dates: list[DateMention],
                            context: _Context, lede: bool, lex: Lexicon) -> list[Event]:
        text = match_key(sentence.text)
        if lex.denial.search(text) and not lex.cancelled.search(text):
            return []
        rel = [shifted(m, sentence.start) for m in mentions]
        people = [m for m in rel if m.kind == "person" and m.iso3]
        places = [m for m in rel if m.kind in {"place", "country"} and m.iso3 and m.iso3 != "SUN"
                  and m.value != "historical"] + _venues(text, rel)
        places.sort(key=lambda m: m.start)
        events: list[Event] = []
        triggers = [(t, False) for t in lex.visit.finditer(text)]
        if lex.visit_noun is not None:
            triggers += [(t, True) for t in lex.visit_noun.finditer(text)]
        for trigger, nominal in sorted(triggers, key=lambda pair: pair[0].start()):
            events.extend(self._visits_ml(sentence, text, trigger, nominal, people, places, dates, context, lede,
                                          lex))
        for trigger in lex.host.finditer(text):
            event = self._hosted_ml(sentence, text, trigger, people, places, dates, context, lex)
            if event:
                events.append(event)
        meeting = self._meeting(sentence, people, places, dates, context, lex)
        if meeting:
            events.append(meeting)
        return events

    def _subject_ml(self, people: list[Mention], trigger: re.Match[str], text: str, lex: Lexicon) -> Mention | None:
        """The acting person: a name in the nominative before the trigger, else after it ("В Ташкент прибыл
        президент Казахстана ..."), else (uncased languages) the first name before the trigger."""
        before = [p for p in people if p.end <= trigger.start() and not _INVITER.search(text[p.end:trigger.start()])]
        if not lex.cased:  # Chinese: the name in the trigger's own "，" clause, else the sentence's first
            own = [p for p in before if not re.search(r"[，,]", text[p.end:trigger.start()])]
            return own[-1] if own else (before[0] if before else None)
        nominative = [p for p in before if not _oblique(p, text)]
        if nominative:
            return nominative[0]
        after = [p for p in people if p.start >= trigger.end() and not _oblique(p, text)]
        return after[0] if after else None

    def _country_actor_ml(self, places: list[Mention], text: str, start: int, end: int,
                          lex: Lexicon) -> Mention | None:
        """A country acting on its own ("Казахстан направил делегацию"), not marked by a case or preposition."""
        return next((m for m in places if start <= m.start and m.end <= end and m.kind == "country"
                     and m.value in {"short", "name", "metonym"} and not _marked(text, m, lex)), None)

    def _visits_ml(self, sentence: Sentence, text: str, trigger: re.Match[str], nominal: bool,
                   people: list[Mention], places: list[Mention], dates: list[DateMention], context: _Context,
                   lede: bool, lex: Lexicon) -> list[Event]:
        lo, hi = _clause(text, trigger.start(), lex)
        c_people = [p for p in people if lo <= p.start < hi]
        c_places = [m for m in places if lo <= m.start < hi]
        if nominal and _is_topic(text, trigger, lex):
            return []
        search_from = trigger.end()
        actor: Mention | None = None
        if nominal and lex.destination == "after":  # "визит Токаева в Китай": the genitive after the noun
            actor = next((p for p in c_people if trigger.end() <= p.start <= trigger.end() + 40), None)
            if actor is not None:
                search_from = actor.end
        relative = _RELATIVE_RU.search(text[:trigger.start()]) if lex.cased else None
        if actor is None and relative is not None:
            # "... с Мирзиёевым, прибывшим в Россию с визитом" / "..., который находится в Москве с визитом":
            # the participle or relative clause is about the person right before the comma
            actor = next((p for p in reversed(people) if p.end <= relative.start()
                          and relative.start() - p.end <= 3), None)
        actor = actor or self._subject_ml(c_people, trigger, text, lex) \
            or self._country_actor_ml(c_places, text, lo, trigger.start(), lex)
        if actor is None and nominal:  # "Тоқаевтың ... сапары", "Mirziyoyevning ... tashrifi": the possessor
            actor = next((p for p in c_people if p.end <= trigger.start()), None)
        if actor is None or actor.iso3 is None:
            return []
        destinations = self._destinations_ml(text, trigger, search_from, actor, c_places, lex)
        if not destinations and not nominal and lede and context.place is not None \
                and lex.visit.search(text[trigger.start():trigger.end()]) and context.place.iso3 != actor.iso3:
            destinations = [replace(context.place, start=-1, end=-1)] if _is_arrival(trigger.group(0)) else []
        status = _status_ml(text[lo:hi], "unspecified" if nominal else "occurred", dates, lex)
        out: list[Event] = []
        for dest in destinations:
            date, precision = _date_ml(dates, trigger.start(), context, status)
            out.append(Event(
                type="visit", actor=_name(actor), actor_country=actor.iso3, host_country=dest.iso3,
                place=mention_place_name(dest) if dest.kind == "place" else None, date=date, date_precision=precision,
                status=status, evidence=sentence.text, evidence_start=sentence.start, evidence_end=sentence.end,
                format=_format(text), confidence=0.8 if dest.start >= 0 else 0.6))
        return out

    def _destinations_ml(self, text: str, trigger: re.Match[str], search_from: int, actor: Mention,
                         places: list[Mention], lex: Lexicon) -> list[Mention]:
        """Foreign places on the language's side of the trigger (the other side when that has none)."""
        candidates = [m for m in places if m.iso3 != actor.iso3 and m.value != "demonym"
                      and not (actor.start <= m.start < actor.end) and not _is_source(text, m, lex)]
        after = [m for m in candidates if m.start >= search_from and m.start - search_from <= 60]
        floor = actor.end if actor.end <= trigger.start() else 0
        before = [m for m in candidates if m.end <= trigger.start() and m.start >= floor
                  and trigger.start() - m.end <= 60]
        before.reverse()  # nearest first
        directed = [m for m in before if _is_direction(text, m, lex)]
        if lex.destination == "before":
            sides = [directed or before, after]
        else:
            sides = [after, directed or before]
        for side in sides:
            if side:
                return _chain(text, side)
        return []

    def _hosted_ml(self, sentence: Sentence, text: str, trigger: re.Match[str], people: list[Mention],
                   places: list[Mention], dates: list[DateMention], context: _Context, lex: Lexicon) -> Event | None:
        """"A принял B" / "A B-ні қабылдады" / "A 欢迎 B": B visits A's country."""
        lo, hi = _clause(text, trigger.start(), lex)
        c_people = [p for p in people if lo <= p.start < hi]
        c_places = [m for m in places if lo <= m.start < hi]
        host = self._subject_ml(c_people, trigger, text, lex) \
            or self._country_actor_ml(c_places, text, lo, trigger.start(), lex)
        if host is None or host.iso3 is None:
            return None
        others = [p for p in c_people if p.iso3 != host.iso3]
        guest = next((p for p in others if p.start >= trigger.end()), None) \
            or next((p for p in reversed(others) if p.end <= trigger.start()), None)
        if guest is None:
            countries = [m for m in c_places if m.kind == "country" and m.iso3 != host.iso3
                         and m.value != "demonym" and not (host.start <= m.start < host.end)]
            guest = next((m for m in countries if m.start >= trigger.end()), None) \
                or next((m for m in reversed(countries) if host.end <= m.start and m.end <= trigger.start()), None)
        if guest is None or guest.iso3 is None:
            return None
        status = _status_ml(text, "occurred", dates, lex)
        date, precision = _date_ml(dates, trigger.start(), context, status)
        place = next((m for m in c_places if m.kind == "place" and m.iso3 == host.iso3), None)
        if place is None and context.place is not None and context.place.iso3 == host.iso3:
            place = context.place
        return Event(type="visit", actor=_name(guest), actor_country=guest.iso3,
                     host_country=host.iso3, place=mention_place_name(place) if place else None, date=date,
                     date_precision=precision, status=status, evidence=sentence.text,
                     evidence_start=sentence.start, evidence_end=sentence.end,
                     counterpart=_name(host), format=_format(text), confidence=0.6)



_STATUS_RANK = {"occurred": 4, "historical": 3, "cancelled": 3, "postponed": 3, "planned": 2,
                "unspecified": 1}


def merge_visits(events: list[Event]) -> list[Event]:
    """Merge visits with the same visitor and host whose dates agree (or one is unknown);
    add the visit implied by an occurred meeting abroad. Meetings are kept as they are."""
    # A meeting in person abroad is a visit by each participant from elsewhere (the host's guests too).
    implied = [
        Event(type="visit", actor=e.actor if country == e.actor_country else (e.counterpart or country),
              actor_country=country,
              host_country=e.host_country, place=e.place, date=e.date, date_precision=e.date_precision,
              status=e.status, evidence=e.evidence, evidence_start=e.evidence_start, evidence_end=e.evidence_end,
              format=e.format, confidence=0.5, mode="in_person")
        for e in events if e.type == "meeting" and e.status in {"occurred", "planned"} and e.host_country and e.place
        and e.mode != "unspecified"
        for country in dict.fromkeys((e.actor_country, *(e.participants if len(e.participants) == 2 else ())))
        if country and country != e.host_country]
    visits: list[Event] = []
    for event in [e for e in events if e.type == "visit"] + implied:
        for i, known in enumerate(visits):
            if known.actor_country == event.actor_country and known.host_country == event.host_country \
                    and (_dates_agree(known.date, event.date) or "unspecified" in {known.status, event.status}):
                visits[i] = _combine(known, event)
                break
        else:
            visits.append(event)
    visits = [replace(v, status="occurred" if v.status == "unspecified" else v.status, mode="in_person")
              for v in visits]
    meetings = _dedupe_meetings([e for e in events if e.type in {"meeting", "call"}])
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
    # The date of the report that states the visit (a travel verb) beats one a meeting implied.
    dated = max((e for e in (a, b) if e.date), key=lambda e: (e.confidence, e is primary), default=primary)
    return replace(primary, place=primary.place or other.place, date=dated.date, date_end=dated.date_end,
                   date_precision=dated.date_precision if dated.date else primary.date_precision,
                   actor=primary.actor or other.actor,
                   format=primary.format if primary.format != "bilateral" else other.format,
                   confidence=max(a.confidence, b.confidence))


def _dedupe_meetings(meetings: list[Event]) -> list[Event]:
    out: list[Event] = []
    for m in meetings:
        same = next((i for i, o in enumerate(out) if o.type == m.type and o.status == m.status
                     and o.evidence_start != m.evidence_start  # meetings listed in one sentence stay apart
                     and set(o.participants or (o.actor_country,)) == set(m.participants or (m.actor_country,))
                     and _dates_agree(o.date, m.date)
                     and (o.host_country == m.host_country or None in {o.host_country, m.host_country})
                     and (o.counterpart == m.counterpart or None in {o.counterpart, m.counterpart})), None)
        if same is not None:  # one meeting told twice (headline and body): keep the fuller record
            known, other = out[same], m
            if known.counterpart is None and other.counterpart is not None:
                known, other = other, known
            out[same] = replace(known, place=known.place or other.place,
                                host_country=known.host_country or other.host_country)
            continue
        out.append(m)
    return out
