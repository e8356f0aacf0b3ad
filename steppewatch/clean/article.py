"""RawDocument -> Article: decode, reduce HTML to text, clean, find metadata and the date."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from steppewatch import settings
from steppewatch.clean import urls
from steppewatch.clean.boilerplate import clean_text
from steppewatch.clean.decode import decode_text, is_probably_binary
from steppewatch.clean.published import infer_published
from steppewatch.models import Article, RawDocument


class CleaningError(ValueError):
    """The document has no usable text (the reason is the message)."""


def normalise_url(url: str | None) -> str:
    """The URL dedup key (see steppewatch.clean.urls.RULES); "" for no usable http(s) URL."""
    return urls.normalise_url(url)


def article_id_for(text: str, url: str | None = None, version: str | None = None) -> str:
    """Id from the normalised text (case, whitespace and Unicode form do not matter) and, when the
    article has one, its normalised URL: the same text at two URLs is a republication, kept apart.
    ``version`` picks a dedup key version (default: the current one)."""
    return _article_id(_normalised(text), url, version or settings.DEDUP_KEY_VERSION)


@lru_cache(maxsize=4)  # an ingested item's text: its id in clean_document, then its ids under every version
def _normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _article_id(normalised: str, url: str | None, version: str) -> str:
    key = f"v{version}:{urls.URL_NORMALISERS[version](url)}:{normalised}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def article_ids_for(text: str, url: str | None = None) -> list[str]:
    """The article's id under every dedup key version, current first (to find rows stored by older versions)."""
    current = settings.DEDUP_KEY_VERSION
    normalised = _normalised(text)  # once for every version
    return [_article_id(normalised, url, v) for v in (current, *sorted(set(urls.URL_NORMALISERS) - {current}))]


def detect_language(text: str) -> str:
    """A script-based language guess, good enough to route extraction and label sources."""
    sample = text[:4000]
    letters = [ch for ch in sample if ch.isalpha()]
    if not letters:
        return "und"
    cyrillic = sum("\u0400" <= ch <= "\u04ff" for ch in letters) / len(letters)
    cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in letters) / len(letters)
    if cjk > 0.3:
        return "zh"
    if cyrillic > 0.5:
        if re.search(r"[әғқңөұүһі]", sample):
            return "kk"
        if re.search(r"[ҷӣӯҳ]", sample):
            return "tg"
        return "ru"
    if re.search(r"\b(va|bilan|uchun|O'zbekiston|Oʻzbekiston)\b", sample):
        return "uz"
    return "en"


def clean_document(doc: RawDocument) -> Article:
    """Turn one raw document into a cleaned article, or raise CleaningError with a reason."""
    if not doc.data:
        raise CleaningError("empty file")
    meta = doc.meta
    url = meta.get("url") if urls.is_http_url(meta.get("url")) else None  # never javascript: etc.
    content_type = meta.get("content_type", "text/plain")
    html_date = html_author = None
    declared_title = meta.get("title") or None
    if "html" in content_type:
        from steppewatch.clean.html import html_to_text  # spawns a worker process on first use

        extract = html_to_text(doc.data, url, declared_charset=meta.get("charset"))
        raw_text = extract.text
        declared_title = declared_title or extract.title
        html_date, html_author = extract.date, extract.author
        source_hint = extract.sitename
    else:
        if is_probably_binary(doc.data):
            raise CleaningError("binary content, not text")
        raw_text = decode_text(doc.data, meta.get("charset"))
        source_hint = None
    if not raw_text.strip():
        raise CleaningError("no text content")
    raw_text = raw_text[: settings.MAX_TEXT_CHARS]
    cleaned = clean_text(raw_text, declared_title)
    if len(cleaned.text.strip()) < 3:
        raise CleaningError("no article text after cleaning")
    published = infer_published(cleaned.text, cleaned.captions, cleaned.dateline,
                                declared=meta.get("published"), html_date=html_date)
    return Article(
        id=article_id_for(cleaned.text, url),
        origin=doc.origin,
        text=cleaned.text,
        raw_text=raw_text,
        url=url,
        source=meta.get("source") or cleaned.source or source_hint,
        title=cleaned.title,
        byline=cleaned.byline or html_author,
        dateline=cleaned.dateline,
        language=meta.get("language") or detect_language(cleaned.text),
        published=published.value,
        published_precision=published.precision,
        published_evidence=published.evidence,
        captions=cleaned.captions,
    )
