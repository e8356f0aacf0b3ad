"""One canonical name per place, whatever the script or era (issues 3 and 4).

A visit to Astana reported in English, Russian, Kazakh, Chinese and Uzbek has one place, "Astana";
old names (Nur-Sultan, Akmola, Tselinograd, Alma-Ata, Frunze, Stalinabad, Ashkhabad, Peking) give
the current city; the story comparison no longer lists Астану as a place only TASS reports; and the
gazetteer data gives every capital, city, state and region row one canonical name of one country.
"""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest

from steppewatch.cluster.compare import compare_sources
from steppewatch.extract.gazetteer import DATA_DIR, GEORGIA_STATE, PLACE_KINDS, default_gazetteer, place_name
from steppewatch.models import RawDocument
from steppewatch.pipeline import ingest_documents, ingest_paths, process
from steppewatch.query.stories import story_articles
from steppewatch.store import open_store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"

# The same state visit as Reuters, TASS, Kazinform, Xinhua and Kun.uz would write it.
XI_IN_ASTANA = [
    ("en", "Chinese President Xi Jinping arrived in Astana on Tuesday for a state visit to Kazakhstan.", "Astana"),
    ("ru", "Председатель КНР Си Цзиньпин прибыл в Астану с государственным визитом.", "Астану"),
    ("kk", "ҚХР Төрағасы Си Цзиньпин мемлекеттік сапармен Астанаға келді.", "Астанаға"),
    ("zh", "国家主席习近平抵达阿斯塔纳，对哈萨克斯坦进行国事访问。", "阿斯塔纳"),
    ("uz", "XXR raisi Si Szinpin davlat tashrifi bilan Astanaga keldi.", "Astanaga"),
]


def _visits(text: str, language: str) -> list[tuple[str | None, str | None, str | None, str]]:
    processed = process(RawDocument("news.txt", text.encode(), {"published": "2024-07-02", "language": language}))
    return [(e.actor_country, e.host_country, e.place, e.evidence) for e in processed.events if e.type == "visit"]


@pytest.mark.parametrize(("language", "text", "surface"), XI_IN_ASTANA)
def test_the_same_visit_in_five_languages_has_one_place(language: str, text: str, surface: str) -> None:
    visits = _visits(text, language)
    assert [(a, h, p) for a, h, p, _ in visits] == [("CHN", "KAZ", "Astana")]
    assert surface in visits[0][3]  # the evidence keeps the words of the report


@pytest.mark.parametrize(("text", "surface", "canonical", "iso3"), [
    ("Talks were held in Nur-Sultan.", "Nur-Sultan", "Astana", "KAZ"),
    ("The congress met in Akmola in 1997.", "Akmola", "Astana", "KAZ"),
    ("Tselinograd was renamed in 1992.", "Tselinograd", "Astana", "KAZ"),
    ("Переговоры прошли в Нур-Султане.", "Нур-Султане", "Astana", "KAZ"),
    ("Целиноград стал столицей.", "Целиноград", "Astana", "KAZ"),
    ("The 1978 conference in Alma-Ata.", "Alma-Ata", "Almaty", "KAZ"),
    ("Совещание в Алма-Ате.", "Алма-Ате", "Almaty", "KAZ"),
    ("Frunze was the capital of Soviet Kirghizia.", "Frunze", "Bishkek", "KGZ"),
    ("Stalinabad grew fast.", "Stalinabad", "Dushanbe", "TJK"),
    ("Встреча в Ашхабаде.", "Ашхабаде", "Ashgabat", "TKM"),
    ("Prezident Aşgabada geldi.", "Aşgabada", "Ashgabat", "TKM"),
    ("Nixon flew to Peking in 1972.", "Peking", "Beijing", "CHN"),
    ("Делегация прибыла в Пекин.", "Пекин", "Beijing", "CHN"),
    ("Президент Бейжіңге барды.", "Бейжіңге", "Beijing", "CHN"),
    ("代表团抵达北京。", "北京", "Beijing", "CHN"),
    ("Президент Мәскеуге барды.", "Мәскеуге", "Moscow", "RUS"),
    ("Prezident Moskvaga bordi.", "Moskvaga", "Moscow", "RUS"),
    ("Раҳбар ба Маскав рафт.", "Маскав", "Moscow", "RUS"),
    ("Переговоры в Москве.", "Москве", "Moscow", "RUS"),
])
def test_old_names_and_other_scripts_give_the_current_city(text: str, surface: str, canonical: str,
                                                           iso3: str) -> None:
    places = [(m.text, m.iso3, m.entity_id) for m in default_gazetteer().find(text) if m.kind == "place"]
    assert places == [(surface, iso3, f"place:{canonical}")]


@pytest.mark.parametrize(("text", "place"), [
    ("Председатель КНР Си Цзиньпин прибыл в Нур-Султан с государственным визитом.", "Astana"),
    ("Президент Кыргызстана Садыр Жапаров прибыл в Алма-Ату с рабочим визитом.", "Almaty"),
    ("Uzbek President Shavkat Mirziyoyev arrived in Stalinabad on Tuesday.", "Dushanbe"),
    ("Қасым-Жомарт Тоқаев Ақордада Қытай Төрағасы Си Цзиньпинмен кездесті.", "Astana"),  # the residence
])
def test_events_at_an_old_name_or_a_residence_name_the_current_city(text: str, place: str) -> None:
    processed = process(RawDocument("news.txt", text.encode(), {"published": "2024-07-02"}))
    assert processed.events and {e.place for e in processed.events} == {place}


def test_countries_and_metonyms_have_no_place_id_and_places_are_not_people() -> None:
    found = {m.text: m for m in default_gazetteer().find("Moscow said Kazakhstan and Georgia would sign in Tbilisi.")}
    assert (found["Moscow"].kind, found["Moscow"].entity_id) == ("country", None)  # the government
    assert found["Kazakhstan"].entity_id is None and found["Georgia"].entity_id is None
    assert found["Tbilisi"].entity_id == "place:Tbilisi"
    state = {m.text: m for m in default_gazetteer().find("Atlanta, Georgia lawmakers voted.")}["Georgia"]
    assert (state.iso3, state.entity_id) == ("USA", f"place:{GEORGIA_STATE}")
    processed = process(RawDocument("n.txt", XI_IN_ASTANA[1][1].encode(), {"published": "2024-07-02"}))
    assert [p.name for p in processed.people] == ["Xi Jinping"]
    assert not [m for m in processed.mentions if m.kind == "person" and place_name(m.entity_id)]


TASS = ("Блинкен прибыл в Астану\n\nАСТАНА, 28 февраля. /ТАСС/. Госсекретарь США Энтони Блинкен прибыл во вторник "
        "в Астану, где проведет встречу с министрами иностранных дел пяти стран Центральной Азии в формате C5+1. "
        "Блинкен также встретился с президентом Касым-Жомартом Токаевым. Затем госсекретарь посетит Ташкент.\n")


def test_story_comparison_shares_astana_between_the_russian_and_english_reports(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        ingest_paths(store, [SEEDS])
        ingest_documents(store, [RawDocument("tass.txt", TASS.encode(), {})])
        story = store.rows("SELECT story_id FROM articles WHERE source = 'TASS'")[0]["story_id"]
        articles = story_articles(store, story)
    assert {a.language for a in articles} >= {"en", "ru"}
    by_source = {c.source: c for c in compare_sources(articles)}
    tass_places = [f.label for f in by_source["TASS"].facts if f.kind == "place"]
    assert not [p for p in tass_places if p in {"Астану", "Astana", "Ташкент", "Tashkent"}], tass_places
    tass = next(a for a in articles if a.source == "TASS")
    places = {m.label for m in tass.mentions if m.kind == "place"}
    assert "Astana" in places and "Tashkent" in places  # shown by the canonical name


# -- the data ------------------------------------------------------------------------------
def _alias_rows() -> list[dict[str, str]]:
    with (DATA_DIR / "aliases.tsv").open(encoding="utf-8") as fh:
        return list(csv.DictReader([line for line in fh if not line.startswith("#")], delimiter="\t"))


def test_every_place_row_has_a_canonical_name_of_one_country() -> None:
    rows = _alias_rows()
    places = [r for r in rows if r["kind"] in PLACE_KINDS]
    assert len(places) > 300
    assert [r["alias"] for r in places if not (r.get("canonical") or "").strip()] == []
    assert [r["alias"] for r in rows if r["kind"] not in PLACE_KINDS and (r.get("canonical") or "").strip()] == []
    countries: dict[str, set[str]] = {}
    for r in places:
        countries.setdefault(r["canonical"], set()).add(r["iso3"])
    assert {name: iso for name, iso in countries.items() if len(iso) != 1} == {}
    capitals: dict[str, set[str]] = {}
    for r in places:
        if r["kind"] == "capital":
            capitals.setdefault(r["iso3"], set()).add(r["canonical"])
    assert {iso: names for iso, names in capitals.items() if len(names) != 1} == {}  # one capital per country


def test_each_canonical_name_written_in_english_is_that_place() -> None:
    names = {r["canonical"]: r["iso3"] for r in _alias_rows() if r["kind"] in PLACE_KINDS}
    names.pop(GEORGIA_STATE)  # written "Georgia", which is the country unless the context says otherwise
    wrong = {}
    for name, iso3 in names.items():
        found = [(m.iso3, m.entity_id) for m in default_gazetteer().find(f"They met in {name}.") if m.kind == "place"]
        if found != [(iso3, f"place:{name}")]:
            wrong[name] = found
    assert wrong == {}


def test_capital_rows_follow_the_english_capital_of_their_country() -> None:
    pytest.importorskip("countryinfo")  # build-time data of scripts/make_gazetteer.py
    spec = importlib.util.spec_from_file_location("make_gazetteer", ROOT / "scripts" / "make_gazetteer.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    capitals = script.english_capitals()
    assert capitals["KAZ"] == "Astana" and capitals["KGZ"] == "Bishkek" and capitals["TKM"] == "Ashgabat"
    rows = [r for r in _alias_rows() if r["kind"] == "capital"]
    assert {r["alias"]: r["canonical"] for r in rows if r["canonical"] != capitals.get(r["iso3"])} == {}


@pytest.mark.parametrize("text", ["Leaders met at the Shanghai Cooperation Organization summit.",
                                  "the Shanghai Cooperation Organisation (SCO)", "members of the Shanghai Five",
                                  "listed on the Tashkent Stock Exchange",
                                  "the Astana International Financial Centre"])
def test_a_place_inside_an_institutions_name_is_no_place(text: str) -> None:
    from steppewatch.extract.gazetteer import CountryGazetteer

    assert [m for m in CountryGazetteer().find(text) if m.kind == "place"] == []


def test_the_same_city_on_its_own_is_a_place() -> None:
    from steppewatch.extract.gazetteer import CountryGazetteer

    found = CountryGazetteer().find("Xi flew to Shanghai after the Shanghai Cooperation Organization summit.")
    assert [(m.text, m.kind, m.start) for m in found] == [("Shanghai", "place", 11)]
