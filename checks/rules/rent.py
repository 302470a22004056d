"""Rent (or price) clearly below the market: the market reference, else the batch's peers;
a transfer below its appraisal."""

from __future__ import annotations

import re

from extract.normalize import find_money

from .. import register
from ..legal import basis
from ..market import KIND_LABEL, UNIT_LABEL
from ._base import make, yuan

# a document that says the rent is below the market (an inspection story, a judgment, a notice of
# rectification): 以“白菜价”贱租, 低价出租, 租金明显低于市场价, 远低于周边…租金
_REPORTED_LOW = re.compile(
    r"(贱租|白菜价|低价(?:出租|发包|承包|租赁|出让|转让|流转)|"
    r"(?:租金|承包费|租价|价格|流转费|转让价)[^。；;\n]{0,24}?(?:明显偏低|严重偏低|偏低|远低于|明显低于|大大低于|低于(?:同期|同类|同地段|周边|市场|评估|当地))|"
    r"低于市场(?:价|价格|租金|行情|水平))"
)
_APPRAISAL = re.compile(r"(评估价值|评估值|评估价|评估结果|评估总价|评估金额|资产评估为|评估作价)")


def appraisal_of(f) -> tuple[float, int, int] | None:
    """The appraised value stated in the text: (value, start, end)."""
    for m in _APPRAISAL.finditer(f.text):
        s0, s1 = f.sentence_span(m.start())
        for money in find_money(f.text[m.end() : s1]):
            return float(money.value), m.end() + money.start, m.end() + money.end
    return None


def _unit_text(v: float, unit: str) -> str:
    return f"{v:,.2f}".rstrip("0").rstrip(".") + UNIT_LABEL[unit]


def _size_text(f) -> str:
    unit = f.unit
    q = f.quantity()
    if unit == "m2_month":
        return f"面积{q:,.2f}".rstrip("0").rstrip(".") + "平方米"
    if unit == "mu_year":
        return f"面积{q:,.2f}".rstrip("0").rstrip(".") + "亩"
    if unit == "vehicle_month":
        return f"车辆{int(q)}辆"
    return f"设备{int(q)}台（套）"


def unit_rent_of(f) -> float | None:
    return f.unit_rent()


def reported_below_market(f) -> tuple[int, int] | None:
    """(start, end) of a statement that the rent is below the market — a fact the document
    records, not a rule (不得低于市场价) nor a condition (如低于…的)."""
    from ._base import conditional, negated

    t = f.text
    for m in _REPORTED_LOW.finditer(t):
        s0, s1 = f.sentence_span(m.start())
        if negated(t, m.start(), 12) or re.search(r"(不得|不应|不能|严禁|禁止|防止|杜绝|避免)[^。；;\n]{0,16}$", t[s0 : m.start()]) or re.search(
            r"(不得|不应|不能|不宜|严禁|禁止|不低于|防止|杜绝|避免)", m.group(0)
        ):
            continue
        if conditional(t[s0:s1]) and not re.search(r"(实际|已|了|至今|当时|经查|据了解|核实)", t[s0:s1]):
            continue
        return m.start(), m.end()
    return None


def _reported(f, ctx):
    hit = reported_below_market(f)
    if hit is None:
        return []
    ev = f.ev_sentence(*hit)
    basis_text = basis("reg_54_1", local=ctx.profile.local("rent_floor")) if f.is_state else ctx.profile.local("rent_floor")
    return [
        make(
            "below_market_rent",
            variant="reported",
            title="文件记载租金明显低于市场价",
            explanation=(
                f"文件记载「{ev.text}」。资产以明显低于市场的价格出租（发包），造成国有（集体）资产收益流失；"
                "应委托评估或调查同地段市场租金，与承租方协商调整并追收差额。"
            ),
            basis=basis_text,
            evidence=[ev],
            score=0.75,
            details={"source": "stated"},
        )
    ]


@register("below_market_rent", needs=("profile", "market", "batch"))
def below_market_rent(agreement, ctx):
    f = ctx.facts(agreement)
    if f.is_informal_kind:
        return []
    if not f.is_agreement:
        return _reported(f, ctx)  # a story or a judgment: what it says, not a computed comparison
    return _compared(f, ctx) or _reported(f, ctx)


def _compared(f, ctx):
    """The rent compared with the market reference, else the batch's peers; a transfer's price
    with its appraisal."""
    profile = ctx.profile
    if f.type == "transfer" and f.kind == "main":
        return _transfer(f, ctx)
    if f.type not in ("lease", "contracting") or f.free:
        return []
    unit_rent = f.unit_rent()
    if unit_rent is None or unit_rent <= 0:
        return []
    unit = f.unit
    ratio = profile.rent.below_market_ratio
    kind_zh = KIND_LABEL.get(f.asset_kind or "", "资产")
    rent_ev = f.ev_field("annual_rent_yuan") or f.ev_field("rent_amount_yuan")
    what = "补充协议调整后的年租金" if f.is_supplementary else "年租金（承包费）"
    basis_text = basis("reg_54_1", local=profile.local("rent_floor")) if f.is_state else profile.local("rent_floor")
    ref = ctx.market.lookup(f.asset_kind, f.places()) if ctx.market is not None else None
    if ref is not None and ref.unit == unit and ref.unit_rent > 0:
        if unit_rent >= ratio * ref.unit_rent:
            return []
        gap = (1 - unit_rent / ref.unit_rent) * 100
        when = f"，{ref.date.isoformat()}调查" if ref.date else ""
        return [
            make(
                "below_market_rent",
                variant="lease",
                title="租金明显低于市场价",
                explanation=(
                    f"{what}{yuan(f.annual_rent)}，{_size_text(f)}，折合{_unit_text(unit_rent, unit)}；"
                    f"同地段{kind_zh}市场参考价为{_unit_text(ref.unit_rent, unit)}（{ref.location}{when}），"
                    f"本协议租金低{gap:.1f}%，低于参考价的{ratio * 100:g}%。应重新评估租金，与承租方协商调整至市场水平并追收差额。"
                ),
                basis=basis_text,
                evidence=[rent_ev, f.ev_field("area_m2"), f.ev_field("asset")],
                score=min(1.0, 0.7 + gap / 100),
                details={"unit": unit, "unit_rent": round(unit_rent, 2), "reference": ref.unit_rent, "source": "market_reference",
                         "location": ref.location, "gap_pct": round(gap, 1)},
            )
        ]
    # no reference row: the peers of the batch
    peers = ctx.peers
    idx = f.extra.get("index")
    if peers is None or idx is None:
        return []
    county, town = f.extra.get("county", ""), f.extra.get("township", "")
    cmp = peers.compare(idx, f.asset_kind, unit, county, town, profile.rent.peer_min_count, f.extra.get("peer_exclude"))
    if cmp is None or cmp.median <= 0:
        return []
    if unit_rent >= ratio * cmp.median:
        return []
    spread = 1.4826 * cmp.mad
    if spread > 0 and (cmp.median - unit_rent) < profile.rent.peer_robust_z * spread:
        return []
    gap = (1 - unit_rent / cmp.median) * 100
    scope = {"乡镇": f"同乡镇（{cmp.place}）", "县": f"同县（{cmp.place}）", "批次": "本批次"}[cmp.scope]
    return [
        make(
            "below_market_rent",
            variant="lease",
            title="租金明显低于同类资产",
            explanation=(
                f"{what}{yuan(f.annual_rent)}，{_size_text(f)}，折合{_unit_text(unit_rent, unit)}；"
                f"无市场参考价，{scope}同类{kind_zh}{cmp.count}份协议的租金中位数为{_unit_text(cmp.median, unit)}"
                f"（离散度MAD {_unit_text(cmp.mad, unit)}），本协议低{gap:.1f}%。建议委托评估确定市场租金后协商调整。"
            ),
            basis=basis_text,
            evidence=[rent_ev, f.ev_field("area_m2"), f.ev_field("asset")],
            score=min(0.9, 0.55 + gap / 200),
            details={"unit": unit, "unit_rent": round(unit_rent, 2), "reference": round(cmp.median, 2), "source": "batch_peers",
                     "peers": cmp.count, "mad": round(cmp.mad, 2), "scope": cmp.scope, "gap_pct": round(gap, 1)},
        )
    ]


def _transfer(f, ctx):
    price_fv = f.field("rent_amount_yuan")
    appraisal = appraisal_of(f)
    if price_fv is None or appraisal is None:
        return []
    price = float(price_fv.value)
    value, a0, a1 = appraisal
    ratio = ctx.profile.rent.transfer_appraisal_ratio
    if value <= 0 or price >= ratio * value:
        return []
    gap = (1 - price / value) * 100
    method = f.value("tender_method")
    public = method in ("auction", "listing")
    law = basis("reg_54_1", "reg_54_3", "soe_54", "soe_55")
    if public:
        expl = (
            f"转让价款{yuan(price)}，低于评估价值{yuan(value)}的{ratio * 100:g}%（低{gap:.1f}%）。虽经公开{('拍卖' if method == 'auction' else '挂牌')}，"
            "成交价低于评估价90%应经原批准机关书面同意；应核查审批情况，补办手续或追收差价。"
        )
        variant = "transfer"
    else:
        expl = (
            f"转让价款{yuan(price)}，低于评估价值{yuan(value)}的{ratio * 100:g}%（低{gap:.1f}%），"
            "且未经拍卖、挂牌等公开程序，属擅自低价转让国有资产，造成国有资产损失；应认定无效，收回资产或追偿差价。"
        )
        variant = "transfer_without_auction"
    return [
        make(
            "below_market_rent",
            variant=variant,
            title="低于评估价转让资产",
            explanation=expl,
            basis=law,
            evidence=[f.ev_field("rent_amount_yuan"), f.ev_span(a0, a1)],
            score=0.9,
            details={"price": price, "appraisal": value, "gap_pct": round(gap, 1), "method": method},
        )
    ]
