"""Clause-level defects: essential clauses missing; terms that harm the state (collective) side."""

from __future__ import annotations

import re

from extract.normalize import find_money

from .. import register
from ..legal import basis
from ._base import RENT_WORDS, make

# -- missing_clauses -------------------------------------------------------------------------

REQUIRED: dict[str, tuple[str, ...]] = {
    "lease": ("rent", "term", "breach", "return", "remittance"),
    "contracting": ("rent", "term", "breach", "return", "remittance"),
    "cooperation": ("term", "breach", "return", "remittance"),
    "lending": ("term", "breach", "return"),
    "transfer": ("rent", "breach", "remittance"),
}
CLAUSE_ZH = {
    "rent": "租金（承包费、价款）及支付标准",
    "term": "期限（起止日期）",
    "breach": "违约责任",
    "return": "期满（解除后）资产返还",
    "remittance": "收益收缴（收款账户、上缴方式）",
}
WHY = {
    "rent": "收费标准不明，收益无法主张",
    "term": "期限不明，成为不定期合同，资产可能被长期占用",
    "breach": "对方违约时无追责依据",
    "return": "期满后收回资产缺乏约定",
    "remittance": "收益去向不明，存在流入账外的风险",
}

# what a breach clause provides (a heading 违约责任 alone provides nothing)
_BREACH = re.compile(
    r"(承担[^。；;\n]{0,6}违约责任|违约责任由|违约金|违约方|赔偿[^。；;\n]{0,12}损失|滞纳金|有权(?:单方)?(?:解除|终止)(?:本|该)?(?:合同|协议)|承担[^。；;\n]{0,6}赔偿责任|追究[^。；;\n]{0,6}责任)"
)
_RETURN = re.compile(r"(交还|返还|归还|移交|腾空|腾退|恢复原状|退出(?:土地|场地|房屋)|收回)")
_DEPOSIT = re.compile(r"(保证金|押金|定金)")
_END_WORDS = re.compile(r"(期满|到期|终止|解除|结束|届满|期限届至)")
_PAY_TO = re.compile(
    r"(缴入|交至|交到|汇入|存入|转入|打入|支付至|支付到|缴至|缴到|上缴|入账|交给|交由|付给|支付给|交付给|收款账户|账户|专户|国库|财政|现金|抵顶|抵扣|冲抵|代收|代管|核算|坐支|直接用于|直接交付|统筹使用)"
)
_TERM_WORDS = re.compile(r"(期限|租期|承包期|借用期|使用期|流转期|合作期|经营期)[^。；;\n]{0,12}?(为|自|：|:|共|从|至)")


_RENT_CONTEXT = re.compile(r"(租金|承包费|承包款|承包金|使用费|流转费|固定收益|收益分配|租赁费|价款|转让款|转让价|成交价|管理费|场地费|占用费|上交款)")
_NOT_RENT = re.compile(r"(违约金|滞纳金|保证金|押金|赔偿|贷款|借款|担保|评估|注册资本|投资)")


def rent_mentioned(f) -> bool:
    """An amount stated as the rent (or in a rent table), even where the extractor found none."""
    if f.annual_rent is not None:
        return True
    t = f.text
    for m in find_money(t):
        s0, _ = f.sentence_span(m.start)
        before = t[max(s0, m.start - 30) : m.start]
        if _RENT_CONTEXT.search(before) and not _NOT_RENT.search(before[-12:]):
            return True
    return f.table_rent() is not None


def present_clauses(f, profile) -> dict[str, bool]:
    t = f.text
    out: dict[str, bool] = {}
    out["rent"] = (
        f.value("rent_amount_yuan") is not None or f.value("annual_rent_yuan") is not None or f.free or rent_mentioned(f)
    )
    out["term"] = bool(f.value("term_months") or f.value("term_start") or f.value("term_end")) or bool(
        re.search(r"(不定期|长期使用)", t)
    )
    # chapter titles (第五章 违约责任及其他) name a topic, they are not the clause
    body = re.sub(r"(?m)^[ \t　]*第[一二三四五六七八九十\d]+章[^\n]*$", lambda m: " " * len(m.group(0)), t)
    breach = bool(_BREACH.search(body))
    out["breach"] = breach
    ret = False
    for m in _RETURN.finditer(t):
        s0, s1 = f.sentence_span(m.start())
        sent = t[s0:s1]
        if _DEPOSIT.search(sent[max(0, m.start() - s0 - 12) : m.end() - s0 + 6]) and not re.search(r"(房屋|场地|土地|标的|资产|设备|车辆|租赁物)", sent):
            continue
        if m.group(1) == "收回":
            # 到期后由甲方收回 is a return clause; 逾期……有权解除合同并收回标的物 is a breach remedy
            if not _END_WORDS.search(t[max(s0, m.start() - 25) : m.start()]) or re.search(r"(逾期|拖欠|欠缴|违约)", sent):
                continue
        ret = True
        break
    out["return"] = ret
    from .money import off_book_statements

    rem = f.field("payee_account") is not None or bool(off_book_statements(f, profile))
    fv = f.field("remittance")
    if not rem and fv is not None and _PAY_TO.search(fv.text or ""):
        rem = True
    if not rem:
        for m in _PAY_TO.finditer(t):
            s0, s1 = f.sentence_span(m.start())
            if re.search(RENT_WORDS, t[s0:s1]) and not re.search(r"(违约金|滞纳金)", t[s0 : m.start()]):
                rem = True
                break
    out["remittance"] = rem
    return out


@register("missing_clauses", needs=("profile",))
def missing_clauses(agreement, ctx):
    f = ctx.facts(agreement)
    if f.kind != "main" or not f.complete:
        return []  # an excerpt cannot show what it lacks: incomplete_document says so instead
    required = REQUIRED.get(f.type or "")
    if not required:
        return []
    have = present_clauses(f, ctx.profile)
    missing = [c for c in required if not have[c]]
    if not missing:
        return []
    names = "、".join(CLAUSE_ZH[c] for c in missing)
    whys = "；".join(WHY[c] for c in missing)
    law = basis(*(["reg_25", "reg_26"] if "remittance" in missing and f.is_state else []), local=ctx.profile.local("required_clauses"))
    return [
        make(
            "missing_clauses",
            title="协议缺少必备条款",
            explanation=f"协议缺少以下必备条款：{names}（{whys}）。应与对方协商签订补充协议或按规范文本补齐。",
            basis=law,
            evidence=[f.ev_span(0, len(f.text.split("\n", 1)[0]))],
            score=0.85 if len(missing) == 1 else 0.9,
            details={"missing": missing},
        )
    ]


# -- incomplete_document ---------------------------------------------------------------------

_PART_ZH = {
    "parties": "当事人（甲乙双方）",
    "term_or_rent": "期限或租金",
    "signature": "签章或签订日期",
    "numbered_clauses": "成条的合同条款",
}
_NOT_AGREEMENT_ZH = {
    "notice": "公告（通知）",
    "judgment": "法院裁判文书",
    "minutes": "会议记录（决议）",
    "news": "新闻报道或情况通报",
}


@register("incomplete_document", needs=("profile",))
def incomplete_document(agreement, ctx):
    """A notice, not a defect: the document is an excerpt of an agreement, or not an agreement at
    all (a notice, a judgment, minutes, a story), so its clauses were not judged."""
    f = ctx.facts(agreement)
    structure = agreement.structure or {}
    if f.kind in _NOT_AGREEMENT_ZH:
        what = _NOT_AGREEMENT_ZH[f.kind]
        return [
            make(
                "incomplete_document",
                variant=f.kind,
                title=f"文件为{what}，不是协议文本",
                explanation=(
                    f"该文件是{what}，并非协议本身，未对其作条款是否齐全等协议层面的审查；"
                    "文件所涉及的协议应调取原件（含签章页）另行审查。文件中记载的违规事实仍单独列出。"
                ),
                basis=ctx.profile.local("required_clauses"),
                evidence=[f.ev_span(0, len(f.text.split("\n", 1)[0]))],
                score=0.3,
                details={"kind": f.kind},
            )
        ]
    if f.kind != "main" or f.complete:
        return []
    lacking = [k for k in ("parties", "term_or_rent", "signature") if not structure.get(k)]
    if structure.get("numbered_clauses", 0) < 3:
        lacking.append("numbered_clauses")
    names = "、".join(_PART_ZH[k] for k in lacking)
    return [
        make(
            "incomplete_document",
            variant="excerpt",
            title="文件似为节选或不完整",
            explanation=(
                "文件似为节选或不完整，无法判断条款是否齐全"
                + (f"（未见{names}）" if names else "")
                + "。应调取完整的协议文本（含全部条款和签章页）后再审查条款；已能看到的违规事实仍单独列出。"
            ),
            basis=ctx.profile.local("required_clauses"),
            evidence=[f.ev_span(0, len(f.text.split("\n", 1)[0]))],
            score=0.3,
            details={"lacking": lacking},
        )
    ]


# -- harmful_terms ---------------------------------------------------------------------------

HARM_ZH = {
    "free_use": ("无偿使用国有（集体）资产", "将资产交对方无偿使用，收益流失"),
    "fixed_rent": ("租金长期固定不调整", "租金在整个期限内不作调整，无法随市场调整，长期租赁收益受损"),
    "auto_renew": ("期满由对方自动续期", "期满由对方自动续期或排除重新招租，规避了集体决策和公开招租"),
    "state_risk": ("风险和损失由国有（集体）一方承担", "将经营风险、事故责任转嫁给资产所有方"),
    "sublease": ("允许擅自转租", "对方可不经同意自行转租、转包并获取转租收益，资产失控"),
}


def _alt(words: list[str]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in words) + ")"


def harmful_terms_in(f) -> list[tuple[str, int, int]]:
    """(kind, start, end) of each harmful term."""
    t = f.text
    own, cp = _alt(f.owner_refs), _alt(f.counter_refs)
    found: list[tuple[str, int, int]] = []

    def add(kind: str, m: re.Match) -> None:
        if not any(k == kind for k, _, _ in found):
            found.append((kind, m.start(), m.end()))

    if f.type != "lending":
        for m in re.finditer(r"(无偿使用|无偿提供|免费使用|无偿占用|不另收取任何费用|不收取任何费用|免收全部)", t):
            s0, _ = f.sentence_span(m.start())
            if re.search(r"(不得|严禁|禁止)[^。；;\n]{0,6}$", t[s0 : m.start()]):
                continue
            if re.search(r"(附着物|添附|改良)[^。；;\n]{0,10}$", t[s0 : m.start()]):
                continue
            add("free_use", m)
    for m in re.finditer(
        rf"{RENT_WORDS}[^。；;\n]{{0,14}}?(不作任何调整|不作调整|不予调整|不再调整|不调整|固定不变|保持不变|永不调整|不得调整|一定到底)|一定到底",
        t,
    ):
        add("fixed_rent", m)
    for m in re.finditer(r"自动(续期|续约|续租|延续|延期|顺延|续签)", t):
        before = t[max(0, m.start() - 4) : m.start()]
        if re.search(r"(不|非|无|未)$", before) or re.search(r"不[^。；;，,\n]{0,2}$", before):
            continue
        add("auto_renew", m)
    for m in re.finditer(rf"{cp}[^。；;\n]{{0,12}}(享有|有权)[^。；;\n]{{0,8}}续(期|租|约)[^。；;\n]{{0,20}}{own}不得另行(招租|出租|发包)", t):
        add("auto_renew", m)
    for m in re.finditer(
        rf"(一切|全部|所有)[^。；;\n]{{0,30}}?(风险|损失|责任|事故)[^。；;\n]{{0,12}}?均?由{own}(承担|负责|负担)|由{own}承担[^。；;\n]{{0,8}}(一切|全部)[^。；;\n]{{0,8}}(风险|责任|损失)",
        t,
    ):
        add("state_risk", m)
    for m in re.finditer(
        rf"{cp}[^。；;\n]{{0,8}}(可|可以|有权|能够)[^。；;\n]{{0,10}}?(自行)?(转租|转包|分租|转借|转让使用权)|(转租|转包|分租)[^。；;\n]{{0,12}}(无需|不需|无须|不必)[^。；;\n]{{0,8}}(同意|批准|许可)|转(租|包)收益归{cp}",
        t,
    ):
        s0, _ = f.sentence_span(m.start())
        if re.search(r"(不得|严禁|禁止|未经)[^。；;\n]{0,10}$", t[s0 : m.start()]):
            continue
        add("sublease", m)
    return found


@register("harmful_terms", needs=("profile",))
def harmful_terms(agreement, ctx):
    f = ctx.facts(agreement)
    if f.kind not in ("main", "supplementary"):
        return []
    found = harmful_terms_in(f)
    if not found:
        return []
    evidence = [f.ev_sentence(s, e) for _, s, e in found]
    parts = [f"「{ev.text}」——{HARM_ZH[k][1]}" for (k, _, _), ev in zip(found, evidence)]
    title = "协议含有损害国有（集体）利益的条款：" + "、".join(HARM_ZH[k][0] for k, _, _ in found)
    return [
        make(
            "harmful_terms",
            title=title,
            explanation="协议约定" + "；".join(parts) + "。应与对方协商删除或修改上述条款。",
            basis=ctx.profile.local("harmful_terms"),
            evidence=evidence,
            score=0.85,
            details={"terms": [k for k, _, _ in found]},
        )
    ]
