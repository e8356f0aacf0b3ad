"""The Sources page: feed health, articles added per feed, the poll log, and the page itself.

Feeds are polled by ``watch(..., once=True)`` against the loopback server of test_watch.py
(no internet): one good feed, one feed answering 500, one answering 404, and a second round
in which the good feed answers 304.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from store_factory import BLINKEN_TASHKENT, SPECS, build_store  # noqa: E402
from test_watch import Reply, Server  # noqa: E402

from components.sources_view import (  # noqa: E402
    OTHER_LABEL,
    build_added_over_time,
    chart_range,
    feed_table,
    only_problems,
    range_start,
    safe_link,
)
from steppewatch import settings  # noqa: E402
from steppewatch.ingest.readers import documents_from_upload  # noqa: E402
from steppewatch.ingest.watch import FETCH_LOG_KEEP_DAYS, Feed, FeedResult, Fetcher, Watcher, watch  # noqa: E402
from steppewatch.pipeline import ingest_documents  # noqa: E402
from steppewatch.query.sources import (  # noqa: E402
    articles_added_over_time,
    feed_status,
    recent_fetches,
)
from steppewatch.store import open_store  # noqa: E402

PAGE = str(ROOT / "views" / "sources.py")
HOSTILE_NAME = "<script>alert(1)</script> **Wire** [x](javascript:alert(2))"


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    yield srv
    srv.close()


def run_once(db: Path, feeds: list[Feed]) -> list[str]:
    lines: list[str] = []
    with open_store(db) as store:
        watch(store, feeds, once=True, host_interval_s=0, echo=lines.append)
    return lines


def feeds_for(server: Server) -> list[Feed]:
    server.feed("/good.xml", [("Article 0", "/a0.html"), ("Article 1", "/a1.html")])
    server.page("/a0.html", 0)
    server.page("/a1.html", 1)
    server.routes["/broken.xml"] = Reply(500, b"oops")  # /gone.xml has no route: 404
    return [Feed("Local", f"{server.base}/good.xml"), Feed("Broken", f"{server.base}/broken.xml"),
            Feed("Gone", f"{server.base}/gone.xml")]


@pytest.fixture
def watched(server: Server, tmp_path: Path) -> tuple[Path, list[Feed]]:
    """A store after two rounds: Local adds 2 then answers 304; Broken 500 twice; Gone 404 twice."""
    db = tmp_path / "store.db"
    feeds = feeds_for(server)
    run_once(db, feeds)
    lines = run_once(db, feeds)
    assert lines[0] == "Local: not modified"  # the second round really was conditional
    return db, feeds


def by_name(status: pd.DataFrame) -> dict[str, pd.Series]:
    return {row["name"]: row for _, row in status.iterrows()}


def test_feed_status_after_two_rounds(watched: tuple[Path, list[Feed]]) -> None:
    db, feeds = watched
    with open_store(db, read_only=True) as store:
        status = feed_status(store)
    assert list(status["name"]) == ["Broken", "Gone", "Local"]  # failing first
    rows = by_name(status)

    local = rows["Local"]
    assert local["health"] == "ok"
    assert local["url"] == feeds[0].url
    assert pd.notna(local["last_success"]) and local["last_success"] >= local["last_check"] - pd.Timedelta("1s")
    assert pd.isna(local["last_error_at"]) and pd.isna(local["last_error"])
    assert (local["added_total"], local["added_7d"], local["consecutive_failures"]) == (2, 2, 0)
    assert local["last_http_status"] == 304

    broken = rows["Broken"]
    assert broken["health"] == "failing" and "HTTP 500" in broken["last_error"]
    assert pd.isna(broken["last_success"]) and pd.notna(broken["last_error_at"])
    assert (broken["consecutive_failures"], broken["last_http_status"], broken["added_total"]) == (2, 500, 0)
    assert broken["note"] == "last 2 polls failed"

    gone = rows["Gone"]
    assert gone["health"] == "failing" and "HTTP 404" in gone["last_error"]
    assert gone["last_http_status"] == 404


def test_recent_fetches_newest_first_with_reasons(watched: tuple[Path, list[Feed]]) -> None:
    db, _ = watched
    with open_store(db, read_only=True) as store:
        polls = recent_fetches(store, 100)
        assert len(recent_fetches(store, 2)) == 2
    assert list(polls["feed"]) == ["Gone", "Broken", "Local"] * 2
    assert list(polls["outcome"]) == ["error", "error", "not modified", "error", "error", "ok"]
    first_local = polls.iloc[5]
    assert (first_local["items_seen"], first_local["items_new"], first_local["articles_added"]) == (2, 2, 2)
    assert first_local["http_status"] == 200 and pd.isna(first_local["reason"])
    assert "HTTP 404" in polls.iloc[0]["reason"]
    assert set(only_problems(polls)["feed"]) == {"Gone", "Broken"}


def test_recovery_resets_failures_but_keeps_the_last_error(server: Server, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    feeds = feeds_for(server)
    run_once(db, feeds[1:2])
    server.feed("/broken.xml", [("Article 0", "/a0.html")])  # the server is fixed
    run_once(db, feeds[1:2])
    with open_store(db, read_only=True) as store:
        broken = feed_status(store).iloc[0]
    assert (broken["health"], broken["consecutive_failures"], broken["added_total"]) == ("ok", 0, 1)
    assert "HTTP 500" in broken["last_error"] and broken["last_error_at"] <= broken["last_success"]


def test_failed_item_page_is_the_last_error_of_a_good_feed(server: Server, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    server.feed("/feed.xml", [("Gone", "/missing.html"), ("Article 0", "/a0.html")])
    server.page("/a0.html", 0)
    run_once(db, [Feed("Local", f"{server.base}/feed.xml")])
    with open_store(db, read_only=True) as store:
        local = feed_status(store).iloc[0]
        poll = recent_fetches(store, 1).iloc[0]
    assert local["health"] == "ok" and local["added_total"] == 1
    assert "/missing.html" in local["last_error"] and "HTTP 404" in local["last_error"]
    assert (poll["outcome"], poll["items_seen"], poll["articles_added"]) == ("ok", 2, 1)


def test_health_goes_stale_when_not_polled_or_quiet(watched: tuple[Path, list[Feed]]) -> None:
    db, _ = watched
    now = dt.datetime.now(dt.UTC)
    with open_store(db, read_only=True) as store:
        assert by_name(feed_status(store, now=now + dt.timedelta(hours=12)))["Local"]["health"] == "ok"
        later = by_name(feed_status(store, now=now + dt.timedelta(days=2)))["Local"]
        quiet = by_name(feed_status(store, now=now + dt.timedelta(days=8),
                                    stale_after=dt.timedelta(days=30)))["Local"]
        week_later = by_name(feed_status(store, now=now + dt.timedelta(days=8)))["Local"]
    assert later["health"] == "stale" and later["note"].startswith("no successful poll for 2 days")
    assert quiet["health"] == "stale" and quiet["note"].startswith("no new article for 8 days")
    assert week_later["added_7d"] == 0 and week_later["added_total"] == 2


def test_articles_added_per_feed_and_per_source(watched: tuple[Path, list[Feed]]) -> None:
    db, _ = watched
    with open_store(db) as store:
        summary = ingest_documents(store, documents_from_upload("note.txt", BLINKEN_TASHKENT.encode()))
        assert len(summary.ingested) == 1
        daily = articles_added_over_time(store)
        weekly = articles_added_over_time(store, freq="W")
        later = articles_added_over_time(store, since=dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
    today = pd.Timestamp(dt.datetime.now(dt.UTC).date())
    assert set(daily["period"]) == {today}
    counts = dict(zip(daily["label"], daily["added"], strict=True))
    assert counts.pop("Local") == 2
    ((label, n),) = counts.items()
    assert label.endswith("(upload)") and n == 1
    assert dict(zip(daily["label"], daily["channel"], strict=True))["Local"] == "feed"
    assert weekly["period"].dt.day_of_week.eq(0).all() and weekly["added"].sum() == 3
    assert later.empty


def test_a_backfill_spreads_over_its_publication_days(tmp_path: Path) -> None:
    db = build_store(tmp_path / "plain.db")  # every article ingested today, published over many days
    with open_store(db, read_only=True) as store:
        added = articles_added_over_time(store)
        published = articles_added_over_time(store, by="published")
        recent = articles_added_over_time(store, by="published", since=dt.datetime(2023, 3, 1, tzinfo=dt.UTC))
        dated = [row["published"][:10] for row in store.rows("SELECT published FROM articles WHERE published IS NOT "
                                                             "NULL")]
    assert added["period"].nunique() == 1  # the day of the ingest: one bar
    assert {p.strftime("%Y-%m-%d") for p in published["period"]} == set(dated) and len(set(dated)) > 1
    assert published["added"].sum() == len(dated)  # each dated article once; undated ones are left out
    assert all(p >= pd.Timestamp("2023-03-01") for p in recent["period"]) and len(recent) < len(published)


def test_store_never_watched_gives_empty_frames(tmp_path: Path) -> None:
    db = build_store(tmp_path / "plain.db")
    with open_store(db, read_only=True) as store:
        assert feed_status(store).empty and recent_fetches(store, 10).empty
        added = articles_added_over_time(store)
    assert added["added"].sum() == len(SPECS) and all(added["channel"] == "file")
    assert "Reuters (file)" in set(added["label"])


def test_chart_stacks_feeds_and_merges_the_tail() -> None:
    day1, day2 = pd.Timestamp("2026-03-02"), pd.Timestamp("2026-03-03")
    added = pd.DataFrame({"period": [day1, day1, day2, day2, day2],
                          "label": ["<b>Wire</b>", "Small A", "<b>Wire</b>", "Small B", "Big"],
                          "channel": ["feed"] * 5, "added": [3, 1, 2, 1, 9]})
    fig = build_added_over_time(added, top=2)
    assert fig.layout.barmode == "stack"
    names = [t.name for t in fig.data]
    assert names == ["Big", "&lt;b&gt;Wire&lt;/b&gt;", OTHER_LABEL]  # largest first, markup inert
    other = fig.data[2]
    assert list(other.y) == [1, 1]  # Small A on day 1, Small B on day 2
    assert sum(sum(t.y) for t in fig.data) == 16
    assert "<b>" not in fig.data[1].hovertemplate
    empty = build_added_over_time(added.head(0))
    assert not empty.data and empty.layout.annotations[0].text == "No articles added in this range"
    by_day = build_added_over_time(added, by="published")
    assert by_day.layout.yaxis.title.text == "articles published" and "published" in by_day.data[0].hovertemplate


def test_only_http_links() -> None:
    assert safe_link("https://example.org/rss") == "https://example.org/rss"
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "http://", None, 3):
        assert safe_link(bad) is None
    status = pd.DataFrame([{"health": "failing", "name": "x", "url": "javascript:alert(1)", "added_7d": 0}])
    assert feed_table(status).iloc[0]["url"] is None


# -- the page ---------------------------------------------------------------------------------
def page(db: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setattr(settings, "DB_PATH", db)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def rendered_texts(at: AppTest) -> list[str]:
    texts = []
    for kind in ("markdown", "caption", "title", "subheader", "warning", "error", "info", "text", "code"):
        texts += [str(e.value) for e in getattr(at, kind)]
    return texts


def test_page_shows_the_failing_feed_first_with_its_reason(server: Server, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "store.db"
    feeds = feeds_for(server)
    server.routes["/hostile.xml"] = Reply(503)
    hostile = Feed(HOSTILE_NAME, f"{server.base}/hostile.xml")
    run_once(db, [*feeds, hostile])
    run_once(db, feeds)
    at = page(db, monkeypatch)
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Feeds"], metrics["Failing"], metrics["Added by feeds, 7 days"]) == ("4", "3", "2")
    table = at.dataframe[0].value
    first = table.iloc[0]
    assert first["name"] == "Broken" and first["health"].endswith("failing")
    assert "HTTP 500" in first["last error (reason)"] and first["failures in a row"] == 2
    assert table.iloc[-1]["name"] == "Local" and table.iloc[-1]["articles added"] == 2
    assert HOSTILE_NAME in set(table["name"])  # shown as plain table text ...
    assert not any("<script" in t or "javascript:" in t for t in rendered_texts(at))  # ... never as markup

    polls = at.dataframe[1].value
    assert len(polls) == 7 and "not modified" in set(polls["outcome"])
    at.toggle(key="src_problems").set_value(True).run()
    problems = at.dataframe[1].value
    assert len(problems) == 5 and set(problems["outcome"]) == {"error"}


def test_page_on_a_store_never_watched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = page(build_store(tmp_path / "plain.db"), monkeypatch)
    assert not at.error
    assert any("No feed has been watched yet" in i.value for i in at.info)
    assert {m.label: m.value for m in at.metric}["Feeds"] == "0"
    assert any("steppewatch watch --feeds feeds.toml --once" in c.value for c in at.code)
    assert len(at.dataframe) == 0  # no empty tables, just the notes


def test_chart_ranges_start_at_midnight() -> None:
    now = dt.datetime(2026, 3, 31, 15, 30, tzinfo=dt.UTC)
    assert range_start("30 days", now) == dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    assert range_start("1 year", now) == dt.datetime(2025, 4, 1, tzinfo=dt.UTC)
    assert range_start("All time", now) is None


def test_a_crashing_poll_is_logged_and_old_polls_pruned(server: Server, tmp_path: Path) -> None:
    class Crashing(Watcher):
        def poll(self, feed: Feed) -> FeedResult:
            raise RuntimeError("disk full")

    with open_store(tmp_path / "store.db") as store:
        watcher = Crashing(store, Fetcher(host_interval_s=0))
        store.con.execute("INSERT INTO fetch_log (feed_url, at, outcome) VALUES ('http://x/old', ?, 'ok')",
                          ((dt.datetime.now(dt.UTC) - dt.timedelta(days=FETCH_LOG_KEEP_DAYS + 1)).isoformat(),))
        store.con.commit()
        watcher.run_round([Feed("Crashy", f"{server.base}/feed.xml")], echo=lambda _: None)
        status = feed_status(store)
        polls = recent_fetches(store, 10)
    assert list(status["name"]) == ["Crashy"] and status.iloc[0]["health"] == "failing"
    assert status.iloc[0]["last_error"] == "RuntimeError: disk full"
    assert list(polls["url"]) == [f"{server.base}/feed.xml"]  # the year-old poll was pruned


def test_chart_axis_covers_the_whole_range_with_empty_days() -> None:
    now = dt.datetime(2026, 3, 31, 15, 30, tzinfo=dt.UTC)  # a Tuesday
    day = chart_range(range_start("30 days", now), "D", now)
    assert day == (pd.Timestamp("2026-03-01 12:00"), pd.Timestamp("2026-03-31 12:00"))
    week = chart_range(range_start("30 days", now), "W", now)
    assert week == (pd.Timestamp("2026-02-26 12:00"), pd.Timestamp("2026-04-02 12:00"))  # Mondays ± 3.5 days
    assert chart_range(None) is None
    added = pd.DataFrame({"period": [pd.Timestamp("2026-03-30")], "label": ["Wire"], "channel": ["feed"],
                          "added": [4]})
    fig = build_added_over_time(added, x_range=day)
    assert [pd.Timestamp(x) for x in fig.layout.xaxis.range] == list(day)
    assert fig.data[0].width == 0.8 * 86_400_000  # a lone bar is most of a day wide, not a hairline
    assert build_added_over_time(added, bar_days=7).data[0].width == 7 * 0.8 * 86_400_000
