"""AppTest over every page, URL round trip, bad params, clicks and hostile text.

The app reads ``settings.DB_PATH`` at call time, so the tests point it at a store built by
tests/store_factory.py (AppTest runs the app in this process).
"""

from __future__ import annotations

import datetime as dt
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
from store_factory import HOSTILE_TITLE, SPECS, Spec, build_store  # noqa: E402

from components.deferred import LOADING_TEXT  # noqa: E402
from components.sidebar import url_moved  # noqa: E402
from steppewatch import settings  # noqa: E402
from steppewatch.query.filters import Filters  # noqa: E402

PAGES = ["views/overview.py", "views/article.py", "views/stories.py", "views/ingest.py", "views/watchlists.py",
         "views/sources.py",
         "views/quality.py"]
RAW_PAYLOADS = ("<script", "<img", "onerror=alert", "![x](", "javascript:alert")


@pytest.fixture(scope="module", autouse=True)
def test_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = build_store(tmp_path_factory.mktemp("app") / "store.db")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(settings, "DB_PATH", path)
        yield path






def session_filters(at: AppTest) -> Filters:
    return at.session_state["flt__filters"]


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def rendered_texts(at: AppTest) -> list[str]:
    """Every text the app sent through a markdown-rendering element."""
    texts = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "warning", "error",
                 "info", "success", "text", "code"):
        texts += [str(e.value) for e in getattr(at, kind)]
    return texts


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(page: str) -> None:
    at = app()
    at.run()
    assert not at.exception
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def test_overview_numbers() -> None:
    at = app()
    at.run()
    assert metric(at, "Articles") == "6"
    assert metric(at, "Visits (occurred)") == "2"
    assert url(at) == {}


def test_query_params_round_trip() -> None:
    wanted = Filters(countries=("KAZ", "UZB"), date_from=dt.date(2023, 2, 1),
                     date_to=dt.date(2023, 3, 31), sources=("Reuters",),
                     event_types=("visit",), people=("Antony Blinken",), metric="visits")
    at = app(**wanted.to_query_params())
    at.run()
    assert not at.exception
    assert session_filters(at) == wanted
    assert url(at) == wanted.to_query_params()
    assert at.multiselect(key="flt_country").value == ["KAZ", "UZB"]
    assert at.date_input(key="flt_from").value == dt.date(2023, 2, 1)
    assert at.radio(key="flt_metric").value == "visits"
    # the URL the app wrote reproduces the same view in a fresh session
    again = app(**url(at))
    again.run()
    assert session_filters(again) == wanted
    assert [m.value for m in again.metric] == [m.value for m in at.metric]


def test_widget_change_updates_url_and_view() -> None:
    at = app()
    at.run()
    before = metric(at, "Articles")
    at.multiselect(key="flt_country").select("IND").run()
    assert url(at) == {"country": "IND"}
    assert metric(at, "Articles") == "1" != before
    at.date_input(key="flt_from").set_value(dt.date(2022, 1, 1)).run()
    assert url(at) == {"country": "IND", "from": "2022-01-01"}
    at.button(key="flt_reset").click().run()
    assert url(at) == {}


def test_back_and_forward_in_the_browser_show_the_earlier_view() -> None:
    at = app(country="KAZ")
    at.run()
    kaz_articles = metric(at, "Articles")
    at.date_input(key="flt_from").set_value(dt.date(2023, 3, 1)).run()
    assert url(at) == {"country": "KAZ", "from": "2023-03-01"}
    narrowed = metric(at, "Articles")
    assert narrowed != kaz_articles
    at.query_params.clear()  # Back: the browser asks for the previous history entry's address
    at.query_params["country"] = "KAZ"
    at.run()
    assert session_filters(at) == Filters(countries=("KAZ",))
    assert at.date_input(key="flt_from").value is None
    assert metric(at, "Articles") == kaz_articles and url(at) == {"country": "KAZ"}
    at.query_params["from"] = "2023-03-01"  # Forward
    at.run()
    assert metric(at, "Articles") == narrowed and at.date_input(key="flt_from").value == dt.date(2023, 3, 1)


def test_back_to_the_unfiltered_view_clears_the_filters() -> None:
    at = app()
    at.run()
    everything = metric(at, "Articles")
    at.multiselect(key="flt_country").select("IND").run()
    assert url(at) == {"country": "IND"} and metric(at, "Articles") != everything
    at.query_params.clear()  # Back to the first history entry: the address without parameters
    at.run()
    assert session_filters(at) == Filters() and metric(at, "Articles") == everything and url(at) == {}


def test_a_page_link_that_clears_the_address_keeps_the_view() -> None:
    at = app(country="KAZ")
    at.run()
    at.query_params.clear()  # a page link or st.switch_page sends no parameters
    at.switch_page("views/stories.py").run()
    assert not at.exception
    assert session_filters(at) == Filters(countries=("KAZ",)) and url(at) == {"country": "KAZ"}


def test_url_moved_only_for_an_address_the_session_did_not_write() -> None:
    kaz = Filters(countries=("KAZ",))
    assert url_moved({"country": "UZB"}, kaz, {"country": "KAZ"}, same_page=True)
    assert url_moved({"country": "UZB"}, kaz, {"country": "KAZ"}, same_page=False)  # a link to another view
    assert not url_moved({"country": "KAZ"}, kaz, {"country": "UZB"}, same_page=True)  # the session's own view
    assert not url_moved({}, kaz, {"country": "KAZ"}, same_page=False)  # a page link
    assert url_moved({}, kaz, {"country": "KAZ"}, same_page=True)  # Back to the unfiltered view
    assert not url_moved({"country": "UZB"}, kaz, {"country": "UZB"}, same_page=True)  # stale


def test_bad_params_produce_warnings_and_are_dropped() -> None:
    at = app(country="XYZ,KAZ", **{"from": "notadate"}, to="2023-13-45", metric="gdp",
             article="<script>", bogus="1", person="x" * 100_000)
    at.run()
    assert not at.exception
    assert len(at.warning) == 7
    assert session_filters(at) == Filters(countries=("KAZ",))
    assert url(at) == {"country": "KAZ"}
    for text in rendered_texts(at):  # warnings show it backslash-escaped: inert text
        assert not re.search(r"(?<!\\)<script", text), text


def test_warning_with_markdown_payload_is_inert() -> None:
    at = app(country="![x](http://127.0.0.1:9/p.png)")
    at.run()
    assert len(at.warning) == 1
    assert "![x](" not in at.warning[0].value


def test_map_click_filters_the_whole_app() -> None:
    at = app()
    at.run()
    unfiltered = metric(at, "Articles")
    click_map(at, "KAZ")
    assert not at.exception
    assert url(at) == {"country": "KAZ"}
    assert metric(at, "Articles") == "5" != unfiltered
    assert any("Filtered to Kazakhstan" in m.value for m in at.markdown)
    at.run()  # a rerun is no click: the filter stays
    assert url(at) == {"country": "KAZ"}
    # the filter is app-wide: other pages see it and keep it in the URL
    at.switch_page("views/stories.py").run()
    assert session_filters(at).countries == ("KAZ",)
    assert url(at) == {"country": "KAZ"}


def click_map(at: AppTest, code: str) -> None:
    """What a click on a map country sends: the selection of the map's current widget, then a rerun."""
    generation = at.session_state["ov_map__generation"] if "ov_map__generation" in at.session_state else 0  # noqa: SIM401
    at.session_state[f"ov_map_{generation}"] = {"selection": {"points": [
        {"location": code, "customdata": [code], "point_index": 3}], "point_indices": [3], "box": [], "lasso": []}}
    at.run()


def test_map_clicks_add_countries_and_a_second_click_removes_one() -> None:
    at = app()
    at.run()
    click_map(at, "KAZ")
    click_map(at, "UZB")
    assert url(at) == {"country": "KAZ,UZB"}
    at.run()
    assert url(at) == {"country": "KAZ,UZB"}
    click_map(at, "KAZ")
    assert url(at) == {"country": "UZB"}
    click_map(at, "UZB")
    assert url(at) == {}


def test_timeline_click_opens_the_article() -> None:
    at = app(country="UZB")
    at.run()
    at.session_state["ov_timeline"] = {"selection": {"points": [
        {"customdata": ["a3", "e"], "point_index": 0}], "point_indices": [0], "box": [],
        "lasso": []}}
    at.run()
    assert not at.exception
    assert url(at) == {"country": "UZB", "article": "a3", "event": "e"}  # the clicked event goes along
    assert any("<h2>Blinken in Tashkent</h2>" in m.value for m in at.markdown)
    assert any("Reuters" in m.value for m in at.markdown)  # other source of the story


def test_article_page_from_url_highlights_and_marks_evidence() -> None:
    at = app(article="a1")
    at.switch_page("views/article.py").run()
    assert not at.exception
    body = next(m.value for m in at.markdown if "sw-article" in m.value)
    for label in ("COUNTRY", "PERSON", "PLACE", "DATE"):
        assert label in body
    assert "sw-evidence" in body
    assert any("article=a1" in c.value for c in at.code)


def test_the_clicked_event_stands_out_among_the_evidence(test_store: Path) -> None:
    import sqlite3

    with sqlite3.connect(test_store) as con:
        events = [r[0] for r in con.execute("SELECT event_id FROM events WHERE article_id = 'a1' "
                                            "AND evidence_start IS NOT NULL ORDER BY event_id")]
    assert events
    at = app(article="a1", event=events[0])
    at.switch_page("views/article.py").run()
    assert not at.exception
    body = next(m.value for m in at.markdown if "sw-article" in m.value)
    assert body.count('class="sw-chosen"') >= 1
    assert any("the event you clicked" in c.value for c in at.caption)
    assert url(at)["event"] == events[0]
    plain_page = app(article="a1")
    plain_page.switch_page("views/article.py").run()
    assert 'class="sw-chosen"' not in next(m.value for m in plain_page.markdown if "sw-article" in m.value)


def test_back_to_the_article_list_opens_the_overview_with_the_same_filters() -> None:
    at = app(article="a1", country="KAZ")
    at.switch_page("views/article.py").run()
    at.button(key="art_back").click().run()
    assert not at.exception
    assert url(at) == {"country": "KAZ"}  # the article closed, the filters kept
    assert "Articles" in [h.value for h in at.subheader]  # the Overview and its article list


def test_article_picker_without_param() -> None:
    at = app()
    at.switch_page("views/article.py").run()
    picker = at.selectbox(key="art_pick")
    assert "a1" in picker.options or len(picker.options) == 6
    picker.set_value("a1").run()
    assert not at.exception
    assert url(at) == {"article": "a1"}


def test_hostile_article_is_escaped_everywhere() -> None:
    at = app(article="a5")
    at.switch_page("views/article.py").run()
    assert not at.exception
    texts = rendered_texts(at)
    markdown = [m.value for m in at.markdown]
    assert any("&lt;script&gt;alert&#40;1&#41;&lt;/script&gt;" in t for t in markdown)
    for text in markdown + [c.value for c in at.caption] + [t.value for t in at.title]:
        for payload in RAW_PAYLOADS:
            assert payload not in text, (payload, text[:200])
    # the raw text is shown only as code (never parsed as markdown or HTML)
    assert any(HOSTILE_TITLE not in t and "onerror" in t for t in (c.value for c in at.code))
    assert texts


def test_hostile_title_on_other_pages() -> None:
    for page in PAGES:
        at = app()
        at.switch_page(page).run()
        assert not at.exception
        for text in [m.value for m in at.markdown] + [c.value for c in at.caption]:
            assert "<script" not in text and "![x](" not in text


def test_empty_store_first_start_does_not_crash(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "DB_PATH", tmp_path / "fresh.db")
    at = app()
    at.run()
    assert not at.exception
    # either the samples were ingested or the failure is shown as an error, not a traceback
    assert at.error or int(metric(at, "Articles")) > 0


def test_first_start_records_an_evaluation_for_the_quality_page(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "DB_PATH", tmp_path / "fresh.db")
    at = app()
    at.run()
    at.switch_page("views/quality.py").run()
    assert not at.exception
    assert "Latest evaluation" in [h.value for h in at.subheader]
    assert any(settings.EXTRACTOR_VERSION in c.value.replace("\\", "") for c in at.caption)


def test_upload_ingest_and_server_side_size_limit(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("steppewatch.ingest.readers")
    from components import data

    monkeypatch.setattr(settings, "DB_PATH", build_store(tmp_path / "upload.db"))
    text = b"Kazakhstan President Tokayev met Xi Jinping in Astana on 14 September 2022.\n"
    summary = data.ingest_upload("note.txt", text)
    table = data.summary_frame(summary)
    assert list(table.columns) == ["status", "item", "reason"]
    assert len(table) == 1 and table.iloc[0]["status"] in {"ingested", "unchanged"}
    monkeypatch.setattr(settings, "MAX_DOCUMENT_BYTES", 10)
    with pytest.raises(ValueError, match="over the limit"):
        data.ingest_upload("big.txt", text)


def test_a_large_timeline_is_summarised_and_a_bubble_narrows_the_view(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "TIMELINE_DETAIL_MAX", 2)
    at = app()
    at.run()
    assert not at.exception
    assert any("too many to draw one by one" in c.value for c in at.caption)
    at.session_state["ov_timeline_summary"] = {"selection": {"points": [
        {"customdata": ["UZB", "2023-03", 1], "point_index": 0}], "point_indices": [0], "box": [],
        "lasso": []}}
    at.run()
    assert not at.exception
    assert url(at) == {"country": "UZB", "from": "2023-03-01", "to": "2023-03-31"}


def test_a_bubble_of_a_year_narrows_the_view_to_that_year(monkeypatch: pytest.MonkeyPatch) -> None:
    """Years of news are summarised by quarter or year: a bubble's click keeps all of its months."""
    monkeypatch.setattr(settings, "TIMELINE_DETAIL_MAX", 2)
    at = app()
    at.run()
    at.session_state["ov_timeline_summary"] = {"selection": {"points": [
        {"customdata": ["KAZ", "2023-01", 4, "2023-12"], "point_index": 0}], "point_indices": [0], "box": [],
        "lasso": []}}
    at.run()
    assert not at.exception
    assert url(at) == {"country": "KAZ", "from": "2023-01-01", "to": "2023-12-31"}


def test_a_row_of_the_article_list_opens_that_article() -> None:
    """The list is a fragment (a page turn reruns it alone); picking a row still opens the article page."""
    at = app(country="UZB")
    at.run()
    listed = next(d.value for d in at.dataframe if "title" in d.value.columns and "id" in d.value.columns)
    first = str(listed.iloc[0]["id"])
    at.session_state["ov_articles"] = {"selection": {"rows": [0], "columns": []}}
    at.run()
    assert not at.exception
    assert url(at) == {"country": "UZB", "article": first}


def test_the_data_version_is_read_once_per_moment_and_again_after_an_upload(tmp_path: Path, monkeypatch) -> None:
    """A rerun asks for the data version once per cached query; at a million articles each answer costs
    a count of the articles, so one answer serves a moment; an upload makes the next one fresh."""
    from components import data
    from steppewatch import settings

    monkeypatch.setattr(settings, "DB_PATH", tmp_path / "v.db")
    calls: list[int] = []
    original = data.queries.data_version
    monkeypatch.setattr(data.queries, "data_version", lambda store: calls.append(1) or original(store))
    from steppewatch.store import open_store

    open_store(tmp_path / "v.db").close()
    data._version_memo.clear()
    first = [data.data_version() for _ in range(5)]
    assert len(set(first)) == 1 and len(calls) == 1
    data.ingest_upload("note.txt", b"Kazakhstan and Uzbekistan signed a water agreement in Tashkent on Monday.")
    assert data.data_version() != first[0], "the upload shows on the next rerun, not a moment later"


# -- the Overview's first run: the map first, the rest a moment later (components/deferred.py) --------
def _texts(at: AppTest) -> list[str]:
    return [c.value for c in at.caption] + [h.value for h in at.subheader]


def test_the_first_run_draws_the_map_and_says_the_rest_is_coming(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "DEFER_BELOW_MAP_S", 1.0)
    at = app()
    at.run()
    assert not at.exception
    assert LOADING_TEXT in _texts(at)
    assert "Visits, meetings and calls" not in _texts(at) and not at.dataframe
    assert any(chart.proto.spec and "choropleth" in chart.proto.spec for chart in at.get("plotly_chart"))
    at.run()  # the timer's rerun (or any click before it)
    assert not at.exception
    assert LOADING_TEXT not in _texts(at)
    assert "Visits, meetings and calls" in _texts(at) and at.dataframe


def test_with_no_delay_the_first_run_draws_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "DEFER_BELOW_MAP_S", 0.0)
    at = app()
    at.run()
    assert LOADING_TEXT not in _texts(at) and at.dataframe


def test_a_quick_range_button_sets_both_dates_in_the_url() -> None:
    at = app(country="KAZ")
    at.run()
    at.button(key="flt_preset_30d").click().run()
    today = dt.date.today()
    assert url(at) == {"country": "KAZ", "from": (today - dt.timedelta(days=29)).isoformat(),
                       "to": today.isoformat()}
    at.button(key="flt_preset_year").click().run()
    assert url(at)["from"] == f"{today.year}-01-01"
    again = app(**url(at))  # the link shows the same days
    again.run()
    assert session_filters(again) == session_filters(at)


def test_the_all_statuses_box_is_kept_in_the_url() -> None:
    at = app(country="KAZ")
    at.run()
    box = at.checkbox(key="flt_all_statuses")
    assert box.value is False
    box.check().run()
    assert url(at) == {"country": "KAZ", "statuses": "all"}
    again = app(**url(at))  # a colleague's link shows the same timeline
    again.run()
    assert again.checkbox(key="flt_all_statuses").value is True
    assert session_filters(again).all_statuses
    again.checkbox(key="flt_all_statuses").uncheck().run()
    assert url(again) == {"country": "KAZ"}


def test_more_timeline_rows_go_into_the_url_and_fewer_back_out(monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    visitors = (("Sergey Lavrov", "RUS", "Dushanbe", "TJK"), ("Wang Yi", "CHN", "Bishkek", "KGZ"))
    extra = tuple(Spec(id=f"v{k}", source="AKIpress", title=f"{name} in {place}", published="2023-04-02",
                       text=f"{name} arrived in {place}.",
                       events=({"type": "visit", "actor": name, "actor_country": country, "host_country": host,
                                "place": place, "date": "2023-04-02", "status": "occurred",
                                "evidence": f"{name} arrived in {place}."},))
                  for k, (name, country, place, host) in enumerate(visitors))
    monkeypatch.setattr(settings, "DB_PATH", build_store(tmp_path / "visitors.db", SPECS + extra))
    monkeypatch.setattr(settings, "TIMELINE_ROWS", 1)  # three visitors: one row by default
    at = app(type="visit")
    at.run()
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    shown = re.search(r"1 of (\d+) visitor rows", captions)
    assert shown and int(shown.group(1)) > 1, captions
    more = next(b for b in at.button if b.label.startswith("Show 1 more rows"))
    more.click().run()
    assert not at.exception
    assert url(at) == {"type": "visit", "rows": "2"}
    assert f"2 of {shown.group(1)} visitor rows" in " ".join(c.value for c in at.caption)
    at.button(key="flt_fewer_rows").click().run()
    assert url(at) == {"type": "visit"}


def test_the_article_lists_page_is_in_the_url_and_a_new_filter_starts_at_the_first(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "PAGE_SIZE", 2)
    at = app()
    at.run()
    pages = at.number_input(key="ov_page")
    assert pages.value == 1
    first = {str(r) for r in at.dataframe[-1].value.iloc[:, 0]}
    pages.set_value(2).run()
    assert not at.exception
    assert url(at) == {"page": "2"}
    second = {str(r) for r in at.dataframe[-1].value.iloc[:, 0]}
    assert second and second != first
    shared = app(page="2")  # a colleague opening the link sees the same page
    shared.run()
    assert shared.number_input(key="ov_page").value == 2
    assert {str(r) for r in shared.dataframe[-1].value.iloc[:, 0]} == second
    shared.multiselect(key="flt_country").set_value(["KAZ"]).run()
    assert "page" not in url(shared) and shared.number_input(key="ov_page").value == 1
