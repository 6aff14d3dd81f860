"""Legacy font encodings (TCVN3, VNI) and the per-file encoding choice for .txt files."""
from __future__ import annotations

import re
import unicodedata

import pytest

from pipeline.errors import PipelineError
from pipeline.gazetteers import load_tsv, load_yaml
from pipeline.normalize import normalise
from pipeline.readers.legacy import (byte_table, decode_table, detect_legacy, encode_legacy,
                                     vietnamese_score)
from pipeline.readers.text import decode_text

TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]
MARKS = {"a": ["", "\u0302", "\u0306"], "e": ["", "\u0302"], "o": ["", "\u0302", "\u031b"],
         "u": ["", "\u031b"], "i": [""], "y": [""]}


def all_letters() -> list[str]:
    """The 134 Vietnamese letters outside ASCII: 67 lowercase and their capitals."""
    low = {unicodedata.normalize("NFC", b + m + t) for b, ms in MARKS.items() for m in ms for t in TONES}
    low = sorted((low - set("aeiouy")) | {"đ"})
    return low + [c.upper() for c in low]


LETTERS = all_letters()
SAMPLE = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
          "Lai Châu, ngày 15 tháng 01 năm 2024\n\nBÁO CÁO\nKết quả thực hiện nhiệm vụ năm 2023\n\n"
          "Ủy ban nhân dân tỉnh báo cáo kết quả thực hiện các chỉ tiêu của năm 2023 như sau: "
          "tổng thu ngân sách trên địa bàn đạt 2.500 tỷ đồng (ngày 31/12/2023), tăng 12% so với "
          "cùng kỳ; thu nhập bình quân đầu người được cải thiện. Người dân trong tỉnh đồng thuận "
          "với chủ trương của Đảng và Nhà nước; quyết định số 15/QĐ-UBND ngày 02/3/2023.")


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese files have it: precomposed where the code page has the
    letter, otherwise base letter + combining tone mark."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        tone = "".join(c for c in d if c in "\u0300\u0301\u0303\u0309\u0323")
        out.append((unicodedata.normalize("NFC", d.replace(tone, "")) + tone).encode("cp1258"))
    return b"".join(out)


# ------------------------------------------------------------------ data files


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_table_shape(encoding):
    rows = load_tsv(f"encodings/{encoding}.tsv")
    assert set(rows[0]) == {"bytes", "unicode"}
    seqs = [bytes.fromhex(r["bytes"]) for r in rows]
    assert len(seqs) == len(set(seqs)), "a byte sequence mapped twice"
    assert sorted(r["unicode"] for r in rows) == sorted(LETTERS), "not exactly the 134 letters"
    assert all(unicodedata.is_normalized("NFC", r["unicode"]) for r in rows)
    assert all(1 <= len(s) <= 2 for s in seqs)


def test_legacy_syllables_shape():
    data = load_yaml("encodings/syllables.yaml")
    assert set(data) == {"initials", "nuclei", "finals", "common_words"}
    nuclei = [n for group in data["nuclei"] for n in group]
    assert all(len(n) == i + 1 for i, group in enumerate(data["nuclei"]) for n in group)
    assert len(nuclei) == len(set(nuclei))
    assert all(w == unicodedata.normalize("NFC", w.lower()) for w in data["common_words"])


# ------------------------------------------------------------------ tables


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_all_134_letters_round_trip(encoding):
    table = decode_table(encoding)
    wrong = [c for c in LETTERS if normalise(encode_legacy(c, encoding).decode("latin-1"), table).text != c]
    assert wrong == []


@pytest.mark.parametrize("text,encoding,expected", [
    ("Việt Nam", "tcvn3", b"Vi\xd6t Nam"),
    ("Việt Nam", "vni", b"Vie\xe4t Nam"),
    ("đường", "tcvn3", b"\xae\xad\xeang"),
    ("đường", "vni", b"\xf1\xf6\xf4\xf8ng"),
    ("Ủy ban", "tcvn3", b"\x9ey ban"),       # VN1 capital
    ("Ủy ban", "vni", b"U\xdby ban"),
    ("ẳ ỵ", "vni", b"a\xfa \xee"),           # the two viparse 0.1.31 gets wrong
    ("25°C, 100%", "tcvn3", b"25\xb0C, 100%"),  # free Latin-1 bytes pass through
])
def test_legacy_encode_known_bytes(text, encoding, expected):
    assert encode_legacy(text, encoding) == expected


@pytest.mark.parametrize("text,encoding", [("“Hà Nội”", "tcvn3"), ("Привет", "vni")])
def test_legacy_encode_strict_refuses_what_it_cannot_write(text, encoding):
    with pytest.raises(ValueError):
        encode_legacy(text, encoding)
    assert b"?" in encode_legacy(text, encoding, errors="replace") or b'"' in encode_legacy(text, encoding, errors="replace")


def test_legacy_unknown_encoding_is_an_error():
    with pytest.raises(ValueError):
        byte_table("viscii")


def test_legacy_score_prefers_real_vietnamese():
    assert vietnamese_score(SAMPLE) > 0.8
    assert vietnamese_score(encode_legacy(SAMPLE, "vni").decode("latin-1")) < 0.6
    assert vietnamese_score("") == 0.0


# ------------------------------------------------------------------ decode_text per encoding


ENCODERS = {
    "utf-8": lambda s: s.encode("utf-8"),
    "utf-8-bom": lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"),
    "utf-16-le": lambda s: b"\xff\xfe" + s.encode("utf-16-le"),
    "utf-16-be": lambda s: b"\xfe\xff" + s.encode("utf-16-be"),
    "windows-1258": cp1258,
    "tcvn3": lambda s: encode_legacy(s, "tcvn3"),
    "vni": lambda s: encode_legacy(s, "vni"),
}
EXPECTED_NAME = {"utf-8-bom": "utf-8", "utf-16-le": "utf-16", "utf-16-be": "utf-16"}


@pytest.mark.parametrize("label", list(ENCODERS))
@pytest.mark.parametrize("text", [SAMPLE, SAMPLE[:120], SAMPLE.lower()])
def test_readers_decode_text_each_encoding(label, text):
    raw, name, table = decode_text(ENCODERS[label](text))
    assert name == EXPECTED_NAME.get(label, label)
    assert (table is not None) == (label in ("tcvn3", "vni"))
    assert normalise(raw, table).text == normalise(text).text


@pytest.mark.parametrize("text", [
    "Le président de la République a été reçu à l'Élysée où il a prononcé un discours.",
    "Der Bürgermeister übergab die Schlüssel für das größte Gebäude in München.",
    "El señor alcalde inauguró la biblioteca pública del pueblo con los niños.",
])
def test_legacy_western_european_text_is_not_legacy(text):
    assert detect_legacy(text.encode("cp1252")) is None


@pytest.mark.parametrize("data", [b"plain ascii only", b"\x81\x8d\x8f\x90 \x9d\x81 xyz"])
def test_legacy_nothing_vietnamese_is_none(data):
    assert detect_legacy(data) is None


def test_readers_decode_text_undecodable_is_e105():
    # not UTF-8, nothing Vietnamese in any legacy reading, and undefined in Windows-1258
    with pytest.raises(PipelineError) as err:
        decode_text(b"abc \x81\x8d\x8f\x90 \x9d\x81 xyz " * 3)
    assert err.value.code == "E105"


def test_legacy_tcvn3_file_with_cp1252_smart_quotes():
    """A .VnTime (VN3) file saved from Word: 0x93/0x94 are quotes, not the VN1 capitals Ỏ/Õ."""
    text = "Ngày hội “Đại đoàn kết toàn dân tộc” được tổ chức tại các thôn bản của huyện."
    body = encode_legacy(text.replace("“", "").replace("”", ""), "tcvn3")
    data = body.replace(b"\xa7\xb9i", b"\x93\xa7\xb9i", 1).replace(b"t\xe9c", b"t\xe9c\x94", 1)
    raw, name, table = decode_text(data)
    assert name == "tcvn3"
    assert normalise(raw, table).text == text


def test_legacy_vni_capitalised_word_with_lowercase_mark():
    raw, name, table = decode_text("Aùnh saùng cuûa ngöôøi daân trong caùc thoân baûn".encode("latin-1"))
    assert name == "vni"
    assert normalise(raw, table).text == "Ánh sáng của người dân trong các thôn bản"


# ------------------------------------------------------------------ offsets into legacy raw text

DATE_LIKE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}|ngày \d{1,2} tháng \d{1,2} năm \d{4}|năm \d{4}")


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_offsets_map_back_to_the_same_bytes(encoding):
    data = encode_legacy(SAMPLE, encoding)
    raw, name, table = decode_text(data)
    norm = normalise(raw, table)
    spans = [m.span() for m in DATE_LIKE.finditer(norm.text)]
    assert len(spans) >= 5
    for start, end in spans:
        rs, re_ = norm.offsets.to_raw_span(start, end)
        assert raw[rs:re_].encode("latin-1") == data[rs:re_]  # raw offsets are byte offsets
        assert data[rs:re_] == encode_legacy(norm.text[start:end], encoding)
    # and a whole word with legacy letters: "Ủy ban" starts a line of the sample
    i = norm.text.index("Ủy ban nhân dân")
    rs, re_ = norm.offsets.to_raw_span(i, i + len("Ủy ban nhân dân"))
    assert data[rs:re_] == encode_legacy("Ủy ban nhân dân", encoding)


@pytest.mark.parametrize("text,expected", [
    ("THỰC HIỆN NGHỊ QUYẾT SỐ 15 VỀ PHÁT TRIỂN KINH TẾ TỈNH PHÚ YÊN", "tcvn3"),  # Ự, Ú in C0 slots
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc", "tcvn3"),
])
def test_legacy_tcvn3_capitals_in_c0_slots_are_not_binary(text, expected):
    raw, name, table = decode_text(encode_legacy(text, "tcvn3"))
    assert name == expected and normalise(raw, table).text == text


def test_legacy_control_bytes_without_letters_still_binary():
    with pytest.raises(PipelineError) as err:
        decode_text(b"\x01\x12\x05 \x13\x14 \x16\x17 data \x02\x04\x06\x11" * 20)
    assert err.value.code == "E104"
