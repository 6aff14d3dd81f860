"""Legacy Vietnamese font encodings: TCVN3 (ABC, .VnTime) and VNI (VNI-Times).

Before Unicode, Vietnamese text was typed in fonts that drew Vietnamese letters in place of
Latin-1 ones: TCVN3 puts one letter in one byte ("ViÖt Nam" is Việt Nam), VNI writes a base
letter and a mark byte ("Vieät Nam"). Archives still hold such files, and PDFs set in those
fonts have the same characters in their text layer. The byte tables are reviewed data files
(`gazetteers/encodings/tcvn3.tsv`, `vni.tsv`); conversion itself is done by the normaliser,
which applies the table in one pass and keeps the offset map.

Which encoding a file uses is decided per file by decoding it every way and scoring how
Vietnamese each result looks (the share of words that are well-formed Vietnamese syllables,
and of very common words like "của", "và", "được"), against Windows-1258 as the baseline.

>>> name, raw, table = detect_legacy("Uû ban nh©n d©n tØnh Lai Ch©u".encode("latin-1"))
>>> name, raw[:6]
('tcvn3', 'Uû ban')
>>> encode_legacy("Việt Nam", "vni")
b'Vie\\xe4t Nam'
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pipeline.gazetteers import load_tsv, load_yaml

ENCODINGS = ("tcvn3", "vni")
_TONES = "\u0300\u0301\u0303\u0309\u0323"
_WORD = re.compile(r"[^\W\d_]+")
# cp1252 punctuation in 0x80-0x9F (smart quotes, dashes): files typed in legacy fonts were saved
# through the Windows code page, so those bytes are punctuation unless the table claims them.
_CP1252_C1 = {chr(b): bytes([b]).decode("cp1252") for b in range(0x80, 0xA0)
              if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
# What a PDF text layer emits for two TCVN3 codes when the font's encoding is resolved
# (0xAD soft-hyphen slot -> MINUS SIGN, 0xB7 -> BULLET OPERATOR; seen in .VnTime PDFs).
_PDF_GLYPHS = {"tcvn3": {"\u2212": "\xad", "\u2219": "\xb7"}, "vni": {}}
# Scoring thresholds: a legacy reading must look mostly Vietnamese and clearly beat cp1258.
_MIN_SCORE = 0.5
_MARGIN = 0.1


@lru_cache(maxsize=None)
def byte_table(encoding: str) -> dict[bytes, str]:
    """Byte sequence -> Unicode letter, from `gazetteers/encodings/<encoding>.tsv`."""
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown legacy encoding {encoding!r} (expected one of {ENCODINGS})")
    return {bytes.fromhex(row["bytes"]): row["unicode"] for row in load_tsv(f"encodings/{encoding}.tsv")}


def _surface(seq: bytes, surface: str) -> str:
    if surface == "cp1252":
        try:
            return seq.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return seq.decode("latin-1")


@lru_cache(maxsize=None)
def decode_table(encoding: str, surface: str = "latin-1", capitals_in_c1: bool = True) -> dict[str, str]:
    """Raw character sequence -> Unicode, for the normaliser's `legacy` rule.

    `surface` is how the bytes reached us as characters: "latin-1" for our own reading of a
    .txt file (one character per byte), "cp1252" for a PDF text layer. With
    `capitals_in_c1=False` the TCVN3 capitals in 0x80-0x9F are left out and those bytes read
    as cp1252 punctuation (a .VnTime file with smart quotes).
    """
    table: dict[str, str] = {}
    for seq, uni in byte_table(encoding).items():
        if not capitals_in_c1 and len(seq) == 1 and 0x80 <= seq[0] <= 0x9F:
            continue
        table[_surface(seq, surface)] = uni
        if encoding == "vni" and len(seq) == 2:
            # capitalised words typed with the other case of mark: "Aù" is Á, "aÙ" is á
            base, mark = seq.decode("latin-1")
            other = base + (mark.lower() if mark.isupper() else mark.upper())
            table.setdefault(_surface(other.encode("latin-1"), surface), uni)
    if surface == "latin-1":
        for c1, punct in _CP1252_C1.items():
            table.setdefault(c1, punct)
    for glyph, code in _PDF_GLYPHS[encoding].items():
        if surface == "cp1252" and code in table:
            table[glyph] = table[code]
    return table


def convert(raw: str, table: dict[str, str]) -> str:
    """Apply a decode table longest-first (what the normaliser does, without the offset map)."""
    from pipeline.normalize import normalise

    return normalise(raw, table).text


# ---------------------------------------------------------------- scoring


@lru_cache(maxsize=1)
def _syllable_re() -> tuple[re.Pattern[str], frozenset[str]]:
    data = load_yaml("encodings/syllables.yaml")
    alt = lambda xs: "|".join(sorted(xs, key=len, reverse=True))  # noqa: E731
    nuclei = [n for group in data["nuclei"] for n in group]
    pattern = re.compile(f"(?:{alt(data['initials'])})?(?:{alt(nuclei)})(?:{alt(data['finals'])})?")
    return pattern, frozenset(data["common_words"])


def _strip_tone(word: str) -> tuple[str, int]:
    nfd = unicodedata.normalize("NFD", word)
    tones = sum(c in _TONES for c in nfd)
    return unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONES)), tones


def vietnamese_score(text: str) -> float:
    """Share of words that are well-formed Vietnamese syllables (plus a bonus for common words).

    >>> vietnamese_score("Ủy ban nhân dân tỉnh") > vietnamese_score("Uû ban nh©n d©n tØnh")
    True
    """
    syllable, common = _syllable_re()
    words = [w.lower() for w in _WORD.findall(unicodedata.normalize("NFC", text))]
    if not words:
        return 0.0
    valid = hits = 0
    for w in words:
        bare, tones = _strip_tone(w)
        if tones <= 1 and syllable.fullmatch(bare):
            valid += 1
        hits += w in common
    return valid / len(words) + 0.5 * hits / len(words)


def _candidates(raw: str, surface: str) -> list[tuple[str, dict[str, str]]]:
    out = [(enc, decode_table(enc, surface)) for enc in ENCODINGS]
    if any("\x80" <= c <= "\x9f" or c in _CP1252_C1.values() for c in raw):
        out.append(("tcvn3", decode_table("tcvn3", surface, capitals_in_c1=False)))
    return out


def choose_legacy(raw: str, baseline: str, surface: str = "latin-1") -> tuple[str, dict[str, str]] | None:
    """The legacy reading of `raw` that looks most Vietnamese, if it clearly beats `baseline`.

    `baseline` is the same content read the ordinary way (Windows-1258 for a .txt file, the
    text layer as it is for a PDF).
    """
    sample = raw[:200_000]  # enough to decide; keeps huge files fast
    base_score = vietnamese_score(baseline[:200_000])
    best: tuple[float, str, dict[str, str]] | None = None
    for name, table in _candidates(sample, surface):
        score = vietnamese_score(convert(sample, table))
        if best is None or score > best[0]:
            best = (score, name, table)
    if best is None or best[0] < _MIN_SCORE or best[0] < base_score + _MARGIN:
        return None
    return best[1], best[2]


def detect_legacy(data: bytes) -> tuple[str, str, dict[str, str]] | None:
    """(encoding, raw text one character per byte, decode table) for TCVN3/VNI bytes, else None.

    The raw text is the Latin-1 reading of the bytes, so raw offsets are byte offsets.
    """
    if not any(b >= 0x80 for b in data):
        return None  # plain ASCII: nothing legacy to convert
    raw = data.decode("latin-1")
    found = choose_legacy(raw, data.decode("cp1258", errors="replace"))
    if found is None:
        return None
    return found[0], raw, found[1]


# ---------------------------------------------------------------- encoding (for fixtures)

_FOLD = {"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u2013": "-", "\u2014": "-",
         "\u2026": "...", "\u00a0": " "}


@lru_cache(maxsize=None)
def _encode_table(encoding: str) -> dict[str, bytes]:
    return {uni: seq for seq, uni in byte_table(encoding).items()}


def encode_legacy(text: str, encoding: str, errors: str = "strict") -> bytes:
    """Unicode -> TCVN3 or VNI bytes (the inverse of the decode tables), e.g. to make fixtures.

    ASCII passes through. Other characters pass through as Latin-1 when their byte is free in
    the encoding; with errors="replace" typographic quotes and dashes fold to ASCII and the
    rest become "?", with errors="strict" they raise ValueError.

    >>> encode_legacy("Ủy ban nhân dân", "tcvn3")
    b'\\x9ey ban nh\\xa9n d\\xa9n'
    """
    table = _encode_table(encoding)
    used = {b for seq in table.values() for b in seq if b >= 0x80 or b < 0x20}
    out = bytearray()
    for i, ch in enumerate(unicodedata.normalize("NFC", text)):
        if ch in table:
            out += table[ch]
        elif ord(ch) < 0x80 and (ord(ch) >= 0x20 or ord(ch) not in used):
            out.append(ord(ch))
        elif ord(ch) < 0x100 and ord(ch) not in used and not 0x80 <= ord(ch) < 0xA0:
            out.append(ord(ch))
        elif errors == "replace":
            out += _FOLD.get(ch, "?").encode("ascii")
        else:
            raise ValueError(f"cannot encode {ch!r} at {i} in {encoding}")
    return bytes(out)
