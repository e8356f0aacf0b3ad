"""Bulk rows whose `url` is not http(s) (javascript:, data:, file:, ftp:, relative) are ingested
without a URL: the Article page never shows or links such an address."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from steppewatch.clean.article import clean_document
from steppewatch.clean.urls import is_http_url
from steppewatch.models import RawDocument
from steppewatch.pipeline import ingest_paths
from steppewatch.store import open_store

BAD_URLS = ["javascript:alert(document.cookie)", "JavaScript:alert(1)", " javascript:void(0)",
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "file:///etc/passwd",
            "ftp://example.org/a.txt", "mailto:desk@example.org", "vbscript:msgbox(1)",
            "/news/relative-link", "http://[broken"]
GOOD_URL = "https://example.org/news/ok"


def _text(n: int) -> str:
    return f"President Tokayev met Mirziyoyev in Tashkent on March {n + 1}, 2023 (item {n})."


def _stored_urls(tmp_path: Path, bulk: Path) -> dict[str, object]:
    with open_store(tmp_path / "s.db") as store:
        summary = ingest_paths(store, [bulk])
        assert summary.failed == []
        return {str(r["text"]): r["url"] for r in store.rows("SELECT text, url FROM articles")}


def test_jsonl_rows_with_non_http_urls_are_stored_without_url(tmp_path: Path) -> None:
    bulk = tmp_path / "bulk.jsonl"
    rows = [{"url": u, "source": "Bulk", "text": _text(n)} for n, u in enumerate(BAD_URLS)]
    rows.append({"url": GOOD_URL, "source": "Bulk", "text": _text(len(BAD_URLS))})
    bulk.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    urls = _stored_urls(tmp_path, bulk)
    assert len(urls) == len(rows)  # every row is an article
    assert {t: u for t, u in urls.items() if u is not None} == {_text(len(BAD_URLS)): GOOD_URL}


def test_csv_rows_with_non_http_urls_are_stored_without_url(tmp_path: Path) -> None:
    bulk = tmp_path / "bulk.csv"
    lines = ["url,source,text"] + [f'"{u}",Bulk,"{_text(n)}"' for n, u in enumerate(BAD_URLS[:6])]
    bulk.write_text("\n".join(lines) + "\n", encoding="utf-8")
    urls = _stored_urls(tmp_path, bulk)
    assert len(urls) == 6 and set(urls.values()) == {None}


@pytest.mark.parametrize("url", BAD_URLS)
def test_clean_document_drops_a_non_http_url_from_any_route(url: str) -> None:
    doc = RawDocument("x.txt", _text(0).encode(), {"url": url})
    assert clean_document(doc).url is None
    assert not is_http_url(url)


def test_http_urls_are_kept() -> None:
    for url in (GOOD_URL, "HTTP://example.org/a", "http://example.org/b?id=2"):
        assert clean_document(RawDocument("x.txt", _text(0).encode(), {"url": url})).url == url
