import pytest

from pipeline.model import Sentence
from pipeline.tokens import WordLayer, build_doc, plain_tokens, pos_tags, segment


def test_tokens_keep_the_written_tone_marks_and_offsets():
    text = "Uỷ ban nhân dân tỉnh Thanh Hoá họp.\n\nÔng Nguyễn Văn A đi Hà Nội."
    sents = [Sentence(start=0, end=35), Sentence(start=37, end=len(text))]
    words, firsts = segment(text, sents)
    assert all(text[w.start:w.end] == w.text for w in words) and firsts[0] == 0
    assert "Hoá" in " ".join(w.text for w in words)  # underthesea would have written "Hóa"
    doc, wids, offsets = build_doc(text, words)
    assert doc.text == text
    toks = [t for t in doc if not t.is_space]
    assert [t.text for t in toks][:3] == ["Uỷ", "ban", "nhân"]
    assert toks[0].norm_ == "ủy"
    assert toks[0]._.word_start and not toks[1]._.word_start
    assert [t.idx for t in doc] == offsets and [t._.wid for t in doc] == wids


def test_tokens_pos_waits_for_a_reader_then_tags_each_unit_on_its_own():
    """No POS until a stage reads one; then every unit (window or plain stretch) of the document in one
    batch, each tagged as if alone (a batch never lets one sentence's words change another's tags)."""
    from pipeline.tokens import pos_tags

    text = "Hội đã trao 35 suất quà. Trời mưa to."
    layer = WordLayer.of(text, [Sentence(start=0, end=24), Sentence(start=25, end=len(text))])
    assert all(w.pos == "" for w in layer.words)
    assert [w.pos for w in layer.after(text.index("35"), 3)] == ["M", "N", "N"]
    second = [w for w in layer.words if w.start >= 25]
    assert [w.pos for w in second] == pos_tags([w.text for w in second]) and all(w.pos for w in second)


def test_tokens_doc_covers_text_outside_sentences():
    text = "A- A A+ | Chia sẻ\n\nNội dung."
    layer = WordLayer.of(text, [Sentence(start=19, end=len(text))])
    assert layer.doc.text == text
    assert layer.doc[0]._.wid == -1


@pytest.mark.parametrize("text, tokens", [
    ("Chỉ thị số 09/CT-TW ngày 1/12/2011,", ["Chỉ", "thị", "số", "09/CT-TW", "ngày", "1/12/2011", ","]),
    ("giai đoạn 2022-2027…", ["giai", "đoạn", "2022-2027", "…"]),
    ("“Dân vận khéo”", ["“", "Dân", "vận", "khéo", "”"]),
])
def test_tokens_plain_tokens_keep_symbols_whole(text, tokens):
    assert [t.text for t in plain_tokens(text, 0, len(text))] == tokens


def test_tokens_layer_tokens_know_their_word():
    text = "Bí thư họp với Sở Giáo dục."
    layer = WordLayer.of(text, [Sentence(start=0, end=len(text))])
    toks = layer.tokens(0, len(text))
    assert toks[0].wid == toks[1].wid >= 0  # "Bí thư" is one word
    assert toks[5].wid == toks[6].wid >= 0  # "Giáo dục"
    assert toks[1].wid != toks[2].wid


@pytest.mark.parametrize("offset, first", [(0, "Hội"), (4, "đã")])
def test_tokens_layer_word_at_and_after(offset, first):
    text = "Hội đã trao 35 suất quà."
    layer = WordLayer.of(text, [Sentence(start=0, end=len(text))])
    assert layer.after(offset)[0].text == first
    assert layer.word_at(offset).text == first
    assert layer.word_at(offset + 1) is None


def test_tokens_pos_tagger_private_class_is_pinned():
    """underthesea's CRF POS model file and templates are read (its public pos_tag re-segments); this
    pins its predictor's templates as ours and the output shape for the installed version."""
    from underthesea.pipeline.pos_tag.model_crf import CRFPOSTagPredictor

    from pipeline.tokens import POS_TEMPLATES

    assert list(POS_TEMPLATES) == CRFPOSTagPredictor.Instance().transformer.template
    assert pos_tags(["Hội", "đã", "trao", "35", "suất", "quà"]) == ["N", "R", "V", "M", "N", "N"]
    assert pos_tags([]) == []


def test_tokens_pos_tags_equal_underthesea_predictor():
    """Our column tagger gives underthesea's own POS, word for word, on the words of the report lines
    (its predictor: its templating and its compiled CRF), one sentence at a time or in a batch."""
    from underthesea.pipeline.pos_tag.model_crf import CRFPOSTagPredictor

    from pipeline.tokens import pos_tags_many, segment_words

    predictor = CRFPOSTagPredictor.Instance()
    # lines of up to 40 words (the predictor's templating is quadratic in a line: all lines took 9 s)
    sequences = [words for words in map(segment_words, _report_lines()) if len(words) <= 40]
    run_on = [w for words in sequences for w in words]
    sequences += [run_on[:150], run_on[150:240]] + [  # and two long ones, for the batch's long steps
        ["Hội"], ["Thứ trưởng", "Trần Quốc Tỏ", "dự", "hội nghị", "tại", "Hà Nội", "."], _ODD_SYLLABLES]
    theirs = [[tag for _, tag in predictor.predict(words)] if words else [] for words in sequences]
    assert pos_tags_many(sequences) == theirs
    assert [pos_tags(words) for words in sequences[:200]] == theirs[:200]


# Our segmentation is underthesea's, made cheaper: the same syllables, the same 43 features, the
# same CRF. These pin the equality for the installed version (a new underthesea that changes its
# tokenizer or its templates fails here first).
_ODD_SYLLABLES = ["ß", "ǅ", "ª", "½", "²", "٣", "１", "Ⅻ", "ⅻ", "İ", "ΟΣ", "A", "Đ", "đ", "0", "007", "-1", "+1",
                  "+-1", "1.5", "2147483647", "2147483648", "-2147483648", "-2147483649", "UBND", ",", "19/6"]


def _report_lines() -> list[str]:
    from tests.conftest import CORPORA, shared_texts

    paths = sorted((CORPORA / "docs").glob("*.txt")) + shared_texts("seeds") + shared_texts("dev")
    lines = []
    for p in paths:
        try:
            lines += [line for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
        except UnicodeDecodeError:  # the corpus keeps legacy-encoded texts on purpose
            continue
    return lines


def test_tokens_segment_words_equal_underthesea_word_tokenize():
    from underthesea import word_tokenize

    from pipeline.tokens import segment_words

    lines = _report_lines() + ["", "   ", "Ông A.", "x " + " ".join(_ODD_SYLLABLES)]
    assert len(lines) > 300
    differ = [line for line in lines if segment_words(line) != word_tokenize(line, use_token_normalize=False)]
    assert differ == []


@pytest.mark.parametrize("syllables", [["A"], ["A", "b"], ["a", "B", "C"], ["Thủ", "tướng", "Chính", "phủ"]]
                         + [["x", odd, "y"] for odd in _ODD_SYLLABLES])
def test_tokens_segment_tags_equal_underthesea_core(syllables):
    """The column tagger labels syllables as underthesea_core's tagger does with underthesea's own
    featurizer (odd syllables: 32-bit integers as Rust parses them, letters upper-casing leaves alone)."""
    import underthesea.pipeline.word_tokenize as underthesea_ws
    from underthesea import word_tokenize

    from pipeline.crf import Batch
    from pipeline.tokens import _SEGMENT_PAD, _segmenter, segment_ids

    word_tokenize("khởi động")  # loads underthesea's own model with its compiled featurizer
    model = underthesea_ws.word_tokenize_model
    theirs = model.estimator.tag(model.featurizer.process([[[s] for s in syllables]])[0])
    seg = _segmenter()
    layout = Batch([len(syllables)], _SEGMENT_PAD)
    assert seg.tagger.tag_columns(layout, segment_ids(seg, layout, [syllables])) == [list(theirs)]


def test_tokens_segment_words_many_equal_underthesea_on_generated_text():
    """A batch of 3,000 generated strings (fixed seed) of letters, digits, marks and symbols is
    segmented as underthesea segments each string alone."""
    import random

    from underthesea import word_tokenize

    from pipeline.tokens import segment_words_many

    rnd = random.Random(20261129)
    syllables = ["ông", "Nguyễn", "văn", "An", "sở", "Tài", "chính", "tỉnh", "Lai", "Châu", "1.500", "tỷ", "đồng", "hộ",
                 "dân", "ngày", "5/3/2024", "UBND", ",", ".", "(", ")", "-", "%", "xã", "huyện", "Đảng", "ủy"] + _ODD_SYLLABLES
    texts = [" ".join(rnd.choice(syllables) for _ in range(rnd.randint(0, 30))) for _ in range(3000)]
    assert segment_words_many(texts) == [word_tokenize(t, use_token_normalize=False) for t in texts]


def test_tokens_syllables_equal_underthesea_regex_tokenizer():
    """A match's text is the named group underthesea's tokenize picks: checked on generated strings
    of letters, digits, marks and symbols (fixed seed) and on the reports."""
    import random

    from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

    from pipeline.tokens import syllables_of

    rnd = random.Random(20261129)
    alphabet = list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĐẮỮ0123456789 .,;:-/()%@#&*+=\"'_!?\t…–“”°C") + ["v.v", "http://a.vn/x"]
    texts = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 50))) for _ in range(3000)] + _report_lines()
    assert [t for t in texts if syllables_of(t) != tokenize(t, use_token_normalize=False)] == []


@pytest.mark.parametrize("start, end, expected", [
    (0, 3, (0, 1)),        # "Hội"
    (0, 6, (0, 2)),        # "Hội đã": two syllable tokens
    (12, 23, (3, 6)),      # "35 suất quà", without the period
    (1, 3, None),          # starts inside a token
    (0, 5, None),          # ends inside a token
])
def test_tokens_doc_span_covers_text_exactly_or_none(start, end, expected):
    text = "Hội đã trao 35 suất quà."
    layer = WordLayer.of(text, [Sentence(start=0, end=len(text))])
    span = layer.doc_span(start, end)
    assert span == expected
    if span:
        assert layer.doc[span[0]:span[1]].text == text[start:end]


def test_tokens_plain_stretch_is_what_a_scan_of_it_gives():
    """A stretch's plain tokens, sliced from the one scan of the text, equal a scan of the stretch
    alone, for every stretch of generated texts (fixed seed) and the corpus: aligned ends slice,
    an end inside a token ("2.5|00", "09/C|T") scans."""
    import random

    from pipeline.tokens import TOKEN_RE, PlainTokens
    from tests.conftest import CORPORA

    rnd = random.Random(3)
    alphabet = list("ab1 .,/-…\n") + ["...", "Đ", "09/CT-TW", "2.500"]
    texts = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 25))) for _ in range(300)]
    texts.append((CORPORA / "docs" / "02_bao_cao_tong_hop_nghe_an.txt").read_text(encoding="utf-8")[:600])
    differ = []
    for text in texts:
        plain = PlainTokens(text)
        for start in range(len(text) + 1):
            for end in range(start, min(len(text), start + 30) + 1):
                scan = [(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text, start, end)]
                if plain.between(start, end) != scan:
                    differ.append((text, start, end))
    assert differ == []


@pytest.mark.parametrize("sizes, limit, groups", [
    ([3, 4, 2, 9, 1], 6, [[3], [4, 2], [9], [1]]),   # a sequence longer than the limit goes alone
    ([2, 2, 2], 6, [[2, 2, 2]]),
    ([], 6, []),
])
def test_tokens_crf_batches_hold_at_most_the_limit(sizes, limit, groups):
    from pipeline.tokens import batches

    assert [[len(s) for s in g] for g in batches([["x"] * n for n in sizes], limit)] == groups


def test_tokens_span_tokens_same_whether_kept_or_not(monkeypatch):
    """Past SPAN_CACHE_TOKENS a span's tokens are made again when asked again: the same tokens."""
    import pipeline.tokens as tokens

    text = "Quyết định số 15/QĐ-UBND ngày 2/3/2024. Sở Tài chính giao 3 tỷ đồng."
    sents = [Sentence(start=0, end=39), Sentence(start=40, end=len(text))]
    kept = WordLayer.of(text, sents)
    first = [kept.tokens(s.start, s.end) for s in sents]
    monkeypatch.setattr(tokens, "SPAN_CACHE_TOKENS", 0)
    unkept = WordLayer.of(text, sents)
    assert [unkept.tokens(s.start, s.end) for s in sents] == first == [unkept.tokens(s.start, s.end) for s in sents]
    assert kept._spans and not unkept._spans


def test_tokens_model_data_read_as_joblib_reads_it(tmp_path):
    """underthesea's joblib-written data files read by the plain unpickler give what joblib gives;
    a compressed joblib file (which the plain unpickler cannot read) is still read."""
    from pathlib import Path

    import joblib
    import underthesea.pipeline.word_tokenize as underthesea_ws

    from pipeline.tokens import _model_data

    folder = Path(underthesea_ws.__file__).parent / "models" / "ws_crf_vlsp2013_20230727"
    for name in ("dictionary.bin", "features.bin"):
        assert _model_data(folder / name) == joblib.load(folder / name)
    joblib.dump({"a", "b c"}, tmp_path / "z.bin", compress=3)
    assert _model_data(tmp_path / "z.bin") == {"a", "b c"}
