"""The one word layer: tokens with offsets into `text`, underthesea's words and POS, a spaCy Doc.

underthesea segments words (`use_token_normalize=False`, so "Hoá" stays "Hoá") and tags POS;
each word is found in `text` by position, never rebuilt from the tokenizer's strings. The spaCy
Doc has one token per syllable (so gazetteer phrases match whatever the word segmenter did),
each carrying its word's POS in `tag_`, its matching key in `norm_`, and `_.wid`, the index of
the word it belongs to. `doc.text == text`, so `span.start_char` is a `text` offset.

Every stage reads words through one `WordLayer` (`a.words`): `word_at`, `after`, `before` for
the words around an offset, and `tokens(start, end)` for plain tokens (one regex, `TOKEN_RE`,
keeps a symbol such as "09/CT-TW" or a period "2022-2027" whole) that know the word they start in.

>>> [t.text for t in plain_tokens("Chỉ thị số 09/CT-TW ngày 1/12/2011,", 0, 35)]
['Chỉ', 'thị', 'số', '09/CT-TW', 'ngày', '1/12/2011', ',']
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.tokens import Doc, Token as SpacyToken
from underthesea import word_tokenize
from underthesea.pipeline.pos_tag.model_crf import CRFPOSTagPredictor

from pipeline.keys import match_key
from pipeline.model import Sentence

if not SpacyToken.has_extension("wid"):
    SpacyToken.set_extension("wid", default=-1)
if not SpacyToken.has_extension("word_start"):
    SpacyToken.set_extension("word_start", default=False)

# one plain tokeniser: a word with inner separators ("09/CT-TW", "1/12/2011", "2.500"), an
# ellipsis, or one punctuation mark
TOKEN_RE = re.compile(r"\w+(?:[/.,-]\w+)*|…|\.\.\.|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Token:
    """A stretch of `text`: an underthesea word (with its POS) or a plain token (with the index
    of the word it starts in, -1 when none)."""
    start: int
    end: int
    text: str
    pos: str = ""
    wid: int = -1

    @property
    def key(self) -> str:
        return match_key(self.text)

    @property
    def is_upper(self) -> bool:
        return self.text[:1].isupper()


def plain_tokens(text: str, start: int, end: int) -> list[Token]:
    return [Token(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text, start, end)]


def same_word(a: Token, b: Token) -> bool:
    """"Bí thư", "Chỉ đạo": a lower-case syllable continuing a capitalised word of a name."""
    return a.wid >= 0 and a.wid == b.wid


@lru_cache(maxsize=1)
def nlp() -> spacy.language.Language:
    """A blank pipeline for its vocabulary and matchers (the Vietnamese class would need pyvi).
    Process-wide on purpose: spaCy's string store is shared by every Doc and matcher."""
    return spacy.blank("xx")


def pos_tags(words: list[str]) -> list[str]:
    """POS of words already segmented. underthesea's public `pos_tag` re-segments a string, which
    would move our word boundaries, so its CRF predictor is called on our words directly; the
    class is pinned by the underthesea version range and by tests/test_tokens.py."""
    if not words:
        return []
    return [tag for _, tag in CRFPOSTagPredictor.Instance().predict(words)]


def segment(text: str, sentences: list[Sentence]) -> list[Token]:
    """underthesea's words of every sentence, with POS; a plain split where it rewrote the text."""
    out: list[Token] = []
    for sent in sentences:
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
            spans = [(m.start(), m.end()) for m in TOKEN_RE.finditer(stext)]
        strings = [stext[a:b] for a, b in spans]
        for (a, b), w, tag in zip(spans, strings, pos_tags(strings)):
            out.append(Token(sent.start + a, sent.start + b, w, tag))
    return out


def build_doc(text: str, words: list[Token]) -> Doc:
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
            for m in TOKEN_RE.finditer(text, covered_end, t[0]):
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


class WordLayer:
    """The words of one document and the syllable Doc over them, with look-ups by offset."""

    def __init__(self, text: str, words: list[Token], doc: Doc):
        self.text = text
        self.words = words
        self.doc = doc
        self.starts = [w.start for w in words]
        # character offset of each syllable token -> index of the word it belongs to
        self._wid_at = {t.idx: t._.wid for t in doc}

    @classmethod
    def of(cls, text: str, sentences: list[Sentence]) -> "WordLayer":
        words = segment(text, sentences)
        return cls(text, words, build_doc(text, words))

    def __len__(self) -> int:
        return len(self.words)

    def __iter__(self):
        return iter(self.words)

    def word_at(self, offset: int) -> Token | None:
        """The word starting at `offset`, if the segmenter made one there."""
        i = bisect.bisect_left(self.starts, offset)
        return self.words[i] if i < len(self.starts) and self.starts[i] == offset else None

    def after(self, offset: int, limit: int = 12) -> list[Token]:
        """Up to `limit` words from `offset`; plain tokens where no word starts right there
        (the segmenter glued "10%", or the text lies outside any sentence)."""
        i = bisect.bisect_left(self.starts, offset)
        out = self.words[i:i + limit]
        if not out or self.text[offset:out[0].start].strip():
            stop = out[0].start if out else min(len(self.text), offset + 120)
            plain = [Token(t.start, t.end, t.text, "N" if t.text[0].isalpha() else "CH")
                     for t in plain_tokens(self.text, offset, stop)]
            out = plain[:limit] + (out if out else [])
        return out

    def before(self, offset: int, limit: int = 3) -> list[Token]:
        i = bisect.bisect_left(self.starts, offset)
        return self.words[max(0, i - limit):i]

    def tokens(self, start: int, end: int) -> list[Token]:
        """Plain tokens of text[start:end], each knowing the word it starts in."""
        return [Token(m.start(), m.end(), m.group(), wid=self._wid_at.get(m.start(), -1))
                for m in TOKEN_RE.finditer(self.text, start, end)]
