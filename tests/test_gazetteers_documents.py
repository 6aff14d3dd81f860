"""Shape of the document-type, programme-head and reference-pattern gazetteers."""
from __future__ import annotations

import re

import pytest

from tests.conftest import GZ
from pipeline.keys import match_key

CONTRACT_KINDS = {"phong trào", "cuộc vận động", "chương trình", "kế hoạch", "dự án", "mô hình", "câu lạc bộ"}


def test_gazetteers_documents_doc_types_shape():
    rows = GZ.tsv("doc_types.tsv")
    assert len(rows) >= 10
    assert set(rows[0]) == {"type", "codes", "aliases", "needs", "program_kind"}
    types = [match_key(r["type"]) for r in rows]
    assert len(types) == len(set(types)), "a type is listed twice"
    for r in rows:
        assert r["type"][0].isupper() and r["type"] == r["type"].strip()
        assert r["needs"] in {"number", "either", "name"}
        assert r["program_kind"] in CONTRACT_KINDS | {""}
        for code in filter(None, (r["codes"] + "," + r["aliases"]).split(",")):
            assert re.fullmatch(r"[A-ZĐ][A-Za-zĐđƯư]*", code.strip()), code


@pytest.mark.parametrize("doc_type, code", [
    ("Nghị quyết liên tịch", "NQLT"), ("Chỉ thị", "CT"), ("Kết luận", "KL"), ("Nghị định", "NĐ"),
    ("Thông tư", "TT"), ("Chương trình phối hợp", "CTrPH"), ("Kế hoạch", "KH"), ("Quyết định", "QĐ"),
])
def test_gazetteers_documents_doc_types_codes(doc_type, code):
    row = next(r for r in GZ.tsv("doc_types.tsv") if r["type"] == doc_type)
    assert code in row["codes"].split(",")


def test_gazetteers_documents_program_kinds_shape():
    rows = GZ.tsv("program_kinds.tsv")
    assert set(rows[0]) == {"head", "kind", "unquoted", "numbered", "scope"}
    heads = [match_key(r["head"]) for r in rows]
    assert len(heads) == len(set(heads)), "a head is listed twice"
    for r in rows:
        assert r["kind"] in CONTRACT_KINDS | {"-"}
        assert r["unquoted"] in {"phrase", "counted", "legal", "none"}
        assert r["numbered"] in {"yes", "no"}
        assert r["scope"] in ({"-"} if r["kind"] == "-" else {"shared", "local"})
    assert {r["kind"] for r in rows} - {"-"} == CONTRACT_KINDS
    # one scope per kind, whichever head names it
    scopes = {}
    for r in rows:
        assert scopes.setdefault(r["kind"], r["scope"]) == r["scope"], r["kind"]


@pytest.mark.parametrize("name, columns", [
    ("unit_synonyms.tsv", {"written", "normal", "note"}),
    ("agency_equivalents.tsv", {"written", "same_as", "note"}),
    ("acronyms.tsv", {"acronym", "expansion", "in_names", "scorer"}),
])
def test_gazetteers_documents_kb_tables_shape(name, columns):
    rows = GZ.tsv(name)
    assert rows and all(set(r) == columns for r in rows)
    keys = [match_key(next(iter(r.values()))) for r in rows]
    assert len(keys) == len(set(keys)), f"{name}: an entry is listed twice"


def test_gazetteers_documents_reference_patterns_shape():
    data = GZ.yaml("reference_patterns.yaml")
    for key in ("plural_determiners", "number_markers", "subject_markers", "party_markers",
                "issuer_markers", "issuer_inner", "issuer_stops", "period_heads", "clause_starters",
                "name_stops", "generic_after", "list_fillers", "named_resolution_organs",
                "named_resolution_types", "ordinals", "number_boundaries", "issue_date_markers",
                "signing_verbs", "signing_year_lead", "signing_year_markers", "term_markers", "ordinal_words",
                "ordinal_prefixes", "issuer_dangling", "party_ends", "coordinators", "self_issuing_organs",
                "name_list_conjunctions", "name_count_markers"):
        assert isinstance(data[key], list) and data[key], key
        assert all(isinstance(x, str) and x.strip() == x and x for x in data[key]), key
    assert "về" in data["subject_markers"] and "các" in data["plural_determiners"]


@pytest.mark.parametrize("key, present, absent", [
    # "Kế hoạch 64 ngày …" ends a number; "Dự án 8 hộ" is a count, so counted nouns stay out
    ("number_boundaries", ["ngày", "và", "khóa", "ký"], ["hộ", "người", "số"]),
    ("issue_date_markers", ["ngày"], ["tháng", "năm"]),
    ("signing_verbs", ["ký"], ["về"]),
    ("signing_year_lead", ["từ", "vào", "trong"], ["năm"]),
    ("signing_year_markers", ["năm"], ["từ"]),
    ("term_markers", ["khóa", "khoá"], ["lần"]),
    ("ordinal_words", ["lần", "thứ"], ["khóa"]),
    ("ordinal_prefixes", ["thứ"], ["lần"]),
    ("issuer_dangling", ["của", "thứ"], ["quốc gia", "nhân dân"]),
    ("party_ends", ["về"], ["với", "và"]),  # "giữa Công an tỉnh với Ủy ban MTTQ … và … về …"
    ("coordinators", ["và"], ["của", ","]),
    ("self_issuing_organs", ["Đại hội"], ["Hội nghị", "Trung ương"]),
    ("name_list_conjunctions", ["và", "hoặc"], [",", "với"]),
    ("name_count_markers", ["với"], ["và"]),
])
def test_gazetteers_documents_reference_marker_words(key, present, absent):
    entries = GZ.yaml("reference_patterns.yaml")[key]
    assert len(entries) == len(set(entries)), "duplicate entries"
    for p in present:
        assert p in entries
    for a in absent:
        assert a not in entries


@pytest.mark.parametrize("key", ["name_list_conjunctions", "issue_date_markers", "signing_year_lead",
                                 "signing_year_markers"])
def test_gazetteers_documents_single_token_markers(key):
    # compared with one token, or matched as written in a regex: one lower-case word each
    for x in GZ.yaml("reference_patterns.yaml")[key]:
        assert " " not in x and x == x.lower(), x
