"""A story is one event's reports: an undated report does not chain visits years apart into one story,
and reports of a meeting repeated every few days do not chain into a months-long story."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from steppewatch.cluster.stories import ArticleSignature, cluster_stories


def _report(i: int, published: str | None, kind: str = "visit", dated: bool = True) -> ArticleSignature:
    """A report published on ``published`` of an event that day (``dated``) or of no stated day."""
    return ArticleSignature(id=f"a{i:03d}", published=published, source=f"outlet{i % 5}", language="en",
                            title=None, fingerprint=None,
                            event_keys={(kind, "KAZ", "UZB", published if dated else None)},
                            people={"Q1", "Q2"})


def test_an_undated_report_joins_one_visit_not_both() -> None:
    visits = [_report(1, "2019-03-10"), _report(2, "2019-03-11"), _report(3, "2023-06-01"), _report(4, "2023-06-02")]
    undated = ArticleSignature(id="a999", published=None, source="blog", language="en", title=None,
                               fingerprint=None, event_keys={("visit", "KAZ", "UZB", None)}, people={"Q1", "Q2"})
    assignment, _ = cluster_stories([*visits, undated], 3, 7)
    assert assignment["a001"] == assignment["a002"] and assignment["a003"] == assignment["a004"]
    assert assignment["a001"] != assignment["a003"], "one undated report chained two visits four years apart"
    assert assignment["a999"] == assignment["a003"], "an undated report joins the latest matching visit"


def test_a_meeting_reported_every_two_days_is_not_one_story_for_a_month() -> None:
    start = dt.date(2024, 1, 1)
    # talks of the same two sides every other day, reported without the day of the meeting
    reports = [_report(i, (start + dt.timedelta(days=2 * i)).isoformat(), "meeting", dated=False)
               for i in range(16)]
    assignment, _ = cluster_stories(reports, 3, 7)
    stories: dict[str, list[str]] = {}
    for report in reports:
        stories.setdefault(assignment[report.id], []).append(str(report.published))
    assert len(stories) > 1
    for days in stories.values():  # every story spans at most 7 days
        assert (dt.date.fromisoformat(max(days)) - dt.date.fromisoformat(min(days))).days <= 7
    assert any(len(days) > 1 for days in stories.values()), "reports two days apart still share stories"


def test_a_store_of_older_story_rules_is_reclustered_whole_once(tmp_path: Path) -> None:
    """Stories made by older rules are all made again on the next ingest, then only around new articles."""
    from steppewatch import pipeline
    from steppewatch.cluster.stories import STORY_RULES
    from steppewatch.models import RawDocument
    from steppewatch.store import open_store

    texts = [f"Kazakh President Kassym-Jomart Tokayev met Uzbek President Shavkat Mirziyoyev in Tashkent on "
             f"March {day}, 2024, the presidential press service said. Report {day}." for day in range(1, 9)]
    with open_store(tmp_path / "s.db") as store:
        pipeline.ingest_documents(store, [RawDocument(f"r{i}.txt", t.encode(), {}) for i, t in enumerate(texts[:6])])
        assert store.story_rules() == STORY_RULES
        store.con.execute("DELETE FROM meta WHERE key = 'story_rules'")
        store.con.commit()
        scopes: list[object] = []
        original = pipeline._neighbourhood
        pipeline._neighbourhood = lambda s, ids: scopes.append(ids) or original(s, ids)  # type: ignore[assignment]
        try:
            pipeline.ingest_documents(store, [RawDocument("r6.txt", texts[6].encode(), {})])
            assert scopes == [] and store.story_rules() == STORY_RULES  # the whole store, once
            pipeline.ingest_documents(store, [RawDocument("r7.txt", texts[7].encode(), {})])
            assert len(scopes) == 1  # then around the new article only
        finally:
            pipeline._neighbourhood = original  # type: ignore[assignment]
