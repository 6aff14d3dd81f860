"""Scoring the verifier against drafts with gold verdicts (corpora/drafts).

A gold folder holds drafts NNN.txt and their verdicts NNN.json: {"claims": [{"text", "value",
"unit", "verdict", "sources": [{"file", "quote", "value"}]}], "non_claims": ["…"]}, the format
corpora/drafts/README.md describes. The rules are those of the shared scorer, so that the project's
floors mean what the scorer's numbers mean:

- a gold claim is found by the first predicted claim, not already taken, whose span overlaps a
  place where the gold text stands in the draft (white space inside it may differ);
- accuracy is over every gold claim (one not found counts wrong), precision and recall per
  verdict over the gold claims only (a prediction on no gold claim is "extra", or "non-claim
  judged" when it falls on a gold non-claim: a date, year, document number, ordinal or age);
- a supported or contradicted verdict judged right cites right when one of its sources is in a
  gold source's file (same file name) and its sentence holds the gold quote (case and white
  space aside; near matches of 90% allowed, as the scorer allows).
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from rapidfuzz import fuzz

VERDICTS = ("supported", "contradicted", "not_found")


def _nfc(s: Any) -> str:
    return unicodedata.normalize("NFC", str(s or ""))


def _folded(s: Any) -> str:
    return " ".join(_nfc(s).split()).lower()


def occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    """Every (start, end) where needle stands in text, any run of white space matching any other."""
    words = needle.split()
    if not words:
        return []
    return [m.span() for m in re.finditer(r"\s+".join(map(re.escape, words)), text)]


def claim_span(text: str, claim: dict) -> tuple[int, int] | None:
    """The predicted claim's span in the draft: its offsets when they cut out its text, else the
    first place its text stands."""
    s, e = claim.get("start"), claim.get("end")
    if isinstance(s, int) and isinstance(e, int) and text[s:e] == claim.get("text"):
        return s, e
    found = occurrences(text, str(claim.get("text", "")))
    return found[0] if found else None


def cites_gold(sources: list[dict] | None, gold_sources: list[dict]) -> bool:
    for src in sources or []:
        name = Path(str(src.get("path", ""))).name
        sentence = _folded(src.get("sentence"))
        for g in gold_sources:
            quote = _folded(g.get("quote"))
            if Path(str(g.get("file", ""))).name == name and quote \
                    and (quote in sentence or fuzz.partial_ratio(quote, sentence) >= 90):
                return True
    return False


@dataclass
class VerifyScore:
    gold_claims: int = 0
    found: int = 0
    right: int = 0
    extra: int = 0
    non_claims_judged: int = 0
    citations_due: int = 0
    citations_right: int = 0
    # confusion[gold verdict][predicted verdict or "missing"]
    confusion: dict[str, dict[str, int]] = field(
        default_factory=lambda: {g: {p: 0 for p in (*VERDICTS, "missing")} for g in VERDICTS})
    wrong: list[str] = field(default_factory=list)  # "draft: 'text' gold X, predicted Y", to read on failure

    @property
    def accuracy(self) -> float:
        return self.right / self.gold_claims if self.gold_claims else 0.0

    def precision(self, verdict: str) -> float:
        predicted = sum(row[verdict] for row in self.confusion.values())
        return self.confusion[verdict][verdict] / predicted if predicted else 0.0

    def recall(self, verdict: str) -> float:
        gold = sum(self.confusion[verdict].values())
        return self.confusion[verdict][verdict] / gold if gold else 0.0

    def metrics(self) -> dict[str, float]:
        """The figures floors are set on."""
        out = {"accuracy": self.accuracy}
        for v in VERDICTS:
            out[f"{v}_precision"] = self.precision(v)
            out[f"{v}_recall"] = self.recall(v)
        out["citations"] = self.citations_right / self.citations_due if self.citations_due else 1.0
        return out

    def table(self) -> str:
        lines = [f"claims found {self.found}/{self.gold_claims}; extra claims {self.extra}; "
                 f"non-claims judged {self.non_claims_judged}",
                 f"verdict accuracy {self.accuracy:.3f}; citations right {self.citations_right}/{self.citations_due}"]
        for v in VERDICTS:
            lines.append(f"  {v:13} P {self.precision(v):.3f}  R {self.recall(v):.3f}  row {self.confusion[v]}")
        return "\n".join(lines + self.wrong)


def score_draft(score: VerifyScore, name: str, text: str, gold: dict, predicted: dict) -> None:
    """Add one draft's predicted verdicts (verify's JSON) against its gold to score."""
    text = _nfc(text)
    preds = [(c, claim_span(text, c)) for c in predicted.get("claims", []) if isinstance(c, dict)]
    taken: set[int] = set()
    for g in gold.get("claims", []):
        score.gold_claims += 1
        spans = occurrences(text, g["text"])
        hit = next((i for i, (c, sp) in enumerate(preds) if i not in taken and sp is not None
                    and any(sp[0] < e and s < sp[1] for s, e in spans)), None)
        if hit is None:
            score.confusion[g["verdict"]]["missing"] += 1
            score.wrong.append(f"{name}: {g['text']!r} gold {g['verdict']}, not found")
            continue
        taken.add(hit)
        score.found += 1
        c = preds[hit][0]
        verdict = c.get("verdict") if c.get("verdict") in VERDICTS else "not_found"
        score.confusion[g["verdict"]][verdict] += 1
        if verdict != g["verdict"]:
            score.wrong.append(f"{name}: {g['text']!r} gold {g['verdict']}, predicted {verdict}")
            continue
        score.right += 1
        if verdict != "not_found":
            score.citations_due += 1
            score.citations_right += cites_gold(c.get("sources"), g.get("sources", []))
    non_claims = [sp for n in gold.get("non_claims", []) for sp in occurrences(text, n)]
    for i, (c, sp) in enumerate(preds):
        if i in taken:
            continue
        if sp is not None and any(sp[0] < e and s < sp[1] for s, e in non_claims):
            score.non_claims_judged += 1
        else:
            score.extra += 1


def score_drafts(gold_dir: Path, verify: Callable[[Path], dict]) -> VerifyScore:
    """Run verify (a draft's path -> verify's JSON) on every draft of gold_dir and score it."""
    score = VerifyScore()
    for gf in sorted(Path(gold_dir).glob("*.json")):
        draft = gf.with_suffix(".txt")
        score_draft(score, gf.stem, draft.read_text(encoding="utf-8"), json.loads(gf.read_text(encoding="utf-8")),
                    verify(draft))
    return score
