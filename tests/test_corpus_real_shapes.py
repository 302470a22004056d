"""The generator's families shaped after real documents (issue 10) and its side-contract pairs
written as real ones are.  Fast: text and Word only, except one scan-forcing check."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from corpus.generate import generate_corpus
from corpus.registry import FAMILIES
from extract.agreement import FIELD_NAMES

REAL = ("F22", "F23", "F24", "F25", "F26", "F27")
MIX = [("clean", 0.5), ("single", 0.2), ("minutes", 0.08), ("notice", 0.08), ("white_slip", 0.07), ("double", 0.05)]
TRADITIONAL_ONLY = re.compile(r"[會鄉號條於縣鎮؂議債權與為這給經營費]")


def _truths(out: Path, manifest: dict) -> list[dict]:
    return [json.loads((out / d["truth"]).read_text(encoding="utf-8")) for d in manifest["documents"]]


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    out = tmp_path_factory.mktemp("real_shapes")
    manifest = generate_corpus(out, n=90, seed=7, formats=("text", "docx"), shares=MIX, families=REAL)
    return out, manifest, _truths(out, manifest)


def test_real_shaped_families_are_registered_with_a_modest_weight():
    for fid in REAL:
        assert fid in FAMILIES
    main = [f for f in FAMILIES.values() if f.kind == "main"]
    share = sum(f.weight for f in main if f.id in REAL) / sum(f.weight for f in main)
    assert 0.03 <= share <= 0.15, share


def test_real_shaped_corpus_is_deterministic(real, tmp_path):
    out1, m1, _ = real
    m2 = generate_corpus(tmp_path, n=90, seed=7, formats=("text", "docx"), shares=MIX, families=REAL)
    assert m1 == m2
    for d in m1["documents"]:
        assert (out1 / d["truth"]).read_bytes() == (tmp_path / d["truth"]).read_bytes(), d["id"]


def test_real_shaped_labels_quote_the_text_and_keep_simplified_values(real):
    from opencc import OpenCC

    t2s = OpenCC("t2s")
    out, _, truths = real
    fams = {t["family"] for t in truths}
    assert set(REAL) <= fams, fams
    trad = [t for t in truths if t["details"].get("traditional")]
    assert trad, "no document in traditional characters"
    for t in truths:
        txt = (out / f"{t['id']}.txt").read_text(encoding="utf-8")
        assert set(t["fields"]) == set(FIELD_NAMES)
        for name, fv in t["fields"].items():
            if fv is None:
                continue
            assert fv["text"] in txt, (t["id"], name, fv["text"])
            if isinstance(fv["value"], str):
                assert t2s.convert(fv["value"]) == fv["value"], (t["id"], name, fv["value"])  # values stay simplified
    for t in trad:
        assert TRADITIONAL_ONLY.search(t["source_text"]), t["id"]


def test_1980s_production_team_contracts(real):
    _, _, truths = real
    old = [t for t in truths if t["family"] == "F22"]
    assert old
    for t in old:
        f, txt = t["fields"], t["source_text"]
        assert re.search(r"生产队|生產隊", f["owner"]["text"]) and "生产队" in f["owner"]["value"], t["id"]
        assert "社员" in txt or "社員" in txt
        assert f["term_start"]["value"] < "1993"
        assert re.match(r"[〇一二三四五六七八九]{4}年", f["term_start"]["text"]), f["term_start"]
        assert "____" in txt or "＿＿" in txt  # the model form's blanks are left
        assert "expiry_warning" not in t["expected_checks"]


def test_staged_stepped_and_in_kind_rents(real):
    _, _, truths = real
    staged = [t for t in truths if t["details"].get("rent_stages")]
    in_kind = [t for t in truths if t["details"].get("rent_in_kind")]
    assert staged and in_kind
    for t in staged:
        first = t["details"]["rent_stages"][0][1]
        assert t["fields"]["annual_rent_yuan"]["value"] == pytest.approx(first)  # the initial annual rent
        assert len(t["details"]["rent_stages"]) >= 2
    for t in in_kind:
        f = t["fields"]
        assert f["rent_amount_yuan"] is None and f["annual_rent_yuan"] is None
        assert f["rent_period"]["value"] == "year"
        assert not {"below_market_rent", "no_public_tender"} & set(t["expected_checks"])
    # unit rent × area with the whole term's total: the total is written, the annual rent is not
    totals = [t for t in truths if re.search(r"[一二三四五六七八九十]+年(?:租金|承包费)合计", t["source_text"])]
    for t in totals:
        assert t["fields"]["annual_rent_yuan"]["text"].startswith("每亩每年")


def test_parties_in_running_text_or_only_in_the_signature_block(real):
    _, _, truths = real
    running = [t for t in truths if t["family"] == "F23" and t["fields"]["owner"]]
    assert any(re.search(r"（(?:以下简称)?甲方）", t["source_text"]) for t in running)
    sig = [t for t in truths if t["family"] == "F24" and t["fields"]["owner"]]
    for t in sig:
        first = t["source_text"].find(t["fields"]["owner"]["text"])
        assert first > len(t["source_text"]) * 0.6, t["id"]  # the first mention is in the signature block


def test_minutes_and_notices_carry_no_findings(real):
    _, _, truths = real
    kinds = {t["kind"] for t in truths}
    assert {"minutes", "notice"} <= kinds
    for t in truths:
        if t["kind"] in ("minutes", "notice"):
            assert t["expected_checks"] == [] and t["expected_disposition"] == "compliant"
            assert t["fields"]["signed_date"] is None  # 会议时间 / 发布时间 are not signing dates
            assert t["fields"]["collective_decision"] or t["kind"] == "notice"
        if t["kind"] == "notice":
            assert "发布时间" in t["source_text"] or "發佈時間" in t["source_text"] or "發布時間" in t["source_text"]
            assert t["fields"]["tender_method"]["value"] == "listing"


@pytest.fixture(scope="module")
def pairs(tmp_path_factory):
    out = tmp_path_factory.mktemp("pairs")
    manifest = generate_corpus(out, n=60, seed=4, formats=("text",), shares=[("side_pair_real", 0.42), ("renewal", 0.42)])
    return out, manifest, _truths(out, manifest)


def _core(name: str) -> str:
    name = re.sub(r"^.{0,8}?(?:县|市)", "", name)
    name = re.sub(r"^.{1,4}?(?:镇|乡)", "", name)
    return name.replace("村民委员会", "村委会").replace("人民政府", "政府")


def test_side_pairs_are_written_as_real_pairs_are(pairs):
    _, _, truths = pairs
    by_id = {t["id"]: t for t in truths}
    side = [t for t in truths if (t["details"].get("twin") or {}).get("relation") == "side_contract"]
    assert len(side) >= 20
    renamed = 0
    for t in side:
        o = by_id[t["details"]["twin"]["of"]]
        assert t["pair_id"] == o["id"] and "side_contract" in t["expected_checks"]
        assert t["family"] != o["family"] or t["source_text"] != o["source_text"]
        renamed += t["fields"]["owner"] is not None and o["fields"]["owner"] is not None and t["fields"]["owner"]["value"] != o["fields"]["owner"]["value"]
        if t["fields"]["owner"] and o["fields"]["owner"]:
            a, b = _core(t["fields"]["owner"]["value"]), _core(o["fields"]["owner"]["value"])
            assert a in b or b in a or a[:3] == b[:3], (a, b)
    assert renamed >= len(side) // 3  # the other clerk writes the owner otherwise


def test_lawful_renewals_and_copies_are_hard_negatives(pairs):
    _, _, truths = pairs
    by_id = {t["id"]: t for t in truths}
    lawful = [t for t in truths if (t["details"].get("twin") or {}).get("relation") in ("renewal", "copy")]
    assert len(lawful) >= 20
    for t in lawful:
        o = by_id[t["details"]["twin"]["of"]]
        assert t["pair_id"] is None and "side_contract" not in t["expected_checks"]
        ts, te = t["fields"]["term_start"], t["fields"]["term_end"]
        os_, oe = o["fields"]["term_start"], o["fields"]["term_end"]
        if t["details"]["twin"]["relation"] == "renewal" and ts and te and os_ and oe:
            assert te["value"] < os_["value"] or oe["value"] < ts["value"], t["id"]  # consecutive, no overlap
        if t["details"]["twin"]["relation"] == "copy":
            assert t["fields"]["annual_rent_yuan"] == o["fields"]["annual_rent_yuan"] or \
                (t["fields"]["annual_rent_yuan"] or {}).get("value") == (o["fields"]["annual_rent_yuan"] or {}).get("value")


@pytest.mark.slow
def test_one_of_each_pair_is_scanned(tmp_path):
    m = generate_corpus(tmp_path, n=12, seed=9, formats=("text", "docx", "scan"), shares=[("side_pair_real", 0.5), ("renewal", 0.5)])
    truths = {d["id"]: json.loads((tmp_path / d["truth"]).read_text(encoding="utf-8")) for d in m["documents"]}
    fmt = {d["id"]: d["format"] for d in m["documents"]}
    for i, t in truths.items():
        twin = t["details"].get("twin")
        if twin:
            assert "scan" in (fmt[i], fmt[twin["of"]]), (i, twin)


@pytest.mark.xfail(reason="issue 10: extraction and the checks do not yet read the real-shaped families "
                          "(parties in the signature block, 生产队 decisions, minutes and notices taken as agreements)",
                   strict=False)
def test_real_shaped_batch_dispositions_and_evidence(tmp_path):
    """The end-to-end check of tests/test_checks.py on the real-shaped held-out families: every
    finding carries evidence and 90 % of the dispositions are as labelled."""
    from datetime import date

    from checks import CheckContext, propose_disposition, run_batch_checks
    from checks.market import MarketReference
    from checks.profile import load_profile
    from extract import extract_agreement
    from ingest import IngestSettings, read_document

    as_of = date(2026, 11, 21)
    m = generate_corpus(tmp_path, n=60, seed=7, formats=("text",), as_of=as_of, split="test", shares=MIX, families=REAL)
    settings = IngestSettings.from_env(ocr_engine="null")
    truths = [json.loads((tmp_path / d["truth"]).read_text(encoding="utf-8")) for d in m["documents"]]
    agreements = [extract_agreement(read_document(tmp_path / d["renderings"]["text"], settings)) for d in m["documents"]]
    ctx = CheckContext(profile=load_profile(tmp_path / "profile.yaml"), market=MarketReference.load(tmp_path / "market_reference.csv"), as_of=as_of)
    out = run_batch_checks(agreements, ctx)
    assert all(f.evidence for fs in out.values() for f in fs)
    agree = sum(propose_disposition(out[i])[0] == t["expected_disposition"] for i, t in enumerate(truths))
    assert agree / len(truths) >= 0.9


def test_legacy_mix_leaves_the_real_shaped_families_out(tmp_path):
    from corpus.generate import LEGACY_FAMILIES, LEGACY_SHARES

    m = generate_corpus(tmp_path, n=60, seed=11, formats=("text",), shares=LEGACY_SHARES, families=LEGACY_FAMILIES)
    assert not {d["family"] for d in m["documents"]} & set(REAL)
    assert {d["kind"] for d in m["documents"]} <= {"main", "supplementary", "oral_note", "white_slip"}
    for t in _truths(tmp_path, m):
        assert "twin" not in t["details"] and "traditional" not in t["details"]
