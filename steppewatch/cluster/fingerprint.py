"""SimHash fingerprints over word shingles, for near-duplicate (republication) detection."""

from __future__ import annotations

import hashlib
import re

import numpy as np

SHINGLE_WORDS = 3
_WORD = re.compile(r"\w+")


def _shingles(text: str) -> list[str]:
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE_WORDS:
        return [" ".join(words)] if words else []
    # each run of SHINGLE_WORDS words, joined: the word lists shifted by 0, 1, 2 ... zipped (no slice per shingle)
    return list(map(" ".join, zip(*(words[k:] for k in range(SHINGLE_WORDS)), strict=False)))  # shortest ends


def simhash(text: str) -> int:
    """64-bit SimHash of the text's word 3-grams.

    Each shingle's hash is the big-endian 64-bit blake2b digest; bit ``b`` of the fingerprint is set
    when more shingle hashes have bit ``b`` set than clear. The bits are counted with numpy over the
    concatenated digests (byte 0 first, most significant bit first), the same count as a loop over
    the 64 bits of each hash, so fingerprints stored before stay comparable."""
    shingles = _shingles(text)
    if not shingles:
        return 0
    blake2b = hashlib.blake2b
    digests = b"".join([blake2b(s.encode(), digest_size=8).digest() for s in shingles])
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8).reshape(-1, 8), axis=1)
    ones = bits.sum(axis=0, dtype=np.int64)  # column 0 is bit 63 of the big-endian hash
    majority = (2 * ones > len(shingles)).astype(np.uint8)
    return int.from_bytes(np.packbits(majority).tobytes(), "big")


def simhash_hex(text: str) -> str:
    return f"{simhash(text):016x}"


def hamming(a: str | int, b: str | int) -> int:
    x = (int(a, 16) if isinstance(a, str) else a) ^ (int(b, 16) if isinstance(b, str) else b)
    return x.bit_count()
