"""Expected findings for a generated agreement, computed from its facts (:class:`~corpus.facts.Deal`)
and the jurisdiction profile — never from what the generator meant to inject.

Labelling conventions (the evaluator and the checks should read them the same way):

* ``informal_agreement``: oral-agreement notes, white slips, and main/supplementary agreements that
  carry no seal (they are also unsigned: the signature block is blank and has no date).
* Notes and white slips are labelled only with what they state: ``informal_agreement`` always,
  ``off_book_income`` when they record cash or a personal payee, ``stalled_performance`` when they
  record unpaid or waived rent, ``no_collective_decision`` when they say there was no decision.
  The procedural and clause checks (tender, clauses, term, rent level) are subsumed by re-signing.
* ``no_public_tender``: lease / contracting / cooperation whose total value (annual rent over the
  term, with escalation) is at least ``tender.required_above_total_yuan``, and every transfer,
  when the counterparty was not chosen by an accepted method.  Below the threshold a direct
  agreement is exempt.  Supplementary agreements and lending are not checked.
* ``below_market_rent``: lease and contracting (incl. a supplementary agreement's new rent) whose
  initial unit rent is below ``rent.below_market_ratio`` × the market reference for the asset kind
  and township (``market_reference.csv``); a transfer whose price is below that ratio × the
  appraisal stated in the text.  Lending and cooperation are not checked.
* ``over_term``: caps from ``term_caps_years``: state lease / contracting 5 y, state lending 1 y,
  collective lease 20 y, collective land / fishpond contracting 30 y, forest 70 y; any lease is
  capped at 20 y by law.  Over the legal maximum → void, over the profile cap only → fixable.
  A supplementary agreement is measured from the main agreement's start to its new end.
  Cooperation agreements are not checked.
* ``over_authority``: signed by an internal office or by one official alone (no capacity → void),
  or a state-side lease / contracting / cooperation / transfer whose value exceeds the first
  approval band with no approval, or approval by a body below the band's level (→ re-sign).
* Minutes of a villagers' meeting (``minutes``) and listing / tender notices of a rural property
  exchange (``notice``) are not agreements: they carry no expected finding at all (a finding on
  one is a false alarm).  Their fields are labelled with what they state (the owner, the asset,
  the decision, a floor price as the rent, the term offered).
* Staged rents (头两年…第三年起…) and rents raised by a fixed amount (每三年每亩增加30元) count
  with every stage in the total value; a rent in kind (每亩每年交小麦500斤) states no yuan amount,
  so no rent-level or value-based check applies to it.
* ``expiry_warning``: term end on or after ``as_of`` and no later than ``as_of`` + 3 months;
  ``red`` when before ``as_of`` + 1 month, else ``yellow``.
"""

from __future__ import annotations

from datetime import date

from .facts import BatchContext, Deal
from .money import add_months

CHECK_IDS: tuple[str, ...] = (
    "no_collective_decision",
    "no_public_tender",
    "below_market_rent",
    "over_term",
    "over_authority",
    "side_contract",
    "missing_clauses",
    "harmful_terms",
    "stalled_performance",
    "off_book_income",
    "unlawful_guarantee",
    "informal_agreement",
    "expiry_warning",
)

DISPOSITIONS = ("void", "re-sign", "fixable", "compliant")
SEVERITY = {"void": 3, "re-sign": 2, "fixable": 1}

#: (check, variant) -> disposition.  ``None`` variant = any.  The one table that decides.
DISPOSITION_TABLE: dict[tuple[str, str | None], str | None] = {
    ("over_term", "beyond_legal_max"): "void",
    ("over_term", "over_profile_cap"): "fixable",
    ("over_authority", "no_capacity"): "void",
    ("over_authority", "by_value"): "re-sign",
    ("side_contract", None): "void",
    ("unlawful_guarantee", None): "void",
    ("below_market_rent", "transfer_without_auction"): "void",
    ("below_market_rent", "transfer"): "fixable",
    ("below_market_rent", "lease"): "fixable",
    ("no_collective_decision", None): "re-sign",
    ("no_public_tender", None): "re-sign",
    ("informal_agreement", None): "re-sign",
    ("missing_clauses", None): "fixable",
    ("harmful_terms", None): "fixable",
    ("off_book_income", None): "fixable",
    ("stalled_performance", None): "fixable",
    ("expiry_warning", None): None,
}

#: tie-break among checks of equal severity: the first listed drives the disposition
DRIVER_PRIORITY = (
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
)

BAD_REMITTANCE = ("cash_person", "personal_account", "wrong_unit", "offset")


def disposition_of(check: str, variant: str | None) -> str | None:
    if (check, variant) in DISPOSITION_TABLE:
        return DISPOSITION_TABLE[(check, variant)]
    return DISPOSITION_TABLE[(check, None)]


def term_caps(deal: Deal, profile: dict) -> tuple[int, int] | None:
    """(profile cap, legal maximum) in years for this deal, or None when no cap applies."""
    caps = profile["term_caps_years"]
    t = deal.agreement_type
    absolute = int(caps["absolute_lease"])
    if t == "cooperation" or t in ("transfer", "guarantee", "other"):
        return None
    if deal.is_state:
        if t == "lending":
            return int(caps["state_lending"]), absolute
        return int(caps["state_lease"]), absolute
    # collective
    if t == "contracting" and deal.asset_kind in ("land", "fishpond"):
        c = int(caps["collective_land_contracting"])
        return c, c
    if t == "contracting" and deal.asset_kind == "forest":
        c = int(caps["collective_forest_contracting"])
        return c, c
    return int(caps["collective_lease"]), absolute


def approval_level_required(value: float, profile: dict) -> int:
    for i, band in enumerate(profile["approval"]["bands"], start=1):
        if band["max_yuan"] is None or value <= band["max_yuan"]:
            return i
    return len(profile["approval"]["bands"])


def expiry_level(end: date | None, as_of: date, profile: dict) -> str | None:
    if end is None:
        return None
    w = profile["warnings"]
    if not (as_of <= end <= add_months(as_of, int(w["yellow_months"]))):
        return None
    return "red" if end < add_months(as_of, int(w["red_months"])) else "yellow"


def compute_labels(deal: Deal, ctx: BatchContext) -> dict:
    """The expected findings: {"checks": [...], "variants": {...}, "missing": [...],
    "warning_level": ..., "disposition": ..., "driver": ..., "details": {...}}."""
    prof = ctx.profile
    if deal.kind in ("minutes", "notice"):
        return {"checks": [], "variants": {}, "missing": [], "warning_level": None, "disposition": "compliant", "driver": None, "details": {}}
    found: dict[str, str | None] = {}
    details: dict = {}
    kind = deal.kind
    informal_kind = kind in ("oral_note", "white_slip")
    t = deal.agreement_type

    # informal
    if informal_kind:
        found["informal_agreement"] = None
        details["informal_agreement"] = kind
    elif not deal.sealed or deal.unsigned:
        found["informal_agreement"] = None
        details["informal_agreement"] = "unsealed_unsigned"

    # collective decision
    if kind in ("main", "supplementary") and deal.decision in ("absent", "negated"):
        found["no_collective_decision"] = None
        details["no_collective_decision"] = deal.decision
    elif informal_kind and deal.decision == "negated":
        found["no_collective_decision"] = None
        details["no_collective_decision"] = "negated"

    if not informal_kind:
        # public tender
        if kind == "main" and t in ("lease", "contracting", "cooperation", "transfer") and "rent" not in deal.missing:
            thr = float(prof["tender"]["required_above_total_yuan"])
            always = t in prof["tender"].get("always_required_for", [])
            value = deal.total_value()
            if (always or value >= thr) and deal.tender not in prof["tender"]["accepted_methods"]:
                found["no_public_tender"] = None
                details["no_public_tender"] = {"total_value": value, "method": deal.tender}

        # rent level
        ratio = float(prof["rent"]["below_market_ratio"])
        if t in ("lease", "contracting") and not deal.free and "rent" not in deal.missing and deal.annual_rent:
            ref = ctx.ref(deal)
            unit = deal.unit_rent()
            if ref and unit is not None and unit < ratio * ref:
                found["below_market_rent"] = "lease"
                details["below_market_rent"] = {"unit": deal.unit, "unit_rent": round(unit, 2), "reference": ref}
        if t == "transfer" and deal.appraisal and deal.price is not None and deal.price < ratio * deal.appraisal:
            auctioned = deal.tender in ("auction", "listing")
            found["below_market_rent"] = "transfer" if auctioned else "transfer_without_auction"
            details["below_market_rent"] = {"price": deal.price, "appraisal": deal.appraisal}

        # term
        months = deal.months
        if kind == "supplementary" and deal.main is not None and deal.end is not None and deal.main.start is not None:
            from .money import months_between

            months = months_between(deal.main.start, deal.end)
        caps = term_caps(deal, prof)
        if caps and months and "term" not in deal.missing:
            cap, legal = caps
            if months > cap * 12:
                found["over_term"] = "beyond_legal_max" if months > legal * 12 else "over_profile_cap"
                details["over_term"] = {"months": months, "cap_years": cap, "legal_max_years": legal}

        # authority
        if deal.signer in ("internal_office", "individual_official"):
            found["over_authority"] = "no_capacity"
            details["over_authority"] = deal.signer
        elif kind == "main" and deal.is_state and t in ("lease", "contracting", "cooperation", "transfer"):
            value = deal.total_value()
            need = approval_level_required(value, prof)
            have = deal.approval.level if deal.approval else 0
            if need > 1 and have < need:
                found["over_authority"] = "by_value"
                details["over_authority"] = {"value": value, "level_required": need, "level_cited": have}

        if deal.pair_id:
            found["side_contract"] = None
            details["side_contract"] = deal.side_change

        if deal.missing and kind == "main":
            found["missing_clauses"] = None
            details["missing_clauses"] = list(deal.missing)

        if deal.harmful:
            found["harmful_terms"] = None
            details["harmful_terms"] = list(deal.harmful)

        if deal.guarantee and not deal.guarantor_lawful:
            found["unlawful_guarantee"] = None
            details["unlawful_guarantee"] = deal.guarantee

    if deal.stalled:
        found["stalled_performance"] = None
        details["stalled_performance"] = deal.stalled
    if deal.remittance in BAD_REMITTANCE:
        found["off_book_income"] = None
        details["off_book_income"] = deal.remittance

    level = None
    if kind in ("main", "supplementary") and "term" not in deal.missing:
        level = expiry_level(deal.end, ctx.as_of, prof)
        if level:
            found["expiry_warning"] = None

    # disposition: most severe wins, ties by DRIVER_PRIORITY
    best = ("compliant", None)
    best_key = (0, len(DRIVER_PRIORITY))
    for check, variant in found.items():
        disp = disposition_of(check, variant)
        if disp is None:
            continue
        key = (SEVERITY[disp], -DRIVER_PRIORITY.index(check))
        if key > best_key:
            best_key, best = key, (disp, check)
    checks = [c for c in CHECK_IDS if c in found]
    return {
        "checks": checks,
        "variants": {c: found[c] for c in checks if found[c] is not None},
        "missing": list(deal.missing) if "missing_clauses" in found else [],
        "warning_level": level,
        "disposition": best[0],
        "driver": best[1],
        "details": details,
    }


__all__ = ["BAD_REMITTANCE", "CHECK_IDS", "DISPOSITION_TABLE", "DRIVER_PRIORITY", "compute_labels", "disposition_of", "expiry_level", "term_caps"]
