"""Speed and memory benchmarks (`make bench`): seconds per page by page kind, the share of the
time each stage takes, and peak memory. Timed in-process after a warm-up, median of runs."""

from __future__ import annotations

import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Callable

from .render import render_pdf, render_scanned_pdf
from .samples import LEASE


def _median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run_bench(runs: int = 3) -> dict:
    from extract import extract_agreement
    from ingest import IngestSettings, read_document
    from checks import run_checks

    settings = IngestSettings.from_env()
    results: dict[str, float | int | str] = {"ocr_engine": settings.ocr_engine, "runs": runs}
    with tempfile.TemporaryDirectory() as tmp:
        digital = Path(tmp) / "digital.pdf"
        scanned = Path(tmp) / "scanned.pdf"
        render_pdf(LEASE.blocks, digital, seal=LEASE.seals, seed=1)
        render_scanned_pdf(LEASE.blocks, scanned, seed=1, seal=LEASE.seals)
        for name, path in (("digital_pdf", digital), ("scanned_pdf_300dpi", scanned)):
            doc = read_document(path, settings)  # warm-up (loads the OCR model once)
            pages = len(doc.pages)
            ingest_s = _median_time(lambda: read_document(path, settings), runs)
            extract_s = _median_time(lambda: extract_agreement(doc), runs)
            agreement = extract_agreement(doc)
            checks_s = _median_time(lambda: run_checks(agreement), runs)
            results[f"{name}_pages"] = pages
            results[f"{name}_ingest_s_per_page"] = round(ingest_s / pages, 4)
            results[f"{name}_extract_s_per_page"] = round(extract_s / pages, 4)
            results[f"{name}_checks_s_per_page"] = round(checks_s / pages, 4)
            results[f"{name}_extract_share_of_ingest"] = round(extract_s / ingest_s, 4) if ingest_s else 0.0
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return results


def format_bench(results: dict) -> str:
    return "\n".join(f"bench: {key} = {value}" for key, value in results.items())
