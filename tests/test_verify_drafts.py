"""The verifier on the project's own drafts (corpora/drafts): a knowledge base of corpora/docs built
by the real pipeline, every draft verified, verdicts scored by pipeline.verify_eval against the
gold and held to the floors of tests/quality_floors.json ("verify"). Cross-checked against the
shared scorer when ../shared is there."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pipeline.verify import Verifier
from pipeline.verify_eval import VerifyScore, cites_gold, occurrences, score_draft, score_drafts
from tests.conftest import CORPORA, ROOT, SHARED
from tests.test_quality_gate import FLOORS, gold_digest

DRAFTS = CORPORA / "drafts"
ENTRY = FLOORS["verify"]["drafts"]


@pytest.fixture(scope="module")
def drafts_verified(nlp, research_kb, tmp_path_factory):
    """{draft stem: verify's JSON} for every draft, against the corpus knowledge base."""
    verifier = Verifier(research_kb, nlp)
    out = tmp_path_factory.mktemp("verify-drafts")
    results = {}
    for draft in sorted(DRAFTS.glob("*.txt")):
        results[draft.stem] = verifier.verify_file(draft)
        (out / f"{draft.stem}.json").write_text(json.dumps(results[draft.stem], ensure_ascii=False), encoding="utf-8")
    return results, out


@pytest.fixture(scope="module")
def drafts_score(drafts_verified) -> VerifyScore:
    results, _ = drafts_verified
    return score_drafts(DRAFTS, lambda p: results[p.stem])


def test_verify_drafts_gold_is_the_pinned_gold():
    assert gold_digest(DRAFTS, ENTRY["_gold_files"]) == ENTRY["_gold_digest"], \
        "corpora/drafts changed: re-measure, then update verify.drafts._gold_digest in quality_floors.json"


def test_verify_drafts_floors(drafts_score):
    got = drafts_score.metrics()
    below = [f"{k} {got[k]:.3f} < {floor}" for k, floor in ENTRY.items() if not k.startswith("_") and got[k] < floor]
    assert not below, f"{below}\n{drafts_score.table()}"


def test_verify_drafts_every_claim_found_and_no_non_claim_judged(drafts_score):
    assert drafts_score.found == drafts_score.gold_claims, drafts_score.table()
    assert drafts_score.non_claims_judged == 0 and drafts_score.extra <= ENTRY["_extra_claims_max"], drafts_score.table()


def test_verify_drafts_every_verdict_cites_a_sentence_holding_its_figure(drafts_verified):
    results, _ = drafts_verified
    for stem, result in results.items():
        for c in result["claims"]:
            for s in c["sources"] if c["verdict"] in ("supported", "contradicted") else []:
                assert s["text"] in s["sentence"], (stem, c["text"], s)
            assert c["sources"] or c["verdict"] == "not_found", (stem, c["text"])


def test_verify_drafts_gold_quotes_stand_in_their_sources(extracted):
    """Each gold quote stands in the cited document's text (white space and dashes folded), and a
    claim has gold sources exactly when it is supported or contradicted."""
    texts = {}
    for gf in sorted(DRAFTS.glob("*.json")):
        for c in json.loads(gf.read_text(encoding="utf-8"))["claims"]:
            assert (c["verdict"] == "not_found") == (not c["sources"]), (gf.name, c["text"])
            for s in c["sources"]:
                stem = (ROOT / s["file"]).stem
                if stem not in texts:
                    out = json.loads((extracted("corpora") / f"{stem}.json").read_text(encoding="utf-8"))
                    texts[stem] = _fold(out["text"])
                assert _fold(s["quote"]) in texts[stem], (gf.name, c["text"], s["quote"])


def _fold(s: str) -> str:
    import unicodedata

    return " ".join(unicodedata.normalize("NFC", s).replace("–", "-").split())


G = {"claims": [{"text": "321 câu lạc bộ", "verdict": "contradicted",
                 "sources": [{"file": "corpora/docs/01.txt", "quote": "duy trì 312 câu lạc bộ"}]},
                {"text": "85 nguồn tin", "verdict": "not_found", "sources": []}],
     "non_claims": ["2/8"]}
TEXT = "Ngày 2/8, tỉnh duy trì 321 câu lạc bộ và 85 nguồn tin. Có 7 tổ."
SRC = {"path": "/x/01.txt", "sentence": "Hai lực lượng duy trì 312 câu lạc bộ."}


@pytest.mark.parametrize("preds, right, found, extra, judged, cited", [
    # both right, the contradiction citing the gold sentence
    ([{"text": "321 câu lạc bộ", "verdict": "contradicted", "sources": [SRC]},
      {"text": "85 nguồn tin", "verdict": "not_found", "sources": []}], 2, 2, 0, 0, 1),
    # a right verdict citing another document does not cite right
    ([{"text": "321 câu lạc bộ", "verdict": "contradicted", "sources": [dict(SRC, path="/x/02.txt")]}], 1, 1, 0, 0, 0),
    # a claim on a date is a non-claim judged; a figure gold does not list is extra; a claim missed is wrong
    ([{"text": "2/8", "verdict": "supported", "sources": []}, {"text": "7 tổ", "verdict": "not_found", "sources": []}],
     0, 0, 1, 1, 0),
    # a wrong verdict is found but not right
    ([{"text": "85 nguồn tin", "verdict": "supported", "sources": [SRC]}], 0, 1, 0, 0, 0),
])
def test_verify_eval_counts(preds, right, found, extra, judged, cited):
    s = VerifyScore()
    score_draft(s, "t", TEXT, G, {"claims": preds})
    assert (s.right, s.found, s.extra, s.non_claims_judged, s.citations_right) == (right, found, extra, judged, cited)
    assert s.gold_claims == 2


@pytest.mark.parametrize("text, needle, spans", [
    ("hơn  110\nnghìn nguồn tin", "hơn 110 nghìn", [(0, 14)]),
    ("85 tin, 85 tin", "85 tin", [(0, 6), (8, 14)]),
    ("85 tin", "95 tin", []),
])
def test_verify_eval_occurrences_fold_white_space(text, needle, spans):
    assert occurrences(text, needle) == spans


@pytest.mark.parametrize("quote, sentence, ok", [
    ("duy trì 312 câu lạc bộ", "Hai lực lượng duy trì 312 câu lạc bộ.", True),
    ("Duy trì  312 CÂU LẠC BỘ", "hai lực lượng duy trì 312 câu lạc bộ", True),
    ("duy trì 312 câu lạc bộ", "Tỉnh có 13 huyện.", False),
])
def test_verify_eval_citation_is_the_gold_sentence(quote, sentence, ok):
    assert cites_gold([{"path": "a/01.txt", "sentence": sentence}], [{"file": "corpora/docs/01.txt", "quote": quote}]) is ok


def test_verify_drafts_scorer_agrees_with_shared_score_verify(drafts_verified, drafts_score, tmp_path):
    """Our figures are the shared scorer's on the same predictions."""
    script = SHARED / "eval" / "score_verify.py"
    if not script.exists():
        pytest.skip("../shared/eval/score_verify.py is absent")
    _, pred = drafts_verified
    out = tmp_path / "theirs.json"
    subprocess.run([sys.executable, str(script), str(DRAFTS), str(pred), "--json", str(out)], check=True,
                   capture_output=True)
    theirs = json.loads(out.read_text(encoding="utf-8"))
    ours = drafts_score
    assert (theirs["gold_claims"], theirs["found"], theirs["extra_claims"], theirs["non_claims_judged"]) == \
        (ours.gold_claims, ours.found, ours.extra, ours.non_claims_judged)
    assert theirs["accuracy"] == pytest.approx(ours.accuracy)
    assert (theirs["citations_right"], theirs["citations_due"]) == (ours.citations_right, ours.citations_due)
    for v, x in theirs["per_verdict"].items():
        assert (x["precision"], x["recall"]) == pytest.approx((ours.precision(v), ours.recall(v))), v
