"""Sentences shared by the family templates, each in several wordings.

Every function takes the :class:`~corpus.docbuild.Doc` (to record the fields it writes), the
family's ``rng`` and a wording index ``v`` (families pick their own subset, so a held-out family
speaks differently from the training ones).  Functions return the sentence without the final
full stop unless said otherwise.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from .docbuild import Doc
from .facts import Deal
from .money import (
    capital_yuan,
    cn_int,
    fmt_area,
    fmt_date,
    fmt_money,
    fmt_month,
    fmt_mu,
    fmt_term,
    money_ok_for_wan,
)
from .names import account_no

# ------------------------------------------------------------------------------------------
# wording selection: the last ``reserved`` wordings of a bank are used by held-out (test)
# families only, so a model trained on the training families meets unseen wording at test time
# ------------------------------------------------------------------------------------------


def pick(d: Deal, opts: list, v: int, reserved: int = 1):
    common, held = opts[: len(opts) - reserved], opts[len(opts) - reserved :]
    if d.split == "test" and held and v % 2 == 0:
        return held[(v // 2) % len(held)]
    return common[v % len(common)]


# ------------------------------------------------------------------------------------------
# money / area / asset
# ------------------------------------------------------------------------------------------


def money(x: float, style: str) -> str:
    if style == "wan" and not money_ok_for_wan(x):
        style = "plain"
    if style in ("capital", "cap_paren", "num_cap", "rmb_cap") and abs(x * 100 - round(x * 100)) > 1e-6:
        style = "comma"
    return fmt_money(x, style)


def area_text(doc: Doc, prefix: str = "", style: str = "m2") -> str:
    """Write the asset's size (建筑面积约126.5㎡ / 35.6亩 / 2辆) and record area_m2 where it applies."""
    d = doc.deal
    if d.area_mu is not None:
        t = fmt_mu(d.area_mu)
        return prefix + doc.f("area_m2", round(d.area_mu * 666.67, 2), t)
    if d.area_m2 is not None:
        t = fmt_area(d.area_m2, style)
        return prefix + doc.f("area_m2", float(d.area_m2), t)
    return ""


def asset_text(doc: Doc) -> str:
    d = doc.deal
    return doc.f("asset", d.asset, d.asset)


def location_text(doc: Doc) -> str:
    d = doc.deal
    return doc.f("asset_location", d.asset_location, d.asset_location)


# ------------------------------------------------------------------------------------------
# collective decision
# ------------------------------------------------------------------------------------------


def _decision_present(d: Deal, rng: random.Random, v: int, date_style: str) -> str:
    k = d.owner_kind
    dd = fmt_date(d.decision_date or d.signed or date(2020, 1, 1), date_style)
    tw = d.place.township[-1]  # 镇 or 乡
    if k == "township_government":
        opts = [
            f"经{tw}党委会研究决定",
            f"经{dd}{tw}党委会议研究同意",
            f"经{tw}党政联席会议集体研究决定",
            f"经{dd}{tw}人民政府班子会议研究同意",
            f"经{tw}党委会议集体研究同意",
            f"经{tw}党委会议专题研究并形成会议纪要",
            f"依据{dd}{tw}党政班子联席会议纪要",
        ]
    elif k == "administrative_unit":
        centre = d.owner.name.endswith("中心")
        u, m = ("中心", "主任办公会") if centre else ("局", "局务会")
        opts = [
            f"经{u}党组会研究决定",
            f"经{dd}{m}研究同意",
            f"经{u}领导班子集体研究决定",
            f"经{dd}{'主任' if centre else '局长'}办公会议研究同意",
            f"经{u}党组会议集体研究同意",
            f"经{u}党组会议专题研究并形成会议纪要",
            f"依据{dd}{'主任' if centre else '局长'}办公会议纪要",
        ]
    elif k == "public_institution":
        n = d.owner.name
        meet = "校长办公会" if ("学" in n) else "院务会" if ("医院" in n or "卫生院" in n) else "馆务会" if "馆" in n else "中心班子会议" if "中心" in n else "单位班子会议"
        opts = [
            f"经{meet}研究决定",
            f"经{dd}党支部会议及{meet}研究同意",
            "经单位领导班子集体研究决定",
            f"经{dd}{meet}集体研究同意",
            f"经{meet}集体研究决定",
            "经单位党政联席会议集体研究决定",
            f"依据{dd}{meet}会议纪要",
        ]
    else:
        a = rng.randint(25, 45)
        b = a - rng.randint(0, 4)
        c = b - rng.randint(0, max(1, b // 5))
        if c * 3 < b * 2:
            c = (b * 2 + 2) // 3 + 1
        c = min(c, b)
        opts = [
            f"经{dd}村民代表大会讨论通过（应到代表{a}人，实到{b}人，同意{c}人）",
            "按照“四议两公开”程序，经村党支部提议、村“两委”会议商议、党员大会审议、村民代表会议决议通过",
            "经本村村民会议三分之二以上成员同意",
            f"经{dd}村民代表会议讨论通过（到会代表{b}人，同意{c}人）",
            "经村“两委”联席会议研究并提交村民代表大会表决通过",
            f"经{dd}村民代表会议投票表决（赞成{c}票）通过",
            "经村党支部会、村民委员会会议、党员大会、村民代表会议逐级研究通过并公示",
        ]
    return pick(d, opts, v, 2)


def _decision_negated(d: Deal, v: int, note: bool = False) -> str:
    k = d.owner_kind
    tw = d.place.township[-1]
    if note:
        meeting = {
            "township_government": f"{tw}党委会",
            "administrative_unit": "局党组会",
            "public_institution": "单位领导班子会议",
        }.get(k, "村民代表大会")
        opts = [f"当时未经{meeting}研究", f"此事未提交{meeting}讨论", f"该事项未经{meeting}集体研究决定", f"始终没有召开{meeting}研究此事"]
        return pick(d, opts, v, 1)
    if k == "township_government":
        opts = [f"该事项未经{tw}党委会研究", "因时间紧迫，未经集体研究，由分管领导签字同意", f"本协议未提交{tw}党政联席会议研究"]
    elif k == "administrative_unit":
        opts = ["因工作紧急，未提交局党组会研究", "该事项未经局务会集体研究，由分管副局长同意", "未经局领导班子集体研究"]
    elif k == "public_institution":
        sch = "学" in d.owner.name
        opts = ["该事项未经单位领导班子集体研究", f"未经{'校长办公会' if sch else '单位办公会'}研究，由后勤负责人报分管领导同意", "未提交单位班子会议研究"]
    else:
        opts = ["该事项未召开村民代表大会讨论", "未经村民代表会议讨论，由村委会主任直接签订", "因时间紧迫，未履行“四议两公开”程序"]
    opts.append("此次出租没有经过集体研究程序" if k != "village_committee" and k != "village_cooperative" else "本事项没有提交村民代表会议表决")
    return pick(d, opts, v, 1)


def decision(doc: Doc, rng: random.Random, v: int, date_style: str = "cn") -> str:
    """The decision phrase (recorded), a negated sentence (not recorded), or ''."""
    d = doc.deal
    if d.decision == "present":
        s = _decision_present(d, rng, v, date_style)
        return doc.f("collective_decision", s, s)
    if d.decision == "negated":
        return _decision_negated(d, v)
    return ""


# ------------------------------------------------------------------------------------------
# tender / approval
# ------------------------------------------------------------------------------------------

TENDER_WORDS = {
    "public_tender": ["公开招租", "公开招标", "公开招租"],
    "auction": ["公开拍卖", "拍卖", "公开拍卖"],
    "listing": ["公开挂牌", "挂牌", "挂牌交易"],
    "competitive": ["公开竞价", "竞争性谈判", "竞价", "竞争性磋商"],
    # a direct award in so many words: the boilerplate 协商一致 alone says nothing about how the
    # counterparty was chosen (real agreements write it after a tender too), so it never labels one
    "direct": ["未经公开招租", "直接签订", "协议出租"],
}


def tender(doc: Doc, rng: random.Random, v: int, cp: str = "乙方", role: str = "承租人") -> str:
    """How the counterparty was chosen (records tender_method), or '' when not stated."""
    d = doc.deal
    m = d.tender
    if m is None:
        return ""
    county = d.place.county
    if m == "direct" and d.renewal:
        w = doc.f("tender_method", "direct", "续租")
        return f"原租赁合同期满，{cp}申请{w}，经双方协商，由{cp}继续使用"
    words = TENDER_WORDS[m]
    w = words[v % len(words)]
    wt = doc.f("tender_method", m, w)
    if m == "public_tender":
        forms = [
            f"通过{wt}方式确定{cp}为{role}",
            f"经{county}公共资源交易中心{wt}，{cp}依法中标",
            f"经{wt}程序（公告期不少于十日），{cp}以最高报价确定为{role}",
            f"本项目于{county}公共资源交易平台发布{wt}公告，{cp}经评审确定为{role}",
        ]
    elif m == "auction":
        forms = [f"经{county}公共资源交易中心{wt}，{cp}以最高价竞得", f"通过{wt}方式确定{cp}为{role}", f"委托拍卖机构{wt}成交，{cp}为买受人", f"标的经依法{wt}，{cp}举牌价最高"]
    elif m == "listing":
        forms = [
            f"在{county}农村产权交易中心{wt}，{cp}依法摘牌",
            f"通过产权交易机构{wt}，{cp}为唯一意向方依法受让",
            f"经{county}公共资源交易中心{wt}，{cp}摘牌成交",
            f"标的于{county}产权交易所{wt}二十个工作日，{cp}报名受让",
        ]
    elif m == "competitive":
        forms = [f"采取{wt}方式确定{cp}为{role}", f"经{wt}，{cp}报价最高确定为{role}", f"通过{wt}择优确定{cp}为{role}", f"组织三家以上意向人{wt}，{cp}胜出"]
    else:  # direct
        forms = [f"本合同{wt}，由甲乙双方协商一致签订", f"{wt}，双方协商后签订本合同", f"{wt}，经双方友好协商签订"]
        if w == "协议出租":
            forms = [f"经双方协商，采取{wt}方式", f"本资产以{wt}方式确定{cp}为{role}", f"经甲乙双方协商一致，采取{wt}方式确定{cp}为{role}"]
        elif w == "直接签订":
            forms = [f"双方协商后{wt}本合同", f"由双方协商{wt}本协议", f"双方协商后{wt}本合同"]
        return forms[v % len(forms)]
    return pick(d, forms, v, 1)


def bracket(no: str, style: str) -> str:
    if style == "square":
        return no.replace("〔", "[").replace("〕", "]")
    if style == "paren":
        return no.replace("〔", "(").replace("〕", ")")
    if style == "lenticular":
        return no.replace("〔", "【").replace("〕", "】")
    return no


def approval(doc: Doc, v: int, bracket_style: str = "hex") -> str:
    d = doc.deal
    a = d.approval
    if a is None:
        return ""
    body = doc.f("approval_body", a.body, a.body)
    no = bracket(a.doc_no, bracket_style)
    no = doc.f("approval_doc_no", no, no)
    forms = [
        f"经{body}《{a.title}》（{no}）批准",
        f"并报经{body}批准（批准文号：{no}）",
        f"{body}已以{no}文件同意",
        f"已报{body}审批同意（{no}）",
        f"本事项已取得{body}的批复（文号{no}）",
    ]
    return pick(d, forms, v, 1)


# ------------------------------------------------------------------------------------------
# rent
# ------------------------------------------------------------------------------------------


def _period_word(period: str) -> str:
    return {"year": "年", "quarter": "季度", "month": "月", "day": "日", "once": "一次性"}[period]


def rent(doc: Doc, rng: random.Random, v: int, money_style: str, word: str = "租金") -> str:
    """The rent sentence (records rent_amount_yuan, rent_period, annual_rent_yuan), '' when absent."""
    d = doc.deal
    if "rent" in d.missing:
        return ""
    if d.free:
        t = doc.f("rent_amount_yuan", 0.0, "无偿")
        doc.f("annual_rent_yuan", 0.0, "无偿")
        return f"本协议项下资产为{t}出借，乙方不向甲方支付租金或使用费"
    p = d.rent_period
    amt = d.rent_amount
    if amt is None:  # a deal without a money rent (the other copy of a staged-rent pair): none stated
        return ""
    m = money(amt, money_style)
    if p == "once":
        pt = doc.f("rent_period", "once", "一次性")
        mt = doc.f("rent_amount_yuan", amt, m)
        years = d.months / 12.0
        doc.f("annual_rent_yuan", round(amt / years, 2), mt)
        return f"{word}{pt}支付，{cn_int(d.months // 12) if d.months % 12 == 0 else d.months}{'年' if d.months % 12 == 0 else '个月'}{word}共计{mt}，于本合同签订后十日内付清"
    unit_phrase = ""
    if d.show_unit and d.unit_price is not None:
        u = d.unit_price
        us = f"{u:g}" if u != int(u) else str(int(u))
        if d.unit == "m2_month":
            unit_phrase = f"按每平方米每月{us}元计算"
        elif d.unit == "mu_year":
            unit_phrase = f"按每亩每年{us}元计算"
        elif d.unit == "vehicle_month":
            unit_phrase = f"按每辆每月{us}元计算"
        elif d.unit == "set_month":
            unit_phrase = f"按每台每月{us}元计算"
    if d.unit == "mu_year" and unit_phrase and v % 4 == 3 and p == "year":
        # per-mu price only; the yearly amount is computed from the price and the area
        us = unit_phrase[len("按") : -len("计算")]
        ut = doc.f("rent_amount_yuan", amt, us)
        doc.f("rent_period", "year", "每年", force=False)
        doc.f("annual_rent_yuan", d.annual_rent, ut)
        return f"{word}标准为{ut}，按实际面积计收"
    mt = doc.f("rent_amount_yuan", amt, m)
    if p == "year":
        forms = [
            (f"年{word}", f"年{word}为{mt}"),
            ("按年支付", f"{word}按年支付，每年{word}{mt}"),
            (f"年{word}", f"{unit_phrase}，年{word}合计{mt}" if unit_phrase else f"年{word}{mt}"),
            ("每年", f"{unit_phrase}，每年{word}共计{mt}" if unit_phrase else f"每年{word}{mt}"),
        ]
    elif p == "month":
        forms = [
            (f"月{word}", f"月{word}为{mt}"),
            ("按月支付", f"{word}按月支付，每月{mt}"),
            (f"月{word}", f"{unit_phrase}，月{word}合计{mt}" if unit_phrase else f"月{word}{mt}"),
            ("每月", f"{unit_phrase}，每月{word}{mt}" if unit_phrase else f"每月{word}{mt}"),
        ]
    elif p == "quarter":
        forms = [
            ("每季度", f"{word}按季度支付，每季度{mt}"),
            ("按季支付", f"{word}按季支付，每季{word}{mt}"),
            ("每季度", f"{unit_phrase}，每季度{word}{mt}" if unit_phrase else f"每季度{word}{mt}"),
            ("按季度", f"{word}按季度缴纳，每季度{mt}"),
        ]
    else:
        raise ValueError(p)
    pw, sentence = forms[v % len(forms)]
    if unit_phrase and unit_phrase not in sentence:
        sentence = f"{word}{unit_phrase}，" + sentence
    if sentence.startswith("按"):
        sentence = word + sentence
    doc.f("rent_period", p, pw)
    if p == "year":
        doc.f("annual_rent_yuan", d.annual_rent, mt)
    else:
        doc.f("annual_rent_yuan", d.annual_rent, mt)
    return sentence


def escalation(doc: Doc, v: int, word: str = "租金") -> str:
    d = doc.deal
    if not d.escalation or "rent" in d.missing:
        return ""
    step, pct = d.escalation
    p = f"{pct * 100:g}%"
    forms = [
        f"{word}每{cn_int(step)}年递增{p}",
        f"自第{cn_int(step + 1)}年起，{word}每{cn_int(step)}年在上一期基础上递增{p}",
        f"{word}标准每{cn_int(step)}年上浮{p}",
    ]
    return forms[v % len(forms)]


def pay_time(d: Deal, v: int, cp: str = "乙方", word: str = "租金") -> str:
    if d.free or "rent" in d.missing or d.rent_period == "once":
        return ""
    p = d.rent_period
    if p == "year":
        forms = [f"{cp}应于每年{d.start.month if d.start else 3}月10日前交清当年{word}", "先付后用，每年首月十日前缴清当年" + word, f"{cp}于每个年度开始前十日内一次性缴清"]
    elif p == "month":
        forms = [f"{cp}应于每月五日前支付当月{word}", "每月十日前缴纳", f"{cp}应于每月月初缴纳当月{word}"]
    else:
        forms = [f"{cp}应于每季度第一个月十日前缴纳", "每季度开始前缴清", f"{cp}应于每季度首月五日前交清当季{word}"]
    return forms[v % len(forms)]


def deposit(doc: Doc, v: int, money_style: str, cp: str = "乙方", owner: str = "甲方") -> str:
    d = doc.deal
    if d.deposit is None:
        return ""
    m = doc.f("deposit_yuan", d.deposit, money(d.deposit, money_style))
    w = d.deposit_word
    forms = [
        f"{cp}应于本合同签订之日起三日内向{owner}交纳{w}{m}，合同期满无违约的，{owner}无息退还",
        f"{cp}于签约时交纳{w}{m}，期满结清各项费用后退还",
        f"本合同签订时，{cp}向{owner}缴纳{w}{m}；{cp}违约的，{owner}有权从中扣除相应款项",
    ]
    return forms[v % len(forms)]


# ------------------------------------------------------------------------------------------
# term
# ------------------------------------------------------------------------------------------


def term(doc: Doc, v: int, date_style: str, word: str = "租赁期限") -> str:
    """The term sentence (records term_start, term_end, term_months), '' when the term is missing."""
    d = doc.deal
    if "term" in d.missing or d.start is None:
        return ""
    if d.extra.get("from_sign"):
        yrs = fmt_term(d.months)
        mt = doc.f("term_months", d.months, yrs)
        short = word.replace("期限", "期")
        if v % 2 == 0:
            st = doc.f("term_start", d.start.isoformat(), "自本合同签订之日起")
            doc.f("term_end", d.end.isoformat(), f"{short}{yrs}")
            return f"{short}{mt}，{st}计算"
        st = doc.f("term_start", d.start.isoformat(), "从本合同签订之日起算")
        doc.f("term_end", d.end.isoformat(), f"期限为{yrs}")
        return f"{word}：期限为{mt}，{st}"
    s = fmt_date(d.start, date_style)
    e = fmt_date(d.end, date_style)
    y = fmt_term(d.months, "arabic" if date_style in ("dot", "iso", "slash") and v % 2 else "cn")
    form = v % 4
    if form == 0:
        mt = doc.f("term_months", d.months, y)
        st = doc.f("term_start", d.start.isoformat(), s)
        et = doc.f("term_end", d.end.isoformat(), e)
        return f"{word}为{mt}，自{st}起至{et}止"
    if form == 1:
        span = f"自{s}起至{e}止"
        doc.f("term_months", d.months, span)
        st = doc.f("term_start", d.start.isoformat(), s)
        et = doc.f("term_end", d.end.isoformat(), e)
        return f"{word}{span}"
    if form == 2:
        mt = doc.f("term_months", d.months, f"共计{y}")
        st = doc.f("term_start", d.start.isoformat(), s)
        et = doc.f("term_end", d.end.isoformat(), e)
        return f"{word}{mt}，即{st}至{et}"
    mt = doc.f("term_months", d.months, y)
    st = doc.f("term_start", d.start.isoformat(), s)
    et = doc.f("term_end", d.end.isoformat(), e)
    return f"{word}：{mt}（{st}—{et}）"


# ------------------------------------------------------------------------------------------
# remittance
# ------------------------------------------------------------------------------------------


def remittance(doc: Doc, rng: random.Random, v: int, cp: str = "乙方", owner: str = "甲方", word: str = "租金") -> str:
    """Where the money goes (records payee_account and remittance). '' when the clause is missing."""
    d = doc.deal
    mode = d.remittance
    if mode in ("missing", "unstated") or d.free:
        return ""
    county, town = d.place.county, d.place.township
    bank = d.extra.get("bank") or f"{d.place.county_short}农村商业银行{d.place.township_short}支行"
    acct = d.extra.get("account") or account_no(rng)
    if mode == "proper":
        if d.is_state:
            opts = [
                (f"{owner}指定账户（户名：{d.owner.name}，开户行：{bank}，账号：{acct}）", "{cp}应将{word}缴入{payee}，{owner}收取后按规定全额上缴国库"),
                (f"{county}财政局非税收入汇缴专户", "{word}由{cp}直接缴入{payee}，实行收支两条线管理"),
                (f"{owner}基本账户（开户银行：{bank}，账号：{acct}）", "{cp}按期将{word}转入{payee}，{owner}开具财政票据并及时缴入财政专户"),
                (f"{county}财政非税收入专户", "{word}一律缴入{payee}，{owner}不得坐收坐支"),
                (f"{county}财政局国有资产收益专户", "{cp}每期将{word}汇入{payee}，凭缴款回单换取票据"),
            ]
        else:
            village = d.village or ""
            opts = [
                (f"村集体经济组织账户（开户行：{bank}，账号：{acct}）", "{word}由{cp}缴入{payee}，纳入村级财务统一管理"),
                (f"{town}农村集体资金代理服务中心{village}村账户", "{word}由{cp}交至{payee}（村账乡管），由村报账员开具收据"),
                ("村集体专户", "{word}存入{payee}，任何个人不得私自收取"),
                (f"{owner}在{bank}开设的集体资金账户（账号：{acct}）", "{cp}将{word}转入{payee}，收入纳入村集体经济收入统一核算"),
                (f"{town}“三资”代理服务中心村级专户", "{word}统一存入{payee}，由村集体经济组织记账核算"),
            ]
    elif mode == "cash_person":
        person = d.remit_person
        if not d.is_state:
            role = rng.choice(["村会计", "村报账员", "村委会主任"])
        elif d.owner_kind == "township_government":
            role = rng.choice([f"{d.place.township[-1]}财政所工作人员", "党政办工作人员"])
        else:
            role = rng.choice(["单位出纳", "后勤负责人", "办公室主任"])
        opts = [
            (f"{role}{person}", "{word}由{cp}以现金方式交给{payee}"),
            (f"{role}{person}", "{cp}每年将{word}现金交{payee}收取，由其出具收条"),
            (f"{person}（{role}）", "{word}以现金形式交由{payee}代收"),
        ]
    elif mode == "personal_account":
        person = d.remit_person
        card = d.extra.get("card", "6217" + acct[:15])
        opts = [
            (f"{person}个人银行卡（{bank}，卡号：{card}）", "{cp}应将{word}转入{payee}"),
            (f"{person}个人账户（账号：{card}）", "{word}汇入{payee}，由其统一支配"),
            (f"{person}的个人银行卡", "{word}由{cp}打入{payee}"),
        ]
    elif mode == "wrong_unit":
        if d.village:
            payee = f"{d.village}村民委员会账户"
        else:
            payee = d.extra.get("wrong_payee", f"{town}{d.place.villages[0]}村民委员会账户")
        opts = [
            (payee, "{word}交至{payee}，用于村级公益事业"),
            (payee, "{cp}将{word}直接交付{payee}，由其统筹使用"),
            (payee, "{word}由{payee}代收代管"),
        ]
    elif mode == "offset":
        opts = [
            (None, "{word}直接用于抵顶{owner}所欠{cp}的工程款，不再另行支付"),
            (None, "{owner}收取的{word}直接用于院落维修等日常开支，不再上缴"),
            (None, "{word}由{cp}直接抵扣{owner}欠付的材料款"),
        ]
    else:
        raise ValueError(mode)
    payee, tmpl = pick(d, opts, v, 1) if mode == "proper" else opts[v % len(opts)]
    if payee:
        payee = doc.f("payee_account", payee, payee)
    sentence = tmpl.format(cp=cp, owner=owner, word=word, payee=payee or "")
    return doc.f("remittance", sentence, sentence)


# ------------------------------------------------------------------------------------------
# clauses: harmful terms, return of the asset, breach, stalled notes, guarantees
# ------------------------------------------------------------------------------------------

HARMFUL = {
    "free_use": ["{extra}由{cp}无偿使用，{owner}不另收取任何费用", "{extra}一并交{cp}无偿使用"],
    "fixed_rent": ["{period}内{word}标准不作调整", "{word}一定到底，期内不作任何调整"],
    "auto_renew": ["期满后{cp}有权自动续期，续期{word}仍按本合同标准执行", "合同到期后，{cp}享有自动续期的权利，{owner}不得另行招租"],
    "state_risk": ["{period}内发生的一切安全事故、经营风险及损失均由{owner}承担", "{cp}经营期间的一切风险和责任由{owner}承担"],
    "sublease": ["{cp}可自行转租、转包，无需征得{owner}同意", "{cp}有权将标的物自行转租他人，转租收益归{cp}所有"],
}


def harmful(d: Deal, v: int, cp: str = "乙方", owner: str = "甲方", word: str = "租金", period: str = "租赁期") -> list[str]:
    out = []
    for h in d.harmful:
        extra = d.extra.get("free_extra", "院内空地及附属用房")
        forms = HARMFUL[h]
        out.append(forms[v % len(forms)].format(cp=cp, owner=owner, word=word, period=period, extra=extra))
    return out


def no_sublease(d: Deal, v: int, cp: str = "乙方", owner: str = "甲方") -> str:
    if "sublease" in d.harmful:
        return ""
    forms = [f"未经{owner}书面同意，{cp}不得转租、转借或改变用途", f"{cp}不得擅自转租、转包，不得改变标的物用途", f"严禁{cp}私自转租、分租", f"{cp}如需转让使用权，须事先报{owner}书面批准"]
    return pick(d, forms, v, 1)


def renew_rule(d: Deal, v: int, cp: str = "乙方", owner: str = "甲方") -> str:
    if "auto_renew" in d.harmful:
        return ""
    forms = [
        f"期满后{owner}依规重新组织招租，同等条件下{cp}享有优先权",
        f"期满{cp}需继续使用的，应提前三个月书面申请，由{owner}依程序重新确定",
        f"合同期满自行终止，是否续约由{owner}按规定程序研究决定",
        f"到期不自动延续，{owner}将按国有（集体）资产管理规定重新处置",
    ]
    return pick(d, forms, v, 1)


def risk_rule(d: Deal, v: int, cp: str = "乙方") -> str:
    if "state_risk" in d.harmful:
        return ""
    forms = [f"{cp}自主经营、自负盈亏，经营期间的安全责任由{cp}承担", f"{cp}应做好防火、防盗等安全工作，因{cp}原因发生的事故由{cp}负责", f"经营期间的债权债务及安全责任均由{cp}自行承担", f"{cp}使用期间发生的人身、财产损害由{cp}依法承担"]
    return pick(d, forms, v, 1)


def return_asset(d: Deal, v: int, cp: str = "乙方", owner: str = "甲方", thing: str = "标的物") -> str:
    if "return" in d.missing:
        return ""
    forms = [
        f"合同期满或解除后，{cp}应在十日内将{thing}按原状完好交还{owner}",
        f"期满后{cp}应将{thing}及附属设施完好无损地交还{owner}，并结清相关费用",
        f"合同终止之日起十五日内，{cp}腾空并交还{thing}，逾期不交还的，{owner}有权收回",
        f"到期后{thing}由{owner}收回，{cp}的固定附着物无偿归{owner}所有",
        f"租用关系结束时，{cp}须将{thing}恢复原状后移交{owner}，双方签署交接清单",
    ]
    return pick(d, forms, v, 1)


def breach(d: Deal, v: int, cp: str = "乙方", owner: str = "甲方", word: str = "租金") -> str:
    if "breach" in d.missing:
        return ""
    forms = [
        f"{cp}逾期支付{word}的，每逾期一日按应付金额的千分之三支付违约金；逾期超过三十日的，{owner}有权解除合同并收回标的物",
        f"任何一方违反本合同约定的，应向对方支付违约金，并赔偿由此造成的损失；{cp}拖欠{word}超过两个月的，{owner}有权单方解除合同",
        f"{cp}未按约定用途使用或拖欠{word}的，{owner}有权解除合同，{d.deposit_word}不予退还；{owner}无正当理由提前收回的，应赔偿{cp}相应损失",
        f"一方违约给对方造成损失的，由违约方承担赔偿责任；{cp}逾期交纳{word}，按日加收万分之五的滞纳金",
        f"{cp}欠缴{word}满一个月的，{owner}可书面催告；催告后十五日内仍未缴纳的，{owner}有权终止合同并要求赔偿",
    ]
    return pick(d, forms, v, 1)


def stalled_note(d: Deal, v: int, date_style: str, word: str = "租金") -> str:
    if not d.stalled:
        return ""
    sd = d.stalled_date or d.start
    y = sd.year
    if d.stalled == "unpaid":
        forms = [f"备注：{cp_name(d)}自{fmt_month(sd, date_style)}起未再缴纳{word}，至今拖欠。", f"履约情况：乙方至今未缴纳{y}年度{word}。", f"（注：{y}年以来乙方未缴纳{word}。）"]
    elif d.stalled == "waived":
        forms = [f"履约情况：经协商免收{y}年度{word}。", f"备注：{y}年度{word}经协商予以免收。", f"（注：因经营困难，经双方协商免收乙方{y}年度{word}。）"]
    else:
        forms = [f"（注：该项目已于{fmt_date(sd, date_style)}停工，乙方未再缴纳{word}。）", f"履约情况：项目已停工，场地闲置，{y}年起未产生收益。", f"备注：{fmt_month(sd, date_style)}起乙方停止经营，项目已停工。"]
    return forms[v % len(forms)]


def cp_name(d: Deal) -> str:
    return d.counterparty.name


def guarantee_clause(d: Deal, v: int, money_style: str, cp: str = "乙方", owner: str = "甲方") -> str:
    if not d.guarantee:
        return ""
    bank = d.extra.get("bank") or f"{d.place.county_short}农村商业银行"
    m = money(d.guarantee_amount or 1000000.0, money_style)
    if d.guarantee == "loan_guarantee":
        forms = [f"为支持{cp}发展，{owner}同意为{cp}在{bank}的贷款{m}提供连带责任保证担保", f"{cp}向金融机构申请的项目贷款（{m}），由{owner}提供担保"]
    else:
        forms = [f"{owner}同意以该宗集体土地使用权为{cp}向{bank}申请的贷款{m}提供抵押担保", f"{cp}可将本合同项下集体土地使用权抵押给{bank}办理贷款（额度{m}），{owner}作为抵押人配合办理抵押登记"]
    return forms[v % len(forms)]


# ------------------------------------------------------------------------------------------
# contract number
# ------------------------------------------------------------------------------------------


def contract_no(d: Deal, rng: random.Random, tag: str) -> str:
    y = (d.signed or d.start or date(2020, 1, 1)).year
    return f"{d.place.township_short}{tag}〔{y}〕第{rng.randint(1, 60):03d}号"


def some_days_before(d: date, rng: random.Random, lo: int, hi: int) -> date:
    return d - timedelta(days=rng.randint(lo, hi))


__all__ = [
    "approval",
    "area_text",
    "asset_text",
    "breach",
    "capital_yuan",
    "contract_no",
    "decision",
    "deposit",
    "escalation",
    "guarantee_clause",
    "harmful",
    "location_text",
    "money",
    "no_sublease",
    "pay_time",
    "remittance",
    "renew_rule",
    "rent",
    "return_asset",
    "risk_rule",
    "stalled_note",
    "tender",
    "term",
]
