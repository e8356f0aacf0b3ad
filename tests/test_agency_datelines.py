"""Russian, Kazakh and Chinese agency datelines give the source and the place, and reports of one
event in several languages form one story."""

from __future__ import annotations

from pathlib import Path

import pytest

from steppewatch.models import RawDocument
from steppewatch.pipeline import ingest_documents, ingest_paths, process
from steppewatch.store import open_store

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
TASS = ("Блинкен прибыл в Астану\n\nАСТАНА, 28 февраля. /ТАСС/. Госсекретарь США Энтони Блинкен прибыл во вторник "
        "в Астану, где проведет встречу с министрами иностранных дел пяти стран Центральной Азии в формате C5+1. "
        "Блинкен также встретился с президентом Касым-Жомартом Токаевым. Затем госсекретарь посетит Ташкент.\n")
XINHUA = ("布林肯抵达阿斯塔纳\n\n新华社阿斯塔纳2月28日电 美国国务卿布林肯28日抵达哈萨克斯坦首都阿斯塔纳，"
          "会见哈萨克斯坦总统托卡耶夫，并出席“中亚+美国”外长会晤。\n")


@pytest.mark.parametrize(("text", "source", "dateline"), [
    (TASS, "TASS", "АСТАНА, 28 февраля"),
    (XINHUA, "Xinhua", "阿斯塔纳2月28日"),
    ("新华社北京2023年2月28日电 哈萨克斯坦总统托卡耶夫抵达北京。\n", "Xinhua", "北京2023年2月28日"),
    ("АСТАНА. КАЗИНФОРМ – Президент Казахстана Касым-Жомарт Токаев принял министра.\n", "Kazinform", "АСТАНА"),
    ("МОСКВА, 3 марта – РИА Новости. Лавров прибыл в Душанбе.\n", "RIA Novosti", "МОСКВА, 3 марта"),
])
def test_agency_dateline_gives_source_and_place(text: str, source: str, dateline: str) -> None:
    article = process(RawDocument("t.txt", text.encode(), {})).article
    assert (article.source, article.dateline) == (source, dateline)
    assert not article.text.lstrip().startswith(dateline[:2])


def test_the_date_in_a_chinese_dateline_dates_the_article() -> None:
    text = "新华社北京2023年2月28日电 哈萨克斯坦总统托卡耶夫抵达北京。\n"
    article = process(RawDocument("t.txt", text.encode(), {})).article
    assert (article.published, article.published_precision) == ("2023-02-28", "day")


def test_one_event_in_four_languages_is_one_story(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        ingest_paths(store, [SEEDS])
        ingest_documents(store, [RawDocument("tass.txt", TASS.encode(), {}),
                                 RawDocument("xinhua.txt", XINHUA.encode(), {})])
        rows = store.rows("SELECT source, language, story_id, published, derived_kind FROM articles")
        visits = {(r["actor_country"], r["host_country"], r["date"]) for r in store.rows(
            "SELECT actor_country, host_country, date FROM events WHERE type = 'visit' AND status = 'occurred'")}
    assert len({r["story_id"] for r in rows}) == 1
    assert {r["language"] for r in rows} == {"en", "ru", "zh"}
    by_source = {r["source"]: r for r in rows}
    assert by_source["TASS"]["derived_kind"] is None and by_source["Xinhua"]["derived_kind"] is None
    assert by_source["TASS"]["published"] == "2023-02-28"
    assert visits == {("USA", "KAZ", "2023-02-28")}


def test_a_story_reported_the_same_day_in_several_languages_takes_the_english_title(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        ingest_documents(store, [RawDocument("xinhua.txt", XINHUA.encode(), {}),
                                 RawDocument("tass.txt", TASS.encode(), {})])
        ingest_paths(store, [SEEDS])
        [story] = store.rows("SELECT title FROM stories")
    assert story["title"].startswith("Blinken holds talks")
