"""Synthetic Central Asia news articles for benchmarks (deterministic for a seed).

Each article reports one diplomatic event -- a visit, a hosted visit, a planned visit, a
meeting, or a C5+1 / SCO summit -- between real office holders of the right period, in real
cities, dated 2019-2025, padded with economic and energy filler paragraphs to 150-400 words.
About one article in seven is republished by another source as a near-duplicate.

CLI: ``python bench/generate.py N --out FILE.jsonl`` writes the bulk JSONL schema
(url, source, title, published, language, text), readable by ``python -m steppewatch ingest``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``steppewatch`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from steppewatch.models import RawDocument

START = dt.date(2019, 1, 1)
END = dt.date(2025, 12, 31)
MIN_WORDS, MAX_WORDS = 150, 396  # plus a 4-word credit line on republished copies
REPUBLISH_RATE = 0.15


@dataclass(frozen=True)
class Actor:
    """An office holder: full name, surname used in text, country, role, term."""

    name: str
    short: str
    country: str
    role: str
    start: dt.date
    end: dt.date = END

    def serves(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


ACTORS: list[Actor] = [
    Actor("Antony Blinken", "Blinken", "USA", "Secretary of State", _d("2021-01-26"), _d("2025-01-20")),
    Actor("Mike Pompeo", "Pompeo", "USA", "Secretary of State", _d("2018-04-26"), _d("2021-01-20")),
    Actor("Marco Rubio", "Rubio", "USA", "Secretary of State", _d("2025-01-21")),
    Actor("Sergei Lavrov", "Lavrov", "RUS", "Foreign Minister", _d("2004-03-09")),
    Actor("Vladimir Putin", "Putin", "RUS", "President", _d("2012-05-07")),
    Actor("Xi Jinping", "Xi", "CHN", "President", _d("2013-03-14")),
    Actor("Wang Yi", "Wang Yi", "CHN", "Foreign Minister", _d("2013-03-16"), _d("2022-12-30")),
    Actor("Wang Yi", "Wang Yi", "CHN", "Foreign Minister", _d("2023-07-25")),
    Actor("Qin Gang", "Qin Gang", "CHN", "Foreign Minister", _d("2022-12-30"), _d("2023-07-25")),
    Actor("Kassym-Jomart Tokayev", "Tokayev", "KAZ", "President", _d("2019-03-20")),
    Actor("Nursultan Nazarbayev", "Nazarbayev", "KAZ", "President", _d("1990-04-24"), _d("2019-03-19")),
    Actor("Mukhtar Tileuberdi", "Tileuberdi", "KAZ", "Foreign Minister", _d("2019-05-16"), _d("2023-04-01")),
    Actor("Shavkat Mirziyoyev", "Mirziyoyev", "UZB", "President", _d("2016-09-08")),
    Actor("Bakhtiyor Saidov", "Saidov", "UZB", "Foreign Minister", _d("2022-11-02")),
    Actor("Sooronbay Jeenbekov", "Jeenbekov", "KGZ", "President", _d("2017-11-24"), _d("2020-10-15")),
    Actor("Sadyr Japarov", "Japarov", "KGZ", "President", _d("2021-01-28")),
    Actor("Jeenbek Kulubaev", "Kulubaev", "KGZ", "Foreign Minister", _d("2022-05-05")),
    Actor("Emomali Rahmon", "Rahmon", "TJK", "President", _d("1994-11-16")),
    Actor("Sirojiddin Muhriddin", "Muhriddin", "TJK", "Foreign Minister", _d("2013-11-29")),
    Actor("Gurbanguly Berdimuhamedov", "Berdimuhamedov", "TKM", "President", _d("2006-12-21"),
          _d("2022-03-19")),
    Actor("Serdar Berdimuhamedov", "Berdimuhamedov", "TKM", "President", _d("2022-03-19")),
    Actor("Rashid Meredov", "Meredov", "TKM", "Foreign Minister", _d("2001-07-01")),
    Actor("Narendra Modi", "Modi", "IND", "Prime Minister", _d("2014-05-26")),
    Actor("Subrahmanyam Jaishankar", "Jaishankar", "IND", "External Affairs Minister", _d("2019-05-30")),
    Actor("Recep Tayyip Erdogan", "Erdogan", "TUR", "President", _d("2014-08-28")),
    Actor("Mevlut Cavusoglu", "Cavusoglu", "TUR", "Foreign Minister", _d("2015-11-24"), _d("2023-06-04")),
    Actor("Hakan Fidan", "Fidan", "TUR", "Foreign Minister", _d("2023-06-04")),
    Actor("Joe Biden", "Biden", "USA", "President", _d("2021-01-20"), _d("2025-01-20")),
    Actor("Donald Trump", "Trump", "USA", "President", _d("2017-01-20"), _d("2021-01-19")),
    Actor("Donald Trump", "Trump", "USA", "President", _d("2025-01-20")),
]

# Leaders who host a visitor, by country (the one serving on the day is chosen).
HOST_LEADERS: dict[str, list[str]] = {
    "KAZ": ["Tokayev", "Nazarbayev"], "UZB": ["Mirziyoyev"], "KGZ": ["Jeenbekov", "Japarov"],
    "TJK": ["Rahmon"], "TKM": ["Berdimuhamedov"], "RUS": ["Putin"], "CHN": ["Xi"],
    "USA": ["Biden", "Trump"], "IND": ["Modi"], "TUR": ["Erdogan"],
}
CITIES: dict[str, list[str]] = {
    "KAZ": ["Astana", "Astana", "Almaty"], "UZB": ["Tashkent", "Tashkent", "Samarkand"],
    "KGZ": ["Bishkek"], "TJK": ["Dushanbe"], "TKM": ["Ashgabat"], "RUS": ["Moscow"],
    "CHN": ["Beijing"], "USA": ["Washington"], "IND": ["New Delhi"], "TUR": ["Ankara"],
}
ADJECTIVE: dict[str, str] = {
    "KAZ": "Kazakh", "UZB": "Uzbek", "KGZ": "Kyrgyz", "TJK": "Tajik", "TKM": "Turkmen",
    "RUS": "Russian", "CHN": "Chinese", "USA": "U.S.", "IND": "Indian", "TUR": "Turkish",
}
COUNTRY: dict[str, str] = {
    "KAZ": "Kazakhstan", "UZB": "Uzbekistan", "KGZ": "Kyrgyzstan", "TJK": "Tajikistan",
    "TKM": "Turkmenistan", "RUS": "Russia", "CHN": "China", "USA": "the United States",
    "IND": "India", "TUR": "Turkey",
}
CENTRAL_ASIA = ["KAZ", "UZB", "KGZ", "TJK", "TKM"]
# SCO summit host city by year (2020 and 2023 were virtual, chaired from these capitals).
SCO_SUMMITS: dict[int, tuple[str, str]] = {
    2019: ("KGZ", "Bishkek"), 2020: ("RUS", "Moscow"), 2021: ("TJK", "Dushanbe"),
    2022: ("UZB", "Samarkand"), 2023: ("IND", "New Delhi"), 2024: ("KAZ", "Astana"),
    2025: ("CHN", "Beijing"),
}
SOURCES: dict[str, str] = {
    "Reuters": "www.reuters.com", "AFP": "www.afp.com", "Kazinform": "www.inform.kz",
    "AKIpress": "akipress.com", "TASS": "tass.com", "Xinhua": "english.news.cn",
    "Eurasianet": "eurasianet.org", "Kun.uz": "kun.uz", "Asia-Plus": "asiaplustj.info",
    "Trend": "en.trend.az",
}
TOPICS = ["trade", "energy", "transport links", "water management", "regional security",
          "investment", "the situation in Afghanistan", "critical minerals", "digital cooperation",
          "food security", "climate change", "visa facilitation"]
COMMODITIES = [("oil", "million barrels per day"), ("gas", "billion cubic metres"),
               ("uranium", "thousand tonnes"), ("wheat", "million tonnes"),
               ("cotton", "thousand tonnes"), ("coal", "million tonnes")]
PROJECTS = ["the Central Asia-China gas pipeline", "the Middle Corridor", "the CASA-1000 power line",
            "the Rogun hydropower plant", "the Kambarata-1 hydropower plant",
            "the China-Kyrgyzstan-Uzbekistan railway", "the TAPI gas pipeline",
            "the Trans-Caspian International Transport Route", "the Qosh Tepa canal"]
FILLER_KINDS = 9
ROUTES = ["Caspian ports", "the Middle Corridor", "rail links to China", "Iranian ports"]
CAUSES = ["maintenance", "new capacity", "weather", "export quotas", "higher demand"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def _serving(day: dt.date, country: str | None = None, shorts: list[str] | None = None) -> list[Actor]:
    return [a for a in ACTORS if a.serves(day) and (country is None or a.country == country)
            and (shorts is None or a.short in shorts)]


def _host_leader(country: str, day: dt.date) -> Actor:
    found = _serving(day, country, HOST_LEADERS[country])
    if not found:  # an interregnum (e.g. Kyrgyzstan late 2020): the next one in office
        found = [a for a in ACTORS if a.country == country and a.short in HOST_LEADERS[country]]
        found.sort(key=lambda a: abs((a.start - day).days))
    presidents = [a for a in found if a.role in ("President", "Prime Minister")]
    return (presidents or found)[0]


def _title_of(a: Actor) -> str:
    return f"{ADJECTIVE[a.country]} {a.role} {a.name}"


def _weekday(day: dt.date) -> str:
    return day.strftime("%A")


def _long_date(day: dt.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}"


def _filler(rng: random.Random, kind: int, country: str, year: int) -> str:
    """One paragraph (template ``kind``) of economic or energy news about ``country``."""
    name = COUNTRY[country]
    if kind == 0:
        good, unit = rng.choice(COMMODITIES)
        return (f"{name}'s {good} output {rng.choice(['rose', 'fell', 'edged up', 'slipped'])} "
                f"{rng.uniform(0.2, 9.5):.1f}% in {rng.choice(MONTHS)} to "
                f"{rng.uniform(0.5, 95):.1f} {unit}, according to the national statistics office. "
                f"Analysts attributed the change to {rng.choice(CAUSES)}.")
    if kind == 1:
        other = rng.choice([c for c in COUNTRY if c != country])
        return (f"Trade turnover between {name} and {COUNTRY[other]} reached "
                f"${rng.uniform(0.3, 45):.1f} billion in {year - rng.randrange(2)}, "
                f"up {rng.randrange(2, 40)}% from a year earlier, officials said. "
                f"Both sides aim to lift it to ${rng.randrange(5, 80)} billion by {year + rng.randrange(3, 8)}.")
    if kind == 2:
        return (f"Work on {rng.choice(PROJECTS)} is expected to "
                f"{rng.choice(['accelerate', 'resume', 'be completed', 'attract new financing'])} "
                f"in {year + rng.randrange(1, 4)}, with an estimated cost of "
                f"${rng.uniform(0.4, 12):.1f} billion. Energy ministers from the region have "
                f"repeatedly described the project as vital for {rng.choice(TOPICS)}.")
    if kind == 3:
        return (f"The central bank of {name} {rng.choice(['kept', 'raised', 'cut'])} its base rate "
                f"at {rng.uniform(5, 18):.2f}% on {rng.choice(MONTHS)} {rng.randrange(1, 28)}, "
                f"citing inflation of {rng.uniform(3, 15):.1f}% and the outlook for remittances "
                f"and commodity prices.")
    if kind == 5:
        return (f"Remittances to {name} from migrant workers totalled ${rng.uniform(0.5, 14):.1f} "
                f"billion in the first {rng.randrange(3, 10)} months of {year}, most of them from "
                f"{rng.choice(['Russia', 'Kazakhstan', 'Turkey', 'South Korea'])}, the central bank said.")
    if kind == 6:
        return (f"{name} plans to export {rng.uniform(1, 12):.1f} million tonnes of grain this season "
                f"through {rng.choice(ROUTES)}, "
                f"the agriculture ministry said, after a {rng.choice(['dry', 'wet', 'record', 'mixed'])} harvest.")
    if kind == 7:
        return (f"The number of foreign tourists visiting {name} grew by {rng.randrange(3, 60)}% "
                f"year on year to {rng.uniform(0.2, 9):.1f} million, helped by new direct flights and "
                f"simplified visa rules.")
    if kind == 4:
        return (f"Foreign direct investment into {name} amounted to ${rng.uniform(0.5, 28):.1f} billion "
                f"last year, with {rng.choice(['mining', 'energy', 'manufacturing', 'agriculture', 'logistics'])} "
                f"attracting the largest share, the investment agency said in a statement.")
    return (f"Observers noted that the region has drawn growing attention from "
            f"{rng.choice(['Moscow', 'Beijing', 'Washington', 'Brussels', 'Ankara', 'Tokyo'])} since "
            f"{rng.choice(['2022', 'the war in Ukraine began', 'the Taliban takeover of Kabul', 'the pandemic'])}, "
            f"with {rng.choice(TOPICS)} and {rng.choice(TOPICS)} high on the agenda.")


def _quote(rng: random.Random, speaker: Actor, listener: Actor) -> str:
    line = rng.choice([
        "We have very good and reliable long-term partnerships in many areas of strategic importance",
        "Our countries are bound by friendship and mutual respect",
        "We are ready to deepen cooperation in trade, energy and transport",
        "This visit opens a new chapter in our relations",
        "We support the sovereignty, independence and territorial integrity of our partners",
    ])
    return f'"{line}," {speaker.short} told {listener.short}, according to a statement.'


def _event(rng: random.Random) -> tuple[dt.date, str, list[str], str]:
    """(published day, title, event paragraphs, main country) for one random event."""
    day = START + dt.timedelta(days=rng.randrange((END - START).days + 1))
    published = day + dt.timedelta(days=rng.choice([0, 0, 0, 1]))
    kind = rng.choices(["visit", "hosted", "planned", "meeting", "c5", "sco"],
                       weights=[30, 20, 15, 20, 8, 7])[0]
    if kind == "sco":
        host, city = SCO_SUMMITS[day.year]
        leader = _host_leader(host, day)
        guests = [_host_leader(c, day) for c in ["RUS", "CHN", "IND", *CENTRAL_ASIA] if c != host]
        rng.shuffle(guests)
        names = ", ".join(g.short for g in guests[:4])
        title = f"SCO leaders gather in {city} as {leader.short} hosts summit"
        paras = [
            f"Leaders of the Shanghai Cooperation Organization arrived in {city} on "
            f"{_weekday(day)} for the annual SCO summit hosted by {_title_of(leader)}.",
            f"{names} and other heads of state attended the summit in {city}, where they "
            f"discussed {rng.choice(TOPICS)} and {rng.choice(TOPICS)}.",
            f"On the sidelines, {guests[0].short} met with {guests[1].short} in {city} to discuss "
            f"{rng.choice(TOPICS)}.",
        ]
        return published, title, paras, host
    if kind == "c5":
        visitor = rng.choice([a for a in _serving(day) if a.country in ("USA", "RUS", "CHN", "IND", "TUR")
                              and a.role not in ("President",)] or _serving(day, "RUS"))
        host = rng.choice(CENTRAL_ASIA)
        city = CITIES[host][0]
        title = f"{visitor.short} meets Central Asian foreign ministers in {city}"
        paras = [
            f"{_title_of(visitor)} arrived in {city} on {_weekday(day)} to meet with the foreign "
            f"ministers of all five Central Asian states in the C5+1 format.",
            f"{visitor.short} met with {_host_leader(host, day).short} in {city} before the "
            f"ministerial meeting, which focused on {rng.choice(TOPICS)}.",
        ]
        return published, title, paras, host
    visitor = rng.choice(_serving(day))
    host = rng.choice([c for c in (CENTRAL_ASIA * 3 + list(CITIES)) if c != visitor.country])
    if visitor.country not in CENTRAL_ASIA and host not in CENTRAL_ASIA:
        host = rng.choice(CENTRAL_ASIA)
    leader = _host_leader(host, day)
    city = rng.choice(CITIES[host])
    topic = rng.choice(TOPICS)
    if kind == "visit":
        title = f"{visitor.short} visits {COUNTRY[host].removeprefix('the ')} for talks with {leader.short}"
        paras = [f"{_title_of(visitor)} arrived in {city} on {_weekday(day)} for talks with "
                 f"{_title_of(leader)}.",
                 f"The two sides discussed {topic} and {rng.choice(TOPICS)}, the {ADJECTIVE[host]} "
                 f"presidential press service said."]
    elif kind == "hosted":
        title = f"{leader.short} hosts {visitor.short} in {city}"
        paras = [f"{_title_of(leader)} hosted {visitor.name} in {city} on {_weekday(day)}.",
                 f"{leader.short} and {visitor.short} focused on {topic}, officials said."]
    elif kind == "planned":
        published = day - dt.timedelta(days=rng.randint(5, 9))
        title = f"{visitor.short} to visit {city} next week"
        paras = [f"{_title_of(visitor)} will visit {city} next week for talks with "
                 f"{leader.name} on {topic}, the foreign ministry said on {_weekday(published)}.",
                 f"The visit is expected to produce agreements on {rng.choice(TOPICS)}."]
    else:
        title = f"{visitor.short} and {leader.short} meet in {city}"
        paras = [f"{visitor.name} met with {leader.name} in {city} on {_weekday(day)} to discuss "
                 f"{topic}.",
                 f"It was their {rng.choice(['first', 'second', 'third'])} meeting this year."]
    paras.append(_quote(rng, leader, visitor))
    return published, title, paras, host


def _body(rng: random.Random, paras: list[str], country: str, year: int) -> str:
    target = rng.randint(MIN_WORDS, MAX_WORDS)
    words = sum(len(p.split()) for p in paras)
    out = list(paras)
    kinds = list(range(FILLER_KINDS))
    rng.shuffle(kinds)
    while words < target:
        kind = kinds[len(out) % FILLER_KINDS]
        extra = _filler(rng, kind, rng.choice([country, country, *CENTRAL_ASIA]), year)
        n = len(extra.split())
        if words + n > MAX_WORDS:
            if words >= MIN_WORDS:
                break
            extra = " ".join(extra.split()[: MAX_WORDS - words])
            n = len(extra.split())
        out.insert(rng.randint(len(paras) - 1, len(out)), extra)
        words += n
    return "\n\n".join(out)


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]


def _row(n: int, source: str, title: str, published: dt.date, text: str) -> dict[str, str]:
    return {"url": f"https://{SOURCES[source]}/news/{published:%Y/%m/%d}/{_slug(title)}-{n}",
            "source": source, "title": title, "published": published.isoformat(),
            "language": "en", "text": text}


def generate_rows(n: int, seed: int = 0) -> Iterator[dict[str, str]]:
    """``n`` bulk rows (url, source, title, published, language, text)."""
    rng = random.Random(seed)
    made = 0
    while made < n:
        published, title, paras, country = _event(rng)
        source = rng.choice(list(SOURCES))
        text = _body(rng, paras, country, published.year)
        yield _row(made, source, title, published, text)
        made += 1
        if made < n and rng.random() < REPUBLISH_RATE:  # near-duplicate in another source
            other = rng.choice([s for s in SOURCES if s != source])
            copy = f"{text}\n\n({other}, citing {source})"
            yield _row(made, other, title, published + dt.timedelta(days=rng.choice([0, 1])), copy)
            made += 1


def generate_articles(n: int, seed: int = 0) -> Iterator[RawDocument]:
    """``n`` synthetic articles as RawDocuments (same metadata a JSONL bulk row gives)."""
    for row in generate_rows(n, seed):
        meta = {k: row[k] for k in ("title", "source", "published", "url", "language")}
        meta.update(content_type="text/plain", charset="utf-8")
        yield RawDocument(origin=row["url"], data=row["text"].encode("utf-8"), meta=meta)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("--out", type=Path, required=True, help="JSONL file to write")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as fh:
        for row in generate_rows(args.n, args.seed):
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {args.n} articles to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
