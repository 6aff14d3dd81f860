"""Officials: named people in the readable text, with rank and every position stated for them.

Input: a.doc, a.zones, a.authors, a.agencies (organisation spans for positions). Output: a.officials.
Names are found from sentence structure, not from a NER model: a family name (gazetteers/surnames.txt)
opening 2-4 capitalised syllables, or any capitalised syllables right after a rank or honorific.
Positions are a title (gazetteers/titles.tsv) plus the organisation after it, before the name or in
apposition after it, chained by commas:

    Trung tướng Trần Quốc Tỏ, Uỷ viên Trung ương Đảng Thứ trưởng Bộ Công an và đồng chí Hà Thị Nga,
    Bí thư Đảng đoàn, Chủ tịch Hội LHPN Việt Nam
    -> Trần Quốc Tỏ (Trung tướng; Uỷ viên Trung ương Đảng, Thứ trưởng Bộ Công an);
       Hà Thị Nga (Bí thư Đảng đoàn Hội LHPN Việt Nam, Chủ tịch Hội LHPN Việt Nam)

An organisation written once after coordinated titles belongs to each ("Bí thư Đảng đoàn, Chủ tịch
Hội LHPN Việt Nam"). Byline and credit names (a.authors) are never officials.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from pipeline.analysis import Analysis, Stage
from pipeline.extract.agencies import expand_acronyms
from pipeline.extract.agencies import lexicon as agency_lexicon
from pipeline.gazetteers import Gazetteers
from pipeline.keys import is_acronym, match_key
from pipeline.matching import PhraseTable, is_capitalised, person_starts_at
from pipeline.model import Agency, Mention, Official
from pipeline.model import Position as PositionRef

SEPARATORS_AFTER_NAME = frozenset({",", "-", "–", "—", "("})
MAX_ASIDE = 12  # tokens of an aside in brackets after a name ("(sinh năm 1968)", "(SN 1980, trú tại …)")
AFTER_RANK = frozenset({",", ".", ";", ")"})  # what a rank written after a name is followed by
MAX_NAME = 4  # syllables in a Vietnamese full name, initials aside


@dataclass
class Lexicon:
    titles: PhraseTable
    takes_org: dict[str, bool]
    ranks: PhraseTable
    honorifics: PhraseTable
    surnames: frozenset[str]
    places: PhraseTable
    level_words: frozenset[str]
    former: frozenset[str]
    state_words: frozenset[str]
    not_second: frozenset[str]
    districts: PhraseTable
    place_words: PhraseTable
    ethnic: frozenset[str]
    province_words: frozenset[str]
    lower_titles: frozenset[str]  # job titles found in lower case in apposition ("chuyên viên")
    links: PhraseTable            # "Chủ tọa phiên tòa là ông A", "Hội thẩm nhân dân gồm bà B"
    list_openers: PhraseTable     # "... có các ông, bà: A, B"
    role_verbs: PhraseTable       # "A, Phó Giám đốc Sở làm Trưởng đoàn"
    name_links: PhraseTable       # "ông A là Chủ tịch UBND xã"
    shared_links: frozenset[str]  # "A và B, cùng là Phó phòng ...": the position is both names'
    bare_bodies: PhraseTable      # "Bí thư Đảng ủy", "Chủ tịch Công đoàn"
    concurrent: frozenset[str]    # "kiêm": two titles of one person ("Phó Chủ tịch kiêm Tổng Thư ký")
    chain_separators: frozenset[str]  # between the positions of one person: "," and the concurrent words


def lexicon(gz: Gazetteers) -> Lexicon:
    return gz.memo("officials", _build_lexicon)


def _build_lexicon(gz: Gazetteers) -> Lexicon:
    load_list, load_tsv, load_yaml = gz.list, gz.tsv, gz.yaml
    titles = load_tsv("titles.tsv")
    words = load_yaml("position_words.yaml")
    return Lexicon(
        titles=PhraseTable({"title": [t["title"] for t in titles]}),
        takes_org={match_key(t["title"]): t["takes_org"] == "yes" for t in titles},
        ranks=PhraseTable({"rank": [r["rank"] for r in load_tsv("ranks.tsv")]}),
        honorifics=PhraseTable({"hon": load_list("honorifics.txt")}),
        surnames=frozenset(match_key(s) for s in load_list("surnames.txt")),
        places=PhraseTable({"place": [p["name"] for p in load_tsv("places.tsv")]}),
        level_words=frozenset(match_key(w["word"]) for w in load_tsv("level_words.tsv")),
        former=frozenset(match_key(w) for w in words["former"]),
        state_words=frozenset(match_key(w) for w in words["state_words"]),
        not_second=frozenset(match_key(w) for w in load_list("name_exclusions.txt")),
        districts=PhraseTable({"district": [d["name"] for d in load_tsv("districts.tsv")]}),
        place_words=PhraseTable({"place": [w["word"] for w in load_tsv("level_words.tsv")]
                                 + list(load_list("place_words.txt"))}),
        ethnic=frozenset(match_key(w) for w in load_list("ethnic_name_starts.txt")),
        province_words=frozenset(match_key(w["word"]) for w in load_tsv("level_words.tsv") if w["place_type"] == "tỉnh"),
        lower_titles=frozenset(match_key(t["title"]) for t in titles if t["lower"] == "yes"),
        links=PhraseTable({"link": words["title_links"]}),
        list_openers=PhraseTable({"opener": words["list_openers"]}),
        role_verbs=PhraseTable({"role": words["role_verbs"]}),
        name_links=PhraseTable({"link": words["name_links"]}),
        shared_links=frozenset(match_key(w) for w in words["shared_links"]),
        bare_bodies=PhraseTable({"body": words["bare_bodies"]}),
        concurrent=frozenset(match_key(w) for w in words["concurrent"]),
        chain_separators=frozenset({","} | set(words["concurrent"])),
    )


@dataclass
class Position:
    start: int          # token indices ("nguyên" included)
    end: int
    title_end: int
    has_org: bool
    org_text: str = ""
    title_start: int = -1
    org_start: int = -1  # where the body the agency stage found opens (-1: none found)


@dataclass
class Occurrence:
    """One written mention of a name, with the positions written around it (token indices)."""
    start: int
    end: int
    name: str
    key: str
    trusted: bool
    rank: str | None
    title_before: bool                  # a position ends right before the name (or its rank)
    before: list[Position]
    after: list[Position]
    lead: int = -1                      # where the name's rank and honorific open ("ông", "Đại tá")
    linked: bool = False                # a position before it through a link ("là ông A", "gồm bà A")
    shared: bool = False                # its position after it is shared with names before ("cùng là")


@dataclass
class Person:
    name: str
    rank: str | None = None
    positions: list[str] = field(default_factory=list)
    details: dict[str, PositionRef] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    introduced: bool = False  # some mention has a rank, honorific or position beside it


class Index:
    def __init__(self, a: Analysis, lx: Lexicon):
        doc = a.doc
        self.doc = doc
        self.chain_separators, self.concurrent = lx.chain_separators, lx.concurrent
        self.rank_end = lx.ranks.ending_at(doc)
        self.hon_end = lx.honorifics.ending_at(doc)
        self.place_at = lx.places.starting_at(doc)
        self.district_at = lx.districts.starting_at(doc)
        self.place_word_end = lx.place_words.ending_at(doc)
        self.rank_at = lx.ranks.starting_at(doc)
        self.link_end = lx.links.ending_at(doc)
        self.opener_end = lx.list_openers.ending_at(doc)
        self.role_at = lx.role_verbs.starting_at(doc)
        self.name_link_at = lx.name_links.starting_at(doc)
        self.bare_at = lx.bare_bodies.starting_at(doc)
        # a title opens with a capital ("Thứ trưởng Công an" is not "trưởng Công an"); a job title written
        # in lower case counts in apposition only ("Bùi Trí Thức, chuyên viên Phòng Tài chính")
        self.title_spans = lx.titles.longest(doc, [
            s for s in lx.titles.all(doc) if is_capitalised(s[0].text)
            or match_key(s.text) in lx.lower_titles and _after_comma(doc, s.start, lx)])
        self.title_at = {s.start: s for s in self.title_spans}
        # organisation spans from the agency stage, by token index
        self.org_at: dict[int, int] = {}
        self.agency_of: dict[tuple[int, int], Agency] = {}
        self.inside_org: set[int] = set()  # tokens inside a body's name after its first ("Trường Đại học Nông Lâm")
        for ag in a.agencies:
            for m in ag.mentions:
                span = a.words.doc_span(m.start, m.end)
                if span is not None:
                    s, e = span
                    self.agency_of[(s, e)] = ag
                    self.inside_org.update(range(s + 1, e))
                    if e > self.org_at.get(s, -1):
                        self.org_at[s] = e


def _after_comma(doc: Doc, i: int, lx: Lexicon) -> bool:
    """Token i follows a comma, or a comma and a word of a former holder ("…, nguyên kế toán …")."""
    k = i - 1 if i > 0 and doc[i - 1].norm_ in lx.former else i
    return k > 0 and doc[k - 1].text == ","


def name_run(doc: Doc, i: int, lx: Lexicon, ix: Index, trusted: bool) -> int:
    """End of a personal name starting at token i, or i when none ("Bùi Thị Hòa", "Nguyễn Thị K.L.")."""
    tok = doc[i]
    if not is_capitalised(tok.text) or tok.is_punct or (is_acronym(tok.text) and "." not in tok.text):
        return i
    if not trusted and tok.norm_ not in lx.surnames:
        return i
    if i in ix.place_at or i in ix.title_at or i in ix.org_at or i in ix.inside_org:
        return i
    j = i + 1
    while j < len(doc) and j - i < MAX_NAME and is_capitalised(doc[j].text) and not doc[j].is_punct \
            and j not in ix.title_at and j not in ix.org_at and doc[j - 1].whitespace_:
        if is_acronym(doc[j].text) and "." not in doc[j].text:
            break
        j += 1
    if j - i < 2 or (j - i == 2 and doc[i + 1].norm_ in lx.not_second):
        return i
    return j


def parse_position(doc: Doc, t: int, lx: Lexicon, ix: Index) -> Position | None:
    """Title at token t, with "nguyên" before it and its organisation after it."""
    span = ix.title_at.get(t)
    if span is None:
        return None
    start = t - 1 if t > 0 and doc[t - 1].norm_ in lx.former else t
    end = span.end
    p = Position(start, end, end, False, title_start=t)
    # the body may open inside the title: "Trưởng Ban Nội chính Trung ương", "Phó Trưởng Công an huyện"
    org_end = ix.org_at.get(end) or max((ix.org_at.get(k, 0) for k in range(span.start + 1, end)), default=0)
    if not lx.takes_org.get(match_key(span.text), True):
        # complete alone, but an organisation written after it is its own:
        # "Tổng Bí thư Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam"
        if ix.org_at.get(end, 0) > end:
            p.end, p.has_org, p.org_start = ix.org_at[end], True, end
            p.org_text = doc[p.title_end:p.end].text
        return p
    if org_end and org_end > end:
        p.end, p.has_org = org_end, True
        p.org_start = end if ix.org_at.get(end) == org_end else \
            next(k for k in range(span.start + 1, end) if ix.org_at.get(k) == org_end)
    elif end < len(doc) and doc[end].norm_ in lx.state_words:
        p.end = end + 1  # "Chủ tịch nước" written apart from a table entry
    else:
        j = end if end not in ix.bare_at or not is_capitalised(doc[end].text) else ix.bare_at[end].end
        # a bare organisation word the agency stage does not count ("Thứ trưởng Công an", "Đảng đoàn")
        while j < len(doc) and j - end < 4 and is_capitalised(doc[j].text) and not doc[j].is_punct \
                and j not in ix.title_at and doc[j].norm_ not in lx.surnames:
            j += 1
            while j < len(doc) and doc[j]._.wid == doc[j - 1]._.wid >= 0 and not doc[j].is_punct:
                j += 1  # the rest of the word: "Đảng đoàn"
        p.end = j
    p.org_text = doc[p.title_end:p.end].text
    return p


def _is_sep(doc: Doc, i: int, seps: frozenset[str]) -> bool:
    return 0 <= i < len(doc) and doc[i].text in seps


class OfficialStage(Stage):
    name = "officials"
    requires = ("text", "words", "doc", "zones", "authors", "agencies")
    provides = ("officials",)

    def __init__(self, gazetteers: Gazetteers):
        super().__init__(gazetteers)
        self.lx = lexicon(gazetteers)
        self.acronyms = agency_lexicon(gazetteers)

    def __call__(self, a: Analysis) -> None:
        lx = self.lx
        ix = Index(a, lx)
        doc = a.doc
        positions = {}
        for s in ix.title_spans:
            p = parse_position(doc, s.start, lx, ix)
            if p is not None:
                positions[p.start] = p
        pos_by_end = {p.end: p for p in positions.values()}
        authors = {match_key(x) for x in a.authors}
        occ = self.occurrences(a, lx, ix, positions, pos_by_end, authors)
        self.assign_chains(occ)
        people: dict[str, Person] = {}
        order: list[str] = []
        list_positions: list[str] = []  # positions a colon list hands to each of its names
        prev_end = 0
        texts = a.words.syllables
        for o in occ:
            if any(texts[k] in {".", ";", "\n"} for k in range(prev_end, o.start)):
                list_positions = []
            prev_end = o.end
            i = o.start
            person = people.get(o.key)
            if person is None:
                person = people[o.key] = Person(o.name)
                order.append(o.key)
            ms, me = doc[i].idx, doc[o.end - 1].idx + len(doc[o.end - 1].text)
            person.mentions.append(Mention(start=ms, end=me, text=a.text[ms:me]))
            if o.rank is not None and person.rank is None:
                person.rank = o.rank
            found = distribute(doc, o.before, ix) + distribute(doc, o.after, ix)
            lead = o.lead
            heading = self.list_heading(doc, lead - 1, pos_by_end, ix) if lead > 0 and doc[lead - 1].text == ":" \
                else None
            if heading is not None:
                list_positions = distribute(doc, [heading], ix, whole=True)
                found = found + list_positions
            elif o.linked:  # "Hội thẩm nhân dân gồm bà A và ông B"
                list_positions = distribute(doc, o.before, ix)
            elif lead > 1 and doc[lead - 1].text in {",", "và"} and list_positions and not found:
                found = list(list_positions)
            elif not (lead > 0 and doc[lead - 1].text == ":"):
                list_positions = []
            person.introduced |= o.trusted or bool(found)
            for f in found:
                if f.text not in person.positions:
                    person.positions.append(f.text)
                    person.details[f.text] = f
        officials = []
        for p in (people[k] for k in order):
            if not (p.introduced or len(p.name.split()) > 2):
                continue  # a bare two-syllable pair is as often a place ("Hà Lầm") as a person
            kept = self.tidy(p.positions)
            officials.append(Official(id=f"official-{len(officials) + 1}", name=p.name, rank=p.rank,
                                      positions=kept, position_details=[p.details[t] for t in kept],
                                      mentions=p.mentions))
        a.officials = officials

    def occurrences(self, a: Analysis, lx: Lexicon, ix: Index, positions: dict[int, Position],
                    pos_by_end: dict[int, Position], authors: set[str]) -> list[Occurrence]:
        """Every name mention in reading order, with the position chains written before and after it."""
        doc = a.doc
        texts = a.words.syllables
        out: list[Occurrence] = []
        i = 0
        while i < len(doc):
            if not texts[i][:1].isupper():  # a name opens with a capital (name_run, person_starts_at)
                i += 1
                continue
            trusted = i in ix.rank_end or i in ix.hon_end or i in pos_by_end
            end = name_run(doc, i, lx, ix, trusted)
            if end == i and not trusted and person_starts_at(doc, i, frozenset(), lx.ethnic):
                # "H'Liên Mlô, Phó Chủ tịch UBND tỉnh": an ethnic name vouched for by the title after it
                end = name_run(doc, i, lx, ix, True)
                if end > i and not (_is_sep(doc, end, SEPARATORS_AFTER_NAME) and end + 1 in positions):
                    end = i
            if end == i:
                i += 1
                continue
            start_c, end_c = doc[i].idx, doc[end - 1].idx + len(doc[end - 1].text)
            name = doc[i:end].text
            # "huyện Trần Văn Thời", "đường Lê Lợi": a place, unless a title or honorific vouches for a person
            # right there ("Chủ tịch UBND huyện Nguyễn Văn An") and the name is no known district; after
            # "tỉnh" every place is a known province, so "UBND tỉnh Dương Tất Thắng" is a person
            word = ix.place_word_end.get(i)
            province_word = word is not None and match_key(word.text) in lx.province_words
            if word is not None and (i in ix.district_at or not trusted and not province_word):
                i = end
                continue
            if not a.is_readable(start_c, end_c) or match_key(name) in authors:
                i = end
                continue
            rank_span = ix.rank_end.get(i)
            lead = i if rank_span is None else rank_span.start
            hon = ix.hon_end.get(lead)
            lead = lead if hon is None else hon.start  # "đồng chí Thiếu tướng A", "là ông A"
            before, linked = self.before(doc, lead, pos_by_end, ix)
            after, rank_after, shared = self.after(doc, end, positions, ix, lx)
            rank = rank_span.text if rank_span is not None else rank_after
            out.append(Occurrence(
                start=i, end=end, name=name, key=match_key(name), trusted=trusted, rank=rank,
                title_before=lead in pos_by_end, before=before, after=after, lead=lead, linked=linked,
                shared=shared))
            i = end
        for k, o in enumerate(out):
            # "Trịnh Hữu Nghĩa và Nguyễn Văn Phụng, cùng là Phó phòng ...": the names joined before share it
            m = k
            while o.shared and m > 0:
                prev, cur = out[m - 1], out[m]
                if not (prev.end == cur.lead - 1 and doc[prev.end].text in {",", "và"}) or prev.after or prev.before:
                    break
                prev.after = list(o.after)
                m -= 1
        return out

    @staticmethod
    def assign_chains(occ: list[Occurrence]) -> None:
        """A chain of positions between two names: "A, T1, T2 B".

        When A had its own title before it ("Tổng Bí thư Nguyễn Phú Trọng, Chủ tịch nước Trần Đại
        Quang"), the names are listed as "Title Name" and the whole chain is B's; otherwise A keeps
        the chain except the title written directly before B ("Nguyễn Văn An, Giám đốc Sở Y tế,
        Chủ tịch Hội Chữ thập đỏ tỉnh Lê Thị Bình").
        """
        for prev, nxt in zip(occ, occ[1:]):
            shared = [p for p in prev.after if any(p is q for q in nxt.before)]
            if not shared:
                continue
            if prev.title_before:
                prev.after = [p for p in prev.after if not any(p is q for q in shared)]
            else:
                last = shared[-1]
                prev.after = [p for p in prev.after if p is not last]
                nxt.before = [last]

    @staticmethod
    def before(doc: Doc, i: int, pos_by_end: dict[int, Position], ix: Index) -> tuple[list[Position], bool]:
        """Positions chained right before the name: "Ủy viên Bộ Chính trị, Phó Thủ tướng ... Trương Hòa Bình",
        or before a link word: "Chủ tọa phiên tòa là Thẩm phán A", "Hội thẩm nhân dân gồm bà B"."""
        out: list[Position] = []
        j, linked = i, False
        while True:
            if j not in pos_by_end:
                link = ix.link_end.get(j)
                if linked or link is None or link.start not in pos_by_end:
                    break
                j, linked = link.start, True
            p = pos_by_end[j]
            out.insert(0, p)
            j = p.start - 1 if _is_sep(doc, p.start - 1, ix.chain_separators) else p.start
            if j == p.start - 1 and j not in pos_by_end:
                break
        return out, linked

    @staticmethod
    def list_heading(doc: Doc, colon: int, pos_by_end: dict[int, Position], ix: Index) -> Position | None:
        """The position a colon list of names is under: "Dự có các đồng chí: ...", "Hội thẩm nhân dân có
        các ông, bà: A, B, C"."""
        if colon in pos_by_end:
            return pos_by_end[colon]
        j = colon
        opener = ix.opener_end.get(j)
        j = j if opener is None else opener.start
        link = ix.link_end.get(j)
        j = j if link is None else link.start
        return pos_by_end.get(j) if j != colon else None

    @staticmethod
    def after(doc: Doc, end: int, positions: dict[int, Position], ix: Index,
              lx: Lexicon) -> tuple[list[Position], str | None, bool]:
        """Positions in apposition: "Đại tá Đinh Ngọc Khoa, Ủy viên Ban Thường vụ Tỉnh ủy, Giám đốc ...",
        with a rank written after the name ("Hồ Văn Tài, Trung tá, Phó Trưởng phòng ..."), a link ("ông A
        là Chủ tịch ...", "A và B, cùng là ...") and the role taken ("..., Phó Giám đốc Sở làm Trưởng đoàn").
        Returns the positions, the rank written after the name and whether a shared link put them there."""
        j, rank, shared = end, None, False
        if j < len(doc) and doc[j].text == "(" and j + 1 not in positions:
            # "Phan Văn Thắng (sinh năm 1968), nguyên Chủ tịch UBND xã": a short aside, then the positions
            close = next((k for k in range(j + 1, min(len(doc), j + MAX_ASIDE)) if doc[k].text in "()"), None)
            if close is not None and doc[close].text == ")" and close + 1 < len(doc) and doc[close + 1].text == ",":
                j = close + 1
        if _is_sep(doc, j, SEPARATORS_AFTER_NAME):
            j += 1
            r = ix.rank_at.get(j)
            if r is not None and (r.end in positions or _is_sep(doc, r.end, AFTER_RANK)):
                rank = r.text
                j = r.end + 1 if doc[r.end].text == "," else r.end
        link = ix.name_link_at.get(j)
        if link is not None and link.end in positions:
            shared, j = match_key(link.text) in lx.shared_links, link.end
        elif j == end:
            role = ix.role_at.get(j)  # "do ông A làm Trưởng đoàn"
            if role is None or role.end not in positions:
                return [], None, False
            j = role.end
        out: list[Position] = []
        while j in positions:
            p = positions[j]
            out.append(p)
            j = p.end
            if _is_sep(doc, j, ix.chain_separators):
                j += 1
            elif j in ix.role_at and ix.role_at[j].end in positions:
                j = ix.role_at[j].end
            elif j not in positions:
                break
        return out, rank, shared

    def tidy(self, positions: list[str]) -> list[str]:
        """Drop a bare title when a fuller form of it is there ("Thứ trưởng" beside "Thứ trưởng Bộ Công an")."""
        keys = [set(match_key(expand_acronyms(p, self.acronyms)).split()) for p in positions]
        out = []
        for i, p in enumerate(positions):
            if any(j != i and keys[i] < keys[j] for j in range(len(positions))):
                continue
            if any(j < i and keys[i] == keys[j] for j in range(len(positions))):
                continue  # "Chủ tịch Ủy ban Trung ương MTTQ Việt Nam" written out again in full
            out.append(p)
        return out


def distribute(doc: Doc, chain: list[Position], ix: Index, whole: bool = False) -> list[PositionRef]:
    """"Bí thư Đảng đoàn, Chủ tịch Hội LHPN Việt Nam": a later organisation completes an earlier title.
    With `whole`, each position is taken as written (a list heading "Dự hội nghị có các đồng chí:")."""
    out = []
    for k, p in enumerate(chain):
        text = doc[p.start:p.end].text
        org = p if p.end > p.title_end else None
        # "Phó Chủ tịch kiêm Tổng Thư ký Ủy ban ...": a bare title joined by "kiêm" shares the body
        joined = p.end == p.title_end and p.end < len(doc) and doc[p.end].norm_ in ix.concurrent
        if not whole and not p.has_org and (p.end > p.title_end or joined):
            nxt = next((q for q in chain[k + 1:] if q.has_org), None)
            if nxt is not None:
                text = f"{text} {nxt.org_text}"
                org = nxt
        out.append(_position_ref(doc, text, p, org, ix))
    return out


def _position_ref(doc: Doc, text: str, p: Position, org: Position | None, ix: Index) -> PositionRef:
    title = doc[p.title_start if p.title_start >= 0 else p.start:p.title_end].text
    ag = ix.agency_of.get((org.org_start, org.end)) if org is not None and org.org_start >= 0 else None
    return PositionRef(text=text, title=title, organisation=(org.org_text or None) if org is not None else None,
                       agency_id=ag.id if ag is not None else None, place=ag.place if ag is not None else None)
