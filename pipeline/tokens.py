"""Words and a spaCy Doc over our own tokens, with offsets into `text` that never drift.

underthesea segments words (`use_token_normalize=False`, so "Hoá" stays "Hoá") and tags POS;
each word is found in `text` by position, never rebuilt from the tokenizer's strings. The spaCy
Doc has one token per syllable (so gazetteer phrases match whatever the word segmenter did),
each carrying its word's POS in `tag_`, its matching key in `norm_`, and `_.wid`, the index of
the word it belongs to. `doc.text == text`, so `span.start_char` is a `text` offset.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.tokens import Doc, Token
from underthesea import word_tokenize
from underthesea.pipeline.pos_tag.model_crf import CRFPOSTagPredictor

from pipeline.keys import match_key
from pipeline.model import Sentence

if not Token.has_extension("wid"):
    Token.set_extension("wid", default=-1)
if not Token.has_extension("word_start"):
    Token.set_extension("word_start", default=False)

_FALLBACK_RE = re.compile(r"\w+(?:[.,/-]\w+)*|[^\w\s]")


@dataclass
class Word:
    start: int
    end: int
    text: str
    pos: str
    sent: int


@lru_cache(maxsize=1)
def nlp() -> spacy.language.Language:
    """A blank pipeline for its vocabulary and matchers (the Vietnamese class would need pyvi)."""
    return spacy.blank("xx")


def _pos_tags(words: list[str]) -> list[str]:
    if not words:
        return []
    return [tag for _, tag in CRFPOSTagPredictor.Instance().predict(words)]


def analyse_words(text: str, sentences: list[Sentence]) -> list[Word]:
    out: list[Word] = []
    for si, sent in enumerate(sentences):
        stext = text[sent.start:sent.end]
        spans: list[tuple[int, int]] = []
        cursor = 0
        for w in word_tokenize(stext, use_token_normalize=False):
            at = stext.find(w, cursor)
            if at < 0 or stext[cursor:at].strip():
                spans = []  # the tokenizer changed the text: fall back to a plain split
                break
            spans.append((at, at + len(w)))
            cursor = at + len(w)
        if not spans:
            spans = [(m.start(), m.end()) for m in _FALLBACK_RE.finditer(stext)]
        strings = [stext[a:b] for a, b in spans]
        for (a, b), w, tag in zip(spans, strings, _pos_tags(strings)):
            out.append(Word(sent.start + a, sent.start + b, w, tag, si))
    return out


def build_doc(text: str, words: list[Word]) -> Doc:
    """Syllable tokens covering all of `text` (text outside sentences is split plainly)."""
    toks: list[tuple[int, int, int, str]] = []  # start, end, word index, pos
    for wi, w in enumerate(words):
        pos = w.start
        for syl in w.text.split(" "):
            if syl:
                toks.append((pos, pos + len(syl), wi, w.pos))
            pos += len(syl) + 1
    covered_end = 0
    filled: list[tuple[int, int, int, str]] = []
    for t in toks + [(len(text), len(text), -2, "")]:
        if t[0] > covered_end:
            for m in _FALLBACK_RE.finditer(text, covered_end, t[0]):
                filled.append((m.start(), m.end(), -1, ""))
        if t[2] != -2:
            filled.append(t)
            covered_end = t[1]
    words_out: list[str] = []
    spaces: list[bool] = []
    meta: list[tuple[int, str, bool]] = []
    pos = 0
    prev_wid = None
    for start, end, wid, tag in filled:
        gap = text[pos:start]
        if gap:
            if gap == " " and words_out:
                spaces[-1] = True
            else:
                if gap.startswith(" ") and words_out and not spaces[-1]:
                    spaces[-1] = True
                    gap = gap[1:]
                if gap:
                    words_out.append(gap)
                    spaces.append(False)
                    meta.append((-1, "_SP", False))
        words_out.append(text[start:end])
        spaces.append(False)
        meta.append((wid, tag, wid >= 0 and wid != prev_wid))
        prev_wid = wid
        pos = end
    tail = text[pos:]
    if tail:
        words_out.append(tail)
        spaces.append(False)
        meta.append((-1, "_SP", False))
    doc = Doc(nlp().vocab, words=words_out, spaces=spaces)
    for tok, (wid, tag, first) in zip(doc, meta):
        tok._.wid = wid
        tok._.word_start = first
        if tag:
            tok.tag_ = tag
        tok.norm_ = match_key(tok.text) or tok.text
    return doc
