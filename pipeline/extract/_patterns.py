"""Shared pieces for the legal-document and programme stages: heads, plain tokens, quotes.

Heads (document types, programme head words) come from `gazetteers/doc_types.tsv` and
`gazetteers/program_kinds.tsv` and are found with a spaCy PhraseMatcher over the NORM of
`a.doc` (our own syllable tokens, so "Uỷ"/"Ủy" and case never matter). What follows a head is
read with `Tok`s: plain word/punctuation tokens with `text` offsets, where a symbol such as
"09/CT-TW" or a period "2022-2027" stays one token.

>>> [t.text for t in tokens_of("Chỉ thị số 09/CT-TW ngày 1/12/2011,", 0, 34)]
['Chỉ', 'thị', 'số', '09/CT-TW', 'ngày', '1/12/2011', ',']
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.matcher import PhraseMatcher
from spacy.util import filter_spans

from pipeline.gazetteers import load_tsv, load_yaml
from pipeline.keys import match_key
from pipeline.tokens import nlp

_TOK_RE = re.compile(r"\w+(?:[/.,-]\w+)*|…|\.\.\.|[^\w\s]")
YEAR_RE = re.compile(r"(?:19|20)\d\d(?:\s*[-–—]\s*(?:19|20)\d\d)?")
OPEN_QUOTES = "“«‘"
CLOSE_QUOTES = "”»’"
STRAIGHT_QUOTES = "\"'"


@dataclass(frozen=True)
class Tok:
    start: int
    end: int
    text: str
    wid: int = -1  # the underthesea word this token starts in (-1: none)

    @property
    def key(self) -> str:
        return match_key(self.text)

    @property
    def is_upper(self) -> bool:
        return self.text[:1].isupper()


def tokens_of(text: str, start: int, end: int, wids: dict[int, int] | None = None) -> list[Tok]:
    wids = wids or {}
    return [Tok(m.start(), m.end(), m.group(), wids.get(m.start(), -1))
            for m in _TOK_RE.finditer(text, start, end)]


def word_ids(doc) -> dict[int, int]:
    """Character offset of each syllable token -> index of the underthesea word it belongs to."""
    return {t.idx: t._.wid for t in doc}


def same_word(a: Tok, b: Tok) -> bool:
    """"Bí thư", "Chỉ đạo": a lower-case syllable continuing a capitalised word of a name."""
    return a.wid >= 0 and a.wid == b.wid


# --- gazetteers --------------------------------------------------------------------------
@dataclass(frozen=True)
class DocType:
    type: str
    codes: tuple[str, ...]
    aliases: tuple[str, ...]
    needs: str  # "number" | "either"
    program_kind: str | None


@dataclass(frozen=True)
class ProgramHead:
    head: str
    kind: str | None  # None: not a programme ("chương trình phối hợp" is a document)
    unquoted: str  # phrase | counted | legal | none
    numbered: bool


def _split(cell: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in cell.split(",") if c.strip())


@lru_cache(maxsize=1)
def doc_types() -> dict[str, DocType]:
    """Key of the spelled-out type -> DocType ("kế hoạch phối hợp" -> Kế hoạch phối hợp)."""
    return {match_key(r["type"]): DocType(r["type"], _split(r["codes"]), _split(r["aliases"]),
                                          r["needs"], r["program_kind"] or None)
            for r in load_tsv("doc_types.tsv")}


@lru_cache(maxsize=1)
def program_heads() -> dict[str, ProgramHead]:
    return {match_key(r["head"]): ProgramHead(r["head"], None if r["kind"] == "-" else r["kind"],
                                              r["unquoted"], r["numbered"] == "yes")
            for r in load_tsv("program_kinds.tsv")}


@lru_cache(maxsize=1)
def words() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Each list of `reference_patterns.yaml` as key-split phrases, longest first."""
    out = {}
    for name, items in load_yaml("reference_patterns.yaml").items():
        phrases = {tuple(match_key(str(x)).split()) for x in items}
        out[name] = tuple(sorted(phrases, key=len, reverse=True))
    return out


def phrase_at(toks: list[Tok], i: int, list_name: str) -> int:
    """Length in tokens of the longest phrase of `list_name` starting at toks[i], else 0."""
    for ph in words()[list_name]:
        if i + len(ph) <= len(toks) and all(toks[i + k].key == ph[k] for k in range(len(ph))):
            return len(ph)
    return 0


def phrase_before(toks: list[Tok], i: int, list_name: str) -> int:
    """Length of the longest phrase of `list_name` ending right before toks[i], else 0."""
    for ph in words()[list_name]:
        n = len(ph)
        if i - n >= 0 and all(toks[i - n + k].key == ph[k] for k in range(n)):
            return n
    return 0


# --- heads via PhraseMatcher ---------------------------------------------------------------
@lru_cache(maxsize=2)
def _matcher(which: str) -> PhraseMatcher:
    m = PhraseMatcher(nlp().vocab, attr="NORM")
    phrases = list(doc_types()) if which == "doc" else list(program_heads())
    for key in phrases:
        pattern = nlp().make_doc(key)
        for t in pattern:
            t.norm_ = match_key(t.text)
        m.add(key, [pattern])
    return m


def find_heads(doc, which: str) -> list[tuple[int, int, str]]:
    """(start_char, end_char, key) of each longest head ("doc" types or "program" heads)."""
    m = _matcher(which)
    spans = [doc[s:e] for _, s, e in m(doc)]
    out = []
    for sp in filter_spans(spans):
        out.append((sp.start_char, sp.end_char, match_key(sp.text)))
    return sorted(out)


# --- quotes -------------------------------------------------------------------------------
def is_open_quote(text: str, i: int) -> bool:
    c = text[i]
    if c in OPEN_QUOTES:
        return True
    if c in STRAIGHT_QUOTES:
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        return (before.isspace() or before in "(:[-–") and not after.isspace()
    return False


def quote_end(text: str, i: int, limit: int) -> int | None:
    """Index of the quote closing the one opened at text[i] (before `limit`), else None."""
    c = text[i]
    if c in OPEN_QUOTES:
        # writers close “ with ” but also with a straight quote ("“Đẩy mạnh … mới"")
        ends = [j for j in (text.find(q, i + 1, limit) for q in (CLOSE_QUOTES[OPEN_QUOTES.index(c)], '"'))
                if j > i + 1]
        return min(ends) if ends else None
    for j in range(i + 1, limit):
        if text[j] == c and not text[j - 1].isspace():  # ': "Nghiên' opens the next one
            after = text[j + 1] if j + 1 < len(text) else " "
            if not after.isalnum():
                return j
    return None


def clean_name(s: str) -> str:
    """A name as the output shows it: no surrounding quotes, spaces or trailing punctuation."""
    s = re.sub(r"\s+", " ", s).strip()
    s = s.strip("“”\"'‘’«» ")
    return re.sub(r"[\s,;:.…]+$", "", s).strip("“”\"'‘’«» ")
