import pytest

from pipeline.sentences import sentence_texts


@pytest.mark.parametrize("text,expected", [
    ("Tại TP. HCM, ông A phát biểu. Sau đó về họp.", ["Tại TP. HCM, ông A phát biểu.", "Sau đó về họp."]),
    ('PGS.TS. Nguyễn Văn A nói: "Tốt lắm." Rồi đi.', ['PGS.TS. Nguyễn Văn A nói: "Tốt lắm."', "Rồi đi."]),
    ("Theo Chỉ thị số 09/CT-TW. Sau đó họp.", ["Theo Chỉ thị số 09/CT-TW.", "Sau đó họp."]),
    ("chị Nguyễn Thị K.L. (23 tuổi) về việc. Tiếp theo.", ["chị Nguyễn Thị K.L. (23 tuổi) về việc.", "Tiếp theo."]),
    ("Một câu không dấu chấm", ["Một câu không dấu chấm"]),
])
def test_sentences_split_where_a_reader_would(text, expected):
    assert sentence_texts(text) == expected


def test_sentences_on_shared_reports_cover_text_in_order(analyse_text, seeds_dir, dev_dir):
    for path in sorted(seeds_dir.glob("*.txt")) + sorted(dev_dir.glob("*.txt")):
        a = analyse_text(path.read_text(encoding="utf-8"))
        prev = 0
        for s in a.sentences:
            assert s.start >= prev and s.end > s.start
            assert a.text[s.start:s.end] == a.text[s.start:s.end].strip()
            prev = s.end
        assert len(a.sentences) >= 3, path.name
