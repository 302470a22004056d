"""The 统计 page's figures: counts per unit, agreement type, check and disposition (proposed and
decided), the proposals and decisions of each unit, and decisions per (local) day and week —
computed from the rows :meth:`Store.stats_rows` reads."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from .store import Store, Viewer, local_time


def stats_of(store: Store, viewer: Viewer) -> dict[str, Any]:
    """Counts per unit, agreement type, check and disposition (proposed and decided), the
    proposals and decisions of each unit (a file that could not be read is ``unreadable``,
    not a proposal), and decisions per (local) day and per week (keyed by its Monday)."""
    rows, decided_at = store.stats_rows(viewer)
    days: Counter[str] = Counter()
    weeks: Counter[str] = Counter()
    for at in decided_at:
        day = local_time(at).date()  # type: ignore[union-attr]
        days[day.isoformat()] += 1
        weeks[date.fromordinal(day.toordinal() - day.weekday()).isoformat()] += 1
    per_check: Counter[str] = Counter()
    per_unit_proposal: dict[str, Counter[str]] = defaultdict(Counter)
    per_unit_decision: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        per_check.update(c for c in r[2].split(",") if c)
        per_unit_proposal[r[0]]["unreadable" if r[6] == "failed" else r[4]] += 1
        if r[3] == "decided" and r[5]:  # a decision in force (one awaiting 复核 is not, yet)
            per_unit_decision[r[0]][r[5]] += 1
        elif r[3] == "second_review":
            per_unit_decision[r[0]]["second_review"] += 1
    return {
        "total": len(rows),
        "decided": sum(1 for r in rows if r[3] == "decided"),
        "per_status": Counter(r[3] for r in rows),  # review states: pending, second_review, resubmit, decided
        "per_unit": Counter(r[0] for r in rows),
        "per_unit_decided": Counter(r[0] for r in rows if r[3] == "decided"),
        "per_type": Counter(r[1] or "other" for r in rows),
        "per_check": per_check,
        "per_proposal": Counter(r[4] for r in rows),
        "per_decision": Counter(r[5] for r in rows if r[3] == "decided" and r[5]),
        "second_review": sum(1 for r in rows if r[3] == "second_review"),
        "per_unit_proposal": dict(per_unit_proposal),
        "per_unit_decision": dict(per_unit_decision),
        "decisions_per_day": dict(sorted(days.items())),
        "decisions_per_week": dict(sorted(weeks.items())),
    }
