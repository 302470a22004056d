"""checks: Agreement (+ batch) → Findings. Each check is registered by its stable id.

    from checks import CheckContext, run_checks, run_batch_checks, propose_disposition, risk_score
    findings = run_checks(agreement)                                  # shipped profile, today, no reference
    ctx = CheckContext(profile=load_profile(p), market=MarketReference.load(csv), as_of=date(2026, 11, 21))
    by_index = run_batch_checks(agreements, ctx)                      # + side contracts, peers, supplements

A check is a function ``fn(agreement, ctx) -> list[Finding]`` registered with
``@register("id", needs=(...))``; ``needs`` says what it reads besides the agreement
(``profile``, ``market``, ``as_of``, ``batch``). A check with ``scope="batch"`` is called once
per batch as ``fn(agreements, ctx) -> dict[int, list[Finding]]`` (side contracts).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from extract import Agreement
from ingest import StageError

from .disposition import DISPOSITION_TABLE, RiskModel, disposition_reason, outcome, propose_disposition, risk_score
from .facts import Facts
from .finding import Evidence, Finding
from .market import MarketReference, PeerStats
from .profile import Profile, ProfileError, default_profile, load_profile

NEEDS = ("profile", "market", "as_of", "batch")

Check = Callable[..., list[Finding]]


@dataclass(frozen=True)
class CheckSpec:
    id: str
    fn: Callable
    needs: frozenset[str]
    scope: str  # "document" | "batch"


CHECKS: dict[str, CheckSpec] = {}


def register(check_id: str, *, needs: Sequence[str] = ("profile",), scope: str = "document") -> Callable[[Check], Check]:
    unknown = set(needs) - set(NEEDS)
    if unknown:
        raise ValueError(f"check {check_id!r}: unknown needs {sorted(unknown)}; known: {NEEDS}")
    if scope not in ("document", "batch"):
        raise ValueError(f"check {check_id!r}: scope must be 'document' or 'batch'")

    def wrap(fn: Check) -> Check:
        if check_id in CHECKS:
            raise ValueError(f"check {check_id!r} registered twice")
        CHECKS[check_id] = CheckSpec(check_id, fn, frozenset(needs), scope)
        return fn

    return wrap


@dataclass
class CheckContext:
    """What the checks may read besides the agreement."""

    profile: Profile = field(default_factory=default_profile)
    market: MarketReference | None = None
    as_of: date = field(default_factory=date.today)
    # the trained risk classifier the score is blended with (None: the transparent formula
    # alone); handed in by whoever builds the context (checks.risk_features.trained_risk)
    risk_model: RiskModel | None = field(default=None, repr=False)
    batch: list[Agreement] = field(default_factory=list)
    # filled by run_batch_checks: supplementary agreement index -> main agreement index; peers
    links: dict[int, int] = field(default_factory=dict, repr=False)
    peers: PeerStats | None = field(default=None, repr=False)
    _facts: dict[int, tuple[Agreement, Facts]] = field(default_factory=dict, repr=False)

    def facts(self, agreement: Agreement) -> Facts:
        hit = self._facts.get(id(agreement))
        if hit is not None and hit[0] is agreement:
            return hit[1]
        f = Facts(agreement)
        self._facts[id(agreement)] = (agreement, f)
        return f

    def index_of(self, agreement: Agreement) -> int | None:
        for i, a in enumerate(self.batch):
            if a is agreement:
                return i
        return None


def _names(only: Iterable[str] | None, scope: str) -> list[str]:
    names = [n for n, spec in CHECKS.items() if spec.scope == scope] if only is None else list(only)
    unknown = [n for n in names if n not in CHECKS]
    if unknown:
        raise KeyError(f"unknown check(s) {unknown}; known: {sorted(CHECKS)}")
    return [n for n in names if CHECKS[n].scope == scope]


def _has_text(agreement: Agreement, minimum: int = 15) -> bool:
    """Enough Chinese text to judge (a blank page or an unreadable photo is not an agreement)."""
    return len(re.findall(r"[\u4e00-\u9fa5]", agreement.document.text)) >= minimum


def _call(check_id: str, args: tuple, errors: list[StageError] | None, name: str, empty):
    """Run one check; when ``errors`` is given, a check that raises becomes an error item
    naming it (the others still run, the result is ``partial``) instead of an exception."""
    try:
        return CHECKS[check_id].fn(*args)
    except Exception as exc:
        if errors is None:
            raise
        errors.append(StageError.of("checks", "check_failed", check_id, name, exc))
        return empty


def run_checks(agreement: Agreement, ctx: CheckContext | None = None, only: list[str] | None = None,
               errors: list[StageError] | None = None) -> list[Finding]:
    """The single-document checks on one agreement (defaults: shipped profile, no market
    reference, today). Batch checks (side contracts) need :func:`run_batch_checks`. With
    ``errors``, a check that raises is appended there as an error item; without, it raises."""
    if agreement.document.status == "failed" or not _has_text(agreement):
        return []
    ctx = ctx or CheckContext()
    transient = id(agreement) not in ctx._facts  # not prepared by a batch: do not keep it
    findings: list[Finding] = []
    name = agreement.document.source.name
    try:
        for check_id in _names(only, "document"):
            findings.extend(_call(check_id, (agreement, ctx), errors, name, []))
    finally:
        if transient:
            ctx._facts.pop(id(agreement), None)
    return findings


def run_batch_checks(agreements: list[Agreement], ctx: CheckContext | None = None, only: list[str] | None = None,
                     errors: dict[int, list[StageError]] | None = None) -> dict[int, list[Finding]]:
    """Every check over a batch — the single-document ones with the batch in view (a
    supplementary agreement read with its main agreement, rents compared with peers) and the
    batch checks (side contracts). Keyed by the agreement's index in ``agreements``. With
    ``errors`` (index → list), a check that raises is recorded there: a batch check's failure
    on every agreement it would have judged."""
    from .batch import prepare_batch

    ctx = ctx or CheckContext()
    ctx.batch = list(agreements)
    prepare_batch(ctx)
    out: dict[int, list[Finding]] = {i: [] for i in range(len(agreements))}
    for i, agreement in enumerate(agreements):
        out[i] = run_checks(agreement, ctx, [n for n in _names(only, "document")],
                            None if errors is None else errors.setdefault(i, []))
    judged = [i for i, a in enumerate(agreements) if a.document.status != "failed" and _has_text(a)]
    for check_id in _names(only, "batch"):
        try:
            found = CHECKS[check_id].fn(agreements, ctx)
        except Exception as exc:
            if errors is None:
                raise
            for i in judged:
                errors.setdefault(i, []).append(StageError.of(
                    "checks", "check_failed", check_id, agreements[i].document.source.name, exc))
            continue
        for i, got in found.items():
            if i in judged:
                out[i].extend(got)
    return out


# the checks register themselves on import
from . import rules  # noqa: E402,F401  (registers the checks)
from . import side  # noqa: E402,F401

__all__ = [
    "CHECKS",
    "CheckContext",
    "CheckSpec",
    "DISPOSITION_TABLE",
    "Evidence",
    "Finding",
    "MarketReference",
    "Profile",
    "ProfileError",
    "disposition_reason",
    "load_profile",
    "outcome",
    "propose_disposition",
    "register",
    "risk_score",
    "run_batch_checks",
    "run_checks",
    "RiskModel",
]
