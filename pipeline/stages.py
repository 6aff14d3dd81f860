"""The foundation stages: normalise, zones, sentences, words. Extractors live in `extract/`."""
from __future__ import annotations

from pipeline.analysis import Analysis, Stage
from pipeline.normalize import normalise
from pipeline.sentences import split_sentences
from pipeline.tokens import analyse_words, build_doc
from pipeline.zones import segment


class Normalise(Stage):
    name = "normalise"
    requires = ("raw",)
    provides = ("text", "offsets")

    def __call__(self, a: Analysis) -> None:
        n = normalise(a.raw.raw, a.raw.legacy_table, unwrap=a.raw.wrapped_lines)
        a.text, a.offsets = n.text, n.offsets


class Zones(Stage):
    name = "zones"
    requires = ("text",)
    provides = ("zones", "title", "published", "authors", "outlet")

    def __call__(self, a: Analysis) -> None:
        z = segment(a.text, a.raw.metadata)
        a.zones, a.title, a.published, a.authors, a.outlet = z.zones, z.title, z.published, z.authors, z.outlet


class Sentences(Stage):
    name = "sentences"
    requires = ("text", "zones")
    provides = ("sentences",)

    def __call__(self, a: Analysis) -> None:
        a.sentences = split_sentences(a.text, a.zones)


class Words(Stage):
    name = "words"
    requires = ("text", "sentences")
    provides = ("words", "doc")

    def __call__(self, a: Analysis) -> None:
        a.words = analyse_words(a.text, a.sentences)
        a.doc = build_doc(a.text, a.words)


FOUNDATION: list[Stage] = [Normalise(), Zones(), Sentences(), Words()]
