"""Group articles into stories.

Two articles are one story when they report the same event: a shared event signature
(type, visitor country, host country, date) with overlapping people, or near-identical text
(SimHash distance) -- but never when both date the same visit differently (two visits written
from one template on different days stay apart). Candidate pairs come from blocking on event
signatures and SimHash bands, so the work grows with the size of blocks, not n^2.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from pathlib import Path

from steppewatch.cluster.fingerprint import hamming

NEAR_DUPLICATE_BITS = 6
OUTLETS_TSV = Path(__file__).resolve().parents[1] / "data" / "outlets.tsv"
MIN_PEOPLE_OVERLAP = 0.3


@dataclass
class ArticleSignature:
    """What clustering needs to know of an article."""

    id: str
    published: str | None
    source: str | None
    language: str | None
    title: str | None
    fingerprint: str | None
    event_keys: set[tuple[str, str, str, str | None]] = field(default_factory=set)
    people: set[str] = field(default_factory=set)
    text_head: str = ""  # the first characters of the text, to find citations of other sources


def _days_apart(a: str | None, b: str | None) -> int | None:
    if not a or not b or len(a) < 10 or len(b) < 10:
        return None
    return abs((dt.date.fromisoformat(a[:10]) - dt.date.fromisoformat(b[:10])).days)


def _same_event(a: ArticleSignature, b: ArticleSignature, window_days: int) -> bool:
    apart = _days_apart(a.published, b.published)
    if apart is not None and apart > window_days:
        return False
    shared = False
    for ka in a.event_keys:
        for kb in b.event_keys:
            if ka[:3] != kb[:3]:
                continue
            gap = _days_apart(ka[3], kb[3])
            if gap is not None and gap > 1:
                if ka[0] == "visit":
                    return False  # the same kind of visit on different days: two events
                continue
            shared = True
    near_duplicate = bool(a.fingerprint and b.fingerprint and
                          hamming(a.fingerprint, b.fingerprint) <= NEAR_DUPLICATE_BITS)
    if near_duplicate:
        return True
    if not shared:
        return False
    union = a.people | b.people
    return bool(union) and len(a.people & b.people) / len(union) >= MIN_PEOPLE_OVERLAP


def _week(date: str | None) -> int | None:
    if not date or len(date) < 10:
        return None
    return dt.date.fromisoformat(date[:10]).toordinal() // 7


def _candidate_pairs(articles: list[ArticleSignature]) -> set[tuple[int, int]]:
    """Pairs worth comparing: same event signature in the same or the next week, an undated
    article with every article of its signature, or a shared SimHash band."""
    blocks: dict[object, list[int]] = defaultdict(list)
    by_key: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    undated: list[tuple[int, tuple[str, str, str]]] = []
    for i, a in enumerate(articles):
        for k in a.event_keys:
            key = k[:3]
            week = _week(k[3]) or _week(a.published)
            by_key[key].append(i)
            if week is None:
                undated.append((i, key))
            else:
                blocks[("event", key, week)].append(i)
                blocks[("event", key, week + 1)].append(i)
        if a.fingerprint:
            value = int(a.fingerprint, 16)
            for band in range(4):
                blocks[("band", band, value >> (16 * band) & 0xFFFF)].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        unique = sorted(set(members))
        pairs.update(combinations(unique, 2))
    for i, key in undated:
        pairs.update((min(i, j), max(i, j)) for j in set(by_key[key]) if j != i)
    return pairs


def cluster_stories(articles: list[ArticleSignature], window_days: int = 3
                    ) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """Return (article id -> story id, article id -> (derived from id, kind))."""
    parent = list(range(len(articles)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in _candidate_pairs(articles):
        if find(i) != find(j) and _same_event(articles[i], articles[j], window_days):
            parent[find(i)] = find(j)
    groups: dict[int, list[ArticleSignature]] = defaultdict(list)
    for i, a in enumerate(articles):
        groups[find(i)].append(a)
    assignment: dict[str, str] = {}
    derived: dict[str, tuple[str, str]] = {}
    for members in groups.values():
        members.sort(key=lambda a: (a.published or "9999", a.id))
        story_id = "s" + hashlib.sha256(min(m.id for m in members).encode()).hexdigest()[:11]
        for m in members:
            assignment[m.id] = story_id
        derived.update(_derivations(members))
    return assignment, derived


@lru_cache(maxsize=1)
def outlet_languages() -> dict[str, frozenset[str]]:
    """Outlet name (case-folded) -> the languages it publishes its own reports in."""
    out: dict[str, frozenset[str]] = {}
    for line in OUTLETS_TSV.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, languages, *_ = line.split("\t")
            out[name.casefold()] = frozenset(x.strip() for x in languages.split(",") if x.strip())
    return out


def derivation_kind(later: ArticleSignature, earlier: ArticleSignature) -> str:
    """A report citing another outlet's: a translation when its language differs from the cited
    report's, says so, or is not a language its own outlet publishes in; else a rewrite."""
    home = outlet_languages().get((later.source or "").casefold())
    if later.language != earlier.language or re.search(r"translat", later.text_head, re.I) \
            or (home is not None and later.language is not None and later.language not in home):
        return "translation"
    return "rewrite"


def _derivations(members: list[ArticleSignature]) -> dict[str, tuple[str, str]]:
    """Mark republications (near-identical text) and rewrites/translations citing another source."""
    out: dict[str, tuple[str, str]] = {}
    for later in members:
        for earlier in members:
            if earlier is later or later.id in out or earlier.id in out:
                continue
            near = bool(earlier.fingerprint and later.fingerprint and
                        hamming(earlier.fingerprint, later.fingerprint) <= NEAR_DUPLICATE_BITS)
            if near and (earlier.published or "", earlier.id) < (later.published or "", later.id):
                out[later.id] = (earlier.id, "republication")
                continue
            source = earlier.source
            if source and later.source and source.lower() != later.source.lower() and re.search(
                    rf"\b{re.escape(source)}\b\s+(?:reported|said|says|reports|via)|according to {re.escape(source)}\b|"
                    rf"^\({re.escape(source)}\)", later.text_head, re.M):
                out[later.id] = (earlier.id, derivation_kind(later, earlier))
    return out


def story_rows(assignment: dict[str, str], derived: dict[str, tuple[str, str]],
               articles: list[ArticleSignature]) -> list[dict[str, object]]:
    """Rows of the stories table."""
    by_story: dict[str, list[ArticleSignature]] = defaultdict(list)
    for a in articles:
        by_story[assignment[a.id]].append(a)
    rows = []
    for story_id, members in by_story.items():
        dates = sorted(m.published for m in members if m.published)
        # the story is named after its earliest independent report, not a rewrite of it
        first = min(members, key=lambda m: (m.id in derived, m.published or "9999", m.id))
        rows.append({
            "story_id": story_id, "title": first.title, "first_seen": dates[0] if dates else None,
            "last_seen": dates[-1] if dates else None, "n_articles": len(members),
            "n_independent": sum(1 for m in members if m.id not in derived),
            "languages": ",".join(sorted({m.language or "und" for m in members})),
        })
    return rows
