"""Keyword and phrase search: what a user types, as an FTS5 query of the store's index, and its hits.

Query syntax (``parse_search``): words are ANDed; "double quotes" make a phrase; a trailing * makes the
last word a prefix (Казахстан* finds Казахстане, Казахстана...). Everything else is a plain word:
FTS5's operators (AND, OR, NOT, NEAR), column filters (title:), parentheses, ^, + and unbalanced quotes
are searched as the words they contain, so no query a user types can make FTS5 fail. Case, Latin
diacritics and ё/е do not matter; Chinese and Japanese are matched character by character as a phrase
(中亚 is found in 中亚国家, never as 中 and 亚 far apart). How the text is indexed:
``steppewatch.store.search_index``.

A search narrows the articles (their title or text matches) and the events (of matching articles); a
search with no word to look for (only punctuation) narrows nothing. ``search_condition`` is the SQL
form (queries.article_where, event_where); ``StoreSearch`` gives the read model the matching articles'
rowids; ``hit_spans`` finds the hits in one article's text for the article page.

Pure Python + numpy + sqlite3 (+ pyarrow for the read model): never imports Streamlit.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager, closing, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from steppewatch.store.search_index import (
    SEARCH_TABLE,
    create_sql,
    has_index,
    indexed_form,
    indexed_form_with_offsets,
)

if TYPE_CHECKING:
    import pyarrow as pa

MAX_SEARCH_CHARS = 200  # longest search accepted (the URL parameter and the sidebar box)
MAX_TERMS = 16  # words or phrases searched at most (the rest of a longer query is left out)
_CHUNK_ROWS = 250_000  # rows fetched from SQLite at a time

# a "quoted phrase" (with an optional * after it), a bare word, or a quote without its pair
_PIECE = re.compile(r'"([^"]*)"(\*?)|([^\s"]+)|"')
_HIGHLIGHT_OPEN, _HIGHLIGHT_CLOSE = "\x01", "\x02"
_NO_MARKERS = str.maketrans({_HIGHLIGHT_OPEN: " ", _HIGHLIGHT_CLOSE: " "})  # separators either way
_MARKERS = re.compile(f"[{_HIGHLIGHT_OPEN}{_HIGHLIGHT_CLOSE}]")


@dataclass(frozen=True)
class Term:
    """One searched word or phrase: its words as typed (spaces collapsed), and whether the last is a prefix."""

    words: str
    prefix: bool = False


def parse_search(text: str) -> list[Term]:
    """The words and phrases of a search, in order, without repeats (at most ``MAX_TERMS``). Never fails:
    a piece without a letter or digit is dropped, a lone quote is ignored."""
    terms: list[Term] = []
    for match in _PIECE.finditer(text or ""):
        quoted, star, bare = match.groups()
        if quoted is not None:
            words, prefix = quoted, bool(star)
        elif bare is not None:
            words = bare.rstrip("*")
            prefix = words != bare
        else:
            continue
        if not any(ch.isalnum() for ch in words):
            continue
        term = Term(" ".join(words.split()), prefix)
        if term not in terms:
            terms.append(term)
        if len(terms) == MAX_TERMS:
            break
    return terms


def _phrase(term: Term) -> str:
    """An FTS5 string (the tokenizer splits it into the phrase of its tokens), * after it for a prefix."""
    body = indexed_form(term.words).replace('"', '""')
    return f'"{body}"' + (" *" if term.prefix else "")


def fts_query(text: str) -> str | None:
    """The FTS5 MATCH expression of a search (its terms ANDed), or None when it has no word to look for."""
    terms = parse_search(text)
    return " AND ".join(_phrase(t) for t in terms) if terms else None


def search_condition(text: str, rowid_column: str) -> tuple[str, list[object]] | None:
    """SQL condition (and its parameter) selecting the articles whose ``rowid_column`` (``a.rowid``) matches
    the search; None when the search has no word to look for (it then narrows nothing)."""
    query = fts_query(text)
    if query is None:
        return None
    return f"{rowid_column} IN (SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH ?)", [query]


def describe_search(text: str) -> str:
    """The search in words for a one-line summary: its terms as they are searched ('"central asia" kazakh*')."""
    return " ".join((f'"{t.words}"' if " " in t.words else t.words) + ("*" if t.prefix else "")
                    for t in parse_search(text))


class StoreSearch:
    """A store's search index as the read model asks it: the rowids of the articles a search matches, and
    every article's rowid by id (to turn rowids into the model's positions). ``connect`` gives a
    connection to use for one call (the dashboard: a short-lived read-only one)."""

    def __init__(self, connect: Callable[[], AbstractContextManager[sqlite3.Connection]]) -> None:
        self._connect = connect

    @classmethod
    def on(cls, con: sqlite3.Connection) -> StoreSearch:
        """Searches run on ``con`` itself (a test's or the CLI's connection)."""
        return cls(lambda: nullcontext(con))

    def available(self) -> bool:
        """False when the store has no search index (written by an older release, opened read-only)."""
        with self._connect() as con:
            return has_index(con)

    def rowids(self, text: str) -> np.ndarray | None:
        """Sorted rowids of the articles matching ``text``; None when the store has no index (or the search
        no word to look for)."""
        query = fts_query(text)
        if query is None:
            return None
        with self._connect() as con:
            if not has_index(con):
                return None
            rows = con.execute(f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH ?", (query,))
            return np.sort(np.fromiter((r[0] for r in rows), dtype=np.int64))

    def rowids_in_id_order(self) -> np.ndarray:
        """Every article's rowid, articles in id order (one pass over the primary key's index, no id read)."""
        with self._connect() as con:
            return np.fromiter((r[0] for r in con.execute("SELECT rowid FROM articles ORDER BY id")), dtype=np.int64)

    def ids_of(self, rowids: np.ndarray) -> dict[int, str]:
        """The ids of the articles with these ``rowids`` (a few: a check)."""
        with self._connect() as con:
            return {int(r[0]): str(r[1]) for r in con.execute(
                f"SELECT rowid, id FROM articles WHERE rowid IN ({','.join('?' * len(rowids))})",
                [int(v) for v in rowids])}

    def rowids_by_id(self) -> tuple[pa.Array, np.ndarray]:
        """Every article id in id order, and each one's rowid (one pass over the primary key's index)."""
        import pyarrow as pa  # the read model's library: not loaded where Filters alone is needed

        ids: list[pa.Array] = []
        rowids: list[np.ndarray] = []
        with self._connect() as con:
            cursor = con.execute("SELECT id, rowid FROM articles ORDER BY id")
            while rows := cursor.fetchmany(_CHUNK_ROWS):
                column_ids, column_rowids = zip(*rows, strict=True)
                ids.append(pa.array(column_ids, type=pa.string()))
                rowids.append(np.array(column_rowids, dtype=np.int64))
        return (pa.concat_arrays(ids) if ids else pa.array([], type=pa.string()),
                np.concatenate(rowids) if rowids else np.empty(0, np.int64))


def hit_spans(text: str, search: str) -> list[tuple[int, int]]:
    """Character ranges of ``text`` that the search's words or phrases match (each term on its own: an
    article may match the rest in its title), found by FTS5 itself with the store's tokenizer."""
    terms = parse_search(search)
    if not text or not terms:
        return []
    spaced, origin = indexed_form_with_offsets(text)
    with closing(sqlite3.connect(":memory:")) as con:
        con.execute(create_sql("hits", "body", contentless=False))
        con.execute("INSERT INTO hits (body) VALUES (?)", (spaced.translate(_NO_MARKERS),))
        row = con.execute("SELECT highlight(hits, 0, ?, ?) FROM hits WHERE hits MATCH ?",
                          (_HIGHLIGHT_OPEN, _HIGHLIGHT_CLOSE, " OR ".join(_phrase(t) for t in terms))).fetchone()
    if row is None:
        return []
    spans: list[tuple[int, int]] = []
    start = 0
    for n_before, marker in enumerate(_MARKERS.finditer(row[0])):  # a marker's place in the text: minus those before
        position = marker.start() - n_before
        if marker.group() == _HIGHLIGHT_OPEN:
            start = position
        else:
            spans.append((origin[start], origin[position]))
    return [(a, b) for a, b in spans if a < b]
