"""The per-document schema (the contract in ../shared/CONTRACT.md, plus our additions).

Offsets are Python string indices into `Document.text`; `text[start:end]` is the mention.
`python -m pipeline schema` prints this as JSON Schema.
"""
from __future__ import annotations

from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

ZoneKind = Literal["title", "meta", "byline", "body", "caption", "furniture"]


class Span(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Zone(Span):
    kind: ZoneKind


class Sentence(Span):
    pass


class Source(BaseModel):
    path: str
    sha256: str
    format: Literal["txt", "html", "docx", "pdf"]
    encoding: str = Field(description="utf-8, utf-16, windows-1258, tcvn3, vni; or the container's own for html/docx/pdf")
    raw_layer: str = Field("file characters", description="what `offset_map` raw offsets index into")


class Official(BaseModel):
    name: str
    rank: Optional[str] = None
    positions: list[str] = Field(default_factory=list)
    mentions: list[Span] = Field(default_factory=list)


class Agency(BaseModel):
    name: str = Field(description="the fullest form as written in the document")
    canonical: str = Field(description="acronyms spelled out, place resolved when the report says which")
    level: Optional[Literal["central", "province", "district", "commune"]] = None
    place: Optional[str] = None
    mentions: list[Span] = Field(default_factory=list)


class LegalDocument(BaseModel):
    type: str
    number: Optional[str] = None
    symbol: Optional[str] = None
    date: Optional[str] = None
    issuer: Optional[str] = None
    title: Optional[str] = None
    mentions: list[Span] = Field(default_factory=list)


class Program(BaseModel):
    kind: str
    name: str
    mentions: list[Span] = Field(default_factory=list)


class DateMention(Span):
    text: str
    value: str


class FigureContext(BaseModel):
    sentence: Span
    period: Optional[str] = None
    place: Optional[str] = None
    agency: Optional[str] = None
    subject: Optional[str] = Field(None, description="the program or legal document the figure reports on")
    recipient: Optional[str] = Field(None, description="to whom the counted things went: \"cung cấp cho ngành công an 85 nguồn tin\"")


class Figure(Span):
    text: str
    value: Union[int, float]
    unit: Optional[str] = None
    qualifier: Optional[str] = None
    context: Optional[FigureContext] = None


class Document(BaseModel):
    id: str = Field(description="first 16 hex digits of the input's SHA-256: stable for the same bytes")
    source: Source
    pipeline_version: str = ""
    data_digest: str = Field("", description="SHA-256 over the gazetteer files the pipeline read (names and bytes): with `pipeline_version`, what made this output")
    title: Optional[str] = None
    published: Optional[str] = None
    authors: list[str] = Field(default_factory=list)
    outlet: Optional[str] = None
    text: str
    zones: list[Zone] = Field(default_factory=list)
    sentences: list[Sentence] = Field(default_factory=list)
    officials: list[Official] = Field(default_factory=list)
    agencies: list[Agency] = Field(default_factory=list)
    legal_documents: list[LegalDocument] = Field(default_factory=list)
    programs: list[Program] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    offset_map: list[list[int]] = Field(
        default_factory=list,
        description="[text_start, text_len, raw_start, raw_len] segments from `text` back to source.raw_layer")
