"""Build a small, realistic store file for tests (without running the pipeline).

Rows: Blinken's Central Asia trip of Feb/Mar 2023 reported by several sources (one story),
an India-Central Asia article, a historical (Soviet) article without a date, and one hostile
article whose title and text carry HTML, script and markdown-image payloads.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from steppewatch.models import Article, Event, Mention, Person, ProcessedArticle
from steppewatch.query import queries
from steppewatch.store.db import Store, event_id_for, open_store

HOSTILE_TITLE = "<script>alert(1)</script> Tokayev & the <b>press</b>"
HOSTILE_TEXT = (
    "President Tokayev spoke in Astana. <img src=x onerror=alert(2)> "
    "![x](http://127.0.0.1:9/p.png) Kazakhstan & partners <script>alert(3)</script> "
    "said *nothing* new about [links](javascript:alert(4)).")


@dataclass(frozen=True)
class Spec:
    """One article to store: metadata, text, and facts given as substrings of the text."""

    id: str
    source: str
    title: str
    text: str
    published: str | None
    countries: tuple[tuple[str, str], ...] = ()  # (surface text, iso3)
    people: tuple[tuple[str, str, str | None], ...] = ()  # (surface text, name, country)
    places: tuple[tuple[str, str], ...] = ()  # (surface text, iso3)
    dates: tuple[tuple[str, str], ...] = ()  # (surface text, ISO date)
    events: tuple[dict[str, object], ...] = ()
    focus: str | None = None
    language: str = "en"


BLINKEN_REUTERS = (
    "U.S. Secretary of State Antony Blinken arrived in Astana on Tuesday for talks with "
    "Kazakhstan's President Kassym-Jomart Tokayev. Blinken met Tokayev in Astana on "
    "Feb. 28, 2023. A year after Russia's invasion of Ukraine, Washington is courting "
    "Central Asia. Blinken will travel to Tashkent, Uzbekistan, on March 1.")
BLINKEN_CNA = (
    "(Central News Agency) U.S. Secretary of State Blinken arrived in Central Asia today to "
    "meet the foreign ministers of Kazakhstan, Uzbekistan, Kyrgyzstan, Tajikistan and "
    "Turkmenistan, one year after Russia invaded Ukraine.")
BLINKEN_TASHKENT = (
    "Antony Blinken visited Tashkent on March 1, 2023 and met Uzbekistan's President "
    "Shavkat Mirziyoyev. The United States pledged support.")
INDIA_SUMMIT = (
    "India hosted the India-Central Asia Summit on January 27, 2022 with leaders of "
    "Kazakhstan and Kyrgyzstan; China watched closely.")
SOVIET_HISTORY = (
    "The Soviet Union tested nuclear weapons at Semipalatinsk, in Kazakhstan, for four "
    "decades; Russia inherited the arsenal.")

SPECS: tuple[Spec, ...] = (
    Spec(
        id="a1", source="Reuters", title="Blinken visits Kazakhstan", text=BLINKEN_REUTERS,
        published="2023-02-28",
        countries=(("U.S.", "USA"), ("Kazakhstan", "KAZ"), ("Russia", "RUS"),
                   ("Ukraine", "UKR"), ("Uzbekistan", "UZB")),
        people=(("Antony Blinken", "Antony Blinken", "USA"),
                ("Kassym-Jomart Tokayev", "Kassym-Jomart Tokayev", "KAZ")),
        places=(("Astana", "KAZ"), ("Tashkent", "UZB")),
        dates=(("Feb. 28, 2023", "2023-02-28"), ("March 1", "2023-03-01")),
        events=(
            {"type": "visit", "actor": "Antony Blinken", "actor_country": "USA",
                 "host_country": "KAZ", "place": "Astana", "date": "2023-02-28", "status": "occurred",
                 "evidence": "U.S. Secretary of State Antony Blinken arrived in Astana on Tuesday"},
            {"type": "meeting", "actor": "Antony Blinken", "actor_country": "USA",
                 "host_country": "KAZ", "counterpart": "Kassym-Jomart Tokayev", "place": "Astana",
                 "date": "2023-02-28", "status": "occurred",
                 "evidence": "Blinken met Tokayev in Astana on Feb. 28, 2023."},
            {"type": "visit", "actor": "Antony Blinken", "actor_country": "USA",
                 "host_country": "UZB", "place": "Tashkent", "date": "2023-03-01", "status": "planned",
                 "evidence": "Blinken will travel to Tashkent, Uzbekistan, on March 1."},
        ),
        focus="KAZ"),
    Spec(
        id="a2", source="Central News Agency", title="Blinken arrives in Central Asia",
        text=BLINKEN_CNA, published="2023-02-28", language="zh",
        countries=(("U.S.", "USA"), ("Kazakhstan", "KAZ"), ("Uzbekistan", "UZB"),
                   ("Kyrgyzstan", "KGZ"), ("Tajikistan", "TJK"), ("Turkmenistan", "TKM"),
                   ("Russia", "RUS"), ("Ukraine", "UKR")),
        people=(("Blinken", "Antony Blinken", "USA"),),
        focus="KAZ"),
    Spec(
        id="a3", source="Kun.uz", title="Blinken in Tashkent", text=BLINKEN_TASHKENT,
        published="2023-03-01",
        countries=(("Uzbekistan", "UZB"), ("United States", "USA")),
        people=(("Antony Blinken", "Antony Blinken", "USA"),
                ("Shavkat Mirziyoyev", "Shavkat Mirziyoyev", "UZB")),
        places=(("Tashkent", "UZB"),),
        dates=(("March 1, 2023", "2023-03-01"),),
        events=(
            {"type": "visit", "actor": "Antony Blinken", "actor_country": "USA",
                 "host_country": "UZB", "place": "Tashkent", "date": "2023-03-01", "status": "occurred",
                 "evidence": "Antony Blinken visited Tashkent on March 1, 2023"},
            {"type": "meeting", "actor": "Antony Blinken", "actor_country": "USA",
                 "host_country": "UZB", "counterpart": "Shavkat Mirziyoyev", "place": "Tashkent",
                 "date": "2023-03-01", "status": "occurred",
                 "evidence": "met Uzbekistan's President Shavkat Mirziyoyev"},
        ),
        focus="UZB"),
    Spec(
        id="a4", source="The Diplomat", title="India-Central Asia Summit", text=INDIA_SUMMIT,
        published="2022-01-27",
        countries=(("India", "IND"), ("Kazakhstan", "KAZ"), ("Kyrgyzstan", "KGZ"),
                   ("China", "CHN")),
        dates=(("January 27, 2022", "2022-01-27"),),
        focus="IND"),
    Spec(
        id="a5", source="Evil Wire", title=HOSTILE_TITLE, text=HOSTILE_TEXT,
        published="2023-03-05",
        countries=(("Kazakhstan", "KAZ"),),
        people=(("Tokayev", "Kassym-Jomart Tokayev", "KAZ"),),
        places=(("Astana", "KAZ"),),
        focus="KAZ"),
    Spec(
        id="a6", source="Eurasianet", title="Semipalatinsk remembered", text=SOVIET_HISTORY,
        published=None,
        countries=(("Soviet Union", "SUN"), ("Kazakhstan", "KAZ"), ("Russia", "RUS")),
        places=(("Semipalatinsk", "KAZ"),),
        focus="KAZ"),
)

STORIES = (
    {"story_id": "s1", "title": "Blinken's Central Asia trip", "first_seen": "2023-02-28",
     "last_seen": "2023-03-01", "n_articles": 3, "n_independent": 2, "languages": "en,zh"},
    {"story_id": "s2", "title": "India-Central Asia Summit", "first_seen": "2022-01-27",
     "last_seen": "2022-01-27", "n_articles": 1, "n_independent": 1, "languages": "en"},
)
STORY_OF = {"a1": "s1", "a2": "s1", "a3": "s1", "a4": "s2"}


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def _processed(spec: Spec) -> ProcessedArticle:
    text = spec.text
    mentions: list[Mention] = []
    for surface, iso3 in spec.countries:
        s, e = _span(text, surface)
        mentions.append(Mention(kind="country", text=surface, start=s, end=e, iso3=iso3))
    people = []
    for surface, name, country in spec.people:
        s, e = _span(text, surface)
        pid = "p:" + name.lower().replace(" ", "-")
        mentions.append(Mention(kind="person", text=surface, start=s, end=e, entity_id=pid,
                                value=name))
        people.append(Person(entity_id=pid, name=name, role=None, country=country))
    for surface, iso3 in spec.places:
        s, e = _span(text, surface)
        mentions.append(Mention(kind="place", text=surface, start=s, end=e, iso3=iso3,
                                entity_id="g:" + surface.lower()))
    for surface, value in spec.dates:
        s, e = _span(text, surface)
        mentions.append(Mention(kind="date", text=surface, start=s, end=e, value=value))
    events = []
    for ev in spec.events:
        evidence = str(ev["evidence"])
        s, e = _span(text, evidence)
        events.append(Event(type=str(ev["type"]), actor=ev.get("actor"),  # type: ignore[arg-type]
                            actor_country=ev.get("actor_country"),  # type: ignore[arg-type]
                            host_country=ev.get("host_country"),  # type: ignore[arg-type]
                            place=ev.get("place"), date=ev.get("date"),  # type: ignore[arg-type]
                            status=str(ev["status"]), evidence=evidence, evidence_start=s,
                            evidence_end=e, counterpart=ev.get("counterpart"),  # type: ignore[arg-type]
                            participants=tuple(ev.get("participants", ()))))  # type: ignore[arg-type]
    article = Article(id=spec.id, origin=f"tests/{spec.id}.txt", text=text, raw_text=text,
                      source=spec.source, title=spec.title, language=spec.language,
                      published=spec.published,
                      published_precision="day" if spec.published else "unknown")
    return ProcessedArticle(article=article, mentions=mentions, people=people, events=events,
                            focus_country=spec.focus)


def build_store(path: Path | str, specs: tuple[Spec, ...] = SPECS) -> Path:
    """Create (or overwrite) a store file at ``path`` holding ``specs``; return the path."""
    path = Path(path)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    store: Store = open_store(path)
    try:
        for spec in specs:
            store.save(_processed(spec))
            store.log(f"tests/{spec.id}.txt", "ingested", None, spec.id)
        store.log("tests/broken.xml", "failed", "not well-formed XML (line 1)")
        ids = {s.id for s in specs}
        store.replace_stories({a: s for a, s in STORY_OF.items() if a in ids},
                              {"a2": ("a1", "translation")} if {"a1", "a2"} <= ids else {},
                              STORIES)
        if "a1" in ids and "a3" in ids:
            a1 = [e for e in SPECS[0].events]
            trips = {event_id_for("a1", i, str(e["type"]), _span(BLINKEN_REUTERS,
                                                                  str(e["evidence"]))[0]): "t1"
                     for i, e in enumerate(a1)}
            store.set_trips(trips)
    finally:
        store.close()
    return path


KEY_COLUMNS = ("story_id", "article_id", "type", "actor_country", "host_country", "date", "counterpart")


def with_event_keys(events: pd.DataFrame) -> pd.DataFrame:
    """``events`` (hand-made timeline rows) with the ``event_key`` column the store's SQL gives them:
    ``queries.EVENT_KEY`` evaluated by SQLite on their values, as the timeline query does."""
    con = sqlite3.connect(":memory:")
    con.execute(f"CREATE TABLE e (pos INTEGER, {', '.join(KEY_COLUMNS)})")
    frame = events.reset_index(drop=True)
    rows = [(i, *(None if c not in frame.columns or pd.isna(frame.at[i, c]) else frame.at[i, c] for c in KEY_COLUMNS))
            for i in range(len(frame))]
    con.executemany(f"INSERT INTO e VALUES ({', '.join('?' * (len(KEY_COLUMNS) + 1))})", rows)
    keys = [k for (k,) in con.execute(f"SELECT {queries.EVENT_KEY} FROM e ORDER BY pos")]
    con.close()
    return frame.assign(event_key=keys)
