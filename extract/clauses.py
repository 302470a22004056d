"""Clause types: each clause of the agreement labelled parties / subject / term / rent /
deposit / payment / approval / decision / tender / breach / termination / sublease / return /
dispute / rights / signatures / other.

The heading decides when it names the topic (第二条 租赁期限 → term); otherwise the trained
clause model (models/clause_type.skops) decides; without a model, keyword rules on the body.
Checks read these to tell which clauses an agreement lacks.
"""

from __future__ import annotations

import re

from .context import Clause, Context

HEADING_RULES: list[tuple[str, str]] = [
    ("term", r"(期限|租期|承包期|使用期|借用期|流转期|合作期)"),
    ("rent", r"(租金|承包费|承包款|使用费|流转费|价款|收益分配|固定收益|费用及|收费)"),
    ("deposit", r"(保证金|押金)"),
    ("payment", r"(缴纳|支付方式|缴款|收款|上缴|结算)"),
    ("subject", r"(标的|租赁物|位置|面积|四至|基本情况|合作内容|转让标的|承包地点|承包内容)"),
    ("breach", r"(违约)"),
    ("termination", r"(解除|终止)"),
    ("sublease", r"(转租|转包)"),
    ("return", r"(返还|交还|期满处置|期满后|归还)"),
    ("dispute", r"(争议|纠纷)"),
    ("rights", r"(权利|义务|责任)"),
    ("approval", r"(出租依据|审批|批准|依据)"),
]
BODY_RULES: list[tuple[str, str]] = HEADING_RULES + [
    ("decision", r"(研究决定|研究同意|讨论通过|表决通过|四议两公开)"),
    ("tender", r"(公开招租|公开招标|拍卖|挂牌|竞价|竞争性谈判)"),
    ("signatures", r"(盖章|签字|签章)"),
    ("parties", r"(甲方|乙方|出租方|承租方|发包方|承包方)[:：]"),
]


def classify_clauses(ctx: Context) -> list[Clause]:
    from models.store import load_named

    model = load_named("clause_type")
    pending: list[Clause] = []
    for clause in ctx.clauses:
        text = clause.text_of(ctx.raw)
        first_line = text.split("\n", 1)[0][:30]
        # a run-in or bracketed heading (租赁期限： / 【租金】) names the topic by itself
        named = re.sub(r"[【】:：\s]", "", clause.heading)
        if len(re.findall(r"[\u4e00-\u9fa5]", named)) >= 2 and not re.match(r"^第", named):
            first_line = named
        if clause.heading:
            kind = next((k for k, p in HEADING_RULES if re.search(p, first_line)), None)
            if kind:
                clause.kind = kind
                continue
        pending.append(clause)
    if pending and model is not None:
        for clause, kind in zip(pending, model.predict([c.text_of(ctx.raw) for c in pending])):
            clause.kind = str(kind)
    else:
        for clause in pending:
            text = clause.text_of(ctx.raw)[:200]
            clause.kind = next((k for k, p in BODY_RULES if re.search(p, text)), "other")
    return ctx.clauses
