"""Deeply nested HTML (more levels than libxml2's limit of 256) gives its text, or the true
reason "too deeply nested", never a misleading "no text content"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from steppewatch.clean.html import ExtractionError, html_to_text, shutdown_worker
from steppewatch.models import RawDocument
from steppewatch.pipeline import outcome_of

TEXT = "President Tokayev met Mirziyoyev in Tashkent on 5 March 2023 to discuss water."


@pytest.fixture(scope="module", autouse=True)
def _worker() -> Iterator[None]:
    yield
    shutdown_worker()


def _nested(depth: int, inner: str, tag: str = "div") -> bytes:
    return (f"<html><head><title>Deep page</title></head><body>{f'<{tag}>' * depth}{inner}"
            f"{f'</{tag}>' * depth}</body></html>").encode()


@pytest.mark.parametrize("depth", [300, 100_000])
def test_deeply_nested_page_gives_its_text(depth: int) -> None:
    page = _nested(depth, f"<p>{TEXT}</p><script>var hidden = 1;</script><p>Second paragraph.</p>")
    extract = html_to_text(page, timeout=60)
    assert extract.text == f"{TEXT}\n\nSecond paragraph."
    assert extract.title == "Deep page"


def test_deeply_nested_inline_tags_give_their_text() -> None:
    assert html_to_text(_nested(5000, TEXT, tag="b"), timeout=60).text == TEXT


def test_deeply_nested_page_without_text_says_so() -> None:
    with pytest.raises(ExtractionError, match="too deeply nested"):
        html_to_text(_nested(100_000, "<script>var x = 1;</script>"), timeout=60)


def test_ingest_reason_is_too_deeply_nested() -> None:
    doc = RawDocument("deep.html", _nested(100_000, ""), {"content_type": "text/html"})
    outcome = outcome_of(doc)
    assert outcome.status == "failed"
    assert outcome.reason is not None and outcome.reason.startswith("too deeply nested")


def test_ingest_of_deep_page_with_text_stores_it() -> None:
    doc = RawDocument("deep.html", _nested(100_000, f"<p>{TEXT}</p>"), {"content_type": "text/html"})
    outcome = outcome_of(doc)
    assert outcome.processed is not None and TEXT in outcome.processed.article.text


def test_shallow_page_unchanged() -> None:
    assert html_to_text(_nested(20, f"<p>{TEXT}</p>")).text == TEXT
