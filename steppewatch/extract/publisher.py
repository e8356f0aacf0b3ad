"""The government that publishes a text, from its source name or URL.

Official releases speak for their government: "we traveled to Sarajevo" in the Congressional Record
is a U.S. delegation, and "Special Representative for Afghanistan Thomas West" on state.gov is a U.S.
official although his title names only his posting. Wire stories and newspapers publish for no
government: they get ``None`` and nothing is inferred from them.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Official web domains (the host or any parent domain) -> ISO3.
GOVERNMENT_DOMAINS: dict[str, str] = {
    "state.gov": "USA", "whitehouse.gov": "USA", "congress.gov": "USA", "senate.gov": "USA", "house.gov": "USA",
    "defense.gov": "USA", "treasury.gov": "USA", "usembassy.gov": "USA", "govinfo.gov": "USA",
    "kremlin.ru": "RUS", "mid.ru": "RUS", "government.ru": "RUS", "duma.gov.ru": "RUS",
    "akorda.kz": "KAZ", "gov.kz": "KAZ", "mfa.kz": "KAZ",
    "president.uz": "UZB", "gov.uz": "UZB", "mfa.uz": "UZB",
    "president.kg": "KGZ", "gov.kg": "KGZ", "mfa.gov.kg": "KGZ",
    "president.tj": "TJK", "mfa.tj": "TJK", "gov.tm": "TKM", "tdh.gov.tm": "TKM", "mfa.gov.tm": "TKM",
    "fmprc.gov.cn": "CHN", "gov.cn": "CHN", "mfa.gov.cn": "CHN",
    "gov.uk": "GBR", "elysee.fr": "FRA", "diplomatie.gouv.fr": "FRA", "bundesregierung.de": "DEU",
    "auswaertiges-amt.de": "DEU", "mofa.go.jp": "JPN", "kantei.go.jp": "JPN", "mofa.go.kr": "KOR",
    "mea.gov.in": "IND", "mfa.gov.tr": "TUR", "tccb.gov.tr": "TUR", "president.az": "AZE",
    "mfa.gov.az": "AZE", "primeminister.am": "ARM", "president.gov.by": "BLR", "mfa.ir": "IRN",
}
# Publisher names of governments (as bulk files and feeds credit them) -> ISO3.
GOVERNMENT_NAMES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:U\.S\.|US|United States)\s+Department\s+of\s+State\b|\bstate\.gov\b|"
                r"\bWhite House\b|\bCongressional Record\b|\bU\.S\.\s+Congress\b|\bU\.S\.\s+Embassy\b", re.I), "USA"),
    (re.compile(r"\bPresident of Russia\b|\bKremlin\b|\bkremlin\.ru\b|"
                r"\bMinistry of Foreign Affairs of the Russian Federation\b|Президент России", re.I), "RUS"),
    (re.compile(r"\bAkorda\b|\bPresident of (?:the Republic of )?Kazakhstan\b|Акорда", re.I), "KAZ"),
    (re.compile(r"\bPresident of (?:the Republic of )?Uzbekistan\b|president\.uz", re.I), "UZB"),
    (re.compile(r"\bPresident of (?:the )?(?:Kyrgyz Republic|Kyrgyzstan)\b", re.I), "KGZ"),
    (re.compile(r"\bPresident of (?:the Republic of )?Tajikistan\b", re.I), "TJK"),
    (re.compile(r"\bMinistry of Foreign Affairs of (?:the People's Republic of )?China\b|外交部", re.I), "CHN"),
]


def publisher_country(source: str | None, url: str | None) -> str | None:
    """The ISO3 of the government publishing the text, or None (news outlets, unknown)."""
    if url:
        host = (urlsplit(url).hostname or "").lower()
        parts = host.split(".")
        for i in range(len(parts) - 1):
            iso3 = GOVERNMENT_DOMAINS.get(".".join(parts[i:]))
            if iso3:
                return iso3
    if source:
        for pattern, iso3 in GOVERNMENT_NAMES:
            if pattern.search(source):
                return iso3
    return None
