"""The foundation stages: normalise, zones, sentences, words. Extractors live in `extract/`."""
from __future__ import annotations

from pipeline.analysis import Analysis, Stage
from pipeline.catalog import reconcile
from pipeline.gazetteers import Gazetteers
from pipeline.heading import lexicon as heading_lexicon
from pipeline.normalize import normalise
from pipeline.sentences import abbreviations, split_sentences
from pipeline.numbers import number_words
from pipeline.tokens import WordLayer
from pipeline.unwrap import hard_wrapped
from pipeline.zones import lexicon as zone_lexicon
from pipeline.zones import segment


class Normalise(Stage):
    name = "normalise"
    requires = ("raw",)
    provides = ("text", "offsets")

    def __init__(self, gazetteers: Gazetteers):
        super().__init__(gazetteers)
        self.open_ends = frozenset(w.lower() for w in gazetteers.list("line_open_ends.txt"))

    def __call__(self, a: Analysis) -> None:
        # PDF layers are wrapped by their layout; a text file may be a hard-wrapped copy of an
        # official document
        unwrap = a.raw.wrapped_lines or (a.raw.format == "txt" and hard_wrapped(a.raw.raw))
        n = normalise(a.raw.raw, a.raw.legacy_table, unwrap=unwrap, open_ends=self.open_ends)
        a.text, a.offsets = n.text, n.offsets


class Zones(Stage):
    name = "zones"
    requires = ("raw", "text")
    provides = ("zones", "title", "published", "authors", "outlet", "heading", "catalog")

    def __init__(self, gazetteers: Gazetteers):
        super().__init__(gazetteers)
        self.lx = zone_lexicon(gazetteers)
        self.hx = heading_lexicon(gazetteers)

    def __call__(self, a: Analysis) -> None:
        z = segment(a.text, a.raw.metadata, self.lx, self.hx)
        a.zones, a.title, a.published, a.authors, a.outlet = z.zones, z.title, z.published, z.authors, z.outlet
        a.heading = z.heading
        # an archive's catalogue row fills what the text does not say (the text wins, disagreements kept)
        found, a.catalog = reconcile({"title": a.title, "published": a.published, "outlet": a.outlet},
                                     a.raw.metadata.get("catalog"))
        a.title, a.published, a.outlet = found["title"], found["published"], found["outlet"]


class Sentences(Stage):
    name = "sentences"
    requires = ("text", "zones")
    provides = ("sentences",)

    def __init__(self, gazetteers: Gazetteers):
        super().__init__(gazetteers)
        abbreviations(gazetteers)  # load now, not at the first document

    def __call__(self, a: Analysis) -> None:
        a.sentences = split_sentences(a.text, a.zones, self.gazetteers)


class Words(Stage):
    name = "words"
    requires = ("text", "sentences")
    provides = ("words", "doc")

    def __init__(self, gazetteers: Gazetteers):
        super().__init__(gazetteers)
        self.number_words = number_words(gazetteers)

    def __call__(self, a: Analysis) -> None:
        a.words = WordLayer.of(a.text, a.sentences, self.number_words)
        a.doc = a.words.doc
