"""The bench's sections. Each takes the inputs folder (files made once and reused) and the options,
and returns a JSON-able dict. Timed in-process after a warm-up unless said otherwise; the
commands a user runs (``extract``, the batch runner) are timed as fresh processes."""

from __future__ import annotations

import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MIB = 1024 * 1024


class Unavailable(RuntimeError):
    """A section (or an engine in it) cannot run on this machine; the message says why."""


def _log(opts: dict, msg: str) -> None:
    opts.get("log", print)(f"bench:   {msg}")


def _run(cmd: list[str], timeout: float, env: dict | None = None) -> tuple[int, bytes, float, float, float]:
    """Run ``cmd`` as a fresh process (through :mod:`bench.measure`, so that its peak memory is
    its own): (exit status, its stdout, wall s, CPU s, peak RSS MiB of the process and of the
    children it waited for)."""
    with tempfile.TemporaryDirectory(prefix="bench-run-") as tmp:
        result = Path(tmp) / "usage.json"
        with open(Path(tmp) / "stdout", "w+b") as out:
            proc = subprocess.Popen([sys.executable, "-m", "bench.measure", str(result), *cmd], stdout=out,
                                    stderr=subprocess.DEVNULL, env=env)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                raise RuntimeError(f"{' '.join(cmd[:4])} … did not finish within {timeout:g} s") from None
            out.seek(0)
            text = out.read()
        usage = json.loads(result.read_text(encoding="utf-8"))
    return usage["code"], text, usage["wall_s"], usage["cpu_s"], usage["peak_rss_mib"]


# -- scanned pages ---------------------------------------------------------------------------------
SCAN_INPUTS = (
    # (sample, dpi, pages turned sideways, seed)
    ("LEASE", 200, {}, 21),
    ("LAND", 300, {}, 22),
    ("LOAN", 200, {0: 90}, 23),
)


def _scan_inputs(folder: Path) -> list[dict]:
    """Scanned PDFs drawn by the corpus renderer (grey paper, skew, noise, JPEG, signatures, red
    seals), each page also as a PNG at the scan's own resolution, and the text each page shows."""
    import pypdfium2

    from corpus import samples
    from corpus.render import page_text_lines, render_scanned_pdf

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, dpi, turned, seed in SCAN_INPUTS:
        sample = getattr(samples, name)
        pdf = folder / f"{name.lower()}_{dpi}dpi{'_turned' if turned else ''}.pdf"
        if not pdf.exists():
            render_scanned_pdf(sample.blocks, pdf, seed=seed, rotate_pages=turned, seal=sample.seals, dpi=dpi)
        refs = ["\n".join(lines) for lines in page_text_lines(sample.blocks)]
        doc = pypdfium2.PdfDocument(str(pdf))
        pngs = []
        try:
            for i in range(len(doc)):
                png = pdf.with_name(f"{pdf.stem}_p{i + 1}.png")
                if not png.exists():
                    page = doc[i]
                    page.render(scale=dpi / 72.0).to_pil().convert("RGB").save(png)
                    page.close()
                pngs.append(png)
        finally:
            doc.close()
        out.append({"pdf": pdf, "pngs": pngs, "refs": refs[: len(pngs)], "turned": set(turned), "dpi": dpi})
    return out


def _tesseract() -> str:
    """The tesseract binary with chi_sim, installed from Debian's packages when missing."""
    def ready() -> bool:
        exe = shutil.which("tesseract")
        if not exe:
            return False
        langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True).stdout
        return "chi_sim" in langs.split()

    if not ready():
        apt = shutil.which("apt-get")
        if apt and os.geteuid() == 0:
            print("bench: installing Debian's tesseract-ocr and tesseract-ocr-chi-sim …", file=sys.stderr)
            env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
            cmd = [apt, "install", "-y", "-qq", "--no-install-recommends", "tesseract-ocr", "tesseract-ocr-chi-sim"]
            if subprocess.run(cmd, env=env, capture_output=True).returncode != 0:
                subprocess.run([apt, "update", "-qq"], env=env, capture_output=True)
                subprocess.run(cmd, env=env, capture_output=True)
        if not ready():
            raise Unavailable("Tesseract with chi_sim is not installed and could not be installed here "
                              "(as root: apt-get install tesseract-ocr tesseract-ocr-chi-sim)")
    return shutil.which("tesseract") or "tesseract"


def _cer(refs: list[str], hyps: list[str]) -> float:
    from evaluation.evaluate import cer

    return cer("\n".join(refs), "\n".join(hyps))


def scans(inputs: Path, opts: dict) -> dict:
    from ingest import IngestSettings, read_document

    docs = _scan_inputs(inputs / "scans")
    pages = [(d, i) for d in docs for i in range(len(d["pngs"]))]
    upright = [k for k, (d, i) in enumerate(pages) if i not in d["turned"]]
    refs = [d["refs"][i] for d, i in pages]
    engines: dict[str, dict] = {}

    def summary(times: list[float], hyps: list[str]) -> dict:
        return {
            "s_per_page": round(sum(times) / len(times), 3),
            "cer": round(_cer(refs, hyps), 5),
            "cer_upright": round(_cer([refs[k] for k in upright], [hyps[k] for k in upright]), 5),
            "per_page_s": [round(t, 3) for t in times],
        }

    # warm-up: each engine's model loaded (and its first-call costs paid) before anything is timed
    settings = IngestSettings.from_env()
    read_document(docs[0]["pngs"][0], settings)
    from rapidocr import RapidOCR

    raw = RapidOCR(params={"Global.log_level": "error"})
    raw(str(docs[0]["pngs"][0]))
    try:
        exe: str | None = _tesseract()
        subprocess.run([exe, str(docs[0]["pngs"][0]), "stdout", "-l", "chi_sim"], capture_output=True)
    except Unavailable as exc:
        exe = None
        engines["tesseract"] = {"error": str(exc)}

    # the engines timed in turn, document by document, so that a change in the machine's load (it
    # may be shared) falls on all of them alike:
    # - the whole pipeline: render, seals, orientation, OCR, lines (in-process, model loaded once)
    # - raw RapidOCR with its defaults (a file path in, its lines out)
    # - Tesseract chi_sim, one process per page (its model load is part of a page's cost)
    times: dict[str, list[float]] = {"pipeline": [], "rapidocr_raw": [], "tesseract": []}
    hyps: dict[str, list[str]] = {"pipeline": [], "rapidocr_raw": [], "tesseract": []}
    stages = {"det": 0.0, "cls": 0.0, "rec": 0.0}
    for d in docs:
        started = time.perf_counter()
        doc = read_document(d["pdf"], settings)
        elapsed = time.perf_counter() - started
        n = len(d["pngs"])
        times["pipeline"] += [elapsed / n] * n
        hyps["pipeline"] += ["\n".join(line.text for line in page.lines) for page in doc.pages[:n]]
        for png in d["pngs"]:
            started = time.perf_counter()
            result = raw(str(png))
            times["rapidocr_raw"].append(time.perf_counter() - started)
            hyps["rapidocr_raw"].append("\n".join(getattr(result, "txts", None) or ()))
            for key, value in zip(("det", "cls", "rec"), getattr(result, "elapse_list", []) or []):
                stages[key] += float(value or 0.0)
            if exe:
                started = time.perf_counter()
                done = subprocess.run([exe, str(png), "stdout", "-l", "chi_sim"], capture_output=True, text=True)
                times["tesseract"].append(time.perf_counter() - started)
                hyps["tesseract"].append(done.stdout)
    for name in ("pipeline", "rapidocr_raw", "tesseract"):
        if times[name]:
            engines[name] = summary(times[name], hyps[name])
            _log(opts, f"{name} {engines[name]['s_per_page']} s/page")

    ratios: dict[str, float] = {}
    p, r, t = engines["pipeline"], engines["rapidocr_raw"], engines.get("tesseract", {})
    ratios["pipeline_vs_raw_time"] = round(p["s_per_page"] / r["s_per_page"], 3)
    if "s_per_page" in t:
        ratios["speed_vs_tesseract"] = round(t["s_per_page"] / p["s_per_page"], 2)
        ratios["cer_vs_tesseract"] = round(p["cer"] / t["cer"], 3) if t["cer"] else None
    n = len(pages)
    return {
        "inputs": ", ".join(f"{d['pdf'].stem} ({len(d['pngs'])} p.)" for d in docs),
        "pages": n,
        "engines": engines,
        "stages": {k: round(v / n, 3) for k, v in stages.items()},
        "ratios": ratios,
    }


# -- digital pages ---------------------------------------------------------------------------------
def digital(inputs: Path, opts: dict) -> dict:
    import pdfplumber
    import pypdfium2

    from corpus import samples
    from corpus.render import render_pdf
    from ingest import IngestSettings, read_document

    folder = inputs / "digital"
    folder.mkdir(parents=True, exist_ok=True)
    pdfs = []
    for i, name in enumerate(("LEASE", "LAND", "LOAN")):
        sample = getattr(samples, name)
        path = folder / f"{name.lower()}.pdf"
        if not path.exists():
            render_pdf(sample.blocks, path, seal=sample.seals, seed=i + 1)
        pdfs.append(path)
    runs = 3 * int(opts.get("runs", 5))  # a round takes well under a second: more of them, a steadier median
    settings = IngestSettings.from_env()

    def pipeline() -> int:
        return sum(len(read_document(p, settings).pages) for p in pdfs)

    def plumber() -> int:
        n = 0
        for p in pdfs:
            with pdfplumber.open(str(p)) as pdf:
                for page in pdf.pages:
                    page.extract_text()
                    n += 1
        return n

    def pdfium() -> int:
        n = 0
        for p in pdfs:
            pdf = pypdfium2.PdfDocument(str(p))
            try:
                for page in pdf:
                    text = page.get_textpage()
                    text.get_text_range()
                    text.close()
                    page.close()
                    n += 1
            finally:
                pdf.close()
        return n

    engines = (("pipeline", pipeline), ("pdfplumber", plumber), ("pypdfium2", pdfium))
    pages = 0
    for _name, fn in engines:
        pages = fn()  # warm-up
    # the three timed in turn within each round, so that a change in the machine's load (it may be
    # shared) falls on all of them alike rather than on whichever ran at that moment
    times: dict[str, list[float]] = {name: [] for name, _ in engines}
    for _ in range(runs):
        for name, fn in engines:
            started = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - started)
    ms = {name: round(1000 * statistics.median(t) / pages, 2) for name, t in times.items()}
    return {
        "inputs": ", ".join(p.name for p in pdfs) + f" (median of {runs} rounds, the three timed in turn)",
        "pages": pages,
        "ms_per_page": ms,
        "ratios": {"speed_vs_pdfplumber": round(ms["pdfplumber"] / ms["pipeline"], 3),
                   "speed_vs_pypdfium2": round(ms["pypdfium2"] / ms["pipeline"], 4)},
    }


# -- contract-review extract of a one-page text file ----------------------------------------------
def _cli() -> list[str]:
    script = Path(sys.executable).with_name("contract-review")
    return [str(script)] if script.exists() else [sys.executable, "-m", "contract_review.cli"]


def extract_cli(inputs: Path, opts: dict) -> dict:
    from corpus.render import render_text
    from corpus.samples import LEASE

    path = inputs / "one_page.txt"
    if not path.exists():
        render_text(LEASE.blocks, path)
    cmd = [*_cli(), "extract", str(path), "--json"]
    runs = int(opts.get("runs", 5))
    walls, cpus, rss = [], [], []
    for k in range(runs + 1):  # the first run only warms the file cache
        code, out, wall, cpu, peak = _run(cmd, 120)
        if code != 0:
            raise RuntimeError(f"{' '.join(cmd)} exited {code}")
        json.loads(out)
        if k:
            walls.append(wall)
            cpus.append(cpu)
            rss.append(peak)
    return {"command": " ".join(cmd[-3:]), "runs": runs, "wall_s": round(statistics.median(walls), 3),
            "wall_s_min": round(min(walls), 3), "cpu_s": round(statistics.median(cpus), 3),
            "peak_rss_mib": round(max(rss), 1)}


# -- a 1,000-agreement batch through the batch runner ---------------------------------------------
BATCH_N = 1000
BATCH_SCANS = 5


def _batch_inputs(folder: Path, opts: dict) -> tuple[list[Path], dict]:
    """1,000 agreements: generated ones in the text, Word and digital-PDF renderings spread evenly
    (the generator's own mix of families and scenarios) plus a few scanned pages."""
    from corpus.generate import generate_corpus
    from corpus import samples
    from corpus.render import render_image

    listing = folder / "files.json"
    if listing.exists():
        saved = json.loads(listing.read_text(encoding="utf-8"))
        return [folder / f for f in saved["files"]], saved["mix"]
    corpus_dir = folder / "corpus"
    n = BATCH_N - BATCH_SCANS
    _log(opts, f"generating {n} agreements (once; kept in {folder}) …")
    manifest = generate_corpus(corpus_dir, n=n, seed=7, formats=("text", "docx", "pdf"), workers=2)
    files: list[str] = []
    mix: dict[str, int] = {}
    for item in manifest["documents"]:
        rendering = item["rendering"]
        name = item["renderings"][rendering]
        names = name if isinstance(name, list) else [name]
        files.append(str(Path("corpus") / names[0]))
        mix[rendering] = mix.get(rendering, 0) + 1
    for k in range(BATCH_SCANS):
        sample = (samples.LEASE, samples.LAND, samples.LOAN)[k % 3]
        path = folder / f"scan{k}.jpg"
        render_image(sample.blocks, path, seed=40 + k, kind="scan", seal=sample.seals, dpi=200)
        files.append(path.name)
    mix["scan (one-page JPEG, 200 dpi)"] = BATCH_SCANS
    listing.write_text(json.dumps({"files": files, "mix": mix}, ensure_ascii=False), encoding="utf-8")
    return [folder / f for f in files], mix


def _pages(paths: list[Path]) -> int:
    import pypdfium2

    n = 0
    for p in paths:
        if p.suffix == ".pdf":
            doc = pypdfium2.PdfDocument(str(p))
            n += len(doc)
            doc.close()
        elif p.suffix == ".txt":
            n += p.read_text(encoding="utf-8", errors="replace").count("\f") + 1
        else:
            n += 1
    return n


def batch(inputs: Path, opts: dict) -> dict:
    files, mix = _batch_inputs(inputs / "batch", opts)
    runs: dict[str, dict] = {}
    small, large = (int(v) for v in opts.get("batch_sizes", (100, BATCH_N)))
    plan = [(f"n{small}_w1", small, 1), (f"n{large}_w1", large, 1), (f"n{large}_w2", large, 2)]
    for key, n, workers in plan:
        chosen = files[:n] if n < len(files) else files
        if n < len(files):  # keep the scans in the small batch too
            chosen = files[: n - BATCH_SCANS] + files[-BATCH_SCANS:]
        with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
            listing = Path(tmp) / "files.txt"
            listing.write_text("\n".join(str(p) for p in chosen), encoding="utf-8")
            env = dict(os.environ)
            env.pop("CONTRACT_REVIEW_DB_URL", None)
            code, out, wall, cpu, peak = _run([sys.executable, "-m", "bench.batch_child", str(listing), tmp, str(workers)],
                                              float(opts.get("batch_timeout", 1500)), env)
        if code != 0:
            raise RuntimeError(f"batch run {key} exited {code}")
        r = json.loads(out)
        pages = _pages(chosen)
        r.update({"files": len(chosen), "workers": workers, "pages": pages, "pages_per_s": round(pages / r["wall_s"], 2),
                  "process_wall_s": round(wall, 2), "cpu_s": round(cpu, 1), "peak_rss_mib": round(peak, 1)})
        runs[key] = r
        _log(opts, f"{key}: {r['wall_s']:.1f} s, {r['pages_per_s']:.1f} pages/s, peak {peak:.0f} MiB")
    one, two, few = runs[f"n{large}_w1"], runs[f"n{large}_w2"], runs[f"n{small}_w1"]
    ratios = {
        "speedup_2_workers": round(one["wall_s"] / two["wall_s"], 3),
        "speedup_2_workers_reading": round(one["read_s"] / max(1e-9, two["read_s"]), 3),
        "rss_large_vs_small": round(one["peak_rss_mib"] / few["peak_rss_mib"], 3),
    }
    return {"mix": ", ".join(f"{k} {v}" for k, v in mix.items()), "runs": runs, "ratios": ratios}


# -- side contracts over generated records ---------------------------------------------------------
SIDE_SIZES = (5000, 20000, 50000)


def growth_exponents(sizes: dict[str, dict]) -> list[float]:
    """The log-log slope of time over records between each size and the next (1: linear, 2:
    quadratic)."""
    ns = sorted(sizes, key=int)
    return [round(math.log(sizes[b]["seconds"] / sizes[a]["seconds"]) / math.log(int(b) / int(a)), 2)
            for a, b in zip(ns, ns[1:]) if sizes[a]["seconds"] > 0 and sizes[b]["seconds"] > 0]


def side(inputs: Path, opts: dict) -> dict:
    sizes = [int(s) for s in opts.get("side_sizes", SIDE_SIZES)]
    out: dict[str, dict] = {}
    for n in sizes:
        code, text, wall, cpu, peak = _run([sys.executable, "-m", "bench.side_child", str(n)], 900)
        if code != 0:
            raise RuntimeError(f"side-contract run over {n} records exited {code}")
        r = json.loads(text)
        r["peak_mib"] = round(peak, 1)
        out[str(n)] = r
        _log(opts, f"side contracts over {n:,}: {r['seconds']:.1f} s, {r['candidate_pairs']:,} pairs "
             f"({r['pairs_compared']:,} compared by name), peak {peak:.0f} MiB")
    return {"sizes": out, "growth_exponent": growth_exponents(out),
            "note": "records are generated lease agreements, about 30 per village (7 asset kinds); every 50th has a "
                    "side twin (other names, other rent). Above 5,000 documents the distinctive-text index is not built "
                    "(checks.side.DistinctiveText.MAX_DOCS)."}
