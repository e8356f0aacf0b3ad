"""The search in the app (AppTest): the sidebar box writes ``q`` into the URL and narrows every figure, a link
with ``q`` opens the searched view, the article page marks the hits, a hostile search stays inert text, and a
store without a search index says so instead of failing."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from app_support import app, url  # noqa: E402
from store_factory import build_store  # noqa: E402

from components import data  # noqa: E402
from steppewatch import settings  # noqa: E402
from steppewatch.query.filters import Filters  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def test_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = build_store(tmp_path_factory.mktemp("search_app") / "store.db")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(settings, "DB_PATH", path)
        yield path






def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def summary(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown if "font-size:1.1em" in m.value)


def test_typing_a_search_writes_the_url_and_narrows_the_view() -> None:
    at = app()
    at.run()
    everything = metric(at, "Articles")
    at.text_input(key="flt_search").input('  Tashkent   "Antony Blinken" ').run()
    assert not at.exception
    assert url(at) == {"q": 'Tashkent "Antony Blinken"'}
    assert at.session_state["flt__filters"] == Filters(search='Tashkent "Antony Blinken"')
    assert metric(at, "Articles") == "2" != everything  # the Reuters report and the Tashkent one
    assert "search&#58; Tashkent &quot;Antony Blinken&quot;" in summary(at)  # escaped text
    at.text_input(key="flt_search").input("").run()
    assert url(at) == {}
    assert metric(at, "Articles") == everything


def test_a_link_with_a_search_opens_the_searched_view() -> None:
    at = app(q="Semipalatinsk", country="KAZ")
    at.run()
    assert not at.exception
    assert at.text_input(key="flt_search").value == "Semipalatinsk"
    assert metric(at, "Articles") == "1"
    assert url(at) == {"country": "KAZ", "q": "Semipalatinsk"}
    nothing = app(q="zzzqqq")
    nothing.run()
    assert not nothing.exception and metric(nothing, "Articles") == "0"


def test_the_article_page_marks_the_hits() -> None:
    at = app(article="a1", q="Blinken astana")
    at.switch_page("views/article.py").run()
    assert not at.exception
    body = next(m.value for m in at.markdown if "sw-article" in m.value)
    hits = re.findall(r'class="sw-search-hit"[^>]*>([^<]*)<', body)
    assert hits and {h.lower() for h in hits} == {"blinken", "astana"}
    assert any("search hits marked" in c.value for c in at.caption)
    assert url(at) == {"article": "a1", "q": "Blinken astana"}
    plain = app(article="a1")
    plain.switch_page("views/article.py").run()
    assert "sw-search-hit" not in next(m.value for m in plain.markdown if "sw-article" in m.value)


def test_a_hostile_search_is_shown_as_inert_text() -> None:
    at = app(q="<script>alert(1)</script> ![x](http://127.0.0.1:9/p.png)")
    at.run()
    assert not at.exception
    for text in [m.value for m in at.markdown] + [c.value for c in at.caption]:
        assert "<script" not in text and "![x](" not in text, text[:200]
    assert "search&#58; &lt;script&gt;alert&#40;1&#41;" in summary(at)


def test_a_store_without_a_search_index_says_search_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data, "search_available", lambda: False)
    at = app(q="Blinken")
    at.run()
    assert not at.exception
    assert any("Search is unavailable" in w.value for w in at.warning)
    without = app()
    without.run()
    assert not any("Search is unavailable" in w.value for w in without.warning)
