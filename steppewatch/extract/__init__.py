"""Extraction: Article -> mentions (countries, places, people, dates), people, events, focus.

Knowledge bases are injected (defaults loaded once per process), so tests and benchmarks can
pass their own and nothing heavy is imported deep inside.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import replace

from steppewatch.extract.dates import find_dates
from steppewatch.extract.events import EventExtractor
from steppewatch.extract.gazetteer import CountryGazetteer, default_gazetteer
from steppewatch.extract.people import PeopleKnowledge, default_people, find_people
from steppewatch.extract.roles import assign_roles
from steppewatch.models import Article, Event, Mention, Person, ProcessedArticle


class Extractor:
    """Runs every field extractor over one article."""

    def __init__(self, gazetteer: CountryGazetteer | None = None,
                 people: PeopleKnowledge | None = None,
                 events: EventExtractor | None = None) -> None:
        self.gazetteer = gazetteer or default_gazetteer()
        self.people = people or default_people()
        self.events = events or EventExtractor()

    def run(self, article: Article) -> ProcessedArticle:
        text = article.text
        places = self.gazetteer.find(text)
        on_date = article.published if article.published and len(article.published) == 10 else None
        person_mentions, people = find_people(text, self.people, on_date, places)
        # A person's name is not a place ("Jordan" in "Michael Jordan" is already filtered).
        in_names = {i for p in person_mentions for i in range(p.start, p.end)}
        places = [m for m in places if m.start not in in_names]
        anchor = dt.date.fromisoformat(on_date) if on_date else None
        found_dates = find_dates(text, anchor)
        date_mentions = [Mention("date", d.text, d.start, d.end, value=d.value) for d in found_dates]
        mentions = assign_roles(text, sorted(places + person_mentions + date_mentions, key=lambda m: m.start))
        mentions = [self._flag_caption(m, article.captions) for m in mentions]
        mentions = with_countries_of_places(mentions, text)
        dateline_place = self._dateline_place(article)
        events = self.events.extract(text, mentions, on_date, dateline_place, article.captions, article.language,
                                     article_dates=found_dates, source=article.source, url=article.url)
        return ProcessedArticle(article=article, mentions=mentions, people=people, events=events,
                                focus_country=focus_country(mentions, events, dateline_place))

    def _dateline_place(self, article: Article) -> Mention | None:
        if not article.dateline:
            return None
        found = [m for m in self.gazetteer.find(article.dateline) if m.iso3]
        if not found:
            return None
        city = next((m for m in found if m.kind == "place"), found[0])
        return Mention(city.kind, city.text.title() if city.text.isupper() else city.text,
                       -1, -1, iso3=city.iso3, value=city.value)

    @staticmethod
    def _flag_caption(m: Mention, captions: list[tuple[int, int]]) -> Mention:
        return replace(m, in_caption=True) if any(s <= m.start < e for s, e in captions) else m


# A place inside a name that is not about the place: "Helsinki accords", "Astana format", "Minsk agreements".
EPONYM_AFTER = re.compile(
    r"\s*(?:[-–]\s*)?(?:Commission|Accords?|accords?|Final\s+Act|[Ff]ormat|Process|process|Cooperation\s+Organi[sz]ation|"
    r"Five|Agreements?|agreements?|Protocol|Declaration|Group|Initiative|Spirit|Principles|Consensus|Convention|"
    r"Treaty|Charter|Statute|Club|Forum|Dialogue|Platform)\b")


def with_countries_of_places(mentions: list[Mention], text: str) -> list[Mention]:
    """A city names its country ("talks in Tashkent" mention Uzbekistan): for each country named only by its
    places, one country mention (``value="place"``) on the span of its first place, so counts, filters and
    exports see the country; the article page shows the place once."""
    named = {m.iso3 for m in mentions if m.kind == "country" and m.iso3}
    implied: list[Mention] = []
    for m in mentions:
        if m.kind == "place" and m.iso3 and m.iso3 not in named and m.start >= 0 and m.entity_id != "venue" \
                and not EPONYM_AFTER.match(text, m.end):
            named.add(m.iso3)
            implied.append(replace(m, kind="country", value="place", entity_id=None))
    return sorted(mentions + implied, key=lambda m: (m.start, m.kind != "place")) if implied else mentions


def focus_country(mentions: list[Mention], events: list[Event],
                  dateline_place: Mention | None) -> str | None:
    """The country the article is mainly about: mentions, event hosts and the dateline."""
    score: Counter[str] = Counter()
    for m in mentions:
        if m.iso3 and m.kind in {"country", "place"} and m.iso3 != "SUN":
            score[m.iso3] += 0.5 if m.in_caption else 1.0
    for e in events:
        if e.host_country and e.status in {"occurred", "planned"}:
            score[e.host_country] += 2.0
    if dateline_place and dateline_place.iso3:
        score[dateline_place.iso3] += 3.0
    return score.most_common(1)[0][0] if score else None


_default: Extractor | None = None


def default_extractor() -> Extractor:
    global _default
    if _default is None:
        _default = Extractor()
    return _default


__all__ = ["Extractor", "Person", "default_extractor", "focus_country"]
