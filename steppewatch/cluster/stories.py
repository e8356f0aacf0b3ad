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
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from steppewatch.cluster.fingerprint import hamming

# The version of the rules below; a store whose stories were made by other rules is re-clustered whole
# on its next ingest (2: stories span at most a week, an undated report bridges no two far apart; 3: an
# undated report is compared with the latest reports of its signature only, as an ingest reads them;
# 4: a block's reports are met in publication order).
STORY_RULES = "4"
NEAR_DUPLICATE_BITS = 6
UNDATED_NEIGHBOURS = 200  # an undated report is compared with this many latest reports of its signature
OUTLETS_TSV = Path(__file__).resolve().parents[1] / "data" / "outlets.tsv"
MIN_PEOPLE_OVERLAP = 0.3
COMPARE_PER_STORY = 6  # members of a forming story an article is compared with, per block
SMALL_STORY = 16  # up to this many members, derivations compare every pair (the index finds the same)


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


@lru_cache(maxsize=65536)
def _day_number(value: str) -> int:
    """The day of an ISO date (its first ten characters) as an ordinal; cached, clustering asks for
    the same few thousand days over and over."""
    return dt.date.fromisoformat(value[:10]).toordinal()


def _day_or_none(value: str | None) -> int | None:
    return _day_number(value) if value and len(value) >= 10 else None


def _days_apart(a: str | None, b: str | None) -> int | None:
    if not a or not b or len(a) < 10 or len(b) < 10:
        return None
    return abs(_day_number(a) - _day_number(b))


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


def _blocks(articles: list[ArticleSignature], undated_neighbours: int
            ) -> tuple[list[list[int]], list[tuple[int, list[int]]]]:
    """Groups of articles worth comparing: the same event signature in the same or the next week, or a
    shared SimHash band; and stars: an undated article with the ``undated_neighbours`` latest reports of
    its signature (latest event day first, then article id), compared with it alone."""
    blocks: dict[object, list[int]] = defaultdict(list)
    by_key: dict[tuple[str, str, str], dict[int, str]] = defaultdict(dict)  # article -> its latest day
    undated: list[tuple[int, tuple[str, str, str]]] = []
    for i, a in enumerate(articles):
        # in a fixed order: a set's order follows the process's string hashes, and the blocks' order
        # decides which merges happen first (stories must not change from one run to the next)
        for k in sorted(a.event_keys, key=lambda k: (*k[:3], k[3] or "")):
            key = k[:3]
            week = _week(k[3]) or _week(a.published)
            by_key[key][i] = max(by_key[key].get(i, ""), k[3] or "")
            if week is None:
                undated.append((i, key))
            else:
                blocks[("event", key, week)].append(i)
                blocks[("event", key, week + 1)].append(i)
        if a.fingerprint:
            value = int(a.fingerprint, 16)
            for band in range(4):
                blocks[("band", band, value >> (16 * band) & 0xFFFF)].append(i)
    latest: dict[tuple[str, str, str], list[int]] = {}
    stars: list[tuple[int, list[int]]] = []
    for i, key in undated:
        if key not in latest:  # latest day first, then by article id (a stable sort of the id order)
            days = by_key[key]
            latest[key] = sorted(sorted(days, key=lambda j: articles[j].id), key=days.__getitem__, reverse=True)
        stars.append((i, [j for j in latest[key] if j != i][:undated_neighbours]))
    return [sorted(set(members)) for members in blocks.values() if len(members) > 1], stars


def cluster_stories(articles: list[ArticleSignature], window_days: int = 3, max_span_days: int = 7,
                    undated_neighbours: int = UNDATED_NEIGHBOURS) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """Return (article id -> story id, article id -> (derived from id, kind)).

    Within a block each article is compared with a few members of every story already formed
    there (not with every member): a wire story carried by hundreds of outlets costs linear time.
    Two stories merge only when their publication days lie within ``window_days`` of each other and
    together span at most ``max_span_days``: an undated report matches reports of any day, and would
    otherwise chain the visits of one visitor to one country over years into one story (and take the
    date of the first); reports of a meeting repeated every few days would chain into a months-long one."""
    parent = list(range(len(articles)))
    published = [_day_or_none(a.published) for a in articles]
    days: list[tuple[int, int] | None] = [  # per story root: its first and last publication day
        None if d is None else (d, d) for d in published]

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def near(a: int, b: int) -> bool:
        first, second = days[a], days[b]
        return first is None or second is None or (
            max(first[0], second[0]) - min(first[1], second[1]) <= window_days
            and max(first[1], second[1]) - min(first[0], second[0]) <= max_span_days)

    def union(a: int, b: int) -> None:  # roots a into b
        first, second = days[a], days[b]
        days[b] = second if first is None else first if second is None else \
            (min(first[0], second[0]), max(first[1], second[1]))
        parent[a] = b

    blocks, stars = _blocks(articles, undated_neighbours)
    sweep_day = [-1 if d is None else d for d in published]  # undated: before every day
    for members in blocks:
        # swept in publication order (undated first, then by article id): a story whose last day is
        # further back than the window can meet no later member, and leaves the stories met
        members.sort(key=lambda i: (sweep_day[i], articles[i].id))
        seen: dict[int, list[int]] = {}  # story root -> up to COMPARE_PER_STORY members met in this block
        today = -1
        for i in members:
            if sweep_day[i] != today:
                today = sweep_day[i]
                for r in [r for r in seen if (span := days[find(r)]) is not None and span[1] < today - window_days]:
                    del seen[r]
            for root, sample in list(seen.items()):
                mine, theirs = find(i), find(root)
                if mine == theirs or not near(mine, theirs):
                    continue
                if any(_same_event(articles[i], articles[j], window_days) for j in sample):
                    union(mine, theirs)
            root = find(i)
            merged = [j for r, sample in seen.items() if find(r) == root for j in sample]
            for r in [r for r in seen if find(r) == root]:
                del seen[r]
            seen[root] = ([*merged, i])[-COMPARE_PER_STORY:]
    for i, candidates in stars:  # an undated report against a few members of each story of its candidates
        samples: dict[int, list[int]] = {}
        for j in candidates:
            sample = samples.setdefault(find(j), [])
            if len(sample) < COMPARE_PER_STORY:
                sample.append(j)
        for root, sample in samples.items():
            mine, theirs = find(i), find(root)
            if mine != theirs and near(mine, theirs) and \
                    any(_same_event(articles[i], articles[j], window_days) for j in sample):
                union(mine, theirs)
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


def _citation(source: str) -> re.Pattern[str]:
    name = re.escape(source)
    return re.compile(rf"\b{name}\b\s+(?:reported|said|says|reports|via)|according to {name}\b|^\({name}\)", re.M)


def _derivations(members: list[ArticleSignature]) -> dict[str, tuple[str, str]]:
    """Mark republications (near-identical text) and rewrites/translations citing another source.

    For each article, in story order, the first other article not itself derived that is either a
    near-duplicate published before it or a source its text cites. Candidates come from an index
    (SimHash bands probed with up to one flipped bit: within 6 differing bits one of 4 bands has at
    most one) and from the sources it cites, so a story of thousands of reports stays fast."""
    out: dict[str, tuple[str, str]] = {}
    if len(members) < 2:
        return out
    order = {m.id: i for i, m in enumerate(members)}
    values = {m.id: int(m.fingerprint, 16) for m in members if m.fingerprint}
    bands: dict[tuple[int, int], list[ArticleSignature]] = defaultdict(list)
    by_source: dict[str, list[ArticleSignature]] = defaultdict(list)
    for m in members:
        if m.id in values:
            for band in range(4):
                bands[(band, values[m.id] >> (16 * band) & 0xFFFF)].append(m)
        if m.source:
            by_source[m.source.lower()].append(m)
    names = {source: m[0].source or source for source, m in by_source.items()}  # as its citations spell it
    patterns = {source: _citation(name) for source, name in names.items()}
    for later in members:
        value = values.get(later.id)
        own = (later.source or "").lower()
        cited = {source for source, pattern in patterns.items()  # a citation spells the name: a cheap test first
                 if own and source != own and names[source] in later.text_head and pattern.search(later.text_head)}
        if len(members) <= SMALL_STORY:  # every member: fewer look-ups than probing the index
            candidates: Iterable[ArticleSignature] = members
        else:
            found: dict[str, ArticleSignature] = {}
            if value is not None:
                for band in range(4):
                    part = value >> (16 * band) & 0xFFFF
                    for flip in (0, *(1 << bit for bit in range(16))):
                        for m in bands.get((band, part ^ flip), ()):
                            found[m.id] = m
            for source in cited:
                found.update((m.id, m) for m in by_source[source])
            candidates = sorted(found.values(), key=lambda m: order[m.id])
        for earlier in candidates:
            if earlier is later or earlier.id in out:
                continue
            near = earlier.id in values and value is not None and \
                (values[earlier.id] ^ value).bit_count() <= NEAR_DUPLICATE_BITS
            if near and (earlier.published or "", earlier.id) < (later.published or "", later.id):
                out[later.id] = (earlier.id, "republication")
                break
            if (earlier.source or "").lower() in cited:
                out[later.id] = (earlier.id, derivation_kind(later, earlier))
                break
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
        # the story is named after its earliest independent report (English first on a tie: the
        # interface is English), not a rewrite of it
        first = min(members, key=lambda m: (m.id in derived, m.published or "9999", m.language != "en", m.id))
        rows.append({
            "story_id": story_id, "title": first.title, "first_seen": dates[0] if dates else None,
            "last_seen": dates[-1] if dates else None, "n_articles": len(members),
            "n_independent": sum(1 for m in members if m.id not in derived),
            "languages": ",".join(sorted({m.language or "und" for m in members})),
        })
    return rows
