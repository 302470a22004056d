"""The review store on SQLite and PostgreSQL: accounts, files stored once, batches read by the
real pipeline (resumable), reviewer corrections kept apart from the machine's reading,
append-only findings reviews and decisions, unit isolation, the ledger and the configuration.

Inputs are plain text, Word and digital PDF (no OCR)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from openpyxl import load_workbook
from sqlalchemy import func, select, update

import contract_review.batch as batch_mod
from contract_review.accounts import Accounts
from contract_review.batch import ingest_paths, run_batch
from contract_review.ledger import LEDGER_COLUMNS, csv_columns, ledger_rows, write_ledger
from contract_review.config_files import check_context_in_force, save_config, validate_config
from contract_review.stats import stats_of
from contract_review.store import SYSTEM, AccessDenied, Store, StoreError, Viewer
from contract_review import passwords
from contract_review.store import store as store_mod
from contract_review.store.schema import SEVERITY_ORDER, Agreement, Correction, Decision, Document, StoredFile

PW = "secret-123"
UNIT_A, UNIT_B = "甲镇", "乙乡"


@pytest.fixture(autouse=True)
def _cheaper_hashing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id at its real cost takes ~0.1 s per hash and per check; the tests that are not
    about accounts create five each, so they hash at a lower cost (kept in each hash)."""
    if "accounts" not in request.node.name:
        monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def _people(store: Store) -> dict[str, Viewer]:
    Accounts(store).create_user("admin1", PW, "admin", display_name="管理员")
    Accounts(store).create_user("rev1", PW, "reviewer", display_name="审查员甲")
    Accounts(store).create_user("rev2", PW, "reviewer", display_name="审查员乙")
    Accounts(store).create_user("up_a", PW, "uploader", unit=UNIT_A)
    Accounts(store).create_user("up_b", PW, "uploader", unit=UNIT_B)
    people = {name: Accounts(store).authenticate(name, PW) for name in ("admin1", "rev1", "rev2", "up_a", "up_b")}
    assert all(people.values())
    return people  # type: ignore[return-value]


def _by_file(store: Store, viewer: Viewer, filename: str) -> dict:
    rows, _ = store.queue(viewer, limit=500)
    hit = [r for r in rows if Path(r["filename"]).name == filename]
    assert len(hit) == 1, [r["filename"] for r in rows]
    return store.agreement(viewer, hit[0]["id"])


def _count(store: Store, model: type) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)))


# ---------------------------------------------------------------------- accounts
def test_accounts_hash_passwords_and_refuse_bad_requests(store: Store):
    uid = Accounts(store).create_user("li", PW, "uploader", unit=UNIT_A, display_name="李上传")
    with store.session() as s:
        stored = s.scalar(select(store_mod.User.password_hash).where(store_mod.User.id == uid))
    assert PW not in stored and stored.startswith("$argon2id$")
    viewer = Accounts(store).authenticate("li", PW)
    assert viewer is not None and viewer.role == "uploader" and viewer.unit_name == UNIT_A
    assert viewer.display_name == "李上传" and not viewer.can_review and not viewer.sees_all_units
    assert Accounts(store).authenticate("li", "wrong-password") is None
    assert Accounts(store).authenticate("nobody", PW) is None
    with pytest.raises(StoreError, match="已存在"):
        Accounts(store).create_user("li", "another-pw", "reviewer")
    with pytest.raises(StoreError, match="上传员必须属于一个单位"):
        Accounts(store).create_user("wang", PW, "uploader")
    with pytest.raises(StoreError, match="密码至少"):
        Accounts(store).create_user("wang", "12345", "reviewer")
    with pytest.raises(StoreError, match="角色"):
        Accounts(store).create_user("wang", PW, "boss")
    with pytest.raises(StoreError, match="用户名不能为空"):
        Accounts(store).create_user("  ", PW, "reviewer")
    assert [u["name"] for u in store.units()] == [UNIT_A]  # refused requests created nothing
    Accounts(store).set_password("li", "new-secret")
    assert Accounts(store).authenticate("li", PW) is None and Accounts(store).authenticate("li", "new-secret") is not None
    Accounts(store).create_user("zhao", PW, "reviewer")
    assert [(u["username"], u["role"], u["unit"]) for u in store.users()] == [
        ("li", "uploader", UNIT_A), ("zhao", "reviewer", None)]
    assert [u["username"] for u in store.reviewers()] == ["zhao"]
    assert store.viewer(uid).username == "li"


# ---------------------------------------------------------------------- files and batches
def test_the_same_file_is_stored_once_and_not_read_again(store: Store, samples, tmp_path: Path):
    copy = tmp_path / "改名的副本.txt"
    copy.write_bytes(samples.text.read_bytes())
    batch = store.create_batch(UNIT_A, "第一批")
    doc_id, fresh = store.add_file(batch, samples.text)
    assert fresh
    again, fresh_again = store.add_file(batch, copy)
    assert again == doc_id and fresh_again  # not read yet: still to do, but one document
    assert _count(store, StoredFile) == 1 and _count(store, Document) == 1
    stored = store.file_path(SYSTEM, store_mod.sha256_file(samples.text))
    assert stored.is_relative_to(store.data_dir / "files") and stored.read_bytes() == samples.text.read_bytes()

    summary = run_batch(store, batch, workers=1)
    assert (summary.read, summary.failed, summary.agreements) == (1, 0, 1)
    later = store.create_batch(UNIT_A, "第二批")
    assert store.add_file(later, copy) == (doc_id, False)  # read before: no work
    assert store.pending(later) == []
    assert _count(store, StoredFile) == 1 and _count(store, Document) == 1
    assert store.batch_progress(later)["items"][0]["reused"] is True

    # another unit's copy of the same bytes: its own document, the reading reused
    other = store.create_batch(UNIT_B, "第一批")
    other_doc, other_fresh = store.add_file(other, samples.text)
    assert other_doc != doc_id and other_fresh is False
    assert _count(store, StoredFile) == 1 and _count(store, Document) == 2
    s = run_batch(store, other, workers=1)
    assert (s.read, s.checked, s.agreements) == (0, True, 1)  # nothing read, but checked for the unit


def test_a_batch_is_read_by_the_pipeline_and_a_broken_file_does_not_stop_it(store: Store, samples):
    seen: list[tuple[int, int, str, str]] = []
    summary = ingest_paths(store, [samples.docx, samples.text, samples.pdf, samples.broken], UNIT_A, "第一批",
                           workers=2, progress=lambda *a: seen.append(a))
    assert (summary.files, summary.read, summary.failed, summary.unchanged) == (4, 3, 1, 0)
    assert summary.checked and summary.agreements == 4
    assert sorted(a[:2] for a in seen) == [(1, 4), (2, 4), (3, 4), (4, 4)]
    progress = store.batch_progress(summary.batch_id)
    assert progress["status"] == "ready" and (progress["read"], progress["failed"]) == (3, 1)
    broken = next(i for i in progress["items"] if i["filename"] == samples.broken.name)
    assert broken["status"] == "failed" and broken["error_code"] == "corrupt_pdf"
    assert samples.broken.name in broken["error_message"]  # the name handed in, not the stored hash
    assert all(i["agreement_id"] for i in progress["items"])

    land = _by_file(store, SYSTEM, samples.text.name)
    assert land["document_status"] == "read" and land["agreement_type"] == "contracting"
    values = {f["name"]: f["value"] for f in land["fields"]}
    assert values["counterparty"] == "王建国"
    loan = _by_file(store, SYSTEM, samples.pdf.name)
    assert loan["findings"] and {f["check"] for f in loan["findings"]} >= {"over_term"}
    assert loan["document_content"]["source"]["name"] == samples.pdf.name
    failed = _by_file(store, SYSTEM, samples.broken.name)
    assert failed["document_status"] == "failed" and failed["error_code"] == "corrupt_pdf"
    rows, total = store.queue(SYSTEM)
    assert total == 4 and rows[0]["document_status"] == "failed"  # unreadable first, then by proposal and risk
    readable = [(SEVERITY_ORDER.index(r["disposition"]), -r["risk_score"]) for r in rows[1:]]
    assert readable == sorted(readable)
    # the unreadable file is not to be decided: 需重新提交 (issue 12)
    assert store.counts(SYSTEM) == {"total": 4, "pending": 3, "decided": 0, "second_review": 0, "resubmit": 1}
    assert store.queue(SYSTEM, check="over_term")[1] >= 1
    assert store.queue(SYSTEM, search="土地承包")[1] == 1  # file name
    assert store.queue(SYSTEM, search="王建国")[1] == 1  # counterparty
    assert store.queue(SYSTEM, search="100%_")[1] == 0  # LIKE wildcards are literal

    again = ingest_paths(store, [samples.docx, samples.text, samples.pdf, samples.broken], UNIT_A, workers=2)
    assert (again.read, again.failed, again.unchanged, again.checked) == (0, 0, 4, False)
    assert again.agreements == 4 and _count(store, Document) == 4


def test_a_crashed_run_resumes_with_only_the_unread_files(store: Store, samples, monkeypatch):
    paths = samples.corpus[:4]
    batch = store.create_batch(UNIT_A, "断电那批")
    for p in paths:
        store.add_file(batch, p)
    real_read = batch_mod._read_one
    read: list[str] = []

    def crashing(path: str):
        if len(read) == 2:
            raise KeyboardInterrupt  # the process dies in the middle of the third file
        read.append(path)
        return real_read(path)

    monkeypatch.setattr(batch_mod, "_read_one", crashing)
    with pytest.raises(KeyboardInterrupt):
        run_batch(store, batch, workers=1)
    progress = store.batch_progress(batch)
    assert progress["status"] == "failed" and "KeyboardInterrupt" in progress["error"]
    assert (progress["read"], progress["processing"], progress["queued"]) == (2, 1, 1)
    left = {p for _, p, _ in store.pending(batch)}
    assert len(left) == 2

    def counting(path: str):
        read.append(path)
        return real_read(path)

    read.clear()
    monkeypatch.setattr(batch_mod, "_read_one", counting)
    summary = run_batch(store, batch, workers=1)
    assert {Path(p) for p in read} == left  # only what the crash left
    assert (summary.read, summary.checked, summary.agreements) == (2, True, 4)
    assert store.batch_progress(batch)["status"] == "ready"

    read.clear()
    summary = run_batch(store, batch, workers=1)
    assert read == [] and (summary.read, summary.checked, summary.agreements) == (0, False, 4)


def test_a_crash_during_the_checks_is_checked_on_the_next_run(store: Store, samples, monkeypatch):
    batch = store.create_batch(UNIT_A, "检查时中断")
    for p in samples.corpus[:3]:
        store.add_file(batch, p)

    def boom(*_a, **_k):
        raise RuntimeError("killed while checking")

    monkeypatch.setattr(batch_mod, "check_unit", boom)
    with pytest.raises(RuntimeError):
        run_batch(store, batch, workers=1)
    assert store.batch_progress(batch)["status"] == "failed" and store.counts(SYSTEM)["total"] == 0
    monkeypatch.undo()
    summary = run_batch(store, batch, workers=1)
    assert (summary.read, summary.checked, summary.agreements) == (0, True, 3)


def test_a_reading_that_crashed_is_tried_again_a_few_times(store: Store, samples, monkeypatch):
    batch = store.create_batch(UNIT_A, "读取出错")
    bad_id, _ = store.add_file(batch, samples.corpus[0])
    store.add_file(batch, samples.corpus[1])
    real_read = batch_mod._read_one
    bad_path = str(store.file_path(SYSTEM, store_mod.sha256_file(samples.corpus[0])))

    def flaky(path: str):
        if path == bad_path:
            raise RuntimeError("worker died")
        return real_read(path)

    monkeypatch.setattr(batch_mod, "_read_one", flaky)
    first = run_batch(store, batch, workers=1)
    assert (first.read, first.failed, first.agreements) == (1, 1, 1)  # the batch went on
    item = next(i for i in store.batch_progress(batch)["items"] if i["document_id"] == bad_id)
    assert item["status"] == "failed" and item["error_code"] == "internal_error"
    assert "worker died" in item["error_message"]
    for _ in range(store_mod.MAX_ATTEMPTS - 1):
        assert [d for d, _, _ in store.pending(batch)] == [bad_id]
        run_batch(store, batch, workers=1)
    assert store.pending(batch) == []  # given up after MAX_ATTEMPTS
    monkeypatch.undo()
    store.add_file(store.create_batch(UNIT_A, "重新上传"), samples.corpus[0])  # handed in again: tried again
    assert [d for d, _, _ in store.pending(store.create_batch(UNIT_A, "重新上传"))] == [bad_id]


# ---------------------------------------------------------------------- reviewing
@pytest.fixture
def reviewed(store: Store, samples) -> tuple[Store, dict[str, Viewer]]:
    people = _people(store)
    ingest_paths(store, [samples.docx, samples.text], UNIT_A, "甲镇第一批", workers=1, viewer=people["up_a"])
    ingest_paths(store, [samples.pdf], UNIT_B, "乙乡第一批", workers=1, viewer=people["up_b"])
    return store, people


def test_corrections_are_kept_apart_from_the_machine_reading(reviewed):
    store, people = reviewed
    land = _by_file(store, people["rev1"], "集体土地承包合同.txt")
    machine = next(f for f in land["fields"] if f["name"] == "counterparty")["machine"]
    store.correct(people["rev1"], land["id"], "counterparty", "王建民", note="身份证核对为王建民")
    after = store.agreement(people["rev1"], land["id"])
    field = next(f for f in after["fields"] if f["name"] == "counterparty")
    assert field["value"] == "王建民" and field["machine"] == machine and machine["value"] == "王建国"
    assert field["correction"]["by"] == "审查员甲" and field["correction"]["note"] == "身份证核对为王建民"
    assert after["record"]["fields"]["counterparty"]["value"] == "王建国"  # the machine's record is untouched
    with store.session() as s:
        assert s.get(Agreement, land["id"]).record["fields"]["counterparty"]["value"] == "王建国"
    store.correct(people["rev2"], land["id"], "counterparty", "王建国", note="复核：原识别正确")
    latest = store.agreement(people["rev1"], land["id"])
    assert next(f for f in latest["fields"] if f["name"] == "counterparty")["correction"]["by"] == "审查员乙"
    assert [h["what"] for h in latest["history"]] == ["更正", "更正"]
    assert _count(store, Correction) == 2
    with pytest.raises(StoreError, match="未知字段"):
        store.correct(people["rev1"], land["id"], "colour", "red")


def test_finding_reviews_need_a_reason_to_dismiss(reviewed):
    store, people = reviewed
    land = _by_file(store, people["rev1"], "集体土地承包合同.txt")
    check = land["findings"][0]["check"]
    with pytest.raises(StoreError, match="理由"):
        store.review_finding(people["rev1"], land["id"], check, "dismissed", "  ")
    with pytest.raises(StoreError, match="没有"):
        store.review_finding(people["rev1"], land["id"], "side_contract", "confirmed")
    with pytest.raises(StoreError, match="操作"):
        store.review_finding(people["rev1"], land["id"], check, "ignored")
    store.review_finding(people["rev1"], land["id"], check, "confirmed")
    store.review_finding(people["rev2"], land["id"], check, "dismissed", "合同附件中已有相应条款")
    view = store.agreement(people["rev1"], land["id"])
    review = next(f for f in view["findings"] if f["check"] == check)["review"]
    assert (review["action"], review["by"], review["reason"]) == ("dismissed", "审查员乙", "合同附件中已有相应条款")
    assert [h["what"] for h in view["history"]] == ["确认发现", "排除发现"]
    row = next(r for r in ledger_rows(store, people["rev1"]) if r["文件"] == "集体土地承包合同.txt")
    from contract_review.labels import CHECK_LABELS

    assert CHECK_LABELS[check] not in row["审查发现"]  # a dismissed finding leaves the ledger


def test_decisions_are_an_append_only_history_and_the_latest_wins(reviewed):
    store, people = reviewed
    loan = _by_file(store, people["rev1"], "国有资产出借协议.pdf")
    with pytest.raises(StoreError, match="处理决定"):
        store.decide(people["rev1"], loan["id"], "burn", version=loan["version"])
    seen = store.decide(people["rev1"], loan["id"], "fixable", "补充审批手续", version=loan["version"])
    store.decide(people["rev2"], loan["id"], "void", "超过法定最长期限", version=seen)
    view = store.agreement(people["admin1"], loan["id"])
    # a void decision awaits a second reviewer (复核, issue 12)
    assert view["status"] == "second_review" and view["decision"] == "void" and view["reviewer"] == "审查员乙"
    assert [(d["disposition"], d["by"], d["note"]) for d in view["decisions"]] == [
        ("fixable", "审查员甲", "补充审批手续"), ("void", "审查员乙", "超过法定最长期限")]
    assert all(d["at"] is not None for d in view["decisions"])
    assert view["decisions"][0]["at"] <= view["decisions"][1]["at"]
    assert [h["what"] for h in view["history"]] == ["处理决定", "处理决定"]
    assert _count(store, Decision) == 2
    assert store.counts(people["rev1"]) == {"total": 3, "pending": 2, "decided": 0, "second_review": 1, "resubmit": 0}
    assert store.queue(people["rev1"], status="second_review")[0][0]["reviewer"] == "审查员乙"
    assert store.queue(people["rev1"], reviewer_id=people["rev2"].user_id)[1] == 1
    store.decide(people["rev1"], loan["id"], "void", "复核同意", version=2)  # a second reviewer confirms
    assert store.counts(people["rev1"]) == {"total": 3, "pending": 2, "decided": 1, "second_review": 0, "resubmit": 0}
    assert store.queue(people["rev1"], status="decided")[0][0]["reviewer"] == "审查员甲"
    rows, _ = store.queue(people["rev1"])
    assert rows[-1]["id"] == loan["id"]  # decided ones after the pending ones


def test_uploaders_and_the_command_line_cannot_review(reviewed):
    store, people = reviewed
    own = _by_file(store, people["up_a"], "集体土地承包合同.txt")
    for who in (people["up_a"], SYSTEM):
        with pytest.raises(AccessDenied):
            store.correct(who, own["id"], "counterparty", "x")
        with pytest.raises(AccessDenied):
            store.review_finding(who, own["id"], own["findings"][0]["check"], "confirmed")
        with pytest.raises(AccessDenied):
            store.decide(who, own["id"], "compliant", version=own["version"])
    with pytest.raises(AccessDenied):
        save_config(store, people["rev1"], "profile", "rent:\n  peer_min_count: 3\n")
    assert _count(store, Decision) == 0 and _count(store, Correction) == 0


def test_an_uploader_sees_only_the_own_unit(reviewed):
    store, people = reviewed
    up_a, up_b, rev = people["up_a"], people["up_b"], people["rev1"]
    own_rows, own_total = store.queue(up_a)
    assert own_total == 2 and {r["unit"] for r in own_rows} == {UNIT_A}
    other = _by_file(store, rev, "国有资产出借协议.pdf")
    assert store.queue(up_a, unit_id=other["unit_id"]) == ([], 0)
    assert store.queue(up_a, search="出借")[1] == 0
    assert other["id"] not in store.queue_ids(up_a)
    assert store.counts(up_a)["total"] == 2 and store.counts(rev)["total"] == 3
    with pytest.raises(AccessDenied):
        store.agreement(up_a, other["id"])
    assert {r["单位"] for r in ledger_rows(store, up_a)} == {UNIT_A} and len(ledger_rows(store, rev)) == 3
    stats = stats_of(store, up_a)
    assert stats["total"] == 2 and set(stats["per_unit"]) == {UNIT_A}
    assert set(stats_of(store, rev)["per_unit"]) == {UNIT_A, UNIT_B}
    own_batches = store.batches(up_a)
    assert [b["unit"] for b in own_batches] == [UNIT_A] and len(store.batches(rev)) == 2
    other_batch = next(b for b in store.batches(rev) if b["unit"] == UNIT_B)
    with pytest.raises(AccessDenied):
        store.batch_progress(other_batch["id"], up_a)
    assert store.batch_progress(other_batch["id"], up_b)["unit"] == UNIT_B
    assert [u["name"] for u in store.units(up_a)] == [UNIT_A]
    with pytest.raises(AccessDenied):
        store.create_batch(UNIT_B, "冒名上传", viewer=up_a)


def test_related_agreements_of_another_unit_are_not_shown(store: Store, samples):
    people = _people(store)
    ingest_paths(store, list(samples.side_pair), UNIT_A, "阴阳合同", workers=1)
    rows, _ = store.queue(people["up_a"], check="side_contract")
    assert len(rows) == 2
    first = store.agreement(people["up_a"], rows[0]["id"])
    finding = next(f for f in first["findings"] if f["check"] == "side_contract")
    assert [r["agreement_id"] for r in finding["related"]] == [rows[1]["id"]]
    assert finding["related"][0]["filename"] == Path(rows[1]["filename"]).name
    # the explanation names the other file as it was handed in, never the store's own path
    assert rows[1]["filename"] in finding["explanation"] and "files/" not in finding["explanation"]
    # were the other agreement another unit's, its link is the uploader's no longer
    unit_b = store.ensure_unit(UNIT_B)
    with store.session() as s:
        s.execute(update(Agreement).where(Agreement.id == rows[1]["id"]).values(unit_id=unit_b))
    hidden = store.agreement(people["up_a"], rows[0]["id"])
    assert next(f for f in hidden["findings"] if f["check"] == "side_contract")["related"] == []
    shown = store.agreement(people["rev1"], rows[0]["id"])
    assert len(next(f for f in shown["findings"] if f["check"] == "side_contract")["related"]) == 1


def test_checking_the_unit_again_keeps_every_review(reviewed, samples):
    store, people = reviewed
    land = _by_file(store, people["rev1"], "集体土地承包合同.txt")
    check = land["findings"][0]["check"]
    store.correct(people["rev1"], land["id"], "counterparty", "王建民")
    store.review_finding(people["rev1"], land["id"], check, "dismissed", "已补充")
    store.decide(people["rev1"], land["id"], "compliant", "整改完毕", version=land["version"])
    summary = ingest_paths(store, [samples.corpus[0]], UNIT_A, "甲镇第二批", workers=1)
    assert summary.checked and summary.agreements == 3
    assert batch_mod.check_unit(store, land["unit_id"]) == 3
    again = store.agreement(people["rev1"], land["id"])
    assert again["id"] == land["id"] and again["status"] == "decided" and again["decision"] == "compliant"
    assert next(f for f in again["fields"] if f["name"] == "counterparty")["value"] == "王建民"
    assert next(f for f in again["findings"] if f["check"] == check)["review"]["action"] == "dismissed"
    assert [h["what"] for h in again["history"]] == ["更正", "排除发现", "处理决定"]
    assert again["checked_at"] > land["checked_at"]


# ---------------------------------------------------------------------- ledger and statistics
def test_ledger_rows_and_exports(reviewed, tmp_path: Path):
    store, people = reviewed
    land = _by_file(store, people["rev1"], "集体土地承包合同.txt")
    store.decide(people["rev1"], land["id"], "fixable", "补充集体经济组织决议", version=land["version"])
    rows = ledger_rows(store, SYSTEM)
    assert [r["序号"] for r in rows] == [1, 2, 3]
    assert set(LEDGER_COLUMNS) <= set(rows[0]) <= set(csv_columns()) | {"_问题"}  # + the note and the problems
    row = next(r for r in rows if r["文件"] == "集体土地承包合同.txt")
    assert row["单位"] == UNIT_A and row["合作方"] == "王建国" and row["协议类型"] == "承包经营"
    assert row["收费标准（元）"] == 17800 and row["收费周期"] == "每年" and row["签订时间"] == date(2019, 12, 16)
    assert (row["履约期限（起）"], row["履约期限（止）"], row["履约期限（月）"]) == (date(2020, 1, 1), date(2034, 12, 31), 180)
    assert row["处理决定"] == "可整改" and row["审查人"] == "审查员甲" and row["决定说明"] == "补充集体经济组织决议"
    assert isinstance(row["决定日期"], date) and row["审查发现"]
    store.correct(people["rev1"], land["id"], "counterparty", "王建民")
    assert next(r for r in ledger_rows(store, SYSTEM) if r["文件"] == row["文件"])["合作方"] == "王建民"
    assert len(ledger_rows(store, SYSTEM, unit_id=land["unit_id"])) == 2

    xlsx = write_ledger(rows, tmp_path / "台账.xlsx")
    sheet = load_workbook(xlsx).active
    assert [c.value for c in sheet[2]] == list(LEDGER_COLUMNS)
    cells = {sheet.cell(row=2, column=i + 1).value: i + 1 for i in range(len(LEDGER_COLUMNS))}
    values = [sheet.cell(row=r, column=cells["合作方"]).value for r in range(3, 6)]
    assert "王建国" in values and sheet.max_row == 5
    csv_path = write_ledger(rows, tmp_path / "台账.csv")
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].split(",") == csv_columns() and "王建国" in text and "2019-12-16" in text
    with pytest.raises(ValueError, match="xlsx 或 csv"):
        write_ledger(rows, tmp_path / "台账.txt")


def test_statistics(reviewed):
    store, people = reviewed
    land = _by_file(store, people["rev1"], "集体土地承包合同.txt")
    store.decide(people["rev1"], land["id"], "fixable", version=land["version"])
    stats = stats_of(store, people["admin1"])
    assert stats["total"] == 3 and stats["decided"] == 1
    assert stats["per_unit"] == {UNIT_A: 2, UNIT_B: 1} and stats["per_unit_decided"] == {UNIT_A: 1}
    assert stats["per_decision"] == {"fixable": 1} and sum(stats["per_proposal"].values()) == 3
    assert sum(stats["decisions_per_day"].values()) == 1 and stats["per_check"]


# ---------------------------------------------------------------------- configuration
MARKET_CSV = "asset_kind,location,unit,unit_rent,date\nshop,安平县青山镇,m2_month,30,2026-01-01\n"


def test_configuration_is_validated_and_the_check_context_keeps_no_file(reviewed):
    store, people = reviewed
    admin = people["admin1"]
    assert store.config("market") is None
    save_config(store, admin, "market", "\ufeff" + MARKET_CSV, "青山镇租金.csv")
    save_config(store, admin, "profile", "rent:\n  peer_min_count: 7\n", "本县.yaml")
    save_config(store, admin, "profile", "rent:\n  peer_min_count: 5\n", "本县v2.yaml")
    assert store.config("profile")["filename"] == "本县v2.yaml"
    ctx = check_context_in_force(store)
    assert ctx.profile.rent.peer_min_count == 5 and ctx.profile.source == "本县v2.yaml"
    assert [(r.asset_kind, r.township, r.unit_rent) for r in ctx.market.rows] == [("shop", "青山镇", 30.0)]
    assert ctx.market.source == "青山镇租金.csv"  # parsed, not a path to a file that is gone
    assert batch_mod.check_unit(store, store.ensure_unit(UNIT_A), ctx) == 2


@pytest.mark.parametrize("content, message", [
    ("asset_kind,location,rent,date\nshop,安平县青山镇,30,2026-01-01\n", "缺少列：参考单价"),
    ("asset_kind,location,unit,unit_rent\n", "没有数据行"),
    ("asset_kind,location,unit,unit_rent\ncastle,安平县青山镇,m2_month,30\n", "第 2 行：资产类别「castle」不可识别"),
    ("asset_kind,location,unit,unit_rent\nland,安平县青山镇,m2_month,30\n", "土地的计价单位应为元/亩·年"),
    ("asset_kind,location,unit,unit_rent\nshop,安平县青山镇,m2_month,0\n", "第 2 行：参考单价应为正数"),
    ("asset_kind,location,unit,unit_rent\nshop,安平县青山镇,m2_month,三十\n", "参考单价「三十」不是数值"),
    ("asset_kind,location,unit,unit_rent,date\nshop,安平县青山镇,m2_month,30,2026年1月\n", "调查日期「2026年1月」不是有效日期"),
    ("asset_kind,location,unit,unit_rent\nshop,,m2_month,30\n", "第 2 行：地点为空"),
    ("   ", "文件为空"),
])
def test_a_bad_market_reference_is_refused_with_a_clear_message(content: str, message: str):
    with pytest.raises(StoreError, match=message) as err:
        validate_config("market", content, "租金参考.csv")
    assert "/tmp" not in str(err.value)  # names the uploaded file, not a temporary path


def test_a_bad_profile_is_refused_naming_the_key(store: Store):
    with pytest.raises(StoreError, match="rent.peer_min_count"):
        validate_config("profile", "rent:\n  peer_min_count: 1\n", "本县.yaml")
    with pytest.raises(StoreError, match="本县.yaml.*rent.no_such_key"):
        validate_config("profile", "rent:\n  no_such_key: 1\n", "本县.yaml")
    with pytest.raises(StoreError, match="YAML"):
        validate_config("profile", "rent: [\n", "本县.yaml")
    with pytest.raises(StoreError, match="未知设置类型"):
        validate_config("colours", "x", "")
    Accounts(store).create_user("admin", PW, "admin")
    admin = Accounts(store).authenticate("admin", PW)
    with pytest.raises(StoreError):
        save_config(store, admin, "profile", "rent:\n  peer_min_count: 1\n", "本县.yaml")
    assert store.config("profile") is None


def test_records_survive_a_json_round_trip(reviewed):
    store, people = reviewed
    view = _by_file(store, people["rev1"], "门面房屋租赁合同.docx")
    assert json.loads(json.dumps(view["record"], ensure_ascii=False)) == view["record"]
    assert view["document_content"]["version"] >= 1  # the ingest Document as stored


def test_unreadable_files_head_the_pending_queue(tmp_path):
    """A lawyer working the queue top-down meets a file that could not be read before the
    risk-ordered agreements: nobody knows its risk until it is scanned again."""
    from contract_review.batch import ingest_paths
    from contract_review.store import SYSTEM, Store
    from corpus.render import render_text
    from corpus.samples import LEASE

    store = Store(data_dir=tmp_path / "store")
    good = tmp_path / "lease.txt"
    render_text(LEASE.blocks, good)
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    ingest_paths(store, [good, bad], unit="城关镇", workers=1)
    rows, total = store.queue(SYSTEM)
    assert total == 2
    assert [r["filename"] for r in rows] == ["broken.pdf", "lease.txt"]
    assert rows[0]["document_status"] == "failed"
    assert store.queue_ids(SYSTEM) == [r["id"] for r in rows]
