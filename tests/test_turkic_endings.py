"""Place and country names with Kazakh, Kyrgyz, Uzbek, Turkmen and Tajik case endings (issue 3).

A name followed by letters is a mention only when the letters are a valid suffix chain for the
language (Бішкекке, Toshkentdagi, Aşgabada, Тоҷикистонро); the mention covers the whole word.
English and Russian sentences give the same mentions as before the rule (pinned below)."""

from __future__ import annotations

from pathlib import Path

import pytest

from steppewatch.extract.gazetteer import default_gazetteer, suffix_chain
from steppewatch.models import Mention, RawDocument
from steppewatch.pipeline import ingest_documents, process
from steppewatch.store import open_store


def _places(text: str) -> list[Mention]:
    return [m for m in default_gazetteer().find(text) if m.kind in {"country", "place"}]


# (language, phrase, surface form as written, ISO3); the surface must be found at its exact offset.
TURKIC_ROWS = [
    # Kazakh
    ("kk", "Мемлекет басшысы Қасым-Жомарт Тоқаев Бішкекке ресми сапармен барды.", "Бішкекке", "KGZ"),
    ("kk", "Президент кеше кешке Астанаға оралды.", "Астанаға", "KAZ"),
    ("kk", "Халықаралық форум Астанада өтеді.", "Астанада", "KAZ"),
    ("kk", "Алматыда халықаралық көрме ашылды.", "Алматыда", "KAZ"),
    ("kk", "Премьер-министр Ташкентке жұмыс сапарымен барды.", "Ташкентке", "UZB"),
    ("kk", "Сыртқы істер министрі Мәскеуге ұшып кетті.", "Мәскеуге", "RUS"),
    ("kk", "Үкімет делегациясы Бейжіңге аттанды.", "Бейжіңге", "CHN"),
    ("kk", "Биыл Қазақстанға шетелдік инвестиция көбейді.", "Қазақстанға", "KAZ"),
    ("kk", "Қытайға астық экспорты артты.", "Қытайға", "CHN"),
    ("kk", "Ресейге жүк тасымалы уақытша тоқтатылды.", "Ресейге", "RUS"),
    ("kk", "Мәскеуде екі күндік келіссөздер басталды.", "Мәскеуде", "RUS"),
    ("kk", "Бішкектен келген делегацияны Тоқаев қабылдады.", "Бішкектен", "KGZ"),
    ("kk", "Астанадағы саммитке бес мемлекет басшысы қатысты.", "Астанадағы", "KAZ"),
    ("kk", "Ташкенттегі кездесу сәтті өтті.", "Ташкенттегі", "UZB"),
    ("kk", "Ресейдің сыртқы істер министрі Лавров мәлімдеме жасады.", "Ресейдің", "RUS"),
    ("kk", "Қытайдан келген жүк көліктері шекарада тұр.", "Қытайдан", "CHN"),
    ("kk", "Тоқаев келесі айда Вашингтонға сапар жасайды.", "Вашингтонға", "USA"),
    ("kk", "Президент АҚШ-қа ресми сапармен барады.", "АҚШ", "USA"),
    ("kk", "Қазақстан Ресеймен шекара мәселесін талқылады.", "Ресеймен", "RUS"),
    ("kk", "Ұлан-Баторда Моңғолия басшыларымен кездесу өтті.", "Ұлан-Баторда", "MNG"),
    ("kk", "Түркияның Анкарадағы елшілігі мәлімдеме таратты.", "Анкарадағы", "TUR"),
    ("kk", "Жаңа Делиде Үндістанмен келісімге қол қойылды.", "Жаңа Делиде", "IND"),
    ("kk", "Жаңа Делиде Үндістанмен келісімге қол қойылды.", "Үндістанмен", "IND"),
    ("kk", "Тегеранға барған делегация Иранмен келісім жасады.", "Тегеранға", "IRN"),
    # Kyrgyz
    ("ky", "Садыр Жапаров Ташкентке иш сапары менен барды.", "Ташкентке", "UZB"),
    ("ky", "Бишкекке Казакстандын өкмөттүк делегациясы келди.", "Бишкекке", "KGZ"),
    ("ky", "Бишкекке Казакстандын өкмөттүк делегациясы келди.", "Казакстандын", "KAZ"),
    ("ky", "Кытайга жүк ташуу көбөйдү.", "Кытайга", "CHN"),
    ("ky", "Кытайдын тышкы иштер министри Бишкекте болду.", "Кытайдын", "CHN"),
    ("ky", "Кытайдын тышкы иштер министри Бишкекте болду.", "Бишкекте", "KGZ"),
    ("ky", "Орусияга эмгек мигранттары кайра кетишүүдө.", "Орусияга", "RUS"),
    ("ky", "Бээжинге расмий сапар башталды.", "Бээжинге", "CHN"),
    ("ky", "Ошто эл аралык инвестициялык форум өттү.", "Ошто", "KGZ"),
    ("ky", "АКШга барган делегация кайтып келди.", "АКШга", "USA"),
    ("ky", "Өзбекстандын президенти Шавкат Мирзиёев Бишкекке келди.", "Өзбекстандын", "UZB"),
    ("ky", "Тажикстандагы шайлоонун жыйынтыгы жарыяланды.", "Тажикстандагы", "TJK"),
    ("ky", "Түркиядан келген инвесторлор завод курушат.", "Түркиядан", "TUR"),
    ("ky", "Жапаров Орусиядан кайтып келди.", "Орусиядан", "RUS"),
    # Uzbek, Latin (apostrophes typed as ʻ ‘ ' ` ’)
    ("uz", "Prezident Shavkat Mirziyoyev Toshkentga qaytdi.", "Toshkentga", "UZB"),
    ("uz", "Toshkentda xalqaro investitsiya forumi boʻlib oʻtdi.", "Toshkentda", "UZB"),
    ("uz", "Samarqandda ShHT sammiti oʻtkaziladi.", "Samarqandda", "UZB"),
    ("uz", "Tashqi ishlar vaziri Moskvaga jo‘nab ketdi.", "Moskvaga", "RUS"),
    ("uz", "Pekinda muzokaralar davom etmoqda.", "Pekinda", "CHN"),
    ("uz", "Oʻzbekistonga xorijiy sarmoya oqimi oshdi.", "Oʻzbekistonga", "UZB"),
    ("uz", "O‘zbekistonning eksporti o‘sdi.", "O‘zbekistonning", "UZB"),
    ("uz", "Qozogʻistonga gʻalla eksporti toʻxtatildi.", "Qozogʻistonga", "KAZ"),
    ("uz", "Qozog'istondan kelgan delegatsiya Toshkentda.", "Qozog'istondan", "KAZ"),
    ("uz", "Xitoyga paxta eksporti kamaydi.", "Xitoyga", "CHN"),
    ("uz", "Rossiyaga mehnat muhojirlari qaytmoqda.", "Rossiyaga", "RUS"),
    ("uz", "Toshkentdagi uchrashuvda Qirg`iziston vakillari qatnashdi.", "Toshkentdagi", "UZB"),
    ("uz", "Toshkentdagi uchrashuvda Qirg`iziston vakillari qatnashdi.", "Qirg`iziston", "KGZ"),
    ("uz", "Astanada Markaziy Osiyo davlatlari rahbarlari uchrashdi.", "Astanada", "KAZ"),
    ("uz", "Prezident Dushanbega davlat tashrifi bilan bordi.", "Dushanbega", "TJK"),
    ("uz", "AQSHga tashrif yakunlandi.", "AQSHga", "USA"),
    ("uz", "Turkmanistonning gaz eksporti oshdi.", "Turkmanistonning", "TKM"),
    ("uz", "Toshkentliklar bayramni nishonladi.", "Toshkentliklar", "UZB"),
    ("uz", "Vazir Bishkekka yo’l oldi.", "Bishkekka", "KGZ"),
    ("uz", "Londonda O’zbekiston madaniyati kunlari boʻlib oʻtdi.", "Londonda", "GBR"),
    ("uz", "Vashingtonda muzokaralar yakunlandi.", "Vashingtonda", "USA"),
    # Uzbek, Cyrillic
    ("uz", "Тошкентда Ҳиндистон делегацияси билан учрашув бўлди.", "Тошкентда", "UZB"),
    ("uz", "Хитойга пахта экспорти ошди.", "Хитойга", "CHN"),
    # Turkmen
    ("tk", "Prezident Serdar Berdimuhamedow Aşgabada gaýdyp geldi.", "Aşgabada", "TKM"),
    ("tk", "Aşgabatda halkara sergi açyldy.", "Aşgabatda", "TKM"),
    ("tk", "Türkmenistanyň daşary işler ministri Moskwada boldy.", "Moskwada", "RUS"),
    ("tk", "Hytaýa tebigy gaz eksporty artdy.", "Hytaýa", "CHN"),
    ("tk", "Russiýanyň wekilleri Aşgabatda duşuşdylar.", "Russiýanyň", "RUS"),
    ("tk", "Gazagystan bilen Özbegistanyň arasynda ylalaşyk baglaşyldy.", "Özbegistanyň", "UZB"),
    ("tk", "Pekinde gepleşikler geçirildi.", "Pekinde", "CHN"),
    ("tk", "Waşingtonda duşuşyk boldy.", "Waşingtonda", "USA"),
    ("tk", "ABŞ-nyň ilçisi Aşgabady terk etdi.", "ABŞ", "USA"),
    ("tk", "ABŞ-nyň ilçisi Aşgabady terk etdi.", "Aşgabady", "TKM"),
    ("tk", "Täjigistandaky saýlawlar tamamlandy.", "Täjigistandaky", "TJK"),
    ("tk", "Türkmenistanly talyplar Ankarada okaýarlar.", "Ankarada", "TUR"),
    ("tk", "Bakuda Hazar sammiti geçirildi.", "Bakuda", "AZE"),
    # Tajik
    ("tg", "Эмомалӣ Раҳмон Тоҷикистонро дар саммит намояндагӣ кард.", "Тоҷикистонро", "TJK"),
    ("tg", "Ҳайати Русия ба Душанбе омад.", "Русия", "RUS"),
    ("tg", "Маскавро ҳамчун шарики стратегӣ медонанд.", "Маскавро", "RUS"),
    ("tg", "Президенти Тоҷикистон дар Маскав бо Путин вохӯрд.", "Маскав", "RUS"),
    ("tg", "Тоҷикистону Ӯзбекистон созишнома имзо карданд.", "Тоҷикистону", "TJK"),
    ("tg", "Тоҷикистону Ӯзбекистон созишнома имзо карданд.", "Ӯзбекистон", "UZB"),
    ("tg", "Сафири Эрон Теҳронро тарк кард.", "Теҳронро", "IRN"),
    ("tg", "Русияву Чин ҳамкориро густариш медиҳанд.", "Русияву", "RUS"),
    ("tg", "Ҳайати Исломобод ба Душанбе расид.", "Исломобод", "PAK"),
    ("tg", "Душанберо меҳмонон аз Қазоқистон тамошо карданд.", "Душанберо", "TJK"),
]


def test_the_table_covers_every_language() -> None:
    counts = {lang: sum(1 for row in TURKIC_ROWS if row[0] == lang) for lang in ("kk", "ky", "uz", "tk", "tg")}
    assert len(TURKIC_ROWS) >= 60 and min(counts.values()) >= 8, counts


@pytest.mark.parametrize(("lang", "text", "surface", "iso3"), TURKIC_ROWS)
def test_name_with_case_ending_is_found_at_its_offsets(lang: str, text: str, surface: str, iso3: str) -> None:
    start = text.index(surface)
    found = [(m.text, m.start, m.end, m.iso3) for m in _places(text)]
    assert (surface, start, start + len(surface), iso3) in found, (lang, found)


# Words that begin with a name but are another word: no mention of that country.
NOT_A_NAME = [
    ("ky", "Чингиз Айтматовдун китептери кайра басылды.", "CHN"),  # Чин (tg China) + гиз
    ("ky", "Чинара Бишкекке келди.", "CHN"),
    ("ky", "Ошондо шаарда чоң жыйын болду.", "KGZ"),  # Ош + ондо is "then"
    ("kk", "Ресейтанушы ғалымдар жиналды.", "RUS"),
    ("uz", "Xitoyshunos olimlar anjumani boʻldi.", "CHN"),
    ("uz", "Malika Toshkentga qaytdi.", "MLI"),
    ("en", "Butane prices rose sharply.", "BTN"),
    ("en", "The Kuban Cossacks paraded in Krasnodar.", "CUB"),
    ("en", "Chilin' with friends, he said.", "CHL"),
    ("en", "Bakunin wrote about the state.", "AZE"),
    ("kk", "Ол қытай тілін үйреніп жүр.", "CHN"),  # a lower-case name needs a "-лық" ending
    ("uz", "Bu rossiyaga oid emas.", "RUS"),
]


@pytest.mark.parametrize(("lang", "text", "iso3"), NOT_A_NAME)
def test_name_inside_another_word_is_not_a_mention(lang: str, text: str, iso3: str) -> None:
    assert iso3 not in {m.iso3 for m in _places(text)}, lang


@pytest.mark.parametrize(("text", "surface", "iso3"), [
    ("Ресейлік компаниялар нарықтан кетті.", "Ресейлік", "RUS"),
    ("Қытайлық инвесторлар зауыт салады.", "Қытайлық", "CHN"),
    ("Ресейліктердің саны азайды.", "Ресейліктердің", "RUS"),
    ("Кыргызстандык мигранттар Орусиядан кайтышты.", "Кыргызстандык", "KGZ"),
    ("Rossiyalik sarmoyadorlar zavod qurmoqda.", "Rossiyalik", "RUS"),
    ("Türkmenistanly talyplar Ankarada okaýarlar.", "Türkmenistanly", "TKM"),
    ("Форумға ресейлік және қытайлық компаниялар қатысты.", "ресейлік", "RUS"),
    ("Форумға ресейлік және қытайлық компаниялар қатысты.", "қытайлық", "CHN"),
    ("Kengashda rossiyalik va xitoylik sarmoyadorlar qatnashdi.", "xitoylik", "CHN"),
    ("Жыйынга кытайлык инвесторлор келди.", "кытайлык", "CHN"),
    ("Bu ýyl türkmenistanly talyplaryň sany artdy.", "türkmenistanly", "TKM"),
    ("Донишҷӯёни тоҷикистонӣ дар Маскав таҳсил мекунанд.", "тоҷикистонӣ", "TJK"),
])
def test_of_country_ending_is_a_demonym(text: str, surface: str, iso3: str) -> None:
    found = [m for m in _places(text) if m.text == surface]
    assert found and found[0].iso3 == iso3
    assert (found[0].kind, found[0].value) == ("country", "demonym")


def test_hyphenated_ending_stays_outside_the_mention() -> None:
    text = "Президент АҚШ-қа, ал премьер-министр Ресейге барады."
    found = [(m.text, m.start, m.end) for m in _places(text)]
    assert ("АҚШ", 10, 13) in found and ("Ресейге", 37, 44) in found


@pytest.mark.parametrize(("suffix", "cyrillic", "valid"), [
    ("ке", True, True), ("дағы", True, True), ("ліктердің", True, True), ("ро", True, True),
    ("ga", False, True), ("dagi", False, True), ("liklar", False, True), ("nyň", False, True),
    ("стандын", True, False), ("ский", True, False), ("ian", False, False), ("ese", False, False),
    ("shunos", False, False), ("танушы", True, False),
])
def test_suffix_chain(suffix: str, cyrillic: bool, valid: bool) -> None:
    assert suffix_chain(suffix, cyrillic)[0] is valid


# English and Russian sentences: (text, [(surface, ISO3, start)]) exactly as the gazetteer gave before
# the Turkic rule (Oman in Romania, Iran in Iranian and Russian declensions unchanged).
UNCHANGED = [
    ("Romania and Oman signed a memorandum in Bucharest.",
     [("Romania", "ROU", 0), ("Oman", "OMN", 12), ("Bucharest", "ROU", 40)]),
    ("The Iranian foreign minister visited Tashkent on Monday.", [("Iranian", "IRN", 4), ("Tashkent", "UZB", 37)]),
    ("Iran and Pakistan agreed to reopen the border crossing.", [("Iran", "IRN", 0), ("Pakistan", "PAK", 9)]),
    ("Kazakhstan's president met his Kyrgyz counterpart in Bishkek.",
     [("Kazakhstan", "KAZ", 0), ("Kyrgyz", "KGZ", 31), ("Bishkek", "KGZ", 53)]),
    ("Uzbek and Tajik officials discussed water sharing in Dushanbe.",
     [("Uzbek", "UZB", 0), ("Tajik", "TJK", 10), ("Dushanbe", "TJK", 53)]),
    ("Turkmenistan exported gas to China via the Central Asia pipeline.",
     [("Turkmenistan", "TKM", 0), ("China", "CHN", 29)]),
    ("Moscow warned Astana against joining the sanctions.", [("Moscow", "RUS", 0), ("Astana", "KAZ", 14)]),
    ("Beijing said the Belt and Road forum would be held in Xi'an.", [("Beijing", "CHN", 0), ("Xi'an", "CHN", 54)]),
    ("The Russian delegation arrived in Ashgabat on Tuesday.", [("Russian", "RUS", 4), ("Ashgabat", "TKM", 34)]),
    ("Washington and Brussels coordinated their response.", [("Washington", "USA", 0), ("Brussels", "BEL", 15)]),
    ("Officials in Kabul met envoys from Islamabad and Tehran.",
     [("Kabul", "AFG", 13), ("Islamabad", "PAK", 35), ("Tehran", "IRN", 49)]),
    ("Mongolia's president flew from Ulaanbaatar to Tokyo.",
     [("Mongolia", "MNG", 0), ("Ulaanbaatar", "MNG", 31), ("Tokyo", "JPN", 46)]),
    ("The German chancellor visited Berlin, Paris and London within a week.",
     [("German", "DEU", 4), ("Berlin", "DEU", 30), ("Paris", "FRA", 38), ("London", "GBR", 48)]),
    ("Indian Prime Minister Modi met leaders in New Delhi.", [("Indian", "IND", 0), ("New Delhi", "IND", 42)]),
    ("Seoul and Ankara signed a defense deal in Baku.",
     [("Seoul", "KOR", 0), ("Ankara", "TUR", 10), ("Baku", "AZE", 42)]),
    ("Chinese investors are active in Kyrgyzstan and Tajikistan.",
     [("Chinese", "CHN", 0), ("Kyrgyzstan", "KGZ", 32), ("Tajikistan", "TJK", 47)]),
    ("Omani envoys met Londoners and Berliners in Bakuvian cafes.", []),
    ("Президент России Владимир Путин прибыл в Астану с государственным визитом.",
     [("России", "RUS", 10), ("Астану", "KAZ", 41)]),
    ("Министр иностранных дел Китая встретился с коллегой из Узбекистана.",
     [("Китая", "CHN", 24), ("Узбекистана", "UZB", 55)]),
    ("В Бишкеке прошли переговоры между Киргизией и Таджикистаном.",
     [("Бишкеке", "KGZ", 2), ("Киргизией", "KGZ", 34), ("Таджикистаном", "TJK", 46)]),
    ("Делегация Туркмении посетила Ташкент и Самарканд.",
     [("Туркмении", "TKM", 10), ("Ташкент", "UZB", 29), ("Самарканд", "UZB", 39)]),
    ("Переговоры в Москве продолжались два дня.", [("Москве", "RUS", 13)]),
    ("Пекин и Москва подписали совместное заявление.", [("Пекин", "CHN", 0), ("Москва", "RUS", 8)]),
    ("В Душанбе открылся саммит глав государств СНГ.", [("Душанбе", "TJK", 2)]),
    ("Иранский президент посетил Ашхабад.", [("Иранский", "IRN", 0), ("Ашхабад", "TKM", 27)]),
    ("Казахстанские компании инвестируют в Монголию.", [("Казахстанские", "KAZ", 0), ("Монголию", "MNG", 37)]),
    ("Российско-казахстанская граница закрыта для грузовиков.",
     [("Российско", "RUS", 0), ("казахстанская", "KAZ", 10)]),  # a compound adjective names both
    ("Премьер-министр Индии прибыл в Нью-Дели после визита в Вашингтон.",
     [("Индии", "IND", 16), ("Нью-Дели", "IND", 31), ("Вашингтон", "USA", 55)]),
    ("Глава МИД Турции провёл переговоры в Анкаре.", [("Турции", "TUR", 10), ("Анкаре", "TUR", 37)]),
    ("Встреча в Улан-Баторе завершилась подписанием меморандума.", [("Улан-Баторе", "MNG", 10)]),
    ("Токио и Сеул обсудили поставки урана из Казахстана.",
     [("Токио", "JPN", 0), ("Сеул", "KOR", 8), ("Казахстана", "KAZ", 40)]),
    ("Румыния и Оман установили дипломатические отношения.", [("Румыния", "ROU", 0), ("Оман", "OMN", 10)]),
    ("Лондон и Париж поддержали инициативу Берлина.",
     [("Лондон", "GBR", 0), ("Париж", "FRA", 9), ("Берлина", "DEU", 37)]),
]


@pytest.mark.parametrize(("text", "expected"), UNCHANGED)
def test_english_and_russian_mentions_are_unchanged(text: str, expected: list[tuple[str, str, int]]) -> None:
    assert [(m.text, m.iso3, m.start) for m in _places(text)] == expected


def test_turkic_articles_are_stored_with_codes_and_exact_offsets(tmp_path: Path) -> None:
    texts = ["Мемлекет басшысы Қасым-Жомарт Тоқаев Бішкекке ресми сапармен барды.",
             "Prezident Shavkat Mirziyoyev Pekinda Xitoy rahbari bilan uchrashdi.",
             "Prezident Serdar Berdimuhamedow Aşgabada gaýdyp geldi.",
             "Эмомалӣ Раҳмон Маскавро бо сафари расмӣ тарк кард."]
    docs = [RawDocument(f"test:turkic:{i}", t.encode(), {"published": "2024-05-15"}) for i, t in enumerate(texts)]
    with open_store(tmp_path / "store.db") as store:
        assert len(ingest_documents(store, docs).ingested) == 4
        rows = store.rows("SELECT m.text, m.iso3, m.start, m.\"end\", a.text AS body FROM mentions m "
                          "JOIN articles a ON a.id = m.article_id WHERE m.kind IN ('country', 'place')")
    stored = {(r["text"], r["iso3"]) for r in rows}
    assert {("Бішкекке", "KGZ"), ("Pekinda", "CHN"), ("Xitoy", "CHN"), ("Aşgabada", "TKM"),
            ("Маскавро", "RUS")} <= stored
    assert all(r["body"][r["start"]:r["end"]] == r["text"] for r in rows)


def test_pipeline_keeps_offsets_in_every_script() -> None:
    text = "Тоқаев Бішкекке, Mirziyoyev Toshkentdagi, Berdimuhamedow Aşgabada, Раҳмон Тоҷикистонро."
    processed = process(RawDocument("test:turkic", text.encode(), {"published": "2024-05-15"}))
    places = [m for m in processed.mentions if m.kind in {"country", "place"}
              and not (m.kind == "country" and m.value == "place")]  # not the countries the cities imply
    assert [m.text for m in places] == ["Бішкекке", "Toshkentdagi", "Aşgabada", "Тоҷикистонро"]
    assert all(processed.article.text[m.start:m.end] == m.text for m in places)


@pytest.mark.parametrize("text", [
    "Малика Ахмедова и Индира Сыдыкова выступили на форуме.",
    "Кубаныч Жумабеков и Иранбек Токтогулов вышли в финал.",
    "Министр встретился с Маликой Каримовой и Индирой Абдуллаевой.",
])
def test_central_asian_first_names_are_not_countries(text: str) -> None:
    from steppewatch.extract.gazetteer import default_gazetteer

    assert [(m.text, m.iso3) for m in default_gazetteer().find(text)] == []
