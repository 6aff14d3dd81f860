import re

from pipeline.errors import CATALOGUE, PipelineError


def test_errors_codes_are_unique_and_documented():
    codes = [k.code for k in CATALOGUE.values()]
    assert len(codes) == len(set(codes))
    import pipeline.errors as mod

    for k in CATALOGUE.values():
        assert re.fullmatch(r"E\d{3}", k.code)
        assert k.code in mod.__doc__ and k.name in mod.__doc__


def test_errors_message_is_one_line_with_code():
    err = PipelineError("broken-container", format="PDF", detail=" (no trailer)")
    assert str(err) == "E106 broken-container: the PDF file is damaged or truncated (no trailer)"
    assert "\n" not in str(err)
