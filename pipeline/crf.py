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
from dataclasses import dataclass
from itertools import repeat
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
        """The model in the CRFsuite file at `path`; ModelFormatError when it is not one, or is cut."""
        data = Path(path).read_bytes()
        try:
            return cls._parse(data)
        except ModelFormatError as err:
            raise ModelFormatError(f"{path}: {err}") from None
        except (struct.error, ValueError, IndexError, UnicodeDecodeError) as err:
            raise ModelFormatError(f"{path}: damaged CRFsuite model ({err})") from err

    @classmethod
    def _parse(cls, data: bytes) -> "CRFModel":
        magic, _, kind, _, _, _, _, off_features, off_labels, off_attrs, _, _ = _HEADER.unpack_from(data, 0)
        if magic != b"lCRF" or kind != b"FOMC":
            raise ModelFormatError("not a CRFsuite first-order model")
        labels, attributes = _strings(data, off_labels), _strings(data, off_attrs)
        chunk, _, count = struct.unpack_from("<4sII", data, off_features)
        if chunk != b"FEAT":
            raise ModelFormatError("no feature table")
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
    """An attribute template: `name` as the model writes it ("T[-2,-1].lower"), the column it reads,
    how many items away (-2: two items back) and the column's width (2: pairs of items)."""
    name: str
    column: str
    shift: int
    width: int = 1


class Batch:
    """Sequences laid end to end, `pad` places either side of each: the layout all the columns of
    a batch share (item i of sequence b at starts[b] + i)."""

    def __init__(self, lengths: list[int], pad: int):
        self.lengths, self.pad = lengths, pad
        self.starts: list[int] = []
        at = pad
        for n in lengths:
            self.starts.append(at)
            at += n + 2 * pad
        self.total = at - pad
        self._edges: dict[int, tuple[numpy.ndarray, numpy.ndarray]] = {}

    def flat(self, sequences: list[list[str]], before: str = "BOS", after: str = "EOS") -> list[str]:
        """The items of every sequence in their places, `before` and `after` in the padding."""
        head, tail = [before] * self.pad, [after] * self.pad
        out: list[str] = []
        for seq in sequences:
            out += head
            out += seq
            out += tail
        return out

    def edges(self, width: int) -> tuple[numpy.ndarray, numpy.ndarray]:
        """(places before each sequence, places from which an n-gram of `width` items runs past
        its sequence's end, through the padding after it): where templates read BOS and EOS."""
        if width not in self._edges:
            before, after = [], []
            for start, n in zip(self.starts, self.lengths):
                before.extend(range(start - self.pad, start))
                after.extend(range(start + max(n - width + 1, 0), start + n + self.pad))
            self._edges[width] = (numpy.array(before, dtype=numpy.intp), numpy.array(after, dtype=numpy.intp))
        return self._edges[width]


SHARED_TABLE_BYTES = 1 << 20
SHARED_TABLE_LABELS = 4


class ColumnTagger:
    """Tags sequences whose features are columns of values, one value per place of a `Batch`.
    The tagger writes BOS and EOS where a template reads past a sequence (underthesea's
    templating), so a column's values in the padding do not matter."""

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
        # column -> (vocabulary, width, weights, shifts of its templates). The weights of a column's
        # templates share one table (value, template, label) when it is small and its rows narrow:
        # one gather serves them all (segmentation: 2 labels). With 20 labels (POS) such a table is
        # mostly zeros and its gathered rows take 160 bytes per template and item (a 50,000-word
        # sentence: 24 MB a column), so each template keeps the rows of its own values, reached
        # through an index from the column's value ids, and is gathered alone.
        self.columns: dict[str, tuple[dict[str, int], int, numpy.ndarray | list, list[int]]] = {}
        for column in dict.fromkeys(t.column for t in templates):
            mine = [t for t in templates if t.column == column]
            vocabulary: dict[str, int] = {}
            for t in mine:
                for value in by_name.get(t.name, {}):
                    vocabulary.setdefault(value, len(vocabulary))
            if len(self.labels) <= SHARED_TABLE_LABELS and \
                    (len(vocabulary) + 1) * len(mine) * len(self.labels) * 8 <= SHARED_TABLE_BYTES:
                weights: numpy.ndarray | list = numpy.zeros((len(vocabulary) + 1, len(mine), len(self.labels)))
                for j, t in enumerate(mine):  # the last row: values the model never saw
                    known = by_name.get(t.name, {})
                    if known:
                        weights[[vocabulary[v] for v in known], j] = model.state[list(known.values())]
            else:
                weights = []
                for t in mine:
                    known = by_name.get(t.name, {})
                    index = numpy.full(len(vocabulary) + 1, len(known), dtype=numpy.intp)  # unknown: the zero row
                    index[[vocabulary[v] for v in known]] = numpy.arange(len(known))
                    table = numpy.zeros((len(known) + 1, len(self.labels)))
                    table[:len(known)] = model.state[list(known.values())]
                    weights.append((index, table))
            self.columns[column] = (vocabulary, mine[0].width, weights, [t.shift for t in mine])

    def code(self, column: str, value: str) -> int:
        vocabulary = self.columns[column][0]
        return vocabulary.get(value, len(vocabulary))

    def encode(self, column: str, values: list[str]) -> numpy.ndarray:
        """A column of values as the ids of the column's vocabulary (one past the last: unseen)."""
        vocabulary = self.columns[column][0]
        return numpy.fromiter(map(vocabulary.get, values, repeat(len(vocabulary))), dtype=numpy.intp,
                              count=len(values))

    def encode_flags(self, column: str, flags: list[bool]) -> numpy.ndarray:
        """A column of booleans, as underthesea writes them ("True", "False")."""
        return numpy.where(numpy.array(flags, dtype=bool), self.code(column, "True"), self.code(column, "False"))

    def tag_columns(self, layout: Batch, ids: dict[str, numpy.ndarray]) -> list[list[str]]:
        """The best label sequence of each sequence of `layout`, given every column as ids
        (`encode`, `encode_flags`), one per place."""
        total = layout.total
        scores = numpy.zeros((total, len(self.labels)))
        for column, (vocabulary, width, weights, shifts) in self.columns.items():
            column_ids = ids[column]
            if len(column_ids) != total:
                raise ValueError(f"column {column}: {len(column_ids)} values for {total} places")
            before, after = layout.edges(width)
            column_ids[before] = vocabulary.get("BOS", len(vocabulary))
            column_ids[after] = vocabulary.get("EOS", len(vocabulary))
            shared = isinstance(weights, numpy.ndarray)
            rows = weights[column_ids] if shared else None  # (place, template, label)
            for j, shift in enumerate(shifts):
                if shared:
                    mine = rows[:, j]
                else:
                    index, table = weights[j]
                    mine = table[index[column_ids]]
                if shift > 0:
                    scores[:total - shift] += mine[shift:]
                elif shift < 0:
                    scores[-shift:] += mine[:total + shift]
                else:
                    scores += mine
        paths = self._viterbi(scores, layout.starts, layout.lengths)
        return [[self.labels[k] for k in path] for path in paths]

    def _viterbi(self, scores: numpy.ndarray, starts: list[int], lengths: list[int]) -> list[list[int]]:
        """CRFsuite's Viterbi on every sequence at once: longest first, so that the sequences still
        running at position t are a prefix, and position t of all of them is one step."""
        order = sorted((b for b in range(len(lengths)) if lengths[b]), key=lengths.__getitem__, reverse=True)
        if not order:
            return [[] for _ in lengths]
        ordered = numpy.array([lengths[b] for b in order], dtype=numpy.intp)
        at = numpy.array([starts[b] for b in order], dtype=numpy.intp)
        # every place's state scores in step order (position t of each running sequence, t = 0, 1, ...),
        # gathered once: each step then reads a slice
        which = numpy.repeat(numpy.arange(len(order)), ordered)
        position = numpy.arange(len(which)) - numpy.repeat(numpy.cumsum(ordered) - ordered, ordered)
        step_order = numpy.lexsort((which, position))
        by_step = scores[at[which[step_order]] + position[step_order]]
        running_at = numpy.searchsorted(-ordered, -numpy.arange(int(ordered[0])), side="left")  # sequences longer than t
        alpha = by_step[:len(order)].copy()
        transitions = self.transitions[None, :, :]
        back = []
        offset = len(order)
        for t in range(1, int(ordered[0])):
            running = int(running_at[t])
            candidates = alpha[:running, :, None] + transitions
            best = candidates.argmax(axis=1)  # the first maximum: CRFsuite's strict comparison
            back.append(best.tolist())
            alpha[:running] = candidates.max(axis=1) + by_step[offset:offset + running]
            offset += running
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
