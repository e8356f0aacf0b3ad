"""URL normalisation for dedup: one row per rule, ids, hostile input, and stores written by key v1."""

from __future__ import annotations

from pathlib import Path

import pytest

from steppewatch import settings
from steppewatch.clean.article import article_id_for, normalise_url
from steppewatch.clean.urls import RULES, TRACKING_PARAMS, normalise_url_v1
from steppewatch.models import RawDocument
from steppewatch.pipeline import ingest_documents
from steppewatch.store import open_store

SEED = (Path(__file__).parent / "fixtures" / "seeds" / "001_a491aa1abaef0b30.txt").read_text(encoding="utf-8")
TEXT = "Blinken met Tokayev in Astana on Feb. 28, 2023 and travelled on to Tashkent."

# One row per rule: (rule name, input, expected key). Each rule's own RULES example is checked too.
CASES: list[tuple[str, str, str]] = [
    ("whitespace", "\t https://kun.uz/ru/news/2023/03/01/blinken \r\n", "https://kun.uz/ru/news/2023/03/01/blinken"),
    ("scheme", "HTTP://akorda.kz/ru/events", "https://akorda.kz/ru/events"),
    ("non-http scheme", "data:text/html,<script>alert(1)</script>", ""),
    ("non-http scheme", "file:///etc/passwd", ""),
    ("non-http scheme", "mailto:press@mfa.kz", ""),
    ("non-http scheme", "/ru/news/1", ""),
    ("non-http scheme", "//m.kun.uz/ru/news/1", "https://kun.uz/ru/news/1"),
    ("lowercase host", "https://WWW.GOV.KZ/memleket/entities/mfa", "https://gov.kz/memleket/entities/mfa"),
    ("default port", "http://akorda.kz:80/ru", "https://akorda.kz/ru"),
    ("default port", "http://127.0.0.1:8501/story", "https://127.0.0.1:8501/story"),
    ("credentials", "http://editor@24.kg/english/1", "https://24.kg/english/1"),
    ("www host", "https://www2.state.gov/secretary-blinken", "https://state.gov/secretary-blinken"),
    ("www host", "https://www.kz/news", "https://www.kz/news"),  # nothing left but a TLD: kept
    ("mobile host", "https://mobile.reuters.com/world/asia-pacific/1", "https://reuters.com/world/asia-pacific/1"),
    ("mobile host", "https://m.kz/news", "https://m.kz/news"),
    ("amp host", "https://amp.theguardian.com/world/2023/mar/01/x", "https://theguardian.com/world/2023/mar/01/x"),
    ("idn host", "https://xn--d1abbgf6aiiy.xn--p1ai/news/1", "https://xn--d1abbgf6aiiy.xn--p1ai/news/1"),
    ("idn host", "https://ПРЕЗИДЕНТ.РФ/news/1", "https://xn--d1abbgf6aiiy.xn--p1ai/news/1"),
    ("amp path", "https://www.bbc.com/russian/news-64800000.amp", "https://bbc.com/russian/news-64800000"),
    ("amp path", "https://kun.uz/amp/ru/news/1", "https://kun.uz/ru/news/1"),
    ("amp path", "https://kun.uz/ru/news/1/amp", "https://kun.uz/ru/news/1"),
    ("amp query", "https://kun.uz/ru/news/1?amp=1", "https://kun.uz/ru/news/1"),
    ("amp query", "https://kun.uz/ru/news/1?amp", "https://kun.uz/ru/news/1"),
    ("amp query", "https://kun.uz/ru/news/1?amp=0", "https://kun.uz/ru/news/1?amp=0"),
    ("fragment", "https://kun.uz/ru/news/1#:~:text=Blinken", "https://kun.uz/ru/news/1"),
    ("trailing slash", "https://kun.uz/", "https://kun.uz/"),
    ("index page", "https://mfa.tj/index.html", "https://mfa.tj/"),
    ("index page", "https://mfa.tj/ru/index.htm?page=2", "https://mfa.tj/ru?page=2"),
    ("default path", "https://kun.uz?id=3", "https://kun.uz/?id=3"),
    ("tracking parameters",
     "https://kun.uz/1?UTM_Campaign=x&gclid=1&dclid=1&msclkid=1&yclid=1&ysclid=1&_ga=1&mc_cid=1&mc_eid=1",
     "https://kun.uz/1"),
    ("tracking parameters",
     "https://kun.uz/1?igshid=1&ref=tg&ref_src=twsrc&cmpid=1&ocid=1&smid=1&taid=1&at_medium=1&at_campaign=1"
     "&__twitter_impression=true&id=7",
     "https://kun.uz/1?id=7"),
    ("tracking parameters", "https://kun.uz/1?reference=7", "https://kun.uz/1?reference=7"),
    ("sorted query", "https://kun.uz/s?tag=b&q=1&tag=a", "https://kun.uz/s?q=1&tag=b&tag=a"),
    ("empty query", "https://kun.uz/s?&&utm_source=tg&", "https://kun.uz/s"),
    ("percent-encoding", "https://kun.uz/ru/новости?q=Тоқаев", "https://kun.uz/ru/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8"
     "?q=%D0%A2%D0%BE%D2%9B%D0%B0%D0%B5%D0%B2"),
    ("percent-encoding", "https://kun.uz/a b%2fc%", "https://kun.uz/a%20b%2Fc%25"),
    ("malformed", "http://exa mple.com/", ""),
    ("malformed", "http://example.com:99999/", ""),
    ("malformed", "https:///news/1", ""),
]


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_every_documented_example_holds(rule) -> None:
    assert normalise_url(rule.example_in) == rule.example_out
    assert rule.example_in != rule.example_out


@pytest.mark.parametrize(("rule", "url", "expected"), CASES, ids=[f"{c[0]}:{c[1][:40]}" for c in CASES])
def test_rule(rule: str, url: str, expected: str) -> None:
    assert normalise_url(url) == expected


def test_every_rule_has_a_case() -> None:
    assert {r.name for r in RULES} <= {c[0] for c in CASES}


@pytest.mark.parametrize("url", [r.example_out for r in RULES if r.example_out] + [c[2] for c in CASES if c[2]])
def test_normalising_twice_changes_nothing(url: str) -> None:
    assert normalise_url(url) == url


def test_every_tracking_parameter_is_dropped() -> None:
    for name in sorted(TRACKING_PARAMS):
        assert normalise_url(f"https://kun.uz/news/1?{name}=abc&id=7") == "https://kun.uz/news/1?id=7", name


def test_tracking_parameters_do_not_change_the_article_id() -> None:
    plain = article_id_for(TEXT, "https://www.rferl.org/a/blinken-central-asia/32290000.html")
    tracked = article_id_for(
        TEXT, "http://m.rferl.org/a/blinken-central-asia/32290000.html?utm_source=telegram&utm_medium=social"
        "&fbclid=IwAR3xyz#comments")
    assert tracked == plain


def test_real_query_parameters_keep_articles_apart() -> None:
    assert article_id_for(TEXT, "https://kun.uz/news.php?id=1") != article_id_for(TEXT, "https://kun.uz/news.php?id=2")
    assert article_id_for(TEXT, "https://kun.uz/news/1") != article_id_for(TEXT, "https://kun.uz/news/2")


def test_a_non_http_url_counts_as_no_url() -> None:
    assert article_id_for(TEXT, "javascript:alert(1)") == article_id_for(TEXT, None) == article_id_for(TEXT, "")


@pytest.mark.parametrize("url", [
    "http://[::1", "http://[::1]x/", "https://kun.uz/" + "a/" * 50_000, "https://kun.uz/?" + "q=1&" * 50_000,
    "http://ex\x00ample.com/a", "https://kun.uz/a\x01\x7fb\u202e?q=\x00", "http://%zz/", "https://\u0000/",
    "http://" + "a" * 300 + ".kz/", "http://ex\u00adample.com/", "https://kun.uz/%", "http://:80/", "   ", None,
    "https://kun.uz:/a", "http://[fe80::1%25eth0]/a",
])
def test_malformed_urls_give_a_string_without_raising(url: str | None) -> None:
    key = normalise_url(url)
    assert isinstance(key, str)
    assert key == "" or key.startswith("https://")
    assert not any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in key)  # control chars never survive


def test_v1_keys_are_frozen() -> None:
    # ids of rows stored under version 1 were made with this key; it must not drift
    assert normalise_url_v1("https://www.kun.uz/news/1/?utm_source=tg#x") == "kun.uz/news/1?utm_source=tg"
    assert normalise_url_v1("http://[::1") == ""


def _doc(url: str, text: str = SEED) -> RawDocument:
    return RawDocument(origin=url, data=text.encode(), meta={"url": url, "content_type": "text/plain"})


def test_a_store_written_under_key_v1_is_matched_on_re_ingest(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Old rows keep their ids; re-ingesting the same item is "unchanged", not a duplicate row."""
    path = tmp_path / "store.db"
    url = "https://www.reuters.com/world/asia-pacific/blinken-astana-2023-02-28/?utm_source=tg"
    monkeypatch.setattr(settings, "DEDUP_KEY_VERSION", "1")
    with open_store(path) as store:
        first = ingest_documents(store, [_doc(url)])
    assert len(first.ingested) == 1
    old_id = first.ingested[0]
    monkeypatch.undo()
    assert settings.DEDUP_KEY_VERSION == "2"

    # the same item, and the same page behind other tracking parameters, are both already stored
    same_page = "http://m.reuters.com/world/asia-pacific/blinken-astana-2023-02-28?utm_source=tg#top"
    with open_store(path) as store:
        again = ingest_documents(store, [_doc(url), _doc(same_page)])
        rows = store.rows("SELECT id, dedup_key_version FROM articles")
        log = store.rows("SELECT status, article_id FROM ingest_log ORDER BY rowid")
    assert again.ingested == [] and again.unchanged == [url, same_page]
    assert [(r["id"], r["dedup_key_version"]) for r in rows] == [(old_id, "1")]
    assert [(r["status"], r["article_id"]) for r in log][-2:] == [("unchanged", old_id), ("unchanged", old_id)]


def test_under_key_v2_tracking_variants_are_one_row(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    base = "https://kun.uz/ru/news/2023/03/01/blinken"
    with open_store(path) as store:
        summary = ingest_documents(store, [_doc(base + "?utm_source=telegram"), _doc(base + "/amp/?fbclid=x"),
                                           _doc(base + "?page=2")])
        rows = store.rows("SELECT dedup_key_version FROM articles")
    assert len(summary.ingested) == 2 and len(summary.unchanged) == 1  # ?page=2 is another page
    assert {r["dedup_key_version"] for r in rows} == {"2"}
