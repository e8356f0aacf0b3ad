"""Issue 9 (ingest CPU): the faster code gives exactly what the plain code gave.

Each test keeps a tiny reference implementation (the code as it was) and compares on varied inputs.
"""

from __future__ import annotations

import hashlib
import random

import pytest

from steppewatch.cluster.fingerprint import _shingles, hamming, simhash, simhash_hex


# -- SimHash: numpy bit counts == the loop over 64 bits ----------------------------------------
def _reference_simhash(text: str) -> int:
    weights = [0] * 64
    for shingle in _shingles(text):
        h = int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if h >> bit & 1 else -1
    return sum(1 << bit for bit in range(64) if weights[bit] > 0)


def _random_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    vocab = ["Tokayev", "visited", "Tashkent", "the", "talks", "Мирзиёев", "прибыл", "в", "Астану", "习近平",
             "会见", "2024", "March", "İstanbul", "Straße", "o'zbekiston", "and", "of", "energy", "gas"]
    texts = []
    for _ in range(n):
        words = [rng.choice(vocab) for _ in range(rng.randint(0, 60))]
        texts.append(" ".join(words) + rng.choice(["", ".", "\n\nEnd"]))
    return texts


@pytest.mark.parametrize("text", [
    "", "   ", "one", "one two", "one two three", "one two three four", "Один два три четыре пять",
    "The same words. The same words. The same words.", "习近平会见托卡耶夫 2024年3月5日",
    "Lavrov arrived in Dushanbe for talks with Muhriddin.",
])
def test_simhash_equals_the_bit_loop_on_small_texts(text: str) -> None:
    assert simhash(text) == _reference_simhash(text)


def test_simhash_equals_the_bit_loop_on_random_texts() -> None:
    texts = _random_texts(300, seed=11)
    assert [simhash(t) for t in texts] == [_reference_simhash(t) for t in texts]


def test_simhash_of_a_tie_leaves_the_bit_clear() -> None:
    # two shingles: a bit set in exactly one of them weighs 0 and stays clear
    text = "alpha beta gamma delta"
    hashes = [int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big") for s in _shingles(text)]
    assert len(hashes) == 2
    assert simhash(text) == hashes[0] & hashes[1] == _reference_simhash(text)


def test_simhash_hex_is_16_digits_and_hamming_reads_it() -> None:
    a, b = simhash_hex("Lavrov arrived in Dushanbe for talks."), simhash_hex("Lavrov arrived in Dushanbe for talks!")
    assert len(a) == 16 and a == f"{_reference_simhash('Lavrov arrived in Dushanbe for talks.'):016x}"
    assert hamming(a, b) == 0
