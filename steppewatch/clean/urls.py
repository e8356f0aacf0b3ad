"""URL normalisation for dedup: one key per article, whichever copy of its address a feed gave.

``normalise_url(url)`` returns a canonical ``https://host/path?query`` string, or ``""`` when the
input is not an http(s) URL (``javascript:``, ``data:``, ``file:``, relative links, malformed
hosts): callers treat ``""`` as "no URL". It never raises. The key is for comparing addresses,
not for fetching them (an http-only site keeps working because fetchers use the original URL).

Each rule is listed in ``RULES`` with an example; the tests check every example. Changing a rule
changes article ids, so it needs a new ``settings.DEDUP_KEY_VERSION`` and an entry in
``URL_NORMALISERS`` (older versions stay, frozen, so existing stores can still be matched).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, unquote, urlsplit


@dataclass(frozen=True)
class Rule:
    """One normalisation rule, documented by an example (``normalise_url(example_in) == example_out``)."""

    name: str
    description: str
    example_in: str
    example_out: str


# Exact query parameter names (compared case-insensitively) that only track the reader.
TRACKING_PARAMS: frozenset[str] = frozenset({
    # ad-click ids: Facebook, Google (gclid, dclid, gbraid, wbraid), Microsoft, Yandex, TikTok, Twitter
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "ysclid", "ttclid", "twclid",
    "li_fat_id", "epik", "rb_clickid", "s_cid",
    # analytics cookies passed in links: Google Analytics, Mailchimp, Instagram, HubSpot, Marketo, Openstat
    "_ga", "_gl", "mc_cid", "mc_eid", "igshid", "igsh", "_hsenc", "_hsmi", "mkt_tok", "_openstat",
    "vero_id", "vero_conv", "oly_enc_id", "oly_anon_id",
    # referral and share markers: Twitter, NYT, CNN, MSN, Yahoo, The Independent, Alibaba
    "ref", "ref_src", "ref_url", "cmpid", "ocid", "smid", "smtyp", "taid", "__twitter_impression",
    "guccounter", "guce_referrer", "guce_referrer_sig", "ito", "spm", "xtor", "wt.mc_id", "sr_share",
})
# Parameter name prefixes that only track: UTM, AT Internet / Piano (at_medium, at_campaign, ...),
# Matomo/Piwik (pk_, mtm_), BBC comScore (ns_), HubSpot ads (hsa_).
TRACKING_PREFIXES: tuple[str, ...] = ("utm_", "at_", "pk_", "mtm_", "ns_", "hsa_")
# Host prefixes that name a mobile, AMP or "www" copy of the same site (www2., www3. too).
HOST_PREFIX = re.compile(r"^(?:www\d*|m|mobile|amp)\.")
# Last path segments that name the directory's default page.
INDEX_PAGES: frozenset[str] = frozenset({"index.html", "index.htm", "index.php"})
DEFAULT_PORTS: frozenset[int] = frozenset({80, 443})
SCHEMES: frozenset[str] = frozenset({"http", "https"})
# Longer inputs are not article addresses (and are not worth hashing).
MAX_URL_CHARS = 16_384

_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_HOST_CHARS = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*")
_PATH_SAFE = "/:@!$&'()*+,;=%-._~"
_QUERY_SAFE = "/?:@!$'()*+,;=%-._~"

RULES: tuple[Rule, ...] = (
    Rule("whitespace", "Leading and trailing whitespace is stripped.",
         "  https://kun.uz/news/1\n", "https://kun.uz/news/1"),
    Rule("scheme", "http and https are the same page; the key always says https.",
         "http://kun.uz/news/1", "https://kun.uz/news/1"),
    Rule("non-http scheme", "javascript:, data:, file:, mailto: and relative links give no key (\"\").",
         "javascript:alert(1)", ""),
    Rule("lowercase host", "Host names are case-insensitive.",
         "https://Akorda.KZ/en/news", "https://akorda.kz/en/news"),
    Rule("default port", "Ports 80 and 443 are dropped (other ports are kept).",
         "https://akorda.kz:443/en/news", "https://akorda.kz/en/news"),
    Rule("credentials", "user:password@ before the host is dropped.",
         "https://user:secret@akorda.kz/en", "https://akorda.kz/en"),
    Rule("www host", "A www. (or www2.) host prefix is dropped.",
         "https://www.rferl.org/a/kazakhstan/1.html", "https://rferl.org/a/kazakhstan/1.html"),
    Rule("mobile host", "m. and mobile. host prefixes (mobile copies) are dropped.",
         "https://m.kun.uz/news/1", "https://kun.uz/news/1"),
    Rule("amp host", "An amp. host prefix (AMP copy) is dropped.",
         "https://amp.dw.com/ru/a-1", "https://dw.com/ru/a-1"),
    Rule("idn host", "Unicode host names are written in punycode (IDNA), so both spellings match.",
         "https://Президент.рф/news/1", "https://xn--d1abbgf6aiiy.xn--p1ai/news/1"),
    Rule("amp path", "A trailing /amp or /amp/ segment, a leading /amp/ segment and a .amp suffix are dropped.",
         "https://24.kg/english/1_Japan_Kyrgyzstan/amp/", "https://24.kg/english/1_Japan_Kyrgyzstan"),
    Rule("amp query", "amp=1 (amp, amp=true) and outputType=amp query parameters are dropped.",
         "https://edition.cnn.com/2023/03/01/asia/blinken?outputType=amp",
         "https://edition.cnn.com/2023/03/01/asia/blinken"),
    Rule("fragment", "The #fragment is dropped (it never reaches the server).",
         "https://kun.uz/news/1#comments", "https://kun.uz/news/1"),
    Rule("trailing slash", "A trailing slash is dropped (except the root path).",
         "https://kun.uz/news/1/", "https://kun.uz/news/1"),
    Rule("index page", "A last segment index.html, index.htm or index.php is dropped.",
         "https://kun.uz/news/index.php", "https://kun.uz/news"),
    Rule("default path", "An empty path is /.",
         "https://kun.uz", "https://kun.uz/"),
    Rule("tracking parameters", "Tracking parameters (TRACKING_PARAMS, TRACKING_PREFIXES) are dropped.",
         "https://kun.uz/news/1?utm_source=tg&fbclid=IwAR0&id=7", "https://kun.uz/news/1?id=7"),
    Rule("sorted query", "Remaining parameters are sorted by name (repeated names keep their order).",
         "https://kun.uz/search?q=Tokayev&page=2", "https://kun.uz/search?page=2&q=Tokayev"),
    Rule("empty query", "An empty query (a bare ? or only && separators) is dropped.",
         "https://kun.uz/news/1?", "https://kun.uz/news/1"),
    Rule("percent-encoding", "Unreserved characters are decoded, other escapes get upper-case hex, "
         "non-ASCII and unsafe characters are escaped (UTF-8).",
         "https://kun.uz/%7euser/%d0%bd%D0%BE%d0%b2%d0%be%D1%81%D1%82%D0%B8/%41",
         "https://kun.uz/~user/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/A"),
    Rule("malformed", "A malformed host (unclosed IPv6 bracket, spaces, bad port) gives no key.",
         "http://[::1", ""),
)


def _normalise_escapes(text: str, safe: str) -> str:
    """Escape what must be escaped, decode escaped unreserved characters, upper-case the rest."""
    text = quote(_LONE_PERCENT.sub("%25", text), safe=safe)

    def fix(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    return _PERCENT.sub(fix, text)


def _host(hostname: str) -> str:
    """Lower-case, punycode, prefix-free host, or "" when it is not a valid host name."""
    host = hostname.rstrip(".")
    if ":" in host:  # IPv6 literal (urlsplit has already checked the brackets)
        return f"[{host}]" if re.fullmatch(r"[0-9a-f:.]+", host) else ""
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return ""
    host = host.lower()
    if not _HOST_CHARS.fullmatch(host):
        return ""
    while (match := HOST_PREFIX.match(host)) and "." in host[match.end():]:
        host = host[match.end():]
    return host


def _path(path: str) -> str:
    segments = _normalise_escapes(path, _PATH_SAFE).split("/")
    while len(segments) > 1 and segments[-1] in ("", "amp", *INDEX_PAGES):
        segments.pop()
    if len(segments) > 2 and segments[1] == "amp":
        del segments[1]
    if segments[-1].endswith(".amp") and len(segments[-1]) > 4:
        segments[-1] = segments[-1][:-4]
    return "/".join(segments).lstrip("/")


def _is_tracking(name: str, value: str) -> bool:
    key = unquote(name).lower()
    if key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES):
        return True
    return (key == "amp" and value.lower() in ("", "1", "true")) or (key == "outputtype" and value.lower() == "amp")


def _query(query: str) -> str:
    kept: list[tuple[str, str]] = []
    for piece in query.split("&"):
        if not piece:
            continue
        name, _, value = piece.partition("=")
        if _is_tracking(name, value):
            continue
        kept.append((_normalise_escapes(name, _QUERY_SAFE), _normalise_escapes(value, _QUERY_SAFE)))
    kept.sort(key=lambda pair: pair[0])
    return "&".join(f"{name}={value}" if value else name for name, value in kept)


def is_http_url(url: str | None) -> bool:
    """True when ``url`` is an absolute http(s) URL (the only kind an article keeps as its URL)."""
    if not url:
        return False
    try:
        return urlsplit(url.strip()).scheme.lower() in SCHEMES
    except ValueError:
        return False


@lru_cache(maxsize=1024)  # an ingest asks for an item's key several times (its ids, its url_key): ~17 us each
def normalise_url(url: str | None) -> str:
    """The dedup key of ``url`` (see RULES), or "" when it is not a usable http(s) URL."""
    if not url or len(url) > MAX_URL_CHARS:
        return ""
    text = url.strip()
    if text.startswith("//"):
        text = "https:" + text
    try:
        parts = urlsplit(text)
        port = parts.port
        hostname = parts.hostname or ""
    except ValueError:
        return ""
    if parts.scheme.lower() not in SCHEMES:
        return ""
    host = _host(hostname)
    if not host:
        return ""
    if port is not None and port not in DEFAULT_PORTS:
        host = f"{host}:{port}"
    query = _query(parts.query)
    return f"https://{host}/{_path(parts.path)}{'?' + query if query else ''}"


def normalise_url_v1(url: str | None) -> str:
    """Dedup key version 1 (frozen: ids stored under version 1 were made with it)."""
    if not url:
        return ""
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # version 1 raised here, so no stored id was made from such a URL
        return ""
    host = re.sub(r"^(www|m|mobile)\.", "", parts.netloc.lower())
    return f"{host}{parts.path.rstrip('/')}{'?' + parts.query if parts.query else ''}"


# Every dedup key version's URL normaliser; settings.DEDUP_KEY_VERSION picks the current one.
URL_NORMALISERS: dict[str, Callable[[str | None], str]] = {"1": normalise_url_v1, "2": normalise_url}
