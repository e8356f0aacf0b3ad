"""Keyword and phrase search: the query a user types (ru, zh, kk, en), the FTS5 index written with the
articles (insert, re-extraction, a new text, rollback, an old store), the hits on the article page, and the
read model asking the index."""

from __future__ import annotations

import random
import sqlite3
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from store_factory import build_store  # noqa: E402

from steppewatch.models import Article, ProcessedArticle  # noqa: E402
from steppewatch.query import queries, readmodel  # noqa: E402
from steppewatch.query.filters import Filters  # noqa: E402
from steppewatch.query.search import (  # noqa: E402
    MAX_TERMS,
    StoreSearch,
    Term,
    describe_search,
    fts_query,
    hit_spans,
    parse_search,
)
from steppewatch.store.db import Store, open_store  # noqa: E402
from steppewatch.store.search_index import SEARCH_TABLE, forget_index, has_index  # noqa: E402

TEXTS = {
    "en": ("Tokayev hosts Erdogan", "Kassym-Jomart Tokayev met Recep Tayyip Erdoğan in Astana to discuss "
                                    "the Middle Corridor and a café owners' forum."),
    "ru": ("Визит в Ташкент", "Президент Казахстана Касым-Жомарт Токаев прибыл в Ташкент. Ёлка на площади."),
    "kk": ("Тоқаев Ақордада", "Қазақстан Президенті Қасым-Жомарт Тоқаев Ақордада Өзбекстан басшысын қабылдады."),
    "uz": ("Oʻzbekiston", "Oʻzbekiston Respublikasi Prezidenti Shavkat Mirziyoyev Samarqandda."),
    "zh": ("中亚峰会", "中国—中亚峰会在西安举行，哈萨克斯坦总统托卡耶夫出席。日本の首相も東京で発言した。"),
}


def _processed(aid: str, title: str, text: str) -> ProcessedArticle:
    return ProcessedArticle(article=Article(id=aid, origin=f"tests/{aid}.txt", text=text, raw_text=text,
                                            title=title, source="Wire", published="2023-05-19",
                                            published_precision="day"),
                            mentions=[], people=[], events=[], focus_country=None)


def _store(tmp_path: Path) -> Store:
    store = open_store(tmp_path / "s.db")
    for lang, (title, text) in TEXTS.items():
        store.save(_processed(lang, title, text))
    return store


def _found(store: Store, search: str) -> list[str]:
    """Ids of the articles the SQL path finds for ``search``."""
    where, params = queries.article_where(Filters(search=search))
    return sorted(str(r[0]) for r in store.con.execute(f"SELECT a.id FROM articles a WHERE {where}", params))


# -- the query a user types ------------------------------------------------------------------------
@pytest.mark.parametrize(("typed", "terms"), [
    ("Tokayev Astana", [Term("Tokayev"), Term("Astana")]),
    ('"Middle Corridor" Erdo*', [Term("Middle Corridor"), Term("Erdo", prefix=True)]),
    ("Казахстан* Токаев", [Term("Казахстан", prefix=True), Term("Токаев")]),
    ("Қазақстан Тоқаев", [Term("Қазақстан"), Term("Тоқаев")]),
    ("中亚 哈萨克斯坦", [Term("中亚"), Term("哈萨克斯坦")]),
    ('"中国  中亚"*', [Term("中国 中亚", prefix=True)]),
    ("Tokayev tokayev Tokayev", [Term("Tokayev"), Term("tokayev")]),
    ("  ", []),
    ("- * ** ! «»", []),
])
def test_words_and_phrases_are_read_as_typed(typed: str, terms: list[Term]) -> None:
    assert parse_search(typed) == terms


@pytest.mark.parametrize(("typed", "query"), [
    ("Tokayev Astana", '"Tokayev" AND "Astana"'),
    ('"central asia" kazakh*', '"central asia" AND "kazakh" *'),
    ("Казахстан*", '"Казахстан" *'),
    ("ёлка", '"елка"'),
    ("中亚", '" 中  亚 "'),  # each character a token: the run is a phrase
    ("AND OR NOT", '"AND" AND "OR" AND "NOT"'),  # operators are words
    ("title:Tokayev", '"title:Tokayev"'),  # no column filter: the tokenizer splits it into a phrase
    ('NEAR(Tokayev Putin) "unbalanced', '"NEAR(Tokayev" AND "Putin)" AND "unbalanced"'),
    ("^Tokayev +Putin -Xi", '"^Tokayev" AND "+Putin" AND "-Xi"'),
    ("!!! ---", None),
])
def test_the_fts5_query_neutralises_operators(typed: str, query: str | None) -> None:
    assert fts_query(typed) == query


def test_a_long_query_keeps_its_first_terms() -> None:
    terms = parse_search(" ".join(f"w{i}" for i in range(40)))
    assert [t.words for t in terms] == [f"w{i}" for i in range(MAX_TERMS)]


def test_describe_shows_the_terms_as_searched() -> None:
    assert describe_search('  "central   asia"   kazakh**  AND ') == '"central asia" kazakh* AND'


def test_no_typed_query_makes_fts5_fail() -> None:
    """Random strings of quotes, operators, stars, brackets, letters of several scripts: every one is a
    valid MATCH expression (or None)."""
    con = sqlite3.connect(":memory:")
    con.execute(f"CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5(title, text)")
    con.execute(f"INSERT INTO {SEARCH_TABLE} VALUES ('a', 'b')")
    alphabet = ['"', "*", "(", ")", ":", "^", "+", "-", "NEAR", "AND", "OR", "NOT", " ", "a", "Ж", "中", "қ",
                "ʻ", "'", "{", "}", ",", ".", "\\", "é", "\u0301", "0", "title", "_", "$", "%", "\u200f"]
    rng = random.Random(5)
    for _ in range(2000):
        typed = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        query = fts_query(typed)
        if query is not None:
            con.execute(f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH ?", (query,)).fetchall()


# -- the index ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("search", "ids"), [
    ("tokayev", ["en"]),
    ("Erdogan", ["en"]),  # Erdoğan: diacritics do not matter
    ("CAFE owners", ["en"]),
    ('"middle corridor"', ["en"]),
    ('"corridor middle"', []),  # a phrase keeps its order
    ("Tokayev Ташкент", []),  # words are ANDed
    ("Казахстан", []),  # a word is a whole word...
    ("Казахстан*", ["ru"]),  # ...unless it is a prefix
    ("Токаев ташкент", ["ru"]),
    ("елка", ["ru"]),  # ё is searched as е
    ("Ёлка", ["ru"]),
    ("Тоқаев", ["kk"]),  # Kazakh letters are letters of their own
    ("тоқаев ақордада", ["kk"]),
    ("Ақорда*", ["kk"]),
    ("O'zbekiston", ["uz"]),  # any apostrophe
    ("Oʻzbekiston samarqandda", ["uz"]),
    ("中亚", ["zh"]),
    ("哈萨克斯坦", ["zh"]),
    ("中亚峰会", ["zh"]),  # in the title and the text
    ("亚中", []),  # not the same characters anywhere in the text
    ("东京", []),
    ("東京", ["zh"]),
    ("首相", ["zh"]),
    ("中亚 托卡耶夫", ["zh"]),
])
def test_the_index_finds_words_in_every_script(tmp_path: Path, search: str, ids: list[str]) -> None:
    with _store(tmp_path) as store:
        assert _found(store, search) == ids


def test_a_search_with_no_word_narrows_nothing(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        assert _found(store, "!!!") == sorted(TEXTS)


def test_re_extraction_keeps_the_index_exact(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        rowid = store.con.execute("SELECT rowid FROM articles WHERE id = 'en'").fetchone()[0]
        store.replace_facts(_processed("en", *TEXTS["en"]))  # same text (a newer extractor)
        assert store.con.execute("SELECT rowid FROM articles WHERE id = 'en'").fetchone()[0] == rowid
        assert _found(store, "tokayev") == ["en"]
        store.replace_facts(_processed("en", "Mirziyoyev in Bishkek", "Shavkat Mirziyoyev arrived in Bishkek."))
        assert _found(store, "tokayev") == []
        assert _found(store, "Erdogan") == []
        assert _found(store, "mirziyoyev bishkek") == ["en"]
        assert _found(store, "mirziyoyev") == ["en", "uz"]
        # the index holds exactly the stored rows: rebuilt from them, it finds the same
        before = {q: _found(store, q) for q in ("mirziyoyev", "tokayev", "中亚", "Казахстан*", "corridor")}
        forget_index(store.con)
        store.con.commit()
    with open_store(tmp_path / "s.db") as store:
        assert {q: _found(store, q) for q in before} == before


def test_an_article_rolled_back_leaves_nothing_in_the_index(tmp_path: Path) -> None:
    with _store(tmp_path) as store, store.batch() as con:
        with pytest.raises(RuntimeError), store.savepoint("article"):
            store.insert_article(con, _processed("x", "Rolled back", "Zhaparov visited Baku."))
            raise RuntimeError("extraction failed after the insert")
        store.insert_article(con, _processed("y", "Kept", "Japarov visited Baku."))
    with open_store(tmp_path / "s.db") as store:
        assert _found(store, "baku") == ["y"]
        assert _found(store, "zhaparov") == []


def test_an_old_store_is_indexed_by_its_first_writer_and_readable_before(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    _store(tmp_path).close()
    with sqlite3.connect(path) as con:  # as a store written before the search index
        con.execute(f"DROP TABLE {SEARCH_TABLE}")
        forget_index(con)
    with open_store(path, read_only=True) as store:  # the dashboard opening it: no failure
        assert not has_index(store.con)
        search = StoreSearch.on(store.con)
        assert not search.available()
        model = readmodel.build(store.con)
        model.search_source = search
        assert model.articles_count(Filters(search="tokayev")) == 0
        assert model.articles_count(Filters()) == len(TEXTS)
        version = queries.data_version(store.con)
    with open_store(path) as store:  # the next ingest
        assert has_index(store.con)
        assert _found(store, "tokayev") == ["en"]
        assert queries.data_version(store.con) != version  # readers drop what they cached without it


# -- hits on the article page ------------------------------------------------------------------------
@pytest.mark.parametrize(("lang", "search", "hits"), [
    ("en", "erdogan corridor", ["Erdoğan", "Corridor"]),
    ("en", '"middle corridor"', ["Middle Corridor"]),
    ("en", "Tokayev nowhere", ["Tokayev"]),  # each term on its own: the rest may be in the title
    ("ru", "Казахстан* ёлка", ["Казахстана", "Ёлка"]),
    ("kk", "тоқаев", ["Тоқаев"]),
    ("uz", "O'zbekiston", ["Oʻzbekiston"]),
    ("zh", "中亚 托卡耶夫", ["中亚", "托卡耶夫"]),
    ("zh", "東京", ["東京"]),
    ("zh", "nothing", []),
])
def test_hits_are_the_matched_words_of_the_text(lang: str, search: str, hits: list[str]) -> None:
    text = TEXTS[lang][1]
    assert [text[a:b] for a, b in hit_spans(text, search)] == hits


def test_hits_survive_marker_characters_in_the_text() -> None:
    text = "\x01Tokayev\x02 met \x01Putin"
    assert [text[a:b] for a, b in hit_spans(text, "tokayev putin")] == ["Tokayev", "Putin"]


# -- the read model ------------------------------------------------------------------------------------
def test_the_model_maps_hits_to_its_own_articles(tmp_path: Path) -> None:
    """Articles written after the model was built are left out; the rest match as in SQL."""
    with _store(tmp_path) as store:
        model = readmodel.build(store.con)
        model.search_source = StoreSearch.on(store.con)
        store.save(_processed("late", "Tokayev again", "Tokayev spoke in Astana."))
        assert _found(store, "tokayev") == ["en", "late"]
        ids = readmodel._take(model.article_ids, np.flatnonzero(model.search_mask("tokayev")))
        assert ids == ["en"]
        fresh = readmodel.build(store.con)
        fresh.search_source = StoreSearch.on(store.con)
        mask = fresh.search_mask("tokayev")
        assert sorted(readmodel._take(fresh.article_ids, np.flatnonzero(mask))) == ["en", "late"]


def test_the_factory_store_is_searchable(tmp_path: Path) -> None:
    """The hand-built store (with its hostile article) gets the same index as the pipeline's."""
    with open_store(build_store(tmp_path / "f.db")) as store:
        assert _found(store, "blinken tashkent")
        assert _found(store, "script") == _found(store, "alert")


def test_hits_are_marked_escaped_inside_entity_marks_without_a_badge() -> None:
    import pandas as pd

    from components.article_view import article_spans, highlight_html, search_hits_line

    text = "<b>Tokayev</b> met Putin <script>alert(1)</script>"
    mentions = pd.DataFrame({"kind": ["person"], "start": [3], "end": [10]})
    spans = article_spans(mentions, pd.DataFrame(), None, hit_spans(text, "tokayev script"))
    out = highlight_html(text, spans)
    assert "<script>" not in out and "<b>" not in out
    assert ('<mark class="sw-person"' in out and out.index('<mark class="sw-person"')
            < out.index('<mark class="sw-search-hit"') < out.index("Tokayev"))  # the hit's colour shows
    assert out.count("sw-search-hit") == 3  # Tokayev and the two words script (escaped)
    assert out.count("PERSON") == 1 and "SEARCH" not in out
    assert search_hits_line(2, "tokayev script") == "2 search hits marked in orange."
    assert search_hits_line(0, "x") == "None of the search's words are in the text."
    assert search_hits_line(0, "") == ""


def test_the_model_reads_rowids_alone_only_when_they_line_up_with_its_ids(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        model = readmodel.build(store.con)
        model.search_source = StoreSearch.on(store.con)
        rowids = model.search_source.rowids_in_id_order()
        assert len(rowids) == model.n_articles and model._same_id_order(rowids)
        assert not model._same_id_order(rowids[::-1])  # another order: ids and rowids are matched by id instead
        stored, positions = model._rowid_positions()
        assert sorted(readmodel._take(model.article_ids, positions)) == sorted(TEXTS)
        assert dict(store.con.execute("SELECT rowid, id FROM articles")) == dict(
            zip(stored.tolist(), readmodel._take(model.article_ids, positions), strict=True))
