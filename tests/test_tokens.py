from pipeline.model import Sentence
from pipeline.tokens import analyse_words, build_doc


def test_tokens_keep_the_written_tone_marks_and_offsets():
    text = "Uỷ ban nhân dân tỉnh Thanh Hoá họp.\n\nÔng Nguyễn Văn A đi Hà Nội."
    sents = [Sentence(start=0, end=35), Sentence(start=37, end=len(text))]
    words = analyse_words(text, sents)
    assert all(text[w.start:w.end] == w.text for w in words)
    assert "Hoá" in " ".join(w.text for w in words)  # underthesea would have written "Hóa"
    doc = build_doc(text, words)
    assert doc.text == text
    toks = [t for t in doc if not t.is_space]
    assert [t.text for t in toks][:3] == ["Uỷ", "ban", "nhân"]
    assert toks[0].norm_ == "ủy"
    assert toks[0]._.word_start and not toks[1]._.word_start
    assert all(t.tag_ for t in toks)


def test_tokens_doc_covers_text_outside_sentences():
    text = "A- A A+ | Chia sẻ\n\nNội dung."
    words = analyse_words(text, [Sentence(start=19, end=len(text))])
    doc = build_doc(text, words)
    assert doc.text == text
    assert doc[0]._.wid == -1
