"""Issue 9 (ingest CPU), stories: derivations found by comparing every pair of a small story (the SimHash-band
index for a larger one), citations tested for the cited name before the pattern, and a story of one article
skipped == every pair compared with every citation pattern."""

from __future__ import annotations

import random

from steppewatch.cluster import stories
from steppewatch.cluster.stories import ArticleSignature


def _reference_derivations(members: list[ArticleSignature]) -> dict[str, tuple[str, str]]:
    """What ``_derivations`` promises, pair by pair: for each article in story order, the first other
    article not itself derived that is a near-duplicate published before it or from a source it cites."""
    out: dict[str, tuple[str, str]] = {}
    for later in members:
        for earlier in members:
            if earlier is later or earlier.id in out:
                continue
            if later.fingerprint and earlier.fingerprint \
                    and stories.hamming(later.fingerprint, earlier.fingerprint) <= stories.NEAR_DUPLICATE_BITS \
                    and (earlier.published or "", earlier.id) < (later.published or "", later.id):
                out[later.id] = (earlier.id, "republication")
                break
            own, cited = (later.source or "").lower(), (earlier.source or "").lower()
            first = next(m.source for m in members if (m.source or "").lower() == cited) if cited else ""
            if own and cited and own != cited and stories._citation(first or cited).search(later.text_head):
                out[later.id] = (earlier.id, stories.derivation_kind(later, earlier))
                break
    return out


SOURCES = ["Reuters", "reuters", "TASS", "Kun.uz", "AKIpress", "Xinhua", "Trend (AZ)", "", None]
HEADS = ["{s} reported on Monday that", "according to {s}, the", "({s}) - ASTANA", "{s}  said", "the {s}'s",
         "as {s}reported", "According to {s}", "translated from {s} via", "{s} via", "nothing cited here"]


def _story(rng: random.Random, n: int) -> list[ArticleSignature]:
    base = rng.getrandbits(64)
    members = []
    for i in range(n):
        value = base ^ sum(1 << rng.randrange(64) for _ in range(rng.choice([0, 1, 3, 5, 6, 7, 9, 20])))
        cited = rng.choice([s for s in SOURCES if s])
        head = " ".join(rng.choice(HEADS).format(s=rng.choice([cited, cited.upper(), cited.lower()]))
                        for _ in range(rng.randrange(3)))
        members.append(ArticleSignature(
            id=f"a{i:03d}{rng.randrange(1000)}", published=rng.choice([None, "2024-03-01", "2024-03-02", "2024-03"]),
            source=rng.choice(SOURCES), language=rng.choice(["en", "ru", "kk", None]), title=None,
            fingerprint=rng.choice([f"{value:016x}", f"{value:016x}", None]), text_head=head))
    members.sort(key=lambda a: (a.published or "9999", a.id))
    return members


def test_derivations_equal_the_index_and_every_citation_pattern() -> None:
    rng = random.Random(17)
    for _ in range(600):
        members = _story(rng, rng.choice([1, 2, 3, 5, 8, stories.SMALL_STORY, stories.SMALL_STORY + 1, 40]))
        assert stories._derivations(members) == _reference_derivations(members)
