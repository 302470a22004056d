"""The bench's driver: inputs made once (``data/bench/inputs``, reused), each section run in turn,
the report written after every section (so an interrupted run resumes with ``--resume``)."""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path
from typing import Callable

from . import sections

SECTIONS: dict[str, Callable[[Path, dict], dict]] = {
    "scans": sections.scans,
    "digital": sections.digital,
    "extract": sections.extract_cli,
    "batch": sections.batch,
    "side": sections.side,
}

TARGETS = (
    # (name, how it is computed from the report, target text, predicate)
    ("scans: speed vs Tesseract", lambda r: r["scans"]["ratios"]["speed_vs_tesseract"], "≥ 4×", lambda v: v >= 4.0),
    ("scans: CER vs Tesseract", lambda r: r["scans"]["ratios"]["cer_vs_tesseract"], "≤ 0.25", lambda v: v <= 0.25),
    ("scans: pipeline time / raw OCR", lambda r: r["scans"]["ratios"]["pipeline_vs_raw_time"], "≤ 1.10", lambda v: v <= 1.10),
    ("digital: speed vs pdfplumber", lambda r: r["digital"]["ratios"]["speed_vs_pdfplumber"], "≥ 0.8×", lambda v: v >= 0.8),
    ("extract of a text page: wall s", lambda r: r["extract"]["wall_s"], "≤ 1.0 s", lambda v: v <= 1.0),
    ("batch: peak RSS 1,000 / 100", lambda r: r["batch"]["ratios"]["rss_large_vs_small"], "≤ 1.2 (flat)", lambda v: v <= 1.2),
    ("batch: peak RSS MiB, largest run", lambda r: max(x["peak_rss_mib"] for x in r["batch"]["runs"].values()), "< 1536",
     lambda v: v < 1536),
    ("batch: 2 workers / 1", lambda r: r["batch"]["ratios"]["speedup_2_workers"], "≥ 1.8×", lambda v: v >= 1.8),
    ("side contracts, 50k records: s", lambda r: r["side"]["sizes"]["50000"]["seconds"], "< 60 s", lambda v: v < 60),
)


def _load(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def run(out: Path, only: list[str] | None = None, skip: list[str] | None = None, resume: bool = False,
        inputs: Path | None = None, options: dict | None = None, log: Callable[[str], None] = print) -> dict:
    """Run the chosen sections and write ``out``; returns the report."""
    names = list(only or SECTIONS)
    unknown = [n for n in names + list(skip or []) if n not in SECTIONS]
    if unknown:
        raise KeyError(f"unknown bench section(s) {unknown}; known: {list(SECTIONS)}")
    names = [n for n in names if n not in (skip or [])]
    out.parent.mkdir(parents=True, exist_ok=True)
    report = _load(out) if resume else {}
    report["machine"] = _machine()
    inputs = inputs or out.parent / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    opts = dict(options or {})
    opts["log"] = log
    for name in names:
        if resume and name in report and "error" not in report[name]:
            log(f"bench: {name}: kept from the previous run")
            continue
        log(f"bench: {name} …")
        started = time.perf_counter()
        try:
            report[name] = SECTIONS[name](inputs, opts)
        except sections.Unavailable as exc:
            report[name] = {"error": str(exc)}
            log(f"bench: {name}: skipped: {exc}")
        report[name]["section_s"] = round(time.perf_counter() - started, 1)
        report["machine"]["load_after_" + name] = _loadavg()
        out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        log(f"bench: {name} done in {report[name]['section_s']} s")
    report["targets"] = _targets(report)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return report


def _loadavg() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def _machine() -> dict:
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "load_at_start": _loadavg(),
            "when": time.strftime("%Y-%m-%d %H:%M:%S")}


def _targets(report: dict) -> list[dict]:
    rows = []
    for name, get, target, ok in TARGETS:
        try:
            value = get(report)
        except (KeyError, TypeError):
            continue
        if value is None:
            continue
        rows.append({"target": name, "value": value, "wanted": target, "met": bool(ok(value))})
    return rows


# -- the table ------------------------------------------------------------------------------------
def _fmt(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.3g}" if abs(v) < 1000 else f"{v:,.0f}"
    return str(v)


def format_report(report: dict) -> str:
    rows: list[tuple[str, str, str]] = []

    def add(section: str, what: str, value) -> None:
        rows.append((section, what, _fmt(value)))

    s = report.get("scans", {})
    if "error" in s:
        add("scans", "skipped", s["error"])
    elif s:
        add("scans", f"pages ({s['inputs']})", s["pages"])
        for eng in ("pipeline", "rapidocr_raw", "tesseract"):
            e = s["engines"].get(eng)
            if e is None:
                continue
            if "error" in e:
                add("scans", f"{eng}", e["error"])
                continue
            add("scans", f"{eng}: s/page", e["s_per_page"])
            add("scans", f"{eng}: CER % (all / upright pages)", f"{100 * e['cer']:.2f} / {100 * e['cer_upright']:.2f}")
        if s.get("stages"):
            st = s["stages"]
            add("scans", "raw OCR stages s/page det / cls / rec", f"{st['det']:.2f} / {st['cls']:.2f} / {st['rec']:.2f}")
        for k, v in s.get("ratios", {}).items():
            add("scans", k, v)
    d = report.get("digital", {})
    if d and "error" not in d:
        add("digital", f"pages ({d['inputs']})", d["pages"])
        for k in ("pipeline", "pdfplumber", "pypdfium2"):
            add("digital", f"{k}: ms/page", d["ms_per_page"][k])
        for k, v in d.get("ratios", {}).items():
            add("digital", k, v)
    e = report.get("extract", {})
    if e and "error" not in e:
        add("extract", "one-page text: wall s (median of runs)", e["wall_s"])
        add("extract", "one-page text: CPU s", e["cpu_s"])
        add("extract", "one-page text: peak RSS MiB", e["peak_rss_mib"])
    b = report.get("batch", {})
    if b and "error" not in b:
        add("batch", "mix", b["mix"])
        for key, r in b["runs"].items():
            add("batch", f"{key}: wall s / read s / check s",
                f"{r['wall_s']:.1f} / {r['read_s']:.1f} / {r['check_s']:.1f}")
            add("batch", f"{key}: pages/s, peak RSS MiB", f"{r['pages_per_s']:.1f}, {r['peak_rss_mib']:.0f}")
        for k, v in b.get("ratios", {}).items():
            add("batch", k, v)
    sd = report.get("side", {})
    if sd and "error" not in sd:
        for n, r in sd["sizes"].items():
            add("side", f"{int(n):,} records: s / peak MiB / pairs verified",
                f"{r['seconds']:.1f} / {r['peak_mib']:.0f} / {r['candidate_pairs']:,}")
        add("side", "time growth between sizes (log-log slope: 1 linear, 2 quadratic)",
            " / ".join(str(g) for g in sd.get("growth_exponent") or []))
    width = max((len(r[1]) for r in rows), default=10)
    lines = [f"{'section':8} {'measure':{width}}  value", "-" * (width + 30)]
    lines += [f"{sec:8} {what:{width}}  {val}" for sec, what, val in rows]
    if report.get("targets"):
        lines.append("")
        lines.append("targets (ratios within this run):")
        for t in report["targets"]:
            lines.append(f"  {'met ' if t['met'] else 'MISS'}  {t['target']}: {_fmt(t['value'])} (wanted {t['wanted']})")
    m = report.get("machine", {})
    lines.append(f"machine: {m.get('cpus')} CPUs, load average at start {m.get('load_at_start')}")
    return "\n".join(lines)
