"""Filters <-> URL parameters: exact round trip, and every bad value dropped with a warning."""

from __future__ import annotations

import datetime as dt

import pytest

from steppewatch.query.filters import MAX_PARAM_CHARS, Filters

FULL = Filters(countries=("KAZ", "UZB"), date_from=dt.date(2023, 2, 1),
               date_to=dt.date(2023, 3, 31), sources=("Central News Agency", "Reuters"),
               event_types=("meeting", "visit"), people=("Antony Blinken",), story="s1",
               article="a1", metric="visits")


@pytest.mark.parametrize("filters", [
    Filters(),
    FULL,
    Filters(countries=("SUN",)),
    Filters(date_to=dt.date(2020, 1, 1), metric="focus"),
    Filters(people=("Kassym-Jomart Tokayev", "Шавкат Мирзиёев")),
    Filters(search='Tokayev "Central Asia" kazakh*'),
    Filters(search="中亚 哈萨克斯坦 Казахстан* Қазақстан O'zbekiston"),
    Filters(search='a&b=c?d#e%f+g "unbalanced', countries=("KAZ",), article="a1"),
    Filters(search="x" * 200),
])
def test_round_trip_is_exact(filters: Filters) -> None:
    params = filters.to_query_params()
    parsed, warnings = Filters.from_query_params(params)
    assert parsed == filters
    assert warnings == []
    assert parsed.to_query_params() == params


def test_canonical_form_sorted_joined_and_empty_omitted() -> None:
    parsed, warnings = Filters.from_query_params(
        {"country": "uzb,KAZ", "type": "visit,meeting", "metric": "mentions", "source": ""})
    assert warnings == []
    assert parsed.to_query_params() == {"country": "KAZ,UZB", "type": "meeting,visit"}
    assert Filters().to_query_params() == {}
    assert FULL.to_query_params() == {
        "country": "KAZ,UZB", "from": "2023-02-01", "to": "2023-03-31",
        "source": "Central News Agency,Reuters", "type": "meeting,visit",
        "person": "Antony Blinken", "story": "s1", "article": "a1", "metric": "visits"}


def test_repeated_keys_as_lists_are_accepted() -> None:
    parsed, warnings = Filters.from_query_params({"country": ["KAZ", "UZB"]})
    assert parsed.countries == ("KAZ", "UZB")
    assert warnings == []


@pytest.mark.parametrize(("params", "expected", "needle"), [
    ({"country": "XYZ"}, Filters(), "XYZ"),
    ({"country": "KAZ,XYZ"}, Filters(countries=("KAZ",)), "XYZ"),
    ({"from": "notadate"}, Filters(), "notadate"),
    ({"to": "2023-02-30"}, Filters(), "2023-02-30"),
    ({"from": "20230201"}, Filters(), "20230201"),
    ({"from": "2023-03-01", "to": "2023-02-01"}, Filters(), "after"),
    ({"from": "1066-10-14"}, Filters(), "1066"),
    ({"country": "KAZ,KAZ"}, Filters(countries=("KAZ",)), "duplicate"),
    ({"country": "KAZ,kaz"}, Filters(countries=("KAZ",)), "duplicate"),
    ({"type": "invasion"}, Filters(), "invasion"),
    ({"metric": "gdp"}, Filters(), "gdp"),
    ({"article": "<script>"}, Filters(), "article"),
    ({"story": "a b"}, Filters(), "story"),
    ({"colour": "red"}, Filters(), "colour"),
    ({"person": "Bad\x00Name"}, Filters(), "control"),
    ({"q": "Tokayev\x00"}, Filters(), "control"),
    ({"q": "Tokayev\tAstana"}, Filters(), "control"),
    ({"q": "x" * 201}, Filters(), "longer"),
    ({"q": "!!! -- *"}, Filters(), "no word"),
])
def test_bad_values_are_dropped_with_a_warning(params: dict[str, str], expected: Filters,
                                                needle: str) -> None:
    parsed, warnings = Filters.from_query_params(params)
    assert parsed == expected
    assert len(warnings) == 1
    assert needle.lower() in warnings[0].lower()


def test_overlong_value_is_dropped_and_the_warning_stays_short() -> None:
    huge = "K" * 100_000
    parsed, warnings = Filters.from_query_params({"country": huge, "source": "x" * 201,
                                                  "to": "2023-01-01"})
    assert parsed == Filters(date_to=dt.date(2023, 1, 1))
    assert len(warnings) == 2
    assert all(str(MAX_PARAM_CHARS) in w and len(w) < 200 for w in warnings)


def test_unknown_value_in_warning_is_shortened() -> None:
    _, warnings = Filters.from_query_params({"country": "Q" * 150})
    assert len(warnings) == 1 and len(warnings[0]) < 120


def test_streamlit_embed_keys_are_ignored_silently() -> None:
    parsed, warnings = Filters.from_query_params({"embed": "true", "country": "KAZ"})
    assert parsed.countries == ("KAZ",)
    assert warnings == []


def test_without_article_and_is_filtered() -> None:
    assert FULL.without_article().article is None
    assert FULL.is_filtered
    assert not Filters(article="a1", metric="focus").is_filtered


def test_multi_values_are_normalised_on_construction() -> None:
    f = Filters(countries=("UZB", "KAZ", "UZB"))
    assert f.countries == ("KAZ", "UZB")
    assert Filters.from_query_params(f.to_query_params())[0] == f


def test_the_clicked_event_goes_into_the_url_and_back() -> None:
    f = Filters(countries=("UZB",), article="a3", event="e12:ab")
    assert f.to_query_params() == {"country": "UZB", "article": "a3", "event": "e12:ab"}
    assert Filters.from_query_params(f.to_query_params()) == (f, [])
    assert f.without_article() == Filters(countries=("UZB",))
    bad, warnings = Filters.from_query_params({"event": "<script>"})
    assert bad.event is None and warnings == ["Ignored event id '<script>': unexpected characters."]


def test_the_timelines_status_choice_round_trips_and_selects_nothing() -> None:
    f = Filters(countries=("KAZ",), all_statuses=True)
    assert f.to_query_params() == {"country": "KAZ", "statuses": "all"}
    assert Filters.from_query_params(f.to_query_params()) == (f, [])
    assert f.selecting() == Filters(countries=("KAZ",)).selecting()
    bad, warnings = Filters.from_query_params({"statuses": "some"})
    assert not bad.all_statuses and warnings == ["Ignored statuses 'some': expected 'all'."]


def test_the_timelines_row_count_round_trips_and_selects_nothing() -> None:
    f = Filters(countries=("KAZ",), rows=36)
    assert f.to_query_params() == {"country": "KAZ", "rows": "36"}
    assert Filters.from_query_params(f.to_query_params()) == (f, [])
    assert f.selecting() == Filters(countries=("KAZ",)).selecting()
    for bad_value in ("0", "-3", "many", "100000", "１２"):
        bad, warnings = Filters.from_query_params({"rows": bad_value})
        assert bad.rows == 0 and len(warnings) == 1 and warnings[0].startswith("Ignored rows")


def test_the_article_lists_page_round_trips_and_its_first_page_has_one_form() -> None:
    f = Filters(countries=("KAZ",), page=3)
    assert f.to_query_params() == {"country": "KAZ", "page": "3"}
    assert Filters.from_query_params(f.to_query_params()) == (f, [])
    assert Filters(page=1) == Filters(page=0) == Filters() and Filters(page=1).to_query_params() == {}
    assert f.selecting() == Filters(countries=("KAZ",))
    bad, warnings = Filters.from_query_params({"page": "2x"})
    assert bad.page == 0 and warnings == ["Ignored page '2x': expected a number from 1 to 100000."]


@pytest.mark.parametrize("link", [
    "country=KAZ&type=visit", "?country=KAZ&type=visit", "http://127.0.0.1:8501/?country=KAZ&type=visit",
    "/overview?type=visit&country=KAZ", "https://host/steppewatch/article?country=KAZ&type=visit#x",
])
def test_a_link_or_its_query_string_gives_the_same_filters(link: str) -> None:
    assert Filters.from_link(link) == (Filters(countries=("KAZ",), event_types=("visit",)), [])


def test_the_search_goes_into_the_url_as_q_with_its_spaces_collapsed() -> None:
    f = Filters(search='  Tokayev   "Central  Asia" ')
    assert f.search == 'Tokayev "Central Asia"'
    assert f.to_query_params() == {"q": 'Tokayev "Central Asia"'}
    assert Filters.from_link("/?q=%20Tokayev%20%20%22Central%20Asia%22%20") == (f, [])
    assert f.is_filtered and f.selecting() == f and f.without_article() == f
    assert Filters(search="").to_query_params() == {}
    assert Filters.from_query_params({"q": "   "}) == (Filters(), [])
