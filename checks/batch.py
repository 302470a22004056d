"""What a batch adds to each agreement: a supplementary agreement read with the main agreement
it amends, a main agreement's end moved by its supplements, and the peers a rent is compared
with when the market reference has no row."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from .facts import Facts
from .market import PeerStats

if TYPE_CHECKING:  # pragma: no cover
    from . import CheckContext

_SUFFIX = re.compile(
    r"(有限责任公司|股份有限公司|有限公司|分公司|公司|农民专业合作社|专业合作社|股份经济合作社|经济合作社|合作社|个体工商户|经营部|商行|门市部)$"
)
_ORG = re.compile(r"(公司|合作社|经营部|商行|门市部|厂|店|中心|协会)\s*$")
_REGION = re.compile(r"^[\u4e00-\u9fa5]{2,3}?(?:省|自治区|市|县|区|旗)")
_TOWNSHIP = re.compile(r"([\u4e00-\u9fa5]{2,5}?(?:镇|乡|街道|苏木))")
_COUNTY = re.compile(r"([\u4e00-\u9fa5]{2,4}?(?:县|旗|区))")


@lru_cache(maxsize=1 << 17)  # pure; called once per candidate pair of the side-contract check
def norm_party(name: str | None) -> str:
    """A party name without brackets, legal-form suffix and region prefix: 安平市青禾商贸有限公司 → 青禾商贸."""
    if not name:
        return ""
    s = re.sub(r"[（(][^）)]*[)）]", "", name)
    s = re.sub(r"[\s　·]", "", s)
    for _ in range(2):
        s2 = _SUFFIX.sub("", s)
        if len(s2) >= 2:
            s = s2
    for _ in range(2):
        s2 = _REGION.sub("", s)
        if len(s2) >= 2:
            s = s2
    return s


@lru_cache(maxsize=1 << 17)  # pure; called once per candidate pair of the side-contract check
def region_of(name: str | None) -> str:
    """The region a name starts with (安平县 in 安平县青禾商贸有限公司), or ''."""
    if not name:
        return ""
    m = _REGION.match(re.sub(r"[\s　]", "", name))
    return m.group(0) if m else ""


def name_similarity(a: str | None, b: str | None) -> float:
    """0–1: the same party written twice (OCR errors, abbreviations, 有限公司 / 有限责任公司).
    Two names that state different regions (梅岭县… / 龙台县…) are different parties."""
    if not a or not b:
        return 0.0
    ra, rb = region_of(a), region_of(b)
    if ra and rb and ra != rb and fuzz.ratio(ra, rb) < 60:
        return 0.0
    na, nb = norm_party(a), norm_party(b)
    # 嘉口县永鼎合作社 / 嘉口永鼎合作社: the county written without 县
    for r, other in ((ra, "b"), (rb, "a")):
        short_region = r[:-1] if len(r) >= 3 else ""
        if short_region:
            if other == "b" and nb.startswith(short_region) and len(nb) > len(short_region) + 1:
                nb = nb[len(short_region):]
            if other == "a" and na.startswith(short_region) and len(na) > len(short_region) + 1:
                na = na[len(short_region):]
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    if len(na) <= 4 and len(nb) <= 4 and not _ORG.search(a) and not _ORG.search(b):
        return 0.0  # two people's names: 江国 is not 江国华
    short, long = sorted((na, nb), key=len)
    if len(short) >= 3 and short in long:
        return 0.95
    # 丰和合作社 for 云坝县丰和养殖专业合作社: the brand, with the trade and form left out
    if len(short) >= 2 and long.startswith(short) and _ORG.search(a) and _ORG.search(b):
        return 0.9
    # the distinctive part only: 梅堡金盛汽车运输有限责任公司 and 梅堡源瑞汽车运输有限责任公司 share
    # everything but the brand, and are two companies
    return fuzz.ratio(na, nb) / 100.0


def norm_asset(s: str | None) -> str:
    if not s:
        return ""
    return re.sub(r"[\s　，,。（）()]", "", s)


def asset_similarity(a: str | None, b: str | None) -> float:
    na, nb = norm_asset(a), norm_asset(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    return fuzz.ratio(na, nb) / 100.0


def place_of(f: Facts, ctx: "CheckContext") -> tuple[str, str]:
    """(county, township) of the asset: from the market reference when it names the place,
    else the first township / county named in the asset location (or the owner)."""
    if ctx.market is not None and f.asset_kind:
        row = ctx.market.lookup(f.asset_kind, f.places()[:-1])
        if row is not None:
            return row.county, row.township
    for place in (f.asset_location, f.asset, f.owner):
        if not place:
            continue
        town = _TOWNSHIP.search(place)
        county = _COUNTY.search(place)
        if town or county:
            return (county.group(1) if county else ""), (town.group(1) if town else "")
    return "", ""


def link_supplements(facts: list[Facts], threshold: float) -> dict[int, int]:
    """Supplementary agreement index → the main agreement it amends (same parties; the main
    agreement's signing date or title as the supplement quotes them)."""
    mains = [i for i, f in enumerate(facts) if f.kind == "main"]
    by_owner: dict[str, list[int]] = {}
    for i in mains:
        by_owner.setdefault(norm_party(facts[i].owner)[:4], []).append(i)
    links: dict[int, int] = {}
    for s, f in enumerate(facts):
        if f.kind != "supplementary":
            continue
        amends = f.agreement.amends or {}
        parties = amends.get("parties") or []
        owner = f.owner or (parties[0] if parties else None)
        cp = f.counterparty or (parties[1] if len(parties) > 1 else None)
        when = f.amends_date
        title = amends.get("title") or ""
        cands = by_owner.get(norm_party(owner)[:4], []) if owner else mains
        best, best_score = None, 0.0
        for i in cands if cands else mains:
            m = facts[i]
            so = name_similarity(owner, m.owner)
            sc = name_similarity(cp, m.counterparty)
            if so < threshold or sc < threshold:
                continue
            score = so + sc
            if when and m.signed == when:
                score += 2.0
            elif when and m.signed and abs((m.signed - when).days) <= 31:
                score += 0.5
            head = m.text.split("\n", 1)[0]
            if title and title in head:
                score += 1.0
            if f.asset and m.asset and asset_similarity(f.asset, m.asset) >= threshold:
                score += 0.5
            if score > best_score:
                best, best_score = i, score
        if best is not None and best_score >= 2.5:
            links[s] = best
    return links


def prepare_batch(ctx: "CheckContext") -> None:
    agreements = ctx.batch
    thr = ctx.profile.side_contract.name_similarity
    ctx._facts.clear()
    plain = [Facts(a) for a in agreements]
    links = link_supplements(plain, thr)
    facts: list[Facts] = []
    for i, a in enumerate(agreements):
        main = plain[links[i]] if i in links else None
        f = Facts(a, main=main) if main is not None else plain[i]
        f.extra["index"] = i
        facts.append(f)
        ctx._facts[id(a)] = (a, f)
    ctx.links = links
    # a supplementary agreement that moves the end
    for s, m in links.items():
        end = facts[s].end
        if end is not None:
            cur = facts[m].extra.get("extended_to")
            if cur is None or end > cur:
                facts[m].extra["extended_to"] = end
    # peers: unit rents by asset kind and place
    peers = PeerStats()
    for i, f in enumerate(facts):
        county, town = place_of(f, ctx)
        f.extra["county"], f.extra["township"] = county, town
        if f.kind != "main" or f.type not in ("lease", "contracting") or f.free:
            continue
        u = f.unit_rent()
        if u and f.asset_kind and f.unit:
            peers.add(i, f.asset_kind, f.unit, county, town, u)
    ctx.peers = peers


__all__ = ["asset_similarity", "link_supplements", "name_similarity", "norm_party", "place_of", "prepare_batch"]
