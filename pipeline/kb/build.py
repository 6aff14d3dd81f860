"""Building the knowledge base: load each document in its own transaction, then resolve entities.

Incremental and idempotent. A document is keyed by its content id (and the pipeline version and
data digest its facts came from): an unchanged one is skipped, the same content reached through
another folder only adds its path, and a file whose content changed (a new id for the same
source path) replaces the old document's facts in one transaction. Resolution then reassigns
every document entity to an entity, in one transaction, from all the evidence. A build killed at
any moment leaves the database as it was before the document (or the resolution) under way; the
next build finishes the job and gives the database an uninterrupted build gives.
"""
from __future__ import annotations

import contextlib
import hashlib
import operator
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import sqlite_utils

from pipeline import __version__
from pipeline.gazetteers import Gazetteers, district_homes, spelled_ways
from pipeline.kb import resolve as rs
from pipeline.kb import schema
from pipeline.kb.load import NotADocument, document_rows, loads
from pipeline.keys import match_key
from pipeline.references import entity_keys
from pipeline.units import units as units_of

KIND_ORDER = ("agency", "legal_document", "program", "official")  # agencies first: officials use them
RESOLVER_VERSION = "3"  # raise when resolution rules change, so that unchanged files are resolved again


@dataclass
class BuildSummary:
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    new_paths: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    doc_entities: int = 0
    entities: int = 0
    documents: int = 0

    @property
    def merged(self) -> int:
        return self.doc_entities - self.entities

    def line(self) -> str:
        return (f"documents: {self.added} added, {self.replaced} replaced, {self.unchanged} unchanged"
                + (f" ({self.new_paths} reached by a new path)" if self.new_paths else "")
                + (f", {len(self.skipped)} skipped" if self.skipped else "")
                + f"; {self.documents} in the knowledge base. Entities: {self.entities} from "
                  f"{self.doc_entities} document entities ({self.merged} merged).")


def json_files(dirs: Iterable[Path]) -> list[Path]:
    """Every extraction JSON under the folders (or files) given, in a stable order; names starting
    with "_" (the batch report) are not documents."""
    out: set[Path] = set()
    for d in dirs:
        d = Path(d)
        if d.is_file():
            out.add(d)
        else:
            out.update(p for p in d.rglob("*.json") if not p.name.startswith("_") and p.is_file())
    return sorted(out, key=lambda p: str(p))


LOAD_GROUP = 1000  # documents per transaction (kb build --commit-every)


def build(db_path: Path, dirs: Iterable[Path], gazetteers: Gazetteers | None = None,
          judgements: Path | None = None, progress: bool = False,
          on_skip: Callable[[str, str], None] | None = None, load_group: int = LOAD_GROUP) -> BuildSummary:
    gz = gazetteers or Gazetteers()
    units = units_of(gz)
    db = sqlite_utils.Database(db_path)
    # WAL: a commit per document costs no sync of the whole file, readers (a running `serve`) are
    # never blocked, and a killed build still leaves every committed document whole
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    # a 64 MB page cache and a checkpoint every 64 MB of log: a tenth less loading time (measured on
    # 3,000 documents); the log still folds into the file as the build goes
    db.execute("PRAGMA cache_size=-65536")
    db.execute("PRAGMA wal_autocheckpoint=16384")
    version = schema.check_version(db)
    if version not in (None, schema.SCHEMA_VERSION):
        raise ValueError(f"{db_path} holds a knowledge base of schema {version}, this build writes "
                         f"{schema.SCHEMA_VERSION}: build into a new file")
    with db.atomic():
        schema.create(db)
        db["kb_meta"].upsert({"name": "schema_version", "value": schema.SCHEMA_VERSION}, pk="name")
    summary = BuildSummary()
    files = json_files(dirs)
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=len(files), unit="doc", file=sys.stderr, dynamic_ncols=True, desc="loading")
    # documents commit in groups: a commit per document was a fifth of the build time (measured on
    # 2,000 documents), and groups of 100 still spent 5.1 s of 29 s committing 10,000 documents
    # (groups of 1,000: 2.7 s; every group rewrites the index pages its random keys touch); a
    # killed build loses at most the uncommitted group, whole documents only, which the next
    # build loads again
    for at in range(0, len(files), load_group):
        with db.atomic():
            for f in files[at:at + load_group]:
                _load_one(db, f, units, summary, on_skip)
                if bar is not None:
                    bar.update(1)
    if bar is not None:
        bar.close()
    judged = rs.Judgements()
    judged_text = ""
    if judgements is not None:
        judged_text = Path(judgements).read_text(encoding="utf-8")
        judged = rs.Judgements.parse(judged_text.splitlines(), str(judgements))
    state = _resolution_state(db, gz, judged_text)
    done = db.execute("SELECT value FROM kb_meta WHERE name = 'resolution_state'").fetchone()
    if done is None or done[0] != state:  # nothing changed since the last resolution: keep it
        with db.atomic():
            resolve_all(db, gz, judged)
            db["kb_meta"].upsert({"name": "resolution_state", "value": state}, pk="name")
    summary.documents = db["documents"].count
    summary.doc_entities = db["doc_entities"].count
    summary.entities = db["entities"].count
    db.close()
    return summary


def _load_one(db: sqlite_utils.Database, f: Path, units, summary: BuildSummary,
              on_skip: Callable[[str, str], None] | None) -> None:
    def skip(reason: str) -> None:
        summary.skipped.append((str(f), reason))
        if on_skip:
            on_skip(str(f), reason)

    try:
        st = f.stat()
        # a JSON loaded before with the same size and time is not read again (as `extract` resumes)
        if db.execute("SELECT 1 FROM document_paths WHERE json_path = ? AND json_size = ? AND json_mtime_ns = ?",
                      [str(f), st.st_size, st.st_mtime_ns]).fetchone():
            summary.unchanged += 1
            return
        doc = loads(f.read_bytes())
        rows = document_rows(doc, str(f), units)
        rows.tables["document_paths"][0].update(json_size=st.st_size, json_mtime_ns=st.st_mtime_ns)
    except (OSError, UnicodeDecodeError, ValueError) as err:  # NotADocument is a ValueError
        skip(str(err).splitlines()[0][:200] if isinstance(err, NotADocument) else f"unreadable JSON ({type(err).__name__})")
        return
    except (KeyError, TypeError, IndexError) as err:
        skip(f"not an extraction output ({type(err).__name__}: {err})")
        return
    had = db.execute("SELECT facts_key FROM documents WHERE doc_id = ?", [rows.doc_id]).fetchone()
    # inside the group's transaction (an error there ends the build and rolls the group back, so a
    # savepoint per document only cost time: a tenth of the build)
    with contextlib.nullcontext() if db.conn.in_transaction else db.atomic():
        if had and had[0] == rows.facts_key:
            new = db.execute("SELECT 1 FROM document_paths WHERE doc_id = ? AND json_path = ?",
                             [rows.doc_id, str(f)]).fetchone() is None
            # the path's row, new or with the JSON's new size and time
            _insert(db, "document_paths", rows.tables["document_paths"], replace=True)
            summary.new_paths += new
            summary.unchanged += 1
            return
        # the same source path held other content before: that content leaves with this path
        stale = [r[0] for r in db.execute("SELECT doc_id FROM document_paths WHERE path = ? AND doc_id != ?",
                                          [rows.source_path, rows.doc_id])]
        for old in stale:
            db.execute("DELETE FROM document_paths WHERE doc_id = ? AND path = ?", [old, rows.source_path])
            if db.execute("SELECT 1 FROM document_paths WHERE doc_id = ?", [old]).fetchone() is None:
                _delete_document(db, old)
        # a plain read: sqlite-utils' query() wraps every read in a savepoint, a tenth of the load
        cols = ("doc_id", "path", "json_path", "json_size", "json_mtime_ns")
        paths = [dict(zip(cols, r)) for r in db.execute(
            f"SELECT {', '.join(cols)} FROM document_paths WHERE doc_id = ?", [rows.doc_id])]
        if had:
            _delete_document(db, rows.doc_id)
        # a document's sentences are one run of rowids in the full-text table, kept on the document:
        # they leave the index by rowid (it cannot be searched by its unindexed doc_id)
        last = db.execute("SELECT rowid FROM sentences_fts ORDER BY rowid DESC LIMIT 1").fetchone()
        base = (last[0] if last else 0) + 1
        for k, indexed in enumerate(rows.tables["sentences_fts"]):
            indexed["rowid"] = base + k
        if rows.tables["sentences_fts"]:
            rows.tables["documents"][0].update(sentences_from=base,
                                               sentences_to=base + len(rows.tables["sentences_fts"]) - 1)
        for table, items in rows.tables.items():
            _insert(db, table, items, replace=table == "document_paths")
        if paths:  # the other paths of re-extracted content stay known
            _insert(db, "document_paths", paths, replace=True)
    if had or stale:
        summary.replaced += 1
    else:
        summary.added += 1


def _insert(db: sqlite_utils.Database, table: str, rows: list[dict], replace: bool = False) -> None:
    """Rows of one table, as one prepared statement. The per-document hot path: sqlite-utils'
    insert_all re-reads the table's columns and rebuilds its statement for every call, which was
    half of the build time (measured on 1,000 documents); tables and indexes are sqlite-utils'."""
    if not rows:
        return
    cols = list(rows[0])
    sql = (f"INSERT {'OR REPLACE ' if replace else ''}INTO [{table}] ({', '.join(f'[{c}]' for c in cols)}) "
           f"VALUES ({', '.join('?' * len(cols))})")
    values = operator.itemgetter(*cols) if len(cols) > 1 else (lambda r: (r[cols[0]],))
    db.conn.executemany(sql, map(values, rows))


def _resolution_state(db: sqlite_utils.Database, gz: Gazetteers, judgements: str) -> str:
    """What resolution depends on: the documents' facts, the judgements, the data, the resolver."""
    h = hashlib.sha256(f"{__version__}|{RESOLVER_VERSION}|{gz.digest}|{judgements}".encode("utf-8"))
    for (key,) in db.execute("SELECT facts_key FROM documents ORDER BY doc_id"):
        h.update(key.encode("utf-8") + b"\n")
    return h.hexdigest()


def _delete_document(db: sqlite_utils.Database, doc_id: str) -> None:
    # statements go through their document entities (the index there is all they need)
    db.execute("DELETE FROM statements WHERE doc_entity_id IN "
               "(SELECT doc_entity_id FROM doc_entities WHERE doc_id = ?)", [doc_id])
    run = db.execute("SELECT sentences_from, sentences_to FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
    if run and run[0] is not None:
        db.execute("DELETE FROM sentences_fts WHERE rowid BETWEEN ? AND ?", list(run))
    for table in ("documents",) + schema.PER_DOCUMENT:
        if table != "statements":
            db.execute(f"DELETE FROM [{table}] WHERE doc_id = ?", [doc_id])


# --- resolution ------------------------------------------------------------------------------

def resolve_all(db: sqlite_utils.Database, gz: Gazetteers, judgements: rs.Judgements) -> None:
    """Reassign every document entity to an entity, from all the evidence in the file."""
    keys = entity_keys(gz)
    scope = {match_key(r["kind"]): r["scope"] for r in gz.tsv("program_kinds.tsv") if r.get("scope")}
    aliases = {keys.spell(r["written"]): keys.spell(r["same_as"]) for r in gz.tsv("agency_equivalents.tsv")}
    provinces = province_homes(gz)
    province_words = [r["word"] for r in gz.tsv("level_words.tsv") if r.get("level") == "province"]
    docs = {r["doc_id"]: r for r in db.query("SELECT doc_id, path, report_place, published FROM documents")}
    stems = {d: rs._stem_of(r["path"]) for d, r in docs.items()}
    by_kind: dict[str, list[rs.Item]] = defaultdict(list)
    # rows as tuples: 150,000 dicts built for 10,000 documents were a tenth of the resolution
    for de_id, doc_id, kind, key, name, canon, place, level, details in db.conn.execute(
            "SELECT doc_entity_id, doc_id, kind, key, name, canonical, place, level, details "
            "FROM doc_entities ORDER BY doc_entity_id"):
        d = docs[doc_id]
        by_kind[kind].append(rs.Item(
            de_id=de_id, doc_id=doc_id, kind=kind, key=key, name=name, canonical=canon, place=place,
            level=level, details_json=details, report_place=d["report_place"], published=d["published"]))
    assigned: dict[str, str] = {}
    entity_rows: list[dict] = []
    link_rows: list[dict] = []
    taken: set[str] = set()
    agency_named: dict[tuple[str, str], str] = {}  # a legal document's issuer, when it is an agency of its report
    for kind in KIND_ORDER:
        items = by_kind.get(kind, [])
        rs.prepare(items, keys, assigned, scope, aliases, provinces, agency_named, province_words)
        clusters = rs.resolve(items, judgements, stems, rs.VERDICTS)
        for c in sorted(clusters, key=lambda c: min(x.de_id for x in c.items)):
            row = _entity_row(kind, c, docs, taken)
            entity_rows.append(row)
            for it in c.items:
                assigned[it.de_id] = row["entity_id"]
                if kind == "agency":
                    for written in (it.name, it.canonical):
                        if written:
                            agency_named.setdefault((it.doc_id, keys.spell(written)), row["entity_id"])
            for de_id, (other, reason) in sorted(c.reasons.items()):
                link_rows.append({"entity_id": row["entity_id"], "doc_entity_id": de_id,
                                  "other_doc_entity_id": other, "decision": "same",
                                  "source": "judgement" if reason == "judged the same" else "auto",
                                  "reason": reason})
    _parents(entity_rows, gz, keys, provinces)
    for table in schema.RESOLVED:
        db.execute(f"DELETE FROM [{table}]")
    _insert(db, "entities", entity_rows)
    _insert(db, "entity_links", link_rows)
    schema.drop_resolved_indexes(db)
    db.conn.executemany("UPDATE doc_entities SET entity_id = ? WHERE doc_entity_id = ?",
                   [(e, d) for d, e in sorted(assigned.items())])
    db.execute("UPDATE mentions SET entity_id = d.entity_id FROM doc_entities d "
               "WHERE d.doc_entity_id = mentions.doc_entity_id")
    db.execute("UPDATE positions SET entity_id = d.entity_id FROM doc_entities d "
               "WHERE d.doc_entity_id = positions.doc_entity_id")
    db.execute("UPDATE positions SET organisation_id = d.entity_id FROM doc_entities d "
               "WHERE d.doc_entity_id = positions.organisation_ref")
    for col in ("agency", "program", "legal_document"):
        db.execute(f"UPDATE outcomes SET {col}_id = d.entity_id FROM doc_entities d "
                   f"WHERE d.doc_entity_id = outcomes.{col}_ref")
    schema.create_resolved_indexes(db)


def province_homes(gz: Gazetteers) -> dict[str, set[str]]:
    """Key of a province or district, in every spelling (gazetteers/place_spellings.tsv) -> the
    keys of the provinces it lies in, as places.tsv writes them."""
    provinces: dict[str, set[str]] = defaultdict(set)
    for r in gz.tsv("places.tsv"):
        for way in spelled_ways(r["name"], gz):
            provinces[match_key(way)].add(match_key(r["name"]))
    for k, homes in district_homes(gz, match_key).items():
        provinces[k].update(match_key(p) for p in homes)
    return provinces


def _parents(rows: list[dict], gz: Gazetteers, keys, provinces: dict[str, set[str]]) -> None:
    """Each agency's parent body by gazetteers/agency_parents.tsv, and its entity when it is there."""
    rules = sorted(((keys.spell(r["body"]), r["parent"]) for r in gz.tsv("agency_parents.tsv")),
                   key=lambda r: -len(r[0]))
    by_key = {}
    for r in rows:
        if r["kind"] == "agency":
            by_key.setdefault(keys.spell(r["canonical"]), r["entity_id"])
    for r in rows:
        r.setdefault("parent", None)
        r.setdefault("parent_id", None)
        if r["kind"] != "agency":
            continue
        k = keys.spell(r["canonical"])
        for body, parent in rules:
            if k == body or k.startswith(body + " "):
                place = r["place"] or ""
                homes = provinces.get(match_key(place), set())
                province = next(iter(homes)) if len(homes) == 1 else ""
                if ("{place}" in parent and not place) or ("{province}" in parent and not province):
                    break
                name = parent.format(place=place, province=province.title() if province else "")
                if keys.spell(name) == k:
                    break
                r["parent"] = name
                r["parent_id"] = by_key.get(keys.spell(name))
                break


def _entity_row(kind: str, c: rs.Cluster, docs: dict, taken: set[str]) -> dict:
    items = c.items
    names = Counter(it.name for it in items)
    name = max(names, key=lambda n: (len(n.split()), names[n], n))  # the fullest form seen
    canon = Counter(it.canonical for it in items).most_common(1)[0][0]
    places = Counter(it.place for it in items if it.place)
    place = places.most_common(1)[0][0] if places else None
    if kind == "official" and not place:
        weak = Counter(it.report_place for it in items if it.report_place)
        place = weak.most_common(1)[0][0] if len(weak) == 1 else None
    dates = sorted(docs[it.doc_id]["published"] for it in items if docs[it.doc_id]["published"])
    base = f"{kind}:{rs.slug(name if kind != 'agency' else canon)}"
    if place and (kind == "official" or rs.slug(place) not in base):
        base += f".{rs.slug(place)}"
    years = sorted({it.facts.get("year") for it in items if it.facts.get("year")})
    if kind == "legal_document" and len(years) == 1:
        base += f".{years[0]}"
    eid = base
    if eid in taken:
        eid = f"{base}~{rs.slug(min(it.de_id for it in items))[:24]}"
    taken.add(eid)
    levels = Counter(it.level for it in items if it.level)
    return {"entity_id": eid, "kind": kind, "name": name, "canonical": canon,
            "key": Counter(it.key for it in items).most_common(1)[0][0],
            "place": place, "level": levels.most_common(1)[0][0] if levels else None,
            "documents": len({it.doc_id for it in items}),
            "first_seen": dates[0] if dates else None, "last_seen": dates[-1] if dates else None}
