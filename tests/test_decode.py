"""Decoding and control-character cleaning on real (short) strings."""

from __future__ import annotations

import random

import pytest

from steppewatch.clean.decode import (
    clean_control_chars,
    decode_text,
    detect_encoding,
    is_probably_binary,
    to_clean_text,
)

RU = "Президент Казахстана Токаев прибыл в Ташкент"
RU_LONG = "Президент Казахстана Токаев прибыл в Ташкент с официальным визитом."
ZH = "哈萨克斯坦总统托卡耶夫抵达塔什干"
ZH_LONG = "哈萨克斯坦总统托卡耶夫抵达塔什干进行国事访问。"
KZ = "Қазақстан Президенті Тоқаев Ташкентке келді"
EN = "Kazakhstan and Uzbekistan signed an agreement in Astana."


@pytest.mark.parametrize(("text", "encoding"), [
    (RU, "cp1251"),
    (RU, "koi8_r"),
    (RU_LONG, "cp1251"),
    (RU_LONG, "koi8_r"),
    ("ТОКАЕВ ПРИБЫЛ В ТАШКЕНТ", "cp1251"),
    ("ТОКАЕВ ПРИБЫЛ В ТАШКЕНТ", "koi8_r"),
    ("Токаев", "cp1251"),
    ("Токаев", "koi8_r"),
    ("Мирзиёев встретился с Токаевым", "cp1251"),
    ("Мирзиёев встретился с Токаевым", "koi8_r"),
    (ZH, "gb18030"),
    (ZH_LONG, "gb18030"),
    ("托卡耶夫", "gb18030"),
    (EN, "utf-16"),        # with BOM
    (RU, "utf-16"),
    (EN, "utf_16_le"),     # no BOM
    (RU, "utf_16_be"),     # no BOM, no NUL bytes at all
    (RU, "utf-8"),
    (KZ, "utf-8"),
    (KZ, "utf-8-sig"),
    (ZH, "utf-32"),
    ("Café in Almaty, déjà vu", "cp1252"),
])
def test_decode_text_recovers_the_original(text: str, encoding: str) -> None:
    assert decode_text(text.encode(encoding)) == text


@pytest.mark.parametrize(("text", "encoding", "declared"), [
    (RU_LONG, "cp1251", "windows-1251"),
    (RU_LONG, "koi8_r", "KOI8-R"),
    ("Tokayev’s visit — “talks”", "utf-8", "us-ascii"),      # declared wrong: UTF-8 wins
    (RU_LONG, "utf-8", "windows-1251"),                     # declared wrong: UTF-8 wins
    (RU_LONG, "cp1251", "no-such-charset"),                 # unknown declared name ignored
    (RU_LONG, "cp1251", "iso-8859-1"),                      # implausible declared charset
])
def test_declared_charset(text: str, encoding: str, declared: str) -> None:
    assert decode_text(text.encode(encoding), declared) == text


def test_bad_utf8_bytes_become_replacement_chars() -> None:
    out = decode_text(b"Blinken visited Astana \xff\xfe\xfa on Tuesday.")
    assert out.startswith("Blinken visited Astana ")
    assert out.endswith(" on Tuesday.")
    assert "\ufffd" in out
    assert detect_encoding(b"Blinken visited Astana \xff\xfe\xfa on Tuesday.") is None


def test_utf8_with_one_corrupt_byte_stays_utf8() -> None:
    data = RU_LONG[:10].encode("utf-8") + b"\xff" + RU_LONG[10:].encode("utf-8")
    out = decode_text(data)
    assert out.count("\ufffd") == 1
    assert out.replace("\ufffd", "") == RU_LONG


def test_encoded_lone_surrogate_and_controls_are_removed() -> None:
    data = "Tokayev\x00 met\x1d Mirziyoyev in Tashkent.\ud800".encode("utf-8", "surrogatepass")
    assert to_clean_text(data) == "Tokayev met Mirziyoyev in Tashkent."


def test_empty_bytes() -> None:
    assert decode_text(b"") == ""
    assert to_clean_text(b"") == ""


@pytest.mark.parametrize(("raw", "clean"), [
    ("a\x00b\x1dc\x07d", "abcd"),
    ("Kazakhstan\x1b[31m red\x1b[0m", "Kazakhstan red"),
    ("title\x1b]0;pwned\x07 ok", "title ok"),
    ("To\u200bka\u2060yev", "Tokayev"),
    ("\ufeffStart", "Start"),
    ("Mirzi\u00adyoyev", "Mirziyoyev"),
    ("A\u0308ffin", "Äffin"),                     # NFD -> NFC
    ("test\udcc3this", "testthis"),               # lone surrogate
    ("x\r\ny\rz", "x\ny\nz"),
    ("tab\tnew\nline", "tab\tnew\nline"),         # \t and \n are kept
    ("c1\x85\x90controls", "c1controls"),
    ("non\uffffchar\ufdd0", "nonchar"),
    ("\u200fRTL\u202emark", "RTLmark"),
    ("Oʻzbekiston", "Oʻzbekiston"),              # letters are never touched
    ("می\u200cخواهم", "می\u200cخواهم"),          # Persian ZWNJ between letters kept
    ("Token\u200cizer", "Tokenizer"),             # ZWNJ in Latin text removed
])
def test_clean_control_chars(raw: str, clean: str) -> None:
    assert clean_control_chars(raw) == clean


def test_random_bytes_are_binary() -> None:
    rng = random.Random(1234)
    assert all(is_probably_binary(rng.randbytes(4096)) for _ in range(50))


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
    b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xa8",
])
def test_known_binary_formats(data: bytes) -> None:
    assert is_probably_binary(data)


@pytest.mark.parametrize("data", [
    RU_LONG.encode("cp1251"),
    RU_LONG.encode("koi8_r"),
    ZH_LONG.encode("gb18030"),
    EN.encode("utf-16"),
    EN.encode("utf_16_le"),
    RU.encode("utf_16_be"),
    "Tokayev\x00 met\x1d Mirziyoyev in Tashkent.\ud800".encode("utf-8", "surrogatepass"),
    b"Blinken visited Astana \xff\xfe\xfa on Tuesday.",
    b"url,source,title,published,language,text\n,x,\x07bell,not-a-date,en,\"K\x1b[31m red\"\n",
    b"",
])
def test_text_is_not_binary(data: bytes) -> None:
    assert not is_probably_binary(data)
