"""The Datasette plugin shipped with the package (entry point `datasette: vnreport`).

- `prepare_connection`: the vn_* SQL functions (pipeline.query.sqlfuncs) on every connection, so
  canned queries match names and places without tone marks and put provinces on the map.
- `/-/document/<doc_id>`: the document's text with every mention and figure highlighted and the
  cited span (`?start=&end=`) marked and scrolled to; `.json` gives the same as JSON.
- `/-/find?q=`: one box over every document and sentence, hits highlighted, grouped by document.
- `render_cell`: a `doc_id` (and a `path` beside one) links to its document page, at the row's
  span when the row has `start` and `end`; entity and outcome ids link to their rows; a search hit shows its «marks».
"""
from __future__ import annotations

import html
import re
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils import tilde_encode
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup

from pipeline.query import questions
from pipeline.query.sqlfuncs import MARK_CLOSE, MARK_OPEN, register

ENTITY_COLUMNS = {"entity_id", "agency_id", "program_id", "legal_document_id", "organisation_id"}
KIND_LABELS = {"official": "Official", "agency": "Agency", "legal_document": "Legal document",
               "program": "Programme", "figure": "Figure"}
_DOC_ID = re.compile(r"^[0-9A-Za-z_.-]{1,64}$")
FIND_LIMIT = 500


@hookimpl
def prepare_connection(conn, database, datasette):
    register(conn)


def document_url(doc_id: str, start=None, end=None) -> str:
    url = f"/-/document/{doc_id}"
    if start is not None and end is not None:
        url += "?" + urlencode({"start": start, "end": end}) + "#cited"
    return url


def _marks(text: str) -> str:
    """«hit» -> <mark>hit</mark>, the rest escaped."""
    out = html.escape(text)
    return out.replace(html.escape(MARK_OPEN), "<mark>").replace(html.escape(MARK_CLOSE), "</mark>")


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if value is None or value == "":
        return None
    if column in ("doc_id", "path") and isinstance(value, str):
        try:
            keys = row.keys()
            doc_id = value if column == "doc_id" else (row["doc_id"] if "doc_id" in keys else None)
            start, end = (row["start"], row["end"]) if "start" in keys and "end" in keys else (None, None)
        except (AttributeError, TypeError, KeyError, IndexError):
            return None
        if not isinstance(doc_id, str) or not doc_id:
            return None
        if not isinstance(start, int) or not isinstance(end, int):
            start = end = None
        title = "the document, at this span" if start is not None else "the document"
        return Markup(f'<a href="{html.escape(document_url(doc_id, start, end))}" title="{title}">'
                      f'{html.escape(value)}</a>')
    if column in ENTITY_COLUMNS and isinstance(value, str) and not (table == "entities" and column == "entity_id"):
        return Markup(f'<a href="/{html.escape(database)}/entities/{html.escape(tilde_encode(value))}">'
                      f'{html.escape(value)}</a>')
    if column in ("outcome_id", "outcome_ids") and isinstance(value, str) and table != "outcomes":
        return Markup(" ".join(f'<a href="/{html.escape(database)}/outcomes/{html.escape(tilde_encode(v))}">'
                               f'{html.escape(v)}</a>' for v in value.split()))
    if column == "hit" and isinstance(value, str):
        return Markup(_marks(value))
    return None


async def _kb(datasette):
    """The knowledge base among the site's databases: the first holding document texts."""
    for name, db in datasette.databases.items():
        if name.startswith("_"):
            continue
        if await db.table_exists("document_texts"):
            return db
    raise NotFound("no knowledge base is served here")


def segments(text: str, spans: list[dict]) -> list[tuple[int, int, list[dict]]]:
    """Cut `text` at every span boundary: (start, end, spans covering that piece), in order.

    >>> [(s, e, [x["k"] for x in c]) for s, e, c in segments("abcdef", [{"start": 1, "end": 4, "k": "a"},
    ...                                                                   {"start": 2, "end": 3, "k": "b"}])]
    [(0, 1, []), (1, 2, ['a']), (2, 3, ['a', 'b']), (3, 4, ['a']), (4, 6, [])]
    """
    cuts = sorted({0, len(text)} | {s["start"] for s in spans} | {s["end"] for s in spans})
    cuts = [c for c in cuts if 0 <= c <= len(text)]
    out = []
    for a, b in zip(cuts, cuts[1:]):
        if a < b:
            out.append((a, b, [s for s in spans if s["start"] <= a and s["end"] >= b]))
    return out


def render_text(text: str, spans: list[dict], cited: tuple[int, int] | None) -> str:
    all_spans = list(spans)
    if cited:
        all_spans.append({"start": cited[0], "end": cited[1], "kind": "cited"})
    parts = []
    anchored = False
    for a, b, cover in segments(text, all_spans):
        piece = html.escape(text[a:b])
        if not cover:
            parts.append(piece)
            continue
        classes = sorted({f"vn-{c['kind']}" for c in cover})
        marks = [c for c in cover if c["kind"] != "cited"]
        inner = min(marks, key=lambda c: c["end"] - c["start"]) if marks else None
        title = "; ".join(f"{KIND_LABELS.get(c['kind'], c['kind'])}: {c.get('label') or ''}".strip() for c in marks)
        ident = ""
        if cited and a == cited[0] and not anchored:
            ident, anchored = ' id="cited"', True
        attrs = f'class="vn-mark {" ".join(classes)}"{ident}' + (f' title="{html.escape(title)}"' if title else "")
        if inner is not None and inner.get("href"):
            parts.append(f'<a {attrs} href="{html.escape(inner["href"])}">{piece}</a>')
        else:
            parts.append(f"<span {attrs}>{piece}</span>")
    return "".join(parts)


def _int_arg(request, name: str) -> int | None:
    v = request.args.get(name)
    return int(v) if v is not None and v.isdigit() else None


async def document_page(datasette, request):
    doc_id = request.url_vars["doc_id"]
    as_json = doc_id.endswith(".json")
    doc_id = doc_id[:-5] if as_json else doc_id
    if not _DOC_ID.match(doc_id):
        raise NotFound("no such document")
    db = await _kb(datasette)
    doc = (await db.execute("SELECT * FROM documents WHERE doc_id = ?", [doc_id])).first()
    row = (await db.execute("SELECT text FROM document_texts WHERE doc_id = ?", [doc_id])).first()
    if doc is None or row is None:
        raise NotFound(f"no document {doc_id}")
    text = row["text"]
    base = f"/{db.name}"
    spans = []
    for m in await db.execute(
            'SELECT m.start, m."end", m.kind, m.entity_id, m.text, e.name FROM mentions m '
            "LEFT JOIN entities e ON e.entity_id = m.entity_id WHERE m.doc_id = ? ORDER BY m.start", [doc_id]):
        spans.append({"start": m["start"], "end": m["end"], "kind": m["kind"], "entity_id": m["entity_id"],
                      "label": m["name"] or m["text"],
                      "href": f"{base}/entities/{tilde_encode(m['entity_id'])}" if m["entity_id"] else None})
    for o in await db.execute('SELECT start, "end", outcome_id, text, value, unit, qualifier FROM outcomes '
                              "WHERE doc_id = ? ORDER BY start", [doc_id]):
        spans.append({"start": o["start"], "end": o["end"], "kind": "figure", "outcome_id": o["outcome_id"],
                      "label": f"{o['text']} (value {o['value']:g} {o['unit'] or ''})",
                      "href": f"{base}/outcomes/{tilde_encode(o['outcome_id'])}"})
    start, end = _int_arg(request, "start"), _int_arg(request, "end")
    cited = (start, end) if start is not None and end is not None and 0 <= start < end <= len(text) else None
    if as_json:
        return Response.json({"document": dict(doc), "text": text, "spans": spans,
                              "cited": {"start": cited[0], "end": cited[1], "text": text[cited[0]:cited[1]]}
                              if cited else None})
    kinds: dict[str, set] = {}
    for s in spans:
        kinds.setdefault(s["kind"], set()).add(s.get("entity_id") or s.get("outcome_id"))
    return Response.html(await datasette.render_template("vnreport_document.html", {
        "doc": dict(doc), "database": db.name, "body": Markup(render_text(text, spans, cited)),
        "cited": cited, "cited_text": text[cited[0]:cited[1]] if cited else None,
        "counts": [(KIND_LABELS.get(k, k), k, len(v)) for k, v in sorted(kinds.items())],
        "json_url": document_url(doc_id + ".json", *(cited or (None, None))).split("#")[0],
    }, request=request))


async def find_page(datasette, request):
    q = (request.args.get("q") or "").strip()
    db = await _kb(datasette)
    groups: list[dict] = []
    total = 0
    error = None
    if q:
        try:
            res = await db.execute(questions.search(FIND_LIMIT), {"q": q})
        except Exception as err:  # a query the time limit stopped, or no words in it
            error = str(err)
            res = []
        by_doc: dict[str, dict] = {}
        for r in res:
            total += 1
            g = by_doc.get(r["doc_id"])
            if g is None:
                g = by_doc[r["doc_id"]] = {"doc_id": r["doc_id"], "title": r["title"], "published": r["published"],
                                           "path": r["path"], "url": document_url(r["doc_id"]), "hits": []}
                groups.append(g)
            g["hits"].append({"html": Markup(_marks(r["hit"])), "url": document_url(r["doc_id"], r["start"], r["end"]),
                              "citation": r["citation"]})
    return Response.html(await datasette.render_template("vnreport_find.html", {
        "q": q, "groups": groups, "total": total, "limit": FIND_LIMIT, "error": error, "database": db.name,
        "table_url": f"/{db.name}/search?" + urlencode({"q": q}),
    }, request=request))


@hookimpl
def register_routes(datasette):
    return [
        (r"^/-/document/(?P<doc_id>[^/]+)$", document_page),
        (r"^/-/find$", find_page),
    ]


@hookimpl
def menu_links(datasette, actor, request):
    return [{"href": "/-/find", "label": "Search the archive"}]
