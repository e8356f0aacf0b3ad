"""Literal prefilters for regular expressions: skip a search that cannot match (issue 9: ingest CPU).

``factors(pattern)`` reads a compiled pattern's syntax tree and returns strings of which every match
contains at least one (case-folded: ``fold``), or None when it cannot name any. So when none of them is a
substring of ``fold(text)``, ``pattern.search(text)`` finds nothing and ``finditer`` yields nothing: the
search can be skipped without changing a result. ``in`` over a few short strings costs far less than a
pass of a long alternation with ``re.IGNORECASE`` (which tries every alternative at every word start).

Folding: ``fold`` maps each character to one representative of the characters ``re.IGNORECASE`` treats
as equal to it (simple lower case, plus the extra equivalences of ``re``: "ſ" = "s", "ı" = "i", Kelvin
"K" = "k" ...), one character for one, so offsets are kept: ``fold(text)[a:b] == fold(text[a:b])``.
The pattern's literals are folded the same way (a case-sensitive literal too: folding only widens the
filter).

Masked text: the English rules match a copy of the sentence whose dates and acronyms are blanked to
spaces. A match there is made of the original characters, except where it crosses a blank; so a space
in the pattern is never a factor (nor any white space): factors are runs of the other literals, and a
factor found in the masked copy is in the original at the same place.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import product

import ahocorasick

# CPython's regex internals (3.11+): the syntax tree and the case equivalences of re.IGNORECASE. On an
# interpreter without them nothing is filtered (every pattern runs, as before the filter): slower, same results.
try:
    import _sre  # type: ignore[import-not-found]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
    from re._casefix import _EXTRA_CASES  # type: ignore[import-not-found]
    from re._constants import (  # type: ignore[attr-defined]
        ASSERT,
        ASSERT_NOT,
        AT,
        BRANCH,
        IN,
        LITERAL,
        MAX_REPEAT,
        MIN_REPEAT,
        NEGATE,
        SUBPATTERN,
    )

    AVAILABLE = True
except ImportError:  # pragma: no cover - exercised by monkeypatching AVAILABLE in the tests
    AVAILABLE = False

_EXACT_LIMIT = 64  # at most this many strings in a node's exact set (else only its factors are kept)


def _canonical(code: int) -> int:
    if not AVAILABLE:
        lower = chr(code).lower()
        return ord(lower) if len(lower) == 1 else code
    lower = _sre.unicode_tolower(code)
    return min((lower, *_EXTRA_CASES.get(lower, ())))


class _FoldTable(dict[int, int]):
    """``str.translate`` table filled as characters are met (each computed once per process)."""

    def __missing__(self, code: int) -> int:
        self[code] = canonical = _canonical(code)
        return canonical


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """``text`` with every character replaced by its ``re.IGNORECASE`` representative (same length)."""
    return text.lower() if text.isascii() else text.translate(_FOLD_TABLE)


def _fold_char(code: int) -> str:
    return chr(_canonical(code))


class _Info:
    """What a node can match: ``exact`` (exactly one of these strings) or ``factors`` (a string holding one
    of these), or neither (None, None): anything."""

    __slots__ = ("exact", "factors")

    def __init__(self, exact: frozenset[str] | None = None, factors: frozenset[str] | None = None) -> None:
        self.exact = exact
        self.factors = factors

    def required(self) -> frozenset[str] | None:
        """Strings one of which every match holds (None: no such set)."""
        if self.exact is not None:
            return None if "" in self.exact else self.exact
        return self.factors


_ANYTHING = _Info()
_EMPTY = _Info(exact=frozenset({""}))


def _minimal(strings: frozenset[str]) -> frozenset[str]:
    """The same filter with no string holding another (shorter strings are found wherever longer ones are)."""
    kept: list[str] = []
    for s in sorted(strings, key=lambda s: (len(s), s)):
        if not any(k in s for k in kept):
            kept.append(s)
    return frozenset(kept)


def _better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """The more selective of two factor sets: the longer shortest string, then the fewer strings."""
    if a is None:
        return b
    if b is None:
        return a
    a, b = _minimal(a), _minimal(b)
    return max((a, b), key=lambda s: (min(map(len, s)), -len(s)))


def _literal(code: int, blanks: bool) -> _Info:
    if blanks and chr(code).isspace():  # a blank of the masked copy matches it: never part of a factor
        return _ANYTHING
    return _Info(exact=frozenset({_fold_char(code)}))


def _node(op: object, av: object, blanks: bool) -> _Info:
    if op is LITERAL:
        assert isinstance(av, int)
        return _literal(av, blanks)
    if op is IN:
        assert isinstance(av, list)
        chars: set[str] = set()
        for item_op, item_av in av:
            if item_op is not LITERAL or item_op is NEGATE:
                return _ANYTHING
            info = _literal(item_av, blanks)
            if info.exact is None:
                return _ANYTHING
            chars |= info.exact
        return _Info(exact=frozenset(chars))
    if op in (AT, ASSERT, ASSERT_NOT):
        return _EMPTY  # consumes nothing
    if op is SUBPATTERN:
        return _sequence(av[-1], blanks)  # type: ignore[index]
    if op is BRANCH:
        alternatives = [_sequence(p, blanks) for p in av[1]]  # type: ignore[index]
        if all(a.exact is not None for a in alternatives):
            union = frozenset().union(*(a.exact for a in alternatives))  # type: ignore[arg-type]
            if len(union) <= _EXACT_LIMIT:
                return _Info(exact=union)
        required = [a.required() for a in alternatives]
        if any(r is None for r in required):
            return _ANYTHING
        return _Info(factors=frozenset().union(*required))  # type: ignore[arg-type]
    if op in (MAX_REPEAT, MIN_REPEAT):
        low, high, inner = av  # type: ignore[misc]
        info = _sequence(inner, blanks)
        if low == high == 1:
            return info
        if low == 0 and high == 1 and info.exact is not None and len(info.exact) < _EXACT_LIMIT:
            return _Info(exact=info.exact | {""})
        if low >= 1:
            return _Info(factors=info.required())
        return _ANYTHING
    return _ANYTHING  # classes, categories, any character, back references ...


def _sequence(items: sre_parse.SubPattern, blanks: bool) -> _Info:
    """A concatenation: exact while every item is exact (and the product small), else the best factor set
    among its items and its runs of exact items."""
    best: frozenset[str] | None = None
    run: frozenset[str] | None = frozenset({""})  # the exact strings of the current run of exact items
    all_exact = True
    for op, av in items:
        info = _node(op, av, blanks)
        if info.exact is not None and run is not None and len(run) * len(info.exact) <= _EXACT_LIMIT:
            run = frozenset(a + b for a, b in product(run, info.exact))
            continue
        all_exact = False
        if run is not None and "" not in run:
            best = _better(best, run)
        best = _better(best, info.required())
        run = info.exact if info.exact is not None else frozenset({""})
    if all_exact:
        return _Info(exact=run)
    if run is not None and "" not in run:
        best = _better(best, run)
    return _Info(factors=best)


@cache
def factors(pattern: re.Pattern[str], blanks: bool = True) -> tuple[str, ...] | None:
    """Folded strings of which every match of ``pattern`` holds one, shortest first, none holding another;
    None when the pattern names none. ``blanks``: the text may be a masked copy (white space in the
    pattern is then no literal); False for a pattern matched on the text as written."""
    if not AVAILABLE:
        return None
    required = _sequence(sre_parse.parse(pattern.pattern, pattern.flags), blanks).required()
    if not required:
        return None
    return tuple(sorted(_minimal(required), key=lambda s: (len(s), s)))


def may_match(pattern: re.Pattern[str], folded: str, blanks: bool = True) -> bool:
    """False only when ``pattern`` cannot match the text whose ``fold`` is ``folded`` (see ``factors``)."""
    needed = factors(pattern, blanks)
    return needed is None or any(s in folded for s in needed)


class Gate:
    """Which patterns of a ``PatternSet`` may match one text (a pattern not in the set always may).

    ``bits`` is keyed by the pattern object's id: hashing a compiled pattern hashes its whole program (microseconds
    a call, hundreds of calls an article). The set's patterns stay alive with it, so no other object takes their
    ids; an equal pattern compiled apart is not found and always may (the safe answer)."""

    __slots__ = ("bits", "mask")

    def __init__(self, bits: dict[tuple[int, bool], int], mask: int) -> None:
        self.bits = bits
        self.mask = mask

    def may(self, pattern: re.Pattern[str], blanks: bool = True) -> bool:
        """As ``may_match(pattern, folded, blanks)`` for the text this gate was made for."""
        bit = self.bits.get((id(pattern), blanks))
        return bit is None or bool(self.mask & bit)


class PatternSet:
    """The factors of several patterns in one Aho-Corasick automaton: one pass over a folded text tells
    which of them may match it (every occurrence of every factor is reported, overlapping ones too)."""

    def __init__(self, keys: list[tuple[re.Pattern[str], bool]]) -> None:
        self.bits: dict[tuple[re.Pattern[str], bool], int] = {}
        self.always = 0
        by_factor: dict[str, int] = {}
        for key in keys:
            if key in self.bits:
                continue
            bit = 1 << len(self.bits)
            self.bits[key] = bit
            needed = factors(*key)
            if needed is None:
                self.always |= bit
                continue
            for s in needed:
                by_factor[s] = by_factor.get(s, 0) | bit
        self.bits_by_id = {(id(pattern), blanks): bit for (pattern, blanks), bit in self.bits.items()}
        self.automaton = ahocorasick.Automaton()
        for s, mask in by_factor.items():
            self.automaton.add_word(s, mask)
        if by_factor:
            self.automaton.make_automaton()

    def gate(self, folded: str) -> Gate:
        """The patterns that may match the text whose ``fold`` is ``folded``."""
        mask = self.always
        if len(self.automaton):
            for _, found in self.automaton.iter(folded):
                mask |= found
        return Gate(self.bits_by_id, mask)
