"""The knowledge base: every extracted document's facts in one SQLite file, entities merged.

Evidence first (after OpenSanctions' statements): each document's entities are loaded as they
were extracted (`doc_entities`, one per entity of one document, and `statements`, one per
property value with its span), and never rewritten. Canonical `entities` are assembled from them
by resolution (`pipeline.kb.resolve`), which only sets each document entity's `entity_id`: a
merge can be undone by a judgement and a rebuild, and every fact keeps its document and span.

`python -m pipeline kb build JSON_DIR... --db KB.sqlite` (`pipeline.kb.build`).
"""
