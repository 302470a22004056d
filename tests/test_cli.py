"""The CLI as a user runs it: `contract-review extract FILE --json` prints exactly one record."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from extract import FIELD_NAMES

RECORD_KEYS = {"schema", "source", "status", "errors", "text", "agreement_type", "amends", "fields", "findings",
               "disposition", "disposition_driver", "disposition_reason", "risk_score"}
SOURCE_KEYS = {"path", "sha256", "format", "pages", "page_kinds"}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "contract_review.cli", *args],
        capture_output=True, text=True, timeout=300,
    )


def test_extract_json_record_contract(tmp_path):
    path = tmp_path / "租赁合同.txt"
    path.write_text("门面房租赁合同\n出租方（甲方）：某镇人民政府\n承租方（乙方）：某某商贸有限公司\n", encoding="gb18030")
    proc = run_cli("extract", str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)  # stdout holds the JSON and nothing else
    assert set(record) == RECORD_KEYS
    assert record["schema"] == "contract-review/agreement@1"
    assert set(record["source"]) == SOURCE_KEYS
    assert record["source"]["format"] == "text"
    assert record["source"]["pages"] == 1 and record["source"]["page_kinds"] == ["text"]
    assert len(record["source"]["sha256"]) == 64
    assert record["status"] == "ok" and record["errors"] == []
    assert "某镇人民政府" in record["text"]
    assert list(record["fields"]) == list(FIELD_NAMES)
    assert isinstance(record["findings"], list)
    assert record["disposition"] in ("void", "re-sign", "fixable", "compliant")
    assert 0.0 <= record["risk_score"] <= 1.0


def test_extract_finds_irregularities_with_basis(tmp_path):
    path = tmp_path / "lease.txt"
    path.write_text(
        "门面房屋租赁合同\n出租方（甲方）：青山镇人民政府\n承租方（乙方）：安平市青禾商贸有限公司\n"
        "未经镇党委会研究，由镇长个人决定，甲方将位于青山镇人民路88号的门面房屋出租给乙方，建筑面积126.5㎡。\n"
        "租赁期限自2023年3月1日起至2043年2月28日止。\n年租金为人民币肆万元整，租金交现金给镇会计张某。\n"
        "甲方（盖章）：青山镇人民政府\n乙方（盖章）：安平市青禾商贸有限公司\n签订日期：2023年2月20日\n",
        encoding="utf-8",
    )
    proc = run_cli("extract", str(path), "--json", "--as-of", "2026-11-21")
    record = json.loads(proc.stdout)
    checks = {f["check"] for f in record["findings"]}
    assert {"no_collective_decision", "over_term", "off_book_income"} <= checks, checks
    assert record["disposition"] in ("void", "re-sign")
    assert all(f["basis"] and f["evidence"] for f in record["findings"])


def test_extract_failed_file_prints_record_and_exits_2(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    proc = run_cli("extract", str(path), "--json")
    assert proc.returncode == 2
    record = json.loads(proc.stdout)
    assert record["status"] == "failed"
    assert record["errors"][0]["code"] == "empty_file"
    assert "empty.pdf" in record["errors"][0]["message"]
    assert "Traceback" not in proc.stderr


def test_extract_human_summary(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("借用协议\n出借方：某村民委员会\n", encoding="utf-8")
    proc = run_cli("extract", str(path))
    assert proc.returncode == 0, proc.stderr
    assert "状态" in proc.stdout and "借用协议" in proc.stdout


def test_unknown_ocr_engine_lists_known_ones(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("合同", encoding="utf-8")
    proc = run_cli("extract", str(path), "--ocr-engine", "tesseract")
    assert proc.returncode != 0
    assert "rapidocr" in proc.stderr and "paddleocr" in proc.stderr


def test_missing_paddleocr_is_reported_not_crashed(tmp_path):
    from PIL import Image, ImageDraw

    path = tmp_path / "scan.png"
    img = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(img).rectangle((20, 20, 300, 60), fill="black")
    img.save(path)
    proc = run_cli("extract", str(path), "--json", "--ocr-engine", "paddleocr")
    record = json.loads(proc.stdout)
    codes = [e["code"] for e in record["errors"]]
    try:
        import paddleocr  # noqa: F401
    except ImportError:
        assert "ocr_unavailable" in codes
        assert proc.returncode == 2


def test_check_folder_prints_summary_table(tmp_path):
    (tmp_path / "a.txt").write_text("房屋租赁合同\n甲方：某镇人民政府\n", encoding="utf-8")
    (tmp_path / "b.pdf").write_bytes(b"")
    proc = run_cli("check", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert "a.txt" in proc.stdout and "b.pdf" in proc.stdout
    assert "失败" in proc.stdout  # the empty file is reported, the batch went on
    assert "处置建议" in proc.stdout


def test_extract_of_a_text_file_imports_neither_the_store_nor_scikit_learn(tmp_path, modules_imported):
    """``contract-review extract one_page.txt --json`` (the command itself, through the CLI's
    entry) stays lean: no SQLAlchemy (the review store), scikit-learn, OCR or OpenCV imported."""
    from corpus.render import render_text
    from corpus.samples import LEASE

    path = render_text(LEASE.blocks, tmp_path / "one_page.txt")
    code = (
        "import io, json, sys, contextlib\n"
        "from contract_review.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    code = main(['extract', {str(path)!r}, '--json'])\n"
        "assert code == 0 and json.loads(out.getvalue())['status'] == 'ok'\n"
    )
    heavy = ("sqlalchemy", "alembic", "sklearn", "scipy", "pandas", "skops", "rapidocr", "cv2", "streamlit")
    assert modules_imported(code, heavy) == []
