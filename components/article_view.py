"""Safe rendering of article text with highlighted spans (displaCy-style).

Every fragment of article text goes through ``html.escape`` and a markdown-neutralising
table before it is wrapped in trusted tags, and the result has no newline, so Streamlit's
markdown parser sees one inert HTML block: no script runs, no image loads, no link forms.
Labels and styles are trusted constants defined here, never taken from the data.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from steppewatch.query.queries import mode_words

# kind -> (label shown, background colour). Trusted constants.
LABELS: dict[str, tuple[str, str]] = {
    "country": ("COUNTRY", "#cfe3ff"),
    "person": ("PERSON", "#ffe1b8"),
    "place": ("PLACE", "#d4f2d4"),
    "date": ("DATE", "#e8dcff"),
    "org": ("ORG", "#f2f2c2"),
    "other": ("ENTITY", "#e6e6e6"),
}
EVIDENCE = "evidence"
CHOSEN = "chosen"  # the evidence of the event clicked on the timeline
SENTENCE_KINDS = frozenset({EVIDENCE, CHOSEN})  # spans of whole evidence sentences (underlined, no badge)
EVIDENCE_STYLE = "background:#fff6a8;border-bottom:2px solid #c9a800"
SEARCH_HIT = "search_hit"  # a word or phrase of the search (marked innermost, no badge)
SEARCH_HIT_STYLE = "background:#ff9f43;color:#000;font-weight:600;padding:0 1px;border-radius:2px"
CHOSEN_STYLE = "background:#ffd166;border-bottom:3px solid #d62728;outline:2px solid #d62728;outline-offset:1px"

# Bidi embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069): stored text that
# carries them would display reordered ("txt.exe" shown as "exe.txt"), so every display helper
# here drops them. LRM/RLM (U+200E/U+200F) only mark direction and stay.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_NO_BIDI = dict.fromkeys(map(ord, BIDI_CONTROLS))
_SHOWN_BIDI = {ord(c): f"[U+{ord(c):04X}]" for c in BIDI_CONTROLS}


def strip_bidi(text: str) -> str:
    """``text`` without bidi embedding/override/isolate controls."""
    return text.translate(_NO_BIDI)


def show_bidi(text: str) -> str:
    """``text`` with each bidi control written out as ``[U+202E]`` (for the raw text view)."""
    return text.translate(_SHOWN_BIDI)


def display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` for st.dataframe: bidi controls dropped from every string cell."""
    shown = frame.copy()
    for column in shown.select_dtypes(include=["object", "string"]).columns:
        shown[column] = [strip_bidi(v) if isinstance(v, str) else v for v in shown[column]]
    return shown


# Characters markdown or Streamlit's directives (:red[...], $math$, emoji) would interpret.
# Applied after html.escape, which already handled & < > " '; '#' and ';' stay because the
# entities produced by html.escape contain them (and nothing here starts a line).
_MARKDOWN_ENTITIES = str.maketrans({
    "[": "&#91;", "]": "&#93;", "(": "&#40;", ")": "&#41;", "!": "&#33;", "*": "&#42;",
    "_": "&#95;", "`": "&#96;", "~": "&#126;", "|": "&#124;", "$": "&#36;", "\\": "&#92;",
    ":": "&#58;", "{": "&#123;", "}": "&#125;", "=": "&#61;", "+": "&#43;", "-": "&#45;",
    "\r": "", "\n": "<br>", **_NO_BIDI,
})


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>:$&=\"'])")


def escape_markdown(text: object) -> str:
    """Backslash-escape markdown punctuation, for plain strings shown through st.warning,
    st.caption and other markdown-rendering elements (newlines become spaces)."""
    flat = " ".join(strip_bidi("" if text is None else str(text)).split())
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", flat)


def plain(value: object, default: str = "") -> str:
    """A display string for a table value: ``default`` for None, NaN and empty strings."""
    if value is None:
        return default
    try:
        if pd.isna(value):  # type: ignore[arg-type]
            return default
    except (TypeError, ValueError):
        pass
    text = strip_bidi(str(value))
    return text if text else default


def escape_text(text: object) -> str:
    """HTML-escape ``text`` and neutralise markdown; the result never contains a newline."""
    return html.escape("" if text is None else str(text), quote=True).translate(
        _MARKDOWN_ENTITIES)


@dataclass(frozen=True)
class Span:
    """A character range of the text with a kind from ``LABELS`` or ``EVIDENCE``."""

    start: int
    end: int
    kind: str


def _normalise(text: str, spans: Iterable[Span | tuple[int, int, str]]) -> list[Span]:
    out: list[Span] = []
    n = len(text)
    for item in spans:
        span = item if isinstance(item, Span) else Span(*item)
        try:
            start, end = max(0, int(span.start)), min(n, int(span.end))
        except (TypeError, ValueError):
            continue
        if start >= end:
            continue
        kind = span.kind if span.kind in SENTENCE_KINDS or span.kind in LABELS or span.kind == SEARCH_HIT else "other"
        out.append(Span(start, end, kind))
    return out


def _open(span: Span) -> str:
    if span.kind == CHOSEN:
        return f'<span class="sw-chosen" title="the event you clicked" style="{CHOSEN_STYLE}">'
    if span.kind == EVIDENCE:
        return f'<span class="sw-evidence" title="event evidence" style="{EVIDENCE_STYLE}">'
    if span.kind == SEARCH_HIT:
        return f'<mark class="sw-search-hit" title="search hit" style="{SEARCH_HIT_STYLE}">'
    colour = LABELS[span.kind][1]
    return (f'<mark class="sw-{span.kind}" style="background:{colour};padding:0 2px;'
            f'border-radius:3px">')


def _close(span: Span) -> str:
    return "</span>" if span.kind in SENTENCE_KINDS else "</mark>"


def _badge(span: Span) -> str:
    return (f'<span style="font-size:0.65em;font-weight:600;opacity:0.7;margin-left:3px">'
            f"{LABELS[span.kind][0]}</span>")


def highlight_html(text: str, spans: Iterable[Span | tuple[int, int, str]]) -> str:
    """Escaped HTML of ``text`` with entity spans marked and evidence sentences underlined.

    Overlapping and nested spans are handled by cutting the text at every span boundary and
    wrapping each piece in the tags of all spans covering it; each entity's label is shown
    once, after its last piece.
    """
    text = "" if text is None else str(text)
    normal = _normalise(text, spans)
    bounds = sorted({0, len(text), *(s.start for s in normal), *(s.end for s in normal)})
    starting: dict[int, list[Span]] = {}
    for span in normal:
        starting.setdefault(span.start, []).append(span)
    active: list[Span] = []
    parts: list[str] = []
    for lo, hi in itertools.pairwise(bounds):
        active = [s for s in active if s.end > lo] + starting.get(lo, [])
        # evidence outermost, search hits innermost (their colour shows), else longer spans outside shorter ones
        active.sort(key=lambda s: (s.kind not in SENTENCE_KINDS, s.kind == SEARCH_HIT, s.start, -s.end))
        piece = escape_text(text[lo:hi])
        if active:
            piece = ("".join(_open(s) for s in active) + piece
                     + "".join(_close(s) for s in reversed(active)))
        parts.append(piece)
        parts.extend(_badge(s) for s in active if s.end == hi and s.kind in LABELS)
    return ('<div class="sw-article" style="white-space:pre-wrap;line-height:1.7">'
            + "".join(parts) + "</div>")


def article_spans(mentions: pd.DataFrame, events: pd.DataFrame, chosen_event: str | None = None,
                  search_hits: Iterable[tuple[int, int]] = ()) -> list[Span]:
    """Spans to highlight: every mention by kind, and every event's evidence sentence; the sentence of
    ``chosen_event`` (the event clicked on the timeline) marked apart; the search's hits."""
    spans: list[Span] = [Span(int(start), int(end), SEARCH_HIT) for start, end in search_hits]
    if len(mentions):
        seen: set[tuple[int, int]] = set()
        for kind, start, end in zip(mentions["kind"], mentions["start"], mentions["end"],
                                    strict=False):
            if (int(start), int(end)) in seen:
                continue  # a country a place implies shares the place's span: shown once, as the place
            seen.add((int(start), int(end)))
            spans.append(Span(int(start), int(end), str(kind)))
    if len(events):
        ids = events["event_id"] if "event_id" in events.columns else [None] * len(events)
        for event_id, start, end in zip(ids, events["evidence_start"], events["evidence_end"], strict=False):
            if pd.notna(start) and pd.notna(end):
                chosen = chosen_event is not None and event_id == chosen_event
                spans.append(Span(int(start), int(end), CHOSEN if chosen else EVIDENCE))
    return spans


def events_table(events: pd.DataFrame) -> pd.DataFrame:
    """An article's events for display: evidence offsets dropped, ``mode`` in plain words ("by phone")."""
    table = events.drop(columns=[c for c in ("evidence_start", "evidence_end") if c in events.columns])
    if "mode" in table.columns:
        table = table.assign(mode=[mode_words(m) for m in table["mode"]])
    return table


def chosen_event_line(events: pd.DataFrame, event_id: str | None) -> str:
    """A line naming the event clicked on the timeline whose sentence is marked ("" when none is, or when
    this article has no such event)."""
    if not event_id or events.empty or "event_id" not in events.columns:
        return ""
    rows = events[events["event_id"] == event_id]
    if rows.empty:
        return ""
    row = rows.iloc[0]
    what = " ".join(plain(row.get(c)) for c in ("actor", "type") if plain(row.get(c)))
    where = plain(row.get("place")) or plain(row.get("host_country"))
    when = plain(row.get("date"))
    return ("Marked in red: the event you clicked, " + what + (f" in {where}" if where else "")
            + (f" on {when}" if when else "") + ".")


def search_hits_line(n_hits: int, search: str) -> str:
    """A line saying how many search hits the text shows ("" without a search)."""
    if not search:
        return ""
    if not n_hits:
        return "None of the search's words are in the text."
    return f"{n_hits} search hit{'s' if n_hits != 1 else ''} marked in orange."


def legend_html(search: bool = False) -> str:
    """A small legend of the highlight colours (constants only); ``search``: with the search hits' colour."""
    items = [f'<mark style="background:{colour};padding:0 4px">{label}</mark>'
             for label, colour in LABELS.values() if label != "ENTITY"]
    items.append(f'<span style="{EVIDENCE_STYLE};padding:0 4px">event evidence</span>')
    items.append(f'<span style="{CHOSEN_STYLE};padding:0 4px">the event you clicked</span>')
    if search:
        items.append(f'<mark style="{SEARCH_HIT_STYLE}">search hit</mark>')
    return '<div style="font-size:0.85em">' + " ".join(items) + "</div>"


def heading_html(title: object, level: int = 2) -> str:
    """An escaped heading for an article-derived title."""
    level = min(max(int(level), 1), 6)
    return f"<h{level}>{escape_text(title or '(untitled)')}</h{level}>"


def render_safe_html(fragment_html: str) -> None:
    """Render HTML built only by this module's escaping functions."""
    st.markdown(fragment_html, unsafe_allow_html=True)


def render_article_text(text: str, spans: Iterable[Span]) -> None:
    """Render the highlighted article text and its legend."""
    spans = list(spans)
    render_safe_html(legend_html(search=any(s.kind == SEARCH_HIT for s in spans)))
    render_safe_html(highlight_html(text, spans))
