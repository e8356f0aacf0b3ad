"""What each source of a story adds: sentences and facts found in one article and no other.

Pure functions over plain inputs (``ArticleFacts``), so they run without a store.

How two articles are compared:
- same language: each sentence is compared by words with the other article's sentences and
  pairs of adjacent sentences (so a sentence split in two still matches). The score is the
  share of the sentence's content words (lower-cased, stop words out, cut to a 5-character
  stem, CJK as character bigrams) found in the best match. Below ``NEW_BELOW`` the sentence is
  ``new``; below ``PARTLY_NEW_BELOW`` and with at least ``MIN_NEW_WORDS`` words missing from the
  whole other article it is ``partly new`` (a rewrite that adds a detail);
- different languages (words cannot be compared): a sentence counts as new when it holds a
  fact the other article lacks; a sentence without facts is never reported.
A sentence is reported only when no other article of the story covers it.

Facts compared (by value, so they work across languages): countries (ISO3), people (entity id),
places (by canonical name when the gazetteer knows the place: Астану, 阿斯塔纳 and Astana are one
key, set by the loader in ``steppewatch.query.stories``), dates (ISO; a month matches any day in
it), numbers with their unit (quantities, money, percentages; years and numbers inside dates are
left to dates), quotes of four words or more (by words in the same language, by speaker across
languages), and visits/meetings (type, actor, host country, date, counterpart, status; an
unknown host, date or counterpart matches any). Each fact keeps the offsets of its first
occurrence and of the sentence holding it.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from steppewatch.extract.text import Sentence, split_sentences

# Share of a sentence's content words found in the best match, below which it is new.
NEW_BELOW = 0.4
# Below this share a sentence is "partly new" when it also has MIN_NEW_WORDS unseen words.
PARTLY_NEW_BELOW = 0.7
MIN_NEW_WORDS = 3
# ... and when those unseen words are at least this share of its content words.
MIN_NEW_SHARE = 0.2
# Sentences with fewer content words are not reported (credits, fragments).
MIN_SENTENCE_WORDS = 4
# Quotes shorter than this many words are scare quotes ("American card"), not speech.
MIN_QUOTE_WORDS = 4
# Two quotes in one language match when this share of the shorter one's words is shared.
QUOTE_MATCH = 0.5
STEM = 5

FACT_KINDS: tuple[str, ...] = ("event", "quote", "number", "date", "person", "place", "country", "org")

_STOP = frozenset("""
a an the of to in on at for and or but nor is are was were be been being has have had do does did
with by from as that this these those which who whom whose it its their they them he she his her
him we our us you your i not no will would shall should can could may might must said say says
told also just than then there here so such into about after before over under all any some very
what when where while if because since until up out off only more most other its own same both
each few how why again further once through via
today yesterday tomorrow year years month months week weeks day days time one two reported report
reports came come comes become became according added including
и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне
было вот от меня еще нет о из ему теперь когда даже ну ли если уже или ни быть был него до вас
нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их
чем была сам чтобы без будто чего раз тоже себе под будет ж тогда кто этот того потому этого какой
совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех никогда можно при
наконец два об другой хоть после над больше тот через эти нас про всего них какая много разве
три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им более всегда
конечно всю между это также заявил сообщил
""".split())  # noqa: SIM905 -- a long word list reads better as text

_WORD = re.compile(r"\w+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_CJK_SPLIT = re.compile(r"[。！？]")

_QUOTE = re.compile(r"“([^”\n]{3,800})”|\"([^\"\n]{3,800})\"|«([^»\n]{3,800})»|„([^“”\n]{3,800})[“”]"
                    r"|「([^」\n]{2,800})」|『([^』\n]{2,800})』")

_SCALES: dict[str, float] = {
    "thousand": 1e3, "тыс": 1e3, "тысяч": 1e3, "тысячи": 1e3, "тысяча": 1e3,
    "million": 1e6, "millions": 1e6, "mln": 1e6, "m": 1e6, "млн": 1e6, "миллион": 1e6, "миллиона": 1e6,
    "миллионов": 1e6, "billion": 1e9, "billions": 1e9, "bn": 1e9, "b": 1e9, "млрд": 1e9, "миллиард": 1e9,
    "миллиарда": 1e9, "миллиардов": 1e9, "trillion": 1e12, "трлн": 1e12, "триллион": 1e12,
    "триллиона": 1e12, "триллионов": 1e12,
}
_UNITS: dict[str, str] = {
    "%": "%", "percent": "%", "per cent": "%", "процента": "%", "процентов": "%", "процент": "%",
    "$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "долларов": "USD", "доллара": "USD",
    "долл": "USD", "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "евро": "EUR",
    "£": "GBP", "¥": "CNY", "yuan": "CNY", "юаней": "CNY", "₸": "KZT", "tenge": "KZT", "тенге": "KZT",
    "₽": "RUB", "rubles": "RUB", "roubles": "RUB", "рублей": "RUB", "рубля": "RUB", "руб": "RUB",
    "tonnes": "t", "tons": "t", "tonne": "t", "ton": "t", "тонн": "t", "тонны": "t",
    "km": "km", "км": "km", "kilometres": "km", "kilometers": "km", "километров": "km",
    "people": "people", "человек": "people",
}
_SCALE_RE = "|".join(sorted((re.escape(s) for s in _SCALES), key=len, reverse=True))
_UNIT_RE = "|".join(sorted((re.escape(u) for u in _UNITS if u not in "$€£¥₸₽"), key=len, reverse=True))
_NUMBER = re.compile(
    rf"(?<![\w+.,/-])(?P<cur>[$€£¥₸₽])?\s?"
    rf"(?P<num>\d{{1,3}}(?:[,\u00a0\u202f ]\d{{3}})+(?:\.\d+)?|\d+(?:[.,]\d+)?)(?![\d])"
    rf"(?:[\s\u00a0]?(?P<scale>{_SCALE_RE})\.?(?!\w))?"
    rf"(?:[\s\u00a0]?(?P<unit>%|{_UNIT_RE})\.?(?!\w))?"
    rf"(?![\w-])", re.IGNORECASE)


# -- inputs ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class MentionFact:
    """An extracted mention: kind (country/person/place/date/org), comparable key, label."""

    kind: str
    key: str
    label: str
    start: int
    end: int
    in_caption: bool = False


@dataclass(frozen=True)
class EventFact:
    """A visit or meeting reported by an article, with the offsets of its evidence."""

    type: str
    actor: str | None
    host_country: str | None
    date: str | None
    status: str | None
    start: int
    end: int
    counterpart: str | None = None  # a person's name, a format (C5+1), or None
    place: str | None = None


@dataclass(frozen=True)
class ArticleFacts:
    """One article of a story as the comparison needs it."""

    article_id: str
    source: str | None
    language: str | None
    text: str
    mentions: tuple[MentionFact, ...] = ()
    events: tuple[EventFact, ...] = ()
    captions: tuple[tuple[int, int], ...] = ()


# -- outputs --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Fact:
    """A fact found in one article; offsets of its first occurrence and of its sentence."""

    kind: str
    key: str
    label: str
    start: int
    end: int
    context_start: int
    context_end: int
    context: str
    in_caption: bool = False


@dataclass(frozen=True)
class Passage:
    """A sentence of one article that no other article of the story covers."""

    start: int
    end: int
    text: str
    status: str  # "new" or "partly new"
    similarity: float | None  # best word match in another article (None: compared by facts)
    new_words: tuple[str, ...] = ()  # words of the sentence absent from the other articles
    in_caption: bool = False


@dataclass
class SourceContribution:
    """What one article adds to its story."""

    article_id: str
    source: str | None
    language: str | None
    passages: list[Passage] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    compared_with: int = 0

    @property
    def adds_nothing(self) -> bool:
        """True when the article has no sentence and no fact of its own."""
        return not self.passages and not self.facts


# -- text helpers ---------------------------------------------------------------------------
def language_code(language: str | None) -> str | None:
    """``en`` for ``en-GB``/``EN``; None for empty or undetermined."""
    code = re.split(r"[-_]", (language or "").strip().lower())[0]
    return None if code in ("", "und", "unknown", "none") else code


def dominant_script(text: str) -> str:
    """The most frequent script of the letters of ``text`` (LATIN, CYRILLIC, CJK, ...)."""
    counts: dict[str, int] = {}
    for ch in text[:4000]:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            script = "CJK" if _CJK.match(ch) else (name.split(" ")[0] if name else "?")
            counts[script] = counts.get(script, 0) + 1
    return max(counts, key=lambda s: counts[s]) if counts else "?"


def same_language(a: ArticleFacts, b: ArticleFacts) -> bool:
    """Whether two articles can be compared word by word."""
    la, lb = language_code(a.language), language_code(b.language)
    if la and lb:
        return la == lb
    return dominant_script(a.text) == dominant_script(b.text)


def content_terms(text: str) -> list[tuple[str, str]]:
    """(stem, surface) of the content words of ``text``; CJK runs become character bigrams."""
    out: list[tuple[str, str]] = []
    for m in _WORD.finditer(text.lower()):
        word = m.group(0)
        if _CJK.search(word):
            chars = [c for c in word if _CJK.match(c)]
            out.extend(("".join(p), "".join(p)) for p in itertools.pairwise(chars))
            continue
        if word in _STOP or (len(word) < 2 and not word.isdigit()):
            continue
        out.append((stem(word), text[m.start():m.end()]))
    return out


_SUFFIX = re.compile(r"(?:ing|ed|es|s|ly)$")


def stem(word: str) -> str:
    """A crude stem: English inflections off (Latin letters only), then the first STEM characters."""
    if word.isascii() and word.isalpha() and len(word) > 4:
        cut = _SUFFIX.sub("", word)
        if len(cut) >= 3:
            word = cut[:-1] if len(cut) > 3 and cut[-1] == cut[-2] and cut[-1] not in "aeiou" else cut
    return word[:STEM]


def terms(text: str) -> set[str]:
    """The set of content stems of ``text``."""
    return {st for st, _ in content_terms(text)}


def sentences(text: str) -> list[Sentence]:
    """Sentences with offsets; CJK full stops split too."""
    out: list[Sentence] = []
    for s in split_sentences(text):
        start = s.start
        for m in _CJK_SPLIT.finditer(s.text):
            piece = s.text[start - s.start:m.end()]
            if piece.strip():
                out.append(Sentence(start, s.start + m.end(), piece))
            start = s.start + m.end()
        rest = text[start:s.end]
        if rest.strip():
            lead = len(rest) - len(rest.lstrip())
            out.append(Sentence(start + lead, s.end, rest.strip()))
    return out


def _in_caption(start: int, end: int, captions: Iterable[tuple[int, int]]) -> bool:
    return any(cs <= start and end <= ce for cs, ce in captions)


def _sentence_at(sents: Sequence[Sentence], start: int, end: int) -> tuple[int, int]:
    for s in sents:
        if s.start <= start < s.end or (start == end == s.end):
            return s.start, max(s.end, end)
    return start, end


# -- numbers and quotes ---------------------------------------------------------------------
@dataclass(frozen=True)
class _Number:
    value: str
    unit: str
    start: int
    end: int
    text: str


def find_numbers(text: str, skip: Iterable[tuple[int, int]] = ()) -> list[_Number]:
    """Quantities, money and percentages in ``text`` (English and Russian notation).

    A comma followed by exactly three digits groups thousands; any other comma is a decimal
    mark. Bare integers 1900-2100 are years (left to dates), as are numbers inside ``skip``.
    """
    skip = list(skip)
    out: list[_Number] = []
    for m in _NUMBER.finditer(text):
        start, end = m.start("num"), m.end()
        if m.group("cur"):
            start = m.start("cur")
        if any(s < m.end("num") and m.start("num") < e for s, e in skip):
            continue
        raw = m.group("num")
        if re.fullmatch(r"\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?:\.\d+)?", raw):
            number = float(re.sub(r"[,\u00a0\u202f ]", "", raw))
        else:
            number = float(raw.replace(",", "."))
        scale_word = (m.group("scale") or "").lower()
        unit_word = (m.group("unit") or "").lower()
        currency = m.group("cur") or ""
        if scale_word in ("m", "b") and not currency:
            scale_word = ""  # "5 m" is metres, "5 b" nothing: only "$5m" / "$5bn" scale
            end = m.end("num")
        unit = _UNITS.get(unit_word, "") or _UNITS.get(currency, "")
        if not unit_word:
            end = m.end("scale") if scale_word else m.end("num")
        if not (scale_word or unit) and number.is_integer() and 1900 <= number <= 2100:
            continue
        value = number * _SCALES.get(scale_word, 1.0)
        key = str(int(value)) if value.is_integer() and value < 1e15 else f"{value:.6g}"
        out.append(_Number(key, unit, start, end, text[start:end]))
    return out


@dataclass(frozen=True)
class _Quote:
    start: int
    end: int
    content: str
    speaker: str | None


def find_quotes(text: str, people: Sequence[MentionFact]) -> list[_Quote]:
    """Quoted speech of at least MIN_QUOTE_WORDS words, with the nearest person named in the
    same sentence (after the quote first: "..., Tokayev told Blinken")."""
    sents = sentences(text)
    out: list[_Quote] = []
    for m in _QUOTE.finditer(text):
        content = next(g for g in m.groups() if g is not None)
        n_words = len(_WORD.findall(content))
        if _CJK.search(content):
            n_words = len(_CJK.findall(content)) // 2
        if n_words < MIN_QUOTE_WORDS:
            continue
        lo = _sentence_at(sents, m.start(), m.start())[0]
        hi = _sentence_at(sents, max(m.end() - 1, m.start()), m.end())[1]
        after = [p for p in people if m.end() <= p.start <= max(hi, m.end() + 80)]
        before = [p for p in people if lo - 1 <= p.start and p.end <= m.start()]
        speaker = after[0].key if after else (before[-1].key if before else None)
        out.append(_Quote(m.start(), m.end(), content, speaker))
    return out


# -- facts of one article -------------------------------------------------------------------
@dataclass(frozen=True)
class _Item:
    """A fact occurrence plus what matching needs."""

    fact: Fact
    terms: frozenset[str] = frozenset()  # quotes: content stems
    speaker: str | None = None  # quotes
    unit: str = ""  # numbers
    event: EventFact | None = None


def _event_label(e: EventFact) -> str:
    parts = [e.type, e.actor or "?"]
    if e.counterpart:
        parts.append(f"with {e.counterpart}")
    if e.host_country or e.place:
        parts.append("in " + ", ".join(p for p in (e.place, e.host_country) if p))
    parts.append(e.date or "undated")
    if e.status:
        parts.append(e.status)
    return " ".join(parts[:2]) + " " + " · ".join(parts[2:])


def _facts_of(article: ArticleFacts) -> list[_Item]:
    text = article.text
    sents = sentences(text)
    items: list[_Item] = []

    def fact(kind: str, key: str, label: str, start: int, end: int, caption: bool | None = None) -> Fact:
        cs, ce = _sentence_at(sents, start, end)
        if caption is None:
            caption = _in_caption(start, end, article.captions)
        return Fact(kind, key, label, start, end, cs, ce, text[cs:ce], caption)

    for m in article.mentions:
        if m.kind in ("country", "person", "place", "date", "org") and m.key:
            items.append(_Item(fact(m.kind, m.key, m.label, m.start, m.end, m.in_caption)))
    dates = [(m.start, m.end) for m in article.mentions if m.kind == "date"]
    for n in find_numbers(text, dates):
        label = f"{n.text} ({n.value}{' ' + n.unit if n.unit else ''})" if n.text != n.value else n.text
        items.append(_Item(fact("number", f"{n.value}|{n.unit}", label, n.start, n.end), unit=n.unit))
    people = sorted((m for m in article.mentions if m.kind == "person"), key=lambda p: p.start)
    labels = {p.key: p.label for p in people}
    for q in find_quotes(text, people):
        short = q.content if len(q.content) <= 90 else q.content[:87] + "…"
        who = labels.get(q.speaker or "", "")
        label = f"{who}: “{short}”" if who else f"“{short}”"
        items.append(_Item(fact("quote", q.content, label, q.start, q.end), terms=frozenset(terms(q.content)),
                           speaker=q.speaker))
    for e in article.events:
        items.append(_Item(fact("event", _event_label(e), _event_label(e), e.start, e.end), event=e))
    return items


def _dates_match(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def _either_none_or_equal(a: object, b: object) -> bool:
    return a is None or b is None or a == "" or b == "" or a == b


def events_match(a: EventFact, b: EventFact) -> bool:
    """Same type and actor; host, date, counterpart and status agree or one is unknown."""
    return (a.type == b.type and _either_none_or_equal(a.actor, b.actor)
            and _either_none_or_equal(a.host_country, b.host_country)
            and (not a.date or not b.date or _dates_match(a.date, b.date))
            and _either_none_or_equal(a.counterpart, b.counterpart)
            and _either_none_or_equal(a.status, b.status))


def _matches(item: _Item, other: _Item, same_lang: bool) -> bool:
    a, b = item.fact, other.fact
    if a.kind != b.kind:
        return False
    if a.kind == "date":
        return _dates_match(a.key, b.key)
    if a.kind == "number":
        va, vb = a.key.split("|")[0], b.key.split("|")[0]
        return va == vb and (not item.unit or not other.unit or item.unit == other.unit)
    if a.kind == "quote":
        if same_lang:
            small = min(item.terms, other.terms, key=len)
            return bool(small) and len(item.terms & other.terms) / len(small) >= QUOTE_MATCH
        return item.speaker is not None and item.speaker == other.speaker
    if a.kind == "event":
        return item.event is not None and other.event is not None and events_match(item.event, other.event)
    return a.key == b.key


def _unique_items(items: list[_Item], others: list[tuple[list[_Item], bool]]) -> list[_Item]:
    """Items no other article matches, first occurrence of each (outside captions first)."""
    seen: list[_Item] = []
    for item in sorted(items, key=lambda i: (i.fact.in_caption, i.fact.start)):
        if any(_matches(item, s, True) for s in seen):
            continue
        seen.append(item)
    out = []
    for item in seen:
        if item.fact.kind == "quote" and item.speaker is None and any(not same for _, same in others):
            continue  # a quote without a speaker cannot be compared across languages
        if not any(_matches(item, o, same) for other_items, same in others for o in other_items):
            out.append(item)
    return out


# -- passages -------------------------------------------------------------------------------
@functools.lru_cache(maxsize=256)
def _windows(text: str) -> tuple[frozenset[str], ...]:
    """Content stems of each sentence and of each pair of adjacent sentences (cached per text)."""
    sets = [frozenset(terms(s.text)) for s in sentences(text)]
    return (*sets, *(a | b for a, b in itertools.pairwise(sets)))


@functools.lru_cache(maxsize=256)
def _vocabulary(text: str) -> frozenset[str]:
    return frozenset(terms(text))


def _passages(article: ArticleFacts, others: list[ArticleFacts], items: list[_Item],
              other_items: list[list[_Item]]) -> list[Passage]:
    same = [o for o in others if same_language(article, o)]
    windows = [w for o in same for w in _windows(o.text)]
    vocab = frozenset().union(*(_vocabulary(o.text) for o in same))
    cross = [(o, oi) for o, oi in zip(others, other_items, strict=True) if not same_language(article, o)]
    out: list[Passage] = []
    for s in sentences(article.text):
        found = content_terms(s.text)
        stems = {st for st, _ in found}
        if len(stems) < MIN_SENTENCE_WORDS:
            continue
        caption = _in_caption(s.start, s.end, article.captions)
        status: str | None = None
        similarity: float | None = None
        new_words: tuple[str, ...] = ()
        if same:
            similarity = max((len(stems & w) / len(stems) for w in windows), default=0.0)
            unseen = list(dict.fromkeys(surface for st, surface in found if st not in vocab))
            new_words = tuple(unseen)
            if similarity < NEW_BELOW:
                status = "new"
            else:
                unseen_stems = len(stems - vocab)
                if (similarity < PARTLY_NEW_BELOW and unseen_stems >= MIN_NEW_WORDS
                        and unseen_stems / len(stems) >= MIN_NEW_SHARE):
                    status = "partly new"
        if cross and (status is not None or not same):
            inside = [i for i in items if s.start <= i.fact.start and i.fact.end <= s.end and i.fact.kind != "quote"]
            lacking = [i for i in inside
                       if not any(_matches(i, o, False) for _, oi in cross for o in oi)]
            if not inside or not lacking:
                status = None  # another-language source covers every fact of the sentence
            elif status is None:
                status = "new"
                new_words = tuple(dict.fromkeys(i.fact.label for i in lacking))
        if status:
            out.append(Passage(s.start, s.end, s.text, status, similarity, new_words, caption))
    return out


def compare_sources(articles: list[ArticleFacts]) -> list[SourceContribution]:
    """For each article of a story (same order), the sentences and facts no other article has."""
    all_items = [_facts_of(a) for a in articles]
    result: list[SourceContribution] = []
    for i, article in enumerate(articles):
        others = [o for j, o in enumerate(articles) if j != i]
        other_items = [it for j, it in enumerate(all_items) if j != i]
        contribution = SourceContribution(article.article_id, article.source, article.language,
                                          compared_with=len(others))
        if others:
            pairs = [(it, same_language(article, o)) for o, it in zip(others, other_items, strict=True)]
            unique = _unique_items(all_items[i], pairs)
            order = {k: n for n, k in enumerate(FACT_KINDS)}
            contribution.facts = sorted((u.fact for u in unique), key=lambda f: (order.get(f.kind, 99), f.start))
            contribution.passages = _passages(article, others, all_items[i], other_items)
        result.append(contribution)
    return result
