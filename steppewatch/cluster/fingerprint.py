"""SimHash fingerprints over word shingles, for near-duplicate (republication) detection."""

from __future__ import annotations

import hashlib
import re

SHINGLE_WORDS = 3


def _shingles(text: str) -> list[str]:
    words = re.findall(r"\w+", text.casefold())
    if len(words) < SHINGLE_WORDS:
        return [" ".join(words)] if words else []
    return [" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)]


def simhash(text: str) -> int:
    """64-bit SimHash of the text's word 3-grams."""
    weights = [0] * 64
    for shingle in _shingles(text):
        h = int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if h >> bit & 1 else -1
    return sum(1 << bit for bit in range(64) if weights[bit] > 0)


def simhash_hex(text: str) -> str:
    return f"{simhash(text):016x}"


def hamming(a: str | int, b: str | int) -> int:
    x = (int(a, 16) if isinstance(a, str) else a) ^ (int(b, 16) if isinstance(b, str) else b)
    return x.bit_count()
