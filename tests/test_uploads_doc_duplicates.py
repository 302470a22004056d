"""Uploads (issue 12): a legacy Word .doc is converted by LibreOffice headless and read like a
.docx (a clear Chinese message naming the file when LibreOffice is not installed); a file refused
at upload is listed with why; the same agreement handed in again as other bytes (another
rendering, a new scan) is flagged on the later upload as a possible duplicate of the earlier one,
by its name — while a side contract (same text, other rent) is not."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from contract_review.accounts import Accounts
from contract_review.batch import ingest_paths
from contract_review.duplicates import find_duplicates
from contract_review.ledger import ledger_rows
from contract_review.store import SYSTEM, Store
from contract_review import passwords
from ingest import read_document
from ingest.backends import doc as doc_backend
from review_app.uploads import save_upload

APP = Path(__file__).resolve().parent.parent / "review_app" / "app.py"
NO_OFFICE = "LibreOffice (soffice) not installed: apt-get install libreoffice-writer-nogui"


@pytest.fixture(scope="module")
def legacy_doc(tmp_path_factory) -> Path:
    """门面房屋租赁合同 saved by LibreOffice as Word 97–2003 (.doc)."""
    if doc_backend.office_binary() is None:
        pytest.skip(NO_OFFICE)
    from corpus.render import render_docx
    from corpus.samples import LEASE

    out = tmp_path_factory.mktemp("doc")
    docx = render_docx(LEASE.blocks, out / "门面房屋租赁合同.docx")
    subprocess.run([doc_backend.office_binary(), f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc:MS Word 97", "--outdir", str(out / "doc"), str(docx)],
                   check=True, capture_output=True, timeout=180)
    path = out / "doc" / "门面房屋租赁合同.doc"
    assert path.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE container, not a zip
    return path


def test_a_legacy_doc_is_converted_and_read(legacy_doc: Path):
    doc = read_document(legacy_doc)
    assert doc.status == "ok" and doc.source.format == "doc" and not doc.errors
    assert "青山镇人民政府" in doc.text and "安平市青禾商贸有限公司" in doc.text


def test_without_libreoffice_a_doc_fails_with_a_chinese_message_naming_it(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(doc_backend, "office_binary", lambda: None)
    path = tmp_path / "旧合同.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000)
    doc = read_document(path)
    assert doc.status == "failed" and [e.code for e in doc.errors] == ["legacy_doc"]
    zh = doc.errors[0].message.split(" (")[0]
    assert "「旧合同.doc」" in zh and "未安装 LibreOffice" in zh and "另存为 .docx 或 PDF" in zh


def test_a_doc_that_cannot_be_converted_says_so(tmp_path: Path):
    if doc_backend.office_binary() is None:
        pytest.skip(NO_OFFICE)
    path = tmp_path / "坏的旧合同.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000)
    doc = read_document(path)
    assert doc.status == "failed" and doc.errors[0].code == "legacy_doc"
    assert "自动转换失败" in doc.errors[0].message and "「坏的旧合同.doc」" in doc.errors[0].message


def test_upload_accepts_a_doc_and_lists_refused_files_with_why(tmp_path: Path, monkeypatch, legacy_doc: Path):
    monkeypatch.setattr(passwords, "_N", 2**10)
    store = Store(data_dir=tmp_path / "store")
    Accounts(store).create_user("up", "secret-123", "uploader", unit="城关镇")
    viewer = Accounts(store).authenticate("up", "secret-123")
    result = save_upload(store, viewer, "城关镇", None,
                         [(legacy_doc.name, legacy_doc.read_bytes()), ("报表.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100)],
                         start=False)
    assert result.added == [legacy_doc.name]
    assert [name for name, _ in result.rejected] == ["报表.xls"]
    assert "不支持的文件类型 .xls" in result.rejected[0][1] and ".doc" in result.rejected[0][1]
    store.close()


# ---------------------------------------------------------------------- duplicates
@pytest.fixture
def handed_in_twice(tmp_path: Path, samples):
    """城关镇 hands in the shop lease as Word, the land contract as text and a side-contract pair;
    a week later the shop lease again as a digital PDF (other bytes, the same agreement)."""
    store = Store(data_dir=tmp_path / "store")
    first = [samples.docx, samples.text, *samples.side_pair]
    ingest_paths(store, first, "城关镇", "第一批", workers=1)
    ingest_paths(store, [_lease_pdf(tmp_path)], "城关镇", "第二批", workers=1)
    yield store
    store.close()


def _lease_pdf(tmp_path: Path) -> Path:
    from corpus.render import render_pdf
    from corpus.samples import LEASE

    return render_pdf(LEASE.blocks, tmp_path / "门面租赁合同（重新提交）.pdf", seed=2)


def _by_name(store: Store) -> dict[str, dict]:
    rows, _ = store.queue(SYSTEM, limit=100)
    return {r["filename"]: store.agreement(SYSTEM, r["id"]) for r in rows}


def test_the_same_agreement_handed_in_again_is_flagged_naming_the_earlier_upload(handed_in_twice):
    store = handed_in_twice
    got = _by_name(store)
    later = got["门面租赁合同（重新提交）.pdf"]
    dup = [f for f in later["findings"] if f["check"] == "possible_duplicate"]
    assert len(dup) == 1 and dup[0]["title"] == "可能与「门面房屋租赁合同.docx」重复"
    assert dup[0]["disposition"] is None and "文字相似度" in dup[0]["explanation"]
    assert [r["agreement_id"] for r in dup[0]["related"]] == [got["门面房屋租赁合同.docx"]["id"]]
    flagged = {name for name, a in got.items() if any(f["check"] == "possible_duplicate" for f in a["findings"])}
    assert flagged == {"门面租赁合同（重新提交）.pdf"}  # not the earlier one, not the side-contract pair
    row = next(r for r in ledger_rows(store, SYSTEM) if r["文件"] == "门面租赁合同（重新提交）.pdf")
    assert "可能重复提交" in row["审查发现"]


def test_a_side_contract_is_not_a_duplicate(samples):
    """The same text at another rent is a side contract, never a duplicate."""
    text = samples.text.read_text(encoding="utf-8")
    a = {"text": text, "status": "ok", "fields": {"annual_rent_yuan": {"value": 17800.0},
                                                   "counterparty": {"value": "王建国"}}}
    b = {"text": text.replace("17,800", "8,900"), "status": "ok",
         "fields": {"annual_rent_yuan": {"value": 8900.0}, "counterparty": {"value": "王建国"}}}
    c = {"text": text, "status": "ok", "fields": {"annual_rent_yuan": {"value": 17800.0},
                                                   "counterparty": {"value": "王建国"}}}
    assert find_duplicates([a, b]) == {}
    found = find_duplicates([a, b, c])
    assert list(found) == [2] and found[2][0] == 0 and found[2][1] > 0.99


def test_different_agreements_on_one_template_are_not_duplicates(samples):
    texts = [p.read_text(encoding="utf-8") for p in samples.corpus]
    records = [{"text": t, "status": "ok", "fields": {}} for t in texts]
    found = find_duplicates(records)
    # the generated corpus has second copies of one deal (same rent and term) only as side pairs'
    # hard negatives; without fields nothing below the near-identical text bar may be flagged
    assert all(sim >= 0.85 for _, sim in found.values())


@pytest.mark.slow
def test_a_new_scan_of_an_agreement_is_flagged(tmp_path: Path, samples):
    """The land contract handed in as text, then as a scanned PDF read by OCR."""
    from corpus.render import render_scanned_pdf
    from corpus.samples import LAND

    store = Store(data_dir=tmp_path / "store")
    ingest_paths(store, [samples.text], "青山乡", "第一批", workers=1)
    scan = render_scanned_pdf(LAND.blocks, tmp_path / "土地承包合同扫描件.pdf", seed=4)
    ingest_paths(store, [scan], "青山乡", "第二批", workers=1)
    got = _by_name(store)
    dup = [f for f in got[scan.name]["findings"] if f["check"] == "possible_duplicate"]
    assert [f["title"] for f in dup] == [f"可能与「{samples.text.name}」重复"]
    store.close()


def test_detail_and_queue_show_the_duplicate(handed_in_twice, monkeypatch):
    store = handed_in_twice
    monkeypatch.setattr(passwords, "_N", 2**10)
    monkeypatch.setenv("CONTRACT_REVIEW_DATA_DIR", str(store.data_dir))
    monkeypatch.delenv("CONTRACT_REVIEW_DB_URL", raising=False)
    uid = Accounts(store).create_user("rev", "secret-123", "reviewer", display_name="审查员")
    later = _by_name(store)["门面租赁合同（重新提交）.pdf"]
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["auth_token"] = Accounts(store).open_login(store.viewer(uid))
    at.run()
    at.query_params.update({"id": str(later["id"])})
    at.switch_page("views/detail.py").run()
    assert not at.exception
    shown = " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.subheader, *at.get("expandable")]
                     if hasattr(e, "value"))
    shown += " ".join(e.label for e in at.get("expandable") if hasattr(e, "label"))
    assert "可能与「门面房屋租赁合同.docx」重复" in shown
    assert not re.search(r"possible_duplicate", shown)
    at.query_params.clear()
    at.switch_page("views/queue.py").run()
    frame = next(d.value for d in at.dataframe if "文件" in d.value.columns)
    assert any("可能重复提交" in str(v) for v in frame.astype(str).to_numpy().ravel())
