"""Side contracts (“阴阳合同”) across a batch: two versions of one deal — the same asset, the same
counterparty (written differently: 安平市青禾商贸有限公司 / 青禾商贸), overlapping in time — that
differ in rent, term or parties. One is filed, the other performed.

The two copies are rarely written alike: one clerk writes 岩口镇向家村村委会 and 临街门面, the other
隆回县岩口镇向家村村民委员会 and 红岭路18号临街门面房, in another template, and one copy is a scan.
Names are therefore compared on their *cores* (administrative prefixes, long and short forms,
counts and building suffixes dropped, traditional characters folded), the asset also by where it
is and how large, and a name read on one side only is vouched for when the other text names it.

Candidates come from MinHash LSH over character bigrams of the counterparty's core, exact
blocks on the counterparty core, on owner + asset core and on place + area, and an inverted
index of the rare 4-grams two texts share — so a batch of tens of thousands is
never compared all-pairs; each candidate pair is then verified field by field. A supplementary
agreement that amends its main agreement is not a side contract, and neither is a renewal
(consecutive terms) or a second copy (nothing differs).  Every threshold is in the profile
(``side_contract``).
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz

from . import register
from .batch import asset_similarity, name_similarity, norm_asset, norm_party, region_of
from .legal import basis
from .market import count_in
from .profile import default_profile
from .rules._base import make, ymd, yuan


class MinHashLSH:
    """A small MinHash with banded LSH (no dependency): Jaccard similarity of shingle sets."""

    def __init__(self, num_perm: int = 128, bands: int = 32, seed: int = 7):
        if num_perm % bands:
            raise ValueError("num_perm must be a multiple of bands")
        rng = np.random.default_rng(seed)
        self.a = rng.integers(1, (1 << 31) - 1, size=num_perm, dtype=np.uint64)
        self.b = rng.integers(0, (1 << 31) - 1, size=num_perm, dtype=np.uint64)
        self.bands, self.rows = bands, num_perm // bands
        self._keys: list[int] = []
        self._sigs: list[np.ndarray] = []

    def signature(self, shingles: set[str]) -> np.ndarray:
        if not shingles:
            return np.full(len(self.a), np.iinfo(np.uint64).max, dtype=np.uint64)
        return self.signatures([shingles])[0]

    def signatures(self, sets: list[set[str]], chunk: int = 16384) -> np.ndarray:
        """The signatures of many non-empty shingle sets at once, one row each: every shingle
        hashed once, (a·h + b) mod 2^31-1 for every permutation over a chunk of shingles, the
        minimum per set by ``np.minimum.reduceat``."""
        lengths = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
        if len(sets) and lengths.min() == 0:
            raise ValueError("empty shingle set")
        h = np.fromiter((zlib.crc32(x.encode("utf-8")) for s in sets for x in s), dtype=np.uint64, count=int(lengths.sum()))
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1])) if len(sets) else lengths
        out = np.empty((len(sets), len(self.a)), dtype=np.uint64)
        prime = np.uint64((1 << 31) - 1)
        first = 0
        while first < len(sets):  # sets in chunks of about ``chunk`` shingles
            last = int(np.searchsorted(starts, starts[first] + chunk, side="left"))
            last = max(last, first + 1)
            lo = int(starts[first])
            hi = int(starts[last]) if last < len(sets) else len(h)
            vals = (np.outer(self.a, h[lo:hi]) + self.b[:, None]) % prime
            out[first:last] = np.minimum.reduceat(vals, starts[first:last] - lo, axis=1).T
            first = last
        return out

    def add(self, key: int, sig: np.ndarray) -> None:
        self._keys.append(key)
        self._sigs.append(np.asarray(sig, dtype=np.uint64).reshape(1, -1))

    def add_many(self, keys: list[int], sets: list[set[str]]) -> None:
        """``add(key, signature(set))`` for many records, the signatures computed together."""
        if keys:
            self._keys.extend(keys)
            self._sigs.append(self.signatures(sets))

    def candidate_pairs(self, max_bucket: int | None = None, min_jaccard: float | None = None) -> set[tuple[int, int]]:
        """The pairs of keys that share a bucket (the same rows in one band of their signatures)
        of at most ``max_bucket`` records and whose whole signatures agree on at least
        ``min_jaccard`` of the permutations (the estimate of their Jaccard similarity).  A
        record is in one bucket per band, so at most ``bands · n · max_bucket / 2`` pairs are
        looked at — linear in n; a larger bucket holds names that share only common shingles
        (公司, 合作社) or one party named alike many times (the exact counterparty block pairs
        those).  The estimate drops the pairs that met by chance on one band (Jaccard 0.25 meets
        with p ≈ 0.12).  Grouping, pairing and the estimate are NumPy over all records at once.
        Defaults: the profile's ``side_contract.lsh_max_bucket`` and ``lsh_min_jaccard``."""
        return _as_set(self.candidate_array(max_bucket, min_jaccard))

    def candidate_array(self, max_bucket: int | None = None, min_jaccard: float | None = None) -> np.ndarray:
        """:meth:`candidate_pairs` as an (m, 2) array of keys, each row (smaller, larger), the
        rows distinct and sorted."""
        if max_bucket is None or min_jaccard is None:
            settings = default_profile().side_contract
            max_bucket = settings.lsh_max_bucket if max_bucket is None else max_bucket
            min_jaccard = settings.lsh_min_jaccard if min_jaccard is None else min_jaccard
        if not self._keys:
            return _NO_PAIRS
        keys = np.asarray(self._keys, dtype=np.int64)
        sigs = np.vstack(self._sigs)
        n = len(sigs)
        firsts, seconds = [], []
        for band in range(self.bands):
            block = sigs[:, band * self.rows : (band + 1) * self.rows]
            order = np.lexsort(block.T[::-1])  # records with equal rows end up next to each other
            ordered = block[order]
            group = np.concatenate(([0], np.cumsum(np.any(ordered[1:] != ordered[:-1], axis=1))))
            i, j = _pairs_within(order, np.bincount(group), max_bucket)
            firsts.append(i)
            seconds.append(j)
        code = _distinct(_codes(np.concatenate(firsts), np.concatenate(seconds), n))
        i, j = code // n, code % n
        agree = np.empty(len(code))
        for lo in range(0, len(code), 16384):
            agree[lo : lo + 16384] = (sigs[i[lo : lo + 16384]] == sigs[j[lo : lo + 16384]]).mean(axis=1)
        ki, kj = keys[i[agree >= min_jaccard]], keys[j[agree >= min_jaccard]]
        distinct = ki != kj
        return _rows(_distinct(_codes(ki[distinct], kj[distinct], int(keys.max()) + 1)), int(keys.max()) + 1)


_NO_PAIRS = np.zeros((0, 2), dtype=np.int64)


def _pairs_within(members: np.ndarray, counts: np.ndarray, max_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Every pair inside each group of ``members`` (laid out group after group, ``counts`` their
    sizes) of 2 to ``max_size`` members, as two arrays; groups of one size are paired at once."""
    starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
    firsts, seconds = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for size in np.unique(counts[(counts >= 2) & (counts <= max_size)]).tolist():
        rows = members[starts[counts == size][:, None] + np.arange(size)]  # one group a row
        x, y = np.triu_indices(size, 1)
        firsts.append(rows[:, x].ravel())
        seconds.append(rows[:, y].ravel())
    return np.concatenate(firsts).astype(np.int64), np.concatenate(seconds).astype(np.int64)


def _codes(i: np.ndarray, j: np.ndarray, n: int) -> np.ndarray:
    """One integer a pair, (smaller, larger) whichever way round it came; sorted codes are
    sorted pairs."""
    return np.minimum(i, j).astype(np.int64) * n + np.maximum(i, j)


def _rows(codes: np.ndarray, n: int) -> np.ndarray:
    return np.stack((codes // n, codes % n), axis=1) if len(codes) else _NO_PAIRS


def _as_set(pairs: np.ndarray) -> set[tuple[int, int]]:
    return set(zip(pairs[:, 0].tolist(), pairs[:, 1].tolist()))


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (``np.unique`` without its hash table: a sort is faster here)."""
    values = np.sort(values)
    return values[np.concatenate(([True], values[1:] != values[:-1]))] if len(values) else values


def shingles(s: str, k: int = 2) -> set[str]:
    return {s[i : i + k] for i in range(max(1, len(s) - k + 1))} if s else set()


# -- names as two clerks write them -------------------------------------------------------------
# 隆回县岩口镇向家村村民委员会 / 岩口镇向家村村委会 / 向家村村委会 are one owner; 红岭路18号临街门面房 /
# 临街门面 / 临街门面房屋两间 one asset.  The cores below drop what one clerk writes and the other
# leaves out: the administrative prefixes, long and short forms, counts and building suffixes.

_BRACKETS = re.compile(r"[（(][^（()）]{0,20}[)）]")
_SPACE = re.compile(r"[\s\u3000·•,，。.;；:：、“”\"'‘’]")
_SAME = (
    ("村民委员会", "村委会"), ("居民委员会", "居委会"), ("人民政府", "政府"), ("有限责任公司", "公司"),
    ("股份有限公司", "公司"), ("有限公司", "公司"), ("股份经济合作社", "经济合作社"), ("專業", "专业"),
)
_ADMIN = re.compile(r"^(?:[\u4e00-\u9fa5]{1,7}?(?:省|自治区|自治州|市|地区|盟|州|县|区|旗))")
_ADMIN_BARE = re.compile(r"^(?:省|市|县|区)(?=[\u4e00-\u9fa5]{2})")
_TOWN = re.compile(r"^(?:[\u4e00-\u9fa5]{1,5}?(?:镇|乡|街道|苏木|公社))")
_GENERIC = {"政府", "村委会", "居委会", "经济合作社", "公司", "财政所", "", "人民政府"}
_COUNT_TAIL = re.compile(r"[一二两三四五六七八九十\d]+(?:间|处|栋|幢|座|口|块|套|宗|亩)$")
_STREET = re.compile(r"^.{0,12}?(?:路|街|大道|巷|大街)\d+(?:-\d+)?号(?:附\d+号)?")
_PLACE_HEAD = re.compile(r"^[\u4e00-\u9fa5]{1,6}?(?:村|组|社区|大队)(?=[\u4e00-\u9fa5]{2})")
_BUILDING_TAIL = re.compile(r"(?:房屋|用房|房|屋)$")


# the name normalisations are pure and called once per candidate pair: cached per distinct name
@lru_cache(maxsize=1 << 17)
def _clean(s: str | None) -> str:
    """Brackets, spaces and punctuation dropped, traditional characters folded (臨陵縣 → 临陵县)."""
    if not s:
        return ""
    s = _BRACKETS.sub("", _simplified(str(s)))
    return _SPACE.sub("", s)


@lru_cache(maxsize=1 << 17)
def org_core(name: str | None) -> str:
    """A party's name without what two copies of one agreement write differently: 隆回县岩口镇
    向家村村民委员会 → 向家村村委会; 安平县青禾商贸有限公司 → 青禾商贸公司; 青山镇人民政府 → 青山镇政府."""
    s = _clean(name)
    for a, b in _SAME:
        s = s.replace(a, b)
    for pattern in (_ADMIN, _ADMIN, _ADMIN_BARE, _TOWN):
        t = pattern.sub("", s, count=1)
        if t != s and len(t) >= 3 and t not in _GENERIC:
            s = t
    return s


@lru_cache(maxsize=1 << 17)
def asset_core(asset: str | None) -> str:
    """An asset's name without its street number, village, count and building suffix:
    红岭路18号临街门面房 → 临街门面; 临街门面房屋两间 → 临街门面; 桥坡村东洼机动地 → 东洼机动地."""
    s = _clean(asset)
    s = _STREET.sub("", s) or s
    t = _PLACE_HEAD.sub("", s, count=1)
    if len(t) >= 2:
        s = t
    for pattern in (_COUNT_TAIL, _BUILDING_TAIL, _COUNT_TAIL, _BUILDING_TAIL):
        t = pattern.sub("", s)
        if len(t) >= 2:
            s = t
    return s


@lru_cache(maxsize=1 << 17)
def place_core(location: str | None) -> str:
    """A location without its county and township: 隆回县岩口镇向家村 → 向家村."""
    s = _clean(location)
    for pattern in (_ADMIN, _ADMIN, _TOWN):
        t = pattern.sub("", s, count=1)
        if len(t) >= 2:
            s = t
    return s


def _core_similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    short, long = sorted((a, b), key=len)
    if len(short) >= 2 and short in long:
        return 0.95 if len(short) >= 3 else 0.9
    return fuzz.ratio(a, b) / 100.0


def party_similarity(a: str | None, b: str | None) -> float:
    """0–1: the same party written twice (full and short names, county or not, OCR slips)."""
    if not a or not b:
        return 0.0
    a, b = _clean(a), _clean(b)
    direct = name_similarity(a, b)
    ra, rb = region_of(a), region_of(b)
    if ra and rb and ra != rb and fuzz.ratio(ra, rb) < 60:
        return 0.0  # 梅岭县教育局 / 龙台县教育局: two counties, two parties
    ca, cb = org_core(a), org_core(b)
    if not ca or not cb:
        return direct
    if not _ORG_WORD.search(ca + cb) and len(ca) <= 4 and len(cb) <= 4:
        return max(direct, 1.0 if ca == cb else 0.0)  # people: 江国 is not 江国华
    tail = _GENERIC_TAIL.search(ca)
    if tail and cb.endswith(tail.group(0)):
        # 德河乡政府 / 石河乡政府, 向家村村委会 / 高家村村委会: only the part before the common
        # tail tells them apart, so only that part is compared
        ha, hb = ca[: -len(tail.group(0))], cb[: -len(tail.group(0))]
        na, nb = _NUMERAL.findall(ha), _NUMERAL.findall(hb)
        if na and nb and na != nb:
            return 0.0  # 第十二生产队 / 第二生产队
        if ha and hb:
            return _core_similarity(ha, hb) if len(min(ha, hb, key=len)) >= 2 else float(ha == hb)
    return max(direct, _core_similarity(ca, cb))


_NUMERAL = re.compile(r"[\d一二三四五六七八九十〇零两]+")
_GENERIC_TAIL = re.compile(r"(?:村委会|居委会|政府|经济合作社|财政所|教育局|卫生院|中心学校|村民小组|生产队|公司|合作社)$")


_ORG_WORD = re.compile(r"(公司|合作社|经营部|商行|门市部|厂|店|中心|协会|村委会|居委会|政府|局|所|院|校|站|队|场|社)")


def asset_identity(a, b) -> float:
    """0–1: the two records name one asset (its name, or where it is)."""
    return max(asset_similarity(a.asset, b.asset), _core_similarity(asset_core(a.asset), asset_core(b.asset)))


def place_identity(a, b) -> float:
    if not a.asset_location or not b.asset_location:
        return 0.0
    return max(asset_similarity(a.asset_location, b.asset_location), _core_similarity(place_core(a.asset_location), place_core(b.asset_location)))


def pair_key(counterparty: str | None, asset: str | None) -> str:
    """What two versions of one deal share: the counterparty and the asset, normalised."""
    return f"{norm_party(counterparty)}|{norm_asset(asset)}"


def candidate_pairs(facts: list, indices: list[int], settings=None) -> set[tuple[int, int]]:
    """Pairs worth verifying, never all pairs: MinHash LSH over the counterparty's core (128
    permutations, 32 bands of 4: a pair with Jaccard 0.6 is found with p ≈ 0.99, one with 0.2
    with p ≈ 0.05 — OCR slips and abbreviations still meet; buckets larger than ``lsh_max_bucket``
    are skipped and pairs whose signatures agree on less than ``lsh_min_jaccard`` dropped), and
    exact blocks on the counterparty core, on owner + asset core and on place + area (blocks
    larger than ``max_block`` are skipped).  The bounds keep the number of pairs linear in the
    batch; ``settings`` is the profile's ``side_contract`` (default: the shipped profile's).
    Asset names alone are never a key: a county has hundreds of 临街门面房.
    :class:`DistinctiveText` adds the pairs whose texts share rare words (names read on one
    side only)."""
    return _as_set(candidate_array(facts, indices, settings))


def candidate_array(facts: list, indices: list[int], settings=None) -> np.ndarray:
    """:func:`candidate_pairs` as an (m, 2) array, each row (smaller, larger), rows distinct and
    sorted."""
    settings = settings or default_profile().side_contract
    lsh = MinHashLSH()
    blocks: dict[tuple, list[int]] = defaultdict(list)
    keyed, sets = [], []
    for i in indices:
        f = facts[i]
        cp = org_core(f.counterparty)
        if cp:
            keyed.append(i)
            sets.append(shingles(cp))
            blocks[("cp", cp)].append(i)
        owner, asset, place = org_core(f.owner), asset_core(f.asset), place_core(f.asset_location)
        if owner and asset:
            blocks[("oa", owner, asset)].append(i)
        if place and f.area_m2:
            blocks[("pa", place, round(float(f.area_m2)))].append(i)
    lsh.add_many(keyed, sets)
    by_lsh = lsh.candidate_array(settings.lsh_max_bucket, settings.lsh_min_jaccard)
    groups = [keys for keys in blocks.values() if len(keys) >= 2]
    members = np.fromiter((k for keys in groups for k in keys), dtype=np.int64, count=sum(map(len, groups)))
    i, j = _pairs_within(members, np.array([len(keys) for keys in groups], dtype=np.int64), settings.max_block)
    return union_pairs(len(facts), by_lsh, np.stack((i, j), axis=1))


def union_pairs(n: int, *parts) -> np.ndarray:
    """The distinct pairs of several (m, 2) arrays or sets of pairs of records ``0 … n-1``, each
    row (smaller, larger), sorted."""
    arrays = [p if isinstance(p, np.ndarray) else
              np.fromiter((x for pair in p for x in pair), dtype=np.int64, count=2 * len(p)).reshape(-1, 2) for p in parts]
    pairs = np.concatenate(arrays) if arrays else _NO_PAIRS
    return _rows(_distinct(_codes(pairs[:, 0], pairs[:, 1], n)), n)


_NUMBER = re.compile(r"\d[\d.]{4,}")
_T2S = None
_UNKNOWN = object()
SHINGLED_CHARS = 6000  # of a text, the characters its shingles are taken from
_known_simplified: ContextVar[Mapping[str, str | None] | None] = ContextVar("known_simplified", default=None)


def _text_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def simplified_form(text: str) -> tuple[str, str | None]:
    """``(key, simplified)`` of the part of ``text`` :func:`text_shingles` folds (``None``: folding
    changes nothing), worked out ahead — in the batch worker that read the text — for
    :func:`known_simplified`."""
    part = text[:SHINGLED_CHARS]
    folded = _simplified(part)
    return _text_key(part), (None if folded == part else folded)


@contextmanager
def known_simplified(forms: Mapping[str, str | None]) -> Iterator[None]:
    """Within: a text :func:`simplified_form` worked out is not folded again."""
    token = _known_simplified.set(forms)
    try:
        yield
    finally:
        _known_simplified.reset(token)


def _simplified(text: str) -> str:
    """Traditional characters folded to simplified (OpenCC t2s), so 臨溝鄉 and 临沟乡 share shingles."""
    global _T2S
    known = _known_simplified.get()
    if known:
        hit = known.get(_text_key(text), _UNKNOWN)
        if hit is not _UNKNOWN:
            return text if hit is None else hit
    try:
        if _T2S is None:
            from opencc import OpenCC

            _T2S = OpenCC("t2s")
        return _T2S.convert(text)
    except ImportError:  # pragma: no cover - opencc is a dependency
        return text


def text_shingles(text: str, k: int = 4, limit: int = SHINGLED_CHARS) -> set[str]:
    """Character k-grams of the text (spaces and punctuation dropped, folded to simplified) plus
    every run of five or more digits (ID and account numbers, areas, amounts)."""
    t = _SPACE.sub("", _simplified(text[:limit]))
    grams = {t[i : i + k] for i in range(max(1, len(t) - k + 1))} if t else set()
    return grams | {"#" + n for n in _NUMBER.findall(t)}


class DistinctiveText:
    """What two versions of one deal share however differently they are worded: the k-grams
    that occur in at most ``rare_df`` documents of the batch (names, places, numbers — the
    template wording of a batch is common and drops out).  The same index yields candidate
    pairs without comparing all pairs: a rare k-gram names at most ``rare_df`` documents."""

    #: above this many documents the index is not built (memory grows with the batch's text);
    #: the names, places and areas still pair the documents
    MAX_DOCS = 5000

    def __init__(self, facts: list, indices: list[int], rare_df: int = 2, min_batch: int = 12):
        if len(indices) > self.MAX_DOCS:
            indices = []
        self.sets = {i: {zlib.crc32(x.encode("utf-8")) for x in text_shingles(facts[i].text or "")} for i in indices}
        df: dict[int, int] = defaultdict(int)
        for g in self.sets.values():
            for x in g:
                df[x] += 1
        if len(indices) >= min_batch:
            self.rare = {i: {x for x in g if df[x] <= rare_df} for i, g in self.sets.items()}
        else:  # too few documents to tell wording from names: all k-grams count
            self.rare = self.sets
        self.index: dict[int, list[int]] = defaultdict(list)
        for i, g in self.rare.items():
            for x in g:
                self.index[x].append(i)

    def similarity(self, i: int, j: int) -> float:
        """Overlap coefficient of the distinctive k-grams: |A ∩ B| / min(|A|, |B|)."""
        a, b = self.rare.get(i, set()), self.rare.get(j, set())
        if not a or not b:
            return 0.0
        return len(a & b) / min(len(a), len(b))

    def candidate_pairs(self, min_shared: int = 8, max_df: int = 6) -> set[tuple[int, int]]:
        shared: dict[tuple[int, int], int] = defaultdict(int)
        for docs in self.index.values():
            if 2 <= len(docs) <= max_df:
                for x in range(len(docs)):
                    for y in range(x + 1, len(docs)):
                        shared[(min(docs[x], docs[y]), max(docs[x], docs[y]))] += 1
        return {p for p, n in shared.items() if n >= min_shared}


def mentions(f, name: str, min_len: int = 3) -> bool:
    """The text of ``f`` names ``name`` (its full form or its core, traditional folded); a
    person's two-character name counts with ``min_len=2``."""
    if not name:
        return False
    text = f.extra.get("_side_text")
    if text is None:
        text = _SPACE.sub("", _simplified(f.text or ""))
        f.extra["_side_text"] = text
    cores = {_clean(name), org_core(name), asset_core(name), place_core(name)}
    core = org_core(name)
    if _LEGAL_FORM.search(core) and len(core) >= 7:
        cores.add(core[2:])  # 富口源通生态农业公司 written 源通生态农业公司: the county without 县
    if any(len(c) >= min_len and c in text for c in cores):
        return True
    # 博野合作社 for 柳堡县博野果蔬专业合作社: the brand and the legal form
    m = _LEGAL_FORM.search(core)
    if m and m.start() >= 2:
        return re.search(re.escape(core[:2]) + r"[\u4e00-\u9fa5]{0,6}?" + re.escape(m.group(0)), text) is not None
    return False


_LEGAL_FORM = re.compile(r"(公司|合作社|经营部|商行|门市部|家庭农场|农场)$")


_SIDE_TYPES = ("lease", "contracting", "lending", "cooperation")


def plausible_pairs(facts: list, pairs, settings) -> list[tuple[int, int]]:
    """The candidate pairs (a set, or an array from :func:`candidate_array`) in order, less those
    :func:`compare` rejects on kind, type, area or time alone (a supplementary or a transfer, two
    sizes, terms that do not overlap) — the same tests, made for all pairs at once with NumPy:
    the name comparisons that follow cost about a hundred times more a pair.  ``settings``: the
    profile's ``side_contract``."""
    arr = union_pairs(len(facts), pairs)  # the order of sorted(pairs)
    if not len(arr):
        return []
    n = len(facts)
    usable = np.zeros(n, dtype=bool)
    area, start, end, signed = (np.full(n, np.nan) for _ in range(4))
    for k in _distinct(arr.ravel()).tolist():
        f = facts[k]
        usable[k] = f.kind == "main" and f.type in _SIDE_TYPES
        if f.area_m2:
            area[k] = float(f.area_m2)
        if f.start and f.end:
            start[k], end[k] = f.start.toordinal(), f.end.toordinal()
        if f.signed:
            signed[k] = f.signed.toordinal()
    i, j = arr[:, 0], arr[:, 1]
    with np.errstate(invalid="ignore"):
        two_sizes = np.abs(area[i] - area[j]) / np.maximum(area[i], area[j]) > settings.area_tolerance  # NaN: False
        terms = ~np.isnan(start[i]) & ~np.isnan(start[j])
        overlap = np.where(terms, (start[i] <= end[j]) & (start[j] <= end[i]),
                           np.abs(signed[i] - signed[j]) <= settings.max_sign_gap_days)  # _overlap
    keep = usable[i] & usable[j] & ~two_sizes & overlap
    return list(zip(i[keep].tolist(), j[keep].tolist()))


def _overlap(a, b, max_gap_days: int) -> bool:
    if a.start and a.end and b.start and b.end:
        return a.start <= b.end and b.start <= a.end
    if a.signed and b.signed:
        return abs((a.signed - b.signed).days) <= max_gap_days
    return False


def _area_agrees(a, b, tolerance: float) -> bool | None:
    """True / False when both state an area, None when one does not."""
    x, y = a.area_m2, b.area_m2
    if not x or not y:
        return None
    return abs(x - y) / max(x, y) <= tolerance


def compare(a, b, profile, text_sim: float | None = None) -> dict | None:
    """The differences between two versions of one deal, or None when they are not versions of
    one deal (other asset, other counterparty, consecutive terms) or nothing differs.

    One deal: the same counterparty and owner (names compared on their cores), and the same asset
    — by name, or by where it is and how large it is, or (names read badly) by place and a text
    that is largely the same.  Areas that disagree, or locations that disagree, are two assets."""
    p = profile.side_contract
    thr = p.name_similarity
    if a.kind != "main" or b.kind != "main":
        return None
    if a.type not in _SIDE_TYPES or b.type not in _SIDE_TYPES:
        return None
    strong_text = text_sim is not None and text_sim >= p.text_similarity
    cp = party_similarity(a.counterparty, b.counterparty)
    if cp < thr:
        # a counterparty read on one side only: the other text must name it (or the texts must
        # share most of their distinctive words)
        if a.counterparty and b.counterparty:
            return None
        named = a.counterparty or b.counterparty
        other = b if a.counterparty else a
        if not (named and mentions(other, named, 2)) and not strong_text:
            return None
    if a.owner and b.owner and party_similarity(a.owner, b.owner) < thr:
        na, nb = norm_party(a.owner), norm_party(b.owner)
        if not (na and nb and (na in nb or nb in na)):
            return None  # one asset has one owner: other owners, other assets
    ca, cb = count_in(a.asset), count_in(b.asset)
    if ca and cb and ca != cb:
        return None  # 自卸车一辆 / 自卸车2辆: other assets
    area = _area_agrees(a, b, p.area_tolerance)
    if area is False:
        return None  # two sizes, two assets
    same_asset = asset_identity(a, b)
    same_place = place_identity(a, b)
    if a.asset_location and b.asset_location and same_place < thr and not (same_asset >= thr and area):
        return None  # two places, two assets
    if a.asset and b.asset and same_asset < thr and same_place < thr and not area:
        return None
    if same_asset < thr and same_place < thr and not area:
        # an asset or a place read on one side only: the other text must name it
        named = [x for x in (a.asset, a.asset_location, b.asset, b.asset_location) if x]
        vouched = any(mentions(b, x) for x in (a.asset, a.asset_location) if x) or any(mentions(a, x) for x in (b.asset, b.asset_location) if x)
        if not (named and vouched) and not strong_text:
            return None
    if same_asset < thr and not area and not strong_text and a.asset_kind and b.asset_kind and a.asset_kind != b.asset_kind:
        return None  # the same place, two kinds of asset (a shop and the warehouse behind it)
    if not _overlap(a, b, p.max_sign_gap_days):
        return None
    diffs: dict = {}
    ra, rb = a.annual_rent, b.annual_rent
    if ra is not None and rb is not None and max(ra, rb) > 0 and abs(ra - rb) / max(ra, rb) > p.rent_diff_ratio:
        diffs["rent"] = (ra, rb)
    if a.end and b.end and abs((a.end - b.end).days) > p.term_diff_days:
        diffs["term"] = (a.end, b.end)
    elif a.months and b.months and abs(a.months - b.months) >= 1 and not (a.end and b.end):
        diffs["months"] = (a.months, b.months)
    if a.owner and b.owner and party_similarity(a.owner, b.owner) < thr:
        diffs["owner"] = (a.owner, b.owner)
    if not diffs:
        return None
    return {
        "diffs": diffs,
        "counterparty_similarity": round(cp, 3),
        "asset_similarity": round(max(same_asset, same_place), 3),
        "text_similarity": None if text_sim is None else round(text_sim, 3),
    }


def _describe(diffs: dict) -> str:
    parts = []
    if "rent" in diffs:
        ra, rb = diffs["rent"]
        parts.append(f"年租金本协议{yuan(ra)}、另一份{yuan(rb)}（相差{abs(ra - rb) / max(ra, rb) * 100:.1f}%）")
    if "term" in diffs:
        ea, eb = diffs["term"]
        parts.append(f"期限本协议至{ymd(ea)}、另一份至{ymd(eb)}")
    if "months" in diffs:
        ma, mb = diffs["months"]
        parts.append(f"期限本协议{ma}个月、另一份{mb}个月")
    if "owner" in diffs:
        oa, ob = diffs["owner"]
        parts.append(f"资产方本协议为「{oa}」、另一份为「{ob}」")
    return "；".join(parts)


def _flip(diffs: dict) -> dict:
    return {k: (v[1], v[0]) for k, v in diffs.items()}


def _finding(a, b, ia: int, ib: int, diffs: dict, info: dict):
    other_ev = []
    for name in ("annual_rent_yuan", "term_end", "counterparty"):
        ev = b.ev_field(name)
        if ev is not None:
            ev.source = b.source_path
            other_ev.append(ev)
    own_ev = [a.ev_field("counterparty"), a.ev_field("annual_rent_yuan") or a.ev_field("rent_amount_yuan"), a.ev_field("term_end")]
    tendered = a.value("tender_method") in ("public_tender", "auction", "listing", "competitive") or b.value("tender_method") in (
        "public_tender", "auction", "listing", "competitive")
    law = basis("civil_146", "civil_153", *(["tender_46"] if tendered else []))
    short = (b.sha256 or "")[:16]
    return make(
        "side_contract",
        title="疑似“阴阳合同”：同一资产同一相对方存在两份条件不同的协议",
        explanation=(
            f"本协议与同批次另一份协议（文件：{b.source_path}，SHA-256：{short}…）就同一资产「{a.asset or b.asset}」"
            f"与同一相对方（本协议写作「{a.counterparty}」，另一份写作「{b.counterparty}」）签订，履行期间重叠，但{_describe(diffs)}。"
            "两份协议必有一份不反映真实交易（如一份备案、一份实际履行），以虚假意思表示订立的协议无效；"
            "应调取两份原件和实际收款记录，认定真实约定，终止违规协议并追偿差额。"
        ),
        basis=law,
        evidence=[*own_ev, *other_ev],
        score=min(1.0, 0.6 + 0.4 * min(info["counterparty_similarity"], info["asset_similarity"])),
        details={"other_index": ib, "differences": sorted(diffs), **info},
        related=[{"index": ib, "path": b.source_path, "sha256": b.sha256}],
    )


@register("side_contract", needs=("profile", "batch"), scope="batch")
def side_contract(agreements, ctx) -> dict[int, list]:
    facts = [ctx.facts(a) for a in agreements]
    usable = [i for i, f in enumerate(facts) if f.kind == "main" and agreements[i].document.status != "failed"]
    out: dict[int, list] = defaultdict(list)
    p = ctx.profile.side_contract
    text = DistinctiveText(facts, usable, p.rare_df)
    pairs = union_pairs(len(facts), candidate_array(facts, usable, p), text.candidate_pairs())
    for i, j in plausible_pairs(facts, pairs, p):
        a, b = facts[i], facts[j]
        if ctx.links.get(i) == j or ctx.links.get(j) == i:
            continue
        info = compare(a, b, ctx.profile, text.similarity(i, j))
        if info is None:
            continue
        out[i].append(_finding(a, b, i, j, info["diffs"], info))
        out[j].append(_finding(b, a, j, i, _flip(info["diffs"]), info))
    return dict(out)


__all__ = [
    "MinHashLSH", "asset_core", "candidate_array", "candidate_pairs", "compare", "org_core", "pair_key", "party_similarity", "place_core",
    "plausible_pairs", "side_contract", "text_shingles", "DistinctiveText", "known_simplified", "simplified_form",
]
