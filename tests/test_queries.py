"""Query functions on a real SQLite file built by tests/store_factory.py."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_factory import build_store

from steppewatch.query import queries
from steppewatch.query.filters import Filters
from steppewatch.store.db import Store, open_store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path = build_store(tmp_path_factory.mktemp("q") / "store.db")
    with open_store(path, read_only=True) as s:
        yield s


def counts(store: Store, f: Filters, metric: str) -> dict[str, int]:
    df = queries.country_counts(store, f, metric)
    assert list(df.columns) == ["iso3", "name", "n"]
    return dict(zip(df["iso3"], df["n"].astype(int), strict=True))


def test_headline_numbers_unfiltered(store: Store) -> None:
    row = queries.headline_numbers(store, Filters()).iloc[0]
    assert int(row["articles"]) == 6
    assert int(row["sources"]) == 6
    assert int(row["visits_occurred"]) == 2
    assert int(row["visits_planned"]) == 1
    assert int(row["meetings"]) == 2
    assert row["first_published"] == "2022-01-27"
    assert row["last_published"] == "2023-03-05"


def test_mention_counts_are_articles_per_country(store: Store) -> None:
    n = counts(store, Filters(), "mentions")
    assert n["KAZ"] == 5  # a1 a2 a4 a5 a6
    assert n["UZB"] == 3 and n["USA"] == 3 and n["RUS"] == 3
    assert n["IND"] == 1 and n["SUN"] == 1
    df = queries.country_counts(store, Filters(), "mentions")
    assert df.iloc[0]["iso3"] == "KAZ" and df.iloc[0]["name"] == "Kazakhstan"


def test_visit_counts_only_occurred_visits_by_host(store: Store) -> None:
    assert counts(store, Filters(), "visits") == {"KAZ": 1, "UZB": 1}  # planned UZB not counted


def test_focus_counts(store: Store) -> None:
    assert counts(store, Filters(), "focus") == {"KAZ": 4, "UZB": 1, "IND": 1}


def test_country_filter_mentions_or_event_country(store: Store) -> None:
    f = Filters(countries=("UZB",))
    page = queries.articles_page(store, f, 50, 0)
    assert set(page["id"]) == {"a1", "a2", "a3"}
    assert queries.articles_count(store, f) == 3
    # USA never hosts, but is the actor country of every event
    assert queries.articles_count(store, Filters(countries=("USA",))) == 3
    timeline = queries.visit_timeline(store, Filters(countries=("KAZ",)))
    assert set(timeline["host_country"]) == {"KAZ"}
    assert len(queries.visit_timeline(store, Filters(countries=("USA",)))) == 5


def test_country_filter_changes_headline(store: Store) -> None:
    row = queries.headline_numbers(store, Filters(countries=("IND",))).iloc[0]
    assert int(row["articles"]) == 1 and int(row["visits_occurred"]) == 0


def test_date_filter_on_published_and_event_date(store: Store) -> None:
    f = Filters(date_from=dt.date(2023, 3, 1), date_to=dt.date(2023, 3, 31))
    assert set(queries.articles_page(store, f, 50, 0)["id"]) == {"a3", "a5"}
    # events dated 2023-03-01 match, even the planned one reported on 2023-02-28
    timeline = queries.visit_timeline(store, f)
    assert set(timeline["date"]) == {"2023-03-01"}
    assert len(timeline) == 3
    # an undated article never matches a date filter
    assert "a6" not in set(queries.articles_page(store, Filters(date_to=dt.date(2100, 1, 1)),
                                                 50, 0)["id"])


def test_source_type_person_and_story_filters(store: Store) -> None:
    assert queries.articles_count(store, Filters(sources=("Reuters",))) == 1
    assert queries.articles_count(store, Filters(event_types=("meeting",))) == 2
    assert queries.articles_count(store, Filters(people=("Shavkat Mirziyoyev",))) == 1
    assert queries.articles_count(store, Filters(story="s1")) == 3
    assert counts(store, Filters(sources=("Kun.uz",)), "visits") == {"UZB": 1}


def test_pagination_is_stable_and_complete(store: Store) -> None:
    pages = [queries.articles_page(store, Filters(), 2, offset) for offset in (0, 2, 4, 6)]
    ids = [i for page in pages for i in page["id"]]
    assert [len(p) for p in pages] == [2, 2, 2, 0]
    assert len(set(ids)) == 6
    assert ids[0] == "a5"  # newest first
    assert ids[-1] == "a6"  # undated last


def test_article_detail(store: Store) -> None:
    detail = queries.article_detail(store, "a1")
    assert detail.article is not None and detail.article["source"] == "Reuters"
    assert len(detail.events) == 3
    assert set(detail.mentions["kind"]) == {"country", "person", "place", "date"}
    text = str(detail.article["text"])
    for row in detail.events.itertuples():
        assert text[row.evidence_start:row.evidence_end] == row.evidence
    assert queries.article_detail(store, "nope").article is None


def test_story_sources_stories_and_options(store: Store) -> None:
    sources = queries.story_sources(store, "s1")
    assert set(sources["source"]) == {"Reuters", "Central News Agency", "Kun.uz"}
    stories = queries.stories_page(store, Filters(), 50, 0)
    assert list(stories["story_id"]) == ["s1", "s2"]
    assert stories.iloc[0]["sources"] == "Central News Agency, Kun.uz, Reuters"
    assert list(queries.stories_page(store, Filters(countries=("IND",)), 50, 0)["story_id"]) \
        == ["s2"]
    options = queries.filter_options(store)
    assert "Reuters" in options.sources and "Antony Blinken" in options.people
    assert (options.min_date, options.max_date) == ("2022-01-27", "2023-03-05")


def test_ingest_log_newest_first(store: Store) -> None:
    log = queries.ingest_log(store, 3)
    assert len(log) == 3
    assert "failed" in set(queries.ingest_log(store, 100)["status"])


def test_queries_accept_a_plain_connection(store: Store) -> None:
    assert queries.articles_count(store.con, Filters()) == 6
