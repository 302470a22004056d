"""The template-family registry: what each family can host and how it is rendered."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

#: defect ids the builder can inject (every check id except expiry_warning and side_contract,
#: which come from the batch plan)
INJECTABLE = (
    "no_collective_decision",
    "no_public_tender",
    "below_market_rent",
    "over_term",
    "over_authority",
    "missing_clauses",
    "harmful_terms",
    "stalled_performance",
    "off_book_income",
    "unlawful_guarantee",
    "informal_agreement",
)


@dataclass
class Family:
    id: str
    split: str  # train | test
    kind: str  # main | guarantee | supplementary | oral_note | white_slip | minutes | notice
    description: str
    render: Callable = None  # (deal, rng) -> Doc
    types: tuple[str, ...] = ("lease",)
    owners: tuple[str, ...] = ("township_government",)
    assets: tuple[str, ...] = ("shop",)
    periods: tuple[str, ...] = ("year",)
    show_unit: float = 0.3
    escalation: float = 0.0
    from_sign: float = 0.0
    deposit_words: tuple[str, ...] = ("保证金",)
    deposit_p: float = 0.5
    tender_pref: tuple[str, ...] = ("public_tender",)
    supports: frozenset[str] = field(default_factory=frozenset)
    weight: float = 1.0
    #: which families a supplementary agreement / side contract may pair with (same split)
    amends_types: tuple[str, ...] = ("lease", "contracting")
    #: (ctx, deal, rng, defects) -> None: reshapes a built main agreement into the family's world
    #: (a 1980s production team, a staged or in-kind rent …) before its labels are computed
    adapt: Callable | None = None
    #: share of this family's documents written in traditional characters (labels stay simplified)
    traditional: float = 0.0
    #: False when the family cannot host an expiry warning (a 1980s contract, a notice)
    expiry: bool = True
    #: False when the family can only write deals its own ``adapt`` shaped (it cannot write the
    #: other copy of another family's deal)
    twin_ok: bool = True


FAMILIES: dict[str, Family] = {}


def register(fam: Family) -> Family:
    if fam.id in FAMILIES:
        raise ValueError(f"family {fam.id} registered twice")
    FAMILIES[fam.id] = fam
    return fam


def family(fid: str) -> Family:
    try:
        return FAMILIES[fid]
    except KeyError:
        raise KeyError(f"unknown family {fid!r}; known: {sorted(FAMILIES)}") from None


def default_supports(types: tuple[str, ...], owners: tuple[str, ...], guarantee_clause: bool = False) -> frozenset[str]:
    s = {"no_collective_decision", "informal_agreement", "over_authority"}
    rent_types = {"lease", "contracting", "cooperation", "transfer"}
    if set(types) & rent_types:
        s |= {"no_public_tender", "off_book_income"}
    if set(types) & {"lease", "contracting", "transfer"}:
        s.add("below_market_rent")
    if set(types) & {"lease", "lending", "contracting"}:
        s.add("over_term")
    if set(types) & {"lease", "lending", "contracting", "cooperation", "transfer"}:
        s.add("missing_clauses")
    if set(types) & {"lease", "lending", "contracting", "cooperation"}:
        s.add("harmful_terms")
    if set(types) & {"lease", "contracting", "cooperation"}:
        s.add("stalled_performance")
    if guarantee_clause:
        s.add("unlawful_guarantee")
    return frozenset(s)


def rng_for(*parts) -> random.Random:
    return random.Random(":".join(str(p) for p in parts))
