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


def test_tokens_pos_is_read_only_for_the_sentences_asked_about():
    text = "Hội đã trao 35 suất quà. Trời mưa to."
    layer = WordLayer.of(text, [Sentence(start=0, end=24), Sentence(start=25, end=len(text))])
    assert all(w.pos == "" for w in layer.words)
    assert [w.pos for w in layer.after(text.index("35"), 3)] == ["M", "N", "N"]
    assert all(w.pos == "" for w in layer.words if w.start >= 25)  # the second sentence was never tagged


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
    """underthesea's CRF POS predictor is called on our own words (its public pos_tag re-segments);
    this pins the class and its output shape for the installed version."""
    assert pos_tags(["Hội", "đã", "trao", "35", "suất", "quà"]) == ["N", "R", "V", "M", "N", "N"]
    assert pos_tags([]) == []


def test_tokens_pos_features_equal_underthesea_templating():
    """Our one-pass features are underthesea's own, string for string (its templating is quadratic)."""
    from underthesea.pipeline.pos_tag.model_crf import CRFPOSTagPredictor

    from pipeline.tokens import pos_features

    transformer = CRFPOSTagPredictor.Instance().transformer
    for words in (["Hội"], ["Hội", "đã", "trao"], ["Thứ trưởng", "Trần Quốc Tỏ", "dự", "hội nghị", "tại", "Hà Nội", "."],
                  ["UBND", "tỉnh", "Lai Châu", "hỗ trợ", "3,5", "triệu", "đồng", "cho", "120", "hộ", "nghèo", ";"]):
        theirs = transformer.transform([[(w, "X") for w in words]])[0][0]
        assert pos_features(words) == theirs


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
def test_tokens_segment_features_equal_underthesea_core(syllables):
    from pipeline.tokens import _segment_model, segment_features
    import underthesea.pipeline.word_tokenize as underthesea_ws
    from underthesea import word_tokenize

    word_tokenize("khởi động")  # loads underthesea's own model with its compiled featurizer
    theirs = underthesea_ws.word_tokenize_model.featurizer.process([[[s] for s in syllables]])[0]
    assert segment_features(syllables) == theirs
    assert len(theirs[0]) == 43 and _segment_model()[1]


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
