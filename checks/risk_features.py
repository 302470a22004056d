"""What the trained risk model sees of an agreement: its text, which fields were found, a few
numbers, the agreement type, and the findings (check id → score). Used in training and at run
time, so both see the same features."""

from __future__ import annotations

import math

from extract import FIELD_NAMES, Agreement

from .finding import Finding


def risk_sample(agreement: Agreement, findings: list[Finding]) -> dict:
    features: dict[str, float] = {}
    for name in FIELD_NAMES:
        features[f"has:{name}"] = 0.0 if agreement.fields.get(name) is None else 1.0
    months = agreement.value("term_months")
    if isinstance(months, (int, float)):
        features["term_years"] = min(float(months) / 12.0, 70.0) / 10.0
    annual = agreement.value("annual_rent_yuan")
    if isinstance(annual, (int, float)) and annual >= 0:
        features["log_annual_rent"] = math.log10(1.0 + float(annual)) / 7.0
    if agreement.agreement_type:
        features[f"type:{agreement.agreement_type}"] = 1.0
    for f in findings:
        key = f"check:{f.check}"
        features[key] = max(features.get(key, 0.0), float(f.score))
        if f.disposition:
            features[f"disposition:{f.disposition}"] = 1.0
    return {"text": agreement.document.text, "features": features}


def trained_risk(findings: list[Finding], agreement: Agreement | None = None) -> float | None:
    """The calibrated risk model (models/risk.skops) when it is trained, else None (the
    transparent formula decides). Hand it to the checks as ``CheckContext.risk_model``."""
    from models.store import load_named

    if agreement is None or agreement.document.status == "failed":
        return None  # nothing was read: no score to give, the formula answers 0
    model = load_named("risk")
    if model is None:
        return None
    return float(model.predict_proba([risk_sample(agreement, findings)])[0][1])
