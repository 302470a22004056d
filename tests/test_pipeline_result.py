"""One Result per item through every stage: an extractor or a check that raises becomes an error
item naming it (stage, code, component) and the result is ``partial`` — never a silently empty
field nor a failed unit."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import checks
import extract
from contract_review.pipeline import Pipeline, Result, check_context
from contract_review.record import to_record
from corpus.render import render_text
from corpus.samples import LEASE


@pytest.fixture
def lease(tmp_path: Path) -> Path:
    return render_text(LEASE.blocks, tmp_path / "租赁合同.txt")


def _boom(*_a, **_k):
    raise RuntimeError("boom")


def test_a_clean_file_is_ok_with_every_stage_on_the_result(lease: Path):
    result = Pipeline(guarded=False).pipe([lease])[0]
    assert isinstance(result, Result) and result.status == "ok" and result.errors == []
    assert result.source.paths == [str(lease)] and result.source.name == lease.name
    assert result.document is not None and result.agreement is not None and result.agreement.fields["owner"]
    assert {"ingest_s", "extract_s", "checks_s", "total_s"} <= set(result.timings)
    assert result.disposition in ("void", "re-sign", "fixable", "compliant") and 0 <= result.risk_score <= 1


def test_an_extractor_that_raises_is_an_error_item_and_the_result_partial(lease: Path, monkeypatch):
    broken = tuple(replace(e, run=_boom) if e.name == "rent" else e for e in extract.EXTRACTORS)
    monkeypatch.setattr(extract, "EXTRACTORS", broken)
    result = Pipeline(guarded=False).pipe([lease])[0]
    assert result.status == "partial"
    [error] = result.errors
    assert (error.stage, error.code, error.component) == ("extract", "extractor_failed", "rent")
    assert "rent" in error.message and lease.name in error.message and "boom" in error.message
    assert result.agreement.fields["owner"] is not None  # the other extractors still ran
    record = to_record(result)
    assert record["status"] == "partial"
    assert record["errors"][0]["code"] == "extractor_failed" and record["errors"][0]["component"] == "rent"


def test_a_check_that_raises_is_an_error_item_and_the_others_still_run(lease: Path, monkeypatch):
    ctx = check_context()
    clean = Pipeline(ctx=ctx, guarded=False).pipe([lease])[0]
    fired = {f.check for f in clean.findings}
    victim = sorted(fired)[0] if fired else "missing_clauses"
    monkeypatch.setitem(checks.CHECKS, victim, replace(checks.CHECKS[victim], fn=_boom))
    result = Pipeline(ctx=check_context(), guarded=False).pipe([lease])[0]
    assert result.status == "partial"
    assert [(e.stage, e.code, e.component) for e in result.errors] == [("checks", "check_failed", victim)]
    assert {f.check for f in result.findings} == fired - {victim}


def test_a_batch_check_that_raises_marks_every_judged_agreement_partial(lease: Path, tmp_path: Path, monkeypatch):
    other = render_text(LEASE.blocks, tmp_path / "副本.txt")
    monkeypatch.setitem(checks.CHECKS, "side_contract", replace(checks.CHECKS["side_contract"], fn=_boom))
    results = Pipeline(guarded=False).pipe([lease, other])
    assert [r.status for r in results] == ["partial", "partial"]
    assert all([e.component for e in r.errors] == ["side_contract"] for r in results)


def test_a_reading_that_crashes_is_a_failed_result_not_an_exception(lease: Path, monkeypatch):
    import contract_review.pipeline as pipeline

    monkeypatch.setattr(pipeline, "read_document", _boom)
    [result] = Pipeline(guarded=False).pipe([lease])
    assert result.status == "failed" and result.errors[0].code == "internal_error"
    assert to_record(result)["status"] == "failed"


def test_check_unit_persists_a_partial_result(tmp_path: Path, lease: Path, monkeypatch):
    from contract_review.batch import ingest_paths
    from contract_review.store import SYSTEM, Store

    monkeypatch.setitem(checks.CHECKS, "missing_clauses", replace(checks.CHECKS["missing_clauses"], fn=_boom))
    store = Store(data_dir=tmp_path / "store")
    try:
        summary = ingest_paths(store, [lease], unit="城关镇", workers=1)
        assert summary.agreements == 1
        [row], _total = store.queue(SYSTEM)
        record = store.agreement(SYSTEM, row["id"])["record"]
        assert record["status"] == "partial"
        assert [(e["stage"], e["component"]) for e in record["errors"]] == [("checks", "missing_clauses")]
    finally:
        store.close()
