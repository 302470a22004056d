"""`make bench` (bench/): the sections run and report; the full bench is not run here (it takes
minutes), the quick sections and the side-contract child on a small batch are."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bench import SECTIONS, format_report, run


def test_quick_sections_write_a_report_and_a_table(tmp_path):
    out = tmp_path / "bench" / "report.json"
    report = run(out, only=["digital"], options={"runs": 1}, log=lambda m: None)
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["digital"]["pages"] == 6 and set(saved["digital"]["ms_per_page"]) == {"pipeline", "pdfplumber", "pypdfium2"}
    assert any(t["target"].startswith("digital") for t in report["targets"])
    table = format_report(report)
    assert "pdfplumber: ms/page" in table and "digital: speed vs pdfplumber" in table
    # --resume keeps what the report holds
    again = run(out, only=["digital"], resume=True, log=lambda m: None)
    assert again["digital"]["ms_per_page"] == saved["digital"]["ms_per_page"]


def test_unknown_sections_are_named():
    with pytest.raises(KeyError, match="known: .*scans"):
        run(__import__("pathlib").Path("/nonexistent/x.json"), only=["nope"])
    assert list(SECTIONS) == ["scans", "digital", "extract", "batch", "side"]


def test_side_contract_child_finds_the_twins():
    done = subprocess.run([sys.executable, "-m", "bench.side_child", "600"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    r = json.loads(done.stdout)
    assert r["records"] == 600 and r["side_twins"] == 12
    assert r["agreements_flagged"] >= 2 * r["side_twins"]
