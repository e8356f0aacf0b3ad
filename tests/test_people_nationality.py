"""A person's country is their nationality, read from the title written before the name, never
their posting; titles that exist in one government only give that country; every person mention
keeps its title as written; a surname written alone is the person whose full name the text gives.
Strings are written the way news agencies and foreign ministries write them."""

from __future__ import annotations

import pytest

from steppewatch.extract.gazetteer import default_gazetteer
from steppewatch.extract.people import (
    PeopleKnowledge,
    find_people,
    is_envoy_title,
    one_government_country,
)
from steppewatch.models import Mention, RawDocument
from steppewatch.pipeline import process

NOBODY = PeopleKnowledge([])  # title rules alone, without the office-holder data file


def _titled(text: str, date: str = "2022-03-01") -> dict[str, tuple[str | None, str | None]]:
    """name -> (country, role) for the people the titles in ``text`` give."""
    mentions, _ = find_people(text, NOBODY, date, default_gazetteer().find(text))
    return {m.text: (m.iso3, m.role) for m in mentions}


def _people(text: str, date: str = "2022-03-01") -> list[Mention]:
    title = text.split("\n", 1)[0]
    processed = process(RawDocument("test:people", text.encode("utf-8"),
                                    {"published": date, "language": "en", "title": title}))
    return [m for m in processed.mentions if m.kind == "person"]


# -- nationality from the title -------------------------------------------------------------------
@pytest.mark.parametrize(("text", "name", "country", "role"), [
    ("U.S. Special Representative for Afghanistan Reconciliation Zalmay Khalilzad arrived in Doha.",
     "Zalmay Khalilzad", "USA", "Special Representative for Afghanistan Reconciliation"),
    ("Kazakhstan's Ambassador to China Shakhrat Nuryshev attended the ceremony.",
     "Shakhrat Nuryshev", "KAZ", "Ambassador to China"),
    ("Kazakhstan’s Ambassador to the United States Yerzhan Ashikbayev met senators.",
     "Yerzhan Ashikbayev", "KAZ", "Ambassador to the United States"),
    ("Ambassador of Kazakhstan to the United States Yerzhan Ashikbayev met senators.",
     "Yerzhan Ashikbayev", "KAZ", "Ambassador to the United States"),
    ("President of Georgia Mikheil Saakashvili arrived in Astana.", "Mikheil Saakashvili", "GEO", "President"),
    ("Israeli President Reuven Rivlin received the delegation.", "Reuven Rivlin", "ISR", "President"),
    ("Kazakhstani Special Representative for International Cooperation Erzhan Kazykhan met the envoy.",
     "Erzhan Kazykhan", "KAZ", "Special Representative for International Cooperation"),
    ("Deputy Chief of Staff of the President of the Republic of Kazakhstan Erzhan Kazykhan opened the forum.",
     "Erzhan Kazykhan", "KAZ", "Deputy Chief of Staff of the President"),
    ("Kazakh Deputy Foreign Minister Roman Vassilenko held consultations.",
     "Roman Vassilenko", "KAZ", "Deputy Foreign Minister"),
    ("Russian presidential aide Yuri Ushakov told reporters.", "Yuri Ushakov", "RUS", "presidential aide"),
    ("Kremlin spokesman Dmitry Peskov declined to comment.", "Dmitry Peskov", "RUS", "spokesman"),
    ("White House National Security Advisor Jake Sullivan spoke.", "Jake Sullivan", "USA",
     "National Security Advisor"),
    ("Russian Foreign Minister Sergei Lavrov and Chinese Foreign Minister Wang Yi signed it.",
     "Wang Yi", "CHN", "Foreign Minister"),
])
def test_nationality_comes_from_the_title(text: str, name: str, country: str, role: str) -> None:
    assert _titled(text)[name] == (country, role)


@pytest.mark.parametrize(("text", "name", "role"), [
    # a country after "for" or "to" is where the person is sent, not where they are from
    ("Special Envoy for Yemen Tim Lenderking met Omani officials.", "Tim Lenderking", "Special Envoy for Yemen"),
    ("Ambassador to China Nicholas Burns met the minister.", "Nicholas Burns", "Ambassador to China"),
    ("Special Representative for the Democratic People’s Republic of Korea (DPRK) Ambassador Sung Kim "
     "will travel to Seoul.", "Sung Kim", "Special Representative for the Democratic People’s Republic of Korea "
     "(DPRK)"),
    # a title nobody owns alone
    ("Special Envoy John Smith arrived in Tashkent.", "John Smith", "Special Envoy"),
    ("Counselor Derek Chollet will travel to Almaty.", "Derek Chollet", "Counselor"),
    ("UN Secretary-General António Guterres spoke.", "António Guterres", "Secretary-General"),
])
def test_posting_or_unknown_title_gives_no_country(text: str, name: str, role: str) -> None:
    assert _titled(text)[name] == (None, role)


def test_a_kazakh_ambassador_to_the_united_states_stays_kazakh() -> None:
    found = _titled("Kazakh Ambassador to the U.S. Yerzhan Ashikbayev met Senator Ben Cardin.")
    assert found["Yerzhan Ashikbayev"] == ("KAZ", "Ambassador to the U.S.")
    assert found["Ben Cardin"] == ("USA", "Senator")


def test_a_country_on_the_previous_line_is_not_the_persons() -> None:
    text = ("Deputy Minister's Travel to Turkey, Spain, Morocco, Algeria, and Egypt\n"
            "Deputy Minister John Smith will travel.")
    assert _titled(text)["John Smith"] == (None, "Deputy Minister")


def test_a_country_in_the_previous_sentence_is_not_the_persons() -> None:
    assert _titled("The talks were held in Egypt. Deputy Minister John Smith said.")["John Smith"] == \
        (None, "Deputy Minister")


@pytest.mark.parametrize("text", [
    "The delegation met in Egypt Deputy Minister John Smith and others.",
    "Flights to Egypt Deputy Minister John Smith announced resumed.",
])
def test_a_country_after_in_or_to_is_not_a_nationality(text: str) -> None:
    assert _titled(text)["John Smith"][0] is None


def test_a_new_title_after_and_starts_a_new_phrase() -> None:
    found = _titled("Russia and Kazakh Deputy Foreign Minister Roman Vassilenko discussed transit.")
    assert found["Roman Vassilenko"] == ("KAZ", "Deputy Foreign Minister")


def test_a_comma_before_the_name_keeps_the_title() -> None:
    assert _titled("Kazakhstan's Ambassador to China, Shakhrat Nuryshev, said.")["Shakhrat Nuryshev"] == \
        ("KAZ", "Ambassador to China")


# -- titles of one government ----------------------------------------------------------------------
@pytest.mark.parametrize(("role", "country"), [
    ("Secretary of State", "USA"),
    ("Deputy Secretary of State", "USA"),
    ("Under Secretary of State", "USA"),
    ("Under Secretary for Political Affairs", "USA"),
    ("Under Secretary for Civilian Security, Democracy, and Human Rights", "USA"),
    ("Assistant Secretary of State for South and Central Asian Affairs", "USA"),
    ("Assistant Secretary for European and Eurasian Affairs", "USA"),
    ("Acting Assistant Secretary", "USA"),
    ("Deputy Assistant Secretary for Central Asia", "USA"),
    ("Special Presidential Envoy for Climate", "USA"),
    ("Secretary of Defense", "USA"),
    ("Secretary of the Treasury", "USA"),
    ("Under Secretary of the Treasury", "USA"),
    ("Secretary of Commerce", "USA"),
    ("U.S. Trade Representative", "USA"),
    ("Senator", "USA"),
    ("Congressman", "USA"),
    ("Congresswoman", "USA"),
    ("Speaker of the House", "USA"),
    ("Principal Deputy National Security Advisor", "USA"),
    ("Assistant to the President for National Security Affairs", "USA"),
    ("Special Assistant to the President", "USA"),
    ("Chairman of the State Duma", "RUS"),
    ("Chairwoman of the Federation Council", "RUS"),
    ("Speaker of the Mazhilis", "KAZ"),
    ("Chairman of the Senate of the Oliy Majlis", "UZB"),
    ("khokim", "UZB"),
    ("Speaker of the Jogorku Kenesh", "KGZ"),
    ("Chairman of the Majlisi Oli", "TJK"),
    ("Chairman of the Halk Maslahaty", "TKM"),
])
def test_a_title_of_one_government_gives_its_country(role: str, country: str) -> None:
    assert one_government_country(role) == country


@pytest.mark.parametrize("role", [
    "Secretary of State for Foreign, Commonwealth and Development Affairs",  # the UK's
    "Parliamentary Under Secretary of State",  # the UK's
    "Under Secretary-General",  # the UN's
    "National Security Advisor",  # India writes it so too
    "National Security Adviser",
    "Counselor",  # a State Department counselor or an embassy's: the document decides
    "Presidential Aide",  # Russia, Kazakhstan and Uzbekistan all have them
    "Deputy Secretary",
    "Special Envoy for Yemen",
    "Ambassador",
    "Foreign Minister",
    "",
    None,
])
def test_titles_held_in_several_governments_give_no_country(role: str | None) -> None:
    assert one_government_country(role) is None


def test_a_one_government_title_alone_gives_the_country() -> None:
    found = _titled("Under Secretary for Political Affairs Victoria Nuland met Acting Assistant Secretary "
                    "Jane Doe and Principal Deputy Assistant Secretary Philip T. Reeker.")
    assert found["Victoria Nuland"] == ("USA", "Under Secretary for Political Affairs")
    assert found["Jane Doe"] == ("USA", "Acting Assistant Secretary")
    assert found["Philip T. Reeker"] == ("USA", "Principal Deputy Assistant Secretary")


def test_a_demonym_beats_the_one_government_title() -> None:
    # Kazakhstan has senators too: the written nationality wins over the US default.
    assert _titled("Kazakh Senator Nurlan Abdirov spoke.")["Nurlan Abdirov"] == ("KAZ", "Senator")


# -- envoys -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", [
    "Special Representative for Afghanistan Reconciliation", "Special Envoy for Yemen", "Special Envoy",
    "Special Coordinator for Tibetan Issues", "Ambassador to China", "Ambassador-at-Large",
    "Assistant Secretary for South and Central Asian Affairs", "Under Secretary for Political Affairs",
    "Deputy Secretary of State", "Counselor", "Head of the Delegation", "Deputy Foreign Minister",
    "Deputy Minister of Foreign Affairs", "Chargé d'Affaires", "Acting Assistant Secretary",
])
def test_sent_officials_are_envoys(role: str) -> None:
    assert is_envoy_title(role)


@pytest.mark.parametrize("role", [
    None, "", "President", "Foreign Minister", "Prime Minister", "Deputy Prime Minister", "Secretary of State",
    "UN Secretary-General", "Under-Secretary-General", "High Representative", "spokesman", "Senator",
])
def test_leaders_and_ministers_are_not_envoys(role: str | None) -> None:
    assert not is_envoy_title(role)


# -- names ------------------------------------------------------------------------------------------------
def test_middle_initials_and_accents_are_part_of_the_name() -> None:
    found = _titled("Principal Deputy Assistant Secretary Philip T. Reeker met Ambassador Todd D. Robinson "
                    "and Ambassador Jose Fernández.")
    assert set(found) == {"Philip T. Reeker", "Todd D. Robinson", "Jose Fernández"}


def test_a_known_surname_takes_the_given_name_and_initial_before_it() -> None:
    people = _people("Secretary of State Antony J. Blinken met President Tokayev.", "2023-03-01")
    assert [(m.text, m.entity_id, m.iso3) for m in people] == [
        ("Antony J. Blinken", "blinken", "USA"), ("Tokayev", "tokayev", "KAZ")]


def test_a_surname_after_the_full_name_is_that_person() -> None:
    text = ("Special Representative for the Democratic People’s Republic of Korea (DPRK) Ambassador Sung Kim "
            "arrived in Seoul. Special Representative Kim said talks went well. "
            "North Korean leader Kim Jong Un did not attend.")
    people = _people(text)
    kims = [(m.text, m.entity_id, m.role) for m in people if m.entity_id == "sung_kim"]
    assert [k[0] for k in kims] == ["Sung Kim", "Kim"]
    assert kims[0][2] == kims[1][2]
    assert any(m.text == "Kim Jong Un" and m.entity_id != "sung_kim" for m in people)


def test_under_secretary_and_dr_link_to_the_full_name() -> None:
    text = ("Assistant Secretary of State for European and Eurasian Affairs Karen Donfried will travel to "
            "Astana. Assistant Secretary Donfried will meet officials. Dr. Donfried will also visit Tashkent. "
            "Under Secretary for Political Affairs Victoria Nuland joined. Under Secretary Nuland spoke.")
    people = _people(text, "2022-05-01")
    assert [(m.text, m.entity_id, m.iso3) for m in people] == [
        ("Karen Donfried", "donfried", "USA"), ("Donfried", "donfried", "USA"), ("Donfried", "donfried", "USA"),
        ("Victoria Nuland", "nuland", "USA"), ("Nuland", "nuland", "USA")]
    assert {m.role for m in people if m.entity_id == "donfried"} == {
        "Assistant Secretary for European and Eurasian Affairs"}


def test_a_surname_of_an_institution_is_not_the_person() -> None:
    people = _people("H. R. McMaster spoke at McMaster University.", "2017-06-01")
    assert [m.text for m in people] == ["H. R. McMaster"]


# -- the state.gov example end to end ------------------------------------------------------------------------
def test_the_headline_country_is_not_the_travellers() -> None:
    text = ("Deputy Secretary Sherman’s Travel to Turkey, Spain, Morocco, Algeria, and Egypt\n\n"
            "Deputy Secretary of State Wendy Sherman will travel to Turkey, Spain, Morocco, Algeria, and Egypt "
            "from May 26 to June 1. In Ankara, Deputy Secretary Sherman will meet with Turkish officials.")
    people = _people(text, "2021-05-25")
    assert people and {(m.entity_id, m.iso3, m.role) for m in people} == {
        ("sherman", "USA", "Deputy Secretary of State")}
    assert [m.text for m in people] == ["Sherman", "Wendy Sherman", "Sherman"]


def test_every_person_mention_has_a_role() -> None:
    text = ("U.S. Special Representative for Afghanistan Reconciliation Zalmay Khalilzad met Special Envoy "
            "for Yemen Tim Lenderking and Kremlin spokesman Dmitry Peskov.")
    people = _people(text, "2020-06-01")
    assert people and all(m.role for m in people)
    assert {m.text: m.role for m in people}["Tim Lenderking"] == "Special Envoy for Yemen"


# -- office holders by the article's date ----------------------------------------------------------------------
@pytest.mark.parametrize(("text", "date", "entity_id", "role", "country"), [
    ("Victoria Nuland met officials.", "2014-03-01", "nuland", "Assistant Secretary for European and Eurasian Affairs",
     "USA"),
    ("Victoria Nuland met officials.", "2022-03-01", "nuland", "Under Secretary for Political Affairs", "USA"),
    ("Victoria Nuland met officials.", "2023-10-01", "nuland", "Acting Deputy Secretary of State", "USA"),
    ("Wendy Sherman met officials.", "2013-05-01", "sherman", "Under Secretary for Political Affairs", "USA"),
    ("Wendy Sherman met officials.", "2022-05-01", "sherman", "Deputy Secretary of State", "USA"),
    ("Blinken met officials.", "2016-05-01", "blinken", "Deputy Secretary of State", "USA"),
    ("Zalmay Khalilzad met the Taliban.", "2020-02-29", "khalilzad",
     "Special Representative for Afghanistan Reconciliation", "USA"),
    ("John Kerry met officials.", "2022-05-01", "kerry", "Special Presidential Envoy for Climate", "USA"),
    ("Donald Lu met officials.", "2023-04-25", "donald_lu", "Assistant Secretary for South and Central Asian Affairs",
     "USA"),
    ("Richard Holbrooke met officials.", "2010-02-01", "holbrooke",
     "Special Representative for Afghanistan and Pakistan", "USA"),
    ("Shoigu met officials.", "2020-05-01", "shoigu", "Defence Minister", "RUS"),
    ("Shoigu met officials.", "2024-06-01", "shoigu", "Secretary of the Security Council", "RUS"),
    ("Patrushev met officials.", "2020-05-01", "patrushev", "Secretary of the Security Council", "RUS"),
    ("Dmitry Patrushev met officials.", "2020-05-01", "dmitry_patrushev", "Minister of Agriculture", "RUS"),
    ("Peskov said.", "2010-05-01", "peskov", "Press Secretary of the Prime Minister", "RUS"),
    ("Peskov said.", "2022-05-01", "peskov", "Presidential Press Secretary", "RUS"),
    ("Песков заявил.", "2022-05-01", "peskov", "Presidential Press Secretary", "RUS"),
    ("Overchuk arrived in Bishkek.", "2023-05-01", "overchuk", "Deputy Prime Minister", "RUS"),
    ("Захарова заявила.", "2022-05-01", "zakharova", "Foreign Ministry Spokeswoman", "RUS"),
    ("Matviyenko met senators.", "2022-05-01", "matviyenko", "Chairwoman of the Federation Council", "RUS"),
    ("Volodin met deputies.", "2014-05-01", "volodin", "First Deputy Chief of Staff of the Presidential Administration",
     "RUS"),
    ("Volodin met deputies.", "2022-05-01", "volodin", "Chairman of the State Duma", "RUS"),
    ("Massimov met investors.", "2013-05-01", "massimov", "Head of the Presidential Administration", "KAZ"),
    ("Massimov met investors.", "2015-05-01", "massimov", "Prime Minister", "KAZ"),
    ("Jake Sullivan met officials.", "2022-05-01", "jake_sullivan", "National Security Advisor", "USA"),
])
def test_office_holder_role_on_the_articles_date(text: str, date: str, entity_id: str, role: str,
                                                 country: str) -> None:
    people = _people(text, date)
    assert people, text
    assert (people[0].entity_id, people[0].role, people[0].iso3) == (entity_id, role, country)
