"""The template families: each a distinct layout and wording for one kind of agreement.

A family fixes its party labels, heading style, clause order, date and money styles, where the
rent is written (clause, schedule table or both) and its signature block; within a family the
wording still varies a little per document.  ``split`` says whether the family is used for
training or held out for testing (a family is never in both).

    id   split  kind           what it looks like
    F01  train  main           门面房屋租赁合同: 出租方（甲方）/承租方（乙方）, 第一条 run-in, 大写（¥）
    F02  train  main           国有资产租赁合同: 出租人/承租人 without 甲乙, 一、 title lines, rent schedule table
    F03  train  main           集体土地/大棚租赁协议: 1. numbering, 二〇二三年 dates, per-亩 rent, tabbed signatures
    F04  train  main           农村土地承包合同: 发包方/承包方, 一、 run-in, plot table with 四至, 共计X年
    F05  train  main           鱼塘/林地承包合同 (old model): 订立合同双方, 一，headings, 以下简称甲方, "…订"
    F06  train  main           国有资产出借协议: 出借方/借用方, （一）, asset table with book values, 无偿
    F07  test   main           车辆/机械设备租赁或转让合同: 1. / 1.1 sub-items, vehicle table, 2023.3.1, 签约地点
    F08  test   main           大棚/养殖场租赁合同: run-in headings without numbers, 万元, escalation
    F09  train  main           承包经营合同 (食堂/农贸市场): 第一章 chapters, 发包方/承包方 without 甲乙
    F10  test   main           合作开发协议: 第一条 title lines, fixed annual return, land contributed
    F11  train  main           资产转让协议: appraisal, 转让价款, ISO dates
    F12  train  guarantee      保证/抵押合同 and 履约担保合同: three parties, 债权人/保证人/抵押人
    F13  train  supplementary  补充协议: refers to the main agreement by title and date, 一、 items
    F14  train  oral_note      口头协议情况说明: narrative note by the owner
    F15  train  white_slip     收条: one-paragraph receipt
    F16  test   main           房屋/场地租赁合同: party table, 【租金】 bracket headings, rent clause first
    F17  train  main           村集体厂房/仓库/门面租赁合同: 第一条 title lines, per-m² rent, date under the seal
    F18  test   main           土地经营权流转合同: 流出方/流入方, 1． numbering, fee table, 签约地点
    F19  test   oral_note      口头约定情况说明: 一、基本情况 / 二、收费情况 / 三、目前状况, 经办人
    F20  test   supplementary  变更协议 / 补充协议（二）: 原合同名称 / 签订日期 list, 1． items
    F21  test   white_slip     收据: receipt form as a table

F22–F27 (shaped after real documents: 1980s production-team contracts, parties in running text or
only in the signature block, staged / stepped / in-kind rents, meeting minutes, listing notices,
白条) are in ``corpus/families_real.py``.
"""

from __future__ import annotations

import random
from datetime import timedelta

from . import phrases as P
from .docbuild import Clauses, Doc, Roles, party_lines, sign_block
from .facts import Deal
from .money import capital_yuan, cn_int, fmt_date, fmt_month, fmt_number, fmt_term
from .registry import Family, default_supports, register
from .render import SealSpec

# ------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------


def sent(*parts: str, end: str = "。") -> str:
    """Join the non-empty parts with '，' and close the sentence."""
    ps = [p.strip("，。 ") for p in parts if p and p.strip("，。 ")]
    return ("，".join(ps) + end) if ps else ""


def sents(*sentences: str) -> str:
    """Join finished or unfinished sentences, each closed with '。'."""
    out = []
    for s in sentences:
        s = (s or "").strip()
        if not s:
            continue
        out.append(s if s[-1] in "。；！" or s.endswith("。）") else s + "。")
    return "".join(out)


USE = {
    "shop": ["商业经营", "日用百货零售", "餐饮经营", "农资销售"],
    "office": ["办公", "经营办公", "培训办公"],
    "plant": ["生产加工", "农产品加工", "建材加工"],
    "warehouse": ["仓储", "农资存储", "物流仓储"],
    "canteen": ["餐饮服务"],
    "market": ["集贸市场经营管理"],
    "farm": ["畜禽养殖"],
    "greenhouse": ["蔬菜种植", "设施农业生产", "花卉育苗"],
    "land": ["种植业生产", "特色农业种植", "农业生产"],
    "fishpond": ["水产养殖"],
    "forest": ["植树造林及林下经济"],
    "vehicle": ["运输经营", "工程作业"],
    "equipment": ["农机作业", "工程施工"],
}


def use_of(d: Deal, rng: random.Random) -> str:
    return rng.choice(USE.get(d.asset_kind, ["经营"]))


def boundaries(rng: random.Random) -> str:
    things = ["村道", "排水沟", "林带", "河堤", "集体荒地", "乡道", "王庄组承包地", "水渠", "山脚", "机耕路"]
    e, w, s, n = rng.sample(things, 4)
    return f"东至{e}，西至{w}，南至{s}，北至{n}"


def rent_word(d: Deal) -> str:
    return {"contracting": "承包费", "cooperation": "固定收益"}.get(d.agreement_type, "租金")


def stalled_block(doc: Doc, d: Deal, v: int, date_style: str, word: str = "租金") -> None:
    s = P.stalled_note(d, v, date_style, word)
    if s:
        doc.blank()
        doc.line(s)


def guarantee_sentence(doc: Doc, v: int, money_style: str, cp: str = "乙方", owner: str = "甲方") -> str:
    return P.guarantee_clause(doc.deal, v, money_style, cp, owner)


def reg(fid, split, kind, desc, render, **kw) -> Family:
    gclause = kw.pop("guarantee_clause", False)
    fam = Family(fid, split, kind, desc, render, **kw)
    if kind == "main" and not fam.supports:
        fam.supports = default_supports(fam.types, fam.owners, gclause)
    return register(fam)


# ------------------------------------------------------------------------------------------
# F01 门面房屋租赁合同
# ------------------------------------------------------------------------------------------


def r_f01(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    v = rng.randrange(6)
    R = Roles("出租方（甲方）", "承租方（乙方）", "甲方", "乙方")
    ds, ms = "cn", rng.choice(["cap_paren", "cap_paren", "comma"])
    doc.heading(rng.choice(["门面房屋租赁合同", "商铺租赁合同", "房屋租赁合同"] if d.asset_kind == "shop" else ["房屋租赁合同", "办公用房租赁合同"]))
    if rng.random() < 0.7:
        doc.line(f"合同编号：{P.contract_no(d, rng, '政租')}", align="right")
    party_lines(doc, R, "labeled")
    dec = P.decision(doc, rng, v % 3, ds)
    appr = P.approval(doc, v % 2)
    tend = P.tender(doc, rng, v % 3, "乙方", "承租人")
    doc.p(
        sent("根据《中华人民共和国民法典》及国有资产管理有关规定", dec, appr, "甲方将下述房屋对外出租", tend)
        + "为明确双方权利义务，甲乙双方在平等、自愿、协商一致的基础上，订立本合同，共同遵守。"
    )
    cl = Clauses(doc, "tiao")
    harm = P.harmful(d, v)
    cl.add("租赁房屋基本情况", sent(f"甲方将位于{P.location_text(doc)}的{P.asset_text(doc)}（建筑面积约{P.area_text(doc)}）出租给乙方", f"作为{use_of(d, rng)}使用"))
    t = P.term(doc, v % 4, ds)
    if t:
        cl.add("租赁期限", sents(t, P.renew_rule(d, v % 3)))
    r = P.rent(doc, rng, v % 4, ms)
    if r:
        cl.add("租金及支付方式", sents(r, P.escalation(doc, v % 3), P.pay_time(d, v % 3), P.remittance(doc, rng, v % 4)))
    elif not d.free:
        rem = P.remittance(doc, rng, v % 4)
        if rem:
            cl.add("费用缴纳", sents(rem))
    dep = P.deposit(doc, v % 3, ms)
    if dep:
        cl.add("履约保证金", sents(dep))
    cl.add("甲方的权利和义务", "甲方应按时将房屋交付乙方使用，负责房屋主体结构的维修；甲方有权对乙方的经营及消防安全情况进行监督检查。")
    cl.add(
        "乙方的权利和义务",
        sents("乙方应合法经营，自行承担经营期间的水、电、通讯、物业及卫生等费用", P.no_sublease(d, v % 3), P.risk_rule(d, v % 3), *harm),
    )
    ret = P.return_asset(d, v % 4, thing="房屋")
    if ret:
        cl.add("房屋的交还", sents(ret))
    b = P.breach(d, v % 4)
    if b:
        cl.add("违约责任", sents(b))
    cl.add("争议解决", "本合同履行中发生争议的，由双方协商解决；协商不成的，任何一方均可向房屋所在地人民法院提起诉讼。")
    cl.add("其他", "本合同未尽事宜，双方可另行签订补充协议，补充协议与本合同具有同等法律效力。本合同一式四份，甲方执三份，乙方执一份，自双方签字盖章之日起生效。")
    sign_block(doc, R, "stack", ds)
    stalled_block(doc, d, v % 3, ds)
    return doc


# ------------------------------------------------------------------------------------------
# F02 国有资产租赁合同 (schedule table)
# ------------------------------------------------------------------------------------------


def _schedule_rows(d: Deal, doc: Doc, word: str = "年租金（元）") -> list[list[str]] | None:
    if d.rent_period != "year" or not d.months or d.months % 12 or d.months > 60 or d.annual_rent is None or d.start is None:
        return None
    from .money import add_months, term_end

    rows = [["期次", "租赁期间", word, "缴纳时间"]]
    step, pct = d.escalation or (0, 0.0)
    total = 0.0
    first_cell = None
    for y in range(d.months // 12):
        s = add_months(d.start, 12 * y)
        e = term_end(s, 12)
        amt = round(d.annual_rent * ((1 + pct) ** (y // step) if step else 1.0), 2)
        total += amt
        cell = fmt_number(amt)
        if first_cell is None:
            first_cell = cell
        due = fmt_date(s - timedelta(days=10), "iso")
        rows.append([f"第{cn_int(y + 1)}年", f"{fmt_date(s, 'iso')}至{fmt_date(e, 'iso')}", cell, f"{due}前"])
    rows.append(["合计", "", fmt_number(round(total, 2)), ""])
    doc.f("rent_amount_yuan", d.rent_amount, first_cell)
    doc.f("rent_period", "year", "年租金")
    doc.f("annual_rent_yuan", d.annual_rent, first_cell)
    return rows


def r_f02(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    v = rng.randrange(6)
    R = Roles("出租人", "承租人", "出租人", "承租人")
    ds, ms = "cn0", rng.choice(["comma", "num_cap"])
    doc.heading(rng.choice(["国有资产租赁合同", "房屋租赁合同书", "国有资产（房屋）租赁合同"]))
    party_lines(doc, R, "compact")
    doc.p("出租人与承租人经协商，就出租人所有的国有资产租赁事宜订立本合同。")
    cl = Clauses(doc, "yi", title_line=True)
    dec = P.decision(doc, rng, 1 + v % 3, ds)
    appr = P.approval(doc, 1 + v % 2, "square" if v % 3 == 0 else "hex")
    tend = P.tender(doc, rng, 1 + v % 2, "承租人", "中选人")
    basis = sent("本次出租事项" + (dec.replace("经", "已经", 1) if dec.startswith("经") else dec) if dec else ("本次出租事项" if appr or tend else ""), appr, tend)
    if basis:
        cl.add("出租依据", basis)
    cl.add("租赁标的", sent(f"出租人将坐落于{P.location_text(doc)}的{P.asset_text(doc)}出租给承租人使用", f"建筑面积{P.area_text(doc, style='m2_text')}", f"用途为{use_of(d, rng)}"))
    t = P.term(doc, 1 + v % 3, ds)
    if t:
        cl.add("租赁期限", sents(t, P.renew_rule(d, v % 3, "承租人", "出租人")))
    rows = None if "rent" in d.missing else _schedule_rows(d, doc)
    word = "租金"
    if rows:
        rem = P.remittance(doc, rng, v % 4, "承租人", "出租人")
        cl.add("租金及缴纳", sents(f"年租金为{P.money(d.annual_rent, ms)}，租金按年缴纳，先交后用，具体金额及缴纳时间见下表", P.escalation(doc, v % 3)))
        doc.table(rows)
        if rem:
            doc.p(sents(rem))
    else:
        r = P.rent(doc, rng, v % 4, ms, word)
        if r:
            cl.add("租金及缴纳", sents(r, P.escalation(doc, v % 3), P.pay_time(d, v % 3, "承租人"), P.remittance(doc, rng, v % 4, "承租人", "出租人")))
        else:
            rem = P.remittance(doc, rng, v % 4, "承租人", "出租人")
            if rem:
                cl.add("费用缴纳", sents(rem))
    dep = P.deposit(doc, v % 3, ms, "承租人", "出租人")
    if dep:
        cl.add("押金", sents(dep))
    cl.add(
        "双方权利义务",
        sents(
            "出租人保证出租资产权属清楚，按约定交付使用",
            "承租人应合理使用租赁资产，按时缴纳水电等费用",
            P.no_sublease(d, v % 3, "承租人", "出租人"),
            P.risk_rule(d, v % 3, "承租人"),
            *P.harmful(d, v, "承租人", "出租人"),
        ),
    )
    ret = P.return_asset(d, v % 4, "承租人", "出租人", "租赁资产")
    if ret:
        cl.add("资产返还", sents(ret))
    b = P.breach(d, v % 4, "承租人", "出租人")
    if b:
        cl.add("违约责任", sents(b))
    cl.add("其他", "本合同一式三份，出租人执两份，承租人执一份，具有同等法律效力。本合同自双方签字盖章之日起生效。")
    sign_block(doc, R, "under", ds)
    stalled_block(doc, d, v % 3, ds)
    return doc


# ------------------------------------------------------------------------------------------
# F03 集体土地 / 大棚租赁协议
# ------------------------------------------------------------------------------------------


def r_f03(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    v = rng.randrange(6)
    R = Roles("甲方", "乙方", "甲方", "乙方")
    ds, ms = "hanzi", "plain"
    doc.heading(rng.choice(["土地租赁协议", "集体土地租赁合同", "大棚租赁协议"] if d.asset_kind == "greenhouse" else ["土地租赁协议", "集体土地租赁合同"]))
    party_lines(doc, R, "simple")
    dec = P.decision(doc, rng, v % 5, ds)
    appr = P.approval(doc, 1, "paren")
    tend = P.tender(doc, rng, v % 3, "乙方", "承租方")
    doc.p(sent("为盘活村集体资产，增加村集体经济收入", dec, appr, tend, "甲乙双方本着平等自愿、诚实信用的原则，就土地租赁事宜达成如下协议", end="："))
    cl = Clauses(doc, "arabic")
    cl.add("租赁土地位置及面积", sents(f"甲方将位于{P.location_text(doc)}的{P.asset_text(doc)}租赁给乙方，面积{P.area_text(doc)}（以实际丈量为准）", boundaries(rng), f"土地用途为{use_of(d, rng)}"))
    t = P.term(doc, v % 4, ds, "租赁期限")
    if t:
        cl.add("租赁期限", sents(t))
    r = P.rent(doc, rng, v % 4, ms)
    if r:
        cl.add("租金及支付", sents(r, P.escalation(doc, v % 3), P.pay_time(d, v % 3), P.remittance(doc, rng, v % 4)))
    else:
        rem = P.remittance(doc, rng, v % 4)
        if rem:
            cl.add("费用缴纳", sents(rem))
    dep = P.deposit(doc, v % 3, ms)
    cl.add(
        "双方权利义务",
        sents(
            "甲方负责协调解决租赁土地的边界纠纷，保障乙方正常生产经营",
            "乙方不得改变土地农业用途，不得在租赁土地上建设永久性建筑",
            P.no_sublease(d, v % 3),
            P.risk_rule(d, v % 3),
            dep,
            *P.harmful(d, v),
        ),
    )
    ret = P.return_asset(d, v % 4, thing="土地")
    if ret:
        cl.add("期满处理", sents(ret, P.renew_rule(d, v % 3)))
    b = P.breach(d, v % 4)
    if b:
        cl.add("违约责任", sents(b))
    g = guarantee_sentence(doc, v % 2, ms)
    if g:
        cl.add("其他约定", sents(g))
    cl.add("附则", "本协议未尽事宜由双方协商解决。本协议一式三份，甲乙双方各执一份，报镇农村经营管理站备案一份，自双方签字盖章之日起生效。")
    sign_block(doc, R, "tabs", ds, cp_seal=True)
    stalled_block(doc, d, v % 3, ds)
    return doc


# ------------------------------------------------------------------------------------------
# F04 农村土地承包合同
# ------------------------------------------------------------------------------------------


def r_f04(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    v = rng.randrange(6)
    R = Roles("发包方（甲方）", "承包方（乙方）", "甲方", "乙方")
    ds, ms = "cn", "capital"
    doc.heading(rng.choice(["农村土地承包合同", "集体机动地承包合同", "土地承包经营合同"]))
    if rng.random() < 0.6:
        doc.line(f"合同编号：{d.village or d.place.township_short}〔{d.signed.year if d.signed else 2020}〕承字第{rng.randint(1, 30):02d}号", align="right")
    party_lines(doc, R, "labeled")
    dec = P.decision(doc, rng, [0, 1, 3][v % 3], ds)
    appr = P.approval(doc, 0)
    tend = P.tender(doc, rng, v % 3, "乙方", "承包方")
    doc.p(sent("为合理利用村集体土地资源，增加村集体经济收入，根据《中华人民共和国农村土地承包法》等有关规定", f"本村{d.asset}发包事项{dec}" if d.decision == "present" else dec, appr, tend, "双方经协商一致，订立本合同"))
    cl = Clauses(doc, "yi")
    mu = d.area_mu or 0.0
    cl.add("承包土地的位置、面积和四至", f"甲方发包给乙方的{P.asset_text(doc)}位于{P.location_text(doc)}，面积共计{P.area_text(doc)}（以实际丈量为准），具体如下：")
    a = round(mu * rng.uniform(0.4, 0.7), 1) if mu > 8 else None
    rows = [["地块名称", "坐落", "面积（亩）", "四至"]]
    if a:
        rows.append([f"{d.asset}一号地", d.asset_location, f"{a:g}", boundaries(rng)])
        rows.append([f"{d.asset}二号地", d.asset_location, f"{round(mu - a, 1):g}", boundaries(rng)])
    else:
        rows.append([d.asset, d.asset_location, f"{mu:g}", boundaries(rng)])
    rows.append(["合计", "", f"{mu:g}", ""])
    doc.table(rows)
    t = P.term(doc, 2 if v % 2 else 0, ds, "承包期限")
    if t:
        cl.add("承包期限", sents(t))
    r = P.rent(doc, rng, v % 4, ms, "承包费")
    if r:
        cl.add("承包费及缴纳方式", sents(r, P.pay_time(d, 0, word="承包费"), P.remittance(doc, rng, v % 4, word="承包费")))
    else:
        rem = P.remittance(doc, rng, v % 4, word="承包费")
        if rem:
            cl.add("承包费缴纳", sents(rem))
    cl.add("土地用途", "乙方只能将承包土地用于农业生产，不得在承包地上建窑、建坟、建房或擅自改变土地农业用途，不得进行掠夺性经营。")
    dep = P.deposit(doc, v % 3, ms)
    cl.add(
        "双方的权利和义务",
        sents(
            "甲方有权监督乙方依约合理利用土地，负责协调解决灌溉、排水等公共设施问题",
            "乙方依法享有承包地使用、收益的权利",
            P.no_sublease(d, v % 3) if "sublease" not in d.harmful else "",
            dep,
            *P.harmful(d, v, word="承包费", period="承包期"),
        ),
    )
    ret = P.return_asset(d, v % 4, thing="承包土地")
    if ret:
        cl.add("承包期满", sents(ret))
    b = P.breach(d, v % 4, word="承包费")
    if b:
        cl.add("违约责任", sents(b, "因国家建设需要征收土地的，按国家有关规定办理"))
    cl.untitled("本合同未尽事宜，由双方协商解决；协商不成的，可以申请农村土地承包仲裁委员会仲裁，也可以直接向人民法院起诉。")
    cl.untitled("本合同一式三份，甲乙双方各执一份，报镇农村经营管理站备案一份，自双方签字盖章之日起生效。")
    sign_block(doc, R, "stack", ds)
    stalled_block(doc, d, v % 3, ds, "承包费")
    return doc


# ------------------------------------------------------------------------------------------
# F05 鱼塘 / 林地承包合同 (old model)
# ------------------------------------------------------------------------------------------


def r_f05(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    v = rng.randrange(6)
    R = Roles("甲方", "乙方", "甲方", "乙方")
    ds, ms = "cn0", "num_cap"
    fish = d.asset_kind == "fishpond"
    doc.heading(rng.choice(["渔业承包合同", "鱼塘承包合同"] if fish else ["林业承包合同", "林地承包合同"]))
    c = d.counterparty
    doc.line("订立合同双方：")
    doc.line(f"{doc.f('owner', d.owner.name, d.owner.name)}，以下简称甲方；")
    idl = f"（身份证号：{c.code}）" if c.kind == "individual" else f"（统一社会信用代码：{c.code}）"
    doc.line(f"{doc.f('counterparty', c.name, c.name)}{idl}，以下简称乙方。")
    dec = P.decision(doc, rng, v % 5, ds)
    tend = P.tender(doc, rng, v % 3, "乙方", "承包人")
    what = "充分利用水面资源，发展渔业生产" if fish else "发展林业生产，培育和合理利用林木资源"
    doc.p(sent(f"为了{what}，增加集体和个人收入，根据有关法律法规", dec, tend, "经甲乙双方认真协商，特订立本合同，以供双方共同遵守"))
    cl = Clauses(doc, "old")
    cl.add("承包地点和面积", sents(f"甲方将座落在{P.location_text(doc)}的{P.asset_text(doc)}{P.area_text(doc)}，承包给乙方{'养鱼' if fish else '植树和管理'}", boundaries(rng), "所有权归甲方，乙方只有管理使用权和合同规定的收益权"))
    t = P.term(doc, v % 4, ds, "承包期限")
    if t:
        cl.add("承包期限", sents(t))
    r = P.rent(doc, rng, v % 4, ms, "承包款")
    if r:
        cl.add("承包款及上交办法", sents(r, P.pay_time(d, v % 3, word="承包款"), P.remittance(doc, rng, v % 4, word="承包款"), "甲方收到承包款后，即出具收款凭证"))
    else:
        rem = P.remittance(doc, rng, v % 4, word="承包款")
        if rem:
            cl.add("承包款上交", sents(rem))
    cl.add("甲方的权利义务", sents("甲方应对群众进行保护" + ("渔业" if fish else "林业") + "生产的教育，发生偷盗等情况，甲方应积极协助乙方处理", "甲方有权督促乙方完成合同规定的义务"))
    dep = P.deposit(doc, v % 3, ms)
    cl.add(
        "乙方的权利义务",
        sents(
            "乙方有自主经营权，经营所需费用均由乙方自理",
            "乙方严禁使用电鱼、毒鱼、炸鱼等危险办法捕捞" if fish else "乙方不得毁林开垦、采石、采砂，必须切实做好护林防火工作",
            "乙方只有管理使用权，不准出卖、出租或转让" if "sublease" not in d.harmful else "",
            dep,
            P.return_asset(d, v % 4, thing="鱼塘及附属设施" if fish else "林地"),
            *P.harmful(d, v, word="承包款", period="承包期"),
        ),
    )
    b = P.breach(d, v % 4, word="承包款")
    if b:
        cl.add("违约责任", sents(b))
    cl.add("其它", "本合同中如有未尽事宜，须经甲乙双方共同协商，作出补充规定，补充规定与本合同具有同等法律效力。本合同正本一式二份，甲乙双方各执一份。")
    sign_block(doc, R, "old", ds)
    stalled_block(doc, d, v % 3, ds, "承包款")
    return doc


# ------------------------------------------------------------------------------------------
# F06 国有资产出借协议
# ------------------------------------------------------------------------------------------


def r_f06(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    v = rng.randrange(6)
    R = Roles("出借方（甲方）", "借用方（乙方）", "甲方", "乙方")
    ds, ms = "cn", "cap_paren"
    doc.heading(rng.choice(["国有资产出借协议", "房屋借用协议" if d.area_m2 else "资产借用协议", "资产无偿借用协议"]))
    if rng.random() < 0.5:
        doc.line(f"协议编号：{P.contract_no(d, rng, '政借')}", align="right")
    party_lines(doc, R, "compact")
    dec = P.decision(doc, rng, v % 5, ds)
    appr = P.approval(doc, v % 3)
    doc.p(sent(f"乙方因工作需要，向甲方申请借用{d.asset}", dec, appr, "甲方决定将下列资产出借给乙方使用", "为加强国有资产管理，防止国有资产流失，双方经协商一致，签订本协议"))
    cl = Clauses(doc, "paren")
    bv = d.book_value or 0.0
    cl.add("出借资产", f"甲方出借给乙方的资产为{P.asset_text(doc)}，位于{P.location_text(doc)}，资产账面原值合计{P.money(bv, ms)}，清单如下：")
    size = P.area_text(doc) if d.area_m2 else f"{d.count or 1}"
    doc.table([["序号", "资产名称", "规格/面积", "数量", "账面原值（元）"], ["1", d.asset, size, str(d.count or 1), fmt_number(bv)], ["合计", "", "", "", fmt_number(bv)]])
    t = P.term(doc, v % 4, ds, "出借期限")
    if t:
        cl.add("出借期限", sents(t, "期满后如需续借，乙方应提前一个月提出书面申请，经甲方研究同意后重新签订协议" if "auto_renew" not in d.harmful else ""))
    cl.add("出借方式", sents(P.rent(doc, rng, 0, ms), "但应自行承担借用期间的水电费、物业管理费及日常维修费用"))
    cl.add(
        "使用要求",
        sents(
            "乙方应妥善保管和合理使用出借资产，不得改变用途",
            "乙方不得出租、转借、抵押出借资产" if "sublease" not in d.harmful else "",
            "因乙方使用不当造成资产损坏或灭失的，乙方应按评估价值予以赔偿" if "state_risk" not in d.harmful else "",
            *P.harmful(d, v, period="借用期"),
        ),
    )
    ret = P.return_asset(d, v % 4, thing="出借资产")
    if ret:
        cl.add("资产收回", sents("因工作需要，甲方有权提前一个月书面通知乙方收回出借资产", ret))
    b = P.breach(d, 1, word="相关费用")
    if b:
        cl.add("违约责任", sents(b))
    cl.add("其他", "本协议一式三份，甲方执两份，乙方执一份，报财政部门备案，自双方签字盖章之日起生效。")
    sign_block(doc, R, "tabs", ds, cp_seal=True)
    return doc


# ------------------------------------------------------------------------------------------
# F07 车辆 / 机械设备租赁或转让合同
# ------------------------------------------------------------------------------------------


def r_f07(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    v = rng.randrange(6)
    transfer = d.agreement_type == "transfer"
    veh = d.asset_kind == "vehicle"
    if transfer:
        R = Roles("转让方", "受让方", "转让方", "受让方")
    else:
        R = Roles("出租方", "承租方", "出租方", "承租方")
    ds, ms = "dot", "comma"
    if transfer:
        doc.heading(rng.choice(["车辆转让协议", "旧车辆转让合同"] if veh else ["设备转让合同", "闲置设备转让协议"]))
    else:
        doc.heading(rng.choice(["车辆租赁合同", "汽车租赁合同"] if veh else ["机械设备租赁合同", "设备租赁合同"]))
    party_lines(doc, R, "compact")
    cp, ow = R.cp, R.owner
    dec = P.decision(doc, rng, v % 5, "dot")
    appr = P.approval(doc, v % 4, "paren")
    tend = P.tender(doc, rng, v % 3, cp, "受让人" if transfer else "承租人")
    doc.p(sent(f"{ow}{dec}" if dec.startswith("经") else dec, appr, tend, f"双方就{'转让' if transfer else '租赁'}{d.asset}事宜订立本合同"))
    n = 0

    def part(title: str, items: list[str]) -> None:
        nonlocal n
        items = [i for i in items if i]
        if not items:
            return
        n += 1
        doc.line(f"{n}. {title}")
        for k, it in enumerate(items, 1):
            doc.p(f"{n}.{k} {sents(it)}", indent=False)

    cnt = d.count or 1
    plate = lambda: f"{d.place.county_short[0]}{'ABCDEFG'[rng.randrange(7)]}{rng.randint(10000, 99999)}"
    rows = [["序号", "名称", "品牌型号" if veh else "规格型号", "车牌号/出厂编号", "数量"]]
    for i in range(cnt):
        rows.append([str(i + 1), d.asset.rstrip("一辆台0123456789"), rng.choice(["2019款", "2017款", "2021款", "ZL50", "SY75C"]), plate() if veh else f"SN{rng.randint(100000, 999999)}", "1"])
    part("标的", [f"标的为{P.asset_text(doc)}，存放于{P.location_text(doc)}，明细见下表"])
    doc.table(rows)
    if transfer:
        part(
            "评估与价款",
            [
                f"标的经{d.place.county}{rng.choice(['正信', '华诚', '中和'])}资产评估有限公司评估，评估价值为{P.money(d.appraisal, ms)}",
                f"转让价款为{doc.f('rent_amount_yuan', d.price, P.money(d.price, ms))}，{doc.f('rent_period', 'once', '一次性')}付清",
                P.remittance(doc, rng, v % 4, cp, ow, "转让价款"),
            ],
        )
        part("交付与过户", [f"{ow}收到全部价款后五日内交付标的并配合办理过户手续", f"交付后标的的风险由{cp}承担"])
    else:
        t = P.term(doc, v % 4, ds)
        part("租赁期限", [t, P.renew_rule(d, v % 3, cp, ow)] if t else [])
        r = P.rent(doc, rng, v % 4, ms)
        part("租金", [r, P.escalation(doc, v % 3), P.pay_time(d, v % 3, cp), P.remittance(doc, rng, v % 4, cp, ow)] if r else [P.remittance(doc, rng, v % 4, cp, ow)])
        dep = P.deposit(doc, v % 3, ms, cp, ow)
        part(
            "使用与维护",
            [
                f"{cp}应按操作规程使用标的，负责日常保养及燃油费用",
                P.no_sublease(d, v % 3, cp, ow),
                P.risk_rule(d, v % 3, cp),
                dep,
                *P.harmful(d, v, cp, ow),
            ],
        )
        part("归还", [P.return_asset(d, v % 4, cp, ow, "车辆" if veh else "设备")])
    b = P.breach(d, v % 4, cp, ow, "价款" if transfer else "租金")
    part("违约责任", [b])
    part("其他", ["本合同一式两份，双方各执一份，自双方签字盖章之日起生效"])
    sign_block(doc, R, "rep_sig", ds, cp_seal=True)
    stalled_block(doc, d, v % 3, ds)
    return doc


# ------------------------------------------------------------------------------------------
# F08 大棚 / 养殖场租赁合同 (run-in headings)
# ------------------------------------------------------------------------------------------


def r_f08(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    v = rng.randrange(6)
    R = Roles("甲方", "乙方", "甲方", "乙方")
    ds, ms = "cn", "wan"
    doc.heading(rng.choice(["蔬菜大棚租赁合同", "设施农业大棚租赁协议"] if d.asset_kind == "greenhouse" else ["养殖场租赁合同", "养殖小区租赁协议"]))
    party_lines(doc, R, "simple")
    dec = P.decision(doc, rng, 2 + v % 3, ds)
    appr = P.approval(doc, 3)
    tend = P.tender(doc, rng, 2, "乙方", "承租方")
    doc.p(sent(dec, appr, tend, "甲方同意将下列设施租赁给乙方经营，双方约定如下", end="："))
    cl = Clauses(doc, "runin")
    cl.add("租赁标的", sent(f"{P.asset_text(doc)}，位于{P.location_text(doc)}，占地{P.area_text(doc)}", "含配套的水、电、道路等设施"))
    t = P.term(doc, v % 4, ds)
    if t:
        cl.add("租赁期限", sents(t))
    r = P.rent(doc, rng, v % 4, ms)
    if r:
        cl.add("租金", sents(r, P.escalation(doc, v % 3), P.pay_time(d, v % 3)))
    rem = P.remittance(doc, rng, v % 4)
    if rem:
        cl.add("缴款方式", sents(rem))
    dep = P.deposit(doc, v % 3, ms)
    if dep:
        cl.add(d.deposit_word, sents(dep))
    cl.add(
        "经营要求",
        sents(
            "乙方应按照设施农业生产技术规范经营，不得改变设施用途",
            "乙方负责设施的日常维护，自然损耗除外",
            P.no_sublease(d, v % 3),
            P.risk_rule(d, v % 3),
            *P.harmful(d, v),
        ),
    )
    g = guarantee_sentence(doc, v % 2, ms)
    if g:
        cl.add("扶持措施", sents(g))
    ret = P.return_asset(d, v % 4, thing="大棚" if d.asset_kind == "greenhouse" else "养殖场圈舍")
    if ret:
        cl.add("期满交还", sents(ret, P.renew_rule(d, v % 3)))
    b = P.breach(d, v % 4)
    if b:
        cl.add("违约责任", sents(b))
    cl.add("附则", "本合同一式三份，自签订之日起生效。")
    sign_block(doc, R, "stack", ds)
    stalled_block(doc, d, v % 3, ds)
    return doc


# ------------------------------------------------------------------------------------------
# F09 承包经营合同 (chapters)
# ------------------------------------------------------------------------------------------


def r_f09(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    v = rng.randrange(6)
    R = Roles("发包方", "承包方", "发包方", "承包方")
    ds, ms = "cn", rng.choice(["wan", "rmb_cap"])
    word = "承包费"
    canteen = d.asset_kind == "canteen"
    doc.heading(rng.choice(["食堂承包经营合同", "承包经营合同书"] if canteen else ["农贸市场承包经营合同", "承包经营合同书"] if d.asset_kind == "market" else ["承包经营合同书", "国有资产承包经营合同"]))
    party_lines(doc, R, "labeled")
    cl = Clauses(doc, "chapter_tiao", sep=" ")
    doc.line("第一章 总则")
    dec = P.decision(doc, rng, v % 5, ds)
    tend = P.tender(doc, rng, 1, "承包方", "承包人")
    appr = P.approval(doc, 1)
    cl.add("承包依据", sent(f"为提高{d.asset}的经营管理水平", dec, appr, tend, "双方签订本合同"))
    cl.add("经营原则", "承包方实行独立核算、自主经营、自负盈亏，依法经营，照章纳税。" if "state_risk" not in d.harmful else "承包方依法经营，照章纳税。")
    doc.line("第二章 承包范围和期限")
    cl.add("承包范围", sent(f"发包方将位于{P.location_text(doc)}的{P.asset_text(doc)}（面积{P.area_text(doc)}）及附属设施设备发包给承包方经营", f"经营范围为{use_of(d, rng)}"))
    t = P.term(doc, v % 4, ds, "承包期限")
    if t:
        cl.add("承包期限", sents(t, P.renew_rule(d, v % 3, "承包方", "发包方")))
    doc.line("第三章 承包费")
    r = P.rent(doc, rng, v % 4, ms, word)
    if r:
        cl.add("承包费标准", sents(r, P.escalation(doc, v % 3, word)))
        cl.add("缴纳方式", sents(P.pay_time(d, v % 3, "承包方", word), P.remittance(doc, rng, v % 4, "承包方", "发包方", word)))
    else:
        rem = P.remittance(doc, rng, v % 4, "承包方", "发包方", word)
        if rem:
            cl.add("缴纳方式", sents(rem))
    dep = P.deposit(doc, v % 3, ms, "承包方", "发包方")
    if dep:
        cl.add("履约保证金", sents(dep))
    doc.line("第四章 双方权利义务")
    cl.add("发包方权利义务", "发包方负责监督承包方依法经营，检查食品安全、消防安全等工作，协调解决经营中的有关问题。" if canteen else "发包方负责监督承包方依法经营，协调解决经营中的有关问题。")
    cl.add(
        "承包方权利义务",
        sents(
            "承包方应遵守国家法律法规，保证食品卫生与价格公道" if canteen else "承包方应维护市场秩序，保持环境卫生",
            P.no_sublease(d, v % 3, "承包方", "发包方"),
            P.risk_rule(d, v % 3, "承包方"),
            *P.harmful(d, v, "承包方", "发包方", word, "承包期"),
        ),
    )
    doc.line("第五章 违约责任及其他")
    b = P.breach(d, v % 4, "承包方", "发包方", word)
    if b:
        cl.add("违约责任", sents(b))
    ret = P.return_asset(d, v % 4, "承包方", "发包方", "承包资产")
    if ret:
        cl.add("资产移交", sents(ret))
    cl.add("附则", "本合同一式四份，双方各执两份，自双方签字盖章之日起生效。")
    sign_block(doc, R, "stack", ds)
    stalled_block(doc, d, v % 3, ds, word)
    return doc


# ------------------------------------------------------------------------------------------
# F10 合作开发协议
# ------------------------------------------------------------------------------------------


def r_f10(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    v = rng.randrange(6)
    R = Roles("甲方", "合作方（乙方）", "甲方", "乙方")
    ds, ms = "cn", rng.choice(["rmb_cap", "wan"])
    word = "固定收益"
    doc.heading(rng.choice(["合作开发协议", "项目合作协议书", "土地合作开发协议"]))
    party_lines(doc, R, "labeled")
    dec = P.decision(doc, rng, v % 5, ds)
    appr = P.approval(doc, v % 4)
    tend = P.tender(doc, rng, v % 3, "乙方", "合作方")
    invest = fmt_number(round(rng.uniform(200, 3000)) * 10000).replace(".00", "")
    project = rng.choice(["特色种植示范基地", "农产品冷链物流中心", "乡村旅游综合体", "光伏农业大棚", "农产品加工园"])
    doc.p(sent(f"为加快发展{project}", dec, appr, tend, "甲乙双方经友好协商，就合作开发事宜达成如下协议"))
    cl = Clauses(doc, "tiao", title_line=True, sep=" ")
    cl.add("合作内容", sents(f"甲方提供位于{P.location_text(doc)}的{P.asset_text(doc)}，面积{P.area_text(doc)}", f"乙方投资约{invest}元建设{project}，负责项目的规划、建设和运营"))
    t = P.term(doc, v % 4, ds, "合作期限")
    if t:
        cl.add("合作期限", sents(t))
    r = P.rent(doc, rng, v % 4, ms, word)
    if r:
        cl.add("收益分配", sents(r, "该收益不受项目盈亏影响", P.pay_time(d, v % 3, word=word), P.remittance(doc, rng, v % 4, word=word)))
    else:
        rem = P.remittance(doc, rng, v % 4, word=word)
        if rem:
            cl.add("收益缴纳", sents(rem))
    g = guarantee_sentence(doc, v % 2, ms)
    cl.add(
        "双方责任",
        sents(
            "甲方负责协调项目用地的相关手续及周边关系",
            "乙方按规划投资建设，不得将项目用地用于非约定用途",
            P.no_sublease(d, v % 3),
            P.risk_rule(d, v % 3),
            g,
            *P.harmful(d, v, word=word, period="合作期"),
        ),
    )
    ret = P.return_asset(d, 3, thing="项目用地")
    if ret:
        cl.add("期满处置", sents(ret))
    b = P.breach(d, v % 4, word=word)
    if b:
        cl.add("违约责任", sents(b))
    cl.add("其他", "本协议一式六份，甲乙双方各执三份，自双方签字盖章之日起生效。")
    sign_block(doc, R, "tabs", "hanzi", cp_seal=True)
    stalled_block(doc, d, v % 3, ds, word)
    return doc


# ------------------------------------------------------------------------------------------
# F11 资产转让协议
# ------------------------------------------------------------------------------------------


def r_f11(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    v = rng.randrange(6)
    R = Roles("转让方（甲方）", "受让方（乙方）", "甲方", "乙方")
    ds, ms = "iso", "capital"
    doc.heading(rng.choice(["国有资产转让协议", "资产转让合同", "房屋转让协议" if d.asset_kind == "building" else "资产转让协议"]))
    party_lines(doc, R, "labeled")
    dec = P.decision(doc, rng, v % 5, "cn")
    appr = P.approval(doc, v % 4)
    tend = P.tender(doc, rng, v % 3, "乙方", "受让人")
    doc.p(sent(f"甲方拟转让其所有的{d.asset}", dec, appr, tend, "双方依据有关法律法规，订立本协议"))
    cl = Clauses(doc, "tiao", title_line=True)
    size = f"，建筑面积{P.area_text(doc, style='m2_text')}" if d.area_m2 else ""
    cl.add("转让标的", f"转让标的为{P.asset_text(doc)}，坐落（存放）于{P.location_text(doc)}{size}。")
    cl.add("评估价值", f"经{d.place.county}{rng.choice(['正信', '华诚', '中和', '信达'])}资产评估事务所评估，以{fmt_date(d.signed.replace(day=1), ds)}为评估基准日，标的评估价值为{P.money(d.appraisal, ms)}。")
    price = doc.f("rent_amount_yuan", d.price, P.money(d.price, ms))
    pw = doc.f("rent_period", "once", "一次性")
    rem = P.remittance(doc, rng, v % 4, word="转让价款")
    cl.add("转让价款及支付", sents(f"转让价款为{price}", f"乙方应于本协议签订之日起十五日内{pw}付清", rem))
    cl.add("标的交付", "甲方收到全部转让价款后十日内向乙方交付标的，并配合办理权属变更手续，相关税费按规定各自承担。")
    b = P.breach(d, 1, word="转让价款")
    if b:
        cl.add("违约责任", sents(b))
    cl.add("争议解决", "因本协议发生的争议，由双方协商解决；协商不成的，向标的所在地人民法院起诉。")
    cl.add("其他", "本协议一式四份，甲乙双方各执两份，自双方签字盖章之日起生效。")
    sign_block(doc, R, "stack", ds)
    return doc


# ------------------------------------------------------------------------------------------
# F12 保证 / 抵押 / 履约担保合同
# ------------------------------------------------------------------------------------------


def r_f12(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    v = rng.randrange(6)
    ds, ms = "cn", "cap_paren"
    o, c = d.owner, d.counterparty
    debtor = d.extra["debtor"]
    amt = P.money(d.guarantee_amount, ms)
    g = d.guarantee
    dec = P.decision(doc, rng, v % 5, ds)
    if g == "performance_guarantee":
        doc.heading(rng.choice(["租赁履约担保合同", "履约保证合同"]))
        doc.line(f"债权人（甲方）：{doc.f('owner', o.name, o.name)}")
        doc.line(f"保证人（乙方）：{doc.f('counterparty', c.name, c.name)}")
        doc.line(f"统一社会信用代码：{c.code}")
        doc.line(f"债务人（丙方）：{debtor.name}")
        doc.p(sent(f"丙方承租甲方{rng.choice(['临街门面房', '闲置厂房', '农贸市场摊位'])}，为保证丙方按期足额缴纳租金", dec, "乙方自愿为丙方提供连带责任保证，三方订立本合同"))
        R = Roles("债权人（甲方）", "保证人（乙方）", "甲方", "乙方")
        cl = Clauses(doc, "tiao")
        cl.add("被担保的债务", f"乙方担保的债务为丙方依租赁合同应向甲方支付的租金及违约金，最高额为{amt}。")
        cl.add("保证方式", "乙方提供连带责任保证。")
        cl.add("保证期间", "保证期间为主债务履行期届满之日起二年。")
        cl.add("其他", "本合同一式三份，三方各执一份，自各方签字盖章之日起生效。")
    else:
        mortgage = "mortgage" in g
        doc.heading("抵押合同" if mortgage else rng.choice(["保证合同", "担保合同"]))
        role = "抵押人" if mortgage else "保证人"
        doc.line(f"债权人（{'抵押权人' if mortgage else '甲方'}）：{doc.f('counterparty', c.name, c.name)}")
        doc.line(f"{role}（乙方）：{doc.f('owner', o.name, o.name)}")
        doc.line(f"负责人：{o.rep}")
        doc.line(f"债务人：{debtor.name}")
        doc.line(f"统一社会信用代码：{debtor.code}")
        loan = f"借款合同项下的借款本金{amt}"
        doc.p(sent(f"为确保债务人{debtor.name}与债权人签订的{loan}得以清偿", dec, f"乙方自愿作为{role}提供担保，双方订立本合同"))
        R = Roles("债权人", f"{role}（乙方）", "甲方", "乙方")
        cl = Clauses(doc, "tiao")
        if mortgage:
            cl.add("抵押物", sent(f"乙方以其{P.asset_text(doc)}（坐落于{P.location_text(doc)}，面积{P.area_text(doc)}）设定抵押", "抵押物清单及权属证明附后"))
            cl.add("抵押登记", "双方应于本合同签订后十日内到登记机关办理抵押登记手续。")
        else:
            cl.add("保证方式", "乙方提供连带责任保证，保证范围包括借款本金、利息、罚息、违约金及实现债权的费用。")
        cl.add("担保期间", f"担保期间为借款期限届满之日起三年，借款期限为{fmt_term(d.extra.get('loan_months', 36))}。")
        cl.add("违约责任", "债务人未按期清偿债务的，甲方有权要求乙方承担担保责任。")
        cl.add("其他", "本合同一式三份，自双方签字盖章之日起生效。")
    # signature: the state side is 乙方 (guarantor) or 甲方 (creditor); stamp the owner's seal
    informal = d.unsigned or not d.sealed
    date_txt = "" if informal else fmt_date(d.signed, ds)
    doc.f("seal_present", bool(d.sealed and not d.unsigned), "")
    if date_txt:
        doc.f("signed_date", d.signed.isoformat(), date_txt)
    doc.blank()
    if g == "performance_guarantee":
        doc.line(f"甲方（盖章）：{'' if informal else o.name}")
        doc.line(f"乙方（盖章）：{'' if informal else c.name}")
        doc.line("丙方（签字/盖章）：")
        anchor = "甲方（盖章）"
    else:
        doc.line(f"甲方（盖章）：{'' if informal else c.name}")
        doc.line(f"乙方（盖章）：{'' if informal else o.name}")
        anchor = "乙方（盖章）"
    doc.line(f"签订日期：{date_txt or '        年    月    日'}")
    if d.sealed and not d.unsigned:
        doc.seals.append(SealSpec(text=o.seal or o.name, anchor=anchor))
    return doc


# ------------------------------------------------------------------------------------------
# F16 房屋 / 场地租赁合同 (party table, bracket headings, rent first)
# ------------------------------------------------------------------------------------------


def r_f16(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    v = rng.randrange(6)
    R = Roles("出租人（甲方）", "承租人（乙方）", "甲方", "乙方")
    ds, ms = "iso", "rmb_cap"
    doc.heading(rng.choice(["房屋租赁合同", "场地租赁合同", "办公用房租赁合同" if d.asset_kind == "office" else "经营用房租赁合同"]))
    party_lines(doc, R, "table")
    doc.p("甲乙双方依据《中华人民共和国民法典》，经协商一致，订立本合同。")
    cl = Clauses(doc, "bracket")
    r = P.rent(doc, rng, v % 4, ms)
    if r:
        cl.add("租金及支付", sents(r, P.escalation(doc, v % 3), P.pay_time(d, v % 3), P.remittance(doc, rng, v % 4)))
    else:
        rem = P.remittance(doc, rng, v % 4)
        if rem:
            cl.add("费用缴纳", sents(rem))
    cl.add("租赁物", sents(f"租赁物为{P.asset_text(doc)}，坐落于{P.location_text(doc)}，面积{P.area_text(doc, style='m2_text')}", f"乙方承租后用于{use_of(d, rng)}"))
    t = P.term(doc, v % 4, ds)
    if t:
        cl.add("租赁期限", sents(t, P.renew_rule(d, v % 3)))
    dep = P.deposit(doc, v % 3, ms)
    if dep:
        cl.add(d.deposit_word, sents(dep))
    cl.add("使用要求", sents("乙方应按约定用途合理使用租赁物，不得擅自改变房屋结构", P.no_sublease(d, v % 3), P.risk_rule(d, v % 3), *P.harmful(d, v)))
    ret = P.return_asset(d, v % 4, thing="租赁物")
    if ret:
        cl.add("租赁物交还", sents(ret))
    b = P.breach(d, v % 4)
    if b:
        cl.add("违约责任", sents(b))
    dec = P.decision(doc, rng, v % 5, "cn")
    appr = P.approval(doc, v % 4, "lenticular")
    tend = P.tender(doc, rng, v % 3, "乙方", "承租人")
    basis = sent(f"本次出租{dec}" if dec.startswith("经") else dec, appr, tend)
    cl.add("其他约定", sents(basis, "本合同一式三份，甲方执两份，乙方执一份，自双方签字盖章之日起生效"))
    sign_block(doc, R, "tabs", ds, cp_seal=True)
    stalled_block(doc, d, v % 3, ds)
    return doc


# ------------------------------------------------------------------------------------------
# F17 村集体厂房 / 仓库 / 门面租赁合同
# ------------------------------------------------------------------------------------------


def r_f17(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    v = rng.randrange(6)
    R = Roles("出租方（甲方）", "承租方（乙方）", "甲方", "乙方")
    ds, ms = "cn", "num_cap"
    doc.heading(rng.choice(["厂房租赁合同" if d.asset_kind == "plant" else "仓库租赁合同" if d.asset_kind == "warehouse" else "门面租赁合同", "村集体资产租赁合同"]))
    party_lines(doc, R, "labeled")
    dec = P.decision(doc, rng, v % 5, ds)
    appr = P.approval(doc, 1)
    tend = P.tender(doc, rng, v % 3)
    doc.p(sent("根据《中华人民共和国村民委员会组织法》及村集体资产管理有关规定", dec, appr, tend, "甲乙双方订立本合同"))
    cl = Clauses(doc, "tiao", title_line=True, sep=" ")
    cl.add("租赁物", sents(f"甲方将{P.location_text(doc)}的{P.asset_text(doc)}出租给乙方，建筑面积{P.area_text(doc, style='m2_text')}", f"用途为{use_of(d, rng)}"))
    t = P.term(doc, v % 4, ds)
    if t:
        cl.add("租赁期限", sents(t))
    r = P.rent(doc, rng, v % 4, ms)
    if r:
        cl.add("租金", sents(r, P.escalation(doc, v % 3), P.pay_time(d, v % 3)))
    rem = P.remittance(doc, rng, v % 4)
    if rem:
        cl.add("租金缴纳", sents(rem))
    dep = P.deposit(doc, v % 3, ms)
    if dep:
        cl.add(d.deposit_word, sents(dep))
    cl.add(
        "双方权利义务",
        sents("甲方保证租赁物权属清楚，按约交付", "乙方应依法办理经营手续，遵守安全生产和环境保护规定", P.no_sublease(d, v % 3), P.risk_rule(d, v % 3), *P.harmful(d, v)),
    )
    g = guarantee_sentence(doc, v % 2, ms)
    if g:
        cl.add("融资支持", sents(g))
    ret = P.return_asset(d, v % 4, thing="租赁物")
    if ret:
        cl.add("期满交还", sents(ret, P.renew_rule(d, v % 3)))
    b = P.breach(d, v % 4)
    if b:
        cl.add("违约责任", sents(b))
    cl.add("其他", "本合同一式三份，甲乙双方各执一份，报镇农村集体“三资”管理服务中心备案一份。")
    sign_block(doc, R, "under", ds)
    stalled_block(doc, d, v % 3, ds)
    return doc


# ------------------------------------------------------------------------------------------
# F18 土地经营权流转合同
# ------------------------------------------------------------------------------------------


def r_f18(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    v = rng.randrange(6)
    R = Roles("流出方（甲方）", "流入方（乙方）", "甲方", "乙方")
    ds, ms = "cn0", "plain"
    word = "流转费"
    doc.heading(rng.choice(["土地经营权流转合同", "农村土地经营权流转合同", "集体土地流转承包合同"]))
    party_lines(doc, R, "compact")
    dec = P.decision(doc, rng, [1, 4, 2][v % 3], ds)
    appr = P.approval(doc, 2)
    tend = P.tender(doc, rng, v % 3, "乙方", "流入方")
    doc.p(sent("依据《中华人民共和国农村土地承包法》《农村土地经营权流转管理办法》", dec, appr, tend, "双方本着依法、自愿、有偿的原则，签订本合同"))
    cl = Clauses(doc, "arabic_full")
    cl.add("流转土地", sents(f"甲方将{P.location_text(doc)}的{P.asset_text(doc)}共{P.area_text(doc)}的经营权流转给乙方", f"用于{use_of(d, rng)}"))
    t = P.term(doc, v % 4, ds, "流转期限")
    if t:
        cl.add("流转期限", sents(t, "流转期限不得超过承包期的剩余期限"))
    if "rent" not in d.missing and d.rent_period == "year" and d.unit_price and d.area_mu:
        total = fmt_number(d.annual_rent)
        cl.add("流转费", sents(f"{word}按年支付，标准及金额见下表", P.escalation(doc, v % 3, word)))
        doc.table([["地块", "面积（亩）", "单价（元/亩·年）", "年流转费（元）"], [d.asset, f"{d.area_mu:g}", f"{d.unit_price:g}", total]])
        doc.f("rent_amount_yuan", d.rent_amount, total)
        doc.f("rent_period", "year", "按年支付")
        doc.f("annual_rent_yuan", d.annual_rent, total)
        rem = P.remittance(doc, rng, v % 4, word=word)
        if rem or P.pay_time(d, v % 3, word=word):
            doc.p(sents(P.pay_time(d, v % 3, word=word), rem))
    else:
        r = P.rent(doc, rng, v % 4, ms, word)
        if r:
            cl.add("流转费", sents(r, P.escalation(doc, v % 3, word), P.pay_time(d, v % 3, word=word), P.remittance(doc, rng, v % 4, word=word)))
        else:
            rem = P.remittance(doc, rng, v % 4, word=word)
            if rem:
                cl.add("费用缴纳", sents(rem))
    dep = P.deposit(doc, v % 3, ms)
    cl.add(
        "双方权利义务",
        sents(
            "甲方有权监督乙方合理利用土地，不得干涉乙方依法进行的生产经营",
            "乙方不得改变土地的农业用途，不得弃耕抛荒，不得破坏农业综合生产能力",
            P.no_sublease(d, v % 3),
            dep,
            *P.harmful(d, v, word=word, period="流转期"),
        ),
    )
    ret = P.return_asset(d, v % 4, thing="流转土地")
    if ret:
        cl.add("期满处理", sents(ret))
    b = P.breach(d, v % 4, word=word)
    if b:
        cl.add("违约责任", sents(b))
    cl.add("争议解决", "发生争议的，双方可以协商解决，也可以请求村民委员会、乡镇人民政府调解，或者申请农村土地承包仲裁委员会仲裁。")
    sign_block(doc, R, "rep_sig", ds, cp_seal=True)
    stalled_block(doc, d, v % 3, ds, word)
    return doc


# ------------------------------------------------------------------------------------------
# F13 / F20 supplementary agreements
# ------------------------------------------------------------------------------------------


def _supp_body(doc: Doc, d: Deal, rng: random.Random, v: int, ds: str, ms: str) -> list[str]:
    """The amending items (each a sentence), recording the new facts."""
    items = []
    word = rent_word(d)
    if d.rent_amount is not None:
        eff = fmt_date(d.extra["effective"], ds)
        per = {"year": "年", "month": "月", "quarter": "季度"}[d.rent_period]
        mt = doc.f("rent_amount_yuan", d.rent_amount, P.money(d.rent_amount, ms))
        pw = doc.f("rent_period", d.rent_period, f"每{per}" if d.rent_period != "year" else f"年{word}")
        doc.f("annual_rent_yuan", d.annual_rent, mt)
        if d.rent_period == "year":
            items.append(f"自{eff}起，{d.asset}{pw}调整为{mt}")
        else:
            items.append(f"自{eff}起，{d.asset}{word}调整为{pw}{mt}")
    if d.end is not None:
        ext = fmt_term(d.extra.get("ext_months", 12))
        et = doc.f("term_end", d.end.isoformat(), fmt_date(d.end, ds))
        items.append(f"原合同约定的期限延长{ext}，延长后期限至{et}止")
    if d.stalled == "waived":
        y = (d.stalled_date or d.signed).year
        items.append(f"因乙方经营困难，甲方同意免收乙方{y}年度{word}")
    if d.remittance in ("cash_person", "personal_account"):
        items.append("自本协议签订之日起，" + P.remittance(doc, rng, v % 3, word=word))
    for h in P.harmful(d, v, word=word, period="合同期"):
        items.append(h)
    return items


def _amends(d: Deal, main_doc_title: str, ds: str) -> dict:
    m = d.main
    return {
        "title": main_doc_title,
        "date": fmt_date(m.signed, ds) if m.signed else None,
        "date_iso": m.signed.isoformat() if m.signed else None,
        "parties": [d.owner.name, d.counterparty.name],
        "main_id": m.id,
    }


def r_f13(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    v = rng.randrange(6)
    ds, ms = "cn", rng.choice(["cap_paren", "plain"])
    mt = d.extra["main_title"]
    doc.heading(rng.choice([f"《{mt}》补充协议", "补充协议"]))
    R = Roles("甲方", "乙方", "甲方", "乙方")
    doc.line(f"甲方：{doc.f('owner', d.owner.name, d.owner.name)}")
    doc.line(f"乙方：{doc.f('counterparty', d.counterparty.name, d.counterparty.name)}")
    d.amends = _amends(d, mt, ds)
    dec = P.decision(doc, rng, v % 5, ds)
    reason = {"extend": "因乙方追加投资需要", "waive": "因乙方经营困难", "rent_increase": "根据市场行情变化", "rent_reduce": "因乙方经营困难"}.get(d.amend_kind, "因实际情况变化")
    verb = "发包" if d.agreement_type == "contracting" else "出租"
    asset = P.asset_text(doc)
    doc.p(sent(f"甲乙双方于{d.amends['date']}签订了《{mt}》（以下简称原合同），约定甲方将{asset}{verb}给乙方", f"现{reason}", dec, "经双方协商一致，就原合同有关事项补充如下", end="："))
    cl = Clauses(doc, "yi")
    for it in _supp_body(doc, d, rng, v, ds, ms):
        cl.untitled(sents(it))
    cl.untitled("本补充协议与原合同具有同等法律效力；本补充协议未约定的，仍按原合同执行。")
    cl.untitled("本补充协议一式两份，双方各执一份，自双方签字盖章之日起生效。")
    sign_block(doc, R, "stack", ds)
    return doc


def r_f20(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    v = rng.randrange(6)
    ds, ms = "cn0", "rmb_cap"
    mt = d.extra["main_title"]
    doc.heading(rng.choice(["变更协议", "补充协议（二）", "合同变更协议书"]))
    R = Roles("甲方", "乙方", "甲方", "乙方")
    doc.line(f"甲方（原合同{d.extra.get('main_owner_label', '出租方')}）：{doc.f('owner', d.owner.name, d.owner.name)}")
    doc.line(f"乙方（原合同{d.extra.get('main_cp_label', '承租方')}）：{doc.f('counterparty', d.counterparty.name, d.counterparty.name)}")
    d.amends = _amends(d, mt, ds)
    doc.line(f"原合同名称：《{mt}》")
    doc.line(f"原合同签订日期：{d.amends['date']}")
    doc.line(f"标的：{doc.f('asset', d.asset, d.asset)}")
    dec = P.decision(doc, rng, (v + 2) % 5, ds)
    doc.p(sent(dec, "双方同意对原合同作如下变更", end="："))
    cl = Clauses(doc, "arabic_full")
    for it in _supp_body(doc, d, rng, v, ds, ms):
        cl.untitled(sents(it))
    cl.untitled("原合同其他条款不变，继续履行。")
    sign_block(doc, R, "tabs", ds)
    return doc


# ------------------------------------------------------------------------------------------
# F14 / F19 oral-agreement notes
# ------------------------------------------------------------------------------------------


def _note_facts(doc: Doc, d: Deal, rng: random.Random, v: int) -> dict:
    ds = "cn"
    out = {}
    out["start"] = fmt_month(d.start, ds)
    out["owner"] = doc.f("owner", d.owner.name, d.owner.name)
    out["cp"] = doc.f("counterparty", d.counterparty.name, d.counterparty.name)
    out["asset"] = P.asset_text(doc)
    out["loc"] = P.location_text(doc)
    out["area"] = P.area_text(doc)
    word = rent_word(d)
    out["term"] = ""
    if d.months:
        y = fmt_term(d.months)
        out["term"] = f"约定使用{doc.f('term_months', d.months, y)}"
    m = P.money(d.rent_amount, rng.choice(["plain", "capital"]))
    out["rent"] = f"{doc.f('rent_period', 'year', f'每年{word}')}{doc.f('rent_amount_yuan', d.rent_amount, m)}"
    doc.f("annual_rent_yuan", d.annual_rent, m)
    out["remit"] = P.remittance(doc, rng, v % 3, d.counterparty.name, d.owner.name, word)
    if d.stalled:
        y = d.stalled_date.year
        out["stalled"] = rng.choice([f"{y}年以来{d.counterparty.name}未再缴纳{word}", f"截至目前，{d.counterparty.name}尚欠{y}年以来的{word}未缴"])
    else:
        out["stalled"] = f"{d.counterparty.name}已按约定缴纳{word}"
    out["neg"] = P._decision_negated(d, v, note=True) if d.decision == "negated" else ""
    doc.f("seal_present", d.sealed, "")
    return out


def r_f14(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    v = rng.randrange(6)
    f = _note_facts(doc, d, rng, v)
    doc.heading(rng.choice([f"关于{d.asset}使用情况的说明", "情况说明"]))
    who = rng.choice(["时任村主任", "时任镇分管领导", "原负责人"])
    doc.p(sents(f"{f['start']}，经{who}{d.extra['approver']}口头同意，{f['owner']}将位于{f['loc']}的{f['asset']}（{f['area']}）交由{f['cp']}使用，双方未签订书面合同", sent(f["term"], f"口头约定{f['rent']}"), f["remit"], f["neg"], f["stalled"]) + "特此说明。")
    doc.blank()
    doc.line(f"{d.owner.name}（盖章）", align="right")
    doc.line(fmt_date(d.extra["note_date"], "cn"), align="right")
    if d.sealed:
        doc.seals.append(SealSpec(text=d.owner.seal or d.owner.name, anchor=f"{d.owner.name}（盖章）"))
    return doc


def r_f19(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    v = rng.randrange(6)
    f = _note_facts(doc, d, rng, v)
    doc.heading(rng.choice([f"关于{d.counterparty.name}使用{d.asset}的情况说明", "口头约定情况说明"]))
    doc.line(f"一、基本情况：{f['owner']}所有的{f['asset']}，位于{f['loc']}，面积{f['area']}。{f['start']}起由{f['cp']}经营使用，当时仅作口头约定，未签订书面协议。" + (f["neg"] + "。" if f["neg"] else ""))
    doc.line("二、收费情况：" + sents(sent(f["term"], f"口头约定{f['rent']}"), f["remit"]))
    doc.line("三、目前状况：" + sents(f["stalled"]))
    doc.blank()
    doc.line(f"经办人：{d.extra['approver']}")
    doc.line(f"单位（盖章）：{d.owner.name}")
    doc.line(f"日期：{fmt_date(d.extra['note_date'], 'dot')}")
    if d.sealed:
        doc.seals.append(SealSpec(text=d.owner.seal or d.owner.name, anchor="单位（盖章）"))
    return doc


# ------------------------------------------------------------------------------------------
# F15 / F21 white slips
# ------------------------------------------------------------------------------------------


def r_f15(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    y = d.extra["rent_year"]
    m = P.money(d.rent_amount, rng.choice(["cap_paren", "capital", "plain"]))
    doc.heading(rng.choice(["收条", "收到条"]))
    cp = doc.f("counterparty", d.counterparty.name, d.counterparty.name)
    asset = P.asset_text(doc)
    pw = doc.f("rent_period", "year", f"{y}年度租金")
    amt = doc.f("rent_amount_yuan", d.rent_amount, m)
    doc.f("annual_rent_yuan", d.annual_rent, m)
    cash = "现金" if d.remittance == "cash_person" else ""
    doc.p(f"今收到{cp}交来{asset}{pw}{cash}{amt}。")
    if d.remittance == "cash_person":
        role = rng.choice(["村会计", "村报账员", "村委会主任"]) if d.village else rng.choice(["经办人", "镇财政所工作人员"])
        payee = doc.f("payee_account", f"{d.remit_person}（{role}）", f"{d.remit_person}（{role}）")
        doc.line(f"收款人：{payee}", align="right")
    else:
        payee = doc.f("owner", d.owner.name, d.owner.name)
        doc.f("payee_account", d.owner.name, d.owner.name)
        doc.line(f"收款单位：{payee}", align="right")
        doc.line(f"经手人：{d.owner.rep}", align="right")
    dt = doc.f("signed_date", d.signed.isoformat(), fmt_date(d.signed, rng.choice(["cn", "dot"])))
    doc.line(dt, align="right")
    doc.f("seal_present", False, "")
    return doc


def r_f21(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    y = d.extra["rent_year"]
    doc.heading("收据")
    dt = doc.f("signed_date", d.signed.isoformat(), fmt_date(d.signed, "cn"))
    doc.line(f"日期：{dt}    No.{rng.randint(100000, 999999):07d}", align="right")
    cp = doc.f("counterparty", d.counterparty.name, d.counterparty.name)
    pw = doc.f("rent_period", "year", f"{y}年租金")
    asset = P.asset_text(doc)
    cap = capital_yuan(d.rent_amount, prefix="")
    small = f"¥{fmt_number(d.rent_amount)}"
    doc.f("rent_amount_yuan", d.rent_amount, small)
    doc.f("annual_rent_yuan", d.annual_rent, small)
    rows = [
        ["交款单位（人）", cp],
        ["收款事由", f"{asset}{pw}"],
        ["金额（大写）", cap],
        ["金额（小写）", small],
        ["收款方式", "现金" if d.remittance == "cash_person" else "转账"],
    ]
    doc.table(rows)
    if d.remittance == "cash_person":
        payee = doc.f("payee_account", d.remit_person, d.remit_person)
        doc.line(f"收款人：{payee}    交款人：{d.counterparty.name}")
    else:
        payee = doc.f("owner", d.owner.name, d.owner.name)
        doc.f("payee_account", d.owner.name, d.owner.name)
        doc.line(f"收款单位：{payee}    会计：{d.owner.rep}")
    doc.f("seal_present", False, "")
    return doc


# ------------------------------------------------------------------------------------------
# registry
# ------------------------------------------------------------------------------------------

STATE = ("township_government", "administrative_unit", "public_institution")
VILLAGE = ("village_committee", "village_cooperative")

reg("F01", "train", "main", "门面房屋租赁合同：出租方（甲方）/承租方（乙方），第一条 run-in，大写（¥）金额", r_f01,
    types=("lease",), owners=("township_government", "administrative_unit"), assets=("shop", "office"),
    periods=("year", "year", "month", "quarter"), show_unit=0.3, escalation=0.3, deposit_words=("履约保证金", "保证金"),
    tender_pref=("public_tender",), weight=2.0)
reg("F02", "train", "main", "国有资产租赁合同：出租人/承租人（无甲乙），一、标题行，年租金缴纳时间表", r_f02,
    types=("lease",), owners=STATE, assets=("office", "plant", "warehouse", "shop"),
    periods=("year",), show_unit=0.0, escalation=0.4, deposit_words=("押金",), tender_pref=("public_tender", "competitive"), weight=1.2)
reg("F03", "train", "main", "集体土地/大棚租赁协议：1. 编号，二〇二三年日期，按亩计租，分栏签章", r_f03,
    types=("lease",), owners=VILLAGE, assets=("land", "greenhouse"), periods=("year",), show_unit=0.8, escalation=0.4,
    from_sign=0.25, tender_pref=("competitive", "listing"), guarantee_clause=True)
reg("F04", "train", "main", "农村土地承包合同：发包方/承包方，一、run-in，地块四至表，共计X年", r_f04,
    types=("contracting",), owners=("village_committee",), assets=("land",), periods=("year",), show_unit=0.9,
    tender_pref=("competitive", "listing"), weight=1.2)
reg("F05", "train", "main", "鱼塘/林地承包合同（旧范本）：订立合同双方，以下简称甲方，一，标题，…订", r_f05,
    types=("contracting",), owners=("village_committee",), assets=("fishpond", "forest"), periods=("year",), show_unit=0.6,
    tender_pref=("competitive",), weight=0.8)
reg("F06", "train", "main", "国有资产出借协议：出借方/借用方，（一）编号，资产清单表，无偿", r_f06,
    types=("lending",), owners=STATE, assets=("office", "vehicle", "equipment", "shop"), weight=1.4)
reg("F07", "test", "main", "车辆/机械设备租赁或转让合同：1./1.1 分项，车辆明细表，2023.3.1 日期，签约地点", r_f07,
    types=("lease", "lease", "transfer"), owners=STATE, assets=("vehicle", "equipment"), periods=("month", "year", "quarter"),
    show_unit=0.5, tender_pref=("competitive", "public_tender"))
reg("F08", "test", "main", "大棚/养殖场租赁合同：无编号 run-in 标题，万元，递增条款", r_f08,
    types=("lease",), owners=("township_government", "village_committee"), assets=("greenhouse", "farm"),
    periods=("year",), show_unit=0.5, escalation=0.6, deposit_words=("押金", "保证金"), tender_pref=("competitive", "public_tender"),
    guarantee_clause=True)
reg("F09", "train", "main", "承包经营合同（食堂/农贸市场）：第一章 总则 + 第一条，发包方/承包方", r_f09,
    types=("contracting",), owners=("public_institution", "township_government"), assets=("canteen", "market"),
    periods=("year", "quarter"), show_unit=0.2, escalation=0.5, deposit_words=("履约保证金",), tender_pref=("public_tender",))
reg("F10", "test", "main", "合作开发协议：第一条 标题行，固定收益，甲方出地乙方投资", r_f10,
    types=("cooperation",), owners=("township_government", "village_committee"), assets=("land",), periods=("year",),
    show_unit=0.6, tender_pref=("competitive",), guarantee_clause=True)
reg("F11", "train", "main", "资产转让协议：评估价值，转让价款，ISO 日期", r_f11,
    types=("transfer",), owners=("township_government", "administrative_unit"), assets=("building", "vehicle", "equipment"),
    tender_pref=("auction", "listing"), weight=0.9)
reg("F12", "train", "guarantee", "保证/抵押合同与履约担保合同：债权人/保证人/抵押人/债务人三方", r_f12,
    types=("guarantee",), owners=STATE + VILLAGE, assets=(), supports=frozenset({"unlawful_guarantee", "no_collective_decision", "informal_agreement"}))
reg("F13", "train", "supplementary", "补充协议：引用原合同名称和签订日期，一、条目", r_f13)
reg("F14", "train", "oral_note", "口头协议情况说明：单位出具的叙述性说明", r_f14)
reg("F15", "train", "white_slip", "收条：一段话的收款凭据", r_f15)
reg("F16", "test", "main", "房屋/场地租赁合同：当事人信息表，【租金】括号标题，租金条款在前，ISO 日期", r_f16,
    types=("lease",), owners=STATE, assets=("office", "shop", "warehouse"), periods=("year", "month", "quarter"),
    show_unit=0.4, escalation=0.3, deposit_words=("押金", "租赁保证金"), tender_pref=("public_tender",), weight=1.4)
reg("F17", "train", "main", "村集体厂房/仓库/门面租赁合同：第一条 标题行，按平方米计租，日期在落款下", r_f17,
    types=("lease",), owners=VILLAGE, assets=("plant", "warehouse", "shop"), periods=("month", "quarter", "year"),
    show_unit=0.8, escalation=0.3, tender_pref=("public_tender", "competitive"), guarantee_clause=True, weight=1.4)
reg("F18", "test", "main", "土地经营权流转合同：流出方/流入方，1． 编号，流转费表，签约地点", r_f18,
    types=("contracting",), owners=VILLAGE, assets=("land",), periods=("year",), show_unit=0.9, escalation=0.3,
    tender_pref=("listing", "competitive"))
reg("F19", "test", "oral_note", "口头约定情况说明：一、基本情况/二、收费情况/三、目前状况，经办人", r_f19)
reg("F20", "test", "supplementary", "变更协议/补充协议（二）：原合同名称、签订日期清单，1． 条目", r_f20)
reg("F21", "test", "white_slip", "收据：收款凭证表格", r_f21)

#: roles a supplementary agreement quotes for the main agreement's parties
MAIN_ROLE_LABELS = {
    "F01": ("出租方", "承租方"),
    "F02": ("出租人", "承租人"),
    "F03": ("甲方", "乙方"),
    "F04": ("发包方", "承包方"),
    "F05": ("甲方", "乙方"),
    "F07": ("出租方", "承租方"),
    "F08": ("甲方", "乙方"),
    "F09": ("发包方", "承包方"),
    "F16": ("出租人", "承租人"),
    "F17": ("出租方", "承租方"),
    "F18": ("流出方", "流入方"),
}

__all__ = ["MAIN_ROLE_LABELS", "sent", "sents"]

# the families shaped after real documents (registered on import)
from . import families_real  # noqa: E402,F401
