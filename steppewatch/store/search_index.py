"""The full-text index of article titles and texts (SQLite FTS5), written with the articles.

``article_search`` is a contentless FTS5 table (the text is stored once, in ``articles``) whose rowid is the
article row's rowid. ``unicode61 remove_diacritics 2`` folds case and Latin diacritics (café = cafe,
Türkmenistan = Turkmenistan) and splits on punctuation; the Uzbek/Turkmen apostrophe letters ʻ and ʼ are
separators like the ASCII apostrophe (Oʻzbekiston = O'zbekiston). What is indexed is ``indexed_form`` of
the text: every Han or kana character is spaced out so that it is one token (unicode61 would otherwise make
a whole run of Chinese one token; a search for 中亚 is then the phrase 中 亚), and ё is written е (Russian
texts print either). The query side (``steppewatch.query.search``) applies the same form to what a user types.

A contentless table forgets what it indexed, so a row is removed by giving it back exactly the indexed
values (``unindex_article``): whoever deletes or rewrites an article's title or text must call it in the same
transaction (``Store.replace_facts_in`` does). ``SEARCH_INDEX_VERSION`` names the indexed form: a store
whose index was built with another form (or none) is indexed again, whole, by the next writer
(``ensure_index``), in one transaction.

Pure Python + sqlite3: never imports Streamlit.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Sequence

SEARCH_TABLE = "article_search"
# The tokenizer and ``indexed_form`` together: change either and bump the version (the next writer rebuilds).
SEARCH_INDEX_VERSION = "1"
TOKENIZER = "unicode61 remove_diacritics 2 separators 'ʻʼ'"
_VERSION_KEY = "search_index_version"
_BACKFILL_CHUNK = 2000

# Han (CJK unified ideographs and their extensions, compatibility ideographs), the iteration marks 々〆〇,
# hiragana, katakana (with the halfwidth forms): one token per character.
_CJK = re.compile("([\u3005-\u3007\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
                  "\uff66-\uff9f\U00020000-\U0003134f])")
_FOLD = str.maketrans({"ё": "е", "Ё": "Е"})


def indexed_form(text: str | None) -> str:
    """``text`` as the index sees it: each Han or kana character between spaces, ё as е."""
    if not text:
        return ""
    return _CJK.sub(r" \1 ", text.translate(_FOLD))


def indexed_form_with_offsets(text: str) -> tuple[str, Sequence[int]]:
    """``indexed_form(text)`` and, for each of its positions (and its end), the position in ``text`` it came
    from (an inserted space maps to the character it stands beside)."""
    if not _CJK.search(text):
        return text.translate(_FOLD), range(len(text) + 1)
    parts: list[str] = []
    origin: list[int] = []
    last = 0
    for match in _CJK.finditer(text):
        start = match.start()
        parts.append(text[last:start])
        origin.extend(range(last, start))
        parts.append(f" {match.group()} ")
        origin.extend((start, start, start + 1))
        last = match.end()
    parts.append(text[last:])
    origin.extend(range(last, len(text)))
    origin.append(len(text))
    return "".join(parts).translate(_FOLD), origin


def create_sql(name: str = SEARCH_TABLE, columns: str = "title, text", contentless: bool = True) -> str:
    """The statement creating an (empty) search table: the store's, or one like it (the article page's
    hit finder keeps its content, to ask FTS5 where the hits are)."""
    content = " content=''," if contentless else ""
    return f'CREATE VIRTUAL TABLE IF NOT EXISTS {name} USING fts5({columns},{content} tokenize="{TOKENIZER}")'


def index_article(con: sqlite3.Connection, rowid: int, title: str | None, text: str | None) -> None:
    """Index one article row (its ``rowid``) in the open transaction."""
    con.execute(f"INSERT INTO {SEARCH_TABLE} (rowid, title, text) VALUES (?, ?, ?)",
                (rowid, indexed_form(title), indexed_form(text)))


def unindex_article(con: sqlite3.Connection, rowid: int, title: str | None, text: str | None) -> None:
    """Remove what ``index_article(con, rowid, title, text)`` added (same values, same transaction as the
    article's delete or rewrite)."""
    con.execute(f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}, rowid, title, text) VALUES ('delete', ?, ?, ?)",
                (rowid, indexed_form(title), indexed_form(text)))


def has_index(con: sqlite3.Connection) -> bool:
    """True when the store has a search index of the current form (a read-only store written by an older
    release may have none: searching it is then unavailable)."""
    try:
        row = con.execute("SELECT value FROM meta WHERE key = ?", (_VERSION_KEY,)).fetchone()
    except sqlite3.OperationalError:  # no meta table: not a store
        return False
    return row is not None and str(row[0]) == SEARCH_INDEX_VERSION


def forget_index(con: sqlite3.Connection) -> None:
    """Mark the index as out of date (articles were written around ``index_article``, e.g. copied in SQL):
    the next writer to open the store builds it again."""
    con.execute("DELETE FROM meta WHERE key = ?", (_VERSION_KEY,))


def ensure_index(con: sqlite3.Connection) -> bool:
    """Build the search index of every stored article unless the store has the current one (a writer's
    connection, no transaction open); True when it was built. One transaction: a run killed meanwhile
    leaves the store as it was, and the next writer starts again. Readers are told to drop their caches
    (``meta.facts_changed_at``: what a search matches changed)."""
    if has_index(con):
        return False
    con.execute("BEGIN IMMEDIATE")
    try:
        if has_index(con):  # another writer built it while this one waited
            con.rollback()
            return False
        con.execute(f"DROP TABLE IF EXISTS {SEARCH_TABLE}")
        con.execute(create_sql())
        cursor = con.execute("SELECT rowid, title, text FROM articles")
        while rows := cursor.fetchmany(_BACKFILL_CHUNK):
            con.executemany(f"INSERT INTO {SEARCH_TABLE} (rowid, title, text) VALUES (?, ?, ?)",
                            [(rowid, indexed_form(title), indexed_form(text)) for rowid, title, text in rows])
        con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (_VERSION_KEY, SEARCH_INDEX_VERSION))
        con.execute("INSERT OR REPLACE INTO meta VALUES ('facts_changed_at', ?)",
                    (dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),))
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return True
