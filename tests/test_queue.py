"""The review queue ranks the whole filtered set in SQL (SQLite and PostgreSQL): by default the
machine's proposal from void to compliant, then risk, then id — so no later page holds a more
severe agreement than an earlier one; filters by proposal and by decision; other orders."""

from __future__ import annotations

from contract_review.accounts import Accounts
from contract_review.stats import stats_of
from contract_review.store import SYSTEM, Store, Viewer
from contract_review.store.schema import SEVERITY_ORDER, Agreement, Document
from contract_review.store.store import QUEUE_SORTS
from store_fixtures import make_agreements, make_reviewers

# (proposal, risk) in the order they are written (their ids ascend in this order)
ROWS = [
    ("compliant", 0.95),  # a compliant proposal the model still finds risky
    ("fixable", 0.90),
    ("fixable", 0.80),
    ("void", 0.30),
    ("re-sign", 0.50),
    ("void", 0.70),
    ("fixable", 0.80),  # the same proposal and risk as the third: the id decides
    ("re-sign", 0.55),
]


def _queue_of(store: Store, rows=ROWS) -> list[int]:
    ids = make_agreements(store, len(rows))
    with store.session() as s:
        for i, (proposal, risk) in zip(ids, rows, strict=True):
            a = s.get(Agreement, i)
            a.disposition, a.risk_score = proposal, risk
    return ids


def _pages(store: Store, viewer: Viewer, size: int, **kw) -> list[list[dict]]:
    pages, offset = [], 0
    while True:
        rows, total = store.queue(viewer, offset=offset, limit=size, **kw)
        if not rows:
            return pages
        pages.append(rows)
        offset += size
        assert offset < total + size


def test_severity_first_then_risk_over_the_whole_set_not_the_page(store: Store):
    ids = _queue_of(store)
    pages = _pages(store, SYSTEM, 3)
    flat = [r["id"] for p in pages for r in p]
    want = [ids[5], ids[3], ids[7], ids[4], ids[1], ids[2], ids[6], ids[0]]
    assert flat == want
    rank = {d: i for i, d in enumerate(SEVERITY_ORDER)}
    # no page holds a more severe proposal than any row of an earlier page
    for earlier, later in zip(pages, pages[1:]):
        assert max(rank[r["disposition"]] for r in earlier) <= min(rank[r["disposition"]] for r in later)
    assert store.queue_ids(SYSTEM) == want  # 上一份/下一份 follow the same order


def test_equal_rows_keep_a_stable_order_across_pages(store: Store):
    ids = _queue_of(store, [("fixable", 0.5)] * 7)
    for size in (1, 2, 3, 5):
        assert [r["id"] for p in _pages(store, SYSTEM, size) for r in p] == ids


def test_unreadable_files_and_pending_agreements_come_first(store: Store):
    ids = _queue_of(store, [("void", 0.9), ("fixable", 0.2), ("compliant", 0.0)])
    with store.session() as s:
        s.get(Document, s.get(Agreement, ids[2]).document_id).status = "failed"
    [uid] = make_reviewers(store, ["审查员甲"])
    reviewer = store.viewer(uid)
    store.decide(reviewer, ids[0], "re-sign", version=0)
    assert store.queue_ids(SYSTEM) == [ids[2], ids[1], ids[0]]
    # a void decision awaiting 复核 (issue 12) comes before everything still pending
    store.decide(reviewer, ids[0], "void", version=1)
    assert store.queue_ids(SYSTEM) == [ids[0], ids[2], ids[1]]


def test_other_orders(store: Store):
    ids = _queue_of(store)
    by_risk = [ids[0], ids[1], ids[2], ids[6], ids[5], ids[7], ids[4], ids[3]]
    assert store.queue_ids(SYSTEM, sort="risk") == by_risk
    assert [r["id"] for p in _pages(store, SYSTEM, 3, sort="risk") for r in p] == by_risk
    assert store.queue_ids(SYSTEM, sort="newest") == ids[::-1]
    assert store.queue_ids(SYSTEM, sort="no-such-order") == store.queue_ids(SYSTEM)  # a hand-edited URL
    assert QUEUE_SORTS[0] == "severity"


def test_filters_by_proposal_and_by_decision(store: Store):
    ids = _queue_of(store)
    [uid] = make_reviewers(store, ["审查员甲"])
    reviewer = store.viewer(uid)
    store.decide(reviewer, ids[0], "fixable", version=0)  # the machine said compliant
    store.decide(reviewer, ids[3], "void", version=0)
    store.decide(reviewer, ids[5], "re-sign", version=0)

    rows, total = store.queue(SYSTEM, disposition="void")
    assert total == 2 and {r["id"] for r in rows} == {ids[3], ids[5]}
    rows, total = store.queue(SYSTEM, decision="fixable")
    assert total == 1 and rows[0]["id"] == ids[0] and rows[0]["disposition"] == "compliant"
    assert store.queue(SYSTEM, disposition="void", decision="void")[1] == 1
    assert store.queue_ids(SYSTEM, disposition="void", decision="re-sign") == [ids[5]]
    # one reviewer's void decision waits for 复核 (issue 12)
    assert store.counts(SYSTEM, decision="void", sort="risk") == {"total": 1, "pending": 0, "decided": 0,
                                                                  "second_review": 1, "resubmit": 0}
    filters = {"disposition": "fixable", "sort": "risk"}  # one dict for every method, as the app keeps it
    assert store.counts(SYSTEM, **filters)["total"] == 3
    assert store.queue_ids(SYSTEM, **filters) == [ids[1], ids[2], ids[6]]


def test_filters_stay_scoped_to_the_viewers_unit(store: Store):
    mine = make_agreements(store, 2, unit="甲镇")
    theirs = make_agreements(store, 2, unit="乙乡")
    with store.session() as s:
        for i in mine + theirs:
            s.get(Agreement, i).disposition = "void"
    Accounts(store).create_user("up_a", "secret-123", "uploader", unit="甲镇")
    up_a = Accounts(store).authenticate("up_a", "secret-123")
    assert set(store.queue_ids(up_a, disposition="void", sort="risk")) == set(mine)
    assert store.queue(up_a, disposition="void")[1] == 2


def test_the_severity_order_is_the_checks_ranking():
    from checks.disposition import DISPOSITION_RANK

    assert list(SEVERITY_ORDER) == sorted(DISPOSITION_RANK, key=lambda d: -DISPOSITION_RANK[d]) + ["compliant"]


def test_stats_per_unit_disposition_and_per_week(store: Store):
    a = _queue_of(store, [("void", 0.9), ("fixable", 0.5), ("compliant", 0.1)])
    b = make_agreements(store, 1, unit="乙乡")
    with store.session() as s:
        s.get(Document, s.get(Agreement, b[0]).document_id).status = "failed"
    [uid] = make_reviewers(store, ["审查员甲"])
    store.decide(store.viewer(uid), a[0], "re-sign", version=0)
    stats = stats_of(store, SYSTEM)
    assert stats["per_unit_proposal"] == {"甲镇": {"void": 1, "fixable": 1, "compliant": 1}, "乙乡": {"unreadable": 1}}
    assert stats["per_unit_decision"] == {"甲镇": {"re-sign": 1}}
    [(monday, n)] = stats["decisions_per_week"].items()
    from datetime import date

    assert n == 1 and date.fromisoformat(monday).weekday() == 0
