"""Country, capital, city, demonym and metonym mentions, in several languages and scripts.

Knowledge comes from versioned data files in ``steppewatch/data/``: ``country_names.tsv``
(built by ``scripts/make_gazetteer.py`` from Natural Earth and CLDR) and ``aliases.tsv``
(short forms, demonyms, capitals and cities, metonyms, historical entities; an optional ``lang``
column marks names that take case endings). Matching runs one Aho-Corasick automaton over a
length-preserving fold of the text, so offsets stay exact.

Decisions on look-alikes (see ``CountryGazetteer._resolve``): Georgia beside a US city or a state
institution is the US state (a USA place); "Washington state" and "Washington, D.C." are USA
places; "Washington said" is the US government (a USA country mention); "George Washington",
"Michael Jordan", "Chad Smith" and a capitalised "Thanksgiving Turkey" name no country. Renamed
capitals (Nur-Sultan, Akmola, Tselinograd, Alma-Ata, Frunze, Stalinabad, Ashkhabad) keep their
country; the Soviet Union is SUN, a historical code never drawn on the map.

World capitals and big cities (``cities.tsv``, built by ``scripts/make_gazetteer.py`` from GeoNames)
come after the hand-made files and never replace a name they already have. A city whose name is
also a person's (guard ``person``: Sofia, Houston, Santiago, Milan) is a place only after a word
that introduces one ("in Sofia", "visit to Houston", "capital Santiago") or in capitals (datelines).

Canonical places: every capital, city, state and region row of ``aliases.tsv`` names its place in
English (``canonical`` column), so a place mention carries ``entity_id = "place:Astana"`` whether the
text says Астану, 阿斯塔纳, Astanada, Nur-Sultan or Akmola (``place_name`` reads it back); country
mentions, metonyms ("Moscow said") included, keep ``entity_id`` None.

Case endings (see ``suffix_chain``): a name in a Turkic language (kk, ky, uz, tk) or Tajik that is
immediately followed by letters is accepted only when those letters form a valid suffix chain
(derivation, plural, possessive, case or attributive locative: Бішкекке, Астанадағы, Ресейліктер,
Toshkentdagi, Türkmenistanyň, Тоҷикистонро); anything else is another word and gives no mention.
The name's script picks the grammar (a Cyrillic name takes kk, ky, uz-Cyrillic and tg endings, a
Latin one uz, tk and kk/ky-Latin endings), because CLDR labels follow a spelling that several
languages share. Turkmen stems voice their last consonant before a vowel (Aşgabat -> Aşgabada),
and a one-vowel Latin ending must agree with the name's last vowel (Butana, never "Butane").
The mention's text and offsets cover the whole word, name and endings ("Бішкекке", not "Бішкек");
an ending after a hyphen (АҚШ-қа) stays outside. A "-лық/-lik/-ly/-ӣ" ending on a country name
("Ресейлік", "қытайлық": Russian, Chinese) is a demonym mention of that country; such adjectives
are written in lower case, so a lower-case Turkic name is matched only with that ending. Russian names keep
the older rule (any ending of up to seven letters), and an English name takes a Turkic ending only
when the name is also a Turkic spelling, has five letters or more (four for a city) and the ending
starts with a consonant ("Astanada", "Bakuda", "Pakistanda"; never "Iranian", "Omani", "Malika").
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick

from steppewatch.extract.text import match_key
from steppewatch.models import Mention

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
HISTORICAL = {"SUN"}  # codes that are never drawn on the map
PLACE_ID_PREFIX = "place:"  # entity_id of a place mention: "place:" + its canonical English name
GEORGIA_STATE = "Georgia (U.S. state)"  # canonical name when "Georgia" is resolved to the US state
TURKIC_LANGS = {"kk", "ky", "tg", "uz", "tk"}  # take the case-ending grammar below (Tajik included)
INFLECTING_LANGS = {"ru"} | TURKIC_LANGS
NO_BOUNDARY_LANGS = {"zh"}
PLACE_KINDS = {"capital", "city", "state", "region"}
_CYRILLIC_VOWEL_ENDINGS = "аяеиыйьо"
_MAX_SUFFIX = 6  # Russian: any ending of up to _MAX_SUFFIX + 1 letters
_MAX_TURKIC_SUFFIX = 16  # longest Turkic chain looked at (Қытайлықтардың, Toshkentliklarning)


def _alternatives(*groups: str) -> str:
    """A regex alternation of space-separated morphemes, longest first."""
    items = sorted({m for group in groups for m in group.split()}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(m) for m in items) + ")"


def _grammar(name: str, deriv: str, plural: str, possessive: str, case: str, attributive: str) -> str:
    """Slots in order: derivation, plural, possessive, then a case or an attributive locative."""
    d, p, s, c = (_alternatives(x) if x else "(?!)" for x in (deriv, plural, possessive, case))
    a = _alternatives(attributive) if attributive else "(?!)"
    return f"(?P<deriv_{name}>{d})?{p}?{s}?(?:{c}|{a}{p}?{c}?)?"


# Morphemes per language, as written in the script the language uses for names.
_KK = ("лық лік дық дік тық тік", "лар лер дар дер тар тер", "ы і сы сі",
       "ға ге қа ке на не а е да де та те нда нде дан ден тан тен нан нен ндан нден "
       "ның нің дың дің тың тің ды ді ты ті ны ні мен бен пен менен бенен пенен",
       "дағы дегі тағы тегі ндағы ндегі")
_KY = ("лык лик лук лүк дык дик дук дүк тык тик тук түк",
       "лар лер лор лөр дар дер дор дөр тар тер тор төр", "ы и у ү сы си су сү",
       "га ге го гө ка ке ко кө на не но нө а е о ө да де до дө та те то тө нда нде ндо ндө "
       "дан ден дон дөн тан тен тон төн нан нен нон нөн ндан нден ндон ндөн "
       "нын нин нун нүн дын дин дун дүн тын тин тун түн ны ни ну нү ды ди ду дү ты ти ту тү "
       "менен бенен пенен мен бен пен",
       "дагы деги догу дөгү тагы теги тогу төгү ндагы ндеги ндогу ндөгү дыгы диги")
_UZ_CYRL = ("лик", "лар", "и си", "га ка қа да та дан тан нинг ни гача кача қача", "даги таги")
_TG = ("ӣ гӣ", "ҳо", "", "ро и йи у ву ю", "")
_UZ = ("lik", "lar", "i si", "ga ka qa da ta dan tan ning ni gacha kacha qacha", "dagi tagi")
_TK = ("ly li", "lar ler", "y i u ü sy si su sü",
       "a e ga ge ka ke na ne da de ta te nda nde dan den tan ten ndan nden "
       "yň iň uň üň nyň niň nuň nüň y i u ü ny ni nu nü",
       "daky däki taky täki ndaky ndäki")
# Kazakh and Kyrgyz in Latin letters (2021 Kazakh alphabet and common transliterations).
_TO_LATIN = {"ғ": ["g", "ǵ", "ğ", "gh"], "қ": ["q"], "ң": ["ń", "ng", "ñ"], "ы": ["y", "ı"], "і": ["i"],
             "ө": ["ö", "ó"], "ү": ["ü", "ú"], "ұ": ["u"], "ә": ["ä", "á"], "ш": ["sh", "ş"], "ж": ["j", "zh"]}
_CYR_LAT = str.maketrans("абгдеиклмнопрстуы", "abgdeiklmnoprstuy")


def _latin(morphemes: str) -> str:
    """Every Latin spelling of space-separated Cyrillic morphemes."""
    out: set[str] = set()
    for m in morphemes.split():
        spellings = [""]
        for ch in m:
            options = _TO_LATIN.get(ch, [ch.translate(_CYR_LAT)])
            spellings = [s + o for s in spellings for o in options]
        out.update(spellings)
    return " ".join(sorted(out))


_KK_LATN = tuple(_latin(x) for x in _KK)
_KY_LATN = tuple(_latin(x) for x in _KY)


def _script_grammar(languages: dict[str, tuple[str, ...]]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{_grammar(name, *slots)})" for name, slots in languages.items()))


_CYRILLIC_CHAIN = _script_grammar({"kk": _KK, "ky": _KY, "uz": _UZ_CYRL, "tg": _TG})
_LATIN_CHAIN = _script_grammar({"uz": _UZ, "tk": _TK, "kk": _KK_LATN, "ky": _KY_LATN})
_UZ_TK_CHAIN = _script_grammar({"uz": _UZ, "tk": _TK})  # for English spellings: Bakunin is no Baku + nin
# Turkmen voices a stem's last consonant before a vowel: Aşgabat -> Aşgabada, Aşgabadyň.
_TK_VOICING = {"t": "d", "k": "g", "p": "b", "ç": "j"}
_LATIN_VOWELS = "aeiouyäöüıáó"
_BACK_VOWELS, _FRONT_VOWELS = "aouyı", "eiäöü"


def suffix_chain(suffix: str, cyrillic: bool, english: bool = False) -> tuple[bool, bool]:
    """Whether ``suffix`` (the letters after a name) is a valid Turkic/Tajik ending chain in the
    name's script, and whether it makes a demonym ("-лық", "-lik", "-ly", "-ӣ": of that country).
    After a name that is also English only Uzbek and Turkmen endings count."""
    pattern = _CYRILLIC_CHAIN if cyrillic else _UZ_TK_CHAIN if english else _LATIN_CHAIN
    match = pattern.fullmatch(suffix.lower())
    if match is None:
        return False, False
    return True, any(match.groupdict().values())


# Names that are also common words or names of people; matched only when context agrees.
_SURNAME_AFTER = re.compile(r"\s+[A-Z][a-z]+")
_AMBIGUOUS_AS_NAME = {"Jordan", "Chad", "Georgia", "Guinea", "Niger", "Israel", "Cameron", "Washington"}
# Capitalised words that may follow a country name without making it a person's first name.
_COUNTRY_TITLE_AFTER = re.compile(
    r"\s+(President|Prime|Foreign|Defen[cs]e|Interior|King|Queen|Crown|Government|Parliament|Army|Armed|"
    r"Embassy|Ministry|Dream)\b")
_FUNCTION_WORD_BEFORE = re.compile(
    r"(In|in|With|with|From|from|To|to|And|and|Of|of|The|the|For|for|By|by|On|on|Between|between|"
    r"Visit|visit|Against|against|Near|near|Across|across|Into|into|Toward|toward|Towards|towards)\s+$")
# Georgia the US state: a city or "state of" before it, or a state institution after it.
_US_STATE_BEFORE = re.compile(
    r"(Atlanta|Savannah|Augusta|Athens|Macon|Columbus|Marietta|Decatur|Alpharetta|Valdosta|state of|State of|"
    r"U\.S\. state of|US state of)\s*,?\s*$")
_US_STATE_AFTER = re.compile(
    r"^(,\s*(USA|U\.S\.A?\.|United States)\b|\s+\(U\.S\. state\)|(\s+|'s\s+|’s\s+)"
    r"([Gg]overnor|Gov\.|[Ss]enate|[Ss]enators?|Tech|Bulldogs|State University|Republicans?|Democrats?|"
    r"Democratic Party|Republican Party|[Ss]ecretary of [Ss]tate|[Vv]oters|Power|Supreme Court|General Assembly|"
    r"House|[Ll]awmakers|[Ll]egislature|[Rr]unoff|[Pp]rimary|[Cc]ounty|[Aa]ttorney [Gg]eneral|[Ee]lection [Ll]aw|"
    r"[Dd]epartment of|[Ee]lection|[Ee]lections))\b")
_LANGUAGE_USE = re.compile(r"^(-speaking|-language| language| speakers| speaker| translation)")
# A Russian adjective naming a language: "на русском и узбекском языках", "казахский язык".
_RU_LANGUAGE_AFTER = re.compile(r"^(?:\s*(?:,|и|или)\s*[а-яё]+)*\s+язык", re.IGNORECASE)
# An English one: "speaking in Russian through an interpreter", "published in Kazakh and Russian."
_IN_BEFORE = re.compile(r"\b(?:in|into)\s+$")
_LANGUAGE_END_AFTER = re.compile(r"^\s*(?:$|[.,;:!?)]|(?:and|or)\s+[A-Z][a-z]+\s*(?:$|[.,;:!?)])|through\b|via\b)")
# A nationality inside a sea's name: "Indian Ocean", "Индийского океана", "South China Sea" is kept (China's claim).
_SEA_AFTER = re.compile(r"^\s+(?:Ocean|[Оо]кеан)")
# ... and in Chinese, a name before 洋 (ocean): 印度洋 is the Indian Ocean.
_ZH_OCEAN_AFTER = "洋"
# A Russian adjective after the word for languages: "рабочими языками станут русский и английский".
_RU_LANGUAGE_BEFORE = re.compile(r"язык\w*\s+(?:[а-яё]+\s+){0,2}(?:[а-яё]+\s+(?:и|или)\s+|[а-яё]+,\s+)*$",
                                 re.IGNORECASE)
# Washington Post / Redskins / Commanders are not the US government; "Washington state" is an alias.
_STATE_AFTER = re.compile(r"^( Post| Redskins| Commanders| Nationals| Wizards| Capitals| Mystics| Huskies)")
# Turkey the bird: holiday and kitchen words around a capitalised "Turkey" (headlines, sentence starts).
_BIRD_BEFORE = re.compile(r"(Thanksgiving|Christmas|[Rr]oast(ed)?|[Ww]ild|[Ss]tuffed|[Ss]moked|Butterball|"
                          r"[Pp]ardon(s|ed|ing)?( the| a)?( [Nn]ational)?)\s+$")
_BIRD_AFTER = re.compile(r"^\s+(Day|Trot|[Dd]inner|[Ss]andwich(es)?|[Bb]reast|[Ll]egs?|[Pp]ardon(ing)?|[Gg]ravy|"
                         r"[Ss]tuffing|[Bb]urgers?|[Hh]unting|[Cc]arving)\b")
# A capital used for its government: "Washington said", "Moscow has warned" (not "officials in Moscow said").
_METONYM_VERB_AFTER = re.compile(
    r"^\s+(?:(?:has|have|had|will|would|may|could|is|was|also|again|quickly|now|then|has also)\s+)?"
    r"(said|says|warned|warns|accused|accuses|announced|announces|imposed|imposes|urged|urges|insisted|insists|"
    r"believes|believed|responded|responds|rejected|rejects|welcomed|welcomes|hopes|expects|wants|wanted|"
    r"denied|denies|demanded|demands|condemned|condemns|threatened|threatens|protested|protests|sanctioned|"
    r"criticized|criticised|criticizes|criticises|pledged|pledges|promised|promises|signalled|signaled|"
    r"considers|views|sees|is concerned|remains)\b")
_LOCATIVE_BEFORE = re.compile(r"\b(in|In|at|At|from|From|to|To|near|Near|outside|Outside)\s+$")
# Before a city that is also a person's name (guard "person"): only then is it the place.
_PLACE_BEFORE = re.compile(
    r"\b(?:[Ii]n|[Aa]t|[Ff]rom|[Tt]o|[Nn]ear|[Oo]utside|[Ii]nto|[Vv]ia|[Tt]owards?|[Tt]hrough|[Aa]cross|[Aa]round|"
    r"[Vv]isit(?:s|ed|ing)?|[Rr]eached|[Ll]eft|[Ll]eaves?|[Cc]apital,?|[Cc]ity of|[Bb]ased in)\s+$")
# A GeoNames city between two capitalised names is part of a person's name ("Rodrigo de Lima Baena",
# "Juan Fernando Holguin Flores"); function words and headline verbs do not count as names.
_NAME_BEFORE = re.compile(r"(?<![\w.])(?!(?:In|To|And|Of|The|For|From|With|At|By|On|Visits?|Travels?|Arrives?|"
                          r"Leaves?|Heads?|Returns?|Meets?|Summit|Talks)\s)[A-Z][a-z]+"
                          r"(?:\s+(?:de|da|do|dos|das|del|della|di|van|von|der|la|le|bin|ibn|al|el))?\s+$")
_NAME_AFTER = re.compile(r"^\s+[A-Z][a-z]+\b(?!['’]s)")
# A GeoNames city that names a body or an agreement is no place: "Helsinki Commissioners", "Dayton Accords".
_EPONYM_AFTER = re.compile(r"^\s*(?:[-–]\s*)?(?:Commission(?:ers?)?|Accords?|Final\s+Act|Agreements?|Protocol|"
                           r"Declaration|Principles|Consensus|Convention|Process|[Ff]ormat|Syndrome)\b")
# A place named as part of an institution's name is no place mention: "Shanghai Cooperation Organization",
# "Shanghai Five", "Astana International Financial Centre", "Tashkent Stock Exchange".
_INSTITUTION_AFTER = re.compile(r"^\s+(?:Cooperation\s+Organi[sz]ation|Organi[sz]ation|Five\b|Spirit\b|"
                                r"Stock\s+Exchange|International\s+Financial\s+Cent(?:re|er)|Club\b|University\b)")
_LIST_JOIN = re.compile(r",? (?:and|or) |, |/| & ")  # "in Houston and Milan", "Moscow, Sofia"
CITIES_FILE = "cities.tsv"  # built from GeoNames; read after aliases.tsv, never overriding a name
FORMS_FILE = "forms.tsv"  # generated word forms (scripts/gazetteer_forms.py); read last, never overriding a name


ZH_ABBREVIATIONS_FILE = "zh_abbreviations.tsv"  # one-character abbreviations: 中 CHN, 哈 KAZ, 乌 UZB/UKR
ZH_WORDS_FILE = "zh_words.tsv"  # words that rule a pair or side form out (built from jieba's dictionary)
_ZH_SIDE = "方"


@dataclass(frozen=True)
class ChineseShortForms:
    """Chinese side forms (中方, 哈方: that country's side) and pairs (中哈, 中吉乌: each character names
    its country), found by rule over a table of one-character abbreviations.

    A run of two or more different abbreviation characters is a pair, and one such character before 方
    a side form, unless a word of the dictionary crosses its edge: 其中 before it (其中哈 is "among
    them" + 哈), 美元, 美洲 or 方面 after it (中美洲 is Central America, 中方面 no side). Such a word
    does not count where the character beyond it belongs to a word of its own (今年中哈: 今年; 中方始终:
    始终). A character inside a longer name the gazetteer found (俄罗斯, 乌克兰) is no abbreviation, and
    中 alone never a country. A character with several countries (乌 Uzbekistan or Ukraine, 土
    Turkmenistan or Turkey) takes the one the text names in full, else the table's first.
    """

    countries: dict[str, tuple[str, ...]]
    left: frozenset[str]
    right: frozenset[str]
    rescue: frozenset[str]
    whole: frozenset[str]  # longer words that begin with a side form: 土方工程, 阿方索

    runs: re.Pattern[str]  # runs of abbreviation characters

    @classmethod
    def load(cls, data_dir: Path = DATA_DIR) -> ChineseShortForms:
        countries = {row["char"]: tuple(row["iso3"].split()) for row in _data_rows(ZH_ABBREVIATIONS_FILE, data_dir)}
        roles: dict[str, set[str]] = {"left": set(), "right": set(), "rescue": set(), "whole": set()}
        for row in _data_rows(ZH_WORDS_FILE, data_dir):
            roles[row["role"]].add(row["word"])
        runs = re.compile(f"[{re.escape(''.join(sorted(countries)))}]+")
        return cls(countries, *(frozenset(roles[r]) for r in ("left", "right", "rescue", "whole")), runs)

    def _left_free(self, text: str, i: int) -> bool:
        """No word ends inside the form at ``i`` from before it (or the character before it is taken)."""
        if i == 0 or text[i - 1:i + 1] not in self.left:
            return True
        return i >= 2 and (text[i - 2].isdigit() or text[i - 2:i] in self.rescue or text[i - 2:i] in self.left)

    def _right_free(self, text: str, j: int) -> bool:
        """No word starts inside the form ending at ``j`` and goes on after it."""
        if j >= len(text) or text[j - 1:j + 1] not in self.right:
            return True
        return text[j:j + 2] in self.rescue or text[j:j + 2] in self.right

    def find(self, text: str, named: list[Mention]) -> list[Mention]:
        """Side forms and pairs in ``text``; ``named`` are the gazetteer's other mentions in it."""
        taken = {i for m in named for i in range(m.start, m.end)}
        in_text = {m.iso3 for m in named if m.iso3}
        out: list[Mention] = []
        n = len(text)
        for run in self.runs.finditer(text):
            i, end = run.span()
            while i < end:
                if i in taken:
                    i += 1
                    continue
                j = i + 1  # a run of different characters outside the names found
                while j < end and j not in taken and text[j] not in text[i:j]:
                    j += 1
                if j - i >= 2 and self._left_free(text, i) and self._right_free(text, j):
                    out += [self._mention(text, k, k + 1, "pair", in_text) for k in range(i, j)]
                elif j - i == 1 and j < n and text[j] == _ZH_SIDE and j not in taken and self._left_free(text, i) \
                        and self._right_free(text, j + 1) and not {text[i:i + 3], text[i:i + 4]} & self.whole:
                    out.append(self._mention(text, i, j + 1, "side", in_text))
                i = j
        return out

    def _mention(self, text: str, start: int, end: int, value: str, in_text: set[str]) -> Mention:
        options = self.countries[text[start]]
        iso3 = next((c for c in options if c in in_text), options[0])
        return Mention(kind="country", text=text[start:end], start=start, end=end, iso3=iso3, value=value)


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    key: str
    iso3: str
    kind: str  # name / short / demonym / capital / city / state / region / metonym / historical
    lang: str
    prefix: bool  # may be followed by an inflectional suffix
    bounded: bool  # needs word boundaries
    langs: frozenset[str] = frozenset()  # every language this spelling is listed in (set by the gazetteer)
    voiced: bool = False  # a Turkmen stem with its last consonant voiced: needs a vowel ending
    derived: bool = False  # a lower-case Turkic name: only with a "-лық/-lik" ending (ресейлік, xitoylik)
    canonical: str = ""  # places: the one English name of the place (Астану, Nur-Sultan -> Astana)
    guard: str = ""  # cities.tsv: "geonames", or "person" (also a person's name: a place only after "in"...)

    @property
    def restricted(self) -> bool:
        return self.voiced or self.derived


_ENTRY_FIELDS = GazetteerEntry.__slots__
_set = object.__setattr__


def _with(entry: GazetteerEntry, **changes: object) -> GazetteerEntry:
    """``dataclasses.replace(entry, **changes)`` without its per-call field introspection (the
    gazetteer's start-up makes tens of thousands of these)."""
    new = object.__new__(GazetteerEntry)
    for name in _ENTRY_FIELDS:
        _set(new, name, changes[name] if name in changes else getattr(entry, name))
    return new


@lru_cache(maxsize=64)
def _langs(lang: str) -> frozenset[str]:
    """One shared set per language (the entries of a language all hold the same one)."""
    return frozenset({lang})


def _is_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


_HAN = re.compile("[\u4e00-\u9fff]")


def _is_han(text: str) -> bool:
    """Whether ``text`` has a Chinese character (a regex search: fast on long Latin texts)."""
    return _HAN.search(text) is not None


def _script_lang(alias: str) -> str:
    """Default language of an alias without a ``lang`` column: by script."""
    if _is_han(alias):
        return "zh"
    return "ru" if _is_cyrillic(alias) else "en"


def _data_rows(name: str, data_dir: Path = DATA_DIR) -> list[dict[str, str]]:
    """The rows of one of the gazetteer's TSV files (its ``#`` comment lines left out)."""
    with (data_dir / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t"))


def _entries() -> list[GazetteerEntry]:
    entries: list[GazetteerEntry] = []
    for row in _data_rows("country_names.tsv"):
        entries.extend(_variants(row["name"], row["iso3"], "name", row["lang"]))
    for row in _data_rows("aliases.tsv"):
        lang = (row.get("lang") or "").strip() or _script_lang(row["alias"])
        canonical = (row.get("canonical") or "").strip()
        entries.extend(_variants(row["alias"], row["iso3"], row["kind"], lang, canonical))
    known = {e.key for e in entries}
    for row in _data_rows(CITIES_FILE):
        guard = (row.get("guard") or "").strip() or "geonames"
        for entry in _variants(row["alias"], row["iso3"], row["kind"], "en", row["canonical"].strip()):
            if entry.key not in known:  # never shadow a country, an alias or a hand-made place
                entries.append(_with(entry, guard=guard))
                known.add(entry.key)
    for row in _data_rows(FORMS_FILE):
        if row["exact"] == "1":
            key, lang = match_key(row["alias"]), sys.intern(row["lang"])
            entry = GazetteerEntry(key, sys.intern(row["iso3"]), sys.intern(row["kind"]), lang, False, True,
                                   _langs(lang), canonical=sys.intern(row["canonical"]))
            variants = [entry]
        else:
            variants = _variants(row["alias"], row["iso3"], row["kind"], row["lang"], row["canonical"])
        entries.extend(e for e in variants if e.key not in known)
    return entries


def _variants(name: str, iso3: str, kind: str, lang: str, canonical: str = "") -> list[GazetteerEntry]:
    key = match_key(name.strip())
    if not key:
        return []
    iso3, kind, lang, canonical = sys.intern(iso3), sys.intern(kind), sys.intern(lang), sys.intern(canonical)
    bounded = lang not in NO_BOUNDARY_LANGS
    prefix = (lang == "ru" and len(key) > 3) or (lang in TURKIC_LANGS and len(key) > 1)
    langs = _langs(lang)
    out = [GazetteerEntry(key, iso3, kind, lang, prefix, bounded, langs)]
    if lang == "ru" and prefix and _is_cyrillic(key) and key[-1].lower() in _CYRILLIC_VOWEL_ENDINGS and len(key) >= 5:
        out.append(GazetteerEntry(key[:-1], iso3, kind, lang, True, bounded, langs))
    if lang == "tk" and key[-1] in _TK_VOICING and len(key) > 3:
        out.append(GazetteerEntry(key[:-1] + _TK_VOICING[key[-1]], iso3, kind, lang, True, bounded, langs, True))
    if lang in TURKIC_LANGS and len(key) > 3 and key[0].isupper() and key[1:2].islower():
        out.append(GazetteerEntry(key[0].lower() + key[1:], iso3, kind, lang, True, bounded, langs, derived=True))
    if lang == "en" and kind in {"name", "capital", "short"} and len(key) > 3 and key.upper() != key:
        out.append(GazetteerEntry(key.upper(), iso3, kind, lang, False, True, langs))  # datelines
    return [_with(e, canonical=canonical) for e in out] if canonical else out


def _harmonises(key: str, vowel: str) -> bool:
    """A one-vowel Turkmen ending agrees with the name's last vowel (back a/y/u, front e/i/ü)."""
    last = next((ch for ch in reversed(key.lower()) if ch in _BACK_VOWELS + _FRONT_VOWELS), "")
    return bool(last) and (vowel in _BACK_VOWELS) == (last in _BACK_VOWELS)


# Russian declension and the adjective/demonym endings a name takes ("Казахстане", "Российской",
# "Индии", "казахстанцы"); anything else is another word that starts like a name: Малика is not
# Mali, Индира not India, Кубаныч not Cuba, Иранбек not Iran.
_RUSSIAN_ENDING = re.compile(
    r"(?:[аяуюеёоыиьй]|ом|ем|ём|ой|ей|ою|ею|ам|ям|ами|ями|ах|ях|ов|ев|ий|ия|ии|ию|ией|ие|ием|иям|иях|"
    r"ск(?:ий|ая|ое|ие|ого|ому|им|ом|ой|ую|их|ими)|"
    r"ц(?:ы|ев|ам|ами|ах|а|у|ем|е)|ец|"
    r"ов(?:а|у|ым|ом|ы|ых|ыми|ой|ую)|"
    r"(?:ск)?(?:о|е)-)")


def _ending(entry: GazetteerEntry, suffix: str) -> tuple[bool, bool]:
    """Whether ``entry`` may be followed by the letters ``suffix``; and whether they make a demonym.

    Turkic and Tajik names take only a valid suffix chain (``turkic``); a Russian spelling also any
    ending of up to seven letters (declension is checked nowhere else), as before the Turkic rule.
    """
    if entry.voiced and suffix[0].lower() not in _LATIN_VOWELS:
        return False, False
    accepted, demonym = _turkic_ending(entry, suffix)
    if accepted:
        return accepted, demonym
    russian = "ru" in entry.langs and len(entry.key) > 3 and not entry.voiced
    if not russian or len(suffix) > _MAX_SUFFIX + 1:
        return False, False
    # a Russian spelling in Kazakh/Kyrgyz text (Душанбеге, Ташкентке) or Russian declension
    turkic = _voicing_agrees(entry.key, suffix) and suffix_chain(suffix, True)[0]
    return turkic or bool(_RUSSIAN_ENDING.fullmatch(suffix.lower())), False


_CYRILLIC_VOWELS = set("аеёиоуыэюяәөүұі")


def _voicing_agrees(key: str, suffix: str) -> bool:
    """Kazakh/Kyrgyz endings start with к/қ/т/п only after a voiceless consonant: Ташкентке, but
    Душанбеге and never "Мали" + "ка" (Малика is a first name)."""
    return not (key[-1:].lower() in _CYRILLIC_VOWELS and suffix[:1].lower() in set("кқтп"))


def _turkic_ending(entry: GazetteerEntry, suffix: str) -> tuple[bool, bool]:
    """The Turkic/Tajik rule: a suffix chain in the name's script, with guards for short names,
    one-vowel endings (vowel harmony) and spellings that are also English words."""
    if not entry.langs & TURKIC_LANGS or len(suffix) > _MAX_TURKIC_SUFFIX:
        return False, False
    if len(entry.key) < 4 and len(suffix) < 2:
        return False, False  # Ошто, Чинро; never a lone letter after a short name
    if _is_cyrillic(entry.key) and not _voicing_agrees(entry.key, suffix):
        return False, False
    if len(suffix) == 1 and not _is_cyrillic(entry.key) and not _harmonises(entry.key, suffix):
        return False, False  # Turkmen Butana, Pekine; never "Butane"
    shortest = 4 if entry.kind in PLACE_KINDS else 5  # Bakuda, Astanada; never Mali + ka
    if "en" in entry.langs and (len(entry.key) < shortest or len(suffix) < 2 or suffix[0].lower() in _LATIN_VOWELS):
        return False, False  # Iranian, Omani, Malika, Indiana stay English words
    return suffix_chain(suffix, _is_cyrillic(entry.key), english="en" in entry.langs)


class CountryGazetteer:
    """Finds country mentions; each mention carries ISO3, kind and character offsets."""

    def __init__(self, entries: list[GazetteerEntry] | None = None,
                 short_forms: ChineseShortForms | None = None) -> None:
        self.short_forms = short_forms if short_forms is not None else ChineseShortForms.load()
        self.automaton = ahocorasick.Automaton()
        by_key: dict[str, GazetteerEntry] = {}
        langs: dict[str, set[str]] = {}
        for entry in entries if entries is not None else _entries():
            known = by_key.get(entry.key)
            langs.setdefault(entry.key, set()).update(entry.langs or {entry.lang})
            # Prefer a real spelling over a voiced Turkmen stem, and a specific kind (city, demonym)
            # over a generic name for the same key.
            # (entries are frozen: one is kept as it is, not copied, where nothing changes)
            if known is None or (known.restricted and not entry.restricted) or (
                    known.kind == "name" and entry.kind != "name" and known.restricted == entry.restricted):
                prefix = entry.prefix or (known is not None and known.prefix)
                by_key[entry.key] = entry if prefix == entry.prefix else _with(entry, prefix=prefix)
            elif entry.prefix and not known.prefix:
                by_key[entry.key] = _with(known, prefix=True)
        for key, entry in by_key.items():
            every = frozenset(langs[key])
            self.automaton.add_word(key, entry if every == entry.langs else _with(entry, langs=every))
        self.automaton.make_automaton()
        self.names = {e.iso3: e.key for e in by_key.values() if e.kind == "name" and e.lang == "en"}

    def find(self, text: str) -> list[Mention]:
        """All country and place mentions in ``text``, leftmost-longest, non-overlapping."""
        folded = match_key(text)
        candidates: list[tuple[int, int, GazetteerEntry]] = []
        for end_index, entry in self.automaton.iter(folded):
            start = end_index - len(entry.key) + 1
            end = end_index + 1
            if entry.bounded and start > 0 and folded[start - 1].isalnum():
                continue
            if entry.prefix:
                j = end
                while j < len(folded) and folded[j].isalpha():
                    j += 1
                if j > end:
                    accepted, demonym = _ending(entry, folded[end:j])
                    if not accepted or (entry.derived and not demonym):
                        continue
                    if demonym and entry.kind in {"name", "short"}:
                        entry = _with(entry, kind="demonym")  # Ресейлік, Қытайлық: Russian, Chinese
                    end = j
                elif entry.restricted:
                    continue
            elif entry.bounded and end < len(folded) and folded[end].isalnum() and entry.key[-1] != "-":
                continue
            if entry.key[-1] == "-":
                end -= 1  # "российско-казахстанских": the first half, without its hyphen
            candidates.append((start, end, entry))
        # Leftmost-longest; on a tie the longer name wins over a shorter one plus an ending
        # ("Кыргызстандын" is the country, not the demonym "Кыргыз" + "стандын").
        candidates.sort(key=lambda c: (c[0], -(c[1] - c[0]), -len(c[2].key)))
        mentions: list[Mention] = []
        last_end = -1
        for start, end, entry in candidates:
            if start < last_end:
                continue
            listed = bool(mentions) and mentions[-1].kind == "place" and bool(
                _LIST_JOIN.fullmatch(text[mentions[-1].end:start]))
            mention = self._resolve(text, start, end, entry, listed)
            if mention is not None:
                mentions.append(mention)
                last_end = end
        if _is_han(text):
            mentions = sorted(mentions + self.short_forms.find(text, mentions), key=lambda m: m.start)
        return mentions

    @staticmethod
    def _resolve(text: str, start: int, end: int, entry: GazetteerEntry, listed: bool = False) -> Mention | None:
        """The mention a match stands for in its context, or None when it names no country.

        Rules, in order: a city that is also a person's name (guard ``person``) needs a word that
        introduces a place before it or another place before it in a list (``listed``), and no
        surname after it; a place that begins an institution's name ("Shanghai Cooperation
        Organization") is none; any GeoNames city between two capitalised names is part of a person's
        name, and one before "Commission", "Accords"... names no place; Georgia next to a US city
        or state institution is the US state (USA); a look-alike used as a person's name is dropped
        ("Michael Jordan", "Chad Smith", "George Washington"); a capitalised "Turkey" beside holiday
        or kitchen words is the bird; a demonym naming a language is dropped; "Washington Post" is a
        newspaper; a capital used as the subject of a reporting verb is its government ("Washington
        said" -> USA, country).
        """
        before, after = text[max(0, start - 40):start], text[end:end + 40]
        key = entry.key
        kind, iso3, value = ("place" if entry.kind in PLACE_KINDS else "country"), entry.iso3, entry.kind
        canonical = entry.canonical
        if entry.guard == "person" and (not (key.isupper() or listed or _PLACE_BEFORE.search(before))
                                        or _SURNAME_AFTER.match(after)):
            return None  # "Sofia Vergara", "Whitney Houston", "Milan said", "in Paris, Sofia Coppola": a person
        if entry.guard and ((_NAME_BEFORE.search(before) and _NAME_AFTER.match(after)) or _EPONYM_AFTER.match(after)):
            return None  # inside a person's name: "Rodrigo de Lima Baena"; an eponym: "Helsinki Commission"
        if kind == "place" and _INSTITUTION_AFTER.match(after):
            return None  # part of an institution's name: "Shanghai Cooperation Organization"
        if key in {"Georgia", "GEORGIA"} and (_US_STATE_BEFORE.search(before) or _US_STATE_AFTER.match(after)):
            kind, iso3, value, canonical = "place", "USA", "state", GEORGIA_STATE
        elif key in _AMBIGUOUS_AS_NAME:
            if _SURNAME_AFTER.match(after) and not _COUNTRY_TITLE_AFTER.match(after):
                return None
            if re.search(r"(?:\b[A-Z][a-z]+|\b[A-Z]\.)\s+$", before) and not _FUNCTION_WORD_BEFORE.search(before):
                return None
        if key in {"Turkey", "TURKEY"} and (_BIRD_BEFORE.search(before) or _BIRD_AFTER.match(after)):
            return None
        if entry.kind == "demonym" and (_LANGUAGE_USE.match(after) or _SEA_AFTER.match(after) or (
                (_RU_LANGUAGE_AFTER.match(after) or _RU_LANGUAGE_BEFORE.search(before)) if entry.lang == "ru"
                else (_IN_BEFORE.search(before) and _LANGUAGE_END_AFTER.match(after)))):
            return None
        if entry.lang == "zh" and after.startswith(_ZH_OCEAN_AFTER):
            return None  # 印度洋
        if key.startswith("Washington") and _STATE_AFTER.match(after):
            return None
        if entry.kind == "capital" and _METONYM_VERB_AFTER.match(after) and not _LOCATIVE_BEFORE.search(before):
            kind, value = "country", "metonym"
        entity_id = PLACE_ID_PREFIX + canonical if kind == "place" and canonical else None
        return Mention(kind=kind, text=text[start:end], start=start, end=end, iso3=iso3, value=value,
                       entity_id=entity_id)

    def canonical_place(self, text: str) -> str | None:
        """The canonical name of the place ``text`` names ("Астану", "Moskva" -> Moscow), else None."""
        return next((place_name(m.entity_id) for m in self.find(text) if place_name(m.entity_id)), None)


def place_name(entity_id: str | None) -> str | None:
    """The canonical name in a place entity_id ("place:Astana" -> "Astana"); None for anything else."""
    if entity_id and entity_id.startswith(PLACE_ID_PREFIX):
        return entity_id[len(PLACE_ID_PREFIX):] or None
    return None


def mention_place_name(m: Mention) -> str:
    """A place's canonical name ("Астану", "阿斯塔纳", a venue or dateline city -> "Astana"), else its text."""
    return place_name(m.entity_id) or canonical_place(m.text) or m.text


def canonical_place(text: str) -> str | None:
    """The canonical name of a place given as text, by the bundled gazetteer (None when unknown)."""
    return default_gazetteer().canonical_place(text)


@lru_cache(maxsize=1)
def default_gazetteer() -> CountryGazetteer:
    """The gazetteer built from the bundled data files (loaded once per process)."""
    return CountryGazetteer()
