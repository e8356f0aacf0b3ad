"""Issue 9 (ingest CPU), fingerprints: shingles built by zipping shifted word lists == joined slices."""

from __future__ import annotations

from test_speed_equivalence import _random_texts, _real_texts

from steppewatch.cluster import fingerprint


def _reference_shingles(text: str) -> list[str]:
    """_shingles as it was."""
    words = fingerprint._WORD.findall(text.casefold())
    if len(words) < fingerprint.SHINGLE_WORDS:
        return [" ".join(words)] if words else []
    n = fingerprint.SHINGLE_WORDS
    return [" ".join(words[i:i + n]) for i in range(len(words) - n + 1)]


def test_shingles_equal_joined_slices() -> None:
    texts = ["", "one", "one two", "one two three", "one two three four", "Ǆ ß İ ſ x_y 5", *_real_texts()]
    texts += _random_texts(300, seed=41)
    for text in texts:
        assert fingerprint._shingles(text) == _reference_shingles(text), text[:100]
