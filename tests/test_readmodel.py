"""The read model answers every Overview and Stories query exactly as the SQL queries do.

Two real stores: ~400 generated wire articles plus the seed articles through the full pipeline
(stories, trips, calls, republications), and the hand-built store of tests/store_factory.py (an
undated article, a hostile one). Each filter below is asked of both paths and the results compared.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from steppewatch.ingest.readers import iter_documents
from steppewatch.pipeline import ingest_documents
from steppewatch.query import queries, readmodel, snapshot
from steppewatch.query.filters import Filters
from steppewatch.store import open_store

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))
from generate import generate_articles  # noqa: E402
from store_factory import build_store  # noqa: E402

SEEDS = ROOT / "tests" / "fixtures" / "seeds"


@pytest.fixture(scope="module")
def pipeline_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rm") / "generated.db"
    with open_store(path) as store:
        ingest_documents(store, [*generate_articles(400, seed=11), *iter_documents([SEEDS])])
    return path


@pytest.fixture(scope="module")
def factory_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("rm") / "factory.db")


@pytest.fixture(params=["pipeline", "factory"])
def con(request: pytest.FixtureRequest, pipeline_store: Path, factory_store: Path) -> Iterator[sqlite3.Connection]:
    path = pipeline_store if request.param == "pipeline" else factory_store
    connection = sqlite3.connect(path)
    yield connection
    connection.close()


def _filters(con: sqlite3.Connection) -> list[Filters]:
    """Views a user builds: each filter alone, in pairs, and values that match nothing."""
    source = con.execute("SELECT source FROM articles WHERE source IS NOT NULL ORDER BY source LIMIT 1").fetchone()
    story = con.execute("SELECT story_id FROM articles WHERE story_id IS NOT NULL GROUP BY story_id "
                        "ORDER BY count(*) DESC, story_id LIMIT 1").fetchone()
    person = con.execute("SELECT name FROM people GROUP BY name ORDER BY count(*) DESC, name LIMIT 1").fetchone()
    actor = con.execute("SELECT actor FROM events WHERE actor IS NOT NULL ORDER BY event_id LIMIT 1").fetchone()
    day = dt.date(2023, 2, 28)
    views = [
        Filters(),
        Filters(countries=("KAZ",)),
        Filters(countries=("UZB", "RUS")),
        Filters(countries=("FRA",)),
        Filters(date_from=day),
        Filters(date_to=day),
        Filters(date_from=dt.date(2021, 1, 1), date_to=dt.date(2022, 12, 31)),
        Filters(date_from=dt.date(2030, 1, 1)),
        Filters(event_types=("visit",)),
        Filters(event_types=("meeting", "call")),
        Filters(countries=("KAZ",), date_from=dt.date(2022, 1, 1), date_to=dt.date(2023, 12, 31)),
        Filters(story="no-such-story"),
        Filters(people=("Nobody Known",)),
    ]
    if source:
        views += [Filters(sources=(source[0],)), Filters(sources=(source[0],), countries=("CHN",))]
    if story:
        views += [Filters(story=story[0]), Filters(story=story[0], event_types=("visit",))]
    if person:
        views += [Filters(people=(person[0],)), Filters(people=(person[0],), countries=("KAZ",))]
    if actor:
        views.append(Filters(people=(actor[0],)))
    return views


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.columns) == list(b.columns)
    assert len(a) == len(b)
    left = a.astype(object).where(a.notna(), None).to_dict("records")
    right = b.astype(object).where(b.notna(), None).to_dict("records")
    assert left == right


def _check(model: readmodel.ReadModel, con: sqlite3.Connection, f: Filters) -> None:
    _same(model.headline_numbers(f), queries.headline_numbers(con, f))
    for metric in ("mentions", "focus", "events", "visits"):
        _same(model.country_counts(f, metric), queries.country_counts(con, f, metric))
    for limit in (queries.TIMELINE_LIMIT, 7):
        _same(readmodel.visit_timeline(model, con, f, limit), queries.visit_timeline(con, f, limit))
    assert model.articles_count(f) == queries.articles_count(con, f)
    for offset in (0, 20):
        _same(readmodel.articles_page(model, con, f, 20, offset), queries.articles_page(con, f, 20, offset))
    _same(readmodel.stories_page(model, con, f, 10, 0), queries.stories_page(con, f, 10, 0))


def test_every_overview_query_gives_the_sql_answer(con: sqlite3.Connection) -> None:
    model = readmodel.build(con)
    assert model.n_articles == queries.articles_count(con, Filters()) > 0
    for f in _filters(con):
        _check(model, con, f)
    assert model.filter_options() == queries.filter_options(con)


def test_the_generated_store_is_not_trivial(pipeline_store: Path) -> None:
    """The comparison above means something only if the store has what the filters select."""
    with sqlite3.connect(pipeline_store) as c:
        kinds = dict(c.execute("SELECT type, count(*) FROM events GROUP BY type").fetchall())
        assert kinds.get("visit", 0) > 50 and kinds.get("meeting", 0) > 20
        assert c.execute("SELECT count(DISTINCT story_id) FROM articles").fetchone()[0] > 50
        assert c.execute("SELECT count(*) FROM articles GROUP BY story_id ORDER BY 1 DESC").fetchone()[0] > 1


def test_a_snapshot_loads_back_to_the_same_answers(con: sqlite3.Connection, tmp_path: Path) -> None:
    built = readmodel.build(con)
    folder = readmodel.save(built, tmp_path / "snap")
    loaded = readmodel.load(folder)
    assert loaded.version == built.version
    for item in dataclasses.fields(built):
        a, b = getattr(built, item.name), getattr(loaded, item.name)
        if isinstance(a, np.ndarray):
            assert np.array_equal(a, b), item.name
        else:
            assert a == b or (hasattr(a, "equals") and a.equals(b)), item.name
    for f in _filters(con)[:6]:
        _check(loaded, con, f)


def test_a_snapshot_of_another_version_is_not_used(pipeline_store: Path, tmp_path: Path) -> None:
    copy = tmp_path / "store.db"
    copy.write_bytes(pipeline_store.read_bytes())
    with open_store(copy) as store:
        path = readmodel.write_snapshot(store)
        version = queries.data_version(store)
    assert readmodel.load_snapshot(copy, version) is not None
    assert readmodel.load_snapshot(copy, version + "-newer") is None
    (path / "dates.arrow").write_bytes(b"not arrow")  # a damaged snapshot is rebuilt, never trusted
    assert readmodel.load_snapshot(copy, version) is None
    with sqlite3.connect(copy) as c:
        model = readmodel.current(copy, c)
        assert model.version == version and model.articles_count(Filters()) > 0
    assert readmodel.load_snapshot(copy, version) is not None  # current() saved a good one again


def _sql_summary(con: sqlite3.Connection, f: Filters) -> dict[tuple[object, ...], int]:
    """Monthly counts straight from SQL: visits by VISIT_KEY, other events one by one."""
    where, params = queries.event_where(f)
    rows = con.execute(f"""
        SELECT CASE WHEN e.type = 'call' THEN NULL ELSE e.host_country END, e.type, e.status,
               substr(coalesce(e.date, a.published), 1, 7),
               CASE WHEN e.type = 'visit' THEN {queries.VISIT_KEY} ELSE e.event_id END
        FROM events e JOIN articles a ON a.id = e.article_id
        WHERE {where} AND length(substr(coalesce(e.date, a.published), 1, 7)) = 7""", params).fetchall()
    out: dict[tuple[object, ...], set[object]] = {}
    for host, kind, status, month, unit in rows:
        out.setdefault((host, kind, status, month), set()).add(unit)
    return {k: len(v) for k, v in out.items()}


def test_the_monthly_timeline_counts_what_sql_counts(con: sqlite3.Connection) -> None:
    model = readmodel.build(con)
    for f in _filters(con):
        summary = model.timeline_summary(f)
        got = {(r.iso3, r.type, r.status, r.month): int(r.n) for r in summary.itertuples()}
        assert got == _sql_summary(con, f)
        assert model.timeline_ids(f, 0)[1] == len(queries.visit_timeline(con, f, 10**9))


@pytest.mark.parametrize("resort_share", [readmodel._RESORT_SHARE, 0], ids=["as-configured", "always-bisect"])
def test_a_refreshed_model_answers_like_a_fresh_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      resort_share: int) -> None:
    """New articles (some republishing stories already stored, so older articles change story and trips):
    the model patched from the change journal equals a build from scratch (also when every new row goes
    into the presorted orders by bisection, as in a large store)."""
    monkeypatch.setattr(snapshot, "after_ingest", lambda store: None)  # keep the journal to patch from
    monkeypatch.setattr(readmodel, "_RESORT_SHARE", resort_share)
    docs = list(generate_articles(300, seed=7))
    seeds = sorted(iter_documents([SEEDS]), key=lambda d: d.origin)
    with open_store(tmp_path / "journal.db") as store:
        readmodel.ensure_journal(store.con)
        ingest_documents(store, docs[0::3] + seeds[:1])
        first = readmodel.build(store)
        assert first.change_seq > 0
        for batch in (docs[1::3][:20], docs[2::3][:12] + seeds[1:]):
            summary = ingest_documents(store, batch)
            assert summary.ingested
            changed = store.con.execute(f"SELECT count(DISTINCT article_id) FROM {readmodel.JOURNAL} WHERE seq > ?",
                                        (first.change_seq,)).fetchone()[0]
            assert len(summary.ingested) < changed < store.count("articles")  # older articles changed too
            patched = readmodel.refresh(first, store)
            fresh = readmodel.build(store)
            assert patched.version == fresh.version and patched.change_seq == fresh.change_seq
            assert patched.n_articles == fresh.n_articles and patched.n_events == fresh.n_events
            for f in _filters(store.con):
                for model in (patched, fresh):
                    _check(model, store.con, f)
                assert patched.timeline_summary(f).equals(fresh.timeline_summary(f))
            assert patched.filter_options() == fresh.filter_options()
            # the timeline's and the article list's whole orders, not only their first pages
            assert patched.event_ids.take(patched.e_order) == fresh.event_ids.take(fresh.e_order)
            assert patched.article_ids.take(patched.a_order) == fresh.article_ids.take(fresh.a_order)
            for model in (patched, fresh):  # the Stories page's whole order, not only its first page
                assert model.stories.take(model.s_order).to_pylist() == [r[0] for r in store.con.execute(
                    "SELECT story_id FROM stories ORDER BY last_seen DESC, story_id")]
            first = patched  # the next batch patches the patched model
        assert first.n_articles == store.count("articles")


def test_the_journal_is_trimmed_once_a_snapshot_holds_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot, "after_ingest", lambda store: None)
    docs = list(generate_articles(60, seed=9))
    with open_store(tmp_path / "trim.db") as store:
        readmodel.ensure_journal(store.con)
        ingest_documents(store, docs[:30])
        model = readmodel.build(store)
        readmodel.trim_journal(store.con, model.change_seq)
        assert store.con.execute(f"SELECT count(*) FROM {readmodel.JOURNAL}").fetchone()[0] == 0
        ingest_documents(store, docs[30:])
        assert readmodel.refresh(model, store).n_articles == store.count("articles")
        stale = dataclasses.replace(model, change_seq=model.change_seq - 1)  # older than what was trimmed
        rebuilt = readmodel.refresh(stale, store)
        assert rebuilt.n_articles == store.count("articles") and rebuilt.change_seq > model.change_seq


def test_only_writes_that_change_what_the_model_holds_are_journaled(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Re-clustering rewrites the story of every article of a neighbourhood, most with the story they had:
    those rewrites must not send the articles back through the next snapshot patch; a real change must."""
    monkeypatch.setattr(snapshot, "after_ingest", lambda store: None)
    with open_store(tmp_path / "quiet.db") as store:
        readmodel.ensure_journal(store.con)
        ingest_documents(store, list(generate_articles(20, seed=3)))
        readmodel.trim_journal(store.con, readmodel.build(store).change_seq)

        def journaled() -> set[str]:
            return {r[0] for r in store.con.execute(f"SELECT article_id FROM {readmodel.JOURNAL}")}

        article, story = store.con.execute("SELECT id, story_id FROM articles LIMIT 1").fetchone()
        event = store.con.execute("SELECT event_id, trip_id FROM events WHERE article_id IN"
                                  " (SELECT id FROM articles) LIMIT 1").fetchone()
        with store.transaction() as con:
            con.execute("UPDATE articles SET story_id = ?, derived_from = NULL WHERE id = ?", (story, article))
            con.execute("UPDATE events SET trip_id = ? WHERE event_id = ?", (event[1], event[0]))
        assert journaled() == set()
        with store.transaction() as con:
            con.execute("UPDATE articles SET story_id = 'another' WHERE id = ?", (article,))
        assert journaled() == {article}


def test_every_ingest_leaves_a_snapshot_of_the_store_as_it_is(tmp_path: Path) -> None:
    """The writer's hook: a cold start finds the current version on disk, patched, equal to a build."""
    docs = list(generate_articles(90, seed=12))
    path = tmp_path / "hooked.db"
    with open_store(path) as store:
        for batch in (docs[:60], docs[60:75], docs[75:]):
            ingest_documents(store, batch)
            version = queries.data_version(store)
            on_disk = readmodel.load_snapshot(path, version)
            assert on_disk is not None and on_disk.n_articles == store.count("articles")
            assert store.con.execute(f"SELECT count(*) FROM {readmodel.JOURNAL}").fetchone()[0] == 0  # trimmed
            fresh = readmodel.build(store)
            for f in _filters(store.con)[:8]:
                _same(on_disk.headline_numbers(f), fresh.headline_numbers(f))
                _same(on_disk.country_counts(f, "events"), fresh.country_counts(f, "events"))
        assert len(list(readmodel.snapshot_dir(path).iterdir())) == 1  # only the current version is kept


def test_masks_kept_for_a_view_are_not_those_of_an_older_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot, "after_ingest", lambda store: None)
    docs = list(generate_articles(80, seed=13))
    with open_store(tmp_path / "masks.db") as store:
        readmodel.ensure_journal(store.con)
        ingest_documents(store, docs[:60])
        old = readmodel.build(store)
        view = Filters(countries=("KAZ",))
        before = old.articles_count(view)
        assert old.article_mask(view) is old.article_mask(dataclasses.replace(view, metric="visits"))  # kept
        ingest_documents(store, docs[60:])
        new = readmodel.refresh(old, store)
        assert new.articles_count(view) == queries.articles_count(store, view) >= before
        assert old.articles_count(view) == before
        with pytest.raises(ValueError):
            new.article_mask(view)[0] = False  # a kept mask is shared: read-only


def test_new_ids_are_put_in_id_order_as_a_full_sort_would() -> None:
    """A patch puts the few new rows into the id order by bisection: the same order a sort gives,
    duplicates of existing ids and ids before the first or after the last included."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    rng = np.random.default_rng(4)
    old = [f"a{rng.integers(0, 10**6):07d}" for _ in range(5000)]
    new = [old[17], "0 first", "zzz last", *[f"a{rng.integers(0, 10**6):07d}" for _ in range(60)]]
    ids = pa.array(old + new, type=pa.string())
    by_id = pc.sort_indices(pa.array(old, type=pa.string())).to_numpy().astype(np.int32)
    patched = readmodel._insert_by_id(by_id, ids, np.arange(len(old), len(old) + len(new)))
    assert sorted(patched.tolist()) == list(range(len(old) + len(new)))
    assert ids.take(pa.array(patched)).to_pylist() == sorted(old + new)


def test_stories_dated_by_no_article_still_get_their_order(tmp_path: Path) -> None:
    """A store written by older code (or by hand) may date a story on a day none of its articles has:
    the model still builds, and the Stories page keeps SQL's order (newest last_seen first, then id)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from store_factory import SPECS, build_store

    path = build_store(tmp_path / "odd.db", SPECS)
    with open_store(path) as store:
        with store.transaction() as con:
            con.execute("UPDATE stories SET last_seen = '2031-07-04' WHERE story_id = 's2'")
            con.execute("INSERT INTO stories (story_id, title, last_seen) VALUES ('s9', 'orphan', NULL)")
        model = readmodel.build(store)
        expected = [r[0] for r in store.con.execute("SELECT story_id FROM stories ORDER BY last_seen DESC, story_id")]
    assert model.stories.take(model.s_order).to_pylist() == expected
    assert expected[0] == "s2" and expected[-1] == "s9"


def test_patched_posting_lists_equal_built_ones() -> None:
    """Each country's list stays ascending when a patch drops, renumbers and adds entries."""
    import numpy as np

    rng = np.random.default_rng(8)
    keys, values = rng.integers(-1, 6, 400), rng.integers(0, 300, 400)
    starts, posted = readmodel._postings(keys, values, 6)
    dropped = rng.random(300) < 0.2
    renumber = np.cumsum(~dropped) - 1
    new_keys, new_values = rng.integers(-1, 7, 50), rng.integers(int((~dropped).sum()), 400, 50)
    got = readmodel._patched_postings(starts, posted, dropped, renumber, new_keys, new_values, 7)
    survivors = (keys >= 0) & ~dropped[values]
    expected = readmodel._postings(np.concatenate([keys[survivors], new_keys]),
                                   np.concatenate([renumber[values[survivors]], new_values]), 7)
    assert np.array_equal(got[0], expected[0]) and np.array_equal(got[1], expected[1])


def test_looking_values_up_either_way_gives_the_same_positions() -> None:
    """A few wanted among many (one scan against a small hash) or many among few (a hash of the values)."""
    import numpy as np
    import pyarrow as pa

    values = pa.array([f"v{i}" for i in range(1000)], type=pa.string())
    few = pa.array(["v7", "nope", "v999", "v0"], type=pa.string())
    many = pa.array([f"v{i}" for i in range(990, 1010)], type=pa.string())
    assert readmodel._find_in(values, few).tolist() == [7, -1, 999, 0]
    assert readmodel._find_in(values, many).tolist() == [*range(990, 1000), *[-1] * 10]
    assert readmodel._find_in(values.slice(0, 0), few).tolist() == [-1] * 4
    assert np.array_equal(readmodel._find_in(pa.array([5, 9], type=pa.int64()), pa.array([9], type=pa.int64())), [1])
