"""Paragraph-level cleaning of news text: boilerplate out, captions apart, byline, dateline,
source and title found. Works on plain text (HTML is reduced to text first)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from steppewatch.clean.decode import clean_control_chars

AGENCIES = ["Reuters", "AP", "Associated Press", "AFP", "Agence France-Presse", "Xinhua", "TASS",
            "Interfax", "RIA Novosti", "Kazinform", "Central News Agency", "CNA", "Trend", "AKIpress",
            "Kabar", "Dunyo", "UzA", "Khovar", "Asia-Plus", "Anadolu", "Bloomberg", "Eurasianet",
            "RFE/RL", "Azattyq", "Tengrinews", "Kun.uz", "24.kg", "Xinhua News Agency"]
_AGENCY_RE = "|".join(sorted((re.escape(a) for a in AGENCIES), key=len, reverse=True))

# Paragraphs that are never article text.
_DROP = [re.compile(p, re.I) for p in [
    r"^please read on", r"^read more\b", r"^continue reading", r"^click here", r"^advertisement$",
    r"^(share|tweet|subscribe|sign up)\b.{0,60}$", r"^your email address will not be published",
    r"required fields are marked", r"^all rights reserved", r"^copyright\b",
    rf"^\((?:{_AGENCY_RE})\)\s*$",
    r"^(?:also read|see also|recommended|most read|trending)\b",
]]
# Paragraphs after which only page furniture follows.
_TAIL = re.compile(r"^(leave a (reply|comment)|related (posts|articles|stories)|comments?\s*$|"
                   r"you may also like|more from|post navigation)", re.I)
_CAPTION = [re.compile(p) for p in [
    r"^©", r"^(?:FILE )?PHOTO\b", r"^Photo:", r"\((?:left|right|center|centre)\)",
    r"via REUTERS\s*$", r"/Pool\b", r"\bAP Photo\b", r"Getty Images", r"^\(Photo",
]]
# Headlines as listed by aggregator sites: "Title Reuters via", "Title By Reuters".
_AGGREGATOR_HEADLINE = re.compile(rf"^(.{{15,220}}?)\s*(?:\b(?:{_AGENCY_RE}) via|\bBy (?:{_AGENCY_RE}))\s*$")
# What such a headline ends with, trailing spaces aside: the pattern is tried only there.
_AGGREGATOR_ENDS = ("via", *AGENCIES)


def _aggregator_headline(para: str) -> re.Match[str] | None:
    """``_AGGREGATOR_HEADLINE.match(para)``, not tried on a paragraph that does not end as it must."""
    return _AGGREGATOR_HEADLINE.match(para) if para.rstrip().endswith(_AGGREGATOR_ENDS) else None
_BYLINE = re.compile(r"^(?:By|BY|Written by)\s+([A-Z][\w'.-]+(?:\s+(?:and\s+)?[A-Z][\w'.-]+){1,4})\s*$")
_DATELINE = re.compile(
    rf"^([A-Z][A-Z .'-]{{2,}}(?:,\s*[A-Z][A-Za-z .'-]+)?(?:,\s*[A-Z][a-z]{{2,9}}\.?\s+\d{{1,2}})?)\s*"
    rf"\(({_AGENCY_RE})\)\s*[-–—]+\s*")
_SOURCE_LEDE = re.compile(rf"^\(({_AGENCY_RE})\)\s*")
# Datelines of Russian, Kazakh and Chinese agencies: (pattern, source); group 1 is the place and date.
_AGENCY_DATELINES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^([А-ЯЁ][А-ЯЁ .-]{2,},\s*\d{1,2}\s+[а-яё]+(?:\s+\d{4}(?:\s+года)?)?)\.?\s*"
                r"/(?:Корр\.\s*)?ТАСС/\.?\s*"), "TASS"),
    (re.compile(r"^([А-ЯЁ][А-ЯЁ .-]{2,},\s*\d{1,2}\s+[а-яё]+(?:\s+\d{4})?)\s*[–—-]\s*РИА Новости\.?\s*"),
     "RIA Novosti"),
    (re.compile(r"^([А-ЯЁ][А-ЯЁ .-]{2,},\s*\d{1,2}\s+[а-яё]+(?:\s+\d{4})?)\.?\s*/?\s*Интерфакс/?\s*[–—-]?\s*"),
     "Interfax"),
    (re.compile(r"^([А-ЯЁӘҒҚҢӨҰҮҺІA-Z][А-ЯЁӘҒҚҢӨҰҮҺІA-Z .-]{2,})\.\s*(?:КАЗИНФОРМ|KAZINFORM|ҚАЗАҚПАРАТ)\s*[–—-]\s*"),
     "Kazinform"),
    (re.compile(r"^新华社([\u4e00-\u9fff]{2,8}?(?:\d{4}年)?\d{1,2}月\d{1,2}日)电\s*(?:（[^）]{0,40}）)?\s*"), "Xinhua"),
    (re.compile(r"^中新社([\u4e00-\u9fff]{2,8}?(?:\d{4}年)?\d{1,2}月\d{1,2}日)电\s*(?:（[^）]{0,40}）)?\s*"),
     "China News Service"),
]


def agency_dateline(paragraph: str) -> tuple[str, str, int] | None:
    """(dateline: place and any date, source, end of the dateline) for a Russian/Kazakh/Chinese
    agency lede, else None."""
    for pattern, source in _AGENCY_DATELINES:
        m = pattern.match(paragraph)
        if m:
            return m.group(1).strip(), source, m.end()
    return None


@dataclass
class CleanedText:
    """Cleaned body with metadata found in the text and caption offsets."""

    text: str
    title: str | None = None
    source: str | None = None
    byline: str | None = None
    dateline: str | None = None
    captions: list[tuple[int, int]] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def _paragraphs(text: str) -> list[str]:
    blocks = re.split(r"\n\s*\n", text)
    if len(blocks) <= 2 and text.count("\n") > 3:
        blocks = text.split("\n")
    return [" ".join(b.split()) for b in blocks if b.strip()]


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[A-Za-z]{4,}", text.lower())}


def _looks_like_headline(paragraph: str) -> bool:
    return len(paragraph) < 220 and not paragraph.rstrip().endswith((".", "\"", "”"))


# A location line under an official headline: up to five capitalised words ("Novo-Ogaryovo, Moscow Region").
_LOCATION_LINE = re.compile(r"(?:The\s+)?[A-Z][\w'’.-]+(?:(?:,\s*|\s+)(?:[A-Z][\w'’.-]+|of|the)){0,4}")
_NOT_LOCATION = re.compile(r"\b(?:Office|Spokesperson|Press|Statement|Readout|Remarks|Media|Note|Department|Bureau|"
                           r"Briefing|Release|Transcript|Update|Fact|Sheet|Secretary|President|Minister|Reuters|"
                           r"Associated|AFP|TASS|Xinhua|By)\b")


def clean_text(text: str, declared_title: str | None = None) -> CleanedText:
    """Split ``text`` into title, body and captions; drop boilerplate.

    Control characters, zero-width/bidi marks and non-characters are removed first, so names
    match and nothing invisible is stored (the caller keeps the decoded original as raw text).
    """
    paragraphs = _paragraphs(clean_control_chars(text))
    result = CleanedText(text="")
    body: list[str] = []
    captions: list[str] = []
    headlines: list[str] = []
    for index, para in enumerate(paragraphs):
        if _TAIL.match(para):
            result.dropped.extend(paragraphs[index:])
            break
        m = _aggregator_headline(para)
        if m:
            headlines.append(m.group(1).strip())
            continue
        if any(p.search(para) for p in _DROP):
            result.dropped.append(para)
            continue
        if any(p.search(para) for p in _CAPTION):
            captions.append(para)
            continue
        m = _BYLINE.match(para)
        if m and result.byline is None:
            result.byline = m.group(1)
            continue
        if index in {1, 2} and result.dateline is None and _LOCATION_LINE.fullmatch(para) \
                and not _NOT_LOCATION.search(para):
            result.dateline = para  # "The Kremlin, Moscow", "Sochi": an official release's location line
            continue
        m = _DATELINE.match(para)
        if m and result.dateline is None:
            result.dateline = m.group(1).strip().rstrip(",")
            result.source = result.source or m.group(2)
            para = para[m.end():].strip()
        elif result.dateline is None and (lede := agency_dateline(para)) is not None:
            result.dateline = lede[0]
            result.source = result.source or lede[1]
            para = para[lede[2]:].strip()
        else:
            m = _SOURCE_LEDE.match(para)
            if m:
                result.source = result.source or m.group(1)
                para = para[m.end():].strip()
                if body and result.title is None and len(body) == 1:
                    result.title = body[0]
        if para:
            body.append(para)
    body = _drop_unrelated_headlines(body, result)
    words_of_body = _content_words(" ".join(body))
    for headline in headlines:
        words = _content_words(headline)
        related = bool(words) and len(words & words_of_body) / len(words) >= 0.5
        if related and result.title is None:
            result.title = headline
            body.insert(0, headline)
        else:
            result.dropped.append(headline)
    if result.title is None:
        if declared_title:
            result.title = " ".join(declared_title.split())
        elif body:
            first = body[0]
            result.title = first if len(first) <= 160 else first[:157].rsplit(" ", 1)[0] + "..."
    parts = list(body)
    text_out = "\n\n".join(parts)
    for caption in captions:
        start = len(text_out) + (2 if text_out else 0)
        text_out = f"{text_out}\n\n{caption}" if text_out else caption
        result.captions.append((start, start + len(caption)))
    result.text = text_out
    return result


def _drop_unrelated_headlines(body: list[str], result: CleanedText) -> list[str]:
    """Drop headline-like paragraphs at the top that share almost no words with the body."""
    if len(body) < 3:
        return body
    rest = _content_words(" ".join(body[2:]))
    kept: list[str] = []
    for index, para in enumerate(body):
        if index < 2 and _looks_like_headline(para):
            words = _content_words(para)
            if words and len(words & rest) / len(words) < 0.25:
                result.dropped.append(para)
                continue
        kept.append(para)
    return kept
