"""Readers on hostile and broken inputs: caps, feeds, bulk rows, uploads, HTML extraction."""

from __future__ import annotations

import gzip
import json
import os
import random
import time
from pathlib import Path

import pytest

from steppewatch import settings
from steppewatch.clean.decode import to_clean_text
from steppewatch.clean.html import ExtractionError, html_to_text
from steppewatch.ingest import documents_from_feed_bytes, documents_from_upload, iter_documents
from steppewatch.ingest.readers import neutralise_doctype
from steppewatch.models import IngestFailure, RawDocument

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, b"".join(b"&lol%s;" % (b"" if i == 2 else str(i - 1).encode())
                                               for _ in range(10)))
        for i in range(2, 10))
    + b']><rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title>'
      b"<description>&lol9; Kazakhstan</description></item></channel></rss>"
)
XXE = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       b'<rss version="2.0"><channel><title>t</title><item><title>&xxe;</title>'
       b"<description>&xxe; Kazakhstan</description></item></channel></rss>")
XXE_PARAM = (b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "file:///etc/passwd" [<!ENTITY % p '
             b'SYSTEM "file:///etc/passwd"> %p; <!ENTITY e "]>x">]><rss version="2.0"><channel>'
             b"<item><title>ok</title><description>&e; Astana</description></item></channel></rss>")
QUADRATIC = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY big "' + b"A" * 100_000 + b'">]>'
             b'<rss version="2.0"><channel><item><title>t</title><description>'
             + b"&big;" * 10_000 + b"</description></item></channel></rss>")
TWO_ITEMS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Kabar</title><language>ru</language>
<item><title>Tokayev arrives in Tashkent</title><link>https://kabar.kg/a1</link>
<pubDate>Tue, 28 Feb 2023 09:00:00 +0600</pubDate>
<description>&lt;p&gt;Tokayev arrived in &lt;b&gt;Tashkent&lt;/b&gt;.&lt;/p&gt;</description></item>
<item><title>Japarov visits Astana</title><link>/a2</link>
<pubDate>Wed, 01 Mar 2023 10:30:00 GMT</pubDate>
<description>Japarov visited Astana.</description></item>
</channel></rss>"""


def items_by_name(items: list[RawDocument | IngestFailure]) -> dict[str, RawDocument | IngestFailure]:
    return {os.path.basename(i.origin.split("#")[0]): i for i in items}


def all_text(items: list[RawDocument | IngestFailure]) -> str:
    parts = []
    for i in items:
        if isinstance(i, RawDocument):
            parts.append(i.data.decode("utf-8", "replace"))
            parts.extend(i.meta.values())
        else:
            parts.append(i.reason)
    return "\n".join(parts)


# ------------------------------------------------------------------ files and folders


@pytest.fixture
def bad_folder(tmp_path: Path) -> Path:
    files = {
        "empty.txt": b"",
        "blank.txt": b"  \n\t\n",
        "binary.txt": random.Random(7).randbytes(4096),
        "nul_and_surrogates.txt":
            "Tokayev\x00 met\x1d Mirziyoyev in Tashkent.\ud800".encode("utf-8", "surrogatepass"),
        "cp1251.txt": "Президент Казахстана Токаев прибыл в Ташкент.".encode("cp1251"),
        "gb18030.txt": "哈萨克斯坦总统托卡耶夫抵达塔什干进行国事访问。".encode("gb18030"),
        "utf16.txt": "Kazakhstan and Uzbekistan signed an agreement.".encode("utf-16"),
        "hostile.html": b"<html><head><title>x<script>alert(1)</script></title></head><body>"
                        b"<p>Kazakhstan <img src=x onerror=alert(2)> hosted talks.</p>"
                        b"<script>alert(3)</script></body></html>",
        "bomb.xml": BILLION_LAUGHS,
        "xxe.rss": XXE,
        "photo.png": b"\x89PNG\r\n\x1a\n",
        "README": b"Plain text without an extension about Bishkek.",
        ".hidden.txt": b"must be skipped",
        "sub/inner.text": b"Nested file about Dushanbe.",
        "sub/.git/config": b"[core]",
    }
    for name, data in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return tmp_path


def test_folder_is_walked_sorted_recursive_without_hidden(bad_folder: Path) -> None:
    items = list(iter_documents([bad_folder]))
    names = [os.path.relpath(i.origin.split("#")[0], bad_folder) for i in items]
    assert names == sorted(names)
    assert "sub/inner.text" in names
    assert not any(n.startswith(".") or "/." in n for n in names)


@pytest.mark.parametrize(("name", "expected"), [
    ("empty.txt", "empty"),
    ("blank.txt", "empty"),
    ("binary.txt", "binary content"),
    ("photo.png", "unsupported file type '.png'"),
])
def test_bad_files_fail_with_reason(bad_folder: Path, name: str, expected: str) -> None:
    item = items_by_name(list(iter_documents([bad_folder])))[name]
    assert isinstance(item, IngestFailure)
    assert item.reason == expected


@pytest.mark.parametrize(("name", "content_type", "text"), [
    ("cp1251.txt", "text/plain", "Президент Казахстана Токаев прибыл в Ташкент."),
    ("gb18030.txt", "text/plain", "哈萨克斯坦总统托卡耶夫抵达塔什干进行国事访问。"),
    ("utf16.txt", "text/plain", "Kazakhstan and Uzbekistan signed an agreement."),
    ("nul_and_surrogates.txt", "text/plain", "Tokayev met Mirziyoyev in Tashkent."),
    ("README", "text/plain", "Plain text without an extension about Bishkek."),
    ("inner.text", "text/plain", "Nested file about Dushanbe."),
])
def test_good_files_become_documents(bad_folder: Path, name: str, content_type: str,
                                     text: str) -> None:
    doc = items_by_name(list(iter_documents([bad_folder])))[name]
    assert isinstance(doc, RawDocument)
    assert doc.meta["content_type"] == content_type
    assert to_clean_text(doc.data, doc.meta.get("charset")) == text


def test_billion_laughs_and_xxe_are_harmless(bad_folder: Path) -> None:
    start = time.monotonic()
    items = list(iter_documents([bad_folder / "bomb.xml", bad_folder / "xxe.rss"]))
    assert time.monotonic() - start < 2.0
    text = all_text(items)
    assert "root:" not in text
    assert "lollollol" not in text
    assert len(text) < 5000
    xxe_docs = [i for i in items if isinstance(i, RawDocument) and "xxe" in i.origin]
    assert xxe_docs and "Kazakhstan" in xxe_docs[0].data.decode()


@pytest.mark.parametrize("feed", [BILLION_LAUGHS, XXE, XXE_PARAM, QUADRATIC])
def test_hostile_feed_bytes_fast_no_leak_no_expansion(feed: bytes) -> None:
    start = time.monotonic()
    docs, warning = documents_from_feed_bytes(feed, "https://example.org/feed.xml")
    assert time.monotonic() - start < 2.0
    assert warning and "DOCTYPE" in warning
    text = all_text(docs)
    assert "root:" not in text
    assert "lollollol" not in text
    assert "A" * 1000 not in text


def test_neutralise_doctype_handles_brackets_in_quotes() -> None:
    out, changed = neutralise_doctype(XXE_PARAM)
    assert changed
    assert b"<!DOCTYPE" not in out and b"ENTITY" not in out and b"passwd" not in out
    assert out.startswith(b'<?xml version="1.0"?><rss')


def test_huge_html_rejected_by_cap_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    path.write_bytes(b"<html><body>" + b"<p>Kazakhstan Uzbekistan</p>" * 2_000_000
                     + b"</body></html>")
    [item] = list(iter_documents([path]))
    assert isinstance(item, IngestFailure)
    assert item.reason == "too large: 53 MB > 20 MB cap"


def test_gzip_bomb_rejected(tmp_path: Path) -> None:
    path = tmp_path / "gzip_bomb.html.gz"
    path.write_bytes(gzip.compress(b"\0" * 60_000_000, compresslevel=1))
    [item] = list(iter_documents([path]))
    assert isinstance(item, IngestFailure)
    assert item.reason == "decompressed size over 20 MB cap"


def test_gzip_bomb_bulk_uses_decompressed_cap(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "MAX_DECOMPRESSED_BYTES", 1024 * 1024)
    path = tmp_path / "rows.jsonl.gz"
    path.write_bytes(gzip.compress(b"\n" * 3_000_000))
    [item] = list(iter_documents([path]))
    assert isinstance(item, IngestFailure)
    assert item.reason == "decompressed size over 1 MB cap"


def test_gzip_text_is_read_by_inner_extension(tmp_path: Path) -> None:
    (tmp_path / "a.html.gz").write_bytes(gzip.compress(b"<p>Tokayev met Japarov</p>"))
    (tmp_path / "b.txt.gz").write_bytes(b"not gzip at all")
    a, b = list(iter_documents([tmp_path]))
    assert isinstance(a, RawDocument) and a.meta["content_type"] == "text/html"
    assert a.data == b"<p>Tokayev met Japarov</p>"
    assert isinstance(b, IngestFailure) and b.reason.startswith("corrupt gzip")


def test_missing_and_unreadable_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / "locked.txt").write_text("secret")
    (tmp_path / "ok.txt").write_text("Readable text about Ashgabat.")
    real_open = Path.open

    def deny(self: Path, *args: object, **kwargs: object):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    items = items_by_name(list(iter_documents([tmp_path, tmp_path / "vanished"])))
    assert isinstance(items["dangling.txt"], IngestFailure)
    assert items["dangling.txt"].reason.startswith("unreadable")
    assert isinstance(items["locked.txt"], IngestFailure)
    assert items["locked.txt"].reason == "unreadable: Permission denied"
    assert isinstance(items["vanished"], IngestFailure)
    assert items["vanished"].reason == "not found"
    assert isinstance(items["ok.txt"], RawDocument)


# ------------------------------------------------------------------ bulk files


def test_jsonl_bad_row_in_the_middle(tmp_path: Path) -> None:
    rows = [
        json.dumps({"url": "https://example.org/a0", "source": "Bulk 0", "title": "First",
                    "published": "2023-02-28T09:00:00+06:00", "language": "en",
                    "text": "Tokayev met Mirziyoyev."}),
        '{"url": "https://example.org/broken", "text": ',
        json.dumps(["not", "an", "object"]),
        json.dumps({"title": "no text"}),
        "",
        json.dumps({"source": "Bulk 5", "text": "Rahmon visited Bishkek.", "language": "ru",
                    "extra": {"ignored": True}}, ensure_ascii=False),
    ]
    path = tmp_path / "bulk.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    items = list(iter_documents([path]))
    assert [type(i).__name__ for i in items] == ["RawDocument", "IngestFailure", "IngestFailure",
                                                 "IngestFailure", "RawDocument"]
    first, bad_json, not_obj, no_text, last = items
    assert first.origin == "https://example.org/a0"
    assert first.meta == {"url": "https://example.org/a0", "source": "Bulk 0", "title": "First",
                          "published": "2023-02-28T09:00:00+06:00", "language": "en",
                          "content_type": "text/plain", "charset": "utf-8"}
    assert first.data == b"Tokayev met Mirziyoyev."
    assert bad_json.reason.startswith("line 2: invalid JSON")
    assert not_obj.reason == "line 3: row is not an object"
    assert no_text.reason == "line 4: missing or empty 'text'"
    assert last.origin == f"{path}#row6"
    assert last.meta["source"] == "Bulk 5" and "extra" not in last.meta


def test_csv_bad_row_in_the_middle_and_control_chars(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes(
        b"url,source,title,published,language,text\n"
        b'https://example.org/c1,Kun,Visit,2023-02-28,en,"Tokayev, in Tashkent,\nmet Mirziyoyev"\n'
        b"only,three,fields\n"
        b',x,\x07bell,not-a-date,en,"Kazakhstan\x1b[31m red"\n')
    first, bad, ctrl = list(iter_documents([path]))
    assert isinstance(first, RawDocument) and first.origin == "https://example.org/c1"
    assert first.data.decode() == "Tokayev, in Tashkent,\nmet Mirziyoyev"
    assert first.meta["published"] == "2023-02-28"
    assert isinstance(bad, IngestFailure)
    assert bad.reason == "line 4: 3 fields, expected 6"
    assert isinstance(ctrl, RawDocument) and ctrl.origin == f"{path}#row3"
    assert ctrl.meta["title"] == "bell"
    assert ctrl.meta["published"] == "not-a-date"
    assert to_clean_text(ctrl.data) == "Kazakhstan red"


def test_csv_in_cp1251(tmp_path: Path) -> None:
    path = tmp_path / "ru.csv"
    path.write_bytes("url,source,title,published,language,text\n"
                     ",Азаттык,Визит,2023-02-28,ru,Президент Казахстана Токаев прибыл в Ташкент\n"
                     .encode("cp1251"))
    [doc] = list(iter_documents([path]))
    assert isinstance(doc, RawDocument)
    assert doc.meta["source"] == "Азаттык"
    assert doc.data.decode("utf-8") == "Президент Казахстана Токаев прибыл в Ташкент"


def test_csv_without_text_column(tmp_path: Path) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("a,b\n1,2\n")
    [item] = list(iter_documents([path]))
    assert isinstance(item, IngestFailure) and "no 'text' column" in item.reason


# ------------------------------------------------------------------ feeds


def test_feed_with_two_items(tmp_path: Path) -> None:
    docs, warning = documents_from_feed_bytes(TWO_ITEMS, "https://kabar.kg/rss")
    assert warning is None
    assert [d.meta["url"] for d in docs] == ["https://kabar.kg/a1", "https://kabar.kg/a2"]
    assert [d.origin for d in docs] == ["https://kabar.kg/a1", "https://kabar.kg/a2"]
    assert [d.meta["published"] for d in docs] == ["2023-02-28T09:00:00+06:00",
                                                   "2023-03-01T10:30:00+00:00"]
    assert [d.meta["content_type"] for d in docs] == ["text/html", "text/plain"]
    assert docs[0].data == b"<p>Tokayev arrived in <b>Tashkent</b>.</p>"
    assert docs[1].meta["title"] == "Japarov visits Astana"
    assert all(d.meta["source"] == "Kabar" and d.meta["language"] == "ru" for d in docs)

    path = tmp_path / "kabar.rss"
    path.write_bytes(TWO_ITEMS)
    from_file = list(iter_documents([path]))
    assert [d.origin for d in from_file] == ["https://kabar.kg/a1", f"{path}#item2"]


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty"),
    (b"<html><body><h1>403 Forbidden</h1></body></html>", "not a feed"),
    (b'<rss version="2.0"><channel><item><title>&#1114112;</title></item></channel></rss>',
     "feed parse error: ValueError"),
])
def test_broken_feeds_give_a_reason_not_an_exception(data: bytes, reason: str) -> None:
    docs, warning = documents_from_feed_bytes(data, "https://example.org/feed")
    assert docs == []
    assert warning is not None and warning.startswith(reason)


def test_feed_links_are_http_only() -> None:
    feed = (b'<rss version="2.0"><channel><item><title>x</title><link>javascript:alert(1)</link>'
            b"<description>Astana summit</description></item></channel></rss>")
    [doc], _ = documents_from_feed_bytes(feed, "https://example.org/feed")
    assert "url" not in doc.meta
    assert doc.origin == "https://example.org/feed#item1"


def test_json_feed() -> None:
    feed = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "J",
                       "items": [{"id": "1", "url": "https://example.org/j1",
                                  "content_text": "Mirziyoyev in Astana",
                                  "date_published": "2023-02-28T09:00:00+05:00"}]}).encode()
    [doc], warning = documents_from_feed_bytes(feed, "https://example.org/feed.json")
    assert warning is None
    assert doc.origin == "https://example.org/j1"
    assert doc.meta["published"] == "2023-02-28T09:00:00+05:00"
    assert doc.data == b"Mirziyoyev in Astana"


# ------------------------------------------------------------------ uploads


def test_upload_dispatch_and_origin() -> None:
    [doc] = documents_from_upload("../../etc/notes.txt", "Ташкент".encode("koi8_r"))
    assert isinstance(doc, RawDocument) and doc.origin == "upload:notes.txt"
    [fail] = documents_from_upload("x.xml", XXE.replace(b"&xxe; Kazakhstan", b""))
    assert "root:" not in all_text([fail])
    rows = documents_from_upload("b.ndjson", b'{"text":"a"}\n{bad\n{"text":"b"}\n')
    assert [type(r).__name__ for r in rows] == ["RawDocument", "IngestFailure", "RawDocument"]
    assert rows[2].origin == "upload:b.ndjson#row3"
    [big] = documents_from_upload("big.html", b"<p>x</p>" * (settings.MAX_DOCUMENT_BYTES // 8 + 1))
    assert isinstance(big, IngestFailure) and big.reason.startswith("too large")


# ------------------------------------------------------------------ HTML extraction


def test_html_script_and_style_never_in_text() -> None:
    page = (b"<html><head><title>x<script>alert(1)</script></title>"
            b"<style>body{color:red}</style></head><body>"
            b"<p>Kazakhstan <img src=x onerror=alert(2)> hosted talks.</p>"
            b"<script>alert(3)</script><noscript>Enable JavaScript</noscript></body></html>")
    out = html_to_text(page)
    assert out.text == "Kazakhstan hosted talks."
    assert "alert" not in out.text and "color" not in out.text
    assert out.title == "x<script>alert(1)</script>"  # literal text: the UI escapes it


def test_html_paragraphs_and_metadata() -> None:
    page = (b"<html><head><title>Visit</title><meta name='author' content='Aida Bekova'></head>"
            b"<body><nav>Home | News</nav><article><h1>Tokayev visits Tashkent</h1>"
            b"<p>Kazakh President Kassym-Jomart Tokayev arrived in Tashkent on Monday for a "
            b"state visit, the Akorda press service said.</p><script>var s='SCRIPTTEXT';</script>"
            b"<p>The two leaders discussed water sharing, trade and transport corridors.</p>"
            b"</article></body></html>")
    out = html_to_text(page, url="https://example.org/news/1")
    assert out.text.split("\n\n") == [
        "Tokayev visits Tashkent",
        "Kazakh President Kassym-Jomart Tokayev arrived in Tashkent on Monday for a state "
        "visit, the Akorda press service said.",
        "The two leaders discussed water sharing, trade and transport corridors."]
    assert out.author == "Aida Bekova"
    assert "SCRIPTTEXT" not in out.text


@pytest.mark.parametrize(("data", "text"), [
    (b"<p>Tokayev met Mirziyoyev</p>", "Tokayev met Mirziyoyev"),
    ("<html><head><meta charset='windows-1251'></head><body><p>Токаев прибыл в Ташкент</p>"
     "</body></html>".encode("cp1251"), "Токаев прибыл в Ташкент"),
    (b"<table><tr><td colspan='9007199254740991'>Kazakhstan</td></tr></table>", "Kazakhstan"),
    (b"<p>a\x00b &amp; c</p>", "ab & c"),
])
def test_html_fragments_charsets_and_pathological_markup(data: bytes, text: str) -> None:
    assert html_to_text(data).text == text


def test_html_extraction_timeout_kills_worker_and_recovers() -> None:
    page = b"<html><body>" + b"<div><p>Kazakhstan Uzbekistan talks</p></div>" * 50_000 + b"</body></html>"
    with pytest.raises(ExtractionError, match=r"^timeout after 0.01 s$"):
        html_to_text(page, timeout=0.01)
    assert html_to_text(b"<p>Back to normal in Astana</p>").text == "Back to normal in Astana"
