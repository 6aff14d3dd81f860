"""Shape tests for the people and agency gazetteers, and the places data-integrity check."""
from __future__ import annotations

import importlib.util
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import GZ
from pipeline.keys import match_key

ROOT = Path(__file__).resolve().parent.parent

TSV_COLUMNS = {
    "ranks.tsv": ("rank", "force", "grade"),
    "titles.tsv": ("title", "kind", "takes_org", "lower"),
    "agency_heads.tsv": ("head", "level", "needs_tail"),
    "acronyms.tsv": ("acronym", "expansion"),
    "level_words.tsv": ("word", "level", "place_type"),
    "places.tsv": ("name", "type", "era"),
}
LISTS = ("honorifics.txt", "surnames.txt", "generic_agency_phrases.txt", "agency_tail_words.txt",
         "name_exclusions.txt", "trade_name_heads.txt", "person_name_heads.txt", "title_end_heads.txt")


@pytest.mark.parametrize("name,columns", sorted(TSV_COLUMNS.items()))
def test_gazetteers_people_tsv_shape(name, columns):
    rows = GZ.tsv(name)
    assert rows, name
    first = columns[0]
    keys = [match_key(r[first]) for r in rows if name != "places.tsv"]
    assert len(keys) == len(set(keys)), f"duplicate entries in {name}"
    for r in rows:
        assert tuple(r)[: len(columns)] == columns
        assert all(r[c] for c in columns), f"{name}: empty cell in {r}"
        assert unicodedata.is_normalized("NFC", r[first])


@pytest.mark.parametrize("name", LISTS)
def test_gazetteers_people_list_shape(name):
    items = GZ.list(name)
    assert items and all(i == i.strip() and unicodedata.is_normalized("NFC", i) for i in items)
    assert len({match_key(i) for i in items}) == len(items), f"duplicate entries in {name}"


@pytest.mark.parametrize("value,allowed", [
    (r["takes_org"], {"yes", "no"}) for r in GZ.tsv("titles.tsv")] + [
    (r["lower"], {"yes", "no"}) for r in GZ.tsv("titles.tsv")] + [
    (r["needs_tail"], {"yes", "no"}) for r in GZ.tsv("agency_heads.tsv")] + [
    (r["level"], {"central", "province", "district", "commune", "-"}) for r in GZ.tsv("agency_heads.tsv")])
def test_gazetteers_people_closed_values(value, allowed):
    assert value in allowed


def test_gazetteers_people_agencies_yaml_shape():
    entries = GZ.yaml("agencies.yaml")
    canon = [e["canonical"] for e in entries]
    assert len(canon) == len(set(canon))
    for e in entries:
        assert e["level"] in {"central", "province", "district", "commune"}
        assert isinstance(e["aliases"], list) and e["aliases"], e
        assert all(isinstance(a, str) and a.strip() for a in e["aliases"])


@pytest.mark.parametrize("rank,present", [("Trung tướng", True), ("Đại tá", True), ("Thượng úy", True),
                                          ("Chuẩn Đô đốc", True), ("đồng chí", False), ("Thứ trưởng", False)])
def test_gazetteers_people_ranks(rank, present):
    assert (match_key(rank) in {match_key(r["rank"]) for r in GZ.tsv("ranks.tsv")}) is present


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def old_provinces_wheel(tmp_path_factory):
    """vietnam-provinces 0.6.0 (the units before the 2025 reform), fetched from the package index."""
    import subprocess
    import sys

    folder = tmp_path_factory.mktemp("wheel")
    try:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "vietnam-provinces==0.6.0",
                        "-d", str(folder)], check=True, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as err:
        pytest.skip(f"vietnam-provinces 0.6.0 cannot be downloaded here ({type(err).__name__})")
    return next(folder.glob("*.whl"))


@pytest.mark.parametrize("script, kwarg, data", [
    ("gen_places", "old_wheel", "places.tsv"),     # both eras: installed package + 0.6.0 wheel
    ("gen_districts", "wheel", "districts.tsv"),   # districts before the reform: 0.6.0 wheel
])
def test_gazetteers_people_generated_files_match_regeneration(old_provinces_wheel, script, kwarg, data):
    """dateparser's data-integrity pattern: the committed file equals a fresh regeneration from
    the packages it was generated from (nothing taken from the committed file itself)."""
    pytest.importorskip("vietnam_provinces")
    generated = _script(script).generate(**{kwarg: old_provinces_wheel})
    assert (ROOT / "gazetteers" / data).read_text(encoding="utf-8") == generated


def test_gazetteers_people_places_both_eras():
    rows = GZ.tsv("places.tsv")
    eras = {r["era"] for r in rows}
    assert eras == {"2025", "pre-2025"}
    assert sum(r["era"] == "pre-2025" for r in rows) == 63
    assert sum(r["era"] == "2025" for r in rows) == 34
    assert {"Sóc Trăng", "Hà Tĩnh"} <= {r["name"] for r in rows if r["era"] == "pre-2025"}


def test_gazetteers_people_position_words_shape():
    data = GZ.yaml("position_words.yaml")
    assert set(data) == {"former", "concurrent", "state_words", "title_links", "list_openers", "role_verbs",
                         "name_links", "shared_links", "bare_bodies"}
    # every list but the bodies (written as they are capitalised) is lower-case function words
    assert all(isinstance(w, str) and w == w.lower() for k, ws in data.items() if k != "bare_bodies" for w in ws)
    assert all(w[0].isupper() for w in data["bare_bodies"])
    assert "nguyên" in data["former"] and "cựu" in data["former"] and "nước" in data["state_words"]
    assert data["concurrent"] == ["kiêm"]
    assert set(data["shared_links"]) <= set(data["name_links"])  # a shared link is read where a link is
