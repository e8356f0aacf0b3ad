"""HTML -> main text and metadata, with trafilatura running in a killable worker process.

trafilatura has no in-process timeout and can run for a very long time on pathological
pages, so extraction happens in a separate process with a wall-clock limit
(``settings.EXTRACTION_TIMEOUT_S``); on timeout the worker is killed and restarted.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass
from html.parser import HTMLParser
from typing import Any

from steppewatch import settings
from steppewatch.clean.decode import clean_control_chars, decode_text


class ExtractionError(RuntimeError):
    """HTML extraction failed (timeout, worker crash, unparseable input)."""


@dataclass(frozen=True)
class HtmlExtract:
    """Main text of a page (paragraphs separated by blank lines) and its metadata."""

    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None  # ISO date as found by trafilatura/htmldate, or None
    sitename: str | None = None
    description: str | None = None


_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_DOC_RE = re.compile(r"<\s*(html|body|head)[\s>]|<!doctype\s+html", re.IGNORECASE)
_BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr",
    "figure", "figcaption", "address", "form", "fieldset", "nav", "details", "summary", "hr",
})
_VOID_TAGS = frozenset({"input", "embed", "hr", "br", "img", "meta", "link", "area", "base", "col",
                        "source", "track", "wbr", "param"})
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
              "math", "canvas", "head", "button", "select", "textarea", "input")


# Titles/headings of server error pages ("403 Forbidden", "Error 404 - Page not found").
_ERROR_PAGE_RE = re.compile(
    r"^\W*(?:error\W*)?(?:(?:HTTP\W*)?[45]\d\d\b\W*(?:error\W*)?)?(?:forbidden|(?:page |file )?not found|"
    r"access denied|unauthori[sz]ed|bad request|bad gateway|gateway time-?out|"
    r"service (?:temporarily )?unavailable|internal server error|too many requests)\W*$",
    re.IGNORECASE)
_ERROR_PAGE_MAX_CHARS = 500  # longer pages are articles, whatever their title says


def error_page_reason(title: str | None, text: str) -> str | None:
    """Reason to skip a page that is a server error page (title or first line), else None."""
    if len(text) > _ERROR_PAGE_MAX_CHARS:
        return None
    first_line = text.strip().split("\n", 1)[0]
    for candidate in (title or "", first_line):
        if candidate and len(candidate) < 80 and _ERROR_PAGE_RE.match(candidate.strip()):
            return f"http_error: error page ('{candidate.strip()}'), not an article"
    return None


def sniff_html_charset(data: bytes) -> str | None:
    """Charset declared by ``<meta charset>`` / ``http-equiv`` in the first 4 KB, if any."""
    m = _META_CHARSET_RE.search(data[:4096])
    return m.group(1).decode("ascii", "replace") if m else None


def prepare_html(data: bytes, declared_charset: str | None = None) -> str:
    """Decode and clean HTML bytes; wrap a bare fragment in ``<div>`` so it can be parsed."""
    text = clean_control_chars(decode_text(data, declared_charset or sniff_html_charset(data)))
    text = _XML_DECL_RE.sub("", text, count=1)  # lxml refuses str input with an encoding decl
    if not _DOC_RE.search(text[:5000]):
        text = f"<html><body><div>{text}</div></body></html>"
    return text


# ---------------------------------------------------------------------------- worker side


def _norm_ws(text: str) -> str:
    """Collapse whitespace (including newlines) to single spaces."""
    return re.sub(r"\s+", " ", text).strip()


def _norm_block(text: str) -> str:
    """Collapse whitespace inside a paragraph; explicit line breaks (U+2028) become \n."""
    lines = (_norm_ws(line) for line in text.split("\u2028"))
    return "\n".join(line for line in lines if line)


def _join_blocks(blocks: list[str]) -> str:
    """Paragraphs separated by blank lines."""
    return "\n\n".join(b for b in (_norm_block(x) for x in blocks) if b)


def _tree_text(element: Any) -> str:
    """Text of an lxml HTML element, block elements as paragraphs, <br> as a line break."""
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append("".join(current))
            current.clear()

    def walk(el: Any) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in _DROP_TAGS or not isinstance(el.tag, str):  # scripts, comments, PIs
            if el.tail:
                current.append(el.tail)
            return
        is_block = tag in _BLOCK_TAGS
        if is_block:
            flush()
        if tag == "br":
            current.append("\u2028")
        if el.text:
            current.append(el.text)
        for child in el:
            walk(child)
        if is_block:
            flush()
        if el.tail:
            current.append(el.tail)

    walk(element)
    flush()
    return _join_blocks(blocks)


class _TooDeeplyNested(Exception):
    """libxml2 stopped building the tree at its depth limit (256): the text below is lost."""


def _parse_html(html: str) -> Any | None:
    """The lxml tree of ``html`` (None when unparseable); raises _TooDeeplyNested."""
    import lxml.html

    parser = lxml.html.HTMLParser()
    try:
        tree = lxml.html.document_fromstring(html, parser=parser)
    except Exception:  # lxml raises several types on odd input
        return None
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        raise _TooDeeplyNested
    return tree


class _FlatText(HTMLParser):
    """Text of HTML read as a stream of tags, without a tree (so without a depth limit)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skip = 0  # inside this many dropped elements (script, style, ...)

    def _flush(self) -> None:
        if self.current:
            self.blocks.append("".join(self.current))
            self.current.clear()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP_TAGS:
            self.skip += tag not in _VOID_TAGS
        elif tag in _BLOCK_TAGS:
            self._flush()
        elif tag == "br":
            self.current.append("\u2028")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP_TAGS:
            self.skip = max(0, self.skip - (tag not in _VOID_TAGS))
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.current.append(data)


def _flat_extract(html: str) -> dict[str, Any]:
    """Text of a page too deeply nested for lxml; raises ExtractionError when it has none."""
    reader = _FlatText()
    reader.feed(html)
    reader.close()
    reader._flush()
    text = _join_blocks(reader.blocks)
    if not text:
        raise ExtractionError("too deeply nested (over 255 levels of elements) and no text found")
    return {"text": text, "title": _fallback_extract_title(html)}


def _fallback_extract(html: str) -> dict[str, Any]:
    """Plain lxml extraction: all visible text, scripts and styles removed."""
    root = _parse_html(html)
    if root is None:
        return {"text": ""}
    title_el = root.find(".//title")
    title = _norm_ws(title_el.text_content()) if title_el is not None else None
    body = root.find("body")
    text = _tree_text(body if body is not None else root)
    return {"text": text, "title": title or None}


def _xml_block_text(el: Any) -> str:
    """Text of a trafilatura output element; <lb/> is a line break."""
    parts: list[str] = [el.text or ""]
    for child in el:
        if child.tag == "lb":
            parts.append("\u2028")
        else:
            parts.append(_xml_block_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _trafilatura_extract(html: str, url: str | None) -> dict[str, Any]:
    import trafilatura

    tree = _parse_html(html)
    if tree is None:
        return {"text": ""}
    for el in list(tree.iter("noscript", "template")):  # "Enable JavaScript" shells
        el.drop_tree()
    doc = trafilatura.bare_extraction(tree, url=url, with_metadata=True, include_comments=False,
                                      include_tables=True, favor_recall=True)
    if doc is None:
        return {"text": ""}
    body = getattr(doc, "body", None)
    text = ""
    children = list(body) if body is not None else []
    # trafilatura's baseline fallback puts newline-joined text nodes in a single <p>: our
    # own tree walk keeps inline elements inline there
    baseline = len(children) == 1 and "\n" in (children[0].text or "")
    if not baseline:
        parts = []
        for child in children:
            if child.tag == "list":
                parts.extend(_xml_block_text(item) for item in child)
            elif child.tag == "table":
                for row in child.iter("row"):
                    cells = (_norm_ws(_xml_block_text(c)) for c in row)
                    parts.append(" | ".join(c for c in cells if c))
            else:
                parts.append(_xml_block_text(child))
        text = _join_blocks(parts)
    return {"text": text, "title": doc.title, "author": doc.author, "date": doc.date,
            "sitename": doc.sitename, "description": doc.description}


def _extract_in_worker(html: str, url: str | None) -> dict[str, Any]:
    """Runs in the worker: trafilatura first, lxml fallback when it finds nothing."""
    try:
        result = _trafilatura_extract(html, url)
    except _TooDeeplyNested:
        return _flat_extract(html)
    except Exception:  # fall back on any trafilatura failure
        result = {"text": ""}
    if not result.get("text"):
        fallback = _fallback_extract(html)
        result["text"] = fallback.get("text") or ""
        if not result.get("title"):
            result["title"] = fallback.get("title")
    if not result.get("title"):
        result["title"] = _fallback_extract_title(html)
    return result


def _fallback_extract_title(html: str) -> str | None:
    m = re.search(r"<title[^>]*>(.*?)</title\s*>", html[:200_000], re.IGNORECASE | re.DOTALL)
    if not m:
        return None
    import html as html_lib

    return _norm_ws(html_lib.unescape(m.group(1))) or None


def _read_frame(stream: Any) -> bytes | None:
    header = stream.read(4)
    if len(header) < 4:
        return None
    size = int.from_bytes(header, "big")
    body = stream.read(size)
    return body if len(body) == size else None


def _write_frame(stream: Any, payload: bytes) -> None:
    stream.write(len(payload).to_bytes(4, "big") + payload)
    stream.flush()


def _serve() -> None:
    """Worker loop on stdin/stdout: JSON request {html, url} -> JSON {ok, result|error}."""
    proto_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr  # stray prints must not corrupt the protocol
    proto_in = sys.stdin.buffer
    while True:
        frame = _read_frame(proto_in)
        if frame is None:
            return
        try:
            job = json.loads(frame)
            reply = {"ok": True, "result": _extract_in_worker(job["html"], job.get("url"))}
        except ExtractionError as exc:  # already a reason
            reply = {"ok": False, "error": str(exc)}
        except Exception as exc:  # report, keep serving
            reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        _write_frame(proto_out, json.dumps(reply).encode("utf-8"))


# ---------------------------------------------------------------------------- parent side


class _Worker:
    """One reusable extraction process; killed and replaced on timeout or crash.

    A plain subprocess (``python -m steppewatch.clean.html``) rather than multiprocessing, so
    unguarded ``__main__`` scripts of callers are never re-executed in the worker.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._replies: queue.Queue[bytes | None] = queue.Queue()

    def _start(self) -> None:
        env = dict(os.environ)
        root = str(settings.PROJECT_ROOT)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        env["PYTHONIOENCODING"] = "utf-8"
        proc = subprocess.Popen(
            [sys.executable, "-m", "steppewatch.clean.html"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=root)
        replies: queue.Queue[bytes | None] = queue.Queue()

        def pump(stream: Any = proc.stdout) -> None:
            while True:
                frame = _read_frame(stream)
                replies.put(frame)
                if frame is None:
                    return

        threading.Thread(target=pump, daemon=True, name="steppewatch-html-reader").start()
        self._proc, self._replies = proc, replies

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(5)
            for stream in (proc.stdin, proc.stdout):
                try:
                    if stream is not None:
                        stream.close()
                except OSError:
                    pass

    def run(self, html: str, url: str | None, timeout: float) -> dict[str, Any]:
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._kill()
                self._start()
            assert self._proc is not None and self._proc.stdin is not None
            try:
                _write_frame(self._proc.stdin,
                             json.dumps({"html": html, "url": url}).encode("utf-8"))
                frame = self._replies.get(timeout=timeout)
            except queue.Empty:
                self._kill()
                raise ExtractionError(f"timeout after {timeout:g} s") from None
            except OSError as exc:
                self._kill()
                raise ExtractionError(f"extraction worker failed: {exc}") from exc
            if frame is None:
                self._kill()
                raise ExtractionError("extraction worker crashed")
            reply = json.loads(frame)
            if not reply.get("ok"):
                raise ExtractionError(str(reply.get("error")))
            return reply["result"]

    def close(self) -> None:
        with self._lock:
            self._kill()


_WORKER = _Worker()


def shutdown_worker() -> None:
    """Stop the extraction worker process (it is restarted on the next call)."""
    _WORKER.close()


def html_to_text(data: bytes, url: str | None = None, *, declared_charset: str | None = None,
                 timeout: float | None = None) -> HtmlExtract:
    """Extract main text and metadata from HTML bytes in a worker process.

    Raises ``ExtractionError`` on timeout (``settings.EXTRACTION_TIMEOUT_S`` by default) and
    for server error pages ("403 Forbidden", "404 Not Found") served as if they were content.
    """
    html = prepare_html(data, declared_charset)
    limit = settings.EXTRACTION_TIMEOUT_S if timeout is None else timeout
    result = _WORKER.run(html, url, limit)
    fields = {k: (clean_control_chars(v).strip() or None) if isinstance(v, str) else None
              for k, v in result.items() if k in HtmlExtract.__dataclass_fields__}
    fields["text"] = clean_control_chars(result.get("text") or "")
    reason = error_page_reason(fields.get("title"), fields["text"])
    if reason:
        raise ExtractionError(reason)
    return HtmlExtract(**fields)


def extract_to_dict(extract: HtmlExtract) -> dict[str, Any]:
    """The extract as a plain dict (for logging and JSON export)."""
    return asdict(extract)


if __name__ == "__main__":
    _serve()
