"""The tamper-evident decision history: one hash chain over every decision in the store.

Each decision row carries ``seq`` (its position in the chain, 1, 2, ...), ``prev_hash`` (the
previous entry's hash; :data:`GENESIS` for the first) and ``hash`` = SHA-256 of the entry's
canonical serialisation (:func:`canonical`), which covers ``prev_hash``. Changing, removing or
reordering an entry therefore breaks the chain at that entry; removing entries from the end is
seen against the chain head (``decision_chain_head``), which every decision updates in the same
transaction.

The database refuses UPDATE and DELETE on ``decisions`` (triggers, migration 0002); the chain
is what still tells when someone went around that. It proves nothing against a person who
rewrites the whole chain and its head: keep the head hash printed by ``contract-review audit
verify`` somewhere else (a signed report, the minutes) to pin the history to a date.

Canonical serialisation, format 1 (never change it; a new format gets a new number): a JSON
object with exactly the keys ``format`` (1), ``seq``, ``agreement_id``, ``version``,
``disposition``, ``note``, ``user_id``, ``created_at`` (naive UTC,
``YYYY-MM-DDTHH:MM:SS.ffffff``) and ``prev_hash``; keys sorted, no whitespace
(``separators=(",", ":")``), non-ASCII characters as they are (``ensure_ascii=False``),
encoded as UTF-8.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .schema import Agreement, Decision, DecisionChainHead
from .states import decided_state

FORMAT = 1
GENESIS = "0" * 64
HEAD_ID = 1


def _timestamp(value: datetime) -> str:
    if value.tzinfo is not None:
        raise ValueError("decision timestamps are naive UTC")
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f")


def canonical(*, seq: int, agreement_id: int, version: int, disposition: str, note: str, user_id: int,
              created_at: datetime, prev_hash: str) -> bytes:
    """The bytes an entry's hash is computed over (format 1, see the module docstring)."""
    doc = {"format": FORMAT, "seq": seq, "agreement_id": agreement_id, "version": version,
           "disposition": disposition, "note": note, "user_id": user_id, "created_at": _timestamp(created_at),
           "prev_hash": prev_hash}
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def entry_hash(**entry: Any) -> str:
    return hashlib.sha256(canonical(**entry)).hexdigest()


def row_hash(d: Decision, prev_hash: str | None = None) -> str:
    """The hash ``d`` should carry, over its stored content (and ``prev_hash``, default its own)."""
    return entry_hash(seq=d.seq, agreement_id=d.agreement_id, version=d.version, disposition=d.disposition,
                      note=d.note, user_id=d.user_id, created_at=d.created_at,
                      prev_hash=d.prev_hash if prev_hash is None else prev_hash)


@dataclass
class Problem:
    """One place where the history is not what the chain says it was."""

    decision_id: int | None
    seq: int | None
    agreement_id: int | None
    message: str  # Chinese, for the operator

    def __str__(self) -> str:
        where = []
        if self.seq is not None:
            where.append(f"第 {self.seq} 条")
        if self.decision_id is not None:
            where.append(f"决定 #{self.decision_id}")
        if self.agreement_id is not None:
            where.append(f"协议 #{self.agreement_id}")
        return ("，".join(where) + "：" if where else "") + self.message


@dataclass
class AuditReport:
    entries: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    agreements: int = 0  # agreements with at least one decision
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_broken(self) -> Problem | None:
        return self.problems[0] if self.problems else None


def verify(s: Session) -> AuditReport:
    """Check the whole chain in ``seq`` order, then the head, then every agreement's in-force
    decision against its last history entry. Problems come in that order: the first one is
    the first broken entry of the chain."""
    report = AuditReport()
    prev, expected_seq = GENESIS, 1
    per_agreement: dict[int, list[Decision]] = {}
    for d in s.scalars(select(Decision).order_by(Decision.seq, Decision.id)).yield_per(1000):
        report.entries += 1
        where = dict(decision_id=d.id, seq=d.seq, agreement_id=d.agreement_id)
        if d.seq != expected_seq:
            missing = f"（缺第 {expected_seq} 条起的记录）" if d.seq > expected_seq else ""
            report.problems.append(Problem(**where, message=f"序号应为 {expected_seq}，实为 {d.seq}{missing}"
                                                            "（entry missing or out of order）"))
        if d.prev_hash != prev:
            report.problems.append(Problem(**where, message="所记前一条哈希与前一条记录不符，记录被删除、插入或改动"
                                                            "（previous hash does not match）"))
        if d.hash != row_hash(d):
            report.problems.append(Problem(**where, message="内容与哈希不符，记录已被改动（content does not match its hash）"))
        prev, expected_seq = d.hash, d.seq + 1
        per_agreement.setdefault(d.agreement_id, []).append(d)
    head = s.get(DecisionChainHead, HEAD_ID)
    report.head_seq, report.head_hash = (head.seq, head.hash) if head is not None else (0, GENESIS)
    last_seq = expected_seq - 1
    if head is None:
        report.problems.append(Problem(None, None, None, "缺少决定链的链头记录（chain head missing）"))
    elif (head.seq, head.hash) != (last_seq, prev):
        report.problems.append(Problem(None, head.seq, None,
                                       f"链头记为第 {head.seq} 条，历史只到第 {last_seq} 条或末条哈希不符，"
                                       "末尾记录被删除或改动（chain head does not match the last entry）"))
    report.agreements = len(per_agreement)
    decided = {a.id: a for a in s.scalars(select(Agreement).where(
        (Agreement.version > 0) | Agreement.status.not_in(("pending", "resubmit"))
        | Agreement.id.in_(select(Decision.agreement_id))))}
    for aid, a in sorted(decided.items()):
        history = sorted(per_agreement.get(aid, []), key=lambda d: d.version)
        last = history[-1] if history else None
        if [d.version for d in history] != list(range(1, len(history) + 1)) or a.version != len(history):
            report.problems.append(Problem(last.id if last else None, last.seq if last else None, aid,
                                           f"版本号为 {a.version}，历史中有 {len(history)} 条决定"
                                           "（version does not match the history）"))
        in_force = (a.status, a.decision, a.reviewer_id, a.decided_at)
        # the state follows the history: a void decision awaits 复核 until a second reviewer confirms it
        expected = ((decided_state(history), last.disposition, last.user_id, last.created_at) if last
                    else ("pending", None, None, None))
        if in_force != expected:
            report.problems.append(Problem(last.id if last else None, last.seq if last else None, aid,
                                           "现行决定与历史最后一条不一致（in-force decision differs from the last entry）"))
    return report


def head_for_update(s: Session) -> DecisionChainHead:
    """The chain head, locked until the transaction ends (``FOR UPDATE`` on PostgreSQL; on
    SQLite the caller already holds the database's write lock)."""
    head = s.scalar(select(DecisionChainHead).where(DecisionChainHead.id == HEAD_ID).with_for_update()
                    .execution_options(populate_existing=True))
    if head is None:  # a database created before the head existed and never migrated: cannot happen
        raise RuntimeError("decision_chain_head is missing: run the store's migrations")
    return head
