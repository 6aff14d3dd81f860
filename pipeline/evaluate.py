"""Scoring extracted documents against gold annotations, by the matching rules in the
annotation guidelines (officials by name, agencies by token-set similarity after spelling out
acronyms, legal documents by type and number or subject, programs by name similarity, dates by
value, figures by value and unit; one gold item matches at most one prediction).

Gold files: one JSON per document, `doc` names the input file (its stem names the prediction).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from rapidfuzz import fuzz

from pipeline.gazetteers import default_gazetteers
from pipeline.keys import Acronyms, match_key

KINDS = ("officials", "agencies", "legal_documents", "programs", "dates", "figures")
_TIME_HEADS = ("năm", "tháng", "tuần", "ngày", "giờ", "phút", "giây", "tuổi", "quý")


def _acronyms() -> Acronyms:
    """The acronyms the shared scorer spells out (`scorer` column of gazetteers/acronyms.tsv)."""
    return default_gazetteers().memo("scorer_acronyms", lambda gz: Acronyms(
        {r["acronym"]: r["expansion"] for r in gz.tsv("acronyms.tsv") if r["scorer"] == "yes"}))


def spelled(s: str | None) -> str:
    """Key with acronyms spelled out: "Hội LHPNVN" -> "hội liên hiệp phụ nữ việt nam"."""
    return _acronyms().spell_key(key(s))


def key(s: Any) -> str:
    return match_key(str(s)).strip(" .,;:()") if s not in (None, "") else ""


def pair_up(golds: list, preds: list, score: Callable[[Any, Any], float], threshold: float) -> list[tuple[int, int]]:
    """Best-first one-to-one matching of gold and predicted items scoring >= threshold."""
    cands = sorted(((score(g, p), i, j) for i, g in enumerate(golds) for j, p in enumerate(preds)), reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for s, i, j in cands:
        if s < threshold:
            break
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return pairs


@dataclass
class Tally:
    tp: int = 0
    gold: int = 0
    pred: int = 0
    extra: dict[str, int] = field(default_factory=dict)

    def add(self, tp: int, gold: int, pred: int, **extra: int) -> None:
        self.tp += tp
        self.gold += gold
        self.pred += pred
        for k, v in extra.items():
            self.extra[k] = self.extra.get(k, 0) + v

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _officials(g: list, p: list, t: Tally) -> None:
    p = [x for x in p if x.get("name")]
    pairs = pair_up(g, p, lambda a, b: fuzz.ratio(key(a["name"]), key(b["name"])), 95)
    pos_gold = pos_hit = 0
    for i, j in pairs:
        mine = [spelled(x) for x in p[j].get("positions") or []]
        for gp in g[i].get("positions") or []:
            pos_gold += 1
            pos_hit += any(fuzz.token_set_ratio(spelled(gp), m) >= 85 for m in mine)
    rank_ok = sum(key(g[i].get("rank")) == key(p[j].get("rank")) for i, j in pairs)
    t.add(len(pairs), len(g), len(p), rank_correct=rank_ok, positions_found=pos_hit, positions_gold=pos_gold)


def _agencies(g: list, p: list, t: Tally) -> None:
    forms = [[f for f in (x.get("name"), x.get("canonical")) if f and len(key(f)) > 2] if isinstance(x, dict) else [x] for x in p]
    pairs = pair_up(g, forms, lambda a, fs: max((fuzz.token_set_ratio(spelled(a), spelled(f)) for f in fs), default=0), 90)
    t.add(len(pairs), len(g), len(p))


def _doc_type(s: str | None) -> str:
    k = key(s)
    codes = default_gazetteers().memo("scorer_doc_types", lambda gz: {
        match_key(r["code"]): match_key(r["type"]) for r in gz.tsv("eval_doc_types.tsv")})
    return codes.get(k.replace(" ", ""), k)


def _subjects(doc: dict, text: str = "") -> list[str]:
    """What an unnumbered document is recognised by: its title, else the mention as written."""
    out = [doc.get("title"), doc.get("text")]
    for m in doc.get("mentions") or []:
        if isinstance(m, dict) and isinstance(m.get("start"), int) and isinstance(m.get("end"), int):
            out.append(text[m["start"]:m["end"]])
    return [spelled(x) for x in out if isinstance(x, str) and x.strip()]


def _subject_ratio(x: str, y: str) -> float:
    """token_set_ratio, but a fragment (under 3 words, or under 40% of the other) is no match."""
    short, long_ = sorted((x.split(), y.split()), key=len)
    if len(short) < 3 or len(short) < 0.4 * len(long_):
        return 0
    return fuzz.token_set_ratio(x, y)


def _legal(g: list, p: list, t: Tally, text: str = "") -> None:
    def score(a: dict, b: dict) -> float:
        ta, tb = _doc_type(a.get("type")), _doc_type(b.get("type"))
        if not ta or not tb or not (ta.startswith(tb) or tb.startswith(ta)):
            return 0
        na, nb = key(a.get("number")).lstrip("0"), key(b.get("number")).lstrip("0")
        if na or nb:
            return 100 if na == nb else 0
        return max((_subject_ratio(x, y) for x in _subjects(a) for y in _subjects(b, text)), default=0)

    pairs = pair_up(g, p, score, 80)
    t.add(len(pairs), len(g), len(p),
          date_correct=sum(1 for i, j in pairs if g[i].get("date") and str(p[j].get("date") or "").startswith(g[i]["date"])),
          date_gold=sum(1 for i, _ in pairs if g[i].get("date")))


def _programs(g: list, p: list, t: Tally) -> None:
    pairs = pair_up([x["name"] for x in g], [x.get("name", "") for x in p],
                    lambda a, b: fuzz.token_set_ratio(spelled(a), spelled(b)), 85)
    t.add(len(pairs), len(g), len(p))


def _same_date(gv: str, pv: str) -> bool:
    return gv == pv or (gv.startswith("XXXX") and len(gv) == len(pv) and gv[4:] == pv[4:])


def _dates(g: list, p: list, t: Tally) -> None:
    gv = sorted({str(d["value"]) for d in g})
    pv = sorted({str(d.get("value")) for d in p if d.get("value")})
    pairs = pair_up(gv, pv, lambda a, b: 100 if _same_date(a, b) else 0, 100)
    t.add(len(pairs), len(gv), len(pv))


def _is_time(unit: str | None) -> bool:
    u = key(unit)
    return u.split(" ")[0] in _TIME_HEADS if u else False


def _figures(g: list, p: list, t: Tally) -> None:
    g = [f for f in g if not _is_time(f.get("unit"))]
    p = [f for f in p if not _is_time(f.get("unit"))]

    def score(a: dict, b: dict) -> float:
        try:
            va, vb = float(a["value"]), float(b.get("value"))
        except (TypeError, ValueError):
            return 0
        if abs(va - vb) > 1e-6 * max(1.0, abs(va)):
            return 0
        ua, ub = key(a.get("unit")).replace("câu lạc bộ", "clb"), key(b.get("unit")).replace("câu lạc bộ", "clb")
        if not ua or not ub:
            return 0
        if ua.split(" ")[0] == ub.split(" ")[0]:
            return 100
        return fuzz.token_set_ratio(ua, ub)

    pairs = pair_up(g, p, score, 80)
    t.add(len(pairs), len(g), len(p),
          qualifier_correct=sum(key(g[i].get("qualifier")) == key(p[j].get("qualifier")) for i, j in pairs))


_SCORERS = {"officials": _officials, "agencies": _agencies, "legal_documents": _legal,
            "programs": _programs, "dates": _dates, "figures": _figures}


@dataclass
class Report:
    kinds: dict[str, Tally]
    meta: dict[str, list[int]]
    missing: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "kinds": {k: {"precision": round(t.precision, 4), "recall": round(t.recall, 4), "f1": round(t.f1, 4),
                          "tp": t.tp, "gold": t.gold, "pred": t.pred, **t.extra} for k, t in self.kinds.items()},
            "meta": self.meta, "missing_predictions": self.missing,
        }

    def table(self) -> str:
        lines = [f"{'kind':16} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'gold':>5} {'pred':>5}  extra"]
        for k, t in self.kinds.items():
            lines.append(f"{k:16} {t.precision:6.3f} {t.recall:6.3f} {t.f1:6.3f} {t.tp:5} {t.gold:5} {t.pred:5}  "
                         + " ".join(f"{a}={b}" for a, b in t.extra.items()))
        m = self.meta
        lines.append(f"published {m['published'][0]}/{m['published'][1]}, title {m['title'][0]}/{m['title'][1]}, "
                     f"authors tp {m['authors'][0]} gold {m['authors'][1]} pred {m['authors'][2]}")
        if self.missing:
            lines.append(f"missing predictions: {', '.join(self.missing)}")
        return "\n".join(lines)


def find_prediction(pred_dir: Path, stem: str) -> Path:
    """`<stem>.json` in the folder, or anywhere below it (outputs may mirror input folders)."""
    direct = Path(pred_dir) / f"{stem}.json"
    if direct.exists():
        return direct
    return next(iter(sorted(Path(pred_dir).rglob(f"{stem}.json"))), direct)


def score_folder(gold_dir: Path, pred_dir: Path, pattern: str = "*.json") -> Report:
    """Score the predictions in `pred_dir` against the gold files of `gold_dir` matching `pattern`."""
    kinds = {k: Tally() for k in KINDS}
    seen = {k: False for k in KINDS}
    meta = {"published": [0, 0], "title": [0, 0], "authors": [0, 0, 0]}
    missing = []
    for gf in sorted(Path(gold_dir).glob(pattern)):
        gold = json.loads(gf.read_text(encoding="utf-8"))
        stem = Path(gold["doc"]).stem
        pf = find_prediction(pred_dir, stem)
        try:
            pred = json.loads(pf.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            missing.append(stem)
            pred = {}
        for k in KINDS:
            if k in gold:
                seen[k] = True
                extra = {"text": pred.get("text") or ""} if k == "legal_documents" else {}
                _SCORERS[k](gold[k] or [], [x for x in pred.get(k) or [] if x], kinds[k], **extra)
        if gold.get("published"):
            meta["published"][1] += 1
            meta["published"][0] += pred.get("published") == gold["published"]
        if gold.get("title"):
            meta["title"][1] += 1
            meta["title"][0] += fuzz.ratio(key(gold["title"]), key(pred.get("title"))) >= 90
        ga = {key(a) for a in gold.get("authors") or []}
        pa = {key(a) for a in pred.get("authors") or []}
        meta["authors"][0] += len(ga & pa)
        meta["authors"][1] += len(ga)
        meta["authors"][2] += len(pa)
    return Report({k: t for k, t in kinds.items() if seen[k]}, meta, missing)


def check_floors(report: Report, floors: dict[str, float]) -> list[str]:
    """Kinds whose F1 fell below the pinned floor (a floor of 0.9 means F1 >= 0.9 is required)."""
    out = []
    for k, floor in floors.items():
        t = report.kinds.get(k)
        if t is not None and t.f1 + 1e-9 < floor:
            out.append(f"{k}: F1 {t.f1:.3f} is below the floor {floor:.3f}")
    return out
