"""The web view: a Datasette site over a knowledge base, served in-process (`python -m pipeline serve`).

`metadata` titles and describes every table and column (from pipeline/kb/schema.py TABLES), sets
the facets and the canned queries (pipeline/query/questions.py); `plugin` adds the vn_* SQL
functions, the document page that shows a text with every mention highlighted, the one-box
search of the archive, and links from every row to the span it was read from; `server` builds
the Datasette object and runs it under uvicorn in this process.
"""

# The package is the Datasette plugin (so Datasette finds templates/ beside it): its hooks are here.
from pipeline.web.plugin import menu_links, prepare_connection, register_routes, render_cell  # noqa: E402,F401
