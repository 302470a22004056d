"""The term: over the legal or local maximum; nearing its end (warnings, seed 004 五)."""

from __future__ import annotations

from .. import register
from ..facts import add_months
from ..legal import basis
from ..market import KIND_LABEL
from ._base import make, years_text, ymd

_TYPE_ZH = {"lease": "出租", "contracting": "承包", "lending": "出借"}


_LAND_KINDS = {"land": "collective_land_contracting", "fishpond": "collective_land_contracting",
               "forest": "collective_forest_contracting", "grassland": "collective_grassland_contracting"}


def term_caps(f, profile) -> tuple[int, int, str] | None:
    """(profile cap, legal maximum, which rule) in years, or None when no cap applies.

    By what the agreement is (legal_basis.md, "over term"): a lease is capped at 20 years by
    民法典 705 (lower local caps for state assets); rural land let out under 农村土地承包法 —
    contracting, or a lease of land-management rights — follows the land-contracting periods
    (farmland 30, grassland 50, forest 70 years); a grant of state land-use rights is not a lease
    (its own statutory maximum); cooperation / joint ventures, transfers and guarantees are not
    leases and have no term cap. A 承包 of a building or a shop is a lease in substance."""
    caps = profile.term_caps_years
    t = f.type
    if t is None or t in caps.uncapped_types:
        return None
    structure = f.agreement.structure or {}
    if structure.get("land_use_grant"):
        c = caps.state_land_grant
        return c, c, "land_grant"
    if t not in ("lease", "lending", "contracting"):
        return None
    absolute = caps.absolute_lease
    kind = f.asset_kind
    rural_land = kind in _LAND_KINDS and caps.rural_land_follows_contracting and (
        t == "contracting" or (t == "lease" and structure.get("rural_land_rights") and not f.is_state)
    )
    if rural_land:
        c = getattr(caps, _LAND_KINDS[kind])
        return c, c, "land_contracting"
    if f.is_state:
        if t == "lending":
            return caps.state_lending, absolute, "state_lending"
        cap = caps.state_lease
        if not caps.state_cap_applies_even_with_approval and (f.field("approval_body") or f.field("approval_doc_no")):
            cap = caps.state_lease_with_approval or absolute
        return cap, absolute, "state_lease"
    if f.is_collective:
        return caps.collective_lease, absolute, "collective_lease"
    return absolute, absolute, "absolute"  # owner unknown: the law only


@register("over_term", needs=("profile", "batch"))
def over_term(agreement, ctx):
    f = ctx.facts(agreement)
    if f.is_informal_kind or f.kind in ("notice", "minutes"):
        return []  # a notice proposes a term, minutes decide one: neither is the agreement
    recorded = not f.is_agreement  # a judgment or a story records the agreed term as a fact
    caps = term_caps(f, ctx.profile)
    if caps is None:
        return []
    cap, legal, rule = caps
    months = f.months
    supp_note = ""
    evidence = [f.ev_field("term_months"), f.ev_field("term_start"), f.ev_field("term_end")]
    score = 0.95
    if f.is_supplementary:
        if f.main is None:
            # without its main agreement: from the main agreement's signing date (an upper bound)
            from ..facts import months_between

            start = f.amends_date
            if not (start and f.end):
                return []
            months = months_between(start, f.end)
            if months <= cap * 12 + 1:
                return []
            score = 0.7
            supp_note = f"补充协议将期限延长至{ymd(f.end)}，自原合同签订（{ymd(start)}）起算约{years_text(months)}，"
        else:
            if not (f.start and f.end):
                return []
            months = f.months
            supp_note = f"补充协议将期限延长至{ymd(f.end)}，自原合同起始日{ymd(f.start)}起算共计{years_text(months)}，"
        ne = f.new_end
        evidence = [f.ev_span(ne[1], ne[2]) if ne else None]
    if not months or months <= cap * 12:
        return []
    if recorded and months <= legal * 12:
        return []  # over a local cap only: a matter for the agreement itself, not for a story about it
    what = _TYPE_ZH.get(f.type, "出租")
    asset = KIND_LABEL.get(f.asset_kind or "", "")
    period = supp_note or (f"{what}期限{years_text(months)}" + (f"（{ymd(f.start)}至{ymd(f.end)}）" if f.start and f.end else "") + "，")
    if months > legal * 12:
        if rule == "land_contracting":
            why = f"超过法定承包期最长{legal}年的规定（{asset or '土地'}承包），超过部分无效"
            law = ctx.profile.local("land_contracting_term")
        elif rule == "land_grant":
            why = f"超过土地使用权出让最高年限{legal}年的规定，超过部分无效"
            law = ctx.profile.local("land_grant_term")
        else:
            why = f"超过《民法典》规定的租赁期限最长{legal}年，超过{legal}年的部分无效"
            law = basis("civil_705")
        return [
            make(
                "over_term",
                variant="beyond_legal_max",
                title=f"期限超过法定最长{legal}年",
                explanation=f"{period}{why}。",
                basis=law,
                evidence=evidence,
                score=score,
                details={"months": months, "cap_years": cap, "legal_max_years": legal, "rule": rule},
            )
        ]
    side = "国有资产" if f.is_state else "集体资产"
    return [
        make(
            "over_term",
            variant="over_profile_cap",
            title=f"期限超过本地规定的最长{cap}年",
            explanation=(
                f"{period}超过本地{side}{what}最长{cap}年的规定（未超过法定{legal}年上限）；"
                f"应协商将期限缩短至{cap}年以内，或报有权机关批准。"
            ),
            basis=basis("civil_705", local=ctx.profile.local("term_cap")),
            evidence=evidence,
            score=score * 0.95,
            details={"months": months, "cap_years": cap, "legal_max_years": legal, "rule": rule},
        )
    ]


@register("expiry_warning", needs=("profile", "as_of", "batch"))
def expiry_warning(agreement, ctx):
    f = ctx.facts(agreement)
    if f.kind not in ("main", "supplementary"):
        return []
    end = f.end
    if end is None:
        return []
    extended = f.extra.get("extended_to")
    if extended is not None and extended > end:
        return []  # a supplementary agreement in the batch moved the end
    w = ctx.profile.warnings
    as_of = ctx.as_of
    if not (as_of <= end <= add_months(as_of, w.yellow_months)):
        return []
    red = end < add_months(as_of, w.red_months)
    level = "red" if red else "yellow"
    days = (end - as_of).days
    ev = f.ev_span(*f.new_end[1:]) if f.is_supplementary and f.new_end else f.ev_field("term_end")
    return [
        make(
            "expiry_warning",
            variant=level,
            title=("红色预警：合同不足" + f"{w.red_months}个月到期") if red else f"黄色预警：合同{w.yellow_months}个月内到期",
            explanation=(
                f"合同将于{ymd(end)}到期，距核查基准日{ymd(as_of)}还有{days}天，"
                f"列入{'红' if red else '黄'}色预警。应提前研究资产去向：确需继续出租的依程序重新公开招租，"
                "不再出租的按期收回，防止到期后资产闲置或被继续无合同占用。"
            ),
            basis=ctx.profile.local("warnings"),
            evidence=[ev],
            score=1.0,
            details={"end": end.isoformat(), "as_of": as_of.isoformat(), "level": level, "days_left": days},
        )
    ]
