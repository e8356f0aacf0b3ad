"""Mention roles (actor / location / modifier / language), visit statuses and start/end dates,
and re-extraction of rows stored by an older extractor version."""

from __future__ import annotations

from pathlib import Path

import pytest

from steppewatch import settings
from steppewatch.models import RawDocument
from steppewatch.pipeline import ingest_paths, process, reprocess_stale
from steppewatch.store import open_store

SAMPLES = Path(__file__).resolve().parent / "fixtures" / "seeds"


def _roles(text: str) -> dict[str, str | None]:
    processed = process(RawDocument("t", text.encode(), {"published": "2023-02-20"}))
    return {m.text: m.role for m in processed.mentions if m.kind in {"country", "place"}}


@pytest.mark.parametrize(("text", "surface", "role"), [
    ("The interview was translated from Russian.", "Russian", "language"),
    ("A UK-based monitoring group said eight people were killed.", "UK", "modifier"),
    ("Pro-Russia rebels shelled the town.", "Russia", "modifier"),
    ("The US commander in Iraq held talks with officials.", "Iraq", "location"),
    ("Protests broke out across eastern Ukraine.", "Ukraine", "location"),
    ("A court in Kyrgyzstan sentenced the journalist.", "Kyrgyzstan", "actor"),
    ("Kazakhstan signed the agreement with Uzbekistan.", "Kazakhstan", "actor"),
    ("The minister praised China's assistance.", "China", "actor"),
    ("Beijing said the talks were constructive.", "Beijing", "actor"),
    ("He flew back to Beijing on Monday.", "Beijing", "location"),
])
def test_country_mention_role(text: str, surface: str, role: str) -> None:
    assert _roles(text)[surface] == role


@pytest.mark.parametrize("text", [
    "Russian-speaking residents of northern Kazakhstan watched the news.",
    "Most Kazakh media publish in Russian and Kazakh.",
    "The interview was translated from Russian.",
])
def test_a_language_is_not_a_mention_of_the_country(text: str) -> None:
    processed = process(RawDocument("t", text.encode(), {"published": "2023-02-20"}))
    counted = {m.iso3 for m in processed.mentions if m.kind == "country" and m.role not in {"language", "modifier"}}
    assert "RUS" not in counted


def test_coordinated_mentions_share_a_role() -> None:
    roles = _roles("The group has seized parts of Iraq and Syria.")
    assert roles["Iraq"] == roles["Syria"] == "location"


def _visits(text: str, published: str = "2023-02-20") -> list[tuple[object, ...]]:
    processed = process(RawDocument("t", text.encode(), {"published": published}))
    return [(e.actor_country, e.host_country, e.status, e.date, e.date_end)
            for e in processed.events if e.type == "visit"]


def test_state_visit_with_a_range_has_start_and_end_dates() -> None:
    assert _visits("Chinese President Xi Jinping will visit Kazakhstan on September 2-4, 2025, "
                   "the foreign ministry said.") == [("CHN", "KAZ", "planned", "2025-09-02", "2025-09-04")]


def test_a_three_day_visit_ends_two_days_after_it_starts() -> None:
    [(_, host, status, start, end)] = _visits(
        "Kazakh President Kassym-Jomart Tokayev will pay a three-day state visit to Uzbekistan "
        "from March 1, 2023, his office said.")
    assert (host, status, start, end) == ("UZB", "planned", "2023-03-01", "2023-03-03")


def test_postponed_visit_named_by_a_noun_phrase() -> None:
    [(actor, host, status, _, _)] = _visits(
        "The visit of Uzbek President Shavkat Mirziyoyev to Kyrgyzstan, planned for next week, "
        "has been postponed.")
    assert (actor, host, status) == ("UZB", "KGZ", "postponed")


def test_cancelled_visit() -> None:
    assert [v[:3] for v in _visits("Putin cancelled his trip to Tajikistan.")] == [("RUS", "TJK", "cancelled")]


def test_not_cancelled_in_another_clause_keeps_the_visit_planned() -> None:
    statuses = {v[1]: v[2] for v in _visits(
        "Blinken will visit Astana, where a planned meeting was not cancelled.")}
    assert statuses == {"KAZ": "planned"}


def test_a_day_before_someone_heads_somewhere_is_still_to_come() -> None:
    visits = _visits("The statement comes a day before Sarkozy heads to Beijing for the opening.")
    assert [v[:3] for v in visits] == [("FRA", "CHN", "planned")]


def test_historical_visit_is_not_counted_as_occurred() -> None:
    assert [v[2] for v in _visits("Putin last visited Tajikistan in 2019, he recalled.")] == ["historical"]


def test_reprocess_re_extracts_rows_from_an_older_extractor(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    with open_store(db) as store:
        ingest_paths(store, [SAMPLES])
        before = store.count("events")
        first_ingested = {r["id"]: r["ingested_at"] for r in store.rows("SELECT id, ingested_at FROM articles")}
        store.con.execute("UPDATE articles SET extractor_version = 'old', ingested_at = '2020-01-01T00:00:00+00:00'")
        first_ingested = dict.fromkeys(first_ingested, "2020-01-01T00:00:00+00:00")
        store.con.execute("UPDATE mentions SET role = NULL")
        store.con.commit()
        assert reprocess_stale(store) == 2
        assert reprocess_stale(store) == 0
        versions = {r["extractor_version"] for r in store.rows("SELECT extractor_version FROM articles")}
        roles = {r["role"] for r in store.rows("SELECT role FROM mentions WHERE kind = 'country'")}
        stories = store.rows("SELECT n_articles FROM stories")
        assert versions == {settings.EXTRACTOR_VERSION}
        assert "actor" in roles
        assert store.count("events") == before
        assert [s["n_articles"] for s in stories] == [2]
        assert {r["id"]: r["ingested_at"] for r in store.rows("SELECT id, ingested_at FROM articles")} == first_ingested
        assert store.rows("SELECT value FROM meta WHERE key = 'facts_changed_at'")


@pytest.mark.parametrize("text", [
    "Blinken arrived on FEBRUARY 28, 2023 for talks.",
    "İstanbul talks: Blinken arrived on February 28, 2023 for talks.",  # lower() lengthens "İ"
    "Визит состоялся 28 февраля 2023 года.",
])
def test_dates_found_whatever_the_case_with_offsets_into_the_original(text: str) -> None:
    import datetime as dt

    from steppewatch.extract.dates import find_dates

    [found] = [d for d in find_dates(text, dt.date(2023, 3, 1)) if d.precision == "day"]
    assert found.value == "2023-02-28"
    assert text[found.start:found.end] == found.text


def test_he_stands_for_the_last_person_named_and_next_month_dates_the_visit() -> None:
    visits = _visits("Blinken arrived in Astana on Tuesday. He will visit Tashkent next month.", "2024-03-14")
    assert ("USA", "UZB", "planned", "2024-04", None) in visits
    assert ("USA", "KAZ", "occurred", "2024-03-12", None) in visits


def test_a_planned_visit_dated_by_month_only_keeps_the_month() -> None:
    assert _visits("Xi Jinping will visit Astana in July, the ministry said.", "2024-03-14") == [
        ("CHN", "KAZ", "planned", "2024-07", None)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Госсекретарь США Энтони Блинкен прибыл в Астану. Затем госсекретарь посетит Ташкент.",
     ("USA", "UZB", "planned")),
    ("Blinken met President Tokayev in Astana. The president will visit Beijing next month.",
     ("KAZ", "CHN", "planned")),
])
def test_a_title_stands_for_the_person_named_before_who_holds_it(text: str, expected: tuple[str, ...]) -> None:
    assert expected in [v[:3] for v in _visits(text, "2023-02-28")]


def test_a_title_nobody_named_holds_gives_no_visitor() -> None:
    visits = _visits("Blinken arrived in Astana on Tuesday. The president will visit Beijing next month.", "2023-02-28")
    assert [v[:2] for v in visits] == [("USA", "KAZ")]


def test_uzbek_raisi_before_a_name_is_the_title_not_the_iranian_president() -> None:
    processed = process(RawDocument("t", "Xitoy Raisi Si Szinpin Qozog‘istonga davlat tashrifi bilan bordi.".encode(),
                                    {"published": "2023-03-14"}))
    assert {(m.value, m.iso3) for m in processed.mentions if m.kind == "person"} == {("Xi Jinping", "CHN")}
    assert [(e.actor_country, e.host_country) for e in processed.events if e.type == "visit"] == [("CHN", "KAZ")]


def test_chinese_sentences_split_on_full_stops_and_each_gives_its_visit() -> None:
    text = "哈萨克斯坦总统托卡耶夫抵达北京。中国国家主席习近平将于9月访问阿斯塔纳。"
    processed = process(RawDocument("t", text.encode(), {"published": "2024-03-14"}))
    assert {(e.actor_country, e.host_country, e.status) for e in processed.events if e.type == "visit"} == {
        ("KAZ", "CHN", "occurred"), ("CHN", "KAZ", "planned")}


def test_a_page_without_sentence_punctuation_gets_no_event_rules_but_keeps_its_mentions() -> None:
    text = "哈萨克斯坦总统托卡耶夫抵达北京" * 200  # 3,000 characters, no full stop: not a news sentence
    processed = process(RawDocument("t", text.encode(), {"published": "2024-03-14"}))
    assert processed.events == []
    assert {m.iso3 for m in processed.mentions if m.kind == "country"} >= {"KAZ"}
