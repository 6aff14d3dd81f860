"""An archive's catalogue: rows tied to input files, values read or reported, what the text does not say filled."""
from __future__ import annotations

import json

import pytest

from pipeline.assembly import Pipeline
from pipeline.catalog import Catalog, parse_published, reconcile
from pipeline.errors import PipelineError

REPORT = ("Hà Tĩnh tổng kết công tác tiêm chủng\n\n"
          "Ngày 10-7, Sở Y tế tổ chức hội nghị tổng kết. Toàn tỉnh có 1.200 trẻ được tiêm đủ mũi.\n")


@pytest.mark.parametrize("value, expected", [
    ("2023-07-10", "2023-07-10"), ("2023-07", "2023-07"), ("2023", "2023"), ("10/07/2023", "2023-07-10"),
    ("2023-07-10T08:30:00+07:00", "2023-07-10"), ("2023-07 (store metadata prefix)", "2023-07"),
    ("2023-13", None), ("31/02/2023", None), ("tháng Bảy", None), ("", None),
])
def test_catalog_published_values(value, expected):
    assert parse_published(value) == expected


def _inputs(tmp_path, names):
    docs = tmp_path / "docs"
    out = []
    for n in names:
        p = docs / n
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(REPORT, encoding="utf-8")
        out.append(p)
    return out


@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl"])
def test_catalog_rows_tie_to_files_by_path_or_name_and_bad_rows_are_reported(tmp_path, fmt):
    inputs = _inputs(tmp_path, ["a.txt", "sub/b.txt", "x/c.txt", "y/c.txt"])
    rows = [
        {"file": "docs/a.txt", "published": "2023-07", "outlet": "baohatinh.vn"},   # a path from the catalogue
        {"file": "b.txt", "title": "Tin B", "published": "10/07/2023"},                # a unique file name
        {"file": "c.txt", "published": "2023"},                                        # a name two inputs have
        {"file": "missing.txt", "published": "2023"},                                  # names no input
        {"file": "docs/a.txt", "published": "2024"},                                   # a second row for a file
        {"file": "docs/x/c.txt", "published": "mùa hè"},                               # a date that cannot be read
    ]
    path = tmp_path / f"catalogue.{fmt}"
    if fmt == "jsonl":
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    else:
        sep = "\t" if fmt == "tsv" else ","
        cols = ["file", "url", "outlet", "title", "published"]
        path.write_text(sep.join(cols) + "\n" + "\n".join(sep.join(r.get(c, "") for c in cols) for r in rows) + "\n",
                        encoding="utf-8")
    cat = Catalog.load(path)
    cat.match(inputs)
    a, b, c1, _ = inputs
    assert cat.values_for(a)["published"] == "2023-07" and cat.values_for(a)["outlet"] == "baohatinh.vn"
    assert cat.values_for(b)["published"] == "2023-07-10" and cat.values_for(b)["title"] == "Tin B"
    assert cat.values_for(c1) == {"row": cat.values_for(c1)["row"], "file": "docs/x/c.txt"}  # the date is dropped, reported
    problems = [str(p) for p in cat.problems]
    assert len(problems) == 4, problems
    assert all(p.startswith("E402 catalog-row: ") for p in problems)
    joined = " | ".join(problems)
    for said in ("fits 2 inputs", "missing.txt: names no input file", "a second row for the same file",
                 "'mùa hè' is not a date"):
        assert said in joined


@pytest.mark.parametrize("content, reason", [
    (b"name_of_thing,published\nx,2023\n", "no header with a `file` column"),
    (b"\xff\xfe\x00f\x00i", "not UTF-8"),
])
def test_catalog_unreadable_file_is_one_error(tmp_path, content, reason):
    path = tmp_path / "cat.csv"
    path.write_bytes(content)
    with pytest.raises(PipelineError) as err:
        Catalog.load(path)
    assert err.value.code == "E401" and reason in str(err.value)


def test_catalog_text_wins_and_disagreement_is_recorded():
    found, record = reconcile({"title": "Tin A", "published": "2024-01-05", "outlet": None},
                              {"row": 3, "file": "a.txt", "title": "Tin A (bản in)", "published": "2023-12-30",
                               "outlet": "baolaichau.vn"})
    assert found == {"title": "Tin A", "published": "2024-01-05", "outlet": "baolaichau.vn"}
    assert record["filled"] == ["outlet"]
    assert record["disagreements"] == [{"field": "published", "text": "2024-01-05", "catalog": "2023-12-30"}]
    # agreeing at the precision given is no disagreement
    assert reconcile({"title": None, "published": "2023-07-10", "outlet": None},
                     {"row": 2, "file": "a.txt", "published": "2023-07"})[1]["disagreements"] == []


def test_catalog_row_gives_the_year_and_the_province(tmp_path):
    (p,) = _inputs(tmp_path, ["r.txt"])
    nlp = Pipeline()
    bare = nlp.run_file(p)
    assert bare.published is None and [d.value for d in bare.dates] == ["XXXX-07-10"]
    doc = nlp.run_file(p, catalog={"row": 2, "file": "r.txt", "published": "2023-07", "outlet": "baohatinh.vn"})
    assert doc.published == "2023-07" and [d.value for d in doc.dates] == ["2023-07-10"]
    assert doc.outlet == "baohatinh.vn"
    assert doc.catalog["filled"] == ["published", "outlet"] and doc.catalog["row"] == 2


def test_catalog_extract_option_fills_reports_and_redoes_a_changed_row(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import main

    _inputs(tmp_path, ["r.txt", "s.txt"])
    (tmp_path / "docs" / "s.txt").write_text(REPORT.replace("1.200", "1.300"), encoding="utf-8")  # not a duplicate
    cat = tmp_path / "docs" / "catalogue.csv"
    cat.write_text("file,outlet,published,url\nr.txt,baohatinh.vn,2023-07,\nghost.txt,,2023,\n"
                   "s.txt,,hôm qua,https://www.baolaichau.vn/tin/1.html\n", encoding="utf-8")
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["extract", str(tmp_path / "docs"), "--out", str(out), "--no-progress",
                                    "--catalog", str(cat)])
    assert run.exit_code == 0, run.output
    warnings = [ln for ln in run.output.splitlines() if ln.startswith("warning: E402")]
    assert len(warnings) == 2 and any("ghost.txt: names no input" in w for w in warnings) \
        and any("'hôm qua' is not a date" in w for w in warnings), run.output
    r = json.loads((out / "r.json").read_text(encoding="utf-8"))
    assert r["published"] == "2023-07" and [d["value"] for d in r["dates"]] == ["2023-07-10"]
    assert r["catalog"]["filled"] == ["published", "outlet"]
    s = json.loads((out / "s.json").read_text(encoding="utf-8"))
    assert s["published"] is None and s["catalog"]["filled"] == ["outlet"]   # the site its URL names
    assert s["outlet"] == "baolaichau.vn" and s["report_place"] == "Hà Tĩnh"  # the headline's province wins
    # a rerun with the same catalogue redoes nothing; a changed row redoes its file only
    again = CliRunner().invoke(main, ["extract", str(tmp_path / "docs"), "--out", str(out), "--no-progress",
                                      "--catalog", str(cat)])
    assert "0 done" in again.output and "2 unchanged" in again.output, again.output
    cat.write_text("file,outlet,published,url\nr.txt,baohatinh.vn,2024-07,\n"
                   "s.txt,,,https://www.baolaichau.vn/tin/1.html\n", encoding="utf-8")
    changed = CliRunner().invoke(main, ["extract", str(tmp_path / "docs"), "--out", str(out), "--no-progress",
                                        "--catalog", str(cat)])
    assert "1 done" in changed.output and "1 unchanged" in changed.output, changed.output
    assert json.loads((out / "r.json").read_text(encoding="utf-8"))["dates"][0]["value"] == "2024-07-10"


def test_catalog_extract_option_unreadable_catalogue_is_one_line(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import main

    _inputs(tmp_path, ["r.txt"])
    bad = tmp_path / "cat.csv"
    bad.write_text("name_of_thing\nx\n", encoding="utf-8")
    run = CliRunner().invoke(main, ["extract", str(tmp_path / "docs"), "--out", str(tmp_path / "out"),
                                    "--no-progress", "--catalog", str(bad)])
    assert run.exit_code != 0 and "E401 catalog-unreadable" in run.output and "Traceback" not in run.output
