"""Side contracts (“阴阳合同”) across a batch: two versions of one deal — the same asset, the same
counterparty (written differently: 安平市青禾商贸有限公司 / 青禾商贸), overlapping in time — that
differ in rent, term or parties. One is filed, the other performed.

Candidates come from MinHash LSH over character bigrams of “counterparty | asset | owner”
(plus exact blocking on the normalised counterparty), so a batch of tens of thousands is never
compared all-pairs; each candidate pair is then verified field by field. A supplementary
agreement that amends its main agreement is not a side contract, and neither is a renewal
(consecutive terms) or a second copy (nothing differs).
"""

from __future__ import annotations

import zlib
from collections import defaultdict
import numpy as np

from . import register
from .batch import asset_similarity, name_similarity, norm_asset, norm_party
from .legal import basis
from .market import count_in
from .rules._base import make, ymd, yuan

_PRIME = (1 << 61) - 1


class MinHashLSH:
    """A small MinHash with banded LSH (no dependency): Jaccard similarity of shingle sets."""

    def __init__(self, num_perm: int = 128, bands: int = 32, seed: int = 7):
        if num_perm % bands:
            raise ValueError("num_perm must be a multiple of bands")
        rng = np.random.default_rng(seed)
        self.a = rng.integers(1, (1 << 31) - 1, size=num_perm, dtype=np.uint64)
        self.b = rng.integers(0, (1 << 31) - 1, size=num_perm, dtype=np.uint64)
        self.bands, self.rows = bands, num_perm // bands
        self.buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)

    def signature(self, shingles: set[str]) -> np.ndarray:
        if not shingles:
            return np.full(len(self.a), np.iinfo(np.uint64).max, dtype=np.uint64)
        h = np.array([zlib.crc32(s.encode("utf-8")) for s in shingles], dtype=np.uint64)
        # (a·h + b) mod 2^31-1 for every permutation and shingle; min over shingles
        vals = (np.outer(self.a, h) + self.b[:, None]) % np.uint64((1 << 31) - 1)
        return vals.min(axis=1)

    def add(self, key: int, sig: np.ndarray) -> None:
        for band in range(self.bands):
            chunk = sig[band * self.rows : (band + 1) * self.rows].tobytes()
            self.buckets[(band, chunk)].append(key)

    def candidate_pairs(self, max_bucket: int = 500) -> set[tuple[int, int]]:
        pairs: set[tuple[int, int]] = set()
        for keys in self.buckets.values():
            if len(keys) < 2 or len(keys) > max_bucket:
                continue
            for x in range(len(keys)):
                for y in range(x + 1, len(keys)):
                    i, j = keys[x], keys[y]
                    pairs.add((min(i, j), max(i, j)))
        return pairs


def shingles(s: str, k: int = 2) -> set[str]:
    return {s[i : i + k] for i in range(max(1, len(s) - k + 1))} if s else set()


def pair_key(counterparty: str | None, asset: str | None) -> str:
    """What two versions of one deal share: the counterparty and the asset, normalised."""
    return f"{norm_party(counterparty)}|{norm_asset(asset)}"


def candidate_pairs(facts: list, indices: list[int]) -> set[tuple[int, int]]:
    """Pairs worth verifying: MinHash LSH over the normalised counterparty + asset (128
    permutations, 32 bands of 4: a pair with Jaccard 0.6 is found with p ≈ 0.99, one with
    0.2 with p ≈ 0.05), and exact blocks on the normalised counterparty."""
    lsh = MinHashLSH()
    blocks: dict[str, list[int]] = defaultdict(list)
    for i in indices:
        f = facts[i]
        cp = norm_party(f.counterparty)
        lsh.add(i, lsh.signature(shingles(pair_key(f.counterparty, f.asset))))
        if cp:
            blocks[cp].append(i)
    pairs = lsh.candidate_pairs()
    for keys in blocks.values():
        if 2 <= len(keys) <= 200:
            for x in range(len(keys)):
                for y in range(x + 1, len(keys)):
                    pairs.add((min(keys[x], keys[y]), max(keys[x], keys[y])))
    return pairs


def _overlap(a, b, max_gap_days: int) -> bool:
    if a.start and a.end and b.start and b.end:
        return a.start <= b.end and b.start <= a.end
    if a.signed and b.signed:
        return abs((a.signed - b.signed).days) <= max_gap_days
    return False


def compare(a, b, profile) -> dict | None:
    """The differences between two versions of one deal, or None when they are not versions of
    one deal (other asset, other counterparty, consecutive terms) or nothing differs."""
    p = profile.side_contract
    thr = p.name_similarity
    if a.kind != "main" or b.kind != "main":
        return None
    if a.type not in ("lease", "contracting", "lending", "cooperation") or b.type not in ("lease", "contracting", "lending", "cooperation"):
        return None
    cp = name_similarity(a.counterparty, b.counterparty)
    if cp < thr:
        return None
    owner = name_similarity(a.owner, b.owner)
    na, nb = norm_party(a.owner), norm_party(b.owner)
    related_owner = bool(na and nb and (na in nb or nb in na))
    if a.owner and b.owner and owner < thr and not related_owner:
        return None  # one asset has one owner: other owners, other assets
    ca, cb = count_in(a.asset), count_in(b.asset)
    if ca and cb and ca != cb:
        return None  # 自卸车一辆 / 自卸车2辆: other assets
    same_asset = asset_similarity(a.asset, b.asset)
    same_place = asset_similarity(a.asset_location, b.asset_location)
    if a.asset_location and b.asset_location and same_place < thr:
        return None
    if same_asset < thr and not (same_place >= thr and a.asset_kind and a.asset_kind == b.asset_kind):
        return None
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
    if a.owner and b.owner and norm_party(a.owner) != norm_party(b.owner):
        diffs["owner"] = (a.owner, b.owner)
    if not diffs:
        return None
    return {"diffs": diffs, "counterparty_similarity": round(cp, 3), "asset_similarity": round(max(same_asset, same_place), 3)}


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
    for i, j in sorted(candidate_pairs(facts, usable)):
        a, b = facts[i], facts[j]
        if ctx.links.get(i) == j or ctx.links.get(j) == i:
            continue
        info = compare(a, b, ctx.profile)
        if info is None:
            continue
        out[i].append(_finding(a, b, i, j, info["diffs"], info))
        out[j].append(_finding(b, a, j, i, _flip(info["diffs"]), info))
    return dict(out)


__all__ = ["MinHashLSH", "candidate_pairs", "compare", "pair_key", "side_contract"]
