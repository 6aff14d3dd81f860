"""Sentences: underthesea's splitter per zone line, with offsets, guarded against bad splits.

underthesea splits after abbreviations ("PGS.TS. Nguyễn Văn A") and leaves a closing quote at
the start of the next sentence; we re-join those. Sentences never cross a zone boundary.

>>> [s for s in sentence_texts("PGS.TS. Nguyễn Văn A nói: \\"Tốt lắm.\\" Rồi đi.")]
['PGS.TS. Nguyễn Văn A nói: "Tốt lắm."', 'Rồi đi.']
"""
from __future__ import annotations

import re

from underthesea import sent_tokenize

from pipeline.gazetteers import Gazetteers, default_gazetteers
from pipeline.model import Sentence, Zone

_CLOSERS = "\"”’)]}»"


def abbreviations(gz: Gazetteers) -> frozenset[str]:
    return gz.memo("abbreviations", lambda g: frozenset(g.list("abbreviations.txt")))


def _split(text: str, base: int, abbrev: frozenset[str]) -> list[tuple[int, int]]:
    """Sentence spans (absolute) of one zone's text."""
    spans: list[list[int]] = []
    cursor = 0
    for piece in sent_tokenize(text):
        piece = piece.strip()
        if not piece:
            continue
        at = text.find(piece, cursor)
        if at < 0:  # the splitter changed the text: keep the rest as one sentence
            break
        spans.append([at, at + len(piece)])
        cursor = at + len(piece)
    if not spans:
        spans = [[0, len(text)]]
    elif spans[-1][1] < len(text.rstrip()):
        rest = text[spans[-1][1]:]
        lead = len(rest) - len(rest.lstrip())
        spans.append([spans[-1][1] + lead, len(text.rstrip())])
    merged: list[list[int]] = []
    for s, e in spans:
        seg = text[s:e]
        if merged:
            prev = text[merged[-1][0]:merged[-1][1]]
            last_word = prev.rsplit(None, 1)[-1] if prev.split() else ""
            # a closing quote or bracket that opens a sentence belongs to the one before it
            m = re.match(r"[" + re.escape(_CLOSERS) + r"]+", seg)
            if m:
                merged[-1][1] = s + m.end()
                s = s + m.end()
                while s < e and text[s].isspace():
                    s += 1
                if s >= e:
                    continue
                seg = text[s:e]
            if (last_word in abbrev or seg[:1].islower()
                    or re.fullmatch(r"(?:[A-ZĐ]\.)+", last_word or "-")):
                merged[-1][1] = e
                continue
        merged.append([s, e])
    return [(base + s, base + e) for s, e in merged]


def split_sentences(text: str, zones: list[Zone], gz: Gazetteers | None = None) -> list[Sentence]:
    """Split every non-furniture zone; a zone holding no sentence break is one sentence."""
    abbrev = abbreviations(gz or default_gazetteers())
    out = []
    for z in zones:
        if z.kind == "furniture":
            continue
        for s, e in _split(text[z.start:z.end], z.start, abbrev):
            if e > s:
                out.append(Sentence(start=s, end=e))
    return out


def sentence_texts(text: str) -> list[str]:
    return [text[s:e] for s, e in _split(text, 0, abbreviations(default_gazetteers()))]
