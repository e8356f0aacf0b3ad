"""Date expressions: absolute ("February 26, 2023"), partial ("Feb. 24", "in November") and
relative ("today", "Tuesday", "yesterday"), resolved against an anchor (the published date)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7,
    "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
    # Russian nominative and prepositional ("в июле")
    "январь": 1, "январе": 1, "февраль": 2, "феврале": 2, "март": 3, "марте": 3, "апрель": 4, "апреле": 4,
    "май": 5, "мае": 5, "июнь": 6, "июне": 6, "июль": 7, "июле": 7, "август": 8, "августе": 8,
    "сентябрь": 9, "сентябре": 9, "октябрь": 10, "октябре": 10, "ноябрь": 11, "ноябре": 11,
    "декабрь": 12, "декабре": 12,
}
# Kazakh, Kyrgyz/Uzbek/Tajik Cyrillic and Uzbek Latin month names. They take case endings
# ("14 наурызда", "14-мартта", "14-martda") and Tajik izafet ("14 марти соли 2024"), so they are
# matched with an ending; the Latin ones only after "14-" (Uzbek orthography), since "may" and
# "mart" are English words.
TURKIC_MONTHS = {
    "қаңтар": 1, "ақпан": 2, "наурыз": 3, "сәуір": 4, "мамыр": 5, "маусым": 6, "шілде": 7, "тамыз": 8,
    "қыркүйек": 9, "қазан": 10, "қараша": 11, "желтоқсан": 12,
    "январь": 1, "январ": 1, "февраль": 2, "феврал": 2, "март": 3, "апрель": 4, "апрел": 4, "май": 5,
    "июнь": 6, "июн": 6, "июль": 7, "июл": 7, "август": 8, "сентябрь": 9, "сентябр": 9, "октябрь": 10,
    "октябр": 10, "ноябрь": 11, "ноябр": 11, "декабрь": 12, "декабр": 12,
}
LATIN_TURKIC_MONTHS = {
    "yanvar": 1, "fevral": 2, "mart": 3, "aprel": 4, "may": 5, "iyun": 6, "iyul": 7, "avgust": 8,
    "sentabr": 9, "sentyabr": 9, "oktabr": 10, "oktyabr": 10, "noyabr": 11, "dekabr": 12,
}
_ALL_MONTHS = {**TURKIC_MONTHS, **LATIN_TURKIC_MONTHS, **MONTHS}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
            "saturday": 5, "sunday": 6}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_T_MONTH_RE = "|".join(sorted(TURKIC_MONTHS, key=len, reverse=True))
_L_MONTH_RE = "|".join(sorted(LATIN_TURKIC_MONTHS, key=len, reverse=True))
_T_END = r"[а-яёәғқңөұүһіӣӯҷҳў]{0,6}"  # a case ending or izafet after a Cyrillic month
_L_END = r"(?:da|dagi|ga|gacha|dan|kuni)?"
_YEAR_WORD = r"(?:жылғы|жылы|жыл|-жылы|-жылдын|yil|yilning|-yil|-yilning|йил|йилнинг|-йил|-йилнинг|соли)"
_RU_MONTH_GEN = "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
_RU_MONTH_NOM = "январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь|ноябрь|декабрь"
_RU_MONTH_PREP = "январе|феврале|марте|апреле|мае|июне|июле|августе|сентябре|октябре|ноябре|декабре"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    ("zh", re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")),
    # "2024 жылғы 14 наурызда", "2024-yil 14-martda"
    ("ydm_t", re.compile(rf"\b(\d{{4}})\s*{_YEAR_WORD}\s+(\d{{1,2}})[\s-]({_T_MONTH_RE}){_T_END}(?![\w])", re.I)),
    ("ydm_t", re.compile(rf"\b(\d{{4}})\s*{_YEAR_WORD}\s+(\d{{1,2}})-({_L_MONTH_RE}){_L_END}\b", re.I)),
    # "14 наурыз 2024 жыл", "14 марти соли 2024", "14-mart 2024-yil"
    ("dmy_t", re.compile(rf"\b(\d{{1,2}})[\s-]({_T_MONTH_RE}){_T_END}\s+(?:соли\s+)?(\d{{4}})\b", re.I)),
    ("dmy_t", re.compile(rf"\b(\d{{1,2}})-({_L_MONTH_RE})\s+(\d{{4}})\b", re.I)),
    ("mdy", re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)),
    ("dmy", re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I)),
    ("dmy_num", re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")),
    ("md", re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*\d{{4}})", re.I)),
    ("dm", re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_RE})\b(?!\.?,?\s*\d{{4}})", re.I)),
    ("dm_t", re.compile(rf"(?<![\w.])(\d{{1,2}})[\s-]({_T_MONTH_RE}){_T_END}(?![\w])", re.I)),
    ("dm_t", re.compile(rf"(?<![\w.])(\d{{1,2}})-({_L_MONTH_RE}){_L_END}\b", re.I)),
    ("zh_md", re.compile(r"(?<!\d)(\d{1,2})月(\d{1,2})日")),
    ("my", re.compile(rf"\b(?:in\s+)?({_MONTH_RE})\s+(\d{{4}})\b", re.I)),
    # "в начале июля", "в июле", "шілде айында", "iyul oyida", "моҳи июл", "7月初", "今年7月"
    ("m", re.compile(rf"\b(?:в|во|к|до|с)\s+(?:(?:начале|середине|конце|первой половине|второй половине)\s+)?"
                     rf"({_RU_MONTH_GEN}|{_RU_MONTH_PREP})\b(?!\s+\d)", re.I)),
    ("m", re.compile(rf"\bна\s+({_RU_MONTH_NOM})\b(?!\s+\d)", re.I)),
    ("m", re.compile(rf"\b({_T_MONTH_RE})\s+(?:айында|айының|айы|айда|ойида|ойи)(?![\w])", re.I)),
    ("m", re.compile(rf"\b({_L_MONTH_RE})\s+oy(?:ida|i|ining)\b", re.I)),
    ("m", re.compile(rf"\bмоҳи\s+({_T_MONTH_RE})[и]?(?![\w])", re.I)),
    ("zh_m", re.compile(r"(?<![\d年])(\d{1,2})月(?:初|中旬|下旬|上旬|底|份|中)?(?![\d日])")),
    # "в 2019 году", "2019 жылы", "2019-yilda", "соли 2019", "2019年"
    ("y", re.compile(r"\b((?:19|20)\d{2})\s*(?:году|года|г\.|жылы|-жылы|жылғы|-yilda|-yili|-yil|yilda|йилда|-йилда|"
                     r"-йили)(?![\w])", re.I)),
    ("y", re.compile(r"\bсоли\s+((?:19|20)\d{2})\b", re.I)),
    ("y", re.compile(r"((?:19|20)\d{2})年(?!\d{1,2}月)")),
    ("m", re.compile(rf"\b(?:in|since|last|this|next)\s+({_MONTH_RE})\b(?!\s+\d)", re.I)),
    ("y", re.compile(r"\b(?:in|since|of|from|until|by)\s+((?:19|20)\d{2})\b")),
    ("weekday", re.compile(
        r"\b(?:(last|next|this|on)\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    ("month_rel", re.compile(r"\b(next|last|this|later this|earlier this) month\b|"
                             r"(?:в|на) (следующем|прошлом|этом) месяце", re.I)),
    ("relative", re.compile(
        r"\b(today|tonight|yesterday|tomorrow|this morning|this week|last week|next week|earlier this week|"
        r"сегодня|вчера|завтра|послезавтра|на следующей неделе|на этой неделе|на прошлой неделе|"
        r"бүгін|кеше|ертең|келесі аптада|осы аптада|бүгүн|кечээ|келерки жумада|ушул жумада|"
        r"bugun|kecha|ertaga|kelasi haftada|kelgusi haftada|shu haftada|бугун|кеча|эртага|келгуси ҳафтада|"
        r"имрӯз|дирӯз|фардо|ҳафтаи оянда)(?![\w])|(今天|昨天|明天|后天|下周|本周|上周)", re.I)),
]


# Every pattern above needs a digit, a month, a weekday or a relative word: texts without one
# are skipped in a single scan.
_HINT = re.compile(
    rf"\d|\b(?:{_MONTH_RE}|{_T_MONTH_RE}|{_L_MONTH_RE}|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"today|tonight|yesterday|tomorrow|this morning|week|month|месяце|"
    r"сегодня|вчера|завтра|послезавтра|неделе|аптада|жумада|"
    r"haftada|ҳафтада|ҳафтаи|бүгін|кеше|ертең|бүгүн|кечээ|bugun|kecha|ertaga|бугун|кеча|эртага|имрӯз|дирӯз|"
    r"фардо)|今天|昨天|明天|后天|下周|本周|上周", re.I)


# Case-insensitive patterns also compiled case-sensitive, to run over the lower-cased text:
# several times faster than re.I on long texts (same matches, same offsets).
_PATTERNS_FAST: list[tuple[str, re.Pattern[str], re.Pattern[str] | None]] = [
    (kind, p, re.compile(p.pattern, p.flags & ~re.I) if p.flags & re.I else None) for kind, p in _PATTERNS]
_HINT_LOWER = re.compile(_HINT.pattern)


@dataclass(frozen=True)
class DateMention:
    """A date expression with its resolved value and precision (day/month/year/unknown)."""

    start: int
    end: int
    text: str
    kind: str  # absolute / partial / relative
    value: str | None
    precision: str


def shifted_date(d: DateMention, by: int) -> DateMention:
    """``dataclasses.replace(d, start=d.start - by, end=d.end - by)`` built by the constructor directly (a
    fraction of ``replace``'s cost, the same value; a test keeps the field list in step)."""
    return DateMention(d.start - by, d.end - by, d.text, d.kind, d.value, d.precision)


def _iso(d: dt.date) -> str:
    return d.isoformat()


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _fold(token: str) -> str:
    """A word as the month and weekday tables spell it: what re.IGNORECASE matched ("ſep", "K") folded."""
    key = token.lower().rstrip(".")
    if key in _ALL_MONTHS or key in WEEKDAYS:
        return key
    decomposed = unicodedata.normalize("NFKD", token.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).rstrip(".")


def _month(token: str) -> int:
    return _ALL_MONTHS[_fold(token)]


_OTHER_RELATIVE = {
    "послезавтра": 2, "бүгін": 0, "кеше": -1, "ертең": 1, "бүгүн": 0, "кечээ": -1, "bugun": 0, "kecha": -1,
    "ertaga": 1, "бугун": 0, "кеча": -1, "эртага": 1, "имрӯз": 0, "дирӯз": -1, "фардо": 1, "后天": 2,
}
_OTHER_WEEKS = {
    "на следующей неделе": 7, "на этой неделе": 0, "на прошлой неделе": -7, "келесі аптада": 7, "осы аптада": 0,
    "келерки жумада": 7, "ушул жумада": 0, "kelasi haftada": 7, "kelgusi haftada": 7, "shu haftada": 0,
    "келгуси ҳафтада": 7, "ҳафтаи оянда": 7, "下周": 7, "本周": 0, "上周": -7,
}


def find_dates(text: str, anchor: dt.date | None, future: bool = False) -> list[DateMention]:
    """All date expressions in ``text``; relative ones resolved against ``anchor``.

    ``future`` says the clause speaks of the future (weekdays then resolve forwards). The text is
    scanned once (see ``_scan``): the published date, the extractor and the events read the same
    expressions, each resolved against its own anchor.
    """
    found: list[DateMention] = []
    for kind, start, end, groups in _scan(text):
        mention = _resolve(kind, start, end, groups, anchor, future, text[start:end])
        if mention is not None:
            found.append(mention)
    return found


_Found = tuple[str, int, int, tuple[str | None, ...]]  # kind, start, end, groups of one kept match


@lru_cache(maxsize=64)
def _scan(text: str) -> tuple[_Found, ...]:
    """The date expressions of ``text`` before resolution, by start.

    Which matches are kept depends on neither the anchor nor the tense (only an impossible absolute
    date or month number is dropped), so one scan serves every reading of the text."""
    lowered = text.lower()
    if len(lowered) != len(text):  # lower() lengthened a letter ("İ"): offsets differ, scan as written
        return _scan_plain(text, lowered)
    if not _HINT_LOWER.search(lowered):
        return ()
    anchors = _Anchors(lowered)
    found: list[_Found] = []
    taken: list[tuple[int, int]] = []
    for route, (kind, pattern, lower_pattern) in zip(_ROUTES, _PATTERNS_FAST, strict=True):
        string, compiled = (lowered, lower_pattern) if lower_pattern else (text, pattern)
        if route.scan_if and any(s in lowered for s in route.scan_if):
            matches: Iterable[re.Match[str]] = compiled.finditer(string)
        else:
            starts = anchors.starts(route)
            if not starts:
                continue
            matches = _matches_at(compiled, string, starts)
        _keep(kind, matches, text, found, taken)
    found.sort(key=lambda f: f[1])
    return tuple(found)


def _scan_plain(text: str, lowered: str) -> tuple[_Found, ...]:
    """Every pattern over the whole text, in order (the original scan: used when offsets differ)."""
    same_offsets = len(lowered) == len(text)
    if not (_HINT_LOWER if same_offsets else _HINT).search(lowered if same_offsets else text):
        return ()
    found: list[_Found] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern, lower_pattern in _PATTERNS_FAST:
        matches = lower_pattern.finditer(lowered) if lower_pattern and same_offsets else pattern.finditer(text)
        _keep(kind, matches, text, found, taken)
    found.sort(key=lambda f: f[1])
    return tuple(found)


def _keep(kind: str, matches: Iterable[re.Match[str]], text: str, found: list[_Found],
          taken: list[tuple[int, int]]) -> None:
    """Keep the matches that overlap no earlier pattern's match and resolve to a date."""
    for m in matches:
        start, end = m.span()
        if any(s < end and start < e for s, e in taken):
            continue
        groups = m.groups()
        if _resolve(kind, start, end, groups, None, False, "") is not None:
            found.append((kind, start, end, groups))
            taken.append((start, end))


def _matches_at(pattern: re.Pattern[str], string: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(string)`` when its matches can only start at ``starts`` (ascending): the
    leftmost match at or after the end of the previous one, the same match as a search finds there."""
    end = 0
    for start in starts:
        if start >= end:
            m = pattern.match(string, start)
            if m is not None:
                yield m
                end = m.end()


# -- the anchor pass -----------------------------------------------------------------------------
# Every pattern except the Chinese ones starts at the start of a run of word characters: \b (or a
# look-behind for a word character) comes before its first digit or word. So its matches can only
# start where a word run starts, and only at the runs its first token allows: a run of one or two
# digits followed by a space, a dot or a hyphen, a run starting with four digits, or one of its first
# words (month names, prepositions, weekdays, relative words; an exact run, as the pattern demands a
# space, a dot or a word boundary after it). One pass over the lower-cased text's word runs finds
# these anchors (lower-casing keeps every offset and every word boundary where the lengths agree),
# and each pattern is tried there only: patterns of a script the text does not use are tried nowhere.
# The Chinese patterns (and the Chinese and Russian alternatives of two others) scan the whole text
# when a character they need is in it.
@dataclass(frozen=True)
class _Route:
    digits: tuple[str, ...] = ()  # digit anchors: "d12 space", "d12 dot", "d12 hyphen", "d4", "d4 hyphen"
    words: frozenset[str] = frozenset()  # first-word anchors
    needs: str = ""  # a gate: "cyrillic month" / "latin month" after a short number, "month", "weekday", "year"
    scan_if: tuple[str, ...] = ()  # the whole text is scanned when one of these is in it
    scan_only: bool = False  # no anchors at all: scanned when ``scan_if`` allows, else skipped


_ALL_MONTH_WORDS = frozenset(MONTHS)
_WEEKDAY_WORDS = frozenset(WEEKDAYS)
_RELATIVE_FIRST = frozenset((  # the first word of each alternative of the "relative" pattern
    "today", "tonight", "yesterday", "tomorrow", "this", "last", "next", "earlier", "сегодня", "вчера", "завтра",
    "послезавтра", "на", "бүгін", "кеше", "ертең", "келесі", "осы", "бүгүн", "кечээ", "келерки", "ушул", "bugun",
    "kecha", "ertaga", "kelasi", "kelgusi", "shu", "бугун", "кеча", "эртага", "келгуси", "имрӯз", "дирӯз", "фардо",
    "ҳафтаи"))
_D12_NUMBER = ("d12 space", "d12 hyphen")
_ROUTES: tuple[_Route, ...] = (
    _Route(digits=("d4 hyphen",)),  # iso
    _Route(scan_if=("年",), scan_only=True),  # zh
    _Route(digits=("d4",), needs="cyrillic month"),  # ydm_t
    _Route(digits=("d4",), needs="latin month"),  # ydm_t
    _Route(digits=_D12_NUMBER, needs="cyrillic month"),  # dmy_t
    _Route(digits=("d12 hyphen",), needs="latin month"),  # dmy_t
    _Route(words=_ALL_MONTH_WORDS),  # mdy
    _Route(digits=("d12 space",)),  # dmy
    _Route(digits=("d12 dot",)),  # dmy_num
    _Route(words=_ALL_MONTH_WORDS),  # md
    _Route(digits=("d12 space",)),  # dm
    _Route(digits=_D12_NUMBER, needs="cyrillic month"),  # dm_t
    _Route(digits=("d12 hyphen",), needs="latin month"),  # dm_t
    _Route(scan_if=("月",), scan_only=True),  # zh_md
    _Route(words=_ALL_MONTH_WORDS | {"in"}),  # my
    _Route(words=frozenset(("в", "во", "к", "до", "с"))),  # m: "в июле"
    _Route(words=frozenset(("на",))),  # m: "на июль"
    _Route(words=frozenset(TURKIC_MONTHS)),  # m: "шілде айында"
    _Route(words=frozenset(LATIN_TURKIC_MONTHS)),  # m: "iyul oyida"
    _Route(words=frozenset(("моҳи",))),  # m
    _Route(scan_if=("月",), scan_only=True),  # zh_m
    _Route(digits=("d4",)),  # y: "в 2019 году"
    _Route(words=frozenset(("соли",))),  # y
    _Route(scan_if=("年",), scan_only=True),  # y: "2019年"
    _Route(words=frozenset(("in", "since", "last", "this", "next")), needs="month"),  # m: "in March"
    _Route(words=frozenset(("in", "since", "of", "from", "until", "by")), needs="year"),  # y: "in 2019"
    _Route(words=_WEEKDAY_WORDS | {"last", "next", "this", "on"}, needs="weekday"),  # weekday
    _Route(words=frozenset(("next", "last", "this", "later", "earlier")), needs="month word",
           scan_if=("месяце",)),  # month_rel
    _Route(words=_RELATIVE_FIRST, scan_if=("天", "周")),  # relative
)
_WORD_RUN = re.compile(r"\w+")
_ANCHOR_WORDS = frozenset().union(*(r.words for r in _ROUTES), ("month",))
_CYRILLIC_MONTH_STARTS = tuple(TURKIC_MONTHS)
_LATIN_MONTH_STARTS = tuple(LATIN_TURKIC_MONTHS)


class _Anchors:
    """The word runs of a lower-cased text where a date pattern can start, by kind."""

    def __init__(self, lowered: str) -> None:
        self.digits: dict[str, list[int]] = {}
        self.words: dict[str, list[int]] = {}
        gates: set[str] = set()
        digits, words = self.digits, self.words
        for m in _WORD_RUN.finditer(lowered):
            run = m.group()
            start = m.start()
            if run[0].isdecimal():
                if len(run) <= 2 and run.isdecimal():
                    end = m.end()
                    after = lowered[end:end + 1]
                    if after == "-":
                        digits.setdefault("d12 hyphen", []).append(start)
                        if lowered.startswith(_LATIN_MONTH_STARTS, end + 1):
                            gates.add("latin month")
                    elif after == ".":
                        digits.setdefault("d12 dot", []).append(start)
                    elif after.isspace():
                        digits.setdefault("d12 space", []).append(start)
                    if (after == "-" or after.isspace()) and lowered.startswith(_CYRILLIC_MONTH_STARTS, end + 1):
                        gates.add("cyrillic month")
                elif run[:4].isdecimal():
                    digits.setdefault("d4", []).append(start)
                    if len(run) == 4:
                        gates.add("year")
                        if lowered.startswith("-", m.end()):
                            digits.setdefault("d4 hyphen", []).append(start)
            elif run in _ANCHOR_WORDS:
                words.setdefault(run, []).append(start)
        if not _ALL_MONTH_WORDS.isdisjoint(words):
            gates.add("month")
        if not _WEEKDAY_WORDS.isdisjoint(words):
            gates.add("weekday")
        if "month" in words:
            gates.add("month word")
        self.gates = gates

    def starts(self, route: _Route) -> list[int]:
        """Where ``route``'s pattern may start, ascending (empty when its gate is closed)."""
        if route.scan_only or (route.needs and route.needs not in self.gates):
            return []
        found = [p for kind in route.digits for p in self.digits.get(kind, ())]
        found += [p for word in route.words.intersection(self.words) for p in self.words[word]]
        found.sort()
        return found


def _resolve(kind: str, start: int, end: int, g: tuple[str | None, ...], anchor: dt.date | None, future: bool,
             original: str) -> DateMention | None:
    value: str | None = None
    precision = "day"
    category = "absolute"
    if kind in {"iso", "zh"}:
        d = _safe_date(int(g[0]), int(g[1]), int(g[2]))
        value = _iso(d) if d else None
    elif kind == "mdy":
        d = _safe_date(int(g[2]), _month(g[0]), int(g[1]))
        value = _iso(d) if d else None
    elif kind == "ydm_t":
        d = _safe_date(int(g[0]), _month(g[2]), int(g[1]))
        value = _iso(d) if d else None
    elif kind in {"dmy", "dmy_t"}:
        d = _safe_date(int(g[2]), _month(g[1]), int(g[0]))
        value = _iso(d) if d else None
    elif kind == "dmy_num":
        d = _safe_date(int(g[2]), int(g[1]), int(g[0]))
        value = _iso(d) if d else None
    elif kind in {"md", "dm", "dm_t", "zh_md"}:
        category = "partial"
        if kind == "zh_md":
            month, day = int(g[0]), int(g[1])
        else:
            month, day = (_month(g[0]), int(g[1])) if kind == "md" else (_month(g[1]), int(g[0]))
        if not 1 <= month <= 12:
            return None
        if anchor is not None:
            d = _safe_date(anchor.year, month, day)
            if d is not None and (d - anchor).days > 180:
                d = _safe_date(anchor.year - 1, month, day)
            value = _iso(d) if d else None
    elif kind == "my":
        value, precision = f"{int(g[1]):04d}-{_month(g[0]):02d}", "month"
    elif kind in {"m", "zh_m"}:
        category, precision = "partial", "month"
        month = int(g[0]) if kind == "zh_m" else _month(g[0])
        if not 1 <= month <= 12:
            return None
        if anchor is not None:
            year = anchor.year if month <= anchor.month or future else anchor.year - 1
            value = f"{year:04d}-{month:02d}"
    elif kind == "y":
        value, precision = g[0], "year"
    elif kind == "weekday":
        category = "relative"
        if anchor is not None:
            target = WEEKDAYS[_fold(g[1])]
            qualifier = (g[0] or "").lower()
            if qualifier == "next" or (future and qualifier != "last"):
                delta = (target - anchor.weekday()) % 7
                if qualifier == "next" and delta == 0:
                    delta = 7
                value = _iso(anchor + dt.timedelta(days=delta))
            else:
                value = _iso(anchor - dt.timedelta(days=(anchor.weekday() - target) % 7))
    elif kind == "month_rel":
        category, precision = "relative", "month"
        word = (g[0] or g[1] or "").lower()
        step = 1 if word in {"next", "следующем"} else -1 if word in {"last", "прошлом"} else 0
        if anchor is not None:
            month_index = anchor.year * 12 + anchor.month - 1 + step
            value = f"{month_index // 12:04d}-{month_index % 12 + 1:02d}"
    else:
        category = "relative"
        word = (g[0] or g[1] or "").lower()
        offsets = {"today": 0, "tonight": 0, "this morning": 0, "сегодня": 0, "今天": 0,
                   "yesterday": -1, "вчера": -1, "昨天": -1, "tomorrow": 1, "завтра": 1, "明天": 1,
                   "this week": 0, "earlier this week": 0, "last week": -7, "next week": 7, **_OTHER_RELATIVE,
                   **_OTHER_WEEKS}
        if word in {"this week", "last week", "next week", "earlier this week", *_OTHER_WEEKS}:
            precision = "week"
        if anchor is not None:
            value = _iso(anchor + dt.timedelta(days=offsets.get(word, 0)))
    if value is None and category == "absolute":
        return None
    return DateMention(start, end, original, category, value,
                       precision if value else "unknown")


_DASH = r"\s*(?:-|–|—|to|until|through)\s*"
_RANGES: list[tuple[str, re.Pattern[str]]] = [
    # March 1-3, 2023 / March 1 to 3 / from March 1 to March 3, 2023
    ("md-d", re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?{_DASH}(?:({_MONTH_RE})\.?\s+)?"
                        rf"(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", re.I)),
    # 1-3 March 2023 / 28 February to 1 March 2023
    ("d-dm", re.compile(rf"\b(\d{{1,2}})(?:\s+({_MONTH_RE})\.?)?{_DASH}(\d{{1,2}})\s+({_MONTH_RE})\.?"
                        rf"(?:,?\s+(\d{{4}}))?\b", re.I)),
]
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10}
_DURATION = re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})-day\b", re.I)


@dataclass(frozen=True)
class DateRange:
    """A span of days ("March 1-3, 2023"), both ends resolved."""

    start: int
    end: int
    text: str
    first: str
    last: str


def _year_for(month: int, day: int, year: str | None, anchor: dt.date | None) -> int | None:
    if year:
        return int(year)
    if anchor is None:
        return None
    d = _safe_date(anchor.year, month, day)
    return anchor.year - 1 if d is not None and (d - anchor).days > 180 else anchor.year


def find_date_ranges(text: str, anchor: dt.date | None) -> list[DateRange]:
    """Day ranges with both ends resolved (the year from the text, else from ``anchor``)."""
    return list(_date_ranges(text, anchor)) if _DIGIT.search(text) else []  # a range has two numbers


_DIGIT = re.compile(r"[\d]")  # a character set: searched without trying the pattern at each position


# The range patterns compiled case-sensitive, run over the lower-cased text where that finds what re.IGNORECASE
# finds over the text: where lower-casing keeps the length (one character for one) and the text has none of
# the letters re.IGNORECASE equates to a pattern's letter beyond lower case (Python's ``re._casefix``:
# dotless "ı" for "i", long "ſ" for "s", the old Cyrillic forms "ᲀ", "ᲂ" ...). ``\d``, ``\s`` and ``\b`` read a
# character and its lower case alike.
_RANGES_LOWER = [(kind, re.compile(pattern.pattern, pattern.flags & ~re.I)) for kind, pattern in _RANGES]


def _ignorecase_extras(patterns: list[str]) -> str:
    """The characters re.IGNORECASE matches to a letter of ``patterns`` other than those lower-casing to it."""
    try:
        from re._casefix import _EXTRA_CASES  # CPython 3.11+
    except ImportError:  # another interpreter: every non-ASCII text takes the re.IGNORECASE path
        return ""
    letters = {c for p in patterns for c in p if c.isalpha()}
    return "".join(sorted({chr(x) for c in letters for x in _EXTRA_CASES.get(ord(c.lower()), ())}))


_RANGE_EXTRAS = _ignorecase_extras([p.pattern for _, p in _RANGES])
_RANGE_LOWER_UNSAFE = re.compile(f"[{re.escape(_RANGE_EXTRAS)}]") if _RANGE_EXTRAS else None


def _range_matches(text: str) -> Iterator[tuple[str, re.Match[str]]]:
    """(kind, match) of each range pattern over ``text``, pattern by pattern: ``pattern.finditer(text)``."""
    if not text.isascii():
        lowered = text.lower()
        if _RANGE_LOWER_UNSAFE is None or len(lowered) != len(text) or _RANGE_LOWER_UNSAFE.search(lowered):
            for kind, pattern in _RANGES:
                for m in pattern.finditer(text):
                    yield kind, m
            return
    else:
        lowered = text.lower()
    for kind, pattern in _RANGES_LOWER:
        for m in pattern.finditer(lowered):
            yield kind, m


@lru_cache(maxsize=256)
def _date_ranges(text: str, anchor: dt.date | None) -> tuple[DateRange, ...]:
    """A sentence's ranges: read by the events once per sentence and again for each event's span."""
    out: list[DateRange] = []
    for kind, m in _range_matches(text):
        g = m.groups()
        if kind == "md-d":
            m1, d1, m2, d2, year = _month(g[0]), int(g[1]), _month(g[2]) if g[2] else None, int(g[3]), g[4]
            m2 = m2 or m1
        else:
            d1, m1_token, d2, m2, year = int(g[0]), g[1], int(g[2]), _month(g[3]), g[4]
            m1 = _month(m1_token) if m1_token else m2
        y2 = _year_for(m2, d2, year, anchor)
        if y2 is None:
            continue
        y1 = y2 - 1 if m1 > m2 else y2
        first, last = _safe_date(y1, m1, d1), _safe_date(y2, m2, d2)
        if first is None or last is None or not 0 < (last - first).days <= 31:
            continue
        out.append(DateRange(m.start(), m.end(), text[m.start():m.end()], _iso(first), _iso(last)))
    return tuple(sorted(out, key=lambda r: r.start))


def duration_days(text: str) -> int | None:
    """The length of a stay in days: "a three-day visit" -> 3."""
    m = _DURATION.search(text)
    if not m:
        return None
    token = m.group(1).lower()
    days = _NUMBER_WORDS.get(token) or (int(token) if token.isdigit() else 0)
    return days if 1 < days <= 31 else None
