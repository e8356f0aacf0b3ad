"""One story in detail: its row, its sources (who republished or translated whom), its events
without repeats, and the inputs of the "what each source adds" comparison.

Pure read functions over the store (no Streamlit).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pandas as pd

from steppewatch.cluster.compare import ArticleFacts, EventFact, MentionFact
from steppewatch.extract.gazetteer import canonical_place, place_name
from steppewatch.extract.text import match_key
from steppewatch.query.countries import country_name
from steppewatch.query.queries import EVENT_KEY, STATUS_RANK, DbLike, _frame, mode_words

# Most articles a story page loads (a story rarely has more; the rest are counted, not shown).
MAX_STORY_ARTICLES = 200

SOURCE_COLUMNS = ["id", "source", "title", "language", "published", "first_seen", "derived_kind",
                  "derived_from", "derived_from_source"]


@dataclass
class StoryDetail:
    """A story with its sources, counts and deduplicated events (story None when unknown)."""

    story: dict[str, object] | None
    sources: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SOURCE_COLUMNS))
    independent: int = 0
    derived: dict[str, int] = field(default_factory=dict)  # derived_kind -> count
    languages: tuple[str, ...] = ()
    events: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def republished(self) -> int:
        """Articles that copy another one (any derived kind)."""
        return sum(self.derived.values())

    @property
    def summary(self) -> str:
        """'1 independent source + 1 translation'-style line."""
        return source_summary(self.independent, self.derived)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def source_summary(independent: int, derived: dict[str, int]) -> str:
    """``1 independent source + 2 republications + 1 translation`` (kinds by count, then name)."""
    parts = [_plural(independent, "independent source")]
    for kind, n in sorted(derived.items(), key=lambda kv: (-kv[1], kv[0])):
        if n:
            parts.append(_plural(n, kind or "copy"))
    return " + ".join(parts)


def story_sources_frame(db: DbLike, story_id: str) -> pd.DataFrame:
    """Articles of the story, earliest first, with ``derived_from`` resolved to a source name."""
    return _frame(db, """
        SELECT a.id, a.source, a.title, a.language, substr(a.published, 1, 10) AS published,
               a.ingested_at AS first_seen, a.derived_kind, a.derived_from,
               p.source AS derived_from_source
        FROM articles a LEFT JOIN articles p ON p.id = a.derived_from
        WHERE a.story_id = ?
        ORDER BY a.published NULLS LAST, a.derived_from IS NOT NULL, a.source, a.id
        LIMIT ?""", [story_id, MAX_STORY_ARTICLES])


def _specificity(row: pd.Series) -> tuple[int, ...]:
    return tuple(int(bool(row.get(c)) and not pd.isna(row.get(c)))
                 for c in ("host_country", "date", "counterpart_key", "place"))


def dedupe_events(events: pd.DataFrame) -> pd.DataFrame:
    """One row per event of the story: reports of the same visit, meeting or call merged (``event_key``:
    ``queries.EVENT_KEY``, the definition the headline and the timeline count with; without that column,
    one row per report). The most definite, then the most specific report names the row; the row lists the
    sources that reported the event and how the parties met in plain words ("by phone"; the first report that
    says so)."""
    columns = ["type", "mode", "actor", "host_country", "host_name", "place", "date", "status", "format",
               "counterpart", "sources", "n_reports"]
    if events.empty:
        return pd.DataFrame(columns=columns)
    # the report that names the row: the most definite status (occurred before planned ...), then the most specific
    rows = sorted((r for _, r in events.iterrows()),
                  key=lambda r: (-STATUS_RANK.get(str(r.get("status")), len(STATUS_RANK)), *_specificity(r)),
                  reverse=True)
    groups: dict[object, tuple[dict[str, object], list[str], list[object]]] = {}
    for k, r in enumerate(rows):
        key = r.get("event_key") if "event_key" in events.columns else k
        rep, sources, modes = groups.setdefault(key, (r.to_dict(), [], []))
        sources.append(str(r.get("source") or "?"))
        modes.append(r.get("mode"))
    out = []
    for rep, sources, modes in groups.values():
        stated = [m for m in modes if isinstance(m, str) and m and m != "unspecified"]
        out.append({
            "type": rep.get("type"), "mode": mode_words(stated[0] if stated else None),
            "actor": rep.get("actor"), "host_country": rep.get("host_country"),
            "host_name": country_name(rep["host_country"]) if rep.get("host_country") else None,
            "place": rep.get("place"), "date": rep.get("date"), "status": rep.get("status"),
            "format": rep.get("format"), "counterpart": rep.get("counterpart"),
            "sources": ", ".join(sorted(set(sources))), "n_reports": len(sources)})
    df = pd.DataFrame(out, columns=columns)
    return df.sort_values(["date", "type", "actor"], na_position="last", kind="stable").reset_index(drop=True)


def _story_events(db: DbLike, story_id: str) -> pd.DataFrame:
    events = _frame(db, f"""
        SELECT e.article_id, a.source, e.type, e.mode, e.actor, e.host_country, e.place, e.date, e.status,
               e.format, e.counterpart, e.evidence_start, e.evidence_end, {EVENT_KEY} AS event_key
        FROM events e JOIN articles a ON a.id = e.article_id
        WHERE a.story_id = ? ORDER BY e.article_id, e.evidence_start LIMIT 2000""", [story_id])
    people = _frame(db, """
        SELECT DISTINCT p.article_id, p.name FROM people p JOIN articles a ON a.id = p.article_id
        WHERE a.story_id = ?""", [story_id])
    names: dict[str, list[str]] = {}
    for aid, name in zip(people.get("article_id", []), people.get("name", []), strict=False):
        names.setdefault(str(aid), []).append(str(name))
    events["counterpart_key"] = [
        counterpart_key(c, f, names.get(str(a), []))
        for c, f, a in zip(events.get("counterpart", []), events.get("format", []),
                           events.get("article_id", []), strict=False)] if len(events) else []
    return events


def counterpart_key(counterpart: object, fmt: object, people: list[str]) -> str | None:
    """A comparable counterpart: the person named in it, else a multilateral format, else None."""
    text = str(counterpart or "")
    if text:
        folded = match_key(text).lower()
        for name in people:
            surname = name.split()[-1].lower() if name.split() else ""
            if name.lower() in folded or (len(surname) > 3 and surname in folded):
                return name
    f = str(fmt or "")
    return f if f and f != "bilateral" else None


def _event_fact(r: pd.Series | dict[str, object]) -> EventFact:
    def val(k: str) -> str | None:
        v = r.get(k)
        return None if v is None or (isinstance(v, float) and pd.isna(v)) or v == "" else str(v)

    place = val("place")
    return EventFact(type=str(r.get("type")), actor=val("actor"), host_country=val("host_country"),
                     date=val("date"), status=val("status"),
                     start=int(r.get("evidence_start") or 0), end=int(r.get("evidence_end") or 0),
                     counterpart=val("counterpart_key"),
                     place=(_place_canonical(None, place) or place) if place else None)


def story_detail(db: DbLike, story_id: str) -> StoryDetail:
    """The story row, its sources, independent/derived counts, languages and events."""
    rows = _frame(db, """
        SELECT story_id, title, first_seen, last_seen, n_articles, n_independent, languages
        FROM stories WHERE story_id = ?""", [story_id])
    if rows.empty:
        return StoryDetail(story=None)
    sources = story_sources_frame(db, story_id)
    kinds = [k for k in sources["derived_kind"] if isinstance(k, str) and k]
    derived: dict[str, int] = {}
    for k in kinds:
        derived[k] = derived.get(k, 0) + 1
    languages = tuple(sorted({str(x) for x in sources["language"] if isinstance(x, str) and x}))
    return StoryDetail(story=rows.iloc[0].to_dict(), sources=sources,
                       independent=len(sources) - len(kinds), derived=derived, languages=languages,
                       events=dedupe_events(_story_events(db, story_id)))


def _clean(row: dict[str, object]) -> dict[str, object]:
    """NaN (pandas' missing value) as None."""
    return {k: None if isinstance(v, float) and pd.isna(v) else v for k, v in row.items()}


def _mention_fact(row: dict[str, object]) -> MentionFact | None:
    row = _clean(row)
    kind = str(row["kind"])
    text = str(row.get("text") or "")
    value = row.get("value")
    if kind == "country":
        key, label = row.get("iso3"), country_name(str(row.get("iso3"))) if row.get("iso3") else text
    elif kind == "person":
        key, label = row.get("entity_id") or value or text.lower(), value or text
    elif kind == "date":
        key = value
        label = f"{text} ({value})" if value and value != text else text
    elif kind == "place":  # ``value`` holds a place type (capital, city), not a name
        name = _place_canonical(row.get("entity_id"), text)
        key, label = (match_key(name).lower(), name) if name else (match_key(text).lower(), text)
    else:  # organisations
        key, label = row.get("entity_id") or match_key(text).lower(), text
    if not key:
        return None
    return MentionFact(kind=kind, key=str(key), label=str(label), start=int(row["start"]),
                       end=int(row["end"]), in_caption=bool(row.get("in_caption")))


def _place_canonical(entity_id: object, text: str) -> str | None:
    """The canonical name of a stored place mention: from its entity_id ("place:Astana"), or for rows
    stored before places had ids, from its text ("Астану" -> "Astana"); None when unknown."""
    return place_name(entity_id if isinstance(entity_id, str) else None) or canonical_place(text)


def story_articles(db: DbLike, story_id: str) -> list[ArticleFacts]:
    """The story's articles with their mentions and events, ready for ``compare_sources``."""
    arts = _frame(db, """
        SELECT id, source, language, text, captions FROM articles WHERE story_id = ?
        ORDER BY published NULLS LAST, derived_from IS NOT NULL, source, id LIMIT ?""",
                  [story_id, MAX_STORY_ARTICLES])
    if arts.empty:
        return []
    mentions = _frame(db, """
        SELECT m.article_id, m.kind, m.text, m.iso3, m.entity_id, m.value, m.start, m."end",
               m.in_caption
        FROM mentions m JOIN articles a ON a.id = m.article_id
        WHERE a.story_id = ? ORDER BY m.article_id, m.start""", [story_id])
    by_article: dict[str, list[MentionFact]] = {}
    for row in mentions.to_dict("records"):
        fact = _mention_fact(row)
        if fact:
            by_article.setdefault(str(row["article_id"]), []).append(fact)
    events = _story_events(db, story_id)
    events_by: dict[str, list[EventFact]] = {}
    for _, r in events.iterrows():
        events_by.setdefault(str(r["article_id"]), []).append(_event_fact(r))
    out = []
    for a in arts.to_dict("records"):
        try:
            captions = tuple((int(s), int(e)) for s, e in json.loads(str(a.get("captions") or "[]")))
        except (ValueError, TypeError):
            captions = ()
        aid = str(a["id"])
        out.append(ArticleFacts(article_id=aid, source=a.get("source"), language=a.get("language"),
                                text=str(a.get("text") or ""), mentions=tuple(by_article.get(aid, [])),
                                events=tuple(events_by.get(aid, [])), captions=captions))
    return out
