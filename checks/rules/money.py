"""Where the money goes: income kept off the books (small coffers); rent unpaid, waived or a
project stalled."""

from __future__ import annotations

import re

from .. import register
from ..facts import owner_kind_of
from ..legal import basis
from ._base import RENT_WORDS, conditional, make, negated

# -- stalled_performance ---------------------------------------------------------------------

_UNPAID = re.compile(
    rf"((?:未再?|没有|从未|均未|一直未)(?:缴纳|交纳|缴|交|支付|付)|拖欠|欠缴|尚欠|欠交|欠付)[^。；;\n]{{0,16}}?{RENT_WORDS}|"
    rf"{RENT_WORDS}[^。；;\n]{{0,10}}?(?:至今|一直|均)?(?:未再?缴纳|未再?交纳|未再?支付|未缴|未交|未付|拖欠|欠缴)"
)
_FACTUAL = re.compile(r"(至今|迄今|截至|截止|目前|以来|起|年度|已|备注|履约情况|注[:：]|情况说明|现)")
_WAIVED = re.compile(
    rf"(免收|免交|免缴|免除|减免|豁免|不再收取|不再缴纳|放弃收取)[^。；;\n]{{0,16}}?{RENT_WORDS}|{RENT_WORDS}[^。；;\n]{{0,10}}?(予以免收|予以减免|全部免收|免收|免交)"
)
_STOPPED = re.compile(r"(已停工|项目停工|停工停产|已停产|停止经营|已停业|停业至今|场地闲置|处于闲置状态|长期闲置|已闲置|未产生(?:任何)?收益|人去楼空|撂荒|弃耕)")


def stalled_statements(f) -> list[tuple[str, int, int]]:
    t = f.text
    out: list[tuple[str, int, int]] = []
    for kind, pattern in (("unpaid", _UNPAID), ("waived", _WAIVED), ("stopped", _STOPPED)):
        for m in pattern.finditer(t):
            s0, s1 = f.sentence_span(m.start())
            sentence = t[s0:s1]
            if negated(t, m.start(), 12):
                continue  # 不得弃耕抛荒: an obligation, not a fact
            if conditional(sentence) and not _FACTUAL.search(sentence):
                continue
            if re.search(r"(免租期|装修期)", sentence):
                continue  # a rent-free fit-out period is a term of the deal, not a waiver
            if kind == "unpaid" and not _FACTUAL.search(sentence) and not re.search(r"(未再|尚欠|拖欠)", m.group(0)):
                continue
            if kind == "unpaid" and re.search(r"(逾期|超过|满)[^。；;\n]{0,8}(的|者)", sentence):
                continue
            out.append((kind, m.start(), m.end()))
            break
    return out


@register("stalled_performance", needs=("profile",))
def stalled_performance(agreement, ctx):
    f = ctx.facts(agreement)
    found = stalled_statements(f)
    if not found:
        return []
    zh = {"unpaid": "租金（承包费）欠缴未收", "waived": "租金（承包费）被减免", "stopped": "项目停工、资产闲置"}
    evidence = [f.ev_sentence(s, e) for _, s, e in found]
    kinds = [k for k, _, _ in found]
    what = "；".join(f"「{ev.text}」" for ev in evidence)
    if "waived" in kinds:
        advice = "减免国有（集体）资产收益须有依据并经集体决策和审批，否则应追收"
    elif "unpaid" in kinds:
        advice = "应依约催收欠缴款项及违约金，逾期不缴的依法解除合同、收回资产"
    else:
        advice = "应核实停工原因，依约收取租金或解除合同、收回资产盘活"
    return [
        make(
            "stalled_performance",
            title="履约停滞：" + "、".join(zh[k] for k in kinds),
            explanation=f"文件记载{what}。资产收益未按约实现，国有（集体）资产收益流失；{advice}。",
            basis=basis(*(["reg_26"] if f.is_state else []), local=ctx.profile.local("performance")),
            evidence=evidence,
            score=0.9,
            details={"kinds": kinds},
        )
    ]


# -- off_book_income -------------------------------------------------------------------------

_PAY_VERB = r"(缴入|交至|交到|汇入|存入|转入|打入|支付至|支付到|缴至|缴到|交给|交付给|交付|交由|付给|支付给|交|存到|打到|转到|转给)"
_PERSON_ROLE = r"(村会计|会计|报账员|出纳|村委会主任|村主任|主任|书记|支书|负责人|工作人员|经办人|村长|组长|队长|社长|文书|村干部|干部|后勤负责人|办公室主任|个人)"
_PERSON = re.compile(
    rf"([\u4e00-\u9fa5]{{0,12}}{_PERSON_ROLE}\s*[\u4e00-\u9fa5]{{2,3}}(?=[，,。；;（(\s]|代收|收取|个人|的|$)|[\u4e00-\u9fa5]{{2,3}}\s*[（(][^）)]{{0,12}}{_PERSON_ROLE}[）)])"
)
_LEGIT_PAYEE = re.compile(
    r"(财政|国库|非税|专户|集体经济组织|集体资金|三资|代理服务中心|村账|村级|基本账户|指定账户|单位账户|对公账户|甲方账户|出租方账户|发包方账户|村集体|集体专户|本单位)"
)
_OFFSET = re.compile(r"(抵顶|抵扣|冲抵|抵偿|抵作|直接用于|坐支|以租抵|抵欠)")
# income kept out of the books, as a story or a finding tells it: 收到的租金没有入账，他自己保存着;
# 租地收入由队长保管; 进了个人腰包; 账外
_UNBOOKED = re.compile(
    r"((?:没有|未|不再?|从未|均未|一直未|未曾)(?:(?:入|记入|计入|纳入|进)[^。；;\n，,]{0,4}?(?:账|帐)|记账|记帐|上账|纳入[^。；;\n，,]{0,8}核算)|账外|帐外|小金库|"
    # the books lack the income: 村账上未有…鱼塘租金等收入
    r"(?:账|帐)(?:上|面上|目中|簿上)?(?:未有|没有|未见|未发现)[^。；;\n]{0,40}?(?:收入|租金|承包费|承包款|流转费|使用费)|"
    r"(?:进了?|落入|装进|揣进)[^。；;\n，,]{0,4}(?:个人|私人|自己)?腰包|"
    r"(?:队长|组长|村长|社长|主任|书记|会计|出纳|村干部|干部|个人|本人|自己)[^。；;\n，,]{0,6}(?:保管|保存|私存|截留|占用|挪用|私分|侵占|据为己有|坐收坐支))"
)
_INCOME = re.compile(r"(租金|承包费|承包款|使用费|流转费|收入|地租|发包款|租地款|收益|款项|借款|贷款|集资款)")


def _payee_problem(f, payee: str) -> str | None:
    """Why a payee is not the owner's lawful books, or None when it is."""
    if re.search(r"(个人账户|个人银行卡|个人卡|私人账户|的银行卡|个人名下)", payee):
        return "personal_account"
    if re.search(r"(账户|专户|账号|国库|非税收入)", payee):
        pass  # an account: whose, decided below
    elif _PERSON.search(payee):
        return "person"  # handed to a named person, even one who works for the unit
    if _LEGIT_PAYEE.search(payee):
        return None
    owner = f.owner or ""
    if owner and (owner in payee or payee.startswith(owner)):
        return None
    side, _, _ = owner_kind_of(re.sub(r"(账户|专户|账号|代收代管|代收).*$", "", payee))
    if re.search(r"(有限公司|有限责任公司|公司|合作社|商行|经营部)", payee):
        return "other_unit"
    if f.is_state and re.search(r"(村民委员会|村委会|居民委员会|经济合作社)", payee):
        return "other_unit"
    if f.is_collective and re.search(r"(村民委员会|村委会|经济合作社)", payee) and owner:
        village = re.sub(r"(村民委员会|村委会|股份经济合作社|经济合作社)$", "", owner)
        village = village[-3:] if village else ""
        if village and village not in payee:
            return "other_unit"
    return None


def off_book_statements(f, profile) -> list[tuple[str, int, int]]:
    t = f.text
    out: list[tuple[str, int, int]] = []
    receipt = f.kind == "white_slip"
    flags = [w for w in profile.remittance.red_flags]
    previous = ""
    for s0, s1 in f.sentences():
        sentence = t[s0:s1]
        # the money may be named in the sentence before: 学校租用水源…；直接打到了会计个人账户上
        money_sentence = bool(re.search(RENT_WORDS, sentence) or _INCOME.search(sentence)) or receipt or (
            bool(re.search(RENT_WORDS, previous) or _INCOME.search(previous)) and bool(re.search(r"(个人账户|个人银行卡|个人卡|私人账户)", sentence))
        )
        previous = sentence
        if not money_sentence:
            continue
        if re.search(r"(违约金|滞纳金|押金|保证金)", sentence) and not re.search(r"(租金|承包费|流转费|使用费|价款)", sentence):
            continue
        hit = None
        for word in flags:
            for m in re.finditer(re.escape(word), sentence):
                if negated(sentence, m.start()):
                    continue
                if word == "村会计" and not re.search(rf"{_PAY_VERB}[^。；;\n]{{0,6}}村会计|村会计[^。；;\n]{{0,6}}(收取|代收|保管)", sentence):
                    continue
                hit = ("cash" if word == "现金" else "offset" if word in ("抵顶", "直接用于", "坐支") else "person", s0 + m.start(), s0 + m.end())
                break
            if hit:
                break
        if hit is None:
            for m in _OFFSET.finditer(sentence):
                if re.search(r"(定金|保证金|押金|预付款|预交|预付|预收)[^。；;\n，,]{0,12}$", sentence[: m.start()]):
                    continue  # 定金抵作价款 / 预交的承包款抵扣: a deposit or prepayment applied to the price, not income spent
                if not negated(sentence, m.start()):
                    hit = ("offset", s0 + m.start(), s0 + m.end())
                    break
        if hit is None:
            for m in re.finditer(rf"{_PAY_VERB}了?\s*(?P<payee>[^，,。；;\n]{{2,60}})", sentence):
                payee = m.group("payee")
                if re.match(r"(清|齐|纳|足|付)", payee):
                    continue  # 交清 / 交齐: paying, not a payee
                problem = _payee_problem(f, payee)
                if problem and not negated(sentence, m.start()):
                    hit = (problem, s0 + m.start("payee"), s0 + m.end("payee"))
                    break
            if hit is None:
                m = re.search(r"由\s*(?P<payee>[^，,。；;\n]{2,40}?)\s*(代收代管|代收|收取|保管|统筹使用)", sentence)
                if m:
                    problem = _payee_problem(f, m.group("payee"))
                    if problem:
                        hit = (problem, s0 + m.start("payee"), s0 + m.end("payee"))
        if hit is None:
            for m in _UNBOOKED.finditer(sentence):
                if negated(sentence, m.start(), 12) or re.search(r"(不得|严禁|禁止|不准|不允许|决不|防止|杜绝)[^。；;\n]{0,12}$", sentence[: m.start()]):
                    continue
                if conditional(sentence) and not re.search(r"(至今|已|了|经查|据了解|称|承认|发现)", sentence):
                    continue
                hit = ("unbooked", s0 + m.start(), s0 + m.end())
                break
        if hit:
            out.append(hit)
    # receipts: paid in cash, received by a person
    if receipt and not out:
        m = re.search(r"(收款方式|付款方式|方式)[\t\s:：]*现金", t)
        if m:
            out.append(("cash", m.start(), m.end()))
            who = re.search(r"收款人[\t\s:：]*[\u4e00-\u9fa5]{2,4}(?:[（(][^）)]{0,12}[)）])?", t)
            if who:
                out.append(("person", who.start(), who.end()))
    return out


@register("off_book_income", needs=("profile",))
def off_book_income(agreement, ctx):
    f = ctx.facts(agreement)
    found = off_book_statements(f, ctx.profile)
    if not found:
        return []
    zh = {
        "cash": "以现金交付个人",
        "person": "交由个人收取",
        "personal_account": "转入个人账户",
        "other_unit": "交由其他单位收取",
        "offset": "抵顶债务或直接坐支",
        "unbooked": "收入未入账、由个人保管",
    }
    evidence = [f.ev_sentence(s, e) for _, s, e in found]
    kinds = list(dict.fromkeys(k for k, _, _ in found))
    what = "；".join(f"「{ev.text}」" for ev in evidence)
    score = 0.9
    if kinds == ["cash"] and all(_LEGIT_PAYEE.search(ev.text) or re.search(r"(开具|出具|开出|开给)[^。；]{0,6}(票据|发票|收据)", ev.text) for ev in evidence):
        score = 0.55  # cash paid to the unit's own account or against an official receipt: check the books
    if f.is_collective:
        why = "村集体资产收入应统一缴入村集体经济组织账户、纳入村级财务核算，由个人收取、转入个人账户或抵顶债务，收入游离于集体账外"
        law = ctx.profile.local("collective_income")
    else:
        why = "国有资产出租、出借收入属于政府非税收入，应全额缴入单位账户并上缴国库（财政专户），实行收支两条线，不得截留、坐收坐支；由个人收取、转入个人账户、交其他单位或抵顶债务，形成账外收入（“小金库”）"
        law = basis("reg_25", "reg_26", "reg_30")
    return [
        make(
            "off_book_income",
            title="收益未纳入单位账簿：" + "、".join(zh[k] for k in kinds),
            explanation=f"文件约定（记载）{what}。{why}。应改为缴入单位（村集体）账户，并核查已收款项的去向。",
            basis=law,
            evidence=evidence,
            score=score,
            details={"kinds": kinds},
        )
    ]
