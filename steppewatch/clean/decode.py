"""Bytes -> clean text: BOM sniffing, charset guessing for short texts, control-char removal.

Charset detection on a few dozen bytes is unreliable, so besides UTF-8 and the declared
charset we score a small set of candidates relevant to Central Asian news (cp1251, KOI8-R,
gb18030, UTF-16 without BOM, cp1252) by how plausible the decoded text looks: letter
frequencies and letter case for Cyrillic, common-character share for Chinese, penalties for
controls, box drawing and script mixing.
"""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata

# Candidates tried when the bytes are neither BOM-marked nor valid UTF-8 (order breaks ties).
CANDIDATE_ENCODINGS: tuple[str, ...] = ("cp1251", "koi8_r", "gb18030", "utf_16_le", "utf_16_be",
                                        "cp1252")
# charset_normalizer is only asked about encodings that make sense for our sources.
_NORMALIZER_ISOLATION: list[str] = ["cp1251", "koi8_r", "gb18030", "cp1252", "iso8859_5",
                                    "mac_cyrillic", "cp866", "big5", "utf_16_le", "utf_16_be",
                                    "iso8859_9", "cp1254", "kz1048"]
# Below this plausibility score a guess loses to UTF-8 with U+FFFD replacement.
_MIN_SCORE = 0.35

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf_32_le"),  # before UTF-16 LE: same first two bytes
    (codecs.BOM_UTF32_BE, "utf_32_be"),
    (codecs.BOM_UTF8, "utf_8"),
    (codecs.BOM_UTF16_LE, "utf_16_le"),
    (codecs.BOM_UTF16_BE, "utf_16_be"),
)

# Approximate letter frequencies (%) of Russian, plus Kazakh/Uzbek/Tajik letters.
_CYR_FREQ: dict[str, float] = {
    "о": 10.97, "е": 8.45, "а": 8.01, "и": 7.35, "н": 6.70, "т": 6.26, "с": 5.47, "р": 4.73,
    "в": 4.54, "л": 4.40, "к": 3.49, "м": 3.21, "д": 2.98, "п": 2.81, "у": 2.62, "я": 2.01,
    "ы": 1.90, "ь": 1.74, "г": 1.70, "з": 1.65, "б": 1.59, "ч": 1.44, "й": 1.21, "х": 0.97,
    "ж": 0.94, "ш": 0.73, "ю": 0.64, "ц": 0.48, "щ": 0.36, "э": 0.32, "ф": 0.26, "ъ": 0.04,
    "ё": 0.04, "і": 1.0, "ә": 1.0, "ғ": 0.5, "қ": 1.0, "ң": 0.5, "ө": 0.5, "ұ": 0.5, "ү": 0.5,
    "һ": 0.1, "ў": 0.5, "ҳ": 0.5, "ӣ": 0.3, "ӯ": 0.3, "ҷ": 0.3, "ї": 0.3, "є": 0.3, "ґ": 0.1,
}
_COMMON_PUNCT = set("«»„“”‘’–—…№·•€°±×")
_CJK_PUNCT = set("。，、；：？！「」『』（）《》〈〉【】—…·“”‘’％")

_ANSI_RE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"          # CSI ... final byte (colours, cursor moves)
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"    # DCS / SOS / PM / APC strings
    r"|\x1b[@-Z\\-_]"                    # two-character escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"            # 8-bit CSI
)
# Zero-width and invisible formatting characters (ZWNJ/ZWJ handled separately).
_INVISIBLE = {0x00AD, 0x180E, 0x200B, 0x200E, 0x200F, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064,
              0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
_JOINER_RE = re.compile(r"[\u200c\u200d]")
_CONTROL_TRANSLATION: dict[int, str | None] = {
    **{c: None for c in range(0x20) if c not in (0x09, 0x0A)},
    0x0B: "\n", 0x0C: "\n", 0x0D: "\n", 0x7F: None,
    **{c: None for c in range(0x80, 0xA0)},
    **{c: None for c in _INVISIBLE},
    **{c: None for c in range(0xFDD0, 0xFDF0)},
    0xFFFE: None, 0xFFFF: None,
}
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
# Any character the translation changes: a text without one is translated to itself (translating with a
# table costs ~10 us a KB of non-ASCII text, finding none of its characters a fraction of that).
_CONTROL_CHAR_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_CONTROL_TRANSLATION)) + "]")


def _bom_encoding(data: bytes) -> tuple[str, int] | None:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc, len(bom)
    return None


def _normal_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None


def _char_score(ch: str) -> float:
    """Plausibility of one non-ASCII character in news text, about -2 (garbage) .. 1."""
    if ch in _CJK_PUNCT:
        return 1.0
    if ch in _COMMON_PUNCT or ch == "\u00a0":
        return 0.6
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Cn", "Co", "Cs") or ch == "\ufffd":
        return -2.0
    if 0x2500 <= ord(ch) <= 0x259F or cat == "So":  # box drawing, block elements, symbols
        return -1.5
    if cat.startswith("L"):
        name = unicodedata.name(ch, "")
        if name.startswith("CYRILLIC"):
            freq = _CYR_FREQ.get(ch.lower())
            if freq is None:
                return -0.5  # archaic / rare Cyrillic letters
            return min(1.0, 0.15 + freq / 5.0)
        if name.startswith("CJK UNIFIED"):
            try:
                gb = ch.encode("gb2312")
            except UnicodeEncodeError:
                return -0.3  # outside GB2312: rare in mainland news text
            return 1.0 if gb[0] < 0xD8 else 0.2  # level 1 (common) vs level 2 hanzi
        if name.startswith("LATIN"):
            return 0.6 if ch in "éèàüöäçñóáíúßøåêâôîëïšžčğışąęłńśźż" else -0.2
        return -0.5  # letters of other scripts: possible but suspicious in a guess
    if cat.startswith("P"):
        return 0.2
    if cat.startswith("N"):
        return 0.0
    return -0.8


_WORD_RE = re.compile(r"[^\W\d_]+")


def _case_and_mixing_penalty(text: str) -> float:
    """Share of non-ASCII letters in implausible words: an uppercase letter right after a
    lowercase one ('пРЕЗИДЕНТ', 'CafИ') or Latin and Cyrillic letters mixed in one word."""
    bad = letters = 0
    for word in _WORD_RE.findall(text):
        n = sum(1 for ch in word if ord(ch) > 0x7F)
        if not n:
            continue
        letters += n
        has_latin = any(ch.isascii() for ch in word)
        has_cyr = any("\u0400" <= ch <= "\u04ff" for ch in word)
        if has_latin and has_cyr:
            bad += n
            continue
        bad += sum(1 for a, b in itertools.pairwise(word)
                   if b.isupper() and a.islower() and ord(b) > 0x7F)
    return bad / letters if letters else 0.0


_CONTROL_CHARS = tuple(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r\f\x1b")


def _control_ratio(text: str) -> float:
    controls = sum(map(text.count, _CONTROL_CHARS))  # each counted in C, not char by char in Python
    return controls / max(1, len(text))


def plausibility(text: str) -> float:
    """Score how much ``text`` looks like real text (higher is better; clean ASCII = 1)."""
    non_ascii = [ch for ch in text if ord(ch) > 0x7F]
    controls = _control_ratio(text)
    if not non_ascii:
        return 1.0 - 4.0 * controls
    scripts: dict[str, int] = {}
    for ch in non_ascii:
        if ch.isalpha():
            key = unicodedata.name(ch, "?").split(" ")[0]
            scripts[key] = scripts.get(key, 0) + 1
    mixing = 0.0
    if scripts:
        mixing = 1.0 - max(scripts.values()) / sum(scripts.values())
    score = sum(_char_score(ch) for ch in non_ascii) / len(non_ascii)
    return score - 2.0 * _case_and_mixing_penalty(text) - mixing - 4.0 * controls


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        if encoding == "utf_8_sp":
            return data.decode("utf_8", errors="surrogatepass")
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _normalizer_guess(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - charset_normalizer ships with our requirements
        return None
    try:
        best = from_bytes(data[:200_000], cp_isolation=_NORMALIZER_ISOLATION).best()
    except Exception:  # a detector bug must not stop decoding
        return None
    return _normal_codec(best.encoding) if best is not None else None


def _mostly_utf8(data: bytes) -> bool:
    """Valid UTF-8 multi-byte sequences with only a few bad bytes (corruption, truncation)."""
    text = data[:200_000].decode("utf_8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 0x7F) - bad
    return good >= 4 and bad <= max(2, good // 20)


def detect_encoding(data: bytes, declared_charset: str | None = None) -> str | None:
    """Return the codec name ``decode_text`` would use, or None for UTF-8 with replacement."""
    bom = _bom_encoding(data)
    if bom:
        return bom[0]
    sample = data[:100_000]
    utf16 = _utf16_guess(sample)
    if utf16:
        return utf16
    utf8 = _strict(data, "utf_8")
    if utf8 is not None:
        if _control_ratio(utf8[:50_000]) > 0.05 and len(data) % 2 == 0:
            # e.g. Cyrillic UTF-16 without BOM is also valid (control-laden) ASCII
            base = plausibility(utf8[:50_000])
            for enc in ("utf_16_le", "utf_16_be"):
                text = _strict(sample, enc)
                if text is not None and plausibility(text) > max(base, _MIN_SCORE):
                    return enc
        return "utf_8"
    if _strict(data, "utf_8_sp") is not None or _mostly_utf8(data):
        return "utf_8"  # encoded lone surrogates, or UTF-8 with a few corrupt bytes
    candidates = list(CANDIDATE_ENCODINGS)
    guess = _normalizer_guess(data)
    if guess and guess not in candidates:
        candidates.append(guess)
    best_enc, best_score, best_text = None, -9.0, ""
    for enc in candidates:
        if enc.startswith("utf_16") and len(data) % 2:
            continue
        text = _strict(sample, enc)
        if text is None and len(data) > len(sample):  # a multi-byte char cut at the sample end
            text = _strict(sample[:-3], enc)
        if text is None:
            continue
        score = plausibility(text)
        if score > best_score + 1e-9:
            best_enc, best_score, best_text = enc, score, text
    # a handful of high bytes in ASCII text is weak evidence: ask for a clearly plausible guess
    few = sum(1 for ch in best_text if ord(ch) > 0x7F) < 8
    threshold = 0.55 if few else _MIN_SCORE
    declared = _normal_codec(declared_charset)
    if declared and declared not in ("utf_8", "ascii"):
        # the declared charset wins unless a candidate is clearly more plausible
        text = _strict(sample, declared)
        if text is not None:
            score = plausibility(text)
            if score >= threshold and score >= best_score - 0.15:
                return declared
    return best_enc if best_score >= threshold else None


def decode_text(data: bytes, declared_charset: str | None = None) -> str:
    """Decode bytes to ``str``: BOM, strict UTF-8, declared charset, scored guess, else U+FFFD.

    The result is not yet cleaned of control characters: see ``clean_control_chars``.
    """
    if not data:
        return ""
    bom = _bom_encoding(data)
    if bom:
        return data[bom[1]:].decode(bom[0], errors="replace")
    enc = detect_encoding(data, declared_charset)
    if enc is None:
        return data.decode("utf_8", errors="replace")
    if enc == "utf_8":
        try:
            # encoded lone surrogates are dropped: no str holding one can be stored or encoded
            return _SURROGATE_RE.sub("", data.decode("utf_8", errors="surrogatepass"))
        except UnicodeDecodeError:
            return data.decode("utf_8", errors="replace")
    return data.decode(enc, errors="replace")


def _strip_joiners(text: str) -> str:
    """Drop ZWNJ/ZWJ except between two Arabic-script letters (Persian orthography)."""

    def keep(m: re.Match[str]) -> str:
        i = m.start()
        before = text[i - 1] if i > 0 else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if before and after and "\u0600" <= before <= "\u06ff" and "\u0600" <= after <= "\u06ff":
            return m.group()
        return ""

    return _JOINER_RE.sub(keep, text)


def clean_control_chars(text: str) -> str:
    """Remove NUL, C0/C1 controls (keeping \\n and \\t), ANSI escapes, lone surrogates,
    zero-width/invisible formatting characters and non-characters; then NFC-normalise.

    ``\\r\\n`` and lone ``\\r`` become ``\\n``; vertical tab and form feed become ``\\n``.
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n")
    text = _ANSI_RE.sub("", text)
    text = _SURROGATE_RE.sub("", text)
    if _CONTROL_CHAR_RE.search(text):
        text = text.translate(_CONTROL_TRANSLATION)
    if "\u200c" in text or "\u200d" in text:
        text = _strip_joiners(text)
    return unicodedata.normalize("NFC", text)


def to_clean_text(data: bytes, declared_charset: str | None = None) -> str:
    """``decode_text`` followed by ``clean_control_chars``."""
    return clean_control_chars(decode_text(data, declared_charset))


_MAGIC: tuple[bytes, ...] = (
    b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"PK\x03\x04", b"\x7fELF",
    b"SQLite format 3\x00", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"\x28\xb5\x2f\xfd",
    b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", b"OggS", b"ID3",
    b"RIFF", b"\x00\x00\x01\x00",
)
_TEXT_CONTROLS = frozenset(b"\t\n\x0b\x0c\r\x1b")
_BINARY_CONTROLS = bytes(b for b in range(256) if (b < 0x20 or b == 0x7F) and b not in _TEXT_CONTROLS)


def _utf16_guess(sample: bytes) -> str | None:
    """UTF-16 without BOM: NUL bytes at one parity (ASCII-range text), decoding cleanly."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    z_even, z_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if max(z_even, z_odd) >= 0.3 and min(z_even, z_odd) < 0.05:
        enc = "utf_16_le" if z_odd > z_even else "utf_16_be"
        text = _strict(sample[: len(sample) // 2 * 2], enc)
        if text is not None and _control_ratio(text) < 0.05:
            return enc
    return None


def _binary_controls(data: bytes) -> int:
    """How many bytes of ``data`` are controls text does not have (counted in C)."""
    return len(data) - len(data.translate(None, _BINARY_CONTROLS))


def is_probably_binary(data: bytes) -> bool:
    """True for images, archives, executables and random bytes; False for text in any
    encoding we decode (including UTF-16 without BOM and text with a few stray controls)."""
    if not data:
        return False
    if _bom_encoding(data):
        return False
    sample = data[:65536]
    if any(sample.startswith(m) for m in _MAGIC) and _strict(sample[:4096], "utf_8") is None:
        return True
    if len(data) % 2 == 0 and detect_encoding(sample) in ("utf_16_le", "utf_16_be"):
        return False
    controls = _binary_controls(sample)
    ratio = controls / len(sample)
    if ratio > 0.10:
        return True
    if ratio > 0.02:
        replaced = sample.decode("utf_8", errors="replace").count("\ufffd")
        return replaced / len(sample) > 0.2
    return False
