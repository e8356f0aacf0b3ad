"""What the query layer counts: language/attribute mentions do not select an article for a
country, the timeline keeps the latest events when it must cut, and re-extraction refreshes caches."""

from __future__ import annotations

from pathlib import Path

from steppewatch.models import RawDocument
from steppewatch.pipeline import ingest_documents, reprocess_stale
from steppewatch.query import queries
from steppewatch.query.filters import Filters
from steppewatch.store import open_store


def _doc(name: str, text: str, published: str) -> RawDocument:
    return RawDocument(f"https://example.org/{name}", text.encode(), {"published": published, "source": "Test"})


def test_country_filter_ignores_a_language_only_mention(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with open_store(db) as store:
        ingest_documents(store, [
            _doc("lang", "Russian-speaking voters in Kazakhstan went to the polls on Sunday.", "2024-03-01"),
            _doc("actor", "Russia and Kazakhstan signed a gas agreement on Monday.", "2024-03-02"),
        ])
    with open_store(db, read_only=True) as store:
        titles = queries.articles_page(store, Filters(countries=("RUS",)))
        counts = queries.country_counts(store, Filters(), "mentions")
    assert len(titles) == 1
    assert dict(zip(counts["iso3"], counts["n"], strict=False))["RUS"] == 1


def test_timeline_cut_keeps_the_most_recent_events(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    docs = [_doc(f"v{day}", f"Chinese President Xi Jinping arrived in Astana on {day} May 2024 for talks with "
                            f"President Kassym-Jomart Tokayev. Report number {day}.", f"2024-05-{day:02d}")
            for day in range(1, 29, 3)]
    with open_store(db) as store:
        ingest_documents(store, docs)
    with open_store(db, read_only=True) as store:
        everything = queries.visit_timeline(store, Filters())
        latest = queries.visit_timeline(store, Filters(), limit=3)
    assert len(everything) > 3
    assert list(latest["date"]) == sorted(everything["date"])[-3:]


def test_data_version_changes_when_stored_articles_are_re_extracted(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with open_store(db) as store:
        ingest_documents(store, [_doc("a", "Russia and Kazakhstan signed a gas agreement.", "2024-03-02")])
        before = queries.data_version(store)
        store.con.execute("UPDATE articles SET extractor_version = 'old'")
        store.con.commit()
        assert reprocess_stale(store) == 1
        assert queries.data_version(store) != before


def test_headline_countries_equals_the_distinct_countries_of_the_matching_articles(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with open_store(db) as store:
        ingest_documents(store, [
            _doc("a", "Russia and Kazakhstan signed a gas agreement on Monday.", "2024-03-02"),
            _doc("b", "Uzbekistan and China agreed on a railway; Russian-speaking media reported it.", "2024-04-02"),
            _doc("c", "Tajikistan hosted Iran's foreign minister in Dushanbe.", "2024-05-02"),
        ])
    with open_store(db, read_only=True) as store:
        for f in (Filters(), Filters(countries=("UZB",)), Filters(countries=("KAZ", "TJK"))):
            expected = len(queries.country_counts(store, f, "mentions"))
            assert int(queries.headline_numbers(store, f).iloc[0]["countries"]) == expected
        assert int(queries.headline_numbers(store, Filters(countries=("UZB",))).iloc[0]["countries"]) == 2


def test_headline_counts_a_visit_once_however_many_reports_carry_it(tmp_path: Path) -> None:
    seeds = Path(__file__).resolve().parent / "fixtures" / "seeds"
    from steppewatch.pipeline import ingest_paths

    db = tmp_path / "s.db"
    with open_store(db) as store:
        ingest_paths(store, [seeds])
        reports = store.rows("SELECT count(*) AS n FROM events WHERE type = 'visit' AND status = 'occurred'")[0]["n"]
    with open_store(db, read_only=True) as store:
        row = queries.headline_numbers(store, Filters()).iloc[0]
        kaz = queries.headline_numbers(store, Filters(countries=("KAZ",))).iloc[0]
    assert reports == 2  # Reuters and the CNA translation both report the Astana visit
    assert int(row["visits_occurred"]) == int(kaz["visits_occurred"]) == 1
    assert int(row["visits_planned"]) == 1  # the announced Tashkent leg


def test_an_older_store_gets_url_keys_for_its_articles_when_opened(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "old.db"
    with open_store(db) as store:
        ingest_documents(store, [_doc("a?utm_source=x", "Russia and Kazakhstan signed a gas agreement.", "2024-03-02")])
    con = sqlite3.connect(db)  # make it look like a store written before url_key existed
    con.execute("DROP INDEX articles_url_key")
    con.execute("ALTER TABLE articles DROP COLUMN url_key")
    con.commit()
    con.close()
    with open_store(db) as store:
        [row] = store.rows("SELECT url_key FROM articles")
    assert row["url_key"] == "https://example.org/a"
