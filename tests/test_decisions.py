"""Decisions on SQLite and PostgreSQL: a decision carries the version its reviewer saw and is
refused when another was recorded since (issue 11, failure 1); the in-force decision is the
last entry of the history; the history is append-only and one hash chain that
``contract-review audit verify`` checks, naming the first entry someone changed behind the
store's back; migration 0002 chains the decisions of an older store and repairs an in-force
decision its history contradicts."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DatabaseError, IntegrityError

from contract_review.cli import main
from contract_review.ledger import ledger_rows
from contract_review.store import StaleDecision, Store, StoreError, db, local_time
from contract_review.store.schema import Agreement, Decision
from store_fixtures import make_agreements, make_reviewers

STALE = re.compile(r"^该协议已由(.+)于(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)作出决定，请刷新后再决定$")


@pytest.fixture
def desk(store: Store):
    """Three agreements and two reviewers (审查员甲, 审查员乙)."""
    ids = make_agreements(store, 3)
    rev1, rev2 = (store.viewer(u) for u in make_reviewers(store, ["审查员甲", "审查员乙"]))
    return store, ids, rev1, rev2


@pytest.fixture
def store_cli_env(db_url: str, store_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line reaches the test's store."""
    monkeypatch.setenv("CONTRACT_REVIEW_DB_URL", db_url)


def _tamper(store: Store, *statements: str) -> None:
    """Change the history as someone with the database's password would: around the triggers."""
    with store.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ALTER TABLE decisions DISABLE TRIGGER USER")
        else:
            conn.exec_driver_sql("DROP TRIGGER decisions_no_update")
            conn.exec_driver_sql("DROP TRIGGER decisions_no_delete")
        for sql in statements:
            conn.exec_driver_sql(sql)
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ALTER TABLE decisions ENABLE TRIGGER USER")


# ---------------------------------------------------------------------- optimistic locking
def test_a_stale_decision_is_refused_naming_who_decided_and_when(desk):
    store, ids, rev1, rev2 = desk
    aid = ids[0]
    seen_by_1 = store.agreement(rev1, aid)
    seen_by_2 = store.agreement(rev2, aid)  # both open the same agreement, undecided
    assert seen_by_1["version"] == seen_by_2["version"] == 0
    assert store.decide(rev1, aid, "void", "超过法定最长期限", version=seen_by_1["version"]) == 1
    with pytest.raises(StaleDecision) as refused:
        store.decide(rev2, aid, "compliant", "手续齐全", version=seen_by_2["version"])
    m = STALE.match(str(refused.value))
    assert m, str(refused.value)
    now = store.agreement(rev2, aid)
    assert m.group(1) == "审查员甲"
    assert m.group(2) == f"{local_time(now['decisions'][-1]['at']):%Y-%m-%d %H:%M:%S}"
    # nothing of the refused decision was kept; the one in force is the last in the history
    assert [(d["disposition"], d["by"]) for d in now["decisions"]] == [("void", "审查员甲")]
    # (a void decision by one reviewer awaits a second reviewer's 复核 since issue 12)
    assert (now["status"], now["decision"], now["reviewer"], now["version"]) == ("second_review", "void", "审查员甲", 1)
    # having seen it, the second reviewer may decide otherwise
    assert store.decide(rev2, aid, "fixable", "补充审批手续后整改", version=now["version"]) == 2
    final = store.agreement(rev1, aid)
    assert (final["decision"], final["reviewer"], final["version"]) == ("fixable", "审查员乙", 2)
    assert [d["note"] for d in final["decisions"]] == ["超过法定最长期限", "补充审批手续后整改"]
    row = next(r for r in ledger_rows(store, rev1) if r["文件"] == final["filename"])
    assert (row["处理决定"], row["审查人"], row["决定说明"]) == ("可整改", "审查员乙", "补充审批手续后整改")
    with pytest.raises(StaleDecision):  # a version nobody saw is refused too
        store.decide(rev1, aid, "void", version=7)
    assert store.audit_report().ok


def test_the_same_version_cannot_be_decided_twice_even_around_the_store(desk):
    """The database itself holds one decision per (agreement, version) and per chain position."""
    store, ids, rev1, _ = desk
    store.decide(rev1, ids[0], "void", version=0)
    with store.session() as s:
        first = s.scalar(select(Decision))
        twin = Decision(agreement_id=first.agreement_id, version=first.version, disposition="compliant", note="",
                        user_id=first.user_id, created_at=first.created_at, seq=first.seq + 1,
                        prev_hash=first.hash, hash="0" * 64)
    with pytest.raises(IntegrityError):
        with store.session() as s:
            s.add(twin)


def test_decisions_are_append_only_in_the_database(desk):
    store, ids, rev1, _ = desk
    store.decide(rev1, ids[0], "void", "原说明", version=0)
    for sql in ("UPDATE decisions SET note = '改过的说明'", "DELETE FROM decisions"):
        with pytest.raises(DatabaseError, match="append-only"):
            with store.engine.begin() as conn:
                conn.exec_driver_sql(sql)
    assert [d["note"] for d in store.agreement(rev1, ids[0])["decisions"]] == ["原说明"]


# ---------------------------------------------------------------------- the hash chain
def _decide_a_few(store: Store, ids: list[int], rev1, rev2) -> None:
    v = store.decide(rev1, ids[0], "void", "第一次", version=0)
    store.decide(rev2, ids[1], "compliant", "合规", version=0)
    store.decide(rev2, ids[0], "fixable", "改为整改：补签", version=v)
    store.decide(rev1, ids[2], "re-sign", "重新签订", version=0)


def test_audit_verify_passes_on_an_untouched_history(desk, store_cli_env, capsys):
    store, ids, rev1, rev2 = desk
    _decide_a_few(store, ids, rev1, rev2)
    report = store.audit_report()
    assert report.ok and report.entries == 4 and report.head_seq == 4 and report.agreements == 3
    code = main(["audit", "verify"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "决定历史完整：4 条决定，3 份协议" in out and report.head_hash in out


@pytest.mark.parametrize("tampering, seq, says", [
    ("UPDATE decisions SET note = '说明被悄悄改了' WHERE seq = 2", 2, "内容与哈希不符"),
    ("UPDATE decisions SET disposition = 'compliant' WHERE seq = 3", 3, "内容与哈希不符"),
    ("DELETE FROM decisions WHERE seq = 2", 3, "序号应为 2"),
    ("DELETE FROM decisions WHERE seq = 4", 4, "链头"),
])
def test_audit_verify_names_the_first_entry_changed_by_sql(desk, store_cli_env, capsys, tampering, seq, says):
    store, ids, rev1, rev2 = desk
    _decide_a_few(store, ids, rev1, rev2)
    _tamper(store, tampering)
    report = store.audit_report()
    assert not report.ok
    first = report.first_broken
    assert first.seq == seq and says in first.message, [str(p) for p in report.problems]
    code = main(["audit", "verify"])
    out, err = capsys.readouterr()
    assert code == 2
    assert "决定历史已被改动" in err and f"第 {seq} 条" in err.splitlines()[1], err


def test_audit_verify_sees_an_in_force_decision_changed_by_sql(desk):
    store, ids, rev1, rev2 = desk
    _decide_a_few(store, ids, rev1, rev2)
    with store.session() as s:
        s.get(Agreement, ids[1]).decision = "void"  # the history says compliant
    first = store.audit_report().first_broken
    assert first is not None and first.agreement_id == ids[1] and "现行决定" in first.message


# ---------------------------------------------------------------------- migration 0002
def test_migration_chains_old_decisions_and_repairs_a_contradicted_in_force_decision(db_url: str, tmp_path: Path,
                                                                                     store_env: None):
    old = Store(url=db_url, data_dir=tmp_path / "store", migrate=False)
    db.upgrade(old.engine, "0001")
    t0 = datetime(2026, 12, 1, 8, 0, 0, 123456)
    with old.engine.begin() as conn:  # what two reviewers racing left behind before this issue
        conn.exec_driver_sql("INSERT INTO units (id, name, created_at) VALUES (1, '甲镇', '2026-12-01')")
        for uid, name in ((1, "审查员甲"), (2, "审查员乙")):
            conn.exec_driver_sql(
                "INSERT INTO users (id, username, display_name, password_hash, role, active, created_at) "
                f"VALUES ({uid}, 'r{uid}', '{name}', '!', 'reviewer', true, '2026-12-01')")
        conn.exec_driver_sql("INSERT INTO batches (id, name, unit_id, status, created_at) "
                             "VALUES (1, 'b', 1, 'ready', '2026-12-01')")
        conn.exec_driver_sql("INSERT INTO files (sha256, size, path, first_name, created_at) "
                             "VALUES ('ab', 0, 'files/ab/ab.txt', 'a.txt', '2026-12-01')")
        conn.exec_driver_sql("INSERT INTO documents (id, unit_id, file_sha256, filename, batch_id, status, attempts, "
                             "created_at, updated_at) VALUES (1, 1, 'ab', 'a.txt', 1, 'read', 1, '2026-12-01', "
                             "'2026-12-01')")
        conn.exec_driver_sql(
            "INSERT INTO agreements (id, document_id, unit_id, record, title, risk_score, disposition, checks, status, "
            f"decision, reviewer_id, decided_at, checked_at) VALUES (1, 1, 1, '{{\"fields\": {{}}}}', 'a', 0.5, "
            f"'void', ',', 'decided', 'void', 1, '{t0}', '2026-12-01')")
        for i, (uid, disposition, note) in enumerate(((1, "void", "甲的说明"), (2, "compliant", "乙的说明"))):
            conn.exec_driver_sql("INSERT INTO decisions (agreement_id, disposition, note, user_id, created_at) "
                                 f"VALUES (1, '{disposition}', '{note}', {uid}, '{t0 + timedelta(seconds=i)}')")
    old.close()
    store = Store(url=db_url, data_dir=tmp_path / "store")  # migrates to the head
    try:
        assert store.audit_report().ok, [str(p) for p in store.audit_report().problems]
        a = store.agreement(store.viewer(1), 1)
        assert (a["decision"], a["reviewer"], a["version"]) == ("compliant", "审查员乙", 2)
        with store.session() as s:
            row = s.get(Agreement, 1)
            assert (row.decision, row.reviewer_id, row.version) == ("compliant", 2, 2)
        assert store.decide(store.viewer(1), 1, "void", version=2) == 3
        assert store.audit_report().entries == 3
    finally:
        store.close()


def test_decide_refuses_unknown_dispositions_before_anything_else(desk):
    store, ids, rev1, _ = desk
    with pytest.raises(StoreError, match="处理决定"):
        store.decide(rev1, ids[0], "burn", version=0)
    assert store.audit_report().entries == 0
