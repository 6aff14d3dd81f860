"""pipeline/crf.py: reading CRFsuite model files and tagging columns; its equality with underthesea's
own tagging is pinned in tests/test_tokens.py, these pin what it refuses."""
from __future__ import annotations

import numpy
import pytest

from pipeline.crf import Batch, CRFModel, ColumnTagger, ModelFormatError, Template


def _cut(n: int) -> bytes:
    import underthesea.pipeline.pos_tag.model_crf as module
    from pathlib import Path

    return (Path(module.__file__).parent / "pos_crf_2017_10_11.bin").read_bytes()[:n]


def _bad_strings() -> bytes:
    data = bytearray(_cut(10**9))
    off_labels = int.from_bytes(data[32:36], "little")
    data[off_labels:off_labels + 4] = b"XXXX"  # the label database's magic
    return bytes(data)


@pytest.mark.parametrize("data", [b"", b"not a model at all, just text" * 4, b"lCRF" + bytes(44), "cut:64", "cut:4096",
                                  "bad strings"])
def test_crf_model_reader_refuses_what_is_not_a_crfsuite_model(tmp_path, data):
    """Not a model, or a model cut short: one ModelFormatError naming the file."""
    path = tmp_path / "model.bin"
    if data == "bad strings":
        data = _bad_strings()
    path.write_bytes(_cut(int(data[4:])) if isinstance(data, str) else data)
    with pytest.raises(ModelFormatError, match="model.bin"):
        CRFModel.read(path)


def test_crf_model_reader_reads_underthesea_pos_model():
    import underthesea.pipeline.pos_tag.model_crf as module
    from pathlib import Path

    model = CRFModel.read(Path(module.__file__).parent / "pos_crf_2017_10_11.bin")
    assert len(model.labels) == 20 and "Np" in model.labels and len(model.attributes) > 30_000
    assert model.state.shape == (len(model.attributes), 20) and model.transitions.shape == (20, 20)


def _tiny_model() -> CRFModel:
    return CRFModel(labels=["A", "B"], attributes=["w=x", "w=y"], state=numpy.array([[1.0, 0.0], [0.0, 1.0]]),
                    transitions=numpy.zeros((2, 2)))


def test_crf_template_past_the_padding_is_refused():
    with pytest.raises(ValueError, match="padding"):
        ColumnTagger(_tiny_model(), [Template("w", "1", 2)], pad=1)


@pytest.mark.parametrize("values, labels", [(["x", "y", "x"], ["A", "B", "A"]), (["y"], ["B"]), (["z"], ["A"])])
def test_crf_tags_by_the_weights_of_each_value(values, labels):
    """A value the model never saw weighs nothing (a tie: the first label, as CRFsuite)."""
    tagger = ColumnTagger(_tiny_model(), [Template("w", "1", 0)], pad=1)
    layout = Batch([len(values)], 1)
    ids = {"1": tagger.encode("1", layout.flat([values]))}
    assert tagger.tag_columns(layout, ids) == [labels]


def test_crf_column_of_the_wrong_length_is_refused():
    tagger = ColumnTagger(_tiny_model(), [Template("w", "1", 0)], pad=1)
    with pytest.raises(ValueError, match="column 1"):
        tagger.tag_columns(Batch([2], 1), {"1": numpy.zeros(3, dtype=numpy.intp)})
