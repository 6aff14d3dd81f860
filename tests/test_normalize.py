"""Normalisation never loses track of where text came from."""
from __future__ import annotations

import re
import unicodedata

import pytest

from pipeline.normalize import normalise

NASTY = [
    "Ho\u0300a Bi\u0300nh",                        # NFD input
    "Uỷ ban nhân dân tỉnh Thanh Hoá và Ủy ban Hóa",  # mixed tone-mark conventions
    "Bộ\u200b Công\u200d an\ufeff",                # zero-width characters
    "Chiều\u00a022/6,\tCông an  tỉnh",             # odd spaces
    "giai đoạn 2017 – 2020 và “Quản lý” „x‟",      # dash and quote variants
    "dòng 1\r\ndòng 2\r\r\rdòng 3\n\n\n\ndòng 4",  # line-break styles
    "   lề trái\n\n   ",                           # leading/trailing blanks
    "ca\u0301c đô\u0301i tươ\u0323ng",               # NFD with stacked marks
]


@pytest.mark.parametrize("raw", NASTY)
def test_normalize_text_is_nfc_and_clean(raw):
    text = normalise(raw).text
    assert text == unicodedata.normalize("NFC", text)
    assert not re.search("[\u200b\u200d\ufeff\u00a0\t\r]", text)
    assert "  " not in text and "\n\n\n" not in text
    assert text == text.strip()


@pytest.mark.parametrize("raw", NASTY)
def test_normalize_every_word_maps_back_to_its_raw_spelling(raw):
    n = normalise(raw)
    for m in re.finditer(r"\w+", n.text):
        rs, re_ = n.offsets.to_raw_span(m.start(), m.end())
        back = unicodedata.normalize("NFC", re.sub("[\u200b\u200c\u200d\ufeff]", "", raw[rs:re_]))
        assert back == m.group(), (m.group(), raw[rs:re_])


def test_normalize_keeps_the_documents_tone_mark_convention():
    assert normalise("Thanh Hoá, Uỷ ban").text == "Thanh Hoá, Uỷ ban"
    assert normalise("Thanh Hóa, Ủy ban").text == "Thanh Hóa, Ủy ban"


@pytest.mark.parametrize("raw,expected", [
    ("a – b — c", "a - b - c"),
    ("„x‟ «y»", "“x“ “y”"),
    ("a\u00a0b", "a b"),
    ("a\r\nb", "a\nb"),
    ("a\n\n\n\nb", "a\n\nb"),
    ("a \n b", "a\nb"),
])
def test_normalize_rewrites(raw, expected):
    assert normalise(raw).text == expected


def test_normalize_two_megabyte_line_keeps_offsets():
    unit = "Hoà bình  ổn định\u200b, “x” — 2.500 vụ. "
    raw = unit * (2_000_000 // len(unit))
    n = normalise(raw)
    # the last occurrence of "2.500" maps back exactly
    at = n.text.rindex("2.500")
    rs, re_ = n.offsets.to_raw_span(at, at + 5)
    assert raw[rs:re_] == "2.500"
    assert rs == raw.rindex("2.500")


def test_normalize_legacy_table_maps_converted_spans_back():
    table = {"\u00b8": "á", "a\u00b5": "à"}  # a toy table: one single-char, one two-char key
    raw = "C\u00b8c ba\u00b5n"
    n = normalise(raw, table)
    assert n.text == "Các bàn"
    assert n.offsets.to_raw_span(0, 3) == (0, 3)
    assert n.offsets.to_raw_span(4, 7) == (4, 8)


def test_normalize_unwrap_joins_lines_a_layout_wrapped():
    raw = ("Kết luận của Phó Chủ tịch tỉnh tại hội nghị đánh giá công tác\n"
           "phòng, chống mua bán người 9 tháng đầu năm\n"
           "2023\n\n"
           "1. Đánh giá chung\n"
           "Các lực lượng chức năng đã phát hiện 6 vụ mua bán người.\n"
           "- Tuyên truyền tại 125 xã.")
    n = normalise(raw, unwrap=True)
    assert "hội nghị đánh giá công tác phòng, chống mua bán người 9 tháng đầu năm 2023" in n.text
    assert "1. Đánh giá chung\nCác lực lượng" in n.text      # a short heading line is not joined
    assert "người.\n- Tuyên truyền" in n.text                # a finished sentence and a list item are not
    at = n.text.index("năm 2023")
    assert raw[slice(*n.offsets.to_raw_span(at, at + 8))] == "năm\n2023"
    assert normalise(raw).text.count("\n") > n.text.count("\n")  # off unless asked


@pytest.mark.parametrize("raw, expected", [
    ("5 \u2126", "5 \u03a9"),                  # OHM SIGN -> Greek capital omega
    ("\u212bngström", "\u00c5ngström"),         # ANGSTROM SIGN -> Å
    ("\uf900", "\u8c48"),                       # CJK compatibility ideograph -> unified
    ("a\u037e b", "a; b"),                      # GREEK QUESTION MARK -> semicolon
    ("e\u200b\u0301", "\u00e9"),                # a zero-width character between letter and mark
    ("\u1100\u1161\u11a8", "\uac01"),           # conjoining Hangul jamo
    ("\u2013\u0301", "-\u0301"),                # a dash with a mark is still unified
    ("\ufb01", "\ufb01"),                       # compatibility ligature: NFC keeps it (no NFKC)
])
def test_normalize_nfc_includes_singletons_and_split_marks(raw, expected):
    n = normalise(raw)
    assert n.text == expected
    assert unicodedata.is_normalized("NFC", n.text)


@pytest.mark.parametrize("raw, expected", [
    ("dòng 1\u0085dòng 2", "dòng 1\ndòng 2"),          # NEL
    ("dòng 1\u2028dòng 2", "dòng 1\ndòng 2"),          # LINE SEPARATOR
    ("đoạn 1\u2029đoạn 2", "đoạn 1\n\nđoạn 2"),        # PARAGRAPH SEPARATOR: a blank line
    ("a\r\n\u0085b", "a\n\nb"),
    ("a \u2028 \u2028 b", "a\n\nb"),
])
def test_normalize_all_line_breaks_become_newlines(raw, expected):
    n = normalise(raw)
    assert n.text == expected
    # the words still map back to their raw spelling
    for m in re.finditer(r"\w+", n.text):
        assert raw[slice(*n.offsets.to_raw_span(m.start(), m.end()))] == m.group()


ALPHABET = (list("aeouyđ Hòa\n\r\t.,0123456789") + ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302",
            "\u200b", "\ufeff", "\u00ad", "\x85", "\u2028", "\u2029", "\u00a0", "\u2126", "\u212b", "\uf900",
            "\u037e", "\u2013", "\u201e", "\x01", "\x7f", "\u1161", "\u11a8", "\u0b3e", "\u0b47"])


@pytest.mark.parametrize("seed", range(40))
def test_normalize_random_strings_come_out_nfc_with_an_exact_map(seed):
    import random

    rng = random.Random(seed)
    raw = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 300)))
    n = normalise(raw)
    assert unicodedata.is_normalized("NFC", n.text)
    assert not re.search("[\u0085\u2028\u2029\r\u200b\ufeff]", n.text)
    segs = n.offsets.to_json()
    # segments tile the text in order and point at increasing, in-bounds raw spans
    assert [ts for ts, _, _, _ in segs] == [sum(tl for _, tl, _, _ in segs[:i]) for i in range(len(segs))]
    assert sum(tl for _, tl, _, _ in segs) == len(n.text)
    assert all(0 <= rs and rs + rl <= len(raw) for _, _, rs, rl in segs)
    assert all(a[2] + a[3] <= b[2] for a, b in zip(segs, segs[1:]))
    # every run of non-space text maps back to raw text that normalises to it
    for m in re.finditer(r"\S+", n.text):
        back = raw[slice(*n.offsets.to_raw_span(m.start(), m.end()))]
        assert normalise(back).text == m.group(), (m.group(), back)


def test_normalize_scan_without_marks_matches_the_full_scan_on_mark_free_text():
    """A text with no mark NFC could join is scanned by the cheaper pattern: the same matches as the
    full one on generated mark-free strings (fixed seed) and the corpus; a text with a mark is not
    (the full pattern composes letter and mark), so the choice must look for marks."""
    import random

    from pipeline.normalize import _DEFAULT_RE, _NFC_JOIN_CHARS, _NO_MARKS_RE
    from tests.conftest import CORPORA

    rnd = random.Random(7)
    alphabet = list("aăêđƠ Ư1.,\n\r\t") + ["\u00a0", "\u200b", "\u2013", "\u201e", "\u2126", "\uf900", "\u037e", "  ", "\r\n\r\n"]
    texts = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 60))) for _ in range(2000)]
    texts += [p.read_bytes().decode("utf-8", "replace") for p in sorted((CORPORA / "docs").glob("*.txt"))]
    plain = [t for t in texts if _NFC_JOIN_CHARS.isdisjoint(t)]
    assert len(plain) > 1000

    def scan(pattern, t):
        return [(m.lastgroup, m.span()) for m in pattern.finditer(t)]

    assert [scan(_NO_MARKS_RE, t) for t in plain] == [scan(_DEFAULT_RE, t) for t in plain]
    marked = "Hoa\u0300 Bi\u0300nh"
    assert scan(_NO_MARKS_RE, marked) != scan(_DEFAULT_RE, marked)
    assert normalise(marked).text == "Hoà Bình"
