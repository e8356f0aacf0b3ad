"""The read model answers every Overview and Stories query under a search exactly as the SQL queries do
(the stores and the comparison of tests/test_readmodel.py), built and patched from the change journal."""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))
import test_readmodel as same_answers  # noqa: E402
from generate import generate_articles  # noqa: E402

from steppewatch.ingest.readers import iter_documents  # noqa: E402
from steppewatch.pipeline import ingest_documents  # noqa: E402
from steppewatch.query import queries, readmodel, snapshot  # noqa: E402
from steppewatch.query.filters import Filters  # noqa: E402
from steppewatch.query.search import StoreSearch  # noqa: E402
from steppewatch.store import open_store  # noqa: E402

_check, _sql_summary, SEEDS = same_answers._check, same_answers._sql_summary, same_answers.SEEDS
pipeline_store, factory_store = same_answers.pipeline_store, same_answers.factory_store  # its stores (fixtures)


@pytest.fixture(params=["pipeline", "factory"])
def con(request: pytest.FixtureRequest, pipeline_store: Path, factory_store: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(pipeline_store if request.param == "pipeline" else factory_store)
    yield connection
    connection.close()


def _searches() -> list[Filters]:
    """Searches a user makes: a name, a phrase, a prefix, with other filters, one matching nothing, one with
    no word to look for (it narrows nothing)."""
    return [
        Filters(search="Blinken"),
        Filters(search='"Central Asia"'),
        Filters(search="Kazakh*"),
        Filters(search="Blinken Tashkent", countries=("KAZ",)),
        Filters(search="talks", event_types=("visit",), date_from=dt.date(2022, 1, 1)),
        Filters(search="Tokayev", people=("Kassym-Jomart Tokayev",)),
        Filters(search="zzzqqq"),
        Filters(search="!!!"),
    ]


def _searching(model: readmodel.ReadModel, connection: sqlite3.Connection) -> readmodel.ReadModel:
    model.search_source = StoreSearch.on(connection)
    return model


def test_every_overview_query_gives_the_sql_answer_under_a_search(con: sqlite3.Connection) -> None:
    model = _searching(readmodel.build(con), con)
    for f in _searches():
        _check(model, con, f)
        summary = model.timeline_summary(f)
        assert {(r.iso3, r.type, r.status, r.month): int(r.n) for r in summary.itertuples()} == _sql_summary(con, f)


def test_searches_select_what_they_should(con: sqlite3.Connection) -> None:
    """The views above are not trivial: each search narrows, and events follow their articles."""
    model = _searching(readmodel.build(con), con)
    everything = model.articles_count(Filters())
    found = model.articles_count(Filters(search="Blinken"))
    assert 0 < found < everything
    assert model.articles_count(Filters(search="zzzqqq")) == 0
    assert model.articles_count(Filters(search="!!!")) == everything
    assert model.articles_count(Filters(search="Blinken Tashkent", countries=("KAZ",))) <= found
    events = model.event_mask(Filters(search="Blinken"))
    assert events.any()
    assert model.search_mask("Blinken")[model.e_article[events]].all()
    assert model.timeline_ids(Filters(search="Blinken"), 0)[1] == len(
        queries.visit_timeline(con, Filters(search="Blinken"), 10**9))


def test_a_patched_model_searches_like_a_fresh_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """New articles after a model was built: the model patched from the journal keeps its search source and
    finds what a fresh build and SQL find."""
    monkeypatch.setattr(snapshot, "after_ingest", lambda store: None)  # keep the journal to patch from
    docs = list(generate_articles(120, seed=7))
    seeds = sorted(iter_documents([SEEDS]), key=lambda d: d.origin)
    with open_store(tmp_path / "journal.db") as store:
        readmodel.ensure_journal(store.con)
        ingest_documents(store, docs[:80] + seeds[:1])
        first = _searching(readmodel.build(store), store.con)
        assert first.articles_count(Filters(search="Blinken")) > 0  # its rowid map made before the patch
        ingest_documents(store, docs[80:] + seeds[1:])
        patched = readmodel.refresh(first, store)
        assert patched.search_source is first.search_source
        fresh = _searching(readmodel.build(store), store.con)
        for f in _searches():
            for model in (patched, fresh):
                _check(model, store.con, f)
