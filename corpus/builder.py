"""From a scenario (family + defects to inject) to the facts of one agreement (:class:`Deal`).

The builder makes the facts *consistent* with what was asked: a clean agreement gets a decision
sentence, an accepted tender method when its value needs one, market rent, a term within the
caps, an approval when its value needs one, every clause and a proper remittance; a defect is
injected by changing exactly the facts it is about.  The labels are then computed from the facts
(``corpus/labels.py``) and the generator checks that they match what was asked.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

from .facts import (
    ASSETS,
    COLLECTIVE_OWNERS,
    OWNER_ASSETS,
    STATE_OWNERS,
    Approval,
    BatchContext,
    Deal,
    Party,
    counterparty_party,
    near_window,
    nice_round,
    owner_party,
)
from .labels import approval_level_required, term_caps
from .money import add_months, months_between, term_end
from .names import card_no
from .registry import Family

BIG_ASSETS = ("plant", "market", "warehouse", "office", "land", "building", "greenhouse", "canteen")

STREET_PLACES = ["东洼", "北坡", "河滩", "西岭", "南沟", "后山", "前川", "大湾", "杨树沟", "沙梁"]


class BuildError(RuntimeError):
    pass


# ------------------------------------------------------------------------------------------
# small pieces
# ------------------------------------------------------------------------------------------


def _asset_desc(ctx: BatchContext, d: Deal, rng: random.Random) -> None:
    pl = d.place
    town = pl.township
    pool = ctx.pool
    k = d.asset_kind
    street = pool.street()
    no = rng.randint(2, 188)
    village = d.village or rng.choice(pl.villages)
    spot = rng.choice(STREET_PLACES)
    n = rng.randint(1, 4)
    ncn = "一两三四"[n - 1]
    small = (d.area_m2 or 1e9) < 45
    if k == "shop" and small:
        d.asset = rng.choice(["临街门面房一间", "报刊亭一处", "集镇小商铺一间", "综合楼一楼小门面一间"])
        d.asset_location = f"{town}{street}{no}号" if not d.village else f"{town}{d.village}村委会院内临街处"
    elif k == "office" and small:
        d.asset = rng.choice(["闲置办公用房一间", "原站所办公室一间", "综合楼二层房屋一间"])
        d.asset_location = f"{pl.county}{town}{street}{no}号"
    elif k == "shop":
        d.asset = rng.choice([f"临街门面房屋{ncn}间", f"{street}综合楼一楼商铺", f"集镇农贸市场门面房{ncn}间", "原供销社临街营业用房", f"沿街商铺{ncn}间"])
        d.asset_location = f"{town}{street}{no}号" if not d.village else f"{town}{d.village}村委会院内临街处"
    elif k == "office":
        d.asset = rng.choice([f"原{rng.choice(['农机站', '兽医站', '粮站', '文化站', '林业站'])}办公楼{rng.choice(['一', '二'])}层办公用房", f"闲置办公用房{ncn}间", "原乡政府办公院落", "综合办公楼三层部分房屋"])
        d.asset_location = f"{pl.county}{town}{street}{no}号"
    elif k == "plant":
        d.asset = rng.choice(["原砖瓦厂闲置厂房", f"标准化厂房{ncn}栋", "原农机修造厂厂房及附属用房", "闲置厂房及院落"])
        d.asset_location = rng.choice([f"{town}工业园区", f"{town}{village}", f"{town}{street}{no}号"])
    elif k == "warehouse":
        d.asset = rng.choice(["原粮站仓库", "原供销社仓储用房", f"库房{ncn}栋", "冷藏保鲜库"])
        d.asset_location = rng.choice([f"{town}{street}{no}号", f"{town}{village}", f"{town}物流园区"])
    elif k == "canteen":
        d.asset = rng.choice(["学生食堂", "职工食堂及操作间", "食堂一楼餐厅及厨房"])
        d.asset_location = f"{pl.county}{town}{street}{no}号{d.owner.name}院内"
    elif k == "market":
        d.asset = rng.choice([f"{town}农贸市场", "集镇蔬菜批发市场", "集贸市场摊位及管理用房"])
        d.asset_location = f"{town}{street}"
    elif k == "farm":
        d.asset = rng.choice(["标准化养殖场圈舍及附属设施", "扶贫养殖小区圈舍", "肉牛养殖场"])
        d.asset_location = f"{town}{village}{spot}"
    elif k == "greenhouse":
        d.asset = rng.choice([f"日光温室大棚{rng.randint(4, 40)}栋", f"蔬菜大棚{rng.randint(3, 30)}座", "高标准设施农业大棚"])
        d.asset_location = f"{town}{village}{spot}"
    elif k == "land":
        d.asset = rng.choice([f"{spot}机动地", "村集体荒地", "村集体耕地", f"{spot}集体建设用地", f"{spot}川水地"])
        d.asset_location = f"{town}{village}{spot}"
    elif k == "fishpond":
        d.asset = rng.choice([f"{spot}鱼塘", "村集体养殖水面", f"{spot}水库养殖水面"])
        d.asset_location = f"{town}{village}{spot}"
    elif k == "forest":
        d.asset = rng.choice([f"{spot}集体林地", "荒山林地", f"{spot}山场"])
        d.asset_location = f"{town}{village}{spot}"
    elif k == "vehicle":
        model = rng.choice(["东风牌洒水车", "宇通牌中型客车", "长城牌皮卡车", "江铃牌轻型货车", "解放牌自卸车"])
        d.asset = f"{model}{d.count}辆" if d.count and d.count > 1 else f"{model}一辆"
        d.asset_location = f"{town}人民政府院内" if d.owner_kind == "township_government" else f"{pl.county}{town}{street}{no}号院内"
    elif k == "equipment":
        model = rng.choice(["挖掘机", "装载机", "农用拖拉机", "粮食烘干设备", "旋耕机"])
        d.asset = f"{model}{d.count}台" if d.count and d.count > 1 else f"{model}一台"
        d.asset_location = f"{town}{rng.choice(['农机站', '农业综合服务中心'])}院内"
    elif k == "building":
        d.asset = rng.choice(["原乡政府办公楼及院落", "原粮站办公楼", "闲置综合楼一栋", "原卫生院旧址房屋"])
        d.asset_location = f"{town}{street}{no}号"
    else:
        raise BuildError(k)


INDUSTRIES = {
    "shop": ["商贸", "餐饮管理", "超市", "农资", "通讯器材"],
    "office": ["商贸", "信息技术", "教育咨询", "物业管理", "劳务服务"],
    "plant": ["农产品加工", "建材", "实业", "机械制造", "包装材料"],
    "warehouse": ["物流", "粮油", "农资", "商贸"],
    "canteen": ["餐饮管理", "餐饮服务"],
    "market": ["商业运营", "市场管理", "物业管理"],
    "farm": ["养殖", "畜牧发展", "生态农业"],
    "greenhouse": ["农业开发", "种植", "生态农业"],
    "land": ["农业开发", "种植", "生态农业", "文化旅游"],
    "fishpond": ["水产养殖", "生态农业"],
    "forest": ["林业开发", "生态农业"],
    "vehicle": ["汽车运输", "建筑工程", "物流"],
    "equipment": ["机械租赁", "建筑工程", "农机服务"],
    "building": ["实业", "商贸", "房地产开发"],
}

LENDING_ORGS = ["{town}供销合作社", "{county}老年人协会", "{town}{village}村民委员会", "{county}红十字会", "{town}文化志愿者协会", "{county}退役军人服务中心"]


def _counterparty(ctx: BatchContext, d: Deal, rng: random.Random) -> Party:
    pl = d.place
    pool = ctx.pool
    k = d.asset_kind
    r = rng.random()
    if d.agreement_type == "lending" and r < 0.65:
        v = rng.choice(pl.villages)
        name = rng.choice(LENDING_ORGS).format(town=pl.township, county=pl.county, village=v)
        from .names import uscc

        code_kind = "village" if "村民委员会" in name else "institution" if "中心" in name else "organ"
        return Party(name, "organization", "负责人", pool.person_name(), f"{pl.township}{pool.street()}{rng.randint(1, 99)}号", uscc(rng, code_kind, pl.area_code), pool_phone(rng), name, name)
    if d.agreement_type in ("cooperation", "transfer") and r < 0.9:
        return counterparty_party(pool.company(pl.county_short, pl.area_code, "company", INDUSTRIES.get(k)))
    if k in ("land", "forest", "fishpond", "greenhouse", "farm"):
        kind = "individual" if r < 0.45 else "coop" if r < 0.7 else "company"
    elif k in ("shop",):
        kind = "individual" if r < 0.4 else "company"
    elif k in ("vehicle", "equipment"):
        kind = "individual" if r < 0.25 else "company"
    else:
        kind = "individual" if r < 0.12 else "company"
    if kind == "individual":
        v = d.village or rng.choice(pl.villages)
        c = pool.individual(pl.area_code, f"{pl.township}{v}")
    else:
        c = pool.company(pl.county_short, pl.area_code, kind, INDUSTRIES.get(k))
    return counterparty_party(c)


def pool_phone(rng: random.Random) -> str:
    from .names import phone

    return phone(rng)


def _quantity(d: Deal, rng: random.Random, small: bool = False) -> None:
    spec = ASSETS[d.asset_kind]
    lo, hi = spec["small" if small else "size"]
    d.unit = spec["unit"]
    if d.unit == "m2_month" or d.asset_kind == "building":
        a = rng.uniform(lo, hi)
        d.area_m2 = round(a * 2) / 2 if a < 1000 else float(round(a))
    elif d.unit == "mu_year":
        d.area_mu = round(rng.uniform(lo, hi), 1)
    else:
        d.count = rng.randint(int(lo), int(hi))


def _scale_quantity(d: Deal, k: float) -> None:
    if d.area_m2 is not None:
        a = d.area_m2 * k
        d.area_m2 = round(a * 2) / 2 if a < 1000 else float(round(a))
    elif d.area_mu is not None:
        d.area_mu = round(d.area_mu * k, 1)
    elif d.count is not None:
        d.count = max(1, int(round(d.count * k)))


def _price(d: Deal, ref: float, factor: float, fam: Family, rng: random.Random) -> None:
    """Set rent_period / rent_amount / annual_rent / unit_price for a target unit rent."""
    target = ref * factor
    q = d.quantity or 1.0
    periods = [p for p in fam.periods if not (p == "once" and (d.months is None or d.months > 36 or d.months % 12))]
    if d.unit == "mu_year":
        periods = [p for p in periods if p in ("year", "once")] or ["year"]
    p = rng.choice(periods or ["year"])
    d.rent_period = p
    d.show_unit = rng.random() < fam.show_unit or (d.unit == "mu_year" and rng.random() < 0.6)
    if d.unit == "m2_month":
        u = max(0.5, round(target * 2) / 2)
    elif d.unit == "mu_year":
        u = float(round(target / 10) * 10) if target >= 100 else float(round(target))
    else:
        u = float(round(target / 50) * 50)
    if d.show_unit and p != "once":
        d.unit_price = u
        per_month = d.unit != "mu_year"
        base = u * q  # per month (or per year for mu)
        if p == "month":
            d.rent_amount = round(base, 2)
            d.annual_rent = round(base * 12, 2)
        elif p == "quarter":
            d.rent_amount = round(base * 3, 2)
            d.annual_rent = round(base * 12, 2)
        else:
            d.rent_amount = round(base * (12 if per_month else 1), 2)
            d.annual_rent = d.rent_amount
        return
    d.unit_price = None
    d.show_unit = False
    annual = target * q * (12 if d.unit != "mu_year" else 1)
    step = 100.0 if annual >= 5000 else 10.0
    if p == "month":
        d.rent_amount = max(10.0, nice_round(annual / 12, 10.0 if annual / 12 < 5000 else 100.0))
        d.annual_rent = round(d.rent_amount * 12, 2)
    elif p == "quarter":
        d.rent_amount = max(10.0, nice_round(annual / 4, step))
        d.annual_rent = round(d.rent_amount * 4, 2)
    elif p == "once":
        years = d.months // 12
        total = nice_round(annual * years, 1000.0 if annual * years > 20000 else 100.0)
        d.rent_amount = total
        d.annual_rent = round(total / years, 2)
    else:
        d.rent_amount = max(10.0, nice_round(annual, step))
        d.annual_rent = d.rent_amount


def _months(d: Deal, fam: Family, rng: random.Random, over: str | None, tricky: str | None) -> int:
    t = d.agreement_type
    if tricky == "long_land":
        return rng.choice([252, 264, 276, 300, 324, 360])
    if t == "cooperation":
        return rng.choice([120, 144, 180, 240])
    if d.is_state:
        if t == "lending":
            if over:
                return rng.choice([24, 36, 60])
            return rng.choice([6, 12, 12])
        if over == "beyond_legal_max":
            return rng.choice([300, 360])
        if over:
            return rng.choice([72, 84, 96, 120, 180, 240])
        return rng.choice([12, 24, 36, 36, 36, 48, 60, 60])
    # collective
    if t == "contracting" and d.asset_kind in ("land", "fishpond"):
        if over:
            return rng.choice([420, 480, 600])
        return rng.choice([36, 60, 96, 120, 180, 240])
    if t == "contracting" and d.asset_kind == "forest":
        if over:
            return rng.choice([900, 960])
        return rng.choice([120, 180, 240, 360, 480])
    if over:
        return rng.choice([300, 360, 420])
    return rng.choice([36, 60, 60, 96, 120, 180, 240])


def _dates(ctx: BatchContext, d: Deal, fam: Family, rng: random.Random, want_expiry: bool, need_past: int = 0) -> None:
    """Pick start/end/signed; an expiry target puts the end inside the warning window, otherwise
    the end stays clear of it (and of its boundaries)."""
    as_of = ctx.as_of
    m = d.months
    from_sign = rng.random() < fam.from_sign
    for _ in range(200):
        if want_expiry:
            end = as_of + timedelta(days=rng.choice([rng.randint(2, 23), rng.randint(38, 85)]))
            nxt = end + timedelta(days=1)
            if nxt.day > 28:
                continue
            start = add_months(nxt, -m)
        else:
            lo = add_months(as_of, -m - 48)
            hi = as_of - timedelta(days=20 + need_past)
            lo = max(lo, date(1996, 1, 1))
            if lo >= hi:
                lo = hi - timedelta(days=400)
            start = lo + timedelta(days=rng.randint(0, (hi - lo).days))
            start = start.replace(day=min(start.day, 28))
            if rng.random() < 0.5:
                start = start.replace(day=1)
        end = term_end(start, m)
        if months_between(start, end) != m:
            continue
        if not want_expiry and (as_of <= end <= add_months(as_of, 3) or near_window(end, as_of)):
            continue
        if want_expiry and near_window(end, as_of, margin_days=3):
            continue
        if need_past and start > as_of - timedelta(days=need_past):
            continue
        signed = start if from_sign else start - timedelta(days=rng.randint(0, 25))
        if signed > as_of - timedelta(days=5):
            continue
        d.start, d.end, d.signed = start, end, signed
        d.extra["from_sign"] = from_sign
        return
    raise BuildError(f"no dates for {m} months")


def make_approval(ctx: BatchContext, d: Deal, level: int, rng: random.Random) -> Approval | None:
    pl = d.place
    y = (d.signed or d.start or date(2020, 1, 1)).year
    n = rng.randint(3, 98)
    cs, ts = pl.county_short, pl.township_short
    verb = {"lease": "出租", "contracting": "发包", "cooperation": "合作开发", "transfer": "转让", "lending": "出借"}.get(d.agreement_type, "处置")
    short_owner = d.owner.name.replace(pl.county, "")
    if level <= 1:
        if d.owner_kind == "public_institution":
            dept = "教育局" if "学" in d.owner.name else "卫生健康局" if ("医" in d.owner.name or "卫生" in d.owner.name) else "农业农村局"
            body, no = f"{pl.county}{dept}", f"{cs}{dept[0]}〔{y}〕{n}号"
        elif d.owner_kind in COLLECTIVE_OWNERS:
            body, no = f"{pl.township}人民政府", f"{ts}政函〔{y}〕{n}号"
        elif d.owner_kind == "township_government":
            body, no = f"{pl.township}财政所", f"{ts}财〔{y}〕{n}号"
        else:
            return None  # a county department has no approving body below the county
        level = 1
    elif level == 2:
        body, no = rng.choice(
            [(f"{pl.county}财政局", f"{cs}财资〔{y}〕{n}号"), (f"{pl.county}国有资产管理工作领导小组", f"{cs}国资组〔{y}〕{n}号"), (f"{pl.county}人民政府", f"{cs}政函〔{y}〕{n}号")]
        )
    elif level == 3:
        body, no = rng.choice([(f"{pl.city}财政局", f"{pl.city_short}财资〔{y}〕{n}号"), (f"{pl.city}人民政府国有资产监督管理委员会", f"{pl.city_short}国资〔{y}〕{n}号")])
    else:
        body, no = "省财政厅", f"财资〔{y}〕{n}号"
    title = f"关于同意{short_owner}{verb}{d.asset}的批复"
    return Approval(body, no, title, level)


def _tender_method(d: Deal, fam: Family, rng: random.Random) -> str:
    if d.agreement_type == "transfer":
        return rng.choice(["auction", "listing"])
    if d.agreement_type == "cooperation":
        return "competitive"
    if d.asset_kind in ("land", "fishpond", "forest", "greenhouse", "farm") and not d.is_state:
        return rng.choice(["competitive", "listing", "public_tender"])
    return rng.choice(fam.tender_pref)


# ------------------------------------------------------------------------------------------
# main agreements
# ------------------------------------------------------------------------------------------


def build_main(
    ctx: BatchContext,
    fam: Family,
    defects: set[str],
    doc_id: str,
    rng: random.Random,
    tricky: str | None = None,
    want_expiry: bool = False,
    side: bool = False,
) -> Deal:
    prof = ctx.profile
    thr = float(prof["tender"]["required_above_total_yuan"])
    band1 = float(prof["approval"]["bands"][0]["max_yuan"])

    # ---- agreement type
    types = list(fam.types)
    if "over_term" in defects:
        types = [t for t in types if t in ("lease", "lending", "contracting")]
    if "below_market_rent" in defects or side:
        types = [t for t in types if t in ("lease", "contracting", "transfer")]
    if side or want_expiry:
        types = [t for t in types if t in ("lease", "contracting", "lending", "cooperation")] or types
    if side:
        types = [t for t in types if t in ("lease", "contracting")]
    if defects & {"harmful_terms", "stalled_performance"}:
        types = [t for t in types if t != "transfer"]
    if "stalled_performance" in defects:
        types = [t for t in types if t != "lending"]
    if defects & {"off_book_income", "no_public_tender"}:
        types = [t for t in types if t != "lending"]
    if "unlawful_guarantee" in defects:
        types = [t for t in types if t in ("lease", "cooperation", "contracting")]
    if tricky == "small_direct":
        types = [t for t in types if t == "lease"]
    if tricky == "long_land":
        types = [t for t in types if t == "contracting"]
    if not types:
        raise BuildError(f"{fam.id}: no agreement type for {sorted(defects)}")
    t = rng.choice(types)

    # ---- owner
    owners = list(fam.owners)
    over_auth = None
    if "over_authority" in defects:
        can_value = t in ("lease", "contracting", "cooperation", "transfer") and any(o in STATE_OWNERS for o in owners)
        over_auth = "by_value" if can_value and rng.random() < 0.5 else "no_capacity"
        if over_auth == "by_value":
            owners = [o for o in owners if o in STATE_OWNERS]
    if tricky == "long_land" or (t == "contracting" and set(fam.assets) <= {"land", "fishpond", "forest"}):
        owners = [o for o in owners if o in COLLECTIVE_OWNERS]
    guarantee = None
    if "unlawful_guarantee" in defects:
        guarantee = "loan_guarantee"
        if rng.random() < 0.5 and any(o in COLLECTIVE_OWNERS for o in owners):
            guarantee = "land_mortgage"
            owners = [o for o in owners if o in COLLECTIVE_OWNERS]
    owner_kind = rng.choice(owners)

    # ---- asset
    assets = [a for a in fam.assets if a in OWNER_ASSETS[owner_kind]]
    if t == "transfer":
        assets = [a for a in assets if a in ("vehicle", "equipment", "building")]
    elif t != "transfer":
        assets = [a for a in assets if a != "building"]
    if over_auth == "by_value" or guarantee == "land_mortgage":
        big = [a for a in assets if a in BIG_ASSETS] if over_auth == "by_value" else [a for a in assets if a in ("land", "greenhouse", "farm")]
        assets = big or assets
    if tricky == "long_land":
        assets = [a for a in assets if a == "land"]
    if t == "cooperation":
        assets = [a for a in assets if a in ("land",)] or assets
    if not assets:
        raise BuildError(f"{fam.id}: no asset for {owner_kind}/{t}")
    asset_kind = rng.choice(assets)

    place = rng.choice(ctx.places)
    village = rng.choice(place.villages) if owner_kind in COLLECTIVE_OWNERS else None
    owner = owner_party(owner_kind, place, ctx.pool, rng, village)
    d = Deal(doc_id, fam.id, fam.split, "main", t, asset_kind, owner_kind, place, owner, Party("", ""), village=village)
    d.counterparty = _counterparty(ctx, d, rng)
    d.tricky = tricky
    d.want_expiry = want_expiry
    d.injected = sorted(defects)
    d.extra["bank"] = ctx.pool.bank(place.county_short, place.township_short)

    # ---- quantity, description
    _quantity(d, rng, small=(tricky == "small_direct"))
    if asset_kind == "vehicle" and d.count and d.count > 3:
        d.count = 3
    _asset_desc(ctx, d, rng)

    # ---- term
    over_term = None
    if "over_term" in defects:
        over_term = "beyond_legal_max" if (rng.random() < 0.3 and t != "lending") else "over_profile_cap"
        if not d.is_state:
            over_term = "beyond_legal_max"
    if t == "transfer":
        d.months = None
    else:
        d.months = _months(d, fam, rng, over_term, tricky)
        if tricky == "small_direct":
            d.months = rng.choice([12, 24, 36])
    need_past = 400 if "stalled_performance" in defects else 0
    if t == "transfer":
        d.signed = rng.choice([date(ctx.as_of.year - k, 1, 1) for k in range(1, 9)]) + timedelta(days=rng.randint(0, 360))
        if d.signed > ctx.as_of - timedelta(days=10):
            d.signed = ctx.as_of - timedelta(days=rng.randint(30, 300))
    else:
        _dates(ctx, d, fam, rng, want_expiry, need_past)

    # ---- money
    ref = ctx.ref(d) or 1.0
    low = "below_market_rent" in defects
    if t == "lending":
        d.free = True
        d.book_value = nice_round((d.quantity or 1) * rng.uniform(800, 2500), 100.0) if d.area_m2 else nice_round(rng.uniform(30000, 300000), 100.0)
    elif t == "transfer":
        if asset_kind == "building":
            appraisal = nice_round(d.area_m2 * rng.uniform(1200, 3200), 1000.0)
        elif asset_kind == "vehicle":
            appraisal = nice_round((d.count or 1) * rng.uniform(25000, 150000), 100.0)
        else:
            appraisal = nice_round((d.count or 1) * rng.uniform(20000, 160000), 100.0)
        d.appraisal = appraisal
        d.price = nice_round(appraisal * (rng.uniform(0.35, 0.75) if low else rng.uniform(1.0, 1.3)), 100.0)
        d.rent_period = "once"
        d.rent_amount = d.price
    else:
        factor = rng.uniform(0.4, 0.78) if low else rng.uniform(0.97, 1.4)
        _price(d, ref, factor, fam, rng)
        if d.months and d.months >= 72 and d.rent_period != "once" and rng.random() < fam.escalation:
            d.escalation = (rng.choice([3, 5]), rng.choice([0.03, 0.05, 0.05, 0.08, 0.1]))
        # value-driven sizing
        want_min = 0.0
        want_max = None
        if "no_public_tender" in defects:
            want_min = thr * 1.2
        if over_auth == "by_value":
            want_min = max(want_min, band1 * 1.25)
        if tricky == "small_direct":
            want_max = thr * 0.6
        for _ in range(12):
            v = d.total_value()
            if v < want_min:
                _scale_quantity(d, min(6.0, want_min / max(v, 1.0) * 1.15))
                _price(d, ref, factor, fam, rng)
                continue
            if want_max is not None and v > want_max:
                _scale_quantity(d, max(0.2, want_max / v * 0.8))
                _price(d, ref, factor, fam, rng)
                continue
            break
        if over_auth == "by_value" and d.total_value() < band1 * 1.1:
            caps = term_caps(d, prof)
            if caps and d.months < caps[0] * 12 and not over_term:
                d.months = caps[0] * 12
                _dates(ctx, d, fam, rng, want_expiry, need_past)
    if d.area_m2 and asset_kind in ("vehicle", "equipment"):
        d.area_m2 = None
    if asset_kind in ("vehicle", "equipment"):
        _asset_desc(ctx, d, rng)  # the count may have changed
    if t == "transfer" and over_auth == "by_value" and d.price < band1 * 1.1:
        k = band1 * 1.3 / d.price
        d.appraisal = nice_round(d.appraisal * k, 1000.0)
        d.price = nice_round(d.price * k, 1000.0)
        d.rent_amount = d.price
        if d.area_m2:
            d.area_m2 = float(round(d.area_m2 * k))

    # ---- deposit
    if t in ("lease", "contracting") and rng.random() < fam.deposit_p and d.annual_rent:
        d.deposit = nice_round(max(1000.0, d.annual_rent * rng.choice([0.1, 0.2, 0.25, 1 / 12 * 2, 1 / 12 * 3])), 500.0 if d.annual_rent > 6000 else 100.0)
        d.deposit_word = rng.choice(fam.deposit_words)

    # ---- procedure
    d.decision = "present"
    if "no_collective_decision" in defects:
        d.decision = rng.choice(["absent", "absent", "negated"])
    d.decision_date = (d.signed or date(2020, 1, 1)) - timedelta(days=rng.randint(5, 40))

    value = d.total_value()
    required = t == "transfer" or (t in ("lease", "contracting", "cooperation") and value >= thr)
    if t == "lending":
        d.tender = None
    elif "no_public_tender" in defects:
        d.tender = "direct" if rng.random() < 0.8 else None
        d.renewal = d.tender == "direct" and t == "lease" and rng.random() < 0.25
    elif tricky == "small_direct":
        d.tender = "direct"
    elif required:
        d.tender = _tender_method(d, fam, rng)
    else:
        d.tender = "direct" if rng.random() < 0.5 else _tender_method(d, fam, rng)
        d.renewal = d.tender == "direct" and t == "lease" and rng.random() < 0.2

    need = approval_level_required(value, prof) if d.is_state and t in ("lease", "contracting", "cooperation", "transfer") else 1
    if over_auth == "by_value":
        d.approval = None if rng.random() < 0.5 else make_approval(ctx, d, need - 1, rng)
        if d.approval and d.approval.level >= need:
            d.approval = None
    elif need > 1:
        d.approval = make_approval(ctx, d, need, rng)
    elif rng.random() < (0.3 if d.is_state else 0.35):
        d.approval = make_approval(ctx, d, rng.choice([1, 2]) if d.is_state else 1, rng)

    # ---- remittance
    if t == "lending":
        d.remittance = "unstated"
    elif "off_book_income" in defects:
        modes = ["cash_person", "personal_account", "offset"] + (["wrong_unit"] if d.is_state else [])
        d.remittance = rng.choice(modes)
        d.remit_person = ctx.pool.person_name()
        d.extra["card"] = card_no(rng)
        if d.remittance == "wrong_unit" and rng.random() < 0.5:
            d.extra["wrong_payee"] = ctx.pool.company(place.county_short, place.area_code).name
    else:
        d.remittance = "proper"

    # ---- signer / seal
    if over_auth == "no_capacity":
        if d.is_state:
            office = rng.choice(["办公室", "后勤科", "综合办公室", "总务处"] if owner_kind != "township_government" else ["党政办公室", "办公室", "财政所"])
            d.owner.parent = d.owner.name
            d.owner.name = d.owner.name + office
            d.owner.seal = (d.owner.seal or d.owner.parent) + office
            d.signer = "internal_office"
        else:
            person = ctx.pool.person_name()
            d.owner.parent = d.owner.name
            d.owner.name = f"{village}村委会主任{person}"
            d.owner.rep = person
            d.owner.seal = ""
            d.signer = "individual_official"
            d.sealed = False
    if "informal_agreement" in defects:
        d.sealed = False
        d.unsigned = True

    # ---- clause-level defects
    if "harmful_terms" in defects:
        opts = ["fixed_rent", "auto_renew", "state_risk", "sublease", "free_use"]
        if t == "lending":
            opts = ["auto_renew", "state_risk", "sublease"]
        pick = rng.sample(opts, 2 if rng.random() < 0.25 else 1)
        d.harmful = [h for h in opts if h in pick]
        if "fixed_rent" in d.harmful:
            d.escalation = None
        if "free_use" in d.harmful:
            d.extra["free_extra"] = rng.choice(["院内空地及附属用房", "相邻的两间库房", "院落及停车场", "附属的晒场"])
    if "missing_clauses" in defects:
        if t == "lending":
            opts = ["breach", "term", "return"]
        elif t == "transfer":
            opts = ["breach", "remittance"]
        elif t == "cooperation":
            opts = ["breach", "term", "remittance", "return"]
        else:
            opts = ["breach", "rent", "term", "return", "remittance"]
        if want_expiry:
            opts = [o for o in opts if o != "term"]
        if "off_book_income" in defects:
            opts = [o for o in opts if o not in ("remittance", "rent")]
        if defects & {"below_market_rent", "no_public_tender"} or over_auth == "by_value" or side:
            opts = [o for o in opts if o != "rent"]
        if "over_term" in defects:
            opts = [o for o in opts if o != "term"]
        if "stalled_performance" in defects:
            opts = [o for o in opts if o != "rent"]
        pick = rng.sample(opts, 2 if rng.random() < 0.2 and len(opts) > 1 else 1)
        if "rent" in pick and "remittance" not in pick:
            pick.append("remittance")
        order = ["rent", "term", "breach", "return", "remittance"]
        d.missing = [o for o in order if o in pick]
        if "rent" in d.missing:
            d.rent_amount = d.annual_rent = d.unit_price = None
            d.rent_period = None
            d.escalation = None
            d.deposit = None
            d.tender = "direct" if d.tender == "direct" else d.tender
        if "remittance" in d.missing:
            d.remittance = "missing"
        if "term" in d.missing:
            d.start = d.end = None
            d.months = None
            if d.rent_period == "once":
                d.rent_period = "year"
    if "stalled_performance" in defects:
        d.stalled = rng.choice(["unpaid", "waived", "stopped"])
        lo = (d.start or d.signed) + timedelta(days=120)
        hi = min(ctx.as_of - timedelta(days=40), d.end or ctx.as_of)
        if hi <= lo:
            lo = hi - timedelta(days=60)
        d.stalled_date = lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days)))
    if guarantee:
        d.guarantee = guarantee
        d.guarantor_lawful = False
        d.guarantee_amount = nice_round(rng.uniform(300000, 5000000), 10000.0)
    if fam.adapt is not None:
        fam.adapt(ctx, d, rng, set(defects))
    return d


# ------------------------------------------------------------------------------------------
# side contracts, supplementary agreements
# ------------------------------------------------------------------------------------------


def side_twin(ctx: BatchContext, a: Deal, fam: Family, doc_id: str, rng: random.Random) -> Deal:
    """The other version of ``a``: same asset and counterparty (name varied), other rent or term."""
    import copy

    b = copy.deepcopy(a)
    b.id, b.family, b.split = doc_id, fam.id, fam.split
    b.extra = dict(a.extra)
    c = b.counterparty
    if c.kind == "individual":
        if rng.random() < 0.6:
            c.name = c.name + rng.choice(["（个体工商户）", "（户主）", "（经营者）"])
    else:
        variants = [c.short, c.name.replace("有限责任公司", "有限公司"), c.name.replace(b.place.county_short + "县", b.place.county_short)]
        variants = [v for v in variants if v and v != c.name]
        c.name = rng.choice(variants) if variants else c.short
    change = rng.choice(["rent", "term"]) if a.rent_amount else "term"
    if change == "term" and a.months and (a.months + 36) // 12 > 30:
        change = "rent" if a.rent_amount else "term"
    if change == "rent":
        k = rng.uniform(0.45, 0.75)
        if b.unit_price is not None:
            b.unit_price = max(0.5, round(b.unit_price * k * 2) / 2) if b.unit == "m2_month" else float(round(b.unit_price * k / 10) * 10 or 1)
            q = b.quantity or 1.0
            base = b.unit_price * q
            if b.unit != "mu_year":
                b.rent_amount = round(base * {"month": 1, "quarter": 3, "year": 12}[b.rent_period], 2)
                b.annual_rent = round(base * 12, 2)
            else:
                b.rent_amount = b.annual_rent = round(base, 2)
        else:
            per = {"month": 12, "quarter": 4, "year": 1, "once": None}[b.rent_period]
            if per is None:
                b.rent_amount = nice_round(b.rent_amount * k, 100.0)
                b.annual_rent = round(b.rent_amount / (b.months / 12), 2)
            else:
                b.rent_amount = nice_round(b.rent_amount * k, 10.0 if b.rent_amount < 5000 else 100.0)
                b.annual_rent = round(b.rent_amount * per, 2)
        if b.deposit:
            b.deposit = nice_round(b.deposit * k, 100.0)
    else:
        extra = rng.choice([24, 36, 60])
        b.months = a.months + extra
        b.end = term_end(b.start, b.months)
        if near_window(b.end, ctx.as_of) or (ctx.as_of <= b.end <= add_months(ctx.as_of, 3)):
            b.months += 12
            b.end = term_end(b.start, b.months)
        if b.rent_period == "once":
            b.annual_rent = round(b.rent_amount / (b.months / 12), 2)
    b.signed = a.signed + timedelta(days=rng.randint(-20, 20)) if a.signed else None
    if b.signed and b.extra.get("from_sign"):
        b.extra["from_sign"] = False
    if b.signed and b.signed > ctx.as_of - timedelta(days=3):
        b.signed = ctx.as_of - timedelta(days=10)
    if b.stages:
        if change == "rent":
            ratio = (b.annual_rent or 0.0) / (a.annual_rent or 1.0)
            b.stages = [(y, nice_round(x * ratio, 10.0)) for y, x in b.stages]
            b.stages[0] = (0, b.annual_rent)
        if b.extra.get("rent_shape") == "step":
            b.stages, b.extra["rent_shape"] = None, "plain"
    b.side_change = a.side_change = change
    b.pair_id, a.pair_id = a.id, b.id
    b.injected = sorted(set(a.injected) | {"side_contract"})
    a.injected = sorted(set(a.injected) | {"side_contract"})
    b.want_expiry = False
    return b


# ------------------------------------------------------------------------------------------
# side contracts and renewals written as real pairs are: the same party and asset named
# differently (岩口镇向家村村委会 / 隆回县岩口镇向家村村民委员会, 临街门面 / 红岭路18号临街门面房)
# ------------------------------------------------------------------------------------------

_COUNT_TAIL = re.compile(r"(?:[一二两三四五六七八九十\d]+)(?:间|处|栋|座|台|辆|口)$")


def owner_variant(d: Deal, rng: random.Random) -> str:
    """Another way the same owner is written: with or without the county, 村委会 for
    村民委员会, 乡政府 for 乡人民政府."""
    o, pl = d.owner, d.place
    name = o.name
    full = o.seal or name
    if "生产队" in name:
        return name.replace(pl.county, "") if name.startswith(pl.county) else name
    opts = []
    if d.owner_kind == "village_committee":
        v = d.village or ""
        opts = [full, f"{pl.township}{v}村委会", f"{v}村委会", f"{pl.county}{pl.township}{v}村委会", f"{v}村民委员会"]
    elif d.owner_kind == "village_cooperative":
        v = d.village or ""
        opts = [full, f"{v}股份经济合作社", f"{pl.township}{v}经济合作社"]
    elif d.owner_kind == "township_government":
        opts = [full, f"{pl.township}政府", f"{pl.county}{pl.township}政府"]
    elif d.owner_kind == "administrative_unit":
        opts = [name.replace(pl.county, "县", 1), name.replace(pl.county, pl.county_short, 1)]
    else:
        opts = [full, name.replace(pl.county, "", 1) if len(name.replace(pl.county, "", 1)) >= 4 else full]
    opts = [x for x in opts if x and x != name]
    return rng.choice(opts) if opts else name


def asset_variant(d: Deal, rng: random.Random) -> tuple[str, str]:
    """(asset, location) written otherwise: the count dropped or the street number put in front
    of the asset (临街门面房屋两间 / 新华街18号临街门面房), the location without its township."""
    a, loc = d.asset, d.asset_location
    pl = d.place
    base = a if d.asset_kind in ("vehicle", "equipment") else (_COUNT_TAIL.sub("", a) or a)
    opts = [base] if base != a else []
    if "牌" in base:
        opts.append(base.replace("牌", "", 1))
    if base.endswith("门面房屋"):
        opts += [base[:-2] + "房", base[:-2]]
    elif base.endswith("门面房"):
        opts.append(base[:-1])
    elif base.endswith("门面"):
        opts.append(base + "房")
    elif base.endswith("房屋"):
        opts.append(base[:-1])
    m = re.search(r"([\u4e00-\u9fa5]{1,6}?(?:路|街|大道|巷)\d+号)$", loc)
    if m:
        opts.append(m.group(1) + rng.choice(opts or [base]))
    if d.village and d.village not in base:
        opts.append(d.village + base)
    opts = [x for x in opts if x and x != a]
    new_a = rng.choice(opts) if opts else a
    new_loc = loc
    if loc.startswith(pl.county):
        new_loc = loc[len(pl.county):]
    elif loc.startswith(pl.township) and rng.random() < 0.5:
        new_loc = pl.county + loc
    return new_a, new_loc


def cp_variant(c: Party, rng: random.Random, county_short: str) -> str:
    if c.kind == "individual":
        return c.name
    variants = [c.short, c.name.replace("有限责任公司", "有限公司"), c.name.replace(county_short + "县", county_short), c.name.replace(county_short + "县", "")]
    variants = [v for v in variants if v and v != c.name and len(v) >= 4]
    return rng.choice(variants) if variants else c.name


def realistic_names(b: Deal, rng: random.Random) -> None:
    """Rename the twin's owner, asset, location and counterparty as another clerk would."""
    b.owner.name = owner_variant(b, rng)
    b.asset, b.asset_location = asset_variant(b, rng)
    b.counterparty.name = cp_variant(b.counterparty, rng, b.place.county_short)


def renewal_twin(ctx: BatchContext, a: Deal, fam: Family, doc_id: str, rng: random.Random, relation: str) -> Deal:
    """A lawful neighbour of ``a``: the renewal for the next term (``renewal``: consecutive,
    non-overlapping, the same or a slightly higher rent) or a second copy of the same deal
    (``copy``: same rent, same term, another clerk's wording)."""
    import copy

    b = copy.deepcopy(a)
    b.id, b.family, b.split = doc_id, fam.id, fam.split
    b.extra = dict(a.extra)
    b.pair_id = None
    b.want_expiry = False
    realistic_names(b, rng)
    if relation == "renewal":
        b.months = rng.choice([a.months, a.months, 36, 60]) if a.months else 36
        caps = term_caps(b, ctx.profile)
        if caps:
            b.months = min(b.months, caps[0] * 12)
        if a.end + timedelta(days=60) < ctx.as_of:  # the next term
            b.start = a.end + timedelta(days=1)
            b.end = term_end(b.start, b.months)
        else:  # the term before
            b.end = a.start - timedelta(days=1)
            b.start = add_months(b.end + timedelta(days=1), -b.months)
        b.signed = b.start - timedelta(days=rng.randint(3, 25))
        b.extra["from_sign"] = False
        if b.rent_amount and rng.random() < 0.5:
            k = rng.choice([1.05, 1.08, 1.1])
            b.rent_amount = nice_round(b.rent_amount * k, 10.0)
            per = {"month": 12, "quarter": 4, "year": 1}.get(b.rent_period or "", None)
            if per:
                b.annual_rent = round(b.rent_amount * per, 2)
            if b.unit_price is not None:
                b.unit_price = None
                b.show_unit = False
        b.stages = None
        if b.extra.get("rent_shape") == "step":
            b.extra["rent_shape"] = "plain"
        if b.extra.get("rent_style") == "staged":
            b.extra["rent_style"] = "total"
        if b.tender == "direct" and b.agreement_type == "lease":
            b.renewal = True
        b.decision_date = b.signed - timedelta(days=rng.randint(5, 30))
    else:
        b.signed = a.signed
    b.extra["twin_of"], b.extra["twin_relation"] = a.id, relation
    a.extra["twin_of"], a.extra["twin_relation"] = b.id, relation
    return b


def side_twin_real(ctx: BatchContext, a: Deal, fam: Family, doc_id: str, rng: random.Random) -> Deal:
    """A side contract written as real ones are: :func:`side_twin` plus the owner, asset and
    counterparty named as another clerk would write them."""
    b = side_twin(ctx, a, fam, doc_id, rng)
    realistic_names(b, rng)
    b.extra["twin_of"], b.extra["twin_relation"] = a.id, "side_contract"
    a.extra["twin_of"], a.extra["twin_relation"] = b.id, "side_contract"
    return b


AMEND_KINDS = ("rent_increase", "rent_reduce", "extend", "waive", "payee", "harmful", "no_decision", "unsealed")


def build_supplement(ctx: BatchContext, main: Deal, fam: Family, doc_id: str, rng: random.Random, amend: str) -> Deal:
    """A 补充协议 amending ``main``; ``amend`` in AMEND_KINDS decides what it changes (and which label it earns)."""
    import copy

    s = Deal(doc_id, fam.id, fam.split, "supplementary", main.agreement_type, main.asset_kind, main.owner_kind, main.place, copy.deepcopy(main.owner), copy.deepcopy(main.counterparty))
    s.village = main.village
    s.asset, s.asset_location = main.asset, main.asset_location
    s.area_m2, s.area_mu, s.count, s.unit = main.area_m2, main.area_mu, main.count, main.unit
    s.main = main
    s.amend_kind = amend
    s.remittance = "unstated"
    s.tender = None
    s.decision = "present"
    s.extra["bank"] = main.extra.get("bank")
    s.deposit_word = main.deposit_word
    lo = (main.signed or main.start) + timedelta(days=90)
    hi = min(ctx.as_of - timedelta(days=15), main.end - timedelta(days=30) if main.end else ctx.as_of)
    if hi <= lo:
        hi = lo + timedelta(days=30)
    s.signed = lo + timedelta(days=rng.randint(0, (hi - lo).days))
    if s.signed > ctx.as_of - timedelta(days=5):
        s.signed = ctx.as_of - timedelta(days=5)
    s.decision_date = s.signed - timedelta(days=rng.randint(3, 30))
    ref = ctx.ref(main) or 1.0
    base_kind = amend
    if amend in ("no_decision", "unsealed"):
        base_kind = rng.choice(["rent_increase", "extend"])
    caps0 = term_caps(main, ctx.profile)
    if base_kind == "extend" and caps0 and caps0[0] * 12 - main.months < 12:
        base_kind = "rent_increase"  # no room for a lawful extension
    if base_kind in ("rent_increase", "rent_reduce"):
        cur = main.unit_rent() or ref
        if base_kind == "rent_increase":
            k = rng.uniform(1.05, 1.25)
            target_unit = max(cur * k, ref * 0.98)
        else:
            target_unit = ref * rng.uniform(0.45, 0.75)
        q = main.quantity or 1.0
        annual = target_unit * q * (12 if main.unit != "mu_year" else 1)
        per = {"month": 12, "quarter": 4, "year": 1}.get(main.rent_period or "year", 1)
        s.rent_period = main.rent_period if main.rent_period in ("month", "quarter", "year") else "year"
        per = {"month": 12, "quarter": 4, "year": 1}[s.rent_period]
        s.rent_amount = nice_round(annual / per, 10.0 if annual / per < 5000 else 100.0)
        s.annual_rent = round(s.rent_amount * per, 2)
        s.extra["effective"] = max(s.signed + timedelta(days=1), main.start).replace(day=1) + timedelta(days=31)
        s.extra["effective"] = s.extra["effective"].replace(day=1)
    elif base_kind == "extend":
        caps = term_caps(main, ctx.profile)
        ext = rng.choice([12, 24, 36])
        if caps:
            cap = caps[0] * 12
            room = cap - main.months
            if room >= 12:
                ext = rng.choice([m for m in (12, 24, 36, 60) if m <= room] or [12])
        s.end = term_end(main.start, main.months + ext)
        for _ in range(6):
            if not (near_window(s.end, ctx.as_of) or (ctx.as_of <= s.end <= add_months(ctx.as_of, 3))):
                break
            ext += 12
            s.end = term_end(main.start, main.months + ext)
        s.months = None
        s.extra["ext_months"] = ext
    if amend == "waive":
        s.stalled = "waived"
        s.stalled_date = max(main.start or s.signed, s.signed - timedelta(days=200))
    elif amend == "payee":
        s.remittance = rng.choice(["cash_person", "personal_account"])
        s.remit_person = ctx.pool.person_name()
        s.extra["card"] = card_no(rng)
    elif amend == "harmful":
        s.harmful = [rng.choice(["fixed_rent", "auto_renew", "sublease"])]
    elif amend == "no_decision":
        s.decision = rng.choice(["absent", "negated"])
    elif amend == "unsealed":
        s.sealed = False
        s.unsigned = True
    return s


def extend_over(ctx: BatchContext, s: Deal, rng: random.Random) -> None:
    """Make a term extension exceed the cap (over_term on the supplementary agreement)."""
    main = s.main
    caps = term_caps(main, ctx.profile)
    if not caps:
        return
    cap = caps[0] * 12
    ext = cap - main.months + rng.choice([12, 24, 36, 60])
    s.end = term_end(main.start, main.months + ext)
    s.extra["ext_months"] = ext
    for _ in range(6):
        if near_window(s.end, ctx.as_of) or (ctx.as_of <= s.end <= add_months(ctx.as_of, 3)):
            ext += 12
            s.end = term_end(main.start, main.months + ext)
            s.extra["ext_months"] = ext


# ------------------------------------------------------------------------------------------
# guarantee agreements, oral notes, white slips
# ------------------------------------------------------------------------------------------


def build_guarantee(ctx: BatchContext, fam: Family, doc_id: str, rng: random.Random, unlawful: bool, extra_defects: set[str]) -> Deal:
    place = rng.choice(ctx.places)
    if unlawful:
        variant = rng.choice(["state_guarantor", "institution_guarantor", "village_guarantor", "village_land_mortgage", "school_mortgage"])
        owner_kind = {
            "state_guarantor": "township_government",
            "institution_guarantor": "public_institution",
            "village_guarantor": "village_committee",
            "village_land_mortgage": "village_committee",
            "school_mortgage": "public_institution",
        }[variant]
    else:
        variant = "performance_guarantee"
        owner_kind = rng.choice(["township_government", "administrative_unit", "village_committee"])
    village = rng.choice(place.villages) if owner_kind in COLLECTIVE_OWNERS else None
    owner = owner_party(owner_kind, place, ctx.pool, rng, village)
    if variant == "school_mortgage" and "学" not in owner.name:
        owner = owner_party(owner_kind, place, ctx.pool, rng, village)
        owner.name = f"{place.county}第{rng.choice('一二三')}中学"
        owner.seal = owner.name
    akind = "land" if "land" in variant else "building" if variant == "school_mortgage" else "none"
    d = Deal(doc_id, fam.id, fam.split, "main", "guarantee", akind, owner_kind, place, owner, Party("", ""), village=village)
    bank_name = ctx.pool.bank(place.county_short, place.township_short)
    d.extra["bank"] = bank_name
    debtor = ctx.pool.company(place.county_short, place.area_code)
    d.extra["debtor"] = debtor
    if unlawful:
        # the counterparty of a guarantee is the creditor: the bank
        d.counterparty = Party(bank_name, "bank", "负责人", ctx.pool.person_name(), f"{place.county}{ctx.pool.street()}{rng.randint(1, 99)}号", "", "", bank_name)
    else:
        guarantor = ctx.pool.company(place.county_short, place.area_code)
        d.counterparty = counterparty_party(guarantor)
    d.guarantee = variant
    d.guarantor_lawful = not unlawful
    d.guarantee_amount = nice_round(rng.uniform(200000, 6000000), 10000.0) if unlawful else nice_round(rng.uniform(20000, 300000), 1000.0)
    d.signed = ctx.as_of - timedelta(days=rng.randint(60, 3000))
    d.decision = "present"
    if "no_collective_decision" in extra_defects:
        d.decision = rng.choice(["absent", "negated"])
    d.decision_date = d.signed - timedelta(days=rng.randint(5, 30))
    if "informal_agreement" in extra_defects:
        d.sealed = False
        d.unsigned = True
    d.remittance = "unstated"
    if "mortgage" in variant:
        if variant == "village_land_mortgage":
            d.area_mu = round(rng.uniform(20, 300), 1)
            spot = rng.choice(STREET_PLACES)
            d.asset = f"{spot}集体土地使用权"
            d.asset_location = f"{place.township}{village}{spot}"
        else:
            d.area_m2 = float(round(rng.uniform(1500, 6000)))
            d.asset = rng.choice(["教学楼", "学生宿舍楼", "综合实验楼"])
            d.asset_location = f"{place.county}{place.township}{ctx.pool.street()}{rng.randint(1, 99)}号{owner.name}院内"
    d.injected = (["unlawful_guarantee"] if unlawful else []) + sorted(extra_defects)
    d.months = None
    d.extra["loan_months"] = rng.choice([12, 24, 36])
    return d


def build_oral_note(ctx: BatchContext, fam: Family, doc_id: str, rng: random.Random, flavours: set[str]) -> Deal:
    place = rng.choice(ctx.places)
    owner_kind = rng.choice(["village_committee", "village_committee", "township_government", "public_institution"])
    village = rng.choice(place.villages) if owner_kind in COLLECTIVE_OWNERS else None
    owner = owner_party(owner_kind, place, ctx.pool, rng, village)
    assets = [a for a in ("shop", "land", "fishpond", "greenhouse", "warehouse", "office", "canteen") if a in OWNER_ASSETS[owner_kind]]
    asset_kind = rng.choice(assets)
    d = Deal(doc_id, fam.id, fam.split, "oral_note", "lease" if asset_kind not in ("land", "fishpond") else "contracting", asset_kind, owner_kind, place, owner, Party("", ""), village=village)
    c = ctx.pool.individual(place.area_code, f"{place.township}{village or rng.choice(place.villages)}")
    d.counterparty = counterparty_party(c)
    _quantity(d, rng, small=rng.random() < 0.5)
    _asset_desc(ctx, d, rng)
    ref = ctx.ref(d) or 1.0
    annual = ref * rng.uniform(0.5, 1.2) * (d.quantity or 1) * (12 if d.unit != "mu_year" else 1)
    d.rent_period = "year"
    d.rent_amount = d.annual_rent = max(500.0, nice_round(annual, 100.0))
    start_year = ctx.as_of.year - rng.randint(2, 9)
    d.start = date(start_year, rng.randint(1, 12), 1)
    d.months = rng.choice([36, 60, 60, 120]) if rng.random() < 0.6 else None
    d.signed = None
    d.sealed = True
    d.decision = "negated" if "no_collective_decision" in flavours else "absent"
    if "off_book_income" in flavours:
        d.remittance = "cash_person"
        d.remit_person = ctx.pool.person_name()
    else:
        d.remittance = rng.choice(["proper", "unstated"])
    if "stalled_performance" in flavours:
        d.stalled = "unpaid"
        d.stalled_date = date(ctx.as_of.year - rng.randint(1, 2), 1, 1)
    d.extra["note_date"] = ctx.as_of - timedelta(days=rng.randint(20, 200))
    d.extra["approver"] = ctx.pool.person_name()
    d.injected = ["informal_agreement"] + sorted(flavours)
    return d


def build_white_slip(ctx: BatchContext, fam: Family, doc_id: str, rng: random.Random, cash: bool) -> Deal:
    place = rng.choice(ctx.places)
    owner_kind = rng.choice(["village_committee", "village_committee", "township_government"])
    village = rng.choice(place.villages) if owner_kind in COLLECTIVE_OWNERS else None
    owner = owner_party(owner_kind, place, ctx.pool, rng, village)
    assets = [a for a in ("shop", "land", "fishpond", "greenhouse", "warehouse") if a in OWNER_ASSETS[owner_kind]]
    asset_kind = rng.choice(assets)
    d = Deal(doc_id, fam.id, fam.split, "white_slip", "lease" if asset_kind not in ("land", "fishpond") else "contracting", asset_kind, owner_kind, place, owner, Party("", ""), village=village)
    c = ctx.pool.individual(place.area_code, f"{place.township}{village or rng.choice(place.villages)}")
    d.counterparty = counterparty_party(c)
    _quantity(d, rng, small=True)
    _asset_desc(ctx, d, rng)
    d.rent_period = "year"
    d.rent_amount = d.annual_rent = float(rng.choice([800, 1200, 1500, 2000, 2400, 3000, 3600, 4500, 5000, 6000, 8000, 12000]))
    d.signed = ctx.as_of - timedelta(days=rng.randint(30, 1500))
    d.extra["rent_year"] = d.signed.year
    d.sealed = False
    d.decision = "absent"
    if cash:
        d.remittance = "cash_person"
        d.remit_person = ctx.pool.person_name()
    else:
        d.remittance = "unstated"
    d.injected = ["informal_agreement"] + (["off_book_income"] if cash else [])
    return d


__all__ = [
    "AMEND_KINDS",
    "BuildError",
    "build_guarantee",
    "build_main",
    "build_oral_note",
    "build_supplement",
    "build_white_slip",
    "extend_over",
    "make_approval",
    "renewal_twin",
    "side_twin",
    "side_twin_real",
]
