"""The bad-input and fault catalogue (shared reference ``reliability.md`` §5) as tests.

One test (or parametrised case) per catalogue row that concerns ingestion of feeds, pages,
files, bulk rows and uploads, named ``test_rowNN_...``. Each feeds the hostile item into a
real store file that already holds articles, between two good items, and checks what a user
would see: the bad item is in the ingest log with a clear reason (or handled correctly), the
good items of the batch are stored, and nothing stored before is lost.

``CATALOGUE_COVERAGE`` maps every row (1-60) to the test that covers it, or to the reason it is
not covered here; ``EXTRA_CASES`` lists hostile inputs from the issue that have no row number.
"""

from __future__ import annotations

import gzip
import json
import os
import socket
import sys
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from steppewatch import settings
from steppewatch.clean.decode import clean_control_chars
from steppewatch.ingest import documents_from_feed_bytes, documents_from_upload, iter_documents
from steppewatch.models import IngestFailure, RawDocument
from steppewatch.pipeline import IngestSummary, ingest_documents, ingest_paths
from steppewatch.store import Store, open_store

sys.path.insert(0, str(Path(__file__).parent))
from store_factory import SPECS, build_store

NOT_HERE = "not covered here: "
CATALOGUE_COVERAGE: dict[int, str] = {
    1: "test_row01_billion_laughs",
    2: "test_row02_quadratic_entity_blowup",
    3: "test_row03_external_entity_and_system_doctype",
    4: "test_row04_feed_body_that_looks_like_a_path_or_url",
    5: "test_row05_feedparser_raising_inputs",
    6: "test_row06_declared_charset_but_utf8",
    7: "test_row07_truncated_xml_and_stray_ampersand",
    8: "test_row08_empty_error_page_and_json_feed",
    9: "test_row09_malformed_upstream_json",
    10: "test_row10_new_guid_same_link_and_content",
    11: "test_row11_50mb_page_and_extraction_timeout",
    12: "test_row12_huge_colspan",
    13: "test_row13_gzip_bomb",
    14: "test_row14_empty_error_and_shell_pages",
    15: "test_row15_bare_fragment",
    16: "test_row16_script_style_and_handlers_never_stored",
    17: "test_row17_control_chars_and_lone_surrogates",
    18: "test_row18_one_article_in_many_encodings",
    19: "test_row19_unicode_forms_and_apostrophes",
    20: "test_row20_zero_width_and_rtl_marks",
    21: NOT_HERE + "entity resolution quality, pinned by the eval gate (tests/test_eval_gate.py)",
    22: NOT_HERE + "person-name variants, eval gate and people extraction tests",
    23: NOT_HERE + "event status, eval gate and tests/test_roles_and_visits.py",
    24: "test_row24_relative_day_resolved_against_publication_date",
    25: "test_row25_missing_future_epoch_and_url_month_dates",
    26: "test_row26_declared_offset_kept (partly: date ranges '15-17 May' are event "
        "extraction, covered by the event tests)",
    27: NOT_HERE + "the eval gate itself (tests/test_eval_gate.py)",
    28: "test_row28_same_batch_twice_and_same_article_from_two_feeds",
    29: NOT_HERE + "URL normalisation table (tests/test_urls.py)",
    30: NOT_HERE + "title normalisation (clustering/URL helpers' tests)",
    31: NOT_HERE + "clustering (tests/test_cluster.py)",
    32: NOT_HERE + "clustering (tests/test_cluster.py)",
    33: NOT_HERE + "dedup key migration (tests/test_urls.py)",
    34: NOT_HERE + "store concurrency: readers vs the writer (store tests)",
    35: NOT_HERE + "two writers: the writer file lock (store tests)",
    36: "test_row36_kill_9_mid_batch",
    37: NOT_HERE + "disk full needs a size-limited filesystem (not available without root mounts)",
    38: NOT_HERE + "snapshot publishing: the store is SQLite in WAL mode, no snapshot files",
    39: NOT_HERE + "concurrent dashboard sessions (app/load tests)",
    40: NOT_HERE + "schema migration (store tests)",
    41: NOT_HERE + "DuckDB WAL replay: the store is SQLite",
    42: NOT_HERE + "rendering (tests/test_components.py, tests/test_browser.py); stored text is "
        "checked script-free in test_row16",
    43: NOT_HERE + "link rendering (component tests); feed links are kept http(s)-only in test_row16",
    44: NOT_HERE + "markdown rendering (component/app tests)",
    45: NOT_HERE + "highlight markup (component tests)",
    46: NOT_HERE + "HTML helpers of the UI (component tests)",
    47: "test_row47_hostile_uploads",
    48: NOT_HERE + "Streamlit server configuration (client.showErrorDetails)",
    49: NOT_HERE + "query parameters (tests/test_filters.py, tests/test_app.py)",
    50: NOT_HERE + "query parameter round trip (tests/test_filters.py)",
    51: NOT_HERE + "page switching (tests/test_app.py)",
    52: NOT_HERE + "load test with many browser sessions",
    53: NOT_HERE + "session lifecycle under a real server",
    54: NOT_HERE + "long-running fragment refresh under a real server",
    55: NOT_HERE + "authentication is a deployment concern (no login in the self-hosted app)",
    56: NOT_HERE + "authentication is a deployment concern",
    57: NOT_HERE + "replicas/sticky sessions (staging)",
    58: NOT_HERE + "login smoke test (staging)",
    59: NOT_HERE + "proxy headers (staging)",
    60: NOT_HERE + "upload through the production proxy with XSRF (staging)",
}
EXTRA_CASES: dict[str, str] = {
    "feed with 10k items": "test_extra_feed_with_10k_items",
    "huge single line (text, JSONL)": "test_extra_huge_single_line",
    "CSV with wrong columns": "test_extra_csv_with_wrong_columns",
    "binary file with .txt extension, empty file": "test_extra_binary_and_empty_files",
    "symlink loop": "test_extra_symlink_loop",
    "permission denied": "test_extra_permission_denied",
}

GOOD_FIRST = ("000_good.txt", "Kazakh President Kassym-Jomart Tokayev arrived in Tashkent on "
              "Tuesday for talks with Shavkat Mirziyoyev on water and transport.")
GOOD_LAST = ("zzz_good.txt", "Kyrgyz President Sadyr Japarov visited Dushanbe and met Emomali "
             "Rahmon to discuss the border between Kyrgyzstan and Tajikistan.")
PREVIOUS = {spec.id: spec.text for spec in SPECS}
CYRILLIC = "Президент Казахстана Касым-Жомарт Токаев прибыл в Ташкент с государственным визитом."


# --------------------------------------------------------------------------- helpers


@dataclass
class Batch:
    """What one ingest did, as the ingest log and the articles table show it."""

    summary: IngestSummary
    store: Store

    def failed(self, name: str) -> str:
        """Reason of the failed item whose origin contains ``name`` (exactly one)."""
        reasons = [f.reason for f in self.summary.failed if name in f.origin]
        assert len(reasons) == 1, (name, self.summary.failed)
        return reasons[0]

    def stored(self, name: str) -> list[dict[str, object]]:
        return self.store.rows("SELECT * FROM articles WHERE origin LIKE ? ORDER BY origin",
                               (f"%{name}%",))

    def log(self, name: str) -> list[dict[str, object]]:
        return self.store.rows("SELECT status, reason FROM ingest_log WHERE origin LIKE ?",
                               (f"%{name}%",))

    def everything(self) -> str:
        """Every text column a user could ever see, for leak checks."""
        parts = [str(v) for r in self.store.rows("SELECT * FROM articles") for v in r.values()]
        parts += [str(r["text"]) for r in self.store.rows("SELECT text FROM mentions")]
        parts += [str(r["reason"]) for r in self.store.rows("SELECT reason FROM ingest_log")]
        return "\n".join(parts)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A real store file that already holds six articles (tests/store_factory.py)."""
    s = open_store(build_store(tmp_path / "s.db"))
    yield s
    s.close()


def assert_batch_went_on(batch: Batch, good: tuple[str, ...] = (GOOD_FIRST[0], GOOD_LAST[0])) -> None:
    """The good items around the bad one are stored, and the articles stored before are intact."""
    for name in good:
        rows = batch.stored(name)
        assert rows, f"good item {name} was not stored: {batch.summary.failed}"
    before = {str(r["id"]): str(r["text"]) for r in batch.store.rows(
        "SELECT id, text FROM articles WHERE id IN ({})".format(",".join("?" * len(PREVIOUS))),
        list(PREVIOUS))}
    assert before == PREVIOUS


def ingest_files(store: Store, folder: Path, files: dict[str, bytes]) -> Batch:
    """Write ``files`` between two good text files into ``folder`` and ingest the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (GOOD_FIRST, GOOD_LAST):
        (folder / name).write_text(text, encoding="utf-8")
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return Batch(ingest_paths(store, [folder]), store)


def ingest_items(store: Store, items: list[RawDocument | IngestFailure]) -> Batch:
    """Ingest in-memory items (uploads, feed bytes) between two good documents."""
    def good(name: str, text: str) -> RawDocument:
        return RawDocument(f"upload:{name}", text.encode(), {"content_type": "text/plain"})

    batch = [good(*GOOD_FIRST), *items, good(*GOOD_LAST)]
    return Batch(ingest_documents(store, batch), store)


def rss(items: str, head: str = '<?xml version="1.0" encoding="utf-8"?>') -> bytes:
    return (f'{head}<rss version="2.0"><channel><title>Test wire</title>{items}</channel></rss>'
            ).encode()


def item(title: str, text: str, link: str = "", guid: str = "") -> str:
    link_el = f"<link>{link}</link>" if link else ""
    guid_el = f"<guid>{guid}</guid>" if guid else ""
    return f"<item><title>{title}</title>{link_el}{guid_el}<description>{text}</description></item>"


def peak_bytes(func: object, *args: object) -> tuple[int, float]:
    """(peak Python heap bytes, seconds) while running ``func(*args)``."""
    tracemalloc.start()
    start = time.monotonic()
    try:
        func(*args)  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1], time.monotonic() - start
    finally:
        tracemalloc.stop()


# --------------------------------------------------------------------------- coverage table


def test_coverage_table_names_every_row_and_only_real_tests() -> None:
    assert sorted(CATALOGUE_COVERAGE) == list(range(1, 61))
    names = set(globals())
    for row, entry in CATALOGUE_COVERAGE.items():
        if not entry.startswith(NOT_HERE):
            assert entry.split()[0] in names, f"row {row}: {entry} does not exist"
            assert entry.startswith(f"test_row{row:02d}_")
    for entry in EXTRA_CASES.values():
        assert entry in names


# --------------------------------------------------------------------------- feeds / XML

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 2 else b"&lol;") * 10)
               for i in range(2, 10))
    + b']><rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title>'
      b"<description>&lol9; Kazakhstan hosted the summit.</description></item></channel></rss>")


def test_row01_billion_laughs(store: Store, tmp_path: Path) -> None:
    peak, _seconds = peak_bytes(documents_from_feed_bytes, BILLION_LAUGHS, "https://example.org/f")
    assert peak < 20 * 1024 * 1024  # expanded: about 3 GB
    batch = ingest_files(store, tmp_path / "in", {"bomb.xml": BILLION_LAUGHS})
    assert_batch_went_on(batch)
    [row] = batch.stored("bomb.xml")
    assert "lollol" not in batch.everything()
    assert "Kazakhstan hosted the summit." in str(row["text"])
    assert "DOCTYPE/entity declarations removed" in str(batch.log("bomb.xml")[0]["reason"])


def test_row02_quadratic_entity_blowup(store: Store, tmp_path: Path) -> None:
    feed = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY big "' + b"A" * 100_000 + b'">]>'
            b'<rss version="2.0"><channel><item><title>Big</title><description>'
            + b"&big;" * 10_000 + b" Astana</description></item></channel></rss>")
    peak, _seconds = peak_bytes(documents_from_feed_bytes, feed, "https://example.org/f")
    assert peak < 30 * 1024 * 1024  # expanded: about 1 GB
    batch = ingest_files(store, tmp_path / "in", {"quadratic.xml": feed})
    assert_batch_went_on(batch)
    assert "A" * 1000 not in batch.everything()
    # the entity is never expanded: the item keeps the literal references, the log says why
    assert "DOCTYPE/entity declarations removed" in str(batch.log("quadratic.xml")[0]["reason"])


def test_row03_external_entity_and_system_doctype(store: Store, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER root:x:0:0")
    feeds = {
        "xxe.rss": rss(item("&xxe;", "&xxe; Kazakhstan signed the deal."),
                       head=f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM '
                            f'"file://{secret}">]>'),
        "passwd.rss": rss(item("&p;", "&p; Uzbekistan signed the deal."),
                          head='<?xml version="1.0"?><!DOCTYPE rss SYSTEM "file:///etc/passwd" '
                               '[<!ENTITY p SYSTEM "file:///etc/passwd">]>'),
        "param.rss": rss(item("t", "Tajikistan signed the deal."),
                         head=f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % x SYSTEM '
                              f'"file://{secret}"> %x;]>'),
    }
    batch = ingest_files(store, tmp_path / "in", {k: v for k, v in feeds.items()})
    assert_batch_went_on(batch)
    everything = batch.everything()
    assert "TOP-SECRET-MARKER" not in everything and "root:x:0:0" not in everything
    for name, country in (("xxe.rss", "Kazakhstan"), ("passwd.rss", "Uzbekistan"),
                          ("param.rss", "Tajikistan")):
        [row] = batch.stored(name)
        assert f"{country} signed the deal." in str(row["text"])


class Listener:
    """A loopback TCP socket that counts connection attempts (nothing may connect)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.setblocking(False)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/feed.xml"

    def connections(self) -> int:
        n = 0
        while True:
            try:
                conn, _ = self.sock.accept()
            except BlockingIOError:
                return n
            conn.close()
            n += 1


def test_row04_feed_body_that_looks_like_a_path_or_url(store: Store, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret_feed = outside / "secret.rss"
    secret_feed.write_bytes(rss(item("SECRET-FEED-ITEM", "SECRET-FEED-ITEM in Astana")))
    listener = Listener()
    try:
        batch = ingest_files(store, tmp_path / "in", {
            "path.xml": str(secret_feed).encode(), "url.rss": listener.url.encode(),
            "file_url.atom": f"file://{secret_feed}".encode()})
        uploads = ingest_items(store, documents_from_upload("up.xml", str(secret_feed).encode()))
        time.sleep(0.1)
        assert listener.connections() == 0
    finally:
        listener.sock.close()
    assert_batch_went_on(batch)
    assert "SECRET-FEED-ITEM" not in batch.everything()
    for name in ("path.xml", "url.rss", "file_url.atom"):
        assert batch.failed(name).startswith("not a feed")
    assert uploads.failed("upload:up.xml").startswith("not a feed")


@pytest.mark.parametrize(("feed", "expected"), [
    pytest.param(b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY path "C:\\data">]>'
                 b'<rss version="2.0"><channel><item><title>&path;</title>'
                 b"<description>Astana news</description></item></channel></rss>",
                 "kept: SAXParseException", id="backslash-entity"),
    pytest.param(rss(item("&#1114112;", "Astana news")), "feed parse error: ValueError",
                 id="codepoint-too-large"),
    pytest.param(rss(item("&#55296;", "Astana news")), "feed parse error: UnicodeEncodeError",
                 id="surrogate-reference"),
    pytest.param(b'<rss version="2.0" xmlns:georss="http://www.georss.org/georss" '
                 b'xmlns:gml="http://www.opengis.net/gml"><channel><item><title>t</title>'
                 b"<description>Astana news</description><georss:where><gml:Point "
                 b'srsName="urn:ogc:def:crs:EPSG:abc"><gml:pos>45 56</gml:pos></gml:Point>'
                 b"</georss:where></item></channel></rss>", "feed parse error: ValueError",
                 id="non-numeric-srsName"),
])
def test_row05_feedparser_raising_inputs(store: Store, tmp_path: Path, feed: bytes,
                                         expected: str) -> None:
    batch = ingest_files(store, tmp_path / "in", {"odd.xml": feed})
    assert_batch_went_on(batch)
    if expected.startswith("kept: "):
        [row] = batch.stored("odd.xml")
        assert row["text"] == "Astana news"
        assert expected.removeprefix("kept: ") in str(batch.log("odd.xml")[0]["reason"])
    else:
        assert batch.failed("odd.xml").startswith(expected)


@pytest.mark.parametrize("declared", ["windows-1251", "us-ascii", "KOI8-R"])
def test_row06_declared_charset_but_utf8(store: Store, tmp_path: Path, declared: str) -> None:
    feed = rss(item("Токаев в Ташкенте", CYRILLIC),
               head=f'<?xml version="1.0" encoding="{declared}"?>')
    genuine = rss(item("Токаев в Ташкенте", CYRILLIC.replace("Ташкент", "Бишкек")),
                  head='<?xml version="1.0" encoding="windows-1251"?>').decode().encode("cp1251")
    batch = ingest_files(store, tmp_path / "in", {"mislabelled.xml": feed, "genuine.xml": genuine})
    assert_batch_went_on(batch)
    [row] = batch.stored("mislabelled.xml")
    assert row["text"] == CYRILLIC and row["title"] == "Токаев в Ташкенте"
    [log] = batch.log("mislabelled.xml")
    assert log["status"] == "ingested"
    assert f"declared encoding {declared} but the bytes are UTF-8" in str(log["reason"])
    [row] = batch.stored("genuine.xml")  # a feed really in windows-1251 is still read as such
    assert row["text"] == CYRILLIC.replace("Ташкент", "Бишкек")


CHINESE = "哈萨克斯坦总统托卡耶夫抵达塔什干进行国事访问。"


@pytest.mark.parametrize(("text", "real", "declared", "warned"), [
    pytest.param(CYRILLIC, "koi8_r", "windows-1251", True, id="koi8r-labelled-cp1251"),
    pytest.param(CYRILLIC, "cp1251", "KOI8-R", True, id="cp1251-labelled-koi8r"),
    pytest.param(CYRILLIC, "cp1251", "utf-8", True, id="cp1251-labelled-utf8"),
    pytest.param(CHINESE, "gb18030", "utf-8", True, id="gb18030-labelled-utf8"),
    pytest.param(CHINESE, "gb18030", "windows-1251", True, id="gb18030-labelled-cp1251"),
    pytest.param(CYRILLIC, "utf-16", "windows-1251", False, id="utf16-bom-labelled-cp1251"),
    pytest.param(CYRILLIC, "koi8_r", "KOI8-R", False, id="correct-label"),
])
def test_row06_legacy_charset_mislabelled(store: Store, tmp_path: Path, text: str, real: str,
                                          declared: str, warned: bool) -> None:
    feed = (f'<?xml version="1.0" encoding="{declared}"?><rss version="2.0"><channel><title>W'
            f"</title>{item('Визит', text)}</channel></rss>").encode(real)
    batch = ingest_files(store, tmp_path / "in", {"feed.xml": feed})
    assert_batch_went_on(batch)
    [row] = batch.stored("feed.xml")
    assert row["text"] == text
    [log] = batch.log("feed.xml")
    assert ("but the bytes are" in str(log["reason"])) is warned


def test_row07_truncated_xml_and_stray_ampersand(store: Store, tmp_path: Path) -> None:
    truncated = rss(item("One", "Tokayev arrived in Astana.") + item("Two", "Japarov left"))[:-40]
    amp = rss(item("Tom & Jerry in Astana", "Mirziyoyev met Rahmon in Dushanbe."))
    batch = ingest_files(store, tmp_path / "in", {"truncated.xml": truncated, "amp.xml": amp})
    assert_batch_went_on(batch)
    assert next(r["text"] for r in batch.stored("truncated.xml")) == "Tokayev arrived in Astana."
    [row] = batch.stored("amp.xml")
    assert row["title"] == "Tom & Jerry in Astana"
    for name in ("truncated.xml", "amp.xml"):
        assert "SAXParseException" in str(batch.log(name)[0]["reason"])


def test_row08_empty_error_page_and_json_feed(store: Store, tmp_path: Path) -> None:
    json_feed = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "J",
                            "items": [{"id": "1", "url": "https://example.org/j1",
                                       "content_text": "Mirziyoyev received Tokayev in Samarkand.",
                                       "date_published": "2023-02-28T09:00:00+05:00"}]})
    batch = ingest_files(store, tmp_path / "in", {
        "empty.xml": b"", "error.rss": b"<html><body><h1>503 Service Unavailable</h1></body></html>",
        "feed.json": json_feed.encode()})
    assert_batch_went_on(batch)
    assert batch.failed("empty.xml") == "empty"
    assert batch.failed("error.rss") == "not a feed"
    [row] = batch.stored("example.org/j1")
    assert row["text"] == "Mirziyoyev received Tokayev in Samarkand."
    assert row["published"] == "2023-02-28"


def test_row09_malformed_upstream_json(store: Store, tmp_path: Path) -> None:
    lines = [
        json.dumps({"url": "https://example.org/ok1", "text": "Tokayev met Putin in Astana."}),
        '{"url": "https://example.org/cut", "text": "Rahmon',
        json.dumps(["not", "an", "object"]),
        '"just a string"',
        "{'single': 'quotes'}",
        json.dumps({"url": "https://example.org/ok2", "text": "Japarov met Xi in Xi'an."}),
    ]
    gdelt = b'{"articles": [{"url": "https://example.org/g", "title": "x\\"}]} trailing'
    batch = ingest_files(store, tmp_path / "in", {"api.jsonl": "\n".join(lines).encode(),
                                                   "gdelt.json": gdelt})
    assert_batch_went_on(batch, ("example.org/ok1", "example.org/ok2", GOOD_LAST[0]))
    assert batch.failed("api.jsonl#row2").startswith("line 2: invalid JSON")
    assert batch.failed("api.jsonl#row3") == "line 3: row is not an object"
    assert batch.failed("api.jsonl#row4") == "line 4: row is not an object"
    assert batch.failed("api.jsonl#row5").startswith("line 5: invalid JSON")
    assert batch.failed("gdelt.json").startswith("invalid JSON")


def test_row10_new_guid_same_link_and_content(store: Store, tmp_path: Path) -> None:
    first = rss(item("Visit", "Tokayev arrived in Tashkent.", "https://example.org/v", "guid-1"))
    again = rss(item("Visit", "Tokayev arrived in Tashkent.", "https://example.org/v", "guid-2"))
    ingest_files(store, tmp_path / "a", {"feed.xml": first})
    count = store.count("articles")
    batch = ingest_files(store, tmp_path / "b", {"feed.xml": again})
    assert store.count("articles") == count
    assert len(batch.stored("example.org/v")) == 1
    assert "https://example.org/v" in batch.summary.unchanged


# --------------------------------------------------------------------------- HTML / text


def write_lazily(path: Path, head: bytes, chunk: bytes, total: int, tail: bytes) -> None:
    """Write a big file chunk by chunk (never holding it in memory)."""
    with path.open("wb") as f:
        f.write(head)
        for _ in range(total // len(chunk)):
            f.write(chunk)
        f.write(tail)


def test_row11_50mb_page_and_extraction_timeout(store: Store, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    row = b"<tr><td>Kazakhstan</td><td>Uzbekistan</td></tr>" * 1000
    write_lazily(folder / "huge.html", b"<html><body><table>", row, 50 * 1024 * 1024,
                 b"</table></body></html>")
    slow = b"<div><p>Kazakhstan Uzbekistan talks</p></div>" * 50_000  # 2 MB: under the cap
    monkeypatch.setattr(settings, "EXTRACTION_TIMEOUT_S", 0.05)
    start = time.monotonic()
    batch = ingest_files(store, folder, {"slow.html": b"<html><body>" + slow + b"</body></html>"})
    assert time.monotonic() - start < 30
    assert_batch_went_on(batch)
    assert batch.failed("huge.html") == "too large: 50 MB > 20 MB cap"
    assert batch.failed("slow.html") == "timeout after 0.05 s"
    monkeypatch.setattr(settings, "EXTRACTION_TIMEOUT_S", 20.0)  # the worker was replaced
    after = ingest_items(store, [RawDocument("upload:after.html", b"<p>Rahmon visited Bishkek.</p>",
                                             {"content_type": "text/html"})])
    assert after.stored("upload:after.html")[0]["text"] == "Rahmon visited Bishkek."


def test_row12_huge_colspan(store: Store, tmp_path: Path) -> None:
    page = (b"<html><body><table><tr><td colspan='9007199254740991' rowspan='9007199254740991'>"
            b"Kazakhstan and Uzbekistan signed a water deal.</td></tr></table></body></html>")
    batch = ingest_files(store, tmp_path / "in", {"colspan.html": page})
    assert_batch_went_on(batch)
    assert batch.stored("colspan.html")[0]["text"] == "Kazakhstan and Uzbekistan signed a water deal."


def gzip_bomb(path: Path, gigabytes: int = 10) -> None:
    """A multi-member gzip file that expands to ``gigabytes`` GB (about 10 MB on disk)."""
    member = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)
    with path.open("wb") as f:
        for _ in range(gigabytes * 16):
            f.write(member)


def test_row13_gzip_bomb(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    gzip_bomb(folder / "bomb.html.gz")
    (folder / "rows.jsonl.gz").write_bytes((folder / "bomb.html.gz").read_bytes()[:2_000_000])
    start = time.monotonic()
    batch = ingest_files(store, folder, {"page.html.zst": b"(\xb5/\xfd" + b"\0" * 100})
    assert time.monotonic() - start < 30
    assert_batch_went_on(batch)
    assert batch.failed("bomb.html.gz") == "decompressed size over 20 MB cap"
    assert batch.failed("rows.jsonl.gz") == "decompressed size over 40 MB cap"
    assert batch.failed("page.html.zst") == "unsupported file type '.zst'"


@pytest.mark.parametrize(("page", "reason"), [
    pytest.param(b"", "empty", id="empty-body"),
    pytest.param(b"<html><body></body></html>", "no text content", id="empty-html"),
    pytest.param(b"<html><head><title>403 Forbidden</title></head><body><h1>403 Forbidden</h1>"
                 b"<hr><center>nginx</center></body></html>",
                 "http_error: error page ('403 Forbidden'), not an article", id="403"),
    pytest.param(b"<html><head><title>Error 404 - Page not found</title></head><body><h1>Not "
                 b"Found</h1><p>The requested URL was not found on this server.</p></body></html>",
                 "http_error: error page ('Not Found'), not an article", id="404"),
    pytest.param(b"<html><head><title>App</title><script>load()</script></head><body><noscript>"
                 b"You need to enable JavaScript to run this app.</noscript><div id=root></div>"
                 b"</body></html>", "no text content", id="javascript-shell"),
    pytest.param(b"<html><head><title>Tokayev visits Tashkent</title></head><body>"
                 b"<p>Subscribe to continue reading.</p></body></html>",
                 "no article text after cleaning", id="paywall-stub"),
])
def test_row14_empty_error_and_shell_pages(store: Store, tmp_path: Path, page: bytes,
                                          reason: str) -> None:
    batch = ingest_files(store, tmp_path / "in", {"page.html": page})
    assert_batch_went_on(batch)
    assert batch.failed("page.html") == reason
    assert batch.stored("page.html") == []


def test_row14_news_about_numbers_is_not_an_error_page(store: Store, tmp_path: Path) -> None:
    page = b"<html><head><title>404 people evacuated</title></head><body><p>Floods forced 404 " \
           b"people in Kyrgyzstan to leave their homes.</p></body></html>"
    batch = ingest_files(store, tmp_path / "in", {"news.html": page})
    assert batch.stored("news.html")[0]["text"] == ("Floods forced 404 people in Kyrgyzstan to "
                                                     "leave their homes.")


def test_row15_bare_fragment(store: Store, tmp_path: Path) -> None:
    batch = ingest_files(store, tmp_path / "in", {"fragment.html": b"<p>Tokayev met Mirziyoyev "
                                                                   b"in Astana.</p>"})
    assert_batch_went_on(batch)
    [row] = batch.stored("fragment.html")
    assert row["text"] == "Tokayev met Mirziyoyev in Astana."
    people = {r["name"] for r in store.rows("SELECT name FROM people WHERE article_id = ?",
                                            (row["id"],))}
    assert {"Kassym-Jomart Tokayev", "Shavkat Mirziyoyev"} <= people


def test_row16_script_style_and_handlers_never_stored(store: Store, tmp_path: Path) -> None:
    page = (b"<html><head><title>Talks</title><style>body{color:red}</style></head><body>"
            b"<p>Kazakhstan <img src=x onerror=alert(1)> hosted talks.</p><script>alert(2)</script>"
            b"<iframe srcdoc='<script>alert(3)</script>'></iframe>"
            b"<p>The text says &lt;script&gt; literally.</p></body></html>")
    feed = rss(item("x", "&lt;script&gt;alert(4)&lt;/script&gt;&lt;a href=&quot;javascript:"
                         "alert(5)&quot; onclick=&quot;alert(6)&quot;&gt;Astana summit&lt;/a&gt;",
                    link="javascript:alert(7)"))
    batch = ingest_files(store, tmp_path / "in", {"page.html": page, "feed.rss": feed})
    assert_batch_went_on(batch)
    [html_row] = batch.stored("page.html")
    assert html_row["text"] == "Kazakhstan hosted talks.\n\nThe text says <script> literally."
    [feed_row] = batch.stored("feed.rss")
    assert feed_row["text"] == "Astana summit" and feed_row["url"] is None
    stored = " ".join(str(r[c]) for r in (html_row, feed_row) for c in ("text", "title", "url"))
    for payload in ("alert", "onerror", "onclick", "javascript:", "color:red"):
        assert payload not in stored


def test_row17_control_chars_and_lone_surrogates(store: Store, tmp_path: Path) -> None:
    dirty = "Tokayev\x00 met\x1d Japarov \uffff in Bishkek.\ud800 \x1b[31mToday\x1b[0m."
    jsonl = '{"url": "https://example.org/j", "text": "Rahmon\\u0000 visited\\ufffe Astana\\ud800."}'
    csv_data = b'url,title,text\nhttps://example.org/c,\x07Bell,"Japarov\x00 met Rahmon \x1d."\n'
    batch = ingest_files(store, tmp_path / "in", {
        "dirty.txt": dirty.encode("utf-8", "surrogatepass"), "rows.jsonl": jsonl.encode(),
        "rows.csv": csv_data})
    assert_batch_went_on(batch)
    assert batch.stored("dirty.txt")[0]["text"] == "Tokayev met Japarov in Bishkek. Today."
    assert batch.stored("example.org/j")[0]["text"] == "Rahmon visited Astana?."
    row = batch.stored("example.org/c")[0]
    assert (row["text"], row["title"]) == ("Japarov met Rahmon .", "Bell")
    for r in store.rows("SELECT text, title FROM articles"):
        assert clean_control_chars(str(r["text"])) == r["text"]


@pytest.mark.parametrize(("text", "encodings"), [
    pytest.param(CYRILLIC, ["utf-8", "cp1251", "koi8_r", "gb18030", "utf-16", "utf-8-sig"],
                 id="russian"),
    pytest.param("Le président Tokaïev a reçu à Astana le ministre français des Affaires "
                 "étrangères; l'entretien a été très cordial.", ["utf-8", "latin-1"], id="french"),
    pytest.param("哈萨克斯坦总统托卡耶夫抵达塔什干进行国事访问。", ["utf-8", "gb18030", "utf-16"],
                 id="chinese"),
])
def test_row18_one_article_in_many_encodings(store: Store, tmp_path: Path, text: str,
                                            encodings: list[str]) -> None:
    files = {f"text_{enc}.txt": text.encode(enc) for enc in encodings}
    page = f"<html><head><meta charset='{{}}'></head><body><p>{text}</p></body></html>"
    files.update({f"page_{enc}.html": page.format(enc).encode(enc) for enc in encodings})
    files["page_mislabelled.html"] = page.format("windows-1251").encode("utf-8")
    batch = ingest_files(store, tmp_path / "in", files)
    assert_batch_went_on(batch)
    assert batch.summary.failed == []
    rows = store.rows("SELECT text FROM articles WHERE origin LIKE '%text_%' OR origin LIKE "
                      "'%page_%'")
    assert [r["text"] for r in rows] == [text]  # every copy decoded to the same text: one row
    assert len(batch.summary.unchanged) == len(files) - 1


def test_row19_unicode_forms_and_apostrophes(store: Store, tmp_path: Path) -> None:
    spellings = {"okina.txt": "Oʻzbekiston", "quote.txt": "O‘zbekiston", "ascii.txt": "O'zbekiston"}
    files = {name: f"{word} prezidenti Samarqandda mehmonlarni kutib oldi.".encode()
             for name, word in spellings.items()}
    files["kk_cyrillic.txt"] = "Қазақстан Президенті Астанада қонақтарды қарсы алды.".encode()
    files["kk_latin.txt"] = b"Qazaqstan Prezidenti Astanada qonaqtardy qarsy aldy."
    files["nfc.txt"] = "\u00c4ffin met Tokayev in Astana.".encode()
    files["nfd.txt"] = "A\u0308ffin met Tokayev in Astana.".encode()
    batch = ingest_files(store, tmp_path / "in", files)
    assert_batch_went_on(batch)
    for name, word in spellings.items():
        [row] = batch.stored(name)
        assert word in str(row["text"])  # the original spelling is kept for display
        mentions = store.rows("SELECT text, iso3 FROM mentions WHERE article_id = ? AND kind = "
                              "'country'", (row["id"],))
        assert {"text": word, "iso3": "UZB"} in mentions
    for name in ("kk_cyrillic.txt", "kk_latin.txt"):
        [row] = batch.stored(name)
        assert store.rows("SELECT 1 FROM mentions WHERE article_id = ? AND iso3 = 'KAZ'",
                          (row["id"],))
    assert len(batch.stored("nfc.txt")) == 1 and batch.stored("nfd.txt") == []
    assert any("nfd.txt" in origin for origin in batch.summary.unchanged)


def test_row20_zero_width_and_rtl_marks(store: Store, tmp_path: Path) -> None:
    marked = "President To\u200bka\u200fyev visited Tash\u200dkent and met Mirzi\u00adyoyev."
    batch = ingest_files(store, tmp_path / "in", {"marks.txt": marked.encode()})
    assert_batch_went_on(batch)
    [row] = batch.stored("marks.txt")
    assert row["text"] == "President Tokayev visited Tashkent and met Mirziyoyev."
    assert row["raw_text"] == marked  # the text as received is kept
    names = {r["name"] for r in store.rows("SELECT name FROM people WHERE article_id = ?",
                                           (row["id"],))}
    assert {"Kassym-Jomart Tokayev", "Shavkat Mirziyoyev"} <= names
    assert store.rows("SELECT 1 FROM mentions WHERE article_id = ? AND text = 'Tashkent'",
                      (row["id"],))


# --------------------------------------------------------------------------- dates


def bulk(rows: list[dict[str, str]]) -> bytes:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode()


def test_row24_relative_day_resolved_against_publication_date(store: Store, tmp_path: Path) -> None:
    batch = ingest_files(store, tmp_path / "in", {"rows.jsonl": bulk([
        {"url": "https://example.org/y", "published": "2023-02-28",
         "text": "Tokayev visited Tashkent yesterday and met Mirziyoyev."}])})
    assert_batch_went_on(batch)
    [row] = batch.stored("example.org/y")
    dates = {r["date"] for r in store.rows("SELECT date FROM events WHERE article_id = ?",
                                           (row["id"],))}
    assert dates == {"2023-02-27"}  # the day before publication, not before the ingest


@pytest.mark.parametrize(("url", "published", "precision"), [
    pytest.param("https://example.org/none", "", "unknown", id="missing"),
    pytest.param("https://example.org/future", "2099-01-01", "unknown", id="future"),
    pytest.param("https://example.org/epoch", "1970-01-01T00:00:00Z", "unknown", id="epoch"),
    pytest.param("https://example.org/2014/04/story", "", "unknown", id="url-month"),
    pytest.param("https://example.org/ok", "2023-02-28T09:00:00+06:00", "day", id="valid"),
])
def test_row25_missing_future_epoch_and_url_month_dates(store: Store, tmp_path: Path, url: str,
                                                       published: str, precision: str) -> None:
    batch = ingest_files(store, tmp_path / "in", {"rows.jsonl": bulk([
        {"url": url, "published": published, "text": "Japarov visited Ashgabat for talks."}])})
    assert_batch_went_on(batch)
    [row] = batch.stored(url)
    assert row["published_precision"] == precision
    assert (row["published"] is None) == (precision == "unknown")


def test_row26_declared_offset_kept(store: Store, tmp_path: Path) -> None:
    batch = ingest_files(store, tmp_path / "in", {"rows.jsonl": bulk([
        {"url": "https://example.org/tz", "published": "2023-03-01T02:00:00+05:00",
         "text": "Rahmon arrived in Astana."}])})
    [row] = batch.stored("example.org/tz")
    assert row["published"] == "2023-03-01"  # the source's calendar day (UTC: 28 Feb 21:00)
    assert "2023-03-01T02:00:00+05:00" in str(row["published_evidence"])


# --------------------------------------------------------------------------- dedup, crash


def test_row28_same_batch_twice_and_same_article_from_two_feeds(store: Store,
                                                               tmp_path: Path) -> None:
    story = item("Visit", "Tokayev arrived in Tashkent for a state visit.", "https://example.org/s")
    files = {"wire_a.xml": rss(story), "wire_b.xml": rss(story),
             "rows.jsonl": bulk([{"url": "https://example.org/b1", "text": "Rahmon met Xi."}])}
    first = ingest_files(store, tmp_path / "in", files)
    assert len(first.stored("example.org/s")) == 1
    counts = {t: store.count(t) for t in ("articles", "mentions", "people", "events", "stories")}
    second = Batch(ingest_paths(store, [tmp_path / "in"]), store)
    assert second.summary.ingested == [] and second.summary.failed == []
    assert {t: store.count(t) for t in counts} == counts


def test_row36_kill_9_mid_batch(store: Store, tmp_path: Path) -> None:
    import signal
    import subprocess

    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(400):
        (folder / f"{i:04d}.txt").write_text(f"Tokayev met Japarov in Bishkek, report number {i}.")
    db = store.path
    store.close()
    env = {**os.environ, "PYTHONPATH": str(settings.PROJECT_ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "steppewatch", "ingest", str(folder), "--db",
                             str(db)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    check = open_store(db, read_only=True)
    try:
        deadline = time.monotonic() + 60
        while check.count("articles") < len(PREVIOUS) + 20 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        check.close()
    reopened = open_store(db)
    try:
        assert reopened.rows("PRAGMA integrity_check") == [{"integrity_check": "ok"}]
        partial = reopened.count("articles")
        assert len(PREVIOUS) + 20 <= partial < len(PREVIOUS) + 400
        batch = Batch(ingest_paths(reopened, [folder]), reopened)
        assert_batch_went_on(batch, ("0000.txt", "0399.txt"))
        assert reopened.count("articles") == len(PREVIOUS) + 400  # rerun is idempotent
        assert len(batch.summary.unchanged) >= partial - len(PREVIOUS)
    finally:
        reopened.close()


# --------------------------------------------------------------------------- uploads


def test_row47_hostile_uploads(store: Store) -> None:
    big = b"<p>Astana</p>" * (settings.MAX_DOCUMENT_BYTES // 13 + 1)
    bomb = gzip.compress(b"\0" * (settings.MAX_DECOMPRESSED_BYTES + 1024), compresslevel=9)
    items = [
        *documents_from_upload("big.html", big),
        *documents_from_upload("bomb.xml", BILLION_LAUGHS),
        *documents_from_upload("rows.jsonl.gz", bomb),
        *documents_from_upload("../../etc/evil.html", b"<p>Rahmon <img src=x onerror=alert(1)> "
                                                      b"met Tokayev.</p><script>alert(2)</script>"),
    ]
    del big, bomb
    batch = ingest_items(store, items)
    assert_batch_went_on(batch)
    assert batch.failed("upload:big.html").startswith("too large")
    assert batch.failed("upload:rows.jsonl.gz") == "decompressed size over 40 MB cap"
    assert "lollol" not in batch.everything()
    assert batch.stored("upload:bomb.xml")[0]["text"] == "&lol9 Kazakhstan hosted the summit."
    [row] = batch.stored("upload:evil.html")
    assert row["text"] == "Rahmon met Tokayev."


# --------------------------------------------------------------------------- extra cases


def test_extra_feed_with_10k_items(store: Store, tmp_path: Path) -> None:
    many = rss("".join(item(f"Item {i}", f"Tokayev met Japarov, report {i}.",
                            f"https://example.org/n/{i}") for i in range(10_000)))
    docs, warning = documents_from_feed_bytes(many, "https://example.org/f")  # speed: bench/, not here
    assert warning is None and len({d.origin for d in docs}) == 10_000
    # the whole pipeline on a smaller feed (story clustering of 10k near-identical items is slow)
    some = rss("".join(item(f"Item {i}", f"Rahmon met Xi, report {i}.", f"https://example.org/m/{i}")
                       for i in range(300)))
    batch = ingest_files(store, tmp_path / "in", {"some.xml": some})
    assert_batch_went_on(batch)
    assert len(batch.stored("example.org/m/")) == 300


def test_extra_huge_single_line(store: Store, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "MAX_DOCUMENT_BYTES", 1024 * 1024)
    line = json.dumps({"url": "https://example.org/huge", "text": "Astana " * 300_000})
    rows = bulk([{"url": "https://example.org/before", "text": "Tokayev met Putin."}]) + b"\n" \
        + line.encode() + b"\n" + bulk([{"url": "https://example.org/after", "text": "Xi met Rahmon."}])
    batch = ingest_files(store, tmp_path / "in", {"rows.jsonl": rows,
                                                   "one_line.txt": b"Bishkek " * 300_000})
    assert_batch_went_on(batch, ("example.org/before", "example.org/after", GOOD_LAST[0]))
    assert batch.failed("rows.jsonl#row2") == "line 2: row over 1 MB cap"
    assert batch.failed("one_line.txt") == "too large: 2 MB > 1 MB cap"


def test_extra_csv_with_wrong_columns(store: Store, tmp_path: Path) -> None:
    batch = ingest_files(store, tmp_path / "in", {
        "no_text.csv": b"headline,body\nVisit,Tokayev arrived\n",
        "ragged.csv": b"url,title,text\nhttps://example.org/r1,A,Tokayev met Japarov.\n"
                      b"only,two\nhttps://example.org/r3,C,Rahmon met Xi.,extra\n"
                      b"https://example.org/r4,D,Mirziyoyev met Putin.\n"})
    assert_batch_went_on(batch, ("example.org/r1", "example.org/r4"))
    assert batch.failed("no_text.csv").startswith("CSV has no 'text' column")
    assert batch.failed("ragged.csv#row2") == "line 3: 2 fields, expected 3"
    assert batch.failed("ragged.csv#row3") == "line 4: 4 fields, expected 3"


def test_extra_binary_and_empty_files(store: Store, tmp_path: Path) -> None:
    batch = ingest_files(store, tmp_path / "in", {
        "photo.txt": b"\x89PNG\r\n\x1a\n" + os.urandom(4096), "random.txt": os.urandom(8192),
        "empty.txt": b"", "blank.md": b" \n\t\r\n", "bom_only.txt": b"\xef\xbb\xbf",
        "nul.txt": b"\0" * 1024})
    assert_batch_went_on(batch)
    for name in ("photo.txt", "random.txt"):
        assert batch.failed(name) == "binary content"
    for name in ("empty.txt", "blank.md", "bom_only.txt", "nul.txt"):
        assert batch.failed(name) == "empty"


def test_extra_symlink_loop(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "loop_a.txt").symlink_to(folder / "loop_b.txt")
    (folder / "loop_b.txt").symlink_to(folder / "loop_a.txt")
    (folder / "self_dir").symlink_to(folder)  # a folder containing itself
    start = time.monotonic()
    batch = ingest_files(store, folder, {})
    assert time.monotonic() - start < 30
    assert_batch_went_on(batch)
    for name in ("loop_a.txt", "loop_b.txt"):
        assert batch.failed(name) == "unreadable: Too many levels of symbolic links"
    assert batch.failed("self_dir") == "not a regular file"


def test_extra_permission_denied(store: Store, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    locked = folder / "locked.txt"
    locked.write_text("Secret text about Astana.")
    locked.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make opening the file fail the same way
        real_open = Path.open

        def deny(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
            if self.name == "locked.txt":
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

        monkeypatch.setattr(Path, "open", deny)
    try:
        batch = ingest_files(store, folder, {})
    finally:
        locked.chmod(0o600)
    assert_batch_went_on(batch)
    assert batch.failed("locked.txt") == "unreadable: Permission denied"
    assert "Secret text" not in batch.everything()


def test_readers_never_raise_on_the_whole_catalogue(tmp_path: Path) -> None:
    """Every hostile file of this module read at once: one item per input, no exception."""
    files = {"bomb.xml": BILLION_LAUGHS, "empty.txt": b"", "binary.txt": os.urandom(2048),
             "trunc.rss": rss(item("a", "b"))[:-30], "bad.json": b"{", "odd.csv": b"\0\0\0"}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    items = list(iter_documents([tmp_path]))
    origins = {os.path.basename(i.origin.split("#")[0]) for i in items}
    assert origins == set(files)
