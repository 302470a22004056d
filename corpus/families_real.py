"""Template families shaped after real documents (structures only, never their text).

Issue 10 measured our reading on agreements nobody on the team wrote; these families bring their
*shapes* into the generator, each labelled exactly like the others:

    id   split  kind      what it looks like
    F22  test   main      1980s model contract: 公社/大队/生产队 owner, 社员 counterparty, 一， headings,
                          blank remnants (____斤____, （乡）, （或大队）), Chinese-numeral date range
                          (从一九八二年三月一日起，至…止), rent as a yearly instalment of a term total,
                          staged (头两年…第三年起…) or in kind (每亩每年交稻谷500斤), …订 date
    F23  train    main    filled-in template: parties in running text (X（以下简称甲方）与Y…签订 /
                          X（甲方）与Y（乙方） / 发包方X（以下简称甲方）), blanks left (＿＿＿＿),
                          甲方将…出租给乙方, per-亩 rent raised by a fixed amount (每三年每亩增加30元)
                          or unit rent × area with the whole term's total
    F24  test   main      parties only in the signature block, staged rent in capitals, dates in
                          Chinese numerals, 30 % written in traditional characters
    F25  test   minutes   minutes of a villagers' representative meeting deciding to let an asset
    F26  test   notice    listing notice of a rural property exchange (挂牌公告), 发布时间 at the end
    F27  test   white_slip  白条: a handwritten-style receipt, 此据, date in Chinese numerals

A share of each family is rendered in traditional characters (``Family.traditional``): the text
and every label's quoted text are converted with OpenCC (s2t), the label values stay simplified.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta

from . import phrases as P
from .docbuild import Clauses, Doc, Roles, sign_block
from .facts import Deal, nice_round
from .families import boundaries, reg, sent, sents, use_of
from .money import add_months, capital_yuan, cn_int, fmt_date, fmt_money, fmt_mu, fmt_number, fmt_term, months_between, term_end
from .registry import default_supports
from .render import SealSpec

# ------------------------------------------------------------------------------------------
# shared pieces
# ------------------------------------------------------------------------------------------

BLANK = "＿＿＿＿"


def hanzi(d: date) -> str:
    return fmt_date(d, "hanzi")


def cap(x: float) -> str:
    """壹仟贰佰元 (capital numerals without 人民币 and 整 when whole)."""
    return capital_yuan(x, prefix="").removesuffix("整")


def term_range(doc: Doc, v: int, ds: str = "hanzi", word: str = "承包期") -> str:
    """A term as a date range, the starting and ending dates in Chinese numerals or digits
    (自一九八七年五月一日起，至一九九七年四月三十日止); records the three term fields."""
    d = doc.deal
    s, e = fmt_date(d.start, ds), fmt_date(d.end, ds)
    years = fmt_term(d.months)
    st = doc.f("term_start", d.start.isoformat(), s)
    et = doc.f("term_end", d.end.isoformat(), e)
    if v % 3 == 0:
        mt = doc.f("term_months", d.months, years)
        return f"{word}为{mt}，从{st}起，至{et}止"
    if v % 3 == 1:
        doc.f("term_months", d.months, f"自{s}起，至{e}止")
        return f"{word}自{st}起，至{et}止"
    mt = doc.f("term_months", d.months, f"{years}")
    return f"{word}{mt}，即{st}起至{et}止"


def _sig_parties(doc: Doc, owner_label: str, cp_label: str, date_style: str, person_label: str = "负责人") -> None:
    """A signature block that is the only place naming the parties (records owner, counterparty,
    signed_date, seal_present and stamps the owner's seal)."""
    d = doc.deal
    o, c = d.owner, d.counterparty
    informal = d.unsigned
    doc.blank()
    on = "" if informal else doc.f("owner", o.name, o.name)
    cn_ = "" if informal else doc.f("counterparty", c.name, c.name)
    doc.line(f"{owner_label}（盖章）：{on}")
    doc.line(f"{person_label}（签字）：{'' if informal else o.rep}")
    doc.line(f"{cp_label}（{'签字' if c.kind == 'individual' else '盖章'}）：{cn_}")
    if c.kind == "individual":
        doc.line(f"身份证号码：{'' if informal else c.code}")
    else:
        doc.line(f"{c.rep_title}（签字）：")
    if informal or d.signed is None:
        doc.line("＿＿＿＿年＿＿月＿＿日")
    else:
        doc.line(doc.f("signed_date", d.signed.isoformat(), fmt_date(d.signed, date_style)))
    doc.f("seal_present", bool(d.sealed and not d.unsigned), "")
    if d.sealed and not d.unsigned:
        doc.seals.append(SealSpec(text=o.seal or o.name, anchor=f"{owner_label}（盖章）"))


def _mu_unit(d: Deal) -> float | None:
    if d.unit != "mu_year" or not d.area_mu:
        return None
    return d.unit_price


# ------------------------------------------------------------------------------------------
# F22 1980s model contract of a commune / brigade / production team
# ------------------------------------------------------------------------------------------

OLD_ASSETS = {
    "land": ["耕地", "队有荒地", "旱地", "水田", "责任田"],
    "fishpond": ["队办鱼塘一口", "山塘", "鱼塘"],
    "forest": ["果园", "茶场", "集体山林"],
}
CROPS = ("稻谷", "小麦", "玉米")


def adapt_f22(ctx, d: Deal, rng: random.Random, defects: set[str]) -> None:
    """Move the deal into the 1980s: a production team lets land, a pond or an orchard to a member."""
    pl = d.place
    brigade = pl.villages[0] if not d.village else d.village
    brigade = brigade.removesuffix("村") + "大队"
    commune = f"{pl.township_short}公社"
    d.place = dataclasses.replace(pl, township=commune, villages=list(pl.villages))
    team = rng.randint(1, 12)
    o = d.owner
    o.name = f"{pl.county}{commune}{brigade}第{cn_int(team)}生产队"
    o.seal = o.name
    o.rep_title, o.rep = "队长", ctx.pool.person_name()
    o.parent = ""
    c = ctx.pool.individual(pl.area_code, f"{commune}{brigade}")
    from .facts import counterparty_party

    d.counterparty = counterparty_party(c)
    d.extra["member_of"] = f"{pl.county}{commune}{brigade}第{cn_int(team)}生产队社员"
    spot = rng.choice(["老屋冲", "塘冲垅", "大坪", "杨家湾", "后山坡", "河边洲", "石板冲", "茶园岭"])
    d.asset = rng.choice(OLD_ASSETS[d.asset_kind]).format(spot=spot)
    d.asset_location = f"{commune}{brigade}{spot}"
    # 1980–1992, the term as built (over_term keeps its long term)
    for _ in range(50):
        start = date(rng.randint(1980, 1992), rng.randint(1, 12), 1)
        end = term_end(start, d.months)
        if not (ctx.as_of - timedelta(days=10) <= end <= add_months(ctx.as_of, 4)):
            break
    d.start, d.end = start, end
    d.signed = start - timedelta(days=rng.randint(5, 40))
    d.decision_date = d.signed - timedelta(days=rng.randint(3, 20))
    d.extra["from_sign"] = False
    # money of the time: a few yuan to a few dozen yuan per 亩
    per_mu = {"land": (8, 40), "fishpond": (20, 80), "forest": (3, 15)}[d.asset_kind]
    mu = d.area_mu or 10.0
    if mu > 120:
        d.area_mu = mu = round(rng.uniform(5, 80), 1)
    u = float(rng.randint(*per_mu))
    annual = max(50.0, nice_round(u * mu, 10.0))
    d.rent_period = "year"
    d.rent_amount = d.annual_rent = annual
    d.unit_price, d.show_unit = None, False
    d.escalation = None
    styles = ["total", "staged", "in_kind", "in_kind", "plain"] if d.asset_kind == "land" else ["total", "total", "staged", "plain"]
    style = rng.choice(styles)
    if d.months % 12:
        d.months += 12 - d.months % 12
        d.end = term_end(d.start, d.months)
    if style == "staged" and d.months >= 36:
        later = nice_round(annual * rng.choice([1.2, 1.25, 1.5]), 10.0)
        d.stages = [(0, annual), (2, later)]
    elif style == "in_kind" and d.asset_kind == "land":
        d.in_kind = (rng.choice(CROPS), float(rng.choice([100, 150, 200, 300, 400, 500])))
        d.rent_amount = d.annual_rent = None
        d.unit_price = None
    else:
        style = "total" if style == "staged" or style == "in_kind" else style
    d.extra["rent_style"] = style
    d.deposit = None
    d.approval = None
    d.tender = None
    d.renewal = False
    d.harmful = []
    if d.remittance == "proper":
        d.extra["old_payee"] = rng.choice(["生产队集体账户", f"{brigade}信用分社集体存款户", "生产队会计"])
    d.want_expiry = False


def r_f22(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    v = rng.randrange(6)
    word = "承包款"
    title = {"land": ["土地承包合同", "农业生产承包合同", "联产承包合同"], "fishpond": ["鱼塘承包合同", "渔业承包合同"], "forest": ["果园承包合同", "林业承包合同", "农副业承包合同"]}[d.asset_kind]
    doc.heading(rng.choice(title))
    doc.line("订立合同双方：")
    # the model form's alternatives, left as printed: 公社（乡）, （或大队）
    shown = d.owner.name.replace("公社", "公社（乡）", 1) if v % 2 == 0 else d.owner.name
    ot_shown = doc.f("owner", d.owner.name, shown)
    doc.line(f"{ot_shown}{'（或大队）' if v % 3 == 0 else ''}，以下简称甲方；")
    member = d.extra["member_of"]
    cpt = doc.f("counterparty", d.counterparty.name, d.counterparty.name)
    doc.line(f"{member}：{cpt}，以下简称乙方．" if v % 2 else f"{member}{cpt}，以下简称乙方；")
    if d.decision == "present":
        dec_opts = ["经社员大会讨论同意", "经全体社员讨论同意", "经生产队社员大会讨论通过", "经社员代表会议研究同意", "经大队管委会和社员大会讨论同意"]
        dec = doc.f("collective_decision", dec_opts[v % len(dec_opts)], dec_opts[v % len(dec_opts)])
    elif d.decision == "negated":
        dec = ["未经社员大会讨论，由队长与乙方商定", "此事未提交社员大会讨论"][v % 2]
    else:
        dec = ""
    purpose = {"land": "为了稳定和完善农业生产责任制，调动社员生产积极性", "fishpond": "为了充分利用水面，发展养鱼生产", "forest": "为了发展多种经营，搞好果木生产"}[d.asset_kind]
    doc.p(sent(purpose, "增加集体和个人收入", "根据中央有关文件的精神", dec, "甲乙双方充分协商", "特订立本合同，以便双方共同遵守"), )
    cl = Clauses(doc, "old")
    area = P.area_text(doc)
    what = "耕种" if d.asset_kind == "land" else "养鱼" if d.asset_kind == "fishpond" else "经营管理"
    cl.add("承包内容", sents(f"甲方将位于{P.location_text(doc)}的{P.asset_text(doc)}{area}，由乙方承包{what}", boundaries(rng) if v % 2 else ""))
    t = term_range(doc, v, "hanzi", "承包期")
    cl.add("承包期限", sents(t))
    style = d.extra["rent_style"]
    years = d.months // 12
    if style == "in_kind":
        crop, jin = d.in_kind
        pw = doc.f("rent_period", "year", "每年")
        r = f"乙方{pw}每亩向甲方交{crop}{jin:g}斤（或交____斤____），于当年秋收后一个月内交清"
    elif style == "staged":
        (_, a), (_, b) = d.stages
        at = doc.f("rent_amount_yuan", a, cap(a))
        doc.f("annual_rent_yuan", a, at)
        doc.f("rent_period", "year", "每年")
        r = f"乙方头两年每年上交{word}{at}，第三年起每年上交{word}{cap(b)}"
    elif style == "total":
        total = d.annual_rent * years
        at = doc.f("rent_amount_yuan", d.annual_rent, cap(d.annual_rent))
        doc.f("annual_rent_yuan", d.annual_rent, at)
        pw = doc.f("rent_period", "year", "每年")
        r = (f"乙方在承包期内必须向甲方上交{word}{cap(total)}（或上交____斤____，____斤____），"
             f"{pw}十二月三十日以前上交{at}")
    else:
        at = doc.f("rent_amount_yuan", d.annual_rent, fmt_money(d.annual_rent, "plain"))
        doc.f("annual_rent_yuan", d.annual_rent, at)
        pw = doc.f("rent_period", "year", "每年")
        r = f"乙方{pw}向甲方上交{word}{at}，上交时间为每年十二月二十五日以前"
    rem = ""
    if d.remittance == "proper":
        payee = doc.f("payee_account", d.extra["old_payee"], d.extra["old_payee"])
        rem = doc.f("remittance", f"{word}交{payee}，纳入集体统一核算，任何人不得挪用", f"{word}交{payee}，纳入集体统一核算，任何人不得挪用")
    elif d.remittance == "cash_person":
        payee = doc.f("payee_account", f"队长{d.remit_person}", f"队长{d.remit_person}")
        rem = doc.f("remittance", f"{word}以现金交{payee}个人保管", f"{word}以现金交{payee}个人保管")
    elif d.remittance in ("personal_account", "offset", "wrong_unit"):
        payee = doc.f("payee_account", f"会计{d.remit_person}", f"会计{d.remit_person}")
        rem = doc.f("remittance", f"{word}由{payee}代收，不入队账", f"{word}由{payee}代收，不入队账")
    cl.add("承包款及上交办法", sents(r, rem, "上缴固定资产折旧费________元" if v % 2 == 0 else ""))
    cl.add("甲方的权利义务", sents("甲方有权对乙方的生产经营实行监督检查", "甲方应当合理分配给乙方国家下拨的化肥、农药等物资", "甲方应定期公布集体的财务帐目，接受乙方的监督"))
    cl.add("乙方的权利义务", sents("乙方在承包期内有生产经营自主权", "乙方不得在承包的土地上建房、葬坟、取土" if d.asset_kind == "land" else "乙方应爱护集体财产，不得破坏水利设施和林木", "乙方不得将承包项目转包他人"))
    cl.add("违约责任", sents("甲乙双方任何一方违反本合同，应向对方偿付违约金＿＿＿＿元", "乙方逾期不交承包款的，按月加收＿＿＿＿%的滞纳金"))
    cl.add("其他", "本合同一式三份，甲乙双方各执一份，大队（村）存档一份。本合同如有未尽事宜，由双方协商解决。")
    sign_block(doc, Roles("甲方", "乙方", "甲方", "乙方"), "old", "hanzi")
    return doc


# ------------------------------------------------------------------------------------------
# F23 filled-in template, parties in running text
# ------------------------------------------------------------------------------------------


def adapt_rent_shapes(ctx, d: Deal, rng: random.Random, defects: set[str]) -> None:
    """Per-亩 rents raised by a fixed amount every few years, or written as unit rent × area
    with the whole term's total (the annual rent is the unit rent times the area)."""
    u = _mu_unit(d)
    if u is None or d.rent_period != "year" or d.months is None or "rent" in d.missing:
        d.extra["rent_shape"] = "plain"
        return
    shape = rng.choice(["step", "total", "plain"])
    if shape == "step" and d.months >= 72 and "fixed_rent" not in d.harmful:
        k = rng.choice([3, 5])
        add = float(max(10, round(u * rng.choice([0.05, 0.1]) / 10) * 10))
        n = (d.months + 11) // 12
        d.stages = [(y, round((u + add * (y // k)) * d.area_mu, 2)) for y in range(0, n, k)]
        d.escalation = None
        d.extra["step"] = (k, add)
    elif shape == "total" and d.months % 12 == 0 and not d.escalation:
        pass
    else:
        shape = "plain"
    d.extra["rent_shape"] = shape


def _shaped_rent(doc: Doc, rng: random.Random, v: int, ms: str, word: str = "租金") -> str:
    d = doc.deal
    shape = d.extra.get("rent_shape", "plain")
    if shape == "plain" or d.unit_price is None:
        return sents(P.rent(doc, rng, v % 4, ms, word), P.escalation(doc, v % 3, word))
    u = d.unit_price
    us = f"{u:g}"
    if shape == "step":
        k, add = d.extra["step"]
        ut = doc.f("rent_amount_yuan", d.annual_rent, f"每亩每年{us}元")
        doc.f("annual_rent_yuan", d.annual_rent, ut)
        doc.f("rent_period", "year", "每年")
        first = f"，第一年{word}合计{fmt_number(d.annual_rent)}元" if v % 2 else ""
        return f"{word}按{ut}计算{first}，以后每{cn_int(k)}年每亩增加{add:g}元。"
    years = d.months // 12
    total = d.annual_rent * years
    ut = doc.f("rent_amount_yuan", d.annual_rent, f"每亩每年{us}元")
    doc.f("annual_rent_yuan", d.annual_rent, ut)
    doc.f("rent_period", "year", "每年")
    return f"{word}标准为{ut}，{fmt_mu(d.area_mu)}，{cn_int(years)}年{word}合计{fmt_number(total)}元（大写：{capital_yuan(total, prefix='')}）。"


def r_f23(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    v = rng.randrange(6)
    contracting = d.agreement_type == "contracting"
    word = "承包费" if contracting else "租金"
    verb = "发包给" if contracting else "出租给"
    ol, cl_ = ("发包方", "承包方") if contracting else ("出租方", "承租方")
    ds = rng.choice(["cn", "hanzi", "cn"])
    doc.heading(rng.choice(["土地承包合同", "承包合同书"] if contracting else ["租赁合同", "房屋场地租赁合同" if d.unit == "m2_month" else "土地租赁合同"]))
    o, c = d.owner, d.counterparty
    ot = doc.f("owner", o.name, o.name)
    ct = doc.f("counterparty", c.name, c.name)
    dec = P.decision(doc, rng, v % 3, ds)
    tend = P.tender(doc, rng, v % 3, "乙方", "承包人" if contracting else "承租人")
    intro = v % 3
    if intro == 0:
        doc.p(sent(f"{ot}（以下简称甲方）与{ct}（以下简称乙方）", dec, tend, f"经友好协商，就甲方{verb[:-1]}{d.asset}一事达成如下协议，双方共同遵守"))
    elif intro == 1:
        doc.p(sent(f"{ol}{ot}（甲方）与{cl_}{ct}（乙方）", "根据有关法律法规", dec, tend, "签订本合同"))
    else:
        doc.line(f"{ol}：{ot}（以下简称甲方）")
        doc.line(f"{cl_}：＿＿{ct}＿＿（以下简称乙方）")
        doc.line(f"{cl_}住所：＿＿＿＿＿＿＿＿  联系电话：{c.phone}")
        doc.p(sent("甲乙双方根据《中华人民共和国民法典》等有关规定", dec, tend, "本着平等自愿的原则，订立本合同"))
    cl = Clauses(doc, "yi")
    cl.add("标的", sents(f"甲方将位于{P.location_text(doc)}（乡）的{P.asset_text(doc)}（面积{P.area_text(doc) or BLANK}）{verb}乙方", f"用于{use_of(d, rng)}", "交付日期为＿＿＿＿年＿＿月＿＿日前" if v % 2 else ""))
    if d.start is not None and "term" not in d.missing:
        if d.extra.get("from_sign"):
            cl.add("期限", sents(P.term(doc, v % 4, ds, "承包期限" if contracting else "租赁期限")))
        else:
            cl.add("期限", sents(term_range(doc, v, ds, "承包期" if contracting else "租期")))
    r = _shaped_rent(doc, rng, v, rng.choice(["plain", "cap_paren", "num_cap"]), word) if "rent" not in d.missing else ""
    if r:
        cl.add(f"{word}及支付", sents(r, P.pay_time(d, v % 3, word=word), P.remittance(doc, rng, v % 4, word=word)))
    else:
        rem = P.remittance(doc, rng, v % 4, word=word)
        if rem:
            cl.add("款项", sents(rem))
    dep = P.deposit(doc, v % 3, "plain")
    if dep:
        cl.add("保证金", sents(dep))
    cl.add("双方权利义务", sents("甲方保证对标的享有处分权", P.no_sublease(d, v % 3), P.risk_rule(d, v % 3), *P.harmful(d, v, word=word)))
    ret = P.return_asset(d, v % 4)
    if ret:
        cl.add("期满交还", sents(ret))
    b = P.breach(d, v % 4, word=word)
    if b:
        cl.add("违约责任", sents(b, f"违约金按{BLANK}%计算" if v % 2 == 0 else ""))
    cl.add("其他", f"本合同一式＿＿份，甲乙双方各执＿＿份，自双方签字盖章之日起生效。")
    style = rng.choice(["stack", "under", "tabs"])
    sign_block(doc, Roles("甲方", "乙方", "甲方", "乙方"), style, ds)
    if d.stalled:
        doc.blank()
        doc.line(P.stalled_note(d, v % 3, ds, word))
    return doc


# ------------------------------------------------------------------------------------------
# F24 parties only in the signature block, staged rent
# ------------------------------------------------------------------------------------------


def adapt_staged(ctx, d: Deal, rng: random.Random, defects: set[str]) -> None:
    if d.rent_period != "year" or not d.annual_rent or not d.months or d.months < 36 or "rent" in d.missing or "fixed_rent" in d.harmful:
        return
    if rng.random() < 0.7:
        first = rng.choice([1, 2, 3])
        later = nice_round(d.annual_rent * rng.choice([1.1, 1.2, 1.25]), 100.0 if d.annual_rent >= 5000 else 10.0)
        d.stages = [(0, d.annual_rent), (first, later)]
        d.escalation = None
        d.unit_price, d.show_unit = None, False


def r_f24(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    v = rng.randrange(6)
    contracting = d.agreement_type == "contracting"
    word = "承包费" if contracting else "租金"
    ds = "hanzi" if v % 3 else "cn"
    doc.heading(rng.choice(["协议书", "租赁协议", "承包协议"] if not contracting else ["承包协议书", "协议书"]))
    dec = P.decision(doc, rng, v % 3, ds)
    tend = P.tender(doc, rng, v % 3, "乙方", "承包人" if contracting else "承租人")
    what = "发包给乙方经营" if contracting else "出租给乙方使用"
    doc.p(sent(f"甲乙双方本着平等、自愿、有偿的原则", dec, tend, f"就甲方将{d.asset}{what}一事，达成如下协议"))
    cl = Clauses(doc, "yi")
    cl.untitled(sents(f"甲方将位于{P.location_text(doc)}的{P.asset_text(doc)}{P.area_text(doc, '，面积')}{what}", f"用途为{use_of(d, rng)}"))
    if d.start is not None and "term" not in d.missing:
        if d.extra.get("from_sign"):
            cl.untitled(sents(P.term(doc, v % 4, ds, "承包期限" if contracting else "租赁期限")))
        else:
            cl.untitled(sents(term_range(doc, v + 1, ds, "期限")))
    r = ""
    if d.stages and "rent" not in d.missing:
        (_, a), (k, b) = d.stages
        at = doc.f("rent_amount_yuan", a, capital_yuan(a, prefix=""))
        doc.f("annual_rent_yuan", a, at)
        head = {1: "第一年", 2: "头两年每年", 3: "前三年每年"}[k]
        pw = doc.f("rent_period", "year", head)
        r = f"{word}{pw}{at}，第{cn_int(k + 1)}年起每年{capital_yuan(b, prefix='')}"
    elif "rent" not in d.missing:
        r = P.rent(doc, rng, v % 4, "capital", word)
    if r:
        cl.untitled(sents(r, P.pay_time(d, v % 3, word=word), P.remittance(doc, rng, v % 4, word=word)))
    else:
        rem = P.remittance(doc, rng, v % 4, word=word)
        if rem:
            cl.untitled(sents(rem))
    dep = P.deposit(doc, v % 3, "capital")
    if dep:
        cl.untitled(sents(dep))
    cl.untitled(sents(P.no_sublease(d, v % 3), P.risk_rule(d, v % 3), *P.harmful(d, v, word=word)))
    ret = P.return_asset(d, v % 4)
    if ret:
        cl.untitled(sents(ret))
    b = P.breach(d, v % 4, word=word)
    if b:
        cl.untitled(sents(b))
    cl.untitled("本协议一式两份，双方各执一份，签字盖章后生效。")
    _sig_parties(doc, "甲方", "乙方", ds)
    if d.stalled:
        doc.blank()
        doc.line(P.stalled_note(d, v % 3, ds, word))
    return doc


def _round_floor(d: Deal) -> None:
    """A floor price is a round figure, stated per year."""
    if d.annual_rent:
        d.rent_period = "year"
        step = 1000.0 if d.annual_rent >= 20000 else 100.0
        d.annual_rent = d.rent_amount = max(step, nice_round(d.annual_rent, step))
        if d.unit_price and d.unit == "mu_year" and d.area_mu:
            d.annual_rent = d.rent_amount = round(d.unit_price * d.area_mu, 2)
        elif d.unit_price:
            d.unit_price = None
            d.show_unit = False
    d.escalation = None


def adapt_minutes(ctx, d: Deal, rng: random.Random, defects: set[str]) -> None:
    """Minutes record the decision to let an asset; they are not an agreement (no findings)."""
    d.extra["deal_type"] = d.agreement_type
    d.kind, d.agreement_type = "minutes", "other"
    _round_floor(d)
    d.decision = "present"
    d.tender = d.tender if d.tender in ("competitive", "listing", "public_tender") else "competitive"


def adapt_notice(ctx, d: Deal, rng: random.Random, defects: set[str]) -> None:
    """A listing notice offers the asset before any agreement exists (no findings)."""
    d.extra["deal_type"] = d.agreement_type
    d.kind = "notice"
    d.tender = "listing"
    _round_floor(d)
    d.decision = "present" if rng.random() < 0.7 else "absent"


# ------------------------------------------------------------------------------------------
# F25 minutes of a villagers' representative meeting
# ------------------------------------------------------------------------------------------


def r_f25(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    v = rng.randrange(6)
    o = d.owner
    contracting = d.extra.get("deal_type", d.agreement_type) == "contracting"
    verb = "发包" if contracting else "出租"
    meet = d.decision_date or (d.signed - timedelta(days=20))
    ds = rng.choice(["cn", "hanzi"])
    a = rng.randint(25, 45)
    b = a - rng.randint(0, 5)
    c = b - rng.randint(0, 3)
    if v % 2:
        doc.heading(f"{doc.f('owner', o.name, o.name)}村民代表会议记录")
    else:
        doc.heading(rng.choice(["村民代表会议记录", "村民代表大会会议纪要"]))
        doc.line(f"单位：{doc.f('owner', o.name, o.name)}")
    doc.line(f"会议时间：{fmt_date(meet, ds)}")
    doc.line(f"会议地点：{'村委会会议室' if v % 3 else '村党群服务中心'}")
    doc.line(f"主持人：{o.rep}（村委会主任）")
    doc.line(f"应到代表{a}人，实到{b}人，{d.place.township}包村干部列席。")
    doc.line(f"记录人：{rng.choice(['村文书', '村会计'])}")
    doc.line(f"议题：关于{d.asset}对外{verb}的事宜")
    doc.p(f"一、村主任{o.rep}就{d.asset}对外{verb}的情况向参会代表作了说明：该资产闲置多年，对外{verb}可增加村集体收入，{verb}收入全部用于村内公益事业。")
    p1, p2 = rng.sample(["王", "李", "张", "刘", "陈", "赵", "杨", "周"], 2)
    doc.p(f"二、参会代表进行了讨论。{p1}代表：{verb}价格要公开，不能低于周边水平。{p2}代表：要签正式合同，租金要交到村集体账户。")
    method = {"competitive": "公开竞价", "listing": "公开挂牌", "public_tender": "公开招租"}.get(d.tender or "", "公开竞价")
    tm = doc.f("tender_method", d.tender or "competitive", method)
    dec_txt = rng.choice(["经村民代表会议表决通过", "会议经充分讨论，表决通过如下决议", f"经举手表决，同意{c}人，一致通过"])
    dt = doc.f("collective_decision", dec_txt, dec_txt)
    doc.p(f"三、{dt}：")
    items = [f"1．同意将位于{P.location_text(doc)}的{P.asset_text(doc)}（{P.area_text(doc) or '面积以实测为准'}）以{tm}方式对外{verb}。"]
    if d.start is not None:
        items.append(f"2．{verb}期限{doc.f('term_months', d.months, fmt_term(d.months))}，自{doc.f('term_start', d.start.isoformat(), fmt_date(d.start, ds))}起至{doc.f('term_end', d.end.isoformat(), fmt_date(d.end, ds))}止。")
    if d.annual_rent:
        if d.unit_price and d.unit == "mu_year":
            ut = doc.f("rent_amount_yuan", d.annual_rent, f"每亩每年{d.unit_price:g}元")
            doc.f("annual_rent_yuan", d.annual_rent, ut)
            doc.f("rent_period", "year", "每年")
            items.append(f"3．底价按{ut}计算，价高者得。")
        else:
            m = P.money(d.annual_rent, "plain")
            at = doc.f("rent_amount_yuan", d.annual_rent, m)
            doc.f("annual_rent_yuan", d.annual_rent, at)
            pw = doc.f("rent_period", "year", "每年")
            items.append(f"3．{verb}底价为{pw}{at}，价高者得。")
    payee = doc.f("payee_account", "村集体账户", "村集体账户")
    rem = doc.f("remittance", f"{verb}收入全部存入{payee}，任何人不得私自收取和挪用", f"{verb}收入全部存入{payee}，任何人不得私自收取和挪用")
    items.append(f"4．{rem}。")
    for it in items:
        doc.line(it)
    doc.line("参会代表签字：（附后）")
    doc.f("seal_present", False, "")
    return doc


# ------------------------------------------------------------------------------------------
# F26 listing notice of a rural property exchange
# ------------------------------------------------------------------------------------------


def r_f26(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    v = rng.randrange(6)
    pl = d.place
    contracting = d.extra.get("deal_type", d.agreement_type) == "contracting"
    verb = "发包" if contracting else "出租"
    ds = "cn"
    centre = rng.choice([f"{pl.county}农村产权交易中心", f"{pl.county}公共资源交易中心", f"{pl.township}农村集体“三资”管理服务中心"])
    doc.heading(rng.choice([f"{d.asset}{verb}挂牌公告", "农村集体资产租赁项目挂牌公告", f"关于{d.asset}公开{verb}的公告"]))
    doc.line(f"项目编号：{pl.county_short}农产交〔{(d.signed or d.start).year}〕{rng.randint(1, 99)}号")
    doc.p(sent(f"受{d.owner.name}委托", f"{centre}对下列资产{verb}项目进行公开挂牌", "现将有关事项公告如下"))
    lines = []
    ot = doc.f("owner", d.owner.name, d.owner.name)
    lines.append(f"一、转出方（{'发包方' if contracting else '出租方'}）：{ot}")
    lines.append(f"二、标的名称：{P.asset_text(doc)}")
    lines.append(f"三、标的位置：{P.location_text(doc)}")
    area = P.area_text(doc)
    if area:
        lines.append(f"四、面积：{area}")
    if d.start is not None:
        mt = doc.f("term_months", d.months, fmt_term(d.months))
        st = doc.f("term_start", d.start.isoformat(), fmt_date(d.start, ds))
        et = doc.f("term_end", d.end.isoformat(), fmt_date(d.end, ds))
        lines.append(f"五、{verb}期限：{mt}（{st}至{et}，以合同签订为准）")
    if d.annual_rent:
        if d.unit_price and d.unit == "mu_year":
            ut = doc.f("rent_amount_yuan", d.annual_rent, f"{d.unit_price:g}元/亩/年")
            doc.f("annual_rent_yuan", d.annual_rent, ut)
            doc.f("rent_period", "year", "/年")
            lines.append(f"六、挂牌底价：{ut}")
        else:
            m = P.money(d.annual_rent, "plain")
            at = doc.f("rent_amount_yuan", d.annual_rent, m)
            doc.f("annual_rent_yuan", d.annual_rent, at)
            pw = doc.f("rent_period", "year", "每年")
            lines.append(f"六、挂牌底价：{pw}{at}（大写：{capital_yuan(d.annual_rent, prefix='')}）")
        lines.append("七、租金支付方式：按年支付，先交后用。")
    tw = doc.f("tender_method", "listing", "公开挂牌")
    lines.append(f"八、交易方式：{tw}，征集到两个及以上符合条件的意向方的，采取网络竞价方式确定受让方。")
    if d.deposit:
        lines.append(f"九、履约保证金：{doc.f('deposit_yuan', d.deposit, P.money(d.deposit, 'plain'))}，签订合同时交纳。")
    if d.decision == "present":
        dec = rng.choice(["本项目已经村民代表会议表决通过", "本项目已经村民代表大会讨论通过并公示"])
        lines.append(f"十、其他事项：{doc.f('collective_decision', dec, dec)}。")
    lines.append(f"报名时间：自公告之日起{cn_int(rng.choice([10, 15, 20]))}个工作日内。")
    lines.append(f"联系人：{d.owner.rep}  联系电话：{d.counterparty.phone}")
    for ln in lines:
        doc.line(ln)
    doc.blank()
    doc.line(centre, align="right")
    pub = (d.signed or d.start) - timedelta(days=rng.randint(20, 60))
    doc.line(f"发布时间：{fmt_date(pub, ds)}", align="right")
    doc.f("seal_present", False, "")
    return doc


# ------------------------------------------------------------------------------------------
# F27 白条
# ------------------------------------------------------------------------------------------


def r_f27(d: Deal, rng: random.Random) -> Doc:
    doc = Doc(d)
    y = d.extra["rent_year"]
    if rng.random() < 0.5:
        doc.heading("条")
    cp = doc.f("counterparty", d.counterparty.name, d.counterparty.name)
    amt = doc.f("rent_amount_yuan", d.rent_amount, capital_yuan(d.rent_amount, prefix=""))
    doc.f("annual_rent_yuan", d.annual_rent, amt)
    pw = doc.f("rent_period", "year", f"{y}年全年")
    asset = P.asset_text(doc)
    word = "承包费" if d.agreement_type == "contracting" else "租金"
    doc.p(f"今收到{cp}交{asset}{pw}{word}{amt}（¥{fmt_number(d.rent_amount)}元）{'，现金' if d.remittance == 'cash_person' else ''}。此据")
    if d.remittance == "cash_person":
        payee = doc.f("payee_account", d.remit_person, d.remit_person)
        doc.line(f"收款人：{payee}")
    else:
        on = doc.f("owner", d.owner.name, d.owner.name)
        doc.f("payee_account", d.owner.name, on)
        doc.line(f"收款单位：{on}")
        doc.line(f"经手人：{d.owner.rep}")
    doc.line(doc.f("signed_date", d.signed.isoformat(), hanzi(d.signed)))
    doc.f("seal_present", False, "")
    return doc


# ------------------------------------------------------------------------------------------
# registry
# ------------------------------------------------------------------------------------------

VILLAGE = ("village_committee", "village_cooperative")

reg("F22", "test", "main", "八十年代承包合同范本：公社/大队/生产队为甲方，社员为乙方，一，标题，空白残留，汉字日期区间，分段或实物承包款", r_f22,
    types=("contracting",), owners=("village_committee",), assets=("land", "land", "fishpond", "forest"), periods=("year",), show_unit=0.0,
    tender_pref=("competitive",), weight=0.35, adapt=adapt_f22, traditional=0.15, expiry=False, twin_ok=False,
    supports=frozenset({"no_collective_decision", "informal_agreement", "over_term", "off_book_income"}))
reg("F23", "train", "main", "填写式合同：当事人在正文中出现（X（以下简称甲方）与Y），空白残留，甲方将…出租给乙方，每几年每亩增加X元或单价×面积与总额", r_f23,
    types=("lease", "contracting"), owners=VILLAGE + ("township_government",), assets=("land", "greenhouse", "fishpond", "shop", "warehouse"),
    periods=("year", "year", "month"), show_unit=0.8, escalation=0.3, from_sign=0.1, tender_pref=("competitive", "public_tender"),
    weight=0.6, adapt=adapt_rent_shapes, traditional=0.1)
reg("F24", "test", "main", "只在落款处出现当事人名称的协议书：一、条目无标题，分段租金（头两年…第三年起…），汉字日期", r_f24,
    types=("lease", "contracting"), owners=VILLAGE + ("township_government",), assets=("shop", "warehouse", "plant", "land", "fishpond", "greenhouse"),
    periods=("year", "year", "month"), show_unit=0.2, tender_pref=("public_tender", "competitive"), weight=0.35, adapt=adapt_staged,
    traditional=0.3)
reg("F25", "test", "minutes", "村民代表会议记录：议题、讨论、表决、决议（出租/发包底价、期限、收入去向）", r_f25,
    types=("lease", "contracting"), owners=VILLAGE, assets=("land", "fishpond", "shop", "warehouse", "greenhouse"), periods=("year",),
    show_unit=0.6, tender_pref=("competitive", "listing", "public_tender"), adapt=adapt_minutes, traditional=0.2, expiry=False,
    supports=frozenset())
reg("F26", "test", "notice", "农村产权交易中心挂牌公告：转出方、标的、底价、期限、交易方式、发布时间", r_f26,
    types=("lease", "contracting"), owners=VILLAGE, assets=("land", "fishpond", "shop", "warehouse", "greenhouse"), periods=("year",),
    show_unit=0.6, tender_pref=("listing",), adapt=adapt_notice, traditional=0.2, expiry=False, supports=frozenset())
reg("F27", "test", "white_slip", "白条：今收到…此据，汉字日期", r_f27, traditional=0.25)

__all__ = ["adapt_f22", "adapt_minutes", "adapt_notice", "adapt_rent_shapes", "adapt_staged", "hanzi", "term_range"]
