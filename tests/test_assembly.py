"""The pipeline object: contracts checked at assembly and at run time, run_text = run_file."""
from __future__ import annotations

import shutil

import pytest

from pipeline.analysis import Analysis, ClaimKind, LayerMissing, Stage
from pipeline.assembly import STAGES, Pipeline, text_document
from pipeline.errors import PipelineError
from pipeline.extract.agencies import AgencyStage
from pipeline.extract.dates import Dates
from pipeline.extract.figures import Figures
from pipeline.extract.programs import Programs
from pipeline.gazetteers import Gazetteers
from pipeline.references import References
from tests.conftest import GZ, ROOT


def _without(*removed):
    return [s for s in STAGES if s not in removed]


def _moved(stage, before):
    order = [s for s in STAGES if s is not stage]
    order.insert(order.index(before), stage)
    return order


class _Reader(Stage):
    name = "reads_two"
    requires = ("text",)
    provides = ("title",)

    def __call__(self, a):
        a.title = a.zones[0]  # zones is not declared


class _Lazy(Stage):
    name = "lazy"
    requires = ("text",)
    provides = ("title",)

    def __call__(self, a):
        pass  # promises a title, fills nothing


class _NeedsFigures(Stage):
    name = "needs_figures"
    requires = ("figures",)
    provides = ("summary",)


class _NeedsSummary(Stage):
    name = "needs_summary"
    requires = ("summary",)
    provides = ("figures",)


@pytest.mark.parametrize("stages, says", [
    (_without(Dates), "stage 'legal' requires 'dates', which no stage provides"),
    (_moved(Figures, AgencyStage), "stage 'figures' requires 'agencies': it is provided by 'agencies', which runs later"),
    (_moved(Figures, Programs), "which runs later; move that stage earlier"),
    (_without(AgencyStage), "stage 'officials' requires 'agencies', which no stage provides"),
    (STAGES + (Dates,), "both 'dates' and 'dates' provide it"),
    ([_NeedsSummary, _NeedsFigures], "a cycle"),
])
def test_assembly_broken_contract_fails_before_any_file(stages, says):
    with pytest.raises(PipelineError) as err:
        Pipeline(stages, GZ)
    assert err.value.code == "E301" and says in str(err.value), str(err.value)


@pytest.mark.parametrize("stages", [STAGES, _without(References)])
def test_assembly_legal_orders_assemble(stages):
    assert Pipeline(stages, GZ).names[0] == "normalise"


@pytest.mark.parametrize("stage, error", [
    (_Reader, "read layer 'zones' it does not declare"),
    (_Lazy, "did not fill ['title']"),
])
def test_assembly_checked_stage_keeps_to_its_declaration(stage, error):
    nlp = Pipeline([STAGES[0], stage], GZ, check=True)
    with pytest.raises(LayerMissing, match=error.replace("[", r"\[").replace("]", r"\]")):
        nlp.analyse(text_document("Tin\n\nNội dung."))


def test_assembly_unfilled_layer_raises_instead_of_reading_empty():
    a = Analysis(raw=None)
    with pytest.raises(LayerMissing):
        a.agencies
    with pytest.raises(LayerMissing):
        a.is_claimed(0, 1, (ClaimKind.DATE,))


def test_assembly_run_text_gives_the_facts_of_run_file(seed_documents, nlp):
    from tests.conftest import shared_dir

    for path in sorted(shared_dir("seeds").glob("*.txt")):
        from_text = nlp.run_text(path.read_text(encoding="utf-8"), path=str(path)).model_dump()
        from_file = seed_documents[path.stem].model_dump()
        for field in ("source",):
            from_text.pop(field), from_file.pop(field)
        assert from_text == from_file, path.name


def test_assembly_subset_runs_only_what_figures_need(nlp):
    sub = nlp.subset(["figures"])
    assert "officials" not in sub.names and "figures" in sub.names and "agencies" in sub.names
    text = "Tin\n\nTrong năm 2023, Công an tỉnh Lai Châu đã phát hiện hơn 120 vụ, tăng 12% so với năm 2022."
    full, part = nlp.run_text(text), sub.run_text(text)
    assert [f.model_dump() for f in full.figures] == [f.model_dump() for f in part.figures]
    assert part.officials == []


def test_assembly_each_pipeline_reads_its_own_gazetteers(tmp_path):
    folder = tmp_path / "gz"
    shutil.copytree(ROOT / "gazetteers", folder)
    with (folder / "counted_nouns.txt").open("a", encoding="utf-8") as fh:
        fh.write("chuyến thăm\n")
    mine = Gazetteers(folder)
    assert mine.digest != GZ.digest
    assert Pipeline(gazetteers=mine).fingerprint["data_digest"] == mine.digest
    from pipeline.extract.figures import lexicon
    assert "chuyến thăm" in lexicon(mine).counted and "chuyến thăm" not in lexicon(GZ).counted


def test_assembly_references_point_into_the_document(nlp):
    doc = nlp.run_text("Tin\n\nĐại tá Nguyễn Văn Hùng, Giám đốc Công an tỉnh Lai Châu cho biết, thực hiện "
                       "phong trào “Toàn dân bảo vệ an ninh Tổ quốc”, Công an tỉnh Lai Châu đã vận động "
                       "người dân giao nộp 35 khẩu súng.")
    (o,) = doc.officials
    (pos,) = o.position_details
    assert (pos.title, pos.organisation, pos.place) == ("Giám đốc", "Công an tỉnh Lai Châu", "Lai Châu")
    ag = {a.id: a for a in doc.agencies}[pos.agency_id]
    assert ag.name == "Công an tỉnh Lai Châu" and ag.key == "agency:công an tỉnh lai châu"
    (f,) = doc.figures
    assert f.context.agency_id == ag.id and f.context.program_id == doc.programs[0].id
    assert o.key == "official:nguyễn văn hùng" and doc.report_place == "Lai Châu"
    assert all(m.text == doc.text[m.start:m.end] for e in doc.agencies + doc.programs for m in e.mentions)
