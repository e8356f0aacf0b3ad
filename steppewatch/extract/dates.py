"""Date expressions: absolute ("February 26, 2023"), partial ("Feb. 24", "in November") and
relative ("today", "Tuesday", "yesterday"), resolved against an anchor (the published date)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7,
    "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
            "saturday": 5, "sunday": 6}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    ("zh", re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")),
    ("mdy", re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)),
    ("dmy", re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I)),
    ("dmy_num", re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")),
    ("md", re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*\d{{4}})", re.I)),
    ("dm", re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_RE})\b(?!\.?,?\s*\d{{4}})", re.I)),
    ("my", re.compile(rf"\b(?:in\s+)?({_MONTH_RE})\s+(\d{{4}})\b", re.I)),
    ("m", re.compile(rf"\b(?:in|since|last|this|next)\s+({_MONTH_RE})\b(?!\s+\d)", re.I)),
    ("y", re.compile(r"\b(?:in|since|of|from|until|by)\s+((?:19|20)\d{2})\b")),
    ("weekday", re.compile(
        r"\b(?:(last|next|this|on)\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    ("relative", re.compile(
        r"\b(today|tonight|yesterday|tomorrow|this morning|this week|last week|next week|earlier this week|"
        r"сегодня|вчера|завтра)\b|(今天|昨天|明天)", re.I)),
]


@dataclass(frozen=True)
class DateMention:
    """A date expression with its resolved value and precision (day/month/year/unknown)."""

    start: int
    end: int
    text: str
    kind: str  # absolute / partial / relative
    value: str | None
    precision: str


def _iso(d: dt.date) -> str:
    return d.isoformat()


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _month(token: str) -> int:
    return MONTHS[token.lower().rstrip(".")]


def find_dates(text: str, anchor: dt.date | None, future: bool = False) -> list[DateMention]:
    """All date expressions in ``text``; relative ones resolved against ``anchor``.

    ``future`` says the clause speaks of the future (weekdays then resolve forwards).
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            mention = _resolve(kind, m, anchor, future)
            if mention is not None:
                found.append(mention)
                taken.append((m.start(), m.end()))
    found.sort(key=lambda d: d.start)
    return found


def _resolve(kind: str, m: re.Match[str], anchor: dt.date | None, future: bool) -> DateMention | None:
    g = m.groups()
    value: str | None = None
    precision = "day"
    category = "absolute"
    if kind in {"iso", "zh"}:
        d = _safe_date(int(g[0]), int(g[1]), int(g[2]))
        value = _iso(d) if d else None
    elif kind == "mdy":
        d = _safe_date(int(g[2]), _month(g[0]), int(g[1]))
        value = _iso(d) if d else None
    elif kind == "dmy":
        d = _safe_date(int(g[2]), _month(g[1]), int(g[0]))
        value = _iso(d) if d else None
    elif kind == "dmy_num":
        d = _safe_date(int(g[2]), int(g[1]), int(g[0]))
        value = _iso(d) if d else None
    elif kind in {"md", "dm"}:
        category = "partial"
        month, day = (_month(g[0]), int(g[1])) if kind == "md" else (_month(g[1]), int(g[0]))
        if anchor is not None:
            d = _safe_date(anchor.year, month, day)
            if d is not None and (d - anchor).days > 180:
                d = _safe_date(anchor.year - 1, month, day)
            value = _iso(d) if d else None
    elif kind == "my":
        value, precision = f"{int(g[1]):04d}-{_month(g[0]):02d}", "month"
    elif kind == "m":
        category, precision = "partial", "month"
        if anchor is not None:
            month = _month(g[0])
            year = anchor.year if month <= anchor.month or future else anchor.year - 1
            value = f"{year:04d}-{month:02d}"
    elif kind == "y":
        value, precision = g[0], "year"
    elif kind == "weekday":
        category = "relative"
        if anchor is not None:
            target = WEEKDAYS[g[1].lower()]
            qualifier = (g[0] or "").lower()
            if qualifier == "next" or (future and qualifier != "last"):
                delta = (target - anchor.weekday()) % 7
                if qualifier == "next" and delta == 0:
                    delta = 7
                value = _iso(anchor + dt.timedelta(days=delta))
            else:
                value = _iso(anchor - dt.timedelta(days=(anchor.weekday() - target) % 7))
    else:
        category = "relative"
        word = (g[0] or g[1] or "").lower()
        offsets = {"today": 0, "tonight": 0, "this morning": 0, "сегодня": 0, "今天": 0,
                   "yesterday": -1, "вчера": -1, "昨天": -1, "tomorrow": 1, "завтра": 1, "明天": 1,
                   "this week": 0, "earlier this week": 0, "last week": -7, "next week": 7}
        if word in {"this week", "last week", "next week", "earlier this week"}:
            precision = "week"
        if anchor is not None:
            value = _iso(anchor + dt.timedelta(days=offsets.get(word, 0)))
    if value is None and category == "absolute":
        return None
    return DateMention(m.start(), m.end(), m.group(0), category, value,
                       precision if value else "unknown")
