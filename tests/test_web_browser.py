"""A real browser renders the web view: headless Chromium (Debian's package) against `serve` started on
a loopback port, screenshots of the home page, a canned query and a document page.

Skipped, with the reason, where Chromium is not installed (`apt-get install -y chromium`). With
VNREPORT_SCREENSHOTS=DIR the screenshots are also copied to DIR (docs/ holds the committed ones:
`VNREPORT_SCREENSHOTS=docs .venv/bin/python -m pytest tests/test_web_browser.py`).
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import struct
import subprocess
from pathlib import Path

import pytest

from pipeline.kb.build import build
from tests.conftest import GZ, ROOT
from tests.test_web import free_port, start_server, stop_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install -y chromium): "
                                                        "the web view is not rendered in a real browser here")
WIDTH, HEIGHT = 1280, 960


def chromium(tmp: Path, url: str, *args: str) -> subprocess.CompletedProcess:
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"   # a fresh profile for every run
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
                           f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}", *args, url],
                          capture_output=True, text=True, timeout=90)


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", head[16:24])


def pages(db: Path) -> list[tuple[str, str, str]]:
    """(screenshot name, path, text the rendered page must show)."""
    conn = sqlite3.connect(db)
    doc_id, start, end, text = conn.execute(
        "SELECT doc_id, start, \"end\", text FROM outcomes WHERE text = 'hơn 86.000 lượt người'").fetchone()
    return [
        ("home", "/", "Who held which post, when"),
        ("canned_query", f"/{db.stem}/officials?name=nguyen+hong+quan", "Thứ trưởng Bộ Công an"),
        ("document", f"/-/document/{doc_id}?start={start}&end={end}", 'id="cited"'),
    ]


@pytest.fixture(scope="module")
def relative_kb(extracted, tmp_path_factory) -> Path:
    """The corpus knowledge base with paths as a user's `extract corpora/docs` writes them
    (corpora/docs/…), so the screenshots show what a newcomer sees."""
    folder = tmp_path_factory.mktemp("browser")
    (folder / "out").mkdir()
    for f in extracted("corpora").glob("*.json"):
        doc = json.loads(f.read_text(encoding="utf-8"))
        doc["source"]["path"] = Path(doc["source"]["path"]).relative_to(ROOT).as_posix()
        (folder / "out" / f.name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    build(folder / "kb.sqlite", [folder / "out"], GZ)
    return folder / "kb.sqlite"


def test_web_browser_renders_home_canned_query_and_document(relative_kb, tmp_path):
    port = free_port()
    proc = start_server(relative_kb, port)
    shots = []
    try:
        for name, path, shown in pages(relative_kb):
            url = f"http://127.0.0.1:{port}{path}"
            dom = chromium(tmp_path, url, "--dump-dom")
            assert shown in dom.stdout, (name, dom.stderr[-500:])
            out = tmp_path / f"{name}.png"
            shot = chromium(tmp_path, url, f"--screenshot={out}")
            assert out.exists(), shot.stderr[-500:]
            assert png_size(out) == (WIDTH, HEIGHT)
            assert out.stat().st_size > 20_000, name     # a blank page compresses to a few kilobytes
            shots.append(out)
    finally:
        stop_server(proc)
    assert proc.poll() is not None                        # the server is gone
    target = os.environ.get("VNREPORT_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        for s in shots:
            shutil.copy(s, Path(target) / s.name)


def test_web_browser_renders_the_verify_report(relative_kb, nlp, tmp_path):
    """`verify --format html` is one self-contained page: Chromium renders each claim marked by its
    verdict (screenshot docs/verify.png with VNREPORT_SCREENSHOTS)."""
    import re

    from pipeline.verify import Verifier
    from pipeline.verify_report import render

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    draft = re.search(r"echo '([^']+)' > draft\.txt", readme).group(1)
    page = tmp_path / "draft.html"
    page.write_text(render(Verifier(relative_kb, nlp).verify_text(draft), "html"), encoding="utf-8")
    url = page.as_uri()
    dom = chromium(tmp_path, url, "--dump-dom").stdout
    assert 'class="supported"' in dom and 'class="contradicted"' in dom and "321 câu lạc bộ" in dom
    # the sources stay inside their claim (hidden until hovered), never spilled into the page
    assert "<div" not in dom.split("<h2>")[0].split("</h1>")[1]
    out = tmp_path / "verify.png"
    contradicted = re.search(r'<mark class="contradicted" tabindex=0 id=(claim-\d+)>', page.read_text(encoding="utf-8"))
    chromium(tmp_path, f"{url}#{contradicted.group(1)}", f"--screenshot={out}")   # its sources opened
    assert png_size(out) == (WIDTH, HEIGHT) and out.stat().st_size > 20_000
    target = os.environ.get("VNREPORT_SCREENSHOTS")
    if target:
        shutil.copy(out, Path(target) / out.name)
