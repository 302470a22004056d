"""The same agreement handed in again (a new scan, a photo of the paper a Word file was printed
from): near-duplicate texts within a unit, found when the unit's agreements are checked
together (:func:`contract_review.batch.check_unit`).

Identical bytes are stored once already (``Store.add_file``); this is about other bytes with the
same content. Texts are compared on character 5-grams of the normalised text (spaces and
punctuation dropped, traditional folded to simplified: ``checks.side.text_shingles``); candidates
come from MinHash LSH (``checks.side.MinHashLSH``), so a unit of thousands is never compared all
pairs, and each candidate's Jaccard similarity is computed exactly.

Agreements written on one template share much of their wording (up to 0.62 between different
agreements of the generated corpus, 120 agreements), while a clean re-scan of one agreement
keeps 0.93–0.96 of its 5-grams after OCR. The text alone is therefore never enough: the deal must
be the same too — no key field read on both sides may disagree (counterparty, annual rent,
start, end, signing date, area), which also keeps a side contract (the same text at another
rent) and a renewal (other dates) from being called a duplicate. Below :data:`SURE_TEXT` at
least :data:`MIN_AGREEING` of those fields must agree.

The later upload gets a notice finding ``possible_duplicate`` (no disposition, no effect on the
risk score) titled 「可能与「<earlier file>」重复」 and related to the earlier agreement, so the queue,
the detail page and the ledger all show it, and a reviewer dismisses it when it is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

CHECK = "possible_duplicate"
MIN_TEXT = 0.6
SURE_TEXT = 0.85
MIN_AGREEING = 2
MIN_CHARS = 80
_KEYS = ("counterparty", "annual_rent_yuan", "term_start", "term_end", "signed_date", "area_m2")


def _value(record: Mapping[str, Any], name: str) -> Any:
    v = (record.get("fields") or {}).get(name)
    return v.get("value") if isinstance(v, dict) else None


def _same(name: str, a: Any, b: Any) -> bool:
    if name == "counterparty":
        from checks.side import party_similarity

        return party_similarity(str(a), str(b)) >= 0.85
    if name in ("annual_rent_yuan", "area_m2"):
        try:
            x, y = float(a), float(b)
        except (TypeError, ValueError):
            return str(a) == str(b)
        return abs(x - y) <= 0.01 * max(abs(x), abs(y), 1.0)
    return str(a) == str(b)


def same_deal(a: Mapping[str, Any], b: Mapping[str, Any]) -> tuple[bool, int]:
    """(no key field disagrees, how many agree) between two records."""
    agree = 0
    for name in _KEYS:
        x, y = _value(a, name), _value(b, name)
        if x in (None, "") or y in (None, ""):
            continue
        if not _same(name, x, y):
            return False, agree
        agree += 1
    return True, agree


def find_duplicates(records: Sequence[Mapping[str, Any]]) -> dict[int, tuple[int, float]]:
    """For each record that repeats an earlier one (``records`` in upload order): the index of
    the earliest record it repeats and their text similarity (Jaccard of 5-grams)."""
    from checks.side import MinHashLSH, text_shingles

    sets: dict[int, set[str]] = {}
    lsh = MinHashLSH(num_perm=64, bands=16, seed=11)  # candidates from a Jaccard of about 0.5
    for i, r in enumerate(records):
        text = r.get("text") or ""
        if r.get("status") == "failed" or len(text.strip()) < MIN_CHARS:
            continue
        sets[i] = text_shingles(text, k=5)
        lsh.add(i, lsh.signature(sets[i]))
    found: dict[int, tuple[int, float]] = {}
    # every bucket, no signature estimate: each candidate's exact Jaccard is measured below
    for i, j in sorted(lsh.candidate_pairs(max_bucket=500, min_jaccard=0.0)):
        a, b = sets[i], sets[j]
        sim = len(a & b) / len(a | b) if a and b else 0.0
        if sim < MIN_TEXT:
            continue
        consistent, agreeing = same_deal(records[i], records[j])
        if not consistent or (sim < SURE_TEXT and agreeing < MIN_AGREEING):
            continue
        if j not in found or i < found[j][0]:
            found[j] = (i, sim)  # the earliest upload it repeats
    return found


def duplicate_finding(earlier_name: str, earlier_index: int, earlier_sha256: str | None, similarity: float) -> dict:
    """The notice finding (record format) on the later of two uploads of one agreement."""
    return {
        "check": CHECK,
        "severity": "low",
        "disposition": None,
        "title": f"可能与「{earlier_name}」重复",
        "explanation": (f"本文件与先前上传的「{earlier_name}」内容基本相同（文字相似度 {similarity:.0%}，"
                        "合作方、金额和日期等关键信息一致），可能是同一份协议再次提交（如重新扫描或拍照）。"
                        "请核对：确为重复的，只保留一份计入台账；不是重复的，排除本项提示。"),
        "basis": "",
        "evidence": [],
        "score": round(float(similarity), 4),
        "related": [{"index": earlier_index, "sha256": earlier_sha256}],
    }
