"""How the agreement came about: collective_decision, tender_method, approval_body,
approval_doc_no — and where the money goes: payee_account, remittance.

Each is evidence quoted from the text. Negations count: 未经……研究 is *no* decision, 未进行公开
招租 is a direct award.
"""

from __future__ import annotations

import re

from .context import Context

# -- collective decision ----------------------------------------------------------------------
_BODY = (
    r"(党委会议?|党委扩大会议?|(?:党政)?班子联席会议?|联席会议?|[\u4e00-\u9fa5]{1,6}办公会议?|[\u4e00-\u9fa5]{1,4}委员会会议|党组会议?|党工委会议?|党政联席会议?|班子会议?|领导班子(?:会议?|集体研究)?|局务会议?|局长办公会议?|"
    r"主任办公会议?|校长办公会议?|院务会议?|院长办公会议?|办公会议?|常务会议?|行政会议?|专题会议?|集体研究|"
    r"村民代表大会|村民代表会议|村民大会|村民会议|户代表会议|成员大会|成员代表大会|股东代表大会|社员大会|社员代表大会|"
    r"[“\"]?两委[”\"]?(?:联席)?会议?|党员大会|支部委员会|党支部会议?|理事会|四议两公开|职工代表大会|"
    # a production team's or villager group's members: 社员大会, 户主大会, 村民小组会议, 群众大会,
    # 党员代表和群众代表会议, 全体社员 …
    r"户主大会|户主会议?|户代表大会|群众大会|群众会议?|群众代表(?:大)?会议?|(?:党员代表和)?群众代表会议|"
    r"村民小组(?:会议|大会)|(?:村民|生产)?小组会议?|组民(?:代表)?(?:大会|会议)|社员(?:代表)?会议?|全体(?:社员|村民|户主|组民|成员|股东|村民代表)|"
    r"村民代表|成员代表)"
)
_DECIDED = (
    r"(研究决定|研究同意|研究通过|讨论通过|表决通过|决议通过|审议通过|集体研究|同意|决定|通过|决议|会议纪要|纪要|"
    r"(?:认真|充分)?(?:讨论|研究|表决)(?:同意|通过|决定|决议)?|商定|议定)"
)
_DECISION = re.compile(
    rf"(?P<neg>未经|没有经过|未经过|没有经|未)?(?P<phrase>(?:经(?!济|营|费|办|理|销|常)|按照|依照|依据|根据)[^。；;，,\n]{{0,40}}?{_BODY}[^。；;\n]{{0,40}}?{_DECIDED}(?:[（(][^）)]{{0,40}}[)）])?)"
)
_FOUR_TWO = re.compile(r"(?P<neg>未)?(?P<phrase>(?:按照|经过?|履行)?[“\"]?四议两公开[”\"]?(?:程序|工作法)?[^。；;\n]{0,80}?(?:通过|同意|决议))")
_NEGATIVE_DECISION = re.compile(r"(未经[^。；;\n]{0,30}(研究|讨论|会议|决策|表决|集体)|未召开|没有召开|未履行[^。；;\n]{0,10}(程序|决策)|由[^。；;\n]{1,12}个人决定)")
_MEMBERS = re.compile(r"(?P<phrase>经[^。；;\n]{0,30}(?:三分之二|2/3)以上[^。；;\n]{0,30}同意)")
# the meeting named first, then what it did: 大会经过充分讨论…形成如下决议 / 会议以户主投票表决
_MEETING_DID = re.compile(
    rf"(?P<neg>未|没有)?(?P<phrase>(?:{_BODY}|大会|会议)[^。；;\n]{{0,8}}?(?:经过?|以)[^。；;\n]{{0,24}}?(?:讨论|研究|表决|投票)"
    rf"[^。；;\n]{{0,30}}?(?:形成[^。；;\n]{{0,6}}决议|决定|通过|同意|表决))"
)
# the members' meeting was held on the matter: 召开…户主大会 / 召开村民代表会议
_MEETING_HELD = re.compile(
    r"(?P<neg>未|没有|不)?(?P<phrase>召开[^。；;\n，,]{0,24}?(?:村民代表大会|村民代表会议|村民大会|村民会议|户主大会|户主会议|社员大会|群众大会|"
    r"村民小组会议|成员大会|成员代表大会|户代表会议|股东代表大会))"
)


def extract_decision(ctx: Context) -> dict:
    text = ctx.raw
    found = []
    for pattern in (_DECISION, _FOUR_TWO, _MEMBERS, _MEETING_DID, _MEETING_HELD):
        for m in pattern.finditer(text):
            if m.groupdict().get("neg"):
                continue
            before = text[max(0, m.start() - 6) : m.start()]
            if re.search(r"(未|没有|不)$", before):
                continue
            if pattern is _MEETING_HELD:
                s0, _ = ctx.sentence_span(m.start())
                if re.search(r"(要|应当|应|须|需要|尽快|拟|将要|计划|准备|建议|责令|要求)", text[max(s0, m.start() - 30) : m.start()]):
                    continue  # 要…组织召开村民会议: an instruction for later, not a decision taken
            phrase = m.group("phrase")
            start = m.start("phrase")
            # start at the 经 nearest the deciding body: "经双方协商，经镇党委会研究决定" → the second
            body = re.search(_BODY, phrase)
            if body:
                cut = max((i.start() for i in re.finditer(r"经(?!济|营|费|办|理|销|常)", phrase[: body.start()])), default=0)
                phrase, start = phrase[cut:], start + cut
            # 经两委会议研究并提交村民代表大会表决通过: the decision goes on to the assembly
            more = re.match(r"并(?:提交|报请?|经过?|由)[^。；;，,\n]{0,30}?(?:讨论通过|表决通过|审议通过|决议通过|研究通过|通过|同意|决定)", text[start + len(phrase) :])
            if more:
                phrase = phrase + more.group(0)
            found.append((start, start + len(phrase), phrase))
    if not found:
        return {}
    found.sort()
    start, end, phrase = found[0]
    # a document that also says the decision was NOT taken is unsure evidence
    confidence = 0.6 if _NEGATIVE_DECISION.search(text) else 0.9
    return {"collective_decision": ctx.value(phrase, start, end, confidence)}


# -- tender method ----------------------------------------------------------------------------
_METHODS = [
    ("auction", r"(公开拍卖|拍卖会|拍卖方式|拍卖)"),
    ("listing", r"(公开挂牌|挂牌交易|挂牌出租|挂牌转让|挂牌(?!价)|摘牌)"),  # not 国家挂牌价 (a price)
    ("competitive", r"(竞争性谈判|竞争性磋商|竞价|竞拍|询价|比选)"),
    # a tender in running text counts: 经公开招标确定中标人, 通过公开竞标, 投标, 中标, 竞投; a
    # listing / tender notice is itself one
    ("public_tender", r"(公开招租|公开招标|招标投标|招投标|邀请招标|公开竞租|竞租|招租公告|公开招募|招标方式|公开遴选|公开竞标|竞标|竞投|中标|投标|招标)"),
    # direct award only in so many words — never from the boilerplate 协商一致 / 双方协商
    ("direct", r"(直接签订|直接出租|直接发包|直接承包|直接确定|协议出租|协议方式|协议转让|协议发包|续租|续签|续包)"),
]
# a procedure negated: 未经公开招租 / 没有进行招标 / 不经拍卖 (the negation governs the procedure
# itself — 未与招标单位签订 is about signing, 没有投放养殖，因为公开招标 is two clauses)
_NEG_TENDER = re.compile(
    r"(未经过?|没有经过?|未进行|没有进行|未通过|没有通过|未采取|未采用|没有采用|不经过?|未履行|未组织|未按规定(?:进行)?)"
    r"[^。；;\n，,与和同]{0,6}?(公开)?(招租|招标|拍卖|挂牌|竞价|竞标|交易平台|交易中心)"
)
_IF = re.compile(r"(若|如果|如|倘若|一旦)[^。；;\n]{0,30}$")
# boilerplate that is not a method: 在平等、自愿、协商一致的基础上
_BOILER = re.compile(r"(平等|自愿|诚实信用)[^。；;\n]{0,12}协商一致|协商一致[^。；;\n]{0,6}(的基础|原则)|协商解决|另行协商|协商不成|协商处理")


def extract_tender(ctx: Context) -> dict:
    text = ctx.raw
    for neg in _NEG_TENDER.finditer(text):
        s0, _ = ctx.sentence_span(neg.start())
        if _IF.search(text[s0 : neg.start()]) or re.match(r"[^。；;\n，,]{0,12}的[，,]", text[neg.end() :]):
            continue  # 若…未经公开招租的，合同无效: a rule, not what happened
        # "未经公开招租，双方协商签订" — a direct award, quoted at the negation
        return {"tender_method": ctx.value("direct", neg.start(), neg.end(), 0.85)}
    hits = []
    for rank, (method, pattern) in enumerate(_METHODS):
        for m in re.finditer(pattern, text):
            if method == "direct" and _BOILER.search(text[max(0, m.start() - 14) : m.end() + 8]):
                continue
            if method != "direct" and re.search(r"(不得|严禁|禁止|不准)[^。；;\n，,]{0,6}$", text[max(0, m.start() - 10) : m.start()]):
                continue  # 不得…竞价: a prohibition
            if method != "direct" and re.search(r"(必须|应当|须经|一律|均应|均须)[^。；;\n]{0,24}$", text[max(0, m.start() - 26) : m.start()]):
                continue  # 必须经过交易中心进行公开竞标: a rule for all, not how this one was awarded
            if method != "direct" and re.match(r"\s*[,，]?\s*(必须|应当|须|一律|要)", text[m.end() : m.end() + 6]):
                continue  # 公共资源公开竞标，必须…: a rule about tendering
            if method == "direct":
                s0, s1 = ctx.sentence_span(m.start())
                sentence = text[s0:s1]
                # "由村委会主任直接签订" is about who decided, not how the counterparty was chosen
                if re.search(r"(主任|书记|领导|个人|口头)", text[max(s0, m.start() - 12) : m.start()]) or not re.search(
                    r"(承租|承包|受让|租赁|出租|发包|转让|确定|选定|方式|续|签订|订立|合作|协议)", sentence
                ):
                    continue
                # a renewal is how this one came about only when the sentence says the earlier
                # agreement ran out (原合同期满，乙方申请续租); 期满后如需续租 is a future option
                if m.group(0).startswith("续") and not re.search(r"原[^。；;\n]{0,8}(合同|协议|租赁|承包|租期)", sentence):
                    continue
            # clause about later re-tendering ("期满后依规重新公开招租") is not how this one was awarded
            window = text[max(0, m.start() - 12) : m.start()]
            if method != "direct" and re.search(r"(期满|到期|重新|再次|依规|届时|今后|下一轮)", window):
                continue
            hits.append((m.start(), rank, method, m))
    if not hits:
        return {}
    non_direct = [h for h in hits if h[2] != "direct"]
    pick = min(non_direct or hits, key=lambda h: (h[0], h[1]))
    m = pick[3]
    return {"tender_method": ctx.value(pick[2], m.start(), m.end(), 0.85 if non_direct else 0.7)}


# -- approval ---------------------------------------------------------------------------------
_DOC_NO = re.compile(
    r"(?P<no>[\u4e00-\u9fa5A-Za-z]{1,12}\s*[·•.、]?\s*[〔\[（(【［]\s*(?:19|20)\d{2}\s*[〕\]）)】］]\s*第?\s*\d{1,4}\s*号)"
)
_APPROVAL_CTX = re.compile(r"(批复|批准|审批|同意|核准|备案|函|文件|通知|决定)")
_NOT_APPROVAL_CTX = re.compile(r"(合同编号|协议编号|编号)[:：]?\s*$")
_ORG = r"[\u4e00-\u9fa5]{2,30}?(?:人民政府|政府|财政局|财政所|国资委|领导小组|管理局|管理委员会|委员会|办公室|中心|局|厅|委|所|办事处|党委|党组)"
_APPROVAL_BODY = [
    re.compile(rf"(?:报经?|报请|经|并经|已报|已经|报送|由)\s*(?P<body>{_ORG})\s*(?:审批同意|批准|批复|审批|同意|核准|备案|研究批准)"),
    re.compile(rf"(?:经|并经)\s*(?P<body>{_ORG})\s*《"),
    re.compile(rf"(?P<body>{_ORG})\s*(?:已以|以)\s*[\u4e00-\u9fa5]{{1,12}}[〔\[（(【]"),
    re.compile(rf"(?P<body>{_ORG})\s*《[^》]{{0,60}}(?:批复|批准|同意)[^》]{{0,20}}》"),
    re.compile(rf"(?:取得|获得|得到|收到|持有)\s*(?P<body>{_ORG})\s*(?:的|之)?\s*(?:批复|批准|同意|审批|核准)"),
    re.compile(rf"(?:^|[，。；,;\n])\s*(?P<body>{_ORG})\s*(?:的|之)?\s*(?:批复|批准文件|同意批复|审批意见)"),
]


def extract_approval(ctx: Context) -> dict:
    text = ctx.raw
    out: dict = {}
    for m in _DOC_NO.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()]
        after = text[m.end() : m.end() + 6]
        if _NOT_APPROVAL_CTX.search(before[-10:]) or re.search(r"(合同|协议|承字|租字)", m.group("no")):
            continue
        if not (_APPROVAL_CTX.search(before) or _APPROVAL_CTX.search(after) or "文号" in before):
            continue
        number = m.group("no")
        # the issuer's abbreviation is short: drop the words of the sentence glued before it
        trim = re.match(r"^.*(?:已以|以|文号为?|文号：|批准文号|文件|批复|批准|为|经|见|依据|按照|根据)", number.split("〔")[0].split("[")[0].split("(")[0].split("（")[0].split("【")[0])
        cut = trim.end() if trim else 0
        prefix = re.split(r"[〔\[（(【［]", number)[0]
        if len(prefix) - cut > 8:
            cut = len(prefix) - 8
        number = number[cut:]
        start = m.start("no") + cut
        # OCR may put a dot between the issuer and the year bracket (源集政函·〔2026〕47号)
        out["approval_doc_no"] = ctx.value(re.sub(r"[\s·•.、]+(?=[〔\[（(【［])|\s+", "", number), start, m.end("no"), 0.9)
        break
    for pattern in _APPROVAL_BODY:
        m = pattern.search(text)
        if m:
            body = m.group("body")
            body = re.sub(r"^(已|并|报|经|由|再)+", "", body)
            start = m.start("body") + m.group("body").find(body)
            if _is_decision_body(body):
                continue
            out["approval_body"] = ctx.value(body, start, start + len(body), 0.85)
            break
    return out


def _is_decision_body(body: str) -> bool:
    return bool(re.search(r"(会议|党委会|班子|村民代表)$", body))


# -- payee and remittance ---------------------------------------------------------------------
_PAY_VERB = r"(缴入|交至|交到|汇入|存入|转入|打入|打到了?|转到|汇到|存到|支付至|支付到|缴至|缴到|缴纳至|交纳至|上缴至|划入|直接缴入|一律缴入|统一缴入|交给|交付给|支付给|付给|交由)"
_PAYEE = re.compile(
    rf"{_PAY_VERB}\s*(?P<payee>[^，,。；;\n]{{2,80}}(?:账户|专户|账号|国库|银行卡|存折|卡)(?:[（(][^）)]{{0,80}}[)）])?)"
)
_PAYEE_PERSON = re.compile(rf"{_PAY_VERB}\s*(?P<payee>[^，,。；;\n]{{2,30}}?)(?=[，,。；;\n]|收取|$)")
_PAYEE_COLLECTOR = re.compile(r"交\s*(?P<payee>[^，,。；;\n交]{2,20}?)\s*(?:收取|代收|收款)")
# paid to someone in other words: 向荣某财政缴纳了押金 / 现金交出租方财务室 / 交租金地点在城关镇财政所
_PAY_TO_WHOM = re.compile(
    r"向\s*(?P<payee>[^，,。；;\n向]{2,20}?)\s*(?:缴纳|交纳|缴付|支付|上缴|上交|交付)了?[^，,。；;\n]{0,12}?(?:租金|承包费|承包款|使用费|流转费|押金|保证金|价款|费)"
)
_PAY_MEANS = re.compile(
    r"(?:现金|支票|转账|汇款)(?:方式|形式)?(?:直接)?(?:交|缴|付|送)(?:给|至|到)?\s*(?P<payee>[^，,。；;\n]{2,30}?)(?=[，,。；;\n]|$)"
)
_PAY_PLACE = re.compile(r"(?:交|缴|付)(?:纳)?(?:租金|承包费|费用|款)?地点\s*(?:在|为|是|[:：])\s*(?P<payee>[^，,。；;\n]{2,30})")
_RECEIVER = re.compile(r"(?:收款人|收款单位|收款方)\s*[:：]\s*(?P<payee>[^\n，。；;\t]{2,40}?)(?=\s{2,}|\t|[\n，。；;]|$)")
_REMIT = re.compile(
    r"(?P<s>[^。；;\n]*(?:缴入国库|上缴国库|上缴财政|缴入财政|财政专户|非税收入|收支两条线|纳入[^。；;\n]{0,16}(?:预算|账|帐|核算|管理)|"
    r"村账乡管|组账乡管|统一核算|入账|入帐|开具[^。；;\n]{0,6}票据|收款凭证|不得坐收坐支|任何个人不得|村级财务|集体经济组织账户|集体资金账户|集体专户|"
    r"现金|个人账户|个人银行卡|村会计|抵顶|直接用于|专款专用|"
    # where the income goes, in other words: 收入全部交回…, 租金上缴…, 租金用于村道修缮
    r"(?:收入|收益|租金|承包费|承包款|发包款|流转费|使用费)[^。；;\n，,]{0,8}(?:全部|全额|统一|一律|均)?(?:交回|缴回|上缴|上交|交由|缴存|存入|缴入|纳入|用于))"
    r"[^。；;\n]*)"
)


_BARE_PARTY = re.compile(r"^(?:甲方|乙方|出租方|出租人|发包方|发包人|出借方|转让方|我方|对方|其|他|她|村里|村上|单位)(?:指定)?(?:的)?$")
_MONEY_WORDS = re.compile(r"(租金|承包费|承包款|使用费|流转费|价款|费用|款项|收益|转让款|保证金|押金|违约金|罚款|税|利息)")
_ACCOUNT_WORDS = re.compile(r"(账户|帐户|专户|账号|帐号|国库|财政|银行卡|存折|卡号)")


def _plausible_payee(payee: str) -> bool:
    """A payee names who or which account receives the money: not a bare party word (甲方), not a
    piece of the rent sentence (纳鱼塘承包费的 / 第一期租金), not paying itself (交清 / 交纳)."""
    if _BARE_PARTY.match(payee):
        return False
    if re.match(r"(齐|纳|足|费|款|完)", payee):
        return False
    if _MONEY_WORDS.search(payee) and not _ACCOUNT_WORDS.search(payee):
        return False
    if re.match(r"(甲方|乙方|出租方|发包方|出借方|转让方)(?!账户|帐户|指定|的?(?:银行|财务|账|帐))", payee) and not _ACCOUNT_WORDS.search(payee):
        return False  # 甲方全额 / 甲方后: a party word and the words after it
    return True


def extract_payment(ctx: Context) -> dict:
    text = ctx.raw
    out: dict = {}
    rent_ctx = re.compile(r"(租金|承包费|承包款|使用费|流转费|价款|费用|款项|收益|转让款)")
    # the parties' short names (以下简称“用地者”) are no more a payee than 甲方 is
    aliases = set(re.findall(r"(?:以下简称|下称|简称)\s*[“\"「]?([\u4e00-\u9fa5]{1,8}?)[”\"」）)]", text))
    for pattern in (_PAYEE, _PAYEE_COLLECTOR, _PAYEE_PERSON, _RECEIVER, _PAY_PLACE, _PAY_MEANS, _PAY_TO_WHOM):
        for m in pattern.finditer(text):
            if m.group("payee").strip() in aliases:
                continue
            s0, _ = ctx.sentence_span(m.start())
            # the money named here, or in the sentence before (学校租用水源…；直接打到了会计个人账户上)
            before = text[ctx.sentence_span(max(0, s0 - 2))[0] : s0] if s0 > 0 else ""
            if pattern not in (_RECEIVER, _PAY_PLACE, _PAY_MEANS, _PAY_TO_WHOM) and not rent_ctx.search(text[s0 : m.end()]) and not (
                rent_ctx.search(before) and re.search(r"个人(?:账户|银行卡|卡)", m.group("payee"))
            ):
                continue
            payee = m.group("payee").strip()
            if not _plausible_payee(payee):
                continue
            start = m.start("payee") + m.group("payee").find(payee)
            if payee.count("（") + payee.count("(") > payee.count("）") + payee.count(")"):
                close = re.search(r"[)）]", text[start + len(payee) : start + len(payee) + 80])
                if close:
                    payee = text[start : start + len(payee) + close.end()]
            out["payee_account"] = ctx.value(payee, start, start + len(payee), 0.85)
            break
        if "payee_account" in out:
            break
    payee = out.get("payee_account")
    if payee is not None:
        pos = text.find(payee.text)
        if pos >= 0:
            s0, s1 = ctx.sentence_span(pos)
            sentence = re.sub(r"^(?:[【\[][^】\]]{1,10}[】\]]|[\u4e00-\u9fa5]{2,8}[:：])\s*", "", text[s0:s1].strip(" 　，,"))
            if len(sentence) >= 6 and re.search(r"(账户|专户|国库|财政|账号|集体|村账|票据|收据|入账|核算)", sentence):
                start = s0 + text[s0:s1].find(sentence)
                out["remittance"] = ctx.value(sentence, start, start + len(sentence), 0.8)
                return out
    for m in _REMIT.finditer(text):
        sentence = m.group("s").strip(" 　，,")
        if len(sentence) < 6 or not rent_ctx.search(sentence) and "收入" not in sentence and "票据" not in sentence:
            continue
        if re.search(r"(没有|未|不|从未|均未)(?:入账|入帐|纳入|上缴|缴入)", sentence):
            continue  # 收到的租金没有入账: a fact about the books, not a remittance clause
        if re.match(r"^(?:第[一二三四五六七八九十\d]+条|[一二三四五六七八九十]+[，,、.．]|\d+[、.．])?\s*[\u4e00-\u9fa5、及和与]{2,14}(?:办法|方式|事项|约定|规定)$", sentence):
            continue  # a clause heading (三，承包款及上交办法) announces the clause; it is not one
        start = m.start("s") + m.group("s").find(sentence)
        out["remittance"] = ctx.value(sentence, start, start + len(sentence), 0.8)
        break
    return out
