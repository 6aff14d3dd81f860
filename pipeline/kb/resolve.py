"""Which document entities are the same real entity: resolution on evidence, not on spelling.

Candidates are blocked on a normalised name key; inside a block, a document entity joins a
cluster when nothing conflicts and the evidence supports it, and stays apart when it could belong
to more than one. What counts, by kind:

- officials: the exact tone-sensitive name (one tone-mark convention: Hòa = Hoà, never Hà = Hạ);
  the province of their posts (two provinces: two people); a shared organisation; the report's
  province as weaker evidence. "Trần Quốc Tỏ" with no post joins the one Trần Quốc Tỏ there is,
  never one of two namesakes.
- agencies: the spelled-out name with its place resolved; a national body is one everywhere, a
  provincial body without its province written ("Công an tỉnh" unresolved) only within its
  report's province, and with no province known, only within its report.
- legal documents: type and number, with year, issuing code and issuer that must not conflict
  ("NQLT 01", "Nghị quyết liên tịch số 01/2002/NQLT-…" and "Nghị quyết liên tịch 01/TW" meet;
  Chỉ thị 05-CT/TW and Chỉ thị 05/CT-TTg do not); unnumbered ones by their subject. An issuer
  that is one of its report's agencies is compared as that agency's entity, so "HĐND tỉnh" in a
  Quảng Bình report and "HỘI ĐỒNG NHÂN DÂN TỈNH QUẢNG BÌNH" are one issuer, and "HĐND tỉnh" in
  a Hà Tĩnh report another.
- programmes: kind and name (acronyms spelled out, a shorter name inside a longer one); a model
  or club only within one province (gazetteers/program_kinds.tsv `scope`).

Two entities of one document are never merged (the extractor already joined what it could), and
judgements (same / different, by key or by document and name) override everything. Every
decision is kept with its reason (`entity_links`).
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import orjson
from rapidfuzz import fuzz

from pipeline.keys import match_key
from pipeline.references import loose

_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


@dataclass(slots=True)
class Item:
    """One document entity, with what resolution compares."""
    de_id: str
    doc_id: str
    kind: str
    key: str
    name: str
    canonical: str
    place: str | None
    level: str | None
    details_json: str                    # decoded when read (agencies never read theirs)
    report_place: str | None
    published: str | None
    block: str = ""
    strong_place: str | None = None      # officials: province of a post; legal: year
    weak_place: str | None = None        # the report's province
    orgs: set[str] = field(default_factory=set)
    facts: dict[str, Any] = field(default_factory=dict)
    sig: tuple | None = None             # signature(), kept once `prepare` has set the features
    decoded: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def details(self) -> dict[str, Any]:
        # decoded on first read and kept (functools.cached_property takes a lock on every read in
        # Python 3.11: 70% of `prepare`, measured on 10,000 documents)
        if self.decoded is None:
            self.decoded = orjson.loads(self.details_json)
        return self.decoded


def signature(it: Item) -> tuple:
    """What a verdict reads of an item: a cluster compares with one item per distinct signature,
    so a body named in thousands of reports costs no more than one named in two. Read after
    `prepare` (which sets every feature it reads), and kept on the item."""
    if it.sig is not None:
        return it.sig
    f = it.facts
    it.sig = (it.strong_place, it.weak_place, frozenset(it.orgs), frozenset(f.get("titles", ())),
              f.get("type"), f.get("number"), f.get("year"), f.get("code"), f.get("issuer"), f.get("issuer_entity"),
              f.get("title"),
              f.get("name"), f.get("scope"), match_key(it.report_place or "") if f.get("scope") == "local" else "")
    return it.sig


@dataclass
class Cluster:
    items: list[Item] = field(default_factory=list)
    docs: set[str] = field(default_factory=set)
    reasons: dict[str, tuple[str, str]] = field(default_factory=dict)  # de_id -> (other de_id, reason)
    reps: dict[tuple, Item] = field(default_factory=dict)              # one item per distinct signature
    ids: set[str] = field(default_factory=set)
    gkey: frozenset = frozenset()                                        # the signatures, as a key

    def add(self, it: Item, other: Item | None, reason: str) -> None:
        self.items.append(it)
        self.docs.add(it.doc_id)
        self.ids.add(it.de_id)
        sig = signature(it)
        if sig not in self.reps:
            self.reps[sig] = it
            self.gkey = frozenset(self.reps)
        if other is not None:
            self.reasons[it.de_id] = (other.de_id, reason)

    @property
    def distinct(self) -> list[Item]:
        return list(self.reps.values())


@dataclass
class Judgements:
    """Decisions a user wrote: pairs of references that are the same / different entity.
    A reference is an extraction key ("official:nguyễn văn hùng") or DOC#NAME, where DOC is a
    document id or its file stem and NAME an entity's name as written in it."""
    same: list[tuple[str, str, str]] = field(default_factory=list)
    different: list[tuple[str, str, str]] = field(default_factory=list)

    @classmethod
    def parse(cls, lines: Iterable[str], where: str = "judgements") -> "Judgements":
        out = cls()
        for n, line in enumerate(lines, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            try:
                row = json.loads(line)
                verdict = "same" if "same" in row else "different"
                a, b = row[verdict]
            except (ValueError, KeyError, TypeError) as err:
                raise ValueError(f"{where}:{n}: expected {{\"same\"|\"different\": [REF, REF], \"why\": …}} "
                                 f"({type(err).__name__})") from None
            getattr(out, verdict).append((str(a), str(b), str(row.get("why", ""))))
        return out


def _stem_of(path: str | None) -> str:
    return re.split(r"[\\/]", path or "")[-1].rsplit(".", 1)[0]


def matches_ref(it: Item, ref: str, stems: dict[str, str]) -> bool:
    if "#" in ref:
        doc, name = ref.split("#", 1)
        return (it.doc_id == doc or stems.get(it.doc_id) == doc) and match_key(name) in (
            match_key(it.name), match_key(it.canonical))
    return it.key == ref or match_key(it.key) == match_key(ref)


# --- features per kind ---------------------------------------------------------------------------

def _spell(keys, s: str | None) -> str:
    return keys.spell(s) if keys is not None else loose(s)


def province_of(place: str | None, report_place: str | None, provinces: dict[str, set[str]]) -> str | None:
    """A post's province: a province as it is; a district's province (districts.tsv), the
    report's own when the district name exists in several provinces ("Châu Thành")."""
    if not place:
        return None
    k = match_key(place)
    homes = provinces.get(k)
    if not homes or k in homes:
        return k
    if len(homes) == 1:
        return next(iter(homes))
    rp = match_key(report_place) if report_place else None
    return rp if rp in homes else k


def prepare(items: list[Item], keys, agency_of: dict[str, str], program_scope: dict[str, str],
            agency_aliases: dict[str, str], provinces: dict[str, set[str]] | None = None,
            agency_named: dict[tuple[str, str], str] | None = None, province_words: Iterable[str] = ()) -> None:
    """Blocking keys and features (agency_of: agency document entity -> entity id, resolved first;
    provinces: district or province key -> the province keys it lies in; agency_named: (document,
    spelled name or canonical of one of its agencies) -> that agency's entity id; province_words:
    the level words that stand for a province, gazetteers/level_words.tsv)."""
    provinces = provinces or {}
    agency_named = agency_named or {}
    province_words = tuple(loose(w) for w in province_words if loose(w))
    standard = keys.standard_place
    for it in items:
        if it.report_place:  # one spelling of a place for every report ("Đăk Lăk", "Đắk Lắk")
            it.report_place = standard(it.report_place)
        if it.kind == "agency":  # an agency's columns say all (its details are never decoded)
            k = _spell(keys, it.canonical or it.name)
            k = agency_aliases.get(k, k)
            if it.place:
                place = standard(it.place)
                if place != it.place:
                    k = k.replace(loose(it.place), loose(place))
                k = place_key(k, place, provinces, province_words)
            specific = it.level == "central" or bool(it.place)
            scope = "" if specific else (f"place:{match_key(it.report_place)}" if it.report_place else f"doc:{it.doc_id}")
            it.block = f"{k}|{scope}"
            it.facts["name_key"] = k
        elif it.kind == "official":
            d = it.details
            it.block = match_key(it.name)
            # the province of a post; "central" for a national body; "local" for a provincial or
            # district body whose province the report does not say
            it.strong_place = province_of(it.place, it.report_place, provinces) if it.place else (
                "central" if it.level == "central" else "local" if it.level else None)
            it.weak_place = match_key(it.report_place) if it.report_place else None
            it.orgs = {agency_of[f"{it.doc_id}/{p['agency_id']}"] for p in d.get("position_details") or []
                       if p.get("agency_id") and f"{it.doc_id}/{p['agency_id']}" in agency_of}
            it.facts["titles"] = {match_key(p.get("title")) for p in d.get("position_details") or [] if p.get("title")}
        elif it.kind == "legal_document":
            d = it.details
            typ = _spell(keys, d.get("type"))
            number = (d.get("number") or "").lstrip("0") or ("0" if d.get("number") else "")
            years = set(_YEAR_RE.findall(d.get("symbol") or "")) or ({d["date"][:4]} if d.get("date") and
                                                                     d["date"][:4].isdigit() else set())
            issuer = _spell(keys, d.get("issuer")) or None
            it.facts.update(type=typ, number=number, year=min(years) if years else None,
                            code=_issuer_code(d.get("symbol"), number), issuer=issuer,
                            issuer_entity=agency_named.get((it.doc_id, issuer)) if issuer else None,
                            title=_spell(keys, d.get("title")) or None)
            it.block = f"number:{number}" if number else f"type:{typ.split()[0] if typ else ''}"
        elif it.kind == "program":
            d = it.details
            kind = match_key(d.get("kind"))
            it.facts.update(kind=kind, name=_spell(keys, d.get("name")), scope=program_scope.get(kind, "shared"))
            it.block = f"kind:{kind}"


def place_key(k: str, place: str, provinces: dict[str, set[str]], province_words: tuple[str, ...]) -> str:
    """An agency's key with its place at the end: "Tỉnh ủy" resolved to Hà Tĩnh is "tỉnh ủy hà tĩnh";
    before a province the level word says nothing more, so "Sở Y tế tỉnh Quảng Bình", "Sở Y tế
    Quảng Bình" and a bare "Sở Y tế" in a Quảng Bình report all give "sở y tế quảng bình" (a
    district or commune keeps its word: "UBND huyện Cẩm Xuyên" is not "UBND thị trấn Cẩm Xuyên").
    A place inside the name is left where it is written."""
    lp = loose(place)
    if k == lp or k.endswith(" " + lp):
        base = k[:len(k) - len(lp)].rstrip()
    elif lp in k.split() or f" {lp} " in f" {k} ":
        return k
    else:
        base = k
    if match_key(place) in provinces.get(match_key(place), ()):
        for w in province_words:
            if base.endswith(" " + w):
                base = base[:-len(w) - 1]
                break
    return f"{base} {lp}".strip()


def _issuer_code(symbol: str | None, number: str) -> str | None:
    """"09/CT-TW" -> "tw", "86/2014/NĐ-CP" -> "cp", "01/2002/NQLT-BCA-TWHLHPNVN" -> "bca-twhlhpnvn"."""
    if not symbol:
        return None
    parts = [p for p in re.split(r"[/]", symbol) if p]
    tail = [p for p in parts[1:] if not p.isdigit()]
    if not tail:
        return None
    segs = re.split(r"[-–]", tail[-1])
    return match_key("-".join(segs[1:])) or None if len(segs) > 1 else None


# --- compatibility -------------------------------------------------------------------------------

Verdict = tuple[bool, bool, str]  # (conflict, support, reason)


def official_verdict(c: Cluster, it: Item) -> Verdict:
    """Posts in two provinces, or in a national body and a provincial one, are two people; the same
    organisation, province or national level supports one; a mention with no post of its own joins
    the only namesake its report does not contradict."""
    reps = c.distinct
    provinces = {x.strong_place for x in reps if x.strong_place not in (None, "central", "local")}
    local = any(x.strong_place == "local" for x in reps) or bool(provinces)
    central = any(x.strong_place == "central" for x in reps)
    weak = {x.weak_place for x in reps if x.weak_place and not x.strong_place}
    mine = it.strong_place
    if mine == "central":
        if local and not central:
            return True, False, "a post in a national body, the others in provincial ones"
    elif mine == "local":
        if central and not local:
            return True, False, "a post in a provincial body, the others in national ones"
    elif mine:
        if provinces and mine not in provinces:
            return True, False, f"posts in {it.place} and in {', '.join(sorted(provinces))}"
        if central and not local:
            return True, False, f"a post in {it.place}, the others in national bodies"
        if not provinces and weak and mine not in weak:
            return True, False, f"a post in {it.place}, reports about {', '.join(sorted(weak))}"
    elif it.weak_place and provinces and it.weak_place not in provinces:
        return True, False, f"a report about {it.report_place}, posts in {', '.join(sorted(provinces))}"
    orgs = set().union(*(x.orgs for x in reps))
    if it.orgs & orgs:
        return False, True, "same name, same organisation"
    if mine and mine in provinces:
        return False, True, f"same name, posts in {it.place}"
    if mine == "central" and central:
        return False, True, "same name, posts in national bodies"
    if not mine and it.weak_place and (it.weak_place in provinces or it.weak_place in weak):
        return False, True, f"same name, reports about {it.report_place}"
    # a provincial post whose province one side does not say: the same title, or the report's
    # own province, is the evidence; without it they stay apart
    titles = set().union(*(x.facts.get("titles", set()) for x in reps))
    if mine == "local" or (mine and mine != "central" and not provinces and local):
        if it.weak_place and it.weak_place in provinces | {x.weak_place for x in reps if x.weak_place}:
            return False, True, f"same name, a provincial post, reports about {it.report_place}"
        if it.facts.get("titles", set()) & titles:
            return False, True, "same name, the same title in a provincial body"
    if mine:
        return True, False, "posts that neither match nor conflict: kept apart"
    return False, False, "same name, nothing in conflict"


def legal_verdict(c: Cluster, it: Item) -> Verdict:
    f = it.facts
    for x in c.distinct:
        g = x.facts
        ta, tb = f["type"], g["type"]
        if not (ta and tb and (ta.startswith(tb) or tb.startswith(ta))):
            return True, False, f"types {it.details.get('type')} and {x.details.get('type')}"
        if f["number"] != g["number"]:
            return True, False, "numbers differ"
        for k, what in (("year", "years"), ("code", "issuing codes")):
            if f[k] and g[k] and f[k] != g[k]:
                return True, False, f"{what} differ ({f[k]} / {g[k]})"
        if _same_issuer(f, g) is False:
            return True, False, f"issuers differ ({f['issuer']} / {g['issuer']})"
        if not f["number"]:
            a, b = f.get("title") or "", g.get("title") or ""
            if not a or not b or _subject_ratio(a, b) < 90:
                return True, False, "different subjects"
    support = [k for k in ("year", "code") if f[k] and any(x.facts[k] == f[k] for x in c.distinct)]
    if any(_same_issuer(f, x.facts) for x in c.distinct):
        support.append("issuer")
    if not f["number"]:
        return False, True, "same type, same subject"
    if support:
        return False, True, f"same type and number, same {', '.join(support)}"
    return False, False, "same type and number, nothing in conflict"


def _same_issuer(f: dict, g: dict) -> bool | None:
    """One issuer, two, or nothing to say: by the agencies they were resolved to when both are
    agencies of their reports ("HĐND tỉnh" is a different council in each province), else as
    written."""
    if f.get("issuer_entity") and g.get("issuer_entity"):
        return f["issuer_entity"] == g["issuer_entity"]
    if f.get("issuer") and g.get("issuer"):
        return f["issuer"] == g["issuer"]
    return None


def _subject_ratio(x: str, y: str) -> float:
    short, long_ = sorted((x.split(), y.split()), key=len)
    if len(short) < 3 or len(short) < 0.4 * len(long_):
        return 0
    return fuzz.token_set_ratio(x, y)


def _names_meet(a: str, b: str) -> bool:
    if a == b:
        return True
    ta, tb = a.split(), b.split()
    short, long_ = sorted((ta, tb), key=len)
    if len(short) >= 3 and set(short) <= set(long_):
        return True  # "bảo vệ an ninh tổ quốc" inside "toàn dân bảo vệ an ninh tổ quốc trong tình hình mới"
    return len(short) >= 3 and fuzz.ratio(a, b) >= 92


def program_verdict(c: Cluster, it: Item) -> Verdict:
    f = it.facts
    for x in c.distinct:
        if not _names_meet(f["name"], x.facts["name"]):
            return True, False, "different names"
        if f["scope"] == "local":
            pa, pb = match_key(it.report_place or ""), match_key(x.report_place or "")
            if not pa or not pb or pa != pb:
                return True, False, "a local model or club in another (or an unknown) province"
    return False, True, "same kind, same name" + (" and province" if f["scope"] == "local" else "")


# --- clustering ----------------------------------------------------------------------------------

def cluster_block(items: list[Item], verdict: Callable[[Cluster, Item], Verdict], cannot: set[frozenset[str]],
                  forced: dict[str, str], one_per_document: bool = True) -> list[Cluster]:
    """Strongest evidence first; each item joins the one cluster that supports it, or the only
    compatible one when that is allowed, else starts its own.

    Clusters whose members show the same distinct signatures are alike to every verdict, so the
    verdict is taken once per such group and item signature: a name in thousands of reports, kept
    apart in hundreds of clusters, costs one comparison per group, not one per cluster."""
    clusters: list[Cluster] = []
    groups: dict[frozenset, list[Cluster]] = defaultdict(list)
    cache: dict[tuple[frozenset, tuple], Verdict] = {}
    by_group: dict[str, Cluster] = {}
    barred = {x for pair in cannot for x in pair}
    forced_ids = set(forced)
    order = sorted(items, key=lambda x: (-(bool(x.strong_place) + bool(x.orgs) + bool(x.place)),
                                         x.published or "9999", x.de_id))

    def open_to(c: Cluster, it: Item, group: str | None) -> bool:
        if one_per_document and it.doc_id in c.docs:
            return False
        if it.de_id in barred and any(frozenset((it.de_id, x)) in cannot for x in c.ids & barred):
            return False
        return not (group and any(forced.get(x) not in (None, group) for x in c.ids & forced_ids))

    for it in order:
        group = forced.get(it.de_id)
        if group and group in by_group:
            c = by_group[group]
            _regroup(groups, c, lambda: c.add(it, c.items[0], "judged the same"))
            continue
        sig = signature(it)
        compatible: list[tuple[Cluster, str]] = []
        supported: list[tuple[Cluster, str]] = []
        for gkey, members in groups.items():
            v = cache.get((gkey, sig))
            if v is None:
                v = cache[(gkey, sig)] = verdict(members[0], it)
            conflict, support, reason = v
            if conflict:
                continue
            found = 0
            for c in members:
                if open_to(c, it, group):
                    (supported if support else compatible).append((c, reason))
                    found += 1
                    if found > 1:
                        break  # two candidates of one kind: ambiguous either way
        best = None
        if len(supported) == 1:
            best, reason = supported[0]
        elif not supported and len(compatible) == 1:
            best, reason = compatible[0]
        if best is not None:
            _regroup(groups, best, lambda: best.add(it, best.items[0], reason))
        else:
            best = Cluster()
            best.add(it, None, "")
            clusters.append(best)
            groups[best.gkey].append(best)
        if group:
            by_group[group] = best
    return clusters


def _regroup(groups: dict[frozenset, list[Cluster]], c: Cluster, change: Callable[[], None]) -> None:
    """Apply `change` to cluster c and keep it filed under its (possibly new) signature set."""
    before = c.gkey
    change()
    if c.gkey != before:
        members = groups[before]
        members.remove(c)
        if not members:
            del groups[before]
        groups[c.gkey].append(c)


def resolve(items: list[Item], judgements: Judgements | None, stems: dict[str, str],
            verdicts: dict[str, Callable[[Cluster, Item], Verdict]]) -> list[Cluster]:
    """Clusters of one kind's items (already `prepare`d)."""
    judgements = judgements or Judgements()
    cannot: set[frozenset[str]] = set()
    for a, b, _ in judgements.different:
        xs = [it for it in items if matches_ref(it, a, stems)]
        ys = [it for it in items if matches_ref(it, b, stems)]
        cannot.update(frozenset((x.de_id, y.de_id)) for x in xs for y in ys if x.de_id != y.de_id)
    # forced groups: union-find over "same" judgements
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    forced_pairs = []
    for a, b, _ in judgements.same:
        xs = [it.de_id for it in items if matches_ref(it, a, stems)]
        ys = [it.de_id for it in items if matches_ref(it, b, stems)]
        for x in xs + ys:
            parent.setdefault(x, x)
        for x in xs[1:] + ys:
            parent[find(x)] = find(xs[0] if xs else ys[0])
        forced_pairs.extend(xs + ys)
    forced = {x: find(x) for x in forced_pairs}
    # a forced group spans blocks: give its members one block
    block_of = {it.de_id: it.block for it in items}
    group_block: dict[str, str] = {}
    for it in sorted(items, key=lambda x: x.de_id):
        g = forced.get(it.de_id)
        if g:
            group_block.setdefault(g, it.block)
            block_of[it.de_id] = group_block[g]
    blocks: dict[str, list[Item]] = defaultdict(list)
    for it in items:
        blocks[block_of[it.de_id]].append(it)
    out: list[Cluster] = []
    for block in sorted(blocks):
        kind = blocks[block][0].kind
        # one document's two agencies with one name and place are one body the extractor left apart
        out.extend(cluster_block(blocks[block], verdicts[kind], cannot, forced, one_per_document=kind != "agency"))
    return out


VERDICTS = {"official": official_verdict, "legal_document": legal_verdict, "program": program_verdict,
            "agency": lambda c, it: (False, True, "same name and place")}


def slug(s: str | None) -> str:
    s = unicodedata.normalize("NFD", match_key(s)).replace("đ", "d")
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")[:60] or "x"
