"""Shared pieces for the legal-document and programme stages: heads, marker words, quotes.

Heads (document types, programme head words) come from `gazetteers/doc_types.tsv` and
`gazetteers/program_kinds.tsv` and are found with a `PhraseTable` over the NORM of `a.doc`
(our own syllable tokens, so "Uỷ"/"Ủy" and case never matter). What follows a head is read
with `a.words.tokens(...)`: plain tokens with `text` offsets, where a symbol such as
"09/CT-TW" or a period "2022-2027" stays one token. Marker words are the lists of
`gazetteers/reference_patterns.yaml`, looked up with `ReferenceLexicon.at` / `.before`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.util import filter_spans

from pipeline.gazetteers import Gazetteers
from pipeline.keys import match_key
from pipeline.matching import PhraseList, PhraseTable
from pipeline.tokens import Token

YEAR_RE = re.compile(r"(?:19|20)\d\d(?:\s*[-–—]\s*(?:19|20)\d\d)?")

# Quotes, as the normaliser leaves them ("«" becomes "“"): the typographic pairs, and the straight
# quotes that open a name only at a word's start
OPEN_QUOTES = "“‘"
CLOSE_QUOTES = "”’"
STRAIGHT_QUOTES = "\"'"
QUOTE_CHARS = OPEN_QUOTES + CLOSE_QUOTES + STRAIGHT_QUOTES
QUOTE_OPENERS = OPEN_QUOTES + STRAIGHT_QUOTES  # a token that may open a quoted name


@dataclass(frozen=True)
class DocType:
    type: str
    aliases: tuple[str, ...]
    needs: str  # "number" | "either" | "name"
    program_kind: str | None
    codes: tuple[str, ...] = ()  # the type's codes inside a symbol ("QĐ" in "45/QĐ-TTr")


@dataclass(frozen=True)
class ProgramHead:
    head: str
    kind: str | None  # None: not a programme ("chương trình phối hợp" is a document)
    unquoted: str  # phrase | counted | legal | none
    numbered: bool


def _split(cell: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in cell.split(",") if c.strip())


class ReferenceLexicon:
    """Document types, programme heads and marker-word lists, built once per gazetteers object."""

    def __init__(self, gz: Gazetteers):
        # key of the spelled-out type -> DocType ("kế hoạch phối hợp" -> Kế hoạch phối hợp)
        self.doc_types = {match_key(r["type"]): DocType(r["type"], _split(r["aliases"]), r["needs"],
                                                        r["program_kind"] or None, _split(r["codes"]))
                          for r in gz.tsv("doc_types.tsv")}
        self.program_heads = {match_key(r["head"]): ProgramHead(r["head"], None if r["kind"] == "-" else r["kind"],
                                                                r["unquoted"], r["numbered"] == "yes")
                              for r in gz.tsv("program_kinds.tsv")}
        self.raw = gz.yaml("reference_patterns.yaml")
        self.lists = {name: PhraseList(items) for name, items in self.raw.items()}
        self._heads = {"doc": PhraseTable({k: [k] for k in self.doc_types}),
                       "program": PhraseTable({k: [k] for k in self.program_heads})}
        self.alias_types = {al: dt.type for dt in self.doc_types.values() for al in dt.aliases}

    def at(self, toks: list[Token], i: int, list_name: str) -> int:
        """Length in tokens of the longest phrase of `list_name` starting at toks[i], else 0."""
        return self.lists[list_name].at(toks, i)

    def before(self, toks: list[Token], i: int, list_name: str) -> int:
        """Length of the longest phrase of `list_name` ending right before toks[i], else 0."""
        return self.lists[list_name].before(toks, i)

    def in_list(self, list_name: str, phrase: str) -> bool:
        return tuple(match_key(phrase).split()) in {ph for phs in self.lists[list_name].by_first.values() for ph in phs}

    def find_heads(self, doc, which: str) -> list[tuple[int, int, str]]:
        """(start_char, end_char, key) of each longest head ("doc" types or "program" heads)."""
        spans = self._heads[which].all(doc)
        return sorted((sp.start_char, sp.end_char, sp.label_) for sp in filter_spans(spans))


def lexicon(gz: Gazetteers) -> ReferenceLexicon:
    return gz.memo("references", ReferenceLexicon)


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
    s = s.strip(QUOTE_CHARS + " ")
    return re.sub(r"[\s,;:.…]+$", "", s).strip(QUOTE_CHARS + " ")
