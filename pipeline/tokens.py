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
from array import array
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import joblib
import numpy
import spacy
import underthesea.pipeline.word_tokenize as underthesea_ws
from spacy.tokens import Doc, Token as SpacyToken
import underthesea.pipeline.pos_tag.model_crf as pos_model_module
from underthesea.pipeline.text_normalize.character_normalize import normalize_characters_in_text
from underthesea.pipeline.word_tokenize import regex_tokenize

from pipeline import crf
from pipeline.keys import match_key
from pipeline.model import Sentence


# one plain tokeniser: a word with inner separators ("09/CT-TW", "1/12/2011", "2.500"), an
# ellipsis, or one punctuation mark
TOKEN_RE = re.compile(r"\w+(?:[/.,-]\w+)*|…|\.\.\.|[^\w\s]")


class Token(NamedTuple):
    """A stretch of `text`: an underthesea word (with its POS) or a plain token (with the index
    of the word it starts in, -1 when none). A named tuple: immutable like a frozen dataclass and
    made in a third of its time (a report makes tens of thousands; measured)."""
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


class PlainTokens:
    """`TOKEN_RE`'s tokens of a whole text, scanned once. A stretch's tokens are a slice of them
    when neither end of the stretch falls inside a token: that is what a scan of the stretch alone
    gives (the pattern has no anchors or look-arounds, so a match that ends inside the stretch is the
    same match either way); otherwise the stretch is scanned."""

    def __init__(self, text: str):
        self.text = text
        # offsets only, 4 bytes each (a 400,000-character report has 90,000 tokens: as tuples of
        # offsets and text they took 18 MB, measured); a stretch's tuples are made when asked for
        self.starts = array("i")
        self.ends = array("i")
        for m in TOKEN_RE.finditer(text):
            a, b = m.span()
            self.starts.append(a)
            self.ends.append(b)

    def between(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """(start, end, text) of the tokens of text[start:end], as `TOKEN_RE.finditer(text, start, end)`."""
        starts, ends, text = self.starts, self.ends, self.text
        i = bisect.bisect_left(starts, start)
        j = bisect.bisect_left(starts, end, i)
        if (i > 0 and ends[i - 1] > start) or (j > i and ends[j - 1] > end):
            return [(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text, start, end)]
        return [(a, b, text[a:b]) for a, b in zip(starts[i:j], ends[i:j])]


def same_word(a: Token, b: Token) -> bool:
    """"Bí thư", "Chỉ đạo": a lower-case syllable continuing a capitalised word of a name."""
    return a.wid >= 0 and a.wid == b.wid


@lru_cache(maxsize=1)
def nlp() -> spacy.language.Language:
    """A blank pipeline for its vocabulary and matchers (the Vietnamese class would need pyvi).
    Process-wide on purpose: spaCy's string store is shared by every Doc and matcher."""
    return spacy.blank("xx")


def pos_tags(words: list[str]) -> list[str]:
    """POS of words already segmented, by underthesea's CRF POS model (pos_crf_2017_10_11)."""
    return pos_tags_many([words])[0]


def pos_tags_many(sequences: list[list[str]]) -> list[list[str]]:
    """`pos_tags` of each sequence, the CRF run on all of them at once.

    underthesea's public `pos_tag` re-segments a string, which would move our word boundaries, and
    its feature templating rebuilds every column for every feature of every word (quadratic in the
    sentence; 64% of the whole pipeline's time, measured). Here its templates read columns of values
    (`pos_ids`) through `crf.ColumnTagger`, with the model's own file and template list. The
    equality with underthesea's predictor is pinned by tests/test_tokens.py for the installed version."""
    tagger = _pos_tagger()
    tagged: list[list[str]] = []
    for group in batches([words for words in sequences if words]):
        layout = crf.Batch([len(words) for words in group], _POS_PAD)
        tagged += tagger.tag_columns(layout, pos_ids(tagger, layout, group))
    found = iter(tagged)
    return [next(found) if words else [] for words in sequences]


SPAN_CACHE_TOKENS = 50_000  # plain tokens a word layer keeps for spans read twice (see WordLayer.tokens)

# items per CRF batch: the cost of a batch is mostly in its steps, which a few thousand items share;
# its memory (a POS batch holds 800 bytes of weights per item while it scores) grows with the items
BATCH_ITEMS = 4096


def batches(sequences: list[list[str]], limit: int = BATCH_ITEMS) -> list[list[list[str]]]:
    """Consecutive groups of sequences of at most `limit` items in all (a longer sequence alone)."""
    out: list[list[list[str]]] = []
    size = limit
    for seq in sequences:
        if size + len(seq) > limit:
            out.append([])
            size = 0
        out[-1].append(seq)
        size += len(seq)
    return out


_POS_PAD = 3


# underthesea's POS templates (CRFPOSTagPredictor builds them in its constructor, which also loads
# the model into its own compiled tagger: 5 MB more per worker); tests/test_tokens.py pins them equal
POS_TEMPLATES = (
    "T[-2].lower", "T[-1].lower", "T[0].lower", "T[1].lower", "T[2].lower",
    "T[0].istitle", "T[-1].istitle", "T[1].istitle",
    "T[-2]", "T[-1]", "T[0]", "T[1]", "T[2]",
    "T[-2,-1]", "T[-1,0]", "T[0,1]", "T[1,2]",
    "T[-3][1]", "T[-2][1]", "T[-1][1]",
    "T[-3,-2][1]", "T[-2,-1][1]",
)


@lru_cache(maxsize=1)
def _pos_tagger() -> crf.ColumnTagger:
    return crf.ColumnTagger(crf.CRFModel.read(Path(pos_model_module.__file__).parent / "pos_crf_2017_10_11.bin"),
                            _templates(list(POS_TEMPLATES)), _POS_PAD)


def pos_ids(tagger: crf.ColumnTagger, layout: crf.Batch, sequences: list[list[str]]) -> dict[str, numpy.ndarray]:
    """The columns underthesea's POS templates read, for a batch: words, their lower case and pairs,
    whether every part of a word opens with a title-case letter, and the tag columns of an untagged
    sentence ("X", "X X")."""
    flat = layout.flat(sequences)
    return {
        "1": tagger.encode("1", flat),
        "1.lower": tagger.encode("1.lower", [w.lower() for w in flat]),
        "2": tagger.encode("2", [a + " " + b for a, b in zip(flat, flat[1:])] + [""]),
        "1.istitle": tagger.encode_flags("1.istitle", [_istitle(w) for w in flat]),
        "1[1]": numpy.full(layout.total, tagger.code("1[1]", "X"), dtype=numpy.intp),
        "2[1]": numpy.full(layout.total, tagger.code("2[1]", "X X"), dtype=numpy.intp),
    }


def _istitle(word: str) -> bool:
    """underthesea's `text_istitle`: every space-separated part opens with a title-case letter."""
    if " " not in word:
        return word[:1].istitle()
    try:
        return all(part[0].istitle() for part in word.split(" "))
    except IndexError:
        return False


# Where words matter: underthesea segments only windows around these syllables, and each window is
# a unit of POS tagging; every other syllable is a word of its own. Measured on the shared reports,
# windows hold about half the text. A capitalised syllable opens a name whose lower-case syllables
# continue a word ("Sở Giáo dục", "Đảng đoàn"); a number is followed by its counted noun.
WINDOW_BEFORE = 2        # syllables of context before a trigger
WINDOW_AFTER_NAME = 3    # after a capitalised syllable
WINDOW_AFTER_NUMBER = 12  # after a number or a number word: the unit and the words the figures stage reads
# words after a number whose POS a stage reads: the figures stage's counted noun ("85 nguồn tin"),
# which reads the POS of six words at most (`figures._unit`); the first POS request tags their units
POS_READ_AFTER_NUMBER = 6


def windows(plain: PlainTokens, sentences: list[Sentence], number_words: frozenset[str],
            numbers: list[int] | None = None) -> list[tuple[int, int]]:
    """Character spans to segment: around every capitalised syllable, digit and number word,
    merged, never across a sentence (the offset of each number and number word is added to
    `numbers` when given)."""
    out: list[tuple[int, int]] = []
    for sent in sentences:
        toks = plain.between(sent.start, sent.end)
        marked = [False] * len(toks)
        for k, (at, _, w) in enumerate(toks):
            c = w[0]
            if c.isdigit() or w.lower() in number_words:
                after = WINDOW_AFTER_NUMBER
                if numbers is not None:
                    numbers.append(at)
            elif c.isupper():
                after = WINDOW_AFTER_NAME
            else:
                continue
            for x in range(max(0, k - WINDOW_BEFORE), min(len(toks), k + 1 + after)):
                marked[x] = True
        k = 0
        while k < len(toks):
            if marked[k]:
                e = k
                while e < len(toks) and marked[e]:
                    e += 1
                out.append((toks[k][0], toks[e - 1][1]))
                k = e
            else:
                k += 1
    return out


def segment(text: str, sentences: list[Sentence], number_words: frozenset[str] = frozenset(),
            plain: PlainTokens | None = None, numbers: list[int] | None = None) -> tuple[list[Token], list[int]]:
    """Words of every sentence: underthesea's inside the windows, a syllable each outside them
    (POS not yet read); and where each window's (or plain stretch's) words begin in the list."""
    out: list[Token] = []
    firsts: list[int] = []
    plain = plain or PlainTokens(text)
    spans = windows(plain, sentences, number_words, numbers)
    segmented = segment_words_many([text[a:b] for a, b in spans])
    wi = 0
    for sent in sentences:
        pos = sent.start
        while pos < sent.end:
            if wi < len(spans) and spans[wi][0] < sent.end and spans[wi][0] <= pos + 0:
                a, b = spans[wi]
                firsts.append(len(out))
                out.extend(_segmented(text, a, b, segmented[wi]))
                pos, wi = b, wi + 1
                continue
            stop = spans[wi][0] if wi < len(spans) and spans[wi][0] < sent.end else sent.end
            stretch = [Token(a, b, t) for a, b, t in plain.between(pos, stop)]
            if stretch:
                firsts.append(len(out))
                out.extend(stretch)
            pos = stop
    return out, firsts


def _segmented(text: str, a: int, b: int, words: list[str]) -> list[Token]:
    """underthesea's words of text[a:b], found in the text by position (a plain split where the
    tokenizer rewrote the text)."""
    chunk = text[a:b]
    spans: list[tuple[int, int]] = []
    cursor = 0
    for w in words:
        at = chunk.find(w, cursor)
        if at < 0 or chunk[cursor:at].strip():
            spans = []
            break
        spans.append((at, at + len(w)))
        cursor = at + len(w)
    if not spans:
        spans = [(m.start(), m.end()) for m in TOKEN_RE.finditer(chunk)]
    return [Token(a + x, a + y, chunk[x:y]) for x, y in spans]


def segment_words(chunk: str) -> list[str]:
    """underthesea's `word_tokenize(chunk, use_token_normalize=False)`, word for word."""
    return segment_words_many([chunk])[0]


def segment_words_many(chunks: list[str]) -> list[list[str]]:
    """`segment_words` of each chunk, the CRF run on all of them at once: underthesea's syllable
    tokenizer and its segmentation model (ws_crf_vlsp2013_20230727), the model's 43 features read as
    twelve columns of values (`segment_ids`) by `crf.ColumnTagger`. The equality with
    underthesea is pinned by tests/test_tokens.py for the installed version."""
    syllables = [syllables_of(chunk) for chunk in chunks]
    seg = _segmenter()
    tagged: list[list[str]] = []
    for group in batches([s for s in syllables if s]):
        layout = crf.Batch([len(s) for s in group], _SEGMENT_PAD)
        tagged += seg.tagger.tag_columns(layout, segment_ids(seg, layout, group))
    tags = iter(tagged)
    out: list[list[str]] = []
    for syls in syllables:
        words: list[str] = []
        if syls:
            for tag, syl in zip(next(tags), syls):
                if tag == "I-W" and words:
                    words[-1] = words[-1] + " " + syl
                else:
                    words.append(syl)
        out.append(words)
    return out


def syllables_of(chunk: str) -> list[str]:
    """underthesea's syllable tokenizer (`regex_tokenize.tokenize`, no token normalisation): each
    alternative of its pattern is one named group, so a match's text is the token it would pick
    out of `groupdict()`; its pattern without capturing groups (it has no back-references, so it
    matches the same) lets `findall` return those texts directly, at a third of the cost of match
    objects and groupdict (equality pinned by tests/test_tokens.py)."""
    return _syllable_re().findall(normalize_characters_in_text(chunk))


@lru_cache(maxsize=1)
def _syllable_re() -> re.Pattern[str]:
    return re.compile(without_groups(regex_tokenize.patterns.pattern), regex_tokenize.patterns.flags)


def without_groups(pattern: str) -> str:
    """`pattern` with every capturing group, named or not, made non-capturing (escapes, character
    classes and other (?...) constructs left alone).

    >>> without_groups(r"(?P<a>x+)|(y)|[(]|\\(|(?=z)|[^]()]")
    '(?:x+)|(?:y)|[(]|\\\\(|(?=z)|[^]()]'
    """
    if re.search(r"\(\?P=|\\[1-9]", pattern):
        raise ValueError("a pattern with back-references needs its groups")
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    while i < n:
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]"
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            j = i + 1
            if j < n and pattern[j] == "^":
                j += 1
            if j < n and pattern[j] == "]":  # a "]" first in a class is a member
                j += 1
            out.append(pattern[i:j])
            i = j
            continue
        if c == "(":
            if pattern.startswith("(?P<", i):
                out.append("(?:")
                i = pattern.index(">", i) + 1
                continue
            out.append("(" if pattern.startswith("(?", i) else "(?:")
            i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _templates(names: list[str]) -> list[crf.Template]:
    """underthesea's template names as column reads: "T[-2,-1].lower" reads the column of lower-case
    pairs ("2.lower") two items back; "T[-3][1]" the column of (untagged) tags ("1[1]")."""
    out = []
    for name in names:
        m = re.fullmatch(r"T\[(-?\d+)(?:,(-?\d+))?\](.*)", name)
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        width = last - first + 1
        out.append(crf.Template(name, f"{width}{m.group(3)}", first, width))
    return out


_INT32 = re.compile(r"[+-]?[0-9]+\Z")
_INTEGER_START = frozenset("+-0123456789")  # what _INT32 can start with: most syllables skip the regex
_SEGMENT_PAD = 2


@dataclass(frozen=True)
class Segmenter:
    """underthesea's word segmentation CRF, the dictionary its features look words up in, and what a
    triple the model knows, or a dictionary entry, can start with (to each of its spaces): most
    triples of a text are neither, and are never built."""
    tagger: crf.ColumnTagger
    dictionary: frozenset[str]
    triple_heads: frozenset[str]
    dictionary_heads: frozenset[str]
    # what the templates read of one syllable alone, memoised (a few thousand syllables make most of
    # Vietnamese text): lower case, ids of "1" and "1.lower", integer, title case, in the dictionary
    facts: dict[str, tuple[str, int, int, bool, bool, bool]] = field(default_factory=dict)

    def syllable_facts(self, w: str) -> tuple[str, int, int, bool, bool, bool]:
        low = w.lower()
        made = (low, self.tagger.code("1", w), self.tagger.code("1.lower", low),
                w[0] in _INTEGER_START and _INT32.match(w) is not None and -2**31 <= int(w) < 2**31,
                w[:1].upper() == w[:1], low in self.dictionary)
        if len(self.facts) >= FACTS_KEPT:
            self.facts.clear()
        self.facts[w] = made
        return made


def _heads(values) -> frozenset[str]:
    """Each value's beginnings up to a space, those holding a space themselves: what a pair ("x y")
    must be for the pair, a space and one more syllable to be the value."""
    out: set[str] = set()
    for v in values:
        parts = v.split(" ")
        for k in range(2, len(parts)):
            out.add(" ".join(parts[:k]))
    return frozenset(out)


def _model_data(path: Path):
    """A data file of underthesea's model (written by joblib): these are plain pickles, which the C
    unpickler reads 5 times faster than joblib's Python one (0.1 -> 0.02 s for the dictionary, in
    every worker's start-up); joblib reads whatever the plain unpickler cannot."""
    import pickle

    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, ValueError):
        return joblib.load(path)


@lru_cache(maxsize=1)
def _segmenter() -> Segmenter:
    folder = Path(underthesea_ws.__file__).parent / "models" / "ws_crf_vlsp2013_20230727"
    tagger = crf.ColumnTagger(crf.CRFModel.read(folder / "models.bin"),
                              _templates(_model_data(folder / "features.bin")), _SEGMENT_PAD)
    dictionary = frozenset(_model_data(folder / "dictionary.bin"))
    return Segmenter(tagger, dictionary, _heads(tagger.columns["3"][0]), _heads(dictionary))


FACTS_KEPT = 20_000  # syllables whose facts a segmenter keeps, then it starts again (3 MB at most)


def segment_ids(seg: Segmenter, layout: crf.Batch, syllables: list[list[str]]) -> dict[str, numpy.ndarray]:
    """The columns the segmentation templates read, for a whole batch of syllable sequences:
    syllables and their pairs and triples, the same in lower case, whether a syllable is an integer
    (a 32-bit one, as Rust parses it), whether syllables open with a letter that upper-casing leaves
    alone (T[..].istitle: all of an n-gram's), and whether lower-case n-grams are in the model's
    dictionary. Built over the batch laid end to end: the values an n-gram takes across a
    sequence's edge are never read (the tagger writes BOS / EOS there)."""
    tagger, dictionary = seg.tagger, seg.dictionary
    flat = layout.flat(syllables)
    known, make = seg.facts.get, seg.syllable_facts
    low, ids, low_ids, digit, title_flags, in_dict = zip(*[known(w) or make(w) for w in flat])
    pairs = [a + " " + b for a, b in zip(flat, flat[1:])] + [""]
    low_pairs = [a + " " + b for a, b in zip(low, low[1:])] + [""]
    heads, known_heads = seg.dictionary_heads, seg.triple_heads
    title = numpy.array(title_flags, dtype=bool)
    title2 = numpy.append(title[:-1] & title[1:], False)
    title3 = numpy.append(title2[:-2] & title[2:], [False, False])
    return {
        "1": numpy.array(ids, dtype=numpy.intp),
        "2": tagger.encode("2", pairs),
        "3": tagger.encode("3", [a + " " + b if a in known_heads else None for a, b in zip(pairs, flat[2:])]
                           + [None, None]),
        "1.lower": numpy.array(low_ids, dtype=numpy.intp),
        "2.lower": tagger.encode("2.lower", low_pairs),
        "1.isdigit": tagger.encode_flags("1.isdigit", digit),
        "1.istitle": tagger.encode_flags("1.istitle", title),
        "2.istitle": tagger.encode_flags("2.istitle", title2),
        "3.istitle": tagger.encode_flags("3.istitle", title3),
        "1.is_in_dict": tagger.encode_flags("1.is_in_dict", in_dict),
        "2.is_in_dict": tagger.encode_flags("2.is_in_dict", [x in dictionary for x in low_pairs]),
        "3.is_in_dict": tagger.encode_flags("3.is_in_dict", [
            a in heads and a + " " + b in dictionary for a, b in zip(low_pairs, low[2:])] + [False, False]),
    }


_NORMED: set[str] = set()  # token texts whose lexeme carries its matching key
NORMED_KEPT = 100_000       # then the record starts again (setting a NORM twice is harmless): a
                            # worker reading random text for hours must not grow without end


def _set_norms(texts: list[str]) -> None:
    """Each token text's matching key as its lexeme's NORM, once per text: tokens read NORM from
    their lexeme, so a Doc needs no NORM of its own (a report repeats its syllables, and the key
    costs five regex passes)."""
    vocab = nlp().vocab
    new = set(texts).difference(_NORMED)
    if len(_NORMED) + len(new) > NORMED_KEPT:
        _NORMED.clear()
    for t in new:
        vocab[t].norm_ = match_key(t) or t
        _NORMED.add(t)


def _wid(tok: SpacyToken) -> int:
    return tok.doc.user_data["wid"][tok.i]


def _word_start(tok: SpacyToken) -> bool:
    return tok.doc.user_data["word_start"][tok.i]


# token._.wid / ._.word_start read arrays kept on the Doc: setting an extension value on every
# token was a tenth of the whole pipeline (measured), reading one is rare
SpacyToken.set_extension("wid", getter=_wid, force=True)
SpacyToken.set_extension("word_start", getter=_word_start, force=True)


def build_doc(text: str, words: list[Token]) -> tuple[Doc, list[int], list[int]]:
    """Syllable tokens covering all of `text` (text outside sentences is split plainly), with the
    index of the word each belongs to (-1: none) and each token's character offset."""
    # syllables of the words (start, end, word index), with plain tokens for what lies between words
    # unless it is only white space (most is one space)
    filled: list[tuple[int, int, int]] = []
    put = filled.append
    covered = 0
    for wi, w in enumerate(words):
        at = w.start
        if at > covered and not text[covered:at].isspace():
            for m in TOKEN_RE.finditer(text, covered, at):
                put((m.start(), m.end(), -1))
        for syl in w.text.split(" "):
            if syl:
                put((at, at + len(syl), wi))
                covered = at + len(syl)
            at += len(syl) + 1
    if len(text) > covered and not text[covered:].isspace():
        for m in TOKEN_RE.finditer(text, covered, len(text)):
            put((m.start(), m.end(), -1))
    words_out: list[str] = []
    spaces: list[bool] = []
    wids: list[int] = []
    starts: list[bool] = []
    offsets: list[int] = []
    pos = 0
    prev_wid = None
    for start, end, wid in filled:
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
                    wids.append(-1)
                    starts.append(False)
                    offsets.append(start - len(gap))
        words_out.append(text[start:end])
        spaces.append(False)
        wids.append(wid)
        starts.append(wid >= 0 and wid != prev_wid)
        offsets.append(start)
        prev_wid = wid
        pos = end
    tail = text[pos:]
    if tail:
        words_out.append(tail)
        spaces.append(False)
        wids.append(-1)
        starts.append(False)
        offsets.append(pos)
    _set_norms(words_out)
    doc = Doc(nlp().vocab, words=words_out, spaces=spaces)
    doc.user_data["wid"] = wids
    doc.user_data["word_start"] = starts
    doc.user_data["texts"] = words_out
    doc.user_data["offsets"] = offsets
    return doc, wids, offsets


class WordLayer:
    """The words of one document and the syllable Doc over them, with look-ups by offset.

    POS waits for a stage to read it (the words after a number, the word after a year); then the
    units holding those words are tagged in one batch, and the rest never (see `_tag`)."""

    def __init__(self, text: str, words: list[Token], firsts: list[int], doc: Doc, wids: list[int],
                 offsets: list[int], numbers: list[int] = ()):
        self.text = text
        self.words = words
        self.doc = doc
        self.syllables: list[str] = doc.user_data["texts"]  # the text of each token of `doc`
        self.starts = [w.start for w in words]
        self._firsts = firsts
        self._numbers = numbers  # offsets of the numbers and number words (where POS is read after)
        self._untagged: set[int] | None = None  # units not yet POS-tagged (None: none tagged yet)
        # character offset of each syllable token -> index of the word it belongs to
        self._wid_at = dict(zip(offsets, wids))
        self.offsets = offsets  # the character offset of each token of `doc`
        self._spans: dict[tuple[int, int], tuple[Token, ...]] = {}
        self._plain: PlainTokens | None = None
        self._cached = 0  # tokens kept in _spans

    @classmethod
    def of(cls, text: str, sentences: list[Sentence], number_words: frozenset[str] = frozenset()) -> "WordLayer":
        plain = PlainTokens(text)
        numbers: list[int] = []
        words, firsts = segment(text, sentences, number_words, plain, numbers)
        doc, wids, offsets = build_doc(text, words)
        layer = cls(text, words, firsts, doc, wids, offsets, numbers)
        layer._plain = plain
        return layer

    def __len__(self) -> int:
        return len(self.words)

    def __iter__(self):
        return iter(self.words)

    def _tag(self, lo: int, hi: int) -> None:
        """POS for words[lo:hi]: each unit they belong to (a window or a plain stretch) is tagged
        whole, on its own. The first call also tags, in the same batch, the units of the words after
        every number (where the figures and dates stages read): the CRF's cost is in its steps,
        which a batch shares. Units nobody reads are never tagged."""
        if lo >= hi:
            return
        firsts, words = self._firsts, self.words
        if self._untagged is None:
            self._untagged = set(range(len(firsts)))
            wanted = set()
            for at in self._numbers:
                k = max(0, bisect.bisect_right(self.starts, at) - 1)  # the word holding the number
                u = bisect.bisect_right(firsts, k) - 1
                while u < len(firsts) and firsts[u] < k + POS_READ_AFTER_NUMBER:
                    wanted.add(u)
                    u += 1
        else:
            wanted = set()
        u = max(0, bisect.bisect_right(firsts, lo) - 1)
        while u < len(firsts) and firsts[u] < hi:
            wanted.add(u)
            u += 1
        units = sorted(wanted & self._untagged)
        if not units:
            return
        self._untagged.difference_update(units)
        bounds = [(firsts[u], firsts[u + 1] if u + 1 < len(firsts) else len(words)) for u in units]
        for (a, _), tags in zip(bounds, pos_tags_many([[w.text for w in words[a:b]] for a, b in bounds])):
            for k, tag in enumerate(tags, a):
                w = words[k]
                words[k] = Token(w.start, w.end, w.text, tag, w.wid)

    def doc_span(self, start: int, end: int) -> tuple[int, int] | None:
        """[first, last + 1) of the syllable tokens of `doc` that cover text[start:end] exactly:
        one starts at `start` and one ends at `end`; None when a token edge is not there."""
        offsets = self.offsets
        i = bisect.bisect_left(offsets, start)
        k = bisect.bisect_left(offsets, end) - 1
        if i >= len(offsets) or offsets[i] != start or k < 0:
            return None
        last = self.doc[k]
        return (i, k + 1) if last.idx + len(last.text) == end else None

    def word_at(self, offset: int) -> Token | None:
        """The word starting at `offset`, if the segmenter made one there."""
        i = bisect.bisect_left(self.starts, offset)
        if i < len(self.starts) and self.starts[i] == offset:
            self._tag(i, i + 1)
            return self.words[i]
        return None

    def after(self, offset: int, limit: int = 12, tagged: int | None = None) -> list[Token]:
        """Up to `limit` words from `offset`, the first `tagged` (all by default) with their POS;
        plain tokens where no word starts right there (the segmenter glued "10%", or the text lies
        outside any sentence)."""
        i = bisect.bisect_left(self.starts, offset)
        self._tag(i, i + min(limit, limit if tagged is None else tagged))
        out = self.words[i:i + limit]
        if not out or self.text[offset:out[0].start].strip():
            stop = out[0].start if out else min(len(self.text), offset + 120)
            plain = [Token(t.start, t.end, t.text, "N" if t.text[0].isalpha() else "CH")
                     for t in plain_tokens(self.text, offset, stop)]
            out = plain[:limit] + (out if out else [])
        return out

    def before(self, offset: int, limit: int = 3, pos: bool = False) -> list[Token]:
        """Up to `limit` words ending before `offset` (their POS only when asked for)."""
        i = bisect.bisect_left(self.starts, offset)
        if pos:
            self._tag(max(0, i - limit), i)
        return self.words[max(0, i - limit):i]

    def tokens(self, start: int, end: int) -> list[Token]:
        """Plain tokens of text[start:end], each knowing the word it starts in. The legal and programme
        stages both read every sentence's: a span's tokens are kept for the second reader, up to
        SPAN_CACHE_TOKENS in all (a report's are all kept; a 400,000-character one would keep 20 MB)."""
        made = self._spans.get((start, end))
        if made is None:
            wid_at = self._wid_at.get
            if self._plain is None:
                self._plain = PlainTokens(self.text)
            made = tuple([Token(a, b, t, "", wid_at(a, -1)) for a, b, t in self._plain.between(start, end)])
            if self._cached + len(made) <= SPAN_CACHE_TOKENS:
                self._spans[(start, end)] = made
                self._cached += len(made)
        return list(made)
