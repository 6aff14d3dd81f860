"""Agencies: each distinct named body once, fullest form as written, acronyms spelled out.

Input: a.doc (syllable tokens), a.zones, a.title. Output: a.agencies (Agency with mentions).
A name is a head word from gazetteers/agency_heads.tsv or a known body from agencies.yaml, then a
tail: capitalised words and acronyms, lower-case name words ("nhân dân", "tối cao"), nested bodies,
a level word and place ("tỉnh Lai Châu", "quận Cẩm Lệ"). Generic references are dropped
("lực lượng Công an", "Hội phụ nữ các cấp"). A level word with no place takes the report's own
province: "Công an tỉnh" in a Lai Châu report -> canonical "Công an tỉnh Lai Châu".

    Thứ trưởng Bộ Công an ... Ủy viên Ban Thường vụ Tỉnh ủy ... Công an tỉnh
    -> Bộ Công an; Ban Thường vụ Tỉnh ủy; Công an tỉnh (canonical Công an tỉnh Lai Châu)
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc

from pipeline.analysis import Analysis, Stage
from pipeline.gazetteers import Gazetteers, district_homes, spelled_ways
from pipeline.keys import is_acronym, match_key, reads_as_acronym
from pipeline.matching import PhraseTable, is_capitalised, person_starts_at
from pipeline.model import Agency, Mention, Sentence
from pipeline.numbers import number_words
from pipeline.outlets import province_of_outlet
from pipeline.tokens import WordLayer

VENUE_WORDS = frozenset({"tại", "cầu"})  # "tại Hà Nội", "điểm cầu Hà Nội"
MAX_TAIL = 14  # tokens; the longest real names ("Ủy ban Trung ương MTTQ Việt Nam") are shorter
JOINERS = frozenset({"-", "–"})
MAX_STOP = 16  # tokens: longer than any title or rank in titles.tsv / ranks.tsv  # "Sở Lao động - Thương binh và Xã hội", "Ban Thi đua - Khen thưởng"


@dataclass
class Lexicon:
    """Everything the agency parser looks up, loaded once from gazetteers/."""
    heads: PhraseTable
    head_info: dict[str, dict[str, str]]
    known: PhraseTable                       # label = canonical
    known_level: dict[str, str]
    level_words: PhraseTable
    level_info: dict[str, dict[str, str]]
    places: PhraseTable
    place_type: dict[str, set[str]]          # match_key(place) -> {"tỉnh", "thành phố"}
    place_name: dict[str, str]               # match_key(place) -> its name in places.tsv ("ĐỒNG THÁP" -> "Đồng Tháp")
    districts: PhraseTable                   # district-level units ("Trần Văn Thời", "Cẩm Lệ")
    district_province: dict[str, str]        # match_key(district) -> its province, when it lies in one only
    ethnic: frozenset[str]                   # name prefixes of the Highlands peoples ("Y", "Ksor")
    not_heads: PhraseTable                   # words that open like a head ("Báo cáo", "Hội nghị")
    tail_words: PhraseTable
    stops: PhraseTable                       # titles, ranks, honorifics: a name never runs into them
    surnames: frozenset[str]
    generic_before: PhraseTable
    generic_after: PhraseTable
    generic_whole: frozenset[str]
    acronyms: dict[str, str]
    trade_heads: frozenset[str]              # "Công ty": a trade name follows, shaped like a person's or not
    person_name_heads: frozenset[str]        # "Trường": the name may be a person's ("Trường THPT Nguyễn Du")
    doc_types: PhraseTable                   # "Luật", "Nghị định": "và" before one joins no name
    business_lines: PhraseTable              # "xây dựng", "thương mại": words of a company's name
    outlet_heads: PhraseTable                # "Báo", "Tạp chí": a newspaper, cited or a masthead
    cite_before: PhraseTable                 # "như Báo ...", "Nguồn: Báo ..."
    cite_after: PhraseTable                  # "Báo ... đã thông tin"
    title_end_heads: frozenset[str]          # "Thường trực": a title's last word after "Phó Chủ tịch"


def lexicon(gz: Gazetteers) -> Lexicon:
    return gz.memo("agencies", _build_lexicon)


def _build_lexicon(gz: Gazetteers) -> Lexicon:
    load_list, load_tsv, load_yaml = gz.list, gz.tsv, gz.yaml
    heads = load_tsv("agency_heads.tsv")
    known = load_yaml("agencies.yaml")
    levels = load_tsv("level_words.tsv")
    places = load_tsv("places.tsv")
    generic = load_list("generic_agency_phrases.txt")
    place_type: dict[str, set[str]] = {}
    place_name: dict[str, str] = {}  # match_key of every spelling -> the name as places.tsv writes it
    for p in places:
        for way in spelled_ways(p["name"], gz):
            place_type.setdefault(match_key(way), set()).add(p["type"])
            place_name.setdefault(match_key(way), p["name"])
    districts = load_tsv("districts.tsv")
    # a name never runs into a title or rank written with a capital (job titles written in lower
    # case are words of unit names as well: "Phòng Kế toán")
    stops = [t["title"] for t in load_tsv("titles.tsv") if t["lower"] == "no"] + [r["rank"] for r in load_tsv("ranks.tsv")]
    known_aliases = {k["canonical"]: list(k["aliases"]) for k in known}
    known_level = {k["canonical"]: k["level"] for k in known}
    for canon, aliases, level in sector_bodies(gz):
        known_aliases.setdefault(canon, []).extend(aliases)
        known_level.setdefault(canon, level)
    return Lexicon(
        heads=PhraseTable({"head": [h["head"] for h in heads]}),
        head_info={match_key(h["head"]): h for h in heads},
        known=PhraseTable(known_aliases),
        known_level=known_level,
        level_words=PhraseTable({"level": [w["word"] for w in levels]}),
        level_info={match_key(w["word"]): w for w in levels},
        places=PhraseTable({"place": [w for p in places for w in spelled_ways(p["name"], gz)]}),
        place_type=place_type,
        place_name=place_name,
        districts=PhraseTable({"district": [w for d in districts for w in spelled_ways(d["name"], gz)]}),
        district_province={k: next(iter(v)) for k, v in district_homes(gz, match_key).items() if len(v) == 1},
        ethnic=frozenset(match_key(w) for w in load_list("ethnic_name_starts.txt")),
        not_heads=PhraseTable({"word": load_list("not_agency_words.txt")}),
        tail_words=PhraseTable({"tail": load_list("agency_tail_words.txt")}),
        stops=PhraseTable({"stop": stops}),
        surnames=frozenset(match_key(s) for s in load_list("surnames.txt")),
        generic_before=PhraseTable({"g": [g[2:] for g in generic if g.startswith("< ")]}),
        generic_after=PhraseTable({"g": [g[2:] for g in generic if g.startswith("> ")]}),
        generic_whole=frozenset(match_key(g[2:]) for g in generic if g.startswith("= ")),
        acronyms={match_key(r["acronym"]): r["expansion"] for r in load_tsv("acronyms.tsv") if r["in_names"] == "yes"},
        trade_heads=frozenset(match_key(h) for h in load_list("trade_name_heads.txt")),
        person_name_heads=frozenset(match_key(h) for h in load_list("person_name_heads.txt")),
        doc_types=PhraseTable({"type": [t["type"] for t in load_tsv("doc_types.tsv")]}),
        business_lines=PhraseTable({"line": load_list("business_lines.txt")}),
        outlet_heads=PhraseTable({"outlet": load_yaml("outlet_citation.yaml")["heads"]}),
        cite_before=PhraseTable({"cue": load_yaml("outlet_citation.yaml")["before"]}),
        cite_after=PhraseTable({"cue": load_yaml("outlet_citation.yaml")["after"]}),
        title_end_heads=frozenset(match_key(h) for h in load_list("title_end_heads.txt")),
    )


def sector_bodies(gz: Gazetteers) -> list[tuple[str, list[str], str]]:
    """(canonical, aliases, level) for "Sở Giáo dục và Đào tạo", "Sở GD&ĐT", "Bộ Lao động - Thương binh và Xã hội" ..."""
    levels = {h["head"]: h["level"] for h in gz.tsv("agency_heads.tsv")}
    out = []
    for row in gz.tsv("sectors.tsv"):
        variants = [] if row["variants"] == "-" else row["variants"].split("|")
        for head in row["heads"].split(","):
            canon = f"{head} {row['sector']}"
            out.append((canon, [canon] + [f"{head} {v}" for v in variants], levels[head]))
    return out


@dataclass
class Candidate:
    start: int                     # token indices in a.doc
    end: int
    level: str | None = None
    place: str | None = None       # as written, or filled from the report's province
    level_word: bool = False       # a level word with no place ("Công an tỉnh")
    known: str | None = None       # canonical of a known body at the head
    parts: list[tuple[int, int, str]] = field(default_factory=list)  # known sub-bodies: start, end, canonical


class Index:
    """Per-document match tables, computed once."""

    def __init__(self, doc: Doc, lx: Lexicon):
        self.doc = doc
        self.head_at = lx.heads.starting_at(doc)
        self.known_at = lx.known.starting_at(doc)
        self.level_at = lx.level_words.starting_at(doc)
        self.place_at = lx.places.starting_at(doc)
        self.district_at = lx.districts.starting_at(doc)
        self.not_head_at = lx.not_heads.starting_at(doc)
        self.tail_at = lx.tail_words.starting_at(doc)
        self.stop_at = lx.stops.starting_at(doc)
        self.stop_spans = lx.stops.all(doc)
        self.stop_sorted = sorted(self.stop_spans, key=lambda sp: sp.start)
        self.stop_starts = [sp.start for sp in self.stop_sorted]
        self.gen_before_end = lx.generic_before.ending_at(doc)
        self.gen_after_at = lx.generic_after.starting_at(doc)
        self.doc_type_at = lx.doc_types.starting_at(doc)
        self.line_at = lx.business_lines.starting_at(doc)
        self.outlet_at = lx.outlet_heads.starting_at(doc)
        self.cite_before_end = lx.cite_before.ending_at(doc)
        self.cite_after_at = lx.cite_after.starting_at(doc)


def _whole_body_at(i: int, ix: "Index", lx: Lexicon) -> bool:
    """A body's whole name opens at token i: a known body ("Tỉnh ủy", "HĐND") or a head that names
    one alone ("Huyện ủy", agency_heads.tsv needs_tail = no)."""
    hd = ix.head_at.get(i)
    return i in ix.known_at or hd is not None and lx.head_info[match_key(hd.text)]["needs_tail"] == "no"


def _person_at(doc: Doc, i: int, lx: Lexicon) -> bool:
    """A surname followed by a capitalised syllable starts a person's name ("Bùi Thị Hòa")."""
    return person_starts_at(doc, i, lx.surnames)


def place_after_level(doc: Doc, end: int, limit: int, word: dict[str, str], ix: "Index", lx: Lexicon) -> int:
    """End of the place written after a level word at `end` (== end when none).

    A province word takes a known province ("tỉnh Lai Châu"); a district word a known district
    ("huyện Trần Văn Thời"); otherwise a short capitalised run that is not a person's name, so
    "Phó Chủ tịch UBND tỉnh H'Liên Mlô" keeps the name for the officials stage.
    """
    if end >= limit:
        return end
    if end in ix.place_at:
        return ix.place_at[end].end
    if word["level"] != "province" or word["place_type"] == "thành phố":
        d = ix.district_at.get(end)
        if d is not None and d.end <= limit and is_capitalised(doc[end].text):
            return d.end
    if person_starts_at(doc, end, lx.surnames, lx.ethnic):
        return end
    run = end
    while run < limit and run - end < 4 and is_capitalised(doc[run].text) and not doc[run].is_punct \
            and run not in ix.stop_at:
        run += 1
    return run


def lower_head_in_title(i: int, ix: Index) -> bool:
    """"Trưởng ban Nữ công Tổng LĐLĐVN": a title ending in a lower-case head, then a capitalised name."""
    doc = ix.doc
    hd = ix.head_at.get(i)
    return (hd is not None and hd.end < len(doc) and not is_capitalised(doc[i].text)
            and is_capitalised(doc[hd.end].text) and not doc[hd.end].is_punct and not is_acronym(doc[hd.end].text)
            and any(s.start < i and s.end == hd.end for s in ix.stop_spans)
            and hd.end not in ix.stop_at and hd.end not in ix.place_at
            and (hd.end not in ix.head_at or hd.end in ix.tail_at))  # "Trưởng phòng Cảnh sát giao thông"


def _name_run(j: int, ix: Index, lx: Lexicon, limit: int) -> int:
    """End of up to three capitalised words that are no body, place, title or person of their own."""
    doc = ix.doc
    k, words = j, 0
    while k < limit and words < 3 and is_capitalised(doc[k].text) and not doc[k].is_punct \
            and not is_acronym(doc[k].text) and k not in ix.head_at and k not in ix.known_at \
            and k not in ix.stop_at and k not in ix.place_at and k not in ix.level_at and not _person_at(doc, k, lx):
        k, words = k + 1, words + 1
        while k < limit and doc[k]._.wid == doc[k - 1]._.wid >= 0 and not doc[k].is_punct:
            k += 1  # the rest of the word: "Thông tin", "Du lịch"
    return k


def comma_series_end(pos: int, ix: Index, lx: Lexicon, limit: int) -> int | None:
    """"Trung tâm Văn hóa, Thông tin và Thể thao", "Sở Giáo dục, Khoa học và Công nghệ": ", B và C" inside
    one name, the shape of a body over several sectors. A list of bodies ("Sở Tài chính, Sở Xây dựng và
    Sở Công Thương") is not one: each part opens with a head. End of the series, or None."""
    doc = ix.doc
    j = pos
    while j < limit and doc[j].text == ",":
        k = _name_run(j + 1, ix, lx, limit)
        if k == j + 1:
            return None
        j = k
    if j == pos or j >= limit or match_key(doc[j].text) != "và":
        return None
    k = _name_run(j + 1, ix, lx, limit)
    return k if k > j + 1 else None


def parse_at(i: int, ix: Index, lx: Lexicon, limit: int) -> Candidate | None:
    """Parse one agency name starting at token i (a capitalised head or a known body)."""
    doc = ix.doc
    kn, hd = ix.known_at.get(i), ix.head_at.get(i)
    if not is_capitalised(doc[i].text) and not lower_head_in_title(i, ix):
        return None
    nh = ix.not_head_at.get(i)
    if nh is not None and (hd is None or nh.end > hd.end) and (kn is None or nh.end > kn.end):
        return None  # "BÁO CÁO Kết quả", "Hội nghị Ban Chấp hành": a word, not a head
    if kn is not None and (hd is None or kn.end >= hd.end):
        c = Candidate(i, kn.end, level=lx.known_level.get(kn.label_), known=kn.label_)
        c.parts.append((kn.start, kn.end, kn.label_))
    elif hd is not None:
        info = lx.head_info[match_key(hd.text)]
        c = Candidate(i, hd.end, level=None if info["level"] == "-" else info["level"])
    else:
        return None
    pos = c.end
    trade = hd is not None and c.known is None and match_key(hd.text) in lx.trade_heads
    named_as_person = trade or hd is not None and c.known is None and match_key(hd.text) in lx.person_name_heads
    while pos < limit and pos - i < MAX_TAIL:
        tok = doc[pos]
        if tok.text in JOINERS and pos + 1 < limit and not is_capitalised(doc[pos + 1].text) \
                and pos + 1 in ix.tail_at and not is_acronym(doc[pos - 1].text):
            pos += 1  # "BQL dự án - quỹ đất TP Hội An": a dash between lower-case parts of one name
            continue
        if tok.text in JOINERS and pos + 1 < limit and is_capitalised(doc[pos + 1].text) \
                and not is_acronym(doc[pos + 1].text) and not is_acronym(doc[pos - 1].text) \
                and pos + 1 not in ix.head_at and pos + 1 not in ix.known_at and pos + 1 not in ix.stop_at \
                and pos + 1 not in ix.place_at and not _person_at(doc, pos + 1, lx):
            pos += 1  # "Lao động - Thương binh": a dash between capitalised parts of one name
            continue
        series = comma_series_end(pos, ix, lx, limit) if tok.text == "," else None
        if series is not None:
            pos = c.end = series
            continue
        if tok.is_punct or tok.is_space or tok._.wid < 0 and not tok.text.strip():
            break
        sub_kn = ix.known_at.get(pos)
        if sub_kn is not None and is_capitalised(tok.text):
            c.parts.append((sub_kn.start, sub_kn.end, sub_kn.label_))
            c.level = c.level or lx.known_level.get(sub_kn.label_)
            pos = c.end = sub_kn.end
            continue
        if pos in ix.level_at and not (pos in ix.head_at and ix.head_at[pos].end > ix.level_at[pos].end):
            lv = ix.level_at[pos]  # (a body whose name opens with a level word is a body: "Thường trực Huyện ủy")
            info = lx.level_info[match_key(lv.text)]
            c.level = info["level"]
            end = lv.end
            run = place_after_level(doc, end, limit, info, ix, lx)
            if run > end:
                c.place = doc[end:run].text
            else:
                c.level_word = True
            c.end = run
            break
        if pos in ix.place_at:
            pl = ix.place_at[pos]
            c.place, c.end = pl.text, pl.end
            c.level = c.level or "province"
            break
        if c.level == "district" and pos in ix.district_at and is_capitalised(tok.text):
            d = ix.district_at[pos]  # "Huyện đoàn Ninh Phước", "Huyện ủy Bác Ái": a district body, its district
            c.place, c.end = d.text, d.end
            break
        if pos in ix.stop_at or _person_at(doc, pos, lx) and not named_as_person:
            break
        tail = ix.tail_at.get(pos)
        if tail is not None and is_capitalised(tok.text) and tail.end > ix.head_at.get(pos, tail).end:
            pos = c.end = tail.end  # "Cục Cảnh sát hình sự": a lower-case branch after a head word
            continue
        if pos in ix.head_at and is_capitalised(tok.text):
            sub = parse_at(pos, ix, lx, limit)  # "Ban Giám đốc Công an tỉnh Sóc Trăng": a body inside
            if sub is not None:
                c.parts.extend(sub.parts)
                c.level, c.place, c.level_word = sub.level or c.level, sub.place, sub.level_word
                c.end = sub.end
                break
        if pos in ix.tail_at:
            pos = ix.tail_at[pos].end
            c.end = pos
            continue
        if is_capitalised(tok.text) and not (tok.text.endswith(".") and len(tok.text) > 2):
            pos += 1
            while pos < limit and doc[pos]._.wid == tok._.wid and tok._.wid >= 0 and not doc[pos].is_punct \
                    and not is_acronym(tok.text) and pos not in ix.level_at and pos not in ix.stop_at:
                pos += 1  # the rest of the word: "Giáo dục", "Ban Chấp hành", "Đài Phát thanh"
            c.end = pos
            continue
        if trade and not is_capitalised(tok.text):
            k = pos
            while k < limit and k in ix.line_at:
                k = ix.line_at[k].end  # "Công ty CP xây dựng công trình Đại Lộc": its business lines, then its name
            if pos < k < limit and is_capitalised(doc[k].text) and not doc[k].is_punct and k not in ix.head_at \
                    and k not in ix.level_at and k not in ix.stop_at:
                pos = c.end = k
                continue
        if match_key(tok.text) == "và" and pos + 1 < limit and is_capitalised(doc[pos + 1].text) \
                and not is_acronym(doc[pos - 1].text) and not is_acronym(doc[pos + 1].text) \
                and pos + 1 not in ix.head_at and pos + 1 not in ix.known_at and pos + 1 not in ix.doc_type_at:
            pos += 1  # "Bộ Giáo dục và Đào tạo": "và" inside a name, between capitalised words
            continue
        break
    return c


def is_cited_outlet(c: Candidate, ix: Index, text: str) -> bool:
    """A newspaper or site cited as a source ("như Báo Người Lao Động đã thông tin", "Nguồn: Báo Lâm
    Đồng") or standing alone on its line (a masthead): no agency of the report."""
    if c.start not in ix.outlet_at:
        return False
    doc = ix.doc
    before = c.start - 1 if c.start > 0 and doc[c.start - 1].text == ":" else c.start
    if before in ix.cite_before_end or c.end in ix.cite_after_at:
        return True
    s, e = doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1].text)
    line_start, line_end = text.rfind("\n", 0, s) + 1, text.find("\n", e)
    return not text[line_start:s].strip() and not text[e:len(text) if line_end < 0 else line_end].strip()


def is_generic(c: Candidate, ix: Index, lx: Lexicon) -> bool:
    doc = ix.doc
    text = doc[c.start:c.end].text
    if match_key(text) in lx.generic_whole:
        return True
    if c.start in ix.gen_before_end:
        return True
    if c.start > 0 and match_key(doc[c.start - 1].text) in lx.level_info:
        return True  # "phường Sở Dầu": a place name that starts like a head
    if c.end in ix.gen_after_at:
        return True
    # written all in capitals (a title line), a head with a tail that is neither a known body nor a
    # place: "MÙA LỄ HỘI XUÂN NĂM 2025" holds no Hội
    if c.known is None and not c.place and not c.parts and is_acronym(text.replace(" ", "")) and " " in text.strip():
        return True
    # a bare head that needs a tail ("Bộ", "Công an", "Hội"): names nothing
    if c.known is None and not c.place and not c.level_word:
        hd = ix.head_at.get(c.start)
        if hd is not None and hd.end == c.end and lx.head_info[match_key(hd.text)]["needs_tail"] == "yes":
            return True
    # inside a title: "Tỉnh ủy viên" is a position, not the Tỉnh ủy (titles are short: look back a little)
    lo = bisect.bisect_left(ix.stop_starts, c.start - MAX_STOP)
    hi = bisect.bisect_right(ix.stop_starts, c.start)
    for s in ix.stop_sorted[lo:hi]:
        if s.start <= c.start and c.end <= s.end and (s.end - s.start) > (c.end - c.start):
            return True
    return False


def report_province(a: Analysis, ix: Index, lx: Lexicon) -> str | None:
    """The province a report is about: the place named most often (the title, and the authority
    of an official document's heading, "UBND TỈNH QUẢNG BÌNH / SỞ Y TẾ", count double). Counted
    however it is cased; returned as first written in mixed case, if ever."""
    counts: Counter[str] = Counter()
    written: dict[str, str] = {}
    authority = [sp for _, spans in (a.heading.body_cells() if a.heading else []) for sp in spans]
    for start, span in ix.place_at.items():
        in_authority = any(s <= span.start_char and span.end_char <= e for s, e in authority)
        if not (in_authority or a.is_readable(span.start_char, span.end_char)):
            continue
        if start > 0 and ix.doc[start - 1].norm_ in VENUE_WORDS:
            continue  # "tại Hà Nội": where a national meeting sat, not what the report is about
        z = a.zone_at(span.start_char)
        k = match_key(span.text)
        counts[k] += 2 if in_authority or (z is not None and z.kind == "title") else 1
        if k not in written or (written[k].isupper() and not span.text.isupper()):
            written[k] = span.text
    # a district written after its level word ("huyện Kỳ Anh") counts for its province
    for start, span in ix.district_at.items():
        word = ix.level_at.get(start - 1) if start > 0 else None
        home = lx.district_province.get(match_key(span.text))
        if word is None or home is None or lx.level_info.get(match_key(word.text), {}).get("level") != "district" \
                or not a.is_readable(span.start_char, span.end_char):
            continue
        z = a.zone_at(span.start_char)
        k = match_key(home)
        counts[k] += 2 if z is not None and z.kind == "title" else 1
        written.setdefault(k, home)
    if not counts:
        return None
    (top, n), *rest = counts.most_common(2) + [("", 0)]
    second = rest[0][1] if rest else 0
    return written[top] if n >= 2 and n >= 2 * second else None


def heading_province(authority: list, lx: Lexicon) -> str | None:
    """The province of an official document's issuing authority, the first body of its heading
    that names one ("ỦY BAN NHÂN DÂN / TỈNH ĐỒNG THÁP" -> Đồng Tháp)."""
    for c, doc, _ in authority:
        if c.place and match_key(c.place) in lx.place_name:
            return lx.place_name[match_key(c.place)]
    return None


def expand_acronyms(name: str, lx: Lexicon) -> str:
    """Acronyms spelled out: a word written in capitals ("UBND tỉnh"); in a name written all in
    capitals only one of three letters or more ("SỞ KẾ HOẠCH VÀ ĐẦU TƯ": "TƯ" is a word there)."""
    shouting = is_acronym(name.replace(" ", ""))
    out = []
    for w in name.split():
        if reads_as_acronym(w, shouting):
            out.append(lx.acronyms.get(match_key(w), w))
        else:
            out.append(w)
    return " ".join(out)


def canonical_of(c: Candidate, doc: Doc, lx: Lexicon) -> str:
    """Known sub-bodies take their canonical; other words their acronym expansion."""
    pieces: list[str] = []
    pos = c.start
    for s, e, canon in sorted(c.parts):
        if s > pos:
            pieces.append(expand_acronyms(doc[pos:s].text, lx))
        pieces.append(canon)
        pos = e
    if pos < c.end:
        pieces.append(expand_acronyms(doc[pos:c.end].text, lx))
    return " ".join(p for p in pieces if p)


def resolve_place(c: Candidate, doc: Doc, province: str | None, lx: Lexicon) -> None:
    """Fill a bare level word ("Công an tỉnh") with the report's province when the kinds agree."""
    if not province or c.place:
        return
    kinds = lx.place_type.get(match_key(province), set())
    if c.level_word:
        word = match_key(doc[c.end - 1].text)
        info = lx.level_info.get(word) or lx.level_info.get(match_key(doc[c.end - 2:c.end].text), {})
        if info.get("place_type") in kinds:
            c.place = province
    elif c.known and c.level == "province" and c.parts and (c.parts[0][0], c.parts[0][1]) == (c.start, c.end):
        c.place = province  # "Tỉnh ủy", "UBND" alone in a provincial report


@dataclass
class Group:
    name: str
    canonical: str
    level: str | None
    place: str | None
    tokens: set[str]
    head: str
    mentions: list[Mention]
    size: int


class AgencyStage(Stage):
    name = "agencies"
    requires = ("text", "doc", "zones", "heading", "outlet", "sentences")
    provides = ("agencies", "report_place")

    def __init__(self, gazetteers: Gazetteers):
        super().__init__(gazetteers)
        self.lx = lexicon(gazetteers)
        self.number_words = number_words(gazetteers)

    def __call__(self, a: Analysis) -> None:
        lx = self.lx
        ix = Index(a.doc, lx)
        # the report's own province: the one its heading's authority belongs to ("UBND TỈNH BÌNH
        # DƯƠNG"), else the one it names most, else the one its outlet serves ("baolaichau.vn")
        authority = self.authority(a, lx)
        province = heading_province(authority, lx) or report_province(a, ix, lx) \
            or province_of_outlet(a.outlet, self.gazetteers)
        found = [(c, a.doc, None) for c in self.candidates(a, ix, lx)]
        a.agencies = self.group(a, authority + found, province, lx)
        a.report_place = province

    def authority(self, a: Analysis, lx: Lexicon) -> list[tuple[Candidate, Doc, Mention]]:
        """The issuing authority of an official document counts (DECISIONS): each body of its
        heading's left column, read from the words of its cells alone (the right column shares
        their lines: "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI … / TỈNH ĐỒNG THÁP Độc lập …"). Its
        mention is its first cell, or the whole body when its cells follow each other."""
        out = []
        for body, pieces in (a.heading.body_cells() if a.heading else []):
            words = WordLayer.of(body, [Sentence(start=0, end=len(body))], self.number_words)
            doc = words.doc
            c = parse_at(0, Index(doc, lx), lx, len(doc)) if len(doc) else None
            if c is None:
                continue
            s, e = pieces[0]
            if all(not a.text[x[1]:y[0]].strip() for x, y in zip(pieces, pieces[1:])):
                e = pieces[-1][1]
            out.append((c, doc, Mention(start=s, end=e, text=a.text[s:e])))
        return out

    @staticmethod
    def candidates(a: Analysis, ix: Index, lx: Lexicon) -> list[Candidate]:
        doc = ix.doc
        out: list[Candidate] = []
        taken_until = 0
        starts = sorted(set(ix.known_at) | set(ix.head_at))
        cells = sorted(sp for _, pieces in (a.heading.body_cells() if a.heading else []) for sp in pieces)
        def in_heading(at: int) -> bool:  # read by `authority` instead
            return any(s <= at < e for s, e in cells)
        for i in starts:
            if i < taken_until:
                continue
            tok = doc[i]
            if not a.is_readable(tok.idx, tok.idx + len(tok.text)) or in_heading(tok.idx):
                continue
            sent = a.sentence_at(tok.idx)
            end_char = sent.end if sent is not None else len(a.text)
            # the first token at or past the sentence's end, 64 tokens at most
            limit = bisect.bisect_left(doc.user_data["offsets"], end_char, i, min(len(doc), i + 64))
            hd = ix.head_at.get(i)
            if hd is not None and match_key(hd.text) in lx.title_end_heads \
                    and (not _whole_body_at(hd.end, ix, lx) or any(s.start < i < s.end for s in ix.stop_spans)):
                continue  # "Phó Chủ tịch Thường trực UBND tỉnh": the body starts after the title
            c = parse_at(i, ix, lx, limit)
            if c is None:
                continue
            taken_until = c.end
            if is_generic(c, ix, lx) or is_cited_outlet(c, ix, a.text):
                continue
            if not a.is_readable(doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1].text)):
                continue
            out.append(c)
        return out

    @staticmethod
    def group(a: Analysis, cands: list[tuple[Candidate, Doc, Mention | None]], province: str | None,
              lx: Lexicon) -> list[Agency]:
        groups: list[Group] = []
        for c, doc, span in cands:
            resolve_place(c, doc, province, lx)
            written = " ".join(doc[c.start:c.end].text.split())
            canon = canonical_of(c, doc, lx)
            if c.place and is_acronym(c.place.replace(" ", "")):  # a heading's "TỈNH SÓC TRĂNG"
                pretty = c.place.title()
                canon = re.sub(rf"(\S+)(\s+){re.escape(c.place)}$", lambda m: (
                    m.group(1).lower() if match_key(m.group(1)) in lx.level_info else m.group(1)) + m.group(2) + pretty,
                    canon)
                c.place = pretty
            if c.level_word and c.place:
                canon = f"{canon} {c.place}"
            key_tokens = set(match_key(canon).split())
            head = match_key(canon).split()[0]
            if span is None:
                s0, e0 = doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1].text)
                span = Mention(start=s0, end=e0, text=a.text[s0:e0])
            level = c.level
            groups.append(Group(written, canon, level, c.place, key_tokens, head, [span], c.end - c.start))
        # fullest form first; a shorter mention with the same head, no other place and no word the
        # fuller one lacks is the same body ("Hội LHPN" -> "Hội LHPN Việt Nam")
        groups.sort(key=lambda g: -len(g.tokens))
        merged: list[Group] = []
        for g in groups:
            homes = [m for m in merged if m.head == g.head and g.tokens <= m.tokens]
            home = next((m for m in homes
                         if g.place is None and m.place is None or
                         g.place is not None and match_key(g.place) == match_key(m.place or "")), None)
            if home is None and g.place is None and g.level != "central" and len(homes) == 1:
                home = homes[0]  # "Hội LHPN", "Ban Dân tộc tỉnh" beside the one "... tỉnh Đắk Lắk";
                # a national body ("Bộ đội Biên phòng") stays apart from its provincial branch
            if home is None:
                merged.append(g)
            else:
                home.mentions.extend(g.mentions)
                if g.size > home.size or (g.size == home.size and is_acronym(home.name.replace(" ", ""))
                                          and not is_acronym(g.name.replace(" ", ""))):
                    # fullest written form names the group; of two as full, the one not in capitals
                    home.name, home.size = g.name, g.size
        merged.sort(key=lambda g: min(s.start for s in g.mentions))
        return [Agency(id=f"agency-{n}", name=g.name, canonical=g.canonical, level=g.level, place=g.place,
                       mentions=sorted(g.mentions, key=lambda s: s.start)) for n, g in enumerate(merged, 1)]
