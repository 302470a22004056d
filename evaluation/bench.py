"""Speed and memory benchmarks (`make bench`): seconds per page by page kind, the share of the
time each stage takes, and peak memory. Timed in-process after a warm-up, median of runs."""

from __future__ import annotations

import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Callable

from corpus.render import render_pdf, render_scanned_pdf
from corpus.samples import LEASE


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


def run_review_bench(pages: int = 10, workers: int = 2) -> dict:
    """Upload to "ready to review" for a scanned batch of ``pages`` pages, the way the review
    app does it: files stored in a fresh store, the batch runner started as a background
    process (``python -m contract_review.batch``), the store polled until the batch is ready."""
    import os
    import subprocess
    import sys

    import pypdfium2

    from contract_review.store import Store

    from corpus.samples import LAND, LOAN

    with tempfile.TemporaryDirectory() as tmp:
        files, total, seed = [], 0, 11
        while total < pages:
            sample = (LEASE, LAND, LOAN)[len(files) % 3]
            path = Path(tmp) / f"scan{len(files):02d}.pdf"
            render_scanned_pdf(sample.blocks, path, seed=seed + len(files), seal=sample.seals)
            n = len(pypdfium2.PdfDocument(str(path)))
            total += n
            files.append(path)
        data = Path(tmp) / "store"
        env = dict(os.environ, CONTRACT_REVIEW_DATA_DIR=str(data))
        env.pop("CONTRACT_REVIEW_DB_URL", None)
        store = Store(data_dir=data, url=f"sqlite:///{data / 'contract-review.db'}")
        started = time.perf_counter()
        batch = store.create_batch("基准测试镇", "bench")
        for f in files:
            store.add_file(batch, f)
        proc = subprocess.Popen([sys.executable, "-m", "contract_review.batch", str(batch), "--workers", str(workers)],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while True:
            status = store.batch_progress(batch)["status"]
            if status in ("ready", "failed") or proc.poll() not in (None, 0):
                break
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        proc.wait(60)
        progress = store.batch_progress(batch)
        store.close()
    return {
        "review_batch_files": len(files),
        "review_batch_pages": total,
        "review_batch_workers": workers,
        "review_batch_status": progress["status"],
        "review_batch_upload_to_ready_s": round(seconds, 1),
        "review_batch_s_per_page": round(seconds / total, 2),
    }


def format_bench(results: dict) -> str:
    return "\n".join(f"bench: {key} = {value}" for key, value in results.items())
