"""Issue 11, failure 1, under load: eight reviewers (processes) decide the same few agreements as
fast as they can for 20 s while a ninth process reads, on SQLite and on PostgreSQL. Every
decision names the version its reviewer saw. Asserted: not one moment where an agreement's
in-force decision, reviewer, time or version disagrees with the last entry of its history (read
in one statement, so in one snapshot), none at the end either (nor in the ledger's 决定说明), the
hash chain intact, and stale decisions refused — many of them, and one more on purpose.

Before this issue the same load left 4 agreements (SQLite) and 1 (PostgreSQL) whose in-force
decision came from one reviewer and the last history entry from another."""

from __future__ import annotations

import multiprocessing as mp
import random
import time
from typing import Any

import pytest
from sqlalchemy import text

from contract_review.ledger import ledger_rows
from contract_review.store import SYSTEM, StaleDecision, Store
from contract_review.store.schema import DECISIONS
from store_fixtures import make_agreements, make_reviewers

WRITERS = 8
AGREEMENTS = 4
SECONDS = 20.0

# one statement: one snapshot on SQLite and PostgreSQL alike
IN_FORCE_VS_LAST = text("""
    SELECT a.id, a.status, a.decision, a.reviewer_id, a.decided_at, a.version,
           d.disposition, d.user_id, d.created_at, d.version
    FROM agreements a
    LEFT JOIN decisions d ON d.agreement_id = a.id
         AND d.version = (SELECT max(d2.version) FROM decisions d2 WHERE d2.agreement_id = a.id)
""")


def _disagreements(rows: list[Any]) -> list[int]:
    bad = []
    for aid, status, decision, reviewer, decided_at, version, last, last_by, last_at, last_version in rows:
        expected = ("decided", last, last_by, last_at, last_version) if last is not None else ("pending", None, None,
                                                                                             None, 0)
        if last == "void" and status == "second_review":
            status = "decided"  # a void decision awaiting 复核 (issue 12): the same entry, not yet confirmed
        if (status, decision, reviewer, decided_at, version) != expected:
            bad.append(aid)
    return bad


def _writer(url: str, data_dir: str, user_id: int, ids: list[int], seed: int, ready: Any, go: Any, out: Any) -> None:
    store = Store(url=url, data_dir=data_dir, migrate=False)
    viewer = store.viewer(user_id)
    rnd = random.Random(seed)
    done = refused = 0
    ready.put(user_id)
    go.wait()
    deadline = time.monotonic() + SECONDS
    while time.monotonic() < deadline:
        aid = rnd.choice(ids)
        seen = store.agreement(viewer, aid)["version"]
        time.sleep(rnd.random() * 0.004)  # the reviewer reads the page
        try:
            store.decide(viewer, aid, rnd.choice(DECISIONS), f"{viewer.display_name}的第 {done + 1} 个决定",
                         version=seen)
            done += 1
        except StaleDecision:
            refused += 1
    store.close()
    out.put(("writer", done, refused))


def _reader(url: str, data_dir: str, ids: list[int], ready: Any, go: Any, out: Any) -> None:
    store = Store(url=url, data_dir=data_dir, migrate=False)
    reads = seen_bad = 0
    ready.put("reader")
    go.wait()
    deadline = time.monotonic() + SECONDS
    while time.monotonic() < deadline:
        with store.engine.connect() as conn:
            seen_bad += len(_disagreements(conn.execute(IN_FORCE_VS_LAST).all()))
        for aid in ids:  # what the detail page shows agrees with itself
            a = store.agreement(SYSTEM, aid)
            last = a["decisions"][-1] if a["decisions"] else None
            if last and (a["decision"], a["reviewer"], a["decided_at"], a["version"]) != (
                    last["disposition"], last["by"], last["at"], last["version"]):
                seen_bad += 1
        reads += 1
    store.close()
    out.put(("reader", reads, seen_bad))


@pytest.mark.slow
def test_eight_reviewers_deciding_at_once_never_leave_a_decision_the_history_contradicts(store: Store, capsys):
    ids = make_agreements(store, AGREEMENTS)
    users = make_reviewers(store, [f"审查员{i + 1}" for i in range(WRITERS)])
    ctx = mp.get_context("spawn")  # fresh interpreters: no connection shared with this process
    ready, out, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    url, data_dir = store.url, str(store.data_dir)
    procs = [ctx.Process(target=_writer, args=(url, data_dir, uid, ids, i, ready, go, out))
             for i, uid in enumerate(users)]
    procs.append(ctx.Process(target=_reader, args=(url, data_dir, ids, ready, go, out)))
    for p in procs:
        p.start()
    try:
        for _ in procs:
            ready.get(timeout=120)
        started = time.monotonic()
        go.set()
        results = [out.get(timeout=SECONDS + 120) for _ in procs]
        elapsed = time.monotonic() - started
    finally:
        for p in procs:
            p.join(timeout=30)
            if p.is_alive():
                p.kill()
    assert all(p.exitcode == 0 for p in procs), [p.exitcode for p in procs]
    accepted = sum(r[1] for r in results if r[0] == "writer")
    refused = sum(r[2] for r in results if r[0] == "writer")
    reads, seen_bad = next((r[1], r[2]) for r in results if r[0] == "reader")

    with store.engine.connect() as conn:
        final_bad = _disagreements(conn.execute(IN_FORCE_VS_LAST).all())
    report = store.audit_report()
    last = {a["filename"]: a["decisions"][-1] for a in (store.agreement(SYSTEM, i) for i in ids) if a["decisions"]}
    ledger_bad = sum(1 for row in ledger_rows(store, SYSTEM) if row["文件"] in last and (row["审查人"], row["决定说明"])
                     != (last[row["文件"]]["by"], last[row["文件"]]["note"]))
    with capsys.disabled():
        print(f"\n[{store.engine.dialect.name}] {WRITERS} writers + 1 reader, {elapsed:.1f} s: "
              f"{accepted + refused} decisions tried, {accepted} recorded, {refused} refused as stale; "
              f"{reads} reader passes; disagreements: {seen_bad} while running, {len(final_bad)} at the end, "
              f"{ledger_bad} in the ledger; chain {report.entries} entries, intact={report.ok}")
    assert accepted > 0 and refused > 0  # they did race, and stale decisions were refused
    assert reads > 0
    assert seen_bad == 0 and final_bad == [] and ledger_bad == 0
    assert report.ok, [str(p) for p in report.problems[:5]]
    assert report.entries == accepted
    # one more, on purpose: a decision on a page from before the race is refused
    first = store.viewer(users[0])
    with pytest.raises(StaleDecision, match="^该协议已由审查员\\d于.+作出决定，请刷新后再决定$"):
        store.decide(first, ids[0], "void", "过时页面上的决定", version=0)
    assert store.audit_report().entries == accepted
