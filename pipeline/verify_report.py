"""The verifier's reports: JSON (the contract), a terminal report, a self-contained HTML page."""
from __future__ import annotations

import html
import json
from typing import Any

import click

COLOURS = {"supported": "green", "contradicted": "red", "not_found": "yellow"}
MARKS = {"supported": "✔", "contradicted": "✘", "not_found": "?"}


def render(result: dict[str, Any], fmt: str, color: bool = False) -> str:
    if fmt == "json":
        return json.dumps(result, ensure_ascii=False, indent=1)
    if fmt == "html":
        return html_report(result)
    return text_report(result, color)


def text_report(result: dict[str, Any], color: bool = False) -> str:
    lines = []
    counts = {v: sum(c["verdict"] == v for c in result["claims"]) for v in COLOURS}
    for c in result["claims"]:
        head = f"{MARKS[c['verdict']]} {c['verdict']:12} {c['text']}"
        lines.append(click.style(head, fg=COLOURS[c["verdict"]], bold=True) if color else head)
        lines.append(f"    {c['reason']}")
        for s in c.get("sources", []):
            lines.append(f"    source: {s['path']}:{s['start']}-{s['end']} ({s.get('published') or 'undated'})")
            lines.append(f"      “{s['sentence']}”")
        if c.get("sources_disagree"):
            lines.append("    note: sources disagree for this slot: " +
                         "; ".join(f"{s['text']} ({s['path']})" for s in c["sources_disagree"]))
        if c.get("internal_sum") and not c["internal_sum"]["adds_up"]:
            s = c["internal_sum"]
            lines.append(f"    note: {' + '.join(s['parts'])} = {s['sum_of_parts']}, not {s['total']}")
    lines.append(f"{len(result['claims'])} claims: {counts['supported']} supported, "
                 f"{counts['contradicted']} contradicted, {counts['not_found']} not found")
    return "\n".join(lines)


_CSS = """
body { font: 16px/1.6 system-ui, sans-serif; max-width: 50em; margin: 2em auto; padding: 0 1em; color: #222 }
mark { padding: 0 .15em; border-radius: .2em; cursor: help; position: relative }
mark.supported { background: #c8f0c8 } mark.contradicted { background: #f8c4c4 } mark.not_found { background: #fbe7a8 }
mark .src { display: none; position: absolute; left: 0; top: 1.6em; z-index: 1; width: 32em; background: #fff;
  border: 1px solid #999; padding: .5em; font-size: 13px; box-shadow: 0 2px 6px #0003 }
mark:hover .src, mark:focus .src, mark:target .src { display: block } .src .s { display: block; margin-top: .4em }
.legend span { margin-right: 1em } .legend mark { cursor: default }
table { border-collapse: collapse; font-size: 14px } td, th { border-bottom: 1px solid #ddd; padding: .3em; text-align: left }
"""


def html_report(result: dict[str, Any], text: str | None = None) -> str:
    """The draft with each number highlighted by verdict and its sources on hover (no scripts, no
    external files: it can be mailed to a colleague)."""
    text = text if text is not None else result.get("text", "")
    pieces, pos = [], 0
    for n, c in enumerate(sorted(result["claims"], key=lambda c: c["start"])):
        pieces.append(html.escape(text[pos:c["start"]]))
        # spans, not divs: a div inside the paragraph would close it and spill the sources into the page
        srcs = "".join(f"<span class=s><b>{html.escape(s['text'])}</b> — {html.escape(s['path'])} "
                       f"({html.escape(s.get('published') or 'undated')})<br>“{html.escape(s['sentence'])}”</span>"
                       for s in c.get("sources", []))
        tip = f"<span class=src><b>{c['verdict'].replace('_', ' ')}</b>: {html.escape(c['reason'])}{srcs}</span>"
        pieces.append(f'<mark class="{c["verdict"]}" tabindex=0 id=claim-{n}>{html.escape(c["text"])}{tip}</mark>')
        pos = c["end"]
    pieces.append(html.escape(text[pos:]))
    body = "".join(pieces).replace("\n", "<br>\n")
    counts = {v: sum(c["verdict"] == v for c in result["claims"]) for v in COLOURS}
    rows = "".join(f"<tr><td>{html.escape(c['text'])}</td><td>{c['verdict'].replace('_', ' ')}</td>"
                   f"<td>{html.escape(c['reason'])}</td></tr>" for c in result["claims"])
    return (f"<!doctype html><html lang=vi><meta charset=utf-8><title>Kiểm tra số liệu: "
            f"{html.escape(str(result.get('draft', '')))}</title><style>{_CSS}</style>"
            f"<h1>Kiểm tra số liệu</h1><p class=legend><span><mark class=supported>có nguồn</mark> "
            f"{counts['supported']}</span><span><mark class=contradicted>trái nguồn</mark> {counts['contradicted']}"
            f"</span><span><mark class=not_found>không thấy nguồn</mark> {counts['not_found']}</span></p>"
            f"<p>{body}</p><h2>Chi tiết</h2><table><tr><th>Số liệu</th><th>Kết luận</th><th>Lý do</th></tr>"
            f"{rows}</table></html>")
