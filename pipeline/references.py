"""Entity keys: the cross-document key each official, agency, legal document and programme gets.

A key is what the knowledge base starts from when it merges entities of different reports: the
name as a matching key (one tone-mark convention, lower case), acronyms spelled out (all of
gazetteers/acronyms.tsv, "NQLT" and "ANTQ" included), the place resolved where the extractor
resolved it. Keys never decide a merge alone (two namesakes share one); they block candidates.

>>> k = EntityKeys(Acronyms({"LHPN": "Liên hiệp Phụ nữ", "NQLT": "Nghị quyết liên tịch"}))
>>> k.agency(Agency(name="Hội LHPN tỉnh", canonical="Hội LHPN tỉnh Lai Châu"))
'agency:hội liên hiệp phụ nữ tỉnh lai châu'
>>> k.legal(LegalDocument(type="NQLT", number="01"))
'legal:nghị quyết liên tịch:1'
"""
from __future__ import annotations

import re
from typing import Callable

from pipeline.analysis import Analysis, Stage
from pipeline.gazetteers import Gazetteers, standard_spelling
from pipeline.keys import Acronyms, match_key
from pipeline.model import Agency, LegalDocument, Official, Program

_PUNCT = re.compile(r"[^\w\s/-]+")


def loose(s: str | None) -> str:
    """A key without punctuation or quotes: "“Toàn dân bảo vệ ANTQ”," -> "toàn dân bảo vệ antq"."""
    return " ".join(_PUNCT.sub(" ", match_key(s)).split())


class EntityKeys:
    def __init__(self, acronyms: Acronyms, standard_place: Callable[[str], str] = lambda place: place):
        self.acronyms = acronyms
        self.standard_place = standard_place  # a place name as the administrative list spells it

    def spell(self, s: str | None) -> str:
        return loose(self.acronyms.spell(s))

    def official(self, o: Official) -> str:
        return f"official:{loose(o.name)}"

    def agency(self, ag: Agency) -> str:
        k = self.spell(ag.canonical or ag.name)
        if ag.place:
            place, standard = loose(ag.place), loose(self.standard_place(ag.place))
            if place in k:  # one key for "Sở Y tế tỉnh Đăk Lăk" and "Sở Y tế tỉnh Đắk Lắk"
                k = k.replace(place, standard)
            elif standard not in k:
                k = f"{k} {standard}"  # "Tỉnh ủy" in a Hà Tĩnh report: agency:tỉnh ủy hà tĩnh
        return f"agency:{k}"

    def legal(self, d: LegalDocument) -> str:
        typ = self.spell(d.type)
        if d.number:
            return f"legal:{typ}:{d.number.lstrip('0') or '0'}"
        return f"legal:{typ}:{self.spell(d.title)}"

    def program(self, p: Program) -> str:
        return f"program:{self.spell(p.kind)}:{self.spell(p.name)}"


def entity_keys(gz: Gazetteers) -> EntityKeys:
    return gz.memo("entity_keys", lambda g: EntityKeys(
        Acronyms({r["acronym"]: r["expansion"] for r in g.tsv("acronyms.tsv")}),
        lambda place: standard_spelling(place, g)))


class References(Stage):
    """Gives every entity its cross-document key (ids are given by the stage that finds them)."""
    name = "references"
    requires = ("officials", "agencies", "legal_documents", "programs")
    provides = ("keys",)

    def __init__(self, gazetteers: Gazetteers):
        super().__init__(gazetteers)
        self.keys = entity_keys(gazetteers)

    def __call__(self, a: Analysis) -> None:
        for o in a.officials:
            o.key = self.keys.official(o)
        for ag in a.agencies:
            ag.key = self.keys.agency(ag)
        for d in a.legal_documents:
            d.key = self.keys.legal(d)
        for p in a.programs:
            p.key = self.keys.program(p)
        a.keys = True
