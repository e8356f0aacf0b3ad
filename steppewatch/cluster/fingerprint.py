"""SimHash fingerprints over word shingles, for near-duplicate (republication) detection."""

from __future__ import annotations

import hashlib
import re
from typing import AnyStr

import numpy as np

SHINGLE_WORDS = 3
_WORD = re.compile(r"\w+")
_EMPTY_HASH = hashlib.blake2b(digest_size=8)


def _shingles(text: str) -> list[str]:
    return _joined_runs(_WORD.findall(text.casefold()), " ")


def _joined_runs(words: list[AnyStr], space: AnyStr) -> list[AnyStr]:
    """Each run of SHINGLE_WORDS words joined by ``space`` (all of them when fewer)."""
    if len(words) < SHINGLE_WORDS:
        return [space.join(words)] if words else []
    # the word lists shifted by 0, 1, 2 ... zipped (no slice per shingle); the shortest ends
    return list(map(space.join, zip(*(words[k:] for k in range(SHINGLE_WORDS)), strict=False)))


def simhash(text: str) -> int:
    """64-bit SimHash of the text's word 3-grams.

    Each shingle's hash is the big-endian 64-bit blake2b digest; bit ``b`` of the fingerprint is set
    when more shingle hashes have bit ``b`` set than clear. The bits are counted with numpy over the
    concatenated digests (byte 0 first, most significant bit first), the same count as a loop over
    the 64 bits of each hash, so fingerprints stored before stay comparable."""
    # the words encoded at once (a \w+ run holds no space, nor does UTF-8 put one in a multi-byte letter)
    words = " ".join(_WORD.findall(text.casefold())).encode().split(b" ")
    shingles = _joined_runs(words, b" ") if words != [b""] else []
    if not shingles:
        return 0
    new_hash = _EMPTY_HASH.copy  # a copy of a fresh 8-byte blake2b: cheaper than a constructor call
    digests = []
    for shingle in shingles:
        digest = new_hash()
        digest.update(shingle)
        digests.append(digest.digest())
    bits = np.unpackbits(np.frombuffer(b"".join(digests), dtype=np.uint8).reshape(-1, 8), axis=1)
    ones = bits.sum(axis=0, dtype=np.int64)  # column 0 is bit 63 of the big-endian hash
    majority = (2 * ones > len(shingles)).astype(np.uint8)
    return int.from_bytes(np.packbits(majority).tobytes(), "big")


def simhash_hex(text: str) -> str:
    return f"{simhash(text):016x}"


def hamming(a: str | int, b: str | int) -> int:
    x = (int(a, 16) if isinstance(a, str) else a) ^ (int(b, 16) if isinstance(b, str) else b)
    return x.bit_count()
