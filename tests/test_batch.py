from pathlib import Path

import pytest

from pipeline.batch import output_names


@pytest.mark.parametrize("paths,expected", [
    (["x/a.txt", "y/b.pdf"], ["a.json", "b.json"]),
    (["x/a.txt", "y/a.pdf"], ["a.json", "a--y.json"]),
    (["r/x/a.txt", "r/y/a.txt", "s/y/a.txt"], ["a.json", "a--y.json", "a--s-y.json"]),
])
def test_batch_output_names_never_collide(paths, expected):
    names = output_names([Path(p) for p in paths])
    assert [names[Path(p)] for p in paths] == expected
    assert len(set(names.values())) == len(paths)
