"""The per-document schema (the contract in ../shared/CONTRACT.md, plus our additions).

Offsets are Python string indices into `Document.text`; `text[start:end]` is the mention.
`python -m pipeline schema` prints this as JSON Schema.
"""
from __future__ import annotations

from typing import Any, Literal, Optional, Union

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


class Mention(Span):
    text: str = Field("", description="text[start:end], so the JSON reads without slicing")


ENTITY_ID = r"^(official|agency|legal|program)-\d+$"


class Source(BaseModel):
    path: str
    sha256: str
    format: Literal["txt", "html", "docx", "pdf"]
    encoding: str = Field(description="utf-8, utf-16, windows-1258, tcvn3, vni; or the container's own for html/docx/pdf")
    raw_layer: str = Field("file characters", description="what `offset_map` raw offsets index into")


class Entity(BaseModel):
    id: str = Field("", pattern=r"^$|" + ENTITY_ID,
                    description="per-document id (\"agency-3\"); figure contexts and positions refer to it")
    key: str = Field("", description="cross-document key the knowledge base starts from: tone placement "
                                     "and acronyms normalised, place resolved (\"agency:công an tỉnh lai châu\")")


class Position(BaseModel):
    text: str = Field(description="the position as written (the same string as in `positions`)")
    title: str = Field(description="the title: \"Phó Giám đốc\"")
    organisation: Optional[str] = Field(None, description="the body it is held in, as written")
    agency_id: Optional[str] = Field(None, description="that body among the document's agencies")
    place: Optional[str] = Field(None, description="the province or district of that body")


class Official(Entity):
    name: str
    rank: Optional[str] = None
    positions: list[str] = Field(default_factory=list)
    position_details: list[Position] = Field(default_factory=list,
                                             description="`positions`, one for one, with title and organisation")
    mentions: list[Mention] = Field(default_factory=list)


class Agency(Entity):
    name: str = Field(description="the fullest form as written in the document")
    canonical: str = Field(description="acronyms spelled out, place resolved when the report says which")
    level: Optional[Literal["central", "province", "district", "commune"]] = None
    place: Optional[str] = None
    mentions: list[Mention] = Field(default_factory=list)


class LegalDocument(Entity):
    type: str
    number: Optional[str] = None
    symbol: Optional[str] = None
    date: Optional[str] = None
    issuer: Optional[str] = None
    title: Optional[str] = None
    mentions: list[Mention] = Field(default_factory=list)


class Program(Entity):
    kind: str
    name: str
    legal_document_id: Optional[str] = Field(None, description="the plan or programme text it is also cited as")
    mentions: list[Mention] = Field(default_factory=list)


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
    agency_id: Optional[str] = Field(None, description="`agency` as an agency of this document")
    program_id: Optional[str] = Field(None, description="the program the figure reports on")
    legal_document_id: Optional[str] = Field(None, description="the legal document the figure reports on")


class Bounds(BaseModel):
    """The values the written figure allows: "hơn 2.000" -> (2000, ∞); "gần 80%" -> [76, 80)."""
    low: Optional[Union[int, float]] = Field(None, description="null: unbounded below")
    high: Optional[Union[int, float]] = Field(None, description="null: unbounded above")
    low_inclusive: bool = True
    high_inclusive: bool = True


FIGURE_VALUE_LIMIT = 10 ** 18  # larger "figures" are digit runs, not quantities anyone reports


class Figure(Span):
    text: str
    value: Union[int, float] = Field(ge=-FIGURE_VALUE_LIMIT, le=FIGURE_VALUE_LIMIT)
    unit: Optional[str] = None
    qualifier: Optional[str] = None
    bounds: Optional[Bounds] = Field(None, description="the hedge, range or fraction read as an interval "
                                                       "(gazetteers/hedges.tsv)")
    context: Optional[FigureContext] = None


class Document(BaseModel):
    id: str = Field(description="first 16 hex digits of the input's SHA-256: stable for the same bytes")
    source: Source
    pipeline_version: str = ""
    data_digest: str = Field("", description="digest of the gazetteer data the document was extracted with")
    title: Optional[str] = None
    published: Optional[str] = None
    authors: list[str] = Field(default_factory=list)
    outlet: Optional[str] = None
    report_place: Optional[str] = Field(None, description="the province the report is about, when it says which")
    catalog: Optional[dict[str, Any]] = Field(
        None, description="the archive catalogue's row for this file (extract --catalog): row, file, url, the "
                          "fields it filled, and where it disagrees with the text (the text's value is kept)")
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
