"""The stages, listed once, in order: file → Document → Agreement → Findings.

``process_file`` is the one function the CLI, the batch runner and the evaluator call.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from checks import Finding, run_checks
from extract import Agreement, extract_agreement
from ingest import Document, IngestSettings, read_document, read_document_guarded
from ingest.merge import merge_documents


@dataclass
class Result:
    document: Document
    agreement: Agreement
    findings: list[Finding] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def process_file(path: str | Path, settings: IngestSettings | None = None, *, guarded: bool = True) -> Result:
    """Run every stage on one file. ``guarded`` reads the file in a child process with the
    per-file time limit and memory cap; tests and the evaluator may read in-process."""
    return process_files([path], settings, guarded=guarded)


def process_files(
    paths: Sequence[str | Path], settings: IngestSettings | None = None, *, guarded: bool = True
) -> Result:
    """Every stage on one agreement handed in as several files (pages photographed one by one)."""
    settings = settings or IngestSettings.from_env()
    started = time.perf_counter()
    read = read_document_guarded if guarded else read_document
    doc = merge_documents([read(p, settings) for p in paths])
    t_ingest = time.perf_counter()
    agreement = extract_agreement(doc)
    t_extract = time.perf_counter()
    findings = run_checks(agreement)
    t_checks = time.perf_counter()
    timings = {
        "ingest_s": round(t_ingest - started, 3),
        "extract_s": round(t_extract - t_ingest, 3),
        "checks_s": round(t_checks - t_extract, 3),
        "total_s": round(t_checks - started, 3),
    }
    return Result(doc, agreement, findings, timings)
