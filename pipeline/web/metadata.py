"""Datasette metadata for a knowledge base, generated: titles and plain-language descriptions of
every table and column (pipeline/kb/schema.py TABLES), facets, and one canned query per
researcher's question (pipeline/query/questions.py CANNED)."""
from __future__ import annotations

import html
from typing import Any

from pipeline.kb.schema import TABLES
from pipeline.query.questions import CANNED

TITLES = {
    "documents": "Documents",
    "document_paths": "Document paths",
    "document_texts": "Document texts",
    "sentences": "Sentences",
    "doc_entities": "Entities as each document states them",
    "statements": "Statements (evidence)",
    "entities": "Entities: officials, agencies, legal documents, programmes",
    "entity_links": "Why entities were merged",
    "mentions": "Mentions",
    "positions": "Posts of officials",
    "outcomes": "Outcomes: every figure reported",
    "kb_meta": "About this knowledge base",
    "sentences_fts": "Full-text index of sentences",
}
FTS_COLUMNS = {
    "text": "the sentence as written",
    "canonical": "the sentence in one tone-mark convention, lower case (what a query with tone marks searches)",
    "folded": "the sentence without tone marks, đ -> d (what a query without tone marks searches)",
    "doc_id": "the document",
    "start": "offset of the sentence in the document's text",
    "end": "end offset",
    "rank": "FTS5's relevance of the row to a search (lower is better; only set while searching)",
    "sentences_fts": "FTS5's hidden column named after the table, the left side of MATCH",
}
# facets researchers asked for: province, year, kind, unit, agency level
FACETS = {
    "outcomes": ["place", "year", "unit_key"],
    "entities": ["kind", "level", "place"],
    "documents": ["year", "report_place", "outlet"],
    "positions": ["place", "title"],
    "mentions": ["kind"],
    "doc_entities": ["kind", "level"],
}
SORT = {"documents": "published", "outcomes": "outcome_id", "entities": "entity_id"}
LABELS = {"entities": "name", "documents": "title"}


def table_metadata() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for table, (description, columns) in TABLES.items():
        meta: dict[str, Any] = {"title": TITLES[table], "description": description,
                                "columns": {c: d for c, (_, d) in columns.items()}}
        if table in FACETS:
            meta["facets"] = FACETS[table]
        if table in SORT:
            meta["sort"] = SORT[table]
        if table in LABELS:
            meta["label_column"] = LABELS[table]
        out[table] = meta
    out["sentences_fts"] = {"title": TITLES["sentences_fts"],
                            "description": "FTS5 over every sentence: searches the written text, its one-convention "
                                           "form and its toneless form. The search box above the table takes FTS "
                                           "syntax; the archive search (Find) handles tone marks for you.",
                            "columns": FTS_COLUMNS}
    return out


def queries() -> dict[str, dict[str, Any]]:
    return {c.name: {"title": c.title, "description": f"{c.description} Command line: python -m pipeline {c.command}.",
                     "sql": c.sql, "params": c.params, "hide_sql": c.hide_sql}
            for c in CANNED}


def intro_html(db_name: str) -> str:
    """The home page's text: one search box for the whole archive and the questions it answers."""
    items = "".join(f'<li><a href="/{html.escape(db_name)}/{c.name}">{html.escape(c.title)}</a></li>' for c in CANNED)
    return (
        '<form class="vn-find" action="/-/find" method="get">'
        '<label for="vn-q">Search every document and sentence</label> '
        '<input id="vn-q" type="search" name="q" placeholder="ha noi, Trần Quốc Tỏ, camera an ninh…"> '
        '<input type="submit" value="Search"></form>'
        "<p>Facts extracted from Vietnamese reports: officials and their posts, agencies, legal documents, "
        "programmes and every figure, each linked to the sentence and the file it came from. "
        "Names and searches work with or without tone marks.</p>"
        f"<h2>Questions</h2><ul>{items}</ul>"
        f'<p>Every table, <a href="/{html.escape(db_name)}">the database</a>, offers JSON and CSV.</p>')


def metadata(db_name: str) -> dict[str, Any]:
    return {
        "title": "vnreport knowledge base",
        "description_html": intro_html(db_name),
        "source": "extracted by vnreport (python -m pipeline)",
        "databases": {db_name: {
            "description": "Officials, agencies, legal documents, programmes and figures read from the reports, "
                           "with the documents' text and every span.",
            "tables": table_metadata(),
            "queries": queries(),
        }},
        "plugins": {"datasette-cluster-map": {"latitude_column": "latitude", "longitude_column": "longitude"}},
    }
