"""The dashboard's filter state as one value object, and its canonical URL form.

``Filters.from_query_params(qp)`` validates untrusted URL parameters and drops each bad value
with a human-readable warning; ``filters.to_query_params()`` writes the canonical form back
(multi-values sorted and comma-joined, empty and default values omitted), so that
``Filters.from_query_params(f.to_query_params())[0] == f`` for every valid ``f``.

Pure Python: never imports Streamlit.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlsplit

from steppewatch.query.countries import is_known_country
from steppewatch.query.search import MAX_SEARCH_CHARS, parse_search

# Event types, in the order the sidebar offers them ("call": a phone or video contact, never a
# meeting in a city). URL values: never rename one.
EVENT_TYPES: tuple[str, ...] = ("visit", "meeting", "call")
# Map metrics, in the order the sidebar offers them. Values are URL values: never rename one
# (links shared before "events" was added use mentions/visits/focus and must keep working).
METRICS: tuple[str, ...] = ("mentions", "focus", "events", "visits")
DEFAULT_METRIC = "mentions"

# Longest accepted value of one URL parameter (after joining repeated keys).
MAX_PARAM_CHARS = 200
# Earliest and latest dates accepted in a date filter.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)

# URL keys, in canonical order.
URL_KEYS: tuple[str, ...] = ("country", "from", "to", "source", "type", "person", "story",
                             "article", "event", "metric", "statuses", "q", "rows", "page", "places")
# "statuses=all": the timeline also draws postponed, cancelled and historical events.
ALL_STATUSES = "all"
# "places=hide": the map draws no visit and meeting places (points are shown by default).
HIDE_PLACES = "hide"
# Highest article-list page a link may ask for ("page=N"; absent: the first).
MAX_PAGE = 100_000
# Most timeline rows a link may ask for ("rows=N": the visitors the timeline draws; absent: its default).
MAX_TIMELINE_ROWS = 500
# Keys Streamlit itself may put in the URL: ignored without a warning.
STREAMLIT_KEYS = frozenset({"embed", "embed_options"})

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ID_RE = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Filters:
    """What the user is looking at: every page reads the same object."""

    countries: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sources: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    story: str | None = None
    article: str | None = None
    event: str | None = None  # the event clicked on the timeline: its evidence stands out on the article page
    metric: str = DEFAULT_METRIC
    all_statuses: bool = False  # the timeline also shows postponed, cancelled and historical events
    search: str = ""  # keyword and phrase search over titles and texts (URL "q"; steppewatch.query.search)
    rows: int = 0  # visitors' rows the timeline draws (0: settings.TIMELINE_ROWS); "N more rows" raises it
    page: int = 0  # the article list's page, from 1 (0 and 1: the first)
    places_hidden: bool = False  # the map draws no visit and meeting places

    def __post_init__(self) -> None:
        # Canonical multi-values (sorted, no duplicates), so equal views compare equal and
        # every Filters survives the URL round trip unchanged.
        for name in ("countries", "sources", "event_types", "people"):
            object.__setattr__(self, name, tuple(sorted(set(getattr(self, name)))))
        object.__setattr__(self, "search", " ".join((self.search or "").split()))  # spaces collapsed
        if self.page <= 1:  # the first page has one form
            object.__setattr__(self, "page", 0)

    @classmethod
    def from_query_params(cls, qp: Mapping[str, str | Iterable[str]]) -> tuple[Filters, list[str]]:
        """Parse URL parameters; return the valid filters and one warning per dropped value."""
        warnings: list[str] = []
        raw: dict[str, str] = {}
        for key, value in qp.items():
            if key in STREAMLIT_KEYS:
                continue
            shown_key = _shorten(str(key))
            if key not in URL_KEYS:
                warnings.append(f"Ignored unknown URL parameter '{shown_key}'.")
                continue
            text = value if isinstance(value, str) else ",".join(str(v) for v in value)
            if len(text) > MAX_PARAM_CHARS:
                warnings.append(f"Ignored URL parameter '{key}': value longer than "
                                f"{MAX_PARAM_CHARS} characters.")
                continue
            if _CONTROL_RE.search(text):
                warnings.append(f"Ignored URL parameter '{key}': it contains control characters.")
                continue
            raw[key] = text

        countries = _parse_list(raw.get("country"), "country", warnings, _check_country)
        event_types = _parse_list(raw.get("type"), "type", warnings, _check_event_type)
        sources = _parse_list(raw.get("source"), "source", warnings, None)
        people = _parse_list(raw.get("person"), "person", warnings, None)
        date_from = _parse_date(raw.get("from"), "from", warnings)
        date_to = _parse_date(raw.get("to"), "to", warnings)
        if date_from and date_to and date_from > date_to:
            warnings.append(f"Ignored the date range: 'from' ({date_from}) is after 'to' "
                            f"({date_to}).")
            date_from = date_to = None
        story = _parse_id(raw.get("story"), "story", warnings)
        article = _parse_id(raw.get("article"), "article", warnings)
        event = _parse_id(raw.get("event"), "event", warnings)
        metric = raw.get("metric", DEFAULT_METRIC).strip() or DEFAULT_METRIC
        if metric not in METRICS:
            warnings.append(f"Ignored metric '{_shorten(metric)}': expected one of "
                            f"{', '.join(METRICS)}.")
            metric = DEFAULT_METRIC
        statuses = raw.get("statuses", "").strip().lower()
        if statuses and statuses != ALL_STATUSES:
            warnings.append(f"Ignored statuses '{_shorten(statuses)}': expected '{ALL_STATUSES}'.")
        search = _parse_search(raw.get("q"), warnings)
        rows = _parse_count(raw.get("rows"), "rows", MAX_TIMELINE_ROWS, warnings)
        page = _parse_count(raw.get("page"), "page", MAX_PAGE, warnings)
        places = raw.get("places", "").strip().lower()
        if places and places != HIDE_PLACES:
            warnings.append(f"Ignored places '{_shorten(places)}': expected '{HIDE_PLACES}'.")
        filters = cls(countries=countries, date_from=date_from, date_to=date_to,
                      sources=sources, event_types=event_types, people=people, story=story,
                      article=article, event=event, metric=metric, all_statuses=statuses == ALL_STATUSES,
                      search=search, rows=rows, page=page, places_hidden=places == HIDE_PLACES)
        return filters, warnings

    @classmethod
    def from_link(cls, link: str) -> tuple[Filters, list[str]]:
        """``from_query_params`` of a shared link ("http://host/overview?country=KAZ", "/article?...") or of
        its query string alone ("country=KAZ&type=visit", with or without the "?")."""
        query = urlsplit(link).query if "://" in link or link.startswith("/") else link.lstrip("?")
        return cls.from_query_params(dict(parse_qsl(query)))

    def to_query_params(self) -> dict[str, str]:
        """Canonical URL parameters: sorted, comma-joined, empty and default values omitted."""
        params = {
            "country": ",".join(sorted(set(self.countries))),
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "source": ",".join(sorted(set(self.sources))),
            "type": ",".join(sorted(set(self.event_types))),
            "person": ",".join(sorted(set(self.people))),
            "story": self.story or "",
            "article": self.article or "",
            "event": self.event or "",
            "metric": "" if self.metric == DEFAULT_METRIC else self.metric,
            "statuses": ALL_STATUSES if self.all_statuses else "",
            "q": self.search,
            "rows": str(self.rows) if self.rows else "",
            "page": str(self.page) if self.page else "",
            "places": HIDE_PLACES if self.places_hidden else "",
        }
        return {k: v for k, v in params.items() if v}

    def selecting(self) -> Filters:
        """The part that selects data: without the metric, the open article, its clicked event, the
        timeline's status choice and rows, the list's page and the map's places switch (views that differ only
        in those share their masks and cached answers)."""
        return replace(self, metric=DEFAULT_METRIC, article=None, event=None, all_statuses=False, rows=0, page=0,
                       places_hidden=False)

    def without_article(self) -> Filters:
        """The same view without the drill-down article (nor its clicked event)."""
        return replace(self, article=None, event=None)

    @property
    def is_filtered(self) -> bool:
        """True when any filter narrows the data (the metric and the article do not)."""
        return bool(self.countries or self.date_from or self.date_to or self.sources
                    or self.event_types or self.people or self.story or self.search)


def _shorten(text: str, limit: int = 40) -> str:
    text = _CONTROL_RE.sub("?", text)
    return text if len(text) <= limit else text[:limit] + "…"


def _check_country(value: str) -> str | None:
    code = value.upper()
    return code if is_known_country(code) else None


def _check_event_type(value: str) -> str | None:
    kind = value.lower()
    return kind if kind in EVENT_TYPES else None


def _parse_list(text: str | None, key: str, warnings: list[str],
                check: object) -> tuple[str, ...]:
    """Split a comma-joined value, validate each item, drop duplicates (sorted result)."""
    if not text:
        return ()
    seen: set[str] = set()
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        value = check(item) if callable(check) else item
        if value is None:
            warnings.append(f"Ignored {key} '{_shorten(item)}': not a known value.")
            continue
        if value in seen:
            warnings.append(f"Ignored duplicate {key} '{_shorten(item)}'.")
            continue
        seen.add(value)
    return tuple(sorted(seen))


def _parse_date(text: str | None, key: str, warnings: list[str]) -> dt.date | None:
    if not text:
        return None
    try:
        if not _DATE_RE.match(text.strip()):
            raise ValueError(text)
        value = dt.date.fromisoformat(text.strip())
    except ValueError:
        warnings.append(f"Ignored '{key}' date '{_shorten(text)}': expected YYYY-MM-DD.")
        return None
    if not MIN_DATE <= value <= MAX_DATE:
        warnings.append(f"Ignored '{key}' date {value}: outside {MIN_DATE.year}-"
                        f"{MAX_DATE.year}.")
        return None
    return value


def _parse_count(text: str | None, key: str, most: int, warnings: list[str]) -> int:
    """A whole number from 1 to ``most`` (0 when absent or bad, with a warning for a bad one)."""
    if not text:
        return 0
    value = text.strip()
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= most:
        warnings.append(f"Ignored {key} '{_shorten(value)}': expected a number from 1 to {most}.")
        return 0
    return int(value)


def _parse_id(text: str | None, key: str, warnings: list[str]) -> str | None:
    if not text:
        return None
    value = text.strip()
    if not _ID_RE.match(value):
        warnings.append(f"Ignored {key} id '{_shorten(value)}': unexpected characters.")
        return None
    return value


def _parse_search(text: str | None, warnings: list[str]) -> str:
    """The search text (spaces collapsed; at most ``MAX_SEARCH_CHARS``), or "" with a warning when it has
    no word to look for."""
    value = " ".join((text or "").split())
    if not value:
        return ""
    if len(value) > MAX_SEARCH_CHARS:
        warnings.append(f"Ignored the search: longer than {MAX_SEARCH_CHARS} characters.")
        return ""
    if not parse_search(value):
        warnings.append(f"Ignored the search '{_shorten(value)}': it has no word to look for.")
        return ""
    return value
