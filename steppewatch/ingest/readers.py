"""Readers: files, folders, uploads, feeds and bulk files -> RawDocument or IngestFailure.

Every input is bounded before it is parsed (``MAX_DOCUMENT_BYTES`` checked via ``stat``,
``MAX_DECOMPRESSED_BYTES`` while streaming gzip), feeds are parsed by feedparser from
``io.BytesIO`` only after their DOCTYPE/entity declarations are removed, and one bad item
becomes an ``IngestFailure`` with a reason: no reader raises for a single item.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import os
import re
import stat
import zlib
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urljoin, urlsplit

from steppewatch import settings
from steppewatch.clean.decode import (
    clean_control_chars,
    decode_text,
    detect_encoding,
    is_probably_binary,
)
from steppewatch.clean.urls import is_http_url
from steppewatch.models import IngestFailure, RawDocument

Item = RawDocument | IngestFailure

TEXT_EXTS = frozenset({"", ".txt", ".text", ".md"})
HTML_EXTS = frozenset({".html", ".htm", ".xhtml"})
JSONL_EXTS = frozenset({".jsonl", ".ndjson"})
CSV_EXTS = frozenset({".csv"})
JSON_EXTS = frozenset({".json"})
FEED_EXTS = frozenset({".xml", ".rss", ".atom"})
GZIP_EXTS = frozenset({".gz"})
BULK_FIELDS = ("url", "source", "title", "published", "language")

_MB = 1024 * 1024
_MAX_BULK_FAILURES_IN_A_ROW = 1000


class _Rejected(Exception):
    """Internal: an input that must become an IngestFailure with this reason."""


def _fmt_size(n: int) -> str:
    if n >= _MB:
        return f"{n / _MB:.0f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


def _too_large(size: int, cap: int, what: str = "too large") -> str:
    return f"{what}: {_fmt_size(size)} > {_fmt_size(cap)} cap"


def _exc_reason(exc: BaseException) -> str:
    msg = str(exc).strip() or type(exc).__name__
    return f"{type(exc).__name__}: {msg}"[:300]


def _clean_meta(value: Any) -> str | None:
    """Declared metadata as a clean single-line string, or None when absent/empty."""
    if value is None or isinstance(value, (dict, list)):
        return None
    text = clean_control_chars(str(value)).replace("\n", " ").replace("\t", " ").strip()
    return text[:2000] or None


def _http_url(value: Any, base: str | None = None) -> str | None:
    """Keep only http(s) URLs (relative ones resolved against an http(s) base)."""
    url = _clean_meta(value)
    if not url:
        return None
    if base and is_http_url(base):
        url = urljoin(base, url)
    return url if is_http_url(url) else None


def _kind(name: str) -> str:
    ext = os.path.splitext(name)[1].lower()
    if ext in GZIP_EXTS:
        return "gzip"
    for kind, exts in (("text", TEXT_EXTS), ("html", HTML_EXTS), ("jsonl", JSONL_EXTS),
                       ("csv", CSV_EXTS), ("json", JSON_EXTS), ("feed", FEED_EXTS)):
        if ext in exts:
            return kind
    return "unsupported"


_FEED_SNIFF = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_HTML_SNIFF = re.compile(rb"<!doctype\s+html|<html[\s>]", re.IGNORECASE)


def _sniff_kind(name: str, data: bytes) -> str:
    """For files without an extension: feed or HTML by content, else plain text."""
    kind = _kind(name)
    if kind == "text" and not os.path.splitext(name)[1]:
        head = data[:2048].lstrip()
        if _FEED_SNIFF.search(head) and head.startswith(b"<"):
            return "feed"
        if _HTML_SNIFF.search(head):
            return "html"
    return kind


# --------------------------------------------------------------------------- single documents


def _check_content(data: bytes) -> str | None:
    """Reason to reject a single document's bytes, or None."""
    if not data.strip(b" \t\r\n\x00\x0b\x0c") or data in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE,
                                                           codecs.BOM_UTF16_BE):
        return "empty"
    if is_probably_binary(data):
        return "binary content"
    return None


def _single_doc(origin: str, data: bytes, content_type: str) -> Item:
    reason = _check_content(data)
    if reason:
        return IngestFailure(origin, reason)
    return RawDocument(origin=origin, data=data, meta={"content_type": content_type})


# --------------------------------------------------------------------------- feeds

_DOCTYPE_RE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY_DECL_RE = re.compile(rb"<!ENTITY\b[^>]*>", re.IGNORECASE)
_XML_ENCODING_RE = re.compile(rb"^(\s*<\?xml[^>]*?encoding\s*=\s*)([\"'])([^\"']*)\2")


def _doctype_end(data: bytes, start: int) -> int:
    """Index just past the DOCTYPE starting at ``start`` (internal subset and quotes aware)."""
    i, n, depth, quote = start + 9, len(data), 0, 0
    while i < n:
        c = data[i]
        if quote:
            if c == quote:
                quote = 0
        elif c in (0x22, 0x27):  # " '
            quote = c
        elif c == 0x5B:  # [
            depth += 1
        elif c == 0x5D:  # ]
            depth = max(0, depth - 1)
        elif c == 0x3E and depth == 0:  # >
            return i + 1
        i += 1
    return n


def neutralise_doctype(data: bytes) -> tuple[bytes, bool]:
    """Remove DOCTYPE declarations (with internal subsets) and stray ENTITY declarations.

    Without them no entity can expand (billion laughs, quadratic blowup) or reference a file
    or URL (XXE); references to removed entities stay as literal text. Returns (bytes, changed).
    """
    changed = False
    out = bytearray()
    pos = 0
    for _ in range(1000):
        m = _DOCTYPE_RE.search(data, pos)
        if not m:
            break
        out += data[pos:m.start()]
        pos = _doctype_end(data, m.start())
        changed = True
    out += data[pos:]
    result = bytes(out)
    if _ENTITY_DECL_RE.search(result):
        result = _ENTITY_DECL_RE.sub(b"", result)
        changed = True
    return result, changed


def _to_ascii_compatible(data: bytes) -> bytes:
    """UTF-16/32 feeds are transcoded to UTF-8 so DOCTYPE removal can see the markup."""
    enc = detect_encoding(data[:4096])
    if enc and enc.startswith(("utf_16", "utf_32")):
        text = decode_text(data).encode("utf-8")
        return _XML_ENCODING_RE.sub(rb"\1\2utf-8\2", text, count=1)
    return data


def _codec(name: str | None) -> str | None:
    try:
        return codecs.lookup(name).name if name else None
    except LookupError:
        return None


def _fix_declared_encoding(data: bytes) -> tuple[bytes, str | None]:
    """Read a feed's bytes in the charset they are really in, not the one the XML declaration
    names. Trusting a wrong label (UTF-8 labelled windows-1251, KOI8-R labelled windows-1251,
    cp1251 labelled UTF-8) turns every Cyrillic or Chinese letter into mojibake; ``decode_text``
    keeps the declared charset unless another one is clearly more plausible. Returns
    (bytes for the parser, warning or None); mismatched feeds are transcoded to UTF-8."""
    if data.isascii():
        return data, None
    m = _XML_ENCODING_RE.match(data)
    declared = m.group(3).decode("ascii", "replace").strip() if m else None
    actual = detect_encoding(data, declared)
    if actual is None or _codec(actual) == _codec(declared or "utf-8"):
        return data, None  # consistent, or nothing plausible: the parser follows the label
    fixed = decode_text(data, declared).encode("utf-8")
    if m:
        fixed = _XML_ENCODING_RE.sub(rb"\1\2utf-8\2", fixed, count=1)
    label = "UTF-8" if _codec(actual) == "utf-8" else _codec(actual)
    return fixed, f"declared encoding {declared or 'UTF-8 (default)'} but the bytes are {label}: read as {label}"


def _iso_published(entry: Any) -> str | None:
    """Entry date as ISO 8601, keeping the source's UTC offset when it declares one."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if not raw or not isinstance(raw, str):
            continue
        raw = raw.strip()
        try:
            return datetime.fromisoformat(raw).isoformat()
        except ValueError:
            pass
        try:
            return parsedate_to_datetime(raw).isoformat()
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            try:
                return datetime(*parsed[:6], tzinfo=UTC).isoformat()
            except (TypeError, ValueError, OverflowError):
                pass
        return _clean_meta(raw)
    return None


_HTMLISH_RE = re.compile(r"<[a-zA-Z!/]|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+\d*);")


def _entry_body(entry: Any) -> tuple[str, str]:
    """(text, content_type) from content (longest) or summary."""
    options: list[tuple[str, str]] = []
    for content in entry.get("content") or []:
        value = content.get("value") if isinstance(content, dict) else None
        if isinstance(value, str) and value.strip():
            options.append((value, content.get("type") or "text/html"))
    if not options:
        summary = entry.get("summary")
        if isinstance(summary, str) and summary.strip():
            detail = entry.get("summary_detail") or {}
            options.append((summary, detail.get("type") or "text/html"))
    if not options:
        return "", "text/plain"
    value, ctype = max(options, key=lambda o: len(o[0]))
    is_html = "html" in ctype and bool(_HTMLISH_RE.search(value))
    return value, ("text/html" if is_html else "text/plain")


def _parse_feed(data: bytes, feed_url: str) -> tuple[Any, str | None]:
    import feedparser

    warnings: list[str] = []
    data = _to_ascii_compatible(data)
    data, mislabelled = _fix_declared_encoding(data)
    if mislabelled:
        warnings.append(mislabelled)
    data, changed = neutralise_doctype(data)
    if changed:
        warnings.append("DOCTYPE/entity declarations removed")
    headers: dict[str, str] = {}
    if urlsplit(feed_url).scheme in ("http", "https"):  # base for relative links
        headers = {"content-location": feed_url, "content-type": "application/xml"}
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        warnings.append(_exc_reason(exc) if exc else "feed not well-formed")
    return parsed, "; ".join(warnings) or None


def documents_from_feed_bytes(data: bytes, feed_url: str) -> tuple[list[RawDocument], str | None]:
    """Parse feed bytes (RSS/Atom/RDF/JSON Feed) into one RawDocument per item.

    Returns (items, warning). Never raises: an oversized, empty or unparseable feed gives
    ([], reason). ``bozo`` is not fatal: items are kept and the warning says why. Items
    without content have empty ``data`` (the caller may fetch ``meta["url"]``). The origin is
    the item link (http/https only), else ``f"{feed_url}#item{n}"``.
    """
    if len(data) > settings.MAX_DOCUMENT_BYTES:
        return [], _too_large(len(data), settings.MAX_DOCUMENT_BYTES)
    if not data.strip():
        return [], "empty"
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return _json_feed_docs(data, feed_url)
    try:
        parsed, warning = _parse_feed(data, feed_url)
    except Exception as exc:  # feedparser raises on some hostile inputs
        return [], f"feed parse error: {_exc_reason(exc)}"
    feed = parsed.get("feed") or {}
    entries = parsed.get("entries") or []
    if not entries and not parsed.get("version"):
        return [], f"not a feed ({warning})" if warning else "not a feed"
    source = _clean_meta(feed.get("title"))
    language = _clean_meta(feed.get("language"))
    docs: list[RawDocument] = []
    for n, entry in enumerate(entries, start=1):
        try:
            docs.append(_entry_doc(entry, n, feed_url, source, language))
        except Exception as exc:  # one odd entry must not lose the others
            warning = "; ".join(filter(None, [warning, f"item {n}: {_exc_reason(exc)}"]))
    return docs, warning


def _json_feed_docs(data: bytes, feed_url: str) -> tuple[list[RawDocument], str | None]:
    """JSON Feed 1.x (feedparser 6 reads only XML feeds)."""
    try:
        feed = json.loads(decode_text(data, "utf-8"))
    except (ValueError, RecursionError) as exc:
        return [], f"invalid JSON feed ({_exc_reason(exc)[:120]})"
    if not isinstance(feed, dict) or not isinstance(feed.get("items"), list):
        return [], "not a feed (JSON without 'items')"
    docs: list[RawDocument] = []
    for n, item in enumerate(feed["items"], start=1):
        if not isinstance(item, dict):
            continue
        entry: dict[str, Any] = {
            "link": item.get("url") or item.get("external_url"), "title": item.get("title"),
            "published": item.get("date_published") or item.get("date_modified"),
            "id": item.get("id"), "language": item.get("language"),
            "author": ((item.get("authors") or [{}])[0] or {}).get("name")
            if isinstance(item.get("authors"), list) else None,
        }
        html, text = item.get("content_html"), item.get("content_text") or item.get("summary")
        if isinstance(html, str) and html.strip():
            entry["content"] = [{"value": html, "type": "text/html"}]
        elif isinstance(text, str):
            entry["content"] = [{"value": text, "type": "text/plain"}]
        docs.append(_entry_doc(entry, n, feed_url, _clean_meta(feed.get("title")),
                               _clean_meta(feed.get("language"))))
    return docs, None


def _entry_doc(entry: Any, n: int, feed_url: str, source: str | None,
               language: str | None) -> RawDocument:
    url = _http_url(entry.get("link"), feed_url)
    body, ctype = _entry_body(entry)
    meta = {
        "url": url,
        "title": _clean_meta(entry.get("title")),
        "published": _iso_published(entry),
        "source": source,
        "language": _clean_meta(entry.get("language")) or language,
        "author": _clean_meta(entry.get("author")),
        "guid": _clean_meta(entry.get("id")),
        "feed_url": _clean_meta(feed_url),
        "content_type": ctype,
        "charset": "utf-8",
    }
    origin = url or f"{feed_url}#item{n}"
    body = body.encode("utf-8", errors="replace").decode("utf-8")  # drop lone surrogates
    return RawDocument(origin=origin, data=body.encode("utf-8"),
                       meta={k: v for k, v in meta.items() if v})


def _feed_items(data: bytes, feed_url: str) -> Iterator[Item]:
    """Feed items for ingestion: title-only items use the title as text."""
    reason = "empty" if not data.strip() else None
    if reason:
        yield IngestFailure(feed_url, reason)
        return
    docs, warning = documents_from_feed_bytes(data, feed_url)
    if not docs:
        yield IngestFailure(feed_url, warning or "feed has no items")
        return
    for doc in docs:
        if warning:  # kept with each item so the ingest log shows it (bozo is not fatal)
            doc = RawDocument(doc.origin, doc.data, {**doc.meta, "warning": warning})
        if doc.data.strip():
            yield doc
        elif doc.meta.get("title"):
            meta = {**doc.meta, "content_type": "text/plain", "text_from": "title"}
            yield RawDocument(doc.origin, doc.meta["title"].encode("utf-8"), meta)
        else:
            yield IngestFailure(doc.origin, "feed item has no text")


# --------------------------------------------------------------------------- bulk rows


def _row_doc(row: Any, origin_base: str, n: int, where: str) -> Item:
    """One bulk row (url, source, title, published, language, text) -> RawDocument."""
    fallback = f"{origin_base}#row{n}"
    if not isinstance(row, dict):
        return IngestFailure(fallback, f"{where}: row is not an object")
    url = _http_url(row.get("url"))  # javascript:, data:, file:, ftp:, relative: no URL
    origin = url or fallback
    text, ctype = row.get("text"), "text/plain"
    if (not isinstance(text, str) or not text.strip()) and isinstance(row.get("html"), str):
        text, ctype = row["html"], "text/html"
    if not isinstance(text, str) or not text.strip():
        return IngestFailure(origin, f"{where}: missing or empty 'text'")
    data = text.encode("utf-8", errors="replace")
    if len(data) > settings.MAX_DOCUMENT_BYTES:
        return IngestFailure(origin, f"{where}: " + _too_large(len(data),
                                                               settings.MAX_DOCUMENT_BYTES))
    meta = {k: v for k in BULK_FIELDS if (v := url if k == "url" else _clean_meta(row.get(k)))}
    meta.update(content_type=ctype, charset="utf-8")
    return RawDocument(origin=origin, data=data, meta=meta)


def _iter_lines(stream: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) with lines longer than ``limit`` given as None (and skipped)."""
    n = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        n += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # skip the rest of the oversized line
                rest = stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield n, None
            continue
        yield n, line


def _stop_after_bad_rows(items: Iterator[Item], origin_base: str) -> Iterator[Item]:
    """Pass bulk rows through, but give up on a file after too many bad rows in a row."""
    bad_in_a_row = 0
    for item in items:
        bad_in_a_row = bad_in_a_row + 1 if isinstance(item, IngestFailure) else 0
        yield item
        if bad_in_a_row >= _MAX_BULK_FAILURES_IN_A_ROW:
            yield IngestFailure(origin_base, f"stopped after {bad_in_a_row} bad rows in a row")
            return


def _jsonl_items(stream: BinaryIO, origin_base: str) -> Iterator[Item]:
    for n, line in _iter_lines(stream, settings.MAX_DOCUMENT_BYTES):
        where = f"line {n}"
        if line is None:
            item: Item = IngestFailure(f"{origin_base}#row{n}", f"{where}: row over "
                                       f"{_fmt_size(settings.MAX_DOCUMENT_BYTES)} cap")
        else:
            if n == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[3:]
            if not line.strip():
                continue
            try:
                row = json.loads(decode_text(line, "utf-8"))
            except (ValueError, RecursionError) as exc:
                item = IngestFailure(f"{origin_base}#row{n}", f"{where}: invalid JSON "
                                     f"({_exc_reason(exc)[:120]})")
            else:
                item = _row_doc(row, origin_base, n, where)
        yield item


def _csv_items(stream: BinaryIO, origin_base: str) -> Iterator[Item]:
    head = stream.read(65536)
    stream.seek(0)
    if not head.strip():
        yield IngestFailure(origin_base, "empty")
        return
    if is_probably_binary(head):
        yield IngestFailure(origin_base, "binary content")
        return
    encoding = detect_encoding(head) or "utf-8"
    if encoding == "utf_8":
        encoding = "utf-8-sig"
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    csv.field_size_limit(max(csv.field_size_limit(), settings.MAX_DOCUMENT_BYTES))
    reader = csv.reader(text)
    try:
        header = next(reader)
    except (csv.Error, StopIteration) as exc:
        yield IngestFailure(origin_base, f"unreadable CSV header ({_exc_reason(exc)})")
        return
    columns = [clean_control_chars(h).strip().lower() for h in header]
    if "text" not in columns and "html" not in columns:
        yield IngestFailure(origin_base, "CSV has no 'text' column (expected url, source, "
                                         "title, published, language, text)")
        return
    n, last_error_line = 0, -1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            n += 1
            if reader.line_num == last_error_line:
                yield IngestFailure(origin_base, f"line {reader.line_num}: CSV parsing stuck")
                return
            last_error_line = reader.line_num
            item: Item = IngestFailure(f"{origin_base}#row{n}",
                                       f"line {reader.line_num}: {_exc_reason(exc)}")
        else:
            if not any(v.strip() for v in values):
                continue
            n += 1
            where = f"line {reader.line_num}"
            if len(values) != len(columns):
                item = IngestFailure(f"{origin_base}#row{n}", f"{where}: {len(values)} fields, "
                                     f"expected {len(columns)}")
            else:
                item = _row_doc(dict(zip(columns, values, strict=True)), origin_base, n, where)
        yield item


def _json_items(data: bytes, origin_base: str) -> Iterator[Item]:
    """A ``.json`` file: a JSON Feed, a list of bulk rows, or one bulk row."""
    try:
        doc = json.loads(decode_text(data, "utf-8"))
    except (ValueError, RecursionError) as exc:
        yield IngestFailure(origin_base, f"invalid JSON ({_exc_reason(exc)[:120]})")
        return
    if isinstance(doc, dict) and "jsonfeed.org" in str(doc.get("version", "")):
        yield from _feed_items(data, origin_base)
        return
    rows = doc if isinstance(doc, list) else [doc]
    for n, row in enumerate(rows, start=1):
        yield _row_doc(row, origin_base, n, f"item {n}")


# --------------------------------------------------------------------------- dispatch


def _read_gzip(stream: BinaryIO, cap: int) -> bytes:
    """Decompress a gzip stream, stopping as soon as more than ``cap`` bytes come out."""
    try:
        with gzip.GzipFile(fileobj=stream) as gz:
            out = gz.read(cap + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise _Rejected(f"corrupt gzip ({_exc_reason(exc)})") from exc
    if len(out) > cap:
        raise _Rejected(f"decompressed size over {_fmt_size(cap)} cap")
    return out


def _dispatch(name: str, origin: str, open_stream: Callable[[], BinaryIO], size: int,
              depth: int = 0) -> Iterator[Item]:
    """Route one named input by extension. ``open_stream`` opens its bytes (file or memory)."""
    kind = _kind(name)
    if kind == "unsupported":
        ext = os.path.splitext(name)[1].lower()
        yield IngestFailure(origin, f"unsupported file type '{ext}'")
        return
    if kind == "gzip":
        if depth:
            yield IngestFailure(origin, "nested compression not supported")
            return
        inner = name[:-3]
        inner_kind = _kind(inner)
        cap = settings.MAX_DECOMPRESSED_BYTES
        if inner_kind not in ("jsonl", "csv", "json"):
            cap = min(cap, settings.MAX_DOCUMENT_BYTES)
        with open_stream() as stream:
            data = _read_gzip(stream, cap)
        yield from _dispatch(inner, origin, lambda: io.BytesIO(data), len(data), depth + 1)
        return
    if kind in ("jsonl", "csv"):
        with open_stream() as stream:
            rows = (_jsonl_items if kind == "jsonl" else _csv_items)(stream, origin)
            yield from _stop_after_bad_rows(rows, origin)
        return
    if size > settings.MAX_DOCUMENT_BYTES:
        yield IngestFailure(origin, _too_large(size, settings.MAX_DOCUMENT_BYTES))
        return
    with open_stream() as stream:
        data = stream.read(settings.MAX_DOCUMENT_BYTES + 1)
    if len(data) > settings.MAX_DOCUMENT_BYTES:  # grew since stat
        yield IngestFailure(origin, _too_large(len(data), settings.MAX_DOCUMENT_BYTES))
        return
    kind = _sniff_kind(name, data)
    if kind == "json":
        yield from _json_items(data, origin)
    elif kind == "feed":
        yield from _feed_items(data, origin)
    else:
        yield _single_doc(origin, data, "text/html" if kind == "html" else "text/plain")


def _guarded(origin: str, items: Iterator[Item]) -> Iterator[Item]:
    """Turn any exception while producing items into one IngestFailure (then stop)."""
    try:
        yield from items
    except _Rejected as exc:
        yield IngestFailure(origin, str(exc))
    except MemoryError:
        yield IngestFailure(origin, "out of memory while reading")
    except Exception as exc:  # never raise for one item
        reason = _exc_reason(exc)
        if isinstance(exc, OSError):
            reason = f"unreadable: {exc.strerror or reason}"
        yield IngestFailure(origin, reason)


def _iter_file(path: Path) -> Iterator[Item]:
    origin = os.path.abspath(path)
    try:
        st = path.stat()
    except OSError as exc:
        yield IngestFailure(origin, f"unreadable: {exc.strerror or _exc_reason(exc)}")
        return
    if not stat.S_ISREG(st.st_mode):
        yield IngestFailure(origin, "not a regular file")
        return
    yield from _guarded(origin, _dispatch(path.name, origin, lambda: path.open("rb"),
                                          st.st_size))


def _walk(folder: Path) -> Iterator[Item]:
    """Files under ``folder``, recursively, sorted by name, hidden entries skipped."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield IngestFailure(os.path.abspath(folder),
                            f"unreadable folder: {exc.strerror or _exc_reason(exc)}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(path)
        else:
            yield from _iter_file(path)


def iter_documents(paths: Iterable[Path | str]) -> Iterator[RawDocument | IngestFailure]:
    """Read files and folders (recursively, sorted, hidden files skipped) into documents.

    Dispatch by extension: ``.txt``/``.text``/``.md``/none -> one text document, ``.html``/
    ``.htm`` -> one HTML document, ``.jsonl``/``.ndjson``/``.csv``/``.json`` -> one document per
    row (url, source, title, published, language, text), ``.xml``/``.rss``/``.atom`` -> one
    per feed item, ``.gz`` -> decompressed (capped) then by the inner extension. Problems
    become ``IngestFailure`` items; this never raises for one item.
    """
    for raw in paths:
        path = Path(raw)
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists()
        except OSError as exc:
            yield IngestFailure(os.path.abspath(path), _exc_reason(exc))
            continue
        if not exists:
            yield IngestFailure(os.path.abspath(path), "not found")
        elif is_dir:
            yield from _walk(path)
        else:
            yield from _iter_file(path)


def documents_from_upload(name: str, data: bytes) -> list[RawDocument | IngestFailure]:
    """Documents from an in-memory upload, dispatched like a file (origin ``upload:{name}``).

    Single documents and feeds are capped at ``MAX_DOCUMENT_BYTES``, bulk files and gzip at
    ``MAX_DECOMPRESSED_BYTES``.
    """
    safe = _clean_meta(os.path.basename(str(name).replace("\\", "/"))) or "upload"
    origin = f"upload:{safe}"
    kind = _kind(safe)
    cap = settings.MAX_DECOMPRESSED_BYTES if kind in ("jsonl", "csv", "gzip") else None
    if cap is not None and len(data) > cap:
        return [IngestFailure(origin, _too_large(len(data), cap))]
    return list(_guarded(origin, _dispatch(safe, origin, lambda: io.BytesIO(data), len(data))))
