"""Market rent reference and peer statistics for ``below_market_rent``.

The reference is a CSV ``asset_kind,location,unit,unit_rent,date``:

* ``unit`` — ``m2_month`` (yuan per m² per month), ``mu_year`` (yuan per 亩 per year),
  ``vehicle_month`` (yuan per vehicle per month), ``set_month`` (yuan per machine per month);
* ``location`` — county + township (``安平县青山镇``), or a county alone (a county-wide row),
  matched against the township named in the agreement's asset location;
* ``date`` — when the rent was surveyed (the newest row wins when several match).

Without a reference row, :class:`PeerStats` compares an agreement with its peers in the same
batch: the same asset kind in the same township (else the same county, else the batch), by
unit rent, with the median and the MAD (a robust statistic: one odd lease cannot move it).
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

MU_M2 = 666.67

#: asset kind → unit of the unit rent
KIND_UNIT: dict[str, str] = {
    "shop": "m2_month",
    "office": "m2_month",
    "plant": "m2_month",
    "warehouse": "m2_month",
    "canteen": "m2_month",
    "market": "m2_month",
    "farm": "m2_month",
    "building": "m2_month",
    "greenhouse": "mu_year",
    "land": "mu_year",
    "fishpond": "mu_year",
    "forest": "mu_year",
    "grassland": "mu_year",
    "vehicle": "vehicle_month",
    "equipment": "set_month",
}
UNITS = ("m2_month", "mu_year", "vehicle_month", "set_month")
UNIT_LABEL = {"m2_month": "元/平方米·月", "mu_year": "元/亩·年", "vehicle_month": "元/辆·月", "set_month": "元/台·月"}
KIND_LABEL = {
    "shop": "门面/商铺", "office": "办公用房", "plant": "厂房", "warehouse": "仓库", "canteen": "食堂",
    "market": "市场", "farm": "养殖场", "building": "房屋", "greenhouse": "大棚/温室", "land": "土地",
    "fishpond": "鱼塘/水面", "forest": "林地", "grassland": "草场", "vehicle": "车辆", "equipment": "机械设备",
}

# Asset kind from the words that name the asset: the most specific words first (门面 before
# 市场: 农贸市场门面房 is a shop; 养殖水面 before 养殖: a fish pond, not a farm).
_KIND_RULES: list[tuple[str, str]] = [
    ("fishpond", r"(鱼塘|鱼池|养殖水面|水面|水库|池塘|塘坝|鱼湖)"),
    ("forest", r"(林地|山场|荒山|山林|林场|经济林|果园|苗圃)"),
    ("grassland", r"(草原|草场|草地|牧场)"),
    ("greenhouse", r"(大棚|温室|暖棚|棚室|拱棚)"),
    ("canteen", r"(食堂|餐厅|厨房|伙房)"),
    ("shop", r"(门面|商铺|铺面|门市|店面|营业用房|营业房|商业用房|沿街房|临街房|报刊亭|售货亭|商亭|铺位)"),
    ("market", r"(市场|集贸|摊位|商场)"),
    ("farm", r"(养殖场|养殖小区|养殖基地|圈舍|畜舍|牛场|羊场|猪场|鸡场|牛舍|羊舍|猪舍|鸡舍|养殖)"),
    ("plant", r"(厂房|车间|厂区|加工厂|作坊|标准化厂)"),
    ("warehouse", r"(仓库|库房|仓储|冷库|保鲜库|粮库|储藏室|货场)"),
    ("office", r"(办公)"),
    ("vehicle", r"(汽车|客车|货车|轿车|皮卡|洒水车|自卸车|卡车|车辆|(?<![停库间])车(?![间库场位棚]))"),
    ("equipment", r"(挖掘机|装载机|拖拉机|旋耕机|收割机|播种机|烘干|设备|机械|机组|机器|器械|农机具)"),
    ("land", r"(耕地|土地|荒地|机动地|川水地|水浇地|旱地|山地|滩地|建设用地|用地|宅基地|地块|农田|稻田|水田|承包地)"),
    ("building", r"(楼|房屋|房产|院落|用房|旧址|平房|厂院|场地)"),
]
# the purpose clause (用途 / 作为…使用) when the asset's own words say nothing
_PURPOSE_RULES: list[tuple[str, str]] = [
    ("office", r"(办公|培训)"),
    ("shop", r"(商业|经营|零售|餐饮|超市)"),
    ("warehouse", r"(仓储|物流|存放)"),
    ("plant", r"(加工|生产|制造)"),
    ("farm", r"(养殖)"),
]


def infer_asset_kind(asset: str | None, purpose: str | None = None, area_unit: str | None = None) -> str | None:
    """Asset kind from the asset's words (门面/商铺 → shop, 办公 → office, 厂房 → plant, 仓库 →
    warehouse, 耕地/荒地/机动地 → land, 大棚 → greenhouse, 鱼塘/水面 → fishpond, 林地 → forest,
    车 → vehicle, 机/设备 → equipment …), else the purpose clause, else None."""
    if asset:
        for kind, pattern in _KIND_RULES:
            if re.search(pattern, asset):
                return kind
    if purpose:
        for kind, pattern in _PURPOSE_RULES:
            if re.search(pattern, purpose):
                return kind
    if area_unit == "mu":
        return "land"
    return None


_COUNT = re.compile(r"(?P<n>[0-9]+|[一二两三四五六七八九十]+)\s*(?P<u>辆|台|套|部|座|栋|间|处|艘|架)")
_CN_SMALL = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def count_in(text: str | None, units: str = "辆台套部架艘") -> int | None:
    """A count of vehicles / machines written in the asset (洒水车4辆, 挖掘机一台)."""
    if not text:
        return None
    for m in _COUNT.finditer(text):
        if m.group("u") not in units:
            continue
        n = m.group("n")
        if n.isdigit():
            return int(n)
        if n in _CN_SMALL:
            return _CN_SMALL[n]
        if len(n) == 2 and n[0] == "十":
            return 10 + _CN_SMALL.get(n[1], 0)
        if len(n) == 2 and n[1] == "十":
            return _CN_SMALL.get(n[0], 1) * 10
    return None


# ---------------------------------------------------------------------------------------------
# the reference
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferenceRow:
    asset_kind: str
    location: str  # county + township as written
    unit: str
    unit_rent: float
    date: date | None
    county: str
    township: str  # "" for a county-wide row


_PLACE = re.compile(r"^(?P<county>.*?(?:县|区|旗|市))?(?P<town>[^县区旗市]*?(?:镇|乡|街道|苏木))?$")


def split_location(location: str) -> tuple[str, str]:
    """(county, township) of a reference location such as 安平县青山镇."""
    m = _PLACE.match(location.strip())
    if not m:
        return "", location.strip()
    return (m.group("county") or ""), (m.group("town") or "")


class MarketReferenceError(ValueError):
    pass


@dataclass
class MarketReference:
    rows: list[ReferenceRow] = field(default_factory=list)
    source: str = ""

    @staticmethod
    def load(path: str | Path) -> "MarketReference":
        path = Path(path)
        rows: list[ReferenceRow] = []
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            need = {"asset_kind", "location", "unit", "unit_rent"}
            missing = need - set(reader.fieldnames or [])
            if missing:
                raise MarketReferenceError(
                    f"市场租金参考文件「{path}」缺少列：{', '.join(sorted(missing))}（market reference {path} lacks columns {sorted(missing)}）"
                )
            for i, rec in enumerate(reader, start=2):
                unit = (rec.get("unit") or "").strip()
                if unit not in UNITS:
                    raise MarketReferenceError(
                        f"市场租金参考文件「{path}」第 {i} 行：单位 {unit!r} 不可识别，应为 {', '.join(UNITS)}"
                        f"（market reference {path} line {i}: unknown unit {unit!r})"
                    )
                try:
                    value = float(rec["unit_rent"])
                except (TypeError, ValueError):
                    raise MarketReferenceError(
                        f"市场租金参考文件「{path}」第 {i} 行：unit_rent {rec.get('unit_rent')!r} 不是数值"
                        f"（market reference {path} line {i}: unit_rent is not a number)"
                    ) from None
                d = None
                if rec.get("date"):
                    try:
                        d = date.fromisoformat(rec["date"].strip())
                    except ValueError:
                        d = None
                loc = rec["location"].strip()
                county, town = split_location(loc)
                rows.append(ReferenceRow(rec["asset_kind"].strip(), loc, unit, value, d, county, town))
        return MarketReference(rows, str(path))

    def lookup(self, kind: str | None, places: list[str]) -> ReferenceRow | None:
        """The reference row for ``kind`` whose township is named in ``places`` (searched in
        order: asset location first); the county disambiguates a township name used twice."""
        if not kind:
            return None
        rows = [r for r in self.rows if r.asset_kind == kind]
        if not rows:
            return None
        for place in places:
            if not place:
                continue
            hits = [r for r in rows if r.township and r.township in place]
            if hits:
                with_county = [r for r in hits if r.county and any(r.county in p for p in places if p)]
                pick = with_county or hits
                return max(pick, key=lambda r: (r.date or date.min))
        for place in places:
            if not place:
                continue
            hits = [r for r in rows if not r.township and r.county and r.county in place]
            if hits:
                return max(hits, key=lambda r: (r.date or date.min))
        return None


# ---------------------------------------------------------------------------------------------
# peers in the batch
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeerComparison:
    median: float
    mad: float
    count: int
    scope: str  # "乡镇" | "县" | "批次"
    place: str


def median(xs: list[float]) -> float:
    s = sorted(xs)
    n = len(s)
    if not n:
        return math.nan
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2.0


@dataclass
class PeerStats:
    """Unit rents of the batch by (asset kind, unit, county, township)."""

    items: list[tuple[int, str, str, str, str, float]] = field(default_factory=list)  # (index, kind, unit, county, town, unit_rent)

    def add(self, index: int, kind: str, unit: str, county: str, town: str, unit_rent: float) -> None:
        self.items.append((index, kind, unit, county, town, unit_rent))

    def compare(self, index: int, kind: str, unit: str, county: str, town: str, min_count: int,
                exclude: set[int] | None = None) -> PeerComparison | None:
        """Median and MAD of the peers of ``index`` (itself and ``exclude`` left out), narrowest
        scope with at least ``min_count`` peers."""
        skip = {index} | (exclude or set())
        same = [it for it in self.items if it[1] == kind and it[2] == unit and it[0] not in skip]
        scopes = []
        if town:
            scopes.append(("乡镇", town, [it for it in same if it[4] == town and (not county or not it[3] or it[3] == county)]))
        if county:
            scopes.append(("县", county, [it for it in same if it[3] == county]))
        scopes.append(("批次", "", same))
        for scope, place, peers in scopes:
            if len(peers) >= min_count:
                values = [it[5] for it in peers]
                med = median(values)
                mad = median([abs(v - med) for v in values])
                return PeerComparison(med, mad, len(values), scope, place)
        return None


__all__ = [
    "KIND_LABEL",
    "KIND_UNIT",
    "MU_M2",
    "MarketReference",
    "MarketReferenceError",
    "PeerComparison",
    "PeerStats",
    "ReferenceRow",
    "UNIT_LABEL",
    "count_in",
    "infer_asset_kind",
    "split_location",
]
