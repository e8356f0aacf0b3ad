"""English visits, meetings and calls read from the clause and the document frame (events_en).

Each case is a kind of sentence official releases and wire stories use, written for this test (none is
copied from a gold set): itineraries, implicit visits, envoys whose title names their posting, calls,
proposals and the other things that are not visits.
"""

from __future__ import annotations

import pytest

from steppewatch.extract.publisher import publisher_country
from steppewatch.models import Event, RawDocument
from steppewatch.pipeline import process

STATE = "U.S. Department of State, press releases"


def _events(text: str, published: str = "2022-03-01", source: str = "Reuters", url: str = "") -> list[Event]:
    doc = RawDocument("t.txt", ("Headline\n\n" + text).encode(),
                      {"published": published, "language": "en", "title": "Headline", "source": source, "url": url})
    return process(doc).events


def _visits(text: str, **kw: str) -> set[tuple[str | None, str | None, str]]:
    return {(e.actor_country, e.host_country, e.status) for e in _events(text, **kw) if e.type == "visit"}


def _meetings(text: str, **kw: str) -> list[tuple[frozenset[str], str, str]]:
    return [(frozenset(e.participants), e.status, e.mode) for e in _events(text, **kw) if e.type == "meeting"]


def test_itinerary_gives_one_planned_visit_per_destination_with_its_own_dates() -> None:
    events = _events("Foreign Minister Wang Yi will travel to Astana, Kazakhstan; Bishkek, Kyrgyzstan; and "
                     "Dushanbe, Tajikistan from April 3 to 6.")
    legs = {(e.actor_country, e.host_country, e.place, e.status) for e in events if e.type == "visit"}
    assert legs == {("CHN", "KAZ", "Astana", "planned"), ("CHN", "KGZ", "Bishkek", "planned"),
                    ("CHN", "TJK", "Dushanbe", "planned")}
    assert {e.date for e in events if e.type == "visit"} == {"2022-04-03"}


def test_per_leg_dates_are_read_from_each_legs_own_segment() -> None:
    events = _events("Secretary Blinken will travel to Astana, Kazakhstan, on March 5 and then to Tashkent, "
                     "Uzbekistan, on March 7.")
    dates = {e.host_country: e.date for e in events if e.type == "visit"}
    assert dates == {"KAZ": "2022-03-05", "UZB": "2022-03-07"}


def test_a_date_between_verb_and_destination_does_not_hide_the_trip() -> None:
    assert _visits("Under Secretary Victoria Nuland will travel March 19-23 to Uzbekistan and Kazakhstan.",
                   source=STATE) == {("USA", "UZB", "planned"), ("USA", "KAZ", "planned")}


def test_fronted_place_makes_a_meeting_with_the_host_and_carries_the_traveller() -> None:
    text = ("Deputy Secretary of State Wendy Sherman will travel to Uzbekistan and Kyrgyzstan. "
            "In Tashkent, the Deputy Secretary will meet with senior government officials.")
    assert (frozenset({"USA", "UZB"}), "planned", "in_person") in _meetings(text, source=STATE)


def test_relative_clause_head_is_the_visitor_and_a_venue_names_the_host() -> None:
    text = ("Vladimir Putin held talks in the Kremlin with President of Kyrgyzstan Sadyr Japarov, "
            "who is in Russia on an official visit.")
    assert ("KGZ", "RUS", "occurred") in _visits(text)
    assert (frozenset({"RUS", "KGZ"}), "occurred", "in_person") in _meetings(text)


def test_a_meeting_in_a_third_country_is_a_visit_by_each_side() -> None:
    visits = _visits("Kazakh President Kassym-Jomart Tokayev met Chinese President Xi Jinping in Samarkand on "
                     "Thursday.")
    assert {("KAZ", "UZB", "occurred"), ("CHN", "UZB", "occurred")} <= visits


def test_envoy_whose_title_names_the_posting_takes_the_publishers_country() -> None:
    text = "Special Representative for Afghanistan Thomas West traveled to Tashkent on July 27."
    assert _visits(text, source=STATE) == {("USA", "UZB", "occurred")}
    assert not any(v[0] == "AFG" for v in _visits(text, source=STATE))


def test_first_person_delegation_of_an_official_text_is_its_government() -> None:
    text = "Last week our delegation traveled to Bishkek, where we met with President Sadyr Japarov."
    assert ("USA", "KGZ", "occurred") in _visits(text, source="Congressional Record (U.S. Congress)")
    assert _visits(text, source="Reuters") == set()  # a newspaper's "we" is no government


@pytest.mark.parametrize("text", [
    "Kazakh President Kassym-Jomart Tokayev had a telephone conversation with Russian President Vladimir Putin.",
    "Uzbek President Shavkat Mirziyoyev and Chinese President Xi Jinping held talks via videoconference.",
])
def test_remote_contacts_are_calls_never_meetings_or_visits(text: str) -> None:
    events = _events(text)
    assert events and all(e.type == "call" for e in events)
    assert {e.mode for e in events} <= {"phone", "video"}
    assert all(e.place is None and e.host_country is None for e in events)


def test_a_headline_call_makes_a_bare_spoke_with_a_call() -> None:
    doc = RawDocument("t.txt", ("Secretary Blinken’s Call with Kyrgyz Foreign Minister Kulubaev\n\n"
                                "Secretary of State Antony J. Blinken spoke today with Kyrgyz Foreign Minister "
                                "Jeenbek Kulubaev.").encode(),
                      {"published": "2022-03-01", "language": "en", "source": STATE})
    events = process(doc).events
    assert events and {e.type for e in events} == {"call"} and {e.mode for e in events} == {"phone"}


@pytest.mark.parametrize("text", [
    "Russian troops will travel to Kazakhstan to guard strategic sites.",  # a deployment
    "Tokayev invited Xi Jinping to visit Kazakhstan.",  # an invitation, not a plan
    "Mirziyoyev did not travel to Moscow for the parade.",  # denied
    "Kyrgyz President Sadyr Japarov toured the Issyk-Kul region of Kyrgyzstan.",  # domestic
    "The United States welcomes the agreement between Armenia and Azerbaijan.",  # not a hosted guest
])
def test_not_visits(text: str) -> None:
    assert not {v for v in _visits(text) if v[2] in {"occurred", "planned"}}


def test_postponed_and_historical_visits_keep_their_status() -> None:
    assert _visits("The visit of Uzbek President Shavkat Mirziyoyev to Kazakhstan, planned for next week, "
                   "has been postponed.") == {("UZB", "KAZ", "postponed")}
    assert _visits("Putin last visited Turkmenistan in 2019, he recalled.",
                   published="2022-06-29") == {("RUS", "TKM", "historical")}


def test_participle_after_before_shares_the_main_clause_subject() -> None:
    events = _events("Blinken will meet Kazakh officials in Astana on Tuesday before visiting the Uzbek "
                     "capital Tashkent.")
    assert ("USA", "UZB", "planned") in {(e.actor_country, e.host_country, e.status) for e in events
                                         if e.type == "visit"}


def test_a_trip_to_a_region_dates_the_legs_its_meetings_imply() -> None:
    text = ("Special Envoy Anna Ross traveled to Central Asia June 13-17. In Uzbekistan, Special Envoy Ross met "
            "with Foreign Minister Vladimir Norov.")
    events = _events(text, published="2022-06-20", source=STATE)
    legs = {(e.actor_country, e.host_country, e.date) for e in events if e.type == "visit"}
    assert ("USA", "UZB", "2022-06-13") in legs


def test_undated_quote_takes_no_date_from_an_unrelated_paragraph() -> None:
    text = ("On March 3, 2019, Nazarbayev visited Moscow.\n\n"
            "Tokayev told Lavrov the talks were useful.")
    events = _events(text, published="2022-05-10")
    assert all(e.type != "visit" or e.host_country == "RUS" for e in events)
    told = [e for e in events if e.type == "meeting" and "KAZ" in e.participants]
    assert all(e.date != "2019-03-03" for e in told)
    assert all(e.mode == "unspecified" for e in told)


@pytest.mark.parametrize(("source", "url", "expected"), [
    ("U.S. Department of State, press releases RSS feed", None, "USA"),
    (None, "https://www.state.gov/secretary-blinkens-travel/", "USA"),
    (None, "http://en.kremlin.ru/events/president/news/67000", "RUS"),
    ("Akorda press service", None, "KAZ"),
    ("Reuters", "https://www.reuters.com/world/asia/x", None),
    (None, None, None),
])
def test_publisher_country(source: str | None, url: str | None, expected: str | None) -> None:
    assert publisher_country(source, url) == expected


@pytest.mark.parametrize(("language", "text", "mode"), [
    ("ru", "Президент Узбекистана Шавкат Мирзиёев провёл телефонный разговор с Президентом России Владимиром "
           "Путиным.", "phone"),
    ("ru", "Путин и Токаев провели переговоры в режиме видеоконференции.", "video"),
    ("zh", "国家主席习近平同哈萨克斯坦总统托卡耶夫通电话。", "phone"),
])
def test_calls_in_russian_and_chinese_are_calls(language: str, text: str, mode: str) -> None:
    doc = RawDocument("t.txt", text.encode(), {"published": "2023-05-10", "language": language})
    events = process(doc).events
    assert [(e.type, e.mode) for e in events] == [("call", mode)]
    assert len(events[0].participants) == 2


def test_russian_talks_in_the_kremlin_imply_the_guests_visit() -> None:
    text = ("Владимир Путин провёл переговоры в Кремле с Президентом Казахстана Касым-Жомартом Токаевым, который "
            "находится в России с официальным визитом.")
    events = process(RawDocument("t.txt", text.encode(), {"published": "2023-05-10", "language": "ru"})).events
    assert ("KAZ", "RUS", "occurred") in {(e.actor_country, e.host_country, e.status) for e in events
                                          if e.type == "visit"}


def test_a_meeting_with_compatriots_abroad_is_no_meeting_with_the_host() -> None:
    text = ("Senator Ben Cardin traveled to Rome on Monday. We also had the opportunity to meet several U.S. "
            "military personnel attending the course.")
    meetings = _meetings(text, source="Congressional Record (U.S. Congress)")
    assert not any("ITA" in countries for countries, _, _ in meetings)


def test_had_a_chance_to_meet_is_past() -> None:
    text = "We traveled to Minsk last week. We had a chance to meet with President Alexander Lukashenko."
    assert (frozenset({"USA", "BLR"}), "occurred", "in_person") in _meetings(
        text, source="Congressional Record (U.S. Congress)")


def test_russian_participle_names_the_visitor_not_the_host() -> None:
    text = ("Президент России Владимир Путин провёл переговоры с Президентом Узбекистана Шавкатом Мирзиёевым, "
            "прибывшим в Россию с государственным визитом.")
    events = process(RawDocument("t.txt", text.encode(), {"published": "2023-05-10", "language": "ru"})).events
    visits = {(e.actor_country, e.host_country) for e in events if e.type == "visit"}
    assert visits == {("UZB", "RUS")}


def test_russian_status_is_read_in_the_triggers_own_clause() -> None:
    text = "Путин прибыл в Астану, где примет участие в саммите ОДКБ."
    events = process(RawDocument("t.txt", text.encode(), {"published": "2023-05-10", "language": "ru"})).events
    assert [(e.host_country, e.status) for e in events if e.type == "visit"] == [("KAZ", "occurred")]


def test_chinese_counterpart_before_the_verb_takes_part() -> None:
    text = "王毅同乌兹别克斯坦外长赛义多夫举行视频会晤。"
    events = process(RawDocument("t.txt", text.encode(), {"published": "2023-05-10", "language": "zh"})).events
    assert [(e.type, e.mode, set(e.participants)) for e in events] == [("call", "video", {"CHN", "UZB"})]


def test_officials_of_the_trips_countries_are_a_meeting_in_each() -> None:
    text = ("Special Envoy Anna Ross will travel to Kazakhstan, Uzbekistan and Tajikistan from May 3 to 9. "
            "Special Envoy Ross will meet with senior officials of the three countries to discuss water security.")
    meetings = {countries for countries, status, _ in _meetings(text, source=STATE) if status == "planned"}
    assert meetings == {frozenset({"USA", "KAZ"}), frozenset({"USA", "UZB"}), frozenset({"USA", "TJK"})}


def test_a_guests_programme_lists_planned_meetings() -> None:
    text = ("The Kremlin, Moscow\n\nVladimir Putin held talks in the Kremlin with President of Mongolia Ukhnaagiin "
            "Khurelsukh. His programme includes meetings with the Prime Minister and the heads of both chambers.")
    doc = RawDocument("t.txt", text.encode(), {"published": "2021-12-16", "language": "en",
                                               "source": "President of Russia"})
    planned = [e for e in process(doc).events if e.type == "meeting" and e.status == "planned"]
    assert len(planned) == 2 and all(set(e.participants) == {"MNG", "RUS"} for e in planned)


def test_spoke_with_is_a_contact_of_unknown_medium_that_implies_no_visit() -> None:
    events = _events("Kazakh President Kassym-Jomart Tokayev spoke with Chinese President Xi Jinping.")
    assert [(e.type, e.mode) for e in events] == [("meeting", "unspecified")]


def test_transcript_speaker_is_the_i_and_the_host_of_a_guest_received_by_name() -> None:
    text = ("President of Russia Vladimir Putin: Mr President, friends, It is a great pleasure to receive "
            "President Lula of the Federative Republic of Brazil in the Kremlin.\n\n"
            "I have just spoken with the President of Kazakhstan about the summit.")
    events = _events(text, published="2023-05-10", url="http://en.kremlin.ru/events/president/news/1")
    meetings = {frozenset(e.participants) for e in events if e.type == "meeting"}
    assert frozenset({"RUS", "BRA"}) in meetings
    assert ("BRA", "RUS") in {(e.actor_country, e.host_country) for e in events if e.type == "visit"}
    contact = [e for e in events if "KAZ" in e.participants]
    assert contact and all(set(e.participants) == {"RUS", "KAZ"} for e in contact)


def test_a_question_label_ends_the_speakers_turn() -> None:
    text = ("Vladimir Putin: We are glad to see you in Moscow.\n\nQUESTION: I visited Tashkent last week "
            "and met Uzbek officials.")
    events = _events(text, published="2023-05-10", url="http://en.kremlin.ru/events/president/news/2")
    assert not [e for e in events if e.actor_country == "RUS" and e.host_country == "UZB"]


def test_a_gathering_after_a_city_and_its_country_is_a_meeting_there() -> None:
    assert (frozenset({"USA", "ESP"}), "planned", "in_person") in _meetings(
        "Secretary Blinken will then travel to Madrid, Spain, for the June 29-30 NATO Summit.", source=STATE)


def test_named_officials_of_unknown_country_on_a_leg_are_the_hosts() -> None:
    text = ("Secretary Blinken will travel to Tallinn, Estonia, on March 8 to meet with President Alar Karis "
            "and Prime Minister Kaja Kallas.")
    assert (frozenset({"USA", "EST"}), "planned", "in_person") in _meetings(text, source=STATE)


def test_meeting_officials_of_an_international_body_is_a_meeting_of_one_country() -> None:
    meetings = _meetings("While in Brussels, Deputy Secretary Wendy Sherman will meet with EU counterparts "
                         "to discuss Ukraine.", source=STATE)
    assert (frozenset({"USA"}), "planned", "in_person") in meetings


def test_meeting_nobody_in_particular_is_not_a_meeting() -> None:
    assert not _meetings("Deputy Secretary Wendy Sherman met with journalists to discuss Ukraine.", source=STATE)


def test_the_purpose_of_a_trip_made_is_occurred_not_planned() -> None:
    meetings = _meetings("Last week we traveled to Sarajevo, Bosnia and Herzegovina, to talk to the leaders of "
                         "all communities.", source="Congressional Record")
    assert meetings and {status for _, status, _ in meetings} == {"occurred"}


def test_a_visit_dated_last_month_in_a_background_clause_is_historical() -> None:
    visits = _visits("The Deputy Secretary's travel to Asia follows last month's summit and President Biden's "
                     "visit to Japan.", published="2022-06-03", source=STATE)
    assert ("USA", "JPN", "occurred") not in visits
