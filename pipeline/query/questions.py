"""The researchers' questions as SQL: one statement per question, shared by the `query` commands
and the web view's canned queries, so the two give the same rows.

Each builder takes the set of filters the caller has already resolved to entity ids (the command
line resolves names first, and lists the candidates when a name is ambiguous): a resolved filter
reads ids from a JSON array parameter (`:program_ids`), an unresolved one matches the typed text
with the vn_* functions (`pipeline.query.sqlfuncs`), and an empty parameter filters nothing.
Every row carries `doc_id`, `start` and `end`: the document and span it was read from.
"""
from __future__ import annotations

from dataclasses import dataclass, field

MAX_ROWS = 1000  # a web page never shows more than Datasette's max_returned_rows anyway


def _entity_filter(param: str, column: str, kinds_sql: str, resolved: frozenset[str]) -> str:
    """`column` is one of the entities of a kind that `:param` names."""
    if param in resolved:
        return f"{column} IN (SELECT value FROM json_each(:{param}_ids))"
    return (f"(:{param} = '' OR {column} IN (SELECT entity_id FROM entities WHERE {kinds_sql} "
            f"AND (vn_match(name, :{param}) OR vn_match(canonical, :{param}))))")


def _distinct_filter(param: str, column: str, table: str, func: str) -> str:
    """`column` is one of the distinct values of `table.column` that `func(value, :param)` accepts:
    the Python function runs once per distinct value, not once per row."""
    bare = column.split(".")[-1]
    return (f"(:{param} = '' OR {column} IN (SELECT {bare} FROM (SELECT DISTINCT {bare} FROM {table} "
            f"WHERE {bare} IS NOT NULL) WHERE {func}({bare}, :{param})))")


FIRST_MENTION = ("LEFT JOIN mentions m ON m.rowid = (SELECT rowid FROM mentions WHERE entity_id = e.entity_id "
                 "ORDER BY doc_id, start LIMIT 1)\nLEFT JOIN documents md ON md.doc_id = m.doc_id")


def officials(resolved: frozenset[str] = frozenset()) -> str:
    name = ("p.entity_id IN (SELECT value FROM json_each(:name_ids))" if "name" in resolved
            else "(:name = '' OR vn_match(e.name, :name))")
    agency = ("p.organisation_id IN (SELECT value FROM json_each(:agency_ids))" if "agency" in resolved
              else "(:agency = '' OR vn_match(coalesce(org.name, p.organisation), :agency) "
                   "OR vn_match(org.canonical, :agency))")
    return f"""WITH p AS (
  SELECT p.entity_id, p.position, p.rank, p.doc_id, p.doc_entity_id, p.as_of,
         coalesce(p.place, org.place, e.place) AS place,
         coalesce(org.name, p.organisation) AS organisation,
         coalesce(p.organisation_id || ' ' || vn_canon(p.title), vn_canon(p.position)) AS post_key
  FROM positions p
  JOIN entities e ON e.entity_id = p.entity_id
  LEFT JOIN entities org ON org.entity_id = p.organisation_id
  WHERE {name}
    AND {agency}
    AND (:place = '' OR vn_in_place(coalesce(p.place, org.place, e.place), :place))
),
first AS (
  SELECT p.*, row_number() OVER (PARTITION BY entity_id, post_key
                                 ORDER BY as_of IS NULL, as_of, length(position) DESC, doc_id) AS n
  FROM p
),
g AS (
  SELECT entity_id, post_key, min(as_of) AS earliest, max(as_of) AS latest, count(DISTINCT doc_id) AS reports
  FROM p GROUP BY entity_id, post_key
),
src AS (
  SELECT entity_id, post_key, group_concat(path, ' | ') AS sources FROM (
    SELECT p.entity_id, p.post_key, d.path, min(coalesce(p.as_of, '9999')) AS k
    FROM p JOIN documents d ON d.doc_id = p.doc_id
    GROUP BY p.entity_id, p.post_key, d.path ORDER BY p.entity_id, p.post_key, k, d.path)
  GROUP BY entity_id, post_key
)
SELECT e.name AS official, f.rank, f.position AS post, f.organisation, f.place,
       g.earliest, g.latest, g.reports, src.sources,
       (SELECT path FROM documents WHERE doc_id = f.doc_id) AS path, f.doc_id,
       (SELECT min(start) FROM mentions WHERE doc_entity_id = f.doc_entity_id) AS start,
       (SELECT "end" FROM mentions WHERE doc_entity_id = f.doc_entity_id ORDER BY start LIMIT 1) AS "end",
       f.entity_id
FROM first f
JOIN g ON g.entity_id = f.entity_id AND g.post_key = f.post_key
JOIN src ON src.entity_id = f.entity_id AND src.post_key = f.post_key
JOIN entities e ON e.entity_id = f.entity_id
WHERE f.n = 1 AND (:when = '' OR (g.earliest <= :when || '~' AND g.latest >= :when))
ORDER BY e.name, f.entity_id, g.earliest IS NULL, g.earliest, f.position"""


def _outcome_filters(resolved: frozenset[str]) -> str:
    return "\n  AND ".join([
        _entity_filter("program", "o.program_id", "kind = 'program'", resolved),
        _entity_filter("agency", "o.agency_id", "kind = 'agency'", resolved),
        _entity_filter("document", "o.legal_document_id", "kind = 'legal_document'", resolved),
        _distinct_filter("place", "o.place", "outcomes", "vn_in_place"),
        _distinct_filter("unit", "o.unit_key", "outcomes", "vn_unit_is"),
        # a figure's period (else its year) overlaps the period asked about; "2021/.." is open
        "(:period = '' OR (coalesce(o.period_start, o.year || '-01-01') <= vn_period_hi(:period) "
        "AND coalesce(o.period_end, CASE WHEN o.period_start IS NOT NULL THEN '9999' END, o.year || '-12-31') "
        ">= vn_period_lo(:period)))",
    ])


def outcomes(resolved: frozenset[str] = frozenset()) -> str:
    return f"""SELECT o.text AS figure, o.value, o.unit, o.qualifier AS hedge, o.low, o.high,
       coalesce(o.period, CAST(o.year AS TEXT)) AS period, o.place,
       pr.name AS program, coalesce(ag.name, o.agency) AS agency, ld.name AS legal_document,
       o.sentence, d.published, d.path, o.doc_id, o.start, o."end", o.outcome_id
FROM outcomes o
JOIN documents d ON d.doc_id = o.doc_id
LEFT JOIN entities pr ON pr.entity_id = o.program_id
LEFT JOIN entities ag ON ag.entity_id = o.agency_id
LEFT JOIN entities ld ON ld.entity_id = o.legal_document_id
WHERE {_outcome_filters(resolved)}
ORDER BY o.year IS NULL, o.year, d.published, o.doc_id, o.start"""


def totals(resolved: frozenset[str] = frozenset()) -> str:
    """Comparable figures added up: the same unit (unit_key) in the same slot (the figure's
    period, else its year), across places, programmes and agencies. Not added, each with its
    reason: percentages; figures with no period or year; a figure a second report repeats (same
    unit, slot, place and value: counted once); a district's or city's figure when its province
    has one in the same unit and slot (it is part of it)."""
    return f"""WITH o AS (
  SELECT o.outcome_id, o.text, o.value, o.low, o.high, o.qualifier, o.unit_key, o.place,
         coalesce(o.period, CAST(o.year AS TEXT)) AS slot
  FROM outcomes o
  WHERE {_outcome_filters(resolved)}
),
places AS MATERIALIZED (  -- the Python functions run once per distinct place, not once per figure
  SELECT place, vn_fold(place) AS folded, vn_province(place) AS province,
         vn_fold(place) = vn_fold(vn_province(place)) AS is_province
  FROM (SELECT DISTINCT place FROM o WHERE place IS NOT NULL)
),
figures AS MATERIALIZED (  -- one figure per unit, slot, place and value, however many reports repeat it
  SELECT o.unit_key, o.slot, min(o.outcome_id) AS outcome_id, o.text, o.value, o.low, o.high, o.qualifier,
         pl.province, pl.is_province, count(*) AS reports, group_concat(o.outcome_id, ' ') AS all_ids
  FROM o LEFT JOIN places pl ON pl.place = o.place
  WHERE o.unit_key IS NOT NULL AND o.unit_key != '%' AND o.slot IS NOT NULL
  GROUP BY o.unit_key, o.slot, coalesce(pl.folded, ''), o.value
),
provincial AS (
  SELECT DISTINCT unit_key, slot, province FROM figures WHERE is_province
),
judged AS (
  SELECT f.*, CASE WHEN pv.province IS NOT NULL AND NOT f.is_province
                   THEN 'part of the figure for ' || f.province || ' (same unit and period)' END AS reason
  FROM figures f
  LEFT JOIN provincial pv ON pv.unit_key = f.unit_key AND pv.slot = f.slot AND pv.province = f.province
)
SELECT * FROM (
  SELECT unit_key AS unit, slot AS period, count(*) AS figures, sum(value) AS total,
         CASE WHEN count(low) = count(*) THEN sum(low) END AS low,
         CASE WHEN count(high) = count(*) THEN sum(high) END AS high,
         count(qualifier) AS hedged, group_concat(text, ' + ') AS added, group_concat(outcome_id, ' ') AS outcome_ids,
         NULL AS not_added
  FROM judged WHERE reason IS NULL GROUP BY unit_key, slot
  UNION ALL
  SELECT unit_key, slot, 0, NULL, NULL, NULL, NULL, text, all_ids, reason FROM judged WHERE reason IS NOT NULL
  UNION ALL
  SELECT unit_key, slot, 0, NULL, NULL, NULL, NULL, text, all_ids,
         'the same figure in ' || reports || ' reports (same unit, period, place and value): counted once, as '
           || outcome_id
  FROM judged WHERE reports > 1 AND reason IS NULL
  UNION ALL
  SELECT unit_key, slot, 0, NULL, NULL, NULL, NULL, text, outcome_id,
         CASE WHEN unit_key = '%' THEN 'a percentage: percentages do not add'
              ELSE 'no period or year: no slot to add it to' END
  FROM o WHERE unit_key IS NULL OR unit_key = '%' OR slot IS NULL
)
ORDER BY unit, period, figures DESC, outcome_ids"""


def by_province(resolved: frozenset[str] = frozenset()) -> str:
    """Figures per province, with the province's map point (for datasette-cluster-map)."""
    return f"""WITH per_place AS (
  SELECT o.place, count(*) AS figures, count(DISTINCT o.doc_id) AS documents
  FROM outcomes o
  WHERE o.place IS NOT NULL AND {_outcome_filters(resolved)}
  GROUP BY o.place
)
SELECT vn_province(place) AS province, vn_lat(vn_province(place)) AS latitude,
       vn_lon(vn_province(place)) AS longitude, sum(figures) AS figures, sum(documents) AS document_mentions,
       group_concat(place, ' | ') AS places
FROM per_place
WHERE vn_province(place) IS NOT NULL
GROUP BY vn_province(place)
ORDER BY figures DESC, province"""


def _most_common(prop: str) -> str:
    return (f"(SELECT s.value FROM doc_entities de JOIN statements s ON s.doc_entity_id = de.doc_entity_id "
            f"WHERE de.entity_id = e.entity_id AND s.prop = '{prop}' GROUP BY s.value "
            f"ORDER BY count(*) DESC, s.value LIMIT 1)")


def _places_filter(entity_place: str) -> str:
    """An entity in the place asked about: its own place, or a report about that place mentions it."""
    return (f"(:place = '' OR vn_in_place({entity_place}, :place) OR e.entity_id IN (SELECT m2.entity_id FROM "
            f"mentions m2 JOIN documents d2 ON d2.doc_id = m2.doc_id WHERE {_distinct_filter('place', 'd2.report_place', 'documents', 'vn_in_place')}))")


def _name_filter(resolved: frozenset[str]) -> str:
    if "name" in resolved:
        return "e.entity_id IN (SELECT value FROM json_each(:name_ids))"
    return "(:name = '' OR vn_match(e.name, :name) OR vn_match(e.canonical, :name))"


def programs(resolved: frozenset[str] = frozenset()) -> str:
    return f"""SELECT e.name AS program, {_most_common('kind')} AS kind, e.place, e.documents,
       e.first_seen, e.last_seen,
       (SELECT count(*) FROM outcomes o WHERE o.program_id = e.entity_id) AS outcomes,
       (SELECT group_concat(name, ' | ') FROM (SELECT DISTINCT ag.name FROM outcomes o
          JOIN entities ag ON ag.entity_id = o.agency_id WHERE o.program_id = e.entity_id ORDER BY ag.name)) AS agencies,
       (SELECT group_concat(name, ' | ') FROM (SELECT DISTINCT ld.name FROM doc_entities de
          JOIN doc_entities lde ON lde.doc_entity_id = de.doc_id || '/' || json_extract(de.details, '$.legal_document_id')
          JOIN entities ld ON ld.entity_id = lde.entity_id WHERE de.entity_id = e.entity_id)) AS legal_basis,
       e.entity_id, md.path, m.doc_id, m.start, m."end"
FROM entities e
{FIRST_MENTION}
WHERE e.kind = 'program' AND {_name_filter(resolved)} AND {_places_filter('e.place')}
ORDER BY e.documents DESC, e.name, e.entity_id"""


def agencies(resolved: frozenset[str] = frozenset()) -> str:
    return f"""SELECT e.name AS agency, e.canonical, e.level, e.place, e.documents, e.first_seen, e.last_seen,
       (SELECT count(DISTINCT p.entity_id) FROM positions p WHERE p.organisation_id = e.entity_id) AS officials,
       (SELECT count(*) FROM outcomes o WHERE o.agency_id = e.entity_id) AS outcomes,
       e.entity_id, md.path, m.doc_id, m.start, m."end"
FROM entities e
{FIRST_MENTION}
WHERE e.kind = 'agency' AND {_name_filter(resolved)} AND (:place = '' OR vn_in_place(e.place, :place))
  AND (:level = '' OR e.level = :level)
ORDER BY e.documents DESC, e.name, e.entity_id"""


def legal_documents(resolved: frozenset[str] = frozenset()) -> str:
    return f"""WITH props AS MATERIALIZED (  -- what the reports state of each legal document, with how often
  SELECT de.entity_id, s.prop, s.value, count(*) AS n
  FROM doc_entities de JOIN statements s ON s.doc_entity_id = de.doc_entity_id
  WHERE de.kind = 'legal_document' AND s.prop IN ('symbol', 'date', 'issuer', 'title')
  GROUP BY de.entity_id, s.prop, s.value
),
progs AS MATERIALIZED (  -- programmes resting on each legal document
  SELECT legal_id, group_concat(name, ' | ') AS programs FROM (
    SELECT DISTINCT lde.entity_id AS legal_id, pe.name
    FROM doc_entities pde
    JOIN doc_entities lde ON lde.doc_entity_id = pde.doc_id || '/' || json_extract(pde.details, '$.legal_document_id')
    JOIN entities pe ON pe.entity_id = pde.entity_id
    WHERE pde.kind = 'program' AND json_extract(pde.details, '$.legal_document_id') IS NOT NULL
    ORDER BY lde.entity_id, pe.name)
  GROUP BY legal_id
)
SELECT * FROM (
SELECT e.name AS document, {_prop('symbol')} AS symbol, {_prop('date')} AS date,
       {_prop('issuer')} AS issuer, {_prop('title')} AS title,
       e.documents AS cited_by,
       (SELECT group_concat(path, ' | ') FROM (SELECT DISTINCT d.path FROM doc_entities de
          JOIN documents d ON d.doc_id = de.doc_id WHERE de.entity_id = e.entity_id ORDER BY d.published, d.path)) AS citing,
       (SELECT count(*) FROM outcomes o WHERE o.legal_document_id = e.entity_id) AS outcomes,
       (SELECT group_concat(text, ' | ') FROM (SELECT o.text FROM outcomes o WHERE o.legal_document_id = e.entity_id
          ORDER BY o.outcome_id LIMIT 20)) AS reported,
       pg.programs,
       e.entity_id, md.path, m.doc_id, m.start, m."end"
FROM entities e
{FIRST_MENTION}
LEFT JOIN progs pg ON pg.legal_id = e.entity_id
WHERE e.kind = 'legal_document' AND {_name_filter(resolved)}
)
WHERE (:issuer = '' OR vn_match(issuer, :issuer))
ORDER BY cited_by DESC, date IS NULL, date, document, entity_id"""


def _prop(prop: str) -> str:
    return (f"(SELECT value FROM props WHERE props.entity_id = e.entity_id AND props.prop = '{prop}' "
            f"ORDER BY n DESC, value LIMIT 1)")


def search(limit: int | None = MAX_ROWS) -> str:
    return f"""SELECT vn_highlight(x.text, :q) AS hit, x.title, x.published, x.path, x.doc_id,
       x.start + coalesce(vn_hit(x.text, :q, 0), 0) AS start,
       x.start + coalesce(vn_hit(x.text, :q, 1), x."end" - x.start) AS "end",
       x.path || ' (' || coalesce(x.published, 'undated') || '), characters '
         || (x.start + coalesce(vn_hit(x.text, :q, 0), 0)) || '-'
         || (x.start + coalesce(vn_hit(x.text, :q, 1), x."end" - x.start)) AS citation
FROM (
  SELECT f.text, f.doc_id, f.start, f."end", d.title, d.published, d.path
  FROM sentences_fts f JOIN documents d ON d.doc_id = f.doc_id
  WHERE sentences_fts MATCH vn_fts(:q)
  ORDER BY d.published IS NULL, d.published DESC, f.doc_id, f.start
  LIMIT {-1 if limit is None else int(limit)}
) x"""


@dataclass
class Canned:
    """A canned query of the web view: a researcher's question with its parameters as form fields."""
    name: str
    title: str
    description: str
    sql: str
    params: list[str]
    command: str  # the `query` command that answers the same question
    hide_sql: bool = True
    extra: dict = field(default_factory=dict)


CANNED = [
    Canned("officials", "Who held which post, when",
           "Each official with every post reported, the earliest and latest report of each post and the "
           "reports themselves. Leave a field empty to ignore it; names match with or without tone marks. "
           "When: a year or a month (2023, 2023-08): posts whose reports span it.",
           officials(), ["name", "place", "agency", "when"], "query officials"),
    Canned("outcomes_reported", "Which programme reported what outcome, where and when",
           "Every figure reported, with its hedge, bounds, period, place, programme, agency, legal document and "
           "the sentence it stands in. Period: 2023, 2021/2023 or 2024-06.",
           outcomes(), ["program", "agency", "place", "period", "unit", "document"], "query outcomes"),
    Canned("outcome_totals", "Totals of comparable figures",
           "Figures of the same unit in the same period added up (with the bounds their hedges allow), and "
           "every figure that could not be added, with the reason.",
           totals(), ["program", "agency", "place", "period", "unit", "document"], "query outcomes --sum"),
    Canned("outcomes_by_province", "Figures by province, on a map",
           "How many figures each province's reports give, at the province's point (mean of its GeoNames "
           "populated places; see gazetteers/province_points.tsv).",
           by_province(), ["program", "agency", "place", "period", "unit", "document"], "query outcomes"),
    Canned("search", "What do the archives say about …",
           "Every sentence that says it, newest first, with the words highlighted. Without tone marks the "
           "search ignores them (ha noi finds Hà Nội); with them it does not (Hà never finds Hạ).",
           search(), ["q"], "query search"),
    Canned("legal_documents", "Legal texts: who issued, who cites, what was reported under each",
           "Each legal document with its symbol, date, issuer and subject, the reports that cite it, the "
           "figures reported under it and the programmes based on it.",
           legal_documents(), ["name", "issuer"], "query documents"),
    Canned("programs", "Programmes and movements",
           "Each programme, movement or campaign: how many reports name it, when, what figures they report, "
           "which agencies report them and the legal text it rests on.",
           programs(), ["name", "place"], "query programs"),
    Canned("agencies", "Agencies",
           "Each agency with its level and province, how many reports name it, its officials and its figures.",
           agencies(), ["name", "place", "level"], "query agencies"),
]
