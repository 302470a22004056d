"""The facts behind one generated agreement (:class:`Deal`), the asset catalogue, the market
reference and the jurisdiction profile the batch is generated against.

A family template (``corpus/families.py``) turns a Deal into text; ``corpus/labels.py`` turns
the same Deal into the expected findings.  Both read the facts, never each other, so a label is
only as true as the facts it is computed from — and the families must write every fact that a
label depends on (a decision sentence, a tender sentence, the rent and the area …).
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from .money import MU_M2, add_months, term_end
from .names import Company, NamePool, Place

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PROFILE = REPO / "checks" / "profiles" / "default.yaml"


def load_profile(path: Path | None = None) -> dict:
    with open(path or DEFAULT_PROFILE, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


STATE_OWNERS = ("township_government", "administrative_unit", "public_institution")
COLLECTIVE_OWNERS = ("village_committee", "village_cooperative")

# ---------------------------------------------------------------------------------------------
# Asset catalogue: unit of the market reference, reference range, size range, descriptions
# ---------------------------------------------------------------------------------------------

# unit: m2_month (yuan per m² per month), mu_year (yuan per 亩 per year),
#       vehicle_month (yuan per vehicle per month), set_month (yuan per machine per month)
ASSETS: dict[str, dict[str, Any]] = {
    "shop": dict(unit="m2_month", ref=(18.0, 42.0), size=(40.0, 260.0), small=(8.0, 22.0)),
    "office": dict(unit="m2_month", ref=(8.0, 20.0), size=(60.0, 900.0), small=(12.0, 30.0)),
    "plant": dict(unit="m2_month", ref=(4.0, 11.0), size=(500.0, 6000.0), small=(60.0, 150.0)),
    "warehouse": dict(unit="m2_month", ref=(3.0, 8.0), size=(200.0, 3000.0), small=(40.0, 100.0)),
    "canteen": dict(unit="m2_month", ref=(8.0, 20.0), size=(150.0, 900.0), small=(30.0, 60.0)),
    "market": dict(unit="m2_month", ref=(5.0, 12.0), size=(800.0, 5000.0), small=(100.0, 200.0)),
    "farm": dict(unit="m2_month", ref=(1.5, 4.5), size=(300.0, 5000.0), small=(80.0, 200.0)),
    "greenhouse": dict(unit="mu_year", ref=(900.0, 2000.0), size=(5.0, 80.0), small=(1.0, 3.0)),
    "land": dict(unit="mu_year", ref=(380.0, 950.0), size=(10.0, 600.0), small=(2.0, 6.0)),
    "fishpond": dict(unit="mu_year", ref=(500.0, 1200.0), size=(5.0, 120.0), small=(1.5, 4.0)),
    "forest": dict(unit="mu_year", ref=(25.0, 80.0), size=(100.0, 3000.0), small=(20.0, 50.0)),
    "vehicle": dict(unit="vehicle_month", ref=(2500.0, 8000.0), size=(1, 4), small=(1, 1)),
    "equipment": dict(unit="set_month", ref=(800.0, 5000.0), size=(1, 6), small=(1, 1)),
    "building": dict(unit="m2_month", ref=(6.0, 15.0), size=(300.0, 3000.0), small=(100.0, 200.0)),
}

UNIT_LABEL = {
    "m2_month": "元/平方米·月",
    "mu_year": "元/亩·年",
    "vehicle_month": "元/辆·月",
    "set_month": "元/台·月",
}

OWNER_ASSETS = {
    "township_government": ["shop", "office", "plant", "warehouse", "market", "vehicle", "equipment", "greenhouse", "farm", "land", "building"],
    "administrative_unit": ["office", "shop", "vehicle", "equipment", "plant", "warehouse", "building"],
    "public_institution": ["canteen", "shop", "office", "vehicle", "equipment", "building"],
    "village_committee": ["land", "greenhouse", "farm", "fishpond", "forest", "shop", "plant", "warehouse"],
    "village_cooperative": ["land", "greenhouse", "farm", "plant", "warehouse", "shop"],
}


# ---------------------------------------------------------------------------------------------
# Parties
# ---------------------------------------------------------------------------------------------


@dataclass
class Party:
    name: str  # as written in the agreement
    kind: str  # owner kind, or company | coop | individual | bank
    rep_title: str = "法定代表人"
    rep: str = ""
    address: str = ""
    code: str = ""  # 统一社会信用代码 or ID number
    phone: str = ""
    seal: str = ""  # text around the seal ring
    short: str = ""  # how the other copy abbreviates it (side contracts)
    parent: str = ""  # for internal offices: the unit they belong to


def owner_party(kind: str, place: Place, pool: NamePool, rng: random.Random, village: str | None = None) -> Party:
    county, town = place.county, place.township
    if kind == "township_government":
        name = f"{town}人民政府"
        return Party(name, kind, "法定代表人", pool.person_name(), f"{town}{pool.street()}{rng.randint(1, 60)}号", "", "", f"{county}{name}")
    if kind == "administrative_unit":
        dept = rng.choice(
            ["教育局", "农牧局", "农业农村局", "文体旅游广电局", "卫生健康局", "交通运输局", "水利局", "住房和城乡建设局", "林业和草原局", "机关事务服务中心"]
        )
        name = f"{county}{dept}"
        return Party(name, kind, "法定代表人", pool.person_name(), f"{county}{pool.street()}{rng.randint(1, 99)}号", "", "", name)
    if kind == "public_institution":
        if rng.random() < 0.3:
            inst = rng.choice(["中心学校", "卫生院", "农业综合服务中心"])
            name = f"{town}{inst}"
            full = f"{county}{town}{inst}"
        else:
            inst = rng.choice(["第一中学", "第二中学", "职业技术学校", "人民医院", "中医院", "农业技术推广中心", "文化馆", "体育中心"])
            name = f"{county}{inst}"
            full = name
        return Party(name, kind, "法定代表人", pool.person_name(), f"{county}{pool.street()}{rng.randint(1, 99)}号", "", "", full)
    if kind == "village_committee":
        v = village or rng.choice(place.villages)
        name = f"{town}{v}村民委员会" if rng.random() < 0.7 else f"{v}村民委员会"
        return Party(name, kind, "负责人", pool.person_name(), f"{town}{v}", "", "", f"{county}{town}{v}村民委员会")
    if kind == "village_cooperative":
        v = village or rng.choice(place.villages)
        name = f"{town}{v}股份经济合作社"
        return Party(name, kind, "负责人", pool.person_name(), f"{town}{v}", "", "", f"{county}{name}")
    raise ValueError(kind)


def counterparty_party(c: Company) -> Party:
    if c.kind == "individual":
        return Party(c.name, "individual", "", c.name, c.address, c.code, c.rep.phone, "", c.name)
    return Party(c.name, c.kind, "法定代表人" if c.kind == "company" else "负责人", c.rep.name, c.address, c.code, c.rep.phone, c.name, c.short)


# ---------------------------------------------------------------------------------------------
# The Deal
# ---------------------------------------------------------------------------------------------


@dataclass
class Approval:
    body: str
    doc_no: str
    title: str
    level: int  # 1 township/department, 2 county leading group / finance bureau, 3 city, 4 province


@dataclass
class Deal:
    id: str
    family: str
    split: str
    kind: str  # main | supplementary | oral_note | white_slip | minutes | notice
    agreement_type: str
    asset_kind: str
    owner_kind: str
    place: Place
    owner: Party
    counterparty: Party
    village: str | None = None
    # asset
    asset: str = ""
    asset_location: str = ""
    area_m2: float | None = None
    area_mu: float | None = None
    count: int | None = None
    unit: str = "m2_month"
    # money
    rent_period: str | None = None  # year | quarter | month | once | None
    rent_amount: float | None = None
    annual_rent: float | None = None
    unit_price: float | None = None  # nice unit price, written when show_unit
    show_unit: bool = False
    escalation: tuple[int, float] | None = None  # every N years, +pct
    #: staged rent: (first year index from 0, annual rent from that year on); stage 0 = annual_rent
    stages: list[tuple[int, float]] | None = None
    #: rent in kind: (crop, 斤 per 亩 per year); no yuan amount is stated (annual_rent is None)
    in_kind: tuple[str, float] | None = None
    free: bool = False
    price: float | None = None  # transfer
    appraisal: float | None = None
    book_value: float | None = None
    deposit: float | None = None
    deposit_word: str = "保证金"
    # term
    start: date | None = None
    end: date | None = None
    months: int | None = None
    signed: date | None = None
    # procedure
    decision: str = "present"  # present | absent | negated
    decision_date: date | None = None
    tender: str | None = None  # public_tender | auction | listing | competitive | direct | None
    renewal: bool = False
    approval: Approval | None = None
    # performance and terms
    remittance: str = "proper"  # proper | cash_person | personal_account | wrong_unit | offset | missing
    remit_person: str = ""
    signer: str = "proper"  # proper | internal_office | individual_official
    sealed: bool = True
    unsigned: bool = False
    harmful: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    stalled: str | None = None  # unpaid | waived | stopped
    stalled_date: date | None = None
    guarantee: str | None = None  # unlawful guarantee clause / agreement variant
    guarantee_amount: float | None = None
    guarantor_lawful: bool = True
    # links
    pair_id: str | None = None
    side_change: str | None = None  # rent | term
    main: "Deal | None" = None
    amend_kind: str | None = None
    amends: dict | None = None
    # scenario bookkeeping
    scenario: str = "clean"
    injected: list[str] = field(default_factory=list)
    tricky: str | None = None
    want_expiry: bool = False
    extra: dict = field(default_factory=dict)

    # ---- derived quantities -------------------------------------------------------------
    @property
    def is_state(self) -> bool:
        return self.owner_kind in STATE_OWNERS

    @property
    def quantity(self) -> float | None:
        if self.unit == "m2_month":
            return self.area_m2
        if self.unit == "mu_year":
            return self.area_mu
        return float(self.count) if self.count else None

    def unit_rent(self) -> float | None:
        """Effective unit rent (initial year), in the catalogue unit of the asset kind."""
        if self.annual_rent is None or self.free or not self.quantity:
            return None
        if self.unit == "mu_year":
            return self.annual_rent / self.quantity
        return self.annual_rent / 12.0 / self.quantity

    def total_value(self) -> float:
        """Total contract value: annual rent over the term (with escalation), or the price."""
        if self.agreement_type == "transfer":
            return float(self.price or 0.0)
        if not self.annual_rent or not self.months:
            return 0.0
        total = 0.0
        if self.stages:
            full_years, rest = divmod(self.months, 12)
            for y in range(full_years + (1 if rest else 0)):
                amount = [a for first, a in self.stages if first <= y][-1]
                total += amount * (1.0 if y < full_years else rest / 12.0)
            return round(total, 2)
        step, pct = self.escalation or (0, 0.0)
        full_years, rest = divmod(self.months, 12)
        for y in range(full_years + (1 if rest else 0)):
            factor = (1 + pct) ** (y // step) if step else 1.0
            frac = 1.0 if y < full_years else rest / 12.0
            total += self.annual_rent * factor * frac
        return round(total, 2)


# ---------------------------------------------------------------------------------------------
# Batch context: places, market reference, profile, names
# ---------------------------------------------------------------------------------------------


@dataclass
class BatchContext:
    rng: random.Random
    pool: NamePool
    places: list[Place]
    market: dict[tuple[str, str], tuple[str, float]]  # (asset_kind, location) -> (unit, unit rent)
    profile: dict
    as_of: date
    ref_date: date

    @staticmethod
    def make(seed: int, n: int, profile: dict, as_of: date) -> "BatchContext":
        rng = random.Random(f"batch:{seed}")
        pool = NamePool(random.Random(f"names:{seed}"))
        n_places = max(3, min(10, n // 20 + 2))
        places = [pool.place() for _ in range(n_places)]
        market: dict[tuple[str, str], tuple[str, float]] = {}
        mrng = random.Random(f"market:{seed}")
        for pl in places:
            for kind, spec in ASSETS.items():
                lo, hi = spec["ref"]
                v = mrng.uniform(lo, hi)
                v = round(v * 2) / 2 if spec["unit"] == "m2_month" else round(v / 10) * 10 if v > 100 else round(v)
                market[(kind, location_key(pl))] = (spec["unit"], float(v))
        return BatchContext(rng, pool, places, market, profile, as_of, date(as_of.year, 1, 1))

    def ref(self, deal: Deal) -> float | None:
        hit = self.market.get((deal.asset_kind, location_key(deal.place)))
        return hit[1] if hit else None


def location_key(place: Place) -> str:
    return f"{place.county}{place.township}"


# ---------------------------------------------------------------------------------------------
# Small helpers used by the builder
# ---------------------------------------------------------------------------------------------


def rand_date(rng: random.Random, lo: date, hi: date) -> date:
    span = (hi - lo).days
    return lo + timedelta(days=rng.randint(0, max(0, span)))


def first_of_month(d: date) -> date:
    return d.replace(day=1)


def nice_round(x: float, step: float) -> float:
    return round(round(x / step) * step, 2)


def clone(deal: Deal) -> Deal:
    """Deep copy for side contracts / supplementary agreements (places and parties are copied too)."""
    return copy.deepcopy(deal)


def in_expiry_window(end: date, as_of: date, months: int = 3) -> bool:
    return as_of <= end <= add_months(as_of, months)


def near_window(end: date, as_of: date, months: int = 3, margin_days: int = 6) -> bool:
    """True when ``end`` is within ``margin_days`` of a warning boundary (avoided when generating)."""
    bounds = [as_of, add_months(as_of, 1), add_months(as_of, months)]
    return any(abs((end - b).days) <= margin_days for b in bounds)


__all__ = [
    "ASSETS",
    "Approval",
    "BatchContext",
    "COLLECTIVE_OWNERS",
    "DEFAULT_PROFILE",
    "Deal",
    "MU_M2",
    "OWNER_ASSETS",
    "Party",
    "STATE_OWNERS",
    "UNIT_LABEL",
    "add_months",
    "clone",
    "counterparty_party",
    "first_of_month",
    "in_expiry_window",
    "load_profile",
    "location_key",
    "near_window",
    "nice_round",
    "owner_party",
    "rand_date",
    "term_end",
]
