"""Visits and meetings in Russian, Kazakh, Kyrgyz, Uzbek (Latin and Cyrillic), Tajik and Chinese news.

Each row is a news sentence in the style of the agency named in its comment, published 2024-03-14
(a Thursday), with every event a reader would take from it: (type, visitor/actor country, host
country, status, date). Rows marked GAZ need the Turkic/Tajik case-ending place names of the
gazetteer (Бішкекке, Мәскеуде, Тошканд, Pekinga ...).
"""

from __future__ import annotations

import datetime as dt

import pytest

from steppewatch.extract.dates import find_dates
from steppewatch.models import RawDocument
from steppewatch.pipeline import process

Row = tuple[str, str, set[tuple[str, str, str | None, str, str | None]]]
TODAY, YESTERDAY, NEXT_WEEK = "2024-03-14", "2024-03-13", "2024-03-21"


def V(actor: str, host: str, status: str = "occurred",
      date: str | None = TODAY) -> tuple[str, str, str, str, str | None]:
    return ("visit", actor, host, status, date)


def M(actor: str, host: str, status: str = "occurred",
      date: str | None = TODAY) -> tuple[str, str, str, str, str | None]:
    return ("meeting", actor, host, status, date)


ROWS: list[Row] = [
    # --- Russian (TASS, Kazinform, Kun.uz, Kabar, Khovar in Russian) ---
    ("ru", "Президент Казахстана Касым-Жомарт Токаев прибыл в Ташкент с государственным визитом 14 марта 2024 года.",
     {V("KAZ", "UZB")}),
    ("ru", "Председатель КНР Си Цзиньпин посетит Астану в начале июля.", {V("CHN", "KAZ", "planned", "2024-07")}),
    ("ru", "Президент Узбекистана Шавкат Мирзиёев провел переговоры с Владимиром Путиным в Москве.",
     {M("UZB", "RUS"), V("UZB", "RUS")}),
    ("ru", "В Ташкент прибыл президент Казахстана Касым-Жомарт Токаев.", {V("KAZ", "UZB")}),
    ("ru", "Президент Таджикистана Эмомали Рахмон принял в Душанбе Президента Узбекистана Шавката Мирзиёева.",
     {V("UZB", "TJK")}),
    ("ru", "Визит президента Кыргызстана Садыра Жапарова в Китай запланирован на следующей неделе.",
     {V("KGZ", "CHN", "planned", NEXT_WEEK)}),
    ("ru", "Запланированный на 20 марта визит Мирзиёева в Бишкек перенесен.",
     {V("UZB", "KGZ", "postponed", "2024-03-20")}),
    ("ru", "Государственный визит Токаева в Душанбе отменен.", {V("KAZ", "TJK", "cancelled", None)}),
    ("ru", "Владимир Путин прибудет в Бишкек 20 марта, сообщили в Кремле.",
     {V("RUS", "KGZ", "planned", "2024-03-20")}),
    ("ru", "Как ожидается, Эмомали Рахмон примет участие в саммите СНГ в Москве в октябре.",
     {V("TJK", "RUS", "planned", "2024-10")}),
    ("ru", "Вчера Садыр Жапаров встретился в Астане с Касым-Жомартом Токаевым.",
     {M("KGZ", "KAZ", date=YESTERDAY), V("KGZ", "KAZ", date=YESTERDAY)}),
    ("ru", "В 2019 году Си Цзиньпин посетил Бишкек.", {V("CHN", "KGZ", "historical", "2019")}),
    ("ru", "Токаев не планирует посещать Москву в этом году.", set()),  # denial
    ("ru", "Журналисты спросили Пескова о возможном визите Путина в Душанбе.", set()),  # only a topic
    ("ru", "Мирзиёев провел совещание в Ташкенте по развитию энергетики.", set()),  # a place, no visit
    # --- Chinese (Xinhua) ---
    ("zh", "哈萨克斯坦总统托卡耶夫抵达北京，开始对中国进行国事访问。", {V("KAZ", "CHN")}),
    ("zh", "应国家主席习近平邀请，吉尔吉斯斯坦总统扎帕罗夫将于下周对中国进行国事访问。",
     {V("KGZ", "CHN", "planned", NEXT_WEEK)}),
    ("zh", "习近平在人民大会堂会见哈萨克斯坦总统托卡耶夫。", {M("KAZ", "CHN"), V("KAZ", "CHN")}),
    ("zh", "3月14日，国家主席习近平在北京同塔吉克斯坦总统拉赫蒙举行会谈。", {M("TJK", "CHN"), V("TJK", "CHN")}),
    ("zh", "乌兹别克斯坦总统米尔济约耶夫将于7月出席在阿斯塔纳举行的上合组织峰会。",
     {V("UZB", "KAZ", "planned", "2024-07")}),
    ("zh", "因日程原因，托卡耶夫对土库曼斯坦的访问推迟。", {V("KAZ", "TKM", "postponed", None)}),
    ("zh", "米尔济约耶夫总统取消了原定于下周对俄罗斯的访问。", {V("UZB", "RUS", "cancelled", NEXT_WEEK)}),
    ("zh", "2019年，习近平对吉尔吉斯斯坦进行国事访问。", {V("CHN", "KGZ", "historical", "2019")}),
    ("zh", "外交部发言人否认普京将访问阿富汗的报道。", set()),  # denial
    # --- Kazakh (Akorda, Kazinform) ---
    ("kk", "Мемлекет басшысы Қасым-Жомарт Тоқаев Бішкекке ресми сапармен барды.", {V("KAZ", "KGZ")}),  # GAZ
    ("kk", "Қасым-Жомарт Тоқаев Ақордада Өзбекстан Президенті Шавкат Мирзиёевті қабылдады.", {V("UZB", "KAZ")}),
    ("kk", "Тоқаев Мәскеуде Владимир Путинмен кездесті.", {M("KAZ", "RUS"), V("KAZ", "RUS")}),  # GAZ
    ("kk", "Қасым-Жомарт Тоқаев 2024 жылғы 20 наурызда Қытайға мемлекеттік сапармен барады.",
     {V("KAZ", "CHN", "planned", "2024-03-20")}),
    ("kk", "Тоқаевтың Душанбеге сапары кейінге қалдырылды.", {V("KAZ", "TJK", "postponed", None)}),
    ("kk", "Ақорда Тоқаевтың Мәскеуге сапары жоспарланбағанын мәлімдеді.", set()),  # denial
    # --- Kyrgyz (Kabar) ---
    ("ky", "Садыр Жапаров Астанага расмий сапар менен барды.", {V("KGZ", "KAZ")}),
    ("ky", "Садыр Жапаров Москвада Владимир Путин менен жолукту.", {M("KGZ", "RUS"), V("KGZ", "RUS")}),
    ("ky", "Президент Садыр Жапаров Ташкентке мамлекеттик сапар менен барат.",
     {V("KGZ", "UZB", "planned", None)}),
    ("ky", "Жапаров Бишкекте Өзбекстандын Президенти Шавкат Мирзиёевди кабыл алды.", {V("UZB", "KGZ")}),
    # --- Uzbek, Latin (Kun.uz, UzA) ---
    ("uz", "Prezident Shavkat Mirziyoyev Qozog'istonga davlat tashrifi bilan bordi.", {V("UZB", "KAZ")}),
    ("uz", "Shavkat Mirziyoyev 20-mart kuni Pekinga tashrif buyuradi.",  # GAZ
     {V("UZB", "CHN", "planned", "2024-03-20")}),
    ("uz", "Shavkat Mirziyoyev Toshkentda Qozog'iston Prezidenti Qosim-Jomart To'qayevni qabul qildi.",
     {V("KAZ", "UZB")}),
    ("uz", "Shavkat Mirziyoyev Moskvada Vladimir Putin bilan muzokaralar olib bordi.",  # GAZ
     {M("UZB", "RUS"), V("UZB", "RUS")}),
    ("uz", "Shavkat Mirziyoyevning Dushanbega tashrifi keyinga qoldirildi.",  # GAZ
     {V("UZB", "TJK", "postponed", None)}),
    ("uz", "Matbuot kotibi Mirziyoyevning Moskvaga tashrifi rejalashtirilmaganini aytdi.", set()),  # denial
    # --- Uzbek, Cyrillic (UzA) ---
    ("uz-Cyrl", "Шавкат Мирзиёев Қозоғистонга давлат ташрифи билан борди.", {V("UZB", "KAZ")}),
    ("uz-Cyrl", "Президент Шавкат Мирзиёев Тошкентда Тожикистон Президенти Эмомали Раҳмонни кутиб олди.",
     {V("TJK", "UZB")}),
    # --- Tajik (Khovar) ---
    ("tg", "Президенти Ҷумҳурии Тоҷикистон Эмомалӣ Раҳмон бо сафари давлатӣ ба Тошканд ташриф овард.",  # GAZ
     {V("TJK", "UZB")}),
    ("tg", "Эмомалӣ Раҳмон дар Душанбе Президенти Ӯзбекистон Шавкат Мирзиёевро қабул кард.", {V("UZB", "TJK")}),
    ("tg", "Эмомалӣ Раҳмон дар Маскав бо Владимир Путин мулоқот кард.", {M("TJK", "RUS"), V("TJK", "RUS")}),  # GAZ
    ("tg", "Эмомалӣ Раҳмон ҳафтаи оянда ба Бишкек ташриф меоварад.", {V("TJK", "KGZ", "planned", NEXT_WEEK)}),
]


def events_of(text: str) -> set[tuple[str, str | None, str | None, str, str | None]]:
    processed = process(RawDocument("news.txt", text.encode(), {"published": TODAY}))
    return {(e.type, e.actor_country, e.host_country, e.status, e.date) for e in processed.events}


@pytest.mark.parametrize(("language", "text", "expected"), ROWS, ids=[f"{r[0]}-{i}" for i, r in enumerate(ROWS)])
def test_events_in_news_sentence(language: str, text: str, expected: set[tuple[str, ...]]) -> None:
    assert events_of(text) == expected


def test_declared_unknown_language_tries_every_table() -> None:
    processed = process(RawDocument("news.txt", "Токаев прибыл в Ташкент с официальным визитом.".encode(),
                                    {"published": TODAY, "language": "und"}))
    assert {(e.actor_country, e.host_country, e.status) for e in processed.events} == {("KAZ", "UZB", "occurred")}


def test_english_sentence_is_not_read_with_other_tables() -> None:
    assert events_of("Tokayev arrived in Tashkent on Thursday for a state visit.") == {V("KAZ", "UZB")}


@pytest.mark.parametrize(("text", "surface", "value", "precision"), [
    ("Токаев прибыл в Ташкент 14 марта 2024 года.", "14 марта 2024", "2024-03-14", "day"),
    ("Си Цзиньпин посетит Астану в начале июля.", "в начале июля", "2024-07", "month"),
    ("托卡耶夫于2024年3月14日抵达北京。", "2024年3月14日", "2024-03-14", "day"),
    ("Prezident 14-mart kuni Pekinga bordi.", "14-mart", "2024-03-14", "day"),
    ("Тоқаев 14 наурызда Бішкекке барды.", "14 наурызда", "2024-03-14", "day"),
    ("Тоқаев 2024 жылғы 20 наурызда Қытайға барады.", "2024 жылғы 20 наурызда", "2024-03-20", "day"),
    ("Жапаров 20-мартта Ташкентке барат.", "20-мартта", "2024-03-20", "day"),
    ("Эмомалӣ Раҳмон 20 марти соли 2024 ба Тошканд меравад.", "20 марти соли 2024", "2024-03-20", "day"),
    ("Shavkat Mirziyoyev 2024-yil 20-martda Pekinga boradi.", "2024-yil 20-martda", "2024-03-20", "day"),
    ("Визит состоится на следующей неделе.", "на следующей неделе", "2024-03-21", "week"),
    ("扎帕罗夫将于下周访问中国。", "下周", "2024-03-21", "week"),
    ("米尔济约耶夫将于7月初访问中国。", "7月初", "2024-07", "month"),
    ("Тоқаев шілде айында Қытайға барады.", "шілде айында", "2024-07", "month"),
    ("В 2019 году Си Цзиньпин посетил Бишкек.", "2019 году", "2019", "year"),
])
def test_dates_in_other_languages_keep_offsets(text: str, surface: str, value: str, precision: str) -> None:
    dates = find_dates(text, dt.date(2024, 3, 14), future=True)
    assert [(text[d.start:d.end], d.value, d.precision) for d in dates] == [(surface, value, precision)]


def test_english_words_are_not_turkic_months() -> None:
    assert find_dates("Officials may meet 3 marines at the mart.", dt.date(2024, 3, 14)) == []
