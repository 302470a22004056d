"""Disposition and risk: the one table that maps a finding to void / re-sign / fixable (domain.md),
the proposal for an agreement (most severe wins), and the risk score.

The table is keyed by (check id, variant); variant ``None`` is the row for any variant. Every
check builds its findings through :func:`outcome` so the disposition and severity of a finding
come from here and nowhere else.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from .finding import Finding

if TYPE_CHECKING:
    from .profile import Risk

# (check, variant) -> (disposition, severity).  domain.md, "Disposition follows the findings".
DISPOSITION_TABLE: dict[tuple[str, str | None], tuple[str | None, str]] = {
    # void (无效): beyond the law, no capacity, sham or forbidden acts
    ("over_term", "beyond_legal_max"): ("void", "high"),
    ("over_authority", "no_capacity"): ("void", "high"),
    ("side_contract", None): ("void", "high"),
    ("unlawful_guarantee", None): ("void", "high"),
    ("below_market_rent", "transfer_without_auction"): ("void", "high"),
    # re-sign (补签): the procedure must be redone
    ("over_authority", "by_value"): ("re-sign", "medium"),
    ("no_collective_decision", None): ("re-sign", "medium"),
    ("no_public_tender", None): ("re-sign", "medium"),
    ("informal_agreement", None): ("re-sign", "medium"),
    # fixable (整改): clause-level defects, money to recover or redirect
    ("over_term", "over_profile_cap"): ("fixable", "medium"),
    ("below_market_rent", "lease"): ("fixable", "medium"),
    ("below_market_rent", "transfer"): ("fixable", "medium"),
    ("off_book_income", None): ("fixable", "high"),
    ("stalled_performance", None): ("fixable", "medium"),
    ("harmful_terms", None): ("fixable", "medium"),
    ("missing_clauses", None): ("fixable", "low"),
    ("below_market_rent", "reported"): ("fixable", "medium"),
    # a warning or a notice changes nothing
    ("expiry_warning", "red"): (None, "medium"),
    ("expiry_warning", None): (None, "low"),
    ("incomplete_document", None): (None, "low"),
}

DISPOSITION_RANK = {"void": 3, "re-sign": 2, "fixable": 1}

#: among findings of the same disposition, the first listed drives it
DRIVER_PRIORITY: tuple[str, ...] = (
    "unlawful_guarantee",
    "side_contract",
    "over_authority",
    "over_term",
    "below_market_rent",
    "informal_agreement",
    "no_collective_decision",
    "no_public_tender",
    "off_book_income",
    "stalled_performance",
    "missing_clauses",
    "harmful_terms",
    "expiry_warning",
    "incomplete_document",
)


def outcome(check: str, variant: str | None = None) -> tuple[str | None, str]:
    """(disposition, severity) of a finding of ``check`` with ``variant``."""
    if (check, variant) in DISPOSITION_TABLE:
        return DISPOSITION_TABLE[(check, variant)]
    return DISPOSITION_TABLE[(check, None)]


def propose_disposition(findings: Iterable[Finding]) -> tuple[str, str | None]:
    """(disposition, driving check id): the most severe finding wins (void > re-sign > fixable);
    ``("compliant", None)`` when nothing but an expiry warning was found."""
    best: tuple[int, int] = (0, len(DRIVER_PRIORITY))
    result: tuple[str, str | None] = ("compliant", None)
    for f in findings:
        disp = f.disposition
        if disp is None:
            continue
        prio = DRIVER_PRIORITY.index(f.check) if f.check in DRIVER_PRIORITY else len(DRIVER_PRIORITY) - 1
        key = (DISPOSITION_RANK[disp], -prio)
        if key > (best[0], -best[1]):
            best = (key[0], prio)
            result = (disp, f.check)
    return result


def disposition_reason(findings: list[Finding]) -> str:
    """One Chinese sentence: what the proposal is and which finding drives it."""
    disp, driver = propose_disposition(findings)
    names = {"void": "无效", "re-sign": "规范补签", "fixable": "整改", "compliant": "合规"}
    if driver is None:
        return "未发现违规情形，建议认定为合规。"
    f = next(x for x in findings if x.check == driver and x.disposition == disp)
    return f"建议处置为「{names[disp]}」：{f.title}。"


# -- risk score --------------------------------------------------------------------------------



#: a trained classifier, handed to :func:`risk_score` (the pipeline takes it from
#: ``CheckContext.risk_model``): ``model(findings, agreement=None)`` returning a probability in
#: [0, 1], or None to fall back to the transparent formula
RiskModel = Callable[..., "float | None"]


def rule_risk(findings: Iterable[Finding], weights: dict[str, float] | None = None) -> float:
    """The transparent score: 1 − Π(1 − weight(severity) × score)."""
    if weights is None:
        from .profile import default_profile

        weights = default_profile().risk.severity_weight
    keep = 1.0
    for f in findings:
        s = max(0.0, min(1.0, float(weights.get(f.severity, 0.0)) * float(f.score)))
        keep *= 1.0 - s
    return round(1.0 - keep, 4)


_P_GUARD = 1e-12  # keeps log(p / (1 - p)) finite; a probability is never read closer to 0 or 1


def tempered(probability: float, temperature: float) -> float:
    """A classifier's probability with its log-odds divided by ``temperature`` (temperature
    scaling): above 1 an overconfident model's 0.9999 and 0.9999999 become two readable,
    different values instead of two 1.00s; the order of the probabilities is kept."""
    p = max(_P_GUARD, min(1.0 - _P_GUARD, float(probability)))
    z = math.log(p / (1.0 - p)) / float(temperature)
    return 1.0 / (1.0 + math.exp(-z))


def risk_score(findings: Iterable[Finding], agreement=None, weights: dict[str, float] | None = None,
               model_weight: float | None = None, *, settings: Risk | None = None,
               model_temperature: float | None = None, model: RiskModel | None = None) -> float:
    """Risk of the agreement (0–1): the transparent formula (:func:`rule_risk`), blended with the
    trained ``model`` when one is given and answers — ``(1 − w) × formula + w × tempered(model,
    T)``, ``w`` the profile's ``risk.model_weight`` and ``T`` its ``risk.model_temperature``
    (``settings``: the profile's risk section; the shipped default profile when None; explicit
    arguments win). The formula orders findings by severity, certainty and number; the model,
    trained on generated agreements, adds what the text and fields say. It is overconfident on
    real documents (every agreement with a finding reads 0.999…): its share is bounded by ``w``
    and its log-odds are divided by ``T``, so two agreements with the same findings still differ
    by what the model sees instead of tying at the top."""
    findings = list(findings)
    if settings is None and None in (weights, model_weight, model_temperature):
        from .profile import default_profile

        settings = default_profile().risk
    rule = rule_risk(findings, weights if weights is not None else settings.severity_weight)
    if model is not None:
        value = model(findings, agreement=agreement)
        if value is not None:
            w = model_weight if model_weight is not None else settings.model_weight
            t = model_temperature if model_temperature is not None else settings.model_temperature
            return round((1.0 - w) * rule + w * tempered(value, t), 4)
    return rule


__all__ = [
    "DISPOSITION_TABLE",
    "DRIVER_PRIORITY",
    "disposition_reason",
    "outcome",
    "propose_disposition",
    "risk_score",
    "rule_risk",
    "RiskModel",
    "tempered",
]
