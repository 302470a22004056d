"""checks: Agreement (+ batch) → Findings. Each check is registered by its stable id."""

from __future__ import annotations

from typing import Callable

from extract import Agreement

from .finding import Evidence, Finding

Check = Callable[[Agreement], list[Finding]]
CHECKS: dict[str, Check] = {}


def register(check_id: str) -> Callable[[Check], Check]:
    def wrap(fn: Check) -> Check:
        if check_id in CHECKS:
            raise ValueError(f"check {check_id!r} registered twice")
        CHECKS[check_id] = fn
        return fn

    return wrap


def run_checks(agreement: Agreement, only: list[str] | None = None) -> list[Finding]:
    names = list(CHECKS) if only is None else only
    unknown = [n for n in names if n not in CHECKS]
    if unknown:
        raise KeyError(f"unknown check(s) {unknown}; known: {sorted(CHECKS)}")
    if agreement.document.status == "failed":
        return []
    findings: list[Finding] = []
    for name in names:
        findings.extend(CHECKS[name](agreement))
    return findings


__all__ = ["CHECKS", "Evidence", "Finding", "register", "run_checks"]
