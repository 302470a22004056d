"""Guarantees and mortgages given by the state (collective) side for someone else's debt."""

from __future__ import annotations

import re

from .. import register
from ..facts import owner_kind_of
from ..legal import basis
from ._base import make

_GUARANTOR_LINE = re.compile(r"(?:^|\n)\s*(?P<role>保证人|担保人|抵押人|出质人|反担保人)\s*(?:[（(][^）)\n]{0,8}[)）])?\s*[:：]\s*(?P<name>[^\n\t ]{2,40})")
_PUBLIC_FACILITY = re.compile(r"(教学楼|宿舍楼|实验楼|校舍|医疗用房|病房|门诊|教育设施|医疗卫生设施|养老设施|幼儿园)")
_COLLECTIVE_LAND = re.compile(r"(集体土地使用权|集体土地|宅基地|自留地|自留山|集体所有的土地)")
_VILLAGE_ASSEMBLY = re.compile(r"(村民会议|村民代表会议|村民代表大会|四议两公开)")


def _owner_guarantee_clause(f) -> tuple[str, int, int] | None:
    """A clause in which the state (collective) side guarantees or mortgages for the other side."""
    t = f.text
    own = "(?:" + "|".join(re.escape(w) for w in f.owner_refs) + ")"
    patterns = [
        ("mortgage", rf"{own}[^。；;\n]{{0,6}}作为(?:抵押人|出质人)"),
        ("mortgage", rf"{own}[^。；;\n]{{0,10}}以[^。；;\n]{{0,20}}(?:使用权|土地|房产|房屋|资产)[^。；;\n]{{0,70}}(?:提供|设定|办理)[^。；;\n]{{0,4}}(?:抵押|质押)"),
        ("guarantee", rf"{own}[^。；;\n]{{0,10}}(?:同意|愿意|负责)?为[^。；;\n]{{0,30}}(?:贷款|借款|融资|债务)[^。；;\n]{{0,50}}提供[^。；;\n]{{0,10}}(?:担保|保证)"),
        ("guarantee", rf"由{own}[^。；;\n]{{0,6}}提供[^。；;\n]{{0,8}}(?:担保|保证)"),
        ("guarantee", rf"{own}[^。；;\n]{{0,6}}作为(?:保证人|担保人)"),
        ("mortgage", r"集体土地使用权[^。；;\n]{0,12}抵押给"),
    ]
    for kind, p in patterns:
        m = re.search(p, t)
        if m:
            return kind, m.start(), m.end()
    return None


@register("unlawful_guarantee", needs=("profile",))
def unlawful_guarantee(agreement, ctx):
    f = ctx.facts(agreement)
    if f.is_informal_kind:
        return []
    t = f.text
    # 1. a guarantee / mortgage agreement: who guarantees?
    guarantor = None
    for m in _GUARANTOR_LINE.finditer(t):
        name = re.split(r"\s{2,}|（盖章）|\(盖章\)", m.group("name"))[0].strip()
        side, flavour, _ = owner_kind_of(name)
        if side:
            guarantor = (m.group("role"), name, side, flavour, m.start("name"), m.start("name") + len(name))
            break
    clause = None
    if guarantor is None:
        clause = _owner_guarantee_clause(f)
        if clause is None:
            return []
        side, flavour = f.owner_side, f.owner_class[1]
        if side is None:
            return []
        role = "抵押人" if clause[0] == "mortgage" else "保证人"
        name = f.owner or "资产方"
        ev = [f.ev_sentence(clause[1], clause[2])]
    else:
        role, name, side, flavour, s, e = guarantor
        ev = [f.ev_span(s, e)]
        ev.append(f.ev_sentence(t.find("借款本金") if "借款本金" in t else s))
    mortgage = role in ("抵押人", "出质人")
    details = {"guarantor": name, "role": role, "side": side}
    score = 0.9
    if side == "collective":
        land = bool(_COLLECTIVE_LAND.search(t)) and mortgage
        if land:
            why = f"以集体土地使用权设定抵押，集体所有的土地使用权依法不得抵押（法律规定可以抵押的除外）；{name}为他人贷款提供抵押担保，损害集体利益"
            law = basis("civil_399", "guarantee_5")
        else:
            why = (
                f"{name}为他人债务提供担保；村民委员会提供的担保无效，"
                "但依法代行村集体经济组织职能、并依照村民委员会组织法规定的讨论决定程序对外提供担保的除外"
            )
            law = basis("guarantee_5", "village_24")
            if _VILLAGE_ASSEMBLY.search(t):
                score = 0.75  # a villagers' decision is cited: the reviewer checks it covers the guarantee
        title = "村集体违规为他人提供担保（抵押）"
    else:
        if mortgage and (flavour == "public_institution" or _PUBLIC_FACILITY.search(t)):
            why = f"{name}以教育、医疗等公益设施设定抵押；以公益为目的的非营利法人的公益设施依法不得抵押"
            law = basis("civil_399", "civil_683", "guarantee_6")
        elif flavour == "public_institution":
            why = f"{name}系以公益为目的的非营利法人（事业单位），依法不得为保证人"
            law = basis("civil_683", "guarantee_6")
        else:
            why = f"{name}系国家机关（行政单位），依法不得为保证人（经国务院批准为使用外国政府或国际经济组织贷款进行转贷的除外）"
            law = basis("civil_683", "guarantee_5")
        title = "国家机关或公益单位违规提供担保（抵押）"
    return [
        make(
            "unlawful_guarantee",
            title=title,
            explanation=f"{'协议约定' if clause else '担保合同中'}{name}作为{role}：{why}。担保（抵押）条款（合同）无效，应立即终止并解除担保责任，核查是否已造成损失。",
            basis=law,
            evidence=ev,
            score=score,
            details=details,
        )
    ]
