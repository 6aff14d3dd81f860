"""Gazetteer phrases matched over the syllable Doc (`a.doc`) with spaCy's PhraseMatcher.

Patterns are built from gazetteer strings the way `pipeline.tokens` cuts text (one token per
syllable, punctuation at a word's edge apart, inner punctuation kept: "T.Ư", "GD&ĐT"), and matched
on `NORM` (the `match_key` of each syllable), so "Uỷ viên" and "Ủy viên" meet, and case is ignored.
Callers that care about case (a head word must be capitalised) check `span[0].text` themselves.

>>> from pipeline.tokens import WordLayer
>>> from pipeline.model import Sentence
>>> doc = WordLayer.of("Phó Chủ tịch Hội LHPNVN Bùi Thị Hòa", [Sentence(start=0, end=35)]).doc
>>> m = PhraseTable({"title": ["Thứ trưởng", "Phó Chủ tịch"]})
>>> [(s.label_, s.text) for s in m.longest(doc)]
[('title', 'Phó Chủ tịch')]
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from pipeline.keys import is_acronym, match_key, strip_tones
from pipeline.tokens import nlp

_EDGE_PUNCT = re.compile(r"^([(\[“\"‘]*)(.*?)([)\]”\"’,;:]*)$")


def pattern_words(phrase: str) -> list[str]:
    """Cut a gazetteer phrase like the Doc is cut: "Ủy ban An toàn giao thông (ATGT) quốc gia"."""
    out: list[str] = []
    for chunk in phrase.split():
        lead, core, trail = _EDGE_PUNCT.match(chunk).groups()
        out.extend(lead)
        if core:
            out.append(core)
        out.extend(trail)
    return out


def pattern_doc(phrase: str) -> Doc:
    words = pattern_words(phrase)
    doc = Doc(nlp().vocab, words=words)
    for tok in doc:
        tok.norm_ = match_key(tok.text) or tok.text
    return doc


class PhraseTable:
    """Labelled phrase lists -> one PhraseMatcher on NORM; `longest` keeps non-overlapping matches."""

    def __init__(self, phrases: Mapping[str, Iterable[str]]):
        self.matcher = PhraseMatcher(nlp().vocab, attr="NORM")
        self.labels: set[str] = set()
        for label, items in phrases.items():
            docs = [pattern_doc(p) for p in dict.fromkeys(items) if p.strip()]
            if docs:
                self.matcher.add(label, docs)
                self.labels.add(label)

    def all(self, doc: Doc) -> list[Span]:
        return list(self.matcher(doc, as_spans=True))

    def longest(self, doc: Doc, spans: list[Span] | None = None) -> list[Span]:
        """Longest first, then leftmost; overlapping shorter matches are dropped."""
        found = self.all(doc) if spans is None else spans
        found.sort(key=lambda s: (-(s.end - s.start), s.start))
        taken: set[int] = set()
        out = []
        for s in found:
            if taken.isdisjoint(range(s.start, s.end)):
                out.append(s)
                taken.update(range(s.start, s.end))
        return sorted(out, key=lambda s: s.start)

    def starting_at(self, doc: Doc, spans: list[Span] | None = None) -> dict[int, Span]:
        """Longest match starting at each token index."""
        out: dict[int, Span] = {}
        for s in self.all(doc) if spans is None else spans:
            if s.start not in out or s.end > out[s.start].end:
                out[s.start] = s
        return out

    def ending_at(self, doc: Doc, spans: list[Span] | None = None) -> dict[int, Span]:
        """Longest match ending at each token index (exclusive end)."""
        out: dict[int, Span] = {}
        for s in self.all(doc) if spans is None else spans:
            if s.end not in out or s.start < out[s.end].start:
                out[s.end] = s
        return out


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of phrases, longest first, any run of white space between words:
    ["tháng", "6 tháng"] -> "6\\s+tháng|tháng"."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def trie_alternation(words: Iterable[str]) -> str:
    """A regex matching the same phrases as `alternation(words)`, written as a tree of their common
    prefixes, so the engine follows one branch per character instead of trying every phrase. Where
    two phrases both match, which one wins may differ from `alternation`'s longest-first: use it
    where only whether a phrase starts here matters (a look-ahead).

    >>> trie_alternation(["ngày", "ngày đăng", "năm"])
    'n(?:gày(?:\\\\s+đăng)?|ăm)'
    """
    root: dict[str, dict] = {}
    for w in words:
        node = root
        for part in re.split(r"(\s+)", w.strip()):
            for piece in ([r"\s+"] if part.isspace() else [re.escape(c) for c in part]):
                node = node.setdefault(piece, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [piece + emit(child) for piece, child in node.items() if piece]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


class PhraseList:
    """Phrases as sequences of matching keys, looked up at a position of a token list (anything
    with a `.key`: `pipeline.tokens.Token`).

    >>> from pipeline.tokens import plain_tokens
    >>> pl = PhraseList(["của", "do", "ban hành bởi"])
    >>> pl.at(plain_tokens("được ban hành bởi Bộ", 0, 20), 1)
    3
    """

    def __init__(self, phrases: Iterable[str]):
        seqs = {tuple(match_key(str(p)).split()) for p in phrases if str(p).strip()}
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        self.by_last: dict[str, list[tuple[str, ...]]] = {}
        for ph in sorted(seqs, key=len, reverse=True):
            self.by_first.setdefault(ph[0], []).append(ph)
            self.by_last.setdefault(ph[-1], []).append(ph)

    def at(self, toks: Sequence, i: int) -> int:
        """Length in tokens of the longest phrase starting at toks[i], else 0."""
        if not 0 <= i < len(toks):
            return 0
        for ph in self.by_first.get(toks[i].key, ()):
            n = len(ph)
            if i + n <= len(toks) and all(toks[i + k].key == ph[k] for k in range(1, n)):
                return n
        return 0

    def before(self, toks: Sequence, i: int) -> int:
        """Length of the longest phrase ending right before toks[i], else 0."""
        if not 0 < i <= len(toks):
            return 0
        for ph in self.by_last.get(toks[i - 1].key, ()):
            n = len(ph)
            if i - n >= 0 and all(toks[i - n + k].key == ph[k] for k in range(n - 1)):
                return n
        return 0


def is_capitalised(text: str) -> bool:
    """"Công", "LHPN", "T.Ư" yes; "công", "," no."""
    return bool(text) and text[0].isupper()


_SYLLABLE_RE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?")


def is_vietnamese_syllable(text: str) -> bool:
    """Shaped like one Vietnamese syllable: onset, one to three vowels, coda ("Thuỷ", "NGHIÊNG",
    "Y"); "POWERED", "ONECMS" and "Ksor" are not.

    >>> [is_vietnamese_syllable(w) for w in ("Nguyễn", "Khuê", "QUÝ", "Powered", "NEKO", "Ksor")]
    [True, True, True, False, False, False]
    """
    return bool(_SYLLABLE_RE.fullmatch(strip_tones(text)))


def is_ethnic_syllable(text: str) -> bool:
    """A name syllable with an inner apostrophe, as Ê Đê and M'nông names write them: "H'Liên", "K'Ré"."""
    for q in ("'", "’"):
        k = text.find(q)
        if 0 < k < len(text) - 1 and text[0].isupper() and text[k + 1].isupper():
            return True
    return False


def person_starts_at(doc: Doc, i: int, surnames: frozenset[str], ethnic: frozenset[str] = frozenset()) -> bool:
    """A personal name opens at token i: a family name ("Trần Văn Thời"), or, when `ethnic` is given,
    an Ê Đê/Jrai prefix ("Y Thuận Ênuôl") or an apostrophe syllable ("H'Liên Mlô"), then a capital."""
    if i + 1 >= len(doc) or not is_capitalised(doc[i].text):
        return False
    nxt = doc[i + 1]
    follows = is_capitalised(nxt.text) and not nxt.is_punct and not is_acronym(nxt.text)
    if doc[i].norm_ in surnames and follows:
        return True
    if not ethnic:
        return False
    if is_ethnic_syllable(doc[i].text):
        return True
    return doc[i].norm_ in ethnic and follows
