"""The stages, listed once, in order: file → Document → Agreement → Findings → disposition.

``process_file`` (one agreement) and ``process_batch`` (a folder as one batch, so that side
contracts and peer rents can be compared) are what the CLI, the batch runner and the evaluator
call.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from checks import CheckContext, Finding, propose_disposition, risk_score, run_batch_checks, run_checks
from checks.disposition import set_risk_model
from checks.disposition import disposition_reason
from checks.market import MarketReference
from checks.profile import load_profile
from extract import Agreement, extract_agreement
from ingest import Document, IngestSettings, read_document, read_document_guarded
from ingest.merge import merge_documents


def _trained_risk(findings: list[Finding], agreement: Agreement | None = None) -> float | None:
    """The calibrated risk model (models/risk.skops) when it is trained, else None (the
    transparent formula in checks decides)."""
    from checks.risk_features import risk_sample
    from models.store import load_named

    if agreement is None or agreement.document.status == "failed":
        return None  # nothing was read: no score to give, the formula answers 0
    model = load_named("risk")
    if model is None:
        return None
    return float(model.predict_proba([risk_sample(agreement, findings)])[0][1])


set_risk_model(_trained_risk)


@dataclass
class Result:
    document: Document
    agreement: Agreement
    findings: list[Finding] = field(default_factory=list)
    disposition: str = "compliant"
    disposition_driver: str | None = None
    disposition_reason: str = ""
    risk_score: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


def check_context(profile: str | Path | None = None, market: str | Path | None = None,
                  as_of: date | None = None) -> CheckContext:
    """The jurisdiction profile (shipped default when None), the county's market-rent reference
    (none: peers in the batch are the reference) and the date warnings are computed against."""
    return CheckContext(
        profile=load_profile(profile),
        market=MarketReference.load(market) if market else None,
        as_of=as_of or date.today(),
    )


def _read_and_extract(paths: Sequence[str | Path], settings: IngestSettings, guarded: bool) -> tuple[Agreement, dict]:
    started = time.perf_counter()
    read = read_document_guarded if guarded else read_document
    doc = merge_documents([read(p, settings) for p in paths])
    t_ingest = time.perf_counter()
    agreement = extract_agreement(doc)
    t_extract = time.perf_counter()
    return agreement, {"ingest_s": round(t_ingest - started, 3), "extract_s": round(t_extract - t_ingest, 3)}


def _finish(agreement: Agreement, findings: list[Finding], timings: dict, ctx: CheckContext | None = None) -> Result:
    """The proposal and the risk score (weighed by the risk section of the profile in force)."""
    disposition, driver = propose_disposition(findings)
    return Result(
        document=agreement.document,
        agreement=agreement,
        findings=findings,
        disposition=disposition,
        disposition_driver=driver,
        disposition_reason=disposition_reason(findings) if findings else "",
        risk_score=round(float(risk_score(findings, agreement, settings=ctx.profile.risk if ctx else None)), 4),
        timings=timings,
    )


def process_file(path: str | Path, settings: IngestSettings | None = None, *, guarded: bool = True,
                 ctx: CheckContext | None = None) -> Result:
    """Every stage on one file. ``guarded`` reads the file in a child process with the per-file
    time limit and memory cap; tests and the evaluator may read in-process."""
    return process_files([path], settings, guarded=guarded, ctx=ctx)


def process_files(paths: Sequence[str | Path], settings: IngestSettings | None = None, *, guarded: bool = True,
                  ctx: CheckContext | None = None) -> Result:
    """Every stage on one agreement handed in as several files (pages photographed one by one)."""
    settings = settings or IngestSettings.from_env()
    agreement, timings = _read_and_extract(paths, settings, guarded)
    started = time.perf_counter()
    findings = run_checks(agreement, ctx)
    timings["checks_s"] = round(time.perf_counter() - started, 3)
    timings["total_s"] = round(sum(timings.values()), 3)
    return _finish(agreement, findings, timings, ctx)


def process_batch(items: Sequence[str | Path | Sequence[str | Path]], settings: IngestSettings | None = None, *,
                  guarded: bool = True, ctx: CheckContext | None = None,
                  progress: Callable[[int, int, Path], None] | None = None) -> list[Result]:
    """A batch: each item (a file, or the files of one agreement) read and extracted, then the
    checks run over the whole batch (side contracts, peer rents)."""
    settings = settings or IngestSettings.from_env()
    ctx = ctx or CheckContext()
    agreements, timings = [], []
    for index, item in enumerate(items, start=1):
        paths = [item] if isinstance(item, (str, Path)) else list(item)
        if progress:
            progress(index, len(items), Path(paths[0]))
        agreement, t = _read_and_extract(paths, settings, guarded)
        agreements.append(agreement)
        timings.append(t)
    return finish_batch(agreements, timings, ctx)


def finish_batch(agreements: list[Agreement], timings: list[dict], ctx: CheckContext) -> list[Result]:
    """The batch-wide checks and dispositions for agreements already read and extracted."""
    started = time.perf_counter()
    found = run_batch_checks(agreements, ctx)
    per_doc = (time.perf_counter() - started) / max(1, len(agreements))
    results = []
    for i, agreement in enumerate(agreements):
        t = dict(timings[i])
        t["checks_s"] = round(per_doc, 4)
        t["total_s"] = round(sum(t.values()), 3)
        results.append(_finish(agreement, found.get(i, []), t, ctx))
    return results
