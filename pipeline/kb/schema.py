"""The knowledge base's tables (created with sqlite-utils) and what each column means.

The relations of ../shared/CONTRACT.md ("Knowledge base") are here with at least their columns:
documents, entities, mentions, positions, outcomes, sentences_fts. `COLUMNS` documents every
column in plain language; the Datasette metadata and the README are generated from it.
"""
from __future__ import annotations

import sqlite3

import sqlite_utils

SCHEMA_VERSION = "6"  # 5: sentences a view of sentences_fts, each document its run of rowids there; statements
# keyed by rowid; 6: the size and time of each loaded JSON

# table -> (description, {column: (type, description)}); primary keys in PRIMARY_KEYS
TABLES: dict[str, tuple[str, dict[str, tuple[type, str]]]] = {
    "documents": ("One row per extracted document (the same content reached by two paths is one "
                  "document; `document_paths` lists every path).", {
        "doc_id": (str, "the document's id: first 16 hex digits of its SHA-256"),
        "path": (str, "the input file it was extracted from (the first path seen)"),
        "title": (str, "title of the report"),
        "published": (str, "publication or issue date as precise as known (YYYY-MM-DD, YYYY-MM, YYYY)"),
        "year": (int, "year of publication"),
        "outlet": (str, "the site or outlet that published it"),
        "report_place": (str, "the province the report is about, when it says which"),
        "format": (str, "txt, html, docx or pdf"),
        "encoding": (str, "the encoding the text was read in"),
        "sha256": (str, "SHA-256 of the input file's bytes"),
        "pipeline_version": (str, "version of the pipeline that extracted it"),
        "data_digest": (str, "digest of the gazetteer data it was extracted with"),
        "facts_key": (str, "what the loaded facts depend on (id, pipeline version, data digest)"),
        "sentences_from": (int, "rowid of its first sentence in sentences_fts (its sentences are one run)"),
        "sentences_to": (int, "rowid of its last sentence in sentences_fts"),
    }),
    "document_paths": ("Every path a document was reached by, and the JSON it was loaded from.", {
        "doc_id": (str, "the document"),
        "path": (str, "an input path of this content"),
        "json_path": (str, "the extraction JSON loaded for it"),
        "json_size": (int, "that JSON's size in bytes when loaded"),
        "json_mtime_ns": (int, "its modification time (ns) when loaded: a rebuild reads again only JSON "
                               "whose size or time changed"),
    }),
    "document_texts": ("The full normalised text of each document (every offset indexes it) and the "
                       "map back to the raw input.", {
        "doc_id": (str, "the document"),
        "text": (str, "the normalised text"),
        "offset_map": (str, "JSON segments [text_start, text_len, raw_start, raw_len] back to the raw layer"),
    }),
    "sentences": ("Every sentence of every document (a view of sentences_fts, which holds them).", {
        "doc_id": (str, "the document"),
        "start": (int, "offset of the sentence in the document's text"),
        "end": (int, "end offset"),
        "text": (str, "the sentence as written"),
    }),
    "doc_entities": ("One row per entity of one document, as extracted (evidence: never rewritten). "
                     "Resolution sets `entity_id`.", {
        "doc_entity_id": (str, "document id / per-document id (\"1a2b…/official-2\")"),
        "doc_id": (str, "the document"),
        "kind": (str, "official, agency, legal_document or program"),
        "local_id": (str, "the entity's id inside its document"),
        "key": (str, "cross-document key from extraction (normalised name, place resolved)"),
        "name": (str, "the fullest form written in that document"),
        "canonical": (str, "acronyms spelled out (agencies), type and number (legal documents)"),
        "place": (str, "province or district (agencies: resolved; officials: of their posts)"),
        "level": (str, "central, province, district or commune (agencies)"),
        "details": (str, "JSON of every extracted field but its mentions (rows of `mentions`)"),
        "entity_id": (str, "the real-world entity resolution assigned it to"),
    }),
    "statements": ("Every property value of every document entity, with its span: the evidence "
                   "entities are assembled from.", {
        "doc_entity_id": (str, "whose property it is"),
        "doc_id": (str, "the document that states it"),
        "prop": (str, "name, rank, position, type, number, symbol, date, issuer, title, kind, place, level"),
        "value": (str, "the value as stated"),
        "start": (int, "span in the document's text, where the value is written there"),
        "end": (int, "end of that span"),
    }),
    "entities": ("One row per real-world official, agency, legal document or programme, assembled "
                 "from the documents that mention it.", {
        "entity_id": (str, "stable id (\"official:nguyen-van-hung.lai-chau\")"),
        "kind": (str, "official, agency, legal_document or program"),
        "name": (str, "the fullest form seen"),
        "canonical": (str, "spelled out: acronyms expanded, type and number for legal documents"),
        "key": (str, "the cross-document key most of its mentions carry"),
        "place": (str, "province it belongs to, when known"),
        "level": (str, "agencies: central, province, district or commune"),
        "parent": (str, "agencies: the body it answers to, where known (gazetteers/agency_parents.tsv)"),
        "parent_id": (str, "that body as an entity, when the knowledge base holds it"),
        "documents": (int, "how many documents mention it"),
        "first_seen": (str, "earliest publication date among them"),
        "last_seen": (str, "latest publication date among them"),
    }),
    "entity_links": ("Why document entities were merged (or kept apart): one row per decision.", {
        "entity_id": (str, "the entity the decision concerns"),
        "doc_entity_id": (str, "a document entity"),
        "other_doc_entity_id": (str, "the document entity it was compared with"),
        "decision": (str, "same or different"),
        "source": (str, "auto (resolution) or judgement (judgements file)"),
        "reason": (str, "the features that decided, in words"),
    }),
    "mentions": ("Every mention of every entity, with its span.", {
        "entity_id": (str, "the entity"),
        "doc_id": (str, "the document"),
        "start": (int, "offset in the document's text"),
        "end": (int, "end offset"),
        "text": (str, "the mention as written"),
        "doc_entity_id": (str, "the document entity it belongs to"),
        "kind": (str, "official, agency, legal_document or program"),
        "raw_start": (int, "offset in the raw input (see document_texts.offset_map)"),
        "raw_end": (int, "end offset in the raw input"),
    }),
    "positions": ("Posts officials held, as reported: who held which post when.", {
        "entity_id": (str, "the official"),
        "position": (str, "the post as written (\"Phó Giám đốc Công an tỉnh Lai Châu\")"),
        "title": (str, "the title (\"Phó Giám đốc\")"),
        "organisation": (str, "the body, as written"),
        "organisation_id": (str, "that body as an entity"),
        "organisation_ref": (str, "that body as a document entity"),
        "place": (str, "province of the body"),
        "doc_id": (str, "the report that says so"),
        "as_of": (str, "the report's date"),
        "rank": (str, "the official's rank in that report"),
        "doc_entity_id": (str, "the document entity"),
    }),
    "outcomes": ("Every figure reported, tied to what it reports on: one click from its sentence.", {
        "outcome_id": (str, "document id / figure number"),
        "doc_id": (str, "the document"),
        "start": (int, "offset of the figure in the document's text"),
        "end": (int, "end offset"),
        "text": (str, "the figure as written (\"hơn 2.500 vụ\")"),
        "value": (float, "its value (Vietnamese digits, magnitudes and spelled numbers read)"),
        "unit": (str, "the counted noun as written"),
        "unit_key": (str, "the unit as compared (spellings unified)"),
        "qualifier": (str, "hedge word, range or fraction as written"),
        "low": (float, "lowest value the wording allows (null: unbounded)"),
        "high": (float, "highest value the wording allows (null: unbounded)"),
        "low_inclusive": (int, "1 when low itself is allowed"),
        "high_inclusive": (int, "1 when high itself is allowed"),
        "period": (str, "the period the sentence gives (ISO date or interval)"),
        "period_start": (str, "first day-precision bound of the period"),
        "period_end": (str, "last bound of the period"),
        "year": (int, "year of the period, else of publication"),
        "place": (str, "province or place the figure is about"),
        "agency": (str, "the agency the sentence names, as written"),
        "agency_id": (str, "that agency as an entity"),
        "program_id": (str, "the programme it reports on, as an entity"),
        "legal_document_id": (str, "the legal document it reports on, as an entity"),
        "agency_ref": (str, "the agency as a document entity"),
        "program_ref": (str, "the programme as a document entity"),
        "legal_document_ref": (str, "the legal document as a document entity"),
        "subject": (str, "the programme or document, as written"),
        "recipient": (str, "to whom the counted things went"),
        "sentence": (str, "the sentence holding it"),
        "sentence_start": (int, "offset of that sentence"),
        "sentence_end": (int, "end of that sentence"),
        "sentence_values": (str, "JSON list of the values of every figure in that sentence"),
        "quote_before": (str, "a little text before the figure, for a citation that survives re-extraction"),
        "quote_after": (str, "a little text after it"),
        "raw_start": (int, "offset in the raw input"),
        "raw_end": (int, "end offset in the raw input"),
        "published": (str, "the document's date"),
    }),
    "kb_meta": ("What built this file.", {
        "name": (str, "setting"),
        "value": (str, "value"),
    }),
}

PRIMARY_KEYS = {"documents": "doc_id", "document_texts": "doc_id", "doc_entities": "doc_entity_id",
                "entities": "entity_id", "outcomes": "outcome_id",
                "kb_meta": "name", "document_paths": ("doc_id", "json_path")}
# relations that are views: the full-text table holds the sentences once
VIEWS = {"sentences": 'SELECT doc_id, start, "end", text FROM sentences_fts'}
INDEXES = {
    "document_paths": [["path"], ["doc_id"], ["json_path"]],
    "doc_entities": [["doc_id"], ["entity_id"], ["kind", "key"]],
    "statements": [["doc_entity_id"]],  # a document's statements are deleted through its doc_entities
    "mentions": [["entity_id"], ["doc_id"], ["doc_entity_id"]],
    "positions": [["entity_id"], ["doc_id"], ["organisation_id"]],
    "outcomes": [["doc_id"], ["agency_id"], ["program_id"], ["legal_document_id"], ["unit_key"], ["place"],
                 ["year"]],
    "entities": [["kind", "name"]],
    "entity_links": [["entity_id"]],
}
# the columns resolution rewrites for every row: their indexes are dropped while it writes and made
# again after (one sorted build instead of a random index update per row, a tenth of a build)
RESOLVED_COLUMNS = {"doc_entities": [["entity_id"]], "mentions": [["entity_id"]],
                    "positions": [["entity_id"], ["organisation_id"]],
                    "outcomes": [["agency_id"], ["program_id"], ["legal_document_id"]]}
PER_DOCUMENT = ("document_paths", "document_texts", "doc_entities", "statements", "mentions",
                "positions", "outcomes")
RESOLVED = ("entities", "entity_links")


def create(db: sqlite_utils.Database) -> None:
    """Create every table and index that is missing (an existing file keeps its rows)."""
    for table, (_, columns) in TABLES.items():
        if table in VIEWS:
            continue
        if not db[table].exists():
            db[table].create({c: t for c, (t, _) in columns.items()}, pk=PRIMARY_KEYS.get(table))
        for cols in INDEXES.get(table, []):
            db[table].create_index(cols, if_not_exists=True)
    if "sentences_fts" not in db.table_names():
        # sqlite-utils' enable_fts makes an external-content index without extra columns; the
        # contract wants doc_id, start and end beside the text, so this one table is created here.
        # `canonical` holds the text in one tone-mark convention, `folded` without any tone mark
        # (đ -> d); the tokenizer keeps diacritics, so "Hà" never matches "Hạ".
        db.execute('CREATE VIRTUAL TABLE sentences_fts USING fts5(text, canonical, folded, doc_id UNINDEXED, '
                   'start UNINDEXED, "end" UNINDEXED, tokenize="unicode61 remove_diacritics 0")')
    for view, sql in VIEWS.items():
        db.execute(f"CREATE VIEW IF NOT EXISTS [{view}] AS {sql}")


def index_name(table: str, cols: list[str]) -> str:
    """sqlite-utils' name for an index of these columns."""
    return f"idx_{table}_{'_'.join(cols)}"


def drop_resolved_indexes(db: sqlite_utils.Database) -> None:
    for table, indexes in RESOLVED_COLUMNS.items():
        for cols in indexes:
            db.execute(f"DROP INDEX IF EXISTS [{index_name(table, cols)}]")


def create_resolved_indexes(db: sqlite_utils.Database) -> None:
    for table, indexes in RESOLVED_COLUMNS.items():
        for cols in indexes:
            db[table].create_index(cols, index_name=index_name(table, cols), if_not_exists=True)


def check_version(db: sqlite_utils.Database) -> str | None:
    """The schema version of an existing knowledge base (None for a new file)."""
    try:
        row = db.execute("SELECT value FROM kb_meta WHERE name = 'schema_version'").fetchone()
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None
