"""Issue 9 (ingest CPU), event dates: a sentence's dates, read in the past or in the future, are those of the
article's reading that lie in the sentence (the text scanned once) == the sentence scanned on its own, and
the events found with the article's dates == the events found scanning each sentence."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from test_speed_equivalence import _real_texts

from steppewatch.clean.article import clean_document
from steppewatch.extract import default_extractor
from steppewatch.extract.dates import find_dates, shifted_date
from steppewatch.extract.text import split_sentences
from steppewatch.models import RawDocument

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from generate import generate_articles

ANCHORS = (None, dt.date(2024, 3, 14), dt.date(2023, 1, 2))


def _texts() -> list[str]:
    return _real_texts() + [clean_document(d).text for d in generate_articles(150, seed=21)]


@pytest.mark.parametrize("future", [False, True])
def test_sentence_dates_sliced_from_the_article_equal_the_sentence_scanned(future: bool) -> None:
    for text in _texts():
        for anchor in ANCHORS:
            article = find_dates(text, anchor, future=future)
            for sentence in split_sentences(text):
                sliced = [shifted_date(d, sentence.start) for d in article
                          if sentence.start <= d.start and d.end <= sentence.end]
                assert sliced == find_dates(sentence.text, anchor, future=future), sentence.text[:200]


def test_events_with_the_article_dates_equal_events_scanning_each_sentence() -> None:
    extractor = default_extractor()
    docs = [RawDocument(f"real-{i}", text.encode(), {}) for i, text in enumerate(_real_texts())]
    for doc in [*docs, *generate_articles(150, seed=22)]:
        article = clean_document(doc)
        processed = extractor.run(article)
        text, on_date = article.text, article.published if article.published and len(article.published) == 10 else None
        anchor = dt.date.fromisoformat(on_date) if on_date else None
        dateline = extractor._dateline_place(article)
        both = [extractor.events.extract(text, processed.mentions, on_date, dateline, article.captions,
                                         article.language, article_dates=dates, source=article.source,
                                         url=article.url)
                for dates in (find_dates(text, anchor), None)]
        assert both[0] == both[1] == processed.events, doc.origin
