"""Plain data types that flow through the pipeline: RawDocument -> Article -> facts."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RawDocument:
    """Bytes or text as read from a file, page, feed item, bulk row or upload.

    ``meta`` carries metadata declared by the container (title, source, published, url,
    language, content_type) which wins over what is inferred from the text.
    """

    origin: str
    data: bytes
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class IngestFailure:
    """One item that could not be ingested, with a human-readable reason."""

    origin: str
    reason: str


@dataclass
class Article:
    """A cleaned article: main text with boilerplate removed, plus metadata."""

    id: str
    origin: str
    text: str
    raw_text: str
    url: str | None = None
    source: str | None = None
    title: str | None = None
    byline: str | None = None
    dateline: str | None = None
    language: str = "en"
    published: str | None = None  # ISO date (YYYY-MM-DD) or None
    published_precision: str = "unknown"  # day / month / year / unknown
    published_evidence: str | None = None
    captions: list[tuple[int, int]] = field(default_factory=list)  # caption spans in ``text``


@dataclass(frozen=True)
class Mention:
    """A span of the article text that names a country, person, place or date."""

    kind: str  # country / person / place / date
    text: str
    start: int
    end: int
    iso3: str | None = None
    entity_id: str | None = None
    role: str | None = None
    value: str | None = None  # resolved value (ISO date for dates, canonical name for people)
    in_caption: bool = False


@dataclass(frozen=True)
class Person:
    """A person resolved from one or more mentions in an article."""

    entity_id: str
    name: str
    role: str | None
    country: str | None


@dataclass(frozen=True)
class Event:
    """A visit or meeting with the sentence it came from."""

    type: str  # visit / meeting / call (a remote contact: mode phone or video)
    actor: str | None
    actor_country: str | None
    host_country: str | None
    place: str | None
    date: str | None
    status: str  # planned / occurred / postponed / cancelled / historical
    evidence: str
    evidence_start: int
    evidence_end: int
    counterpart: str | None = None
    date_end: str | None = None
    date_precision: str = "day"
    format: str = "bilateral"
    confidence: float = 0.5
    participants: tuple[str, ...] = ()  # ISO3 of every country taking part (meetings)
    mode: str = "unspecified"  # in_person / phone / video / unspecified (how the parties met)


@dataclass
class ProcessedArticle:
    """Everything the pipeline knows about one article, ready to store."""

    article: Article
    mentions: list[Mention]
    people: list[Person]
    events: list[Event]
    focus_country: str | None = None
