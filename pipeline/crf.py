"""Linear-chain CRF tagging from a CRFsuite model file, with features given as columns of values.

underthesea's word segmentation and POS models are CRFsuite files (magic "lCRF", model type
"FOMC"). Its compiled tagger takes one string per feature and item ("T[0].lower=hà": 43 per
syllable for segmentation, 22 per word for POS), and making those strings and handing them over
cost more than the tagging itself (measured: 0.42 s against 0.21 s here on the windows of 40
reports). Here a template reads a column of values at a shift ("T[-1].lower" is the column
"lower" one item back), each column's values are looked up once in a vocabulary of the values the
model knows (unknown values weigh nothing, as in CRFsuite), the state scores of a whole batch of
sequences are summed by numpy, and Viterbi runs on the batch in lockstep. The best path is
CRFsuite's: the first label wins a tie. Equality with underthesea's own tagging is pinned by
tests/test_tokens.py for the installed models.

File layout read here (CRFsuite's crf1d_model.c): a 48-byte header (magic, size, type, version,
counts, offsets of the feature table and of the label and attribute string databases), features
of 20 bytes (type: 0 state / 1 transition, source, destination, float64 weight), and CQDB string
databases whose backward array gives each id's string.
"""
from __future__ import annotations

import struct
from itertools import chain, repeat
from dataclasses import dataclass
from pathlib import Path

import numpy

_HEADER = struct.Struct("<4sI4sIIIIIIIII")
_FEATURE = numpy.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])


class ModelFormatError(ValueError):
    pass


def _strings(data: bytes, base: int) -> list[str]:
    """The strings of the CQDB database at `base`, in id order."""
    magic, _, _, _, count, backward = struct.unpack_from("<4sIIIII", data, base)
    if magic != b"CQDB":
        raise ModelFormatError(f"no string database at offset {base}")
    out = []
    for i in range(count):
        (offset,) = struct.unpack_from("<I", data, base + backward + 4 * i)
        _, size = struct.unpack_from("<iI", data, base + offset)
        start = base + offset + 8
        out.append(data[start:start + size].rstrip(b"\0").decode("utf-8"))
    return out


@dataclass(frozen=True)
class CRFModel:
    labels: list[str]
    attributes: list[str]
    state: numpy.ndarray        # (attributes, labels) weights
    transitions: numpy.ndarray  # (labels, labels): from the row's label to the column's

    @classmethod
    def read(cls, path: Path) -> "CRFModel":
        data = Path(path).read_bytes()
        magic, _, kind, _, _, _, _, off_features, off_labels, off_attrs, _, _ = _HEADER.unpack_from(data, 0)
        if magic != b"lCRF" or kind != b"FOMC":
            raise ModelFormatError(f"{path}: not a CRFsuite first-order model")
        labels, attributes = _strings(data, off_labels), _strings(data, off_attrs)
        chunk, _, count = struct.unpack_from("<4sII", data, off_features)
        if chunk != b"FEAT":
            raise ModelFormatError(f"{path}: no feature table")
        features = numpy.frombuffer(data, dtype=_FEATURE, count=count, offset=off_features + 12)
        state = numpy.zeros((len(attributes), len(labels)))
        on_state = features[features["type"] == 0]
        numpy.add.at(state, (on_state["src"].astype(numpy.intp), on_state["dst"].astype(numpy.intp)),
                     on_state["weight"])
        transitions = numpy.zeros((len(labels), len(labels)))
        moves = features[features["type"] == 1]
        transitions[moves["src"].astype(numpy.intp), moves["dst"].astype(numpy.intp)] = moves["weight"]
        return cls(labels, attributes, state, transitions)


@dataclass(frozen=True)
class Template:
    """An attribute template: `name` as the model writes it ("T[-1].lower"), the column it reads
    and how many items away (-1: the item before)."""
    name: str
    column: str
    shift: int


class ColumnTagger:
    """Tags sequences whose features are columns of values: for a sequence of n items every column
    is a list of n + 2 * pad values, item i's value at i + pad (the caller writes BOS / EOS, or
    whatever the model was trained with, into the padding)."""

    def __init__(self, model: CRFModel, templates: list[Template], pad: int):
        if any(abs(t.shift) > pad for t in templates):
            raise ValueError("a template reaches past the padding")
        self.labels = model.labels
        self.pad = pad
        self.transitions = model.transitions
        by_name: dict[str, dict[str, int]] = {}
        for i, attribute in enumerate(model.attributes):
            name, _, value = attribute.partition("=")
            by_name.setdefault(name, {})[value] = i
        self.columns: dict[str, tuple[dict[str, int], list[tuple[numpy.ndarray, int]]]] = {}
        for column in dict.fromkeys(t.column for t in templates):
            mine = [t for t in templates if t.column == column]
            vocabulary: dict[str, int] = {}
            for t in mine:
                for value in by_name.get(t.name, {}):
                    vocabulary.setdefault(value, len(vocabulary))
            weights = []
            for t in mine:
                table = numpy.zeros((len(vocabulary) + 1, len(self.labels)))  # last row: a value the model never saw
                known = by_name.get(t.name, {})
                if known:
                    table[[vocabulary[v] for v in known]] = model.state[list(known.values())]
                weights.append((table, t.shift))
            self.columns[column] = (vocabulary, weights)

    def tag(self, batch: list[dict[str, list[str]]]) -> list[list[str]]:
        """The best label sequence of each sequence in `batch` (each a dict of its columns)."""
        lengths = [len(next(iter(cols.values()))) - 2 * self.pad for cols in batch]
        total = sum(n + 2 * self.pad for n in lengths)
        scores = numpy.zeros((total, len(self.labels)))
        for column, (vocabulary, weights) in self.columns.items():
            values = chain.from_iterable(cols[column] for cols in batch)
            ids = numpy.fromiter(map(vocabulary.get, values, repeat(len(vocabulary))), dtype=numpy.intp, count=total)
            for table, shift in weights:
                rows = table[ids]
                if shift > 0:
                    scores[:total - shift] += rows[shift:]
                elif shift < 0:
                    scores[-shift:] += rows[:total + shift]
                else:
                    scores += rows
        starts, at = [], self.pad
        for n in lengths:
            starts.append(at)
            at += n + 2 * self.pad
        return [[self.labels[k] for k in path] for path in self._viterbi(scores, starts, lengths)]

    def _viterbi(self, scores: numpy.ndarray, starts: list[int], lengths: list[int]) -> list[list[int]]:
        """CRFsuite's Viterbi on every sequence at once: longest first, so that the sequences still
        running at position t are a prefix, and position t of all of them is one step."""
        order = sorted((b for b in range(len(lengths)) if lengths[b]), key=lengths.__getitem__, reverse=True)
        if not order:
            return [[] for _ in lengths]
        ordered = numpy.array([lengths[b] for b in order], dtype=numpy.intp)
        at = numpy.array([starts[b] for b in order], dtype=numpy.intp)
        alpha = scores[at]
        transitions = self.transitions[None, :, :]
        back = []
        running = len(order)
        for t in range(1, int(ordered[0])):
            while ordered[running - 1] <= t:
                running -= 1
            candidates = alpha[:running, :, None] + transitions
            best = candidates.argmax(axis=1)  # the first maximum: CRFsuite's strict comparison
            back.append(best.tolist())
            alpha[:running] = candidates.max(axis=1) \
                + scores[at[:running] + t]
        last = alpha.argmax(axis=1).tolist()
        paths: list[list[int]] = [[] for _ in lengths]
        for i, b in enumerate(order):
            k = last[i]
            path = [k]
            for t in range(lengths[b] - 2, -1, -1):
                k = back[t][i][k]
                path.append(k)
            path.reverse()
            paths[b] = path
        return paths
