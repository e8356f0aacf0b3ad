"""Ingest re-clusters only the neighbourhood of the new articles; the stories must be the ones a
full re-clustering of the whole store gives."""

from __future__ import annotations

import sys
from pathlib import Path

from steppewatch.ingest.readers import iter_documents
from steppewatch.pipeline import ingest_documents, refresh_stories
from steppewatch.store import Store, open_store

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from generate import generate_articles  # noqa: E402

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"


def _partition(store: Store) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for r in store.rows("SELECT id, story_id FROM articles"):
        groups.setdefault(str(r["story_id"]), set()).add(str(r["id"]))
    return {frozenset(g) for g in groups.values()}


def _facts(store: Store) -> tuple[object, ...]:
    derived = {(r["id"], r["derived_from"], r["derived_kind"]) for r in store.rows(
        "SELECT id, derived_from, derived_kind FROM articles WHERE derived_from IS NOT NULL")}
    stories = {tuple(r.values()) for r in store.rows("SELECT * FROM stories")}
    trips = {(r["event_id"], r["trip_id"]) for r in store.rows("SELECT event_id, trip_id FROM events")}
    published = {(r["id"], r["published"]) for r in store.rows("SELECT id, published FROM articles")}
    return _partition(store), derived, stories, trips, published


def test_batches_give_the_stories_of_a_full_re_clustering(tmp_path: Path) -> None:
    docs = list(generate_articles(240, seed=7))
    reuters, cna = sorted(iter_documents([SEEDS]), key=lambda d: d.origin, reverse=True)
    # originals and their republications land in different batches, each small enough (under a quarter
    # of the store) to take the neighbourhood path; the undated CNA piece comes after Reuters
    rest = docs[1::3] + docs[2::3]
    small = [rest[i:i + 15] for i in range(0, len(rest), 15)]
    batches = [docs[0::3], *small[:4], [reuters], *small[4:8], [cna], *small[8:]]
    with open_store(tmp_path / "incremental.db") as store:
        for batch in batches:
            summary = ingest_documents(store, batch)
            assert not summary.failed
        incremental = _facts(store)
        refresh_stories(store)  # the whole store, from scratch
        full = _facts(store)
    assert incremental == full
    partition = incremental[0]
    assert any(len(g) > 1 for g in partition), "the generator republishes: some stories have several articles"
    seed_story = [g for g in partition if len(g) == 2 and all(len(i) == 16 for i in g)]
    assert seed_story, "the two seeds form one story"


def test_a_text_republished_for_months_brings_only_its_near_days(tmp_path: Path) -> None:
    """A bulletin reprinted every few days (near-identical text) shares its SimHash bands with every
    reprint: only the reprints within the story window of the new one are re-clustered, and the stories
    are still those of a full re-clustering."""
    import datetime as dt

    from steppewatch.models import RawDocument
    from steppewatch.pipeline import _neighbourhood

    text = ("The Ministry of Foreign Affairs of Kazakhstan published its weekly bulletin on trade with "
            "Uzbekistan, Kyrgyzstan and Tajikistan. Grain exports rose and rail freight through the "
            "Dostyk crossing kept its pace, the ministry said in the bulletin. ") * 3
    start = dt.date(2024, 1, 1)

    def reprint(i: int) -> RawDocument:
        day = start + dt.timedelta(days=5 * i)  # further apart than the story window
        return RawDocument(origin=f"https://mfa.example.kz/bulletin/{i}", data=f"{text} Issue {i}.".encode(),
                           meta={"published": day.isoformat(), "source": "MFA Kazakhstan",
                                 "title": f"Weekly bulletin {i}"})

    with open_store(tmp_path / "reprints.db") as store:
        assert not ingest_documents(store, [reprint(i) for i in range(40)]).failed
        summary = ingest_documents(store, [reprint(40)])
        assert len(summary.ingested) == 1
        new_id = summary.ingested[0]
        scope = _neighbourhood(store, [new_id])
        near = {str(r["id"]) for r in store.rows(
            "SELECT id FROM articles WHERE published >= ?", ((start + dt.timedelta(days=5 * 40 - 3)).isoformat(),))}
        assert scope == near | {new_id}, "only reprints within the story window of the new one"
        incremental = _facts(store)
        refresh_stories(store)
        assert _facts(store) == incremental
        assert len(_partition(store)) == 41, "reprints five days apart are separate stories"


def test_a_visit_between_two_trips_joins_them_into_one(tmp_path: Path) -> None:
    """Trips are re-linked around the new visits only, but a visit that closes the gap between two
    trips of the same visitor makes them one (the later trip's visits change trip too)."""
    from steppewatch.models import RawDocument

    fillers = ["Grain exports and rail freight through the Dostyk crossing were on the agenda.",
               "Officials signed a memorandum on water sharing along the Syr Darya and on power lines.",
               "Journalists were told that mining investment and visa rules would be discussed later."]

    def report(n: int, day: str, weekday: str, city: str, host: str) -> RawDocument:
        text = (f"U.S. Secretary of State Antony Blinken arrived in {city} on {weekday} for talks with {host}. "
                f"{fillers[n - 1]}")
        return RawDocument(origin=f"https://news.example.com/{n}", data=text.encode(),
                           meta={"published": day, "source": "Example News", "title": f"Blinken in {city}"})

    def trips(store: Store) -> dict[str, object]:
        return {str(r["host_country"]): r["trip_id"] for r in store.rows(
            "SELECT host_country, trip_id FROM events e JOIN articles a ON a.id = e.article_id"
            " WHERE e.type = 'visit' AND a.origin LIKE 'https://news.example.com/%'")}

    with open_store(tmp_path / "trips.db") as store:
        ingest_documents(store, list(generate_articles(16, seed=5)))  # a small ingest takes the neighbourhood path
        ingest_documents(store, [report(1, "2024-03-01", "Friday", "Astana", "President Kassym-Jomart Tokayev")])
        ingest_documents(store, [report(2, "2024-03-05", "Tuesday", "Tashkent", "President Shavkat Mirziyoyev")])
        before = trips(store)
        assert set(before) == {"KAZ", "UZB"} and before["KAZ"] != before["UZB"], "four days apart: two trips"
        ingest_documents(store, [report(3, "2024-03-03", "Sunday", "Bishkek", "President Sadyr Japarov")])
        after = trips(store)
        assert set(after) == {"KAZ", "UZB", "KGZ"}
        assert len(set(after.values())) == 1, "two days apart each: one trip"
        incremental = _facts(store)
        refresh_stories(store)
        assert _facts(store) == incremental
