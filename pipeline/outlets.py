"""The province an outlet names: "baolaichau.vn", "Báo Lai Châu", "laichau.gov.vn" -> Lai Châu.

A report that never names its province is often about the province its outlet serves (a
provincial newspaper, a provincial portal). Place names from gazetteers/places.tsv, compared with
tone marks and spaces removed, so a domain name matches ("baolaichau" holds "laichau"); the
longest name wins ("hagiang" in "baohagiang", not "giang").

>>> from pipeline.gazetteers import default_gazetteers
>>> gz = default_gazetteers()
>>> province_of_outlet("baolaichau.vn", gz), province_of_outlet("Báo Hà Giang", gz), province_of_outlet("nhandan.vn", gz)
('Lai Châu', 'Hà Giang', None)
"""
from __future__ import annotations

import re

from pipeline.gazetteers import Gazetteers
from pipeline.keys import strip_tones


def _squash(s: str) -> str:
    return re.sub(r"[^a-z]", "", strip_tones(s))


def _provinces(gz: Gazetteers) -> list[tuple[str, str]]:
    names = {r["name"] for r in gz.tsv("places.tsv")}
    return sorted(((_squash(n), n) for n in names if len(_squash(n)) >= 5), key=lambda t: -len(t[0]))


def province_of_outlet(outlet: str | None, gz: Gazetteers) -> str | None:
    if not outlet:
        return None
    host = _squash(outlet.split("/")[0] if "." in outlet else outlet)
    for key, name in gz.memo("outlet_provinces", _provinces):
        if key in host:
            return name
    return None
