"""Published date: one extractor that scores candidates and keeps its evidence.

Candidates, best first: declared metadata (feed, bulk row, HTML meta) > a date in the dateline
> an explicit full date in the body > an explicit date in a photo caption moved forward to the
weekday the body speaks of ("arrived ... Tuesday" after a caption dated Sunday 26 Feb) > a
month and year. With none of these the date is unknown (a story sibling may supply it later).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from steppewatch.extract.dates import WEEKDAYS, find_dates

_RFC822 = "%a, %d %b %Y %H:%M:%S"


@dataclass(frozen=True)
class PublishedDate:
    value: str | None  # ISO date, or YYYY-MM for month precision
    precision: str  # day / month / year / unknown
    evidence: str | None
    score: float = 0.0


UNKNOWN = PublishedDate(None, "unknown", None)


def parse_declared_date(raw: str | None) -> dt.date | None:
    """Parse a declared date (ISO 8601, RFC 822, or anything dateparser reads)."""
    if not raw or not raw.strip():
        return None
    raw = raw.strip()
    try:
        return dt.datetime.fromisoformat(raw.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return dt.datetime.strptime(raw[:25].strip(), _RFC822).date()
    except ValueError:
        pass
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", raw)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    try:
        import dateparser  # heavy: imported only when the simple parsers fail

        parsed = dateparser.parse(raw, settings={"STRICT_PARSING": True})
    except Exception:
        return None
    return parsed.date() if parsed else None


def _plausible(d: dt.date, today: dt.date) -> bool:
    return dt.date(1990, 1, 1) <= d <= today + dt.timedelta(days=2)


def infer_published(text: str, captions: list[tuple[int, int]], dateline: str | None,
                    declared: str | None = None, html_date: str | None = None,
                    today: dt.date | None = None) -> PublishedDate:
    """The best published date with its evidence: the first candidate found, best first.

    Every kind of candidate has its own score (declared 1.0 > page metadata 0.9 > dateline 0.85 >
    body 0.6 > caption 0.55 or 0.4 > month 0.2), so the best is the first kind that has one: a
    declared date is taken without reading the text for one."""
    today = today or dt.date.today()
    for raw, label, score in ((declared, "declared metadata", 1.0), (html_date, "page metadata", 0.9)):
        d = parse_declared_date(raw)
        if d and _plausible(d, today):
            return PublishedDate(d.isoformat(), "day", f"{label}: {raw}", score)
    if dateline:
        for dm in find_dates(dateline, None):
            if dm.precision == "day" and dm.value:
                return PublishedDate(dm.value, "day", f"dateline: {dm.text}", 0.85)

    def in_caption(pos: int) -> bool:
        return any(s <= pos < e for s, e in captions)

    all_dates = find_dates(text, None)  # the same scan the extractor reads next (see extract.dates)
    explicit = [dm for dm in all_dates if dm.kind == "absolute" and dm.precision == "day"
                and dm.value and _plausible(dt.date.fromisoformat(dm.value), today)]
    body_dates = [dm for dm in explicit if not in_caption(dm.start)]
    if body_dates:
        latest = max(body_dates, key=lambda dm: dm.value or "")
        return PublishedDate(latest.value, "day", f"date in text: {latest.text}", 0.6)
    caption_dates = [dm for dm in explicit if in_caption(dm.start)]
    if caption_dates:
        anchor_mention = max(caption_dates, key=lambda dm: dm.value or "")
        anchor = dt.date.fromisoformat(anchor_mention.value or "")
        weekday = _body_weekday(text, in_caption)
        if weekday is not None:
            name, target = weekday
            shifted = anchor + dt.timedelta(days=(target - anchor.weekday()) % 7)
            return PublishedDate(shifted.isoformat(), "day",
                                 f"caption date {anchor_mention.text} + '{name}' in the body", 0.55)
        return PublishedDate(anchor.isoformat(), "day", f"caption date: {anchor_mention.text}", 0.4)
    months = [dm for dm in all_dates if dm.precision == "month" and dm.value]
    if months:
        latest_month = max(months, key=lambda dm: dm.value or "")
        return PublishedDate(latest_month.value, "month", f"month in text: {latest_month.text}", 0.2)
    return UNKNOWN


def _body_weekday(text: str, in_caption: object) -> tuple[str, int] | None:
    """The first weekday named in the body (not in captions), e.g. ('Tuesday', 1)."""
    for m in re.finditer(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", text):
        if not in_caption(m.start()):  # type: ignore[operator]
            return m.group(1), WEEKDAYS[m.group(1).lower()]
    return None
